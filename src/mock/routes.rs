//! HTTP to operations: routing, auth and scopes, request validation, response bodies,
//! fault injection and the admin API.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use super::archive::{tar_gz, Entry};
use super::faults::{Fault, Faults};
use super::http::{Body, Delivery, Request, Response, Stopper};
use super::query::{parse_query, path_segments};
use super::state::{ApiError, ListFilter, LogCursor, SeedRequest, StartRequest, State};

/// A token the emulator accepts, with the scopes it grants (`None`: every scope).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRule {
    /// The bearer token.
    pub token: String,
    /// The scopes it has, e.g. `session:read`; `None` grants all.
    pub scopes: Option<Vec<String>>,
}

/// A request the emulator received, for tests that check what a client sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The path as sent, still percent-encoded.
    pub path: String,
    /// The query string as sent, without `?`.
    pub query: String,
    /// Headers, names lower-cased; `authorization` is recorded as `Bearer <redacted>`.
    pub headers: Vec<(String, String)>,
    /// The body, as text (lossy).
    pub body: String,
}

impl RecordedRequest {
    /// The first header named `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

const MAX_RECORDED: usize = 1000;

/// Everything the request handler shares.
pub(crate) struct Mock {
    state: Mutex<State>,
    /// Notified, with `generation` bumped, whenever a session changes (followers wait on it).
    changed: Condvar,
    generation: Mutex<u64>,
    pub faults: Faults,
    tokens: Vec<TokenRule>,
    /// `None`: no admin API; `Some(token)`: served, to requests with that bearer token if set.
    admin: Option<Option<String>>,
    recorded: Mutex<VecDeque<RecordedRequest>>,
}

/// The operations of the Session API, named by their OpenAPI `operationId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operation {
    Start,
    List,
    Describe,
    Stop,
    Join,
    Leave,
    Logs,
    Artifacts,
    AvailableLocations,
    TagExists,
}

impl Operation {
    fn id(self) -> &'static str {
        match self {
            Operation::Start => "session-run",
            Operation::List => "session-list",
            Operation::Describe => "describe-session",
            Operation::Stop => "session-stop",
            Operation::Join => "join-session",
            Operation::Leave => "leave-session",
            Operation::Logs => "stream-logs",
            Operation::Artifacts => "artifacts",
            Operation::AvailableLocations => "get-available-locations",
            Operation::TagExists => "tag-exists",
        }
    }

    /// The token scope it needs; player join/leave list none in the spec.
    fn scope(self) -> Option<&'static str> {
        match self {
            Operation::Start => Some("session:start"),
            Operation::List | Operation::Describe => Some("session:read"),
            Operation::Stop => Some("session:stop"),
            Operation::Join | Operation::Leave => None,
            Operation::Logs => Some("logs:read"),
            Operation::Artifacts => Some("artifact:read"),
            Operation::AvailableLocations | Operation::TagExists => Some("regions:read"),
        }
    }
}

/// Finds the operation; the path parameters stay in `segments`.
fn route(method: &str, segments: &[String]) -> Result<Operation, ApiError> {
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let (operation, allowed): (Option<Operation>, &str) = match segs.as_slice() {
        ["session"] => match method {
            "POST" => (Some(Operation::Start), ""),
            "GET" => (Some(Operation::List), ""),
            _ => (None, "GET, POST"),
        },
        ["session", "player", "join"] => ((method == "PUT").then_some(Operation::Join), "PUT"),
        ["session", "player", "leave"] => {
            ((method == "DELETE").then_some(Operation::Leave), "DELETE")
        }
        ["session", _] => match method {
            "GET" => (Some(Operation::Describe), ""),
            "DELETE" => (Some(Operation::Stop), ""),
            _ => (None, "GET, DELETE"),
        },
        ["logs"] => ((method == "GET").then_some(Operation::Logs), "GET"),
        ["artifacts"] => ((method == "GET").then_some(Operation::Artifacts), "GET"),
        ["available-location", _] => (
            (method == "GET").then_some(Operation::AvailableLocations),
            "GET",
        ),
        ["tag", _, _, _] => ((method == "GET").then_some(Operation::TagExists), "GET"),
        _ => return Err(ApiError::new(404, "Not found.", "no such route")),
    };
    operation
        .ok_or_else(|| ApiError::new(405, "Method not allowed.", format!("allowed: {allowed}")))
}

