//! The roster reporter: a game server says who joined and who left; one worker thread of the
//! reporter's own tells Gameye, in batches, in order, retrying what failed without an answer,
//! until everything is acknowledged or a permanent failure stops it.
//!
//! The caller's side (`player_joined`, `player_left`, `pending`) takes one short lock and does
//! no I/O. The worker holds the lock only to take a batch and record its outcome, never while a
//! request is on the wire. It has a connection of its own (an agent and a cancel token), so
//! freeing the reporter interrupts just its own request, and the client it was made from may be
//! freed first: the connection keeps the client's settings alive.

mod book;

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use book::{Book, Kind, Outcome};

use crate::client::{is_transient, CancelToken, Client, Connection, Error, Origin, RetryPolicy};
use crate::sync::lock;
use crate::Status;

/// How long a report waits for others to join its batch, by default.
pub const DEFAULT_BATCH_INTERVAL: Duration = Duration::from_millis(200);
/// The most players in one call, by default.
pub const DEFAULT_BATCH_SIZE: usize = 100;
/// The largest batch size accepted.
pub const MAX_BATCH_SIZE: usize = 10_000;
/// The most players owing a call at once, by default (about 100 bytes each).
pub const DEFAULT_MAX_PENDING: usize = 10_000;
/// The largest pending bound accepted.
pub const MAX_PENDING_LIMIT: usize = 1_000_000;
/// The longest wait between two attempts after failures without an answer, whatever the
/// client's policy or a `Retry-After` says: a server that recovers is told within it.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// Called once per permanent failure, on the reporter's worker thread.
pub type FailureCallback = Arc<dyn Fn(&Error) + Send + Sync>;

/// How a roster reporter batches, and what it is told on a permanent failure (a builder: not
/// thread-safe).
#[derive(Clone)]
pub struct ReporterOptions {
    batch_interval: Duration,
    batch_size: usize,
    max_pending: usize,
    on_failure: Option<FailureCallback>,
}

impl Default for ReporterOptions {
    fn default() -> ReporterOptions {
        ReporterOptions {
            batch_interval: DEFAULT_BATCH_INTERVAL,
            batch_size: DEFAULT_BATCH_SIZE,
            max_pending: DEFAULT_MAX_PENDING,
            on_failure: None,
        }
    }
}

impl std::fmt::Debug for ReporterOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReporterOptions")
            .field("batch_interval", &self.batch_interval)
            .field("batch_size", &self.batch_size)
            .field("max_pending", &self.max_pending)
            .field("on_failure", &self.on_failure.is_some())
            .finish()
    }
}

impl ReporterOptions {
    /// Defaults: 200 ms, 100 players a call, 10,000 pending.
    pub fn new() -> ReporterOptions {
        ReporterOptions::default()
    }

    /// How long the first unsent report waits for others before its batch is sent: 0 (send at
    /// once) to 60 s. A full batch, a flush or a stop sends sooner.
    pub fn set_batch_interval(&mut self, interval: Duration) -> Result<&mut Self, Error> {
        if interval > Duration::from_secs(60) {
            return Err(Error::invalid_argument(
                "the batch interval is at most 60 s",
            ));
        }
        self.batch_interval = interval;
        Ok(self)
    }

    /// The most players in one call: 1 to 10,000.
    pub fn set_batch_size(&mut self, size: usize) -> Result<&mut Self, Error> {
        if !(1..=MAX_BATCH_SIZE).contains(&size) {
            return Err(Error::invalid_argument(format!(
                "the batch size must be 1 to {MAX_BATCH_SIZE}"
            )));
        }
        self.batch_size = size;
        Ok(self)
    }

    /// The most players owing a call at once (sent or not): 1 to 1,000,000. Past it a report
    /// that would owe one more is refused with `RateLimited`, and nothing changes.
    pub fn set_max_pending(&mut self, max: usize) -> Result<&mut Self, Error> {
        if !(1..=MAX_PENDING_LIMIT).contains(&max) {
            return Err(Error::invalid_argument(format!(
                "the pending bound must be 1 to {MAX_PENDING_LIMIT}"
            )));
        }
        self.max_pending = max;
        Ok(self)
    }

