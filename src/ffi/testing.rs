//! Test hooks, built only with the `mock` feature (never in a release library) and left out of
//! the header: they prove the panic boundary holds in a real exported function.

use std::ffi::c_char;

use super::boundary::{self, gameye_status};
use crate::client::{Client, Error};

/// Panics inside the boundary with `message`: returns GAMEYE_STATUS_INTERNAL and an error whose
/// message holds the panic's.
#[no_mangle]
pub extern "C" fn gameye_test_panic(
    message: *const c_char,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let message = boundary::string(message, "message")?;
        panic!("{message}")
    })
}

/// Panics inside an accessor's boundary: returns the accessor fallback, -1.
#[no_mangle]
pub extern "C" fn gameye_test_panic_in_accessor() -> i64 {
    boundary::guard(-1, || panic!("a panicking accessor"))
}

/// After `after` more thread spawns of `client`'s pool succeed, makes the next `count` fail, as if
/// the system refused them.
#[no_mangle]
pub extern "C" fn gameye_test_fail_thread_spawns(
    client: *const Client,
    after: usize,
    count: usize,
) {
    boundary::read(client, (), |c| c.fail_thread_spawns_for_test(after, count));
}

/// How many of `client`'s pool threads run; 0 for NULL.
#[no_mangle]
pub extern "C" fn gameye_test_started_threads(client: *const Client) -> usize {
    boundary::read(client, 0, Client::started_threads_for_test)
}
