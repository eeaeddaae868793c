//! A small JSON reader that decodes strings in place.
//!
//! Session lists are the one large response. Reading them through serde cost one allocation per
//! string and a second parse of the JSON held in labels. This reader works on the response
//! buffer itself: a string's unescaped bytes are written over its escaped form (never longer)
//! and a NUL over the byte after them (at most the closing quote), so the buffer becomes the
//! storage that C borrows `const char *` pointers from. Nothing here allocates.
//!
//! Positions are absolute offsets into the buffer. A reader may be bounded to a sub-range, to
//! read JSON that a string held (the labels and port fields).
//!
//! This file holds the reader's structure (values, numbers, skipping); `containers.rs` the
//! iteration of objects and arrays; `strings.rs` the string grammar (decoding in place or into
//! another buffer, escapes, skipping), the part that is most of a body.

use std::fmt;
use std::ops::Range;

mod containers;
mod strings;
#[cfg(test)]
mod tests;

/// Nesting deeper than this is refused, as serde_json does, so a hostile body cannot overflow
/// the stack.
const MAX_DEPTH: u32 = 128;

/// Where and why a body is not JSON the decoder can use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct JsonError {
    pub message: String,
    pub at: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.at)
    }
}

impl JsonError {
    /// The error, naming the field it happened in.
    pub fn in_field(mut self, name: &str) -> JsonError {
        self.message = format!("`{name}`: {}", self.message);
        self
    }
}

/// What a decoded string holding U+0000 is refused with: C reads strings up to their first NUL,
/// so it could only see such a value cut short.
pub(crate) const NUL_IN_STRING: &str = "a string holds U+0000 (NUL), which C cannot read whole";

pub(crate) type Result<T> = std::result::Result<T, JsonError>;

/// A decoded string: `len` UTF-8 bytes at `at`, followed by a NUL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub at: u32,
    pub len: u32,
}

impl Span {
    /// Stands for a string that was not sent (no real span starts there).
    pub const ABSENT: Span = Span {
        at: u32::MAX,
        len: 0,
    };

    /// The bytes from `start` to `end` (offsets fit u32: the decoder refuses larger bodies).
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            at: start as u32,
            len: (end - start) as u32,
        }
    }

    /// `None` for [`Span::ABSENT`].
    pub fn present(self) -> Option<Span> {
        (self != Span::ABSENT).then_some(self)
    }

    pub fn range(self) -> Range<usize> {
        self.at as usize..self.at as usize + self.len as usize
    }
}

/// What the next value is, from its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

/// A JSON number: an integer when it is one and fits, else a float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    /// An integer, saturating floats and big integers; NaN reads as none.
    pub fn to_i64(self) -> Option<i64> {
        match self {
            Number::Int(v) => Some(v),
            Number::Float(v) if v.is_nan() => None,
            Number::Float(v) => Some(v as i64),
        }
    }

    /// An integer only when the number is a whole one (`6898.0` is, `6898.11` is not); for
    /// values that must not be rounded, such as port numbers.
    pub fn to_exact_i64(self) -> Option<i64> {
        match self {
            Number::Float(v) if !v.is_finite() || v.fract() != 0.0 => None,
            other => other.to_i64(),
        }
    }
}

pub(crate) struct Reader<'b> {
    buf: &'b mut [u8],
    pos: usize,
    end: usize,
    depth: u32,
}

/// Iterates the keys of an object; see [`Reader::object`].
pub(crate) struct Members {
    first: bool,
}

/// Iterates the elements of an array; see [`Reader::array`].
pub(crate) struct Elements {
    first: bool,
}

impl<'b> Reader<'b> {
    /// A reader over the whole buffer. Offsets must fit in u32 (callers check the size).
    pub fn new(buf: &'b mut [u8]) -> Reader<'b> {
        let end = buf.len();
        Reader::within(buf, 0..end)
    }

    /// A reader over `range` of the buffer: JSON that a string held.
    pub fn within(buf: &'b mut [u8], range: Range<usize>) -> Reader<'b> {
        debug_assert!(range.end <= buf.len() && range.end <= u32::MAX as usize);
        Reader {
            buf,
            pos: range.start,
            end: range.end,
            depth: 0,
        }
    }

    /// A reader over another range of the same buffer, borrowing this one meanwhile.
    pub fn nested(&mut self, range: Range<usize>) -> Reader<'_> {
        Reader::within(self.buf, range)
    }

    /// The bytes of a decoded string.
    pub fn bytes(&self, span: Span) -> &[u8] {
        &self.buf[span.range()]
    }

    pub fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError {
            message: message.into(),
            at: self.pos,
        }
    }

    fn skip_whitespace(&mut self) {
        while self.pos < self.end && matches!(self.buf[self.pos], b' ' | b'\n' | b'\r' | b'\t') {
            self.pos += 1;
        }
    }

