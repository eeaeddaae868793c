//! The fault suite: every fault the emulator can inject ends in its documented status, within
//! its timeout plus a margin; retries win over transient failures and stop where they should;
//! the limits and timeouts each take effect. (The bound on elapsed time checks that nothing
//! hangs; it is generous, not a performance assertion.)

use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gameye::client::{LogLevel, RetryPolicy};
use gameye::mock::{Fault, MockConfig, MockServer, SeedRequest};
use gameye::{Client, ClientConfig, ListOptions, StartOptions, Status};

mod support;

const TOKEN: &str = "fault-token";
const MARGIN: Duration = Duration::from_secs(5);

fn fast_retries(retries: u32) -> RetryPolicy {
    RetryPolicy {
        retries,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    }
}

fn config_for(server: &MockServer, retry: RetryPolicy) -> ClientConfig {
    let mut config = support::client_config(server, TOKEN, Duration::from_secs(10));
    config.set_retry(retry).unwrap();
    config
}

fn server() -> MockServer {
    MockServer::start(MockConfig::with_token(TOKEN)).unwrap()
}

fn seed(server: &MockServer, count: usize) {
    server
        .seed(&SeedRequest {
            count,
            location: None,
            image: None,
            labels: Default::default(),
            players: 0,
        })
        .unwrap();
}

/// Runs `call`, checks its status and that it ended within `limit` plus the margin.
fn ends_in<T: std::fmt::Debug>(
    status: Status,
    limit: Duration,
    call: impl FnOnce() -> Result<T, gameye::Error>,
) -> gameye::Error {
    let started = Instant::now();
    let error = call().expect_err("the call fails");
    assert_eq!(error.status(), status, "{error}");
    assert!(
        started.elapsed() < limit + MARGIN,
        "took {:?}",
        started.elapsed()
    );
    error
}

#[test]
fn a_server_error_then_success_the_retry_wins() {
    let server = server();
    let client = Client::new(&config_for(&server, fast_retries(2))).unwrap();
    server.add_fault(Fault {
        status: Some(503),
        times: Some(2),
        ..Fault::on("session-list")
    });
    assert!(client.list_sessions(&ListOptions::new()).is_ok());
    assert_eq!(server.requests().len(), 3, "two failures, then the success");
}

#[test]
fn no_capacity_then_success_the_retry_wins() {
    let server = server();
    let client = Client::new(&config_for(&server, fast_retries(2))).unwrap();
    for status in [420, 429] {
        server.add_fault(Fault {
            status: Some(status),
            times: Some(1),
            ..Fault::on("session-run")
        });
        let started = client.start_session(&StartOptions::for_image("europe", "nginx").unwrap());
        assert!(started.is_ok(), "after {status}: {started:?}");
    }
}

#[test]
fn retries_stop_when_spent_and_say_how_many_attempts() {
    let server = server();
    let client = Client::new(&config_for(&server, fast_retries(3))).unwrap();
    server.add_fault(Fault {
        status: Some(502),
        content_type: Some("html".into()),
        ..Fault::on("session-list")
    });
    let error = ends_in(Status::Server, Duration::from_secs(1), || {
        client.list_sessions(&ListOptions::new())
    });
    assert_eq!(error.attempts(), 4);
    assert!(
        error
            .hint()
            .unwrap_or_default()
            .contains("Gave up after 4 attempts"),
        "{:?}",
        error.hint()
    );
    assert_eq!(error.http_status(), 502);
}

#[test]
fn only_transient_failures_are_retried_and_join_leave_never() {
    let server = server();
    let client = Client::new(&config_for(&server, fast_retries(3))).unwrap();
    let error = client.describe_session("missing").unwrap_err();
    assert_eq!((error.status(), error.attempts()), (Status::NotFound, 1));
    let session = client
        .start_session(&StartOptions::for_image("europe", "nginx").unwrap())
        .unwrap();
    server.add_fault(Fault {
        status: Some(503),
        times: Some(1),
        ..Fault::on("join-session")
    });
    let error = client.join_session(&session.id, &["p"]).unwrap_err();
    assert_eq!((error.status(), error.attempts()), (Status::Server, 1));
    server.add_fault(Fault {
        status: Some(503),
        times: Some(1),
        ..Fault::on("leave-session")
    });
    assert_eq!(client.leave_session(&["p"]).unwrap_err().attempts(), 1);
    let off = client.with_retry(RetryPolicy::NONE).unwrap();
    server.add_fault(Fault {
        status: Some(503),
        times: Some(1),
        ..Fault::on("session-list")
    });
    assert_eq!(
        off.list_sessions(&ListOptions::new())
            .unwrap_err()
            .attempts(),
        1,
        "per-call policy"
    );
    assert!(client.list_sessions(&ListOptions::new()).is_ok());
}

