//! The game server's side: what a process Gameye started inside a session does with the API.
//! It reads its [`SessionContext`] from the environment, reports who joined and left through a
//! [`RosterReporter`] (batched, ordered, retried on a worker thread of its own, so the game
//! thread never waits on the network), and stops its own session when the match ends
//! ([`RosterReporter::stop_session`], which flushes first).

mod context;
mod roster;

pub use context::{SessionContext, ENV_HOST, ENV_SESSION_ID};
pub use roster::{
    FailureCallback, ReporterOptions, RosterReporter, DEFAULT_BATCH_INTERVAL, DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_PENDING, MAX_BATCH_SIZE, MAX_PENDING_LIMIT,
};
