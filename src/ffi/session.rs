//! `gameye_session` accessors, `gameye_describe_session` and `gameye_stop_session`.

use std::ffi::c_char;
use std::ptr;

use super::boundary::{self, gameye_status, Out};
use crate::client::{Client, Error};
use crate::model::{DescribedSession, Port, Session, StringList, StringMap, TextField};

fn text(session: *const Session, field: TextField) -> *const c_char {
    boundary::read(session, ptr::null(), |s| s.c_text(field))
}

/// The session id. NULL only for a NULL session.
///
/// Every string a session returns is borrowed from it: valid until the session (or the list
/// that owns it) is freed. Session accessors are thread-safe.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_id(session: *const Session) -> *const c_char {
    text(session, TextField::Id)
}

/// The image (application) name. Borrowed from the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_image(session: *const Session) -> *const c_char {
    text(session, TextField::Image)
}

/// The image tag; NULL when the server sent none. Borrowed from the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_tag(session: *const Session) -> *const c_char {
    text(session, TextField::Tag)
}

/// The location (region). Borrowed from the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_location(session: *const Session) -> *const c_char {
    text(session, TextField::Location)
}

/// The IP address players connect to. Borrowed from the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_host(session: *const Session) -> *const c_char {
    text(session, TextField::Host)
}

/// The container status: "running", "exited", … (an open set: expect new values); "" when the
/// server sent an empty one; NULL when absent. Borrowed from the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_status(session: *const Session) -> *const c_char {
    text(session, TextField::Status)
}

/// Creation time in Unix milliseconds; 0 for a NULL session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); it is only
/// read.
#[no_mangle]
pub extern "C" fn gameye_session_created(session: *const Session) -> i64 {
    boundary::read(session, 0, Session::created)
}

/// The number of players; -1 when the server did not send it (or the session is NULL).
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); it is only
/// read.
#[no_mangle]
pub extern "C" fn gameye_session_player_count(session: *const Session) -> i64 {
    boundary::read(session, -1, |s| s.player_count().unwrap_or(-1))
}

/// The number of mapped ports; 0 for NULL.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); it is only
/// read.
#[no_mangle]
pub extern "C" fn gameye_session_port_count(session: *const Session) -> usize {
    boundary::read(session, 0, |s| s.ports().len())
}

/// The port at `index`; NULL when out of range. Borrowed from the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_port_get(session: *const Session, index: usize) -> *const Port {
    boundary::read(session, ptr::null(), |s| {
        boundary::element(s.ports(), index)
    })
}

/// The labels as sent. Never NULL for a non-NULL session (empty when absent). Borrowed from
/// the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_labels(session: *const Session) -> *const StringMap {
    boundary::read(session, ptr::null(), |s| s.labels() as *const StringMap)
}

/// The user labels, decoded from the JSON in labels["tags"]. Never NULL for a non-NULL session
/// (empty when absent or not valid JSON). Borrowed from the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_tags(session: *const Session) -> *const StringMap {
    boundary::read(session, ptr::null(), |s| s.tags() as *const StringMap)
}

/// The container environment, decoded from the JSON in labels["env"]. Anyone with
/// session:read can read it: never pass secrets as env. Never NULL for a non-NULL session.
/// Borrowed from the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_env(session: *const Session) -> *const StringMap {
    boundary::read(session, ptr::null(), |s| s.env() as *const StringMap)
}

/// The joined player ids of a described session; NULL for a list entry (the list operation does
/// not send them). Borrowed from the session.
///
/// Ownership: `session` is a list entry (borrowed from its gameye_session_list: never free it)
/// or a described session (owned: free it with gameye_session_free); the result is borrowed
/// from it either way.
#[no_mangle]
pub extern "C" fn gameye_session_players(session: *const Session) -> *const StringList {
    boundary::read(session, ptr::null(), |s| {
        s.players()
            .map_or(ptr::null(), |p| &p.joined as *const StringList)
    })
}

/// Describes one session (GET /session/{id}; scope session:read), with its joined players.
/// Blocks until answered or timed out. The id is percent-encoded, so no id can reach another
/// route.
///
/// Ownership: `id` is only read. On success `*out_session` receives a session the caller frees
/// with gameye_session_free; on failure it is set to NULL. `out_error` may be NULL.
/// Thread-safety: any number of threads may call this on one client at once.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL, bad UTF-8, or an id that is empty, "." or
/// ".."); _NOT_FOUND (404); _UNAUTHORIZED, _FORBIDDEN, _TRANSPORT, _TIMEOUT, _DECODE, _SERVER,
/// _HTTP.
#[no_mangle]
pub extern "C" fn gameye_describe_session(
    client: *const Client,
    id: *const c_char,
    out_session: *mut *mut Session,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_session, "out_session")?;
        let client = boundary::handle(client, "client")?;
        let described = client.describe_session(boundary::string(id, "id")?)?;
        out.write_raw(Box::new(described).into_raw());
        Ok(())
    })
}

/// Frees a session returned by gameye_describe_session. NULL is a no-op. Never pass a session
/// borrowed from a list.
#[no_mangle]
pub extern "C" fn gameye_session_free(session: *mut Session) {
    if !session.is_null() {
        // SAFETY: the caller passes a session this library gave out as its own (described),
        // not yet freed.
        boundary::guard((), || drop(unsafe { DescribedSession::from_raw(session) }));
    }
}

/// Stops a session (DELETE /session/{id}; scope session:stop): the container gets SIGTERM.
/// Blocks until answered or timed out.
///
/// Ownership: `id` is only read. `out_error` may be NULL.
/// Thread-safety: any number of threads may call this on one client at once.
/// Returns GAMEYE_STATUS_OK (204); _CONFLICT when it had already stopped (409); _NOT_FOUND
/// (404); _INVALID_ARGUMENT (NULL, bad UTF-8, or an id that is empty, "." or ".."); _UNAUTHORIZED,
/// _FORBIDDEN, _TRANSPORT, _TIMEOUT, _SERVER, _HTTP.
#[no_mangle]
pub extern "C" fn gameye_stop_session(
    client: *const Client,
    id: *const c_char,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let client = boundary::handle(client, "client")?;
        client.stop_session(boundary::string(id, "id")?)
    })
}
