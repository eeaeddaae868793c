//! The reporter's bookkeeping, without threads or I/O: what each player should be (joined or
//! not), what the server was last told, which players still owe a call, and the exact count of
//! those. The worker (`super`) takes batches from it and reports each batch's outcome back.
//!
//! The rules it keeps:
//! - one call per player at a time: a player in a batch on the wire is not taken again until
//!   that batch's outcome is in, so a leave can never overtake its join;
//! - a leave is owed only when a join may have reached the server (acknowledged, or sent and
//!   unanswered); a join and a leave that were both never sent cancel out;
//! - the pending count (players owing a call, on the wire or not) is bounded: past the bound a
//!   change that would owe one more is refused and nothing changes.

use std::collections::{HashMap, VecDeque};

/// What the server was last told about one player.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Told {
    /// Nothing yet, or a leave it acknowledged.
    Absent,
    /// A join it acknowledged.
    Present,
    /// A call that failed without an answer: it may or may not have reached the server.
    Unknown,
}

#[derive(Debug)]
struct Entry {
    /// Whether the game says the player is here.
    want: bool,
    told: Told,
    /// In a batch on the wire.
    in_flight: bool,
    /// In the queue of players owing a call.
    queued: bool,
}

impl Entry {
    /// Whether the server still has to be told something.
    fn owes(&self) -> bool {
        match self.told {
            Told::Absent => self.want,
            Told::Present => !self.want,
            Told::Unknown => true,
        }
    }

    fn pending(&self) -> bool {
        self.in_flight || self.owes()
    }

    /// Nothing to remember: not here, and the server was told so (or never told otherwise).
    fn forgettable(&self) -> bool {
        !self.pending() && !self.want
    }
}

/// Which call a batch is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Join,
    Leave,
}

/// A change the bound refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Full {
    pub max_pending: usize,
}

/// How a batch's call ended, as the book needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server applied it (or says it was already so).
    Done,
    /// No answer worth trusting: each player is sent again.
    Unknown,
    /// Refused for good (the reporter stops): the players keep owing their call.
    Refused,
}

/// The roster and its queue.
#[derive(Debug)]
pub(crate) struct Book {
    players: HashMap<String, Entry>,
    /// Players that may owe a call and are not on the wire; an id may be stale (its entry
    /// settled or forgotten since), which `take` skips.
    queue: VecDeque<String>,
    pending: usize,
    max_pending: usize,
}

impl Book {
    pub fn new(max_pending: usize) -> Book {
        Book {
            players: HashMap::new(),
            queue: VecDeque::new(),
            pending: 0,
            max_pending,
        }
    }

    /// Players owing a call, on the wire or not.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Whether some player owes a call that is not on the wire.
    #[cfg(test)]
    pub fn has_work(&self) -> bool {
        self.queue.iter().any(|id| {
            self.players
                .get(id)
                .is_some_and(|e| e.queued && !e.in_flight && e.owes())
        })
    }

    /// The number of players queued (an upper bound on the work `take` finds).
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// The players the game says are here.
    #[cfg(test)]
    pub fn present(&self) -> impl Iterator<Item = &str> {
        self.players
            .iter()
            .filter(|(_, e)| e.want)
            .map(|(id, _)| id.as_str())
    }

    /// The game says `id` is here (`true`) or gone (`false`). Amortised O(1).
    pub fn set(&mut self, id: &str, want: bool) -> Result<(), Full> {
        let Some(entry) = self.players.get_mut(id) else {
            if !want {
                // Never seen here: nothing was or will be sent for it.
                return Ok(());
            }
            if self.pending >= self.max_pending {
                return Err(self.full());
            }
            self.players.insert(
                id.to_owned(),
                Entry {
                    want: true,
                    told: Told::Absent,
                    in_flight: false,
                    queued: true,
                },
            );
            self.queue.push_back(id.to_owned());
            self.pending += 1;
            return Ok(());
        };
        if entry.want == want {
            return Ok(());
        }
        let was = entry.pending();
        let would_owe = Entry { want, ..*entry }.pending();
        if would_owe && !was && self.pending >= self.max_pending {
            return Err(Full {
                max_pending: self.max_pending,
            });
        }
        entry.want = want;
        let now = entry.pending();
        if now && !was {
            self.pending += 1;
        } else if was && !now {
            self.pending -= 1;
        }
        if entry.owes() && !entry.in_flight && !entry.queued {
            entry.queued = true;
            self.queue.push_back(id.to_owned());
        }
        if entry.forgettable() {
            self.players.remove(id);
        }
        Ok(())
    }

