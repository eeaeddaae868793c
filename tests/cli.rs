//! The `gameye` command-line tool (src/bin/gameye), run as a built binary against the emulator:
//! every subcommand and flag group, table and JSON output (JSON parsed and checked field by
//! field), the exit code of each class of failure, a followed log that ends when its session
//! stops and on SIGINT, a download with and without a terminal, `doctor` against a good, a
//! wrong-token and an unreachable endpoint, and the token never printed.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use gameye::mock::{Fault, MockConfig, MockServer};
use support::cli::{self, files, wait_for_exit, Run};

/// A token distinctive enough that finding it in any output is certain to be a leak.
const TOKEN: &str = "cli-secret-token-7f3a9c";

fn server() -> MockServer {
    MockServer::start(MockConfig {
        log_interval: Duration::from_millis(100),
        ..MockConfig::with_token(TOKEN)
    })
    .expect("the emulator starts")
}

fn gameye(url: &str) -> Command {
    cli::gameye(url, TOKEN)
}

fn finish(output: Output) -> Run {
    cli::finish(output, TOKEN)
}

fn run(url: &str, args: &[&str]) -> Run {
    finish(gameye(url).args(args).output().expect("gameye runs"))
}

/// Runs and expects exit code 0.
fn ok(url: &str, args: &[&str]) -> Run {
    let run = run(url, args);
    assert_eq!(
        run.code, 0,
        "gameye {args:?}:\n{}\n{}",
        run.stdout, run.stderr
    );
    run
}

/// Starts a session (in europe, of nginx, unless `extra` says otherwise); returns its id.
fn start(url: &str, extra: &[&str]) -> String {
    let args = cli::start_args(&[extra, &["-o", "json"]].concat());
    ok(url, &args).json()["id"].as_str().unwrap().to_owned()
}

fn scratch(name: &str) -> PathBuf {
    cli::scratch("cli-tests", name)
}

#[test]
fn sessions_start_list_describe_and_stop_in_tables_and_json() {
    let server = server();
    let url = server.url();
    let id = "0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f";
    let started = ok(
        &url,
        &[
            "sessions",
            "start",
            "--location",
            "europe",
            "--image",
            "nginx",
            "--tag",
            "1.25",
            "--id",
            id,
            "--label",
            "mode=ranked",
            "--env",
            "MAP=dust",
            "--arg",
            "-port",
            "--arg",
            "7777",
            "--restart",
            "--ttl",
            "1h30m",
            "--external-id",
            "match-42",
            "-o",
            "json",
        ],
    )
    .json();
    assert_eq!(started["id"], id);
    assert_eq!(started["host"], "127.0.0.1");
    assert_eq!(started["ports"][0]["name"], "80/tcp");
    assert_eq!(started["ports"][0]["protocol"], "tcp");
    assert_eq!(started["ports"][0]["container"], 80);
    assert!(started["ports"][0]["host"].as_u64().unwrap() > 0);

    // Piped (gh's rule): no header, one tab-separated line per session.
    let table = ok(&url, &["sessions", "list"]).stdout;
    assert_eq!(table.lines().count(), 1, "{table}");
    let row: Vec<&str> = table.trim_end().split('\t').collect();
    assert_eq!(
        &row[..6],
        [id, "europe", "nginx", "running", "0", "127.0.0.1"]
    );
    assert!(row[6].ends_with("s ago") && row.len() == 7, "{table}");

    let wide = ok(&url, &["sessions", "list", "-o", "wide"]).stdout;
    let row: Vec<&str> = wide.trim_end().split('\t').collect();
    assert_eq!(row.len(), 11, "{wide}");
    assert_eq!(&row[7..10], ["1.25", row[8], "mode=ranked"], "{wide}");
    assert!(row[8].starts_with("80/tcp->"), "{wide}");
    assert!(
        row[10].ends_with(" UTC"),
        "local time in the TZ given: {wide}"
    );
    assert_eq!(
        ok(&url, &["sessions", "list", "-o", "name"]).stdout,
        format!("{id}\n")
    );

    let listed = ok(&url, &["sessions", "list", "-o", "json"]).json();
    let session = &listed.as_array().unwrap()[0];
    assert_eq!(session["id"], id);
    assert_eq!(session["image"], "nginx");
    assert_eq!(session["version"], "1.25");
    assert_eq!(session["location"], "europe");
    assert_eq!(session["host"], "127.0.0.1");
    assert_eq!(session["status"], "running");
    assert_eq!(session["player_count"], 0);
    assert_eq!(session["labels"]["mode"], "ranked");
    assert!(session["labels"].get("MAP").is_none(), "env is not shown");
    assert!(session["created"].as_str().unwrap().ends_with('Z'));
    assert!(session["created_unix_ms"].as_i64().unwrap() > 1_700_000_000_000);
    assert!(session["players"].is_null(), "a list entry has no players");

    ok(&url, &["players", "join", id, "alice"]);
    let described = ok(&url, &["sessions", "describe", id, "-o", "json"]).json();
    assert_eq!(described["id"], id);
    assert_eq!(described["players"], serde_json::json!(["alice"]));
    assert_eq!(described["player_count"], 1);
    let text = ok(&url, &["sessions", "describe", id]).stdout;
    assert!(
        text.contains("alice") && text.contains("mode=ranked") && !text.contains("dust"),
        "{text}"
    );
    // Wide shows the labels as the API holds them, but never the env (it often holds secrets).
    let wide = ok(&url, &["sessions", "describe", id, "-o", "wide"]).stdout;
    assert!(
        wide.contains("all labels") && wide.contains("tags=") && !wide.contains("dust"),
        "{wide}"
    );

    assert_eq!(
        ok(&url, &["sessions", "stop", id]).stdout.trim(),
        format!("stopped {id}")
    );
    let all = ok(&url, &["sessions", "list", "--all", "-o", "json"]).json();
    assert_ne!(all[0]["status"], "running");
    assert_eq!(
        ok(&url, &["sessions", "list", "-o", "json"]).json(),
        serde_json::json!([])
    );
}

