//! The Rust client against the emulator, over HTTP: every operation of the core and every
//! documented status of each.

use std::time::Duration;

use gameye::client::{ArtifactOptions, LogEvent};
use gameye::mock::{Fault, MockConfig, MockServer, SeedRequest, TokenRule};
use gameye::{Client, ListOptions, StartOptions, Status};

mod support;

const TOKEN: &str = "test-token";

fn server() -> MockServer {
    MockServer::start(MockConfig::with_token(TOKEN)).expect("mock starts")
}

/// A client that does not retry: these tests check one response at a time (tests/faults.rs
/// covers retries).
fn client_for(server: &MockServer, token: &str) -> Client {
    let mut config = support::client_config(server, token, Duration::from_secs(10));
    config.set_retry(gameye::client::RetryPolicy::NONE).unwrap();
    Client::new(&config).unwrap()
}

/// The error's status and HTTP status.
fn assert_status(error: &gameye::Error, status: Status, http_status: u16) {
    assert_eq!(
        (error.status(), error.http_status()),
        (status, http_status),
        "{error}"
    );
}

fn start(client: &Client, location: &str, image: &str) -> gameye::StartedSession {
    client
        .start_session(&StartOptions::for_image(location, image).unwrap())
        .unwrap()
}

#[test]
fn start_list_describe_stop() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let mut options = StartOptions::for_image("europe", "my-game").unwrap();
    options
        .set_id("match-1")
        .unwrap()
        .set_label("mode", "ffa")
        .unwrap();
    options
        .set_env("MAP", "dust")
        .unwrap()
        .add_arg("--max-players=8")
        .unwrap();
    let started = client.start_session(&options).unwrap();
    assert_eq!(started.id, "match-1");
    assert_eq!(started.host, "127.0.0.1");
    let names: Vec<&str> = started.ports().iter().map(|p| p.name()).collect();
    assert_eq!(names, vec!["7777/udp", "7778/tcp"]);
    assert!(started
        .ports()
        .iter()
        .all(|p| (20000..=30000).contains(&p.host())));

    let list = client.list_sessions(&ListOptions::new()).unwrap();
    assert_eq!(list.len(), 1);
    let session = list.get(0).unwrap();
    assert_eq!(session.id(), "match-1");
    assert_eq!(session.status(), Some("running"));
    assert_eq!(session.tag(), Some("1.1.0"));
    assert_eq!(session.tags().get("mode"), Some("ffa"));
    assert_eq!(session.env().get("MAP"), Some("dust"));
    assert_eq!(session.env().get("GAMEYE_SESSION_ID"), Some("match-1"));
    assert_eq!(session.player_count(), Some(0));
    assert_eq!(session.ports(), started.ports());
    assert!(session.created() > 1_600_000_000_000);

    let described = client.describe_session("match-1").unwrap();
    assert_eq!(described.id(), "match-1");
    assert_eq!(described.players().map(|p| p.joined_count), Some(0));

    client.stop_session("match-1").unwrap();
    assert!(client
        .list_sessions(&ListOptions::new())
        .unwrap()
        .is_empty());
    let mut all = ListOptions::new();
    all.set_all(true);
    let stopped = client.list_sessions(&all).unwrap();
    assert_eq!(stopped.get(0).unwrap().status(), Some("exited"));
    let again = client.stop_session("match-1").unwrap_err();
    assert_status(&again, Status::Conflict, 409);
}

#[test]
fn a_generated_id_is_sent_and_returned() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let started = start(&client, "europe", "nginx");
    assert_eq!(started.id.len(), 36, "a UUID: {}", started.id);
    let request = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["id"], started.id.as_str());
    assert_eq!(
        body.as_object().unwrap().len(),
        3,
        "only id, location, image: {body}"
    );
    assert_eq!(
        request.header("user-agent"),
        Some(gameye::client::USER_AGENT)
    );
}

