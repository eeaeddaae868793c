//! Reading a request: the head within a size limit, and a body by Content-Length or chunked.

use std::io::{self, BufRead, Read};

use super::Request;

/// Largest request head (request line and headers) accepted.
const MAX_HEAD_BYTES: usize = 16 * 1024;
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

pub(super) fn read_request(reader: &mut impl BufRead) -> Result<Option<Request>, BadRequest> {
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
