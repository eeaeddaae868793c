//! `gameye_list_options`, `gameye_list_sessions` and `gameye_session_list`.

use std::ffi::c_char;
use std::ptr;

use super::boundary::{self, gameye_status, Out};
use crate::client::{Client, Error, ListOptions};
use crate::model::{Session, SessionList};

/// Creates empty list options: the running sessions of the token's account.
///
/// Ownership: the caller frees the result with gameye_list_options_free; NULL only if memory
/// ran out. Thread-safety: options are not thread-safe; they may be reused for many calls.
#[no_mangle]
pub extern "C" fn gameye_list_options_new() -> *mut ListOptions {
    boundary::new_handle(ListOptions::new())
}

/// `true` lists sessions in every status, not only running ones (query `all`).
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for a NULL `options`.
#[no_mangle]
pub extern "C" fn gameye_list_options_set_all(
    options: *mut ListOptions,
    all: bool,
) -> gameye_status {
    boundary::run_status(|| {
        boundary::handle_mut(options, "options")?.set_all(all);
        Ok(())
    })
}

/// Only sessions in this location (exact, case-sensitive). `location` is copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_list_options_set_location(
    options: *mut ListOptions,
    location: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", location, "location", |o, v| {
        o.set_location(v).map(drop)
    })
}

/// Only sessions of this image. `image` is copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_list_options_set_image(
    options: *mut ListOptions,
    image: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", image, "image", |o, v| {
        o.set_image(v).map(drop)
    })
}

/// Only sessions running this image tag. `tag` is copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_list_options_set_tag(
    options: *mut ListOptions,
    tag: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", tag, "tag", |o, v| {
        o.set_tag(v).map(drop)
    })
}

/// Only sessions on this host IP address. `host` is copied.
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for NULL, bad UTF-8 or "".
#[no_mangle]
pub extern "C" fn gameye_list_options_set_host(
    options: *mut ListOptions,
    host: *const c_char,
) -> gameye_status {
    boundary::set_string(options, "options", host, "host", |o, v| {
        o.set_host(v).map(drop)
    })
}

/// Only sessions with fewer than `lt` players (query `playerCount[lt]`; backfill).
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for a NULL `options`.
#[no_mangle]
pub extern "C" fn gameye_list_options_set_player_count_lt(
    options: *mut ListOptions,
    lt: i64,
) -> gameye_status {
    boundary::run_status(|| {
        boundary::handle_mut(options, "options")?.set_player_count_lt(lt);
        Ok(())
    })
}

/// Only sessions with more than `gt` players (query `playerCount[gt]`).
/// Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for a NULL `options`.
#[no_mangle]
pub extern "C" fn gameye_list_options_set_player_count_gt(
    options: *mut ListOptions,
    gt: i64,
) -> gameye_status {
    boundary::run_status(|| {
        boundary::handle_mut(options, "options")?.set_player_count_gt(gt);
        Ok(())
    })
}

/// Only sessions whose user label `key` equals `value` (query `filter[key]=value`; exact,
/// case-sensitive). Several filters must all match; the same key again replaces its value.
/// Both strings are copied. Returns GAMEYE_STATUS_OK, or GAMEYE_STATUS_INVALID_ARGUMENT for
/// NULL, bad UTF-8 or an empty key.
#[no_mangle]
pub extern "C" fn gameye_list_options_add_filter(
    options: *mut ListOptions,
    key: *const c_char,
    value: *const c_char,
) -> gameye_status {
    boundary::set_pair(options, "options", key, value, |o, k, v| {
        o.add_filter(k, v).map(drop)
    })
}

/// Frees list options. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_list_options_free(options: *mut ListOptions) {
    boundary::free(options);
}

/// Lists sessions (GET /session; token scope session:read). Blocks until the response is read
/// or the timeout elapses. `options` may be NULL (no filters).
///
/// Ownership: `client` and `options` are only read. On success `*out_list` receives a list the
/// caller frees with gameye_session_list_free; on failure it is set to NULL. `out_error` may be
/// NULL; when given it receives the error on failure (free with gameye_error_free), NULL on
/// success.
/// Thread-safety: any number of threads may call this on one client at once.
/// Returns GAMEYE_STATUS_OK; GAMEYE_STATUS_INVALID_ARGUMENT (NULL client or out_list);
/// GAMEYE_STATUS_TRANSPORT, _TIMEOUT, _DECODE; _UNAUTHORIZED (401), _FORBIDDEN (403),
/// _SERVER (5xx), _HTTP (other).
#[no_mangle]
pub extern "C" fn gameye_list_sessions(
    client: *const Client,
    options: *const ListOptions,
    out_list: *mut *mut SessionList,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_list, "out_list")?;
        let client = boundary::handle(client, "client")?;
        let default = ListOptions::new();
        let options = boundary::optional(options).unwrap_or(&default);
        out.write(client.list_sessions(options)?);
        Ok(())
    })
}

/// The number of sessions in the list; 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_session_list_len(list: *const SessionList) -> usize {
    boundary::read(list, 0, SessionList::len)
}

/// The session at `index`, in the order the server sent them; NULL when out of range or `list`
/// is NULL.
///
/// Lifetime: borrowed from the list: valid until gameye_session_list_free. Never pass it to
/// gameye_session_free. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_session_list_get(
    list: *const SessionList,
    index: usize,
) -> *const Session {
    boundary::read(list, ptr::null(), |l| {
        boundary::element(l.as_slice(), index)
    })
}

/// Frees a session list and every session, port, map and string borrowed from it. NULL is a
/// no-op.
///
/// Memory: the list's storage goes back to the client that listed it, for that client's next
/// list (one list's worth is kept per client, none above 256 MiB, none reused after 60 s idle),
/// so a steady-state list needs no large allocation. A list freed after its client is simply
/// freed. Thread-safety: any thread, once, while no other thread reads the list.
#[no_mangle]
pub extern "C" fn gameye_session_list_free(list: *mut SessionList) {
    boundary::free(list);
}
