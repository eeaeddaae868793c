//! The transport under every operation: one ureq agent per connection, sending a request with
//! its headers, retries and their waits, reading a body within its limits, mapping a failure to
//! an `Error` (with the token removed), and the request log.

use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use ureq::http::{self, Method, Response};
use ureq::{Agent, Body};

use super::config::{LogHook, LogLevel};
use super::retry::{self, CancelToken, RetryPolicy};
use super::url::BaseUrl;
use super::{error, loss, resolver, Error};
use crate::model::Recycler;
use ureq::unversioned::transport::Connector;

/// Largest 2xx JSON body read by default: a list of 10,000 sessions is about 5 MB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// How much of an error body is read; the rest is discarded.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

/// How long an idle kept-alive connection is reused: less than the 5 s after which common servers
/// close one.
pub(crate) const MAX_IDLE_AGE: Duration = Duration::from_secs(4);

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("gameye-native/", env!("CARGO_PKG_VERSION"));

/// What every connection of one client shares.
pub(crate) struct Core {
    pub(super) base: BaseUrl,
    pub(super) authorization: String,
    pub(super) timeout: Duration,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) max_body: u64,
    pub(super) retry: RetryPolicy,
    pub(super) log: Option<LogHook>,
    /// CA certificates trusted instead of the bundled roots, when set.
    pub(super) roots: Option<ureq::tls::RootCerts>,
    /// The vectors of the last freed session list, for the next list (model::recycle).
    pub(super) recycler: Arc<Recycler>,
}

/// The core and one agent: what runs requests. The client has one for blocking calls; each
/// worker of the non-blocking pool has its own, so cancelling a request can shut down just the
/// agent it runs on.
#[derive(Clone)]
pub(crate) struct Connection {
    pub(super) core: Arc<Core>,
    pub(super) agent: Agent,
    /// Wakes a non-blocking request from a backoff wait when it is cancelled.
    pub(super) cancel: Option<CancelToken>,
    /// A deadline the caller puts on every call of this connection (a wait's), besides the
    /// client's timeout per call: no request runs past it, no retry waits past it.
    pub(super) deadline: Option<Instant>,
    /// The retry policy of this connection's calls, when not the client's (a wait's looks are
    /// one attempt each: its schedule is their retry).
    pub(super) retry: Option<RetryPolicy>,
}

/// What a request carries besides its path.
pub(crate) enum Payload {
    None,
    Json(Vec<u8>),
}

impl Payload {
    pub(super) fn bytes(&self) -> Option<&[u8]> {
        match self {
            Payload::None => None,
            Payload::Json(bytes) => Some(bytes),
        }
    }
}

/// Whether a request may be sent again after a transient failure.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Safe to repeat: reads, stop, and start (which always carries its id).
    Safe,
    /// Sent once: join and leave.
    Once,
}

/// What a request asks for in its `Accept` header: what its operation returns, and JSON for
/// the error bodies the API sends (a server that honours `Accept` would otherwise refuse it).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accept {
    /// The JSON operations.
    Json,
    /// Logs: plain text.
    Text,
    /// Artifacts: the archive (`application/x-tar` in the OpenAPI; gzip types as proxies label
    /// it), or anything.
    Archive,
}

impl Accept {
    pub(super) fn header(self) -> &'static str {
        match self {
            Accept::Json => "application/json",
            Accept::Text => "text/plain, application/json;q=0.5",
            Accept::Archive => {
                "application/x-tar, application/gzip, application/x-gzip, \
                 application/octet-stream, application/json;q=0.5, */*;q=0.1"
            }
        }
    }
}

/// How long a streaming request may take: the response head within the client's timeout,
/// then the body for as long as bytes keep arriving, failing after `idle` without one
/// (`None`: never). Other requests have one deadline for the whole exchange.
pub(crate) struct Streaming {
    idle: Option<Duration>,
}

