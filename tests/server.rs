//! The game server's side against the emulator: the roster reporter's batching, ordering,
//! retries, bound, failures, resync, stop and free (see src/server).

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gameye::client::RetryPolicy;
use gameye::mock::{Fault, MockServer};
use gameye::server::{ReporterOptions, RosterReporter};
use gameye::{Client, StartOptions, Status};

mod support;

const TOKEN: &str = "server-token";

fn client_for(server: &MockServer) -> Client {
    let mut config = support::client_config(server, TOKEN, Duration::from_secs(5));
    config
        .set_retry(RetryPolicy {
            retries: 2,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        })
        .unwrap();
    Client::new(&config).unwrap()
}

fn start(client: &Client) -> String {
    client
        .start_session(&StartOptions::for_image("europe", "my-game").unwrap())
        .unwrap()
        .id
        .to_string()
}

fn options(interval_ms: u64) -> ReporterOptions {
    let mut options = ReporterOptions::new();
    options
        .set_batch_interval(Duration::from_millis(interval_ms))
        .unwrap();
    options
}

/// The players the server lists for `session`.
fn joined(client: &Client, session: &str) -> BTreeSet<String> {
    let described = client.describe_session(session).unwrap();
    described
        .players()
        .map(|p| p.joined.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// The join and leave calls the emulator received, in order, with their players.
fn roster_calls(server: &MockServer) -> Vec<(&'static str, Vec<String>)> {
    server
        .requests()
        .into_iter()
        .filter_map(|r| {
            let kind = match (r.method.as_str(), r.path.as_str()) {
                ("PUT", "/session/player/join") => "join",
                ("DELETE", "/session/player/leave") => "leave",
                _ => return None,
            };
            let body: serde_json::Value = serde_json::from_str(&r.body).ok()?;
            let players = body["players"]
                .as_array()?
                .iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect();
            Some((kind, players))
        })
        .collect()
}

#[test]
fn reports_batch_into_few_calls_and_reach_the_server() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let session = start(&client);
    let reporter = RosterReporter::new(&client, &session, &options(50)).unwrap();
    for id in ["a", "b", "c"] {
        reporter.player_joined(id).unwrap();
    }
    assert_eq!(reporter.pending(), 3);
    reporter.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(reporter.pending(), 0);
    assert_eq!(joined(&client, &session), set(&["a", "b", "c"]));
    reporter.player_left("b").unwrap();
    reporter.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(joined(&client, &session), set(&["a", "c"]));
    let calls = roster_calls(&server);
    assert_eq!(
        calls,
        vec![
            ("join", vec!["a".into(), "b".into(), "c".into()]),
            ("leave", vec!["b".into()])
        ]
    );
    // Without a flush the interval sends it.
    reporter.player_joined("d").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while reporter.pending() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(joined(&client, &session), set(&["a", "c", "d"]));
}

#[test]
fn a_join_and_leave_both_unsent_send_nothing() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let session = start(&client);
    let reporter = RosterReporter::new(&client, &session, &options(60_000)).unwrap();
    reporter.player_joined("ghost").unwrap();
    reporter.player_left("ghost").unwrap();
    reporter.player_left("never-joined").unwrap();
    assert_eq!(reporter.pending(), 0);
    reporter.flush(Duration::from_secs(5)).unwrap();
    assert!(roster_calls(&server).is_empty());
}

