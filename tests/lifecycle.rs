//! Waiting for sessions and watching them, from Rust: the poll schedule read from the emulator's
//! request log (never faster than the floor, Retry-After honoured, nothing past the deadline),
//! start-and-wait keeping the safe-start rules, and a watch under churn seeing each change of
//! each session exactly once and in order. The C suite (tests/c/test_lifecycle.c) covers every
//! outcome through the C ABI.

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use gameye::client::RetryPolicy;
use gameye::mock::{Fault, Lifecycle, MockConfig, MockServer, RecordedRequest};
use gameye::{Client, SessionState, StartOptions, Status, WatchEventKind, WatchOptions};
use support::client_config;

const TOKEN: &str = "lifecycle-token";

fn server() -> MockServer {
    MockServer::start(MockConfig {
        log_interval: Duration::ZERO,
        ..MockConfig::with_token(TOKEN)
    })
    .expect("the emulator starts")
}

fn client(server: &MockServer) -> Client {
    Client::new(&client_config(server, TOKEN, Duration::from_secs(5))).unwrap()
}

fn europe() -> StartOptions {
    StartOptions::for_image("europe", "my-game").unwrap()
}

fn slow_start(ms: u64) -> Lifecycle {
    Lifecycle {
        starting_ms: ms,
        ..Lifecycle::default()
    }
}

/// The describes of `id` the server received, in order.
fn looks_at(server: &MockServer, id: &str) -> Vec<RecordedRequest> {
    let path = format!("/session/{id}");
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == path)
        .collect()
}

fn gaps(looks: &[RecordedRequest]) -> Vec<Duration> {
    looks
        .windows(2)
        .map(|w| w[1].received.duration_since(w[0].received))
        .collect()
}

#[test]
fn looks_follow_the_schedule_and_never_come_faster_than_the_floor() {
    let server = server();
    let client = client(&server);
    server.set_lifecycle(slow_start(4_500)).unwrap();
    let started = client.start_session(&europe()).unwrap();
    let session = client
        .wait_for_session(&started.id, SessionState::Running, Duration::from_secs(15))
        .unwrap()
        .expect("a running session");
    assert_eq!(session.status(), Some("running"));
    let looks = looks_at(&server, &started.id);
    let gaps = gaps(&looks);
    // 0, +250, +500, +1000, +2000, +2000: the sixth look (at about 5.75 s) sees it running.
    assert!(
        (5..=7).contains(&gaps.len()),
        "{} looks for a 4.5 s start: {gaps:?}",
        looks.len()
    );
    let floor = Duration::from_millis(240); // the server's clock reads a little late at times
    assert!(
        gaps.iter().all(|g| *g >= floor),
        "a gap under the floor: {gaps:?}"
    );
    assert!(gaps[0] < Duration::from_millis(450), "fast first: {gaps:?}");
    assert!(
        gaps[1] >= Duration::from_millis(490),
        "then backing off: {gaps:?}"
    );
    assert!(
        gaps.iter().all(|g| *g < Duration::from_millis(2_400)),
        "never slower than the ceiling: {gaps:?}"
    );
    client.stop_session(&started.id).unwrap();
}

#[test]
fn a_retry_after_sets_the_next_look_and_one_past_the_deadline_ends_the_wait() {
    let server = server();
    let client = client(&server);
    server.set_lifecycle(slow_start(60_000)).unwrap();
    let started = client.start_session(&europe()).unwrap();
    server.add_fault(Fault {
        status: Some(503),
        times: Some(1),
        retry_after: Some("2".into()),
        ..Fault::on("describe-session")
    });
    let result = client.wait_for_session(
        &started.id,
        SessionState::Running,
        Duration::from_millis(3_300),
    );
    assert_eq!(result.unwrap_err().status(), Status::Timeout);
    let looks = looks_at(&server, &started.id);
    let gaps = gaps(&looks);
    assert!(
        gaps[0] >= Duration::from_millis(1_990),
        "the look after a Retry-After of 2 s: {gaps:?}"
    );
    // A Retry-After that ends after the deadline: the server's answer is the result, at once.
    server.add_fault(Fault {
        status: Some(429),
        times: Some(1),
        retry_after: Some("30".into()),
        ..Fault::on("describe-session")
    });
    let begun = Instant::now();
    let error = client
        .wait_for_session(&started.id, SessionState::Running, Duration::from_secs(10))
        .unwrap_err();
    assert_eq!(error.status(), Status::RateLimited);
    assert!(begun.elapsed() < Duration::from_secs(1));
    client.stop_session(&started.id).unwrap();
}

