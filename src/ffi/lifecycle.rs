//! Waiting for a session: `gameye_wait_for_session`, `gameye_start_session_and_wait`,
//! `gameye_stop_session_and_wait`, and their non-blocking forms.

use std::ffi::{c_char, c_void};
use std::time::Duration;

use super::boundary::{self, gameye_status, Out};
use super::completion::{c_long_job, gameye_completion_callback, submit, RequestHandle};
use super::outcome::Outcome;
use crate::client::{Client, Error, StartOptions};
use crate::lifecycle::{jobs, SessionState};
use crate::model::Session;

/// The state gameye_wait_for_session waits for: a GAMEYE_SESSION_STATE_* value.
#[allow(non_camel_case_types)]
pub type gameye_session_state = i32;

/// Status "running": players can connect to its host and ports.
pub const GAMEYE_SESSION_STATE_RUNNING: gameye_session_state = 1;
/// Ended: gone from the active list, or status "exited" or "dead".
pub const GAMEYE_SESSION_STATE_ENDED: gameye_session_state = 2;

/// No two looks of a wait are closer than this many milliseconds (end of one to start of next).
pub const GAMEYE_WAIT_POLL_FLOOR_MS: u32 = 250;
/// The longest pause between two looks of a wait, in milliseconds.
pub const GAMEYE_WAIT_POLL_CEILING_MS: u32 = 2000;

fn state(code: gameye_session_state) -> Result<SessionState, Error> {
    SessionState::from_code(code).ok_or_else(|| {
        Error::invalid_argument(format!(
            "state {code} is not a GAMEYE_SESSION_STATE_* value (1 running, 2 ended)"
        ))
    })
}

fn millis(timeout_ms: u32) -> Duration {
    Duration::from_millis(u64::from(timeout_ms))
}

fn owned(pointer: *const c_char, name: &str) -> Result<String, Error> {
    boundary::string(pointer, name).map(str::to_owned)
}

/// Waits until session `id` reaches `state` (GAMEYE_SESSION_STATE_RUNNING or _ENDED), or
/// `timeout_ms` passes (0: one look, no wait). Blocks: never call it on a game thread (use
/// gameye_wait_for_session_async).
///
/// It describes the session (GET /session/{id}; scope session:read) at once, then after 250 ms,
/// 500 ms, 1 s and every 2 s after that (GAMEYE_WAIT_POLL_FLOOR_MS, _CEILING_MS); never two looks
/// closer than 250 ms, never sooner than a Retry-After asked, the last look at least 250 ms
/// before the deadline. Each look is one attempt (the schedule is its retry), and none outlasts
/// the deadline. A look that fails in a way that may pass (transport, 5xx, 420/429) is followed
/// by the next; any other failure ends the wait with it.
///
/// Ownership: `id` is only read. On GAMEYE_STATUS_OK `*out_session` receives the session as last
/// seen, a described session the caller frees with gameye_session_free: running (with host and
/// ports), or ended (status "exited" or "dead"); it is NULL when waiting for _ENDED and the
/// session is gone (404 after it was seen). On failure it is set to NULL. `out_error` may be
/// NULL. Thread-safety: any number of threads may call this on one client at once;
/// gameye_client_free interrupts it (GAMEYE_STATUS_CANCELLED).
/// Returns GAMEYE_STATUS_OK; _TIMEOUT (the deadline passed; the message gives the last status
/// seen); _NOT_FOUND (no such session ever showed); _SESSION_ENDED (waiting for _RUNNING, the
/// session ended first: it died while starting, was stopped, exited, or is gone); _CANCELLED;
/// _INVALID_ARGUMENT (NULL, bad UTF-8, an id that is empty, "." or "..", an unknown state); or
/// the API's own failure: _UNAUTHORIZED, _FORBIDDEN, _DECODE, _HTTP, and at the deadline the
/// failure every look kept getting (_TRANSPORT, _SERVER, _RATE_LIMITED).
#[no_mangle]
pub extern "C" fn gameye_wait_for_session(
    client: *const Client,
    id: *const c_char,
    state: gameye_session_state,
    timeout_ms: u32,
    out_session: *mut *mut Session,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_session, "out_session")?;
        let client = boundary::handle(client, "client")?;
        let waited = client.wait_for_session(
            boundary::string(id, "id")?,
            self::state(state)?,
            millis(timeout_ms),
        )?;
        if let Some(session) = waited {
            out.write_raw(Box::new(session).into_raw());
        }
        Ok(())
    })
}

