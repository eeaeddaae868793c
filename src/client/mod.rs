//! The Rust client. `Client` is the public handle: blocking calls (one method per operation)
//! and non-blocking ones (see `dispatch`). Underneath, a `Connection` (the shared `Core` plus
//! one ureq agent) implements the operations, one file per family; this file holds the
//! transport: agents, sending, reading, error mapping and the request log.

mod artifacts;
mod calls;
mod catalogue;
mod config;
mod dispatch;
mod error;
mod logs;
mod loss;
mod nonblocking;
mod options;
mod origin;
mod players;
mod probe;
mod request;
mod resolver;
mod retry;
mod sessions;
mod transport;
mod url;

use std::mem::ManuallyDrop;
use std::sync::Arc;
use std::time::Duration;

pub use artifacts::{ArtifactOptions, DEFAULT_MAX_ARTIFACT_BYTES};
pub use config::{
    ClientConfig, Delivery, LogLevel, DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT,
    DEFAULT_WORKER_THREADS, ENV_ENDPOINT, ENV_TOKEN, MAX_IN_FLIGHT_LIMIT, MAX_WORKER_THREADS,
    PRODUCTION_URL, SANDBOX_URL,
};
pub(crate) use dispatch::Lane;
pub use error::Error;
pub use logs::{LogEvent, LogStream, Logs};
pub(crate) use logs::{MAX_LOG_LINE_BYTES, MAX_LOG_READ_AHEAD_BYTES};
pub(crate) use nonblocking::jobs;
pub use options::{ListOptions, StartOptions};
pub use probe::{Access, Grant, Probe, TlsRoots};
pub use request::Request;
pub(crate) use request::RequestState;
pub use retry::RetryPolicy;
pub(crate) use retry::{is_transient, CancelToken};

#[cfg(test)]
pub(crate) use transport::read_body;
pub(crate) use transport::{Accept, Connection, Core, Payload, Repeat};
pub use transport::{DEFAULT_MAX_BODY_BYTES, USER_AGENT};
pub(crate) use url::{path_with, push_segment};

use calls::Calls;
use config::Settings;
use dispatch::Dispatcher;
pub(crate) use origin::Origin;

/// A client for one account on one environment. Thread-safe: share one among any number of
/// threads; connections are pooled and kept alive. Freeing it cancels the non-blocking requests
/// still in flight, delivers their completions and joins its threads before it returns.
///
/// A client belongs to the process that made it: in a child made by fork() every call on it is
/// refused (`InvalidArgument`); the child makes a client of its own.
pub struct Client {
    /// Both kept from dropping in a forked child (see `Drop`).
    connection: ManuallyDrop<Connection>,
    dispatcher: ManuallyDrop<Dispatcher>,
    /// The blocking calls in progress, which a free through the C ABI interrupts and waits for.
    calls: Arc<Calls>,
    origin: Origin,
}

