//! `gameye sessions wait|watch` and `sessions start --wait` / `stop --wait`, run as a built binary
//! against the emulator (its lifecycle rules make sessions slow to start, die and exit): each
//! exit code of each command, their output in tables and JSON, Ctrl-C during a wait, and
//! `watch -o json` as NDJSON with one object per event.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gameye::mock::{Lifecycle, MockConfig, MockServer};
use serde_json::Value;
use support::cli::{self, start_args, Run};

const TOKEN: &str = "cli-lifecycle-token-4d2e8b";

fn server() -> MockServer {
    MockServer::start(MockConfig {
        log_interval: Duration::ZERO,
        ..MockConfig::with_token(TOKEN)
    })
    .expect("the emulator starts")
}

fn gameye(url: &str) -> Command {
    cli::gameye(url, TOKEN)
}

fn run(url: &str, args: &[&str]) -> Run {
    cli::finish(gameye(url).args(args).output().expect("gameye runs"), TOKEN)
}

fn expect(url: &str, args: &[&str], code: i32) -> Run {
    let run = run(url, args);
    assert_eq!(
        run.code, code,
        "gameye {args:?}:\n{}\n{}",
        run.stdout, run.stderr
    );
    run
}

fn rule(starting_ms: u64, dies: bool) -> Lifecycle {
    Lifecycle {
        starting_ms,
        dies_while_starting: dies,
        ..Lifecycle::default()
    }
}

#[test]
fn start_wait_prints_the_running_session_or_exits_9_or_10() {
    let server = server();
    let url = server.url();
    server.set_lifecycle(rule(500, false)).unwrap();
    let running = expect(&url, &start_args(&["--wait", "-o", "json"]), 0).json();
    assert_eq!(running["status"], "running");
    assert!(running["ports"][0]["host"].as_u64().unwrap() > 0);
    let table = expect(&url, &start_args(&["--wait"]), 0).stdout;
    assert!(
        table.contains(": running") && table.contains("->"),
        "{table}"
    );

    server.set_lifecycle(rule(60_000, false)).unwrap();
    let slow = expect(
        &url,
        &start_args(&["--wait", "--timeout", "1", "--id", "slow-cli", "-o", "json"]),
        9,
    );
    let error = slow.error();
    assert_eq!(error["status"], "TIMEOUT");
    assert_eq!(error["session_id"], "slow-cli", "the id to stop it by");
    assert_eq!(error["exit_code"], 9);
    expect(&url, &["sessions", "stop", "slow-cli"], 0);

    server.set_lifecycle(rule(300, true)).unwrap();
    let died = expect(&url, &start_args(&["--wait"]), 10);
    assert!(
        died.stderr.contains("SESSION_ENDED") && died.stderr.contains("dead"),
        "{}",
        died.stderr
    );
    assert!(died.stderr.contains("session id"), "{}", died.stderr);
}

#[test]
fn wait_exits_per_outcome() {
    let server = server();
    let url = server.url();
    let running = expect(&url, &start_args(&["-o", "json"]), 0).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let described = expect(
        &url,
        &[
            "sessions", "wait", &running, "--for", "running", "-o", "json",
        ],
        0,
    )
    .json();
    assert_eq!(described["id"], running.as_str());
    assert_eq!(described["status"], "running");
    // Running, waited for ended: the deadline passes.
    let begun = Instant::now();
    expect(
        &url,
        &[
            "sessions",
            "wait",
            &running,
            "--for",
            "ended",
            "--timeout",
            "1",
        ],
        9,
    );
    assert!(begun.elapsed() >= Duration::from_secs(1));
    // Ended: reached; waited for running: ended first.
    expect(&url, &["sessions", "stop", &running], 0);
    let ended = expect(&url, &["sessions", "wait", &running, "--for", "ended"], 0).stdout;
    assert!(ended.contains("exited"), "{ended}");
    expect(
        &url,
        &["sessions", "wait", &running, "--for", "running"],
        10,
    );
    // Gone once ended.
    server
        .set_lifecycle(Lifecycle {
            exits_after_ms: Some(400),
            forget_after_ms: Some(0),
            ..Lifecycle::default()
        })
        .unwrap();
    let fleeting = expect(&url, &start_args(&["-o", "json"]), 0).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let gone = expect(
        &url,
        &[
            "sessions", "wait", &fleeting, "--for", "ended", "-o", "json",
        ],
        0,
    )
    .json();
    assert_eq!(gone["gone"], true);
    // Never existed; bad usage.
    expect(
        &url,
        &["sessions", "wait", "no-such-session", "--for", "running"],
        4,
    );
    expect(&url, &["sessions", "wait", &running], 2);
    expect(&url, &["sessions", "wait", &running, "--for", "later"], 2);
}

