//! The wrapped forms of docs/C-API.md "Wire tolerance": `port` and `labels` may arrive as a string
//! holding `{"port": {…}}` or `{"labels": {…}}` (the seed documentation page shows them so).
//! Recognised without changing the buffer, so the text stays as sent when it is not one.

use crate::model::json::{Kind, Reader, Result};

/// Whether the next value is an object of exactly one member named `wrapper` whose value is an
/// object: then the position of that inner object. Reads nothing (the position is back where it
/// was), and changes nothing.
pub(super) fn wrapped_object(r: &mut Reader<'_>, wrapper: &str) -> Result<Option<usize>> {
    let start = r.position();
    let found = find_wrapped(r, wrapper);
    r.rewind(start);
    found
}

fn find_wrapped(r: &mut Reader<'_>, wrapper: &str) -> Result<Option<usize>> {
    r.expect(b'{')?;
    if r.peek() != Some(b'"') {
        return Ok(None);
    }
    let key_start = r.position();
    r.skip_string()?;
    if !raw_string_equals(r.raw(key_start..r.position()), wrapper) {
        return Ok(None);
    }
    r.expect(b':')?;
    if r.kind()? != Kind::Object {
        return Ok(None);
    }
    let inner = r.position();
    r.skip()?;
    Ok((r.peek() == Some(b'}')).then_some(inner))
}

/// Whether `raw` (a JSON string as sent, quotes included) decodes to `expected`.
fn raw_string_equals(raw: &[u8], expected: &str) -> bool {
    match raw {
        [b'"', inner @ .., b'"'] if !inner.contains(&b'\\') => inner == expected.as_bytes(),
        [b'"', ..] => {
            let mut copy = raw.to_vec();
            let len = copy.len();
            let mut reader = Reader::within(&mut copy, 0..len);
            reader
                .string()
                .is_ok_and(|span| reader.bytes(span) == expected.as_bytes())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_strings_compare_decoded() {
        assert!(raw_string_equals(br#""port""#, "port"));
        assert!(raw_string_equals(br#""p\u006frt""#, "port"));
        assert!(!raw_string_equals(b"1", "port"));
        assert!(!raw_string_equals(br#""ports""#, "port"));
    }

    #[test]
    fn only_a_single_wrapper_member_holding_an_object_counts() {
        for (json, found) in [
            (r#"{"port": {"80/tcp": 1}}"#, true),
            (r#" { "p\u006frt" : {} } "#, true),
            (r#"{"port": {"80/tcp": 1}, "x": 1}"#, false),
            (r#"{"port": 5}"#, false),
            (r#"{"80/tcp": 1}"#, false),
            (r#"{}"#, false),
        ] {
            let mut buf = json.as_bytes().to_vec();
            let before = buf.clone();
            let mut r = Reader::new(&mut buf);
            let at = wrapped_object(&mut r, "port").unwrap();
            assert_eq!(at.is_some(), found, "{json}");
            assert_eq!(r.position(), 0, "{json}: nothing read");
            assert_eq!(buf, before, "{json}: nothing changed");
        }
    }
}
