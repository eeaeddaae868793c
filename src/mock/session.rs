//! A session as the emulator keeps it: its log (written lazily, as time passes) and its JSON
//! forms on the wire.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::lifecycle::Timeline;
use super::start::StartRequest;

/// Log lines kept per session; older ones are dropped.
const MAX_LOG_LINES: usize = 10_000;

/// A session as the emulator keeps it.
#[derive(Debug)]
pub(crate) struct MockSession {
    pub id: String,
    pub image: String,
    pub version: String,
    pub location: String,
    pub host: String,
    pub created_ms: i64,
    pub ports: Vec<(String, u16)>,
    pub request: StartRequest,
    /// `labels` as the server reports them: env, tags and gameye packed as JSON strings.
    pub packed_labels: Vec<(String, String)>,
    pub players: Vec<String>,
    pub(super) started: Instant,
    pub(super) stopped: Option<Instant>,
    pub(super) expires: Option<Instant>,
    pub(super) log: Vec<String>,
    pub(super) log_dropped: usize,
    pub(super) ticks: u64,
    /// A session run as a local process (`--run`): its working directory. Its log is the
    /// process's output alone (no periodic lines).
    pub(super) workdir: Option<std::path::PathBuf>,
    /// The process's output is still open: a followed log goes on until it closes.
    pub(super) output_open: bool,
    /// How it changes over time after its start (`lifecycle`).
    pub(super) timeline: Timeline,
}

impl MockSession {
    pub fn is_running(&self) -> bool {
        self.stopped.is_none()
    }

    pub fn status(&self) -> &'static str {
        if !self.is_running() {
            self.timeline.ended_as.unwrap_or("exited")
        } else if self.timeline.starting_until.is_some() {
            "created"
        } else {
            "running"
        }
    }

    pub(super) fn push_log(&mut self, line: String) {
        if self.log.len() == MAX_LOG_LINES {
            self.log.remove(0);
            self.log_dropped += 1;
        }
        self.log.push(line);
    }

    /// Writes the periodic lines due by `now` (or by the stop, when stopped).
    pub(super) fn catch_up_log(&mut self, now: Instant, interval: Duration) {
        if interval.is_zero() || self.workdir.is_some() {
            return;
        }
        let until = self.stopped.map_or(now, |s| s.min(now));
        let due = (until.saturating_duration_since(self.started).as_millis() / interval.as_millis())
            as u64;
        while self.ticks < due {
            self.ticks += 1;
            let line = format!(
                "[game] tick {}: {} player(s) connected",
                self.ticks,
                self.players.len()
            );
            self.push_log(line);
        }
    }

    /// When the next periodic line is due.
    pub(super) fn next_tick(&self, interval: Duration) -> Option<Instant> {
        (self.is_running() && !interval.is_zero() && self.workdir.is_none())
            .then(|| self.started + interval * (self.ticks as u32 + 1))
    }
}

/// A position in a session's log, for followers.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LogCursor(pub(super) usize);

/// What a follower gets: new lines, whether the stream is over, and when to look again.
pub(crate) struct LogRead {
    pub lines: Vec<String>,
    pub ended: bool,
    pub next_due: Option<Instant>,
}

/// `GET /session` entry, as JSON.
#[derive(Serialize)]
pub(crate) struct ListEntry<'a> {
    id: &'a str,
    image: &'a str,
    tag: &'a str,
    location: &'a str,
    host: &'a str,
    created: i64,
    #[serde(serialize_with = "pairs_as_object")]
    port: &'a [(String, u16)],
    status: &'static str,
    #[serde(serialize_with = "pairs_as_object")]
    labels: &'a [(String, String)],
    #[serde(rename = "playerCount", skip_serializing_if = "Option::is_none")]
    player_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    players: Option<PlayersView<'a>>,
}

#[derive(Serialize)]
struct PlayersView<'a> {
    joined: &'a [String],
    #[serde(rename = "joinedCount")]
    joined_count: usize,
}

fn pairs_as_object<S: serde::Serializer, V: Serialize>(
    pairs: &&[(String, V)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs.iter() {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

impl MockSession {
    /// The `SessionListEntry` form.
    pub fn list_entry(&self) -> ListEntry<'_> {
        ListEntry {
            player_count: Some(self.players.len()),
            players: None,
            ..self.entry()
        }
    }

    /// The `DescribedSession` form.
    pub fn described(&self) -> ListEntry<'_> {
        ListEntry {
            player_count: None,
            players: Some(PlayersView {
                joined: &self.players,
                joined_count: self.players.len(),
            }),
            ..self.entry()
        }
    }

    pub(super) fn entry(&self) -> ListEntry<'_> {
        ListEntry {
            id: &self.id,
            image: &self.image,
            tag: &self.version,
            location: &self.location,
            host: &self.host,
            created: self.created_ms,
            port: &self.ports,
            status: self.status(),
            labels: &self.packed_labels,
            player_count: None,
            players: None,
        }
    }
}
