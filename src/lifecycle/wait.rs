//! Waiting for a session: until it runs or until it has ended, within a deadline, by describing
//! it on the `schedule`. Start-and-wait and stop-and-wait are the call, then the wait, under one
//! deadline.
//!
//! How a look is read:
//! - "running" reaches `Running`; "exited" or "dead" reaches `Ended` and, waiting for `Running`,
//!   is `SessionEnded` (it died while starting, or was stopped or exited first);
//! - 404 for a session known to exist (seen earlier in this wait, or just started or stopped by
//!   it) means it is gone: `Ended` is reached (with no session), `Running` is `SessionEnded`;
//!   404 for one never seen is `NotFound`;
//! - any other status ("created", "restarting", "draining", …, or none) means look again;
//! - a failure that may pass (transport, 5xx, 420/429, a look cut short by the deadline) means
//!   look again, after any `Retry-After` it carried; any other failure ends the wait with it.
//!
//! At the deadline the wait fails with `Timeout`, or with the last look's failure when the
//! looks were failing. Each look is one attempt: the schedule is the wait's only retry.

use std::time::{Duration, Instant};

use super::schedule::{Schedule, LAST_LOOK_MARGIN, POLL_FLOOR};
use crate::client::{is_transient, path_with, Connection, Error, StartOptions};
use crate::model::DescribedSession;
use crate::Status;

/// The state a wait waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum SessionState {
    /// Status "running": players can connect to its host and ports.
    Running = 1,
    /// Gone from the active list, or status "exited" or "dead".
    Ended = 2,
}

impl SessionState {
    /// The state for a raw value (`GAMEYE_SESSION_STATE_*`), `None` for any other.
    pub fn from_code(code: i32) -> Option<SessionState> {
        match code {
            1 => Some(SessionState::Running),
            2 => Some(SessionState::Ended),
            _ => None,
        }
    }

    fn word(self) -> &'static str {
        match self {
            SessionState::Running => "running",
            SessionState::Ended => "ended",
        }
    }
}

/// Whether a status is one a session never leaves.
fn is_terminal(status: &str) -> bool {
    matches!(status, "exited" | "dead")
}

/// What one look says.
enum Look {
    Reached(Option<Box<DescribedSession>>),
    Ended(String),
    Pending,
}

/// A wait in progress: what it has seen so far.
struct Wait<'a> {
    id: &'a str,
    state: SessionState,
    timeout: Duration,
    /// The session is known to exist (seen, or just started or stopped by this call).
    known: bool,
    last_status: Option<String>,
    /// The last look's failure, when it failed in a way that may pass.
    last_failure: Option<Error>,
}

impl Wait<'_> {
    fn read(&mut self, look: Result<DescribedSession, Error>) -> Result<Look, Error> {
        let session = match look {
            Ok(session) => session,
            Err(error) if error.status() == Status::NotFound && self.known => {
                return Ok(match self.state {
                    SessionState::Ended => Look::Reached(None),
                    SessionState::Running => Look::Ended("it is gone".into()),
                });
            }
            Err(error) if error.status() == Status::NotFound => {
                return Err(error.with_hint(
                    "No session with this id exists: it never did, or it ended long enough ago \
                     to be forgotten.",
                ));
            }
            Err(error) if is_transient(&error) || error.status() == Status::Timeout => {
                self.last_failure = Some(error);
                return Ok(Look::Pending);
            }
            Err(error) => return Err(error),
        };
        self.known = true;
        self.last_failure = None;
        let status = session.status().unwrap_or_default();
        Ok(match (self.state, status) {
            (SessionState::Running, "running") => Look::Reached(Some(Box::new(session))),
            (SessionState::Ended, s) if is_terminal(s) => Look::Reached(Some(Box::new(session))),
            (SessionState::Running, s) if is_terminal(s) => {
                Look::Ended(format!("its status is {s:?}"))
            }
            _ => {
                self.last_status = session.status().map(str::to_owned);
                Look::Pending
            }
        })
    }

    /// The wait's end at its deadline: `Timeout`, or the failure the looks kept getting.
    fn timed_out(&mut self) -> Error {
        match self.last_failure.take() {
            Some(failure) if failure.status() != Status::Timeout => failure.with_hint(&format!(
                "Every look at the session failed until the wait's deadline ({} ms).",
                self.timeout.as_millis()
            )),
            _ => {
                let seen = match &self.last_status {
                    Some(status) => format!("its status was {status:?}"),
                    None if self.known => "it had no status".to_owned(),
                    None => "no look was answered".to_owned(),
                };
                Error::new(
                    Status::Timeout,
                    format!(
                        "session {:?} was not {} within {} ms ({seen})",
                        self.id,
                        self.state.word(),
                        self.timeout.as_millis()
                    ),
                )
            }
        }
    }

    fn ended(&self, how: &str) -> Error {
        Error::new(
            Status::SessionEnded,
            format!("session {:?} ended before it was running: {how}", self.id),
        )
    }
}