#[test]
fn stop_wait_ends_once_ended_and_reports_each_session() {
    let server = server();
    let url = server.url();
    let id = expect(&url, &start_args(&["-o", "json"]), 0).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stopped = expect(&url, &["sessions", "stop", &id, "--wait"], 0).stdout;
    assert!(stopped.contains("ended"), "{stopped}");
    // Already stopped: waited for all the same; an unknown one fails with 4, after the others.
    let both = expect(
        &url,
        &[
            "sessions",
            "stop",
            "no-such-session",
            &id,
            "--wait",
            "-o",
            "json",
        ],
        4,
    )
    .json();
    assert_eq!(both[0]["stopped"], false);
    assert_eq!(both[0]["error"]["status"], "NOT_FOUND");
    assert_eq!(both[1]["ended"], true);
}

#[test]
fn a_wait_ends_on_sigint_with_status_130() {
    let server = server();
    let url = server.url();
    server.set_lifecycle(rule(60_000, false)).unwrap();
    let id = expect(&url, &start_args(&["-o", "json"]), 0).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut child = gameye(&url)
        .args([
            "sessions",
            "wait",
            &id,
            "--for",
            "running",
            "--timeout",
            "60",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let begun = Instant::now();
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if begun.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("the wait did not end on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130));
    expect(&url, &["sessions", "stop", &id], 0);
}

#[test]
fn watch_prints_one_ndjson_object_per_event() {
    let server = server();
    let url = server.url();
    let mut child = gameye(&url)
        .args([
            "sessions",
            "watch",
            "--interval",
            "0.25",
            "--limit",
            "4",
            "-o",
            "json",
        ])
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
    let next = || -> Value {
        let line = lines
            .recv_timeout(Duration::from_secs(10))
            .expect("an event");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    };
    let id = expect(&url, &start_args(&["-o", "json"]), 0).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let added = next();
    assert_eq!(added["event"], "added");
    assert_eq!(added["session"]["id"], id.as_str());
    assert_eq!(added["previous"], Value::Null);
    expect(&url, &["players", "join", &id, "alice"], 0);
    let changed = next();
    assert_eq!(changed["event"], "changed");
    assert_eq!(changed["changes"], serde_json::json!(["player_count"]));
    assert_eq!(changed["session"]["player_count"], 1);
    assert_eq!(changed["previous"]["player_count"], 0);
    let other = expect(&url, &start_args(&["-o", "json"]), 0).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(next()["session"]["id"], other.as_str());
    expect(&url, &["sessions", "stop", &id], 0);
    let removed = next();
    assert_eq!(
        (removed["event"].as_str(), removed["session"]["id"].as_str()),
        (Some("removed"), Some(id.as_str()))
    );
    // --limit 4: it exits by itself.
    let begun = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            begun.elapsed() < Duration::from_secs(5),
            "watch did not exit after --limit"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    // Tables: one line per event; a bad interval is a usage error.
    let table = expect(&url, &["sessions", "watch", "--limit", "1"], 0).stdout;
    assert!(
        table.starts_with("added") && table.contains(&other),
        "{table}"
    );
    assert_eq!(table.lines().count(), 1);
    expect(&url, &["sessions", "watch", "--interval", "0.1"], 2);
    expect(&url, &["sessions", "stop", &other], 0);
}
