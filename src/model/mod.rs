//! Wire types of the Session API and their tolerant decoding (C-API.md "Wire tolerance").

mod collections;
#[doc(hidden)]
pub mod decoders;
mod error_body;
mod location;
mod loose;
mod port;
mod roster;
mod session;
mod started;
mod text;

pub use collections::{StringList, StringMap};
pub use error_body::{ErrorBody, Violation};
pub use location::{Location, LocationList};
pub use port::{Port, Protocol};
pub use roster::Roster;
pub use session::{Players, Session, SessionList};
pub use started::StartedSession;
pub use text::Text;

pub(crate) use location::TagAnswer;
pub(crate) use started::WireStarted;
