//! Reading a request: the head within a size limit and a deadline, parsed strictly (httparse,
//! plus the framing rules of RFC 9112 that a parser leaves to its caller), and a body by
//! Content-Length or chunked, within the same deadline.
//!
//! Strict, because a lenient server hides client bugs and invites request smuggling: a space
//! before a header's colon, a bare CR or LF, a Content-Length that is not digits alone, two that
//! disagree, or one beside Transfer-Encoding are each a 400.

use std::io::{self, BufRead};
use std::time::{Duration, Instant};

use super::{Activity, Request};

/// Largest request head (request line and headers) accepted.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Most headers in a request.
const MAX_HEADERS: usize = 64;
/// Largest request body accepted.
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;

pub(super) fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Why a request could not be read: answered with this status, then the connection closes.
pub(super) struct BadRequest(pub(super) u16, pub(super) &'static str);

/// How long the parts of a request may take.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timing {
    /// Between requests, and for any one read: a connection silent this long is closed.
    pub idle: Duration,
    /// From a request's first byte to its last: a client that trickles its request is answered
    /// 408 and closed, so it cannot hold a connection slot for as long as it likes.
    pub request: Duration,
}

/// The connection's input, with the socket's read timeout kept to what the deadline allows.
pub(super) struct Input<'a, R> {
    pub reader: &'a mut R,
    /// Sets the socket's read timeout.
    pub set_timeout: &'a mut dyn FnMut(Duration),
    pub timing: Timing,
    pub activity: &'a Activity,
    deadline: Option<Instant>,
}

impl<'a, R: BufRead> Input<'a, R> {
    pub fn new(
        reader: &'a mut R,
        set_timeout: &'a mut dyn FnMut(Duration),
        timing: Timing,
        activity: &'a Activity,
    ) -> Self {
        Input {
            reader,
            set_timeout,
            timing,
            activity,
            deadline: None,
        }
    }

    /// The buffered input, waiting for more within the idle timeout and the request's deadline.
    fn fill(&mut self) -> Result<&[u8], BadRequest> {
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(BadRequest(408, "the request did not arrive in time"));
            }
            (self.set_timeout)(left.min(self.timing.idle));
        }
        match self.reader.fill_buf() {
            Ok(bytes) => Ok(bytes),
            Err(e) if is_timeout(&e) => Err(BadRequest(408, "the request did not arrive in time")),
            Err(_) => Err(BadRequest(400, "could not read the request")),
        }
    }

    /// Waits for the first byte of the next request within the idle timeout: false when the
    /// connection closed or stayed idle (closed without an answer, as servers do). Stray CRLFs
    /// between requests are skipped.
    fn begin(&mut self) -> bool {
        (self.set_timeout)(self.timing.idle);
        self.deadline = None;
        self.activity.idle();
        loop {
            let Ok(bytes) = self.reader.fill_buf() else {
                return false;
            };
            let Some(&first) = bytes.first() else {
                return false;
            };
            if first == b'\r' || first == b'\n' {
                self.reader.consume(1);
                continue;
            }
            self.deadline = Some(Instant::now() + self.timing.request);
            self.activity.reading();
            return true;
        }
    }

    /// Reads exactly `out.len()` bytes.
    fn read_exact(&mut self, out: &mut [u8], truncated: &'static str) -> Result<(), BadRequest> {
        let mut filled = 0;
        while filled < out.len() {
            let bytes = self.fill()?;
            if bytes.is_empty() {
                return Err(BadRequest(400, truncated));
            }
            let n = bytes.len().min(out.len() - filled);
            out[filled..filled + n].copy_from_slice(&bytes[..n]);
            self.reader.consume(n);
            filled += n;
        }
        Ok(())
    }

    /// Reads up to and with the next LF, at most `budget` bytes; the line must end in CRLF.
    fn read_line(&mut self, budget: &mut usize) -> Result<Vec<u8>, BadRequest> {
        let mut line = Vec::new();
        loop {
            let bytes = self.fill()?;
            if bytes.is_empty() {
                return Err(BadRequest(400, "truncated chunked body"));
            }
            let (n, done) = match bytes.iter().position(|&b| b == b'\n') {
                Some(at) => (at + 1, true),
                None => (bytes.len(), false),
            };
            if n > *budget {
                return Err(BadRequest(431, "request head too large"));
            }
            *budget -= n;
            line.extend_from_slice(&bytes[..n]);
            self.reader.consume(n);
            if done {
                break;
            }
        }
        if !line.ends_with(b"\r\n") || line[..line.len() - 2].contains(&b'\r') {
            return Err(BadRequest(400, "a line must end in CRLF"));
        }
        line.truncate(line.len() - 2);
        Ok(line)
    }

    /// The head: up to and with its blank line, at most `MAX_HEAD_BYTES`.
    fn read_head(&mut self) -> Result<Vec<u8>, BadRequest> {
        let mut head = Vec::new();
        loop {
            let bytes = self.fill()?;
            if bytes.is_empty() {
                return Err(BadRequest(400, "truncated request head"));
            }
            let before = head.len();
            head.extend_from_slice(bytes);
            let from = before.saturating_sub(3);
            let end = head[from..]
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|at| from + at + 4);
            // A bare LF never ends a head here, and is refused below; so is its double.
            let lf_end = head[before.saturating_sub(1)..]
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|at| before.saturating_sub(1) + at + 2);
            let end = match (end, lf_end) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            match end {
                Some(end) if end <= MAX_HEAD_BYTES => {
                    self.reader.consume(end - before);
                    head.truncate(end);
                    return Ok(head);
                }
                // An end past the limit means a head past it too.
                _ if head.len() > MAX_HEAD_BYTES => {
                    return Err(BadRequest(431, "request head too large"));
                }
                _ => {
                    let n = head.len() - before;
                    self.reader.consume(n);
                }
            }
        }
    }
}