fn error_code(status: u16) -> &'static str {
    match status {
        400 => "bad_request",
        401 => "unauthorized",
        402 => "quota_exhausted",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        420 => "capacity_unavailable",
        422 => "validation_failed",
        429 => "too_many_requests",
        500..=599 => "server_error",
        _ => "error",
    }
}

/// Unix milliseconds as ISO 8601 (UTC), e.g. `2026-11-28T11:04:06.123Z`.
fn iso8601(unix_ms: u64) -> String {
    let secs = unix_ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        unix_ms % 1000
    )
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// An `ErrorResponse` body.
fn error_response(error: &ApiError, path: &str) -> Response {
    let mut body = json!({
        "statusCode": error.status,
        "code": error_code(error.status),
        "message": error.message,
        "details": error.details,
        "path": path,
        "timestamp": iso8601(now_ms()),
        "identifier": uuid::Uuid::new_v4().to_string(),
    });
    if !error.violations.is_empty() {
        body["violations"] = error
            .violations
            .iter()
            .map(|(field, description)| json!({"field": field, "description": description}))
            .collect();
    }
    Response::json(error.status, &body)
}

/// Reasons a JSON body fails the schema, collected the way the service reports `violations`.
#[derive(Default)]
struct Violations(Vec<(String, String)>);

impl Violations {
    fn add(&mut self, field: &str, description: impl Into<String>) {
        self.0.push((field.to_owned(), description.into()));
    }

    fn string(&mut self, field: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::String(_) => {
                self.add(field, "must not be empty");
                None
            }
            _ => {
                self.add(field, "must be a string");
                None
            }
        }
    }

    fn string_map(
        &mut self,
        field: &str,
        value: &Value,
        allow_empty_values: bool,
    ) -> Vec<(String, String)> {
        let Value::Object(map) = value else {
            self.add(field, "must be an object of strings");
            return Vec::new();
        };
        let mut pairs = Vec::with_capacity(map.len());
        for (key, value) in map {
            match value {
                Value::String(s) if s.is_empty() && !allow_empty_values => {
                    self.add(&format!("{field}.{key}"), "must not be empty")
                }
                Value::String(s) => pairs.push((key.clone(), s.clone())),
                _ => self.add(&format!("{field}.{key}"), "must be a string"),
            }
        }
        pairs
    }

    fn string_list(&mut self, field: &str, value: &Value) -> Vec<String> {
        let Value::Array(items) = value else {
            self.add(field, "must be an array of strings");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.string(&format!("{field}[{i}]"), item))
            .collect()
    }

    fn finish<T>(self, value: T) -> Result<T, ApiError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(ApiError::invalid(self.0))
        }
    }
}

/// Parses a JSON object body.
fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid(vec![(
            "body".into(),
            "must be a JSON object".into(),
        )])),
        Err(e) => Err(ApiError::invalid(vec![(
            "body".into(),
            format!("is not valid JSON: {e}"),
        )])),
    }
}

/// `<N>h<M>m`, either part optional but not both.
fn parse_ttl(text: &str) -> Option<Duration> {
    let (hours, rest) = match text.split_once('h') {
        Some((h, rest)) => (Some(h), rest),
        None => (None, text),
    };
    let minutes = match rest {
        "" => None,
        m => Some(m.strip_suffix('m')?),
    };
    if hours.is_none() && minutes.is_none() {
        return None;
    }
    let number = |s: Option<&str>| -> Option<u64> {
        match s {
            None => Some(0),
            Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
            Some(_) => None,
        }
    };
    let total = number(hours)?
        .checked_mul(60)?
        .checked_add(number(minutes)?)?;
    Some(Duration::from_secs(total.max(1).checked_mul(60)?))
}

