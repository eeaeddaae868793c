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

/// A readable sentence: the server's ErrorResponse `message`, unchanged, when it sent one; else
/// one the library wrote (e.g. "connection refused: 127.0.0.1:9"). For an error body of another
/// shape it quotes that body's words after "HTTP <status>: ": an RFC 9457 problem's
/// "title: detail", a `message` or `error` member, else the start of the text (an HTML page from a
/// proxy, cut to about 300 characters). A server field holding U+0000 is never cut: such a body
/// is quoted as text, where the NUL shows as its escape `\u0000`. The library's own advice is
/// in gameye_error_hint, never here. Never contains the token (removed even when a server echoes
/// it). Never NULL for a non-NULL error.
///
/// Lifetime: borrowed from `error`; valid until gameye_error_free. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_error_message(error: *const Error) -> *const c_char {
    boundary::read(error, ptr::null(), |e| e.message_text().as_c_ptr())
}

/// The library's advice about the failure, kept apart from the server's message: e.g. that
/// sandbox and production tokens differ (a 401), how long the server asked to wait (a 420, 429 or
/// 503 with Retry-After), how many attempts were made, why a retried start's 409 stayed a conflict.
/// NULL when it has none, or for NULL. Never contains the token.
///
/// Lifetime: borrowed from `error`; valid until gameye_error_free. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_error_hint(error: *const Error) -> *const c_char {
    boundary::read(error, ptr::null(), |e| boundary::opt_text(e.hint_text()))
}

/// For a failed gameye_start_session or gameye_start_session_and_wait (or their _async forms):
/// the session id the request carried (the caller's, or the UUIDv4 the library generated). The
/// start may have reached the server before it failed (a timeout, a lost connection, a 5xx), or
/// succeeded before the wait failed (a deadline, a cancel), so a server may exist under this id:
/// describe it, or stop it. NULL for every other call, a start refused before sending (an
/// invalid argument), and for NULL.
///
/// Lifetime: borrowed from `error`; valid until gameye_error_free. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_error_session_id(error: *const Error) -> *const c_char {
    boundary::read(error, ptr::null(), |e| {
        boundary::opt_text(e.session_id_text())
    })
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
