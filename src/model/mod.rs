//! Wire types of the Session API and their tolerant decoding (C-API.md "Wire tolerance").

mod collections;
mod decode;
#[doc(hidden)]
pub mod decoders;
mod error_body;
mod json;
mod location;
mod loose;
mod port;
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

pub(crate) use json::JsonError;
pub(crate) use location::TagAnswer;
pub(crate) use session::TextField;
pub(crate) use started::WireStarted;
