//! Non-blocking calls against the emulator: where completions run, exactly one per request,
//! cancellation before, during and after, freeing a client with requests in flight, 256 in
//! flight, and the log hook. No sleeps as assertions: tests wait on conditions with generous
//! limits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use gameye::client::{Delivery, LogLevel};
use gameye::mock::{Fault, MockConfig, MockServer};
use gameye::{Client, ClientConfig, ListOptions, StartOptions, Status};

mod support;

const TOKEN: &str = "nb-token";
const LIMIT: Duration = Duration::from_secs(30);

fn config_for(server: &MockServer) -> ClientConfig {
    support::client_config(server, TOKEN, Duration::from_secs(20))
}

fn server() -> MockServer {
    MockServer::start(MockConfig::with_token(TOKEN)).unwrap()
}

/// Waits until the emulator has received a request (the slow one is really running).
fn until_a_request_arrives(server: &MockServer) {
    let deadline = Instant::now() + LIMIT;
    while server.requests().is_empty() {
        assert!(Instant::now() < deadline, "no request reached the server");
        thread::sleep(Duration::from_millis(5));
    }
}

/// Polls until `done` holds, failing after a generous limit.
fn poll_until(client: &Client, done: impl Fn() -> bool) {
    let deadline = Instant::now() + LIMIT;
    while !done() {
        assert!(Instant::now() < deadline, "not done within {LIMIT:?}");
        client.wait(Duration::from_millis(100));
        client.poll(0);
    }
}

type Log = Arc<Mutex<Vec<(u64, Status, ThreadId)>>>;

/// A completion recorder: (request id, status, thread it ran on).
fn recorder() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn record<T>(
    log: &Log,
    id: Arc<Mutex<u64>>,
) -> impl FnOnce(Result<T, gameye::Error>) + Send + 'static {
    let log = log.clone();
    move |result| {
        let status = result.err().map_or(Status::Ok, |e| e.status());
        log.lock()
            .unwrap()
            .push((*id.lock().unwrap(), status, thread::current().id()));
    }
}

#[test]
fn completions_run_on_the_polling_thread_with_the_right_results() {
    let server = server();
    let client = Client::new(&config_for(&server)).unwrap();
    let results = Arc::new(Mutex::new(Vec::new()));
    let me = thread::current().id();
    let push = |what: &'static str| {
        let results = results.clone();
        move |ok: bool| {
            results
                .lock()
                .unwrap()
                .push((what, ok, thread::current().id()))
        }
    };
    let (r1, r2, r3) = (push("start"), push("list"), push("tag"));
    client
        .start_session_async(
            &StartOptions::for_image("europe", "nginx").unwrap(),
            move |r| r1(r.is_ok_and(|s| !s.id.is_empty())),
        )
        .unwrap();
    poll_until(&client, || results.lock().unwrap().len() == 1);
    client
        .list_sessions_async(&ListOptions::new(), move |r| {
            r2(r.is_ok_and(|l| l.len() == 1))
        })
        .unwrap();
    client
        .tag_exists_async("europe", "nginx", "latest", move |r| r3(r == Ok(true)))
        .unwrap();
    poll_until(&client, || results.lock().unwrap().len() == 3);
    for (what, ok, thread) in results.lock().unwrap().iter() {
        assert!(ok, "{what}");
        assert_eq!(*thread, me, "{what} ran on the polling thread");
    }
    assert_eq!(client.in_flight(), 0);
    assert_eq!(client.poll(0), 0);
}

#[test]
fn nothing_is_delivered_until_polled() {
    let server = server();
    let client = Client::new(&config_for(&server)).unwrap();
    let log = recorder();
    let id = Arc::new(Mutex::new(0));
    let request = client
        .list_sessions_async(&ListOptions::new(), record(&log, id.clone()))
        .unwrap();
    *id.lock().unwrap() = request.id();
    assert!(client.wait(LIMIT), "a completion becomes ready");
    assert!(request.is_finished());
    assert!(log.lock().unwrap().is_empty(), "not delivered before poll");
    assert_eq!(client.poll(0), 1);
    assert_eq!(
        log.lock().unwrap().as_slice(),
        &[(request.id(), Status::Ok, thread::current().id())]
    );
}

