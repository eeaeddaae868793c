//! The handlers of the ten operations of the Session API.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::archive::{tar_gz, Entry};
use super::http::{Body, Request, Response, Stopper};
use super::query::parse_query;
use super::responses::now_ms;
use super::routes::{Mock, Operation};
use super::state::{ApiError, LogCursor};
use super::validate::{
    bad_query, only_known, parse_bool, parse_list_filter, required, validate_join, validate_leave,
    validate_start,
};
use crate::sync::lock;

impl Mock {
    pub(super) fn run(
        self: &Arc<Self>,
        operation: Operation,
        request: &Request,
        segments: &[String],
        stopper: &Arc<Stopper>,
    ) -> Result<Response, ApiError> {
        let query =
            parse_query(&request.raw_query).ok_or_else(|| bad_query("bad percent-encoding"))?;
        match operation {
            Operation::Start => {
                only_known(&query, &[])?;
                let start = validate_start(&request.body)?;
                let mut state = self.state();
                let id = state.start(start)?.id.clone();
                let state = self.run_process(state, &id);
                let session = state.sessions.get(state.index[&id]).expect("just started");
                let ports: Vec<Value> = session
                    .ports
                    .iter()
                    .map(|(name, host)| {
                        let (container, protocol) = name.split_once('/').unwrap_or((name, "tcp"));
                        let container = container.parse::<u16>().unwrap_or(0);
                        json!({"type": protocol, "container": container, "host": host})
                    })
                    .collect();
                let body = json!({"id": session.id, "host": session.host, "ports": ports});
                Ok(Response::json(201, &body))
            }
            Operation::List => {
                let filter = parse_list_filter(&query)?;
                let mut state = self.state();
                let sessions = state.list(&filter);
                // Serialize straight from the borrowed sessions: lists can hold 10,000 entries.
                let mut body = Vec::with_capacity(256 + sessions.len() * 700);
                body.extend_from_slice(b"{\"sessions\":[");
                for (i, session) in sessions.iter().enumerate() {
                    if i > 0 {
                        body.push(b',');
                    }
                    serde_json::to_writer(&mut body, &session.list_entry())
                        .map_err(|e| ApiError::new(500, "Internal error.", e.to_string()))?;
                }
                body.extend_from_slice(b"]}");
                Ok(Response::new(200, "application/json", body))
            }
            Operation::Describe => {
                only_known(&query, &[])?;
                let mut state = self.state();
                let session = state.describe(&segments[1])?;
                let body = serde_json::to_vec(&session.described())
                    .map_err(|e| ApiError::new(500, "Internal error.", e.to_string()))?;
                Ok(Response::new(200, "application/json", body))
            }
            Operation::Stop => {
                only_known(&query, &[])?;
                self.state().stop(&segments[1])?;
                self.notify();
                Ok(Response::empty(204))
            }
            Operation::Join => {
                let (session, players) = validate_join(&request.body)?;
                let (count, added) = self.state().join(&session, &players)?;
                self.notify();
                Ok(Response::json(
                    200,
                    &json!({"count": count, "players": added}),
                ))
            }
            Operation::Leave => {
                let players = validate_leave(&request.body)?;
                let (count, removed) = self.state().leave(&players)?;
                self.notify();
                Ok(Response::json(
                    200,
                    &json!({"count": count, "players": removed}),
                ))
            }
            Operation::Logs => {
                only_known(&query, &["id", "follow"])?;
                let id = required(&query, "id")?.to_owned();
                let follow = match query.iter().find(|(k, _)| k == "follow") {
                    Some((k, v)) => parse_bool(k, v)?,
                    None => false,
                };
                let (read, cursor) = self.state().read_log(&id, LogCursor::default())?;
                if !follow {
                    let mut text = read.lines.join("\n");
                    text.push('\n');
                    return Ok(Response::new(
                        200,
                        "text/plain; charset=utf-8",
                        text.into_bytes(),
                    ));
                }
                Ok(self.follow_logs(id, read.lines, read.ended, cursor, stopper.clone()))
            }
            Operation::Artifacts => {
                only_known(&query, &["session", "path"])?;
                let session = required(&query, "session")?;
                let path = required(&query, "path")?;
                let archive = self.artifact(session, path)?;
                Ok(Response::new(200, "application/x-tar", archive))
            }
            Operation::AvailableLocations => {
                only_known(&query, &[])?;
                let locations = self.state().available_locations(&segments[1])?;
                let locations: Vec<Value> = locations
                    .into_iter()
                    .map(|(id, ips)| json!({"id": id, "ips": ips}))
                    .collect();
                Ok(Response::json(200, &json!({"locations": locations})))
            }
            Operation::TagExists => {
                only_known(&query, &[])?;
                let exists = self
                    .state()
                    .tag_exists(&segments[1], &segments[2], &segments[3])?;
                Ok(Response::json(200, &json!({"exists": exists})))
            }
        }
    }

