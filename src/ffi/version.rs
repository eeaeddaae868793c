//! Status names and the library version.

use std::ffi::c_char;

use super::boundary::{gameye_status, guard};
use crate::Status;

/// Success.
pub const GAMEYE_STATUS_OK: gameye_status = 0;
/// NULL where not allowed, bad UTF-8, out-of-range option, unsafe URL.
pub const GAMEYE_STATUS_INVALID_ARGUMENT: gameye_status = 1;
/// DNS, connect, TLS, connection reset, truncated body.
pub const GAMEYE_STATUS_TRANSPORT: gameye_status = 2;
/// The configured timeout elapsed.
pub const GAMEYE_STATUS_TIMEOUT: gameye_status = 3;
/// A 2xx body that could not be understood (or was larger than the limit).
pub const GAMEYE_STATUS_DECODE: gameye_status = 4;
/// HTTP 401: the token was rejected (sandbox and production tokens differ).
pub const GAMEYE_STATUS_UNAUTHORIZED: gameye_status = 5;
/// HTTP 402: the account's quota is exhausted.
pub const GAMEYE_STATUS_QUOTA_EXHAUSTED: gameye_status = 6;
/// HTTP 403: the token lacks the operation's scope.
pub const GAMEYE_STATUS_FORBIDDEN: gameye_status = 7;
/// HTTP 404.
pub const GAMEYE_STATUS_NOT_FOUND: gameye_status = 8;
/// HTTP 409: duplicate id on start, or already stopped on stop.
pub const GAMEYE_STATUS_CONFLICT: gameye_status = 9;
/// HTTP 420 or 429: no capacity or too many starts; retry later or elsewhere.
pub const GAMEYE_STATUS_RATE_LIMITED: gameye_status = 10;
/// HTTP 400 or 422: the request was rejected; see the error's violations.
pub const GAMEYE_STATUS_INVALID_REQUEST: gameye_status = 11;
/// HTTP 5xx.
pub const GAMEYE_STATUS_SERVER: gameye_status = 12;
/// Any other non-2xx HTTP status.
pub const GAMEYE_STATUS_HTTP: gameye_status = 13;
/// The call was cancelled.
pub const GAMEYE_STATUS_CANCELLED: gameye_status = 14;
/// A bug inside the library (a caught panic).
pub const GAMEYE_STATUS_INTERNAL: gameye_status = 15;
/// A waited-for session ended before it reached the state asked for (died while starting,
/// stopped, exited, or gone): gameye_wait_for_session and the *_and_wait calls.
pub const GAMEYE_STATUS_SESSION_ENDED: gameye_status = 16;

/// The major version of the library this header belongs to.
pub const GAMEYE_VERSION_MAJOR: u32 = 0;
/// The minor version.
pub const GAMEYE_VERSION_MINOR: u32 = 1;
/// The patch version.
pub const GAMEYE_VERSION_PATCH: u32 = 0;

/// The name of a status constant, e.g. "GAMEYE_STATUS_NOT_FOUND"; "GAMEYE_STATUS_UNKNOWN" for a
/// value that is not one.
///
/// Returns static storage: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_status_name(status: gameye_status) -> *const c_char {
    guard(c"GAMEYE_STATUS_UNKNOWN".as_ptr(), || {
        Status::from_code(status)
            .map_or("GAMEYE_STATUS_UNKNOWN\0", Status::c_name)
            .as_ptr()
            .cast()
    })
}

/// The library's version as "MAJOR.MINOR.PATCH" (the crate's semver).
///
/// Returns static storage: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn constants_match_the_rust_statuses() {
        let constants = [
            GAMEYE_STATUS_OK,
            GAMEYE_STATUS_INVALID_ARGUMENT,
            GAMEYE_STATUS_TRANSPORT,
            GAMEYE_STATUS_TIMEOUT,
            GAMEYE_STATUS_DECODE,
            GAMEYE_STATUS_UNAUTHORIZED,
            GAMEYE_STATUS_QUOTA_EXHAUSTED,
            GAMEYE_STATUS_FORBIDDEN,
            GAMEYE_STATUS_NOT_FOUND,
            GAMEYE_STATUS_CONFLICT,
            GAMEYE_STATUS_RATE_LIMITED,
            GAMEYE_STATUS_INVALID_REQUEST,
            GAMEYE_STATUS_SERVER,
            GAMEYE_STATUS_HTTP,
            GAMEYE_STATUS_CANCELLED,
            GAMEYE_STATUS_INTERNAL,
            GAMEYE_STATUS_SESSION_ENDED,
        ];
        for (constant, status) in constants.iter().zip(Status::ALL) {
            assert_eq!(*constant, status as gameye_status);
            // SAFETY: gameye_status_name returns a static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(gameye_status_name(*constant)) };
            assert_eq!(name.to_str().unwrap(), status.name());
        }
        // SAFETY: as above.
        let unknown = unsafe { CStr::from_ptr(gameye_status_name(99)) };
        assert_eq!(unknown.to_str().unwrap(), "GAMEYE_STATUS_UNKNOWN");
    }

    #[test]
    fn version_constants_match_cargo_toml() {
        // SAFETY: gameye_version returns a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(gameye_version()) }
            .to_str()
            .unwrap();
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
        assert_eq!(
            GAMEYE_VERSION_MAJOR.to_string(),
            env!("CARGO_PKG_VERSION_MAJOR")
        );
        assert_eq!(
            GAMEYE_VERSION_MINOR.to_string(),
            env!("CARGO_PKG_VERSION_MINOR")
        );
        assert_eq!(
            GAMEYE_VERSION_PATCH.to_string(),
            env!("CARGO_PKG_VERSION_PATCH")
        );
    }
}