#[test]
fn under_faults_the_roster_converges_and_no_leave_precedes_its_join() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let session = start(&client);
    let mut options = options(5);
    options.set_batch_size(7).unwrap();
    let reporter = RosterReporter::new(&client, &session, &options).unwrap();
    for (operation, fault) in [
        (
            "join-session",
            Fault {
                status: Some(503),
                times: Some(3),
                ..Fault::on("join-session")
            },
        ),
        (
            "leave-session",
            Fault {
                status: Some(502),
                times: Some(2),
                ..Fault::on("leave-session")
            },
        ),
        (
            "join-session",
            Fault {
                drop_after_bytes: Some(0),
                times: Some(2),
                ..Fault::on("join-session")
            },
        ),
        (
            "leave-session",
            Fault {
                close_connection: true,
                times: Some(2),
                ..Fault::on("leave-session")
            },
        ),
        (
            "join-session",
            Fault {
                delay_ms: Some(30),
                times: Some(5),
                ..Fault::on("join-session")
            },
        ),
        (
            "leave-session",
            Fault {
                status: Some(429),
                retry_after: Some("0".into()),
                times: Some(2),
                ..Fault::on("leave-session")
            },
        ),
    ] {
        let _ = operation;
        server.add_fault(fault);
    }
    let mut truth = BTreeSet::new();
    // A deterministic shuffle of joins and leaves over 40 players.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..400 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let player = format!("p{}", x % 40);
        if x % 3 == 0 {
            reporter.player_left(&player).unwrap();
            truth.remove(&player);
        } else {
            reporter.player_joined(&player).unwrap();
            truth.insert(player);
        }
        if x % 11 == 0 {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    reporter.flush(Duration::from_secs(30)).unwrap();
    assert_eq!(reporter.pending(), 0);
    assert_eq!(joined(&client, &session), truth);
    // Each player's calls: a leave only ever follows a join that was sent before it.
    let mut sent_join: HashMap<String, bool> = HashMap::new();
    for (kind, players) in roster_calls(&server) {
        for player in players {
            if kind == "join" {
                sent_join.insert(player, true);
            } else {
                assert!(
                    sent_join.get(&player).copied().unwrap_or(false),
                    "a leave of {player} before any join of it"
                );
            }
        }
    }
}

#[test]
fn ten_thousand_events_in_a_second_take_a_bounded_number_of_calls() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let session = start(&client);
    let reporter = RosterReporter::new(&client, &session, &ReporterOptions::new()).unwrap();
    let started = Instant::now();
    let mut truth = BTreeSet::new();
    for round in 0..10 {
        for i in 0..1000 {
            let player = format!("p{}", (i * 7 + round * 13) % 1500);
            if (i + round) % 2 == 0 {
                reporter.player_joined(&player).unwrap();
                truth.insert(player);
            } else {
                reporter.player_left(&player).unwrap();
                truth.remove(&player);
            }
        }
        std::thread::sleep(Duration::from_millis(90));
    }
    let elapsed = started.elapsed();
    reporter.flush(Duration::from_secs(30)).unwrap();
    let calls = roster_calls(&server).len();
    // At most one join and one leave call per batch interval, plus full batches (100 players),
    // plus the flush's last round.
    let intervals = (elapsed.as_millis() / 200) as usize + 2;
    let players_sent: usize = roster_calls(&server).iter().map(|(_, p)| p.len()).sum();
    let bound = 2 * intervals + players_sent / 100 + 2;
    assert!(
        calls <= bound,
        "{calls} calls for 10000 events in {elapsed:?} (bound {bound})"
    );
    assert!(calls < 100, "{calls} calls");
    assert_eq!(joined(&client, &session), truth);
}

#[test]
fn past_the_bound_a_report_is_refused_and_nothing_changes() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let session = start(&client);
    let mut options = options(60_000);
    options.set_max_pending(3).unwrap();
    let reporter = RosterReporter::new(&client, &session, &options).unwrap();
    for id in ["a", "b", "c"] {
        reporter.player_joined(id).unwrap();
    }
    let error = reporter.player_joined("d").unwrap_err();
    assert_eq!(error.status(), Status::RateLimited, "{error}");
    assert!(error.message().contains('3'), "{error}");
    assert_eq!(reporter.pending(), 3);
    // A change of a pending player is accepted: it owes nothing more.
    reporter.player_left("c").unwrap();
    reporter.player_joined("d").unwrap();
    reporter.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(joined(&client, &session), set(&["a", "b", "d"]));
}

