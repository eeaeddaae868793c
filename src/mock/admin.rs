//! The admin API under `/_mock/` (off unless asked for): faults, reset, seeding, the clock,
//! lifecycle rules, artifact padding and the recorded requests, behind an optional token of its
//! own.

use std::time::Duration;

use serde_json::{json, Map, Value};

use super::faults::Fault;
use super::http::{Request, Response};
use super::lifecycle::Lifecycle;
use super::routes::Mock;
use super::state::{ApiError, SeedRequest};

impl Mock {
    /// The admin API's own token check, when it has one.
    pub(super) fn admin_authorized(
        &self,
        request: &Request,
        token: Option<&str>,
    ) -> Result<(), ApiError> {
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

    pub(super) fn admin(
        &self,
        request: &Request,
        segments: &[String],
    ) -> Result<Response, ApiError> {
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
                self.terminate_ended();
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
            ("POST", ["lifecycle"]) => {
                let rule: Lifecycle = serde_json::from_slice(&request.body).map_err(invalid)?;
                self.state().set_lifecycle(rule)?;
                Ok(Response::empty(204))
            }
            ("DELETE", ["lifecycle"]) => {
                self.state().clear_lifecycle();
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
                        let at_ms = r.received.saturating_duration_since(self.born).as_millis();
                        json!({"method": r.method, "path": r.path, "query": r.query,
                            "headers": headers, "body": r.body, "at_ms": at_ms as u64})
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
