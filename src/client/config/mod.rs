//! `ClientConfig`: where and how a client talks to the API.

use std::sync::Arc;
use std::time::Duration;

use super::retry::RetryPolicy;
use super::url::BaseUrl;
use super::{Error, DEFAULT_MAX_BODY_BYTES};

/// Production; a token works on one environment only.
pub const PRODUCTION_URL: &str = "https://api.production-gameye.gameye.net";
/// Sandbox.
pub const SANDBOX_URL: &str = "https://api.sandbox-gameye.gameye.net";
/// The environment variable read for the base URL when the config leaves it unset.
pub const ENV_ENDPOINT: &str = "GAMEYE_API_ENDPOINT";
/// The environment variable read for the token when the config leaves it unset.
pub const ENV_TOKEN: &str = "GAMEYE_API_TOKEN";
/// The default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default number of worker threads for non-blocking calls.
pub const DEFAULT_WORKER_THREADS: usize = 4;
/// The most worker threads a client may have.
pub const MAX_WORKER_THREADS: usize = 64;
/// The default bound on a client's non-blocking requests in flight.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 10_000;
/// The largest bound on requests in flight a client may be given.
pub const MAX_IN_FLIGHT_LIMIT: usize = 1_000_000;

/// Where the completions of non-blocking calls are delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Delivery {
    /// Queued until the caller runs `Client::poll` on a thread of its choice (the game
    /// thread): completions run on that thread. The default.
    #[default]
    Poll,
    /// Run on one library thread of the client, one at a time, in completion order.
    CallbackThread,
}

/// How much the log hook hears; each level includes the ones above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i32)]
pub enum LogLevel {
    /// Nothing.
    Off = 0,
    /// Failures of the library itself.
    Error = 1,
    /// Requests that failed.
    Warn = 2,
    /// Every request.
    Info = 3,
    /// Detail for debugging.
    Debug = 4,
}

impl LogLevel {
    /// The level for a raw value; `None` when out of range.
    pub fn from_code(code: i32) -> Option<LogLevel> {
        [
            LogLevel::Off,
            LogLevel::Error,
            LogLevel::Warn,
            LogLevel::Info,
            LogLevel::Debug,
        ]
        .into_iter()
        .find(|level| *level as i32 == code)
    }
}

/// Receives log lines; called on the thread that made the request.
pub type LogSink = Arc<dyn Fn(LogLevel, &str) + Send + Sync>;

/// A log hook and the most detailed level it wants.
#[derive(Clone)]
pub(crate) struct LogHook {
    pub max_level: LogLevel,
    pub sink: LogSink,
}

/// A config with everything resolved.
pub(crate) struct Settings {
    pub base: BaseUrl,
    pub token: String,
    pub timeout: Duration,
    pub connect_timeout: Option<Duration>,
    pub max_body: u64,
    pub retry: RetryPolicy,
    pub roots: Option<ureq::tls::RootCerts>,
    pub log: Option<LogHook>,
    pub delivery: Delivery,
    pub workers: usize,
    pub max_in_flight: usize,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("base", &self.base.url)
            .field("token", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("delivery", &self.delivery)
            .field("workers", &self.workers)
            .finish()
    }
}

/// Settings for a [`crate::Client`]. Every setter checks its value, so a mistake is reported
/// where it is made.
#[derive(Clone, Default)]
pub struct ClientConfig {
    pub(crate) base_url: Option<BaseUrl>,
    pub(crate) token: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) allow_insecure_http: bool,
    log: Option<LogHook>,
    delivery: Delivery,
    workers: Option<usize>,
    max_in_flight: Option<usize>,
    connect_timeout: Option<Duration>,
    max_body: Option<u64>,
    retry: Option<RetryPolicy>,
    roots: Option<ureq::tls::RootCerts>,
    /// The first failure of a setter: a client is never made from a config that did not take
    /// what it was told (a failed base URL must not leave production in its place).
    poisoned: Option<Error>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url.as_ref().map(|b| &b.url))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("log", &self.log.as_ref().map(|hook| hook.max_level))
            .field("delivery", &self.delivery)
            .field("workers", &self.workers)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_body", &self.max_body)
            .field("retry", &self.retry)
            .field("custom_roots", &self.roots.is_some())
            .field("poisoned", &self.poisoned.is_some())
            .finish()
    }
}

/// Checks a token: printable ASCII without spaces, so it can never break the header.
pub(crate) fn check_token(token: &str) -> Result<(), Error> {
    if token.is_empty() {
        return Err(Error::invalid_argument("the API token is empty"));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid_argument(
            "the API token contains spaces, control or non-ASCII characters",
        ));
    }
    Ok(())
}