    fn artifact(&self, session: &str, path: &str) -> Result<Vec<u8>, ApiError> {
        // The spec asks only for a non-empty path; a relative one is read from the root.
        let (id, log, workdir, padding) = {
            let mut state = self.state();
            let (id, log, workdir) = state.artifact_source(session)?;
            (id, log, workdir, state.artifact_padding)
        };
        if let Some(dir) = workdir {
            return process_artifact(&dir, path);
        }
        let relative = path.trim_matches('/');
        let crash = format!("crash dump of session {id}\n");
        let directory = format!("{relative}/");
        let names = [
            format!("{relative}/server.log"),
            format!("{relative}/crashdump.log"),
        ];
        let mut entries = if path.ends_with('/') || relative.is_empty() {
            if relative.is_empty() {
                vec![
                    Entry::File("server.log", log.as_bytes()),
                    Entry::File("crashdump.log", crash.as_bytes()),
                ]
            } else {
                vec![
                    Entry::Directory(&directory),
                    Entry::File(&names[0], log.as_bytes()),
                    Entry::File(&names[1], crash.as_bytes()),
                ]
            }
        } else {
            vec![Entry::File(relative, log.as_bytes())]
        };
        // A deterministic pattern that does not repeat every few bytes.
        let filler: Vec<u8> = (0..padding).map(|i| (i % 251) as u8).collect();
        if padding > 0 {
            entries.push(Entry::File("padding.bin", &filler));
        }
        tar_gz(&entries, now_ms() / 1000)
            .ok_or_else(|| bad_query("path is too long for a tar archive"))
    }

    fn follow_logs(
        self: &Arc<Self>,
        id: String,
        first: Vec<String>,
        ended: bool,
        cursor: LogCursor,
        stopper: Arc<Stopper>,
    ) -> Response {
        let mock = self.clone();
        let produce = move |out: &mut dyn Write| -> std::io::Result<()> {
            let write_lines = |out: &mut dyn Write, lines: &[String]| -> std::io::Result<()> {
                if lines.is_empty() {
                    return Ok(());
                }
                let mut text = lines.join("\n");
                text.push('\n');
                out.write_all(text.as_bytes())
            };
            write_lines(out, &first)?;
            let (mut ended, mut cursor) = (ended, cursor);
            while !ended {
                let seen = *lock(&mock.generation);
                let (read, next) = match mock.state().read_log(&id, cursor) {
                    Ok(read) => read,
                    Err(_) => return Ok(()),
                };
                write_lines(out, &read.lines)?;
                (ended, cursor) = (read.ended, next);
                if ended || stopper.is_stopped() {
                    break;
                }
                // Sleep until something changes, the next line is due, or a short tick passes
                // (so a stopping server is noticed).
                let wait = read
                    .next_due
                    .map_or(Duration::from_millis(100), |due| {
                        due.saturating_duration_since(mock.state().now())
                    })
                    .clamp(Duration::from_millis(1), Duration::from_millis(100));
                let generation = lock(&mock.generation);
                if *generation == seen {
                    let _ = mock.changed.wait_timeout(generation, wait);
                }
            }
            if stopper.is_stopped() && !ended {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::Interrupted,
                    "server stopping",
                ));
            }
            Ok(())
        };
        Response::with_body(
            200,
            "text/plain; charset=utf-8",
            Body::Stream(Box::new(produce)),
        )
    }
}

