//! One non-blocking request: its state machine, Queued → Running → Finished → Delivered, one
//! `Phase` under one lock. Each move happens once, so a request can never complete twice; the
//! pool (`dispatch`) moves requests between its queues and runs what each move hands back.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use ureq::Agent;

use super::dispatch::Shared;
use super::retry::CancelToken;
use super::{Connection, Error};
use crate::sync::lock;

/// A finished request's completion, ready to run on the delivering thread with the request's id.
pub(crate) type Done = Box<dyn FnOnce(u64) + Send>;
/// The work of one request, run on a worker: its completion (success or failure alike).
pub(crate) type Job = Box<dyn FnOnce(&Connection, &RequestState) -> Done + Send>;
/// Makes the completion of a request that ends without its job's answer: cancelled, freed with
/// the client, or panicked.
pub(crate) type Failure = Box<dyn FnOnce(Error) -> Done + Send>;

/// Where a request is: the whole state machine, under one lock.
enum Phase {
    Queued {
        job: Job,
        failure: Failure,
    },
    Running {
        /// The agents a cancel shuts down: the worker's, and any the job registered.
        agents: Vec<Agent>,
        failure: Failure,
        /// The job completes the request itself, even when cancelled (see `own_completion`).
        owned: bool,
        /// The job has passed its commit point: a cancel comes too late.
        committed: bool,
    },
    /// Waiting for delivery.
    Finished(Done),
    Delivered,
}

/// One request, shared by its handle, the queues and the worker running it.
pub(crate) struct RequestState {
    pub(super) id: u64,
    phase: Mutex<Phase>,
    cancelled: AtomicBool,
    /// Wakes the request from a retry backoff when it is cancelled.
    pub(super) token: CancelToken,
    received: AtomicU64,
    total: AtomicU64, // u64::MAX: unknown
    /// The session the job may create from now on (a start's id): an end without the job's
    /// answer (a cancel) names it, since the start may have reached the server.
    creates: OnceLock<String>,
}

impl RequestState {
    /// A queued request: `job` runs on a worker; `failure` makes its completion instead when it
    /// ends without the job's answer.
    pub(super) fn new(id: u64, job: Job, failure: Failure) -> RequestState {
        RequestState {
            id,
            phase: Mutex::new(Phase::Queued { job, failure }),
            cancelled: AtomicBool::new(false),
            token: CancelToken::default(),
            received: AtomicU64::new(0),
            total: AtomicU64::new(u64::MAX),
            creates: OnceLock::new(),
        }
    }

    /// Called by a start's job before it sends: from now on the request may create session
    /// `id`, and a failure that ends it without the job's answer (a cancel) names that id.
    pub(crate) fn creates_session(&self, id: &str) {
        let _ = self.creates.set(id.to_owned());
    }

    /// `error`, naming the session this request may have created (when it names none yet).
    fn naming_its_session(&self, error: Error) -> Error {
        match self.creates.get() {
            Some(id) if error.session_id().is_none() => error.with_session_id(id),
            _ => error,
        }
    }

    /// Queued → Running on `agent`: the job to run, or `None` when it was cancelled first.
    pub(super) fn start(&self, agent: &Agent) -> Option<Job> {
        let mut phase = lock(&self.phase);
        match std::mem::replace(&mut *phase, Phase::Delivered) {
            Phase::Queued { job, failure } => {
                let agents = vec![agent.clone()];
                *phase = Phase::Running {
                    agents,
                    failure,
                    owned: false,
                    committed: false,
                };
                Some(job)
            }
            other => {
                *phase = other;
                None
            }
        }
    }

    /// → Finished, with the job's completion (`Ok`) or one made from the error. Returns the
    /// agents it was running on (for a cancel to shut down), or `None` when it had finished
    /// already (then `outcome` is dropped).
    pub(super) fn finish(&self, outcome: Result<Done, Error>) -> Option<Vec<Agent>> {
        let mut phase = lock(&self.phase);
        let (agents, failure) = match std::mem::replace(&mut *phase, Phase::Delivered) {
            Phase::Queued { failure, .. } => (Vec::new(), failure),
            Phase::Running {
                agents, failure, ..
            } => (agents, failure),
            finished => {
                *phase = finished;
                return None;
            }
        };
        *phase = Phase::Finished(match outcome {
            Ok(done) => done,
            Err(error) => failure(self.naming_its_session(error)),
        });
        Some(agents)
    }

    /// A cancel: a queued or running request is Finished with `error` at once (the agents it ran
    /// on are returned, to shut down); one whose job owns its completion is only marked cancelled,
    /// and its job completes it once it has cleaned up. `None` when it had finished already, or
    /// its job had passed its commit point.
    pub(super) fn cancel(&self, error: Error) -> Option<Cancel> {
        let phase = lock(&self.phase);
        if let Phase::Running {
            agents,
            owned: true,
            committed,
            ..
        } = &*phase
        {
            if *committed {
                return None;
            }
            // Under the lock, so that `commit` sees it.
            self.cancelled.store(true, Ordering::Release);
            return Some(Cancel::Deferred(agents.clone()));
        }
        drop(phase);
        self.finish(Err(error)).map(Cancel::Finished)
    }

