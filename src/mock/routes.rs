//! HTTP to operations: the routes and their scopes, authorization, recording, and the one
//! entry point that applies faults and content negotiation around the handlers. The handlers are
//! in `handlers.rs`, request validation in `validate.rs`, response bodies in `responses.rs`, the
//! admin API in `admin.rs`.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::faults::{distort, fault_response, Faults};
use super::http::{Delivery, Request, Response, Stopper};
use super::query::path_segments;
use super::responses::{acceptable, error_response};
use super::state::{ApiError, State};
use crate::sync::lock;

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
    /// When it was received (read whole): tests check a client's pacing with it.
    pub received: std::time::Instant,
}

impl RecordedRequest {
    /// The first header named `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        super::http::header(&self.headers, name)
    }
}

const MAX_RECORDED: usize = 1000;

/// Everything the request handler shares.
pub(crate) struct Mock {
    pub(super) state: Mutex<State>,
    /// Notified, with `generation` bumped, whenever a session changes (followers wait on it).
    pub(super) changed: Condvar,
    pub(super) generation: Mutex<u64>,
    pub faults: Faults,
    pub(super) tokens: Vec<TokenRule>,
    /// `None`: no admin API; `Some(token)`: served, to requests with that bearer token if set.
    pub(super) admin: Option<Option<String>>,
    pub(super) recorded: Mutex<VecDeque<RecordedRequest>>,
    /// The children of `--run` images (set once, when the emulator runs any).
    pub(super) processes: std::sync::OnceLock<super::process::Supervisor>,
    /// The emulator's own URL, which a process session gets as GAMEYE_API_ENDPOINT.
    pub(super) url: std::sync::OnceLock<String>,
    /// When the emulator started: recorded requests' times are reported from it.
    pub born: std::time::Instant,
}

/// The operations of the Session API, named by their OpenAPI `operationId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Operation {
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
    /// Every operation.
    pub(super) const ALL: [Operation; 10] = [
        Operation::Start,
        Operation::List,
        Operation::Describe,
        Operation::Stop,
        Operation::Join,
        Operation::Leave,
        Operation::Logs,
        Operation::Artifacts,
        Operation::AvailableLocations,
        Operation::TagExists,
    ];

    pub(super) fn id(self) -> &'static str {
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
            processes: std::sync::OnceLock::new(),
            url: std::sync::OnceLock::new(),
            born: std::time::Instant::now(),
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Wakes log followers.
    pub fn notify(&self) {
        *lock(&self.generation) += 1;
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
        let mut recorded = lock(&self.recorded);
        if recorded.len() == MAX_RECORDED {
            recorded.pop_front();
        }
        recorded.push_back(RecordedRequest {
            method: request.method.clone(),
            path: request.raw_path.clone(),
            query: request.raw_query.clone(),
            headers,
            body: String::from_utf8_lossy(&request.body).into_owned(),
            received: std::time::Instant::now(),
        });
    }

    fn authorize(&self, request: &Request, operation: Operation) -> Result<(), ApiError> {
        let token = request
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let unauthorized = || {
            const MESSAGE: &str = "You are not authorized. \
                Please make sure that the included bearer token is correct.";
            ApiError::new(401, MESSAGE, "missing or unknown bearer token")
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
                .and_then(|()| {
                    let result = self.run(operation, request, &segments, stopper);
                    self.terminate_ended();
                    result
                })
                .and_then(|response| acceptable(request, response))
                .unwrap_or_else(|e| error_response(&e, &request.raw_path)),
        };
        (distort(response, &fault), delivery)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