#[test]
fn a_retried_start_never_allocates_twice() {
    let server = server();
    let client = Client::new(&config_for(&server, fast_retries(2))).unwrap();
    // The session is created, but the answer is cut off: the retry sees its own id taken.
    server.add_fault(Fault {
        drop_after_bytes: Some(5),
        times: Some(1),
        ..Fault::on("session-run")
    });
    let mut options = StartOptions::for_image("europe", "my-game").unwrap();
    options.set_id("once-only").unwrap();
    let started = client.start_session(&options).unwrap();
    assert_eq!(started.id, "once-only");
    assert_eq!(
        started.ports().len(),
        2,
        "read back from the described session"
    );
    assert_eq!(
        client.list_sessions(&ListOptions::new()).unwrap().len(),
        1,
        "one session, not two"
    );
    let posts = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 2);
}

#[test]
fn a_retried_stop_that_finds_the_session_stopped_succeeded() {
    let server = server();
    let client = Client::new(&config_for(&server, fast_retries(2))).unwrap();
    let session = client
        .start_session(&StartOptions::for_image("europe", "nginx").unwrap())
        .unwrap();
    server.add_fault(Fault {
        drop_after_bytes: Some(0),
        close_connection: true,
        times: Some(1),
        ..Fault::on("session-stop")
    });
    client.stop_session(&session.id).unwrap();
    // A client of its own: the fault closed the kept-alive connection without a word, and a call
    // that picked that connection from the pool could find it dead, be retried, and take the
    // retry's 409 for its own stop (a race, seen once in CI).
    let fresh = Client::new(&config_for(&server, fast_retries(2))).unwrap();
    let error = fresh.stop_session(&session.id).unwrap_err();
    assert_eq!(
        (error.status(), error.attempts()),
        (Status::Conflict, 1),
        "a first 409 is a conflict"
    );
}

#[test]
fn connection_refused() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = support::config_at(&format!("http://127.0.0.1:{port}"), TOKEN);
    config.set_retry(fast_retries(2)).unwrap();
    let client = Client::new(&config).unwrap();
    let error = ends_in(Status::Transport, Duration::from_secs(1), || {
        client.list_sessions(&ListOptions::new())
    });
    assert!(
        error.message().contains("connection refused"),
        "{}",
        error.message()
    );
    assert_eq!(error.attempts(), 3);
}

#[test]
fn reset_mid_body_and_truncated_body() {
    let server = server();
    seed(&server, 30);
    let client = Client::new(&config_for(&server, RetryPolicy::NONE)).unwrap();
    for cut in [0, 100, 5000] {
        server.add_fault(Fault {
            drop_after_bytes: Some(cut),
            times: Some(1),
            ..Fault::on("session-list")
        });
        ends_in(Status::Transport, Duration::from_secs(10), || {
            client.list_sessions(&ListOptions::new())
        });
    }
    assert_eq!(
        client.list_sessions(&ListOptions::new()).unwrap().len(),
        30,
        "the client recovers"
    );
}

#[test]
fn a_slow_body_past_the_timeout() {
    let server = server();
    seed(&server, 30);
    let mut config = config_for(&server, fast_retries(2));
    config.set_timeout(Duration::from_millis(500)).unwrap();
    let client = Client::new(&config).unwrap();
    server.add_fault(Fault {
        bytes_per_second: Some(1000),
        times: Some(1),
        ..Fault::on("session-list")
    });
    let error = ends_in(Status::Timeout, Duration::from_millis(500), || {
        client.list_sessions(&ListOptions::new())
    });
    assert_eq!(error.attempts(), 1, "timeouts are not retried");
}

#[test]
fn malformed_json_and_oversized_bodies() {
    let server = server();
    let mut config = config_for(&server, fast_retries(2));
    config.set_max_body_bytes(64 * 1024).unwrap();
    let client = Client::new(&config).unwrap();
    server.add_fault(Fault {
        malformed_json: true,
        times: Some(1),
        ..Fault::on("session-list")
    });
    ends_in(Status::Decode, Duration::from_secs(1), || {
        client.list_sessions(&ListOptions::new())
    });
    server.add_fault(Fault {
        oversize_bytes: Some(1_000_000),
        times: Some(1),
        ..Fault::on("session-list")
    });
    let error = ends_in(Status::Decode, Duration::from_secs(1), || {
        client.list_sessions(&ListOptions::new())
    });
    assert!(error.message().contains("65536"), "{}", error.message());
    assert!(
        client.list_sessions(&ListOptions::new()).is_ok(),
        "a normal body still fits"
    );
    assert!(config.set_max_body_bytes(10).is_err());
}

