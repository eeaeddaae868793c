//! The game server's side: `gameye_session_context_*` and `gameye_roster_reporter_*` (see
//! `crate::server`).

use std::ffi::{c_char, c_void};
use std::ptr;
use std::time::Duration;

use super::boundary::{self, gameye_status, CallerData, Out};
use crate::client::{Client, Error};
use crate::server::{ReporterOptions, RosterReporter, SessionContext};

/// Receives the permanent failure that stopped a roster reporter: its status and the error,
/// borrowed for the call only (copy what you keep; never free it). Called on the reporter's
/// worker thread, once per failure, never after gameye_roster_reporter_free returns. It must not
/// unwind and must not free the reporter; it may call any other gameye_roster_reporter_*.
#[allow(non_camel_case_types)]
pub type gameye_roster_failure_callback = Option<
    unsafe extern "C" fn(status: gameye_status, error: *const Error, user_data: *mut c_void),
>;

/// The session this process runs in, read from its environment: GAMEYE_SESSION_ID and
/// GAMEYE_HOST, which Gameye sets in every session's container (and the emulator in every
/// process it runs with --run).
///
/// On success `*out_context` receives a context the caller frees with
/// gameye_session_context_free; on failure it is set to NULL. `out_error` may be NULL.
/// Thread-safety: any thread (it reads the environment once; a context is immutable).
/// Returns GAMEYE_STATUS_OK; _NOT_FOUND outside a session (GAMEYE_SESSION_ID unset or empty);
/// _INVALID_ARGUMENT when `out_context` is NULL or a variable is not UTF-8.
#[no_mangle]
pub extern "C" fn gameye_session_context_current(
    out_context: *mut *mut SessionContext,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_context, "out_context")?;
        out.write(SessionContext::current()?);
        Ok(())
    })
}

/// The id of the session this process runs in. Borrowed from the context (valid until
/// gameye_session_context_free); NULL for a NULL context. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_session_context_id(context: *const SessionContext) -> *const c_char {
    boundary::read(context, ptr::null(), |c| c.id_text().as_c_ptr())
}

/// The host's address as Gameye set it (GAMEYE_HOST), or NULL when unset or `context` is NULL.
/// Borrowed from the context. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_session_context_host(context: *const SessionContext) -> *const c_char {
    boundary::read(context, ptr::null(), |c| boundary::opt_text(c.host_text()))
}

/// Frees a session context. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_session_context_free(context: *mut SessionContext) {
    boundary::free(context);
}

/// Creates roster reporter options with the defaults: a batch interval of 200 ms, 100 players a
/// call, 10000 players pending at most, no failure callback. Free with
/// gameye_roster_reporter_options_free (right after gameye_roster_reporter_new if you like).
/// Returns NULL only if memory ran out. Not thread-safe (a builder).
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_options_new() -> *mut ReporterOptions {
    boundary::new_handle(ReporterOptions::new())
}

/// Frees reporter options. NULL is a no-op. Reporters made from them are not affected.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_options_free(options: *mut ReporterOptions) {
    boundary::free(options);
}

/// How long the first unsent report waits for others to share its call: 0 (send at once) to
/// 60000 ms, default 200. A full batch, a flush or a stop sends at once.
/// Not thread-safe. Returns GAMEYE_STATUS_OK, or _INVALID_ARGUMENT for NULL or over 60000.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_options_set_batch_interval_ms(
    options: *mut ReporterOptions,
    interval_ms: u32,
) -> gameye_status {
    boundary::run_status(|| {
        boundary::handle_mut(options, "options")?
            .set_batch_interval(Duration::from_millis(u64::from(interval_ms)))
            .map(drop)
    })
}

/// The most players in one join or leave call: 1 to 10000, default 100.
/// Not thread-safe. Returns GAMEYE_STATUS_OK, or _INVALID_ARGUMENT for NULL or out of range.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_options_set_batch_size(
    options: *mut ReporterOptions,
    batch_size: usize,
) -> gameye_status {
    boundary::run_status(|| {
        boundary::handle_mut(options, "options")?
            .set_batch_size(batch_size)
            .map(drop)
    })
}

/// The most players whose join or leave is not acknowledged yet (sent or waiting): 1 to
/// 1000000, default 10000 (about 100 bytes each). Past it, a report that would owe one more is
/// refused with GAMEYE_STATUS_RATE_LIMITED and changes nothing: nothing is dropped silently.
/// Not thread-safe. Returns GAMEYE_STATUS_OK, or _INVALID_ARGUMENT for NULL or out of range.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_options_set_max_pending(
    options: *mut ReporterOptions,
    max_pending: usize,
) -> gameye_status {
    boundary::run_status(|| {
        boundary::handle_mut(options, "options")?
            .set_max_pending(max_pending)
            .map(drop)
    })
}

