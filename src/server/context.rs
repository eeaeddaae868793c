//! The session this process runs in, as Gameye tells a container: `GAMEYE_SESSION_ID` and
//! `GAMEYE_HOST` in its environment.

use std::ffi::OsString;

use crate::client::Error;
use crate::model::Text;
use crate::Status;

/// The variable that holds the session id.
pub const ENV_SESSION_ID: &str = "GAMEYE_SESSION_ID";
/// The variable that holds the host's public address.
pub const ENV_HOST: &str = "GAMEYE_HOST";

/// The session this process runs in (an immutable handle: read it from any thread).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionContext {
    id: Text,
    host: Option<Text>,
}

impl SessionContext {
    /// Reads the environment: `NotFound` outside a session (`GAMEYE_SESSION_ID` unset or
    /// empty), `InvalidArgument` when a variable is not UTF-8.
    pub fn current() -> Result<SessionContext, Error> {
        SessionContext::from_vars(std::env::var_os(ENV_SESSION_ID), std::env::var_os(ENV_HOST))
    }

    /// The context the two variables' values describe (see [`current`](Self::current)).
    pub fn from_vars(
        id: Option<OsString>,
        host: Option<OsString>,
    ) -> Result<SessionContext, Error> {
        let text = |value: OsString, name: &str| {
            value.into_string().map_err(|_| {
                Error::invalid_argument(format!("{name} is set but is not valid UTF-8"))
            })
        };
        let id = match id {
            Some(id) if !id.is_empty() => text(id, ENV_SESSION_ID)?,
            _ => {
                return Err(Error::new(
                    Status::NotFound,
                    format!(
                        "this process does not run inside a Gameye session: {ENV_SESSION_ID} is \
                         not set (Gameye sets it in every session's container)"
                    ),
                ))
            }
        };
        let host = match host {
            Some(host) if !host.is_empty() => Some(text(host, ENV_HOST)?),
            _ => None,
        };
        Ok(SessionContext {
            id: Text::new(id.trim()),
            host: host.map(|h| Text::new(h.trim())),
        })
    }

    /// The session's id.
    pub fn id(&self) -> &str {
        self.id.as_str()
    }

    /// The host's address as Gameye set it, when it did.
    pub fn host(&self) -> Option<&str> {
        self.host.as_ref().map(Text::as_str)
    }

    pub(crate) fn id_text(&self) -> &Text {
        &self.id
    }

    pub(crate) fn host_text(&self) -> Option<&Text> {
        self.host.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_a_session_is_not_found() {
        for id in [None, Some(OsString::new())] {
            let error = SessionContext::from_vars(id, Some("1.2.3.4".into())).unwrap_err();
            assert_eq!(error.status(), Status::NotFound);
            assert!(error.message().contains(ENV_SESSION_ID));
        }
    }

    #[test]
    fn reads_the_id_and_the_host() {
        let context = SessionContext::from_vars(Some("abc".into()), Some("1.2.3.4".into()));
        let context = context.unwrap();
        assert_eq!((context.id(), context.host()), ("abc", Some("1.2.3.4")));
        let context = SessionContext::from_vars(Some("abc".into()), None).unwrap();
        assert_eq!(context.host(), None);
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_is_an_invalid_argument() {
        use std::os::unix::ffi::OsStringExt;
        let bad = OsString::from_vec(vec![0xff, 0xfe]);
        let error = SessionContext::from_vars(Some(bad.clone()), None).unwrap_err();
        assert_eq!(error.status(), Status::InvalidArgument);
        let error = SessionContext::from_vars(Some("abc".into()), Some(bad)).unwrap_err();
        assert_eq!(error.status(), Status::InvalidArgument);
    }
}
