//! `gameye_join_session`, `gameye_leave_session` and `gameye_roster`.

use std::ffi::c_char;
use std::ptr;

use super::boundary::{self, gameye_status, Out};
use crate::client::{Client, Error};
use crate::model::{Roster, StringList};

/// Registers players as joined to a session (PUT /session/player/join).
///
/// `players` points to `count` NUL-terminated UTF-8 player ids (at least one, none empty); they
/// are only read. On success `*out_roster` receives the session's player count after the call
/// and the ids this call added (ids already joined are not repeated); the caller frees it with
/// gameye_roster_free. On failure it is set to NULL. `out_error` may be NULL.
/// Thread-safety: any number of threads may call this on one client at once.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL, bad UTF-8, no players, an empty id);
/// _NOT_FOUND (no such running session: 404); _INVALID_REQUEST (422); _UNAUTHORIZED,
/// _FORBIDDEN, _TRANSPORT, _TIMEOUT, _DECODE, _SERVER, _HTTP.
#[no_mangle]
pub extern "C" fn gameye_join_session(
    client: *const Client,
    session_id: *const c_char,
    players: *const *const c_char,
    count: usize,
    out_roster: *mut *mut Roster,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_roster, "out_roster")?;
        let client = boundary::handle(client, "client")?;
        let session = boundary::string(session_id, "session_id")?;
        let players = boundary::string_array(players, count, "players")?;
        out.write(client.join_session(session, &players)?);
        Ok(())
    })
}

/// Removes players from the sessions they joined (DELETE /session/player/leave: the API takes
/// only player ids, no session).
///
/// `players` points to `count` NUL-terminated UTF-8 player ids (at least one, none empty). On
/// success `*out_roster` receives the number of players left in the affected session and the
/// ids removed; free it with gameye_roster_free. On failure it is set to NULL. `out_error` may
/// be NULL. Thread-safety: any number of threads may call this on one client at once.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT; _NOT_FOUND (none of the players is in a session:
/// 404); _INVALID_REQUEST (422); _UNAUTHORIZED, _FORBIDDEN, _TRANSPORT, _TIMEOUT, _DECODE,
/// _SERVER, _HTTP.
#[no_mangle]
pub extern "C" fn gameye_leave_session(
    client: *const Client,
    players: *const *const c_char,
    count: usize,
    out_roster: *mut *mut Roster,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_roster, "out_roster")?;
        let client = boundary::handle(client, "client")?;
        let players = boundary::string_array(players, count, "players")?;
        out.write(client.leave_session(&players)?);
        Ok(())
    })
}

/// The session's player count after the join or leave; -1 when the server did not send it or
/// `roster` is NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_roster_count(roster: *const Roster) -> i64 {
    boundary::read(roster, -1, |r| r.count)
}

/// The player ids the call joined or removed. Never NULL for a non-NULL roster. Borrowed from
/// the roster: valid until gameye_roster_free. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_roster_players(roster: *const Roster) -> *const StringList {
    boundary::read(roster, ptr::null(), |r| &r.players as *const StringList)
}

/// Frees a roster and everything borrowed from it. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_roster_free(roster: *mut Roster) {
    boundary::free(roster);
}
