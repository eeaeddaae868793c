//! Where the endpoint and the token come from, remembered for `doctor`, and the client built
//! from them. The token is never taken from an argument (it would show in `ps` and history).

use std::io::Read;
use std::time::Duration;

use gameye::client::{PRODUCTION_URL, SANDBOX_URL};
use gameye::{Client, ClientConfig};

use crate::cli::Connection;
use crate::failure::Failure;

/// The resolved connection settings, each with where it came from.
pub struct Settings {
    pub endpoint: String,
    pub endpoint_source: &'static str,
    pub token: Option<String>,
    pub token_source: String,
    pub ca_pem: Option<Vec<u8>>,
    pub ca_source: Option<String>,
    pub timeout: Duration,
}

impl Settings {
    /// Resolves the flags, then the environment, then the defaults.
    pub fn resolve(flags: &Connection) -> Result<Settings, Failure> {
        let environment = std::env::var("GAMEYE_API_ENDPOINT")
            .ok()
            .filter(|v| !v.is_empty());
        let (endpoint, endpoint_source) = if let Some(url) = &flags.endpoint {
            (url.clone(), "--endpoint")
        } else if flags.sandbox {
            (SANDBOX_URL.to_owned(), "--sandbox")
        } else if flags.production {
            (PRODUCTION_URL.to_owned(), "--production")
        } else if let Some(url) = environment {
            (url, "GAMEYE_API_ENDPOINT")
        } else {
            (PRODUCTION_URL.to_owned(), "the default (production)")
        };
        let (token, token_source) = if let Some(path) = &flags.token_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::usage(format!(
                    "cannot read the token file {}: {e}",
                    path.display()
                ))
            })?;
            (Some(text), format!("--token-file {}", path.display()))
        } else if flags.token_stdin {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::usage(format!("cannot read the token from stdin: {e}")))?;
            (Some(text), "--token-stdin".to_owned())
        } else {
            let text = std::env::var("GAMEYE_API_TOKEN").ok();
            (text, "GAMEYE_API_TOKEN".to_owned())
        };
        let token = token.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let (ca_pem, ca_source) = match &flags.ca_file {
            Some(path) => {
                let pem = std::fs::read(path).map_err(|e| {
                    Failure::usage(format!("cannot read the CA file {}: {e}", path.display()))
                })?;
                (Some(pem), Some(path.display().to_string()))
            }
            None => (None, None),
        };
        if flags.timeout == 0 {
            return Err(Failure::usage("--timeout must be at least 1 second"));
        }
        Ok(Settings {
            endpoint,
            endpoint_source,
            token,
            token_source,
            ca_pem,
            ca_source,
            timeout: Duration::from_secs(flags.timeout),
        })
    }

    /// The token, or a usage failure that says how to give one.
    pub fn token(&self) -> Result<&str, Failure> {
        self.token.as_deref().ok_or_else(|| {
            Failure::usage(format!(
                "no token ({} is empty or unset): set GAMEYE_API_TOKEN, or pass --token-file PATH \
                 or --token-stdin",
                self.token_source
            ))
        })
    }

    /// A client for these settings.
    pub fn client(&self) -> Result<Client, Failure> {
        let mut config = ClientConfig::new();
        config.set_base_url(&self.endpoint)?;
        config.set_token(self.token()?)?;
        config.set_timeout(self.timeout)?;
        if let Some(pem) = &self.ca_pem {
            config.set_ca_certificates_pem(pem)?;
        }
        Ok(Client::new(&config)?)
    }

    /// The token as `doctor` shows it: its length and last four characters only.
    pub fn token_summary(&self) -> Option<String> {
        let token = self.token.as_deref()?;
        let tail: String = token
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        Some(if token.chars().count() >= 12 {
            format!(
                "{} characters, ending in \u{2026}{tail}",
                token.chars().count()
            )
        } else {
            format!("{} characters", token.chars().count())
        })
    }
}

impl From<gameye::Error> for Failure {
    fn from(error: gameye::Error) -> Failure {
        Failure::from_error(&error)
    }
}