#[test]
fn a_missing_id_in_the_response_is_the_one_sent() {
    let server = server();
    let client = client_for(&server, TOKEN);
    server.add_fault(Fault {
        status: Some(201),
        body: Some(r#"{"host":"10.0.0.1","ports":[]}"#.into()),
        ..Fault::on("session-run")
    });
    let mut options = StartOptions::for_image("europe", "nginx").unwrap();
    options.set_id("sent-id").unwrap();
    assert_eq!(client.start_session(&options).unwrap().id, "sent-id");
}

#[test]
fn every_list_filter_reaches_the_server() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let a = start(&client, "europe", "nginx");
    let mut labelled = StartOptions::for_image("asia", "my-game").unwrap();
    labelled
        .set_label("mode", "ffa")
        .unwrap()
        .set_version("1.0.0")
        .unwrap();
    let b = client.start_session(&labelled).unwrap();
    let ids = |options: &ListOptions| -> Vec<String> {
        client
            .list_sessions(options)
            .unwrap()
            .iter()
            .map(|s| s.id().to_string())
            .collect()
    };
    let mut o = ListOptions::new();
    o.set_location("europe").unwrap();
    assert_eq!(ids(&o), vec![a.id.to_string()]);
    let mut o = ListOptions::new();
    o.set_image("my-game").unwrap().set_tag("1.0.0").unwrap();
    assert_eq!(ids(&o), vec![b.id.to_string()]);
    let mut o = ListOptions::new();
    o.set_host("127.0.0.3").unwrap();
    assert_eq!(ids(&o), vec![b.id.to_string()]);
    let mut o = ListOptions::new();
    o.add_filter("mode", "ffa").unwrap();
    assert_eq!(ids(&o), vec![b.id.to_string()]);
    let mut o = ListOptions::new();
    o.add_filter("mode", "FFA").unwrap();
    assert!(ids(&o).is_empty(), "filters are case-sensitive");
    let mut o = ListOptions::new();
    o.set_player_count_lt(1);
    assert_eq!(ids(&o).len(), 2);
    let mut o = ListOptions::new();
    o.set_player_count_gt(0);
    assert!(ids(&o).is_empty());
}

#[test]
fn ids_cannot_escape_their_path_segment() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let error = client.describe_session("../x?y#z").unwrap_err();
    assert_eq!(error.status(), Status::NotFound);
    let request = server.requests().pop().unwrap();
    assert_eq!(request.path, "/session/..%2Fx%3Fy%23z");
    assert_eq!(request.query, "");
    assert!(error
        .body()
        .unwrap()
        .details
        .as_deref()
        .unwrap()
        .contains("../x?y#z"));
}

#[test]
fn start_statuses() {
    let config = MockConfig {
        quota: Some(2),
        catalogue: {
            let mut catalogue = gameye::mock::Catalogue::default();
            catalogue.locations[1].capacity = 1;
            catalogue
        },
        ..MockConfig::with_token(TOKEN)
    };
    let server = MockServer::start(config).unwrap();
    let client = client_for(&server, TOKEN);
    let status_of = |options: &StartOptions| client.start_session(options).unwrap_err();

    let unknown = status_of(&StartOptions::for_image("mars", "nginx").unwrap());
    assert_status(&unknown, Status::NotFound, 404);
    let mut bad_version = StartOptions::for_image("europe", "nginx").unwrap();
    bad_version.set_version("9.9").unwrap();
    assert_eq!(status_of(&bad_version).status(), Status::NotFound);

    let mut first = StartOptions::for_image("north-america", "nginx").unwrap();
    first.set_id("dup").unwrap();
    client.start_session(&first).unwrap();
    let duplicate = status_of(&first);
    assert_status(&duplicate, Status::Conflict, 409);
    let full = status_of(&StartOptions::for_image("north-america", "nginx").unwrap());
    assert_status(&full, Status::RateLimited, 420);
    start(&client, "europe", "nginx");
    let quota = status_of(&StartOptions::for_image("europe", "nginx").unwrap());
    assert_status(&quota, Status::QuotaExhausted, 402);

    // 422 with violations: the client checks ttl itself, so send one the server rejects.
    server.add_fault(Fault {
        status: Some(422),
        ..Fault::on("session-run")
    });
    let invalid = status_of(&StartOptions::for_image("europe", "nginx").unwrap());
    assert_status(&invalid, Status::InvalidRequest, 422);
}

