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

use std::fmt;
use std::ops::Range;

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
    pub fn string(&mut self) -> Result<Span> {
        self.expect(b'"')?;
        let start = self.pos;
        let mut read = start + find_special(&self.buf[start..self.end]);
        // The common case: no escapes, the string stays where it is.
        if read < self.end && self.buf[read] == b'"' {
            self.buf[read] = 0;
            self.pos = read + 1;
            return self.checked(start, read);
        }
        let mut write = read;
        loop {
            if read >= self.end {
                self.pos = read;
                return Err(self.error("unterminated string"));
            }
            match self.buf[read] {
                b'"' => {
                    self.buf[write] = 0;
                    self.pos = read + 1;
                    return self.checked(start, write);
                }
                b'\\' => {
                    self.pos = read;
                    let (consumed, c) = self.decoded_escape(read)?;
                    // An escape is 2, 6 or 12 bytes, its UTF-8 at most 1, 3 or 4: it fits in
                    // what was read.
                    write += c.encode_utf8(&mut self.buf[write..read + consumed]).len();
                    read += consumed;
                }
                _ => {
                    self.pos = read;
                    return Err(self.error("control character in string"));
                }
            }
            // Move the run up to the next escape or the end down over the escapes read.
            let run = find_special(&self.buf[read..self.end]);
            self.buf.copy_within(read..read + run, write);
            read += run;
            write += run;
        }
    }

    /// Reads a string without changing it and appends it decoded, NUL-terminated, to `out`;
    /// its span there. On error `out` may hold part of it.
    pub fn string_to(&mut self, out: &mut Vec<u8>) -> Result<Span> {
        self.expect(b'"')?;
        let at = out.len();
        let mut read = self.pos;
        loop {
            let run = find_special(&self.buf[read..self.end]);
            out.extend_from_slice(&self.buf[read..read + run]);
            read += run;
            self.pos = read;
            match self.buf[..self.end].get(read) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => {
                    let (consumed, c) = self.decoded_escape(read)?;
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                    read += consumed;
                }
                Some(_) => return Err(self.error("control character in string")),
            }
        }
        self.pos = read + 1;
        let end = out.len();
        out.push(0);
        let span = Span {
            at: at as u32,
            len: (end - at) as u32,
        };
        if !out[at..end].is_ascii() && std::str::from_utf8(&out[at..end]).is_err() {
            return Err(self.error("invalid UTF-8 in string"));
        }
        Ok(span)
    }

    /// The span of a decoded string, after checking UTF-8 where it holds non-ASCII bytes.
    fn checked(&self, start: usize, end: usize) -> Result<Span> {
        let bytes = &self.buf[start..end];
        if !bytes.is_ascii() && std::str::from_utf8(bytes).is_err() {
            return Err(JsonError {
                message: "invalid UTF-8 in string".into(),
                at: start,
            });
        }
        Ok(Span {
            at: start as u32,
            len: (end - start) as u32,
        })
    }

    /// [`Reader::escape`] for a string that is handed out: U+0000 is refused, since C would read
    /// the string cut short there.
    fn decoded_escape(&self, read: usize) -> Result<(usize, char)> {
        match self.escape(read)? {
            (_, '\0') => Err(self.error(NUL_IN_STRING)),
            escape => Ok(escape),
        }
    }

    /// The escape at `read`: (bytes read, the character). The one reading of JSON's escape
    /// grammar: decoding and skipping both go through it.
    fn escape(&self, read: usize) -> Result<(usize, char)> {
        let Some(&kind) = self.buf[..self.end].get(read + 1) else {
            return Err(self.error("unterminated string"));
        };
        let simple = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(read),
            _ => return Err(self.error("invalid escape")),
        };
        Ok((2, simple))
    }

    /// `\uXXXX`, or a surrogate pair `\uXXXX\uXXXX`. A lone surrogate reads as U+FFFD.
    fn unicode_escape(&self, read: usize) -> Result<(usize, char)> {
        let first = self.hex4(read + 2)?;
        if !(0xD800..0xDC00).contains(&first) {
            return Ok((6, char::from_u32(first).unwrap_or('\u{FFFD}')));
        }
        let paired = read + 8 <= self.end && &self.buf[read + 6..read + 8] == b"\\u";
        match paired.then(|| self.hex4(read + 8)).transpose()? {
            Some(second) if (0xDC00..0xE000).contains(&second) => {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                Ok((12, char::from_u32(code).unwrap_or('\u{FFFD}')))
            }
            _ => Ok((6, '\u{FFFD}')),
        }
    }

    fn hex4(&self, at: usize) -> Result<u32> {
        if at + 4 > self.end {
            return Err(self.error("unterminated string"));
        }
        let mut value = 0;
        for &byte in &self.buf[at..at + 4] {
            let digit = (byte as char)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            value = value * 16 + digit;
        }
        Ok(value)
    }

    /// Reads a number.
    pub fn number(&mut self) -> Result<Number> {
        self.skip_whitespace();
        let start = self.pos;
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

    /// Skips a string without decoding it, checking its escapes.
    pub(crate) fn skip_string(&mut self) -> Result<()> {
        self.expect(b'"')?;
        let start = self.pos;
        loop {
            self.pos += find_special(&self.buf[self.pos..self.end]);
            if self.pos >= self.end {
                return Err(self.error("unterminated string"));
            }
            match self.buf[self.pos] {
                b'"' => break,
                b'\\' => self.pos += self.escape(self.pos)?.0,
                _ => return Err(self.error("control character in string")),
            }
        }
        let bytes = &self.buf[start..self.pos];
        if !bytes.is_ascii() && std::str::from_utf8(bytes).is_err() {
            return Err(self.error("invalid UTF-8 in string"));
        }
        self.pos += 1;
        Ok(())
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

/// The length of the run of `bytes` before the first quote, backslash or control character
/// (all of `bytes` when there is none). Eight bytes at a time: strings are most of a body.
fn find_special(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    // The lowest byte flagged by these classic tricks is always a true match; bytes above it
    // may be false ones, so only the first is used.
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut at = 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let found = zero_byte(w ^ (ONES * u64::from(b'"')))
            | zero_byte(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + words
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(words.remainder().len())
}

impl Members {
    /// The next key (decoded in place), or None after the closing brace.
    pub fn next(&mut self, reader: &mut Reader<'_>) -> Result<Option<Span>> {
        self.next_with(reader, |r| r.string())
    }

    /// The next key, read by `key` (e.g. [`Reader::string_to`]), or None after the brace.
    pub fn next_with<'b>(
        &mut self,
        reader: &mut Reader<'b>,
        key: impl FnOnce(&mut Reader<'b>) -> Result<Span>,
    ) -> Result<Option<Span>> {
        if !self.advance(reader)? {
            return Ok(None);
        }
        let key = key(reader)?;
        reader.expect(b':')?;
        Ok(Some(key))
    }

    /// Like `next`, but leaves the key as sent.
    fn next_raw(&mut self, reader: &mut Reader<'_>) -> Result<bool> {
        if !self.advance(reader)? {
            return Ok(false);
        }
        reader.skip_string()?;
        reader.expect(b':')?;
        Ok(true)
    }

    fn advance(&mut self, reader: &mut Reader<'_>) -> Result<bool> {
        match reader.peek() {
            Some(b'}') => {
                reader.pos += 1;
                reader.depth -= 1;
                return Ok(false);
            }
            Some(b',') if !self.first => reader.pos += 1,
            Some(b'"') if self.first => {}
            _ if self.first => return Err(reader.error("expected a key or `}`")),
            _ => return Err(reader.error("expected `,` or `}`")),
        }
        self.first = false;
        Ok(true)
    }
}

impl Elements {
    /// Whether another element follows (then read or skip it), or false after the bracket.
    pub fn next(&mut self, reader: &mut Reader<'_>) -> Result<bool> {
        match reader.peek() {
            Some(b']') => {
                reader.pos += 1;
                reader.depth -= 1;
                return Ok(false);
            }
            Some(b',') if !self.first => reader.pos += 1,
            Some(_) if self.first => {}
            _ => return Err(reader.error("expected `,` or `]`")),
        }
        self.first = false;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
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
}
