//! `Error`: what every failed call returns, with the status, the HTTP status and the fields of
//! the API's `ErrorResponse` body. Messages never contain the bearer token.

use std::fmt;
use std::io;
use std::time::Duration;

use crate::model::{ErrorBody, Text};
use crate::Status;

/// Longest piece of a non-JSON error body kept in a message.
const SNIPPET_CHARS: usize = 300;

/// A failed call.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    status: Status,
    http_status: u16,
    message: Text,
    body: Option<Box<ErrorBody>>,
    attempts: u32,
}

impl Error {
    /// An error with no HTTP response behind it.
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        Error {
            status,
            http_status: 0,
            message: Text::from(message.into()),
            body: None,
            attempts: 1,
        }
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(Status::InvalidArgument, message)
    }

    pub(crate) fn decode(message: impl Into<String>) -> Error {
        Error::new(Status::Decode, message)
    }

    /// The status: why the call failed.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The HTTP status of the response; 0 when there was no response.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// A readable sentence: the server's `message` when it sent one, else the library's.
    pub fn message(&self) -> &str {
        self.message.as_str()
    }

    pub(crate) fn message_text(&self) -> &Text {
        &self.message
    }

    /// How many attempts were made before giving up (1 when the request was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Records the attempts made; the message says so when there was more than one.
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        self.attempts = attempts;
        if attempts > 1 {
            self.message = Text::from(format!(
                "{} (gave up after {attempts} attempts)",
                self.message.as_str()
            ));
        }
        self
    }

    /// The `ErrorResponse` body, when the server sent one.
    pub fn body(&self) -> Option<&ErrorBody> {
        self.body.as_deref()
    }

    /// An error for a non-2xx response. `base_url` goes into the 401 hint.
    pub(crate) fn from_response(http_status: u16, body: &[u8], base_url: &str) -> Error {
        let status = Status::from_http(http_status);
        let parsed = ErrorBody::parse(body);
        let server_message = parsed
            .as_ref()
            .and_then(|b| b.message.as_deref())
            .map(str::trim)
            .filter(|m| !m.is_empty());
        let mut message = match server_message {
            Some(message) => message.to_owned(),
            None if parsed.is_none() && !body.is_empty() => {
                format!("HTTP {http_status}: {}", snippet(body))
            }
            None => format!("HTTP {http_status}: {}", describe(http_status)),
        };
        if http_status == 401 {
            message.push_str(&format!(
                " (the API token was rejected by {base_url}: sandbox and production tokens are \
                 not interchangeable, so check that the token belongs to this endpoint)"
            ));
        }
        Error {
            status,
            http_status,
            message: Text::from(message),
            body: parsed.map(Box::new),
            attempts: 1,
        }
    }

    /// An error for a failed exchange (no usable response).
    pub(crate) fn from_transport(error: ureq::Error, target: &str, timeout: Duration) -> Error {
        let timed_out = || {
            Error::new(
                Status::Timeout,
                format!(
                    "no complete response from {target} within {} ms",
                    timeout.as_millis()
                ),
            )
        };
        match error {
            ureq::Error::Timeout(_) => timed_out(),
            ureq::Error::Io(e) => match e.kind() {
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => timed_out(),
                io::ErrorKind::ConnectionRefused => {
                    Error::new(Status::Transport, format!("connection refused: {target}"))
                }
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::UnexpectedEof
                | io::ErrorKind::BrokenPipe => Error::new(
                    Status::Transport,
                    format!("the connection to {target} was lost before the response was complete ({e})"),
                ),
                _ => Error::new(Status::Transport, format!("transport error talking to {target}: {e}")),
            },
            ureq::Error::HostNotFound => {
                Error::new(Status::Transport, format!("could not resolve the host of {target}"))
            }
            ureq::Error::ConnectionFailed => {
                Error::new(Status::Transport, format!("could not connect to {target}"))
            }
            ureq::Error::BodyExceedsLimit(limit) => Error::decode(format!(
                "the response body from {target} is larger than the {limit}-byte limit"
            )),
            ureq::Error::Protocol(e) => {
                Error::new(Status::Transport, format!("malformed HTTP response from {target}: {e}"))
            }
            ureq::Error::Tls(e) => Error::new(Status::Transport, format!("TLS error with {target}: {e}")),
            ureq::Error::Rustls(e) => Error::new(Status::Transport, format!("TLS error with {target}: {e}")),
            ureq::Error::BadUri(e) => Error::invalid_argument(format!("invalid URL: {e}")),
            ureq::Error::Http(e) => Error::invalid_argument(format!("invalid request: {e}")),
            ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
                Error::new(Status::Http, format!("{target} redirected the request too many times"))
            }
            other => Error::new(Status::Transport, format!("transport error talking to {target}: {other}")),
        }
    }
}

