//! `Error`: what every failed call returns, with the status, the HTTP status and the fields of
//! the API's `ErrorResponse` body. Messages never contain the bearer token.

use std::fmt;
use std::io;
use std::time::Duration;

use super::loss::ConnectionLost;
use crate::model::{ErrorBody, Text};
use crate::Status;

mod body;
mod redact;
#[cfg(test)]
mod tests;

use body::{describe, foreign_text};
pub(crate) use redact::redacted;

/// A failed call.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    status: Status,
    http_status: u16,
    message: Text,
    hint: Option<Text>,
    body: Option<Box<ErrorBody>>,
    attempts: u32,
    /// A failed start: the session id it sent.
    session_id: Option<Text>,
    /// The wait a `Retry-After` header asked for (420, 429, 503).
    retry_after: Option<Duration>,
    /// Whether this call's request may have reached the server without an answer coming back
    /// (a timeout or a connection lost after sending), on this attempt or an earlier one.
    unanswered: bool,
    /// The request failed on a kept-alive connection that the server closed before any byte of
    /// the answer: it never read the request, so even a request sent once may be sent again.
    stale_connection: bool,
}

impl Error {
    /// An error with no HTTP response behind it.
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        Error {
            status,
            http_status: 0,
            message: Text::from(message.into()),
            hint: None,
            body: None,
            attempts: 1,
            session_id: None,
            retry_after: None,
            unanswered: false,
            stale_connection: false,
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

    /// A readable sentence: the server's `message` unchanged when it sent one, else the
    /// library's (which, for an error body of another shape, quotes that body's own words).
    pub fn message(&self) -> &str {
        self.message.as_str()
    }

    pub(crate) fn message_text(&self) -> &Text {
        &self.message
    }

    /// The library's advice, kept apart from the server's message: why a 401 happens, how long
    /// a 420 asked to wait, how many attempts were made. `None` when it has none.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    pub(crate) fn hint_text(&self) -> Option<&Text> {
        self.hint.as_ref()
    }

    /// Adds a sentence to the hint.
    pub(crate) fn with_hint(mut self, sentence: &str) -> Error {
        self.hint = Some(Text::from(match self.hint.take() {
            Some(hint) => format!("{} {sentence}", hint.as_str()),
            None => sentence.to_owned(),
        }));
        self
    }

    /// How many attempts were made before giving up (1 when the request was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Records the attempts made (the hint says so when there was more than one) and whether an
    /// earlier attempt may have reached the server unanswered.
    pub(crate) fn with_attempts(mut self, attempts: u32, earlier_unanswered: bool) -> Error {
        self.attempts = attempts;
        self.unanswered |= earlier_unanswered;
        if attempts > 1 {
            return self.with_hint(&format!("Gave up after {attempts} attempts."));
        }
        self
    }

    /// For a failed start: the session id it sent, so the caller can describe or stop a
    /// session that may exist. `None` for every other call.
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    pub(crate) fn session_id_text(&self) -> Option<&Text> {
        self.session_id.as_ref()
    }

    pub(crate) fn with_session_id(mut self, id: &str) -> Error {
        self.session_id = Some(Text::new(id));
        self
    }

    /// The wait the server asked for in `Retry-After`, if any.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether the request may have reached the server with no answer coming back: it may have
    /// had its effect (a timeout, or a connection lost once the request was sent).
    pub(crate) fn may_have_reached_unanswered(&self) -> bool {
        self.unanswered
    }

    /// This failure as `Cancelled` with `message`: a call that something else interrupted. What
    /// the caller needs of it stays (a failed start's session id, the attempts, whether it may
    /// have reached the server); what it had failed with goes into the hint.
    pub(crate) fn cancelled(mut self, message: &str) -> Error {
        let was = format!("When it was interrupted it had failed with: {self}.");
        self.status = Status::Cancelled;
        self.http_status = 0;
        self.message = Text::from(message.to_owned());
        self.body = None;
        self.retry_after = None;
        self.hint = None;
        self.with_hint(&was)
    }

    /// Whether the request failed on a kept-alive connection the server had closed before any
    /// byte of its answer (see `loss`): the one failure after which join and leave are sent again.
    pub(crate) fn is_stale_connection(&self) -> bool {
        self.stale_connection
    }

    /// Removes `secret` from every string of the error: a proxy or a misbehaving server may
    /// echo the request's `Authorization` header back in what it says.
    pub(crate) fn redact(mut self, secret: &str) -> Error {
        fn scrub(text: &mut Text, secret: &str) {
            if let Some(clean) = redacted(text, secret) {
                *text = Text::from(clean);
            }
        }
        fn scrub_opt(text: &mut Option<Text>, secret: &str) {
            if let Some(text) = text {
                scrub(text, secret);
            }
        }
        if secret.is_empty() {
            return self;
        }
        scrub(&mut self.message, secret);
        scrub_opt(&mut self.hint, secret);
        if let Some(body) = &mut self.body {
            for field in [
                &mut body.code,
                &mut body.message,
                &mut body.details,
                &mut body.path,
                &mut body.timestamp,
                &mut body.identifier,
            ] {
                scrub_opt(field, secret);
            }
            for violation in &mut body.violations {
                scrub(&mut violation.field, secret);
                scrub(&mut violation.description, secret);
            }
        }
        self
    }