fn cancelled() -> Error {
    Error::new(Status::Cancelled, "the wait was cancelled")
}

impl Connection {
    /// Waits until session `id` reaches `state`, or `timeout` passes (zero: one look, no wait).
    /// `known`: the caller knows the session exists (it just started or stopped it), so a 404
    /// means it is gone rather than that it never existed. Cancelled by this connection's
    /// cancel token (a cancelled request, a client being freed).
    pub(crate) fn wait_for_session(
        &self,
        id: &str,
        state: SessionState,
        timeout: Duration,
        known: bool,
    ) -> Result<Option<DescribedSession>, Error> {
        self.wait_until(id, state, Instant::now() + timeout, timeout, known)
    }

    /// The wait, ending by `deadline`; `timeout` is what the caller asked for (zero: one look).
    fn wait_until(
        &self,
        id: &str,
        state: SessionState,
        deadline: Instant,
        timeout: Duration,
        known: bool,
    ) -> Result<Option<DescribedSession>, Error> {
        path_with("/session/", id, "the session id")?;
        // One look with no wait gets the client's timeout; otherwise no look outlasts the wait.
        let looks = if timeout.is_zero() {
            self.once()
        } else {
            self.until(deadline).once()
        };
        let mut wait = Wait {
            id,
            state,
            timeout,
            known,
            last_status: None,
            last_failure: None,
        };
        let mut schedule = Schedule::default();
        loop {
            let look = looks.describe_session(id);
            if look
                .as_ref()
                .is_err_and(|e| e.status() == Status::Cancelled)
            {
                return Err(look.err().unwrap_or_else(cancelled));
            }
            match wait.read(look)? {
                Look::Reached(session) => return Ok(session.map(|s| *s)),
                Look::Ended(how) => return Err(wait.ended(&how)),
                Look::Pending => {}
            }
            let asked = wait.last_failure.as_ref().and_then(Error::retry_after);
            let now = Instant::now();
            if timeout.is_zero() || now >= deadline {
                return Err(wait.timed_out());
            }
            if asked.is_some_and(|asked| now + asked >= deadline) {
                // The server asks for a pause past the deadline: its answer is the result.
                return Err(wait.last_failure.take().map_or_else(
                    || wait.timed_out(),
                    |e| {
                        e.with_hint(
                            "The server asked for a pause that ends after the wait's deadline.",
                        )
                    },
                ));
            }
            let earliest = now + asked.unwrap_or_default().max(POLL_FLOOR);
            let mut next = now + schedule.pause(asked);
            if next + LAST_LOOK_MARGIN > deadline {
                // The last look: as late as leaves its answer time to arrive.
                next = deadline
                    .checked_sub(LAST_LOOK_MARGIN)
                    .unwrap_or(now)
                    .max(earliest);
                if next >= deadline {
                    // No look fits before the deadline: it is reported when it has passed.
                    if !self.pause_until(deadline) {
                        return Err(cancelled());
                    }
                    return Err(wait.timed_out());
                }
            }
            if !self.pause_until(next) {
                return Err(cancelled());
            }
        }
    }

    /// Starts a session, then waits until it runs; `timeout` covers both. Every failure after
    /// the start may have reached the server reports the id it sent ([`Error::session_id`]).
    pub(crate) fn start_session_and_wait(
        &self,
        options: &StartOptions,
        timeout: Duration,
    ) -> Result<DescribedSession, Error> {
        let deadline = Instant::now() + timeout;
        let options = options.with_id();
        let id = options.id().unwrap_or_default().to_owned();
        let bounded = if timeout.is_zero() {
            self.clone()
        } else {
            self.until(deadline)
        };
        bounded.start_session(&options)?;
        match self.wait_until(&id, SessionState::Running, deadline, timeout, true) {
            Ok(Some(session)) => Ok(session),
            Ok(None) => Err(Error::new(
                Status::Internal,
                "internal error in gameye (please report it): a wait for a running session \
                 ended without one",
            )
            .with_session_id(&id)),
            Err(error) => Err(error.with_session_id(&id).with_hint(
                "The session was started: stop it (its id is in this error) if it is not wanted.",
            )),
        }
    }

    /// Stops a session, then waits until it has ended; `timeout` covers both. A session that
    /// had stopped already (409) is waited for all the same.
    pub(crate) fn stop_session_and_wait(&self, id: &str, timeout: Duration) -> Result<(), Error> {
        let deadline = Instant::now() + timeout;
        let bounded = if timeout.is_zero() {
            self.clone()
        } else {
            self.until(deadline)
        };
        match bounded.stop_session(id) {
            Err(error) if error.status() != Status::Conflict => return Err(error),
            _ => {}
        }
        self.wait_until(id, SessionState::Ended, deadline, timeout, true)
            .map(drop)
    }
}
