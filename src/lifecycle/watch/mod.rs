//! Watching sessions: a thread of the watch's own lists the sessions (with the usual filters)
//! every interval and turns the difference from the previous list into events, one per session
//! that was added, changed or removed. Events are taken with [`Watch::next`] (from any thread, a
//! game loop with a zero wait) or handed to a callback on the watch's thread.
//!
//! Nothing is lost and memory stays bounded: the next poll waits until the events of the last
//! one are all taken (a watch nobody reads stops polling), so at most one poll's events are
//! held. A failure that may pass (transport, 5xx, 420/429) is kept as [`Watch::last_failure`]
//! and the next poll comes after the interval (or the `Retry-After`); any other failure (401,
//! 403, …) ends the watch, and `next` returns it once the events before it are taken.

mod diff;

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use diff::{Changes, WatchEventKind};

use crate::client::{is_transient, CancelToken, Client, Connection, Error, ListOptions, Origin};
use crate::model::{Session, SessionList};
use crate::sync::lock;
use crate::Status;

/// How often a watch lists the sessions unless told otherwise.
pub const DEFAULT_WATCH_INTERVAL: Duration = Duration::from_secs(2);
/// The shortest interval a watch accepts.
pub const MIN_WATCH_INTERVAL: Duration = Duration::from_millis(250);

/// A callback that receives each event on the watch's thread.
pub type EventCallback = Arc<dyn Fn(WatchEvent) + Send + Sync>;

/// How to watch.
#[derive(Clone)]
pub struct WatchOptions {
    interval: Duration,
    list: ListOptions,
    callback: Option<EventCallback>,
}

impl Default for WatchOptions {
    fn default() -> WatchOptions {
        WatchOptions {
            interval: DEFAULT_WATCH_INTERVAL,
            list: ListOptions::default(),
            callback: None,
        }
    }
}

impl std::fmt::Debug for WatchOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchOptions")
            .field("interval", &self.interval)
            .field("list", &self.list)
            .field("callback", &self.callback.is_some())
            .finish()
    }
}

impl WatchOptions {
    /// The defaults: every 2 s, running sessions, events taken with [`Watch::next`].
    pub fn new() -> WatchOptions {
        WatchOptions::default()
    }

    /// The pause between the end of one poll and the start of the next; at least 250 ms.
    pub fn set_interval(&mut self, interval: Duration) -> Result<&mut Self, Error> {
        if interval < MIN_WATCH_INTERVAL {
            return Err(Error::invalid_argument(format!(
                "a watch polls at most every {} ms",
                MIN_WATCH_INTERVAL.as_millis()
            )));
        }
        self.interval = interval;
        Ok(self)
    }

    /// The filters of each poll (as for [`Client::list_sessions`]).
    pub fn set_list_options(&mut self, list: ListOptions) -> &mut Self {
        self.list = list;
        self
    }

    /// Hands each event to `callback` on the watch's thread instead of to [`Watch::next`]. The
    /// next poll waits until it returns.
    pub fn set_callback(
        &mut self,
        callback: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> &mut Self {
        self.callback = Some(Arc::new(callback));
        self
    }

    /// Events go to [`Watch::next`] again.
    pub fn clear_callback(&mut self) -> &mut Self {
        self.callback = None;
        self
    }

    /// The interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

/// One change: what happened, and the session as now seen (for `Removed`, as last seen). It
/// keeps the list it came from alive.
#[derive(Clone)]
pub struct WatchEvent {
    kind: WatchEventKind,
    changes: Changes,
    now: diff::Entry,
    before: Option<diff::Entry>,
}

impl WatchEvent {
    /// Added, changed or removed.
    pub fn kind(&self) -> WatchEventKind {
        self.kind
    }

    /// For `Changed`: the fields that differ; empty otherwise.
    pub fn changes(&self) -> Changes {
        self.changes
    }

    /// The session as now seen; for `Removed`, as last seen.
    pub fn session(&self) -> &Session {
        self.now.session()
    }

    /// For `Changed`: the session as the poll before saw it; `None` otherwise.
    pub fn previous(&self) -> Option<&Session> {
        self.before.as_ref().map(diff::Entry::session)
    }
}

impl std::fmt::Debug for WatchEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchEvent")
            .field("kind", &self.kind)
            .field("changes", &self.changes)
            .field("id", &self.session().id())
            .field("status", &self.session().status())
            .finish()
    }
}

#[derive(Default)]
struct State {
    events: VecDeque<WatchEvent>,
    /// The failure that ended the watch.
    failed: Option<Error>,
    /// The last poll's failure, when it failed in a way that may pass.
    last_failure: Option<Error>,
    polls: u64,
    closed: bool,
    /// The thread has stopped (closed, or failed).
    stopped: bool,
}

struct Shared {
    state: Mutex<State>,
    /// An event was queued, the queue emptied, or the watch stopped.
    changed: Condvar,
    cancel: CancelToken,
    connection: Connection,
}

/// A watch of the sessions. Thread-safe: take events from any thread. Dropping it stops the
/// thread (interrupting a poll on the wire) and joins it.
pub struct Watch {
    shared: Arc<Shared>,
    thread: Mutex<Option<JoinHandle<()>>>,
    origin: Origin,
    callback: bool,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch")
            .field("polls", &self.polls())
            .finish()
    }
}

