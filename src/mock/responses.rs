//! Response bodies: the API's ErrorResponse (with its time format), and content negotiation.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;

use super::http::{Request, Response};
use super::state::ApiError;

pub(super) fn error_code(status: u16) -> &'static str {
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
pub(super) fn iso8601(unix_ms: u64) -> String {
    let secs = unix_ms / 1000;
    let rem = secs % 86_400;
    let (year, month, day) = civil_date((secs / 86_400) as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        unix_ms % 1000
    )
}

/// The (year, month 1-12, day 1-31) of `days` since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

pub(super) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// An `ErrorResponse` body.
pub(super) fn error_response(error: &ApiError, path: &str) -> Response {
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

/// A 2xx response, if the request's `Accept` header takes its type; else 406, as a server that
/// honours `Accept` answers (RFC 9110 §12.5.1). No `Accept` takes anything.
pub(super) fn acceptable(request: &Request, response: Response) -> Result<Response, ApiError> {
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
pub(super) fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_iso8601() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_648_472_895_000), "2022-03-28T13:08:15.000Z");
        assert_eq!(iso8601(951_782_400_123), "2000-02-29T00:00:00.123Z");
    }
}
