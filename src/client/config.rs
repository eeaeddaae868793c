//! `ClientConfig`: where and how a client talks to the API.

use std::time::Duration;

use super::url::BaseUrl;
use super::Error;

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

/// Settings for a [`crate::Client`]. Every setter checks its value, so a mistake is reported
/// where it is made.
#[derive(Clone, Default)]
pub struct ClientConfig {
    pub(crate) base_url: Option<BaseUrl>,
    pub(crate) token: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) allow_insecure_http: bool,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url.as_ref().map(|b| &b.url))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("allow_insecure_http", &self.allow_insecure_http)
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

    /// Sets the base URL, e.g. [`SANDBOX_URL`] or `http://127.0.0.1:PORT` for the emulator.
    pub fn set_base_url(&mut self, url: &str) -> Result<&mut ClientConfig, Error> {
        self.base_url = Some(BaseUrl::parse(url)?);
        Ok(self)
    }

    /// Sets the bearer token.
    pub fn set_token(&mut self, token: &str) -> Result<&mut ClientConfig, Error> {
        check_token(token)?;
        self.token = Some(token.to_owned());
        Ok(self)
    }

    /// Sets the whole-request timeout (connect, send, and read the full response); at least 1 ms.
    pub fn set_timeout(&mut self, timeout: Duration) -> Result<&mut ClientConfig, Error> {
        if timeout.is_zero() {
            return Err(Error::invalid_argument("the timeout must be at least 1 ms"));
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

    /// The settings with environment variables and defaults filled in, checked.
    pub(crate) fn resolve(&self) -> Result<(BaseUrl, String, Duration), Error> {
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
        Ok((base, token, self.timeout.unwrap_or(DEFAULT_TIMEOUT)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setters_reject_bad_values() {
        let mut config = ClientConfig::new();
        assert!(config.set_token("").is_err());
        assert!(config.set_token("a b").is_err());
        assert!(config.set_token("a\r\nX-Evil: 1").is_err());
        assert!(config.set_token("tökén").is_err());
        assert!(config.set_timeout(Duration::ZERO).is_err());
        assert!(config.set_base_url("https://u:p@h").is_err());
        assert!(config.set_token("good-token").is_ok());
    }

    #[test]
    fn plain_http_needs_loopback_or_an_opt_in() {
        let mut config = ClientConfig::new();
        config.set_token("t").unwrap();
        config.set_base_url("http://10.0.0.1").unwrap();
        let error = config.resolve().unwrap_err();
        assert!(error.message().contains("unencrypted"));
        config.set_allow_insecure_http(true);
        assert!(config.resolve().is_ok());
        config
            .set_base_url("http://127.0.0.1:1")
            .unwrap()
            .set_allow_insecure_http(false);
        assert!(config.resolve().is_ok());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let mut config = ClientConfig::new();
        config.set_token("secret-token-value").unwrap();
        assert!(!format!("{config:?}").contains("secret-token-value"));
    }
}
