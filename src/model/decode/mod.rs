//! The decoder of session lists and described sessions: one pass over the response buffer,
//! strings decoded in place (see [`super::json`]), the labels' entries and the ports of the
//! whole response in one vector each; then a second step for what needs a copy: the strings of
//! the JSON held in `labels.tags` and `labels.env` (decoded into chunks of their own, the
//! labels keeping their text as sent) and values kept as JSON text.
//!
//! It reads every shape of docs/C-API.md "Wire tolerance": `port` and `labels` as objects or as
//! strings holding one (bare, or wrapped as `{"port": …}` / `{"labels": …}`), `created` as an
//! integer or a float, unknown fields ignored. Odd values never fail a response: a number
//! where a string map wants a string is kept as its JSON text, an unusable port number reads
//! as 0, a label that is not JSON leaves its map empty.

//!
//! The module: this file holds the main pass; `labels.rs` the second step (tags, env and the
//! values kept as text); `fields.rs` the readers of single fields (one string-map loop for both
//! steps); `wrapped.rs` the wrapped forms of `port` and `labels`; `tests.rs` and `oracle.rs` (an
//! independent reading of the same rules, for a differential test) the tests.

use std::ops::Range;

use super::collections::StringMap;
use super::json::{JsonError, Kind, Reader, Result, Span};
use super::port::{valid_port, Port};
use super::recycle::{Buffers, ReturnTo};
use super::session::{DescribedSession, Session, SessionList, NO_COUNT};
use super::store::{Entry, Run};

mod fields;
mod labels;
#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;
mod wrapped;

use fields::{
    integer, optional_string, players_field, required_string, string_map, utf8, whole_integer,
    InPlace,
};

/// Offsets are u32; a body this large (far above any JSON limit) is refused.
const MAX_BODY: usize = (u32::MAX / 2) as usize;

impl SessionList {
    /// Decodes a `GET /session` response, taking the body as its storage.
    pub(crate) fn decode(body: Vec<u8>) -> Result<SessionList> {
        SessionList::decode_reusing(body, Buffers::default(), ReturnTo::default())
    }

    /// Decodes into `spare`'s vectors (see [`super::recycle`]); the list hands them to
    /// `recycle` when it is freed. Fresh vectors are shrunk to fit once complete; reused ones
    /// keep their capacity (shrinking would reallocate, the very thing reuse avoids).
    pub(crate) fn decode_reusing(
        mut body: Vec<u8>,
        mut spare: Buffers,
        recycle: ReturnTo,
    ) -> Result<SessionList> {
        let fresh = spare.sessions.capacity() == 0;
        let mut decoder = Decoder::new(body.len(), &mut spare, fresh)?;
        let mut sessions = std::mem::take(&mut spare.sessions);
        {
            let mut reader = Reader::new(&mut body);
            let mut members = reader.object()?;
            let mut found = false;
            while let Some(key) = members.next(&mut reader)? {
                if reader.bytes(key) != b"sessions" {
                    reader.skip()?;
                    continue;
                }
                if found {
                    return Err(reader.error("duplicate field `sessions`"));
                }
                found = true;
                if fresh {
                    sessions.reserve_exact(body_estimate(reader.remaining(), 512));
                }
                let mut elements = reader.array()?;
                while elements.next(&mut reader)? {
                    let session = decoder.session(&mut reader)?;
                    sessions.push(session);
                }
            }
            reader.finish()?;
            if !found {
                return Err(reader.error("missing field `sessions`"));
            }
        }
        if fresh {
            // Complete: give back what the estimate overshot (allocators shrink in place).
            sessions.shrink_to_fit();
        }
        let store = decoder.finish(body, &mut sessions, spare, fresh);
        Ok(SessionList {
            sessions,
            store,
            recycle,
        })
    }
}

impl DescribedSession {
    /// Decodes a `GET /session/{id}` response, taking the body as its storage.
    pub(crate) fn decode(mut body: Vec<u8>) -> Result<DescribedSession> {
        let mut decoder = Decoder::new(body.len(), &mut Buffers::default(), true)?;
        let session = {
            let mut reader = Reader::new(&mut body);
            let session = decoder.session(&mut reader)?;
            reader.finish()?;
            session
        };
        let mut sessions = [session];
        let store = decoder.finish(body, &mut sessions, Buffers::default(), true);
        let [session] = sessions;
        Ok(DescribedSession { session, store })
    }
}

/// A capacity guess for a list-wide vector: one item per `per` bytes of body.
fn body_estimate(len: usize, per: usize) -> usize {
    len / per + 1
}

/// Gives the empty `vector` room for `count` items, exactly: `reserve` would double a reused
/// vector a little too small, and the doubled capacity would then be kept between lists.
pub(super) fn reserve_to<T>(vector: &mut Vec<T>, count: usize) {
    vector.reserve_exact(count.saturating_sub(vector.len()));
}

/// What the decoder has pushed so far, to undo a map that turned out unusable.
#[derive(Clone, Copy)]
struct Mark {
    entries: usize,
    ports: usize,
    raw: usize,
}

/// Map values kept as JSON text: (entry index, range of the text), copied at the end.
type RawValues = Vec<(usize, Range<usize>)>;

/// The main pass: the sessions' own strings, ports and labels.
struct Decoder {
    entries: Vec<Entry>,
    ports: Vec<Port>,
    raw: RawValues,
}

