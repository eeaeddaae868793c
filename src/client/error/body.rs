//! The words of an error body that is not the API's `ErrorResponse`, or has no message: what a
//! proxy's HTML page, a problem+json or a text body says, cut to a sane length.

/// Longest piece of a non-JSON error body kept in a message.
pub(super) const SNIPPET_CHARS: usize = 300;

/// A short description of an HTTP status, for bodies without a message.
pub(super) fn describe(http_status: u16) -> &'static str {
    match http_status {
        400 | 422 => "the request was rejected as invalid",
        401 => "the API token was rejected",
        402 => "the account's quota is exhausted",
        403 => "the API token lacks the scope this operation needs",
        404 => "not found",
        409 => "conflict with the current state of the session",
        420 => {
            "no capacity in that location right now, or too many starts in a short time; \
                retry later or try another location"
        }
        429 => "too many requests; retry later",
        500..=599 => "the server failed to handle the request",
        _ => "unexpected response",
    }
}

/// The words of an error body that is not an `ErrorResponse` with a message: an RFC 9457
/// problem's `title` and `detail`, a `message` or `error` member, else the body's start.
/// `None` for an empty body.
pub(super) fn foreign_text(body: &[u8]) -> Option<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let member = |value: &serde_json::Value, key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty() && !s.contains('\0'))
            .map(str::to_owned)
    };
    if let Ok(value @ serde_json::Value::Object(_)) = serde_json::from_slice(body) {
        let words = match (member(&value, "title"), member(&value, "detail")) {
            (Some(title), Some(detail)) => Some(format!("{title}: {detail}")),
            (title, detail) => title
                .or(detail)
                .or_else(|| member(&value, "message"))
                .or_else(|| member(&value, "error"))
                .or_else(|| value.get("error").and_then(|e| member(e, "message"))),
        };
        if let Some(words) = words {
            return Some(snippet(words.as_bytes()));
        }
    }
    Some(snippet(body))
}

/// The start of a body as one line of text.
pub(super) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    for (count, word) in text.split_whitespace().enumerate() {
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > SNIPPET_CHARS {
            break;
        }
    }
    match out.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => {
            out.truncate(cut);
            out.push('…');
            out
        }
        None => out,
    }
}
