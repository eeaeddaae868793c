//! Tests of the JSON reader.

use super::strings::{find_special, find_special_ascii};
use super::*;

/// Decodes in place and into another buffer; both must agree.
fn decode_string(json: &str) -> Result<String> {
    let mut buf = json.as_bytes().to_vec();
    let mut out = b"x".to_vec();
    let copied = Reader::new(&mut buf).string_to(&mut out);
    assert_eq!(buf, json.as_bytes(), "string_to leaves its input alone");
    let mut reader = Reader::new(&mut buf);
    let in_place = reader.string();
    assert_eq!(in_place.is_ok(), copied.is_ok(), "{json}");
    let span = in_place?;
    let copied = copied?;
    assert_eq!(buf[span.range().end], 0, "NUL-terminated");
    assert_eq!(out[copied.range().end], 0, "NUL-terminated");
    assert_eq!(buf[span.range()], out[copied.range()]);
    Ok(String::from_utf8(buf[span.range()].to_vec()).unwrap())
}

#[test]
fn strings_decode_in_place_as_serde_json_does() {
    for json in [
        r#""plain""#,
        r#""""#,
        r#""a\"b\\c\/d\b\f\n\r\t""#,
        r#""\u00e9\u4e2d\ud83d\ude00x""#,
        "\"caf\u{e9} \u{1F600}\"",
    ] {
        let expected: String = serde_json::from_str(json).unwrap();
        assert_eq!(decode_string(json).unwrap(), expected, "{json}");
    }
    assert_eq!(decode_string(r#""\ud800x""#).unwrap(), "\u{FFFD}x");
    for bad in [r#""abc"#, r#""\x""#, "\"a\u{1}\"", r#""\u12""#, r#""\"#] {
        assert!(decode_string(bad).is_err(), "{bad}");
    }
}

#[test]
fn special_bytes_are_found_at_every_offset() {
    for len in 0..20 {
        for at in 0..=len {
            for special in [b'"', b'\\', 0x00, 0x1f] {
                let mut bytes = vec![b'a'; len];
                bytes.extend([0x7f, 0xc3, 0xa9, b' ']);
                if at < len {
                    bytes[at] = special;
                    bytes[len..].iter_mut().for_each(|b| *b = special);
                }
                let expected = if at < len { at } else { bytes.len() };
                assert_eq!(find_special(&bytes), expected, "{len} {at} {special}");
            }
        }
    }
}

#[test]
fn numbers_follow_the_grammar() {
    let number = |json: &str| {
        let mut buf = json.as_bytes().to_vec();
        let mut reader = Reader::new(&mut buf);
        reader.number().and_then(|n| reader.finish().map(|_| n))
    };
    assert_eq!(number("12").unwrap(), Number::Int(12));
    assert_eq!(number("-0").unwrap(), Number::Int(0));
    assert_eq!(number("1.5e3").unwrap(), Number::Float(1500.0));
    assert_eq!(number("1E2").unwrap(), Number::Float(100.0));
    assert_eq!(
        number("99999999999999999999").unwrap().to_i64(),
        Some(i64::MAX)
    );
    for bad in ["01", "-", "1.", ".5", "1e", "+1", "1.5.5"] {
        assert!(number(bad).is_err(), "{bad}");
    }
}

#[test]
fn skip_returns_the_text_as_sent_and_checks_it() {
    let mut buf = br#" {"a":[1,{"b":"\u00e9"}],"c":null} ,"#.to_vec();
    let mut reader = Reader::new(&mut buf);
    let range = reader.skip().unwrap();
    assert_eq!(&buf[range], br#"{"a":[1,{"b":"\u00e9"}],"c":null}"#);
    for bad in [
        r#"{"a" 1}"#,
        "[1,]",
        "[1 2]",
        r#"{"a":1,}"#,
        "{1:2}",
        "tru",
        r#"["\q"]"#,
    ] {
        let mut buf = bad.as_bytes().to_vec();
        assert!(Reader::new(&mut buf).skip().is_err(), "{bad}");
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let mut buf = "[".repeat(100_000).into_bytes();
    assert!(Reader::new(&mut buf).skip().is_err());
}

#[test]
fn find_special_reports_whether_the_run_is_ascii() {
    // Every length and position, a non-ASCII byte before, at or after the special.
    for len in 0..40 {
        for special in 0..=len {
            for high in 0..=len {
                let mut bytes = vec![b'a'; len];
                if high < len {
                    bytes[high] = 0xC3;
                }
                if special < len {
                    bytes[special] = b'"';
                }
                let run = special.min(len);
                let ascii = high >= run;
                assert_eq!(
                    find_special_ascii(&bytes),
                    (run, ascii),
                    "{len} {special} {high}"
                );
            }
        }
    }
}

#[test]
fn integers_read_on_the_fast_path_match_the_general_reading() {
    for text in [
        "0",
        "7",
        "-3",
        "42",
        "65535",
        "1795864418948",
        "999999999999999999",
        "1000000000000000000",
        "-999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "1.5",
        "1e3",
        "-0",
        "12E2",
        "0.0",
    ] {
        let mut body = format!("{text} ").into_bytes();
        let mut reader = Reader::new(&mut body);
        let number = reader.number().unwrap();
        let expected = match text.parse::<i64>() {
            Ok(value) if !text.contains(['.', 'e', 'E']) => Number::Int(value),
            _ => Number::Float(text.parse::<f64>().unwrap()),
        };
        assert_eq!(format!("{number:?}"), format!("{expected:?}"), "{text}");
    }
    for bad in ["-", "01", "-01", "00"] {
        let mut body = format!("{bad} ").into_bytes();
        assert!(Reader::new(&mut body).number().is_err(), "{bad}");
    }
}
