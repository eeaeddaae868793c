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
        let mut mapped = Error::transport_sentence(error, target, timeout);
        mapped.unanswered = reached && matches!(mapped.status, Status::Transport | Status::Timeout);
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

/// Tokens shorter than this are removed only where they stand as a word of their own: a short
/// string (a test token such as "t") occurs inside ordinary words. Gameye's tokens are far longer.
const SHORT_SECRET: usize = 8;

/// `text` with every occurrence of `secret` replaced by `[redacted]`; `None` when it holds none.
pub(crate) fn redacted(text: &str, secret: &str) -> Option<String> {
    if secret.is_empty() || !text.contains(secret) {
        return None;
    }
    if secret.len() >= SHORT_SECRET {
        return Some(text.replace(secret, "[redacted]"));
    }
    let word =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "-_.~+/=".contains(c));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(at) = rest.find(secret) {
        let before = if at > 0 {
            rest[..at].chars().next_back()
        } else {
            out.chars().next_back()
        };
        let after = rest[at + secret.len()..].chars().next();
        out.push_str(&rest[..at]);
        if word(before) || word(after) {
            out.push_str(secret);
        } else {
            out.push_str("[redacted]");
            changed = true;
        }
        rest = &rest[at + secret.len()..];
    }
    out.push_str(rest);
    changed.then_some(out)
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

/// The words of an error body that is not an `ErrorResponse` with a message: an RFC 9457
/// problem's `title` and `detail`, a `message` or `error` member, else the body's start.
/// `None` for an empty body.
fn foreign_text(body: &[u8]) -> Option<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let member = |value: &serde_json::Value, key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty() && !s.contains('\0'))
            .map(str::to_owned)
    };
    if let Ok(value @ serde_json::Value::Object(_)) = serde_json::from_slice(body) {
        let words = match (member(&value, "title"), member(&value, "detail")) {
            (Some(title), Some(detail)) => Some(format!("{title}: {detail}")),
            (title, detail) => title
                .or(detail)
                .or_else(|| member(&value, "message"))
                .or_else(|| member(&value, "error"))
                .or_else(|| value.get("error").and_then(|e| member(e, "message"))),
        };
        if let Some(words) = words {
            return Some(snippet(words.as_bytes()));
        }
    }
    Some(snippet(body))
}

/// The start of a body as one line of text.
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
            None,
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
        let error = Error::from_response(502, page.as_bytes(), "https://x", None);
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
    fn a_401_hints_that_tokens_are_per_environment_and_keeps_the_message() {
        let error = Error::from_response(
            401,
            br#"{"message":"  Unauthorized "}"#,
            "https://api.sandbox-gameye.gameye.net",
            None,
        );
        assert_eq!(error.status(), Status::Unauthorized);
        assert_eq!(error.message(), "  Unauthorized ", "unchanged");
        let hint = error.hint().unwrap();
        assert!(hint.contains("sandbox and production tokens are not interchangeable"));
        assert!(hint.contains("https://api.sandbox-gameye.gameye.net"));
    }

    #[test]
    fn empty_bodies_get_a_sentence() {
        let error = Error::from_response(420, b"", "https://x", None);
        assert_eq!(error.status(), Status::RateLimited);
        assert!(error.message().contains("try another location"));
        assert_eq!(
            Error::from_response(418, b"", "x", None).status(),
            Status::Http
        );
    }

    #[test]
    fn json_of_another_shape_keeps_its_words() {
        let problem = br#"{"type":"about:blank","title":"Bad Gateway","status":502,
            "detail":"upstream api-7 timed out"}"#;
        let error = Error::from_response(502, problem, "https://x", None);
        assert_eq!(error.status(), Status::Server);
        assert_eq!(
            error.message(),
            "HTTP 502: Bad Gateway: upstream api-7 timed out"
        );
        let error = Error::from_response(503, br#"{"error":"maintenance window"}"#, "x", None);
        assert_eq!(error.message(), "HTTP 503: maintenance window");
        let error = Error::from_response(500, br#"{"error":{"message":"boom"}}"#, "x", None);
        assert_eq!(error.message(), "HTTP 500: boom");
        let error = Error::from_response(500, br#"{"unexpected":[1,2]}"#, "x", None);
        assert_eq!(error.message(), r#"HTTP 500: {"unexpected":[1,2]}"#);
    }

    #[test]
    fn a_nul_in_an_error_body_is_shown_not_cut() {
        let error = Error::from_response(400, br#"{"message":"bad\u0000tail"}"#, "x", None);
        assert!(
            error.message().contains(r"bad\u0000tail"),
            "{}",
            error.message()
        );
        assert!(!error.message().contains('\0'));
    }

    #[test]
    fn redaction_reaches_every_field() {
        let body = br#"{"message":"echo Bearer s3cret-token","details":"s3cret-token",
            "code":"s3cret-token","path":"/x?s3cret-token","timestamp":"s3cret-token",
            "identifier":"s3cret-token","violations":[{"field":"s3cret-token","description":"s3cret-token"}]}"#;
        let error = Error::from_response(401, body, "https://x", None).redact("s3cret-token");
        assert!(!format!("{error:?}").contains("s3cret-token"), "{error:?}");
        assert_eq!(error.message(), "echo Bearer [redacted]");
    }

    #[test]
    fn short_secrets_are_removed_only_as_words() {
        assert_eq!(
            redacted("transport error: Bearer t, t", "t").as_deref(),
            Some("transport error: Bearer [redacted], [redacted]")
        );
        assert_eq!(redacted("transport error talking", "t"), None);
        assert_eq!(
            redacted("x=long-secret-token&y", "long-secret-token").as_deref(),
            Some("x=[redacted]&y")
        );
        assert_eq!(
            redacted("%20long-secret-token%22", "long-secret-token").as_deref(),
            Some("%20[redacted]%22"),
            "long tokens go wherever they stand"
        );
    }

    #[test]
    fn retry_after_is_kept_for_the_statuses_that_use_it() {
        let wait = Some(Duration::from_secs(3));
        let error = Error::from_response(420, b"", "x", wait);
        assert_eq!(error.retry_after(), wait);
        assert!(error.hint().unwrap().contains("3000 ms"));
        assert_eq!(
            Error::from_response(500, b"", "x", wait).retry_after(),
            None
        );
    }
}
