//! Tests of errors: bodies, hints, redaction.

use super::body::SNIPPET_CHARS;
use super::*;

#[test]
fn json_error_bodies_keep_every_field() {
    let error = Error::from_response(
        422,
        br#"{"statusCode":422,"code":"validation_failed","message":"Bad request.","details":"d",
            "path":"/session","timestamp":"t","identifier":"id-1",
            "violations":[{"field":"ttl","description":"bad"}]}"#,
        "https://x",
        None,
    );
    assert_eq!(error.status(), Status::InvalidRequest);
    assert_eq!(error.http_status(), 422);
    assert_eq!(error.message(), "Bad request.");
    let body = error.body().unwrap();
    assert_eq!(body.identifier.as_deref(), Some("id-1"));
    assert_eq!(body.violations[0].field, "ttl");
}

#[test]
fn html_from_a_proxy_keeps_its_status_and_text() {
    let page = format!(
        "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
        "x ".repeat(1000)
    );
    let error = Error::from_response(502, page.as_bytes(), "https://x", None);
    assert_eq!(error.status(), Status::Server);
    assert_eq!(error.http_status(), 502);
    assert!(
        error.message().contains("502 Bad Gateway"),
        "{}",
        error.message()
    );
    assert!(error.message().chars().count() < SNIPPET_CHARS + 20);
    assert!(error.body().is_none());
}

#[test]
fn a_401_hints_that_tokens_are_per_environment_and_keeps_the_message() {
    let error = Error::from_response(
        401,
        br#"{"message":"  Unauthorized "}"#,
        "https://api.sandbox-gameye.gameye.net",
        None,
    );
    assert_eq!(error.status(), Status::Unauthorized);
    assert_eq!(error.message(), "  Unauthorized ", "unchanged");
    let hint = error.hint().unwrap();
    assert!(hint.contains("sandbox and production tokens are not interchangeable"));
    assert!(hint.contains("https://api.sandbox-gameye.gameye.net"));
}

#[test]
fn empty_bodies_get_a_sentence() {
    let error = Error::from_response(420, b"", "https://x", None);
    assert_eq!(error.status(), Status::RateLimited);
    assert!(error.message().contains("try another location"));
    assert_eq!(
        Error::from_response(418, b"", "x", None).status(),
        Status::Http
    );
}

#[test]
fn json_of_another_shape_keeps_its_words() {
    let problem = br#"{"type":"about:blank","title":"Bad Gateway","status":502,
        "detail":"upstream api-7 timed out"}"#;
    let error = Error::from_response(502, problem, "https://x", None);
    assert_eq!(error.status(), Status::Server);
    assert_eq!(
        error.message(),
        "HTTP 502: Bad Gateway: upstream api-7 timed out"
    );
    let error = Error::from_response(503, br#"{"error":"maintenance window"}"#, "x", None);
    assert_eq!(error.message(), "HTTP 503: maintenance window");
    let error = Error::from_response(500, br#"{"error":{"message":"boom"}}"#, "x", None);
    assert_eq!(error.message(), "HTTP 500: boom");
    let error = Error::from_response(500, br#"{"unexpected":[1,2]}"#, "x", None);
    assert_eq!(error.message(), r#"HTTP 500: {"unexpected":[1,2]}"#);
}

#[test]
fn a_nul_in_an_error_body_is_shown_not_cut() {
    let error = Error::from_response(400, br#"{"message":"bad\u0000tail"}"#, "x", None);
    assert!(
        error.message().contains(r"bad\u0000tail"),
        "{}",
        error.message()
    );
    assert!(!error.message().contains('\0'));
}

#[test]
fn redaction_reaches_every_field() {
    let body = br#"{"message":"echo Bearer s3cret-token","details":"s3cret-token",
        "code":"s3cret-token","path":"/x?s3cret-token","timestamp":"s3cret-token",
        "identifier":"s3cret-token",
        "violations":[{"field":"s3cret-token","description":"s3cret-token"}]}"#;
    let error = Error::from_response(401, body, "https://x", None).redact("s3cret-token");
    assert!(!format!("{error:?}").contains("s3cret-token"), "{error:?}");
    assert_eq!(error.message(), "echo Bearer [redacted]");
}

#[test]
fn short_secrets_are_removed_only_as_words() {
    assert_eq!(
        redacted("transport error: Bearer t, t", "t").as_deref(),
        Some("transport error: Bearer [redacted], [redacted]")
    );
    assert_eq!(redacted("transport error talking", "t"), None);
    assert_eq!(
        redacted("x=long-secret-token&y", "long-secret-token").as_deref(),
        Some("x=[redacted]&y")
    );
    assert_eq!(
        redacted("%20long-secret-token%22", "long-secret-token").as_deref(),
        Some("%20[redacted]%22"),
        "long tokens go wherever they stand"
    );
}

#[test]
fn retry_after_is_kept_for_the_statuses_that_use_it() {
    let wait = Some(Duration::from_secs(3));
    let error = Error::from_response(420, b"", "x", wait);
    assert_eq!(error.retry_after(), wait);
    assert!(error.hint().unwrap().contains("3000 ms"));
    assert_eq!(
        Error::from_response(500, b"", "x", wait).retry_after(),
        None
    );
}
