//! Removing the bearer token from what a server says: a proxy or a misbehaving server may echo
//! the request's `Authorization` header.

/// Tokens shorter than this are removed only where they stand as a word of their own: a short
/// string (a test token such as "t") occurs inside ordinary words. Gameye's tokens are far longer.
const SHORT_SECRET: usize = 8;

/// `text` with every occurrence of `secret` replaced by `[redacted]`; `None` when it holds none.
pub(crate) fn redacted(text: &str, secret: &str) -> Option<String> {
    if secret.is_empty() || !text.contains(secret) {
        return None;
    }
    if secret.len() >= SHORT_SECRET {
        return Some(text.replace(secret, "[redacted]"));
    }
    let word =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "-_.~+/=".contains(c));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(at) = rest.find(secret) {
        let before = if at > 0 {
            rest[..at].chars().next_back()
        } else {
            out.chars().next_back()
        };
        let after = rest[at + secret.len()..].chars().next();
        out.push_str(&rest[..at]);
        if word(before) || word(after) {
            out.push_str(secret);
        } else {
            out.push_str("[redacted]");
            changed = true;
        }
        rest = &rest[at + secret.len()..];
    }
    out.push_str(rest);
    changed.then_some(out)
}
