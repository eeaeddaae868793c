//! The blocking Rust client: one method per operation, over one kept-alive `ureq::Agent`.
//! This file holds the transport (agents, sending, reading, error mapping); the operations
//! live in one file per family.

mod artifacts;
mod catalogue;
mod config;
mod error;
mod logs;
mod options;
mod players;
mod sessions;
mod url;

use std::io::Read;
use std::time::Duration;

use serde::de::DeserializeOwned;
use ureq::http::{self, Method, Response};
use ureq::{Agent, Body};

pub use artifacts::{ArtifactOptions, DEFAULT_MAX_ARTIFACT_BYTES};
pub use config::{
    ClientConfig, DEFAULT_TIMEOUT, ENV_ENDPOINT, ENV_TOKEN, PRODUCTION_URL, SANDBOX_URL,
};
pub use error::Error;
pub use logs::{LogEvent, LogStream, Logs};
pub use options::{ListOptions, StartOptions};

use url::{push_encoded, BaseUrl};

/// Largest 2xx JSON body read by default: a list of 10,000 sessions is about 5 MB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// How much of an error body is read; the rest is discarded.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("gameye-native/", env!("CARGO_PKG_VERSION"));

/// A client for one account on one environment. Thread-safe: share it freely (`&Client` from
/// many threads); connections are pooled and kept alive.
pub struct Client {
    agent: Agent,
    base: BaseUrl,
    authorization: String,
    timeout: Duration,
    max_body: u64,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base.url)
            .field("token", &"<redacted>")
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What a request carries besides its path.
enum Payload {
    None,
    Json(Vec<u8>),
}

/// How long an agent's requests may take.
enum Timeouts {
    /// One budget for the whole request, response body included (JSON calls).
    Whole(Duration),
    /// Connect and response head within `head`; then the body may stream for as long as data
    /// keeps arriving, failing only after `idle` without a byte (`None`: never).
    Streaming {
        head: Duration,
        idle: Option<Duration>,
    },
}

/// Percent-encodes `value` as one path segment after `prefix`; `what` names it in the error
/// for an empty value.
fn path_with(prefix: &str, value: &str, what: &str) -> Result<String, Error> {
    let mut path = String::from(prefix);
    push_segment(&mut path, value, what)?;
    Ok(path)
}

/// Appends `value` as one percent-encoded path segment, so no value can reach another route.
fn push_segment(path: &mut String, value: &str, what: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_argument(format!("{what} must not be empty")));
    }
    push_encoded(path, value);
    Ok(())
}

impl Client {
    /// A client from `config`; unset values come from `GAMEYE_API_ENDPOINT` and
    /// `GAMEYE_API_TOKEN`, then the defaults (production, 30 s).
    pub fn new(config: &ClientConfig) -> Result<Client, Error> {
        let (base, token, timeout) = config.resolve()?;
        Ok(Client {
            agent: build_agent(&base, Timeouts::Whole(timeout)),
            authorization: format!("Bearer {token}"),
            base,
            timeout,
            max_body: DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// A client configured from the environment alone.
    pub fn from_env() -> Result<Client, Error> {
        Client::new(&ClientConfig::new())
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base.url
    }

    /// An agent of its own for one streaming request (followed logs, artifact downloads): it
    /// has no whole-request deadline, and shutting it down interrupts only that request.
    fn streaming_agent(&self, idle: Option<Duration>) -> Agent {
        build_agent(
            &self.base,
            Timeouts::Streaming {
                head: self.timeout,
                idle,
            },
        )
    }

    fn transport_error(&self, error: ureq::Error) -> Error {
        Error::from_transport(error, &self.base.authority, self.timeout)
    }

    /// Sends one request on `agent`: the response when it is 2xx, else the error it amounts to
    /// (with the error body read, up to a limit).
    fn send(
        &self,
        agent: &Agent,
        method: Method,
        path: &str,
        payload: Payload,
    ) -> Result<Response<Body>, Error> {
        let request = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base.url))
            .header("Authorization", &self.authorization)
            .header("Accept", "application/json");
        let sent = match payload {
            Payload::None => request.body(()).map(|r| agent.run(r)),
            Payload::Json(bytes) => request
                .header("Content-Type", "application/json")
                .body(bytes)
                .map(|r| agent.run(r)),
        };
        let mut response = sent
            .map_err(|e| self.transport_error(e.into()))?
            .map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(response);
        }
        let mut body = Vec::new();
        response
            .body_mut()
            .with_config()
            .reader()
            .take(MAX_ERROR_BODY_BYTES)
            .read_to_end(&mut body)
            .map_err(|e| self.transport_error(ureq::Error::from(e)))?;
        Err(Error::from_response(status, &body, &self.base.url))
    }

    /// Sends one request and reads the whole 2xx body, at most `max_body` bytes.
    fn call(&self, method: Method, path: &str, payload: Payload) -> Result<Vec<u8>, Error> {
        let mut response = self.send(&self.agent, method, path, payload)?;
        let body = response.body_mut();
        let expected = body.content_length().unwrap_or(0).min(self.max_body);
        let mut bytes = Vec::with_capacity(expected as usize);
        body.with_config()
            .limit(self.max_body)
            .reader()
            .read_to_end(&mut bytes)
            .map_err(|e| self.transport_error(ureq::Error::from(e)))?;
        Ok(bytes)
    }

    /// Sends one request and decodes the 2xx JSON body; `what` names it in a decode error.
    fn call_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        payload: Payload,
        what: &str,
    ) -> Result<T, Error> {
        let body = self.call(method, path, payload)?;
        serde_json::from_slice(&body)
            .map_err(|e| Error::decode(format!("could not understand {what} the server sent: {e}")))
    }
}

fn build_agent(base: &BaseUrl, timeouts: Timeouts) -> Agent {
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .user_agent(USER_AGENT)
        // An API answer is never a redirect; one is reported, not followed.
        .max_redirects(0)
        .max_redirects_will_error(false)
        // Loopback (the emulator) never goes through a proxy from the environment.
        .proxy(if base.loopback {
            None
        } else {
            ureq::Proxy::try_from_env()
        })
        .max_idle_connections_per_host(16)
        .max_idle_connections(16);
    let config = match timeouts {
        Timeouts::Whole(timeout) => config.timeout_global(Some(timeout)),
        Timeouts::Streaming { head, idle } => config
            .timeout_connect(Some(head))
            .timeout_send_request(Some(head))
            .timeout_recv_response(Some(head))
            .timeout_per_read(idle),
    };
    config.build().into()
}
