//! The Rust client. `Client` is the public handle: blocking calls (one method per operation)
//! and non-blocking ones (see `dispatch`). Underneath, a `Connection` (the shared `Core` plus
//! one ureq agent) implements the operations, one file per family; this file holds the
//! transport: agents, sending, reading, error mapping and the request log.

mod artifacts;
mod catalogue;
mod config;
mod dispatch;
mod error;
mod logs;
mod nonblocking;
mod options;
mod players;
mod request;
mod resolver;
mod retry;
mod sessions;
mod url;

use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use ureq::http::{self, Method, Response};
use ureq::{Agent, Body};

pub use artifacts::{ArtifactOptions, DEFAULT_MAX_ARTIFACT_BYTES};
pub use config::{
    ClientConfig, Delivery, LogLevel, DEFAULT_TIMEOUT, DEFAULT_WORKER_THREADS, ENV_ENDPOINT,
    ENV_TOKEN, MAX_WORKER_THREADS, PRODUCTION_URL, SANDBOX_URL,
};
pub use error::Error;
pub use logs::{LogEvent, LogStream, Logs};
pub(crate) use nonblocking::jobs;
pub use options::{ListOptions, StartOptions};
pub use request::Request;
pub(crate) use request::RequestState;
pub use retry::RetryPolicy;

use config::{LogHook, Settings};
use dispatch::Dispatcher;
use retry::{is_transient, CancelToken};
use url::{push_encoded, BaseUrl};

/// Largest 2xx JSON body read by default: a list of 10,000 sessions is about 5 MB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// How much of an error body is read; the rest is discarded.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("gameye-native/", env!("CARGO_PKG_VERSION"));

/// What every connection of one client shares.
pub(crate) struct Core {
    base: BaseUrl,
    authorization: String,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    max_body: u64,
    retry: RetryPolicy,
    log: Option<LogHook>,
    /// CA certificates trusted instead of the bundled roots, when set.
    roots: Option<ureq::tls::RootCerts>,
}

/// The core and one agent: what runs requests. The client has one for blocking calls; each
/// worker of the non-blocking pool has its own, so cancelling a request can shut down just the
/// agent it runs on.
#[derive(Clone)]
pub(crate) struct Connection {
    core: Arc<Core>,
    agent: Agent,
    /// Wakes a non-blocking request from a backoff wait when it is cancelled.
    cancel: Option<CancelToken>,
}

/// A client for one account on one environment. Thread-safe: share one among any number of
/// threads; connections are pooled and kept alive. Freeing it cancels the non-blocking requests
/// still in flight, delivers their completions and joins its threads before it returns.
pub struct Client {
    connection: Connection,
    dispatcher: Dispatcher,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.connection.core.base.url)
            .field("token", &"<redacted>")
            .field("timeout", &self.connection.core.timeout)
            .finish()
    }
}

/// What a request carries besides its path.
enum Payload {
    None,
    Json(Vec<u8>),
}

impl Payload {
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Payload::None => None,
            Payload::Json(bytes) => Some(bytes),
        }
    }
}

/// Whether a request may be sent again after a transient failure.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// Safe to repeat: reads, stop, and start (which always carries its id).
    Safe,
    /// Sent once: join and leave.
    Once,
}

/// What a request asks for in its `Accept` header: what its operation returns, and JSON for
/// the error bodies the API sends (a server that honours `Accept` would otherwise refuse it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Accept {
    /// The JSON operations.
    Json,
    /// Logs: plain text.
    Text,
    /// Artifacts: the archive (`application/x-tar` in the OpenAPI; gzip types as proxies label
    /// it), or anything.
    Archive,
}

impl Accept {
    fn header(self) -> &'static str {
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
struct Streaming {
    idle: Option<Duration>,
}

/// Percent-encodes `value` as one path segment after `prefix`; `what` names it in the error
/// for an empty value.
fn path_with(prefix: &str, value: &str, what: &str) -> Result<String, Error> {
    let mut path = String::from(prefix);
    push_segment(&mut path, value, what)?;
    Ok(path)
}

/// Appends `value` as one percent-encoded path segment, so no value can reach another route.
/// `.` and `..` are refused: percent-encoding leaves them as they are, and a proxy would
/// normalise them as dot-segments into another path.
fn push_segment(path: &mut String, value: &str, what: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_argument(format!("{what} must not be empty")));
    }
    if value == "." || value == ".." {
        return Err(Error::invalid_argument(format!(
            "{what} must not be {value:?}: it would name another path"
        )));
    }
    push_encoded(path, value);
    Ok(())
}

