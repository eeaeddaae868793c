//! Readers of single fields, shared by both steps of the decoder.

use std::ops::Range;

use super::RawValues;
use crate::model::collections::StringList;
use crate::model::json::{Kind, Number, Reader, Result, Span};
use crate::model::session::Players;
use crate::model::store::{Entry, Run};
use crate::model::Text;

/// Where the strings of a string map go: the two steps of the decoder read maps the same way
/// and differ only in that.
pub(super) trait MapStrings {
    /// Reads a string (a key, or a value that is one).
    fn string(&mut self, r: &mut Reader<'_>) -> Result<Span>;
    /// Keeps a value that is not a string, read as `text`, for entry `entry`.
    fn other(&mut self, r: &Reader<'_>, text: Range<usize>, entry: usize) -> Span;
}

/// The main pass: strings decoded in place; a value that is not a string is kept as its JSON
/// text, noted in `raw` and copied at the end.
pub(super) struct InPlace<'a>(pub &'a mut RawValues);

impl MapStrings for InPlace<'_> {
    fn string(&mut self, r: &mut Reader<'_>) -> Result<Span> {
        r.string()
    }

    fn other(&mut self, _: &Reader<'_>, text: Range<usize>, entry: usize) -> Span {
        self.0.push((entry, text));
        Span::default()
    }
}

/// The labels step: the input stays as it is; strings, and values kept as JSON text, are
/// appended to the buffer, NUL-terminated.
pub(super) struct Appended<'a>(pub &'a mut Vec<u8>);

impl MapStrings for Appended<'_> {
    fn string(&mut self, r: &mut Reader<'_>) -> Result<Span> {
        r.string_to(self.0)
    }

    fn other(&mut self, r: &Reader<'_>, text: Range<usize>, _: usize) -> Span {
        let at = self.0.len();
        self.0.extend_from_slice(r.raw(text.clone()));
        self.0.push(0);
        Span {
            at: at as u32,
            len: text.len() as u32,
        }
    }
}

/// An object whose values should be strings, its entries pushed to `entries`; a value of
/// another type is kept as its JSON text.
pub(super) fn string_map(
    r: &mut Reader<'_>,
    entries: &mut Vec<Entry>,
    strings: &mut impl MapStrings,
) -> Result<Run<Entry>> {
    let first = entries.len();
    let mut members = r.object()?;
    while let Some(key) = members.next_with(r, |r| strings.string(r))? {
        let value = if r.kind()? == Kind::String {
            strings.string(r)?
        } else {
            let text = r.skip()?;
            strings.other(r, text, entries.len())
        };
        entries.push([key, value]);
    }
    Ok(Run::new(first, entries.len() - first))
}

/// Bytes the reader decoded from valid UTF-8 input.
pub(super) fn utf8(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

pub(super) fn required_string(r: &mut Reader<'_>, name: &str) -> Result<Span> {
    match r.kind()? {
        Kind::String => r.string().map_err(|e| e.in_field(name)),
        _ => Err(r.error(format!("`{name}` is not a string"))),
    }
}

pub(super) fn optional_string(r: &mut Reader<'_>, name: &str) -> Result<Option<Span>> {
    if present(r, Kind::String, || format!("`{name}` is not a string"))? {
        r.string().map(Some).map_err(|e| e.in_field(name))
    } else {
        Ok(None)
    }
}

/// Whether a value of `kind` follows (left to read); false for null (read); the error `wrong`
/// makes for any other value.
pub(super) fn present(
    r: &mut Reader<'_>,
    kind: Kind,
    wrong: impl FnOnce() -> String,
) -> Result<bool> {
    match r.kind()? {
        Kind::Null => r.literal().map(|_| false),
        found if found == kind => Ok(true),
        _ => Err(r.error(wrong())),
    }
}

/// A number that may be an integer, a float (its fraction dropped) or a numeric string;
/// anything else reads as none.
pub(super) fn integer(r: &mut Reader<'_>) -> Result<Option<i64>> {
    number_as(r, Number::to_i64)
}

/// As [`integer`], but a number with a fraction reads as none (port numbers: 6898.11 is no port).
pub(super) fn whole_integer(r: &mut Reader<'_>) -> Result<Option<i64>> {
    number_as(r, Number::to_exact_i64)
}

pub(super) fn number_as(
    r: &mut Reader<'_>,
    convert: fn(Number) -> Option<i64>,
) -> Result<Option<i64>> {
    Ok(match r.kind()? {
        Kind::Number => convert(r.number()?),
        Kind::String => {
            let text = r.string()?;
            let text = utf8(r.bytes(text)).trim();
            text.parse::<i64>().ok().or_else(|| {
                text.parse::<f64>()
                    .ok()
                    .and_then(|v| convert(Number::Float(v)))
            })
        }
        Kind::Bool | Kind::Null => {
            r.literal()?;
            None
        }
        Kind::Object | Kind::Array => {
            r.skip()?;
            None
        }
    })
}

/// `players` of a described session: `{joined: [...], joinedCount}`, or null.
pub(super) fn players_field(r: &mut Reader<'_>) -> Result<Option<Box<Players>>> {
    if !present(r, Kind::Object, || "`players` is not an object".into())? {
        return Ok(None);
    }
    let mut joined = Vec::new();
    let mut joined_count = None;
    let mut members = r.object()?;
    while let Some(key) = members.next(r)? {
        match r.bytes(key) {
            b"joined" => joined = loose_strings(r)?,
            b"joinedCount" => joined_count = integer(r)?,
            _ => {
                r.skip()?;
            }
        }
    }
    Ok(Some(Box::new(Players {
        joined_count: joined_count.unwrap_or(joined.len() as i64),
        joined: StringList::from(joined),
    })))
}

/// An array of strings (other values kept as JSON text), or null for none.
pub(super) fn loose_strings(r: &mut Reader<'_>) -> Result<Vec<Text>> {
    let mut items = Vec::new();
    if !present(r, Kind::Array, || "expected an array of strings".into())? {
        return Ok(items);
    }
    let mut elements = r.array()?;
    while elements.next(r)? {
        let item = if r.kind()? == Kind::String {
            let span = r.string()?;
            Text::new(utf8(r.bytes(span)))
        } else {
            let text = r.skip()?;
            Text::new(utf8(r.raw(text)))
        };
        items.push(item);
    }
    Ok(items)
}
