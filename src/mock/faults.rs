//! Fault switches for tests: per operation, applied to the next matching requests, cleared
//! by a reset. Deterministic: the same faults and requests give the same responses.

use std::sync::Mutex;

use serde::Deserialize;

use super::http::{Body, Response};
use super::responses::error_response;
use super::state::ApiError;

/// A fault to inject. Set through `MockServer::add_fault` or `POST /_mock/faults` (JSON with
/// these field names).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// The operation it applies to: an `operationId` of the OpenAPI document (`session-list`,
    /// `session-run`, `describe-session`, `session-stop`, `join-session`, `leave-session`,
    /// `stream-logs`, `artifacts`, `get-available-locations`, `tag-exists`), or `*` for all.
    #[serde(default = "any_operation")]
    pub operation: String,
    /// How many requests it applies to; `None` until the faults are cleared.
    #[serde(default)]
    pub times: Option<u32>,
    /// Wait this long before answering.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Answer with this status instead of running the operation.
    #[serde(default)]
    pub status: Option<u16>,
    /// The body for `status`; a full `ErrorResponse` when absent.
    #[serde(default)]
    pub body: Option<String>,
    /// The kind of `body`: `json` (default), `text` or `html`.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Close the connection after this many body bytes (a reset mid-body / truncated body).
    #[serde(default)]
    pub drop_after_bytes: Option<u64>,
    /// Send the body at this many bytes per second.
    #[serde(default)]
    pub bytes_per_second: Option<u64>,
    /// Pad a JSON object body with an extra field until it is at least this many bytes.
    #[serde(default)]
    pub oversize_bytes: Option<usize>,
    /// Cut a 2xx JSON body in half, so it is not valid JSON.
    #[serde(default)]
    pub malformed_json: bool,
    /// Close the connection after answering, without `Connection: close`, as a server's
    /// idle timeout closes a kept-alive connection.
    #[serde(default)]
    pub close_connection: bool,
    /// A `Retry-After` header value sent with `status` (seconds or an HTTP date).
    #[serde(default)]
    pub retry_after: Option<String>,
}

/// The largest body a fault may pad to, and the largest artifact padding.
pub(crate) const MAX_PADDING_BYTES: usize = 256 * 1024 * 1024;
/// The longest delay a fault may ask for.
const MAX_DELAY_MS: u64 = 10 * 60 * 1000;

fn any_operation() -> String {
    "*".into()
}

impl Fault {
    /// Checks the switches are within what the emulator can serve without running out of
    /// memory or threads; the violations name the fields that are not.
    pub(crate) fn check(&self) -> Result<(), Vec<(String, String)>> {
        let mut violations = Vec::new();
        // A misspelt operation would otherwise match nothing, silently.
        let known = |name: &str| {
            name == "*" || super::routes::Operation::ALL.iter().any(|o| o.id() == name)
        };
        if !known(&self.operation) {
            violations.push((
                "operation".into(),
                "an operationId of the OpenAPI document (e.g. session-list), or *".into(),
            ));
        }
        if self.oversize_bytes.is_some_and(|n| n > MAX_PADDING_BYTES) {
            violations.push((
                "oversize_bytes".into(),
                format!("at most {MAX_PADDING_BYTES}"),
            ));
        }
        if self.delay_ms.is_some_and(|n| n > MAX_DELAY_MS) {
            violations.push(("delay_ms".into(), format!("at most {MAX_DELAY_MS}")));
        }
        if self.bytes_per_second == Some(0) {
            violations.push(("bytes_per_second".into(), "at least 1".into()));
        }
        if self.status.is_some_and(|s| !(100..=999).contains(&s)) {
            violations.push(("status".into(), "an HTTP status, 100 to 999".into()));
        }
        let header_safe = |v: &str| v.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
        if self.retry_after.as_deref().is_some_and(|v| !header_safe(v)) {
            violations.push(("retry_after".into(), "printable ASCII only".into()));
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// A fault for `operation` that applies until cleared; set its switches with struct update.
    pub fn on(operation: &str) -> Fault {
        Fault {
            operation: operation.into(),
            ..Fault::default()
        }
    }
}

/// The active faults, first match wins.
#[derive(Default)]
pub(crate) struct Faults {
    active: Mutex<Vec<Fault>>,
}

impl Faults {
    pub fn add(&self, fault: Fault) {
        self.lock().push(fault);
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The fault for this request, counting it against `times`.
    pub fn take(&self, operation: &str) -> Option<Fault> {
        let mut active = self.lock();
        let index = active
            .iter()
            .position(|f| f.operation == "*" || f.operation == operation)?;
        let fault = active[index].clone();
        if let Some(times) = &mut active[index].times {
            *times = times.saturating_sub(1);
            if *times == 0 {
                active.remove(index);
            }
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        crate::sync::lock(&self.active)
    }
}

/// The response a status-override fault answers with.
pub(super) fn fault_response(fault: &Fault, status: u16, path: &str) -> Response {
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
pub(super) fn distort(mut response: Response, fault: &Fault) -> Response {
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
    use serde_json::{json, Value};

    use super::*;

    #[test]
    fn times_counts_down_and_first_match_wins() {
        let faults = Faults::default();
        faults.add(Fault {
            times: Some(2),
            status: Some(503),
            ..Fault::on("session-list")
        });
        faults.add(Fault {
            status: Some(500),
            ..Fault::on("*")
        });
        assert_eq!(faults.take("session-list").unwrap().status, Some(503));
        assert_eq!(faults.take("session-list").unwrap().status, Some(503));
        assert_eq!(faults.take("session-list").unwrap().status, Some(500));
        assert_eq!(faults.take("session-stop").unwrap().status, Some(500));
        faults.clear();
        assert!(faults.take("session-list").is_none());
    }

    #[test]
    fn unknown_switches_are_rejected() {
        assert!(serde_json::from_str::<Fault>(r#"{"operation":"x","nope":1}"#).is_err());
        let fault: Fault = serde_json::from_str(r#"{"status":502,"content_type":"html"}"#).unwrap();
        assert_eq!(fault.operation, "*");
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
