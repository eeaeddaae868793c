//! Where the endpoint and the token come from (flags, a profile, the environment), remembered
//! for `doctor`, and the client built from them. The token is never taken from an argument (it
//! would show in `ps` and history).

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use gameye::client::LogLevel;
use gameye::client::{PRODUCTION_URL, SANDBOX_URL};
use gameye::{Client, ClientConfig};

use crate::cli::Connection;
use crate::errln;
use crate::failure::Failure;
use crate::output::escape;
use crate::profiles::{self, Profiles};

/// The resolved connection settings, each with where it came from.
pub struct Settings {
    pub endpoint: String,
    pub endpoint_source: String,
    /// The profile in use, if any.
    pub profile: Option<String>,
    pub token: Option<String>,
    pub token_source: String,
    pub ca_pem: Option<Vec<u8>>,
    pub ca_source: Option<String>,
    pub timeout: Duration,
    /// `--verbose`: the client's log lines on stderr.
    pub verbose: bool,
    /// Said once on stderr before the command runs (a token file others can read).
    pub warnings: Vec<String>,
}

/// "sandbox" and "production" as a profile's endpoint.
fn named_endpoint(endpoint: &str) -> String {
    match endpoint {
        "sandbox" => SANDBOX_URL.to_owned(),
        "production" => PRODUCTION_URL.to_owned(),
        url => url.to_owned(),
    }
}

fn read_token_file(path: &Path, warnings: &mut Vec<String>) -> Result<String, Failure> {
    warnings.extend(profiles::token_file_warning(path));
    std::fs::read_to_string(path).map_err(|e| {
        Failure::usage(format!(
            "cannot read the token file {}: {e}",
            path.display()
        ))
    })
}

impl Settings {
    /// Resolves the connection. In order: an endpoint flag (`--endpoint`, `--sandbox`,
    /// `--production`) uses no profile; else `--profile`, else `GAMEYE_PROFILE`; else
    /// `GAMEYE_API_ENDPOINT` uses no profile; else the profiles file's `default`; else
    /// production. With a profile the token comes from `--token-file`/`--token-stdin` or the
    /// profile's token file, never from `GAMEYE_API_TOKEN` (which may be another account's).
    pub fn resolve(flags: &Connection) -> Result<Settings, Failure> {
        let environment = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let flag_endpoint = if let Some(url) = &flags.endpoint {
            Some((url.clone(), "--endpoint"))
        } else if flags.sandbox {
            Some((SANDBOX_URL.to_owned(), "--sandbox"))
        } else if flags.production {
            Some((PRODUCTION_URL.to_owned(), "--production"))
        } else {
            None
        };
        let config = profiles::config_path();
        let chosen = if flag_endpoint.is_some() {
            None
        } else if let Some(name) = &flags.profile {
            Some((name.clone(), "--profile"))
        } else {
            environment("GAMEYE_PROFILE").map(|name| (name, "GAMEYE_PROFILE"))
        };
        let mut warnings = Vec::new();
        let mut profile = None;
        let (endpoint, endpoint_source) = if let Some((url, flag)) = flag_endpoint {
            (url, flag.to_owned())
        } else if let Some((name, from)) = chosen {
            let profiles = Profiles::load(config.as_deref())?;
            let found = profiles.get(&name, config.as_deref())?.clone();
            profile = Some((name.clone(), found.clone()));
            (
                named_endpoint(&found.endpoint),
                format!("profile {name} ({from})"),
            )
        } else if let Some(url) = environment("GAMEYE_API_ENDPOINT") {
            (url, "GAMEYE_API_ENDPOINT".to_owned())
        } else {
            let profiles = Profiles::load(config.as_deref())?;
            match &profiles.default {
                Some(name) => {
                    let found = profiles.get(name, config.as_deref())?.clone();
                    profile = Some((name.clone(), found.clone()));
                    let source = format!("profile {name} (the profiles file's default)");
                    (named_endpoint(&found.endpoint), source)
                }
                None => (
                    PRODUCTION_URL.to_owned(),
                    "the default (production)".to_owned(),
                ),
            }
        };
        let (token, token_source) = if let Some(path) = &flags.token_file {
            let text = read_token_file(path, &mut warnings)?;
            (Some(text), format!("--token-file {}", path.display()))
        } else if flags.token_stdin {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::usage(format!("cannot read the token from stdin: {e}")))?;
            (Some(text), "--token-stdin".to_owned())
        } else if let Some((name, found)) = &profile {
            match &found.token_file {
                Some(path) => {
                    let path = profiles::expand(path);
                    let text = read_token_file(&path, &mut warnings)?;
                    (
                        Some(text),
                        format!("profile {name}'s token file {}", path.display()),
                    )
                }
                None => (None, format!("profile {name}, which has no token-file")),
            }
        } else {
            (
                environment("GAMEYE_API_TOKEN"),
                "GAMEYE_API_TOKEN".to_owned(),
            )
        };
        let token = token.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let ca_file = flags.ca_file.clone().or_else(|| {
            profile
                .as_ref()
                .and_then(|(_, p)| p.ca_file.as_deref().map(profiles::expand))
        });
        let (ca_pem, ca_source) = match &ca_file {
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
            profile: profile.map(|(name, _)| name),
            token,
            token_source,
            ca_pem,
            ca_source,
            timeout: Duration::from_secs(flags.timeout),
            verbose: false,
            warnings,
        })
    }

    /// The token, or a usage failure that says how to give one.
    pub fn token(&self) -> Result<&str, Failure> {
        self.token.as_deref().ok_or_else(|| {
            Failure::usage(match &self.profile {
                Some(_) => format!(
                    "no token (from {}; GAMEYE_API_TOKEN is never used with a profile, as it may \
                     be another account's): give the profile a token-file, or pass --token-file \
                     PATH or --token-stdin",
                    self.token_source
                ),
                None => format!(
                    "no token ({} is empty or unset): set GAMEYE_API_TOKEN, or pass --token-file \
                     PATH or --token-stdin",
                    self.token_source
                ),
            })
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
        if self.verbose {
            // The library's lines never hold the token; escaped, as all server text.
            config.set_log(LogLevel::Debug, |level, line| {
                errln!("gameye: {}: {}", level_name(level), escape(line));
            });
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

fn level_name(level: LogLevel) -> &'static str {
    match level {
        LogLevel::Off => "off",
        LogLevel::Error => "error",
        LogLevel::Warn => "warn",
        LogLevel::Info => "info",
        LogLevel::Debug => "debug",
    }
}