    /// The next byte after whitespace, not read.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        (self.pos < self.end).then(|| self.buf[self.pos])
    }

    /// Reads `byte`, after whitespace.
    pub(crate) fn expect(&mut self, byte: u8) -> Result<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected `{}`", byte as char)))
        }
    }

    /// The kind of the next value, without reading it.
    pub fn kind(&mut self) -> Result<Kind> {
        match self.peek() {
            Some(b'{') => Ok(Kind::Object),
            Some(b'[') => Ok(Kind::Array),
            Some(b'"') => Ok(Kind::String),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
            Some(b't' | b'f') => Ok(Kind::Bool),
            Some(b'n') => Ok(Kind::Null),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end of JSON")),
        }
    }

    /// Succeeds when only whitespace is left.
    pub fn finish(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        Ok(())
    }

    /// Starts reading an object: `while let Some(key) = members.next(&mut reader)? { … }`,
    /// reading or skipping each value.
    pub fn object(&mut self) -> Result<Members> {
        self.expect(b'{')?;
        self.enter()?;
        Ok(Members { first: true })
    }

    /// Starts reading an array: `while elements.next(&mut reader)? { … }`, reading or skipping
    /// each element.
    pub fn array(&mut self) -> Result<Elements> {
        self.expect(b'[')?;
        self.enter()?;
        Ok(Elements { first: true })
    }

    /// Reads a string, decoding it in place; NUL-terminated.
    /// Reads a number.
    pub fn number(&mut self) -> Result<Number> {
        self.skip_whitespace();
        let start = self.pos;
        // The common case, read as it is scanned: an integer of at most 18 digits (no overflow).
        let negative = self.at_byte(b'-');
        let digits = start + usize::from(negative);
        let mut at = digits;
        let mut value: i64 = 0;
        while at < self.end && at - digits < 18 && self.buf[at].is_ascii_digit() {
            value = value * 10 + i64::from(self.buf[at] - b'0');
            at += 1;
        }
        let count = at - digits;
        let next = self.buf[..self.end].get(at);
        if count > 0
            && (count == 1 || self.buf[digits] != b'0')
            && !matches!(next, Some(b'0'..=b'9' | b'.' | b'e' | b'E'))
        {
            self.pos = at;
            return Ok(Number::Int(if negative { -value } else { value }));
        }
        let text = self.scan_number()?;
        let text = &self.buf[text];
        // The grammar was checked, so the text is ASCII.
        let text = std::str::from_utf8(text).unwrap_or_default();
        let is_integer = !text.contains(['.', 'e', 'E']);
        if is_integer {
            if let Ok(value) = text.parse::<i64>() {
                return Ok(Number::Int(value));
            }
        }
        text.parse::<f64>()
            .map(Number::Float)
            .map_err(|_| JsonError {
                message: "invalid number".into(),
                at: start,
            })
    }

    /// Checks the JSON number grammar and returns the number's range.
    fn scan_number(&mut self) -> Result<Range<usize>> {
        let start = self.pos;
        let digits = |reader: &mut Reader<'_>| {
            let from = reader.pos;
            while reader.pos < reader.end && reader.buf[reader.pos].is_ascii_digit() {
                reader.pos += 1;
            }
            reader.pos - from
        };
        if self.at_byte(b'-') {
            self.pos += 1;
        }
        let whole = self.pos;
        let count = digits(self);
        if count == 0 || (count > 1 && self.buf[whole] == b'0') {
            return Err(self.error("invalid number"));
        }
        if self.at_byte(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if self.at_byte(b'e') || self.at_byte(b'E') {
            self.pos += 1;
            if self.at_byte(b'+') || self.at_byte(b'-') {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(start..self.pos)
    }

    fn at_byte(&self, byte: u8) -> bool {
        self.pos < self.end && self.buf[self.pos] == byte
    }

    /// Reads `true`, `false` or `null`: Some(bool), or None for null.
    pub fn literal(&mut self) -> Result<Option<bool>> {
        self.skip_whitespace();
        for (word, value) in [
            (&b"true"[..], Some(true)),
            (b"false", Some(false)),
            (b"null", None),
        ] {
            if self.end - self.pos >= word.len()
                && &self.buf[self.pos..self.pos + word.len()] == word
            {
                self.pos += word.len();
                return Ok(value);
            }
        }
        Err(self.error("expected a value"))
    }

    /// Skips a value without changing it and returns its range: the JSON text as sent.
    pub fn skip(&mut self) -> Result<Range<usize>> {
        self.skip_whitespace();
        let start = self.pos;
        match self.kind()? {
            Kind::Object => {
                let mut members = self.object()?;
                while members.next_raw(self)? {
                    self.skip()?;
                }
            }
            Kind::Array => {
                let mut elements = self.array()?;
                while elements.next(self)? {
                    self.skip()?;
                }
            }
            Kind::String => {
                self.skip_string()?;
            }
            Kind::Number => {
                self.scan_number()?;
            }
            Kind::Bool | Kind::Null => {
                self.literal()?;
            }
        }
        Ok(start..self.pos)
    }

    /// The bytes of a range read before (e.g. by [`Reader::skip`]).
    pub fn raw(&self, range: Range<usize>) -> &[u8] {
        &self.buf[range]
    }

    /// The number of bytes left to read.
    pub fn remaining(&self) -> usize {
        self.end - self.pos
    }

    /// The position of the next byte to read.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Moves back to a position read before.
    pub fn rewind(&mut self, to: usize) {
        self.pos = to;
    }
}
