//! A session's output: the whole log so far, or a followed stream of lines.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use ureq::http::Method;
use ureq::Agent;

use super::url::Query;
use super::{Accept, Connection, Error, Origin, Payload, Repeat};

use crate::model::Text;
use crate::sync::lock;
use crate::Status;

/// Longest line handed out; a longer one arrives in pieces of at most this many bytes, each cut
/// at a character boundary (a CR at a cut waits for the next byte, so a CRLF is never split).
pub(crate) const MAX_LOG_LINE_BYTES: usize = 64 * 1024;
/// Lines read ahead of the consumer before the reader waits.
const READ_AHEAD_LINES: usize = 1024;
/// Bytes of lines read ahead of the consumer before the reader waits (and so stops reading the
/// connection, which then holds the server back): a consumer that stops reading costs at most
/// this, plus a piece.
pub(crate) const MAX_LOG_READ_AHEAD_BYTES: usize = 1024 * 1024;

/// The output a session wrote so far: the bytes as sent (usually UTF-8 text).
#[derive(Clone, PartialEq, Eq)]
pub struct Logs {
    bytes: Vec<u8>, // invariant: ends with a NUL that is not part of the logs
}

impl Logs {
    fn new(mut bytes: Vec<u8>) -> Logs {
        bytes.push(0);
        Logs { bytes }
    }

    /// The bytes as sent.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - 1]
    }

    /// The logs as text; bytes that are not UTF-8 read as U+FFFD.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.as_bytes())
    }

    /// The bytes followed by a NUL, for the C ABI.
    pub(crate) fn with_nul(&self) -> &[u8] {
        &self.bytes
    }
}

impl std::fmt::Debug for Logs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Logs({} bytes)", self.as_bytes().len())
    }
}

/// What [`LogStream::next`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogEvent {
    /// The next line, without its line ending.
    Line(Text),
    /// No line arrived within the wait; the stream goes on.
    Waiting,
    /// The stream ended cleanly: the session stopped.
    Ended,
}

/// What the reader thread hands over.
enum Message {
    Line(Text),
    Ended,
    Failed(Error),
}

/// How a stream finished, remembered so later calls answer the same.
#[derive(Clone)]
enum Finish {
    Ended,
    Failed(Error),
}

struct Consumer {
    lines: Option<Receiver<Message>>,
    finish: Option<Finish>,
}

/// The bytes of lines the reader has handed over that the consumer has not taken yet, bounded
/// by [`MAX_LOG_READ_AHEAD_BYTES`].
#[derive(Default)]
struct ReadAhead {
    /// Bytes handed over and not taken; whether the stream was closed (the reader stops).
    state: Mutex<(usize, bool)>,
    taken: Condvar,
}

