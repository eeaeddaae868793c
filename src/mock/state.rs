//! The emulated account: its sessions and what each operation does to them. Pure logic on
//! in-memory data; `routes` turns HTTP into these calls. Time-driven behaviour (ttl expiry,
//! log lines written "every so often") is computed lazily from timestamps, so there is no
//! background thread and results are deterministic for a given clock.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::catalogue::Catalogue;
use super::lifecycle::Lifecycle;

pub(crate) use super::session::{LogCursor, LogRead, MockSession};
pub use super::start::SeedRequest;
pub(crate) use super::start::{StartRequest, HOST_PORTS};

/// An error an operation answers with: becomes an `ErrorResponse` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub message: String,
    pub details: String,
    pub violations: Vec<(String, String)>,
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>, details: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            details: details.into(),
            violations: Vec::new(),
        }
    }

    pub fn invalid(violations: Vec<(String, String)>) -> ApiError {
        ApiError {
            status: 422,
            message: "Bad request. The request does not match the schema.".into(),
            details: violations
                .iter()
                .map(|(f, d)| format!("{f}: {d}"))
                .collect::<Vec<_>>()
                .join("; "),
            violations,
        }
    }
}

/// Filters of `GET /session`.
#[derive(Debug, Default, Clone)]
pub(crate) struct ListFilter {
    pub all: bool,
    pub location: Option<String>,
    pub image: Option<String>,
    pub tag: Option<String>,
    pub host: Option<String>,
    pub player_count_lt: Option<i64>,
    pub player_count_gt: Option<i64>,
    pub labels: Vec<(String, String)>,
}

/// The emulated account.
pub(crate) struct State {
    pub catalogue: Catalogue,
    pub(super) sessions: Vec<MockSession>,
    pub(super) index: HashMap<String, usize>,
    pub(super) used_ports: HashSet<(String, u16)>,
    pub(super) next_port: u16,
    pub(super) quota: Option<usize>,
    pub(super) log_interval: Duration,
    pub(super) with_ttl: usize,
    /// Added to the real clock: tests advance time instead of waiting (ttl, log lines).
    pub(super) clock_offset: Duration,
    /// Every artifact archive also holds a `padding.bin` of this many bytes (big downloads).
    pub artifact_padding: usize,
    /// Images run as local processes (`--run`), with their commands.
    pub(super) commands: HashMap<String, Vec<String>>,
    /// Process sessions that ended (stopped, expired, reset) and whose process must be told.
    pub(super) to_terminate: Vec<String>,
    /// How sessions started from now on change over time (`lifecycle`).
    pub(super) lifecycle: Vec<Lifecycle>,
    /// Some session was started under a lifecycle rule: timelines must be looked at.
    pub(super) timed: bool,
}

