//! The blocking calls running on a client, so that freeing it (through the C ABI, where nothing
//! stops a free while another thread is inside a call) interrupts them and waits for them before
//! anything is released.
//!
//! Each blocking call enters once it starts and leaves when it returns. Closing refuses new calls,
//! wakes calls asleep in a retry backoff (the client's cancel token), shuts down the connections
//! they run on (the client's agent and any agent a call opened for itself, such as a followed
//! log's), and waits until the last call has left. A call that the close interrupted fails with
//! `Cancelled`.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

use ureq::Agent;

use super::retry::CancelToken;
use super::Error;
use crate::sync::lock;
use crate::Status;

#[derive(Default)]
struct State {
    /// The calls inside, each with the agents of its own that a close must shut down.
    running: HashMap<u64, Vec<Agent>>,
    next: u64,
    closing: bool,
}

/// The client's blocking calls in progress.
#[derive(Default)]
pub(crate) struct Calls {
    state: Mutex<State>,
    left: Condvar,
    /// Shared by every blocking call's connection: wakes a retry backoff when the client closes.
    pub(super) token: CancelToken,
}

/// One blocking call inside; it leaves when dropped. It holds the calls' record itself, so the
/// last thing a call does (leaving) never touches a client that a close has since released.
pub(crate) struct Call {
    calls: Arc<Calls>,
    id: u64,
}

fn freed() -> Error {
    Error::new(
        Status::Cancelled,
        "the client is being freed: no new call is accepted",
    )
}

impl Calls {
    /// Enters a blocking call; `Cancelled` once the client is closing.
    pub fn enter(self: &Arc<Self>) -> Result<Call, Error> {
        let mut state = lock(&self.state);
        if state.closing {
            return Err(freed());
        }
        let id = state.next;
        state.next += 1;
        state.running.insert(id, Vec::new());
        Ok(Call {
            calls: self.clone(),
            id,
        })
    }

    /// Closes: refuses new calls, interrupts those inside (`interrupt` shuts down the client's
    /// own agent), and waits until every one has left. Idempotent.
    pub fn close(&self, interrupt: impl FnOnce()) {
        let agents: Vec<Agent> = {
            let mut state = lock(&self.state);
            if state.closing {
                // A second close waits for the calls all the same.
                drop(state);
                return self.wait_empty();
            }
            state.closing = true;
            state.running.values().flatten().cloned().collect()
        };
        self.token.cancel();
        interrupt();
        for agent in agents {
            agent.shutdown();
        }
        self.wait_empty();
    }

    fn wait_empty(&self) {
        let mut state = lock(&self.state);
        while !state.running.is_empty() {
            state = self.left.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Whether the client is closing (a call that ends now was interrupted by it).
    pub fn is_closing(&self) -> bool {
        lock(&self.state).closing
    }
}

impl Call {
    /// Makes a close also shut down `agent`, one the call opened for itself; at once when the
    /// client is closing already.
    pub fn register(&self, agent: &Agent) {
        let mut state = lock(&self.calls.state);
        let state = &mut *state;
        match state.running.get_mut(&self.id) {
            Some(agents) if !state.closing => agents.push(agent.clone()),
            _ => agent.clone().shutdown(),
        }
    }

    /// The call's result: a failure while the client closed is the close's doing, `Cancelled`
    /// (keeping what the caller needs of it, such as a failed start's session id).
    pub fn finish<T>(&self, result: Result<T, Error>) -> Result<T, Error> {
        match result {
            Err(error) if self.calls.is_closing() && error.status() != Status::Cancelled => {
                Err(error.cancelled("the client was freed while the call was in progress"))
            }
            other => other,
        }
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        let mut state = lock(&self.calls.state);
        state.running.remove(&self.id);
        if state.running.is_empty() {
            self.calls.left.notify_all();
        }
    }
}
