//! The non-blocking form of every operation, and the pump that delivers their completions.
//! Each call queues the request on the client's worker pool and returns a [`Request`] at once;
//! `done` runs exactly once with the result, on the thread the client's `Delivery` names.

use std::path::PathBuf;
use std::time::Duration;

use std::sync::{Arc, Mutex};

use super::dispatch::Lane;
use super::request::{Done, Failure, Job, Request, RequestState};
use super::{Client, Connection, Error, ListOptions, LogStream, Logs, StartOptions};
use crate::model::{DescribedSession, LocationList, Roster, SessionList, StartedSession};
use crate::sync::lock;
use crate::Status;

/// The completion that hands `result` to `done` (shared with the other completion a request
/// could end in, of which the pool runs one).
fn completion<T: Send + 'static>(
    done: Arc<Mutex<Option<impl FnOnce(u64, Result<T, Error>) + Send + 'static>>>,
    result: Result<T, Error>,
) -> Done {
    Box::new(move |id| {
        if let Some(done) = lock(&done).take() {
            done(id, result);
        }
    })
}

/// A callback of the Rust API, which has no use for the request id.
fn typed<T>(
    done: impl FnOnce(Result<T, Error>) + Send + 'static,
) -> impl FnOnce(u64, Result<T, Error>) + Send + 'static {
    move |_, result| done(result)
}

fn owned<P: AsRef<str>>(players: &[P]) -> Vec<String> {
    players.iter().map(|p| p.as_ref().to_owned()).collect()
}