impl Drop for Client {
    /// Shuts the pool down and joins its threads (see `Client::shutdown`). In a child made by
    /// fork() it releases nothing but the client's own record: the threads it would join and the
    /// connections it would close are the parent's (a lock one of them held at the fork stays
    /// locked in the child), so they are left as they are.
    fn drop(&mut self) {
        if self.origin.is_here() {
            // SAFETY: each dropped once, here, and never used again.
            unsafe {
                ManuallyDrop::drop(&mut self.dispatcher);
                ManuallyDrop::drop(&mut self.connection);
            }
        }
    }
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
            max_in_flight,
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
            recycler: Arc::default(),
        });
        Ok(Client::assemble(core, delivery, workers, max_in_flight))
    }

    /// A client over `core`: its own connections for blocking calls, and a pool for the rest.
    fn assemble(
        core: Arc<Core>,
        delivery: Delivery,
        workers: usize,
        max_in_flight: usize,
    ) -> Client {
        let calls = Arc::new(Calls::default());
        Client {
            connection: ManuallyDrop::new(Connection {
                cancel: Some(calls.token.clone()),
                ..core.connection()
            }),
            dispatcher: ManuallyDrop::new(Dispatcher::new(core, delivery, workers, max_in_flight)),
            calls,
            origin: Origin::here(),
        }
    }

    /// Runs a blocking call: refused in a forked child or once the client is being freed;
    /// interrupted (`Cancelled`) by a free that begins while it runs, which waits for it.
    pub(crate) fn blocking<T>(
        &self,
        call: impl FnOnce(&Connection, &calls::Call) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.origin.check("this client")?;
        let inside = self.calls.enter()?;
        let result = call(&self.connection, &inside);
        inside.finish(result)
    }

    /// A connection on this client's account and settings with an agent of its own, woken
    /// from its retry waits by `cancel`: for a helper that runs calls on a thread of its own and
    /// may outlive the client (the roster reporter). Refused in a forked child and once the
    /// client is being freed.
    pub(crate) fn detached_connection(&self, cancel: CancelToken) -> Result<Connection, Error> {
        self.origin.check("this client")?;
        drop(self.calls.enter()?);
        Ok(Connection {
            cancel: Some(cancel),
            ..self.connection.core.connection()
        })
    }

    /// A client configured from the environment alone.
    pub fn from_env() -> Result<Client, Error> {
        Client::new(&ClientConfig::new())
    }

    /// A client for the same account and settings that retries with `policy` instead: a per-call
    /// retry setting. It has connections of its own (so freeing one of the two never interrupts
    /// the other's calls), and its non-blocking calls run on a pool of its own, started on first
    /// use.
    pub fn with_retry(&self, policy: RetryPolicy) -> Result<Client, Error> {
        self.origin.check("this client")?;
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
            recycler: self.connection.core.recycler.clone(),
        });
        // Connections of its own: freeing either client interrupts only its own calls.
        Ok(Client::assemble(
            core,
            self.dispatcher.delivery(),
            self.dispatcher.workers(),
            self.dispatcher.max_in_flight(),
        ))
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.connection.core.base.url
    }

    /// Lists sessions (`GET /session`; scope `session:read`): running ones unless `options`
    /// asks for all.
    pub fn list_sessions(&self, options: &ListOptions) -> Result<crate::SessionList, Error> {
        self.blocking(|c, _| c.list_sessions(options))
    }

    /// Describes one session (`GET /session/{id}`; scope `session:read`), with its players.
    pub fn describe_session(&self, id: &str) -> Result<crate::DescribedSession, Error> {
        self.blocking(|c, _| c.describe_session(id))
    }

    /// Starts a session (`POST /session`; scope `session:start`). The request always carries an
    /// id, the one set in `options` or a new UUIDv4, and the result reports it even if the
    /// response does not.
    pub fn start_session(&self, options: &StartOptions) -> Result<crate::StartedSession, Error> {
        self.blocking(|c, _| c.start_session(options))
    }

    /// Stops a session (`DELETE /session/{id}`; scope `session:stop`). One that already stopped
    /// is `Status::Conflict`.
    pub fn stop_session(&self, id: &str) -> Result<(), Error> {
        self.blocking(|c, _| c.stop_session(id))
    }

    /// Registers players as joined to a session (`PUT /session/player/join`). The roster holds
    /// the session's player count after the call and the ids this call added.
    pub fn join_session<P: AsRef<str>>(
        &self,
        session: &str,
        players: &[P],
    ) -> Result<crate::Roster, Error> {
        self.blocking(|c, _| c.join_session(session, players))
    }

    /// Removes players from the sessions they joined (`DELETE /session/player/leave`, a DELETE
    /// with a JSON body and no session field, as the API defines it).
    pub fn leave_session<P: AsRef<str>>(&self, players: &[P]) -> Result<crate::Roster, Error> {
        self.blocking(|c, _| c.leave_session(players))
    }

    /// The whole output the session wrote so far (`GET /logs`; scope `logs:read`).
    pub fn logs(&self, session: &str) -> Result<Logs, Error> {
        self.blocking(|c, _| c.logs(session))
    }

    /// Follows the session's output (`GET /logs?follow=true`; scope `logs:read`). Connecting
    /// and the response head must arrive within the client's timeout; after that the stream
    /// lasts as long as the session runs, failing with `Timeout` only when no byte arrives for
    /// `idle` (`None`: wait as long as it takes; [`LogStream::cancel`] still ends it).
    pub fn follow_logs(&self, session: &str, idle: Option<Duration>) -> Result<LogStream, Error> {
        self.blocking(|c, call| {
            c.follow_logs_registered(session, idle, |agent| call.register(agent))
        })
    }

    /// Downloads an artifact (`GET /artifacts`; scope `artifact:read`): the `.tar.gz` of the
    /// absolute `path` inside the stopped session's container, written to `destination` and
    /// replacing any file there. Memory use stays flat whatever the size. The response head
    /// must arrive within the client's timeout; then the download lasts as long as data keeps
    /// arriving, failing after a silence as long as that timeout. On any failure `destination`
    /// is untouched (a file already there is kept) and no partial file is left beside it.
    /// Returns the bytes written.
    pub fn download_artifact(
        &self,
        session: &str,
        path: &str,
        destination: &std::path::Path,
        options: ArtifactOptions<'_>,
    ) -> Result<u64, Error> {
        self.blocking(|c, _| c.download_artifact(session, path, destination, options))
    }

    /// [`Client::download_artifact`], the archive written to `out` as it arrives (stdout, a
    /// socket, memory) instead of a file. A failure after the first bytes leaves what was
    /// written in `out`; a write error on `out` ends the download with `InvalidArgument`.
    /// Returns the bytes written.
    pub fn download_artifact_to(
        &self,
        session: &str,
        path: &str,
        out: &mut dyn std::io::Write,
        options: ArtifactOptions<'_>,
    ) -> Result<u64, Error> {
        self.blocking(|c, _| c.download_artifact_to(session, path, out, options))
    }

    /// The base URL this client sends to, as its config checked it (never with credentials:
    /// a URL holding them is refused).
    pub fn endpoint(&self) -> &str {
        &self.connection.core.base.url
    }

    /// [`Client::endpoint`], NUL-terminated (for the C ABI).
    pub(crate) fn endpoint_c(&self) -> &std::ffi::CStr {
        &self.connection.core.base.c_url
    }

    /// The TLS trust this client uses: none (plain http), the bundled roots, or the CA
    /// certificates its config set.
    pub fn tls_roots(&self) -> TlsRoots {
        self.connection.tls_roots()
    }

    /// One `GET /session` on this client's own agent (its TLS roots, proxy and resolver), once,
    /// without retries, with the token when `authorized`: the answer's status, how long it took,
    /// the server's clock and, over https, that the handshake and certificate check passed.
    /// Any HTTP answer is `Ok`; no answer is the error a call would give, said more exactly for
    /// TLS: a port that speaks plain HTTP, or the certificate the server presented. For
    /// diagnostics: calls never need it.
    pub fn probe(&self, authorized: bool) -> Result<Probe, Error> {
        self.blocking(|c, _| c.probe(authorized))
    }

    /// Which operations this client's token may call, scope by scope, asked with requests that
    /// change nothing (a list; a start with an empty body, refused by validation after
    /// authorization; a stop, logs and artifacts of the nil session id; the locations of an
    /// image that cannot exist). Six requests, each once, without retries.
    pub fn check_access(&self) -> Result<Vec<Access>, Error> {
        self.blocking(|c, _| Ok(c.check_access()))
    }

    /// The locations that can host `image` now, with addresses to ping for latency
    /// (`GET /available-location/{image}`; scope `regions:read`). Do not cache the answer.
    pub fn available_locations(&self, image: &str) -> Result<crate::LocationList, Error> {
        self.blocking(|c, _| c.available_locations(image))
    }

    /// Whether `image:version` is available in `region` (`GET /tag/{region}/{image}/{version}`;
    /// scope `regions:read`).
    pub fn tag_exists(&self, region: &str, image: &str, version: &str) -> Result<bool, Error> {
        self.blocking(|c, _| c.tag_exists(region, image, version))
    }
}
