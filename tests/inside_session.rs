//! The emulator running real servers (`--run`), and the example dedicated server
//! (examples/c/server.c) inside it: a matchmaker starts it, players connect, it reports them and
//! stops its own session. Every process a test starts is ended by its id; all on loopback.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use gameye::mock::{Fault, MockConfig, MockServer, RunCommand};
use gameye::{Client, ListOptions, StartOptions};

mod support;
use support::{root, Flavour};

const TOKEN: &str = "studio-token";

fn example_server() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let source = root().join("examples/c/server.c");
            support::compile(
                "gcc",
                &[&source],
                &["-std=c11", "-pedantic"],
                Flavour::Plain,
                "example-server",
            )
        })
        .clone()
}

fn example_server_cpp() -> PathBuf {
    let source = root().join("examples/cpp/server.cpp");
    let include = format!("-I{}", root().join("bindings/cpp").display());
    support::compile(
        "g++",
        &[&source],
        &["-std=c++17", "-pedantic", "-fno-exceptions", &include],
        Flavour::Plain,
        "example-server-cpp",
    )
}

fn emulator(run: Vec<RunCommand>, grace: Duration) -> MockServer {
    MockServer::start(MockConfig {
        run,
        stop_grace: grace,
        log_interval: Duration::ZERO,
        ..MockConfig::with_token(TOKEN)
    })
    .expect("the emulator starts")
}

fn run_of(image: &str, argv: &[&str]) -> RunCommand {
    RunCommand {
        image: image.into(),
        argv: argv.iter().map(|s| s.to_string()).collect(),
    }
}

fn client(server: &MockServer) -> Client {
    Client::new(&support::client_config(
        server,
        TOKEN,
        Duration::from_secs(10),
    ))
    .unwrap()
}

