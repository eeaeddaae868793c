//! `gameye_start_options`, `gameye_start_session` and `gameye_started_session`.

use std::ffi::c_char;
use std::ptr;

use super::boundary::{self, gameye_status, Out};
use crate::client::{Client, Error, StartOptions};
use crate::model::{Port, StartedSession};

/// Creates empty start options. Set at least the location and the image.
///
/// Ownership: the caller frees the result with gameye_start_options_free; NULL only if memory ran
/// out. Thread-safety: options are not thread-safe.
#[no_mangle]
pub extern "C" fn gameye_start_options_new() -> *mut StartOptions {
    boundary::new_handle(StartOptions::new())
}

/// The session id to use. Without one the library generates a UUIDv4; either way an id is sent,
/// so a retried start can never allocate twice. Copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_start_options_set_id(
    options: *mut StartOptions,
    id: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", id, "id", |o, v| o.set_id(v).map(drop))
}

/// The location (region) to start in, e.g. "europe". Required. Copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_start_options_set_location(
    options: *mut StartOptions,
    location: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", location, "location", |o, v| {
        o.set_location(v).map(drop)
    })
}

/// The image (application) to run. Required. Copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_start_options_set_image(
    options: *mut StartOptions,
    image: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", image, "image", |o, v| {
        o.set_image(v).map(drop)
    })
}

/// Sets a container environment variable (the same key again replaces it). Env is readable by
/// anyone with session:read: never put secrets here. Copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8, or an empty
/// key or value (the API rejects empty values).
#[no_mangle]
pub extern "C" fn gameye_start_options_set_env(
    options: *mut StartOptions,
    key: *const c_char,
    value: *const c_char,
) -> gameye_status {
    boundary::set_pair(options, "options", key, value, |o, k, v| {
        o.set_env(k, v).map(drop)
    })
}

/// Appends a command-line argument for the game server. Copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_start_options_add_arg(
    options: *mut StartOptions,
    arg: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", arg, "arg", |o, v| {
        o.add_arg(v).map(drop)
    })
}

/// Whether the container restarts on failure (not after a stop).
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for a NULL `options`.
#[no_mangle]
pub extern "C" fn gameye_start_options_set_restart(
    options: *mut StartOptions,
    restart: bool,
) -> gameye_status {
    boundary::run_status(|| {
        boundary::handle_mut(options, "options")?.set_restart(restart);
        Ok(())
    })
}

/// Sets a user label (the same key again replaces it); gameye_list_options_add_filter matches on
/// these. Copied. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad
/// UTF-8 or an empty key.
#[no_mangle]
pub extern "C" fn gameye_start_options_set_label(
    options: *mut StartOptions,
    key: *const c_char,
    value: *const c_char,
) -> gameye_status {
    boundary::set_pair(options, "options", key, value, |o, k, v| {
        o.set_label(k, v).map(drop)
    })
}

/// The image tag to run; without it the tag with the highest priority runs. Copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_start_options_set_version(
    options: *mut StartOptions,
    version: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", version, "version", |o, v| {
        o.set_version(v).map(drop)
    })
}

/// The time to live, "<N>h<M>m" ("1h", "30m", "2h30m"); the session is then stopped by force.
/// Copied. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or
/// another form.
#[no_mangle]
pub extern "C" fn gameye_start_options_set_ttl(
    options: *mut StartOptions,
    ttl: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", ttl, "ttl", |o, v| {
        o.set_ttl(v).map(drop)
    })
}

/// Your own identifier for the session (write-only: the API never returns it). Copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_start_options_set_external_id(
    options: *mut StartOptions,
    external_id: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", external_id, "external_id", |o, v| {
        o.set_external_id(v).map(drop)
    })
}

/// Frees start options. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_start_options_free(options: *mut StartOptions) {
    boundary::free(options);
}

/// Starts a session (POST /session; scope session:start). Blocks until answered or timed out.
/// Only the options that were set are sent, plus the id (the one set, or a new UUIDv4).
///
/// Retries (see gameye_client_config_set_retry) resend the same id, so they can never start a
/// second server. A retry told 409 succeeds only when an earlier attempt may have created the
/// session (it may have reached the server unanswered) and the session under the id has the image
/// and location asked for; otherwise it is GAMEYE_STATUS_CONFLICT, never someone else's server.
/// On any failure after sending, gameye_error_session_id names the id: a server may exist
/// under it (after a timeout, a lost connection or a 5xx); describe or stop it.
///
/// Ownership: `options` is only read and may be reused. On success `*out_session` receives a
/// started session the caller frees with gameye_started_session_free; on failure it is set to
/// NULL. `out_error` may be NULL.
/// Thread-safety: any number of threads may call this on one client at once.
/// Returns GAMEYE_STATUS_OK (201); _INVALID_ARGUMENT (NULL arguments, location or image not
/// set); _NOT_FOUND (unknown location, image or version: 404); _CONFLICT (the id exists: 409);
/// _RATE_LIMITED (420: no capacity or too many starts; retry later or elsewhere);
/// _QUOTA_EXHAUSTED (402); _INVALID_REQUEST (422, see the error's violations); _UNAUTHORIZED,
/// _FORBIDDEN, _TRANSPORT, _TIMEOUT, _DECODE, _SERVER, _HTTP.
#[no_mangle]
pub extern "C" fn gameye_start_session(
    client: *const Client,
    options: *const StartOptions,
    out_session: *mut *mut StartedSession,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_session, "out_session")?;
        let client = boundary::handle(client, "client")?;
        let options = boundary::handle(options, "options")?;
        out.write(client.start_session(options)?);
        Ok(())
    })
}

/// The session id: the server's, or the one sent when the response left it out. Borrowed from
/// the started session; thread-safe.
#[no_mangle]
pub extern "C" fn gameye_started_session_id(session: *const StartedSession) -> *const c_char {
    boundary::read(session, ptr::null(), |s| s.id.as_c_ptr())
}

/// The IP address players connect to. Borrowed from the started session.
#[no_mangle]
pub extern "C" fn gameye_started_session_host(session: *const StartedSession) -> *const c_char {
    boundary::read(session, ptr::null(), |s| s.host.as_c_ptr())
}

/// The number of mapped ports; 0 for NULL.
#[no_mangle]
pub extern "C" fn gameye_started_session_port_count(session: *const StartedSession) -> usize {
    boundary::read(session, 0, |s| s.ports().len())
}

/// The port at `index` (named like "7777/udp"); NULL when out of range. Borrowed from the
/// started session.
#[no_mangle]
pub extern "C" fn gameye_started_session_port_get(
    session: *const StartedSession,
    index: usize,
) -> *const Port {
    boundary::read(session, ptr::null(), |s| {
        boundary::element(s.ports(), index)
    })
}

/// Frees a started session and everything borrowed from it. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_started_session_free(session: *mut StartedSession) {
    boundary::free(session);
}
