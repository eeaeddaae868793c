//! `gameye` where operators run it: every printing command into a closed pipe and into
//! `| head -1`, SIGTERM during a download, `-f -` into `tar tz`, 40- and 80-column
//! pseudo-terminals, server text holding terminal escapes, `-o name`, `--no-headers`,
//! `--verbose` and profiles.
//! Each test starts its own emulator on loopback, which ends with the test.

mod support;

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gameye::mock::{Fault, MockConfig, MockServer};
use support::cli::{files, finish, gameye, in_terminal, start_args, wait_for_exit, Run};

const TOKEN: &str = "operator-secret-token-51c2e0";

fn server() -> MockServer {
    MockServer::start(MockConfig {
        log_interval: Duration::from_millis(50),
        ..MockConfig::with_token(TOKEN)
    })
    .expect("the emulator starts")
}

fn run(url: &str, args: &[&str]) -> Run {
    finish(gameye(url, TOKEN).args(args).output().unwrap(), TOKEN)
}

fn ok(url: &str, args: &[&str]) -> Run {
    let run = run(url, args);
    assert_eq!(run.code, 0, "{args:?}:\n{}\n{}", run.stdout, run.stderr);
    run
}

/// Starts a session (in europe, of nginx, unless `extra` says otherwise); returns its id.
fn start(url: &str, extra: &[&str]) -> String {
    let args = start_args(&[extra, &["-o", "name"]].concat());
    ok(url, &args).stdout.trim().to_owned()
}

fn scratch(name: &str) -> PathBuf {
    support::cli::scratch("cli-operator-tests", name)
}

/// Every command that prints, with what it needs: a running session, a stopped one.
fn printing_commands(url: &str) -> Vec<Vec<String>> {
    let running = start(url, &[]);
    let stopped = start(url, &[]);
    ok(url, &["sessions", "stop", &stopped]);
    let to_stop = start(url, &[]);
    let to_stop_and_wait = start(url, &[]);
    let strings = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        strings(&["--help"]),
        strings(&["--version"]),
        strings(&["sessions", "--help"]),
        strings(&["completions", "bash"]),
        strings(&["sessions", "list"]),
        strings(&["sessions", "list", "-o", "wide"]),
        strings(&["sessions", "list", "-o", "json"]),
        strings(&["sessions", "list", "-o", "name"]),
        strings(&["sessions", "describe", &running]),
        strings(&["sessions", "describe", &running, "-o", "json"]),
        strings(&[
            "sessions",
            "start",
            "--location",
            "europe",
            "--image",
            "nginx",
        ]),
        strings(&["sessions", "stop", &to_stop]),
        strings(&["sessions", "stop", &to_stop_and_wait, "--wait"]),
        strings(&["sessions", "wait", &running, "--for", "running"]),
        strings(&["sessions", "watch", "--limit", "2"]),
        strings(&["players", "join", &running, "alice"]),
        strings(&["players", "leave", "alice"]),
        strings(&["logs", &running]),
        strings(&["logs", &running, "--follow"]),
        strings(&["artifacts", "get", &stopped, "/", "-f", "-"]),
        strings(&["locations", "nginx"]),
        strings(&["tag", "exists", "europe", "nginx", "latest"]),
        strings(&["doctor"]),
    ]
}

#[test]
fn a_closed_pipe_ends_every_printing_command_quietly_with_status_0() {
    let server = server();
    let url = server.url();
    for args in printing_commands(&url) {
        // Stdout is a socket whose other end is already closed: the first write fails with
        // EPIPE, deterministically (a pipe's reader could still be reading).
        let (ours, theirs) = UnixStream::pair().unwrap();
        drop(ours);
        let started = Instant::now();
        let output = gameye(&url, TOKEN)
            .args(&args)
            .stdout(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let run = finish(output, TOKEN);
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (0, ""),
            "gameye {args:?} into a closed pipe"
        );
        assert!(started.elapsed() < Duration::from_secs(10), "{args:?}");
    }
}