impl ClientConfig {
    /// An empty config: production URL and environment variables fill what is left unset.
    pub fn new() -> ClientConfig {
        ClientConfig::default()
    }

    /// Records the first failed setting: [`crate::Client::new`] then refuses this config with it.
    pub(crate) fn poison(&mut self, error: &Error) {
        if self.poisoned.is_none() {
            self.poisoned = Some(error.clone());
        }
    }

    /// `result`, after recording it when it is a failure.
    fn checked<T>(&mut self, result: Result<T, Error>) -> Result<T, Error> {
        if let Err(error) = &result {
            self.poison(error);
        }
        result
    }

    /// Sets the base URL, e.g. [`SANDBOX_URL`] or `http://127.0.0.1:PORT` for the emulator.
    /// A failed setter (here or in any other setter) poisons the config: a client made from it
    /// is refused with that first failure, whatever was set afterwards.
    pub fn set_base_url(&mut self, url: &str) -> Result<&mut ClientConfig, Error> {
        let base = self.checked(BaseUrl::parse(url))?;
        self.base_url = Some(base);
        Ok(self)
    }

    /// Sets the bearer token.
    pub fn set_token(&mut self, token: &str) -> Result<&mut ClientConfig, Error> {
        self.checked(check_token(token))?;
        self.token = Some(token.to_owned());
        Ok(self)
    }

    /// Sets the whole-request timeout (connect, send, and read the full response); at least 1 ms.
    pub fn set_timeout(&mut self, timeout: Duration) -> Result<&mut ClientConfig, Error> {
        if timeout.is_zero() {
            return self.checked(Err(Error::invalid_argument(
                "the timeout must be at least 1 ms",
            )));
        }
        self.timeout = Some(timeout);
        Ok(self)
    }

    /// Allows plain `http://` to hosts other than loopback (e.g. behind a TLS-terminating
    /// proxy on a private network). Off by default: the token would travel in clear text.
    pub fn set_allow_insecure_http(&mut self, allow: bool) -> &mut ClientConfig {
        self.allow_insecure_http = allow;
        self
    }

    /// Where non-blocking calls deliver their completions (default [`Delivery::Poll`]).
    pub fn set_delivery(&mut self, delivery: Delivery) -> &mut ClientConfig {
        self.delivery = delivery;
        self
    }

    /// The most non-blocking requests a client holds at once, queued, running or completed but
    /// not yet delivered (default [`DEFAULT_MAX_IN_FLIGHT`], about 0.5 KB each): past it a submit
    /// is refused with `RateLimited` and queues nothing, so a caller that floods the client learns
    /// it at once instead of growing memory without bound. 1 to [`MAX_IN_FLIGHT_LIMIT`].
    pub fn set_max_in_flight(&mut self, requests: usize) -> Result<&mut ClientConfig, Error> {
        if !(1..=MAX_IN_FLIGHT_LIMIT).contains(&requests) {
            return self.checked(Err(Error::invalid_argument(format!(
                "the bound on requests in flight must be from 1 to {MAX_IN_FLIGHT_LIMIT}"
            ))));
        }
        self.max_in_flight = Some(requests);
        Ok(self)
    }

    /// How many worker threads run non-blocking calls: 1 to [`MAX_WORKER_THREADS`] (default
    /// [`DEFAULT_WORKER_THREADS`]); more calls than workers wait in a queue.
    pub fn set_worker_threads(&mut self, workers: usize) -> Result<&mut ClientConfig, Error> {
        if !(1..=MAX_WORKER_THREADS).contains(&workers) {
            return self.checked(Err(Error::invalid_argument(format!(
                "the number of worker threads must be from 1 to {MAX_WORKER_THREADS}"
            ))));
        }
        self.workers = Some(workers);
        Ok(self)
    }

    /// Sends one line per request (method, path, outcome, duration, attempts; never the token)
    /// to `sink`, up to `max_level`. The sink is called on the thread that made the request
    /// (a worker for non-blocking calls), so it must be thread-safe.
    pub fn set_log(
        &mut self,
        max_level: LogLevel,
        sink: impl Fn(LogLevel, &str) + Send + Sync + 'static,
    ) -> &mut ClientConfig {
        self.log = (max_level != LogLevel::Off).then(|| LogHook {
            max_level,
            sink: Arc::new(sink),
        });
        self
    }

    /// Limits connecting (DNS, TCP and TLS) to `timeout`, within the whole-request timeout.
    /// Unset, connecting may take the whole request's budget.
    pub fn set_connect_timeout(&mut self, timeout: Duration) -> Result<&mut ClientConfig, Error> {
        if timeout.is_zero() {
            return self.checked(Err(Error::invalid_argument(
                "the connect timeout must be at least 1 ms",
            )));
        }
        self.connect_timeout = Some(timeout);
        Ok(self)
    }

