//! A small HTTP/1.1 server on `std::net`, written for the emulator rather than taken from a
//! crate because fault injection needs byte-level control of the socket: dropping a response
//! after N body bytes, throttling it, or closing a kept-alive connection without notice.
//! This file holds the types and the server (one thread per connection, bounded); `read.rs`
//! parses requests, `write.rs` writes responses with the delivery faults.

use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::sync::lock;

mod read;
mod write;

use read::{read_request, BadRequest, Input};
pub(crate) use read::{Timing, MAX_BODY_BYTES};
use write::write_response;

/// A parsed request.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    /// The path as sent (still percent-encoded).
    pub raw_path: String,
    /// The query string as sent, without the `?`.
    pub raw_query: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    keep_alive: bool,
}

impl Request {
    /// The first header named `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// The first of `headers` (names lower-cased) named `name` (lower-case).
pub(crate) fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Writes a streamed body as it is produced.
pub(crate) type Producer = Box<dyn FnOnce(&mut dyn Write) -> io::Result<()> + Send>;

/// What a response's body is.
pub(crate) enum Body {
    /// A complete body, sent with `Content-Length`.
    Full(Vec<u8>),
    /// A body produced while it is sent, with chunked transfer encoding (followed logs).
    Stream(Producer),
}

/// A response to write.
pub(crate) struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Body,
    /// Headers besides the ones every response has (checked printable by whoever adds them).
    pub extra_headers: Vec<(&'static str, String)>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
        Response::with_body(status, content_type, Body::Full(body))
    }

    pub fn with_body(status: u16, content_type: &'static str, body: Body) -> Response {
        Response {
            status,
            content_type,
            body,
            extra_headers: Vec::new(),
        }
    }

    /// The response with one more header.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Response {
        self.extra_headers.push((name, value.to_owned()));
        self
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, "application/json", value.to_string().into_bytes())
    }

    pub fn empty(status: u16) -> Response {
        Response::new(status, "text/plain", Vec::new())
    }
}

/// How to deliver one response: the fault switches that act on the socket.
#[derive(Clone, Debug, Default)]
pub(crate) struct Delivery {
    /// Close the connection after this many body bytes.
    pub drop_after_bytes: Option<u64>,
    /// Send the body at this rate.
    pub bytes_per_second: Option<u64>,
    /// Close the connection after the response, without a `Connection: close` header,
    /// the way a server's idle timeout does.
    pub close_silently: bool,
}

/// The handler: turns a request into a response and how to deliver it.
pub(crate) type Handler = dyn Fn(&Request, &Arc<Stopper>) -> (Response, Delivery) + Send + Sync;

/// Lets long operations (delays, followed streams) end early when the server stops.
#[derive(Default)]
pub(crate) struct Stopper {
    stopped: Mutex<bool>,
    signal: Condvar,
    flag: AtomicBool,
}

impl Stopper {
    pub fn is_stopped(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }

    /// Sleeps for `duration`; returns false when woken by the server stopping.
    pub fn sleep(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        let mut stopped = lock(&self.stopped);
        while !*stopped {
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            stopped = self
                .signal
                .wait_timeout(stopped, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        false
    }

    fn stop(&self) {
        self.flag.store(true, Ordering::Release);
        *lock(&self.stopped) = true;
        self.signal.notify_all();
    }
}

/// How many connections the server holds, for how long, and which Host it answers to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// A connection that sends nothing for `timing.idle` (between requests, or within one) is
    /// closed, so half-open sockets cannot hold a thread each forever; a request must arrive
    /// whole within `timing.request` of its first byte (408 otherwise).
    pub timing: Timing,
    /// Connections served at once. At the limit a new connection takes the place of the one
    /// that has waited longest without a request in progress (idle, or still sending its head);
    /// only when every connection is being answered is the new one answered 503 and closed.
    pub max_connections: usize,
}

/// What a connection is doing, for the acceptor to choose which one a new connection replaces.
#[derive(Debug)]
pub(crate) struct Activity {
    /// 0: idle between requests; 1: reading a request; 2: being answered.
    phase: std::sync::atomic::AtomicU8,
    /// When the phase began, in milliseconds since `epoch`.
    since: AtomicU64,
    epoch: Instant,
}

impl Default for Activity {
    fn default() -> Activity {
        Activity {
            phase: std::sync::atomic::AtomicU8::new(0),
            since: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }
}

impl Activity {
    fn set(&self, phase: u8) {
        let now = self.epoch.elapsed().as_millis() as u64;
        self.since.store(now, Ordering::Release);
        self.phase.store(phase, Ordering::Release);
    }