    fn full(&self) -> Full {
        Full {
            max_pending: self.max_pending,
        }
    }

    /// Takes up to `limit` players that owe a call, joins and leaves apart, and marks them on
    /// the wire. Oldest first.
    pub fn take(&mut self, limit: usize) -> (Vec<String>, Vec<String>) {
        let mut joins = Vec::new();
        let mut leaves = Vec::new();
        while joins.len() + leaves.len() < limit {
            let Some(id) = self.queue.pop_front() else {
                break;
            };
            let Some(entry) = self.players.get_mut(&id) else {
                continue;
            };
            entry.queued = false;
            if entry.in_flight || !entry.owes() {
                continue;
            }
            entry.in_flight = true;
            if entry.want {
                joins.push(id);
            } else {
                leaves.push(id);
            }
        }
        (joins, leaves)
    }

    /// Records how the call of `kind` for `ids` (taken by `take`) ended.
    pub fn settle(&mut self, kind: Kind, ids: &[String], outcome: Outcome) {
        for id in ids {
            let Some(entry) = self.players.get_mut(id) else {
                continue;
            };
            if !entry.in_flight {
                continue;
            }
            let was = entry.pending();
            entry.in_flight = false;
            match (outcome, kind) {
                (Outcome::Done, Kind::Join) => entry.told = Told::Present,
                (Outcome::Done, Kind::Leave) => entry.told = Told::Absent,
                (Outcome::Unknown, _) => entry.told = Told::Unknown,
                // A join refused never reached the roster; a refused leave left it as it was.
                (Outcome::Refused, Kind::Join) => {}
                (Outcome::Refused, Kind::Leave) => {}
            }
            let requeue = entry.owes() && !entry.queued;
            if requeue {
                entry.queued = true;
            }
            let now = entry.pending();
            let forget = entry.forgettable();
            if was && !now {
                self.pending -= 1;
            }
            if forget {
                self.players.remove(id);
            } else if requeue {
                // Sent again before newer work: a retry keeps its place.
                self.queue.push_front(id.clone());
            }
        }
    }

