//! The emulated account: its sessions and what each operation does to them. Pure logic on
//! in-memory data; `routes` turns HTTP into these calls. Time-driven behaviour (ttl expiry,
//! log lines written "every so often") is computed lazily from timestamps, so there is no
//! background thread and results are deterministic for a given clock.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::catalogue::Catalogue;

/// Host ports are allocated in this range, as the real service does.
const HOST_PORTS: std::ops::RangeInclusive<u16> = 20000..=30000;
/// Log lines kept per session; older ones are dropped.
const MAX_LOG_LINES: usize = 10_000;

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

/// A validated start request.
#[derive(Debug, Clone, Default)]
pub(crate) struct StartRequest {
    pub id: Option<String>,
    pub location: String,
    pub image: String,
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
    pub restart: bool,
    pub labels: Vec<(String, String)>,
    pub version: Option<String>,
    pub ttl: Option<Duration>,
    pub external_id: Option<String>,
}

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
    started: Instant,
    stopped: Option<Instant>,
    expires: Option<Instant>,
    log: Vec<String>,
    log_dropped: usize,
    ticks: u64,
}

impl MockSession {
    pub fn is_running(&self) -> bool {
        self.stopped.is_none()
    }

    pub fn status(&self) -> &'static str {
        if self.is_running() {
            "running"
        } else {
            "exited"
        }
    }

    fn push_log(&mut self, line: String) {
        if self.log.len() == MAX_LOG_LINES {
            self.log.remove(0);
            self.log_dropped += 1;
        }
        self.log.push(line);
    }

    /// Writes the periodic lines due by `now` (or by the stop, when stopped).
    fn catch_up_log(&mut self, now: Instant, interval: Duration) {
        if interval.is_zero() {
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
    fn next_tick(&self, interval: Duration) -> Option<Instant> {
        (self.is_running() && !interval.is_zero())
            .then(|| self.started + interval * (self.ticks as u32 + 1))
    }
}

/// A position in a session's log, for followers.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LogCursor(usize);

/// What a follower gets: new lines, whether the stream is over, and when to look again.
pub(crate) struct LogRead {
    pub lines: Vec<String>,
    pub ended: bool,
    pub next_due: Option<Instant>,
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

/// A bulk insert of sessions through the admin API (benchmarks, big lists).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRequest {
    /// How many sessions.
    pub count: usize,
    /// Location; the first in the catalogue when absent.
    #[serde(default)]
    pub location: Option<String>,
    /// Image; the first in the catalogue when absent.
    #[serde(default)]
    pub image: Option<String>,
    /// User labels each session carries.
    #[serde(default)]
    pub labels: HashMap<String, String>,
    /// Players joined to each session.
    #[serde(default)]
    pub players: usize,
}

/// The most sessions one seed request may add, and players per session.
const MAX_SEED: usize = 100_000;
const MAX_SEED_PLAYERS: usize = 1_000;

impl SeedRequest {
    /// Checks the request stays within what the emulator holds in memory.
    pub(crate) fn check(&self) -> Result<(), Vec<(String, String)>> {
        let mut violations = Vec::new();
        if self.count > MAX_SEED {
            violations.push(("count".into(), format!("at most {MAX_SEED}")));
        }
        if self.players > MAX_SEED_PLAYERS {
            violations.push(("players".into(), format!("at most {MAX_SEED_PLAYERS}")));
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }
}

/// The emulated account.
pub(crate) struct State {
    pub catalogue: Catalogue,
    sessions: Vec<MockSession>,
    index: HashMap<String, usize>,
    used_ports: HashSet<(String, u16)>,
    next_port: u16,
    quota: Option<usize>,
    log_interval: Duration,
    with_ttl: usize,
    /// Added to the real clock: tests advance time instead of waiting (ttl, log lines).
    clock_offset: Duration,
    /// Every artifact archive also holds a `padding.bin` of this many bytes (big downloads).
    pub artifact_padding: usize,
}

fn unix_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A JSON object of string values, as text (how Gameye packs labels).
fn json_object(pairs: &[(String, String)]) -> String {
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
        *self = State::new(catalogue, self.quota, self.log_interval);
    }

    /// Stops sessions whose ttl has run out.
    fn expire(&mut self, now: Instant) {
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

    fn stop_at(&mut self, index: usize, at: Instant, reason: &str) {
        let interval = self.log_interval;
        let session = &mut self.sessions[index];
        session.catch_up_log(at, interval);
        session.stopped = Some(at);
        session.push_log(reason.to_owned());
        if session.expires.is_some() {
            self.with_ttl -= 1;
        }
        let host = session.host.clone();
        for (_, port) in &session.ports {
            self.used_ports.remove(&(host.clone(), *port));
        }
    }

    fn running_in(&self, location: &str) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.is_running() && s.location == location)
            .count()
    }

    /// Picks a free host port on `host`; `None` when the range is used up.
    fn allocate_port(&mut self, host: &str) -> Option<u16> {
        let span = (HOST_PORTS.end() - HOST_PORTS.start()) as usize + 1;
        for _ in 0..span {
            let port = self.next_port;
            self.next_port = if port == *HOST_PORTS.end() {
                *HOST_PORTS.start()
            } else {
                port + 1
            };
            if self.used_ports.insert((host.to_owned(), port)) {
                return Some(port);
            }
        }
        None
    }

    pub fn start(&mut self, request: StartRequest) -> Result<&MockSession, ApiError> {
        let now = self.now();
        self.expire(now);
        let location = self
            .catalogue
            .location(&request.location)
            .cloned()
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    "The request contains a region or application that does not exist.",
                    format!("unknown location {:?}", request.location),
                )
            })?;
        let image = self
            .catalogue
            .image(&request.image)
            .cloned()
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    "The request contains a region or application that does not exist.",
                    format!("unknown image {:?}", request.image),
                )
            })?;
        let version = match &request.version {
            Some(v) if image.tags.contains(v) => v.clone(),
            Some(v) => {
                return Err(ApiError::new(
                    404,
                    "The requested version of the image does not exist.",
                    format!("image {:?} has no tag {v:?}", image.id),
                ))
            }
            None => image.tags[0].clone(),
        };
        let id = request
            .id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        if self.index.contains_key(&id) {
            return Err(ApiError::new(409,
                "Cannot start a session with the provided id. Please use a unique identifier for your session.",
                format!("a session with id {id:?} already exists")));
        }
        if let Some(quota) = self.quota {
            if self.sessions.iter().filter(|s| s.is_running()).count() >= quota {
                return Err(ApiError::new(
                    402,
                    "You have exhausted your quota.",
                    format!("at most {quota} sessions may run at once"),
                ));
            }
        }
        if self.running_in(&location.id) >= location.capacity {
            return Err(ApiError::new(420,
                "This session can currently not be started in the provided region. Please try again later!",
                format!("location {:?} is full ({} sessions)", location.id, location.capacity)));
        }
        let host = location.ips[0].clone();
        let mut ports = Vec::with_capacity(image.ports.len());
        for name in &image.ports {
            match self.allocate_port(&host) {
                Some(port) => ports.push((name.clone(), port)),
                None => {
                    for (_, port) in &ports {
                        self.used_ports.remove(&(host.clone(), *port));
                    }
                    return Err(ApiError::new(
                        420,
                        "No free host ports on the machine. Please try again later!",
                        format!("host {host} has no free port in {HOST_PORTS:?}"),
                    ));
                }
            }
        }
        let mut env = request.env.clone();
        env.push(("GAMEYE_SESSION_ID".into(), id.clone()));
        env.push(("GAMEYE_HOST".into(), host.clone()));
        let mut gameye = vec![
            ("location".to_owned(), location.id.clone()),
            ("image".to_owned(), image.id.clone()),
            ("version".to_owned(), version.clone()),
        ];
        if let Some(external_id) = &request.external_id {
            gameye.push(("external_id".into(), external_id.clone()));
        }
        let packed_labels = vec![
            ("env".to_owned(), json_object(&env)),
            ("tags".to_owned(), json_object(&request.labels)),
            ("gameye".to_owned(), json_object(&gameye)),
        ];
        let expires = request.ttl.map(|ttl| now + ttl);
        let mut session = MockSession {
            id: id.clone(),
            image: image.id.clone(),
            version: version.clone(),
            location: location.id.clone(),
            host: host.clone(),
            created_ms: unix_millis(),
            ports,
            request,
            packed_labels,
            players: Vec::new(),
            started: now,
            stopped: None,
            expires,
            log: Vec::new(),
            log_dropped: 0,
            ticks: 0,
        };
        session.push_log(format!("[gameye] pulling image {}:{version}", image.id));
        session.push_log(format!("[gameye] starting container {id} on {host}"));
        let listening: Vec<String> = session
            .ports
            .iter()
            .map(|(name, port)| format!("[game] listening on {name} (host port {port})"))
            .collect();
        for line in listening {
            session.push_log(line);
        }
        if expires.is_some() {
            self.with_ttl += 1;
        }
        self.index.insert(id, self.sessions.len());
        self.sessions.push(session);
        Ok(self.sessions.last().expect("just pushed"))
    }

    /// Inserts `seed.count` running sessions, ignoring capacity and port exhaustion.
    pub fn seed(&mut self, seed: &SeedRequest) -> Result<usize, ApiError> {
        let location = seed
            .location
            .clone()
            .or_else(|| self.catalogue.locations.first().map(|l| l.id.clone()));
        let image = seed
            .image
            .clone()
            .or_else(|| self.catalogue.images.first().map(|i| i.id.clone()));
        let (Some(location), Some(image)) = (location, image) else {
            return Err(ApiError::new(
                422,
                "The catalogue is empty.",
                "nothing to seed",
            ));
        };
        let saved = std::mem::take(&mut self.catalogue);
        let mut unlimited = saved.clone();
        unlimited
            .locations
            .iter_mut()
            .for_each(|l| l.capacity = usize::MAX);
        self.catalogue = unlimited;
        let quota = self.quota.take();
        let mut labels: Vec<(String, String)> = seed.labels.clone().into_iter().collect();
        labels.sort();
        let mut result = Ok(seed.count);
        for n in 0..seed.count {
            let request = StartRequest {
                location: location.clone(),
                image: image.clone(),
                labels: labels.clone(),
                ..StartRequest::default()
            };
            match self.start(request) {
                Ok(session) => {
                    let id = session.id.clone();
                    let players: Vec<String> = (0..seed.players)
                        .map(|p| format!("player-{n}-{p}"))
                        .collect();
                    let index = self.index[&id];
                    self.sessions[index].players = players;
                    // Seeded sessions hold no ports, so big lists never exhaust the range
                    // (they may share numbers; started sessions never do).
                    let session = &self.sessions[index];
                    for (_, port) in &session.ports {
                        self.used_ports.remove(&(session.host.clone(), *port));
                    }
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        self.catalogue = saved;
        self.quota = quota;
        result
    }

    pub fn list(&mut self, filter: &ListFilter) -> Vec<&MockSession> {
        self.expire(self.now());
        self.sessions
            .iter()
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

    fn find(&self, id: &str) -> Result<usize, ApiError> {
        self.index.get(id).copied().ok_or_else(|| {
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
        for player in &added {
            session.push_log(format!("[game] player {player} joined"));
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
                for player in &left {
                    session.push_log(format!("[game] player {player} left"));
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
            ended: !session.is_running(),
            next_due: session
                .next_tick(interval)
                .into_iter()
                .chain(session.expires)
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

    /// The session for an artifact download: 404 unless it exists and has stopped.
    pub fn artifact_source(&mut self, id: &str) -> Result<(String, String), ApiError> {
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
        Ok((session.id.clone(), session.log.join("\n") + "\n"))
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

    fn entry(&self) -> ListEntry<'_> {
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
