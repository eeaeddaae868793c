//! The second step of the decoder: the strings of the JSON held in `labels.tags` and
//! `labels.env`, decoded into chunks of their own (the labels keep their text as sent), and the
//! map values kept as JSON text; then every session is pointed at the final storage.
//!
//! Each map's text is read once, its strings decoded straight into the chunk that keeps them
//! (room for the whole text is made first: a decoded map is never larger than its JSON). The
//! only other look at those texts is the count of their colons that sizes the entries (memchr's
//! SIMD count).

use std::ops::Range;

use super::fields::{string_map, Appended};
use super::{Decoder, RawValues};
use crate::model::collections::StringMap;
use crate::model::json::{Reader, Span};
use crate::model::recycle::Buffers;
use crate::model::session::Session;
use crate::model::store::{Entry, Run, Store};

impl Decoder {
    /// Decodes the JSON in labels, copies what needs a copy, and points every session at the
    /// final storage. `spare` lends its chunks and entry vectors; `fresh` says none were
    /// reused, so vectors sized by estimate are shrunk to fit.
    pub(super) fn finish(
        mut self,
        mut body: Vec<u8>,
        sessions: &mut [Session],
        spare: Buffers,
        fresh: bool,
    ) -> Store {
        if fresh {
            // The vectors of the main pass are complete: give back what the estimates
            // overshot before the second pass allocates (allocators shrink in place).
            self.entries.shrink_to_fit();
            self.ports.shrink_to_fit();
        }
        // The labels keep their text as sent; the strings of tags and env are decoded from it
        // into buffers of their own (growing the body would move it).
        // Sized first (the loop below finds the same labels again, rather than keeping a
        // vector of them alive at the peak).
        let (mut colons, mut size) = (0, 0);
        for session in sessions.iter() {
            for text in self.label_json(&body, session).into_iter().flatten() {
                colons += memchr::memchr_iter(b':', &body[text.clone()]).count();
                size += text.len();
            }
        }
        let mut copies = Copies::new(size, spare.chunks);
        let mut copy_entries = spare.copy_entries;
        super::reserve_to(&mut copy_entries, colons);
        for session in sessions.iter_mut() {
            let [tags, env] = self.label_json(&body, session);
            for (text, slot) in [(tags, &mut session.tags), (env, &mut session.env)] {
                if let Some(text) = text {
                    *slot = copies.decode_map(&mut body, text, &mut copy_entries);
                }
            }
        }
        copy_raw_values(&mut body, &mut self.entries, &self.raw);
        let mut store = Store {
            body,
            copies: copies.chunks,
            raw: self.raw,
            entries: self.entries,
            copy_entries,
            ports: self.ports,
        };
        let base = store.body.as_ptr();
        for port in &mut store.ports {
            port.resolve(base);
        }
        for session in sessions.iter_mut() {
            session.resolve(&store);
        }
        store
    }

    /// The text of `labels.tags` and `labels.env` (the first of each): a string label's
    /// decoded text, or the JSON text of a label sent as another value.
    fn label_json(&self, body: &[u8], session: &Session) -> [Option<Range<usize>>; 2] {
        let mut found = [None, None];
        for index in session.labels.range() {
            let [key, value] = self.entries[index];
            let slot = match &body[key.range()] {
                b"tags" => 0,
                b"env" => 1,
                _ => continue,
            };
            if found[slot].is_none() {
                found[slot] = Some(match self.raw.binary_search_by_key(&index, |(e, _)| *e) {
                    Ok(at) => self.raw[at].1.clone(),
                    Err(_) => value.range(),
                });
            }
        }
        found
    }
}

/// The buffers that hold the strings of the tags and env maps. Each map is decoded straight
/// into a chunk with room for its whole JSON text: a chunk never grows past its capacity, so
/// strings never move once placed, and the chunks add up to about what the maps need (plus the
/// room the last map's text left unused, and the unused end of the last chunk).
struct Copies {
    chunks: Vec<Vec<u8>>,
    /// Emptied chunks of a reused set, taken before allocating a new one.
    spare: Vec<Vec<u8>>,
    /// The size of the JSON texts still to decode: no more than that is needed, so small
    /// responses get small chunks.
    left: usize,
}

impl Copies {
    const CHUNK: usize = 64 * 1024;

    /// Room for maps decoded from `size` bytes of JSON in all, reusing `spare` chunks (empty).
    fn new(size: usize, mut spare: Vec<Vec<u8>>) -> Copies {
        spare.reverse(); // popped in their former order
        Copies {
            chunks: Vec::with_capacity(spare.len()),
            spare,
            left: size,
        }
    }

    /// Decodes the JSON object at `text` of `body` (left as it is) as a string map; empty when
    /// it is not one.
    fn decode_map(
        &mut self,
        body: &mut [u8],
        text: Range<usize>,
        entries: &mut Vec<Entry>,
    ) -> StringMap {
        let json = text.len();
        let chunk = self.room(json);
        let (first, start) = (entries.len(), chunk.len());
        let mut reader = Reader::within(body, text);
        let decoded =
            string_map(&mut reader, entries, &mut Appended(chunk)).and_then(|_| reader.finish());
        // Not only in debug builds: a chunk that grew would move the strings placed before.
        assert!(
            chunk.len() - start <= json,
            "a decoded map outgrew its JSON"
        );
        if decoded.is_err() {
            chunk.truncate(start);
            entries.truncate(first);
            return StringMap::new(Run::empty());
        }
        StringMap::placed(chunk.as_ptr(), Run::new(first, entries.len() - first))
    }

    /// The chunk to decode `json` bytes of JSON into: the last one if that many bytes fit in
    /// what it has left, else a new one (a spare reused, or allocated).
    fn room(&mut self, json: usize) -> &mut Vec<u8> {
        let fits = |chunk: &Vec<u8>| chunk.capacity() - chunk.len() >= json;
        if !self.chunks.last().is_some_and(fits) {
            let size = json + Copies::CHUNK.min(self.left.saturating_sub(json));
            let chunk = match self.spare.pop() {
                Some(mut chunk) => {
                    super::reserve_to(&mut chunk, size);
                    chunk
                }
                None => Vec::with_capacity(size),
            };
            self.chunks.push(chunk);
        }
        self.left = self.left.saturating_sub(json);
        self.chunks
            .last_mut()
            .expect("a chunk with room was just ensured")
    }
}

/// Gives each value kept as JSON text a NUL-terminated copy at the end of `buffer`.
fn copy_raw_values(buffer: &mut Vec<u8>, entries: &mut [Entry], raw: &RawValues) {
    if raw.is_empty() {
        return; // reserve_exact(0) is free, but a reused body may be read to its capacity
    }
    buffer.reserve_exact(raw.iter().map(|(_, text)| text.len() + 1).sum());
    for &(entry, ref text) in raw {
        let at = buffer.len();
        buffer.extend_from_within(text.clone());
        buffer.push(0);
        entries[entry][1] = Span {
            at: at as u32,
            len: text.len() as u32,
        };
    }
}
