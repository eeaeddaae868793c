//! The non-blocking form of every operation, and the pump that delivers their completions.
//! Each call queues the request on the client's worker pool and returns a [`Request`] at once;
//! `done` runs exactly once with the result, on the thread the client's `Delivery` names.

use std::path::PathBuf;
use std::time::Duration;

use super::dispatch::{Completion, DoneFn, FromOutcome, Job, Outcome, Request};
use super::{
    ArtifactOptions, Client, Connection, Error, ListOptions, LogStream, Logs, StartOptions,
    DEFAULT_MAX_ARTIFACT_BYTES,
};
use crate::model::{LocationList, Roster, Session, SessionList, StartedSession};

/// A completion callback that hands `done` the typed result.
fn typed<T: FromOutcome + 'static>(
    done: impl FnOnce(Result<T, Error>) + Send + 'static,
) -> Option<DoneFn> {
    Some(Box::new(move |completion: &mut Completion| {
        let taken = std::mem::replace(completion, Completion::empty(completion.id()));
        done(taken.into_result());
    }))
}

/// A job from a closure over a connection.
fn job(run: impl FnOnce(&Connection) -> Result<Outcome, Error> + Send + 'static) -> Job {
    Box::new(move |connection, _| run(connection))
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

    /// [`Client::list_sessions`] without blocking.
    pub fn list_sessions_async(
        &self,
        options: &ListOptions,
        done: impl FnOnce(Result<SessionList, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let options = options.clone();
        self.submit(
            job(move |c| c.list_sessions(&options).map(Outcome::SessionList)),
            typed(done),
        )
    }

    /// [`Client::describe_session`] without blocking.
    pub fn describe_session_async(
        &self,
        id: &str,
        done: impl FnOnce(Result<Session, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let id = id.to_owned();
        self.submit(
            job(move |c| c.describe_session(&id).map(Outcome::Session)),
            typed(done),
        )
    }

    /// [`Client::start_session`] without blocking. The id is fixed now (the caller's or a new
    /// UUIDv4), so the request can be matched to its session even if it is cancelled.
    pub fn start_session_async(
        &self,
        options: &StartOptions,
        done: impl FnOnce(Result<StartedSession, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let options = options.with_id();
        self.submit(
            job(move |c| c.start_session(&options).map(Outcome::Started)),
            typed(done),
        )
    }

    /// [`Client::stop_session`] without blocking.
    pub fn stop_session_async(
        &self,
        id: &str,
        done: impl FnOnce(Result<(), Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let id = id.to_owned();
        self.submit(
            job(move |c| c.stop_session(&id).map(|()| Outcome::Stopped)),
            typed(done),
        )
    }

    /// [`Client::join_session`] without blocking.
    pub fn join_session_async<P: AsRef<str>>(
        &self,
        session: &str,
        players: &[P],
        done: impl FnOnce(Result<Roster, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let session = session.to_owned();
        let players: Vec<String> = players.iter().map(|p| p.as_ref().to_owned()).collect();
        self.submit(
            job(move |c| c.join_session(&session, &players).map(Outcome::Roster)),
            typed(done),
        )
    }

    /// [`Client::leave_session`] without blocking.
    pub fn leave_session_async<P: AsRef<str>>(
        &self,
        players: &[P],
        done: impl FnOnce(Result<Roster, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let players: Vec<String> = players.iter().map(|p| p.as_ref().to_owned()).collect();
        self.submit(
            job(move |c| c.leave_session(&players).map(Outcome::Roster)),
            typed(done),
        )
    }

    /// [`Client::logs`] without blocking.
    pub fn logs_async(
        &self,
        session: &str,
        done: impl FnOnce(Result<Logs, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let session = session.to_owned();
        self.submit(
            job(move |c| c.logs(&session).map(Outcome::Logs)),
            typed(done),
        )
    }

    /// [`Client::follow_logs`] without blocking: completes once the stream is open.
    pub fn follow_logs_async(
        &self,
        session: &str,
        idle: Option<Duration>,
        done: impl FnOnce(Result<LogStream, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let session = session.to_owned();
        let run: Job = Box::new(move |c, state| {
            c.follow_logs_registered(&session, idle, |agent| state.register_agent(agent))
                .map(Outcome::LogStream)
        });
        self.submit(run, typed(done))
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
        let (session, path, destination) =
            (session.to_owned(), path.to_owned(), destination.into());
        let run: Job = Box::new(move |c, state| {
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
        });
        self.submit(run, typed(done))
    }

    /// [`Client::available_locations`] without blocking.
    pub fn available_locations_async(
        &self,
        image: &str,
        done: impl FnOnce(Result<LocationList, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let image = image.to_owned();
        self.submit(
            job(move |c| c.available_locations(&image).map(Outcome::Locations)),
            typed(done),
        )
    }

    /// [`Client::tag_exists`] without blocking.
    pub fn tag_exists_async(
        &self,
        region: &str,
        image: &str,
        version: &str,
        done: impl FnOnce(Result<bool, Error>) + Send + 'static,
    ) -> Result<Request, Error> {
        let (region, image, version) = (region.to_owned(), image.to_owned(), version.to_owned());
        self.submit(
            job(move |c| {
                c.tag_exists(&region, &image, &version)
                    .map(Outcome::TagExists)
            }),
            typed(done),
        )
    }
}
