//! `gameye-mock`: runs the local Gameye Session API emulator until killed.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use gameye::mock::{Catalogue, MockConfig, MockServer, RunCommand, TokenRule};

const HELP: &str = "\
gameye-mock: a local emulator of the Gameye Session API v2

Serves all ten operations from memory on 127.0.0.1, for development, demos and tests.
The first line on standard output is `listening on http://127.0.0.1:PORT`.

USAGE:
    gameye-mock [OPTIONS]

OPTIONS:
    --port N              Port to bind on 127.0.0.1; 0 (the default) picks a free one.
    --token T[=SCOPES]    Accept bearer token T (repeatable). SCOPES is a comma-separated
                          list such as session:read,session:start; without it the token has
                          every scope (session:start, session:read, session:stop,
                          artifact:read, regions:read, logs:read). Without any --token,
                          every non-empty bearer token is accepted.
    --catalogue FILE      JSON file with the locations and images to serve:
                          {\"locations\": [{\"id\": \"europe\", \"capacity\": 100,
                                          \"ips\": [\"127.0.0.1\"]}],
                           \"images\": [{\"id\": \"my-game\", \"tags\": [\"1.0.0\"],
                                       \"ports\": [\"7777/udp\"]}]}
                          Default: europe, north-america, asia (capacity 100 each);
                          nginx (latest, 1.25; 80/tcp) and my-game (1.1.0, 1.0.0, latest;
                          7777/udp, 7778/tcp).
    --quota N             At most N running sessions; a start past it answers 402.
    --log-interval-ms N   A running session writes a log line every N ms (default 1000; 0: never).
    --admin               Serve the admin API under /_mock/ (off by default: whoever reaches the
                          port could reset or fault the emulator).
    --admin-token T       Serve the admin API, to requests with \"Authorization: Bearer T\" only.
    --idle-timeout-ms N   Close a connection that sends nothing for N ms (default 30000).
    --request-timeout-ms N
                          A request must arrive whole within N ms of its first byte; a client
                          that trickles it gets 408 (default 10000).
    --max-connections N   Hold at most N connections at once (default 256). At the limit a new
                          one replaces the connection that waited longest without a request
                          being answered; when all are being answered, it gets 503.
    --run IMAGE=COMMAND   Run sessions of IMAGE as local processes (repeatable). COMMAND is
                          split like a shell's word list (quotes, backslashes; no shell is run)
                          and runs in a working directory of its own (artifacts are read from
                          it), with the emulator's environment plus the session's env,
                          GAMEYE_SESSION_ID, GAMEYE_HOST, GAMEYE_API_ENDPOINT (this emulator,
                          unless the session's env sets it) and GAMEYE_PORT_<PORT>_<PROTO> =
                          the host port to listen on (e.g. GAMEYE_PORT_7777_TCP=20000), and the
                          session's args after COMMAND's own. Its stdout and stderr are the
                          session's logs; stopping the session sends SIGTERM to its process
                          group, then SIGKILL after the grace period; a process that exits ends
                          its session. IMAGE joins the catalogue (tag latest, port 7777/tcp)
                          when the catalogue lacks it.
    --stop-grace-ms N     Grace between SIGTERM and SIGKILL for a --run process (default 10000).
    -h, --help            Print this help.

SIGNALS:
    SIGTERM and SIGINT stop the emulator cleanly: every --run process is stopped as above first.
    If the emulator is killed outright, Linux ends its processes too (parent-death signal).

ADMIN API (with --admin or --admin-token; inputs are bounded, e.g. oversize_bytes and
artifact padding to 256 MiB, seeding to 100000 sessions, delays to 10 minutes):
    POST   /_mock/faults            add a fault, JSON: {\"operation\": \"session-list\" | \"*\",
                                    \"times\": N, \"delay_ms\": N, \"status\": N, \"body\": \"...\",
                                    \"content_type\": \"json\" | \"text\" | \"html\",
                                    \"drop_after_bytes\": N, \"bytes_per_second\": N,
                                    \"oversize_bytes\": N, \"malformed_json\": true,
                                    \"close_connection\": true, \"retry_after\": \"5\"}
                                    operation is an OpenAPI operationId (session-run, session-list,
                                    describe-session, session-stop, join-session, leave-session,
                                    stream-logs, artifacts, get-available-locations, tag-exists)
    DELETE /_mock/faults            remove every fault
    POST   /_mock/reset             forget sessions, faults, lifecycle rules and recorded requests
    POST   /_mock/lifecycle         how sessions started from now on change over time:
                                    {\"image\": \"...\" (all when absent), \"starting_ms\": N
                                    (\"created\" until then), \"dies_while_starting\": true,
                                    \"exits_after_ms\": N, \"forget_after_ms\": N (404 once ended)}
    DELETE /_mock/lifecycle         remove every lifecycle rule
    POST   /_mock/sessions          seed running sessions: {\"count\": N, \"location\": \"...\",
                                    \"image\": \"...\", \"labels\": {...}, \"players\": N}
    POST   /_mock/sessions/ID/log   append the body as a log line of session ID
    POST   /_mock/clock             advance the clock (ttl, log lines): {\"advance_ms\": N}
    POST   /_mock/artifact-padding  add a padding.bin of N bytes to every artifact: {\"bytes\": N}
    GET    /_mock/requests          the API requests received (authorization redacted; at_ms:
                                    when each arrived, in ms since the emulator started)
    DELETE /_mock/requests          forget them
";

fn parse_args(args: &[String]) -> Result<MockConfig, String> {
    let mut config = MockConfig::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("{name} takes a whole number, not {text:?}"))
        };
        match arg.as_str() {
            "--port" => {
                let port = number("--port", value("--port")?)?;
                config.port =
                    u16::try_from(port).map_err(|_| "--port must be at most 65535".to_string())?;
            }
            "--token" => {
                let spec = value("--token")?;
                let (token, scopes) = match spec.split_once('=') {
                    Some((token, scopes)) => (
                        token.to_owned(),
                        Some(
                            scopes
                                .split(',')
                                .filter(|s| !s.is_empty())
                                .map(str::to_owned)
                                .collect(),
                        ),
                    ),
                    None => (spec, None),
                };
                if token.is_empty() {
                    return Err("--token needs a non-empty token".into());
                }
                config.tokens.push(TokenRule { token, scopes });
            }
            "--catalogue" => {
                let path = value("--catalogue")?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                let catalogue: Catalogue =
                    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
                catalogue.validate().map_err(|e| format!("{path}: {e}"))?;
                config.catalogue = catalogue;
            }
            "--quota" => {
                let quota = number("--quota", value("--quota")?)?;
                config.quota = Some(quota as usize);
            }
            "--log-interval-ms" => {
                let ms = number("--log-interval-ms", value("--log-interval-ms")?)?;
                config.log_interval = Duration::from_millis(ms);
            }
            "--admin" => config.admin = true,
            "--admin-token" => {
                let token = value("--admin-token")?;
                if token.is_empty() {
                    return Err("--admin-token needs a non-empty token".into());
                }
                config.admin = true;
                config.admin_token = Some(token);
            }
            "--idle-timeout-ms" => {
                let ms = number("--idle-timeout-ms", value("--idle-timeout-ms")?)?;
                if ms == 0 {
                    return Err("--idle-timeout-ms must be at least 1".into());
                }
                config.idle_timeout = Duration::from_millis(ms);
            }
            "--request-timeout-ms" => {
                let ms = number("--request-timeout-ms", value("--request-timeout-ms")?)?;
                if ms == 0 {
                    return Err("--request-timeout-ms must be at least 1".into());
                }
                config.request_timeout = Duration::from_millis(ms);
            }
            "--max-connections" => {
                let n = number("--max-connections", value("--max-connections")?)?;
                if n == 0 {
                    return Err("--max-connections must be at least 1".into());
                }
                config.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
            }
            "--run" => config.run.push(RunCommand::parse(&value("--run")?)?),
            "--stop-grace-ms" => {
                let ms = number("--stop-grace-ms", value("--stop-grace-ms")?)?;
                config.stop_grace = Duration::from_millis(ms);
            }
            other => return Err(format!("unknown option {other:?} (see --help)")),
        }
    }
    Ok(config)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let config = match parse_args(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("gameye-mock: {message}");
            return ExitCode::from(2);
        }
    };
    let server = match MockServer::start(config) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("gameye-mock: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    // SIGTERM or SIGINT: drop the server, which ends every --run process first.
    let (stop, stopped) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(());
    }) {
        eprintln!("gameye-mock: cannot handle signals: {e}");
        return ExitCode::FAILURE;
    }
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on {}", server.url());
    let _ = stdout.flush();
    let _ = stopped.recv();
    drop(server);
    ExitCode::SUCCESS
}
