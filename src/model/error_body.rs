//! The API's `ErrorResponse` body, read tolerantly: every field may be missing.

use serde::Deserialize;

use super::loose::optional_integer;
use super::Text;

/// The fields of an `ErrorResponse` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorBody {
    /// The HTTP status the server says it sent.
    #[serde(default, rename = "statusCode", deserialize_with = "optional_integer")]
    pub status_code: Option<i64>,
    /// A machine-readable error code.
    #[serde(default)]
    pub code: Option<Text>,
    /// A human-readable message.
    #[serde(default)]
    pub message: Option<Text>,
    /// More detail.
    #[serde(default)]
    pub details: Option<Text>,
    /// The request path the error is about.
    #[serde(default)]
    pub path: Option<Text>,
    /// When the error happened, as the server formats it.
    #[serde(default)]
    pub timestamp: Option<Text>,
    /// A unique identifier to quote to Gameye support.
    #[serde(default)]
    pub identifier: Option<Text>,
    /// Field-level validation failures (422).
    #[serde(default)]
    pub violations: Vec<Violation>,
}

/// One field-level validation failure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Violation {
    /// The field that failed validation.
    #[serde(default)]
    pub field: Text,
    /// Why it failed.
    #[serde(default)]
    pub description: Text,
}

impl ErrorBody {
    /// Whether a field holds U+0000, which C could not read whole.
    pub(crate) fn holds_nul(&self) -> bool {
        let nul = |t: &Option<Text>| t.as_deref().is_some_and(|t| t.contains('\0'));
        [
            &self.code,
            &self.message,
            &self.details,
            &self.path,
            &self.timestamp,
            &self.identifier,
        ]
        .into_iter()
        .any(nul)
            || self
                .violations
                .iter()
                .any(|v| v.field.contains('\0') || v.description.contains('\0'))
    }

    /// Parses an error body; `None` when it is not a JSON object (plain text, HTML).
    pub fn parse(body: &[u8]) -> Option<ErrorBody> {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(value @ serde_json::Value::Object(_)) => ErrorBody::deserialize(value).ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_page_error_example_decodes() {
        let body = ErrorBody::parse(
            br#"{"statusCode": 0, "code": "", "message": "", "details": "", "path": "",
                 "timestamp": "", "identifier": "",
                 "violations": [{"field": "", "description": ""}]}"#,
        )
        .unwrap();
        assert_eq!(body.status_code, Some(0));
        assert_eq!(body.message.as_deref(), Some(""));
        assert_eq!(body.violations.len(), 1);
    }

    #[test]
    fn partial_and_foreign_bodies() {
        let body =
            ErrorBody::parse(br#"{"message":"nope","violations":[{"field":"ttl"}]}"#).unwrap();
        assert_eq!(body.message.as_deref(), Some("nope"));
        assert_eq!(body.code, None);
        assert_eq!(body.violations[0].field, "ttl");
        assert_eq!(body.violations[0].description, "");
        assert!(ErrorBody::parse(b"<html>502 Bad Gateway</html>").is_none());
        assert!(ErrorBody::parse(b"[1,2]").is_none());
        assert!(ErrorBody::parse(br#"{"message": 5}"#).is_none());
    }
}