pub(super) fn unix_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A JSON object of string values, as text (how Gameye packs labels).
pub(super) fn json_object(pairs: &[(String, String)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

impl State {
    pub fn new(catalogue: Catalogue, quota: Option<usize>, log_interval: Duration) -> State {
        State {
            catalogue,
            sessions: Vec::new(),
            index: HashMap::new(),
            used_ports: HashSet::new(),
            next_port: *HOST_PORTS.start(),
            quota,
            log_interval,
            with_ttl: 0,
            clock_offset: Duration::ZERO,
            artifact_padding: 0,
            commands: HashMap::new(),
            to_terminate: Vec::new(),
            lifecycle: Vec::new(),
            timed: false,
        }
    }

    /// The emulator's clock: real time plus what tests advanced it by.
    pub fn now(&self) -> Instant {
        Instant::now() + self.clock_offset
    }

    /// Moves the clock forward, as if `by` had passed.
    pub fn advance_clock(&mut self, by: Duration) {
        self.clock_offset += by;
    }

    /// Forgets every session.
    pub fn reset(&mut self) {
        let catalogue = std::mem::take(&mut self.catalogue);
        let commands = std::mem::take(&mut self.commands);
        let mut to_terminate = std::mem::take(&mut self.to_terminate);
        to_terminate.extend(
            self.sessions
                .iter()
                .filter(|s| s.workdir.is_some() && s.is_running())
                .map(|s| s.id.clone()),
        );
        self.release_local_ports();
        *self = State::new(catalogue, self.quota, self.log_interval);
        self.commands = commands;
        self.to_terminate = to_terminate;
    }

    /// Gives back the host ports of running process sessions (a reset, the emulator's end).
    pub fn release_local_ports(&mut self) {
        for session in self
            .sessions
            .iter()
            .filter(|s| s.workdir.is_some() && s.is_running())
        {
            for (_, port) in &session.ports {
                super::process::release_port(*port);
            }
        }
    }

    /// Applies what time did by `now`: lifecycle changes, then sessions whose ttl has run out.
    pub(super) fn expire(&mut self, now: Instant) {
        self.advance_timelines(now);
        if self.with_ttl == 0 {
            return;
        }
        let mut expired = Vec::new();
        for (i, s) in self.sessions.iter().enumerate() {
            if let (true, Some(at)) = (s.is_running(), s.expires) {
                if at <= now {
                    expired.push((i, at));
                }
            }
        }
        for (i, at) in expired {
            self.stop_at(i, at, "[gameye] ttl reached, killing the container");
        }
    }

    pub(super) fn stop_at(&mut self, index: usize, at: Instant, reason: &str) {
        let interval = self.log_interval;
        let session = &mut self.sessions[index];
        session.catch_up_log(at, interval);
        session.stopped = Some(at);
        if session.workdir.is_some() {
            // The process writes its own last lines; it is told to stop.
            self.to_terminate.push(session.id.clone());
        } else {
            session.push_log(reason.to_owned());
        }
        if session.expires.is_some() {
            self.with_ttl -= 1;
        }
        let host = session.host.clone();
        let local = session.workdir.is_some();
        for (_, port) in &session.ports {
            self.used_ports.remove(&(host.clone(), *port));
            if local {
                super::process::release_port(*port);
            }
        }
    }

    pub fn list(&mut self, filter: &ListFilter) -> Vec<&MockSession> {
        self.expire(self.now());
        self.sessions
            .iter()
            .filter(|s| !s.timeline.forgotten)
            .filter(|s| filter.all || s.is_running())
            .filter(|s| filter.location.as_ref().is_none_or(|v| *v == s.location))
            .filter(|s| filter.image.as_ref().is_none_or(|v| *v == s.image))
            .filter(|s| filter.tag.as_ref().is_none_or(|v| *v == s.version))
            .filter(|s| filter.host.as_ref().is_none_or(|v| *v == s.host))
            .filter(|s| {
                filter
                    .player_count_lt
                    .is_none_or(|v| (s.players.len() as i64) < v)
            })
            .filter(|s| {
                filter
                    .player_count_gt
                    .is_none_or(|v| (s.players.len() as i64) > v)
            })
            .filter(|s| {
                filter
                    .labels
                    .iter()
                    .all(|(k, v)| s.request.labels.iter().any(|(lk, lv)| lk == k && lv == v))
            })
            .collect()
    }

    pub(super) fn find(&self, id: &str) -> Result<usize, ApiError> {
        let known = self.index.get(id).copied();
        known
            .filter(|&i| !self.sessions[i].timeline.forgotten)
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    "The specified session does not exist. Please provide a correct session id.",
                    format!("no session with id {id:?}"),
                )
            })
    }

    pub fn describe(&mut self, id: &str) -> Result<&MockSession, ApiError> {
        self.expire(self.now());
        let index = self.find(id)?;
        Ok(&self.sessions[index])
    }

    pub fn stop(&mut self, id: &str) -> Result<(), ApiError> {
        let now = self.now();
        self.expire(now);
        let index = self.find(id)?;
        if !self.sessions[index].is_running() {
            return Err(ApiError::new(
                409,
                "This session has already been terminated.",
                format!("session {id:?} is not running"),
            ));
        }
        self.stop_at(index, now, "[gameye] received SIGTERM, shutting down");
        Ok(())
    }

    /// Adds players; returns the session's player count and the ids added by this call.
    pub fn join(&mut self, id: &str, players: &[String]) -> Result<(usize, Vec<String>), ApiError> {
        self.expire(self.now());
        let index = self.find(id).map_err(|_| {
            ApiError::new(
                404,
                "The provided session does not exist.",
                format!("no session with id {id:?}"),
            )
        })?;
        let session = &mut self.sessions[index];
        if !session.is_running() {
            return Err(ApiError::new(
                404,
                "The provided session does not exist.",
                format!("session {id:?} is not running"),
            ));
        }
        let mut added = Vec::new();
        for player in players {
            if !session.players.contains(player) {
                session.players.push(player.clone());
                added.push(player.clone());
            }
        }
        // A process session's log is the process's output alone.
        if session.workdir.is_none() {
            for player in &added {
                session.push_log(format!("[game] player {player} joined"));
            }
        }
        Ok((session.players.len(), added))
    }

    /// Removes players from whichever running sessions hold them; returns the players left in
    /// those sessions and the ids removed. 404 when none of them was in a session.
    pub fn leave(&mut self, players: &[String]) -> Result<(usize, Vec<String>), ApiError> {
        self.expire(self.now());
        let mut removed = Vec::new();
        let mut remaining = 0;
        for session in self.sessions.iter_mut().filter(|s| s.is_running()) {
            let before = session.players.len();
            let mut left = Vec::new();
            session.players.retain(|p| {
                let leaving = players.contains(p);
                if leaving {
                    left.push(p.clone());
                }
                !leaving
            });
            if session.players.len() != before {
                remaining += session.players.len();
                if session.workdir.is_none() {
                    for player in &left {
                        session.push_log(format!("[game] player {player} left"));
                    }
                }
                removed.extend(left);
            }
        }
        if removed.is_empty() {
            return Err(ApiError::new(
                404,
                "The provided session does not exist.",
                "none of the players is in a running session",
            ));
        }
        Ok((remaining, removed))
    }

    /// Log lines after `cursor`, and where to continue.
    pub fn read_log(
        &mut self,
        id: &str,
        cursor: LogCursor,
    ) -> Result<(LogRead, LogCursor), ApiError> {
        let now = self.now();
        self.expire(now);
        let index = self.find(id)?;
        let interval = self.log_interval;
        let session = &mut self.sessions[index];
        session.catch_up_log(now, interval);
        let total = session.log_dropped + session.log.len();
        let start = cursor.0.max(session.log_dropped) - session.log_dropped;
        let lines = session.log[start.min(session.log.len())..].to_vec();
        let read = LogRead {
            lines,
            ended: !session.is_running() && !session.output_open,
            next_due: session
                .next_tick(interval)
                .into_iter()
                .chain(session.expires)
                .chain(session.timeline.starting_until)
                .chain(session.timeline.exits_at)
                .min(),
        };
        Ok((read, LogCursor(total)))
    }

    /// Appends a line to a session's log (admin API: tests that watch a follower).
    pub fn write_log(&mut self, id: &str, line: &str) -> Result<(), ApiError> {
        let index = self.find(id)?;
        let (now, interval) = (self.now(), self.log_interval);
        let session = &mut self.sessions[index];
        session.catch_up_log(now, interval);
        session.push_log(line.to_owned());
        Ok(())
    }

    /// The session for an artifact download: 404 unless it exists and has stopped. Its id, its
    /// log, and the working directory of a process session.
    #[allow(clippy::type_complexity)]
    pub fn artifact_source(
        &mut self,
        id: &str,
    ) -> Result<(String, String, Option<std::path::PathBuf>), ApiError> {
        let now = self.now();
        self.expire(now);
        let index = self.find(id).map_err(|_| {
            ApiError::new(
                404,
                "Could not find a session with the given session id.",
                format!("no session with id {id:?}"),
            )
        })?;
        let interval = self.log_interval;
        let session = &mut self.sessions[index];
        if session.is_running() {
            return Err(ApiError::new(
                404,
                "Artifacts are only available after the session has been terminated.",
                format!("session {id:?} is still running"),
            ));
        }
        session.catch_up_log(now, interval);
        Ok((
            session.id.clone(),
            session.log.join("\n") + "\n",
            session.workdir.clone(),
        ))
    }

    /// A line of a process session's output.
    pub fn process_output(&mut self, id: &str, line: &str) {
        if let Some(&index) = self.index.get(id) {
            self.sessions[index].push_log(line.to_owned());
        }
    }

    /// A process session's output closed.
    pub fn process_output_closed(&mut self, id: &str) {
        if let Some(&index) = self.index.get(id) {
            self.sessions[index].output_open = false;
        }
    }

    /// A process session's process exited: the session ends (if it still ran).
    pub fn process_exited(&mut self, id: &str, line: Option<String>) {
        let Some(&index) = self.index.get(id) else {
            return;
        };
        if let Some(line) = line {
            self.sessions[index].push_log(line);
        }
        if self.sessions[index].is_running() {
            let now = self.now();
            self.stop_at(index, now, "");
            // Nothing to tell: it is gone.
            self.to_terminate.retain(|s| s != id);
        }
    }

    /// Locations with room for `image`; 404 for an unknown image.
    pub fn available_locations(
        &mut self,
        image: &str,
    ) -> Result<Vec<(String, Vec<String>)>, ApiError> {
        self.expire(self.now());
        if self.catalogue.image(image).is_none() {
            return Err(ApiError::new(
                404,
                "Image not found or you are not authorized to use this image.",
                format!("unknown image {image:?}"),
            ));
        }
        Ok(self
            .catalogue
            .locations
            .iter()
            .filter(|l| self.running_in(&l.id) < l.capacity)
            .map(|l| (l.id.clone(), l.ips.clone()))
            .collect())
    }

    /// Whether `image:version` exists in `region`.
    pub fn tag_exists(&self, region: &str, image: &str, version: &str) -> Result<bool, ApiError> {
        if self.catalogue.location(region).is_none() {
            return Err(ApiError::new(
                400,
                "Bad request.",
                format!("unknown region {region:?}"),
            ));
        }
        let image = self.catalogue.image(image).ok_or_else(|| {
            ApiError::new(
                404,
                "Image not found or you are not authorized to use this image.",
                format!("unknown image {image:?}"),
            )
        })?;
        Ok(image.tags.iter().any(|t| t == version))
    }
}
