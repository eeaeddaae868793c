//! The decoder of session lists and described sessions: one pass over the response buffer,
//! strings decoded in place (see [`super::json`]), the labels' entries and the ports of the
//! whole response in one vector each; then a second step for what needs a copy: the strings of
//! the JSON held in `labels.tags` and `labels.env` (decoded into chunks of their own, the
//! labels keeping their text as sent) and values kept as JSON text.
//!
//! It reads every shape of C-API.md "Wire tolerance": `port` and `labels` as objects or as
//! strings holding one (bare, or wrapped as `{"port": …}` / `{"labels": …}`), `created` as an
//! integer or a float, unknown fields ignored. Odd values never fail a response: a number
//! where a string map wants a string is kept as its JSON text, an unusable port number reads
//! as 0, a label that is not JSON leaves its map empty.

use std::ops::Range;

use super::collections::{StringList, StringMap};
use super::json::{JsonError, Kind, Number, Reader, Result, Span};
use super::port::{valid_port, Port};
use super::session::{DescribedSession, Players, Session, SessionList, NO_COUNT};
use super::store::{Entry, Run, Store};
use super::Text;

/// Offsets are u32; a body this large (far above any JSON limit) is refused.
const MAX_BODY: usize = (u32::MAX / 2) as usize;

impl SessionList {
    /// Decodes a `GET /session` response, taking the body as its storage.
    pub(crate) fn decode(mut body: Vec<u8>) -> Result<SessionList> {
        let mut decoder = Decoder::new(body.len())?;
        let mut sessions = Vec::new();
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
                sessions.reserve(body_estimate(reader.remaining(), 512));
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
        // Complete: give back what the estimate overshot (allocators shrink in place).
        sessions.shrink_to_fit();
        let store = decoder.finish(body, &mut sessions);
        Ok(SessionList { sessions, store })
    }
}

impl DescribedSession {
    /// Decodes a `GET /session/{id}` response, taking the body as its storage.
    pub(crate) fn decode(mut body: Vec<u8>) -> Result<DescribedSession> {
        let mut decoder = Decoder::new(body.len())?;
        let session = {
            let mut reader = Reader::new(&mut body);
            let session = decoder.session(&mut reader)?;
            reader.finish()?;
            session
        };
        let mut sessions = [session];
        let store = decoder.finish(body, &mut sessions);
        let [session] = sessions;
        Ok(DescribedSession { session, store })
    }
}

