//! Truncated bodies and lost connections, against raw servers on loopback: a body without
//! Content-Length or chunked framing that ends by a reset is a `Transport` failure, never a
//! success with half the bytes (whole logs, artifacts, followed logs, JSON); one that ends by a
//! clean close is whole. Join and leave are sent again once when a kept-alive connection was
//! closed before any byte of the answer, and only then. (TLS without close_notify: tests/tls.rs.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gameye::client::{ArtifactOptions, LogEvent, RetryPolicy};
use gameye::{Client, ClientConfig, ListOptions, Status};

/// Reads one request (head and Content-Length body); false when the peer closed first.
fn read_request(reader: &mut BufReader<TcpStream>) -> bool {
    let mut length = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).is_ok()
}

/// Closes `stream` with a TCP reset (SO_LINGER 0) rather than a FIN.
fn reset(stream: TcpStream) {
    #[repr(C)]
    struct Linger {
        on: i32,
        seconds: i32,
    }
    extern "C" {
        fn setsockopt(fd: i32, level: i32, name: i32, value: *const Linger, len: u32) -> i32;
    }
    const SOL_SOCKET: i32 = 1;
    const SO_LINGER: i32 = 13;
    use std::os::fd::AsRawFd;
    let linger = Linger { on: 1, seconds: 0 };
    // SAFETY: a valid socket and a Linger that outlives the call.
    let set = unsafe {
        setsockopt(
            stream.as_raw_fd(),
            SOL_SOCKET,
            SO_LINGER,
            &linger,
            std::mem::size_of::<Linger>() as u32,
        )
    };
    assert_eq!(set, 0, "SO_LINGER is set");
    drop(stream);
}

/// A server on loopback: each connection runs `handle` with its number (from 0) on a thread of
/// its own. It serves until the test process ends; it only ever answers on 127.0.0.1.
fn serve(handle: impl Fn(usize, BufReader<TcpStream>) + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = Arc::new(handle);
    std::thread::spawn(move || {
        for (index, stream) in listener.incoming().flatten().enumerate() {
            let handle = handle.clone();
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            std::thread::spawn(move || handle(index, BufReader::new(stream)));
        }
    });
    port
}

fn client(port: u16, retry: RetryPolicy) -> Client {
    let mut config = ClientConfig::new();
    config
        .set_base_url(&format!("http://127.0.0.1:{port}"))
        .unwrap()
        .set_token("t")
        .unwrap();
    config.set_retry(retry).unwrap();
    config.set_timeout(Duration::from_secs(10)).unwrap();
    Client::new(&config).unwrap()
}

const HALF: &[u8] = b"first half of the output\nsecond li";

/// A close-delimited 200 with `content_type`: `HALF`, then a reset (`cut`) or a clean close.
fn close_delimited(content_type: &'static str, cut: bool) -> u16 {
    serve(move |_, mut reader| {
        if !read_request(&mut reader) {
            return;
        }
        let mut stream = reader.into_inner();
        let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n");
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(HALF);
        let _ = stream.flush();
        std::thread::sleep(Duration::from_millis(50));
        if cut {
            reset(stream);
        }
    })
}

#[test]
fn a_close_delimited_body_cut_by_a_reset_is_a_transport_failure() {
    let cut = client(close_delimited("text/plain", true), RetryPolicy::NONE);
    let error = cut.logs("s").expect_err("half the logs are no logs");
    assert_eq!(error.status(), Status::Transport, "{error}");
    assert!(error.message().contains("reset"), "{error}");

    // A clean close ends such a body: the bytes are the whole logs.
    let whole = client(close_delimited("text/plain", false), RetryPolicy::NONE);
    assert_eq!(whole.logs("s").unwrap().as_bytes(), HALF);
}