    /// The largest JSON response body read (default 64 MiB); a larger one fails with
    /// `Status::Decode` instead of growing memory without bound. At least 1 KiB.
    pub fn set_max_body_bytes(&mut self, bytes: u64) -> Result<&mut ClientConfig, Error> {
        if bytes < 1024 {
            return self.checked(Err(Error::invalid_argument(
                "the body limit must be at least 1024 bytes",
            )));
        }
        self.max_body = Some(bytes);
        Ok(self)
    }

    /// How failed requests that are safe to repeat are retried (default
    /// [`RetryPolicy::DEFAULT`]; [`RetryPolicy::NONE`] turns retries off).
    pub fn set_retry(&mut self, policy: RetryPolicy) -> Result<&mut ClientConfig, Error> {
        self.checked(policy.check())?;
        self.retry = Some(policy);
        Ok(self)
    }

    /// Trusts the CA certificates in `pem` (one or more PEM blocks) instead of the bundled
    /// Mozilla roots, e.g. behind a TLS-inspecting proxy or for a private deployment. Server
    /// certificates are always verified; there is no way to turn that off.
    pub fn set_ca_certificates_pem(&mut self, pem: &[u8]) -> Result<&mut ClientConfig, Error> {
        let roots = self.checked(parse_roots(pem))?;
        self.roots = Some(roots);
        Ok(self)
    }

    /// The settings with environment variables and defaults filled in, checked. A poisoned
    /// config fails with its first failure.
    pub(crate) fn resolve(&self) -> Result<Settings, Error> {
        if let Some(first) = &self.poisoned {
            return Err(Error::invalid_argument(format!(
                "the client config is unusable because a setter failed: {}",
                first.message()
            )));
        }
        self.resolve_values()
    }

    fn resolve_values(&self) -> Result<Settings, Error> {
        let base = match &self.base_url {
            Some(base) => base.clone(),
            None => match std::env::var(ENV_ENDPOINT) {
                Ok(url) if !url.trim().is_empty() => BaseUrl::parse(url.trim()).map_err(|e| {
                    Error::invalid_argument(format!("{ENV_ENDPOINT}: {}", e.message()))
                })?,
                _ => BaseUrl::parse(PRODUCTION_URL)?,
            },
        };
        if !base.https && !base.loopback && !self.allow_insecure_http {
            return Err(Error::invalid_argument(format!(
                "refusing plain http:// to {}: the token would travel unencrypted; use https:// \
                 (plain http is allowed for loopback hosts, or with allow_insecure_http)",
                base.authority
            )));
        }
        let token = match &self.token {
            Some(token) => token.clone(),
            None => match std::env::var(ENV_TOKEN) {
                Ok(token) if !token.is_empty() => {
                    check_token(&token).map_err(|e| {
                        Error::invalid_argument(format!("{ENV_TOKEN}: {}", e.message()))
                    })?;
                    token
                }
                _ => {
                    return Err(Error::invalid_argument(format!(
                        "no API token: set one in the config or in {ENV_TOKEN}"
                    )))
                }
            },
        };
        Ok(Settings {
            base,
            token,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            connect_timeout: self.connect_timeout,
            max_body: self.max_body.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            retry: self.retry.unwrap_or_default(),
            roots: self.roots.clone(),
            log: self.log.clone(),
            delivery: self.delivery,
            workers: self.workers.unwrap_or(DEFAULT_WORKER_THREADS),
            max_in_flight: self.max_in_flight.unwrap_or(DEFAULT_MAX_IN_FLIGHT),
        })
    }
}

/// Reads CA certificates from PEM text, all of them checked now: ureq would silently skip one
/// that does not parse, leaving the client trusting nothing.
fn parse_roots(pem: &[u8]) -> Result<ureq::tls::RootCerts, Error> {
    let mut certificates = Vec::new();
    let mut store = rustls::RootCertStore::empty();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(certificate)) => {
                let der = rustls::pki_types::CertificateDer::from(certificate.der().to_vec());
                store.add(der).map_err(|e| {
                    Error::invalid_argument(format!("a CA certificate could not be read: {e}"))
                })?;
                certificates.push(certificate);
            }
            Ok(_) => {}
            Err(e) => {
                return Err(Error::invalid_argument(format!(
                    "the CA certificates are not valid PEM: {e}"
                )))
            }
        }
    }
    if certificates.is_empty() {
        return Err(Error::invalid_argument(
            "no CA certificate found in the PEM text",
        ));
    }
    Ok(ureq::tls::RootCerts::from(certificates))
}

#[cfg(test)]
mod tests;
