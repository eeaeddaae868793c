//! `gameye_get_logs` / `gameye_logs`, and the followed `gameye_log_stream`.

use std::ffi::c_char;
use std::ptr;
use std::sync::Mutex;
use std::time::Duration;

use super::boundary::{self, gameye_status, Out, OutValue};
use crate::client::{Client, Error, LogEvent, LogStream, Logs};
use crate::model::Text;
use crate::sync::lock;

/// Fetches everything a session wrote so far (GET /logs; scope logs:read). Blocks until the
/// whole log has arrived or the client's timeout elapses.
///
/// On success `*out_logs` receives the bytes, which the caller frees with gameye_logs_free; on
/// failure it is set to NULL. `out_error` may be NULL.
/// Thread-safety: any number of threads may call this on one client at once.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL, bad UTF-8, empty id); _NOT_FOUND (404);
/// _UNAUTHORIZED, _FORBIDDEN, _TRANSPORT, _TIMEOUT, _DECODE (larger than the body limit),
/// _SERVER, _HTTP.
#[no_mangle]
pub extern "C" fn gameye_get_logs(
    client: *const Client,
    session_id: *const c_char,
    out_logs: *mut *mut Logs,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_logs, "out_logs")?;
        let client = boundary::handle(client, "client")?;
        out.write(client.logs(boundary::string(session_id, "session_id")?)?);
        Ok(())
    })
}

/// The log bytes as sent (usually UTF-8 text with "\n" line ends), followed by a NUL that is not
/// part of them; they may hold other NULs, so use gameye_logs_len. NULL for NULL.
/// Borrowed from `logs`: valid until gameye_logs_free. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_logs_data(logs: *const Logs) -> *const c_char {
    boundary::read(logs, ptr::null(), |l| l.with_nul().as_ptr().cast())
}

/// The number of log bytes (without the trailing NUL); 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn gameye_logs_len(logs: *const Logs) -> usize {
    boundary::read(logs, 0, |l| l.as_bytes().len())
}

/// Frees logs. NULL is a no-op.
#[no_mangle]
pub extern "C" fn gameye_logs_free(logs: *mut Logs) {
    boundary::free(logs);
}

/// The most bytes one line of a followed log hands out (gameye_log_stream_next): a longer line
/// arrives in pieces of at most this size, cut between characters.
pub const GAMEYE_LOG_LINE_MAX_BYTES: usize = 65536;
/// The most bytes of lines a followed log reads ahead of gameye_log_stream_next.
pub const GAMEYE_LOG_READ_AHEAD_BYTES: usize = 1048576;
// Written out for cbindgen; the client's values are the ones in force.
const _: () = assert!(GAMEYE_LOG_LINE_MAX_BYTES == crate::client::MAX_LOG_LINE_BYTES);
const _: () = assert!(GAMEYE_LOG_READ_AHEAD_BYTES == crate::client::MAX_LOG_READ_AHEAD_BYTES);

/// A followed log stream and the line it lent out last.
pub struct LogStreamHandle {
    stream: LogStream,
    line: Mutex<Option<Text>>,
}

impl LogStreamHandle {
    pub(crate) fn new(stream: LogStream) -> LogStreamHandle {
        LogStreamHandle {
            stream,
            line: Mutex::new(None),
        }
    }
}

