//! Writing a response: the head, then the body whole, streamed in chunks, or cut and throttled
//! by the delivery faults.

use std::io::{self, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use super::{Body, Delivery, Response};

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
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        501 => "Not Implemented",
        413 => "Payload Too Large",
        420 => "Enhance Your Calm",
        421 => "Misdirected Request",
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

pub(super) fn write_response(
    stream: &mut TcpStream,
    response: Response,
    delivery: &Delivery,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nServer: gameye-mock\r\nDate: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        http_date(std::time::SystemTime::now())
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

/// `time` as an HTTP date (RFC 9110 IMF-fixdate, always GMT), as the real API sends in `Date`
/// (`gameye doctor` reads the clock offset from it).
pub(crate) fn http_date(time: std::time::SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let seconds = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = crate::mock::responses::civil_date(days as i64);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod date_tests {
    use super::http_date;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn http_dates_match_known_instants() {
        let at = |seconds| http_date(UNIX_EPOCH + Duration::from_secs(seconds));
        assert_eq!(at(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(at(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(at(1_796_083_199), "Mon, 30 Nov 2026 23:59:59 GMT");
    }
}
