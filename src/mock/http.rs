//! A small HTTP/1.1 server on `std::net`, written for the emulator rather than taken from a
//! crate because fault injection needs byte-level control of the socket: dropping a response
//! after N body bytes, throttling it, or closing a kept-alive connection without notice.

use crate::sync::lock;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Largest request head (request line and headers) accepted.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Largest request body accepted.
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;

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

/// How many connections the server holds, and for how long an idle one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// A connection that sends nothing for this long (between requests, or within one) is
    /// closed, so half-open sockets cannot hold a thread each forever.
    pub idle_timeout: Duration,
    /// Connections served at once; one more is answered 503 and closed at once.
    pub max_connections: usize,
}

/// The running server: accepts on a background thread, one thread per connection (bounded).
pub(crate) struct Server {
    addr: SocketAddr,
    stopper: Arc<Stopper>,
    connections: Arc<Mutex<HashMap<u64, TcpStream>>>,
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
        let connections: Arc<Mutex<HashMap<u64, TcpStream>>> = Arc::default();
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
        for stream in lock(&self.connections).values() {
            let _ = stream.shutdown(Shutdown::Both);
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
    connections: Arc<Mutex<HashMap<u64, TcpStream>>>,
    workers: Arc<Mutex<Vec<JoinHandle<()>>>>,
    limits: Limits,
) {
    let next_id = AtomicU64::new(0);
    for stream in listener.incoming() {
        if stopper.is_stopped() {
            break;
        }
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_nodelay(true);
        let _ = stream.set_read_timeout(Some(limits.idle_timeout));
        if lock(&connections).len() >= limits.max_connections {
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
        if let Ok(clone) = stream.try_clone() {
            lock(&connections).insert(id, clone);
        }
        let handler = handler.clone();
        let stopper = stopper.clone();
        let connections_for_worker = connections.clone();
        let spawned = thread::Builder::new()
            .name("gameye-mock-conn".into())
            .spawn(move || {
                serve_connection(stream, &*handler, &stopper);
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

fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Why a request could not be read: answered with this status, then the connection closes.
struct BadRequest(u16, &'static str);

fn serve_connection(stream: TcpStream, handler: &Handler, stopper: &Arc<Stopper>) {
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut writer = write_half;
    while !stopper.is_stopped() {
        let request = match read_request(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => break,
            Err(BadRequest(status, message)) => {
                let body = serde_json::json!({"statusCode": status, "message": message});
                let response = Response::json(status, &body);
                let _ = write_response(&mut writer, response, &Delivery::default(), false);
                linger(&mut reader, &writer);
                break;
            }
        };
        let (response, delivery) = handler(&request, stopper);
        let keep_alive = request.keep_alive && !delivery.close_silently;
        let written = write_response(&mut writer, response, &delivery, request.keep_alive);
        if written.is_err() || !keep_alive {
            break;
        }
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

fn read_line(reader: &mut impl BufRead, budget: &mut usize) -> Result<Option<String>, BadRequest> {
    let mut line = Vec::new();
    let read = match reader.take(*budget as u64 + 1).read_until(b'\n', &mut line) {
        Ok(read) => read,
        // Idle past the limit: close without an answer, as servers do with idle keep-alive.
        Err(e) if line.is_empty() && is_timeout(&e) => return Ok(None),
        Err(_) => return Err(BadRequest(400, "could not read the request")),
    };
    if read == 0 {
        return Ok(None);
    }
    if read > *budget {
        return Err(BadRequest(431, "request head too large"));
    }
    *budget -= read;
    if !line.ends_with(b"\n") {
        return Err(BadRequest(400, "truncated request head"));
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| BadRequest(400, "request head is not UTF-8"))
}

fn read_request(reader: &mut impl BufRead) -> Result<Option<Request>, BadRequest> {
    let mut budget = MAX_HEAD_BYTES;
    let request_line = loop {
        match read_line(reader, &mut budget)? {
            None => return Ok(None),
            Some(line) if line.is_empty() => continue, // tolerate stray CRLF between requests
            Some(line) => break line,
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BadRequest(400, "malformed request line"));
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || !target.starts_with('/') {
        return Err(BadRequest(400, "malformed request line"));
    }
    let mut headers = Vec::new();
    loop {
        let Some(line) = read_line(reader, &mut budget)? else {
            return Err(BadRequest(400, "truncated request head"));
        };
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(BadRequest(400, "malformed header"));
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let body = match header("transfer-encoding") {
        Some(coding) if coding.eq_ignore_ascii_case("chunked") => {
            read_chunked(reader, &mut budget)?
        }
        Some(_) => {
            return Err(BadRequest(
                501,
                "only chunked transfer encoding is supported",
            ))
        }
        None => {
            let length = match header("content-length") {
                None => 0,
                Some(value) => value
                    .parse::<usize>()
                    .map_err(|_| BadRequest(400, "bad Content-Length"))?,
            };
            if length > MAX_BODY_BYTES {
                return Err(BadRequest(413, "request body too large"));
            }
            let mut body = vec![0; length];
            reader
                .read_exact(&mut body)
                .map_err(|_| BadRequest(400, "truncated request body"))?;
            body
        }
    };
    let connection = header("connection").map(str::to_ascii_lowercase);
    let keep_alive = match connection.as_deref() {
        Some("close") => false,
        Some("keep-alive") => true,
        _ => version == "HTTP/1.1",
    };
    let (raw_path, raw_query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), query.to_owned()),
        None => (target.to_owned(), String::new()),
    };
    Ok(Some(Request {
        method: method.to_owned(),
        raw_path,
        raw_query,
        headers,
        body,
        keep_alive,
    }))
}

/// Reads a chunked request body (clients send one for a POST without a body), at most
/// `MAX_BODY_BYTES`; chunk extensions and trailers are read and ignored.
fn read_chunked(reader: &mut impl BufRead, budget: &mut usize) -> Result<Vec<u8>, BadRequest> {
    let truncated = || BadRequest(400, "truncated chunked body");
    let mut body = Vec::new();
    loop {
        let line = read_line(reader, budget)?.ok_or_else(truncated)?;
        let size = line.split(';').next().unwrap_or("").trim();
        let size =
            usize::from_str_radix(size, 16).map_err(|_| BadRequest(400, "bad chunk size"))?;
        if size == 0 {
            break;
        }
        if size > MAX_BODY_BYTES - body.len() {
            return Err(BadRequest(413, "request body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader
            .read_exact(&mut body[start..])
            .map_err(|_| truncated())?;
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf).map_err(|_| truncated())?;
        if &crlf != b"\r\n" {
            return Err(BadRequest(400, "bad chunk terminator"));
        }
    }
    while read_line(reader, budget)?.is_some_and(|trailer| !trailer.is_empty()) {}
    Ok(body)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        501 => "Not Implemented",
        413 => "Payload Too Large",
        420 => "Enhance Your Calm",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// Applies the delivery faults to the body bytes.
struct FaultyWriter<'a, W: Write> {
    inner: &'a mut W,
    delivery: &'a Delivery,
    written: u64,
}

impl<W: Write> Write for FaultyWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut allowed = buf.len() as u64;
        if let Some(limit) = self.delivery.drop_after_bytes {
            let left = limit.saturating_sub(self.written);
            if left == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "fault: drop",
                ));
            }
            allowed = allowed.min(left);
        }
        if let Some(rate) = self.delivery.bytes_per_second.filter(|r| *r > 0) {
            // Send in slices of a tenth of a second's worth.
            allowed = allowed.min((rate / 10).max(1));
            thread::sleep(Duration::from_secs_f64(allowed as f64 / rate as f64));
        }
        let n = self.inner.write(&buf[..allowed as usize])?;
        self.inner.flush()?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Chunked transfer encoding over a writer.
struct Chunked<'a>(&'a mut dyn Write);

impl Write for Chunked<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        write!(self.0, "{:x}\r\n", buf.len())?;
        self.0.write_all(buf)?;
        self.0.write_all(b"\r\n")?;
        self.0.flush()?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

fn write_response(
    stream: &mut TcpStream,
    response: Response,
    delivery: &Delivery,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nServer: gameye-mock\r\n",
        response.status,
        reason(response.status),
        response.content_type
    );
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    for (name, value) in &response.extra_headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match &response.body {
        Body::Full(bytes) => head.push_str(&format!("Content-Length: {}\r\n\r\n", bytes.len())),
        Body::Stream(_) => head.push_str("Transfer-Encoding: chunked\r\n\r\n"),
    }
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, &mut *stream);
    buffered.write_all(head.as_bytes())?;
    let plain = delivery.drop_after_bytes.is_none() && delivery.bytes_per_second.is_none();
    match response.body {
        Body::Full(bytes) if plain => buffered.write_all(&bytes)?,
        Body::Full(bytes) => {
            let mut faulty = FaultyWriter {
                inner: &mut buffered,
                delivery,
                written: 0,
            };
            faulty.write_all(&bytes)?;
        }
        Body::Stream(produce) => {
            let mut faulty = FaultyWriter {
                inner: &mut buffered,
                delivery,
                written: 0,
            };
            let mut chunked = Chunked(&mut faulty);
            produce(&mut chunked)?;
            faulty.write_all(b"0\r\n\r\n")?;
        }
    }
    buffered.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Option<Request>, u16> {
        read_request(&mut io::Cursor::new(raw.as_bytes().to_vec())).map_err(|BadRequest(s, _)| s)
    }

    #[test]
    fn parses_a_request_with_a_body() {
        let request = parse("POST /session?x=1 HTTP/1.1\r\nContent-Length: 2\r\nX-A: b\r\n\r\n{}")
            .unwrap()
            .unwrap();
        assert_eq!(
            (request.method.as_str(), request.raw_path.as_str()),
            ("POST", "/session")
        );
        assert_eq!(request.raw_query, "x=1");
        assert_eq!(request.header("x-a"), Some("b"));
        assert_eq!(request.body, b"{}");
        assert!(request.keep_alive);
    }

    #[test]
    fn decodes_chunked_bodies() {
        let head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        let raw = format!("{head}3;x=1\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n");
        assert_eq!(parse(&raw).unwrap().unwrap().body, b"abcde");
        let empty = format!("{head}0\r\n\r\n");
        assert!(parse(&empty).unwrap().unwrap().body.is_empty());
    }

    #[test]
    fn rejects_bad_requests_with_a_4xx() {
        assert_eq!(parse("GARBAGE\r\n\r\n").unwrap_err(), 400);
        assert_eq!(
            parse("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n").unwrap_err(),
            400
        );
        let chunked = "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(parse(&format!("{chunked}zz\r\n")).unwrap_err(), 400);
        assert_eq!(parse(&format!("{chunked}3\r\nabcXX")).unwrap_err(), 400);
        let too_big = format!("{chunked}{:x}\r\n", MAX_BODY_BYTES + 1);
        assert_eq!(parse(&too_big).unwrap_err(), 413);
        let gzip = "GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n";
        assert_eq!(parse(gzip).unwrap_err(), 501);
        let huge = format!(
            "GET / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        assert_eq!(parse(&huge).unwrap_err(), 413);
        let long_head = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEAD_BYTES)
        );
        assert_eq!(parse(&long_head).unwrap_err(), 431);
        assert_eq!(
            parse("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab").unwrap_err(),
            400
        );
        assert!(parse("").unwrap().is_none());
    }
}
