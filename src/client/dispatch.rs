//! Non-blocking calls: a bounded pool of worker threads per client runs requests; each request
//! ends in exactly one completion, delivered where the client's `Delivery` says.
//!
//! A request (`request.rs`) moves Queued → Running → Finished → Delivered once; whoever makes
//! the move to Finished (the worker with the result, a cancel, or the client shutting down)
//! queues the completion, so a request can never complete twice. The pool never sees a result's
//! type: a job hands back its completion ready to run, and a request carries the way to make a
//! failed one; the typed result goes straight from the job to the caller's callback
//! (`Client::submit`). Each worker runs requests on its own ureq agent: cancelling a running
//! request shuts that agent down, which interrupts its blocked I/O at once, and the worker starts
//! over with a fresh agent. All threads belong to the client and are joined when it is dropped;
//! none is started until the first non-blocking call.
//!
//! Two lanes (`Lane`): calls that end with one response share the pool's workers; transfers and
//! waits that may take minutes (downloads, start-and-wait, stop-and-wait, wait-for-session) each
//! run on a thread of their own, started for the request and ended with it, so however many of
//! them run, a stop never queues behind them. Their number is bounded by the in-flight limit.

use std::collections::{HashMap, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ureq::Agent;

use super::config::Delivery;
use super::request::{Cancel, Done, Failure, Job, Request, RequestState};
use super::{Connection, Core, Error};
use crate::sync::lock;
use crate::Status;

/// Which threads run a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lane {
    /// The pool's workers: a call that ends with one response.
    Short,
    /// A thread of its own: a transfer or a wait that may take minutes, which must never hold a
    /// worker a short call needs.
    Long,
}

struct Queue {
    items: VecDeque<Arc<RequestState>>,
    closed: bool,
}

/// What the client, its threads and request handles share.
pub(crate) struct Shared {
    core: Arc<Core>,
    /// The process the pool runs in: a request handle used in a forked child does nothing.
    pub(super) origin: super::Origin,
    delivery: Delivery,
    workers: usize,
    /// Requests held at once (queued, running, or awaiting delivery) before a submit is refused.
    max_in_flight: usize,
    next_id: AtomicU64,
    jobs: Mutex<Queue>,
    job_signal: Condvar,
    ready: Mutex<Queue>,
    ready_signal: Condvar,
    in_flight: Mutex<HashMap<u64, Arc<RequestState>>>,
}

impl Shared {
    /// Moves `state` to Finished and queues its completion: the job's (`Ok`), or one made from
    /// the error. Returns the agents it was running on, or `None` when it had finished already
    /// (then `outcome` is dropped).
    fn complete(
        &self,
        state: &Arc<RequestState>,
        outcome: Result<Done, Error>,
    ) -> Option<Vec<Agent>> {
        let agents = state.finish(outcome)?;
        self.queue_ready(state);
        Some(agents)
    }

    /// Queues a finished request's completion for delivery.
    fn queue_ready(&self, state: &Arc<RequestState>) {
        lock(&self.ready).items.push_back(state.clone());
        self.ready_signal.notify_all();
    }

    /// Cancels `state`: its completion says `Cancelled` with `reason`, and the connections it
    /// runs on are shut down, interrupting its I/O. False when it had finished already.
    pub(super) fn cancel(&self, state: &Arc<RequestState>, reason: &str) -> bool {
        // Finished (or marked) first, then wake the request: woken earlier, its worker could
        // finish it first and this cancel would wrongly report that it had finished already.
        let agents = match state.cancel(Error::new(Status::Cancelled, reason)) {
            Some(Cancel::Finished(agents)) => {
                self.queue_ready(state);
                agents
            }
            // Its job completes it (with `Cancelled`) once it has cleaned up.
            Some(Cancel::Deferred(agents)) => agents,
            None => return false,
        };
        state.wake_cancelled();
        for agent in agents {
            agent.shutdown();
        }
        true
    }

    /// Runs the completion of a finished request on this thread.
    fn deliver(&self, state: &RequestState) {
        lock(&self.in_flight).remove(&state.id);
        if let Some(completion) = state.take_completion() {
            // A panicking Rust callback must not take the delivering thread down.
            let _ = catch_unwind(AssertUnwindSafe(|| completion(state.id)));
        }
    }

