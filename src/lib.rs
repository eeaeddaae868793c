//! gameye: the native client for the Gameye Session API v2.
//!
//! The Rust API is [`Client`]; the C ABI (`include/gameye.h`) is a thin layer over it in `ffi`.

// Every unsafe block says why it is sound, and an unsafe fn's body is no unsafe block of its own;
// every public item is documented (rustdoc, and cbindgen for the header).
#![deny(
    clippy::undocumented_unsafe_blocks,
    unsafe_op_in_unsafe_fn,
    missing_docs
)]

pub mod client;
pub mod ffi;
pub mod lifecycle;
pub mod model;
pub mod server;
mod status;
mod sync;

pub use client::{Client, ClientConfig, Error, ListOptions, StartOptions};
pub use lifecycle::{SessionState, Watch, WatchEvent, WatchEventKind, WatchOptions};
pub use model::*;
pub use status::Status;

#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "private-heap")]
mod private_heap;
