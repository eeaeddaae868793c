//! `gameye_watch`: sessions watched as they appear, change and go; its options and events.

use std::ffi::c_void;
use std::ptr;
use std::time::Duration;

use super::boundary::{self, gameye_status, CallerData, Out};
use crate::client::{Client, Error, ListOptions};
use crate::lifecycle::{Watch, WatchEvent, WatchOptions};
use crate::model::Session;

/// A session appeared (every session of the first poll is added).
pub const GAMEYE_WATCH_EVENT_ADDED: i32 = 1;
/// A session's status, player count, ports or host changed (see gameye_watch_event_changes).
pub const GAMEYE_WATCH_EVENT_CHANGED: i32 = 2;
/// A session is gone from the list (it ended, or no longer matches the filters).
pub const GAMEYE_WATCH_EVENT_REMOVED: i32 = 3;

/// A changed session's status differs.
pub const GAMEYE_WATCH_CHANGE_STATUS: u32 = 1;
/// A changed session's player count differs.
pub const GAMEYE_WATCH_CHANGE_PLAYER_COUNT: u32 = 2;
/// A changed session's ports (names or host ports) differ.
pub const GAMEYE_WATCH_CHANGE_PORTS: u32 = 4;
/// A changed session's host address differs.
pub const GAMEYE_WATCH_CHANGE_HOST: u32 = 8;

/// Called on the watch's thread with each event, when the watch was made with
/// gameye_watch_options_set_callback. The event is borrowed for the call: keep it with
/// gameye_watch_event_copy. The next poll waits until the callback returns. It must not unwind,
/// and must not free the watch (gameye_watch_close is allowed: no further event follows).
#[allow(non_camel_case_types)]
pub type gameye_watch_callback =
    Option<unsafe extern "C" fn(event: *const WatchEvent, user_data: *mut c_void)>;

/// Creates watch options with the defaults: a poll every 2000 ms, the running sessions (no
/// filter), events taken with gameye_watch_next. Free with gameye_watch_options_free; NULL only
/// when out of memory. Not thread-safe (a builder).
#[no_mangle]
pub extern "C" fn gameye_watch_options_new() -> *mut WatchOptions {
    boundary::guard(
        ptr::null_mut(),
        || boundary::new_handle(WatchOptions::new()),
    )
}

/// Frees watch options. NULL is a no-op. A watch made from them does not need them.
#[no_mangle]
pub extern "C" fn gameye_watch_options_free(options: *mut WatchOptions) {
    boundary::free(options);
}

/// The pause between the end of one poll and the start of the next: at least 250 ms, default
/// 2000. Not thread-safe. Returns GAMEYE_STATUS_OK, or _INVALID_ARGUMENT for NULL or below 250.
#[no_mangle]
pub extern "C" fn gameye_watch_options_set_interval_ms(
    options: *mut WatchOptions,
    interval_ms: u32,
) -> gameye_status {
    boundary::run_status(|| {
        boundary::handle_mut(options, "options")?
            .set_interval(Duration::from_millis(u64::from(interval_ms)))
            .map(drop)
    })
}

/// The filters of each poll, as for gameye_list_sessions (e.g. gameye_list_options_set_all to
/// see ended sessions change status before they are removed). `list_options` is copied; NULL
/// resets to no filter. Not thread-safe. Returns GAMEYE_STATUS_OK, or _INVALID_ARGUMENT for a
/// NULL options.
#[no_mangle]
pub extern "C" fn gameye_watch_options_set_list_options(
    options: *mut WatchOptions,
    list_options: *const ListOptions,
) -> gameye_status {
    boundary::run_status(|| {
        let list = boundary::optional(list_options)
            .cloned()
            .unwrap_or_default();
        boundary::handle_mut(options, "options")?.set_list_options(list);
        Ok(())
    })
}

/// Hands each event to `callback` on the watch's thread instead of to gameye_watch_next; NULL
/// goes back to gameye_watch_next. `user_data` is passed to it untouched, from that thread.
/// Not thread-safe. Returns GAMEYE_STATUS_OK, or _INVALID_ARGUMENT for a NULL options.
#[no_mangle]
pub extern "C" fn gameye_watch_options_set_callback(
    options: *mut WatchOptions,
    callback: gameye_watch_callback,
    user_data: *mut c_void,
) -> gameye_status {
    boundary::run_status(|| {
        let options = boundary::handle_mut(options, "options")?;
        let user_data = CallerData(user_data);
        match callback {
            Some(callback) => options.set_callback(move |event| {
                // SAFETY: the caller's callback, called as its documentation says.
                unsafe { callback(&event, user_data.get()) }
            }),
            None => options.clear_callback(),
        };
        Ok(())
    })
}

/// Starts watching sessions: a thread of the watch's own lists them (GET /session; scope
/// session:read) at once and then every interval, and each session that was added, changed
/// (status, player count, ports, host) or removed since the poll before becomes one event, in
/// the order of the list (removals last). Nothing is lost and memory stays bounded: the next
/// poll waits until every event of the last one was taken (or its callback returned), so a
/// watch nobody reads stops polling. A poll that fails in a way that may pass (transport, 5xx,
/// 420/429) is followed by the next after the interval (or the Retry-After); see
/// gameye_watch_last_error. Any other failure (401, 403, ...) ends the watch.
///
/// The watch has its own connection and keeps what it needs of the client: `client` may be
/// freed before it. `options` may be NULL (the defaults); it is only read.
/// On success `*out_watch` receives a watch the caller frees with gameye_watch_free; on failure
/// it is set to NULL. `out_error` may be NULL. Thread-safety: the watch is thread-safe.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL client or out_watch, a client made in
/// another process); _CANCELLED (the client is being freed); _INTERNAL (no thread could start).
#[no_mangle]
pub extern "C" fn gameye_watch_sessions(
    client: *const Client,
    options: *const WatchOptions,
    out_watch: *mut *mut Watch,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_watch, "out_watch")?;
        let client = boundary::handle(client, "client")?;
        let defaults = WatchOptions::new();
        let options = boundary::optional(options).unwrap_or(&defaults);
        out.write(client.watch_sessions(options)?);
        Ok(())
    })
}