#[test]
fn a_permanent_failure_is_reported_once_and_resync_recovers() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let session = start(&client);
    let failures = Arc::new(AtomicUsize::new(0));
    let seen = failures.clone();
    let mut options = options(5);
    options.on_failure(move |error| {
        assert_eq!(error.status(), Status::Forbidden);
        seen.fetch_add(1, Ordering::SeqCst);
    });
    let reporter = RosterReporter::new(&client, &session, &options).unwrap();
    server.add_fault(Fault {
        status: Some(403),
        times: Some(1),
        ..Fault::on("join-session")
    });
    reporter.player_joined("a").unwrap();
    let error = reporter.flush(Duration::from_secs(5)).unwrap_err();
    assert_eq!(error.status(), Status::Forbidden, "{error}");
    assert_eq!(reporter.status().unwrap_err().status(), Status::Forbidden);
    // Reports are still recorded; nothing is sent until a resync.
    reporter.player_joined("b").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(reporter.pending(), 2);
    assert_eq!(failures.load(Ordering::SeqCst), 1);
    reporter.resync().unwrap();
    reporter.flush(Duration::from_secs(5)).unwrap();
    reporter.status().unwrap();
    assert_eq!(joined(&client, &session), set(&["a", "b"]));
    assert_eq!(failures.load(Ordering::SeqCst), 1);
}

#[test]
fn a_gone_session_is_not_found() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let reporter = RosterReporter::new(&client, "no-such-session", &options(0)).unwrap();
    reporter.player_joined("a").unwrap();
    let error = reporter.flush(Duration::from_secs(5)).unwrap_err();
    assert_eq!(error.status(), Status::NotFound, "{error}");
}

#[test]
fn resync_sends_the_difference_with_the_server() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let session = start(&client);
    // An earlier process of this server joined x and y.
    client.join_session(&session, &["x", "y"]).unwrap();
    let reporter = RosterReporter::new(&client, &session, &options(5)).unwrap();
    reporter.player_joined("y").unwrap();
    reporter.player_joined("z").unwrap();
    reporter.resync().unwrap();
    reporter.flush(Duration::from_secs(5)).unwrap();
    assert_eq!(joined(&client, &session), set(&["y", "z"]));
}

#[test]
fn stop_session_flushes_first_then_refuses_reports() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let session = start(&client);
    let reporter = RosterReporter::new(&client, &session, &options(60_000)).unwrap();
    reporter.player_joined("a").unwrap();
    reporter.stop_session(Duration::from_secs(5)).unwrap();
    let calls: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/session/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        calls,
        vec![
            "PUT /session/player/join".to_string(),
            format!("DELETE /session/{session}")
        ]
    );
    let listed = client.list_sessions(&Default::default()).unwrap();
    assert!(listed.iter().all(|s| s.id() != session));
    let error = reporter.player_joined("b").unwrap_err();
    assert_eq!(error.status(), Status::Cancelled);
    // Stopping again: the session already ended, which counts as stopped.
    reporter.stop_session(Duration::from_secs(1)).unwrap();
}

#[test]
fn the_client_may_go_first_and_a_drop_interrupts_the_wire() {
    let server = support::quiet_server(TOKEN);
    let client = client_for(&server);
    let session = start(&client);
    let reporter = RosterReporter::new(&client, &session, &options(0)).unwrap();
    drop(client);
    reporter.player_joined("a").unwrap();
    reporter.flush(Duration::from_secs(5)).unwrap();
    server.add_fault(Fault {
        delay_ms: Some(20_000),
        ..Fault::on("join-session")
    });
    reporter.player_joined("b").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let error = reporter.flush(Duration::from_millis(50)).unwrap_err();
    assert_eq!(error.status(), Status::Timeout);
    assert!(error.message().contains("1 players"), "{error}");
    let dropping = Instant::now();
    drop(reporter);
    assert!(
        dropping.elapsed() < Duration::from_secs(3),
        "the drop waited {:?} for the call on the wire",
        dropping.elapsed()
    );
}