#[test]
fn a_failing_api_is_looked_at_again_until_the_deadline_and_reported_as_it_failed() {
    let server = server();
    let client = client(&server);
    let started = client.start_session(&europe()).unwrap();
    server.add_fault(Fault {
        status: Some(502),
        ..Fault::on("describe-session")
    });
    let begun = Instant::now();
    let error = client
        .wait_for_session(
            &started.id,
            SessionState::Running,
            Duration::from_millis(1_500),
        )
        .unwrap_err();
    assert_eq!(error.status(), Status::Server, "{error:?}");
    assert!(begun.elapsed() >= Duration::from_millis(1_400));
    assert!(begun.elapsed() < Duration::from_millis(2_500));
    let looks = looks_at(&server, &started.id);
    assert!(looks.len() >= 3, "looked again: {}", looks.len());
    server.clear_faults();
    // A look the server holds past the deadline is cut there: no request outlasts the wait.
    server.add_fault(Fault {
        delay_ms: Some(4_000),
        ..Fault::on("describe-session")
    });
    let begun = Instant::now();
    let error = client
        .wait_for_session(
            &started.id,
            SessionState::Running,
            Duration::from_millis(800),
        )
        .unwrap_err();
    assert_eq!(error.status(), Status::Timeout);
    assert!(
        begun.elapsed() < Duration::from_millis(1_800),
        "{:?}",
        begun.elapsed()
    );
    server.clear_faults();
    client.stop_session(&started.id).unwrap();
}

#[test]
fn start_and_wait_reports_the_id_it_sent_on_every_failure_after_the_start() {
    let server = server();
    let mut config = client_config(&server, TOKEN, Duration::from_secs(5));
    config
        .set_retry(RetryPolicy {
            retries: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
        })
        .unwrap();
    let client = Client::new(&config).unwrap();
    // The start's answer is lost once; the retry resolves it by the id; then the wait times out.
    server.set_lifecycle(slow_start(60_000)).unwrap();
    server.add_fault(Fault {
        drop_after_bytes: Some(10),
        times: Some(1),
        ..Fault::on("session-run")
    });
    let error = client
        .start_session_and_wait(&europe(), Duration::from_secs(1))
        .unwrap_err();
    assert_eq!(error.status(), Status::Timeout);
    let id = error.session_id().expect("the id it sent").to_owned();
    let starts = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/session")
        .count();
    assert_eq!(starts, 2, "sent again after the lost answer");
    let session = client.describe_session(&id).unwrap();
    assert_eq!(
        session.status(),
        Some("created"),
        "one session, still starting"
    );
    client.stop_session(&id).unwrap();
    // A start the server refused names the id it carried too, and nothing was waited for.
    server.add_fault(Fault {
        status: Some(422),
        times: Some(1),
        ..Fault::on("session-run")
    });
    let mut named = europe();
    named.set_id("refused-one").unwrap();
    let refused = client
        .start_session_and_wait(&named, Duration::from_secs(1))
        .unwrap_err();
    assert_eq!(refused.status(), Status::InvalidRequest);
    assert_eq!(refused.session_id(), Some("refused-one"));
    assert!(looks_at(&server, "refused-one").is_empty());
}

#[test]
fn stop_and_wait_ends_once_the_session_has_ended_and_artifacts_can_be_read() {
    let server = server();
    let client = client(&server);
    let started = client.start_session(&europe()).unwrap();
    client
        .stop_session_and_wait(&started.id, Duration::from_secs(10))
        .unwrap();
    let archive =
        std::env::temp_dir().join(format!("gameye-lifecycle-{}.tar.gz", std::process::id()));
    let bytes = client
        .download_artifact(&started.id, "/", &archive, Default::default())
        .unwrap();
    assert!(bytes > 0);
    std::fs::remove_file(&archive).unwrap();
}

