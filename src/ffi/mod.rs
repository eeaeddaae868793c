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
mod diagnostics;
mod error;
mod lifecycle;
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
mod watch;

pub use artifacts::gameye_progress_callback;
pub use boundary::gameye_status;
pub use client::{
    gameye_delivery, gameye_log_callback, gameye_log_level, GAMEYE_DELIVERY_CALLBACK_THREAD,
    GAMEYE_DELIVERY_POLL, GAMEYE_LOG_DEBUG, GAMEYE_LOG_ERROR, GAMEYE_LOG_INFO, GAMEYE_LOG_OFF,
    GAMEYE_LOG_WARN,
};
pub use completion::{gameye_completion_callback, RequestHandle};
pub use diagnostics::{
    gameye_grant, gameye_tls_roots, AccessEntry, AccessList, GAMEYE_GRANT_GRANTED,
    GAMEYE_GRANT_REFUSED, GAMEYE_GRANT_UNKNOWN, GAMEYE_TLS_ROOTS_BUNDLED, GAMEYE_TLS_ROOTS_CUSTOM,
    GAMEYE_TLS_ROOTS_NONE,
};
pub use lifecycle::{
    gameye_session_state, GAMEYE_SESSION_STATE_ENDED, GAMEYE_SESSION_STATE_RUNNING,
    GAMEYE_WAIT_POLL_CEILING_MS, GAMEYE_WAIT_POLL_FLOOR_MS,
};
pub use logs::LogStreamHandle;
pub use server::gameye_roster_failure_callback;
pub use version::*;
pub use watch::{
    gameye_watch_callback, GAMEYE_WATCH_CHANGE_HOST, GAMEYE_WATCH_CHANGE_PLAYER_COUNT,
    GAMEYE_WATCH_CHANGE_PORTS, GAMEYE_WATCH_CHANGE_STATUS, GAMEYE_WATCH_EVENT_ADDED,
    GAMEYE_WATCH_EVENT_CHANGED, GAMEYE_WATCH_EVENT_REMOVED,
};