#[test]
fn two_hundred_fifty_six_in_flight_each_complete_once() {
    let server = server();
    let client = Client::new(&config_for(&server)).unwrap();
    let counts: Arc<Mutex<HashMap<u64, usize>>> = Arc::default();
    let mut ids = Vec::new();
    for _ in 0..256 {
        let counts = counts.clone();
        let slot = Arc::new(Mutex::new(0u64));
        let mine = slot.clone();
        let request = client
            .list_sessions_async(&ListOptions::new(), move |result| {
                assert!(result.is_ok());
                *counts
                    .lock()
                    .unwrap()
                    .entry(*mine.lock().unwrap())
                    .or_default() += 1;
            })
            .unwrap();
        *slot.lock().unwrap() = request.id();
        ids.push(request.id());
    }
    assert!(client.in_flight() > 0);
    poll_until(&client, || counts.lock().unwrap().len() == 256);
    assert!(counts.lock().unwrap().values().all(|n| *n == 1));
    assert_eq!(client.in_flight(), 0);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 256, "ids are unique");
}

#[test]
fn cancel_before_during_and_after() {
    let server = server();
    let mut config = config_for(&server);
    config.set_worker_threads(1).unwrap();
    let client = Client::new(&config).unwrap();
    let log = recorder();

    // During: the only worker is stuck on a slow response.
    server.add_fault(Fault {
        delay_ms: Some(20_000),
        times: Some(1),
        ..Fault::on("session-list")
    });
    let during_id = Arc::new(Mutex::new(0));
    let during = client
        .list_sessions_async(&ListOptions::new(), record(&log, during_id.clone()))
        .unwrap();
    *during_id.lock().unwrap() = during.id();
    // Before: queued behind it.
    let before_id = Arc::new(Mutex::new(0));
    let before = client
        .describe_session_async("x", record(&log, before_id.clone()))
        .unwrap();
    *before_id.lock().unwrap() = before.id();

    // Cancel only once the slow request has reached the server (is really running).
    until_a_request_arrives(&server);
    assert!(!before.is_finished() && !during.is_finished());
    let started = Instant::now();
    assert!(client.cancel(before.id()), "cancel by id");
    assert!(during.cancel(), "cancel by handle");
    poll_until(&client, || log.lock().unwrap().len() == 2);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "cancelled promptly, not after the 20 s delay"
    );
    let statuses: HashMap<u64, Status> = log
        .lock()
        .unwrap()
        .iter()
        .map(|(id, s, _)| (*id, *s))
        .collect();
    assert_eq!(statuses[&during.id()], Status::Cancelled);
    assert_eq!(statuses[&before.id()], Status::Cancelled);

    // After: the worker recovered (a fresh connection) and finishes the next one normally.
    let after_id = Arc::new(Mutex::new(0));
    let after = client
        .list_sessions_async(&ListOptions::new(), record(&log, after_id.clone()))
        .unwrap();
    *after_id.lock().unwrap() = after.id();
    poll_until(&client, || log.lock().unwrap().len() == 3);
    assert_eq!(log.lock().unwrap()[2].1, Status::Ok);
    assert!(!after.cancel(), "too late to cancel");
    assert!(!client.cancel(after.id()));
    assert!(!during.cancel(), "cancelling twice does nothing");
    assert_eq!(client.poll(0), 0, "no second completion");
}

#[test]
fn freeing_the_client_completes_everything_in_flight_then_nothing() {
    let server = server();
    let mut config = config_for(&server);
    config.set_worker_threads(2).unwrap();
    let client = Client::new(&config).unwrap();
    let log = recorder();
    server.add_fault(Fault {
        delay_ms: Some(20_000),
        ..Fault::on("session-list")
    });
    let mut requests = Vec::new();
    for _ in 0..10 {
        let id = Arc::new(Mutex::new(0));
        let request = client
            .list_sessions_async(&ListOptions::new(), record(&log, id.clone()))
            .unwrap();
        *id.lock().unwrap() = request.id();
        requests.push(request);
    }
    let started = Instant::now();
    drop(client);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "freeing interrupts the slow requests"
    );
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 10, "every request completed during the free");
    assert!(log.iter().all(
        |(_, status, thread)| *status == Status::Cancelled && *thread == thread::current().id()
    ));
    assert!(
        requests.iter().all(|r| r.is_finished() && !r.cancel()),
        "handles outlive the client"
    );
}