/// What a watch saw of each session, in order.
fn record(events: &mut HashMap<String, Vec<String>>, event: &gameye::WatchEvent) {
    let session = event.session();
    let seen = match event.kind() {
        WatchEventKind::Added => format!("added {}", session.status().unwrap_or("-")),
        WatchEventKind::Changed => format!(
            "changed {} {}",
            session.status().unwrap_or("-"),
            session.player_count().unwrap_or(-1)
        ),
        WatchEventKind::Removed => "removed".to_owned(),
    };
    events
        .entry(session.id().to_owned())
        .or_default()
        .push(seen);
}

#[test]
fn a_watch_under_churn_sees_each_change_of_each_session_once_and_in_order() {
    let server = server();
    let client = client(&server);
    let mut options = WatchOptions::new();
    options.set_interval(Duration::from_millis(250)).unwrap();
    let watch = client.watch_sessions(&options).unwrap();
    let mut events = HashMap::new();
    let drain = |events: &mut HashMap<String, Vec<String>>, until: Instant| {
        while Instant::now() < until {
            if let Some(event) = watch.next(Duration::from_millis(50)).unwrap() {
                record(events, &event);
            }
        }
    };
    let mut ids = Vec::new();
    for round in 0..4 {
        let id = format!("churn-{round}");
        let mut start = europe();
        start.set_id(&id).unwrap();
        client.start_session(&start).unwrap();
        drain(&mut events, Instant::now() + Duration::from_millis(600));
        client.join_session(&id, &[format!("p{round}")]).unwrap();
        drain(&mut events, Instant::now() + Duration::from_millis(600));
        ids.push(id);
    }
    for id in &ids {
        client.stop_session(id).unwrap();
    }
    drain(&mut events, Instant::now() + Duration::from_millis(1_000));
    for id in &ids {
        assert_eq!(
            events.get(id).map(Vec::as_slice).unwrap_or_default(),
            ["added running", "changed running 1", "removed"],
            "{id}"
        );
    }
    assert_eq!(
        events.len(),
        ids.len(),
        "no event for anything else: {events:?}"
    );
    assert!(watch.last_failure().is_none());
}

#[test]
fn a_watch_nobody_reads_stops_polling_and_loses_nothing() {
    let server = server();
    let client = client(&server);
    let mut options = WatchOptions::new();
    options.set_interval(Duration::from_millis(250)).unwrap();
    let first = client.start_session(&europe()).unwrap();
    let watch = client.watch_sessions(&options).unwrap();
    std::thread::sleep(Duration::from_millis(1_500));
    // One poll, its event unread: no second poll came.
    assert_eq!(watch.polls(), 1);
    let second = client.start_session(&europe()).unwrap();
    let event = watch.next(Duration::from_secs(5)).unwrap().unwrap();
    assert_eq!(
        (event.kind(), event.session().id()),
        (WatchEventKind::Added, &*first.id)
    );
    let event = watch.next(Duration::from_secs(5)).unwrap().unwrap();
    assert_eq!(
        (event.kind(), event.session().id()),
        (WatchEventKind::Added, &*second.id)
    );
    // Dropped while a poll is held on the wire: it is interrupted, not waited for.
    server.add_fault(Fault {
        delay_ms: Some(5_000),
        ..Fault::on("session-list")
    });
    std::thread::sleep(Duration::from_millis(600));
    let begun = Instant::now();
    drop(watch);
    assert!(
        begun.elapsed() < Duration::from_millis(800),
        "{:?}",
        begun.elapsed()
    );
}

#[test]
fn a_watch_outlives_its_client_and_its_events_outlive_the_watch() {
    let server = server();
    let client = client(&server);
    let started = client.start_session(&europe()).unwrap();
    let watch = client.watch_sessions(&WatchOptions::new()).unwrap();
    drop(client);
    let event = watch.next(Duration::from_secs(5)).unwrap().unwrap();
    drop(watch);
    assert_eq!(event.session().id(), &*started.id);
    assert_eq!(event.session().status(), Some("running"));
}