impl ReadAhead {
    /// The reader: waits until `bytes` more fit (one line always does); false once closed.
    fn reserve(&self, bytes: usize) -> bool {
        let mut state = lock(&self.state);
        loop {
            let (held, closed) = *state;
            if closed {
                return false;
            }
            if held == 0 || held + bytes <= MAX_LOG_READ_AHEAD_BYTES {
                state.0 += bytes;
                return true;
            }
            state = self.taken.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The consumer took a line of `bytes`.
    fn release(&self, bytes: usize) {
        let mut state = lock(&self.state);
        state.0 = state.0.saturating_sub(bytes);
        self.taken.notify_all();
    }

    /// No more lines are wanted: a reader waiting for room stops.
    fn close(&self) {
        lock(&self.state).1 = true;
        self.taken.notify_all();
    }
}

/// A followed log: lines as the session writes them, until it stops.
///
/// A reader thread of its own reads the response; [`LogStream::next`] waits for its lines.
/// [`LogStream::cancel`] may be called from any thread, also while another thread waits in
/// `next`, and ends the stream promptly. Dropping the stream cancels it and joins the reader.
pub struct LogStream {
    /// Kept from dropping in a forked child, where its pool is the parent's (see `Origin`).
    agent: ManuallyDrop<Agent>,
    origin: Origin,
    read_ahead: Arc<ReadAhead>,
    cancelled: AtomicBool,
    consumer: Mutex<Consumer>,
    reader: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for LogStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogStream")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

fn cancelled_error() -> Error {
    Error::new(Status::Cancelled, "the log stream was cancelled")
}

impl LogStream {
    /// Waits up to `wait` for the next line.
    ///
    /// Errors: `Cancelled` after [`LogStream::cancel`]; `Timeout` when the stream was idle for
    /// longer than its idle timeout; `Transport` when the connection was lost. Once the stream
    /// has ended or failed, every later call answers the same.
    pub fn next(&self, wait: Duration) -> Result<LogEvent, Error> {
        self.origin.check("this log stream")?;
        if self.is_cancelled() {
            return Err(cancelled_error());
        }
        let mut consumer = lock(&self.consumer);
        match &consumer.finish {
            Some(Finish::Ended) => return Ok(LogEvent::Ended),
            Some(Finish::Failed(error)) => return Err(error.clone()),
            None => {}
        }
        let received = match &consumer.lines {
            Some(lines) => lines.recv_timeout(wait),
            None => Err(RecvTimeoutError::Disconnected),
        };
        let finish = match received {
            Ok(Message::Line(line)) => {
                self.read_ahead.release(line.as_str().len());
                return Ok(LogEvent::Line(line));
            }
            Err(RecvTimeoutError::Timeout) if !self.is_cancelled() => return Ok(LogEvent::Waiting),
            _ if self.is_cancelled() => return Err(cancelled_error()),
            Ok(Message::Ended) | Err(_) => Finish::Ended,
            Ok(Message::Failed(error)) => Finish::Failed(error),
        };
        consumer.finish = Some(finish.clone());
        consumer.lines = None;
        match finish {
            Finish::Ended => Ok(LogEvent::Ended),
            Finish::Failed(error) => Err(error),
        }
    }

    /// Ends the stream: a `next` waiting now, and every later one, returns `Cancelled`.
    /// Thread-safe; calling it again does nothing more.
    pub fn cancel(&self) {
        if self.origin.is_here() && !self.cancelled.swap(true, Ordering::AcqRel) {
            // Interrupts the reader thread's blocked read (or its wait for room) at once.
            self.read_ahead.close();
            (*self.agent).clone().shutdown();
        }
    }

    /// Whether [`LogStream::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }
}

impl Drop for LogStream {
    fn drop(&mut self) {
        if !self.origin.is_here() {
            // A forked child has no reader thread to join; the agent stays the parent's.
            let reader = self.reader.get_mut().unwrap_or_else(|e| e.into_inner());
            std::mem::forget(reader.take());
            return;
        }
        self.cancel();
        // Dropping the receiver also frees a reader waiting on a full channel.
        self.consumer
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .lines = None;
        if let Some(reader) = self
            .reader
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            let _ = reader.join();
        }
        // SAFETY: dropped once, here, and never used again.
        unsafe { ManuallyDrop::drop(&mut self.agent) };
    }
}

/// Where a piece of a line longer than [`MAX_LOG_LINE_BYTES`] ends: before a CR whose LF may
/// come next, and before a UTF-8 sequence whose continuation bytes have not arrived.
fn piece_end(piece: &[u8]) -> usize {
    let mut end = piece.len();
    if piece.last() == Some(&b'\r') {
        end -= 1;
    }
    // The last byte within three of the end that starts a character (is no continuation byte).
    if let Some(start) = (end.saturating_sub(3)..end)
        .rev()
        .find(|&i| piece[i] & 0xC0 != 0x80)
    {
        let width = match piece[start] {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        if start + width > end {
            end = start;
        }
    }
    if end == 0 {
        piece.len() // not text at all: cut where the piece is full
    } else {
        end
    }
}

fn text_of(bytes: &[u8]) -> Text {
    Text::from(String::from_utf8_lossy(bytes).into_owned())
}

/// The reader thread: lines from the response body to the channel until it ends, each within
/// the read-ahead bound. A line longer than [`MAX_LOG_LINE_BYTES`] is handed over in pieces (see
/// [`piece_end`]); the bytes of a line that a failure cut short are handed over before the
/// failure.
fn read_lines(
    body: impl Read,
    lines: SyncSender<Message>,
    read_ahead: &ReadAhead,
    fail: impl Fn(std::io::Error) -> Error,
) {
    let send = |message: Message| {
        if let Message::Line(line) = &message {
            if !read_ahead.reserve(line.as_str().len()) {
                return false;
            }
        }
        lines.send(message).is_ok()
    };
    let mut body = BufReader::with_capacity(16 * 1024, body);
    // The line being read; it may start with the bytes a cut carried over.
    let mut line = Vec::new();
    // Pieces of this line were handed over already.
    let mut continued = false;
    loop {
        let room = (MAX_LOG_LINE_BYTES - line.len()) as u64;
        let read = (&mut body).take(room).read_until(b'\n', &mut line);
        let last = match read {
            Ok(_) if line.last() == Some(&b'\n') => {
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                // A line whose pieces went out and whose rest is its ending alone is whole.
                let ending_only = continued && line.is_empty();
                if !ending_only && !send(Message::Line(text_of(&line))) {
                    return;
                }
                line.clear();
                continued = false;
                continue;
            }
            Ok(_) if line.len() == MAX_LOG_LINE_BYTES => {
                let rest = line.split_off(piece_end(&line));
                if !send(Message::Line(text_of(&line))) {
                    return;
                }
                line = rest;
                continued = true;
                continue;
            }
            // The end of the body within a line: the next read says so.
            Ok(n) if n > 0 => continue,
            Ok(_) => Message::Ended,
            Err(e) => Message::Failed(fail(e)),
        };
        // What arrived of an unfinished line is handed over before the end or the failure.
        if !line.is_empty() && !send(Message::Line(text_of(&line))) {
            return;
        }
        let _ = send(last);
        return;
    }
}

impl Connection {
    /// The whole output the session wrote so far (`GET /logs?id=`; scope `logs:read`).
    pub(crate) fn logs(&self, session: &str) -> Result<Logs, Error> {
        let path = logs_path(session, false)?;
        self.call_with(
            Method::GET,
            &path,
            Payload::None,
            Repeat::Safe,
            Accept::Text,
        )
        .map(Logs::new)
    }

    /// Follows the session's output (`GET /logs?id=&follow=true`): connecting and the response
    /// head must arrive within the client's timeout; after that the stream lasts as long as the
    /// session runs, failing with `Timeout` only when no byte arrives for `idle` (`None`: wait
    /// as long as it takes; [`LogStream::cancel`] still ends it). The stream's own agent goes to
    /// `register` first, so a cancel or a client's free can interrupt the connect.
    pub(crate) fn follow_logs_registered(
        &self,
        session: &str,
        idle: Option<Duration>,
        register: impl FnOnce(&ureq::Agent),
    ) -> Result<LogStream, Error> {
        if idle.is_some_and(|idle| idle.is_zero()) {
            return Err(Error::invalid_argument(
                "the idle timeout must be at least 1 ms",
            ));
        }
        let path = logs_path(session, true)?;
        // An agent of its own, so that cancelling the stream interrupts only its read.
        let agent = self.core.agent(None);
        register(&agent);
        let response = self.send_streaming(&agent, Method::GET, &path, Accept::Text, idle)?;
        let body = response.into_body().into_reader();
        let (sender, receiver) = mpsc::sync_channel(READ_AHEAD_LINES);
        let read_ahead = Arc::new(ReadAhead::default());
        let for_reader = read_ahead.clone();
        let authority = self.core.base.authority.clone();
        let timeout = self.core.timeout;
        let fail = move |e: std::io::Error| match ureq::Error::from(e) {
            ureq::Error::Timeout(_) => Error::new(
                Status::Timeout,
                format!(
                    "the log stream was silent for longer than its idle timeout of {} ms",
                    idle.unwrap_or_default().as_millis()
                ),
            ),
            other => Error::from_transport(other, &authority, timeout),
        };
        let reader = std::thread::Builder::new()
            .name("gameye-logs".into())
            .spawn(move || read_lines(body, sender, &for_reader, fail))
            .map_err(|e| {
                Error::new(
                    Status::Internal,
                    format!("cannot start the log reader thread: {e}"),
                )
            })?;
        Ok(LogStream {
            agent: ManuallyDrop::new(agent),
            origin: Origin::here(),
            read_ahead,
            cancelled: AtomicBool::new(false),
            consumer: Mutex::new(Consumer {
                lines: Some(receiver),
                finish: None,
            }),
            reader: Mutex::new(Some(reader)),
        })
    }
}

fn logs_path(session: &str, follow: bool) -> Result<String, Error> {
    if session.is_empty() {
        return Err(Error::invalid_argument("the session id must not be empty"));
    }
    let mut query = Query::default();
    query.push("id", session);
    if follow {
        query.push("follow", "true");
    }
    Ok(format!("/logs{}", query.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8]) -> Vec<String> {
        let (sender, receiver) = mpsc::sync_channel(100);
        read_lines(input, sender, &ReadAhead::default(), |e| {
            Error::new(Status::Transport, e.to_string())
        });
        receiver
            .into_iter()
            .map(|m| match m {
                Message::Line(line) => line.to_string(),
                Message::Ended => "<end>".into(),
                Message::Failed(e) => format!("<{}>", e.status()),
            })
            .collect()
    }

    #[test]
    fn splits_lines_and_strips_endings() {
        assert_eq!(lines_of(b"a\r\nb\n\nc"), vec!["a", "b", "", "c", "<end>"]);
        assert_eq!(
            lines_of(b"caf\xc3\xa9 \xff\n"),
            vec!["café \u{fffd}", "<end>"]
        );
    }

    #[test]
    fn long_lines_arrive_in_pieces() {
        let long = vec![b'x'; MAX_LOG_LINE_BYTES + 10];
        let lines = lines_of(&long);
        assert_eq!(lines.len(), 3);
        assert_eq!((lines[0].len(), lines[1].len()), (MAX_LOG_LINE_BYTES, 10));
    }

    /// A piece is cut only between characters: every character of a long line arrives whole,
    /// wherever the cut falls within it.
    #[test]
    fn long_lines_are_cut_at_character_boundaries() {
        for character in ["é", "€", "😀"] {
            for shift in 0..4 {
                let mut line = "a".repeat(shift);
                while line.len() < 3 * MAX_LOG_LINE_BYTES {
                    line.push_str(character);
                }
                let mut input = line.clone().into_bytes();
                input.push(b'\n');
                let pieces = lines_of(&input);
                assert_eq!(pieces.last().map(String::as_str), Some("<end>"));
                let pieces = &pieces[..pieces.len() - 1];
                assert!(
                    pieces.iter().all(|p| !p.contains('\u{fffd}')),
                    "{character} {shift}"
                );
                assert!(pieces.iter().all(|p| p.len() <= MAX_LOG_LINE_BYTES));
                assert_eq!(pieces.concat(), line, "{character} {shift}");
            }
        }
    }

    /// A CRLF that a cut would split stays together: no stray CR, no empty line after it.
    #[test]
    fn a_crlf_at_a_cut_is_one_line_ending() {
        let mut input = vec![b'x'; MAX_LOG_LINE_BYTES - 1];
        input.extend_from_slice(b"\r\nnext\r\n");
        let lines = lines_of(&input);
        assert_eq!(
            lines.len(),
            3,
            "{:?}",
            lines.iter().map(String::len).collect::<Vec<_>>()
        );
        assert_eq!(lines[0], "x".repeat(MAX_LOG_LINE_BYTES - 1));
        assert_eq!(lines[1..], ["next", "<end>"]);
        // A CR inside a line is kept as it was sent.
        assert_eq!(lines_of(b"a\rb\n"), ["a\rb", "<end>"]);
        // A line of exactly one piece is one line, not a piece and an empty line.
        let mut exact = vec![b'y'; MAX_LOG_LINE_BYTES];
        exact.push(b'\n');
        assert_eq!(lines_of(&exact).len(), 2);
    }

    /// A reader whose consumer stops reading reads no more than the read-ahead bound (and a
    /// piece) from the connection, however fast the server writes.
    #[test]
    fn the_read_ahead_is_bounded_in_bytes() {
        struct Endless(Arc<std::sync::atomic::AtomicUsize>);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                buf.fill(b'z');
                if let Some(last) = buf.last_mut() {
                    *last = b'\n';
                }
                self.0.fetch_add(buf.len(), Ordering::SeqCst);
                Ok(buf.len())
            }
        }
        let read = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let source = Endless(read.clone());
        let read_ahead = Arc::new(ReadAhead::default());
        let for_reader = read_ahead.clone();
        let (sender, receiver) = mpsc::sync_channel(READ_AHEAD_LINES);
        let reader = std::thread::spawn(move || {
            read_lines(source, sender, &for_reader, |e| {
                Error::new(Status::Transport, e.to_string())
            })
        });
        // Until the reader stops for room (what it read no longer grows).
        let mut before = usize::MAX;
        while read.load(Ordering::SeqCst) != before {
            before = read.load(Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(200));
        }
        let bound = MAX_LOG_READ_AHEAD_BYTES + MAX_LOG_LINE_BYTES + 16 * 1024;
        assert!(before <= bound, "read {before} bytes ahead, bound {bound}");
        assert!(
            before >= MAX_LOG_READ_AHEAD_BYTES / 2,
            "it did read ahead: {before}"
        );
        // Taking lines makes room again; closing stops the reader.
        let Ok(Message::Line(line)) = receiver.recv() else {
            panic!("a line")
        };
        read_ahead.release(line.as_str().len());
        read_ahead.close();
        drop(receiver);
        reader.join().unwrap();
    }

    #[test]
    fn whole_logs_keep_their_bytes_and_a_terminator() {
        let logs = Logs::new(b"line\n\xff".to_vec());
        assert_eq!(logs.as_bytes(), b"line\n\xff");
        assert_eq!(logs.with_nul().last(), Some(&0));
        assert_eq!(logs.text(), "line\n\u{fffd}");
    }
}