/// An artifact of a process session: the files at `path` in its working directory.
fn process_artifact(dir: &std::path::Path, path: &str) -> Result<Vec<u8>, ApiError> {
    let not_found = || {
        ApiError::new(
            404,
            "Could not find the requested path in the session.",
            format!("nothing at {path:?} in the process's working directory"),
        )
    };
    let (dirs, files) = super::process::collect(dir, path, super::faults::MAX_PADDING_BYTES as u64)
        .ok_or_else(not_found)?;
    let mut entries: Vec<Entry<'_>> = dirs.iter().map(|d| Entry::Directory(d)).collect();
    entries.extend(files.iter().map(|(name, data)| Entry::File(name, data)));
    if entries.is_empty() {
        return Err(not_found());
    }
    tar_gz(&entries, now_ms() / 1000).ok_or_else(|| bad_query("path is too long for a tar archive"))
}

impl Mock {
    /// Starts the process of session `id` when its image is run as a local command; a process
    /// that cannot start ends its session at once, saying why in its log.
    fn run_process<'a>(
        &'a self,
        mut state: std::sync::MutexGuard<'a, super::state::State>,
        id: &str,
    ) -> std::sync::MutexGuard<'a, super::state::State> {
        let index = state.index[id];
        let session = &state.sessions[index];
        let Some(argv) = state.commands.get(&session.image).cloned() else {
            return state;
        };
        let Some(processes) = self.processes.get() else {
            return state;
        };
        let mut env: Vec<(String, String)> = Vec::new();
        if let Some(url) = self.url.get() {
            env.push(("GAMEYE_API_ENDPOINT".into(), url.clone()));
        }
        env.extend(session.request.env.iter().cloned());
        env.push(("GAMEYE_SESSION_ID".into(), session.id.clone()));
        env.push(("GAMEYE_HOST".into(), session.host.clone()));
        for (name, port) in &session.ports {
            let (container, protocol) = name.split_once('/').unwrap_or((name, "tcp"));
            env.push((
                format!("GAMEYE_PORT_{container}_{}", protocol.to_ascii_uppercase()),
                port.to_string(),
            ));
        }
        let mut argv = argv;
        argv.extend(session.request.args.iter().cloned());
        let spawned = processes
            .directory(id)
            .map_err(|e| e.to_string())
            .map(|dir| {
                let session = &mut state.sessions[index];
                session.workdir = Some(dir.clone());
                session.output_open = true;
                super::process::Spawn {
                    session: id.to_owned(),
                    argv,
                    env,
                    dir,
                }
            });
        // Spawned without the lock: the process's first lines take it.
        drop(state);
        let result = spawned.and_then(|spawn| processes.spawn(spawn));
        let mut state = self.state();
        if let Err(reason) = result {
            let session = &mut state.sessions[index];
            session.output_open = false;
            if session.workdir.is_none() {
                session.workdir = Some(std::path::PathBuf::new());
            }
            session.push_log(format!(
                "[gameye-mock] the session's process did not start: {reason}"
            ));
            state.process_exited(id, None);
        }
        state
    }

    /// Tells the processes of sessions that ended to stop.
    pub(super) fn terminate_ended(&self) {
        let ended = std::mem::take(&mut self.state().to_terminate);
        if let Some(processes) = self.processes.get() {
            for id in ended {
                processes.terminate(&id);
            }
        }
    }

    pub(super) fn process_output(&self, id: &str, line: &str) {
        self.state().process_output(id, line);
        self.notify();
    }

    pub(super) fn process_output_closed(&self, id: &str) {
        self.state().process_output_closed(id);
        self.notify();
    }

    pub(super) fn process_exited(&self, id: &str, status: std::process::ExitStatus) {
        let line = (!status.success())
            .then(|| format!("[gameye-mock] the session's process ended: {status}"));
        self.state().process_exited(id, line);
        self.notify();
    }
}