fn validate_start(body: &[u8]) -> Result<StartRequest, ApiError> {
    let object = json_object(body)?;
    let mut v = Violations::default();
    let mut request = StartRequest::default();
    for (key, value) in &object {
        match key.as_str() {
            "id" => request.id = v.string("id", value),
            "location" => request.location = v.string("location", value).unwrap_or_default(),
            "image" => request.image = v.string("image", value).unwrap_or_default(),
            "env" => request.env = v.string_map("env", value, false),
            "args" => request.args = v.string_list("args", value),
            "restart" => match value {
                Value::Bool(b) => request.restart = *b,
                _ => v.add("restart", "must be a boolean"),
            },
            "labels" => request.labels = v.string_map("labels", value, true),
            "version" => request.version = v.string("version", value),
            "ttl" => {
                if let Some(text) = v.string("ttl", value) {
                    match parse_ttl(&text) {
                        Some(ttl) => request.ttl = Some(ttl),
                        None => v.add("ttl", "must look like 1h, 30m or 2h30m"),
                    }
                }
            }
            "external_id" => match value {
                Value::String(s) => request.external_id = Some(s.clone()),
                _ => v.add("external_id", "must be a string"),
            },
            other => v.add(other, "is not a known field"),
        }
    }
    for required in ["location", "image"] {
        if !object.contains_key(required) {
            v.add(required, "is required");
        }
    }
    v.finish(request)
}

fn validate_players(object: &Map<String, Value>, v: &mut Violations) -> Vec<String> {
    match object.get("players") {
        None => {
            v.add("players", "is required");
            Vec::new()
        }
        Some(value) => {
            let players = v.string_list("players", value);
            if matches!(value, Value::Array(a) if a.is_empty()) {
                v.add("players", "must not be empty");
            }
            players
        }
    }
}

fn validate_join(body: &[u8]) -> Result<(String, Vec<String>), ApiError> {
    let object = json_object(body)?;
    let mut v = Violations::default();
    let session = match object.get("session") {
        Some(value) => v.string("session", value).unwrap_or_default(),
        None => {
            v.add("session", "is required");
            String::new()
        }
    };
    let players = validate_players(&object, &mut v);
    for key in object.keys().filter(|k| *k != "session" && *k != "players") {
        v.add(key, "is not a known field");
    }
    v.finish((session, players))
}

fn validate_leave(body: &[u8]) -> Result<Vec<String>, ApiError> {
    let object = json_object(body)?;
    let mut v = Violations::default();
    let players = validate_players(&object, &mut v);
    for key in object.keys().filter(|k| *k != "players") {
        v.add(key, "is not a known field");
    }
    v.finish(players)
}

fn bad_query(details: impl Into<String>) -> ApiError {
    ApiError::new(400, "Bad request: the query string is not valid.", details)
}

fn parse_bool(key: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(bad_query(format!("{key} must be true or false"))),
    }
}

fn parse_list_filter(query: &[(String, String)]) -> Result<ListFilter, ApiError> {
    let mut filter = ListFilter::default();
    for (key, value) in query {
        let count = || {
            value
                .parse::<i64>()
                .map_err(|_| bad_query(format!("{key} must be an integer")))
        };
        match key.as_str() {
            "all" => filter.all = parse_bool(key, value)?,
            "location" => filter.location = Some(value.clone()),
            "image" => filter.image = Some(value.clone()),
            "tag" => filter.tag = Some(value.clone()),
            "host" => filter.host = Some(value.clone()),
            "playerCount[lt]" => filter.player_count_lt = Some(count()?),
            "playerCount[gt]" => filter.player_count_gt = Some(count()?),
            // The deepObject is an open object in the spec: other keys filter nothing.
            other if other.starts_with("playerCount[") && other.ends_with(']') => {}
            _ => match key
                .strip_prefix("filter[")
                .and_then(|k| k.strip_suffix(']'))
            {
                Some(label) if !label.is_empty() => {
                    filter.labels.push((label.to_owned(), value.clone()))
                }
                _ => return Err(bad_query(format!("unknown query parameter {key:?}"))),
            },
        }
    }
    Ok(filter)
}

/// The one value of a required query parameter.
fn required<'a>(query: &'a [(String, String)], key: &str) -> Result<&'a str, ApiError> {
    match query.iter().find(|(k, _)| k == key) {
        Some((_, v)) if !v.is_empty() => Ok(v),
        _ => Err(bad_query(format!("{key} is required"))),
    }
}

fn only_known(query: &[(String, String)], known: &[&str]) -> Result<(), ApiError> {
    match query.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        Some((k, _)) => Err(bad_query(format!("unknown query parameter {k:?}"))),
        None => Ok(()),
    }
}