    /// The `ErrorResponse` body, when the server sent one.
    pub fn body(&self) -> Option<&ErrorBody> {
        self.body.as_deref()
    }

    /// An error for a non-2xx response. `base_url` goes into the 401 hint; `retry_after` is
    /// the response's `Retry-After` wait, if it had one.
    pub(crate) fn from_response(
        http_status: u16,
        body: &[u8],
        base_url: &str,
        retry_after: Option<Duration>,
    ) -> Error {
        let status = Status::from_http(http_status);
        // A field holding U+0000 could not reach C whole: such a body is read as text instead,
        // where the NUL shows as the six characters of its escape.
        let parsed = ErrorBody::parse(body).filter(|b| !b.holds_nul());
        let server_message = parsed
            .as_ref()
            .and_then(|b| b.message.as_ref())
            .filter(|m| !m.trim().is_empty())
            .cloned();
        let has_server_message = server_message.is_some();
        let message = match server_message {
            Some(message) => message,
            None => Text::from(match foreign_text(body) {
                Some(text) => format!("HTTP {http_status}: {text}"),
                None => format!("HTTP {http_status}: {}", describe(http_status)),
            }),
        };
        let mut error = Error {
            status,
            http_status,
            message,
            hint: None,
            body: parsed.map(Box::new),
            attempts: 1,
            session_id: None,
            retry_after: retry_after.filter(|_| matches!(http_status, 420 | 429 | 503)),
            unanswered: false,
            stale_connection: false,
        };
        if http_status == 401 {
            error = error.with_hint(&format!(
                "The API token was rejected by {base_url}: sandbox and production tokens are \
                 not interchangeable, so check that the token belongs to this endpoint."
            ));
        }
        if http_status == 420 && has_server_message {
            error = error.with_hint(describe(420));
        }
        if let Some(wait) = error.retry_after {
            error = error.with_hint(&format!(
                "The server asked to wait {} ms before retrying.",
                wait.as_millis()
            ));
        }
        error
    }

    /// An error for a failed exchange (no usable response). It records whether the request
    /// may have reached the server: not when connecting failed, else yes.
    pub(crate) fn from_transport(error: ureq::Error, target: &str, timeout: Duration) -> Error {
        let reached = !matches!(
            &error,
            ureq::Error::HostNotFound
                | ureq::Error::ConnectionFailed
                | ureq::Error::Tls(_)
                | ureq::Error::Rustls(_)
                | ureq::Error::BadUri(_)
                | ureq::Error::Http(_)
        ) && !matches!(&error, ureq::Error::Io(e) if e.kind() == io::ErrorKind::ConnectionRefused);
        let stale = matches!(&error, ureq::Error::Io(e)
            if ConnectionLost::of(e).is_some_and(ConnectionLost::is_stale_reuse));
        let mut mapped = Error::transport_sentence(error, target, timeout);
        mapped.unanswered = reached && matches!(mapped.status, Status::Transport | Status::Timeout);
        mapped.stale_connection = stale;
        mapped
    }

    fn transport_sentence(error: ureq::Error, target: &str, timeout: Duration) -> Error {
        let timed_out = || {
            Error::new(
                Status::Timeout,
                format!(
                    "no complete response from {target} within {} ms",
                    timeout.as_millis()
                ),
            )
        };
        let transport = |message: String| Error::new(Status::Transport, message);
        match error {
            ureq::Error::Timeout(_) => timed_out(),
            ureq::Error::Io(e) if ConnectionLost::of(&e).is_some() => {
                let lost = ConnectionLost::of(&e).map(ToString::to_string);
                transport(format!("{} ({target})", lost.unwrap_or_default()))
            }
            ureq::Error::Io(e) => match e.kind() {
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => timed_out(),
                io::ErrorKind::ConnectionRefused => {
                    transport(format!("connection refused: {target}"))
                }
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::UnexpectedEof
                | io::ErrorKind::BrokenPipe => transport(format!(
                    "the connection to {target} was lost before the response was complete ({e})"
                )),
                _ => transport(format!("transport error talking to {target}: {e}")),
            },
            ureq::Error::HostNotFound => {
                transport(format!("could not resolve the host of {target}"))
            }
            ureq::Error::ConnectionFailed => transport(format!("could not connect to {target}")),
            ureq::Error::BodyExceedsLimit(limit) => Error::decode(format!(
                "the response body from {target} is larger than the {limit}-byte limit"
            )),
            ureq::Error::Protocol(e) => {
                transport(format!("malformed HTTP response from {target}: {e}"))
            }
            ureq::Error::Tls(e) => transport(format!("TLS error with {target}: {e}")),
            ureq::Error::Rustls(e) => transport(format!("TLS error with {target}: {e}")),
            ureq::Error::BadUri(e) => Error::invalid_argument(format!("invalid URL: {e}")),
            ureq::Error::Http(e) => Error::invalid_argument(format!("invalid request: {e}")),
            ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => Error::new(
                Status::Http,
                format!("{target} redirected the request too many times"),
            ),
            other => transport(format!("transport error talking to {target}: {other}")),
        }
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
