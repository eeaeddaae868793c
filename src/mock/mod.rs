//! `gameye-mock`: a local, in-memory emulator of the Gameye Session API v2, for development,
//! demos and every test suite. Faithful to the published OpenAPI document for all ten
//! operations, with switches for faults (`Fault`) and an admin API under `/_mock/`.
//!
//! ```no_run
//! use gameye::mock::{MockConfig, MockServer};
//! let server = MockServer::start(MockConfig::default()).unwrap();
//! println!("{}", server.url()); // http://127.0.0.1:PORT, stops when dropped
//! ```

mod admin;
mod archive;
mod catalogue;
mod faults;
mod handlers;
mod http;
mod lifecycle;
mod process;
mod query;
mod responses;
mod routes;
mod session;
mod start;
mod state;
mod validate;

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

pub use catalogue::{Catalogue, Image, Location};
pub use faults::Fault;
pub use lifecycle::Lifecycle;
pub use process::RunCommand;
pub use routes::{RecordedRequest, TokenRule};
pub use state::SeedRequest;

use http::{Server, Stopper};
use routes::Mock;
use state::State;

/// How to run the emulator.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// The port to bind on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Accepted tokens; when empty, any non-empty bearer token is accepted.
    pub tokens: Vec<TokenRule>,
    /// Locations and images.
    pub catalogue: Catalogue,
    /// At most this many running sessions (a start past it gets 402); `None` for no quota.
    pub quota: Option<usize>,
    /// How often a running session writes a log line; zero for never.
    pub log_interval: Duration,
    /// Serve the admin API under `/_mock/` (faults, reset, seeding, recorded requests). Off by
    /// default: anyone who reaches the port could otherwise reset or fault the emulator.
    pub admin: bool,
    /// When set, the admin API answers only requests carrying `Authorization: Bearer <token>`.
    pub admin_token: Option<String>,
    /// A connection that sends nothing for this long is closed (idle keep-alive, half-open).
    pub idle_timeout: Duration,
    /// A request (head and body) must arrive whole within this long of its first byte; a client
    /// that trickles it is answered 408 and closed.
    pub request_timeout: Duration,
    /// At most this many connections are held at once. At the limit, a new connection takes the
    /// place of the one that has waited longest without a request being answered (idle, or
    /// trickling its request); only when every connection is being answered is it refused (503).
    pub max_connections: usize,
    /// Images run as local processes (`--run IMAGE=COMMAND`): a session of one is a child
    /// process (see the README's "Inside a session"). An image the catalogue lacks joins it,
    /// with tag `latest` and port 7777/tcp.
    pub run: Vec<RunCommand>,
    /// How long a stopped session's process has after SIGTERM before SIGKILL (Gameye's grace).
    pub stop_grace: Duration,
}

impl Default for MockConfig {
    fn default() -> MockConfig {
        MockConfig {
            port: 0,
            tokens: Vec::new(),
            catalogue: Catalogue::default(),
            quota: None,
            log_interval: Duration::from_secs(1),
            admin: false,
            admin_token: None,
            idle_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(10),
            max_connections: 256,
            run: Vec::new(),
            stop_grace: Duration::from_secs(10),
        }
    }
}

impl MockConfig {
    /// A config accepting exactly `token`, with every scope.
    pub fn with_token(token: &str) -> MockConfig {
        MockConfig {
            tokens: vec![TokenRule {
                token: token.into(),
                scopes: None,
            }],
            ..MockConfig::default()
        }
    }
}

/// A running emulator. Stops, closing every connection and joining its threads, when dropped.
pub struct MockServer {
    mock: Arc<Mock>,
    server: Server,
}

impl MockServer {
    /// Binds 127.0.0.1 and starts serving on background threads.
    pub fn start(config: MockConfig) -> io::Result<MockServer> {
        let mut catalogue = config.catalogue;
        for run in &config.run {
            if catalogue.image(&run.image).is_none() {
                catalogue.images.push(Image {
                    id: run.image.clone(),
                    tags: vec!["latest".into()],
                    ports: vec!["7777/tcp".into()],
                });
            }
        }
        catalogue
            .validate()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let listener = TcpListener::bind(("127.0.0.1", config.port))?;
        let mut state = State::new(catalogue, config.quota, config.log_interval);
        for run in &config.run {
            if run.argv.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("the command for image {:?} is empty", run.image),
                ));
            }
            state.commands.insert(run.image.clone(), run.argv.clone());
        }
        let admin = config.admin.then_some(config.admin_token);
        let mock = Arc::new(Mock::new(state, config.tokens, admin));
        let _ = mock.url.set(format!("http://{}", listener.local_addr()?));
        if !config.run.is_empty() {
            let supervisor = process::Supervisor::start(Arc::downgrade(&mock), config.stop_grace)?;
            let _ = mock.processes.set(supervisor);
        }
        let handler = {
            let mock = mock.clone();
            Arc::new(move |request: &http::Request, stopper: &Arc<Stopper>| {
                mock.handle(request, stopper)
            })
        };
        let limits = http::Limits {
            timing: http::Timing {
                idle: config.idle_timeout,
                request: config.request_timeout,
            },
            max_connections: config.max_connections.max(1),
        };
        let server = Server::start(listener, handler, Arc::new(Stopper::default()), limits)?;
        Ok(MockServer { mock, server })
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Adds a fault; it applies to the next matching requests.
    pub fn add_fault(&self, fault: Fault) {
        self.mock.faults.add(fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.mock.faults.clear();
    }

    /// Forgets every session, fault and recorded request.
    pub fn reset(&self) {
        self.mock.faults.clear();
        self.mock.clear_recorded();
        self.mock.state().reset();
        self.mock.terminate_ended();
        self.mock.notify();
    }

    /// Inserts running sessions in bulk, past capacity limits; returns how many.
    pub fn seed(&self, seed: &SeedRequest) -> Result<usize, String> {
        self.mock.state().seed(seed).map_err(|e| e.details)
    }

    /// Appends a line to a session's log, waking followers.
    pub fn write_log(&self, session: &str, line: &str) -> Result<(), String> {
        let result = self
            .mock
            .state()
            .write_log(session, line)
            .map_err(|e| e.details);
        self.mock.notify();
        result
    }

    /// Moves the emulator's clock forward, as if `by` had passed: ttl expiry and periodic log
    /// lines follow it, so tests need not wait.
    pub fn advance_clock(&self, by: Duration) {
        self.mock.state().advance_clock(by);
        self.mock.notify();
    }

    /// Makes every artifact archive also hold a `padding.bin` of `bytes` bytes, for tests of
    /// big downloads (0: none, the default).
    pub fn set_artifact_padding(&self, bytes: usize) {
        self.mock.state().artifact_padding = bytes;
    }

    /// Makes sessions started from now on change over time as `rule` says (slow to start, dying
    /// while starting, exiting on their own, forgotten once ended); replaces an earlier rule for
    /// the same image. Cleared by [`MockServer::reset`].
    pub fn set_lifecycle(&self, rule: Lifecycle) -> Result<(), String> {
        self.mock.state().set_lifecycle(rule).map_err(|e| e.details)
    }

    /// The API requests received so far (not admin ones), oldest first; the last 1,000.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.mock.recorded()
    }
}

impl Drop for MockServer {
    /// Ends every session's process (SIGTERM, then SIGKILL after the grace period) before the
    /// server stops: the emulator never leaves a child behind.
    fn drop(&mut self) {
        if let Some(processes) = self.mock.processes.get() {
            processes.shutdown();
            self.mock.state().release_local_ports();
        }
    }
}