    /// The next completion ready for delivery, taken off the queue (its lock released on return).
    fn next_ready(&self) -> Option<Arc<RequestState>> {
        lock(&self.ready).items.pop_front()
    }

    /// The next request to run; `None` once the pool is closing.
    fn next_job(&self) -> Option<Arc<RequestState>> {
        let mut jobs = lock(&self.jobs);
        loop {
            if jobs.closed {
                return None;
            }
            if let Some(state) = jobs.items.pop_front() {
                return Some(state);
            }
            jobs = self
                .job_signal
                .wait(jobs)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// A worker: runs requests on a connection of its own until the pool closes.
    fn work(self: Arc<Self>) {
        let mut connection = self.core.connection();
        while let Some(state) = self.next_job() {
            if !self.run(&state, &connection) {
                // Cancelled while running: the cancel shut this connection's agent down.
                connection = self.core.connection();
            }
        }
    }

    /// Runs one request on `connection` and completes it; false when a cancel shut the
    /// connection's agent down (it cannot be used again).
    fn run(&self, state: &Arc<RequestState>, connection: &Connection) -> bool {
        let Some(job) = state.start(&connection.agent) else {
            return true; // cancelled while queued
        };
        // The job's view of the connection carries the request's cancel token, so a cancel
        // also wakes it from a retry backoff.
        let for_job = Connection {
            cancel: Some(state.token.clone()),
            ..connection.clone()
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| job(&for_job, state))).map_err(|_| {
            Error::new(
                Status::Internal,
                "internal error in gameye (please report it): a request panicked",
            )
        });
        self.complete(state, outcome).is_some() && !state.is_cancelled()
    }

    /// Delivers completions on this library thread until the client shuts down and the
    /// queue is empty (`Delivery::CallbackThread`).
    fn deliver_forever(self: Arc<Self>) {
        loop {
            let state = {
                let mut ready = lock(&self.ready);
                loop {
                    if let Some(state) = ready.items.pop_front() {
                        break state;
                    }
                    if ready.closed {
                        return;
                    }
                    ready = self
                        .ready_signal
                        .wait(ready)
                        .unwrap_or_else(|e| e.into_inner());
                }
            };
            self.deliver(&state);
        }
    }
}

/// The client's threads: how many started, and whether the client is shutting down.
#[derive(Default)]
struct Threads {
    /// The workers' handles.
    handles: Vec<JoinHandle<()>>,
    /// The threads of long requests (`Lane::Long`), each ending with its request; those that
    /// ended are dropped at the next long submit.
    long: Vec<JoinHandle<()>>,
    /// The callback thread's, joined after the workers: a request whose job owns its completion
    /// (a download) completes on its worker during the shutdown, and is delivered there.
    callback: Option<JoinHandle<()>>,
    workers: usize,
    /// Set once by [`Dispatcher::shutdown`]: no thread starts and no request is queued after it.
    shut_down: bool,
    /// Test hook: after this many more spawns succeed, `failing_spawns` of them fail.
    #[cfg(feature = "mock")]
    spawns_before_failing: usize,
    /// Test hook: how many spawns fail, as if the system refused them.
    #[cfg(feature = "mock")]
    failing_spawns: usize,
}

impl Threads {
    /// Starts a thread of the pool and keeps its handle (shutdown joins it), or says why not.
    fn spawn(
        &mut self,
        name: &str,
        body: impl FnOnce() + Send + 'static,
    ) -> Result<JoinHandle<()>, Error> {
        let refused = |reason: &dyn std::fmt::Display| {
            Error::new(
                Status::Internal,
                format!(
                    "cannot start a gameye thread ({reason}); the request was not queued, and \
                     the next call tries again"
                ),
            )
        };
        #[cfg(feature = "mock")]
        if self.spawns_before_failing > 0 {
            self.spawns_before_failing -= 1;
        } else if self.failing_spawns > 0 {
            self.failing_spawns -= 1;
            return Err(refused(&"the test hook refused it"));
        }
        std::thread::Builder::new()
            .name(name.into())
            .spawn(body)
            .map_err(|e| refused(&e))
    }
}

/// The client's pool and queues.
pub(crate) struct Dispatcher {
    shared: Arc<Shared>,
    threads: Mutex<Threads>,
}

/// The error a request submitted once the client is being freed gets (nothing is queued).
fn refused_while_freeing() -> Error {
    Error::new(
        Status::Cancelled,
        "the client is being freed: no new request is accepted",
    )
}

impl Dispatcher {
    pub fn new(
        core: Arc<Core>,
        delivery: Delivery,
        workers: usize,
        max_in_flight: usize,
    ) -> Dispatcher {
        let queue = || {
            Mutex::new(Queue {
                items: VecDeque::new(),
                closed: false,
            })
        };
        Dispatcher {
            shared: Arc::new(Shared {
                core,
                origin: super::Origin::here(),
                delivery,
                workers,
                max_in_flight,
                next_id: AtomicU64::new(1),
                jobs: queue(),
                job_signal: Condvar::new(),
                ready: queue(),
                ready_signal: Condvar::new(),
                in_flight: Mutex::new(HashMap::new()),
            }),
            threads: Mutex::new(Threads::default()),
        }
    }

