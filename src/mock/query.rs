//! Percent-decoding of paths and query strings, strict about bad escapes.

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`); `None` for a bad escape or
/// a result that is not UTF-8.
pub(crate) fn percent_decode(input: &str, plus_is_space: bool) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                // Two hex digits exactly: from_str_radix alone would take "+1" as a number.
                let hex = bytes.get(i + 1..i + 3)?;
                let digit = |b: u8| (b as char).to_digit(16);
                out.push((digit(hex[0])? * 16 + digit(hex[1])?) as u8);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Splits and decodes a query string into pairs, in order; `None` when any part is bad.
pub(crate) fn parse_query(raw: &str) -> Option<Vec<(String, String)>> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            Some((percent_decode(key, true)?, percent_decode(value, true)?))
        })
        .collect()
}

/// Splits and decodes a path into segments; `None` when a segment is badly escaped.
pub(crate) fn path_segments(raw: &str) -> Option<Vec<String>> {
    raw.trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode(s, false))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_rejects() {
        assert_eq!(percent_decode("a%2Fb+c", true).as_deref(), Some("a/b c"));
        assert_eq!(percent_decode("a+b", false).as_deref(), Some("a+b"));
        assert_eq!(percent_decode("%zz", true), None);
        assert_eq!(percent_decode("%4", true), None);
        assert_eq!(percent_decode("%ff", true), None);
        assert_eq!(
            percent_decode("%+1", true),
            None,
            "a sign is not a hex digit"
        );
        assert_eq!(percent_decode("%-1", false), None);
        let query = parse_query("filter%5Bmode%5D=ffa&all=true&x").unwrap();
        assert_eq!(query[0], ("filter[mode]".into(), "ffa".into()));
        assert_eq!(query[2], ("x".into(), "".into()));
        assert_eq!(
            path_segments("/session/..%2Fx%3Fy").unwrap(),
            vec!["session", "../x?y"]
        );
    }
}