    /// Called on the worker thread, once for each permanent failure, with that failure. It must
    /// not drop the reporter.
    pub fn on_failure(&mut self, callback: impl Fn(&Error) + Send + Sync + 'static) -> &mut Self {
        self.on_failure = Some(Arc::new(callback));
        self
    }

    /// Removes the failure callback.
    pub fn clear_failure_callback(&mut self) -> &mut Self {
        self.on_failure = None;
        self
    }
}

struct State {
    book: Book,
    /// The permanent failure that stopped the sending, until a resync succeeds.
    failure: Option<Error>,
    /// The failure callback is still running: a flush returns the failure only after it, so a
    /// caller that flushed sees what the callback did.
    delivering: bool,
    resync_wanted: bool,
    /// Callers waiting in a flush: batches go out without waiting for the interval.
    flushing: usize,
    /// When the oldest unsent report was made.
    queued_since: Option<Instant>,
    /// The session was stopped through the reporter: reports are refused.
    stopped: bool,
    closing: bool,
    /// Callers inside a call that waits (flush, stop_session), which a close waits for.
    inside: usize,
}

struct Shared {
    session: String,
    options: ReporterOptions,
    state: Mutex<State>,
    /// Wakes the worker.
    work: Condvar,
    /// Wakes flushers and a closing free: something settled, failed, or a caller left.
    changed: Condvar,
    cancel: CancelToken,
    connection: Connection,
}

/// One session's player roster, reported to Gameye in batches by a worker thread of its own.
/// Thread-safe: any thread may report. Freeing it (gameye_roster_reporter_free; in Rust, a drop)
/// interrupts what is on the wire, joins the worker and runs no callback after it returns;
/// reports not yet acknowledged are dropped with it (flush first to keep them).
pub struct RosterReporter {
    shared: Arc<Shared>,
    worker: Mutex<Option<JoinHandle<()>>>,
    origin: Origin,
}

impl std::fmt::Debug for RosterReporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RosterReporter")
            .field("session", &self.shared.session)
            .field("pending", &self.pending())
            .finish()
    }
}

fn state_error(status: Status, message: &str) -> Error {
    Error::new(status, message)
}

fn closed() -> Error {
    state_error(
        Status::Cancelled,
        "the roster reporter was closed: it reports nothing more",
    )
}

