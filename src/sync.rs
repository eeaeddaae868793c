//! The one way this crate takes a lock.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, taking it over even if a thread panicked while holding it. Every lock of the
/// crate guards data that stays consistent between statements (a queue, a flag, a phase), and a
/// panic caught at the boundary (a callback's, a job's) must not make the client unusable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
