//! `gameye_error`: why a call failed.

use std::ffi::c_char;
use std::ptr;

use super::boundary::{self, gameye_status};
use crate::client::Error;
use crate::model::{ErrorBody, Text, Violation};
use crate::Status;

/// Reads a field of the error's ErrorResponse body.
fn body_field(
    error: *const Error,
    field: impl FnOnce(&ErrorBody) -> Option<&Text>,
) -> *const c_char {
    boundary::read(error, ptr::null(), |e| {
        boundary::opt_text(e.body().and_then(field))
    })
}

fn violation(
    error: *const Error,
    index: usize,
    part: impl FnOnce(&Violation) -> &Text,
) -> *const c_char {
    boundary::read(error, ptr::null(), |e| {
        e.body()
            .and_then(|b| b.violations.get(index))
            .map_or(ptr::null(), |v| part(v).as_c_ptr())
    })
}

/// The status of the failed call (never GAMEYE_STATUS_OK for a real error);
/// GAMEYE_STATUS_INVALID_ARGUMENT for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_error_status(error: *const Error) -> gameye_status {
    boundary::read(error, Status::InvalidArgument as gameye_status, |e| {
        e.status() as gameye_status
    })
}

/// The HTTP status of the response, or 0 when there was no response (transport, timeout,
/// invalid argument) or `error` is NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_error_http_status(error: *const Error) -> u16 {
    boundary::read(error, 0, Error::http_status)
}

/// A readable sentence: the server's message when it sent one, else one the library wrote
/// (e.g. "connection refused: 127.0.0.1:9"); for a body that is not JSON (an HTML page from a
/// proxy) the start of its text. Never contains the token. Never NULL for a non-NULL error.
///
/// Lifetime: borrowed from `error`; valid until gameye_error_free. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_error_message(error: *const Error) -> *const c_char {
    boundary::read(error, ptr::null(), |e| e.message_text().as_c_ptr())
}

/// The ErrorResponse `code`; NULL when the server sent none. Borrowed from `error`.
#[no_mangle]
pub extern "C" fn gameye_error_code(error: *const Error) -> *const c_char {
    body_field(error, |b| b.code.as_ref())
}

/// The ErrorResponse `details`; NULL when the server sent none. Borrowed from `error`.
#[no_mangle]
pub extern "C" fn gameye_error_details(error: *const Error) -> *const c_char {
    body_field(error, |b| b.details.as_ref())
}

/// The ErrorResponse `path`; NULL when the server sent none. Borrowed from `error`.
#[no_mangle]
pub extern "C" fn gameye_error_path(error: *const Error) -> *const c_char {
    body_field(error, |b| b.path.as_ref())
}

/// The ErrorResponse `timestamp`; NULL when the server sent none. Borrowed from `error`.
#[no_mangle]
pub extern "C" fn gameye_error_timestamp(error: *const Error) -> *const c_char {
    body_field(error, |b| b.timestamp.as_ref())
}

/// The ErrorResponse `identifier` (quote it to Gameye support); NULL when the server sent
/// none. Borrowed from `error`.
#[no_mangle]
pub extern "C" fn gameye_error_identifier(error: *const Error) -> *const c_char {
    body_field(error, |b| b.identifier.as_ref())
}

/// How many attempts were made before the call gave up (1 when it was not retried); 0 for NULL.
#[no_mangle]
pub extern "C" fn gameye_error_attempts(error: *const Error) -> u32 {
    boundary::read(error, 0, Error::attempts)
}

/// How many field violations the server listed (422); 0 when none or `error` is NULL.
#[no_mangle]
pub extern "C" fn gameye_error_violation_count(error: *const Error) -> usize {
    boundary::read(error, 0, |e| e.body().map_or(0, |b| b.violations.len()))
}

/// The field of violation `index`; NULL when out of range. Borrowed from `error`.
#[no_mangle]
pub extern "C" fn gameye_error_violation_field(error: *const Error, index: usize) -> *const c_char {
    violation(error, index, |v| &v.field)
}

/// The description of violation `index`; NULL when out of range. Borrowed from `error`.
#[no_mangle]
pub extern "C" fn gameye_error_violation_description(
    error: *const Error,
    index: usize,
) -> *const c_char {
    violation(error, index, |v| &v.description)
}

/// Frees an error and every string borrowed from it. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_error_free(error: *mut Error) {
    boundary::free(error);
}