#[test]
fn callback_mode_runs_completions_on_one_library_thread() {
    let server = server();
    let mut config = config_for(&server);
    config.set_delivery(Delivery::CallbackThread);
    let client = Client::new(&config).unwrap();
    let log = recorder();
    for _ in 0..20 {
        let id = Arc::new(Mutex::new(0));
        let request = client
            .list_sessions_async(&ListOptions::new(), record(&log, id.clone()))
            .unwrap();
        *id.lock().unwrap() = request.id();
    }
    let deadline = Instant::now() + LIMIT;
    while log.lock().unwrap().len() < 20 {
        assert!(Instant::now() < deadline);
        assert_eq!(client.poll(0), 0, "poll does nothing in callback mode");
        thread::yield_now();
    }
    let log = log.lock().unwrap();
    let threads: std::collections::HashSet<ThreadId> = log.iter().map(|(_, _, t)| *t).collect();
    assert_eq!(threads.len(), 1, "one callback thread");
    assert!(!threads.contains(&thread::current().id()));
}

#[test]
fn timeouts_and_errors_arrive_as_completions() {
    let server = server();
    let mut config = config_for(&server);
    config.set_timeout(Duration::from_millis(300)).unwrap();
    let client = Client::new(&config).unwrap();
    let log = recorder();
    server.add_fault(Fault {
        delay_ms: Some(5_000),
        times: Some(1),
        ..Fault::on("session-list")
    });
    client
        .list_sessions_async(&ListOptions::new(), record(&log, Arc::default()))
        .unwrap();
    client
        .describe_session_async("nope", record(&log, Arc::default()))
        .unwrap();
    poll_until(&client, || log.lock().unwrap().len() == 2);
    let mut statuses: Vec<Status> = log.lock().unwrap().iter().map(|(_, s, _)| *s).collect();
    statuses.sort_by_key(|s| *s as i32);
    assert_eq!(statuses, vec![Status::Timeout, Status::NotFound]);
}

#[test]
fn every_operation_has_a_non_blocking_form() {
    let server = server();
    let client = Client::new(&config_for(&server)).unwrap();
    let done = Arc::new(Mutex::new(Vec::<(&str, bool)>::new()));
    let mark = |name: &'static str| {
        let done = done.clone();
        move |ok: bool| done.lock().unwrap().push((name, ok))
    };
    let mut options = StartOptions::for_image("europe", "my-game").unwrap();
    options.set_id("nb-1").unwrap();
    let m = mark("start");
    client
        .start_session_async(&options, move |r| m(r.is_ok()))
        .unwrap();
    poll_until(&client, || done.lock().unwrap().len() == 1);
    let (m1, m2, m3, m4, m5) = (
        mark("describe"),
        mark("join"),
        mark("logs"),
        mark("locations"),
        mark("follow"),
    );
    client
        .describe_session_async("nb-1", move |r| m1(r.is_ok_and(|s| s.id() == "nb-1")))
        .unwrap();
    client
        .join_session_async("nb-1", &["p1"], move |r| m2(r.is_ok_and(|r| r.count == 1)))
        .unwrap();
    client
        .logs_async("nb-1", move |r| {
            m3(r.is_ok_and(|l| l.text().contains("nb-1")))
        })
        .unwrap();
    client
        .available_locations_async("my-game", move |r| m4(r.is_ok_and(|l| l.len() == 3)))
        .unwrap();
    client
        .follow_logs_async(
            "nb-1",
            None,
            move |r| m5(r.is_ok_and(|s| !s.is_cancelled())),
        )
        .unwrap();
    poll_until(&client, || done.lock().unwrap().len() == 6);
    let m = mark("leave");
    client
        .leave_session_async(&["p1"], move |r| m(r.is_ok_and(|r| r.count == 0)))
        .unwrap();
    poll_until(&client, || done.lock().unwrap().len() == 7);
    let m = mark("stop");
    client
        .stop_session_async("nb-1", move |r| m(r.is_ok()))
        .unwrap();
    poll_until(&client, || done.lock().unwrap().len() == 8);
    server.set_artifact_padding(1_000_000);
    let destination = std::env::temp_dir().join(format!("gameye-nb-{}.tar.gz", std::process::id()));
    let m = mark("artifact");
    let download = client
        .download_artifact_async("nb-1", "/x", &destination, None, move |r| {
            m(r.is_ok_and(|n| n > 1_000_000))
        })
        .unwrap();
    poll_until(&client, || done.lock().unwrap().len() == 9);
    let (received, total) = download.progress();
    assert!(
        received > 1_000_000 && total == Some(received),
        "{received} {total:?}"
    );
    std::fs::remove_file(&destination).unwrap();
    for (name, ok) in done.lock().unwrap().iter() {
        assert!(ok, "{name}");
    }
}

