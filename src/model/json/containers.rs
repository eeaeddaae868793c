//! Iterating the members of an object and the elements of an array.

use super::{Elements, Members, Reader, Result, Span};

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
    pub(super) fn next_raw(&mut self, reader: &mut Reader<'_>) -> Result<bool> {
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
