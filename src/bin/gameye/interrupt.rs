//! Ctrl-C and SIGTERM as a flag (ctrlc's `termination` feature catches SIGTERM): the
//! long-running commands (a followed log, a download, a wait) poll it, cancel their request and
//! exit with 130, instead of dying mid-write and leaving a partial file.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use crate::failure::Failure;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// From now on, Ctrl-C (SIGINT, and SIGTERM) sets the flag instead of ending the process.
/// Idempotent: a command that makes several interruptible calls asks once per call.
pub fn catch() -> Result<(), Failure> {
    static CAUGHT: OnceLock<Result<(), String>> = OnceLock::new();
    CAUGHT
        .get_or_init(|| {
            ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst))
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| Failure::usage(format!("cannot catch Ctrl-C: {e}")))
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
