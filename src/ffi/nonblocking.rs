//! The non-blocking form of every operation: `gameye_<operation>_async`.
//!
//! Each takes the same arguments as the blocking call, then `callback` and `user_data`, then
//! `out_request`. Arguments are checked and copied before it returns; if one is NULL or not
//! UTF-8 it returns GAMEYE_STATUS_INVALID_ARGUMENT and nothing is queued. Otherwise the request is
//! queued and will complete exactly once (also when cancelled, timed out, or when the client is
//! freed first): `callback` then runs with the completion, on the thread the client's delivery
//! mode names. `callback` may be NULL (nothing runs; the request still completes).

use std::ffi::{c_char, c_void};
use std::path::PathBuf;
use std::time::Duration;

use super::boundary::{self, gameye_status};
use super::completion::{c_job, c_long_job, gameye_completion_callback, submit, RequestHandle};
use super::outcome::Outcome;
use crate::client::{jobs, Client, Error, ListOptions, StartOptions};

fn owned(pointer: *const c_char, name: &str) -> Result<String, Error> {
    boundary::string(pointer, name).map(str::to_owned)
}

fn owned_players(players: *const *const c_char, count: usize) -> Result<Vec<String>, Error> {
    Ok(boundary::string_array(players, count, "players")?
        .into_iter()
        .map(str::to_owned)
        .collect())
}

/// gameye_list_sessions without blocking; take the result with gameye_completion_take_session_list.
/// `options` (may be NULL) is copied.
#[no_mangle]
pub extern "C" fn gameye_list_sessions_async(
    client: *const Client,
    options: *const ListOptions,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        let options = boundary::optional(options).cloned().unwrap_or_default();
        Ok(c_job(jobs::list_sessions(options), Outcome::SessionList))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_describe_session without blocking; take the result with gameye_completion_take_session.
#[no_mangle]
pub extern "C" fn gameye_describe_session_async(
    client: *const Client,
    id: *const c_char,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        Ok(c_job(
            jobs::describe_session(owned(id, "id")?),
            Outcome::Session,
        ))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_start_session without blocking; take the result with
/// gameye_completion_take_started_session. The session id is fixed before this returns (the one
/// set in `options`, or a new UUIDv4), and a failed completion's error names it
/// (gameye_error_session_id) whenever the start may have reached the server, also when it was
/// cancelled then (not when cancelled while still queued: nothing was sent). `options` is copied.
#[no_mangle]
pub extern "C" fn gameye_start_session_async(
    client: *const Client,
    options: *const StartOptions,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        let options = boundary::handle(options, "options")?;
        Ok(c_job(jobs::start_session(options), Outcome::Started))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_stop_session without blocking; the completion's status is the result.
#[no_mangle]
pub extern "C" fn gameye_stop_session_async(
    client: *const Client,
    id: *const c_char,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        Ok(c_job(jobs::stop_session(owned(id, "id")?), |()| {
            Outcome::Stopped
        }))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_join_session without blocking; take the result with gameye_completion_take_roster.
/// The player ids are copied.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn gameye_join_session_async(
    client: *const Client,
    session_id: *const c_char,
    players: *const *const c_char,
    count: usize,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        let job = jobs::join_session(
            owned(session_id, "session_id")?,
            owned_players(players, count)?,
        );
        Ok(c_job(job, Outcome::Roster))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_leave_session without blocking; take the result with gameye_completion_take_roster.
#[no_mangle]
pub extern "C" fn gameye_leave_session_async(
    client: *const Client,
    players: *const *const c_char,
    count: usize,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        Ok(c_job(
            jobs::leave_session(owned_players(players, count)?),
            Outcome::Roster,
        ))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_get_logs without blocking; take the result with gameye_completion_take_logs.
#[no_mangle]
pub extern "C" fn gameye_get_logs_async(
    client: *const Client,
    session_id: *const c_char,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        Ok(c_job(
            jobs::logs(owned(session_id, "session_id")?),
            Outcome::Logs,
        ))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_follow_logs without blocking: completes once the stream is open; take it with
/// gameye_completion_take_log_stream, then read it with gameye_log_stream_next (wait_ms = 0 from a
/// game loop).
#[no_mangle]
pub extern "C" fn gameye_follow_logs_async(
    client: *const Client,
    session_id: *const c_char,
    idle_timeout_ms: u32,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        let idle = (idle_timeout_ms > 0).then(|| Duration::from_millis(u64::from(idle_timeout_ms)));
        Ok(c_job(
            jobs::follow_logs(owned(session_id, "session_id")?, idle),
            Outcome::LogStream,
        ))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_download_artifact without blocking (and without a progress callback: read progress with
/// gameye_request_progress from the game loop instead). The completion's status is the result;
/// gameye_completion_artifact_bytes gives the size written. gameye_request_cancel stops it: its
/// completion (GAMEYE_STATUS_CANCELLED) runs only once the partial file is removed, and a file
/// already at `destination` is kept. A cancel that comes after the archive was moved into place
/// returns false, and the completion reports the download.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn gameye_download_artifact_async(
    client: *const Client,
    session_id: *const c_char,
    path: *const c_char,
    destination: *const c_char,
    max_bytes: u64,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        let job = jobs::download_artifact(
            owned(session_id, "session_id")?,
            owned(path, "path")?,
            PathBuf::from(owned(destination, "destination")?),
            (max_bytes > 0).then_some(max_bytes),
        );
        Ok(c_long_job(job, Outcome::Artifact))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_get_available_locations without blocking; take the result with
/// gameye_completion_take_location_list.
#[no_mangle]
pub extern "C" fn gameye_get_available_locations_async(
    client: *const Client,
    image: *const c_char,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        Ok(c_job(
            jobs::available_locations(owned(image, "image")?),
            Outcome::Locations,
        ))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_tag_exists without blocking; read the answer with gameye_completion_tag_exists.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn gameye_tag_exists_async(
    client: *const Client,
    region: *const c_char,
    image: *const c_char,
    version: *const c_char,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        let job = jobs::tag_exists(
            owned(region, "region")?,
            owned(image, "image")?,
            owned(version, "version")?,
        );
        Ok(c_job(job, Outcome::TagExists))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}