/// Starts a session (as gameye_start_session: the id is fixed first, so retries are safe), then
/// waits until it runs (as gameye_wait_for_session); `timeout_ms` covers both (0: the start,
/// then one look). Blocks: never call it on a game thread. The matchmaker's call: hand the
/// players the host and ports of the session it returns.
///
/// On any failure after the start may have reached the server, gameye_error_session_id names
/// the session's id: the session may exist (still starting after a _TIMEOUT), and only the
/// caller knows whether to stop it (gameye_stop_session). The library never stops it.
///
/// Ownership: `options` is only read and may be reused. On success `*out_session` receives the
/// running session, a described session the caller frees with gameye_session_free; on failure
/// it is set to NULL. `out_error` may be NULL. Thread-safety: any number of threads may call this
/// on one client at once; gameye_client_free interrupts it.
/// Returns GAMEYE_STATUS_OK; every status of gameye_start_session; and of the wait: _TIMEOUT,
/// _SESSION_ENDED (it died while starting, was stopped or is gone), _CANCELLED.
#[no_mangle]
pub extern "C" fn gameye_start_session_and_wait(
    client: *const Client,
    options: *const StartOptions,
    timeout_ms: u32,
    out_session: *mut *mut Session,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_session, "out_session")?;
        let client = boundary::handle(client, "client")?;
        let options = boundary::handle(options, "options")?;
        let session = client.start_session_and_wait(options, millis(timeout_ms))?;
        out.write_raw(Box::new(session).into_raw());
        Ok(())
    })
}

/// Stops a session (as gameye_stop_session), then waits until it has ended (as
/// gameye_wait_for_session with GAMEYE_SESSION_STATE_ENDED); `timeout_ms` covers both. A session
/// that had stopped already (409) is waited for all the same. After it returns OK the session's
/// artifacts can be downloaded. Blocks: never call it on a game thread.
///
/// Ownership: `id` is only read. `out_error` may be NULL. Thread-safety: any number of threads
/// may call this on one client at once; gameye_client_free interrupts it.
/// Returns GAMEYE_STATUS_OK; _NOT_FOUND (no such session); _TIMEOUT; _CANCELLED;
/// _INVALID_ARGUMENT; _UNAUTHORIZED, _FORBIDDEN, _TRANSPORT, _SERVER, _HTTP.
#[no_mangle]
pub extern "C" fn gameye_stop_session_and_wait(
    client: *const Client,
    id: *const c_char,
    timeout_ms: u32,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let client = boundary::handle(client, "client")?;
        client.stop_session_and_wait(boundary::string(id, "id")?, millis(timeout_ms))
    })
}

/// gameye_wait_for_session without blocking; take the session with
/// gameye_completion_take_session (NULL when waiting for _ENDED and it is gone). The request waits
/// on a thread of its own, never on a worker that short calls need; gameye_request_cancel ends it
/// at once, also between looks.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn gameye_wait_for_session_async(
    client: *const Client,
    id: *const c_char,
    state: gameye_session_state,
    timeout_ms: u32,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        let job = jobs::wait_for_session(owned(id, "id")?, self::state(state)?, millis(timeout_ms));
        Ok(c_long_job(job, |waited| {
            waited.map_or(Outcome::Gone, Outcome::Session)
        }))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_start_session_and_wait without blocking; take the running session with
/// gameye_completion_take_session. The id is fixed before this returns, and a failed
/// completion's error names it (gameye_error_session_id) whenever the start may have reached the
/// server, also when cancelled then. `options` is copied. The request waits on a thread of its
/// own, never on a worker that short calls need.
#[no_mangle]
pub extern "C" fn gameye_start_session_and_wait_async(
    client: *const Client,
    options: *const StartOptions,
    timeout_ms: u32,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        let options = boundary::handle(options, "options")?;
        let job = jobs::start_session_and_wait(options, millis(timeout_ms));
        Ok(c_long_job(job, Outcome::Session))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}

/// gameye_stop_session_and_wait without blocking; the completion's status is the result. The
/// request waits on a thread of its own, never on a worker that short calls need.
#[no_mangle]
pub extern "C" fn gameye_stop_session_and_wait_async(
    client: *const Client,
    id: *const c_char,
    timeout_ms: u32,
    callback: gameye_completion_callback,
    user_data: *mut c_void,
    out_request: *mut *mut RequestHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    let build = || {
        let job = jobs::stop_session_and_wait(owned(id, "id")?, millis(timeout_ms));
        Ok(c_long_job(job, |()| Outcome::Stopped))
    };
    submit(client, out_request, out_error, build, callback, user_data)
}
