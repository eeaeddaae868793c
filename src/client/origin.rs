//! The process a handle was made in. After fork() a child inherits a client's memory but not its
//! threads (a lock another thread held at the fork stays locked in the child forever), and its
//! pooled connections are the parent's too (the two would read each other's responses). So in a
//! child every call on an inherited handle is refused before it touches anything, and freeing
//! one releases nothing the child cannot own: a child makes its own client.

use super::Error;

/// The process a handle was made in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Origin(u32);

impl Origin {
    /// This process.
    pub fn here() -> Origin {
        Origin(std::process::id())
    }

    /// Whether this is still that process (false in a child forked since).
    pub fn is_here(self) -> bool {
        self.0 == std::process::id()
    }

    /// `InvalidArgument` in a forked child: `what` ("this client") belongs to the parent.
    pub fn check(self, what: &str) -> Result<(), Error> {
        if self.is_here() {
            return Ok(());
        }
        Err(Error::invalid_argument(format!(
            "{what} was made in process {}, and this is process {} (a child made by fork()): \
             its threads and connections belong to the parent, so it refuses every call here; \
             make a new client in the child",
            self.0,
            std::process::id()
        )))
    }
}