    /// Replaces what the server was told with what it says (`joined`: the session's players
    /// now), so that the next calls send the difference. Players on the server that the game
    /// never reported are owed a leave. Nothing may be on the wire.
    pub fn resync<'a>(&mut self, joined: impl IntoIterator<Item = &'a str>) {
        for entry in self.players.values_mut() {
            entry.told = Told::Absent;
        }
        for id in joined {
            match self.players.get_mut(id) {
                Some(entry) => entry.told = Told::Present,
                None => {
                    self.players.insert(
                        id.to_owned(),
                        Entry {
                            want: false,
                            told: Told::Present,
                            in_flight: false,
                            queued: false,
                        },
                    );
                }
            }
        }
        self.players.retain(|_, e| !e.forgettable());
        self.queue.clear();
        self.pending = 0;
        for (id, entry) in &mut self.players {
            entry.in_flight = false;
            entry.queued = entry.owes();
            if entry.queued {
                self.queue.push_back(id.clone());
                self.pending += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_join_and_a_leave_both_unsent_cancel_out() {
        let mut book = Book::new(10);
        book.set("a", true).unwrap();
        assert_eq!(book.pending(), 1);
        book.set("a", false).unwrap();
        assert_eq!(book.pending(), 0);
        assert_eq!(book.take(10), (vec![], vec![]));
        assert_eq!(book.present().count(), 0);
    }

    #[test]
    fn a_leave_waits_for_its_join_on_the_wire() {
        let mut book = Book::new(10);
        book.set("a", true).unwrap();
        let (joins, leaves) = book.take(10);
        assert_eq!((joins.clone(), leaves), (ids(&["a"]), vec![]));
        book.set("a", false).unwrap();
        // The join is on the wire: the leave is not taken before its outcome.
        assert_eq!(book.take(10), (vec![], vec![]));
        assert_eq!(book.pending(), 1);
        book.settle(Kind::Join, &joins, Outcome::Done);
        assert_eq!(book.take(10), (vec![], ids(&["a"])));
        book.settle(Kind::Leave, &ids(&["a"]), Outcome::Done);
        assert_eq!(book.pending(), 0);
        assert!(book.players.is_empty(), "a settled leave is forgotten");
    }

    #[test]
    fn an_unanswered_join_is_followed_by_a_leave_not_cancelled() {
        let mut book = Book::new(10);
        book.set("a", true).unwrap();
        let (joins, _) = book.take(10);
        book.settle(Kind::Join, &joins, Outcome::Unknown);
        book.set("a", false).unwrap();
        // It may have joined: the leave is owed.
        assert_eq!(book.take(10), (vec![], ids(&["a"])));
    }

    #[test]
    fn an_unanswered_call_is_sent_again_first() {
        let mut book = Book::new(10);
        for id in ["a", "b", "c"] {
            book.set(id, true).unwrap();
        }
        let (joins, _) = book.take(2);
        assert_eq!(joins, ids(&["a", "b"]));
        book.settle(Kind::Join, &joins, Outcome::Unknown);
        assert_eq!(book.pending(), 3);
        let (again, _) = book.take(10);
        assert_eq!(again, ids(&["b", "a", "c"]));
        book.settle(Kind::Join, &again, Outcome::Done);
        assert_eq!(book.pending(), 0);
        assert_eq!(book.present().count(), 3);
    }

    #[test]
    fn the_bound_refuses_only_what_would_owe_one_more() {
        let mut book = Book::new(2);
        book.set("a", true).unwrap();
        book.set("b", true).unwrap();
        assert_eq!(book.set("c", true), Err(Full { max_pending: 2 }));
        // Cancelling one out frees a place; a change of a pending player is always accepted.
        book.set("a", false).unwrap();
        book.set("c", true).unwrap();
        let (joins, _) = book.take(10);
        book.settle(Kind::Join, &joins, Outcome::Done);
        assert_eq!(book.pending(), 0);
        book.set("d", true).unwrap();
        book.set("e", true).unwrap();
        // A leave of a joined player would owe one more too.
        assert_eq!(book.set("b", false), Err(Full { max_pending: 2 }));
        assert_eq!(book.present().count(), 4);
    }

    #[test]
    fn repeated_reports_are_one_change() {
        let mut book = Book::new(10);
        for _ in 0..5 {
            book.set("a", true).unwrap();
        }
        book.set("never-seen", false).unwrap();
        assert_eq!(book.pending(), 1);
        assert_eq!(book.take(10), (ids(&["a"]), vec![]));
    }

    #[test]
    fn flapping_while_on_the_wire_ends_as_the_last_report() {
        let mut book = Book::new(10);
        book.set("a", true).unwrap();
        let (joins, _) = book.take(10);
        book.set("a", false).unwrap();
        book.set("a", true).unwrap();
        book.settle(Kind::Join, &joins, Outcome::Done);
        assert_eq!(book.pending(), 0, "joined, and the game says joined");
        assert_eq!(book.take(10), (vec![], vec![]));
    }

    #[test]
    fn a_refused_batch_keeps_its_players_owing() {
        let mut book = Book::new(10);
        book.set("a", true).unwrap();
        let (joins, _) = book.take(10);
        book.settle(Kind::Join, &joins, Outcome::Refused);
        assert_eq!(book.pending(), 1);
        assert!(book.has_work());
    }

    #[test]
    fn resync_sends_the_difference() {
        let mut book = Book::new(10);
        for id in ["a", "b"] {
            book.set(id, true).unwrap();
        }
        let (joins, _) = book.take(10);
        book.settle(Kind::Join, &joins, Outcome::Refused);
        // The server has b and a stranger x; the game has a and b.
        book.resync(["b", "x"]);
        assert_eq!(book.pending(), 2);
        let (mut joins, leaves) = book.take(10);
        joins.sort();
        assert_eq!((joins, leaves), (ids(&["a"]), ids(&["x"])));
    }
}