    pub fn idle(&self) {
        self.set(0);
    }

    pub fn reading(&self) {
        self.set(1);
    }

    pub fn handling(&self) {
        self.set(2);
    }

    /// When it began waiting without a request being answered; `None` while one is.
    fn waiting_since(&self) -> Option<Instant> {
        (self.phase.load(Ordering::Acquire) != 2)
            .then(|| self.epoch + Duration::from_millis(self.since.load(Ordering::Acquire)))
    }
}

/// A connection the server holds: a handle to close it, and what it is doing.
struct Held {
    stream: TcpStream,
    activity: Arc<Activity>,
}

/// Whether a request's Host names this server (127.0.0.1 or localhost, with its port or none):
/// a web page that rebinds its own domain name to 127.0.0.1 sends its domain name, and is
/// refused, so it cannot drive an emulator from a browser.
pub(crate) fn host_is_ours(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return true; // HTTP/1.0 without Host: no browser sends such a request
    };
    let (name, given_port) = match host.rsplit_once(':') {
        Some((name, p)) => (name, Some(p)),
        None => (host, None),
    };
    let name_ok = name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost");
    let port_ok = given_port.is_none_or(|p| p == port.to_string());
    name_ok && port_ok
}

/// The running server: accepts on a background thread, one thread per connection (bounded).
pub(crate) struct Server {
    addr: SocketAddr,
    stopper: Arc<Stopper>,
    connections: Arc<Mutex<HashMap<u64, Held>>>,
    workers: Arc<Mutex<Vec<JoinHandle<()>>>>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start(
        listener: TcpListener,
        handler: Arc<Handler>,
        stopper: Arc<Stopper>,
        limits: Limits,
    ) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        let connections: Arc<Mutex<HashMap<u64, Held>>> = Arc::default();
        let workers: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let acceptor = {
            let stopper = stopper.clone();
            let connections = connections.clone();
            let workers = workers.clone();
            thread::Builder::new()
                .name("gameye-mock-accept".into())
                .spawn(move || {
                    accept_loop(listener, handler, stopper, connections, workers, limits)
                })?
        };
        Ok(Server {
            addr,
            stopper,
            connections,
            workers,
            acceptor: Some(acceptor),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopper.stop();
        // Wake the acceptor, which is blocked in accept().
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        for held in lock(&self.connections).values() {
            let _ = held.stream.shutdown(Shutdown::Both);
        }
        let workers = std::mem::take(&mut *lock(&self.workers));
        for worker in workers {
            let _ = worker.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    handler: Arc<Handler>,
    stopper: Arc<Stopper>,
    connections: Arc<Mutex<HashMap<u64, Held>>>,
    workers: Arc<Mutex<Vec<JoinHandle<()>>>>,
    limits: Limits,
) {
    let next_id = AtomicU64::new(0);
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    for stream in listener.incoming() {
        if stopper.is_stopped() {
            break;
        }
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_nodelay(true);
        let _ = stream.set_read_timeout(Some(limits.timing.idle));
        if !make_room(&connections, limits.max_connections) {
            // Answered on this thread, without reading the request: the head is small, and a
            // write to a fresh socket does not block.
            let body = serde_json::json!({"statusCode": 503,
                "message": "Service unavailable: too many connections."});
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_response(
                &mut stream,
                Response::json(503, &body),
                &Delivery::default(),
                false,
            );
            let _ = stream.shutdown(Shutdown::Both);
            continue;
        }
        let id = next_id.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity::default());
        if let Ok(clone) = stream.try_clone() {
            let held = Held {
                stream: clone,
                activity: activity.clone(),
            };
            lock(&connections).insert(id, held);
        }
        let handler = handler.clone();
        let stopper = stopper.clone();
        let connections_for_worker = connections.clone();
        let timing = limits.timing;
        let spawned = thread::Builder::new()
            .name("gameye-mock-conn".into())
            .spawn(move || {
                serve_connection(stream, &*handler, &stopper, timing, &activity, port);
                lock(&connections_for_worker).remove(&id);
            });
        let mut workers = lock(&workers);
        workers.retain(|w| !w.is_finished());
        match spawned {
            Ok(worker) => workers.push(worker),
            Err(_) => {
                lock(&connections).remove(&id);
            }
        }
    }
}

/// Makes room for one more connection: at the limit, the one that has waited longest without a
/// request being answered (idle, or trickling its request) is closed, so slow or stalled clients
/// cannot keep a legitimate one out. False when every connection is being answered.
fn make_room(connections: &Mutex<HashMap<u64, Held>>, max: usize) -> bool {
    let mut connections = lock(connections);
    if connections.len() < max {
        return true;
    }
    let oldest = connections
        .iter()
        .filter_map(|(id, held)| held.activity.waiting_since().map(|since| (since, *id)))
        .min();
    let Some((_, id)) = oldest else {
        return false;
    };
    if let Some(held) = connections.remove(&id) {
        let _ = held.stream.shutdown(Shutdown::Both);
    }
    true
}

fn serve_connection(
    stream: TcpStream,
    handler: &Handler,
    stopper: &Arc<Stopper>,
    timing: Timing,
    activity: &Activity,
    port: u16,
) {
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let Ok(timeouts) = stream.try_clone() else {
        return;
    };
    let mut set_timeout = |timeout: Duration| {
        let _ = timeouts.set_read_timeout(Some(timeout));
    };
    let mut reader = BufReader::new(stream);
    let mut writer = write_half;
    while !stopper.is_stopped() {
        let mut input = Input::new(&mut reader, &mut set_timeout, timing, activity);
        let refused = match read_request(&mut input) {
            Ok(Some(request)) if host_is_ours(request.header("host"), port) => {
                let (response, delivery) = handler(&request, stopper);
                let keep_alive = request.keep_alive && !delivery.close_silently;
                let written = write_response(&mut writer, response, &delivery, request.keep_alive);
                if written.is_err() || !keep_alive {
                    break;
                }
                continue;
            }
            Ok(Some(_)) => BadRequest(
                421,
                "the Host header names no address this emulator serves (127.0.0.1 or localhost, \
                 with its port)",
            ),
            Ok(None) => break,
            Err(refused) => refused,
        };
        let BadRequest(status, message) = refused;
        let body = serde_json::json!({"statusCode": status, "message": message});
        let response = Response::json(status, &body);
        let _ = write_response(&mut writer, response, &Delivery::default(), false);
        linger(&mut reader, &writer);
        break;
    }
    let _ = writer.shutdown(Shutdown::Both);
}

/// Closes after a rejected request without losing the answer: closing a socket that still has
/// unread request bytes makes the kernel send a reset, which can destroy the response in
/// flight. Stop writing, then drain what the client still sends, for a bounded time.
fn linger(reader: &mut impl Read, writer: &TcpStream) {
    let _ = writer.shutdown(Shutdown::Write);
    let _ = writer.set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 16 * 1024];
    let mut drained = 0usize;
    while drained < 16 * MAX_BODY_BYTES {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}