impl Core {
    /// The bearer token alone (what redaction removes).
    pub(super) fn token(&self) -> &str {
        self.authorization
            .strip_prefix("Bearer ")
            .unwrap_or(&self.authorization)
    }

    /// A new agent: its own connection pool, whole-request deadline `global`.
    pub(super) fn agent(&self, global: Option<Duration>) -> Agent {
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            // An API answer is never a redirect; one is reported, not followed.
            .max_redirects(0)
            .max_redirects_will_error(false)
            // Loopback (the emulator) never goes through a proxy from the environment.
            .proxy(if self.base.loopback {
                None
            } else {
                ureq::Proxy::try_from_env()
            })
            .max_idle_connections_per_host(16)
            .max_idle_connections(16)
            // Dropped before the shortest idle timeouts servers commonly use (Node.js and Apache
            // close after 5 s), so a kept connection is rarely closed under a request.
            .max_idle_age(MAX_IDLE_AGE)
            .timeout_global(global)
            .timeout_connect(self.connect_timeout)
            .tls_config(self.tls())
            .build();
        Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default().chain(loss::Watch),
            resolver::CachingResolver::default(),
        )
    }

    /// Certificates are always verified: against the bundled Mozilla roots, or the CA
    /// certificates the config set in their place.
    pub(super) fn tls(&self) -> ureq::tls::TlsConfig {
        let builder = ureq::tls::TlsConfig::builder();
        match &self.roots {
            Some(roots) => builder.root_certs(roots.clone()),
            None => builder,
        }
        .build()
    }

    /// A connection with a new agent of its own.
    pub(super) fn connection(self: &Arc<Self>) -> Connection {
        Connection {
            agent: self.agent(Some(self.timeout)),
            core: self.clone(),
            cancel: None,
            deadline: None,
            retry: None,
        }
    }

    /// One line for the log hook per request: method, path, outcome, duration, attempts.
    /// Never the token: it travels only in the Authorization header.
    pub(super) fn log_exchange(
        &self,
        method: &Method,
        path: &str,
        started: Instant,
        outcome: Result<u16, &Error>,
        attempt: u32,
    ) {
        let Some(hook) = &self.log else { return };
        let (level, result) = match outcome {
            Ok(status) => (LogLevel::Info, status.to_string()),
            Err(error) if error.http_status() != 0 => (
                LogLevel::Warn,
                format!("{}: {}", error.http_status(), error.message()),
            ),
            Err(error) => (
                LogLevel::Warn,
                format!("{}: {}", error.status(), error.message()),
            ),
        };
        if level <= hook.max_level {
            let millis = started.elapsed().as_millis();
            let line = format!("{method} {path} -> {result} in {millis} ms (attempt {attempt})");
            // The error was redacted already; the path is the caller's, and may hold anything.
            let line = error::redacted(&line, self.token()).unwrap_or(line);
            (hook.sink)(level, &line);
        }
    }
}