#[test]
fn list_filters_reach_the_api() {
    let server = server();
    let url = server.url();
    let ranked = start(&url, &["--label", "mode=ranked"]);
    let asia = start(
        &url,
        &["--location", "asia", "--image", "my-game", "--tag", "1.0.0"],
    );
    ok(&url, &["players", "join", &ranked, "p1", "p2"]);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["sessions", "list", "-o", "json"];
        all.extend_from_slice(args);
        let mut ids: Vec<String> = ok(&url, &all)
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&["--location", "asia"]), [asia.as_str()]);
    assert_eq!(ids(&["--image", "my-game"]), [asia.as_str()]);
    assert_eq!(ids(&["--tag", "1.0.0"]), [asia.as_str()]);
    assert_eq!(ids(&["--filter", "mode=ranked"]), [ranked.as_str()]);
    assert_eq!(ids(&["--players-gt", "1"]), [ranked.as_str()]);
    assert_eq!(ids(&["--players-lt", "1"]), [asia.as_str()]);
    assert_eq!(ids(&["--host", "127.0.0.9"]), Vec::<String>::new());
    let bad = run(&url, &["sessions", "list", "--filter", "novalue"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn players_join_and_leave() {
    let server = server();
    let url = server.url();
    let id = start(&url, &[]);
    let joined = ok(&url, &["players", "join", &id, "a", "b", "-o", "json"]).json();
    assert_eq!(joined["player_count"], 2);
    assert_eq!(joined["players"], serde_json::json!(["a", "b"]));
    let left = ok(&url, &["players", "leave", "a"]).stdout;
    assert!(
        left.contains("left: a") && left.contains("players in the session now: 1"),
        "{left}"
    );
    assert_eq!(run(&url, &["players", "leave", "nobody"]).code, 4);
}

#[test]
fn locations_and_tag_exists() {
    let server = server();
    let url = server.url();
    let locations = ok(&url, &["locations", "nginx", "-o", "json"]).json();
    let europe = locations
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "europe")
        .unwrap();
    assert_eq!(europe["ips"], serde_json::json!(["127.0.0.1"]));
    assert!(ok(&url, &["locations", "nginx"])
        .stdout
        .contains("north-america"));

    let yes = ok(
        &url,
        &["tag", "exists", "europe", "nginx", "1.25", "-o", "json"],
    )
    .json();
    assert_eq!(yes["exists"], true);
    assert_eq!(yes["version"], "1.25");
    let no = run(&url, &["tag", "exists", "europe", "nginx", "9.9"]);
    assert_eq!(no.code, 1, "{}", no.stderr);
    assert!(no.stdout.contains("does not exist"));
    assert_eq!(
        run(&url, &["tag", "exists", "europe", "no-such-image", "1"]).code,
        4
    );
}

#[test]
fn each_class_of_failure_has_its_exit_code_and_one_clear_line() {
    let server = server();
    let url = server.url();

    let usage = run(&url, &["sessions", "frobnicate"]);
    assert_eq!(usage.code, 2);
    let no_token = finish(
        gameye(&url)
            .env_remove("GAMEYE_API_TOKEN")
            .args(["sessions", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(no_token.code, 2);
    assert!(
        no_token.stderr.contains("no token") && no_token.stderr.contains("--token-file"),
        "{}",
        no_token.stderr
    );
    let refused = run(
        &url,
        &[
            "sessions",
            "start",
            "--location",
            "europe",
            "--image",
            "nginx",
            "--ttl",
            "soon",
        ],
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);

    let wrong = finish(
        gameye(&url)
            .env("GAMEYE_API_TOKEN", "not-the-token")
            .args(["sessions", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(wrong.code, 3, "{}", wrong.stderr);
    assert_eq!(wrong.stderr.lines().count(), 1, "{}", wrong.stderr);
    assert!(
        wrong
            .stderr
            .starts_with("gameye: UNAUTHORIZED (HTTP 401): "),
        "{}",
        wrong.stderr
    );

    let missing = run(&url, &["sessions", "describe", "nope", "-o", "json"]);
    assert_eq!(missing.code, 4);
    let error = missing.error();
    assert_eq!(error["status"], "NOT_FOUND");
    assert_eq!(error["http_status"], 404);
    assert_eq!(error["exit_code"], 4);
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("does not exist"));
    assert!(error["identifier"].is_string());
    assert!(missing.stdout.is_empty());

    let id = start(&url, &[]);
    ok(&url, &["sessions", "stop", &id]);
    let again = run(&url, &["sessions", "stop", &id]);
    assert_eq!(again.code, 5, "{}", again.stderr);
    assert!(
        again.stderr.contains("CONFLICT (HTTP 409)") && again.stderr.contains(&id),
        "{}",
        again.stderr
    );

    server.add_fault(Fault {
        status: Some(429),
        ..Fault::on("session-list")
    });
    assert_eq!(run(&url, &["sessions", "list"]).code, 6);
    server.clear_faults();
    server.add_fault(Fault {
        status: Some(500),
        ..Fault::on("session-list")
    });
    let failed = run(&url, &["sessions", "list", "-o", "json"]);
    assert_eq!(failed.code, 8);
    assert_eq!(failed.error()["status"], "SERVER");
    server.clear_faults();
    server.add_fault(Fault {
        delay_ms: Some(5_000),
        ..Fault::on("session-list")
    });
    let slow = run(&url, &["sessions", "list", "--timeout", "1"]);
    assert_eq!(slow.code, 7, "{}", slow.stderr);
    assert!(slow.stderr.contains("TIMEOUT"), "{}", slow.stderr);
    server.clear_faults();

    let closed = unreachable_url();
    let nothing = run(&closed, &["sessions", "list"]);
    assert_eq!(nothing.code, 7, "{}", nothing.stderr);
    assert!(
        nothing.stderr.starts_with("gameye: TRANSPORT"),
        "{}",
        nothing.stderr
    );
}

/// A loopback URL where nothing listens.
fn unreachable_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn spawn_follow(url: &str, id: &str) -> (Child, std::sync::mpsc::Receiver<String>) {
    let mut child = gameye(url)
        .args(["logs", id, "--follow"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if sender.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    (child, lines)
}

#[test]
fn logs_whole_and_followed_until_the_session_stops() {
    let server = server();
    let url = server.url();
    let id = start(&url, &[]);
    let whole = ok(&url, &["logs", &id]).stdout;
    assert!(whole.contains("[gameye] pulling image nginx"), "{whole}");
    let as_json = ok(&url, &["logs", &id, "-o", "json"]).json();
    assert_eq!(as_json["id"], id.as_str());
    assert!(as_json["logs"].as_str().unwrap().contains("pulling image"));

    let (mut child, lines) = spawn_follow(&url, &id);
    let first = lines
        .recv_timeout(Duration::from_secs(10))
        .expect("a line arrives");
    assert!(!first.is_empty());
    ok(&url, &["sessions", "stop", &id]);
    assert_eq!(wait_for_exit(&mut child, Duration::from_secs(10)), 0);
}

#[test]
fn a_followed_log_ends_on_sigint_with_status_130() {
    let server = server();
    let url = server.url();
    let id = start(&url, &[]);
    let (mut child, lines) = spawn_follow(&url, &id);
    lines
        .recv_timeout(Duration::from_secs(10))
        .expect("a line arrives");
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(wait_for_exit(&mut child, Duration::from_secs(5)), 130);
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("CANCELLED") && stderr.contains("Ctrl-C"),
        "{stderr}"
    );
}

#[test]
fn an_artifact_download_without_a_terminal_draws_no_progress_and_leaves_no_partial_file() {
    let server = server();
    let url = server.url();
    let dir = scratch("artifact-plain");
    let id = start(&url, &[]);

    let early = finish(
        gameye(&url)
            .current_dir(&dir)
            .args(["artifacts", "get", &id, "/var/log"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        early.code, 4,
        "a running session has no artifacts: {}",
        early.stderr
    );
    assert!(
        files(&dir).is_empty(),
        "no file after a failure: {:?}",
        files(&dir)
    );

    ok(&url, &["sessions", "stop", &id]);
    let got = finish(
        gameye(&url)
            .current_dir(&dir)
            .args(["artifacts", "get", &id, "/var/log/"])
            .output()
            .unwrap(),
    );
    assert_eq!(got.code, 0, "{}", got.stderr);
    assert!(
        got.stderr.is_empty(),
        "no progress when not on a terminal: {:?}",
        got.stderr
    );
    assert_eq!(files(&dir), ["log.tar.gz"]);
    let bytes = std::fs::read(dir.join("log.tar.gz")).unwrap();
    assert_eq!(&bytes[..2], [0x1f, 0x8b], "a gzip file");
    assert_eq!(
        got.stdout.trim(),
        format!("wrote log.tar.gz ({} bytes)", bytes.len())
    );

    let named = dir.join("named.tgz");
    let json = ok(
        &url,
        &[
            "artifacts",
            "get",
            &id,
            "/",
            "-f",
            named.to_str().unwrap(),
            "-o",
            "json",
        ],
    )
    .json();
    assert_eq!(
        json["bytes"].as_u64().unwrap(),
        std::fs::metadata(&named).unwrap().len()
    );

    server.add_fault(Fault {
        drop_after_bytes: Some(100),
        ..Fault::on("artifacts")
    });
    server.set_artifact_padding(1 << 20);
    let cut = finish(
        gameye(&url)
            .current_dir(&dir)
            .args(["artifacts", "get", &id, "/tmp/", "-f", "cut.tar.gz"])
            .output()
            .unwrap(),
    );
    assert_eq!(cut.code, 7, "{}", cut.stderr);
    assert!(
        !files(&dir).iter().any(|f| f.starts_with("cut")),
        "{:?}",
        files(&dir)
    );
}

#[test]
fn an_artifact_download_on_a_terminal_shows_its_progress() {
    let server = server();
    let url = server.url();
    let dir = scratch("artifact-terminal");
    let id = start(&url, &[]);
    ok(&url, &["sessions", "stop", &id]);
    server.set_artifact_padding(3 << 20);
    server.add_fault(Fault {
        bytes_per_second: Some(2 << 20),
        ..Fault::on("artifacts")
    });
    // script(1) gives the command a pseudo-terminal and copies what it drew to stdout.
    let command = format!(
        "{} artifacts get {id} /srv/ -f big.tar.gz",
        env!("CARGO_BIN_EXE_gameye")
    );
    let output = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .current_dir(&dir)
        .env("GAMEYE_API_ENDPOINT", &url)
        .env("GAMEYE_API_TOKEN", TOKEN)
        .stdin(Stdio::null())
        .output()
        .expect("script(1) from util-linux/bsdutils");
    let drawn = finish(output);
    assert_eq!(drawn.code, 0, "{}{}", drawn.stdout, drawn.stderr);
    assert!(
        drawn.stdout.contains("MiB"),
        "a progress bar was drawn: {:?}",
        drawn.stdout
    );
    assert!(
        drawn.stdout.contains("wrote big.tar.gz"),
        "{}",
        drawn.stdout
    );
    assert!(std::fs::metadata(dir.join("big.tar.gz")).unwrap().len() > 3 << 20);
}

#[test]
fn doctor_against_a_good_a_wrong_token_and_an_unreachable_endpoint() {
    let server = server();
    let url = server.url();
    let good = ok(&url, &["doctor"]).stdout;
    for name in [
        "endpoint", "token", "tls", "resolve", "answers", "clock", "accepted",
    ] {
        assert!(
            good.lines()
                .any(|l| l.split_whitespace().nth(1) == Some(name)),
            "{name} missing:\n{good}"
        );
    }
    assert!(!good.contains("FAIL"), "{good}");
    assert!(
        good.contains("from GAMEYE_API_ENDPOINT") && good.contains("ending in \u{2026}3a9c"),
        "{good}"
    );
    assert!(
        good.contains(&format!("{} characters", TOKEN.len())),
        "{good}"
    );
    let checks = ok(&url, &["doctor", "-o", "json"]).json();
    assert_eq!(checks["ok"], true);
    let clock = checks["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "clock")
        .unwrap();
    assert_eq!(clock["result"], "ok", "{clock}");

    let wrong = finish(
        gameye(&url)
            .env("GAMEYE_API_TOKEN", "wrong-token-0000")
            .arg("doctor")
            .output()
            .unwrap(),
    );
    assert_eq!(wrong.code, 3, "{}", wrong.stdout);
    let line = wrong
        .stdout
        .lines()
        .find(|l| l.contains("accepted"))
        .unwrap();
    assert!(
        line.starts_with("FAIL") && line.contains("UNAUTHORIZED"),
        "{}",
        wrong.stdout
    );
    assert!(
        wrong.stdout.contains('\u{2192}'),
        "advice is given: {}",
        wrong.stdout
    );

    let closed = unreachable_url();
    let down = run(&closed, &["doctor", "-o", "json"]);
    assert_eq!(down.code, 7, "{}", down.stdout);
    let report = down.json();
    assert_eq!(report["ok"], false);
    let answers = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "answers")
        .unwrap();
    assert_eq!(answers["result"], "fail");
    assert!(answers["advice"].as_str().unwrap().contains("proxy"));

    let elsewhere = ok(&closed, &["doctor", "--endpoint", &url]).stdout;
    assert!(elsewhere.contains("(from --endpoint)"), "{elsewhere}");
}

#[test]
fn the_token_comes_from_a_file_or_stdin_never_a_flag() {
    let server = server();
    let url = server.url();
    let dir = scratch("token");
    let file = dir.join("token");
    std::fs::write(&file, format!("  {TOKEN}\n")).unwrap();
    let from_file = finish(
        gameye(&url)
            .env_remove("GAMEYE_API_TOKEN")
            .args(["sessions", "list", "--token-file", file.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);

    let mut child = gameye(&url)
        .env_remove("GAMEYE_API_TOKEN")
        .args(["doctor", "--token-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(TOKEN.as_bytes())
        .unwrap();
    let from_stdin = finish(child.wait_with_output().unwrap());
    assert_eq!(from_stdin.code, 0, "{}", from_stdin.stdout);
    assert!(
        from_stdin.stdout.contains("(from --token-stdin)"),
        "{}",
        from_stdin.stdout
    );

    let flag = run(&url, &["sessions", "list", "--token", "x"]);
    assert_eq!(flag.code, 2);
    assert!(
        flag.stderr.contains("unexpected argument '--token'"),
        "{}",
        flag.stderr
    );
    let help = ok(&url, &["--help"]).stdout;
    assert!(
        help.contains("EXIT CODES") && help.contains("There is no --token flag"),
        "{help}"
    );
    assert!(!help.contains("--token <"), "{help}");
}

#[test]
fn version_and_completions() {
    let short = ok("http://127.0.0.1:9", &["-V"]).stdout;
    assert_eq!(
        short.trim(),
        format!("gameye {}", env!("CARGO_PKG_VERSION"))
    );
    let long = ok("http://127.0.0.1:9", &["--version"]).stdout;
    assert!(
        long.contains(&format!("(library {}", env!("CARGO_PKG_VERSION"))),
        "{long}"
    );
    let verbose = run("http://127.0.0.1:9", &["help"]);
    assert_eq!(verbose.code, 0);
    for shell in ["bash", "zsh", "fish"] {
        let script = ok("http://127.0.0.1:9", &["completions", shell]).stdout;
        assert!(
            script.contains("gameye") && script.contains("sessions") && script.contains("doctor"),
            "{shell}"
        );
    }
}

#[test]
fn endpoint_flags_override_the_environment_and_exclude_each_other() {
    let server = server();
    let url = server.url();
    let closed = unreachable_url();
    // GAMEYE_API_ENDPOINT points nowhere; --endpoint wins.
    let listed = ok(
        &closed,
        &["sessions", "list", "--endpoint", &url, "-o", "json"],
    );
    assert_eq!(listed.json(), serde_json::json!([]));
    let both = run(&url, &["sessions", "list", "--sandbox", "--production"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
    let mixed = run(&url, &["sessions", "list", "--endpoint", &url, "--sandbox"]);
    assert_eq!(mixed.code, 2, "{}", mixed.stderr);
    let zero = run(&url, &["sessions", "list", "--timeout", "0"]);
    assert_eq!(zero.code, 2, "{}", zero.stderr);
}