impl RosterReporter {
    /// A reporter for `session` (the session this server runs in: see
    /// [`SessionContext`](crate::server::SessionContext)) on `client`'s account and settings.
    /// Starts its worker thread; makes no request.
    pub fn new(
        client: &Client,
        session: &str,
        options: &ReporterOptions,
    ) -> Result<RosterReporter, Error> {
        if session.is_empty() {
            return Err(Error::invalid_argument("the session id must not be empty"));
        }
        let cancel = CancelToken::default();
        let connection = client.detached_connection(cancel.clone())?;
        let shared = Arc::new(Shared {
            session: session.to_owned(),
            options: options.clone(),
            state: Mutex::new(State {
                book: Book::new(options.max_pending),
                failure: None,
                delivering: false,
                resync_wanted: false,
                flushing: 0,
                queued_since: None,
                stopped: false,
                closing: false,
                inside: 0,
            }),
            work: Condvar::new(),
            changed: Condvar::new(),
            cancel,
            connection,
        });
        let worker = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("gameye-roster".into())
                .spawn(move || shared.run())
                .map_err(|e| {
                    Error::new(
                        Status::Internal,
                        format!("cannot start the roster reporter's thread: {e}"),
                    )
                })?
        };
        Ok(RosterReporter {
            shared,
            worker: Mutex::new(Some(worker)),
            origin: Origin::here(),
        })
    }

    /// The session reported to.
    pub fn session_id(&self) -> &str {
        &self.shared.session
    }

    /// Reports that `player` joined. O(1), no I/O: the worker sends it.
    /// `RateLimited` past the pending bound (nothing changes); `Cancelled` once the session was
    /// stopped through the reporter; `InvalidArgument` for an empty id or in a forked child.
    pub fn player_joined(&self, player: &str) -> Result<(), Error> {
        self.report(player, true)
    }

    /// Reports that `player` left. O(1), no I/O. A player never reported as joined is ignored;
    /// a join still unsent is cancelled out instead of sending both. Errors as `player_joined`.
    pub fn player_left(&self, player: &str) -> Result<(), Error> {
        self.report(player, false)
    }

    fn report(&self, player: &str, here: bool) -> Result<(), Error> {
        self.origin.check("this roster reporter")?;
        if player.is_empty() {
            return Err(Error::invalid_argument("the player id must not be empty"));
        }
        let shared = &self.shared;
        let mut state = lock(&shared.state);
        if state.stopped {
            return Err(state_error(
                Status::Cancelled,
                "the session was stopped through this reporter: it reports nothing more",
            ));
        }
        if state.closing {
            return Err(closed());
        }
        let queued_before = state.book.queued();
        state.book.set(player, here).map_err(|full| {
            Error::new(
                Status::RateLimited,
                format!(
                    "{} players are waiting to be reported (the reporter's bound): \
                     this report was refused and nothing changed; flush, or raise the bound",
                    full.max_pending
                ),
            )
        })?;
        let queued = state.book.queued();
        if queued > queued_before {
            // Wake the worker only when it has something new to decide: the first report of a
            // batch (it starts the interval) or a full batch (it goes out now).
            let first = state.queued_since.is_none();
            if first {
                state.queued_since = Some(Instant::now());
            }
            if first || queued == shared.options.batch_size {
                shared.work.notify_one();
            }
        }
        Ok(())
    }

    /// Players whose join or leave is not acknowledged yet (on the wire or waiting).
    pub fn pending(&self) -> usize {
        if !self.origin.is_here() {
            return 0;
        }
        lock(&self.shared.state).book.pending()
    }

    /// The permanent failure that stopped the reporting (it keeps what is pending, and sends
    /// nothing more until a [`resync`](Self::resync) succeeds), or `Ok`.
    pub fn status(&self) -> Result<(), Error> {
        self.origin.check("this roster reporter")?;
        match &lock(&self.shared.state).failure {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    }

    /// Asks the worker to describe the session and send the difference between this roster and
    /// the server's: players the server has and the game does not are sent a leave, and the
    /// other way round. It clears a permanent failure when it succeeds. Returns at once; a
    /// [`flush`](Self::flush) waits for it.
    pub fn resync(&self) -> Result<(), Error> {
        self.origin.check("this roster reporter")?;
        let mut state = lock(&self.shared.state);
        if state.stopped {
            return Err(state_error(
                Status::Cancelled,
                "the session was stopped through this reporter",
            ));
        }
        if state.closing {
            return Err(closed());
        }
        state.resync_wanted = true;
        self.shared.work.notify_one();
        Ok(())
    }

    /// Waits until every report is acknowledged (and a resync asked for is done), sending
    /// batches at once meanwhile. `Timeout` (with the number still pending) when `timeout`
    /// passes first; the permanent failure when one stopped the reporting.
    pub fn flush(&self, timeout: Duration) -> Result<(), Error> {
        self.origin.check("this roster reporter")?;
        let deadline = Instant::now().checked_add(timeout);
        // Its own reference: a free that this call waits for may release the reporter as soon
        // as the call has left, while the call still unlocks.
        let shared = self.shared.clone();
        let state = shared.enter()?;
        let (state, result) = shared.flush_in(state, deadline);
        shared.leave(state);
        result
    }

    /// Flushes (up to `timeout`), then stops the session (`DELETE /session/{id}`, scope
    /// `session:stop`, within the client's timeout and retry policy): the end of the match. A
    /// session that already ended counts as stopped. Afterwards reports are refused
    /// (`Cancelled`). A flush that could not finish does not keep the session running: once the
    /// session is stopped its roster is gone with it.
    pub fn stop_session(&self, timeout: Duration) -> Result<(), Error> {
        self.origin.check("this roster reporter")?;
        let deadline = Instant::now().checked_add(timeout);
        let shared = self.shared.clone();
        let state = shared.enter()?;
        let (state, _) = shared.flush_in(state, deadline);
        drop(state);
        let result = match shared.connection.stop_session(&shared.session) {
            Err(e) if matches!(e.status(), Status::Conflict | Status::NotFound) => Ok(()),
            other => other,
        };
        let mut state = lock(&shared.state);
        if result.is_ok() {
            state.stopped = true;
            shared.work.notify_one();
        }
        let result = match result {
            Err(e) if state.closing => Err(e.cancelled("the roster reporter was closed")),
            other => other,
        };
        shared.leave(state);
        result
    }

    /// [`close`](Self::close), unless this is a forked child (see `Drop`).
    pub(crate) fn close_if_here(&self) {
        if self.origin.is_here() {
            self.close();
        }
    }

    /// Stops the reporter for good without releasing it: interrupts what is on the wire, wakes
    /// and waits for callers inside `flush` or `stop_session` (they fail with `Cancelled`), and
    /// joins the worker; later reports fail with `Cancelled`. Idempotent; a drop does it too.
    /// Must not be called from the failure callback.
    pub fn close(&self) {
        let shared = &self.shared;
        {
            let mut state = lock(&shared.state);
            state.closing = true;
            shared.cancel.cancel();
            shared.connection.shutdown();
            shared.work.notify_all();
            shared.changed.notify_all();
            while state.inside > 0 {
                state = shared
                    .changed
                    .wait(state)
                    .unwrap_or_else(|e| e.into_inner());
            }
        }
        if let Some(worker) = lock(&self.worker).take() {
            if worker.thread().id() != std::thread::current().id() {
                let _ = worker.join();
            }
        }
    }
}

