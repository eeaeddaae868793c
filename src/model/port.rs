//! Mapped ports: `"<container>/<protocol>" → host port` on the wire.

use std::ffi::c_char;
use std::fmt;

use super::json::Span;
use super::loose::optional_whole_integer;
use super::store;
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
    pub(crate) fn c_name(self) -> &'static str {
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

/// One mapped port of a session. Read-only, and only ever borrowed from its owner (a session,
/// or a started session).
pub struct Port {
    base: *const u8,
    name: Span,
    protocol: Option<Protocol>,
    container: u16,
    host: u16,
}

// SAFETY: `base` points into the owner's storage, which never changes once decoded, and a
// `Port` is never handed out by value.
unsafe impl Send for Port {}
// SAFETY: as for Send; nothing is written through the pointer once decoded.
unsafe impl Sync for Port {}

impl Port {
    /// A port from its name as the server sent it (`name`, decoded at `span` of its owner's
    /// buffer) and its host port. Never fails: parts that are not what they should be read
    /// as 0 / `None`.
    pub(crate) fn from_name(span: Span, name: &str, host: u16) -> Port {
        let (container, protocol) = match name.split_once('/') {
            Some((container, protocol)) => (container, Protocol::parse(protocol)),
            None => (name, None),
        };
        Port {
            base: std::ptr::null(),
            name: span,
            container: valid_port(container.trim().parse::<i64>().ok()),
            protocol,
            host,
        }
    }

    /// Points the port at its owner's final buffer.
    pub(crate) fn resolve(&mut self, base: *const u8) {
        self.base = base;
    }

    /// The name as the server sent it, e.g. `"80/tcp"`.
    pub fn name(&self) -> &str {
        // SAFETY: `base` is the store of the port's owner (set when it was resolved), which
        // holds the decoded name and outlives `&self`.
        unsafe { store::text(self.base, self.name) }
    }

    /// The name, NUL-terminated for C.
    pub(crate) fn c_name(&self) -> *const c_char {
        // SAFETY: as in `name`.
        unsafe { store::c_text(self.base, self.name) }
    }

    /// The protocol named after the `/`; `None` when missing or not tcp/udp.
    pub fn protocol(&self) -> Option<Protocol> {
        self.protocol
    }

    /// The container port before the `/`; 0 when it is not a valid port number.
    pub fn container(&self) -> u16 {
        self.container
    }

    /// The host port that players connect to; 0 when it is not a valid port number.
    pub fn host(&self) -> u16 {
        self.host
    }
}

impl fmt::Debug for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Port")
            .field("name", &self.name())
            .field("protocol", &self.protocol)
            .field("container", &self.container)
            .field("host", &self.host)
            .finish()
    }
}

impl PartialEq for Port {
    fn eq(&self, other: &Port) -> bool {
        (self.name(), self.protocol, self.container, self.host)
            == (other.name(), other.protocol, other.container, other.host)
    }
}

impl Eq for Port {}

/// A port number in 1..=65535, else 0.
pub(crate) fn valid_port(value: Option<i64>) -> u16 {
    value
        .and_then(|v| u16::try_from(v).ok())
        .filter(|v| *v != 0)
        .unwrap_or(0)
}

/// Ports that own their names (those of a started session): one buffer of NUL-terminated
/// names that the ports point into.
pub(crate) struct OwnedPorts {
    ports: Vec<Port>,
    _names: Box<[u8]>,
}

impl OwnedPorts {
    /// Ports from `(name, host port)` pairs.
    pub fn new<'a>(named: impl IntoIterator<Item = (&'a str, u16)>) -> OwnedPorts {
        let mut names = Vec::new();
        let mut ports = Vec::new();
        for (name, host) in named {
            let span = Span {
                at: names.len() as u32,
                len: name.len() as u32,
            };
            names.extend_from_slice(name.as_bytes());
            names.push(0);
            ports.push(Port::from_name(span, name, host));
        }
        let names = names.into_boxed_slice();
        for port in &mut ports {
            port.resolve(names.as_ptr());
        }
        OwnedPorts {
            ports,
            _names: names,
        }
    }

    pub fn as_slice(&self) -> &[Port] {
        &self.ports
    }
}

/// One entry of the start response's `ports` array: `{type, container, host}`.
#[derive(serde::Deserialize)]
pub(crate) struct PortEntry {
    #[serde(rename = "type", default)]
    protocol: Option<Text>,
    #[serde(default, deserialize_with = "optional_whole_integer")]
    container: Option<i64>,
    #[serde(default, deserialize_with = "optional_whole_integer")]
    host: Option<i64>,
}

impl PortEntry {
    /// Whether its protocol string holds U+0000.
    pub(crate) fn holds_nul(&self) -> bool {
        self.protocol.as_deref().is_some_and(|p| p.contains('\0'))
    }

    /// The name a session would give this port (`"7777/udp"`) and its host port.
    pub(crate) fn named(&self) -> (String, u16) {
        let container = valid_port(self.container);
        let name = match self.protocol.as_deref().and_then(Protocol::parse) {
            Some(protocol) => format!("{container}/{}", protocol.name()),
            None => container.to_string(),
        };
        (name, valid_port(self.host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(name: &str, host: u16) -> OwnedPorts {
        OwnedPorts::new([(name, host)])
    }

    #[test]
    fn names_split_into_container_and_protocol() {
        let ports = port("80/tcp", 49160);
        let p = &ports.as_slice()[0];
        assert_eq!(
            (p.container(), p.protocol(), p.host(), p.name()),
            (80, Some(Protocol::Tcp), 49160, "80/tcp")
        );
        let ports = port("7777/UDP", 1);
        let p = &ports.as_slice()[0];
        assert_eq!((p.container(), p.protocol()), (7777, Some(Protocol::Udp)));
    }

    #[test]
    fn odd_names_read_as_zero_or_none() {
        for (name, container, protocol) in [
            ("http", 0, None),
            ("99999/tcp", 0, Some(Protocol::Tcp)),
            ("0/udp", 0, Some(Protocol::Udp)),
            ("80/sctp", 80, None),
            ("8080", 8080, None),
            ("", 0, None),
        ] {
            let ports = port(name, 0);
            let p = &ports.as_slice()[0];
            assert_eq!(
                (p.container(), p.protocol()),
                (container, protocol),
                "{name}"
            );
            assert_eq!(p.name(), name);
            // SAFETY: a port's C name is NUL-terminated and lives as long as `ports`.
            let c = unsafe { std::ffi::CStr::from_ptr(p.c_name()) };
            assert_eq!(c.to_str().unwrap(), name);
        }
    }

    #[test]
    fn start_response_entries_get_a_name() {
        let entry: PortEntry =
            serde_json::from_str(r#"{"type":"udp","container":7777,"host":20001}"#).unwrap();
        assert_eq!(entry.named(), ("7777/udp".to_owned(), 20001));
        let entry: PortEntry = serde_json::from_str(r#"{"container":80}"#).unwrap();
        assert_eq!(entry.named(), ("80".to_owned(), 0));
    }
}