#[test]
fn validation_errors_carry_violations() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let mut options = StartOptions::for_image("europe", "nginx").unwrap();
    options.set_label("x", "y").unwrap();
    // The emulator rejects an env value the client would refuse; go around the client's
    // check by injecting the server's own answer shape.
    let error = {
        let agent = ureq::Agent::new_with_defaults();
        let response = agent
            .post(format!("{}/session", server.url()))
            .header("Authorization", format!("Bearer {TOKEN}"))
            .config()
            .http_status_as_error(false)
            .build()
            .send(r#"{"location":"europe","image":"nginx","env":{"A":""},"extra":1}"#)
            .unwrap();
        assert_eq!(response.status().as_u16(), 422);
        response.into_body().read_to_string().unwrap()
    };
    let body: serde_json::Value = serde_json::from_str(&error).unwrap();
    let fields: Vec<&str> = body["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["env.A", "extra"]);
    assert!(client.start_session(&options).is_ok());
}

#[test]
fn auth_statuses() {
    let config = MockConfig {
        tokens: vec![
            TokenRule {
                token: TOKEN.into(),
                scopes: None,
            },
            TokenRule {
                token: "reader".into(),
                scopes: Some(vec!["session:read".into()]),
            },
        ],
        ..MockConfig::default()
    };
    let server = MockServer::start(config).unwrap();
    let wrong = client_for(&server, "wrong-token")
        .list_sessions(&ListOptions::new())
        .unwrap_err();
    assert_status(&wrong, Status::Unauthorized, 401);
    assert!(wrong
        .hint()
        .unwrap_or_default()
        .contains("sandbox and production tokens are not interchangeable"));
    assert!(!wrong.message().contains("sandbox and production"));
    assert!(
        !wrong.message().contains("wrong-token") && !format!("{wrong:?}").contains("wrong-token")
    );
    let body = wrong.body().unwrap();
    for field in [
        &body.code,
        &body.details,
        &body.path,
        &body.timestamp,
        &body.identifier,
    ] {
        assert!(field.is_some());
    }
    let reader = client_for(&server, "reader");
    assert!(reader.list_sessions(&ListOptions::new()).is_ok());
    let forbidden = reader
        .start_session(&StartOptions::for_image("europe", "nginx").unwrap())
        .unwrap_err();
    assert_status(&forbidden, Status::Forbidden, 403);
    let forbidden = reader.stop_session("x").unwrap_err();
    assert_eq!(forbidden.status(), Status::Forbidden);
}

#[test]
fn describe_and_stop_unknown_sessions() {
    let server = server();
    let client = client_for(&server, TOKEN);
    assert_eq!(
        client.describe_session("nope").unwrap_err().status(),
        Status::NotFound
    );
    assert_eq!(
        client.stop_session("nope").unwrap_err().status(),
        Status::NotFound
    );
    assert_eq!(
        client.describe_session("").unwrap_err().status(),
        Status::InvalidArgument
    );
}

#[test]
fn transport_and_decode_failures() {
    let server = server();
    let client = client_for(&server, TOKEN);
    server.add_fault(Fault {
        malformed_json: true,
        times: Some(1),
        ..Fault::on("session-list")
    });
    assert_eq!(
        client
            .list_sessions(&ListOptions::new())
            .unwrap_err()
            .status(),
        Status::Decode
    );
    server.add_fault(Fault {
        status: Some(502),
        content_type: Some("html".into()),
        times: Some(1),
        ..Fault::on("*")
    });
    let proxy = client.list_sessions(&ListOptions::new()).unwrap_err();
    assert_status(&proxy, Status::Server, 502);
    assert!(
        proxy.message().contains("502 from the proxy"),
        "{}",
        proxy.message()
    );
    server
        .seed(&SeedRequest {
            count: 20,
            location: None,
            image: None,
            labels: Default::default(),
            players: 0,
        })
        .unwrap();
    server.add_fault(Fault {
        drop_after_bytes: Some(100),
        times: Some(1),
        ..Fault::on("session-list")
    });
    assert_eq!(
        client
            .list_sessions(&ListOptions::new())
            .unwrap_err()
            .status(),
        Status::Transport
    );
    assert_eq!(client.list_sessions(&ListOptions::new()).unwrap().len(), 20);

    let addr = server.addr();
    drop(server);
    let config = support::config_at(&format!("http://{addr}"), TOKEN);
    let refused = Client::new(&config)
        .unwrap()
        .list_sessions(&ListOptions::new())
        .unwrap_err();
    assert_eq!(refused.status(), Status::Transport);
    assert!(
        refused.message().contains("connection refused"),
        "{}",
        refused.message()
    );
}

#[test]
fn a_slow_server_times_out() {
    let server = server();
    let config = support::client_config(&server, TOKEN, Duration::from_millis(200));
    let client = Client::new(&config).unwrap();
    server.add_fault(Fault {
        delay_ms: Some(2000),
        ..Fault::on("session-list")
    });
    let error = client.list_sessions(&ListOptions::new()).unwrap_err();
    assert_eq!(error.status(), Status::Timeout);
}

#[test]
fn ttl_expires_a_session() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let mut options = StartOptions::for_image("europe", "nginx").unwrap();
    options.set_ttl("1m").unwrap();
    client.start_session(&options).unwrap();
    let list = client.list_sessions(&ListOptions::new()).unwrap();
    assert_eq!(list.len(), 1, "still running within its minute");
    server.advance_clock(Duration::from_secs(61));
    assert!(client
        .list_sessions(&ListOptions::new())
        .unwrap()
        .is_empty());
    let mut all = ListOptions::new();
    all.set_all(true);
    let expired = client.list_sessions(&all).unwrap();
    assert_eq!(expired.get(0).unwrap().status(), Some("exited"));
}