impl Client {
    /// Starts watching sessions (`GET /session` every interval; scope `session:read`) on a
    /// thread and connection of the watch's own: it may outlive the client. The first poll
    /// starts at once and adds every session it lists.
    pub fn watch_sessions(&self, options: &WatchOptions) -> Result<Watch, Error> {
        let cancel = CancelToken::default();
        let connection = self.detached_connection(cancel.clone())?;
        Watch::start(connection, cancel, options.clone())
    }
}

impl Watch {
    fn start(
        connection: Connection,
        cancel: CancelToken,
        options: WatchOptions,
    ) -> Result<Watch, Error> {
        let shared = Arc::new(Shared {
            state: Mutex::default(),
            changed: Condvar::new(),
            cancel,
            connection,
        });
        let callback = options.callback.is_some();
        let worker = shared.clone();
        let thread = std::thread::Builder::new()
            .name("gameye-watch".into())
            .spawn(move || worker.run(options))
            .map_err(|e| {
                Error::new(
                    Status::Internal,
                    format!("cannot start the watch's thread: {e}"),
                )
            })?;
        Ok(Watch {
            shared,
            thread: Mutex::new(Some(thread)),
            origin: Origin::here(),
            callback,
        })
    }

    /// The next event, waiting up to `wait` for one (zero: just look). `Ok(None)`: none came in
    /// time. Once the watch has stopped and its events are taken: the failure that ended it, or
    /// `Cancelled` after [`Watch::close`]. `InvalidArgument` when events go to a callback.
    pub fn next(&self, wait: Duration) -> Result<Option<WatchEvent>, Error> {
        self.origin.check("this watch")?;
        if self.callback {
            return Err(Error::invalid_argument(
                "this watch hands its events to its callback",
            ));
        }
        let deadline = Instant::now() + wait;
        let mut state = lock(&self.shared.state);
        loop {
            if let Some(event) = state.events.pop_front() {
                if state.events.is_empty() {
                    self.shared.changed.notify_all();
                }
                return Ok(Some(event));
            }
            if state.stopped || state.closed {
                return Err(match &state.failed {
                    Some(failure) => failure.clone(),
                    None => Error::new(Status::Cancelled, "the watch was closed"),
                });
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// The last poll's failure: one that may pass (the watch polls again), or the one that
    /// ended the watch; `None` when it succeeded, or before the first poll ended.
    pub fn last_failure(&self) -> Option<Error> {
        let state = lock(&self.shared.state);
        state.failed.clone().or_else(|| state.last_failure.clone())
    }

    /// Whether the watch still polls: false once closed, or ended by a failure.
    pub fn is_running(&self) -> bool {
        let state = lock(&self.shared.state);
        !state.stopped && !state.closed
    }

    /// How many polls have been answered so far.
    pub fn polls(&self) -> u64 {
        lock(&self.shared.state).polls
    }

    /// Stops the watch: no poll starts after it, one on the wire is interrupted, and the thread
    /// is joined (unless this is the callback's own thread). Events still queued can be taken;
    /// after them `next` returns `Cancelled`. Idempotent; dropping the watch does it too.
    pub fn close(&self) {
        if !self.origin.is_here() {
            return;
        }
        {
            let mut state = lock(&self.shared.state);
            state.closed = true;
            self.shared.changed.notify_all();
        }
        self.shared.cancel.cancel();
        self.shared.connection.shutdown();
        if let Some(thread) = lock(&self.thread).take() {
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if self.origin.is_here() {
            self.close();
        } else if let Some(thread) = self.thread.get_mut().ok().and_then(Option::take) {
            // A forked child: the thread and its connection are the parent's (see Origin).
            std::mem::forget(thread);
            std::mem::forget(self.shared.clone());
        }
    }
}

impl Shared {
    fn run(&self, options: WatchOptions) {
        let mut previous: Option<Arc<SessionList>> = None;
        loop {
            if !self.wait_until_taken() {
                break;
            }
            let mut pause = options.interval;
            match self.connection.list_sessions(&options.list) {
                Ok(list) => {
                    let list = Arc::new(list);
                    let events: Vec<WatchEvent> = diff::differences(previous.as_ref(), &list)
                        .into_iter()
                        .map(|d| WatchEvent {
                            kind: d.kind,
                            changes: d.changes,
                            now: d.now,
                            before: d.before,
                        })
                        .collect();
                    previous = Some(list);
                    {
                        let mut state = lock(&self.state);
                        state.polls += 1;
                        state.last_failure = None;
                        if options.callback.is_none() {
                            state.events.extend(events.iter().cloned());
                            self.changed.notify_all();
                        }
                    }
                    if let Some(callback) = &options.callback {
                        for event in events {
                            if lock(&self.state).closed {
                                break;
                            }
                            callback(event);
                        }
                    }
                }
                Err(error) if lock(&self.state).closed => {
                    drop(error);
                    break;
                }
                Err(error) if is_transient(&error) || error.status() == Status::Timeout => {
                    pause = pause.max(error.retry_after().unwrap_or_default());
                    lock(&self.state).last_failure = Some(error);
                }
                Err(error) => {
                    lock(&self.state).failed = Some(error);
                    break;
                }
            }
            if !self.cancel.sleep(pause) {
                break;
            }
        }
        let mut state = lock(&self.state);
        state.stopped = true;
        self.changed.notify_all();
    }

    /// Waits until every queued event is taken; false once the watch is closed.
    fn wait_until_taken(&self) -> bool {
        let mut state = lock(&self.state);
        while !state.closed && !state.events.is_empty() {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        !state.closed
    }
}
