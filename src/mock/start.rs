//! Starting sessions: a start request, checked against the catalogue, capacity and quota, with
//! host ports allocated as the service does; and bulk seeding through the admin API.

use std::collections::HashMap;
use std::time::Duration;

use super::lifecycle::Timeline;
use super::state::{json_object, unix_millis, ApiError, MockSession, State};

/// Host ports are allocated in this range, as the real service does.
pub(crate) const HOST_PORTS: std::ops::RangeInclusive<u16> = 20000..=30000;

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

impl State {
    pub(super) fn running_in(&self, location: &str) -> usize {
        self.sessions
            .iter()
            .filter(|s| s.is_running() && s.location == location)
            .count()
    }

    /// Picks a free host port on `host`; `None` when the range is used up. For a session run as
    /// a local process (`local`) the port must also be free on this machine's loopback, where
    /// the process binds it.
    fn allocate_port(&mut self, host: &str, local: bool) -> Option<u16> {
        if local {
            let port = super::process::reserve_port(HOST_PORTS)?;
            self.used_ports.insert((host.to_owned(), port));
            return Some(port);
        }
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
            const MESSAGE: &str = "Cannot start a session with the provided id. \
                Please use a unique identifier for your session.";
            let details = format!("a session with id {id:?} already exists");
            return Err(ApiError::new(409, MESSAGE, details));
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
            const MESSAGE: &str =
                "This session can currently not be started in the provided region. \
                Please try again later!";
            let details = format!(
                "location {:?} is full ({} sessions)",
                location.id, location.capacity
            );
            return Err(ApiError::new(420, MESSAGE, details));
        }
        let host = location.ips[0].clone();
        let mut ports = Vec::with_capacity(image.ports.len());
        let local = self.commands.contains_key(&image.id);
        for name in &image.ports {
            match self.allocate_port(&host, local) {
                Some(port) => ports.push((name.clone(), port)),
                None => {
                    for (_, port) in &ports {
                        self.used_ports.remove(&(host.clone(), *port));
                        if local {
                            super::process::release_port(*port);
                        }
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
            workdir: None,
            output_open: false,
            timeline: Timeline::new(self.lifecycle_for(&image.id), now),
        };
        self.timed |= session.timeline.is_pending(false);
        // A session run as a local process logs the process's output alone.
        if !local {
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
}