impl Mock {
    pub fn new(state: State, tokens: Vec<TokenRule>, admin: Option<Option<String>>) -> Mock {
        Mock {
            state: Mutex::new(state),
            changed: Condvar::new(),
            generation: Mutex::new(0),
            faults: Faults::default(),
            tokens,
            admin,
            recorded: Mutex::new(VecDeque::new()),
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes log followers.
    pub fn notify(&self) {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.changed.notify_all();
    }

    pub fn recorded(&self) -> Vec<RecordedRequest> {
        self.recorded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    pub fn clear_recorded(&self) {
        self.recorded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn record(&self, request: &Request) {
        let headers = request
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if name == "authorization" {
                    "Bearer <redacted>".into()
                } else {
                    value.clone()
                };
                (name.clone(), value)
            })
            .collect();
        let mut recorded = self.recorded.lock().unwrap_or_else(|e| e.into_inner());
        if recorded.len() == MAX_RECORDED {
            recorded.pop_front();
        }
        recorded.push_back(RecordedRequest {
            method: request.method.clone(),
            path: request.raw_path.clone(),
            query: request.raw_query.clone(),
            headers,
            body: String::from_utf8_lossy(&request.body).into_owned(),
        });
    }

    fn authorize(&self, request: &Request, operation: Operation) -> Result<(), ApiError> {
        let token = request
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let unauthorized = || {
            ApiError::new(401,
                "You are not authorized. Please make sure that the included bearer token is correct.",
                "missing or unknown bearer token")
        };
        let token = token.ok_or_else(unauthorized)?;
        if self.tokens.is_empty() {
            return Ok(());
        }
        let rule = self
            .tokens
            .iter()
            .find(|r| r.token == token)
            .ok_or_else(unauthorized)?;
        match (operation.scope(), &rule.scopes) {
            (Some(scope), Some(scopes)) if !scopes.iter().any(|s| s == scope) => {
                Err(ApiError::new(
                    403,
                    "Your API token may not have the required permissions to invoke this endpoint.",
                    format!("the token lacks the scope {scope}"),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Handles one request: the entry point the HTTP server calls.
    pub fn handle(
        self: &Arc<Self>,
        request: &Request,
        stopper: &Arc<Stopper>,
    ) -> (Response, Delivery) {
        let Some(segments) = path_segments(&request.raw_path) else {
            let error = ApiError::new(
                400,
                "Bad request: the path is not valid.",
                "bad percent-encoding",
            );
            return (
                error_response(&error, &request.raw_path),
                Delivery::default(),
            );
        };
        if segments.first().map(String::as_str) == Some("_mock") {
            if let Some(token) = &self.admin {
                let response = self
                    .admin_authorized(request, token.as_deref())
                    .and_then(|()| self.admin(request, &segments[1..]))
                    .unwrap_or_else(|e| error_response(&e, &request.raw_path));
                return (response, Delivery::default());
            }
        }
        self.record(request);
        let operation = route(&request.method, &segments);
        let fault = operation
            .as_ref()
            .ok()
            .and_then(|op| self.faults.take(op.id()));
        let fault = fault.unwrap_or_default();
        if let Some(delay) = fault.delay_ms {
            stopper.sleep(Duration::from_millis(delay));
        }
        let delivery = Delivery {
            drop_after_bytes: fault.drop_after_bytes,
            bytes_per_second: fault.bytes_per_second,
            close_silently: fault.close_connection,
        };
        let response = match (fault.status, operation) {
            (Some(status), _) => {
                let response = fault_response(&fault, status, &request.raw_path);
                match &fault.retry_after {
                    Some(wait) => response.with_header("Retry-After", wait),
                    None => response,
                }
            }
            (None, Err(error)) => error_response(&error, &request.raw_path),
            (None, Ok(operation)) => self
                .authorize(request, operation)
                .and_then(|()| self.run(operation, request, &segments, stopper))
                .and_then(|response| acceptable(request, response))
                .unwrap_or_else(|e| error_response(&e, &request.raw_path)),
        };
        (distort(response, &fault), delivery)
    }

    fn run(
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
                let session = state.start(start)?;
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
        let (id, log, padding) = {
            let mut state = self.state();
            let (id, log) = state.artifact_source(session)?;
            (id, log, state.artifact_padding)
        };
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
                let seen = *mock.generation.lock().unwrap_or_else(|e| e.into_inner());
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
                let generation = mock.generation.lock().unwrap_or_else(|e| e.into_inner());
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

    /// The admin API's own token check, when it has one.
    fn admin_authorized(&self, request: &Request, token: Option<&str>) -> Result<(), ApiError> {
        let Some(token) = token else { return Ok(()) };
        let sent = request
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "));
        if sent == Some(token) {
            Ok(())
        } else {
            Err(ApiError::new(
                401,
                "Unauthorized: the admin API needs its own token.",
                "missing or wrong admin token",
            ))
        }
    }

    fn admin(&self, request: &Request, segments: &[String]) -> Result<Response, ApiError> {
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        let invalid =
            |e: serde_json::Error| ApiError::invalid(vec![("body".into(), e.to_string())]);
        match (request.method.as_str(), segs.as_slice()) {
            ("POST", ["faults"]) => {
                let fault: Fault = serde_json::from_slice(&request.body).map_err(invalid)?;
                fault.check().map_err(ApiError::invalid)?;
                self.faults.add(fault);
                Ok(Response::json(201, &json!({})))
            }
            ("DELETE", ["faults"]) => {
                self.faults.clear();
                Ok(Response::empty(204))
            }
            ("POST", ["reset"]) => {
                self.faults.clear();
                self.clear_recorded();
                self.state().reset();
                self.notify();
                Ok(Response::empty(204))
            }
            ("POST", ["sessions"]) => {
                let seed: SeedRequest = serde_json::from_slice(&request.body).map_err(invalid)?;
                seed.check().map_err(ApiError::invalid)?;
                let count = self.state().seed(&seed)?;
                Ok(Response::json(201, &json!({"count": count})))
            }
            ("POST", ["sessions", id, "log"]) => {
                let line = String::from_utf8_lossy(&request.body);
                self.state().write_log(id, line.trim_end())?;
                self.notify();
                Ok(Response::empty(204))
            }
            ("POST", ["clock"]) => {
                #[derive(serde::Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Advance {
                    advance_ms: u64,
                }
                let advance: Advance = serde_json::from_slice(&request.body).map_err(invalid)?;
                self.state()
                    .advance_clock(Duration::from_millis(advance.advance_ms));
                self.notify();
                Ok(Response::empty(204))
            }
            ("POST", ["artifact-padding"]) => {
                #[derive(serde::Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Padding {
                    bytes: usize,
                }
                let padding: Padding = serde_json::from_slice(&request.body).map_err(invalid)?;
                if padding.bytes > super::faults::MAX_PADDING_BYTES {
                    return Err(ApiError::invalid(vec![(
                        "bytes".into(),
                        format!("at most {}", super::faults::MAX_PADDING_BYTES),
                    )]));
                }
                self.state().artifact_padding = padding.bytes;
                Ok(Response::empty(204))
            }
            ("GET", ["requests"]) => {
                let requests: Vec<Value> = self
                    .recorded()
                    .into_iter()
                    .map(|r| {
                        let headers: Map<String, Value> = r
                            .headers
                            .into_iter()
                            .map(|(k, v)| (k, Value::String(v)))
                            .collect();
                        json!({"method": r.method, "path": r.path, "query": r.query,
                            "headers": headers, "body": r.body})
                    })
                    .collect();
                Ok(Response::json(200, &json!({"requests": requests})))
            }
            ("DELETE", ["requests"]) => {
                self.clear_recorded();
                Ok(Response::empty(204))
            }
            _ => Err(ApiError::new(404, "Not found.", "no such admin route")),
        }
    }
}

/// A 2xx response, if the request's `Accept` header takes its type; else 406, as a server that
/// honours `Accept` answers (RFC 9110 §12.5.1). No `Accept` takes anything.
fn acceptable(request: &Request, response: Response) -> Result<Response, ApiError> {
    let Some(accept) = request.header("accept") else {
        return Ok(response);
    };
    if !(200..300).contains(&response.status) || response.status == 204 {
        return Ok(response);
    }
    let produced = media_type(response.content_type);
    let (kind, _) = produced.split_once('/').unwrap_or((produced, ""));
    let taken = accept.split(',').any(|range| {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        !refused && (media == "*/*" || media == produced || media == format!("{kind}/*"))
    });
    if taken {
        Ok(response)
    } else {
        Err(ApiError::new(
            406,
            format!("Not acceptable: this operation answers {produced}."),
            format!("Accept: {accept}"),
        ))
    }
}

/// The media type of a Content-Type value, without parameters.
fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or("").trim()
}

/// The response a status-override fault answers with.
fn fault_response(fault: &Fault, status: u16, path: &str) -> Response {
    let kind = fault.content_type.as_deref().unwrap_or("json");
    let content_type = match kind {
        "html" => "text/html; charset=utf-8",
        "text" => "text/plain; charset=utf-8",
        _ => "application/json",
    };
    let text = |body: String| Response::new(status, content_type, body.into_bytes());
    match (&fault.body, kind) {
        (Some(body), _) => text(body.clone()),
        (None, "html") => text(format!(
            "<html><head><title>{status}</title></head>\
             <body><h1>{status} from the proxy</h1></body></html>"
        )),
        (None, "text") => text(format!("{status} injected by gameye-mock")),
        (None, _) => {
            let message = format!("Injected fault: HTTP {status}.");
            error_response(&ApiError::new(status, message, "gameye-mock fault"), path)
        }
    }
}

/// Applies the body-changing faults to a complete JSON body.
fn distort(mut response: Response, fault: &Fault) -> Response {
    let Body::Full(body) = &mut response.body else {
        return response;
    };
    let is_json = response.content_type == "application/json";
    if let Some(size) = fault
        .oversize_bytes
        .filter(|_| is_json && body.first() == Some(&b'{'))
    {
        let padding = size.saturating_sub(body.len() + 16);
        let mut padded = Vec::with_capacity(body.len() + padding + 16);
        padded.extend_from_slice(b"{\"padding\":\"");
        padded.resize(padded.len() + padding, b'x');
        padded.extend_from_slice(if body.len() > 2 { b"\"," } else { b"\"" });
        padded.extend_from_slice(&body[1..]);
        *body = padded;
    }
    if fault.malformed_json && is_json && (200..300).contains(&response.status) {
        body.truncate(body.len() / 2);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_forms() {
        assert_eq!(parse_ttl("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_ttl("2h30m"), Some(Duration::from_secs(9000)));
        assert_eq!(parse_ttl("1m"), Some(Duration::from_secs(60)));
        assert_eq!(parse_ttl("0m"), Some(Duration::from_secs(60)));
        for bad in ["", "h", "m", "1", "1x", "m1", "1m1h", "-1m", "1h 2m"] {
            assert_eq!(parse_ttl(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_are_iso8601() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_648_472_895_000), "2022-03-28T13:08:15.000Z");
        assert_eq!(iso8601(951_782_400_123), "2000-02-29T00:00:00.123Z");
    }

    #[test]
    fn routes_and_methods() {
        let segs = |p: &str| path_segments(p).unwrap();
        assert_eq!(route("GET", &segs("/session")).unwrap(), Operation::List);
        assert_eq!(
            route("DELETE", &segs("/session/x")).unwrap(),
            Operation::Stop
        );
        assert_eq!(
            route("DELETE", &segs("/session/player/leave")).unwrap(),
            Operation::Leave
        );
        assert_eq!(route("PATCH", &segs("/session")).unwrap_err().status, 405);
        assert_eq!(route("GET", &segs("/nope")).unwrap_err().status, 404);
        assert_eq!(
            route("GET", &segs("/tag/europe/nginx/latest")).unwrap(),
            Operation::TagExists
        );
    }

    #[test]
    fn start_validation_collects_violations() {
        let error =
            validate_start(br#"{"location":"","env":{"A":""},"args":[""],"ttl":"soon","x":1}"#)
                .unwrap_err();
        let fields: Vec<&str> = error.violations.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(error.status, 422);
        for field in ["location", "env.A", "args[0]", "ttl", "x", "image"] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
        assert_eq!(validate_start(b"not json").unwrap_err().status, 422);
        let ok =
            validate_start(br#"{"location":"europe","image":"nginx","ttl":"1h","restart":true}"#)
                .unwrap();
        assert!(ok.restart);
    }

    #[test]
    fn distortions() {
        let fault = Fault {
            oversize_bytes: Some(1000),
            ..Fault::default()
        };
        let response = distort(Response::json(200, &json!({"a": 1})), &fault);
        let Body::Full(body) = &response.body else {
            panic!()
        };
        assert!(body.len() >= 980);
        assert_eq!(serde_json::from_slice::<Value>(body).unwrap()["a"], 1);
        let fault = Fault {
            malformed_json: true,
            ..Fault::default()
        };
        let response = distort(Response::json(200, &json!({"sessions": []})), &fault);
        let Body::Full(body) = &response.body else {
            panic!()
        };
        assert!(serde_json::from_slice::<Value>(body).is_err());
    }
}
