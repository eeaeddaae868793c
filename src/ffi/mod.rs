//! The C ABI: a thin layer over the Rust client. One file per handle family; `boundary` holds
//! the rules every exported function follows. No HTTP or JSON code lives here.
//!
//! The Rust types are the C handles (cbindgen renames them to `gameye_*`, see cbindgen.toml):
//! results are handed out as `Box`es and read in place, so no data is copied to cross.

mod artifacts;
mod boundary;
mod catalogue;
mod client;
mod collections;
mod completion;
mod error;
mod list;
mod logs;
mod nonblocking;
mod outcome;
mod players;
mod server;
mod session;
mod start;
#[cfg(feature = "mock")]
mod testing;
mod version;

pub use artifacts::gameye_progress_callback;
pub use boundary::gameye_status;
pub use client::{
    gameye_delivery, gameye_log_callback, gameye_log_level, GAMEYE_DELIVERY_CALLBACK_THREAD,
    GAMEYE_DELIVERY_POLL, GAMEYE_LOG_DEBUG, GAMEYE_LOG_ERROR, GAMEYE_LOG_INFO, GAMEYE_LOG_OFF,
    GAMEYE_LOG_WARN,
};
pub use completion::{gameye_completion_callback, RequestHandle};
pub use logs::LogStreamHandle;
pub use server::gameye_roster_failure_callback;
pub use version::*;
