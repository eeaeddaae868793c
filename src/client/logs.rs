//! A session's output: the whole log so far, or a followed stream of lines.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::Duration;

use ureq::http::Method;
use ureq::Agent;

use super::url::Query;
use super::{Accept, Connection, Error, Payload, Repeat};

use crate::model::Text;
use crate::sync::lock;
use crate::Status;

/// Longest line handed out; a longer one arrives in pieces of this size.
const MAX_LINE_BYTES: u64 = 64 * 1024;
/// Lines read ahead of the consumer before the reader waits.
const READ_AHEAD_LINES: usize = 1024;

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

/// A followed log: lines as the session writes them, until it stops.
///
/// A reader thread of its own reads the response; [`LogStream::next`] waits for its lines.
/// [`LogStream::cancel`] may be called from any thread, also while another thread waits in
/// `next`, and ends the stream promptly. Dropping the stream cancels it and joins the reader.
pub struct LogStream {
    agent: Agent,
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
            Ok(Message::Line(line)) => return Ok(LogEvent::Line(line)),
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
        if !self.cancelled.swap(true, Ordering::AcqRel) {
            // Interrupts the reader thread's blocked read at once.
            self.agent.clone().shutdown();
        }
    }

    /// Whether [`LogStream::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }
}

impl Drop for LogStream {
    fn drop(&mut self) {
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
    }
}

/// The reader thread: lines from the response body to the channel until it ends.
fn read_lines(body: impl Read, lines: SyncSender<Message>, fail: impl Fn(std::io::Error) -> Error) {
    let mut body = BufReader::with_capacity(16 * 1024, body);
    let mut line = Vec::new();
    loop {
        line.clear();
        let message = match (&mut body)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut line)
        {
            Ok(0) => Message::Ended,
            Ok(_) => {
                if line.last() == Some(&b'\n') {
                    line.pop();
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                }
                Message::Line(Text::from(String::from_utf8_lossy(&line).into_owned()))
            }
            Err(e) => Message::Failed(fail(e)),
        };
        let last = !matches!(message, Message::Line(_));
        if lines.send(message).is_err() || last {
            return;
        }
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
    /// as long as it takes; [`LogStream::cancel`] still ends it).
    pub(crate) fn follow_logs(
        &self,
        session: &str,
        idle: Option<Duration>,
    ) -> Result<LogStream, Error> {
        self.follow_logs_registered(session, idle, |_| {})
    }

    /// [`Connection::follow_logs`], first handing the stream's own agent to `register` (so a
    /// non-blocking request's cancel can interrupt the connect).
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
            .spawn(move || read_lines(body, sender, fail))
            .map_err(|e| {
                Error::new(
                    Status::Internal,
                    format!("cannot start the log reader thread: {e}"),
                )
            })?;
        Ok(LogStream {
            agent,
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
        read_lines(input, sender, |e| {
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
        let long = vec![b'x'; MAX_LINE_BYTES as usize + 10];
        let lines = lines_of(&long);
        assert_eq!(lines.len(), 3);
        assert_eq!(
            (lines[0].len(), lines[1].len()),
            (MAX_LINE_BYTES as usize, 10)
        );
    }

    #[test]
    fn whole_logs_keep_their_bytes_and_a_terminator() {
        let logs = Logs::new(b"line\n\xff".to_vec());
        assert_eq!(logs.as_bytes(), b"line\n\xff");
        assert_eq!(logs.with_nul().last(), Some(&0));
        assert_eq!(logs.text(), "line\n\u{fffd}");
    }
}
