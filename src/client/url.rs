//! URL building: base URL checks, percent-encoding of path segments and query parts.

use std::fmt::Write;
use std::net::IpAddr;

use super::Error;

/// The longest base URL accepted: room for any request path after it within what HTTP stacks
/// and proxies take (8 KiB request lines are common).
pub(crate) const MAX_BASE_URL_BYTES: usize = 2048;

/// A checked base URL: scheme, authority and an optional path prefix, no trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// The whole URL without a trailing slash.
    pub url: String,
    /// The same, NUL-terminated, for the C ABI (gameye_client_endpoint).
    pub c_url: std::ffi::CString,
    /// `host:port` (or host), for messages.
    pub authority: String,
    pub https: bool,
    pub loopback: bool,
}

impl BaseUrl {
    /// Parses and checks a base URL: http(s) only; no credentials, query or fragment; no
    /// spaces or control characters.
    ///
    /// Every check a request would make is made here, so a URL that every request would refuse
    /// is refused where it is set: at most [`MAX_BASE_URL_BYTES`] bytes, ASCII only (an
    /// international domain name is written in its `xn--` form), a port of digits alone in
    /// 1–65535, and a URL the HTTP stack accepts with a request path after it.
    pub fn parse(input: &str) -> Result<BaseUrl, Error> {
        // Never the password of a URL that holds one: it is refused below, and its message
        // must not repeat it.
        let shown: String = redact_userinfo(input).chars().take(80).collect();
        let bad = |why: &str| Error::invalid_argument(format!("invalid base URL {shown:?}: {why}"));
        if input.len() > MAX_BASE_URL_BYTES {
            return Err(bad(&format!(
                "it is {} bytes long; at most {MAX_BASE_URL_BYTES} are allowed",
                input.len()
            )));
        }
        if input.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(bad("it contains spaces or control characters"));
        }
        if !input.is_ascii() {
            return Err(bad(
                "it contains non-ASCII characters (write an international domain name in its \
                 xn-- form, and percent-encode a path)",
            ));
        }
        let lower = input.to_ascii_lowercase();
        let (https, rest) = if lower.starts_with("https://") {
            (true, &input[8..])
        } else if lower.starts_with("http://") {
            (false, &input[7..])
        } else {
            return Err(bad(
                "it must start with https:// (or http:// for a local emulator)",
            ));
        };
        if rest.contains(['?', '#']) {
            return Err(bad("it must not have a query or fragment"));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(bad(
                "credentials in the URL are not allowed; set the token instead",
            ));
        }
        let host = host_of(authority).ok_or_else(|| bad("it has no valid host"))?;
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        let scheme = if https { "https://" } else { "http://" };
        let url = format!("{scheme}{authority}{}", path.trim_end_matches('/'));
        // What every request does with it: the URL of a request path, parsed by the HTTP stack.
        if format!("{url}/session").parse::<ureq::http::Uri>().is_err() {
            return Err(bad(
                "it has characters a URL may not hold (percent-encode them in the path)",
            ));
        }
        Ok(BaseUrl {
            c_url: std::ffi::CString::new(url.as_str()).expect("control characters are refused"),
            url,
            authority: authority.to_owned(),
            https,
            loopback,
        })
    }
}

/// `input` with the user and password of its authority (`scheme://user:pass@host`) written
/// as `***`.
pub(crate) fn redact_userinfo(input: &str) -> std::borrow::Cow<'_, str> {
    let Some(start) = input.find("://").map(|i| i + 3) else {
        return input.into();
    };
    let end = input[start..]
        .find(['/', '?', '#'])
        .map_or(input.len(), |i| start + i);
    match input[start..end].rfind('@') {
        Some(at) => format!("{}***{}", &input[..start], &input[start + at..]).into(),
        None => input.into(),
    }
}

/// The host of `host[:port]` or `[v6][:port]`; `None` when empty or malformed.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if let Some(port) = port {
        // Digits alone: `u16::from_str` would take "+80", which no request can use.
        let digits =
            !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
        if !digits || port.parse::<u16>().ok()? == 0 {
            return None;
        }
    }
    (!host.is_empty()).then_some(host)
}

/// Appends `text` percent-encoded: everything but RFC 3986 unreserved characters is escaped,
/// so no value can end a segment, start a query or reach another route.
pub(crate) fn push_encoded(out: &mut String, text: &str) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// A query string under construction.
#[derive(Default)]
pub(crate) struct Query(String);