impl Drop for RosterReporter {
    fn drop(&mut self) {
        if self.origin.is_here() {
            self.close();
        } else {
            // A forked child: the worker and the connection are the parent's (see Origin).
            let shared = self.shared.clone();
            std::mem::forget(shared);
            if let Some(worker) = self.worker.get_mut().ok().and_then(Option::take) {
                std::mem::forget(worker);
            }
        }
    }
}

/// What a batch's call amounted to.
enum Verdict {
    Outcome(Outcome),
    /// Failed without an answer worth trusting; sent again after a wait.
    Retry(Error),
    Refused(Error),
}

fn verdict(kind: Kind, result: Result<(), Error>) -> Verdict {
    let error = match result {
        Ok(()) => return Verdict::Outcome(Outcome::Done),
        Err(error) => error,
    };
    match error.status() {
        // Already joined / already gone: what was asked for is so.
        Status::Conflict => Verdict::Outcome(Outcome::Done),
        Status::NotFound if kind == Kind::Leave => Verdict::Outcome(Outcome::Done),
        // A 2xx whose body could not be read: the server applied it.
        Status::Decode => Verdict::Outcome(Outcome::Done),
        // A timeout or a close may or may not have reached the server.
        Status::Timeout | Status::Cancelled => Verdict::Retry(error),
        _ if is_transient(&error) => Verdict::Retry(error),
        _ => Verdict::Refused(error),
    }
}