#[test]
fn an_html_error_page_from_a_proxy() {
    let server = server();
    let client = Client::new(&config_for(&server, RetryPolicy::NONE)).unwrap();
    server.add_fault(Fault {
        status: Some(502),
        content_type: Some("html".into()),
        times: Some(1),
        ..Fault::on("*")
    });
    let error = ends_in(Status::Server, Duration::from_secs(1), || {
        client.describe_session("x")
    });
    assert_eq!(error.http_status(), 502);
    assert!(error.message().contains("502 from the proxy"));
}

#[test]
fn the_server_closing_a_kept_alive_connection_between_calls() {
    let server = server();
    let client = Client::new(&config_for(&server, RetryPolicy::DEFAULT)).unwrap();
    for _ in 0..5 {
        server.add_fault(Fault {
            close_connection: true,
            times: Some(1),
            ..Fault::on("session-list")
        });
        client.list_sessions(&ListOptions::new()).unwrap();
        client.list_sessions(&ListOptions::new()).unwrap();
    }
}

#[test]
fn the_connect_timeout_takes_effect() {
    // A listener that never accepts: once its backlog is full, the kernel ignores new SYNs, so a
    // connect hangs until the client gives up.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    while let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        held.push(stream);
        assert!(held.len() < 5000, "the backlog never filled");
    }
    let mut config = support::config_at(&format!("http://{addr}"), TOKEN);
    config.set_timeout(Duration::from_secs(20)).unwrap();
    config
        .set_connect_timeout(Duration::from_millis(300))
        .unwrap();
    config.set_retry(RetryPolicy::NONE).unwrap();
    let client = Client::new(&config).unwrap();
    let started = Instant::now();
    let error = client.list_sessions(&ListOptions::new()).unwrap_err();
    assert!(
        matches!(error.status(), Status::Timeout | Status::Transport),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the 300 ms connect timeout applied, not the 20 s one"
    );
}

#[test]
fn the_idle_timeout_of_a_stream_takes_effect() {
    let server = support::quiet_server(TOKEN);
    let client = Client::new(&config_for(&server, RetryPolicy::NONE)).unwrap();
    let session = client
        .start_session(&StartOptions::for_image("europe", "nginx").unwrap())
        .unwrap();
    let stream = client
        .follow_logs(&session.id, Some(Duration::from_millis(300)))
        .unwrap();
    let started = Instant::now();
    let error = loop {
        match stream.next(Duration::from_secs(30)) {
            Ok(_) => continue,
            Err(error) => break error,
        }
    };
    assert_eq!(error.status(), Status::Timeout);
    assert!(started.elapsed() < Duration::from_millis(300) + MARGIN);
}

#[test]
fn a_cancel_wakes_a_request_in_its_backoff() {
    let server = server();
    let slow = RetryPolicy {
        retries: 5,
        base_delay: Duration::from_secs(30),
        max_delay: Duration::from_secs(30),
    };
    let client = Client::new(&config_for(&server, slow)).unwrap();
    server.add_fault(Fault {
        status: Some(503),
        ..Fault::on("session-list")
    });
    let done = Arc::new(Mutex::new(None));
    let slot = done.clone();
    let request = client
        .list_sessions_async(&ListOptions::new(), move |result| {
            *slot.lock().unwrap() = Some(result.map(|_| ()))
        })
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.requests().is_empty() {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    if !request.cancel() {
        client.wait(Duration::from_secs(5));
        client.poll(0);
        panic!(
            "the request finished before the cancel: {:?} (requests: {:?})",
            done.lock().unwrap(),
            server.requests()
        );
    }
    while done.lock().unwrap().is_none() {
        assert!(Instant::now() < deadline);
        client.wait(Duration::from_millis(100));
        client.poll(0);
    }
    assert_eq!(
        done.lock()
            .unwrap()
            .as_ref()
            .unwrap()
            .as_ref()
            .unwrap_err()
            .status(),
        Status::Cancelled
    );
    drop(client); // joins the worker: it must not still be sleeping out its 30 s backoff
    assert!(started.elapsed() < MARGIN);
}

#[test]
fn each_attempt_is_logged_and_the_token_never_is() {
    let server = server();
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = lines.clone();
    let mut config = config_for(&server, fast_retries(2));
    config.set_log(LogLevel::Info, move |_, line| {
        sink.lock().unwrap().push(line.to_owned())
    });
    let client = Client::new(&config).unwrap();
    server.add_fault(Fault {
        status: Some(503),
        times: Some(2),
        ..Fault::on("session-list")
    });
    client.list_sessions(&ListOptions::new()).unwrap();
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].contains("-> 503") && lines[0].ends_with("(attempt 1)"),
        "{}",
        lines[0]
    );
    assert!(
        lines[2].contains("-> 200") && lines[2].ends_with("(attempt 3)"),
        "{}",
        lines[2]
    );
    assert!(lines.iter().all(|l| !l.contains(TOKEN)));
    assert!(!format!("{client:?}").contains(TOKEN));
    assert!(!format!("{config:?}").contains(TOKEN));
}