/// Waits up to `wait_ms` for the next event (0: just look; call it once per frame from a game
/// loop). On GAMEYE_STATUS_OK `*out_event` is the next event (free it with
/// gameye_watch_event_free), or NULL when none came in time. Once the watch has stopped and its
/// queued events are taken, it returns the failure that ended it (with `*out_error`), or
/// GAMEYE_STATUS_CANCELLED after gameye_watch_close.
///
/// `out_event` is required; `out_error` may be NULL. Thread-safety: any thread; events go to one
/// caller each. Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL, a watch with a callback, a
/// watch made in another process); _CANCELLED; or the failure that ended the watch.
#[no_mangle]
pub extern "C" fn gameye_watch_next(
    watch: *const Watch,
    wait_ms: u32,
    out_event: *mut *mut WatchEvent,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_event, "out_event")?;
        let watch = boundary::handle(watch, "watch")?;
        if let Some(event) = watch.next(Duration::from_millis(u64::from(wait_ms)))? {
            out.write(event);
        }
        Ok(())
    })
}

/// The last poll's failure: GAMEYE_STATUS_OK when it succeeded (or none has ended yet); else its
/// status, with the error in `*out_error` (may be NULL): one that may pass while the watch polls
/// on, or the one that ended it. Thread-safe. _INVALID_ARGUMENT for NULL.
#[no_mangle]
pub extern "C" fn gameye_watch_last_error(
    watch: *const Watch,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        match boundary::handle(watch, "watch")?.last_failure() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    })
}

/// Whether the watch still polls: false once it was closed or a failure ended it (or for
/// NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_watch_is_running(watch: *const Watch) -> bool {
    boundary::read(watch, false, Watch::is_running)
}

/// How many polls were answered so far; 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_watch_polls(watch: *const Watch) -> u64 {
    boundary::read(watch, 0, Watch::polls)
}

/// Stops the watch without freeing it: no poll starts after it, one on the wire is interrupted,
/// and the thread is joined (not when called from the watch's own callback). Queued events can
/// still be taken; then gameye_watch_next returns GAMEYE_STATUS_CANCELLED. Idempotent.
/// Thread-safe. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_watch_close(watch: *const Watch) {
    boundary::read(watch, (), Watch::close);
}

/// Frees the watch: closes it first (see gameye_watch_close), at any time, also while a poll is
/// on the wire. Events taken from it stay valid. NULL is a no-op. Never call it from the
/// watch's callback, nor while another thread is inside a call on it.
#[no_mangle]
pub extern "C" fn gameye_watch_free(watch: *mut Watch) {
    boundary::free(watch);
}

/// GAMEYE_WATCH_EVENT_ADDED, _CHANGED or _REMOVED; 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_watch_event_kind(event: *const WatchEvent) -> i32 {
    boundary::read(event, 0, |e| e.kind() as i32)
}

/// For a changed session: the GAMEYE_WATCH_CHANGE_* bits of what differs; 0 otherwise (or for
/// NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_watch_event_changes(event: *const WatchEvent) -> u32 {
    boundary::read(event, 0, |e| e.changes().0)
}

/// The session as now seen (for a removed one, as last seen): a list entry, borrowed from the
/// event (never free it; valid until the event is freed). NULL for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_watch_event_session(event: *const WatchEvent) -> *const Session {
    boundary::read(event, ptr::null(), |e| e.session() as *const Session)
}

/// For a changed session: the session as the poll before saw it, borrowed from the event; NULL
/// for other events (or for NULL). Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_watch_event_previous(event: *const WatchEvent) -> *const Session {
    boundary::read(event, ptr::null(), |e| {
        e.previous().map_or(ptr::null(), |s| s as *const Session)
    })
}

/// A copy of an event (cheap: it shares the list it came from), e.g. to keep one a callback was
/// lent. Free it with gameye_watch_event_free. NULL for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_watch_event_copy(event: *const WatchEvent) -> *mut WatchEvent {
    boundary::read(event, ptr::null_mut(), |e| boundary::new_handle(e.clone()))
}

/// Frees an event from gameye_watch_next or gameye_watch_event_copy. NULL is a no-op. Never
/// free the event a callback was lent.
#[no_mangle]
pub extern "C" fn gameye_watch_event_free(event: *mut WatchEvent) {
    boundary::free(event);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_rust_values() {
        use crate::lifecycle::{Changes, WatchEventKind};
        use crate::Status;
        assert_eq!(GAMEYE_WATCH_EVENT_ADDED, WatchEventKind::Added as i32);
        assert_eq!(GAMEYE_WATCH_EVENT_CHANGED, WatchEventKind::Changed as i32);
        assert_eq!(GAMEYE_WATCH_EVENT_REMOVED, WatchEventKind::Removed as i32);
        assert_eq!(GAMEYE_WATCH_CHANGE_STATUS, Changes::STATUS);
        assert_eq!(GAMEYE_WATCH_CHANGE_PLAYER_COUNT, Changes::PLAYER_COUNT);
        assert_eq!(GAMEYE_WATCH_CHANGE_PORTS, Changes::PORTS);
        assert_eq!(GAMEYE_WATCH_CHANGE_HOST, Changes::HOST);
        assert_eq!(Status::SessionEnded as i32, 16);
    }
}