impl Shared {
    fn enter(&self) -> Result<MutexGuard<'_, State>, Error> {
        let mut state = lock(&self.state);
        if state.closing {
            return Err(closed());
        }
        state.inside += 1;
        Ok(state)
    }

    fn leave(&self, mut state: MutexGuard<'_, State>) {
        state.inside -= 1;
        if state.closing {
            self.changed.notify_all();
        }
    }

    fn flush_in<'a>(
        &'a self,
        mut state: MutexGuard<'a, State>,
        deadline: Option<Instant>,
    ) -> (MutexGuard<'a, State>, Result<(), Error>) {
        state.flushing += 1;
        self.work.notify_one();
        let result = loop {
            if state.closing {
                break Err(state_error(
                    Status::Cancelled,
                    "the roster reporter was closed during the flush",
                ));
            }
            // A resync asked for may clear the failure: it is waited for first.
            if let (Some(failure), false, false) =
                (&state.failure, state.resync_wanted, state.delivering)
            {
                break Err(failure.clone());
            }
            if state.book.pending() == 0 && !state.resync_wanted {
                break Ok(());
            }
            let now = Instant::now();
            let wait = match deadline {
                Some(deadline) if now >= deadline => {
                    break Err(Error::new(
                        Status::Timeout,
                        format!(
                            "the flush timed out with {} players still waiting to be reported",
                            state.book.pending()
                        ),
                    ));
                }
                Some(deadline) => deadline - now,
                None => Duration::from_secs(3600),
            };
            state = self
                .changed
                .wait_timeout(state, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        };
        state.flushing -= 1;
        (state, result)
    }

    /// The worker's loop: until the reporter closes.
    fn run(&self) {
        let policy = match self.connection.retry_policy() {
            // The reporter never gives up on what it owes; without a policy it backs off as the
            // default one does.
            p if p.retries == 0 || p.base_delay.is_zero() => RetryPolicy::DEFAULT,
            p => p,
        };
        let mut failures = 0u32;
        let mut state = lock(&self.state);
        loop {
            if state.closing {
                return;
            }
            if state.resync_wanted && !state.stopped {
                drop(state);
                let result = self.connection.describe_session(&self.session);
                state = lock(&self.state);
                match result {
                    Ok(session) => {
                        let joined = session.players().map(|p| p.joined.iter());
                        state.book.resync(joined.into_iter().flatten());
                        state.failure = None;
                        state.resync_wanted = false;
                        state.queued_since = (state.book.queued() > 0).then(Instant::now);
                        failures = 0;
                        self.changed.notify_all();
                        continue;
                    }
                    Err(error) => match verdict(Kind::Join, Err(error)) {
                        Verdict::Retry(error) => {
                            failures += 1;
                            state = self.back_off(state, &policy, failures, &error);
                            continue;
                        }
                        Verdict::Refused(error) => {
                            state.resync_wanted = false;
                            state = self.fail(state, error);
                            continue;
                        }
                        Verdict::Outcome(_) => unreachable!("a describe error is never done"),
                    },
                }
            }
            let due = match state.queued_since {
                _ if state.failure.is_some() || state.stopped => None,
                None => None,
                Some(_) if state.flushing > 0 => Some(Duration::ZERO),
                Some(_) if state.book.queued() >= self.options.batch_size => Some(Duration::ZERO),
                Some(since) => Some(self.options.batch_interval.saturating_sub(since.elapsed())),
            };
            match due {
                None => {
                    state = self.work.wait(state).unwrap_or_else(|e| e.into_inner());
                    continue;
                }
                Some(wait) if !wait.is_zero() => {
                    state = self
                        .work
                        .wait_timeout(state, wait)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                    continue;
                }
                Some(_) => {}
            }
            let (joins, leaves) = state.book.take(self.options.batch_size);
            if state.book.queued() == 0 {
                state.queued_since = None;
            }
            if joins.is_empty() && leaves.is_empty() {
                continue;
            }
            drop(state);
            let mut verdicts = Vec::with_capacity(2);
            if !joins.is_empty() {
                let result = self.connection.join_session(&self.session, &joins);
                verdicts.push((Kind::Join, joins, verdict(Kind::Join, result.map(drop))));
            }
            if !leaves.is_empty() {
                let result = self.connection.leave_session(&leaves);
                verdicts.push((Kind::Leave, leaves, verdict(Kind::Leave, result.map(drop))));
            }
            state = lock(&self.state);
            let mut retry = None;
            let mut refused = None;
            for (kind, ids, verdict) in verdicts {
                let outcome = match verdict {
                    Verdict::Outcome(outcome) => outcome,
                    Verdict::Retry(error) => {
                        retry.get_or_insert(error);
                        Outcome::Unknown
                    }
                    Verdict::Refused(error) => {
                        refused.get_or_insert(error);
                        Outcome::Refused
                    }
                };
                state.book.settle(kind, &ids, outcome);
            }
            if state.book.queued() > 0 && state.queued_since.is_none() {
                state.queued_since = Some(Instant::now());
            }
            self.changed.notify_all();
            if let Some(error) = refused {
                state = self.fail(state, error);
            } else if let Some(error) = retry {
                failures += 1;
                state = self.back_off(state, &policy, failures, &error);
            } else {
                failures = 0;
            }
        }
    }

    /// Waits before sending again after `failures` failures in a row without an answer: the
    /// `Retry-After` the server asked for, else the policy's backoff, never past
    /// `MAX_RETRY_WAIT`. A close cuts it short.
    fn back_off<'a>(
        &'a self,
        state: MutexGuard<'a, State>,
        policy: &RetryPolicy,
        failures: u32,
        error: &Error,
    ) -> MutexGuard<'a, State> {
        if state.closing {
            return state;
        }
        drop(state);
        let wait = error
            .retry_after()
            .unwrap_or_else(|| policy.backoff(failures))
            .min(MAX_RETRY_WAIT);
        self.cancel.sleep(wait);
        lock(&self.state)
    }

    /// Records a permanent failure and tells the callback (outside the lock).
    fn fail<'a>(&'a self, mut state: MutexGuard<'a, State>, error: Error) -> MutexGuard<'a, State> {
        if state.closing {
            return state;
        }
        state.failure = Some(error.clone());
        let Some(callback) = &self.options.on_failure else {
            self.changed.notify_all();
            return state;
        };
        state.delivering = true;
        drop(state);
        callback(&error);
        let mut state = lock(&self.state);
        state.delivering = false;
        self.changed.notify_all();
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked() {
        let mut options = ReporterOptions::new();
        assert!(options.set_batch_size(0).is_err());
        assert!(options.set_batch_size(MAX_BATCH_SIZE + 1).is_err());
        assert!(options.set_max_pending(0).is_err());
        assert!(options.set_batch_interval(Duration::from_secs(61)).is_err());
        options
            .set_batch_size(1)
            .unwrap()
            .set_max_pending(5)
            .unwrap();
        assert_eq!((options.batch_size, options.max_pending), (1, 5));
    }

    #[test]
    fn verdicts() {
        let err = |status| Err(Error::new(status, "x"));
        assert!(matches!(
            verdict(Kind::Join, err(Status::Conflict)),
            Verdict::Outcome(Outcome::Done)
        ));
        assert!(matches!(
            verdict(Kind::Leave, err(Status::NotFound)),
            Verdict::Outcome(Outcome::Done)
        ));
        assert!(matches!(
            verdict(Kind::Join, err(Status::NotFound)),
            Verdict::Refused(_)
        ));
        for status in [
            Status::Unauthorized,
            Status::Forbidden,
            Status::InvalidRequest,
        ] {
            assert!(matches!(
                verdict(Kind::Leave, err(status)),
                Verdict::Refused(_)
            ));
        }
        for status in [
            Status::Server,
            Status::Transport,
            Status::RateLimited,
            Status::Timeout,
        ] {
            assert!(matches!(
                verdict(Kind::Join, err(status)),
                Verdict::Retry(_)
            ));
        }
    }
}