#[test]
fn players_join_and_leave() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let session = start(&client, "europe", "nginx");
    let joined = client.join_session(&session.id, &["p1", "p2"]).unwrap();
    assert_eq!(joined.count, 2);
    assert_eq!(joined.players.iter().collect::<Vec<_>>(), vec!["p1", "p2"]);
    let described = client.describe_session(&session.id).unwrap();
    assert_eq!(described.player_count(), Some(2));
    let left = client.leave_session(&[String::from("p1")]).unwrap();
    assert_eq!((left.count, left.players.len()), (1, 1));
    let request = server.requests().pop().unwrap();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("DELETE", "/session/player/leave")
    );
    assert_eq!(
        request.body, r#"{"players":["p1"]}"#,
        "a JSON body on the DELETE, no session field"
    );

    assert_status(
        &client.join_session("nope", &["p"]).unwrap_err(),
        Status::NotFound,
        404,
    );
    assert_status(
        &client.leave_session(&["nobody"]).unwrap_err(),
        Status::NotFound,
        404,
    );
    let empty: [&str; 0] = [];
    assert_eq!(
        client
            .join_session(&session.id, &empty)
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
    assert_eq!(
        client
            .join_session(&session.id, &["ok", ""])
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
    assert_eq!(
        client.leave_session(&empty).unwrap_err().status(),
        Status::InvalidArgument
    );
    assert_eq!(
        client.join_session("", &["p"]).unwrap_err().status(),
        Status::InvalidArgument
    );
    server.add_fault(Fault {
        status: Some(422),
        times: Some(1),
        ..Fault::on("join-session")
    });
    assert_status(
        &client.join_session(&session.id, &["p"]).unwrap_err(),
        Status::InvalidRequest,
        422,
    );
}

#[test]
fn whole_logs() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let session = start(&client, "europe", "my-game");
    let logs = client.logs(&session.id).unwrap();
    assert!(
        logs.text().contains("starting container"),
        "{}",
        logs.text()
    );
    assert_status(&client.logs("nope").unwrap_err(), Status::NotFound, 404);
    assert_eq!(
        client.logs("").unwrap_err().status(),
        Status::InvalidArgument
    );
}