/// Sets the callback told of a permanent failure (see gameye_roster_failure_callback); NULL
/// removes it. `user_data` is passed to it untouched, from the reporter's worker thread.
/// Not thread-safe. Returns GAMEYE_STATUS_OK, or _INVALID_ARGUMENT for a NULL options.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_options_set_failure_callback(
    options: *mut ReporterOptions,
    callback: gameye_roster_failure_callback,
    user_data: *mut c_void,
) -> gameye_status {
    boundary::run_status(|| {
        let options = boundary::handle_mut(options, "options")?;
        let user_data = CallerData(user_data);
        match callback {
            Some(callback) => options.on_failure(move |error| {
                // SAFETY: the caller's callback, called as its documentation says.
                unsafe {
                    callback(
                        error.status() as gameye_status,
                        error as *const Error,
                        user_data.get(),
                    )
                }
            }),
            None => options.clear_failure_callback(),
        };
        Ok(())
    })
}

/// Creates a roster reporter for `session_id` (the session this server runs in: see
/// gameye_session_context_id), reporting on `client`'s account and settings (its token needs the
/// scope session:join for joins and leaves, session:read for a resync, session:stop for
/// gameye_roster_reporter_stop_session). It starts one worker thread of its own and makes no
/// request. `options` may be NULL (the defaults); it is only read.
///
/// The worker sends batched joins (PUT /session/player/join) and leaves
/// (DELETE /session/player/leave): one call at a time, so a player's leave never overtakes its
/// join. A call that fails without an answer worth trusting (a lost connection, a timeout, 5xx,
/// 420/429) is sent again after a backoff (the client's retry delays, or the default ones when it
/// retries nothing; a Retry-After is honoured; never more than 30 s apart) for as long as it takes:
/// reports are never dropped. "Already joined" (409) and "already gone" (a leave's 404 or 409)
/// count as done. A permanent failure (401, 403, 400/422, a join's 404: the session is gone)
/// stops the sending: it is kept as the reporter's status (gameye_roster_reporter_status), ends
/// every flush, and is passed to the failure callback; reports are still recorded, and
/// gameye_roster_reporter_resync sends them once the cause is fixed.
///
/// The reporter keeps what it needs of the client: `client` may be freed before the reporter.
/// On success `*out_reporter` receives a reporter the caller frees with
/// gameye_roster_reporter_free; on failure it is set to NULL. `out_error` may be NULL.
/// Thread-safety: the reporter is thread-safe. Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL,
/// bad UTF-8, an empty session id, a client made in another process); _CANCELLED (the client is
/// being freed); _INTERNAL (the thread could not start).
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_new(
    client: *mut Client,
    session_id: *const c_char,
    options: *const ReporterOptions,
    out_reporter: *mut *mut RosterReporter,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_reporter, "out_reporter")?;
        let client = boundary::handle(client.cast_const(), "client")?;
        let session = boundary::string(session_id, "session_id")?;
        let default = ReporterOptions::new();
        let options = boundary::optional(options).unwrap_or(&default);
        out.write(RosterReporter::new(client, session, options)?);
        Ok(())
    })
}

/// Reports that a player joined this session. O(1); takes one short lock, does no I/O and never
/// waits on the network: call it from the game thread. Reporting one player twice is one join.
/// `player_id` is copied. Thread-safe.
/// Returns GAMEYE_STATUS_OK (recorded; the worker sends it); _INVALID_ARGUMENT (NULL, bad UTF-8,
/// an empty id, a reporter made in another process); _RATE_LIMITED (the pending bound is reached:
/// nothing changed; flush or raise gameye_roster_reporter_options_set_max_pending); _CANCELLED
/// (the session was stopped through gameye_roster_reporter_stop_session).
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_player_joined(
    reporter: *mut RosterReporter,
    player_id: *const c_char,
) -> gameye_status {
    boundary::run_status(|| {
        let reporter = boundary::handle(reporter.cast_const(), "reporter")?;
        reporter.player_joined(boundary::string(player_id, "player_id")?)
    })
}

/// Reports that a player left this session. O(1), no I/O, as gameye_roster_reporter_player_joined.
/// A join of this player that is still unsent is cancelled out (neither is sent); a leave is
/// sent only once its join was. A player never reported as joined is ignored (after a restart,
/// gameye_roster_reporter_resync reconciles with the server). Statuses as for player_joined.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_player_left(
    reporter: *mut RosterReporter,
    player_id: *const c_char,
) -> gameye_status {
    boundary::run_status(|| {
        let reporter = boundary::handle(reporter.cast_const(), "reporter")?;
        reporter.player_left(boundary::string(player_id, "player_id")?)
    })
}

