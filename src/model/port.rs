//! Mapped ports: `"<container>/<protocol>" → host port` on the wire.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::loose::{optional_integer, Embedded};
use super::Text;

/// The transport protocol of a mapped port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

impl Protocol {
    /// `"tcp"` or `"udp"`, NUL-terminated for the C ABI.
    pub fn c_name(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp\0",
            Protocol::Udp => "udp\0",
        }
    }

    /// `"tcp"` or `"udp"`.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }

    /// Parses `tcp`/`udp` in any letter case.
    pub fn parse(s: &str) -> Option<Protocol> {
        if s.eq_ignore_ascii_case("tcp") {
            Some(Protocol::Tcp)
        } else if s.eq_ignore_ascii_case("udp") {
            Some(Protocol::Udp)
        } else {
            None
        }
    }
}

/// One mapped port of a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// The name as the server sent it, e.g. `"80/tcp"`.
    pub name: Text,
    /// The protocol named after the `/`; `None` when missing or not tcp/udp.
    pub protocol: Option<Protocol>,
    /// The container port before the `/`; 0 when it is not a valid port number.
    pub container: u16,
    /// The host port that players connect to; 0 when it is not a valid port number.
    pub host: u16,
}

impl Port {
    /// A port from the name the server used for it and its host port. Never fails: parts that
    /// are not what they should be read as 0 / `None`.
    pub fn from_name(name: Text, host: u16) -> Port {
        let (container, protocol) = match name.split_once('/') {
            Some((container, protocol)) => (container, Protocol::parse(protocol)),
            None => (name.as_str(), None),
        };
        Port {
            container: valid_port(container.trim().parse::<i64>().ok()),
            protocol,
            host,
            name,
        }
    }

    /// A port from its parts (the start response's `{type, container, host}` form).
    pub fn from_parts(protocol: Option<Protocol>, container: u16, host: u16) -> Port {
        let name = match protocol {
            Some(protocol) => format!("{container}/{}", protocol.name()),
            None => container.to_string(),
        };
        Port {
            name: Text::from(name),
            protocol,
            container,
            host,
        }
    }
}

/// A port number in 1..=65535, else 0.
pub(crate) fn valid_port(value: Option<i64>) -> u16 {
    value
        .and_then(|v| u16::try_from(v).ok())
        .filter(|v| *v != 0)
        .unwrap_or(0)
}

/// The `port` field of a session: decoded from the object map or its string forms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PortMap(pub Vec<Port>);

impl Embedded for PortMap {
    const WRAPPER: &'static str = "port";
}

/// A host port value: an integer, a float, or a numeric string; else 0.
struct HostPort(u16);

impl<'de> Deserialize<'de> for HostPort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<HostPort, D::Error> {
        Ok(HostPort(valid_port(optional_integer(d)?)))
    }
}

impl<'de> Deserialize<'de> for PortMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PortMap, D::Error> {
        struct PortsVisitor;
        impl<'de> Visitor<'de> for PortsVisitor {
            type Value = PortMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of port numbers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PortMap, A::Error> {
                let mut ports = Vec::with_capacity(map.size_hint().unwrap_or(2));
                while let Some((name, HostPort(host))) = map.next_entry::<Text, HostPort>()? {
                    ports.push(Port::from_name(name, host));
                }
                Ok(PortMap(ports))
            }
            fn visit_unit<E: de::Error>(self) -> Result<PortMap, E> {
                Ok(PortMap::default())
            }
        }
        d.deserialize_map(PortsVisitor)
    }
}

/// One entry of the start response's `ports` array: `{type, container, host}`.
#[derive(serde::Deserialize)]
pub(crate) struct PortEntry {
    #[serde(rename = "type", default)]
    protocol: Option<Text>,
    #[serde(default, deserialize_with = "optional_integer")]
    container: Option<i64>,
    #[serde(default, deserialize_with = "optional_integer")]
    host: Option<i64>,
}

impl From<PortEntry> for Port {
    fn from(entry: PortEntry) -> Port {
        Port::from_parts(
            entry.protocol.as_deref().and_then(Protocol::parse),
            valid_port(entry.container),
            valid_port(entry.host),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_container_and_protocol() {
        let port = Port::from_name(Text::new("80/tcp"), 49160);
        assert_eq!(
            (port.container, port.protocol, port.host),
            (80, Some(Protocol::Tcp), 49160)
        );
        let port = Port::from_name(Text::new("7777/UDP"), 1);
        assert_eq!((port.container, port.protocol), (7777, Some(Protocol::Udp)));
    }

    #[test]
    fn odd_names_and_numbers_read_as_zero_or_none() {
        for (name, container, protocol) in [
            ("http", 0, None),
            ("99999/tcp", 0, Some(Protocol::Tcp)),
            ("0/udp", 0, Some(Protocol::Udp)),
            ("80/sctp", 80, None),
            ("8080", 8080, None),
            ("", 0, None),
        ] {
            let port = Port::from_name(Text::new(name), 0);
            assert_eq!(
                (port.container, port.protocol),
                (container, protocol),
                "{name}"
            );
            assert_eq!(port.name, name);
        }
        let map: PortMap =
            serde_json::from_str(r#"{"a":70000,"b":-1,"c":1.5e3,"d":"123","e":null}"#).unwrap();
        let hosts: Vec<u16> = map.0.iter().map(|p| p.host).collect();
        assert_eq!(hosts, vec![0, 0, 1500, 123, 0]);
    }

    #[test]
    fn start_response_entries_get_a_name() {
        let entry: PortEntry =
            serde_json::from_str(r#"{"type":"udp","container":7777,"host":20001}"#).unwrap();
        let port = Port::from(entry);
        assert_eq!(port.name, "7777/udp");
        assert_eq!((port.container, port.host), (7777, 20001));
    }
}