#[test]
fn a_truncated_json_body_is_transport_and_retried() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let seen = attempts.clone();
    let port = serve(move |_, mut reader| {
        if !read_request(&mut reader) {
            return;
        }
        seen.fetch_add(1, Ordering::SeqCst);
        let mut stream = reader.into_inner();
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n");
        let _ = stream.write_all(br#"{"sessions":[{"id":"a","ima"#);
        let _ = stream.flush();
        std::thread::sleep(Duration::from_millis(50));
        reset(stream);
    });
    let retry = RetryPolicy {
        retries: 2,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
    };
    let error = client(port, retry)
        .list_sessions(&ListOptions::new())
        .expect_err("a truncated list");
    assert_eq!(error.status(), Status::Transport, "not DECODE: {error}");
    assert_eq!(error.attempts(), 3, "retried like any lost connection");
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
}

#[test]
fn a_truncated_artifact_is_not_committed() {
    let dir = std::env::temp_dir().join(format!("gameye-truncated-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let destination = dir.join("core.tar.gz");
    let client = client(close_delimited("application/gzip", true), RetryPolicy::NONE);
    let error = client
        .download_artifact("s", "/core", &destination, ArtifactOptions::default())
        .expect_err("a truncated archive");
    assert_eq!(error.status(), Status::Transport, "{error}");
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert!(
        left.is_empty(),
        "nothing committed, no partial file: {left:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_followed_log_cut_by_a_reset_fails_instead_of_ending() {
    let client = client(close_delimited("text/plain", true), RetryPolicy::NONE);
    let stream = client.follow_logs("s", None).unwrap();
    let mut lines = Vec::new();
    let outcome = loop {
        match stream.next(Duration::from_secs(10)) {
            Ok(LogEvent::Line(line)) => lines.push(line.to_string()),
            Ok(LogEvent::Waiting) => continue,
            other => break other,
        }
    };
    assert_eq!(lines, ["first half of the output", "second li"]);
    let error = outcome.expect_err("a reset is not the end of the session");
    assert_eq!(error.status(), Status::Transport, "{error}");
}

/// A kept-alive server whose second request on a connection finds it closed before any byte of
/// the answer (`reset`: by a reset, else by a FIN), as a server's idle timeout closes it while the
/// request is on its way. Every other request is answered with a roster.
fn closes_the_second_request(reset_it: bool, requests: Arc<AtomicUsize>) -> u16 {
    serve(move |_, mut reader| {
        let mut on_this_connection = 0;
        while read_request(&mut reader) {
            requests.fetch_add(1, Ordering::SeqCst);
            on_this_connection += 1;
            if on_this_connection == 2 {
                let stream = reader.into_inner();
                if reset_it {
                    reset(stream);
                }
                return;
            }
            let body = r#"{"playerCount":1,"players":["p"]}"#;
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n\
                 {body}",
                body.len()
            );
            if reader.get_mut().write_all(response.as_bytes()).is_err() {
                return;
            }
        }
    })
}

#[test]
fn join_and_leave_are_sent_again_once_after_a_stale_kept_alive_connection() {
    for reset_it in [false, true] {
        let requests = Arc::new(AtomicUsize::new(0));
        let client = client(
            closes_the_second_request(reset_it, requests.clone()),
            RetryPolicy::NONE,
        );
        client.join_session("s", &["p"]).unwrap();
        // The second call goes out on the kept connection, which the server closes unanswered:
        // the call is sent again on a new connection, once.
        client
            .join_session("s", &["p"])
            .unwrap_or_else(|e| panic!("join after a stale connection (reset {reset_it}): {e}"));
        client
            .leave_session(&["p"])
            .unwrap_or_else(|e| panic!("leave after a stale connection (reset {reset_it}): {e}"));
        assert_eq!(requests.load(Ordering::SeqCst), 5, "reset {reset_it}");
    }
}

#[test]
fn a_join_lost_on_a_new_connection_is_not_sent_again() {
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    let port = serve(move |_, mut reader| {
        if read_request(&mut reader) {
            seen.fetch_add(1, Ordering::SeqCst);
            reset(reader.into_inner());
        }
    });
    let error = client(port, RetryPolicy::DEFAULT)
        .join_session("s", &["p"])
        .expect_err("the server reset it");
    assert_eq!(error.status(), Status::Transport, "{error}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "a fresh connection: sent once"
    );
}