impl Core {
    /// The bearer token alone (what redaction removes).
    fn token(&self) -> &str {
        self.authorization
            .strip_prefix("Bearer ")
            .unwrap_or(&self.authorization)
    }

    /// A new agent: its own connection pool, whole-request deadline `global`.
    fn agent(&self, global: Option<Duration>) -> Agent {
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
            .timeout_global(global)
            .timeout_connect(self.connect_timeout)
            .tls_config(self.tls())
            .build();
        Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default(),
            resolver::CachingResolver::default(),
        )
    }

    /// Certificates are always verified: against the bundled Mozilla roots, or the CA
    /// certificates the config set in their place.
    fn tls(&self) -> ureq::tls::TlsConfig {
        let builder = ureq::tls::TlsConfig::builder();
        match &self.roots {
            Some(roots) => builder.root_certs(roots.clone()),
            None => builder,
        }
        .build()
    }

    /// A connection with a new agent of its own.
    fn connection(self: &Arc<Self>) -> Connection {
        Connection {
            agent: self.agent(Some(self.timeout)),
            core: self.clone(),
            cancel: None,
        }
    }

    /// One line for the log hook per request: method, path, outcome, duration, attempts.
    /// Never the token: it travels only in the Authorization header.
    fn log_exchange(
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
    fn transport_error(&self, error: ureq::Error) -> Error {
        Error::from_transport(error, &self.core.base.authority, self.core.timeout)
            .redact(self.core.token())
    }

    /// Runs `exchange` until it succeeds, fails for good, or the retry policy is spent; logs
    /// each attempt. A `Repeat::Once` request gets one attempt. The error says how many were made,
    /// and whether any of them may have reached the server unanswered.
    ///
    /// The wait before a retry is the backoff of the policy, or exactly the `Retry-After` the
    /// server sent. A `Retry-After` longer than the policy's maximum delay, or one that would end
    /// after the call's deadline (the client's timeout, counted from the call's start), is not
    /// waited: retrying sooner than the server asked is pointless, so the call fails at once with
    /// the server's answer (its hint names the wait), and the caller can go elsewhere.
    fn attempts<T>(
        &self,
        method: &Method,
        path: &str,
        repeat: Repeat,
        mut exchange: impl FnMut() -> Result<(u16, T), Error>,
    ) -> Result<T, Error> {
        let policy = self.core.retry;
        let deadline = Instant::now() + self.core.timeout;
        let mut attempt = 1;
        let mut unanswered = false;
        loop {
            let started = Instant::now();
            let result = exchange();
            let outcome = result.as_ref().map(|(status, _)| *status);
            self.core
                .log_exchange(method, path, started, outcome, attempt);
            let error = match result {
                Ok((_, value)) => return Ok(value),
                Err(error) => error,
            };
            if repeat == Repeat::Once || attempt > policy.retries || !is_transient(&error) {
                return Err(error.with_attempts(attempt, unanswered));
            }
            let wait = match error.retry_after() {
                Some(asked) if asked > policy.max_delay || Instant::now() + asked > deadline => {
                    return Err(error.with_attempts(attempt, unanswered));
                }
                Some(asked) => asked,
                None => policy.backoff(attempt),
            };
            unanswered |= error.may_have_reached_unanswered();
            let woke_early = match &self.cancel {
                Some(token) => !token.sleep(wait),
                None => {
                    std::thread::sleep(wait);
                    false
                }
            };
            if woke_early {
                return Err(
                    Error::new(crate::Status::Cancelled, "the request was cancelled")
                        .with_attempts(attempt, unanswered),
                );
            }
            attempt += 1;
        }
    }

    /// Sends one request on `agent`, asking for `accept`: the response when it is 2xx, else the
    /// error it amounts to (with the error body read, up to a limit, and the token removed from
    /// whatever the server said).
    fn send_on(
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

    /// Applies the streaming timeouts to one request (others keep the agent's deadline).
    fn configure<S: ureq::AsSendBody>(
        &self,
        agent: &Agent,
        request: http::Request<S>,
        streaming: &Option<Streaming>,
    ) -> http::Request<S> {
        let Some(Streaming { idle }) = streaming else {
            return request;
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
    fn send_streaming(
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
    fn call_with(
        &self,
        method: Method,
        path: &str,
        payload: Payload,
        repeat: Repeat,
        accept: Accept,
    ) -> Result<Vec<u8>, Error> {
        self.attempts(&method, path, repeat, || {
            let mut response = self.send_on(&self.agent, &method, path, &payload, accept, None)?;
            let status = response.status().as_u16();
            let body = response.body_mut();
            let max_body = self.core.max_body;
            let expected = body.content_length().map(|n| n.min(max_body));
            let bytes = read_body(body.with_config().limit(max_body).reader(), expected)
                .map_err(|e| self.transport_error(ureq::Error::from(e)))?;
            Ok((status, bytes))
        })
    }

    /// A request that is safe to repeat, with a JSON answer: read the whole 2xx body.
    fn call(&self, method: Method, path: &str, payload: Payload) -> Result<Vec<u8>, Error> {
        self.call_with(method, path, payload, Repeat::Safe, Accept::Json)
    }

    /// Decodes the 2xx JSON body of a request; `what` names it in a decode error. A string
    /// holding U+0000 is refused, naming its field.
    fn call_json_with<T: DeserializeOwned + crate::model::NulFree>(
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
    fn call_decoded<T>(
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
    fn call_json<T: DeserializeOwned + crate::model::NulFree>(
        &self,
        method: Method,
        path: &str,
        payload: Payload,
        what: &str,
    ) -> Result<T, Error> {
        self.call_json_with(method, path, payload, Repeat::Safe, what)
    }
}

/// Reads a whole body, sized by its Content-Length when it has one. A body without one (chunked)
/// grows by doubling while it is read; its spare capacity is given back at the end, so a decoded
/// list costs the same either way (the decoders take this buffer as their storage). For large
/// bodies the allocator shrinks in place (glibc: mremap), so the peak is not doubled.
pub(crate) fn read_body(mut reader: impl Read, expected: Option<u64>) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(expected.unwrap_or(0) as usize);
    reader.read_to_end(&mut bytes)?;
    if bytes.capacity() - bytes.len() > bytes.len() / 16 {
        bytes.shrink_to_fit();
    }
    Ok(bytes)
}

impl Client {
    /// A client from `config`; unset values come from `GAMEYE_API_ENDPOINT` and
    /// `GAMEYE_API_TOKEN`, then the defaults (production, 30 s). No request is made and no
    /// thread is started here: the worker pool starts with the first non-blocking call.
    pub fn new(config: &ClientConfig) -> Result<Client, Error> {
        let Settings {
            base,
            token,
            timeout,
            connect_timeout,
            max_body,
            retry,
            roots,
            log,
            delivery,
            workers,
        } = config.resolve()?;
        let core = Arc::new(Core {
            base,
            authorization: format!("Bearer {token}"),
            timeout,
            connect_timeout,
            max_body,
            retry,
            log,
            roots,
        });
        Ok(Client {
            connection: core.connection(),
            dispatcher: Dispatcher::new(core, delivery, workers),
        })
    }

    /// A client configured from the environment alone.
    pub fn from_env() -> Result<Client, Error> {
        Client::new(&ClientConfig::new())
    }

    /// A client for the same account and connections (it shares the keep-alive pool) that
    /// retries with `policy` instead: a per-call retry setting. Its non-blocking calls run on a
    /// pool of its own, started on first use.
    pub fn with_retry(&self, policy: RetryPolicy) -> Result<Client, Error> {
        policy.check()?;
        let core = Arc::new(Core {
            base: self.connection.core.base.clone(),
            authorization: self.connection.core.authorization.clone(),
            timeout: self.connection.core.timeout,
            connect_timeout: self.connection.core.connect_timeout,
            max_body: self.connection.core.max_body,
            retry: policy,
            log: self.connection.core.log.clone(),
            roots: self.connection.core.roots.clone(),
        });
        let workers = self.dispatcher.workers();
        let delivery = self.dispatcher.delivery();
        Ok(Client {
            connection: Connection {
                core: core.clone(),
                agent: self.connection.agent.clone(),
                cancel: None,
            },
            dispatcher: Dispatcher::new(core, delivery, workers),
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.connection.core.base.url
    }

    /// Lists sessions (`GET /session`; scope `session:read`): running ones unless `options`
    /// asks for all.
    pub fn list_sessions(&self, options: &ListOptions) -> Result<crate::SessionList, Error> {
        self.connection.list_sessions(options)
    }

    /// Describes one session (`GET /session/{id}`; scope `session:read`), with its players.
    pub fn describe_session(&self, id: &str) -> Result<crate::DescribedSession, Error> {
        self.connection.describe_session(id)
    }

    /// Starts a session (`POST /session`; scope `session:start`). The request always carries an
    /// id, the one set in `options` or a new UUIDv4, and the result reports it even if the
    /// response does not.
    pub fn start_session(&self, options: &StartOptions) -> Result<crate::StartedSession, Error> {
        self.connection.start_session(options)
    }

    /// Stops a session (`DELETE /session/{id}`; scope `session:stop`). One that already stopped
    /// is `Status::Conflict`.
    pub fn stop_session(&self, id: &str) -> Result<(), Error> {
        self.connection.stop_session(id)
    }

    /// Registers players as joined to a session (`PUT /session/player/join`). The roster holds
    /// the session's player count after the call and the ids this call added.
    pub fn join_session<P: AsRef<str>>(
        &self,
        session: &str,
        players: &[P],
    ) -> Result<crate::Roster, Error> {
        self.connection.join_session(session, players)
    }

    /// Removes players from the sessions they joined (`DELETE /session/player/leave`, a DELETE
    /// with a JSON body and no session field, as the API defines it).
    pub fn leave_session<P: AsRef<str>>(&self, players: &[P]) -> Result<crate::Roster, Error> {
        self.connection.leave_session(players)
    }

    /// The whole output the session wrote so far (`GET /logs`; scope `logs:read`).
    pub fn logs(&self, session: &str) -> Result<Logs, Error> {
        self.connection.logs(session)
    }

    /// Follows the session's output (`GET /logs?follow=true`; scope `logs:read`). Connecting
    /// and the response head must arrive within the client's timeout; after that the stream
    /// lasts as long as the session runs, failing with `Timeout` only when no byte arrives for
    /// `idle` (`None`: wait as long as it takes; [`LogStream::cancel`] still ends it).
    pub fn follow_logs(&self, session: &str, idle: Option<Duration>) -> Result<LogStream, Error> {
        self.connection.follow_logs(session, idle)
    }

    /// Downloads an artifact (`GET /artifacts`; scope `artifact:read`): the `.tar.gz` of the
    /// absolute `path` inside the stopped session's container, written to `destination` and
    /// replacing any file there. Memory use stays flat whatever the size. The response head
    /// must arrive within the client's timeout; then the download lasts as long as data keeps
    /// arriving, failing after a silence as long as that timeout. On any failure no file is
    /// left at `destination` (nor a partial one beside it). Returns the bytes written.
    pub fn download_artifact(
        &self,
        session: &str,
        path: &str,
        destination: &std::path::Path,
        options: ArtifactOptions<'_>,
    ) -> Result<u64, Error> {
        self.connection
            .download_artifact(session, path, destination, options)
    }

    /// The locations that can host `image` now, with addresses to ping for latency
    /// (`GET /available-location/{image}`; scope `regions:read`). Do not cache the answer.
    pub fn available_locations(&self, image: &str) -> Result<crate::LocationList, Error> {
        self.connection.available_locations(image)
    }

    /// Whether `image:version` is available in `region` (`GET /tag/{region}/{image}/{version}`;
    /// scope `regions:read`).
    pub fn tag_exists(&self, region: &str, image: &str, version: &str) -> Result<bool, Error> {
        self.connection.tag_exists(region, image, version)
    }
}