impl Connection {
    /// The client's retry policy.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        self.core.retry
    }

    /// This connection with every call ending by `deadline` too (the sooner of it and the
    /// client's timeout): for the waits, whose deadline is the caller's.
    pub(crate) fn until(&self, deadline: Instant) -> Connection {
        Connection {
            deadline: Some(self.deadline.map_or(deadline, |d| d.min(deadline))),
            ..self.clone()
        }
    }

    /// This connection with each call made once: no retry.
    pub(crate) fn once(&self) -> Connection {
        Connection {
            retry: Some(RetryPolicy::NONE),
            ..self.clone()
        }
    }

    /// The time left before this connection's own deadline (`None`: it has none).
    pub(crate) fn time_left(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// Sleeps until `at`, woken early by this connection's cancel token (a cancelled request,
    /// a client being freed); false when woken so.
    pub(crate) fn pause_until(&self, at: Instant) -> bool {
        let wait = at.saturating_duration_since(Instant::now());
        match &self.cancel {
            Some(token) => token.sleep(wait),
            None => {
                std::thread::sleep(wait);
                true
            }
        }
    }

    /// Closes this connection's agent: a request on it fails at once, now and later.
    pub(crate) fn shutdown(&self) {
        self.agent.clone().shutdown();
    }

    pub(super) fn transport_error(&self, error: ureq::Error) -> Error {
        Error::from_transport(error, &self.core.base.authority, self.core.timeout)
            .redact(self.core.token())
    }

    /// Sends one request on `agent`, asking for `accept`: the response when it is 2xx, else the
    /// error it amounts to (with the error body read, up to a limit, and the token removed from
    /// whatever the server said).
    pub(super) fn send_on(
        &self,
        agent: &Agent,
        method: &Method,
        path: &str,
        payload: &Payload,
        accept: Accept,
        streaming: Option<Streaming>,
    ) -> Result<Response<Body>, Error> {
        let request = http::Request::builder()
            .method(method.clone())
            .uri(format!("{}{path}", self.core.base.url))
            .header("Authorization", &self.core.authorization)
            .header("Accept", accept.header());
        let sent = match payload.bytes() {
            None => request
                .body(())
                .map(|r| agent.run(self.configure(agent, r, &streaming))),
            Some(bytes) => request
                .header("Content-Type", "application/json")
                .body(bytes)
                .map(|r| agent.run(self.configure(agent, r, &streaming))),
        };
        let mut response = sent
            .map_err(|e| self.transport_error(e.into()))?
            .map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| retry::parse_retry_after(value, std::time::SystemTime::now()));
        let mut body = Vec::new();
        response
            .body_mut()
            .with_config()
            .reader()
            .take(MAX_ERROR_BODY_BYTES)
            .read_to_end(&mut body)
            .map_err(|e| self.transport_error(ureq::Error::from(e)))?;
        Err(
            Error::from_response(status, &body, &self.core.base.url, retry_after)
                .redact(self.core.token()),
        )
    }

    /// Applies the streaming timeouts to one request; others keep the agent's deadline, or the
    /// connection's own when it is sooner.
    pub(super) fn configure<S: ureq::AsSendBody>(
        &self,
        agent: &Agent,
        request: http::Request<S>,
        streaming: &Option<Streaming>,
    ) -> http::Request<S> {
        let Some(Streaming { idle }) = streaming else {
            // A connection's own deadline shortens the request's (never lengthens it).
            return match self.time_left() {
                Some(left) => agent
                    .configure_request(request)
                    .timeout_global(Some(left.min(self.core.timeout)))
                    .build(),
                None => request,
            };
        };
        let head = Some(self.core.timeout);
        agent
            .configure_request(request)
            .timeout_global(None)
            .timeout_connect(head)
            .timeout_send_request(head)
            .timeout_recv_response(head)
            .timeout_per_read(*idle)
            .build()
    }

    /// Sends a streaming request on `agent` (retried like a read until its head arrives).
    pub(super) fn send_streaming(
        &self,
        agent: &Agent,
        method: Method,
        path: &str,
        accept: Accept,
        idle: Option<Duration>,
    ) -> Result<Response<Body>, Error> {
        self.attempts(&method, path, Repeat::Safe, || {
            let response = self.send_on(
                agent,
                &method,
                path,
                &Payload::None,
                accept,
                Some(Streaming { idle }),
            )?;
            Ok((response.status().as_u16(), response))
        })
    }

    /// Sends one request (with retries when `repeat` allows) asking for `accept`, and reads the
    /// whole 2xx body, at most `max_body` bytes.
    pub(super) fn call_with(
        &self,
        method: Method,
        path: &str,
        payload: Payload,
        repeat: Repeat,
        accept: Accept,
    ) -> Result<Vec<u8>, Error> {
        self.call_reading(method, path, payload, repeat, accept, Vec::new())
    }

    /// [`Connection::call_with`], reading the body into `buffer` (emptied first; its capacity
    /// is reused when large enough).
    pub(super) fn call_reading(
        &self,
        method: Method,
        path: &str,
        payload: Payload,
        repeat: Repeat,
        accept: Accept,
        buffer: Vec<u8>,
    ) -> Result<Vec<u8>, Error> {
        let mut buffer = Some(buffer);
        self.attempts(&method, path, repeat, || {
            let mut response = self.send_on(&self.agent, &method, path, &payload, accept, None)?;
            let status = response.status().as_u16();
            let body = response.body_mut();
            let max_body = self.core.max_body;
            let expected = body.content_length().map(|n| n.min(max_body));
            let into = buffer.take().unwrap_or_default();
            let bytes = read_body(body.with_config().limit(max_body).reader(), expected, into)
                .map_err(|e| self.transport_error(ureq::Error::from(e)))?;
            Ok((status, bytes))
        })
    }

    /// A request that is safe to repeat, with a JSON answer: read the whole 2xx body.
    pub(super) fn call(
        &self,
        method: Method,
        path: &str,
        payload: Payload,
    ) -> Result<Vec<u8>, Error> {
        self.call_with(method, path, payload, Repeat::Safe, Accept::Json)
    }

    /// Decodes the 2xx JSON body of a request; `what` names it in a decode error. A string
    /// holding U+0000 is refused, naming its field.
    pub(super) fn call_json_with<T: DeserializeOwned + crate::model::NulFree>(
        &self,
        method: Method,
        path: &str,
        payload: Payload,
        repeat: Repeat,
        what: &str,
    ) -> Result<T, Error> {
        let body = self.call_with(method, path, payload, repeat, Accept::Json)?;
        let value: T = serde_json::from_slice(&body).map_err(|e| {
            Error::decode(format!("could not understand {what} the server sent: {e}"))
        })?;
        match value.nul_field() {
            Some(field) => Err(Error::decode(format!(
                "could not understand {what} the server sent: `{field}`: {}",
                crate::model::NUL_IN_STRING
            ))),
            None => Ok(value),
        }
    }

    /// A request that is safe to repeat, its body decoded by `decode` (which takes the body as
    /// its storage); `what` names it in a decode error.
    pub(super) fn call_decoded<T>(
        &self,
        path: &str,
        what: &str,
        decode: fn(Vec<u8>) -> Result<T, crate::model::JsonError>,
    ) -> Result<T, Error> {
        let body = self.call(Method::GET, path, Payload::None)?;
        decode(body)
            .map_err(|e| Error::decode(format!("could not understand {what} the server sent: {e}")))
    }

    /// A request that is safe to repeat, with a JSON answer.
    pub(super) fn call_json<T: DeserializeOwned + crate::model::NulFree>(
        &self,
        method: Method,
        path: &str,
        payload: Payload,
        what: &str,
    ) -> Result<T, Error> {
        self.call_json_with(method, path, payload, Repeat::Safe, what)
    }
}

/// Reads a whole body into `bytes` (emptied first), sized by its Content-Length when it has
/// one. A body without one (chunked) grows by doubling while it is read; its spare capacity is
/// given back at the end, so a decoded list costs the same either way (the decoders take this
/// buffer as their storage). For large bodies the allocator shrinks in place (glibc: mremap), so
/// the peak is not doubled. A reused buffer (one that came with capacity) is not shrunk: it is
/// kept for the next body.
pub(crate) fn read_body(
    mut reader: impl Read,
    expected: Option<u64>,
    mut bytes: Vec<u8>,
) -> std::io::Result<Vec<u8>> {
    bytes.clear();
    let reused = bytes.capacity() > 0;
    bytes.reserve_exact(expected.unwrap_or(0) as usize);
    reader.read_to_end(&mut bytes)?;
    if !reused && bytes.capacity() - bytes.len() > bytes.len() / 16 {
        bytes.shrink_to_fit();
    }
    Ok(bytes)
}