#[test]
fn the_log_hook_gets_one_line_per_request_without_the_token() {
    let server = MockServer::start(MockConfig::with_token("secret-token-123")).unwrap();
    let lines: Arc<Mutex<Vec<(LogLevel, String, ThreadId)>>> = Arc::default();
    let mut config = support::config_at(&server.url(), "secret-token-123");
    let sink = lines.clone();
    config.set_log(LogLevel::Info, move |level, line| {
        sink.lock()
            .unwrap()
            .push((level, line.to_owned(), thread::current().id()))
    });
    let client = Client::new(&config).unwrap();
    let mut filter = ListOptions::new();
    filter.set_location("europe").unwrap();
    client.list_sessions(&filter).unwrap();
    assert!(client.describe_session("missing").is_err());
    let done = Arc::new(Mutex::new(false));
    let flag = done.clone();
    client
        .list_sessions_async(&ListOptions::new(), move |_| *flag.lock().unwrap() = true)
        .unwrap();
    poll_until(&client, || *done.lock().unwrap());
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 3, "{lines:?}");
    let (level, line, thread) = &lines[0];
    assert_eq!(*level, LogLevel::Info);
    assert!(
        line.starts_with("GET /session?location=europe -> 200 in "),
        "{line}"
    );
    assert!(line.ends_with(" ms (attempt 1)"), "{line}");
    assert_eq!(
        *thread,
        thread::current().id(),
        "blocking calls log on the caller's thread"
    );
    assert_eq!(lines[1].0, LogLevel::Warn);
    assert!(
        lines[1].1.starts_with("GET /session/missing -> 404: "),
        "{}",
        lines[1].1
    );
    assert_ne!(
        lines[2].2,
        thread::current().id(),
        "non-blocking calls log on a worker"
    );
    assert!(lines
        .iter()
        .all(|(_, line, _)| !line.contains("secret-token-123")));
}

#[test]
fn worker_threads_are_checked() {
    let mut config = ClientConfig::new();
    assert!(config.set_worker_threads(0).is_err());
    assert!(config.set_worker_threads(65).is_err());
    assert!(config.set_worker_threads(64).is_ok());
}

/// A client holds at most its bound of requests in flight (queued, running, or completed and not
/// yet delivered): past it a submit is refused with `RateLimited`, queues nothing and never
/// calls back; delivering completions makes room again.
#[test]
fn requests_in_flight_are_bounded() {
    let server = server();
    let mut config = config_for(&server);
    config
        .set_max_in_flight(3)
        .unwrap()
        .set_worker_threads(1)
        .unwrap();
    assert!(config.clone().set_max_in_flight(0).is_err());
    assert!(config.clone().set_max_in_flight(1_000_001).is_err());
    let client = Client::new(&config).unwrap();
    server.add_fault(Fault {
        delay_ms: Some(300),
        times: Some(3),
        ..Fault::on("session-list")
    });
    let calls = Arc::new(Mutex::new(0));
    let count = || {
        let calls = calls.clone();
        move |_: Result<gameye::SessionList, gameye::Error>| *calls.lock().unwrap() += 1
    };
    for _ in 0..3 {
        client
            .list_sessions_async(&ListOptions::new(), count())
            .unwrap();
    }
    let refused = client
        .list_sessions_async(&ListOptions::new(), count())
        .unwrap_err();
    assert_eq!(refused.status(), Status::RateLimited, "{refused}");
    assert!(refused.message().contains("not queued"), "{refused}");
    assert_eq!(client.in_flight(), 3, "the refused request was not queued");
    // Completed but not delivered still counts: the memory is held until the poll.
    let deadline = Instant::now() + LIMIT;
    while !client.wait(Duration::from_millis(100)) {
        assert!(Instant::now() < deadline);
    }
    poll_until(&client, || *calls.lock().unwrap() == 3);
    client
        .list_sessions_async(&ListOptions::new(), count())
        .expect("room again once delivered");
    poll_until(&client, || *calls.lock().unwrap() == 4);
    drop(client);
    assert_eq!(
        *calls.lock().unwrap(),
        4,
        "the refused request never called back"
    );
}

