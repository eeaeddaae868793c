//! The answer to `POST /session`.

use serde::Deserialize;

use super::port::{OwnedPorts, Port, PortEntry};
use super::Text;

/// A started session: where players connect.
pub struct StartedSession {
    /// The session id: the one the server returned, else the one the client sent.
    pub id: Text,
    /// The IP address of the host machine.
    pub host: Text,
    ports: OwnedPorts,
}

impl StartedSession {
    /// A started session from its parts: the ports as `(name, host port)`.
    pub(crate) fn new<'a>(
        id: Text,
        host: Text,
        ports: impl IntoIterator<Item = (&'a str, u16)>,
    ) -> StartedSession {
        StartedSession {
            id,
            host,
            ports: OwnedPorts::new(ports),
        }
    }

    /// The mapped ports.
    pub fn ports(&self) -> &[Port] {
        self.ports.as_slice()
    }
}

impl std::fmt::Debug for StartedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StartedSession")
            .field("id", &self.id)
            .field("host", &self.host)
            .field("ports", &self.ports())
            .finish()
    }
}

/// The wire form of `SessionRunOk`; `id` may be missing.
#[derive(Deserialize)]
pub(crate) struct WireStarted {
    #[serde(default)]
    pub id: Option<Text>,
    pub host: Text,
    #[serde(default)]
    pub ports: Vec<PortEntry>,
}

impl WireStarted {
    /// The result, with `sent_id` standing in when the response leaves the id out.
    pub(crate) fn into_started(self, sent_id: &str) -> StartedSession {
        let named: Vec<(String, u16)> = self.ports.iter().map(PortEntry::named).collect();
        StartedSession::new(
            self.id.unwrap_or_else(|| Text::new(sent_id)),
            self.host,
            named.iter().map(|(name, host)| (name.as_str(), *host)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_example_decodes() {
        let wire: WireStarted = serde_json::from_str(
            r#"{"id":"c5c7c507-f5de-443e-b772-af4b444cfc21","host":"a.b.c.d",
                "ports":[{"type":"tcp","container":80,"host":49159},
                         {"type":"tcp","container":80,"host":49159}]}"#,
        )
        .unwrap();
        let started = wire.into_started("ignored");
        assert_eq!(started.id, "c5c7c507-f5de-443e-b772-af4b444cfc21");
        assert_eq!(started.ports().len(), 2);
        assert_eq!(started.ports()[0].name(), "80/tcp");
    }

    #[test]
    fn a_missing_id_is_the_one_sent() {
        let wire: WireStarted = serde_json::from_str(r#"{"host":"h","ports":[]}"#).unwrap();
        assert_eq!(wire.into_started("sent-id").id, "sent-id");
    }
}
