//! The blocking Rust client: one method per operation over one kept-alive `ureq::Agent`.

mod config;
mod error;
mod options;
mod url;

use std::io::Read;
use std::time::Duration;

use serde::de::DeserializeOwned;
use ureq::http::{self, Method};
use ureq::Agent;

pub use config::{
    ClientConfig, DEFAULT_TIMEOUT, ENV_ENDPOINT, ENV_TOKEN, PRODUCTION_URL, SANDBOX_URL,
};
pub use error::Error;
pub use options::{ListOptions, StartOptions};

use crate::model::{Session, SessionList, StartedSession, WireStarted};
use url::{push_encoded, BaseUrl};

/// Largest 2xx body read by default: a list of 10,000 sessions is about 7 MB.
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

/// What a request carries, besides its path.
enum Payload {
    None,
    Json(Vec<u8>),
}

impl Client {
    /// A client from `config`; unset values come from `GAMEYE_API_ENDPOINT` and
    /// `GAMEYE_API_TOKEN`, then the defaults (production, 30 s).
    pub fn new(config: &ClientConfig) -> Result<Client, Error> {
        let (base, token, timeout) = config.resolve()?;
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
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
            .max_idle_connections(16)
            .build()
            .into();
        Ok(Client {
            agent,
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

    /// Lists sessions (`GET /session`): running ones unless `options` asks for all.
    pub fn list_sessions(&self, options: &ListOptions) -> Result<SessionList, Error> {
        let path = format!("/session{}", options.query().as_str());
        self.call_json(Method::GET, &path, Payload::None, "the session list")
    }

    /// Describes one session (`GET /session/{id}`), with its joined players.
    pub fn describe_session(&self, id: &str) -> Result<Session, Error> {
        let path = self.session_path(id)?;
        self.call_json(Method::GET, &path, Payload::None, "the session")
    }

    /// Starts a session (`POST /session`). The request always carries an id, the one set in
    /// `options` or a new UUIDv4, and the result reports it even if the response does not.
    pub fn start_session(&self, options: &StartOptions) -> Result<StartedSession, Error> {
        let id = match options.id() {
            Some(id) => id.to_owned(),
            None => uuid::Uuid::new_v4().to_string(),
        };
        let body = options.body(&id)?;
        let wire: WireStarted = self.call_json(
            Method::POST,
            "/session",
            Payload::Json(body),
            "the started session",
        )?;
        Ok(wire.into_started(&id))
    }

    /// Stops a session (`DELETE /session/{id}`). A session that already stopped is
    /// `Status::Conflict`.
    pub fn stop_session(&self, id: &str) -> Result<(), Error> {
        let path = self.session_path(id)?;
        self.call(Method::DELETE, &path, Payload::None).map(drop)
    }

    /// `/session/{id}` with the id encoded as one segment.
    fn session_path(&self, id: &str) -> Result<String, Error> {
        if id.is_empty() {
            return Err(Error::invalid_argument("the session id must not be empty"));
        }
        let mut path = String::from("/session/");
        push_encoded(&mut path, id);
        Ok(path)
    }

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

    /// Sends one request; the 2xx body, or the error the response or transport amounts to.
    fn call(&self, method: Method, path: &str, payload: Payload) -> Result<Vec<u8>, Error> {
        let transport_error =
            |e: ureq::Error| Error::from_transport(e, &self.base.authority, self.timeout);
        let request = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base.url))
            .header("Authorization", &self.authorization)
            .header("Accept", "application/json");
        let response = match payload {
            Payload::None => request
                .body(())
                .map_err(|e| transport_error(e.into()))
                .and_then(|r| self.agent.run(r).map_err(transport_error)),
            Payload::Json(bytes) => request
                .header("Content-Type", "application/json")
                .body(bytes)
                .map_err(|e| transport_error(e.into()))
                .and_then(|r| self.agent.run(r).map_err(transport_error)),
        };
        let mut response = response?;
        let status = response.status().as_u16();
        let success = (200..300).contains(&status);
        let limit = if success {
            self.max_body
        } else {
            MAX_ERROR_BODY_BYTES
        };
        let body = response.body_mut();
        let expected = body.content_length().unwrap_or(0).min(limit);
        let mut bytes = Vec::with_capacity(expected as usize);
        let read = if success {
            body.with_config()
                .limit(limit)
                .reader()
                .read_to_end(&mut bytes)
        } else {
            body.with_config()
                .reader()
                .take(limit)
                .read_to_end(&mut bytes)
        };
        read.map_err(|e| transport_error(ureq::Error::from(e)))?;
        if success {
            Ok(bytes)
        } else {
            Err(Error::from_response(status, &bytes, &self.base.url))
        }
    }
}
