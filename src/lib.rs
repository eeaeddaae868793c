//! gameye: the native client for the Gameye Session API v2.
//!
//! The Rust API is [`Client`]; the C ABI (`include/gameye.h`) is a thin layer over it in `ffi`.

pub mod client;
pub mod ffi;
pub mod model;
mod status;

pub use client::{Client, ClientConfig, Error, ListOptions, StartOptions};
pub use model::*;
pub use status::Status;

#[cfg(feature = "mock")]
pub mod mock;
