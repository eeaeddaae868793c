//! The string grammar of the JSON reader: decoding a string in place or into another buffer,
//! its escapes (written once: decoding and skipping both use `escape`), and skipping one.

use super::{JsonError, Reader, Result, Span, NUL_IN_STRING};

impl Reader<'_> {
    /// Reads a string, decoding it in place; NUL-terminated.
    pub fn string(&mut self) -> Result<Span> {
        self.expect(b'"')?;
        let start = self.pos;
        let (run, mut ascii) = find_special_ascii(&self.buf[start..self.end]);
        let mut read = start + run;
        // The common case: no escapes, the string stays where it is.
        if read < self.end && self.buf[read] == b'"' {
            self.buf[read] = 0;
            self.pos = read + 1;
            return if ascii {
                Ok(Span::new(start, read))
            } else {
                self.checked(start, read)
            };
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
                    // Escapes decode to valid UTF-8: only raw runs can hold invalid bytes.
                    return if ascii {
                        Ok(Span::new(start, write))
                    } else {
                        self.checked(start, write)
                    };
                }
                b'\\' => match self.buf[..self.end].get(read + 1) {
                    // The escapes of JSON held in a string (labels): one byte, no lookup.
                    Some(&byte @ (b'"' | b'\\' | b'/')) => {
                        self.buf[write] = byte;
                        write += 1;
                        read += 2;
                    }
                    _ => {
                        self.pos = read;
                        let (consumed, c) = self.decoded_escape(read)?;
                        // An escape is 2, 6 or 12 bytes, its UTF-8 at most 1, 3 or 4: it fits
                        // in what was read.
                        write += c.encode_utf8(&mut self.buf[write..read + consumed]).len();
                        read += consumed;
                    }
                },
                _ => {
                    self.pos = read;
                    return Err(self.error("control character in string"));
                }
            }
            // Move the run up to the next escape or the end down over the escapes read.
            let (run, run_ascii) = find_special_ascii(&self.buf[read..self.end]);
            ascii &= run_ascii;
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
        let mut ascii = true;
        loop {
            let (run, run_ascii) = find_special_ascii(&self.buf[read..self.end]);
            ascii &= run_ascii;
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
        // Escapes decode to valid UTF-8: only raw runs can hold invalid bytes.
        if !ascii && std::str::from_utf8(&out[at..end]).is_err() {
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
        Ok(Span::new(start, end))
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
}

/// The length of the run of `bytes` before the first quote, backslash or control character
/// (all of `bytes` when there is none).
pub(super) fn find_special(bytes: &[u8]) -> usize {
    find_special_ascii(bytes).0
}

/// [`find_special`], and whether that run is all ASCII (then it is valid UTF-8 without a
/// second look). Eight bytes at a time: strings are most of a body.
pub(super) fn find_special_ascii(bytes: &[u8]) -> (usize, bool) {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    // The lowest byte flagged by these classic tricks is always a true match; bytes above it
    // may be false ones, so only the first is used. Bytes of 0x80 and above are never flagged.
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut at = 0;
    let mut high = 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let found = zero_byte(w ^ (ONES * u64::from(b'"')))
            | zero_byte(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
        if found != 0 {
            let index = (found.trailing_zeros() / 8) as usize;
            // Only the bytes before the one found belong to the run.
            let before = (1u64 << (8 * index)).wrapping_sub(1);
            high |= w & HIGH & before;
            return (at + index, high == 0);
        }
        high |= w & HIGH;
        at += 8;
    }
    let rest = words.remainder();
    let run = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(rest.len());
    (at + run, high == 0 && rest[..run].is_ascii())
}