impl Decoder {
    /// A decoder for a body of `len` bytes, its vectors taken from `spare` (empty, perhaps with
    /// capacity). Fresh vectors are sized by estimate (and shrunk once complete); reused ones
    /// keep the capacity the last list needed, the better guess (an estimate would grow them
    /// past it, and they are never shrunk).
    fn new(len: usize, spare: &mut Buffers, fresh: bool) -> Result<Decoder> {
        if len > MAX_BODY {
            return Err(JsonError {
                message: format!("a body of {len} bytes is too large"),
                at: 0,
            });
        }
        let mut entries = std::mem::take(&mut spare.entries);
        let mut ports = std::mem::take(&mut spare.ports);
        if fresh {
            entries.reserve_exact(body_estimate(len, 64));
            ports.reserve_exact(body_estimate(len, 256));
        }
        Ok(Decoder {
            entries,
            ports,
            raw: std::mem::take(&mut spare.raw),
        })
    }

    fn mark(&self) -> Mark {
        Mark {
            entries: self.entries.len(),
            ports: self.ports.len(),
            raw: self.raw.len(),
        }
    }

    fn undo(&mut self, mark: Mark) {
        self.entries.truncate(mark.entries);
        self.ports.truncate(mark.ports);
        self.raw.truncate(mark.raw);
    }

    /// One session object.
    fn session(&mut self, r: &mut Reader<'_>) -> Result<Session> {
        let mut id = None;
        let mut image = None;
        let mut tag = None;
        let mut location = None;
        let mut host = None;
        let mut status = None;
        let mut created = None;
        let mut player_count = None;
        let mut ports = Run::empty();
        let mut labels = Run::empty();
        let mut players = None;
        let mut members = r.object()?;
        while let Some(key) = members.next(r)? {
            match r.bytes(key) {
                b"id" => id = Some(required_string(r, "id")?),
                b"image" => image = Some(required_string(r, "image")?),
                b"tag" => tag = optional_string(r, "tag")?,
                b"location" => location = Some(required_string(r, "location")?),
                b"host" => host = Some(required_string(r, "host")?),
                b"status" => status = optional_string(r, "status")?,
                b"created" => {
                    created = Some(integer(r)?.ok_or_else(|| r.error("`created` is not a number"))?)
                }
                b"playerCount" => player_count = integer(r)?,
                b"port" => {
                    ports = self
                        .embedded(r, "port", Decoder::port_map)
                        .map_err(|e| e.in_field("port"))?
                }
                b"labels" => {
                    labels = self
                        .embedded(r, "labels", Decoder::string_map)
                        .map_err(|e| e.in_field("labels"))?
                }
                b"players" => players = players_field(r).map_err(|e| e.in_field("players"))?,
                _ => {
                    r.skip()?;
                }
            }
        }
        let missing = |name: &str| r.error(format!("missing field `{name}`"));
        Ok(Session {
            base: std::ptr::null(),
            id: id.ok_or_else(|| missing("id"))?,
            image: image.ok_or_else(|| missing("image"))?,
            tag: tag.unwrap_or(Span::ABSENT),
            location: location.ok_or_else(|| missing("location"))?,
            host: host.ok_or_else(|| missing("host"))?,
            status: status.unwrap_or(Span::ABSENT),
            created: created.ok_or_else(|| missing("created"))?,
            player_count: player_count
                .or_else(|| players.as_ref().map(|p| p.joined_count))
                .unwrap_or(NO_COUNT),
            ports,
            labels: StringMap::new(labels),
            tags: StringMap::new(Run::empty()),
            env: StringMap::new(Run::empty()),
            players,
        })
    }

    /// A field sent as an object, or as a string holding one (bare or wrapped in a one-key
    /// object named `wrapper`). A string without usable JSON, null, or another type reads as
    /// empty.
    fn embedded<T>(
        &mut self,
        r: &mut Reader<'_>,
        wrapper: &str,
        parse: fn(&mut Decoder, &mut Reader<'_>) -> Result<Run<T>>,
    ) -> Result<Run<T>> {
        match r.kind()? {
            Kind::Object => parse(self, r),
            Kind::String => {
                let text = r.string()?;
                let mark = self.mark();
                let mut inner = r.nested(text.range());
                let parsed = match wrapped::wrapped_object(&mut inner, wrapper) {
                    Ok(Some(at)) => {
                        inner.rewind(at);
                        parse(self, &mut inner).and_then(|run| {
                            inner.expect(b'}')?;
                            inner.finish().map(|_| run)
                        })
                    }
                    Ok(None) => parse(self, &mut inner).and_then(|run| inner.finish().map(|_| run)),
                    Err(e) => Err(e),
                };
                Ok(parsed.unwrap_or_else(|_| {
                    self.undo(mark);
                    Run::empty()
                }))
            }
            _ => {
                r.skip()?;
                Ok(Run::empty())
            }
        }
    }

    /// `{"<container>/<protocol>": host port, …}`.
    fn port_map(&mut self, r: &mut Reader<'_>) -> Result<Run<Port>> {
        let first = self.ports.len();
        let mut members = r.object()?;
        while let Some(key) = members.next(r)? {
            let host = valid_port(whole_integer(r)?);
            let name = utf8(r.bytes(key));
            self.ports.push(Port::from_name(key, name, host));
        }
        Ok(Run::new(first, self.ports.len() - first))
    }

    fn string_map(&mut self, r: &mut Reader<'_>) -> Result<Run<Entry>> {
        string_map(r, &mut self.entries, &mut InPlace(&mut self.raw))
    }
}