/// Waits until `ready` holds, up to `limit`.
fn eventually(limit: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn logs(client: &Client, session: &str) -> String {
    String::from_utf8_lossy(client.logs(session).unwrap().as_bytes()).into_owned()
}

/// The pid a process printed as "(pid N)" or "pid N" in its log.
fn pid_in(log: &str) -> Option<i32> {
    let at = log.find("pid ")?;
    log[at + 4..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

fn alive(pid: i32) -> bool {
    // A zombie is gone for our purposes: it runs nothing.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

fn kill(pid: i32, signal: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status();
}

fn running(client: &Client, session: &str) -> bool {
    client
        .list_sessions(&ListOptions::new())
        .unwrap()
        .iter()
        .any(|s| s.id() == session)
}

fn player_count(client: &Client, session: &str) -> Option<i64> {
    let list = client.list_sessions(&ListOptions::new()).unwrap();
    let session = list.iter().find(|s| s.id() == session)?;
    session.player_count()
}

/// A player: connects, says hello, waits for the welcome.
fn connect(port: u16, player: &str) -> TcpStream {
    let deadline = Instant::now() + Duration::from_secs(10);
    let stream = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(stream) => break stream,
            Err(e) => {
                assert!(Instant::now() < deadline, "cannot reach the server: {e}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    (&stream)
        .write_all(format!("HELLO {player}\n").as_bytes())
        .unwrap();
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line).unwrap();
    assert_eq!(line, format!("WELCOME {player}\n"));
    stream
}

fn start_server(client: &Client, image: &str) -> (String, u16) {
    let mut options = StartOptions::for_image("europe", image).unwrap();
    // The server's own token travels in its env (see the README's token advice).
    options.set_env("GAMEYE_API_TOKEN", TOKEN).unwrap();
    let started = client.start_session(&options).unwrap();
    let port = started.ports().iter().next().expect("a port").host();
    (started.id.to_string(), port)
}

#[test]
fn a_matchmaker_starts_the_example_server_and_it_reports_and_stops_itself() {
    let program = example_server();
    let server = emulator(
        vec![run_of("example-server", &[program.to_str().unwrap()])],
        Duration::from_secs(5),
    );
    let client = client(&server);
    let (session, port) = start_server(&client, "example-server");
    let players: Vec<TcpStream> = ["ana", "bo", "cy"]
        .iter()
        .map(|p| connect(port, p))
        .collect();
    eventually(Duration::from_secs(10), "playerCount 3", || {
        player_count(&client, &session) == Some(3)
    });
    let described = client.describe_session(&session).unwrap();
    let mut joined: Vec<&str> = described.players().unwrap().joined.iter().collect();
    joined.sort();
    assert_eq!(joined, ["ana", "bo", "cy"]);
    let pid = pid_in(&logs(&client, &session)).expect("the server printed its pid");
    assert!(alive(pid));

    // The players leave one by one; the last one out ends the match.
    for (stream, name) in players.into_iter().zip(["ana", "bo", "cy"]) {
        drop(stream);
        eventually(Duration::from_secs(10), "the leave in the log", || {
            logs(&client, &session).contains(&format!("server: player {name} left"))
        });
    }
    eventually(Duration::from_secs(10), "the session to end", || {
        !running(&client, &session)
    });
    eventually(Duration::from_secs(10), "the server to exit", || {
        !alive(pid)
    });
    let log = logs(&client, &session);
    let lines: Vec<&str> = log.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "server: session {session} listening on port {port}"
        )),
        "{log}"
    );
    for expected in [
        "server: player ana joined",
        "server: player bo joined",
        "server: player cy joined",
        "server: player ana left",
        "server: player bo left",
        "server: player cy left",
        "server: the last player left",
        "server: match over, session stopped",
    ] {
        assert!(
            lines.contains(&expected),
            "{expected:?} missing from\n{log}"
        );
    }
    // Nothing but the process's own output.
    assert!(
        lines.iter().all(|l| l.starts_with("server: ")),
        "lines not from the server:\n{log}"
    );
    // It stopped itself (DELETE /session/{id}) after reporting every leave.
    let calls: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let stop = calls
        .iter()
        .rposition(|c| c == &format!("DELETE /session/{session}"))
        .expect("the server stopped its session");
    let last_leave = calls
        .iter()
        .rposition(|c| c == "DELETE /session/player/leave")
        .expect("leaves were reported");
    assert!(last_leave < stop, "{calls:#?}");
}

#[test]
fn under_faults_the_servers_roster_converges_and_sigterm_flushes_within_the_deadline() {
    let program = example_server();
    let server = emulator(
        vec![run_of("example-server", &[program.to_str().unwrap()])],
        Duration::from_secs(5),
    );
    let client = client(&server);
    let (session, port) = start_server(&client, "example-server");
    for fault in [
        Fault {
            status: Some(503),
            times: Some(2),
            ..Fault::on("join-session")
        },
        Fault {
            drop_after_bytes: Some(0),
            times: Some(1),
            ..Fault::on("join-session")
        },
        Fault {
            status: Some(502),
            times: Some(2),
            ..Fault::on("leave-session")
        },
        Fault {
            delay_ms: Some(300),
            times: Some(2),
            ..Fault::on("leave-session")
        },
    ] {
        server.add_fault(fault);
    }
    let a = connect(port, "a");
    let b = connect(port, "b");
    let _c = connect(port, "c");
    drop(a);
    let _d = connect(port, "d");
    drop(b);
    eventually(Duration::from_secs(20), "the roster to converge", || {
        let described = client.describe_session(&session).unwrap();
        let mut joined: Vec<&str> = described.players().unwrap().joined.iter().collect();
        joined.sort();
        joined == ["c", "d"]
    });
    // No leave of a player went out before its join.
    let mut joined = std::collections::HashSet::new();
    for request in server.requests() {
        let body: serde_json::Value = match serde_json::from_str(&request.body) {
            Ok(body) => body,
            Err(_) => continue,
        };
        let players = body["players"].as_array().cloned().unwrap_or_default();
        for player in players.iter().filter_map(|p| p.as_str()) {
            match request.path.as_str() {
                "/session/player/join" => {
                    joined.insert(player.to_owned());
                }
                "/session/player/leave" => assert!(joined.contains(player), "leave before join"),
                _ => {}
            }
        }
    }

    // SIGTERM while a join is slow on the wire: the server flushes within its 5 s deadline.
    server.add_fault(Fault {
        delay_ms: Some(700),
        times: Some(1),
        ..Fault::on("join-session")
    });
    let _e = connect(port, "e");
    let pid = pid_in(&logs(&client, &session)).unwrap();
    std::thread::sleep(Duration::from_millis(250));
    let signalled = Instant::now();
    kill(pid, "TERM");
    eventually(Duration::from_secs(8), "the server to exit", || !alive(pid));
    assert!(signalled.elapsed() < Duration::from_secs(6));
    let log = logs(&client, &session);
    assert!(
        log.contains("server: stopping, every player reported"),
        "{log}"
    );
    // Its exit ended the session; e was reported before it.
    eventually(
        Duration::from_secs(5),
        "the exit to end the session",
        || !running(&client, &session),
    );
    let described = client.describe_session(&session).unwrap();
    assert!(described.players().unwrap().joined.iter().any(|p| p == "e"));
}

#[test]
fn the_grace_period_ends_a_process_that_ignores_sigterm_and_artifacts_come_from_its_directory() {
    let script = "trap '' TERM; echo \"pid $$\"; echo crash > core.txt; mkdir -p logs; \
                  echo one > logs/a.log; echo \"to stderr\" >&2; exec sleep 60";
    let server = emulator(
        vec![run_of("stubborn", &["sh", "-c", script])],
        Duration::from_millis(500),
    );
    let client = client(&server);
    let (session, _) = start_server(&client, "stubborn");
    eventually(Duration::from_secs(10), "the process's output", || {
        let log = logs(&client, &session);
        log.contains("pid ") && log.contains("to stderr")
    });
    let pid = pid_in(&logs(&client, &session)).unwrap();
    // Two sessions of one image run side by side on different ports.
    let (second, _) = start_server(&client, "stubborn");
    // A followed log has the process's output, and ends when the process is gone.
    let stream = client
        .follow_logs(&session, Some(Duration::from_secs(10)))
        .unwrap();
    let stopped = Instant::now();
    client.stop_session(&session).unwrap();
    let mut followed = Vec::new();
    loop {
        match stream.next(Duration::from_secs(10)).unwrap() {
            gameye::client::LogEvent::Line(line) => followed.push(line.as_str().to_owned()),
            gameye::client::LogEvent::Waiting => panic!("the followed log did not end"),
            gameye::client::LogEvent::Ended => break,
        }
    }
    assert!(followed.iter().any(|l| l == "to stderr"), "{followed:?}");
    // The kernel closes a dying process's pipes a moment before it turns into a zombie: the
    // log may end in that moment, never while the process still runs.
    eventually(
        Duration::from_millis(500),
        "the process gone as its log ended",
        || !alive(pid),
    );
    eventually(Duration::from_secs(5), "SIGKILL after the grace", || {
        !alive(pid)
    });
    let took = stopped.elapsed();
    assert!(
        took >= Duration::from_millis(400),
        "ended after {took:?}: SIGTERM was not ignored?"
    );
    let dir = support::build_dir().join("stubborn-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    let archive = dir.join("logs.tar.gz");
    client
        .download_artifact(&session, "/logs/", &archive, Default::default())
        .unwrap();
    let listing = Command::new("tar")
        .arg("-tzf")
        .arg(&archive)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(listing.contains("logs/a.log"), "{listing}");
    let escape =
        client.download_artifact(&session, "/../../etc/passwd", &archive, Default::default());
    assert_eq!(escape.unwrap_err().status(), gameye::Status::NotFound);
    assert!(running(&client, &second));
    let second_pid = pid_in(&logs(&client, &second)).unwrap();
    drop(client);
    // Dropping the emulator ends the other process too.
    drop(server);
    assert!(!alive(second_pid), "a child outlived the emulator");
}

#[test]
fn no_child_outlives_the_emulator_even_killed_outright() {
    let binary = env!("CARGO_BIN_EXE_gameye-mock");
    let mut mock = Command::new(binary)
        .args([
            "--token",
            TOKEN,
            "--run",
            "sleeper=sh -c 'echo \"pid $$\"; exec sleep 60'",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(mock.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let client = Client::new(&support::config_at(&url, TOKEN)).unwrap();
    let (session, _) = start_server(&client, "sleeper");
    eventually(Duration::from_secs(10), "the child's pid", || {
        pid_in(&logs(&client, &session)).is_some()
    });
    let child = pid_in(&logs(&client, &session)).unwrap();
    assert!(alive(child));
    drop(client);
    // SIGKILL: the emulator cannot clean up; the parent-death signal ends the child.
    mock.kill().unwrap();
    mock.wait().unwrap();
    eventually(
        Duration::from_secs(5),
        "the child to die with the emulator",
        || !alive(child),
    );

    // SIGTERM: the emulator ends its children before it exits.
    let mut mock = Command::new(binary)
        .args([
            "--token",
            TOKEN,
            "--run",
            "sleeper=sh -c 'echo \"pid $$\"; exec sleep 60'",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(mock.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let client = Client::new(&support::config_at(&url, TOKEN)).unwrap();
    let (session, _) = start_server(&client, "sleeper");
    eventually(Duration::from_secs(10), "the child's pid", || {
        pid_in(&logs(&client, &session)).is_some()
    });
    let child = pid_in(&logs(&client, &session)).unwrap();
    drop(client);
    kill(mock.id() as i32, "TERM");
    let status = mock.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(!alive(child), "a child outlived the emulator");
}

#[test]
fn the_cpp_example_server_reports_its_players_and_ends_the_match() {
    let program = example_server_cpp();
    let server = emulator(
        vec![run_of("example-server", &[program.to_str().unwrap()])],
        Duration::from_secs(5),
    );
    let client = client(&server);
    let (session, port) = start_server(&client, "example-server");
    let mut ana = connect(port, "ana");
    let _bo = connect(port, "bo");
    eventually(Duration::from_secs(10), "playerCount 2", || {
        player_count(&client, &session) == Some(2)
    });
    let pid = pid_in(&logs(&client, &session)).unwrap();
    ana.write_all(b"MATCH OVER\n").unwrap();
    eventually(Duration::from_secs(10), "the session to end", || {
        !running(&client, &session)
    });
    eventually(Duration::from_secs(10), "the server to exit", || {
        !alive(pid)
    });
    let log = logs(&client, &session);
    assert!(log.contains("server: match over, session stopped"), "{log}");
}
