//! The large vectors of a decoded session list, handed back when the list is freed and reused
//! by the client's next list.
//!
//! A list of 10,000 sessions needs a dozen allocations of 100 KB to 6 MB (the body, the
//! sessions, the map entries, the ports, the decoded tags and env). In a busy host process each
//! large allocation pays for the consolidation of the host's freed small chunks (glibc's
//! fastbins), which made the list as slow as a hand-written C client there. So the client keeps
//! the vectors of its last freed list, at most one set, and the next list decodes into them: in
//! steady state (list, free, list) the hot path makes no large allocation.
//!
//! Bounds: one set per client (a second freed list is simply freed); a set larger than
//! [`MAX_BYTES`] is not kept; a set unused for [`IDLE`] is freed at the next
//! list or free instead of reused; everything is freed with the client.

use std::ops::Range;
use std::sync::{Mutex, Weak};
use std::time::{Duration, Instant};

use super::port::Port;
use super::session::Session;
use super::store::Entry;

/// The reusable vectors of one list, empty but with their capacity.
#[derive(Default)]
pub(crate) struct Buffers {
    pub body: Vec<u8>,
    pub sessions: Vec<Session>,
    pub entries: Vec<Entry>,
    pub ports: Vec<Port>,
    pub copy_entries: Vec<Entry>,
    pub chunks: Vec<Vec<u8>>,
    pub raw: Vec<(usize, Range<usize>)>,
}

// SAFETY: the vectors are empty (`clear` before a set is kept): no Session, and so none of its
// raw pointers, crosses threads inside a Buffers; only capacity does.
unsafe impl Send for Buffers {}

impl Buffers {
    /// Empties every vector, keeping its capacity.
    fn clear(&mut self) {
        self.body.clear();
        self.sessions.clear();
        self.entries.clear();
        self.ports.clear();
        self.copy_entries.clear();
        for chunk in &mut self.chunks {
            chunk.clear();
        }
        self.raw.clear();
    }

    /// The bytes the set holds.
    fn bytes(&self) -> usize {
        self.body.capacity()
            + self.sessions.capacity() * size_of::<Session>()
            + (self.entries.capacity() + self.copy_entries.capacity()) * size_of::<Entry>()
            + self.ports.capacity() * size_of::<Port>()
            + self.chunks.iter().map(Vec::capacity).sum::<usize>()
            + self.raw.capacity() * size_of::<(usize, Range<usize>)>()
    }
}

/// The client's slot for one set of buffers. Thread-safe: a list freed on any thread may
/// return its set while another thread lists.
#[derive(Default)]
pub(crate) struct Recycler {
    slot: Mutex<Option<(Buffers, Instant)>>,
}

/// A set larger than this (a list of about 200,000 sessions) is freed, not kept.
const MAX_BYTES: usize = 256 * 1024 * 1024;
/// A set unused this long is freed rather than reused.
const IDLE: Duration = Duration::from_secs(60);

impl Recycler {
    /// The kept set, or a fresh one.
    pub fn take(&self) -> Buffers {
        let kept = crate::sync::lock(&self.slot).take();
        match kept {
            Some((buffers, since)) if since.elapsed() < IDLE => buffers,
            _ => Buffers::default(),
        }
    }

    /// Keeps `buffers` for the next list, unless a set is kept already or it is too large.
    fn put(&self, mut buffers: Buffers) {
        if buffers.bytes() > MAX_BYTES {
            return;
        }
        buffers.clear();
        let mut slot = crate::sync::lock(&self.slot);
        match &*slot {
            Some((_, since)) if since.elapsed() < IDLE => {}
            _ => *slot = Some((buffers, Instant::now())),
        }
    }
}

/// Where a freed list returns its buffers: its client's recycler, if that client still lives.
#[derive(Default)]
pub(crate) struct ReturnTo(Option<Weak<Recycler>>);

impl ReturnTo {
    pub fn new(recycler: Weak<Recycler>) -> ReturnTo {
        ReturnTo(Some(recycler))
    }

    /// Hands `buffers` back (or frees them with the client gone).
    pub fn give(&self, buffers: Buffers) {
        if let Some(recycler) = self.0.as_ref().and_then(Weak::upgrade) {
            recycler.put(buffers);
        }
    }
}