/// Every CR is followed by an LF and every LF preceded by a CR.
fn crlf_only(head: &[u8]) -> bool {
    head.iter().enumerate().all(|(i, &b)| match b {
        b'\r' => head.get(i + 1) == Some(&b'\n'),
        b'\n' => i > 0 && head[i - 1] == b'\r',
        _ => true,
    })
}

/// A Content-Length value: digits alone (no sign, no spaces, no list).
fn content_length(value: &str) -> Result<usize, BadRequest> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadRequest(400, "bad Content-Length"));
    }
    value
        .parse::<usize>()
        .map_err(|_| BadRequest(413, "request body too large"))
}

/// The next request on the connection; `None` when it closed or stayed idle between requests.
pub(super) fn read_request<R: BufRead>(
    input: &mut Input<'_, R>,
) -> Result<Option<Request>, BadRequest> {
    if !input.begin() {
        return Ok(None);
    }
    let head = input.read_head()?;
    if !crlf_only(&head) {
        return Err(BadRequest(400, "a bare CR or LF in the request head"));
    }
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    match parsed.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(BadRequest(400, "truncated request head")),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(BadRequest(431, "too many request headers"))
        }
        Err(_) => return Err(BadRequest(400, "malformed request head")),
    }
    let (Some(method), Some(target), Some(minor)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Err(BadRequest(400, "malformed request line"));
    };
    if !target.starts_with('/') {
        return Err(BadRequest(400, "malformed request line"));
    }
    let mut headers = Vec::with_capacity(parsed.headers.len());
    for header in parsed.headers.iter() {
        let value = std::str::from_utf8(header.value)
            .map_err(|_| BadRequest(400, "request head is not UTF-8"))?;
        headers.push((header.name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let all = |name: &'static str| headers.iter().filter(move |(n, _)| n == name);
    if all("host").count() > 1 {
        return Err(BadRequest(400, "more than one Host header"));
    }
    if minor == 1 && all("host").count() == 0 {
        return Err(BadRequest(400, "an HTTP/1.1 request needs a Host header"));
    }
    let lengths: Vec<usize> = all("content-length")
        .map(|(_, v)| content_length(v))
        .collect::<Result<_, _>>()?;
    if lengths.windows(2).any(|w| w[0] != w[1]) {
        return Err(BadRequest(400, "conflicting Content-Length headers"));
    }
    let codings: Vec<&str> = all("transfer-encoding").map(|(_, v)| v.as_str()).collect();
    if !codings.is_empty() && !lengths.is_empty() {
        return Err(BadRequest(
            400,
            "Content-Length and Transfer-Encoding together",
        ));
    }
    let body = match codings.as_slice() {
        [] => {
            let length = lengths.first().copied().unwrap_or(0);
            if length > MAX_BODY_BYTES {
                return Err(BadRequest(413, "request body too large"));
            }
            let mut body = vec![0; length];
            input.read_exact(&mut body, "truncated request body")?;
            body
        }
        [coding] if coding.eq_ignore_ascii_case("chunked") => read_chunked(input)?,
        _ => {
            return Err(BadRequest(
                501,
                "only chunked transfer encoding is supported",
            ))
        }
    };
    input.activity.handling();
    let connection = all("connection")
        .map(|(_, v)| v.to_ascii_lowercase())
        .next();
    let keep_alive = match connection.as_deref() {
        Some("close") => false,
        Some("keep-alive") => true,
        _ => minor == 1,
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
fn read_chunked<R: BufRead>(input: &mut Input<'_, R>) -> Result<Vec<u8>, BadRequest> {
    let truncated = "truncated chunked body";
    let mut budget = MAX_HEAD_BYTES;
    let mut body = Vec::new();
    loop {
        let line = input.read_line(&mut budget)?;
        let line = String::from_utf8(line).map_err(|_| BadRequest(400, "bad chunk size"))?;
        let size = line.split(';').next().unwrap_or("");
        if size.is_empty() || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(BadRequest(400, "bad chunk size"));
        }
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| BadRequest(413, "request body too large"))?;
        if size == 0 {
            break;
        }
        if size > MAX_BODY_BYTES - body.len() {
            return Err(BadRequest(413, "request body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        input.read_exact(&mut body[start..], truncated)?;
        let mut crlf = [0u8; 2];
        input.read_exact(&mut crlf, truncated)?;
        if &crlf != b"\r\n" {
            return Err(BadRequest(400, "bad chunk terminator"));
        }
    }
    while !input.read_line(&mut budget)?.is_empty() {}
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMING: Timing = Timing {
        idle: Duration::from_secs(5),
        request: Duration::from_secs(5),
    };

    fn parse(raw: &str) -> Result<Option<Request>, u16> {
        let mut reader = io::Cursor::new(raw.as_bytes().to_vec());
        let activity = Activity::default();
        let mut no_timeout = |_| {};
        let mut input = Input::new(&mut reader, &mut no_timeout, TIMING, &activity);
        read_request(&mut input).map_err(|BadRequest(s, _)| s)
    }

    #[test]
    fn parses_a_request_with_a_body() {
        let request =
            parse("POST /session?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nX-A: b\r\n\r\n{}")
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
    fn reads_requests_one_after_another() {
        let raw = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
        let mut reader = io::Cursor::new(raw.as_bytes().to_vec());
        let activity = Activity::default();
        let mut no_timeout = |_| {};
        let mut input = Input::new(&mut reader, &mut no_timeout, TIMING, &activity);
        let first = read_request(&mut input).ok().flatten().unwrap();
        let second = read_request(&mut input).ok().flatten().unwrap();
        assert_eq!(
            (first.raw_path.as_str(), second.raw_path.as_str()),
            ("/a", "/b")
        );
        assert!(read_request(&mut input).ok().unwrap().is_none());
    }

    #[test]
    fn decodes_chunked_bodies() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        let raw = format!("{head}3;x=1\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n");
        assert_eq!(parse(&raw).unwrap().unwrap().body, b"abcde");
        let empty = format!("{head}0\r\n\r\n");
        assert!(parse(&empty).unwrap().unwrap().body.is_empty());
    }

    #[test]
    fn rejects_bad_requests_with_a_4xx() {
        assert_eq!(parse("GARBAGE\r\n\r\n").unwrap_err(), 400);
        assert_eq!(
            parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n").unwrap_err(),
            400
        );
        let chunked = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(parse(&format!("{chunked}zz\r\n")).unwrap_err(), 400);
        assert_eq!(parse(&format!("{chunked}3\r\nabcXX")).unwrap_err(), 400);
        let too_big = format!("{chunked}{:x}\r\n", MAX_BODY_BYTES + 1);
        assert_eq!(parse(&too_big).unwrap_err(), 413);
        let gzip = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n";
        assert_eq!(parse(gzip).unwrap_err(), 501);
        let huge = format!(
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        assert_eq!(parse(&huge).unwrap_err(), 413);
        let long_head = format!(
            "GET / HTTP/1.1\r\nHost: h\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEAD_BYTES)
        );
        assert_eq!(parse(&long_head).unwrap_err(), 431);
        assert_eq!(
            parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab").unwrap_err(),
            400
        );
        assert!(parse("").unwrap().is_none());
    }

    /// What a lenient parser took, each a way to make two parsers disagree about one request.
    #[test]
    fn framing_is_strict() {
        for (what, raw) in [
            (
                "a space before the colon",
                "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
            ),
            (
                "conflicting lengths",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            ),
            (
                "a signed length",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +2\r\n\r\nab",
            ),
            (
                "a length list",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\n\r\nab",
            ),
            ("a bare CR", "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n"),
            ("a bare LF", "GET / HTTP/1.1\nHost: h\n\n"),
            (
                "length beside chunked",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\
                 Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            ),
            ("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
            ("no host", "GET / HTTP/1.1\r\nX: y\r\n\r\n"),
            (
                "a folded header",
                "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n",
            ),
        ] {
            assert_eq!(parse(raw).map(|_| ()), Err(400), "{what}");
        }
        // Equal repeated lengths are one length (RFC 9112 allows a recipient to take them).
        let same = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab";
        assert_eq!(parse(same).unwrap().unwrap().body, b"ab");
        // HTTP/1.0 needs no Host.
        assert!(parse("GET / HTTP/1.0\r\n\r\n").unwrap().is_some());
    }
}