/// Follows a session's output (GET /logs?follow=true; scope logs:read): read lines with
/// gameye_log_stream_next as the session writes them, until it stops.
///
/// Blocks until the response head arrives (within the client's timeout). After that the stream
/// has no total deadline: it fails with GAMEYE_STATUS_TIMEOUT only when no byte arrives for
/// `idle_timeout_ms` (0: wait as long as it takes; gameye_log_stream_cancel still ends it).
/// A library thread reads ahead, at most 1 MiB of lines (GAMEYE_LOG_READ_AHEAD_BYTES) beyond
/// what gameye_log_stream_next has taken; then it stops reading, which holds the server back. It
/// never calls into your code.
///
/// On success `*out_stream` receives a stream the caller frees with gameye_log_stream_free; on
/// failure it is set to NULL. `out_error` may be NULL.
/// Returns GAMEYE_STATUS_OK; _INVALID_ARGUMENT (NULL, bad UTF-8, empty id); _NOT_FOUND (404);
/// _UNAUTHORIZED, _FORBIDDEN, _TRANSPORT, _TIMEOUT, _SERVER, _HTTP.
#[no_mangle]
pub extern "C" fn gameye_follow_logs(
    client: *const Client,
    session_id: *const c_char,
    idle_timeout_ms: u32,
    out_stream: *mut *mut LogStreamHandle,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out = Out::new(out_stream, "out_stream")?;
        let client = boundary::handle(client, "client")?;
        let session = boundary::string(session_id, "session_id")?;
        let idle = (idle_timeout_ms > 0).then(|| Duration::from_millis(u64::from(idle_timeout_ms)));
        let stream = client.follow_logs(session, idle)?;
        out.write(LogStreamHandle::new(stream));
        Ok(())
    })
}

/// Waits up to `wait_ms` for the next line of a followed log (0: just look).
///
/// On GAMEYE_STATUS_OK exactly one of these holds:
/// - `*out_line` is the next line (UTF-8, without its line end; bytes that were not UTF-8 read as
///   U+FFFD) and `*out_len` its length in bytes. A line longer than GAMEYE_LOG_LINE_MAX_BYTES
///   (65536) arrives in pieces of at most that many bytes, each cut between two characters (a
///   CRLF is never split); the line end is removed from the last piece. What arrived of a line
///   that a lost connection cut short is handed out before the failure;
/// - `*out_line` is NULL and `*out_ended` is false: no line arrived within `wait_ms`; call again;
/// - `*out_line` is NULL and `*out_ended` is true: the stream ended because the session stopped.
///
/// A line is borrowed from the stream: valid until the next call on it or gameye_log_stream_free.
/// `out_line` is required; `out_len`, `out_ended` and `out_error` may be NULL.
/// Thread-safety: call it from one thread at a time; gameye_log_stream_cancel may be called from
/// any other thread meanwhile.
/// Returns GAMEYE_STATUS_OK; _CANCELLED after gameye_log_stream_cancel; _TIMEOUT when the stream
/// was idle past its idle timeout; _TRANSPORT when the connection was lost; _INVALID_ARGUMENT for
/// NULL. After the stream has ended or failed, every call answers the same.
#[no_mangle]
pub extern "C" fn gameye_log_stream_next(
    stream: *const LogStreamHandle,
    wait_ms: u32,
    out_line: *mut *const c_char,
    out_len: *mut usize,
    out_ended: *mut bool,
    out_error: *mut *mut Error,
) -> gameye_status {
    boundary::run(out_error, || {
        let out_line = OutValue::new(out_line, "out_line", ptr::null())?;
        let out_len = OutValue::optional(out_len, 0);
        let out_ended = OutValue::optional(out_ended, false);
        let handle = boundary::handle(stream, "stream")?;
        let mut lent = lock(&handle.line);
        *lent = None;
        match handle
            .stream
            .next(Duration::from_millis(u64::from(wait_ms)))?
        {
            LogEvent::Line(line) => {
                out_line.write(line.as_c_ptr());
                out_len.write(line.len());
                *lent = Some(line);
            }
            LogEvent::Waiting => {}
            LogEvent::Ended => out_ended.write(true),
        }
        Ok(())
    })
}

/// Cancels a followed log: a gameye_log_stream_next waiting now, and every later one, returns
/// GAMEYE_STATUS_CANCELLED promptly. NULL is a no-op.
/// Thread-safety: may be called from any thread, also while another thread is in
/// gameye_log_stream_next; calling it again does nothing more.
#[no_mangle]
pub extern "C" fn gameye_log_stream_cancel(stream: *const LogStreamHandle) {
    boundary::read(stream, (), |s| s.stream.cancel());
}

/// Cancels the stream if needed, waits for its reader thread to finish, and frees it. NULL is a
/// no-op. No other thread may be using the stream.
#[no_mangle]
pub extern "C" fn gameye_log_stream_free(stream: *mut LogStreamHandle) {
    boundary::free(stream);
}