/// A cancelled non-blocking download completes only once its partial file is gone, and a file
/// already at the destination is kept: when the callback runs, the folder holds exactly what it
/// held before the download.
#[test]
fn a_cancelled_download_completes_after_its_partial_file_is_gone() {
    let server = server();
    let client = Client::new(&config_for(&server)).unwrap();
    let mut options = StartOptions::for_image("europe", "nginx").unwrap();
    options.set_id("download-me").unwrap();
    client.start_session(&options).unwrap();
    client.stop_session("download-me").unwrap();
    server.set_artifact_padding(8 * 1024 * 1024);
    let dir = std::env::temp_dir().join(format!("gameye-nb-download-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let destination = dir.join("core.tar.gz");
    for round in 0..5 {
        std::fs::write(&destination, b"the previous download").unwrap();
        server.add_fault(Fault {
            bytes_per_second: Some(256 * 1024),
            times: Some(1),
            ..Fault::on("artifacts")
        });
        let seen = Arc::new(Mutex::new(None));
        let sink = seen.clone();
        let folder = dir.clone();
        let request = client
            .download_artifact_async("download-me", "/core", &destination, None, move |result| {
                let names: Vec<String> = std::fs::read_dir(&folder)
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                *sink.lock().unwrap() = Some((result.map_err(|e| e.status()), names));
            })
            .unwrap();
        let deadline = Instant::now() + LIMIT;
        while request.progress().0 == 0 {
            assert!(Instant::now() < deadline, "the download started");
            thread::sleep(Duration::from_millis(5));
        }
        assert!(request.cancel(), "round {round}: cancelled while running");
        poll_until(&client, || seen.lock().unwrap().is_some());
        let (result, names) = seen.lock().unwrap().take().unwrap();
        assert_eq!(result, Err(Status::Cancelled), "round {round}");
        assert_eq!(names, ["core.tar.gz"], "round {round}: no partial file");
        assert_eq!(
            std::fs::read(&destination).unwrap(),
            b"the previous download",
            "round {round}: the file already there is kept"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A start cancelled once it runs names the id it sent (the server may have made the session:
/// stop it); one cancelled while queued was never sent and names none.
#[test]
fn a_cancelled_start_names_the_session_it_may_have_made() {
    let server = server();
    let mut config = config_for(&server);
    config.set_worker_threads(1).unwrap();
    let client = Client::new(&config).unwrap();
    server.add_fault(Fault {
        delay_ms: Some(20_000),
        times: Some(1),
        ..Fault::on("session-run")
    });
    type Named = Arc<Mutex<Vec<(Status, Option<String>)>>>;
    let named: Named = Arc::default();
    let note = |named: &Named| {
        let named = named.clone();
        move |result: Result<gameye::StartedSession, gameye::Error>| {
            let error = result.err().unwrap();
            let id = error.session_id().map(str::to_owned);
            named.lock().unwrap().push((error.status(), id));
        }
    };
    let mut options = StartOptions::new();
    options
        .set_location("europe")
        .unwrap()
        .set_image("nginx")
        .unwrap();
    let running = client.start_session_async(&options, note(&named)).unwrap();
    let queued = client.start_session_async(&options, note(&named)).unwrap();
    until_a_request_arrives(&server);
    assert!(queued.cancel() && running.cancel());
    poll_until(&client, || named.lock().unwrap().len() == 2);
    let named = named.lock().unwrap();
    // The queued one completes first: its cancel finished it at once.
    assert_eq!(named[0], (Status::Cancelled, None), "never sent: no id");
    let (status, id) = &named[1];
    assert_eq!(*status, Status::Cancelled);
    let sent = server.requests()[0].body.clone();
    let id = id.as_deref().expect("the running start names its id");
    assert!(
        sent.contains(&format!("\"id\":\"{id}\"")),
        "the id it sent: {sent}"
    );
}

type Ended = Arc<Mutex<Vec<(&'static str, Status)>>>;

/// A completion that records which request ended, and how.
fn note<T>(ended: &Ended, what: &'static str) -> impl FnOnce(Result<T, gameye::Error>) + Send {
    let ended = ended.clone();
    move |result| {
        let status = result.err().map_or(Status::Ok, |e| e.status());
        ended.lock().unwrap().push((what, status));
    }
}

/// Downloads and waits run on threads of their own: with more of them running than the client
/// has workers (and followed logs open besides), a stop is still sent at once and completes
/// promptly, and every one of them is really running (its request reached the server).
#[test]
fn a_stop_completes_promptly_while_downloads_waits_and_followed_logs_run() {
    const N: usize = 6; // more than the two workers
    let server = server();
    let mut config = config_for(&server);
    config.set_worker_threads(2).unwrap();
    let client = Client::new(&config).unwrap();
    for id in ["finished", "watched", "target"] {
        let mut options = StartOptions::for_image("europe", "nginx").unwrap();
        options.set_id(id).unwrap();
        client.start_session(&options).unwrap();
    }
    client.stop_session("finished").unwrap();
    server.set_artifact_padding(8 * 1024 * 1024);
    server.add_fault(Fault {
        bytes_per_second: Some(64 * 1024), // two minutes per download
        times: Some(N as u32),
        ..Fault::on("artifacts")
    });
    let dir = std::env::temp_dir().join(format!("gameye-nb-lanes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let ended: Ended = Arc::new(Mutex::new(Vec::new()));
    let mut long = Vec::new();
    for i in 0..N {
        let destination = dir.join(format!("core-{i}.tar.gz"));
        long.push(
            client
                .download_artifact_async(
                    "finished",
                    "/core",
                    &destination,
                    None,
                    note(&ended, "download"),
                )
                .unwrap(),
        );
        long.push(
            client
                .wait_for_session_async(
                    "watched",
                    gameye::SessionState::Ended,
                    Duration::from_secs(120),
                    note(&ended, "wait"),
                )
                .unwrap(),
        );
    }
    let streams: Vec<_> = (0..N)
        .map(|_| client.follow_logs("watched", None).unwrap())
        .collect();
    // Every download is running: its request reached the server (with two workers, only two
    // would before).
    let count = |path: &str| {
        let requests = server.requests();
        requests.iter().filter(|r| r.path.contains(path)).count()
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while count("/artifacts") < N {
        assert!(
            Instant::now() < deadline,
            "{} of {N} downloads reached the server",
            count("/artifacts")
        );
        thread::sleep(Duration::from_millis(10));
    }
    let stopped = Arc::new(Mutex::new(None));
    let sink = stopped.clone();
    let asked = Instant::now();
    client
        .stop_session_async("target", move |result| {
            *sink.lock().unwrap() = Some(result.map_err(|e| e.status()));
        })
        .unwrap();
    poll_until(&client, || stopped.lock().unwrap().is_some());
    let took = asked.elapsed();
    assert_eq!(*stopped.lock().unwrap(), Some(Ok(())));
    assert!(took < Duration::from_secs(3), "the stop took {took:?}");
    assert!(
        ended.lock().unwrap().is_empty(),
        "the long requests still run"
    );
    for request in &long {
        assert!(request.cancel(), "each long request was still running");
    }
    poll_until(&client, || ended.lock().unwrap().len() == 2 * N);
    assert!(ended
        .lock()
        .unwrap()
        .iter()
        .all(|(_, status)| *status == Status::Cancelled));
    drop(streams);
    drop(client);
    std::fs::remove_dir_all(&dir).unwrap();
}