#[test]
fn followed_logs_end_when_the_session_stops() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let session = start(&client, "europe", "my-game");
    let stream = client
        .follow_logs(&session.id, Some(Duration::from_secs(30)))
        .unwrap();
    let wait = Duration::from_secs(10);
    let next_line = |stream: &gameye::client::LogStream| loop {
        match stream.next(wait).unwrap() {
            LogEvent::Line(line) => return line.to_string(),
            LogEvent::Waiting => continue,
            LogEvent::Ended => panic!("ended early"),
        }
    };
    assert!(next_line(&stream).contains("pulling image"));
    server.write_log(&session.id, "marker line").unwrap();
    while next_line(&stream) != "marker line" {}
    client.stop_session(&session.id).unwrap();
    let mut rest = Vec::new();
    loop {
        match stream.next(wait).unwrap() {
            LogEvent::Line(line) => rest.push(line.to_string()),
            LogEvent::Waiting => continue,
            LogEvent::Ended => break,
        }
    }
    assert!(rest.iter().any(|l| l.contains("SIGTERM")), "{rest:?}");
    assert_eq!(
        stream.next(wait).unwrap(),
        LogEvent::Ended,
        "ended stays ended"
    );
}

#[test]
fn followed_logs_can_be_cancelled_from_another_thread() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server, TOKEN);
    let session = start(&client, "europe", "nginx");
    let stream = std::sync::Arc::new(client.follow_logs(&session.id, None).unwrap());
    // Drain the start lines, then block in next() with nothing coming.
    while let LogEvent::Line(_) = stream.next(Duration::from_millis(200)).unwrap() {}
    let canceller = {
        let stream = stream.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            stream.cancel();
        })
    };
    let error = stream.next(Duration::from_secs(60)).unwrap_err();
    assert_eq!(error.status(), Status::Cancelled);
    canceller.join().unwrap();
    assert_eq!(
        stream.next(Duration::ZERO).unwrap_err().status(),
        Status::Cancelled
    );
}

#[test]
fn followed_logs_fail_after_the_idle_timeout() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server, TOKEN);
    let session = start(&client, "europe", "nginx");
    let stream = client
        .follow_logs(&session.id, Some(Duration::from_millis(300)))
        .unwrap();
    let error = loop {
        match stream.next(Duration::from_secs(10)) {
            Ok(LogEvent::Line(_)) | Ok(LogEvent::Waiting) => continue,
            Ok(LogEvent::Ended) => panic!("the session is still running"),
            Err(error) => break error,
        }
    };
    assert_eq!(error.status(), Status::Timeout, "{error}");
    assert_status(
        &client.follow_logs("nope", None).unwrap_err(),
        Status::NotFound,
        404,
    );
    assert_eq!(
        client
            .follow_logs(&session.id, Some(Duration::ZERO))
            .unwrap_err()
            .status(),
        Status::InvalidArgument
    );
}

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gameye-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn an_artifact_downloads_to_a_writer() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let session = start(&client, "europe", "nginx");
    client.stop_session(&session.id).unwrap();
    let mut archive = Vec::new();
    let written = client
        .download_artifact_to(
            &session.id,
            "/var/log/",
            &mut archive,
            ArtifactOptions::default(),
        )
        .unwrap();
    assert_eq!(written, archive.len() as u64);
    assert_eq!(&archive[..2], [0x1f, 0x8b], "a gzip stream");

    // A writer that fails ends the download with its I/O error.
    struct Closed;
    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let error = client
        .download_artifact_to(&session.id, "/", &mut Closed, ArtifactOptions::default())
        .unwrap_err();
    assert_eq!(error.status(), Status::InvalidArgument, "{error}");
    assert!(
        error.message().contains("cannot write the download"),
        "{error}"
    );
}