/// A capacity guess for a list-wide vector: one item per `per` bytes of body.
fn body_estimate(len: usize, per: usize) -> usize {
    len / per + 1
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
    fn new(len: usize) -> Result<Decoder> {
        if len > MAX_BODY {
            return Err(JsonError {
                message: format!("a body of {len} bytes is too large"),
                at: 0,
            });
        }
        Ok(Decoder {
            entries: Vec::with_capacity(body_estimate(len, 64)),
            ports: Vec::with_capacity(body_estimate(len, 256)),
            raw: Vec::new(),
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
                let parsed = match inner.wrapped_object(wrapper) {
                    Ok(Some(at)) => {
                        inner.rewind(at);
                        parse(self, &mut inner).and_then(|run| {
                            inner.close_object()?;
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
        string_map(r, &mut self.entries, &mut self.raw)
    }

    /// Decodes the JSON in labels, copies what needs a copy, and points every session at the
    /// final storage.
    fn finish(mut self, mut body: Vec<u8>, sessions: &mut [Session]) -> Store {
        // The vectors of the main pass are complete: give back what the estimates overshot
        // before the second pass allocates (allocators shrink in place).
        self.entries.shrink_to_fit();
        self.ports.shrink_to_fit();
        // The labels keep their text as sent; the strings of tags and env are decoded from it
        // into buffers of their own (growing the body would move it).
        // Sized first (the loop below finds the same labels again, rather than keeping a
        // vector of them alive at the peak).
        let (mut colons, mut size) = (0, 0);
        for session in sessions.iter() {
            for text in self.label_json(&body, session).into_iter().flatten() {
                colons += body[text.clone()].iter().filter(|&&b| b == b':').count();
                size += text.len();
            }
        }
        let mut copies = Copies::new(size);
        let mut copy_entries = Vec::with_capacity(colons);
        for session in sessions.iter_mut() {
            let [tags, env] = self.label_json(&body, session);
            for (text, slot) in [(tags, &mut session.tags), (env, &mut session.env)] {
                if let Some(text) = text {
                    *slot = copies.decode_map(&mut body, text, &mut copy_entries);
                }
            }
        }
        copy_raw_values(&mut body, &mut self.entries, self.raw);
        let mut store = Store {
            body,
            copies: copies.chunks,
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

/// An object whose values should be strings, decoded in place; any other value is kept as
/// its JSON text (noted in `raw`, copied at the end).
fn string_map(
    r: &mut Reader<'_>,
    entries: &mut Vec<Entry>,
    raw: &mut RawValues,
) -> Result<Run<Entry>> {
    let first = entries.len();
    let mut members = r.object()?;
    while let Some(key) = members.next(r)? {
        let value = if r.kind()? == Kind::String {
            r.string()?
        } else {
            let text = r.skip()?;
            raw.push((entries.len(), text));
            Span::default()
        };
        entries.push([key, value]);
    }
    Ok(Run::new(first, entries.len() - first))
}

/// The buffers that hold the strings of the tags and env maps. Each map is decoded into a
/// scratch buffer, then moved whole into a chunk with room for it: a chunk never grows past
/// its capacity, so strings never move once placed, and the chunks add up to what the maps
/// need (plus the unused end of the last one).
struct Copies {
    chunks: Vec<Vec<u8>>,
    scratch: Vec<u8>,
    /// The size of the JSON texts still to decode: no more than that is needed (a decoded
    /// map, NULs included, is never larger than its JSON), so small responses get small chunks.
    left: usize,
}

impl Copies {
    const CHUNK: usize = 64 * 1024;

    /// Room for maps decoded from `size` bytes of JSON in all.
    fn new(size: usize) -> Copies {
        Copies {
            chunks: Vec::new(),
            scratch: Vec::new(),
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
        let first = entries.len();
        self.scratch.clear();
        self.left = self.left.saturating_sub(text.len());
        let mut reader = Reader::within(body, text);
        let decoded = appended_string_map(&mut reader, entries, &mut self.scratch)
            .and_then(|()| reader.finish());
        if decoded.is_err() {
            entries.truncate(first);
            return StringMap::new(Run::empty());
        }
        let fits = |chunk: &Vec<u8>| chunk.capacity() - chunk.len() >= self.scratch.len();
        if !self.chunks.last().is_some_and(fits) {
            let size = self.scratch.len() + Copies::CHUNK.min(self.left);
            self.chunks.push(Vec::with_capacity(size));
        }
        let chunk = self
            .chunks
            .last_mut()
            .expect("a chunk with room was just ensured");
        let offset = chunk.len() as u32;
        chunk.extend_from_slice(&self.scratch);
        for [key, value] in &mut entries[first..] {
            key.at += offset;
            value.at += offset;
        }
        StringMap::placed(chunk.as_ptr(), Run::new(first, entries.len() - first))
    }
}

/// [`string_map`], leaving the input as it is: the strings (and values kept as JSON text) are
/// appended to `out`, NUL-terminated.
fn appended_string_map(
    r: &mut Reader<'_>,
    entries: &mut Vec<Entry>,
    out: &mut Vec<u8>,
) -> Result<()> {
    let mut members = r.object()?;
    while let Some(key) = members.next_with(r, |r| r.string_to(out))? {
        let value = if r.kind()? == Kind::String {
            r.string_to(out)?
        } else {
            let text = r.skip()?;
            let at = out.len();
            out.extend_from_slice(r.raw(text.clone()));
            out.push(0);
            Span {
                at: at as u32,
                len: text.len() as u32,
            }
        };
        entries.push([key, value]);
    }
    Ok(())
}

/// Gives each value kept as JSON text a NUL-terminated copy at the end of `buffer`.
fn copy_raw_values(buffer: &mut Vec<u8>, entries: &mut [Entry], raw: RawValues) {
    buffer.reserve_exact(raw.iter().map(|(_, text)| text.len() + 1).sum());
    for (entry, text) in raw {
        let at = buffer.len();
        buffer.extend_from_within(text.clone());
        buffer.push(0);
        entries[entry][1] = Span {
            at: at as u32,
            len: text.len() as u32,
        };
    }
}

/// Bytes the reader decoded from valid UTF-8 input.
fn utf8(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

fn required_string(r: &mut Reader<'_>, name: &str) -> Result<Span> {
    match r.kind()? {
        Kind::String => r.string().map_err(|e| e.in_field(name)),
        _ => Err(r.error(format!("`{name}` is not a string"))),
    }
}

fn optional_string(r: &mut Reader<'_>, name: &str) -> Result<Option<Span>> {
    if present(r, Kind::String, || format!("`{name}` is not a string"))? {
        r.string().map(Some).map_err(|e| e.in_field(name))
    } else {
        Ok(None)
    }
}

/// Whether a value of `kind` follows (left to read); false for null (read); the error `wrong`
/// makes for any other value.
fn present(r: &mut Reader<'_>, kind: Kind, wrong: impl FnOnce() -> String) -> Result<bool> {
    match r.kind()? {
        Kind::Null => r.literal().map(|_| false),
        found if found == kind => Ok(true),
        _ => Err(r.error(wrong())),
    }
}

/// A number that may be an integer, a float (its fraction dropped) or a numeric string;
/// anything else reads as none.
fn integer(r: &mut Reader<'_>) -> Result<Option<i64>> {
    number_as(r, Number::to_i64)
}

/// As [`integer`], but a number with a fraction reads as none (port numbers: 6898.11 is no port).
fn whole_integer(r: &mut Reader<'_>) -> Result<Option<i64>> {
    number_as(r, Number::to_exact_i64)
}

fn number_as(r: &mut Reader<'_>, convert: fn(Number) -> Option<i64>) -> Result<Option<i64>> {
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
fn players_field(r: &mut Reader<'_>) -> Result<Option<Box<Players>>> {
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
fn loose_strings(r: &mut Reader<'_>) -> Result<Vec<Text>> {
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

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;
    use crate::model::Protocol;

    /// The response example of the seed documentation page, byte for byte as printed
    /// (spec/000_b67970e290cbf286.txt); the C tests read the same file.
    const SEED_PAGE_EXAMPLE: &str = include_str!("../../tests/fixtures/seed-page-example.json");

    fn decode_one(json: &str) -> DescribedSession {
        DescribedSession::decode(json.as_bytes().to_vec()).unwrap()
    }

    fn c(ptr: *const std::ffi::c_char) -> &'static str {
        // SAFETY: the tests pass pointers to NUL-terminated strings of a session they keep alive.
        unsafe { CStr::from_ptr(ptr) }.to_str().unwrap()
    }

    #[test]
    fn the_seed_page_example_reads_as_a_person_reads_it() {
        let list = SessionList::decode(SEED_PAGE_EXAMPLE.as_bytes().to_vec()).unwrap();
        assert_eq!(list.len(), 1);
        let s = list.get(0).unwrap();
        assert_eq!(s.id(), "f7965a22-e327-4541-a30e-8262890d3a29");
        assert_eq!(s.image(), "nginx");
        assert_eq!(s.tag(), Some("latest"));
        assert_eq!(s.location(), "europe");
        assert_eq!(s.host(), "a.b.c.d");
        assert_eq!(s.created(), 1648472895000);
        assert_eq!(s.status(), Some(""));
        assert_eq!(s.player_count(), Some(0));
        assert_eq!(s.ports().len(), 1);
        let port = &s.ports()[0];
        assert_eq!(port.name(), "80/tcp");
        assert_eq!(
            (port.container(), port.host(), port.protocol()),
            (80, 49160, Some(Protocol::Tcp))
        );
        assert_eq!(s.labels().len(), 2);
        assert_eq!(s.tags().get("my-example-tag"), Some("1"));
        assert_eq!(s.tags().get("another-example-tag"), Some("3"));
        assert_eq!(s.tags().len(), 2);
        assert_eq!(
            s.env().get("GAMEYE_SESSION_ID"),
            Some("c595bc6f-8522-4a62-95cd-8742136643ea")
        );
        assert_eq!(s.env().get("GAMEYE_HOST"), Some("a.b.c.d"));
        assert!(s.players().is_none());
        // C reads the same strings, NUL-terminated, from the same storage.
        assert_eq!(c(s.c_text(crate::model::TextField::Id)), s.id());
        assert_eq!(c(port.c_name()), "80/tcp");
        let (key, value) = s.env().entry_c(1).unwrap();
        assert_eq!((c(key), c(value)), ("GAMEYE_HOST", "a.b.c.d"));
        assert_eq!(
            c(s.labels().get_c("tags").unwrap()),
            r#"{"my-example-tag":"1","another-example-tag":"3"}"#
        );
    }

    #[test]
    fn object_forms_from_the_openapi_example() {
        let s = decode_one(
            r#"{"id":"c595","image":"my-very-special-game","location":"frankfurt","host":"a.b.c.d",
                "created":1648472895000,"port":{"80/tcp":49160},
                "labels":{"env":"{\"GAMEYE_SESSION_ID\":\"x\"}","tags":"{\"my-example-tag\":\"1\"}"}}"#,
        );
        assert_eq!(s.ports()[0].host(), 49160);
        assert_eq!(s.tags().get("my-example-tag"), Some("1"));
        assert_eq!(s.env().get("GAMEYE_SESSION_ID"), Some("x"));
        assert_eq!((s.tag(), s.status(), s.player_count()), (None, None, None));
    }

    #[test]
    fn bare_string_forms() {
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "port":"{\"7777/udp\":20001}","labels":"{\"tags\":\"{}\"}"}"#,
        );
        assert_eq!(s.ports()[0].protocol(), Some(Protocol::Udp));
        assert_eq!(s.labels().get("tags"), Some("{}"));
    }

    #[test]
    fn odd_but_schema_valid_data_never_fails() {
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1648472895000.5,
                "port":{"weird":65536,"80/tcp":0,"81/tcp":"123","82/tcp":1.5e3,"83/tcp":null},
                "labels":{"tags":"not json","env":"[1,2]","gameye":"{}","n":3,"o":{"x":[1, 2]}},
                "status":"brand-new-status","unknown":{"nested":[1,2,3]},"playerCount":"7"}"#,
        );
        assert_eq!(s.created(), 1648472895000);
        let hosts: Vec<u16> = s.ports().iter().map(|p| p.host()).collect();
        assert_eq!(hosts, vec![0, 0, 123, 1500, 0]);
        assert!(s.tags().is_empty());
        assert!(s.env().is_empty());
        assert_eq!(s.labels().len(), 5);
        assert_eq!(s.labels().get("n"), Some("3"));
        assert_eq!(s.labels().get("o"), Some(r#"{"x":[1, 2]}"#), "kept as sent");
        assert_eq!(c(s.labels().get_c("o").unwrap()), r#"{"x":[1, 2]}"#);
        assert_eq!(s.status(), Some("brand-new-status"));
        assert_eq!(s.player_count(), Some(7));
    }

    #[test]
    fn created_reads_integers_floats_and_numeric_strings() {
        let created = |value: &str| {
            let json =
                format!(r#"{{"id":"a","image":"i","location":"l","host":"h","created":{value}}}"#);
            DescribedSession::decode(json.into_bytes()).map(|s| s.created())
        };
        assert_eq!(created("1648472895000"), Ok(1648472895000));
        assert_eq!(created("1648472895000.0"), Ok(1648472895000));
        assert_eq!(created("1.648472895e12"), Ok(1648472895000));
        assert_eq!(created(r#""17""#), Ok(17));
        assert!(created("null").is_err());
        assert!(created("true").is_err());
    }

    #[test]
    fn labels_sent_as_objects_still_give_tags() {
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "labels":{"tags":{"mode":"ffa"},"env":"{\"A\": \"1\"} "}}"#,
        );
        assert_eq!(s.tags().get("mode"), Some("ffa"));
        assert_eq!(s.env().get("A"), Some("1"));
    }

    #[test]
    fn unusable_embedded_strings_read_as_empty() {
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "port":"{broken","labels":null}"#,
        );
        assert!(s.ports().is_empty());
        assert!(s.labels().is_empty());
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "port":"{\"80/tcp\":1} trailing","labels":"{\"labels\":{\"a\":\"b\"}}x"}"#,
        );
        assert!(s.ports().is_empty());
        assert!(s.labels().is_empty());
    }

    #[test]
    fn a_label_named_like_the_wrapper_is_not_unwrapped() {
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "labels":"{\"labels\":\"mine\"}"}"#,
        );
        assert_eq!(s.labels().get("labels"), Some("mine"));
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "labels":"{\"labels\":{\"a\":\"b\"},\"more\":\"c\"}"}"#,
        );
        assert_eq!(s.labels().get("labels"), Some(r#"{"a":"b"}"#));
        assert_eq!(s.labels().get("more"), Some("c"));
    }

    #[test]
    fn described_sessions_carry_players() {
        let s = decode_one(
            r#"{"id":"a","image":"i","tag":"t","location":"l","host":"h","created":1,"port":{},
                "status":"running","labels":{},"players":{"joined":["p1","p2",3],"joinedCount":2}}"#,
        );
        let players = s.players().unwrap();
        assert_eq!(
            players.joined.iter().collect::<Vec<_>>(),
            vec!["p1", "p2", "3"]
        );
        assert_eq!(players.joined_count, 2);
        assert_eq!(s.player_count(), Some(2));
    }

    #[test]
    fn a_string_holding_nul_is_refused_naming_its_field() {
        for (json, name) in [
            (
                r#"{"id":"a\u0000b","image":"i","location":"l","host":"h","created":1}"#,
                "`id`",
            ),
            (
                r#"{"id":"a","image":"i","location":"l","host":"h","created":1,"status":"x\u0000"}"#,
                "`status`",
            ),
            (
                r#"{"id":"a","image":"i","location":"l","host":"h","created":1,"port":{"1\u0000/udp":2}}"#,
                "`port`",
            ),
            (
                r#"{"id":"a","image":"i","location":"l","host":"h","created":1,"labels":{"k":"\u0000"}}"#,
                "`labels`",
            ),
            (
                r#"{"id":"a","image":"i","location":"l","host":"h","created":1,"players":{"joined":["\u0000"]}}"#,
                "`players`",
            ),
        ] {
            let err = DescribedSession::decode(json.as_bytes().to_vec()).unwrap_err();
            let message = err.to_string();
            assert!(
                message.contains(name) && message.contains("U+0000"),
                "{json}: {message}"
            );
        }
        // Inside the JSON that labels.tags holds, a NUL leaves that map empty like any label that
        // does not decode; the labels keep the text as sent, the escape visible.
        let json = r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
            "labels":{"tags":"{\"mode\":\"a\\u0000b\"}","env":"{\"A\":\"1\"}"}}"#;
        let session = DescribedSession::decode(json.as_bytes().to_vec()).unwrap();
        assert_eq!(session.tags().len(), 0);
        assert_eq!(session.env().get("A"), Some("1"));
        assert!(session.labels().get("tags").unwrap().contains(r"\u0000"));
    }

    #[test]
    fn a_port_number_with_a_fraction_is_no_port() {
        let json = r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
            "port":{"1/udp":6898.11,"2/udp":6898.0,"3/udp":"6898.5","4/udp":"7000","5/udp":1e3}}"#;
        let session = DescribedSession::decode(json.as_bytes().to_vec()).unwrap();
        let hosts: Vec<u16> = session.ports().iter().map(|p| p.host()).collect();
        assert_eq!(hosts, [0, 6898, 0, 7000, 1000]);
        let started: super::super::WireStarted = serde_json::from_str(
            r#"{"host":"h","ports":[{"type":"udp","container":7777.5,"host":6898.11},
                {"type":"tcp","container":80,"host":6898.0}]}"#,
        )
        .unwrap();
        let started = started.into_started("id");
        let hosts: Vec<(&str, u16)> = started
            .ports()
            .iter()
            .map(|p| (p.name(), p.host()))
            .collect();
        assert_eq!(hosts, [("0/udp", 0), ("80/tcp", 6898)]);
    }

    #[test]
    fn missing_or_mistyped_required_fields_fail_with_the_field_name() {
        for (json, name) in [
            (
                r#"{"id":"a","image":"i","location":"l","created":1}"#,
                "host",
            ),
            (
                r#"{"id":"a","image":"i","location":"l","host":7,"created":1}"#,
                "host",
            ),
            (
                r#"{"image":"i","location":"l","host":"h","created":1}"#,
                "id",
            ),
            (
                r#"{"id":"a","image":"i","location":"l","host":"h"}"#,
                "created",
            ),
        ] {
            let err = DescribedSession::decode(json.as_bytes().to_vec()).unwrap_err();
            assert!(err.to_string().contains(name), "{json}: {err}");
        }
        let err = SessionList::decode(b"{}".to_vec()).unwrap_err();
        assert!(err.to_string().contains("sessions"), "{err}");
        for bad in [
            &b"{\"sessions\":null}"[..],
            b"{\"sessions\":[]} x",
            b"",
            b"[]",
        ] {
            assert!(SessionList::decode(bad.to_vec()).is_err());
        }
    }

    /// What a decoded list holds on the heap, from its vectors' capacities.
    fn footprint(list: &SessionList) -> usize {
        let store = &list.store;
        store.body.capacity()
            + store.copies.iter().map(Vec::capacity).sum::<usize>()
            + (store.entries.capacity() + store.copy_entries.capacity()) * size_of::<Entry>()
            + store.ports.capacity() * size_of::<Port>()
            + list.sessions.capacity() * size_of::<Session>()
    }

    /// A session as the service sends it, packed labels and all (as bench/run.py makes them).
    fn realistic(n: usize) -> String {
        let id = format!("{:08x}-1d2c-4e5f-8a9b-{n:012x}", n * 2654435761 % (1 << 32));
        let host = format!("203.0.{}.{}", n / 250 % 250, n % 250 + 1);
        let env = format!(
            r#"{{"GAMEYE_SESSION_ID":"{id}","GAMEYE_HOST":"{host}","MAP":"dust{}","MODE":"ranked"}}"#,
            n % 7
        );
        let tags = format!(
            r#"{{"mode":"ffa","region-pool":"eu-west","build":"2026.11.{}"}}"#,
            n % 28
        );
        let gameye = r#"{"location":"europe","image":"my-very-special-game","version":"1.0.0"}"#;
        let quoted = |s: &str| serde_json::to_string(s).unwrap();
        format!(
            r#"{{"id":"{id}","image":"my-very-special-game","tag":"1.0.0","location":"europe","host":"{host}","created":1795864418948,"port":{{"7777/udp":20000,"7778/tcp":20001}},"status":"running","labels":{{"env":{},"tags":{},"gameye":{}}},"playerCount":{}}}"#,
            quoted(&env),
            quoted(&tags),
            quoted(gameye),
            n % 8
        )
    }

    #[test]
    fn a_large_list_costs_less_than_twice_its_body() {
        let sessions: Vec<String> = (0..2000).map(realistic).collect();
        let body = format!(r#"{{"sessions":[{}]}}"#, sessions.join(","));
        let len = body.len();
        // Sized as the client reads it (by Content-Length).
        let list = SessionList::decode(body.into_bytes().into_boxed_slice().into_vec()).unwrap();
        assert_eq!(list.get(1999).unwrap().env().get("MAP"), Some("dust4"));
        let footprint = footprint(&list);
        assert!(
            footprint < 2 * len,
            "{footprint} bytes for a {len}-byte body ({:.2}×)",
            footprint as f64 / len as f64
        );
    }

    #[test]
    fn a_chunked_list_costs_what_a_sized_one_does() {
        let sessions: Vec<String> = (0..2000).map(realistic).collect();
        let body = format!(r#"{{"sessions":[{}]}}"#, sessions.join(","));
        let len = body.len();
        // No Content-Length: read in pieces of unknown total, as a chunked response arrives.
        struct Chunks<'a>(&'a [u8]);
        impl std::io::Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(4096);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let read = crate::client::read_body(Chunks(body.as_bytes()), None).unwrap();
        assert_eq!(read.len(), len);
        let list = SessionList::decode(read).unwrap();
        let footprint = footprint(&list);
        assert!(
            footprint < 2 * len,
            "{footprint} bytes for a {len}-byte chunked body ({:.2}×)",
            footprint as f64 / len as f64
        );
    }

    #[test]
    fn a_small_response_gets_small_buffers() {
        let body = format!(r#"{{"sessions":[{}]}}"#, realistic(1));
        let len = body.len();
        let list = SessionList::decode(body.into_bytes().into_boxed_slice().into_vec()).unwrap();
        assert!(footprint(&list) < 2 * len, "{} for {len}", footprint(&list));
        let described = decode_one(&realistic(2));
        assert!(
            described
                .store
                .copies
                .iter()
                .map(Vec::capacity)
                .sum::<usize>()
                < 300
        );
    }

    #[test]
    fn every_session_of_a_list_keeps_its_own_maps_and_ports() {
        let body: String = (0..50)
            .map(|n| {
                format!(
                    r#"{{"id":"s{n}","image":"i","location":"l","host":"h","created":{n},
                    "port":{{"{n}/udp":{n}}},"labels":{{"tags":"{{\"n\":\"{n}\"}}","env":"{{\"E\":\"é{n}\"}}"}}}}"#
                )
            })
            .collect::<Vec<_>>()
            .join(",");
        let list = SessionList::decode(format!(r#"{{"sessions":[{body}]}}"#).into_bytes()).unwrap();
        assert_eq!(list.len(), 50);
        for (n, s) in list.iter().enumerate() {
            assert_eq!(s.id(), format!("s{n}"));
            assert_eq!(s.tags().get("n"), Some(n.to_string().as_str()));
            assert_eq!(s.env().get("E"), Some(format!("é{n}").as_str()));
            assert_eq!(s.ports()[0].container(), n as u16);
            assert_eq!(s.created(), n as i64);
        }
    }
}

#[cfg(test)]
mod oracle;