    /// Starts the threads still missing. The pool counts as started only when every thread
    /// runs: after a failed spawn the call fails, and the next one tries the missing threads
    /// again (those that did start wait for work and are joined on shutdown).
    fn ensure_started(&self) -> Result<(), Error> {
        let mut threads = lock(&self.threads);
        if threads.shut_down {
            return Err(refused_while_freeing());
        }
        let wants_callback_thread = self.shared.delivery == Delivery::CallbackThread;
        while threads.workers < self.shared.workers {
            let shared = self.shared.clone();
            let handle = threads.spawn("gameye-worker", move || shared.work())?;
            threads.handles.push(handle);
            threads.workers += 1;
        }
        if wants_callback_thread && threads.callback.is_none() {
            let shared = self.shared.clone();
            let handle = threads.spawn("gameye-callbacks", move || shared.deliver_forever())?;
            threads.callback = Some(handle);
        }
        Ok(())
    }

    /// Test hook: after `after` more thread spawns succeed, the next `count` fail.
    #[cfg(feature = "mock")]
    pub fn fail_thread_spawns(&self, after: usize, count: usize) {
        let mut threads = lock(&self.threads);
        threads.spawns_before_failing = after;
        threads.failing_spawns = count;
    }

    /// Whether every thread of the pool runs (tests).
    #[cfg(feature = "mock")]
    pub fn started_threads(&self) -> usize {
        let threads = lock(&self.threads);
        threads.handles.len() + usize::from(threads.callback.is_some())
    }

    /// Queues a request: `job` runs on a worker (`Lane::Short`) or a thread of its own
    /// (`Lane::Long`) and hands back its completion; `failure` makes the completion instead when
    /// the request ends without the job's answer. Exactly one of the two completions runs.
    pub fn submit(&self, lane: Lane, job: Job, failure: Failure) -> Result<Request, Error> {
        self.ensure_started()?;
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        let state = Arc::new(RequestState::new(id, job, failure));
        match lane {
            Lane::Short => {
                self.admit(&state, |jobs| jobs.items.push_back(state.clone()))?;
                self.shared.job_signal.notify_one();
            }
            Lane::Long => {
                // Under the threads' lock: a shutdown either joins this thread or refused the
                // request in `ensure_started`/`admit`.
                let mut threads = lock(&self.threads);
                if threads.shut_down {
                    return Err(refused_while_freeing());
                }
                self.admit(&state, |_| {})?;
                threads.long.retain(|thread| !thread.is_finished());
                let (shared, for_thread) = (self.shared.clone(), state.clone());
                let spawned = threads.spawn("gameye-transfer", move || {
                    shared.run(&for_thread, &shared.core.connection());
                });
                match spawned {
                    Ok(handle) => threads.long.push(handle),
                    Err(error) => {
                        lock(&self.shared.in_flight).remove(&id);
                        return Err(error);
                    }
                }
            }
        }
        Ok(Request::new(state, Arc::downgrade(&self.shared)))
    }