impl Query {
    /// Adds `key=value`, both encoded.
    pub fn push(&mut self, key: &str, value: &str) {
        self.push_deep(key, None, value);
    }

    /// Adds `key[sub]=value` in the OpenAPI `deepObject` style (brackets encoded too).
    pub fn push_deep(&mut self, key: &str, sub: Option<&str>, value: &str) {
        self.0.push(if self.0.is_empty() { '?' } else { '&' });
        push_encoded(&mut self.0, key);
        if let Some(sub) = sub {
            self.0.push_str("%5B");
            push_encoded(&mut self.0, sub);
            self.0.push_str("%5D");
        }
        self.0.push('=');
        push_encoded(&mut self.0, value);
    }

    /// `?a=b&…`, or empty.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Percent-encodes `value` as one path segment after `prefix`; `what` names it in the error
/// for an empty value.
pub(crate) fn path_with(prefix: &str, value: &str, what: &str) -> Result<String, Error> {
    let mut path = String::from(prefix);
    push_segment(&mut path, value, what)?;
    Ok(path)
}

/// Appends `value` as one percent-encoded path segment, so no value can reach another route.
/// `.` and `..` are refused: percent-encoding leaves them as they are, and a proxy would
/// normalise them as dot-segments into another path.
pub(crate) fn push_segment(path: &mut String, value: &str, what: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_argument(format!("{what} must not be empty")));
    }
    if value == "." || value == ".." {
        return Err(Error::invalid_argument(format!(
            "{what} must not be {value:?}: it would name another path"
        )));
    }
    push_encoded(path, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_normalised() {
        let url = BaseUrl::parse("https://api.sandbox-gameye.gameye.net/").unwrap();
        assert_eq!(url.url, "https://api.sandbox-gameye.gameye.net");
        assert!(url.https && !url.loopback);
        let local = BaseUrl::parse("http://127.0.0.1:8080/prefix/").unwrap();
        assert_eq!(local.url, "http://127.0.0.1:8080/prefix");
        assert!(local.loopback);
        assert!(BaseUrl::parse("http://[::1]:9").unwrap().loopback);
        assert!(BaseUrl::parse("HTTP://localhost").unwrap().loopback);
        for bad in [
            "ftp://x",
            "x",
            "https://",
            "https://user:pw@host",
            "https://h?x=1",
            "https://h#f",
            "https://h:99999",
            "https://h x",
            "https://h\n",
            "https://:80",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_url_with_credentials_is_refused_without_repeating_them() {
        let error = BaseUrl::parse("https://user:s3cr3t-pw@api.example/v2").unwrap_err();
        assert!(!error.message().contains("s3cr3t"), "{}", error.message());
        assert!(
            error.message().contains("https://***@api.example/v2"),
            "{}",
            error.message()
        );
        assert_eq!(redact_userinfo("http://a@b@h:1/p@q"), "http://***@h:1/p@q");
        assert_eq!(redact_userinfo("https://h/p@q"), "https://h/p@q");
    }

    /// Each of these was accepted once and refused by every request made with it.
    #[test]
    fn urls_every_request_would_refuse_are_refused_at_once() {
        let long = format!("https://h/{}", "a".repeat(100_000));
        for bad in [
            "https://bücher.example",
            "https://h/pfad/ä",
            "https://h`x",
            "https://h/`",
            "https://h:+80",
            "https://h:0",
            "https://h:080000",
            "https://h:8a",
            "https://h:",
            "http://[::1]:+9",
            long.as_str(),
        ] {
            let error = BaseUrl::parse(bad).expect_err(bad);
            assert!(
                error.message().len() < 400,
                "a short message: {}",
                error.message()
            );
        }
        // What is refused is refused by a request too; what is kept still works.
        for good in [
            "https://xn--bcher-kva.example",
            "http://127.0.0.1:080",
            "https://h/a%C3%A4",
        ] {
            let url = BaseUrl::parse(good).expect(good);
            assert!(format!("{}/session", url.url)
                .parse::<ureq::http::Uri>()
                .is_ok());
        }
    }

    #[test]
    fn everything_but_unreserved_is_encoded() {
        let mut out = String::new();
        push_encoded(&mut out, "../x?y#z &é");
        assert_eq!(out, "..%2Fx%3Fy%23z%20%26%C3%A9");
        let mut query = Query::default();
        query.push("all", "true");
        query.push_deep("filter", Some("a]b"), "1&2");
        assert_eq!(query.as_str(), "?all=true&filter%5Ba%5Db%5D=1%262");
    }
}