#[test]
fn artifacts_download_to_a_file() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let session = start(&client, "europe", "nginx");
    let dir = scratch_dir("artifacts");
    let destination = dir.join("crash.tar.gz");
    let running = client.download_artifact(
        &session.id,
        "/var/log/game.log",
        &destination,
        ArtifactOptions::default(),
    );
    assert_status(&running.unwrap_err(), Status::NotFound, 404);
    assert!(leftovers(&dir).is_empty(), "no file after a failure");

    client.stop_session(&session.id).unwrap();
    server.set_artifact_padding(3 * 1024 * 1024);
    let mut calls = Vec::new();
    let mut progress = |received: u64, total: Option<u64>| {
        calls.push((received, total));
        true
    };
    let options = ArtifactOptions {
        progress: Some(&mut progress),
        ..ArtifactOptions::default()
    };
    let written = client
        .download_artifact(&session.id, "/var/log/game.log", &destination, options)
        .unwrap();
    assert_eq!(std::fs::metadata(&destination).unwrap().len(), written);
    assert!(
        calls.len() > 10 && calls.windows(2).all(|w| w[0].0 < w[1].0),
        "{} calls",
        calls.len()
    );
    assert_eq!(calls.last().unwrap(), &(written, Some(written)));
    let listing = std::process::Command::new("tar")
        .arg("-tzf")
        .arg(&destination)
        .output()
        .unwrap();
    let names = String::from_utf8_lossy(&listing.stdout);
    assert!(
        names.contains("var/log/game.log") && names.contains("padding.bin"),
        "{names}"
    );
    assert_eq!(leftovers(&dir), vec!["crash.tar.gz"]);

    // Over the cap, cancelled by the callback, cut by the server: nothing is left behind.
    std::fs::remove_file(&destination).unwrap();
    let small = ArtifactOptions {
        max_bytes: 1024,
        ..ArtifactOptions::default()
    };
    let error = client
        .download_artifact(&session.id, "/x", &destination, small)
        .unwrap_err();
    assert_eq!(error.status(), Status::Decode, "{error}");
    let mut stop = |_: u64, _: Option<u64>| false;
    let cancelling = ArtifactOptions {
        progress: Some(&mut stop),
        ..ArtifactOptions::default()
    };
    assert_eq!(
        client
            .download_artifact(&session.id, "/x", &destination, cancelling)
            .unwrap_err()
            .status(),
        Status::Cancelled
    );
    server.add_fault(Fault {
        drop_after_bytes: Some(100_000),
        times: Some(1),
        ..Fault::on("artifacts")
    });
    let error = client
        .download_artifact(&session.id, "/x", &destination, ArtifactOptions::default())
        .unwrap_err();
    assert_eq!(error.status(), Status::Transport, "{error}");
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));

    let relative =
        client.download_artifact(&session.id, "x", &destination, ArtifactOptions::default());
    assert_eq!(relative.unwrap_err().status(), Status::InvalidArgument);
    let nowhere = dir.join("missing-dir/a.tar.gz");
    let error = client
        .download_artifact(&session.id, "/x", &nowhere, ArtifactOptions::default())
        .unwrap_err();
    assert_eq!(error.status(), Status::InvalidArgument, "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn available_locations_and_tags() {
    let server = server();
    let client = client_for(&server, TOKEN);
    let locations = client.available_locations("my-game").unwrap();
    let ids: Vec<&str> = locations.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, vec!["europe", "north-america", "asia"]);
    assert_eq!(
        locations.as_slice()[1].ips.iter().collect::<Vec<_>>(),
        vec!["127.0.0.2"]
    );
    assert_status(
        &client.available_locations("doom").unwrap_err(),
        Status::NotFound,
        404,
    );
    assert!(client.tag_exists("europe", "my-game", "1.0.0").unwrap());
    assert!(!client.tag_exists("europe", "my-game", "0.0.1").unwrap());
    assert_status(
        &client.tag_exists("mars", "my-game", "1.0.0").unwrap_err(),
        Status::InvalidRequest,
        400,
    );
    assert_status(
        &client.tag_exists("europe", "doom", "1").unwrap_err(),
        Status::NotFound,
        404,
    );
    assert_eq!(
        client.tag_exists("europe", "", "1").unwrap_err().status(),
        Status::InvalidArgument
    );
    // Segments are encoded: a version with a slash stays one segment.
    assert!(!client.tag_exists("europe", "my-game", "1.0/../x").unwrap());
    assert_eq!(
        server.requests().pop().unwrap().path,
        "/tag/europe/my-game/1.0%2F..%2Fx"
    );
}