impl Client {
    /// Queues `job` on the client's workers (a call that ends with one response): the form
    /// under most `*_async` methods and the C ABI. `done` runs exactly once, with the job's
    /// result or why there is none (cancelled, the client freed, a panic), on the thread the
    /// client's `Delivery` names. The result keeps its type from the job to `done`: the pool only
    /// ever holds the completion, ready to run.
    pub(crate) fn submit<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection, &RequestState) -> Result<T, Error> + Send + 'static,
        done: impl FnOnce(u64, Result<T, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit_on(Lane::Short, job, done)
    }

    /// [`Client::submit`] on a thread of the request's own: for a transfer or a wait that may
    /// take minutes, which must never hold a worker a short call needs.
    pub(crate) fn submit_long<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection, &RequestState) -> Result<T, Error> + Send + 'static,
        done: impl FnOnce(u64, Result<T, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit_on(Lane::Long, job, done)
    }

    /// [`Client::submit`] on `lane`.
    pub(crate) fn submit_on<T: Send + 'static>(
        &self,
        lane: Lane,
        job: impl FnOnce(&Connection, &RequestState) -> Result<T, Error> + Send + 'static,
        done: impl FnOnce(u64, Result<T, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.origin.check("this client")?;
        // The job's completion and the failure's share `done`; the pool runs only one of them.
        let done = Arc::new(Mutex::new(Some(done)));
        let for_failure = done.clone();
        let job: Job = Box::new(move |connection, state| {
            let result = match job(connection, state) {
                // A job that owns its completion ends with its cleanup done; a cancel made it end.
                Err(error) if state.is_cancelled() && error.status() != Status::Cancelled => {
                    Err(error.cancelled("the request was cancelled"))
                }
                result => result,
            };
            completion(done, result)
        });
        let failure: Failure = Box::new(move |error| completion(for_failure, Err(error)));
        self.dispatcher.submit(lane, job, failure)
    }

    /// Runs up to `max` ready completions on this thread (0: all that are ready) and returns how
    /// many ran. Call it from the thread that should see them (e.g. once per frame). Does
    /// nothing when the client delivers on its callback thread.
    pub fn poll(&self, max: usize) -> usize {
        if !self.origin.is_here() {
            return 0; // a forked child: the completions are the parent's
        }
        self.dispatcher.poll(max)
    }

    /// Waits up to `timeout` until a completion is ready for [`Client::poll`]; true when one is.
    pub fn wait(&self, timeout: Duration) -> bool {
        self.origin.is_here() && self.dispatcher.wait(timeout)
    }

    /// Cancels the request with this id; false when none is in flight.
    pub fn cancel(&self, id: u64) -> bool {
        self.origin.is_here() && self.dispatcher.cancel(id)
    }

    /// Non-blocking requests whose completion has not run yet.
    pub fn in_flight(&self) -> usize {
        if !self.origin.is_here() {
            return 0;
        }
        self.dispatcher.in_flight()
    }

    /// Shuts the non-blocking side down while the client is still whole: what dropping the
    /// client does first. Completions that run during it may still use the client (poll, wait,
    /// cancel; a submit is refused with `Cancelled`). The C ABI calls it before freeing, so a
    /// callback that calls back into the client finds it intact.
    ///
    /// First the blocking calls other threads are inside (the C ABI cannot stop a free from
    /// racing them): they are interrupted, end with `Cancelled`, and are waited for. In a forked
    /// child it does nothing: the threads and connections to end are the parent's.
    pub(crate) fn shutdown(&self) {
        if !self.origin.is_here() {
            return;
        }
        let agent = self.connection.agent.clone();
        self.calls.close(move || agent.shutdown());
        self.dispatcher.shutdown();
    }

    /// Test hook: after `after` more thread spawns of the pool succeed, the next `count` fail.
    #[cfg(feature = "mock")]
    pub fn fail_thread_spawns_for_test(&self, after: usize, count: usize) {
        self.dispatcher.fail_thread_spawns(after, count);
    }

    /// Test hook: how many pool threads run.
    #[cfg(feature = "mock")]
    pub fn started_threads_for_test(&self) -> usize {
        self.dispatcher.started_threads()
    }

    /// [`Client::list_sessions`] without blocking.
    pub fn list_sessions_async(
        &self,
        options: &ListOptions,
        done: impl FnOnce(Result<SessionList, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit(jobs::list_sessions(options.clone()), typed(done))
    }

    /// [`Client::describe_session`] without blocking.
    pub fn describe_session_async(
        &self,
        id: &str,
        done: impl FnOnce(Result<DescribedSession, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit(jobs::describe_session(id.to_owned()), typed(done))
    }

    /// [`Client::start_session`] without blocking. The id is fixed now (the caller's or a new
    /// UUIDv4), so the request can be matched to its session even if it is cancelled.
    pub fn start_session_async(
        &self,
        options: &StartOptions,
        done: impl FnOnce(Result<StartedSession, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit(jobs::start_session(options), typed(done))
    }

    /// [`Client::stop_session`] without blocking.
    pub fn stop_session_async(
        &self,
        id: &str,
        done: impl FnOnce(Result<(), Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit(jobs::stop_session(id.to_owned()), typed(done))
    }

    /// [`Client::join_session`] without blocking.
    pub fn join_session_async<P: AsRef<str>>(
        &self,
        session: &str,
        players: &[P],
        done: impl FnOnce(Result<Roster, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit(
            jobs::join_session(session.to_owned(), owned(players)),
            typed(done),
        )
    }

    /// [`Client::leave_session`] without blocking.
    pub fn leave_session_async<P: AsRef<str>>(
        &self,
        players: &[P],
        done: impl FnOnce(Result<Roster, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit(jobs::leave_session(owned(players)), typed(done))
    }

    /// [`Client::logs`] without blocking.
    pub fn logs_async(
        &self,
        session: &str,
        done: impl FnOnce(Result<Logs, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit(jobs::logs(session.to_owned()), typed(done))
    }

    /// [`Client::follow_logs`] without blocking: completes once the stream is open.
    pub fn follow_logs_async(
        &self,
        session: &str,
        idle: Option<Duration>,
        done: impl FnOnce(Result<LogStream, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit(jobs::follow_logs(session.to_owned(), idle), typed(done))
    }

    /// [`Client::download_artifact`] without blocking, capped at `max_bytes` (`None`: the
    /// default cap); read progress with [`Request::progress`], stop it with [`Request::cancel`]:
    /// `done` then runs once the partial file is removed. It runs on a thread of its own, never
    /// on a worker that short calls need.
    pub fn download_artifact_async(
        &self,
        session: &str,
        path: &str,
        destination: impl Into<PathBuf>,
        max_bytes: Option<u64>,
        done: impl FnOnce(Result<u64, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let job = jobs::download_artifact(
            session.to_owned(),
            path.to_owned(),
            destination.into(),
            max_bytes,
        );
        self.submit_long(job, typed(done))
    }

    /// [`Client::available_locations`] without blocking.
    pub fn available_locations_async(
        &self,
        image: &str,
        done: impl FnOnce(Result<LocationList, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        self.submit(jobs::available_locations(image.to_owned()), typed(done))
    }

    /// [`Client::tag_exists`] without blocking.
    pub fn tag_exists_async(
        &self,
        region: &str,
        image: &str,
        version: &str,
        done: impl FnOnce(Result<bool, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let job = jobs::tag_exists(region.to_owned(), image.to_owned(), version.to_owned());
        self.submit(job, typed(done))
    }
}

/// The jobs behind the non-blocking calls, shared by the Rust methods above and the C ABI: each
/// is the blocking call, made on the worker's connection.
pub(crate) mod jobs {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::super::request::RequestState;
    use super::super::{
        ArtifactOptions, Connection, Error, ListOptions, LogStream, Logs, StartOptions,
        DEFAULT_MAX_ARTIFACT_BYTES,
    };
    use crate::model::{DescribedSession, LocationList, Roster, SessionList, StartedSession};
    use crate::Status;

    /// What a job is: run on a worker's connection, for one request.
    pub(crate) trait Run<T>:
        FnOnce(&Connection, &RequestState) -> Result<T, Error> + Send + 'static
    {
    }
    impl<T, F> Run<T> for F where
        F: FnOnce(&Connection, &RequestState) -> Result<T, Error> + Send + 'static
    {
    }

    pub(crate) fn list_sessions(options: ListOptions) -> impl Run<SessionList> {
        move |c: &Connection, _: &RequestState| c.list_sessions(&options)
    }

    pub(crate) fn describe_session(id: String) -> impl Run<DescribedSession> {
        move |c: &Connection, _: &RequestState| c.describe_session(&id)
    }

    /// The id is fixed now (the caller's or a new UUIDv4), before the request is queued.
    /// The id is fixed now; from the moment the job runs, a cancel's failure names it.
    pub(crate) fn start_session(options: &StartOptions) -> impl Run<StartedSession> {
        let options = options.with_id();
        move |c: &Connection, state: &RequestState| {
            state.creates_session(options.id().unwrap_or_default());
            c.start_session(&options)
        }
    }

    pub(crate) fn stop_session(id: String) -> impl Run<()> {
        move |c: &Connection, _: &RequestState| c.stop_session(&id)
    }

    pub(crate) fn join_session(session: String, players: Vec<String>) -> impl Run<Roster> {
        move |c: &Connection, _: &RequestState| c.join_session(&session, &players)
    }

    pub(crate) fn leave_session(players: Vec<String>) -> impl Run<Roster> {
        move |c: &Connection, _: &RequestState| c.leave_session(&players)
    }

    pub(crate) fn logs(session: String) -> impl Run<Logs> {
        move |c: &Connection, _: &RequestState| c.logs(&session)
    }

    /// The stream's own agent is registered, so a cancel interrupts the connect too.
    pub(crate) fn follow_logs(session: String, idle: Option<Duration>) -> impl Run<LogStream> {
        move |c: &Connection, state: &RequestState| {
            c.follow_logs_registered(&session, idle, |agent| state.register_agent(agent))
        }
    }

    /// Progress goes to the request's counters; a cancel also stops the copy loop.
    pub(crate) fn download_artifact(
        session: String,
        path: String,
        destination: PathBuf,
        max_bytes: Option<u64>,
    ) -> impl Run<u64> {
        move |c: &Connection, state: &RequestState| {
            // Completed by this job, after the partial file is gone, even when cancelled.
            if !state.own_completion() {
                return Err(Error::new(Status::Cancelled, "the request was cancelled"));
            }
            let mut report = |received: u64, total: Option<u64>| {
                state.set_progress(received, total);
                !state.is_cancelled()
            };
            let commit = || state.commit();
            let options = ArtifactOptions {
                max_bytes: max_bytes.unwrap_or(DEFAULT_MAX_ARTIFACT_BYTES),
                progress: Some(&mut report),
                before_commit: Some(&commit),
            };
            c.download_artifact(&session, &path, &destination, options)
        }
    }

    pub(crate) fn available_locations(image: String) -> impl Run<LocationList> {
        move |c: &Connection, _: &RequestState| c.available_locations(&image)
    }

    pub(crate) fn tag_exists(region: String, image: String, version: String) -> impl Run<bool> {
        move |c: &Connection, _: &RequestState| c.tag_exists(&region, &image, &version)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use crate::{Client, ClientConfig, Status};

    #[test]
    fn cancelling_a_request_asleep_in_its_backoff_reports_true() {
        let mut config = ClientConfig::new();
        config
            .set_base_url("http://127.0.0.1:1")
            .unwrap()
            .set_token("t")
            .unwrap();
        let client = Client::new(&config).unwrap();
        for round in 0..300 {
            // A job that waits on its cancel token, as a retry backoff does.
            let job = |connection: &super::Connection, _: &super::RequestState| -> Result<(), _> {
                let token = connection.cancel.as_ref().expect("jobs get the token");
                token.sleep(Duration::from_secs(60));
                Err(crate::Error::new(Status::Cancelled, "woken"))
            };
            let request = client.submit(job, |_, _| {}).unwrap();
            while !request.progress_started_for_test() {
                std::thread::yield_now();
            }
            assert!(
                request.cancel(),
                "round {round}: the cancel completed the request itself"
            );
            assert!(client.wait(Duration::from_secs(30)));
            client.poll(0);
        }
    }

    #[test]
    fn a_panicking_job_completes_once_as_internal() {
        let mut config = ClientConfig::new();
        config
            .set_base_url("http://127.0.0.1:1")
            .unwrap()
            .set_token("t")
            .unwrap();
        let client = Client::new(&config).unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let job = |_: &super::Connection, _: &super::RequestState| -> Result<(), _> {
            panic!("a job that panics")
        };
        let done = move |_, result: Result<(), crate::Error>| {
            sink.lock().unwrap().push(result.unwrap_err().status())
        };
        client.submit(job, done).unwrap();
        assert!(client.wait(Duration::from_secs(30)));
        assert_eq!(client.poll(0), 1);
        assert_eq!(seen.lock().unwrap().as_slice(), &[Status::Internal]);
        // The worker survived the panic and runs the next request.
        let next = |_: &super::Connection, _: &super::RequestState| Ok(());
        client.submit(next, |_, _| {}).unwrap();
        assert!(client.wait(Duration::from_secs(30)));
        assert_eq!(client.in_flight(), 1);
        client.poll(0);
        assert_eq!(client.in_flight(), 0);
    }
}
