//! What a finished non-blocking request hands to a C completion callback: the result as one of
//! the library's result types (`Outcome`), erased only here, at the C boundary; the Rust API
//! hands each `*_async` callback its typed result instead.

use crate::client::{Error, LogStream, Logs};
use crate::model::{DescribedSession, LocationList, Roster, SessionList, StartedSession};
use crate::Status;

/// What a finished request produced.
#[derive(Debug)]
pub enum Outcome {
    /// A session list (list).
    SessionList(SessionList),
    /// A described session.
    Session(DescribedSession),
    /// A started session.
    Started(StartedSession),
    /// A stop, or a stop and wait (no data).
    Stopped,
    /// A wait for an ended session that is gone (no session).
    Gone,
    /// A join or leave.
    Roster(Roster),
    /// Whole logs.
    Logs(Logs),
    /// A followed log stream, ready to read.
    LogStream(LogStream),
    /// Available locations.
    Locations(LocationList),
    /// A tag check.
    TagExists(bool),
    /// An artifact download: the bytes written.
    Artifact(u64),
}

/// Types an [`Outcome`] can hold; [`Completion::take`] hands them out.
pub trait FromOutcome: Sized {
    /// Takes the value out of `slot` when it holds this type; leaves `slot` alone otherwise.
    fn take_from(slot: &mut Option<Outcome>) -> Option<Self>;
}

macro_rules! from_outcome {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl FromOutcome for $ty {
            fn take_from(slot: &mut Option<Outcome>) -> Option<Self> {
                if !matches!(slot, Some(Outcome::$variant(..))) {
                    return None;
                }
                match slot.take() {
                    Some(Outcome::$variant(value)) => Some(value),
                    _ => None,
                }
            }
        }
    )*};
}

from_outcome! {
    SessionList => SessionList,
    DescribedSession => Session,
    StartedSession => Started,
    Roster => Roster,
    Logs => Logs,
    LogStream => LogStream,
    LocationList => Locations,
    bool => TagExists,
    u64 => Artifact,
}

impl FromOutcome for () {
    fn take_from(slot: &mut Option<Outcome>) -> Option<()> {
        matches!(slot, Some(Outcome::Stopped)).then(|| *slot = None)
    }
}

/// The end of a request, handed to its completion callback.
#[derive(Debug)]
pub struct Completion {
    id: u64,
    status: Status,
    outcome: Option<Outcome>,
    error: Option<Error>,
}

impl Completion {
    /// The completion of request `id` with its result.
    pub(crate) fn new(id: u64, result: Result<Outcome, Error>) -> Completion {
        let (outcome, error) = match result {
            Ok(outcome) => (Some(outcome), None),
            Err(error) => (None, Some(error)),
        };
        Completion {
            id,
            status: error.as_ref().map_or(Status::Ok, Error::status),
            outcome,
            error,
        }
    }

    /// The id of the request ([`Request::id`]).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// `Status::Ok`, or why the request failed.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The error, when the request failed.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// The result, if the request succeeded and it was not taken yet.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Takes the error out, if the request failed and it was not taken yet.
    pub fn take_error(&mut self) -> Option<Error> {
        self.error.take()
    }

    /// Takes the result out, if it is a `T` and was not taken yet.
    pub fn take<T: FromOutcome>(&mut self) -> Option<T> {
        T::take_from(&mut self.outcome)
    }
}
