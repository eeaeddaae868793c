//! The jobs around the calls: waiting until a session runs or has ended (alone, or after
//! starting or stopping it, under one deadline), and watching a list of sessions change. Built
//! on the operations of [`Client`]; each wait is blocking or non-blocking like every operation.
//!
//! The poll schedule of a wait ([`POLL_FLOOR`], [`POLL_CEILING`]): a look at once, then after
//! 250 ms, 500 ms, 1 s, and every 2 s after that; never two looks closer than 250 ms, never
//! sooner than a `Retry-After` asked; the last look at least 250 ms before the deadline.

mod schedule;
mod wait;
mod watch;

use std::time::Duration;

pub use schedule::{LAST_LOOK_MARGIN, POLL_CEILING, POLL_FLOOR};
pub use wait::SessionState;
pub use watch::{
    Changes, Watch, WatchEvent, WatchEventKind, WatchOptions, DEFAULT_WATCH_INTERVAL,
    MIN_WATCH_INTERVAL,
};

use crate::client::{Client, Connection, Error, Request, RequestState, StartOptions};
use crate::model::DescribedSession;

impl Client {
    /// Waits until session `id` reaches `state` or `timeout` passes (zero: one look, no wait),
    /// describing it on the poll schedule (`GET /session/{id}`; scope `session:read`).
    ///
    /// `Ok` holds the session as last seen: running (with host and ports), or ended ("exited",
    /// "dead"); `None` when waiting for `Ended` and it is gone. Fails with `Timeout` when the
    /// deadline passed (or the failure every look kept getting), `NotFound` when no such session
    /// ever showed, `SessionEnded` when waiting for `Running` and it ended first, `Cancelled` when
    /// the client was freed, or the API's own failure (401, 403, …).
    pub fn wait_for_session(
        &self,
        id: &str,
        state: SessionState,
        timeout: Duration,
    ) -> Result<Option<DescribedSession>, Error> {
        self.blocking(|c, _| c.wait_for_session(id, state, timeout, false))
    }

    /// Starts a session (safely, as [`Client::start_session`]), then waits until it runs;
    /// `timeout` covers both. Every failure once the start may have reached the server reports
    /// the session id it sent ([`Error::session_id`]): the session may exist, and only the
    /// caller knows whether to stop it.
    pub fn start_session_and_wait(
        &self,
        options: &StartOptions,
        timeout: Duration,
    ) -> Result<DescribedSession, Error> {
        self.blocking(|c, _| c.start_session_and_wait(options, timeout))
    }

    /// Stops a session, then waits until it has ended (after which its artifacts can be
    /// downloaded); `timeout` covers both. One that had stopped already is waited for all the
    /// same; `NotFound` when there is no such session.
    pub fn stop_session_and_wait(&self, id: &str, timeout: Duration) -> Result<(), Error> {
        self.blocking(|c, _| c.stop_session_and_wait(id, timeout))
    }

    /// [`Client::wait_for_session`] without blocking: `done` runs once with the result. A
    /// cancel ([`Request::cancel`]) ends it at once, also between looks. It waits on a thread of
    /// its own, never on a worker that short calls need.
    pub fn wait_for_session_async(
        &self,
        id: &str,
        state: SessionState,
        timeout: Duration,
        done: impl FnOnce(Result<Option<DescribedSession>, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let job = jobs::wait_for_session(id.to_owned(), state, timeout);
        self.submit_long(job, move |_, result| done(result))
    }

    /// [`Client::start_session_and_wait`] without blocking. The id is fixed now (the caller's or
    /// a new UUIDv4), so it is known even when the request is cancelled.
    pub fn start_session_and_wait_async(
        &self,
        options: &StartOptions,
        timeout: Duration,
        done: impl FnOnce(Result<DescribedSession, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let job = jobs::start_session_and_wait(options, timeout);
        self.submit_long(job, move |_, result| done(result))
    }

    /// [`Client::stop_session_and_wait`] without blocking.
    pub fn stop_session_and_wait_async(
        &self,
        id: &str,
        timeout: Duration,
        done: impl FnOnce(Result<(), Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let job = jobs::stop_session_and_wait(id.to_owned(), timeout);
        self.submit_long(job, move |_, result| done(result))
    }
}

/// The jobs behind the non-blocking waits, shared with the C ABI.
pub(crate) mod jobs {
    use super::*;

    pub(crate) fn wait_for_session(
        id: String,
        state: SessionState,
        timeout: Duration,
    ) -> impl FnOnce(&Connection, &RequestState) -> Result<Option<DescribedSession>, Error>
           + Send
           + 'static {
        move |c: &Connection, _: &RequestState| c.wait_for_session(&id, state, timeout, false)
    }

    /// The id is fixed now, before the request is queued.
    pub(crate) fn start_session_and_wait(
        options: &StartOptions,
        timeout: Duration,
    ) -> impl FnOnce(&Connection, &RequestState) -> Result<DescribedSession, Error> + Send + 'static
    {
        let options = options.with_id();
        move |c: &Connection, state: &RequestState| {
            state.creates_session(options.id().unwrap_or_default());
            c.start_session_and_wait(&options, timeout)
        }
    }

    pub(crate) fn stop_session_and_wait(
        id: String,
        timeout: Duration,
    ) -> impl FnOnce(&Connection, &RequestState) -> Result<(), Error> + Send + 'static {
        move |c: &Connection, _: &RequestState| c.stop_session_and_wait(&id, timeout)
    }
}
