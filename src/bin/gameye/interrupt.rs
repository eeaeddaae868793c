//! Ctrl-C as a flag: the long-running commands (a followed log, a download) poll it, cancel
//! their request and exit with 130, instead of dying mid-write.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::failure::Failure;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// From now on, Ctrl-C (SIGINT, and SIGTERM) sets the flag instead of ending the process.
pub fn catch() -> Result<(), Failure> {
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst))
        .map_err(|e| Failure::usage(format!("cannot catch Ctrl-C: {e}")))
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
