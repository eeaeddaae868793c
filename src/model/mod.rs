//! Wire types of the Session API and their tolerant decoding (docs/C-API.md "Wire tolerance").

mod collections;
mod decode;
#[doc(hidden)]
pub mod decoders;
mod error_body;
mod json;
mod location;
mod loose;
mod port;
mod recycle;
mod roster;
mod session;
mod started;
mod store;
#[cfg(test)]
mod test_random;
mod text;

pub use collections::{StringList, StringMap};
pub use error_body::{ErrorBody, Violation};
pub use location::{Location, LocationList};
pub use port::{Port, Protocol};
pub use roster::Roster;
pub use session::{DescribedSession, Players, Session, SessionList};
pub use started::StartedSession;
pub use text::Text;

pub(crate) use json::{JsonError, NUL_IN_STRING};
pub(crate) use location::TagAnswer;
pub(crate) use recycle::{Recycler, ReturnTo};
pub(crate) use session::TextField;
pub(crate) use started::WireStarted;

/// Responses decoded through serde, checked for strings C could only read cut short: the field
/// holding U+0000 is named, and the response is refused (docs/C-API.md "No silent truncation").
pub(crate) trait NulFree {
    /// The first field whose string holds U+0000, if any.
    fn nul_field(&self) -> Option<&'static str>;
}

fn has_nul(text: &str) -> bool {
    text.contains('\0')
}

impl NulFree for WireStarted {
    fn nul_field(&self) -> Option<&'static str> {
        if self.id.as_deref().is_some_and(has_nul) {
            Some("id")
        } else if has_nul(&self.host) {
            Some("host")
        } else if self.ports.iter().any(port::PortEntry::holds_nul) {
            Some("ports")
        } else {
            None
        }
    }
}

impl NulFree for Roster {
    fn nul_field(&self) -> Option<&'static str> {
        self.players.iter().any(has_nul).then_some("players")
    }
}

impl NulFree for LocationList {
    fn nul_field(&self) -> Option<&'static str> {
        let mut locations = self.iter();
        if locations.clone().any(|l| has_nul(&l.id)) {
            Some("locations.id")
        } else if locations.any(|l| l.ips.iter().any(has_nul)) {
            Some("locations.ips")
        } else {
            None
        }
    }
}

impl NulFree for TagAnswer {
    fn nul_field(&self) -> Option<&'static str> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_decoded_responses_name_the_field_holding_nul() {
        let started: WireStarted =
            serde_json::from_str(r#"{"id":"a","host":"h\u0000x","ports":[]}"#).unwrap();
        assert_eq!(started.nul_field(), Some("host"));
        let started: WireStarted =
            serde_json::from_str(r#"{"host":"h","ports":[{"type":"t\u0000","host":1}]}"#).unwrap();
        assert_eq!(started.nul_field(), Some("ports"));
        let roster: Roster = serde_json::from_str(r#"{"count":1,"players":["\u0000"]}"#).unwrap();
        assert_eq!(roster.nul_field(), Some("players"));
        let list: LocationList =
            serde_json::from_str(r#"{"locations":[{"id":"e","ips":["1\u0000"]}]}"#).unwrap();
        assert_eq!(list.nul_field(), Some("locations.ips"));
        let clean: LocationList =
            serde_json::from_str(r#"{"locations":[{"id":"e","ips":["1.2.3.4"]}]}"#).unwrap();
        assert_eq!(clean.nul_field(), None);
    }
}