#[test]
fn every_printing_command_piped_into_head_prints_one_line_and_exits_0() {
    let server = server();
    let url = server.url();
    // Enough sessions that a list does not fit in one write.
    for _ in 0..40 {
        start(&url, &["--label", "filler=yes"]);
    }
    for args in printing_commands(&url) {
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let script = format!(
            "set -o pipefail; {} {} | head -1",
            env!("CARGO_BIN_EXE_gameye"),
            quoted.join(" ")
        );
        let output = Command::new("bash")
            .args(["-c", &script])
            .env("GAMEYE_API_ENDPOINT", &url)
            .env("GAMEYE_API_TOKEN", TOKEN)
            .output()
            .unwrap();
        let run = finish(output, TOKEN);
        assert_eq!(run.code, 0, "{args:?} | head -1: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
        assert!(run.stdout.lines().count() <= 1, "{args:?}: {}", run.stdout);
    }
}

#[test]
fn sigterm_during_a_download_leaves_no_partial_file() {
    let server = server();
    let url = server.url();
    let dir = scratch("sigterm");
    let id = start(&url, &[]);
    ok(&url, &["sessions", "stop", &id]);
    server.set_artifact_padding(8 << 20);
    server.add_fault(Fault {
        bytes_per_second: Some(256 << 10),
        ..Fault::on("artifacts")
    });
    let mut child = gameye(&url, TOKEN)
        .current_dir(&dir)
        .args(["artifacts", "get", &id, "/srv/", "-f", "big.tar.gz"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !files(&dir).iter().any(|f| f.ends_with(".part")) {
        assert!(Instant::now() < deadline, "the download never began");
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let code = wait_for_exit(&mut child, Duration::from_secs(10));
    let run = finish(child.wait_with_output().unwrap(), TOKEN);
    assert_eq!(code, 130, "{}", run.stderr);
    assert!(run.stderr.contains("CANCELLED"), "{}", run.stderr);
    assert!(files(&dir).is_empty(), "left behind: {:?}", files(&dir));
}

#[test]
fn an_artifact_to_stdout_pipes_into_tar_and_is_refused_on_a_terminal() {
    let server = server();
    let url = server.url();
    let dir = scratch("stdout");
    let id = start(&url, &[]);
    ok(&url, &["sessions", "stop", &id]);
    let script = format!(
        "set -o pipefail; {} artifacts get {id} /var/log/ -f - | tar tz",
        env!("CARGO_BIN_EXE_gameye")
    );
    let output = Command::new("bash")
        .args(["-c", &script])
        .current_dir(&dir)
        .env("GAMEYE_API_ENDPOINT", &url)
        .env("GAMEYE_API_TOKEN", TOKEN)
        .output()
        .unwrap();
    let listed = finish(output, TOKEN);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(!listed.stdout.trim().is_empty(), "tar listed nothing");
    assert!(
        files(&dir).is_empty(),
        "no file named '-': {:?}",
        files(&dir)
    );

    let refused = in_terminal(
        &url,
        TOKEN,
        80,
        &["artifacts", "get", &id, "/", "-f", "-"],
        &dir,
    );
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(refused.stdout.contains("pipe it"), "{}", refused.stdout);
    let json = run(
        &url,
        &["artifacts", "get", &id, "/", "-f", "-", "-o", "json"],
    );
    assert_eq!(json.code, 2, "{}", json.stderr);
}

fn display_width(line: &str) -> usize {
    line.chars().count()
}

#[test]
fn tables_fit_80_and_40_column_terminals_and_never_cut_an_id() {
    let server = server();
    let url = server.url();
    let dir = scratch("terminal");
    let first = start(&url, &["--label", "mode=ranked", "--label", "map=dust"]);
    let second = start(&url, &["--location", "north-america", "--image", "my-game"]);

    let wide = in_terminal(&url, TOKEN, 80, &["sessions", "list"], &dir);
    assert_eq!(wide.code, 0, "{}", wide.stdout);
    let lines: Vec<&str> = wide.stdout.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["ID", "LOCATION", "STATUS", "PLAYERS", "HOST"],
        "{}",
        wide.stdout
    );
    assert_eq!(lines.len(), 3, "{}", wide.stdout);
    for line in &lines {
        assert!(display_width(line) <= 80, "{line:?} is wider than 80");
    }
    for id in [&first, &second] {
        assert!(
            lines.iter().any(|l| l.starts_with(id.as_str())),
            "{}",
            wide.stdout
        );
    }

    let narrow = in_terminal(&url, TOKEN, 40, &["sessions", "list"], &dir);
    assert_eq!(narrow.code, 0, "{}", narrow.stdout);
    for line in narrow.stdout.lines() {
        assert!(display_width(line) <= 40, "{line:?} is wider than 40");
    }
    let ids: Vec<&str> = narrow
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .collect();
    assert_eq!(ids.len(), 2, "one record per session: {}", narrow.stdout);
    assert!(ids.contains(&first.as_str()) && ids.contains(&second.as_str()));
    assert!(
        narrow.stdout.contains("status running"),
        "{}",
        narrow.stdout
    );

    for columns in [40, 80] {
        let described = in_terminal(
            &url,
            TOKEN,
            columns,
            &["sessions", "describe", &first],
            &dir,
        );
        assert_eq!(described.code, 0, "{}", described.stdout);
        for line in described.stdout.lines() {
            assert!(
                display_width(line) <= columns as usize,
                "{line:?} > {columns}"
            );
        }
        assert!(
            described.stdout.contains(first.as_str()),
            "{}",
            described.stdout
        );
        assert!(
            described.stdout.contains("map=dust"),
            "{}",
            described.stdout
        );
    }

    let bare = in_terminal(
        &url,
        TOKEN,
        120,
        &["sessions", "list", "--no-headers"],
        &dir,
    );
    assert_eq!(bare.stdout.lines().count(), 2, "{}", bare.stdout);
    assert!(!bare.stdout.contains("LOCATION"), "{}", bare.stdout);
}

/// A label (and the rest of the server's text) holding: an OSC 52 clipboard write, a
/// clear-screen, and a carriage return that would overwrite the line.
const HOSTILE: &str = "x\u{1b}]52;c;aGFja2Vk\u{7}\u{1b}[2J\rFAKE";

fn assert_escaped(text: &str, context: &str) {
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{context}: a raw escape reached the output: {text:?}"
    );
    assert!(!text.contains("\rFAKE"), "{context}: a raw CR: {text:?}");
}

#[test]
fn server_text_with_terminal_escapes_is_escaped_everywhere_but_json() {
    let server = server();
    let url = server.url();
    let dir = scratch("escapes");
    let id = start(&url, &["--label", &format!("evil={HOSTILE}")]);
    server.write_log(&id, HOSTILE).unwrap();

    let piped = ok(&url, &["sessions", "list", "-o", "wide"]).stdout;
    assert_escaped(&piped, "list piped");
    assert!(
        piped.contains("evil=x\\e]52;c;aGFja2Vk\\x07\\e[2J\\rFAKE"),
        "{piped}"
    );
    for columns in [40, 200] {
        let drawn = in_terminal(
            &url,
            TOKEN,
            columns,
            &["sessions", "list", "-o", "wide"],
            &dir,
        );
        assert_escaped(&drawn.stdout.replace("\r\n", "\n"), "list on a terminal");
        let described = in_terminal(&url, TOKEN, columns, &["sessions", "describe", &id], &dir);
        assert_escaped(&described.stdout, "describe");
    }
    let logs = ok(&url, &["logs", &id]).stdout;
    assert_escaped(&logs, "logs");
    assert!(
        logs.contains("x\\e]52;c;aGFja2Vk\\x07\\e[2J\\rFAKE"),
        "{logs}"
    );
    let raw = ok(&url, &["logs", &id, "--raw"]).stdout;
    assert!(raw.contains(HOSTILE), "--raw is byte for byte");

    // JSON stays exact: the label as the server sent it.
    let json = ok(&url, &["sessions", "describe", &id, "-o", "json"]).json();
    assert_eq!(json["labels"]["evil"], HOSTILE);

    // An error message from the server, and an id from the command line.
    server.add_fault(Fault {
        status: Some(500),
        body: Some(format!(
            r#"{{"statusCode":500,"code":"x","message":"{}"}}"#,
            HOSTILE
                .replace('\u{1b}', "\\u001b")
                .replace('\u{7}', "\\u0007")
                .replace('\r', "\\r")
        )),
        content_type: Some("application/json".into()),
        ..Fault::on("describe-session")
    });
    let failed = run(&url, &["sessions", "describe", &id]);
    assert_eq!(failed.code, 8, "{}", failed.stderr);
    assert_escaped(&failed.stderr, "an error line");
    assert!(failed.stderr.contains("\\e[2J"), "{}", failed.stderr);
    let stop = run(&url, &["sessions", "stop", HOSTILE]);
    assert_ne!(stop.code, 0);
    assert_escaped(&stop.stderr, "stop's error line");
}

#[test]
fn verbose_shows_each_request_on_stderr_without_the_token() {
    let server = server();
    let url = server.url();
    let quiet = ok(&url, &["sessions", "list"]);
    assert!(
        quiet.stderr.is_empty() || quiet.stderr == "no sessions\n",
        "{}",
        quiet.stderr
    );
    let verbose = ok(&url, &["sessions", "list", "--verbose"]);
    assert!(
        verbose.stderr.contains("GET") && verbose.stderr.contains("/session"),
        "{}",
        verbose.stderr
    );
    // finish() has checked the token is in neither stream.
}

fn write(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn profiles_keep_each_account_on_its_own_endpoint() {
    let sandbox = server();
    let production = MockServer::start(MockConfig::with_token("production-token-93ad17"))
        .expect("the emulator starts");
    let dir = scratch("profiles");
    write(&dir.join("sandbox.token"), TOKEN, 0o600);
    write(
        &dir.join("production.token"),
        "production-token-93ad17\n",
        0o644,
    );
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "default = \"sandbox\"\n\n\
             [profiles.sandbox]\nendpoint = \"{}\"\ntoken-file = \"{}\"\n\n\
             [profiles.production]\nendpoint = \"{}\"\ntoken-file = \"{}\"\n\n\
             [profiles.bare]\nendpoint = \"{}\"\n",
            sandbox.url(),
            dir.join("sandbox.token").display(),
            production.url(),
            dir.join("production.token").display(),
            production.url(),
        ),
    )
    .unwrap();
    let id = start(&sandbox.url(), &[]);
    let with = |extra: &[(&str, &str)], args: &[&str]| {
        let mut command = gameye("http://127.0.0.1:9", "not-a-token");
        command
            .env_remove("GAMEYE_API_ENDPOINT")
            .env("GAMEYE_CONFIG", &config);
        for (key, value) in extra {
            command.env(key, value);
        }
        finish(
            command.args(args).output().unwrap(),
            "production-token-93ad17",
        )
    };

    // The default profile.
    let listed = with(&[], &["sessions", "list", "-o", "name"]);
    assert_eq!(
        (listed.code, listed.stdout.trim()),
        (0, id.as_str()),
        "{}",
        listed.stderr
    );
    // --profile, and GAMEYE_PROFILE; a token file others can read is warned about.
    let named = with(
        &[],
        &["--profile", "production", "sessions", "list", "-o", "name"],
    );
    assert_eq!(
        (named.code, named.stdout.as_str()),
        (0, ""),
        "{}",
        named.stderr
    );
    assert!(
        named.stderr.contains("can be read by other users"),
        "{}",
        named.stderr
    );
    let from_env = with(
        &[("GAMEYE_PROFILE", "production")],
        &["sessions", "list", "-o", "name"],
    );
    assert_eq!(from_env.code, 0, "{}", from_env.stderr);
    assert!(
        production.requests().len() >= 2 && sandbox.requests().len() == 2,
        "each profile reached its own endpoint"
    );
    // A profile without a token file never falls back to GAMEYE_API_TOKEN (which may be
    // another account's): it stops before sending anything.
    let before = production.requests().len();
    let bare = with(
        &[("GAMEYE_API_TOKEN", TOKEN)],
        &["--profile", "bare", "sessions", "list"],
    );
    assert_eq!(bare.code, 2, "{}", bare.stderr);
    assert!(
        bare.stderr.contains("never used with a profile"),
        "{}",
        bare.stderr
    );
    assert_eq!(production.requests().len(), before, "no request was sent");
    // An unknown profile, and a profile beside an endpoint flag.
    let unknown = with(&[], &["--profile", "staging", "sessions", "list"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("bare, production, sandbox"),
        "{}",
        unknown.stderr
    );
    let both = with(
        &[],
        &["--profile", "sandbox", "--sandbox", "sessions", "list"],
    );
    assert_eq!(both.code, 2, "{}", both.stderr);
    // An endpoint flag uses no profile (and so the environment's token).
    let flagged = with(
        &[("GAMEYE_API_TOKEN", TOKEN)],
        &[
            "--endpoint",
            &sandbox.url(),
            "sessions",
            "list",
            "-o",
            "name",
        ],
    );
    assert_eq!(
        (flagged.code, flagged.stdout.trim()),
        (0, id.as_str()),
        "{}",
        flagged.stderr
    );
}

#[test]
fn name_output_is_for_commands_that_print_sessions_or_locations() {
    let server = server();
    let url = server.url();
    let id = start(&url, &[]);
    assert_eq!(
        ok(&url, &["sessions", "describe", &id, "-o", "name"]).stdout,
        format!("{id}\n")
    );
    let locations = ok(&url, &["locations", "nginx", "-o", "name"]).stdout;
    assert!(locations.lines().any(|l| l == "europe"), "{locations}");
    let refused = run(&url, &["players", "leave", "alice", "-o", "name"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
}

#[test]
fn doctor_never_approves_what_the_client_refuses_nor_prints_url_credentials() {
    let server = server();
    let url = server.url();
    let port = server.addr().port();

    // Credentials in the URL: refused as the client refuses them, the password never shown.
    let with_password = format!("http://operator:hunter2-pw@127.0.0.1:{port}");
    let doctor = run(&url, &["doctor", "--endpoint", &with_password]);
    assert_eq!(doctor.code, 2, "{}", doctor.stdout);
    assert!(
        doctor.stdout.starts_with("FAIL  endpoint"),
        "{}",
        doctor.stdout
    );
    assert!(doctor.stdout.contains("***@127.0.0.1"), "{}", doctor.stdout);
    let listed = run(&url, &["sessions", "list", "--endpoint", &with_password]);
    assert_eq!(listed.code, 2);
    for text in [
        &doctor.stdout,
        &doctor.stderr,
        &listed.stdout,
        &listed.stderr,
    ] {
        assert!(
            !text.contains("hunter2"),
            "the password was printed: {text}"
        );
    }
    assert!(
        server.requests().is_empty(),
        "nothing was sent, as Basic auth or otherwise"
    );

    // Plain HTTP spoken to over https: no TLS verdict before a handshake, then the cause.
    let over_tls = run(
        &url,
        &["doctor", "--endpoint", &format!("https://127.0.0.1:{port}")],
    );
    assert_eq!(over_tls.code, 7, "{}", over_tls.stdout);
    assert!(
        !over_tls.stdout.contains("ok    tls"),
        "{}",
        over_tls.stdout
    );
    let tls = over_tls
        .stdout
        .lines()
        .find(|l| l.contains(" tls "))
        .unwrap();
    assert!(
        tls.starts_with("FAIL") && tls.contains("plain HTTP"),
        "{}",
        over_tls.stdout
    );

    // A wrong token: one failure, its advice once, no doubled full stop.
    let wrong = finish(
        gameye(&url, TOKEN)
            .env("GAMEYE_API_TOKEN", "wrong-token-0000")
            .arg("doctor")
            .output()
            .unwrap(),
        TOKEN,
    );
    assert_eq!(wrong.code, 3, "{}", wrong.stdout);
    assert_eq!(
        wrong.stdout.matches('\u{2192}').count(),
        1,
        "{}",
        wrong.stdout
    );
    assert!(!wrong.stdout.contains(".."), "{}", wrong.stdout);
}

#[test]
fn doctor_reports_a_read_only_tokens_scopes_one_by_one_and_changes_nothing() {
    use gameye::mock::TokenRule;
    let server = MockServer::start(MockConfig {
        tokens: vec![
            TokenRule {
                token: TOKEN.into(),
                scopes: None,
            },
            TokenRule {
                token: "read-only-token-77e1".into(),
                scopes: Some(vec!["session:read".into(), "logs:read".into()]),
            },
        ],
        ..MockConfig::default()
    })
    .unwrap();
    let url = server.url();
    let id = start(&url, &[]);
    let report = finish(
        gameye(&url, TOKEN)
            .env("GAMEYE_API_TOKEN", "read-only-token-77e1")
            .args(["doctor", "-o", "json"])
            .output()
            .unwrap(),
        "read-only-token-77e1",
    );
    assert_eq!(report.code, 0, "warnings, not failures: {}", report.stdout);
    let checks = report.json()["checks"].as_array().unwrap().clone();
    let access = |scope: &str| {
        checks
            .iter()
            .find(|c| c["check"] == "access" && c["detail"].as_str().unwrap().starts_with(scope))
            .unwrap_or_else(|| panic!("no line for {scope}: {checks:?}"))["result"]
            .clone()
    };
    for scope in ["session:read", "logs:read"] {
        assert_eq!(access(scope), "ok", "{scope}");
    }
    for scope in [
        "session:start",
        "session:stop",
        "artifact:read",
        "regions:read",
    ] {
        assert_eq!(access(scope), "warn", "{scope}");
    }
    // The full token's check changed nothing either: the one session still runs, alone.
    ok(&url, &["doctor"]);
    let listed = ok(&url, &["sessions", "list", "-o", "name"]).stdout;
    assert_eq!(listed.trim(), id);
}