    /// Called by a job that must complete its request itself, after cleaning up what it made (a
    /// download's partial file), even when it is cancelled: from now on a cancel only marks it.
    /// False when it was cancelled already (it has made nothing yet, and its result is dropped).
    pub(crate) fn own_completion(&self) -> bool {
        match &mut *lock(&self.phase) {
            Phase::Running { owned, .. } => {
                *owned = true;
                true
            }
            _ => false,
        }
    }

    /// A job that owns its completion reaches the point after which it cannot be undone (a
    /// download moves its file into place): true to go on, after which a cancel comes too late;
    /// false when it was cancelled first.
    pub(crate) fn commit(&self) -> bool {
        let mut phase = lock(&self.phase);
        match &mut *phase {
            Phase::Running { committed, .. } if !self.cancelled.load(Ordering::Acquire) => {
                *committed = true;
                true
            }
            _ => false,
        }
    }

    /// Finished → Delivered: the completion to run, once.
    pub(super) fn take_completion(&self) -> Option<Done> {
        match std::mem::replace(&mut *lock(&self.phase), Phase::Delivered) {
            Phase::Finished(completion) => Some(completion),
            _ => None,
        }
    }

    /// Marks it cancelled and wakes it from a retry backoff (after `finish`, see `Shared::cancel`).
    pub(super) fn wake_cancelled(&self) {
        self.cancelled.store(true, Ordering::Release);
        self.token.cancel();
    }

    /// Whether it has finished (its completion may still wait for delivery).
    pub(super) fn is_finished(&self) -> bool {
        matches!(*lock(&self.phase), Phase::Finished(_) | Phase::Delivered)
    }

    /// Whether a worker is running it.
    #[cfg(test)]
    pub(super) fn is_running(&self) -> bool {
        matches!(*lock(&self.phase), Phase::Running { .. })
    }

    /// Bytes received so far and the total when known.
    pub(super) fn progress(&self) -> (u64, Option<u64>) {
        let total = self.total.load(Ordering::Acquire);
        (
            self.received.load(Ordering::Acquire),
            (total != u64::MAX).then_some(total),
        )
    }

    /// Whether the request was cancelled (jobs that loop check it).
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }

    /// Records download progress, readable through `Request::progress`.
    pub(crate) fn set_progress(&self, received: u64, total: Option<u64>) {
        self.received.store(received, Ordering::Release);
        self.total
            .store(total.unwrap_or(u64::MAX), Ordering::Release);
    }

    /// Makes a cancel also shut down `agent` (a job that opens a connection of its own).
    pub(crate) fn register_agent(&self, agent: &Agent) {
        let mut phase = lock(&self.phase);
        match &mut *phase {
            Phase::Running { agents, .. } => agents.push(agent.clone()),
            _ => {
                drop(phase);
                agent.clone().shutdown();
            }
        }
    }
}

/// What a cancel did to a running request.
pub(super) enum Cancel {
    /// Finished now: its completion is queued; the agents it ran on.
    Finished(Vec<Agent>),
    /// Marked: its job completes it once it has cleaned up; the agents it runs on.
    Deferred(Vec<Agent>),
}

/// A handle to a non-blocking request: its id, cancellation and progress. Dropping it does not
/// cancel the request. It may outlive the client (then it only reports that the request is done).
#[derive(Clone)]
pub struct Request {
    state: Arc<RequestState>,
    shared: Weak<Shared>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("id", &self.state.id)
            .finish()
    }
}

impl Request {
    pub(super) fn new(state: Arc<RequestState>, shared: Weak<Shared>) -> Request {
        Request { state, shared }
    }

    /// The request's id, unique within its client (ids start at 1).
    pub fn id(&self) -> u64 {
        self.state.id
    }

    /// Cancels the request: it completes promptly with `Status::Cancelled`, and a running one
    /// has its connection closed. False when it had finished already. Thread-safe.
    pub fn cancel(&self) -> bool {
        match self.shared.upgrade() {
            Some(shared) if shared.origin.is_here() => {
                shared.cancel(&self.state, "the request was cancelled")
            }
            _ => false,
        }
    }

    /// Whether the request has finished (its completion may still wait for delivery). In a
    /// forked child it is true without a look: nothing more happens to it there, and the lock it
    /// would take may be held for ever by a thread of the parent's.
    pub fn is_finished(&self) -> bool {
        let forked = self
            .shared
            .upgrade()
            .is_some_and(|shared| !shared.origin.is_here());
        forked || self.state.is_finished()
    }

    /// Whether a worker has started running it (tests wait for that before cancelling).
    #[cfg(test)]
    pub(crate) fn progress_started_for_test(&self) -> bool {
        self.state.is_running()
    }

    /// Bytes received so far and the total when known (artifact downloads).
    pub fn progress(&self) -> (u64, Option<u64>) {
        self.state.progress()
    }
}
