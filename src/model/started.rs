//! The answer to `POST /session`.

use serde::Deserialize;

use super::port::{Port, PortEntry};
use super::Text;

/// A started session: where players connect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartedSession {
    /// The session id: the one the server returned, else the one the client sent.
    pub id: Text,
    /// The IP address of the host machine.
    pub host: Text,
    /// The mapped ports.
    pub ports: Vec<Port>,
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
        StartedSession {
            id: self.id.unwrap_or_else(|| Text::new(sent_id)),
            host: self.host,
            ports: self.ports.into_iter().map(Port::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_example_decodes() {
        let wire: WireStarted = serde_json::from_str(
            r#"{"id":"c5c7c507-f5de-443e-b772-af4b444cfc21","host":"a.b.c.d",
                "ports":[{"type":"tcp","container":80,"host":49159},{"type":"tcp","container":80,"host":49159}]}"#,
        )
        .unwrap();
        let started = wire.into_started("ignored");
        assert_eq!(started.id, "c5c7c507-f5de-443e-b772-af4b444cfc21");
        assert_eq!(started.ports.len(), 2);
        assert_eq!(started.ports[0].name, "80/tcp");
    }

    #[test]
    fn a_missing_id_is_the_one_sent() {
        let wire: WireStarted = serde_json::from_str(r#"{"host":"h","ports":[]}"#).unwrap();
        assert_eq!(wire.into_started("sent-id").id, "sent-id");
    }
}