    /// Counts `state` in flight and hands the job queue to `queue`, refusing the request when
    /// the pool is closing or full. Checked and queued under one lock: a shutdown either sees
    /// the request in flight (and cancels it) or refuses it here; it is never queued unseen.
    fn admit(
        &self,
        state: &Arc<RequestState>,
        queue: impl FnOnce(&mut Queue),
    ) -> Result<(), Error> {
        let mut jobs = lock(&self.shared.jobs);
        if jobs.closed {
            return Err(refused_while_freeing());
        }
        let mut in_flight = lock(&self.shared.in_flight);
        if in_flight.len() >= self.shared.max_in_flight {
            return Err(Error::new(
                Status::RateLimited,
                format!(
                    "{} requests are in flight on this client, its limit: the request was not \
                     queued (poll to deliver completions, or raise the limit with \
                     gameye_client_config_set_max_in_flight)",
                    in_flight.len()
                ),
            ));
        }
        in_flight.insert(state.id, state.clone());
        drop(in_flight);
        queue(&mut jobs);
        Ok(())
    }

    /// Runs up to `max` ready completions on this thread (0: all that are ready); returns how
    /// many ran. Nothing to do in `Delivery::CallbackThread` mode.
    pub fn poll(&self, max: usize) -> usize {
        if self.shared.delivery != Delivery::Poll {
            return 0;
        }
        let mut delivered = 0;
        while max == 0 || delivered < max {
            // The queue's lock is released before the callback runs, so a callback may poll,
            // wait, submit or cancel.
            let Some(state) = self.shared.next_ready() else {
                break;
            };
            self.shared.deliver(&state);
            delivered += 1;
        }
        delivered
    }

    /// Waits up to `timeout` until a completion is ready for [`Dispatcher::poll`].
    pub fn wait(&self, timeout: Duration) -> bool {
        if self.shared.delivery != Delivery::Poll {
            return false;
        }
        let deadline = Instant::now() + timeout;
        let mut ready = lock(&self.shared.ready);
        while ready.items.is_empty() {
            if ready.closed {
                return false; // shutting down: nothing more will arrive
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            ready = self
                .shared
                .ready_signal
                .wait_timeout(ready, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    /// Cancels the request `id`; false when no such request is in flight.
    pub fn cancel(&self, id: u64) -> bool {
        let state = lock(&self.shared.in_flight).get(&id).cloned();
        state.is_some_and(|state| self.shared.cancel(&state, "the request was cancelled"))
    }

    /// The number of worker threads.
    pub fn workers(&self) -> usize {
        self.shared.workers
    }

    /// The bound on requests in flight.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight
    }

    /// Where completions run.
    pub fn delivery(&self) -> Delivery {
        self.shared.delivery
    }

    /// Requests submitted whose completion has not run yet.
    pub fn in_flight(&self) -> usize {
        lock(&self.shared.in_flight).len()
    }
}

impl Dispatcher {
    /// Shuts down: refuses new requests, completes every request still in flight with
    /// `Cancelled`, joins the threads, and runs every completion not yet delivered (on this
    /// thread in poll mode, on the callback thread otherwise) before it returns. None runs
    /// afterwards. A completion that runs meanwhile may poll, wait, cancel, or submit (which is
    /// refused with `Cancelled`). Idempotent.
    pub fn shutdown(&self) {
        let (workers, long, callback) = {
            let mut threads = lock(&self.threads);
            if threads.shut_down {
                return;
            }
            threads.shut_down = true;
            (
                std::mem::take(&mut threads.handles),
                std::mem::take(&mut threads.long),
                threads.callback.take(),
            )
        };
        lock(&self.shared.jobs).closed = true;
        self.shared.job_signal.notify_all();
        let in_flight: Vec<_> = lock(&self.shared.in_flight).values().cloned().collect();
        for state in in_flight {
            self.shared
                .cancel(&state, "the client was freed before the request finished");
        }
        let me = std::thread::current().id();
        // A thread cannot join itself (a callback that frees its own client, which the header
        // forbids): left to end on its own rather than deadlocking.
        let join = |handle: JoinHandle<()>| {
            if handle.thread().id() != me {
                let _ = handle.join();
            }
        };
        // The workers and long threads first: a job that owns its completion queues it as it
        // ends.
        workers.into_iter().chain(long).for_each(join);
        lock(&self.shared.ready).closed = true;
        self.shared.ready_signal.notify_all();
        callback.into_iter().for_each(join);
        // Poll mode (or a callback thread that never started): deliver the rest here.
        while let Some(state) = self.shared.next_ready() {
            self.shared.deliver(&state);
        }
    }
}

impl Drop for Dispatcher {
    fn drop(&mut self) {
        self.shutdown();
    }
}
