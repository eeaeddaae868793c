//! Profiles: named connections (an endpoint, a token file, a CA file) in one TOML file, so a
//! sandbox and a production account each keep their own token and neither is ever sent to the
//! other's endpoint.
//!
//! The file is `$GAMEYE_CONFIG`, else `gameye/config.toml` in the platform's configuration
//! folder: `$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Application Support` on macOS,
//! `%APPDATA%` on Windows.
//!
//! ```toml
//! default = "sandbox"          # used when nothing else names an endpoint or a profile
//!
//! [profiles.sandbox]
//! endpoint = "sandbox"         # "sandbox", "production" or a URL
//! token-file = "~/.config/gameye/sandbox.token"
//!
//! [profiles.production]
//! endpoint = "production"
//! token-file = "~/.config/gameye/production.token"
//! ca-file = "/etc/ssl/corp-proxy.pem"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::failure::Failure;

/// The profiles file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    /// The profile used when neither a flag nor the environment names an endpoint or profile.
    pub default: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One named connection.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profile {
    /// "sandbox", "production" or a base URL.
    pub endpoint: String,
    /// The file holding this profile's token (`~/` is the home folder).
    pub token_file: Option<PathBuf>,
    /// PEM certificates to trust as well (`~/` is the home folder).
    pub ca_file: Option<PathBuf>,
}

fn home() -> Option<PathBuf> {
    std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" })
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// `path` with a leading `~/` made the home folder.
pub fn expand(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), home()) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// Where the profiles file is, if this platform says.
pub fn config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("GAMEYE_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let folder = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library/Application Support"))
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| home().map(|h| h.join(".config")))
    };
    folder.map(|f| f.join("gameye").join("config.toml"))
}

impl Profiles {
    /// The profiles file at `path`; empty when there is none. A file that does not parse is a
    /// usage failure naming the file and the line.
    pub fn load(path: Option<&Path>) -> Result<Profiles, Failure> {
        let Some(path) = path else {
            return Ok(Profiles::default());
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Profiles::default()),
            Err(e) => {
                return Err(Failure::usage(format!(
                    "cannot read the profiles file {}: {e}",
                    path.display()
                )))
            }
        };
        let profiles: Profiles = toml::from_str(&text).map_err(|e| {
            Failure::usage(format!(
                "the profiles file {} is not valid: {}",
                path.display(),
                e.to_string().trim_end()
            ))
        })?;
        if let Some(default) = &profiles.default {
            if !profiles.profiles.contains_key(default) {
                return Err(Failure::usage(format!(
                    "the profiles file {} names default = {default:?}, which it does not define",
                    path.display()
                )));
            }
        }
        Ok(profiles)
    }

    /// The profile called `name`, or a usage failure listing those there are.
    pub fn get(&self, name: &str, path: Option<&Path>) -> Result<&Profile, Failure> {
        self.profiles.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
            Failure::usage(format!(
                "no profile {name:?} in {} ({})",
                path.map_or("the profiles file".to_owned(), |p| p.display().to_string()),
                if known.is_empty() {
                    "it defines none".to_owned()
                } else {
                    format!("it defines {}", known.join(", "))
                }
            ))
        })
    }
}

/// A warning when the token file can be read by other users (Unix permissions).
pub fn token_file_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        (mode & 0o077 != 0).then(|| {
            format!(
                "the token file {} can be read by other users (mode {:o}): chmod 600 {0}",
                path.display(),
                mode & 0o777
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profiles_file_reads_and_refuses_what_it_does_not_know() {
        let profiles: Profiles = toml::from_str(
            "default = \"sb\"\n[profiles.sb]\nendpoint = \"sandbox\"\ntoken-file = \"~/t\"\n",
        )
        .unwrap();
        assert_eq!(profiles.profiles["sb"].endpoint, "sandbox");
        assert!(
            toml::from_str::<Profiles>("[profiles.x]\nendpoint = \"a\"\ntoken = \"t\"\n").is_err()
        );
    }
}