/// A short description of an HTTP status, for bodies without a message.
fn describe(http_status: u16) -> &'static str {
    match http_status {
        400 | 422 => "the request was rejected as invalid",
        401 => "the API token was rejected",
        402 => "the account's quota is exhausted",
        403 => "the API token lacks the scope this operation needs",
        404 => "not found",
        409 => "conflict with the current state of the session",
        420 => {
            "no capacity in that location right now, or too many starts in a short time; \
                retry later or try another location"
        }
        429 => "too many requests; retry later",
        500..=599 => "the server failed to handle the request",
        _ => "unexpected response",
    }
}

/// The start of a non-JSON body as one line of text.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    for (count, word) in text.split_whitespace().enumerate() {
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > SNIPPET_CHARS {
            break;
        }
    }
    match out.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => {
            out.truncate(cut);
            out.push('…');
            out
        }
        None => out,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.message)?;
        if self.http_status != 0 && !self.message.starts_with("HTTP ") {
            write!(f, " (HTTP {})", self.http_status)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("status", &self.status)
            .field("http_status", &self.http_status)
            .field("message", &self.message)
            .field("body", &self.body)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_bodies_keep_every_field() {
        let error = Error::from_response(
            422,
            br#"{"statusCode":422,"code":"validation_failed","message":"Bad request.","details":"d",
                "path":"/session","timestamp":"t","identifier":"id-1",
                "violations":[{"field":"ttl","description":"bad"}]}"#,
            "https://x",
        );
        assert_eq!(error.status(), Status::InvalidRequest);
        assert_eq!(error.http_status(), 422);
        assert_eq!(error.message(), "Bad request.");
        let body = error.body().unwrap();
        assert_eq!(body.identifier.as_deref(), Some("id-1"));
        assert_eq!(body.violations[0].field, "ttl");
    }

    #[test]
    fn html_from_a_proxy_keeps_its_status_and_text() {
        let page = format!(
            "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
            "x ".repeat(1000)
        );
        let error = Error::from_response(502, page.as_bytes(), "https://x");
        assert_eq!(error.status(), Status::Server);
        assert_eq!(error.http_status(), 502);
        assert!(
            error.message().contains("502 Bad Gateway"),
            "{}",
            error.message()
        );
        assert!(error.message().chars().count() < SNIPPET_CHARS + 20);
        assert!(error.body().is_none());
    }

    #[test]
    fn a_401_says_tokens_are_per_environment() {
        let error = Error::from_response(401, b"", "https://api.sandbox-gameye.gameye.net");
        assert_eq!(error.status(), Status::Unauthorized);
        assert!(error
            .message()
            .contains("sandbox and production tokens are not interchangeable"));
        assert!(error
            .message()
            .contains("https://api.sandbox-gameye.gameye.net"));
    }

    #[test]
    fn empty_bodies_get_a_sentence() {
        let error = Error::from_response(420, b"", "https://x");
        assert_eq!(error.status(), Status::RateLimited);
        assert!(error.message().contains("try another location"));
        assert_eq!(Error::from_response(418, b"", "x").status(), Status::Http);
    }
}