/// Waits until every report so far is acknowledged by the server (and a resync asked for is
/// done), sending what is queued at once instead of waiting for the batch interval: for a
/// shutdown. `timeout_ms` 0 only checks. Blocks the calling thread: not on a game thread, except
/// at exit.
/// `out_error` may be NULL. Thread-safe (several threads may flush at once).
/// Returns GAMEYE_STATUS_OK; _TIMEOUT (the deadline passed; the message says how many players are
/// still pending, and the worker goes on); the permanent failure that stopped the reporter (e.g.
/// _NOT_FOUND: the session is gone; _UNAUTHORIZED, _FORBIDDEN); _CANCELLED when the reporter is
/// freed meanwhile; _INVALID_ARGUMENT for NULL.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_flush(
    reporter: *mut RosterReporter,
    timeout_ms: u32,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let reporter = boundary::handle(reporter.cast_const(), "reporter")?;
        reporter.flush(Duration::from_millis(u64::from(timeout_ms)))
    })
}

/// Players whose join or leave is not acknowledged yet (on the wire or waiting); 0 for NULL.
/// O(1), no I/O. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_pending(reporter: *const RosterReporter) -> usize {
    boundary::read(reporter, 0, RosterReporter::pending)
}

/// The reporter's health, to poll (e.g. once a second): GAMEYE_STATUS_OK while it reports, or
/// the permanent failure that stopped it (with its error in `*out_error`, which may be NULL).
/// O(1), no I/O. Thread-safe. _INVALID_ARGUMENT for NULL.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_status(
    reporter: *const RosterReporter,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        boundary::handle(reporter, "reporter")?.status()
    })
}

/// Asks the worker to describe the session (GET /session/{id}) and send the difference between
/// the reporter's roster and the server's: a player the server lists and the game never reported
/// (or reported gone) is sent a leave, and one the game reported that the server lacks a join.
/// Use it after a permanent failure was fixed, or when a restarted server has built its roster
/// again. Clears the permanent failure when it succeeds. Returns at once, no I/O here;
/// gameye_roster_reporter_flush waits for it. Thread-safe.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT for NULL; _CANCELLED once the session was stopped
/// through the reporter.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_resync(
    reporter: *mut RosterReporter,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        boundary::handle(reporter.cast_const(), "reporter")?.resync()
    })
}

/// The end of the match: flushes (up to `timeout_ms`), then stops the session this reporter
/// reports to (DELETE /session/{id}, within the client's timeout and retry policy; Gameye then
/// stops the container, this process included: SIGTERM, then SIGKILL after a grace period). A
/// session that already ended counts as stopped. A flush that could not finish does not keep the
/// session running: its roster ends with it. Afterwards reports are refused (_CANCELLED).
/// Blocks the calling thread. `out_error` may be NULL. Thread-safe.
/// Returns GAMEYE_STATUS_OK; the stop's failure (_UNAUTHORIZED, _FORBIDDEN, _TRANSPORT,
/// _TIMEOUT, _SERVER, ...); _CANCELLED when the reporter is freed meanwhile; _INVALID_ARGUMENT.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_stop_session(
    reporter: *mut RosterReporter,
    timeout_ms: u32,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let reporter = boundary::handle(reporter.cast_const(), "reporter")?;
        reporter.stop_session(Duration::from_millis(u64::from(timeout_ms)))
    })
}

/// Closes a reporter without freeing it, so that threads still inside its calls can return:
/// interrupts the call on the wire, wakes the threads inside gameye_roster_reporter_flush or
/// _stop_session (each returns GAMEYE_STATUS_CANCELLED) and waits until they have returned, and
/// joins the worker; no callback runs after it returns. Afterwards every report, flush, resync and
/// stop returns GAMEYE_STATUS_CANCELLED; pending and status still read. Idempotent; NULL is a
/// no-op. For bindings whose handles may be freed only once no call holds them (a .NET
/// SafeHandle): close, then free when the last call has returned.
/// Thread-safety: any thread, also while others are inside calls on the reporter; not from the
/// failure callback.
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_close(reporter: *mut RosterReporter) {
    boundary::read(reporter.cast_const(), (), RosterReporter::close_if_here);
}

/// Frees a reporter: closes it (see gameye_roster_reporter_close: interrupts the call on the
/// wire, wakes the threads inside gameye_roster_reporter_flush or _stop_session, each returning
/// GAMEYE_STATUS_CANCELLED, and waits until they have returned, joins the worker, and runs no
/// callback after it returns), then releases it.
/// Reports not yet acknowledged are dropped: flush first to keep them. NULL is a no-op.
/// Thread-safety: no thread may start a call on the reporter once the free has begun; it must
/// not be called from the failure callback. In a child made by fork() it releases only the
/// reporter's record (the worker and its connection are the parent's).
#[no_mangle]
pub extern "C" fn gameye_roster_reporter_free(reporter: *mut RosterReporter) {
    boundary::read(reporter, (), RosterReporter::close_if_here);
    boundary::free(reporter);
}
