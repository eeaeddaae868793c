//! The events between two lists of sessions: added, changed (status, player count, ports, host)
//! and removed, one per session that differs. No threads, no I/O.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{Session, SessionList};

/// What happened to a session between two polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum WatchEventKind {
    /// It appeared (every session of the first poll is added).
    Added = 1,
    /// Its status, player count, ports or host differ (see [`Changes`]).
    Changed = 2,
    /// It is gone from the list (ended, or no longer matching the filters).
    Removed = 3,
}

/// Which fields of a changed session differ: a set of the `Changes::*` bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Changes(pub u32);

/// cbindgen:ignore
impl Changes {
    /// The status ("created" → "running", …).
    pub const STATUS: u32 = 1;
    /// The player count.
    pub const PLAYER_COUNT: u32 = 2;
    /// The ports (names or host ports).
    pub const PORTS: u32 = 4;
    /// The host address.
    pub const HOST: u32 = 8;

    /// Whether `bit` is among them.
    pub fn contains(self, bit: u32) -> bool {
        self.0 & bit != 0
    }

    /// The fields in which `before` and `after` differ.
    pub fn between(before: &Session, after: &Session) -> Changes {
        let mut bits = 0;
        if before.status() != after.status() {
            bits |= Changes::STATUS;
        }
        if before.player_count() != after.player_count() {
            bits |= Changes::PLAYER_COUNT;
        }
        let same_ports = before.ports().len() == after.ports().len()
            && before
                .ports()
                .iter()
                .zip(after.ports())
                .all(|(a, b)| a.name() == b.name() && a.host() == b.host());
        if !same_ports {
            bits |= Changes::PORTS;
        }
        if before.host() != after.host() {
            bits |= Changes::HOST;
        }
        Changes(bits)
    }
}

/// A session inside a shared list snapshot.
#[derive(Clone)]
pub(crate) struct Entry {
    pub list: Arc<SessionList>,
    pub index: usize,
}

impl Entry {
    pub fn session(&self) -> &Session {
        &self.list.as_slice()[self.index]
    }
}

/// One change, before it becomes a public event.
pub(crate) struct Difference {
    pub kind: WatchEventKind,
    pub changes: Changes,
    pub now: Entry,
    pub before: Option<Entry>,
}

/// Each id's first entry in `list`.
fn first_entries(list: &SessionList) -> HashMap<&str, usize> {
    let mut map = HashMap::with_capacity(list.len());
    for (i, session) in list.iter().enumerate() {
        map.entry(session.id()).or_insert(i);
    }
    map
}

/// The differences from `before` (none: the first poll) to `after`: added and changed in the
/// order of `after`, then removed in the order of `before`. A session listed twice counts once
/// (its first entry).
pub(crate) fn differences(
    before: Option<&Arc<SessionList>>,
    after: &Arc<SessionList>,
) -> Vec<Difference> {
    let old = before.map(|l| first_entries(l)).unwrap_or_default();
    let new = first_entries(after);
    let entry = |list: &Arc<SessionList>, index| Entry {
        list: list.clone(),
        index,
    };
    let mut out = Vec::new();
    for (i, session) in after.iter().enumerate() {
        if new.get(session.id()) != Some(&i) {
            continue; // a duplicate entry
        }
        match (before, old.get(session.id())) {
            (Some(list), Some(&j)) => {
                let changes = Changes::between(&list.as_slice()[j], session);
                if changes.0 != 0 {
                    out.push(Difference {
                        kind: WatchEventKind::Changed,
                        changes,
                        now: entry(after, i),
                        before: Some(entry(list, j)),
                    });
                }
            }
            _ => out.push(Difference {
                kind: WatchEventKind::Added,
                changes: Changes::default(),
                now: entry(after, i),
                before: None,
            }),
        }
    }
    if let Some(list) = before {
        for (j, session) in list.iter().enumerate() {
            if old.get(session.id()) == Some(&j) && !new.contains_key(session.id()) {
                out.push(Difference {
                    kind: WatchEventKind::Removed,
                    changes: Changes::default(),
                    now: entry(list, j),
                    before: None,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(json: &str) -> Arc<SessionList> {
        Arc::new(SessionList::decode(json.as_bytes().to_vec()).unwrap())
    }

    fn session(id: &str, status: &str, players: i64, port: u16) -> String {
        format!(
            r#"{{"id":"{id}","image":"i","location":"l","host":"1.2.3.4","created":1,
                "status":"{status}","playerCount":{players},"port":{{"7777/udp":{port}}},
                "labels":{{}}}}"#
        )
    }

    fn sessions(items: &[String]) -> Arc<SessionList> {
        list(&format!(r#"{{"sessions":[{}]}}"#, items.join(",")))
    }

    fn summary(diffs: &[Difference]) -> Vec<(WatchEventKind, String, u32)> {
        diffs
            .iter()
            .map(|d| (d.kind, d.now.session().id().to_owned(), d.changes.0))
            .collect()
    }

    #[test]
    fn the_first_poll_adds_every_session_once() {
        let first = sessions(&[
            session("a", "running", 0, 1),
            session("b", "created", 0, 2),
            session("a", "running", 0, 1),
        ]);
        let diffs = differences(None, &first);
        assert_eq!(
            summary(&diffs),
            vec![
                (WatchEventKind::Added, "a".into(), 0),
                (WatchEventKind::Added, "b".into(), 0)
            ]
        );
    }

    #[test]
    fn changes_name_their_fields_and_removals_keep_the_last_seen_session() {
        let before = sessions(&[
            session("a", "running", 0, 1),
            session("b", "created", 0, 2),
            session("c", "running", 3, 3),
        ]);
        let after = sessions(&[
            session("d", "created", 0, 4),
            session("b", "running", 2, 5),
            session("a", "running", 0, 1),
        ]);
        let diffs = differences(Some(&before), &after);
        let all = Changes::STATUS | Changes::PLAYER_COUNT | Changes::PORTS;
        assert_eq!(
            summary(&diffs),
            vec![
                (WatchEventKind::Added, "d".into(), 0),
                (WatchEventKind::Changed, "b".into(), all),
                (WatchEventKind::Removed, "c".into(), 0),
            ]
        );
        let changed = &diffs[1];
        assert_eq!(
            changed.before.as_ref().unwrap().session().status(),
            Some("created")
        );
        assert_eq!(changed.now.session().status(), Some("running"));
        assert_eq!(diffs[2].now.session().player_count(), Some(3));
        assert!(
            differences(Some(&after), &after).is_empty(),
            "no change, no event"
        );
    }
}
