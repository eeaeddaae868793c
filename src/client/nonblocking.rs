//! The non-blocking form of every operation, and the pump that delivers their completions.
//! Each call queues the request on the client's worker pool and returns a [`Request`] at once;
//! `done` runs exactly once with the result, on the thread the client's `Delivery` names.

use std::path::PathBuf;
use std::time::Duration;

use super::dispatch::{Completion, DoneFn, FromOutcome, Job, Request};
use super::{Client, Error, ListOptions, LogStream, Logs, StartOptions};
use crate::model::{DescribedSession, LocationList, Roster, SessionList, StartedSession};

/// A completion callback that hands `done` the typed result.
fn typed<T: FromOutcome + 'static>(
    done: impl FnOnce(Result<T, Error>) + Send + 'static,
) -> Option<DoneFn> {
    Some(Box::new(move |completion: &mut Completion| {
        let taken = std::mem::replace(completion, Completion::empty(completion.id()));
        done(taken.into_result());
    }))
}

fn owned<P: AsRef<str>>(players: &[P]) -> Vec<String> {
    players.iter().map(|p| p.as_ref().to_owned()).collect()
}

impl Client {
    /// Queues a request: the untyped form under every `*_async` method (the C ABI uses it).
    pub(crate) fn submit(&self, job: Job, done: Option<DoneFn>) -> Result<Request, Error> {
        self.dispatcher.submit(job, done)
    }

    /// Runs up to `max` ready completions on this thread (0: all that are ready) and returns how
    /// many ran. Call it from the thread that should see them (e.g. once per frame). Does
    /// nothing when the client delivers on its callback thread.
    pub fn poll(&self, max: usize) -> usize {
        self.dispatcher.poll(max)
    }

    /// Waits up to `timeout` until a completion is ready for [`Client::poll`]; true when one is.
    pub fn wait(&self, timeout: Duration) -> bool {
        self.dispatcher.wait(timeout)
    }

    /// Cancels the request with this id; false when none is in flight.
    pub fn cancel(&self, id: u64) -> bool {
        self.dispatcher.cancel(id)
    }

    /// Non-blocking requests whose completion has not run yet.
    pub fn in_flight(&self) -> usize {
        self.dispatcher.in_flight()
    }

    /// Shuts the non-blocking side down while the client is still whole: what dropping the
    /// client does first. Completions that run during it may still use the client (poll, wait,
    /// cancel; a submit is refused with `Cancelled`). The C ABI calls it before freeing, so a
    /// callback that calls back into the client finds it intact.
    pub(crate) fn shutdown(&self) {
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
    /// default cap); read progress with [`Request::progress`], stop it with [`Request::cancel`].
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
        self.submit(job, typed(done))
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

/// The jobs behind the non-blocking calls, shared by the Rust methods below and the C ABI.
pub(crate) mod jobs {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::super::dispatch::{Job, Outcome};
    use super::super::{
        ArtifactOptions, Connection, Error, ListOptions, StartOptions, DEFAULT_MAX_ARTIFACT_BYTES,
    };

    fn job(run: impl FnOnce(&Connection) -> Result<Outcome, Error> + Send + 'static) -> Job {
        Box::new(move |connection, _| run(connection))
    }

    pub(crate) fn list_sessions(options: ListOptions) -> Job {
        job(move |c| c.list_sessions(&options).map(Outcome::SessionList))
    }

    pub(crate) fn describe_session(id: String) -> Job {
        job(move |c| c.describe_session(&id).map(Outcome::Session))
    }

    /// The id is fixed now (the caller's or a new UUIDv4), before the request is queued.
    pub(crate) fn start_session(options: &StartOptions) -> Job {
        let options = options.with_id();
        job(move |c| c.start_session(&options).map(Outcome::Started))
    }

    pub(crate) fn stop_session(id: String) -> Job {
        job(move |c| c.stop_session(&id).map(|()| Outcome::Stopped))
    }

    pub(crate) fn join_session(session: String, players: Vec<String>) -> Job {
        job(move |c| c.join_session(&session, &players).map(Outcome::Roster))
    }

    pub(crate) fn leave_session(players: Vec<String>) -> Job {
        job(move |c| c.leave_session(&players).map(Outcome::Roster))
    }

    pub(crate) fn logs(session: String) -> Job {
        job(move |c| c.logs(&session).map(Outcome::Logs))
    }

    /// The stream's own agent is registered, so a cancel interrupts the connect too.
    pub(crate) fn follow_logs(session: String, idle: Option<Duration>) -> Job {
        Box::new(move |c, state| {
            c.follow_logs_registered(&session, idle, |agent| state.register_agent(agent))
                .map(Outcome::LogStream)
        })
    }

    /// Progress goes to the request's counters; a cancel also stops the copy loop.
    pub(crate) fn download_artifact(
        session: String,
        path: String,
        destination: PathBuf,
        max_bytes: Option<u64>,
    ) -> Job {
        Box::new(move |c, state| {
            let mut report = |received: u64, total: Option<u64>| {
                state.set_progress(received, total);
                !state.is_cancelled()
            };
            let options = ArtifactOptions {
                max_bytes: max_bytes.unwrap_or(DEFAULT_MAX_ARTIFACT_BYTES),
                progress: Some(&mut report),
            };
            c.download_artifact(&session, &path, &destination, options)
                .map(Outcome::Artifact)
        })
    }

    pub(crate) fn available_locations(image: String) -> Job {
        job(move |c| c.available_locations(&image).map(Outcome::Locations))
    }

    pub(crate) fn tag_exists(region: String, image: String, version: String) -> Job {
        job(move |c| {
            c.tag_exists(&region, &image, &version)
                .map(Outcome::TagExists)
        })
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
            let job: super::Job = Box::new(|connection, _| {
                let token = connection.cancel.as_ref().expect("jobs get the token");
                token.sleep(Duration::from_secs(60));
                Err(crate::Error::new(Status::Cancelled, "woken"))
            });
            let request = client.submit(job, None).unwrap();
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
        let job: super::Job = Box::new(|_, _| panic!("a job that panics"));
        let done: super::DoneFn =
            Box::new(move |completion| sink.lock().unwrap().push(completion.status()));
        client.submit(job, Some(done)).unwrap();
        assert!(client.wait(Duration::from_secs(30)));
        assert_eq!(client.poll(0), 1);
        assert_eq!(seen.lock().unwrap().as_slice(), &[Status::Internal]);
        // The worker survived the panic and runs the next request.
        let next: super::Job = Box::new(|_, _| Ok(super::super::Outcome::Stopped));
        client.submit(next, None).unwrap();
        assert!(client.wait(Duration::from_secs(30)));
        assert_eq!(client.in_flight(), 1);
        client.poll(0);
        assert_eq!(client.in_flight(), 0);
    }
}
