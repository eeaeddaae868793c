//! Tests of the decoder.

use std::ffi::CStr;

use super::*;
use crate::model::Protocol;

/// The response example of the seed documentation page, byte for byte as printed
/// (spec/seed-page-get-session.txt); the C tests read the same file.
const SEED_PAGE_EXAMPLE: &str = include_str!("../../../tests/fixtures/seed-page-example.json");

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
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "port":{"1\u0000/udp":2}}"#,
            "`port`",
        ),
        (
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "labels":{"k":"\u0000"}}"#,
            "`labels`",
        ),
        (
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "players":{"joined":["\u0000"]}}"#,
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
        concat!(
            r#"{{"id":"{id}","image":"my-very-special-game","tag":"1.0.0","location":"europe","#,
            r#""host":"{host}","created":1795864418948,"#,
            r#""port":{{"7777/udp":20000,"7778/tcp":20001}},"#,
            r#""status":"running","labels":{{"env":{},"tags":{},"gameye":{}}},"playerCount":{}}}"#
        ),
        quoted(&env),
        quoted(&tags),
        quoted(gameye),
        n % 8,
        id = id,
        host = host,
    )
}

#[test]
fn a_large_list_costs_less_than_twice_its_body() {
    let body = large_list();
    let len = body.len();
    // Sized as the client reads it (by Content-Length).
    let list = SessionList::decode(body.into_bytes().into_boxed_slice().into_vec()).unwrap();
    assert_eq!(list.get(1999).unwrap().env().get("MAP"), Some("dust4"));
    assert_under_twice(&list, len);
}

/// A list of 2,000 sessions of the service's shape.
fn large_list() -> String {
    let sessions: Vec<String> = (0..2000).map(realistic).collect();
    format!(r#"{{"sessions":[{}]}}"#, sessions.join(","))
}

/// The decoded list costs less than twice the body it came from.
fn assert_under_twice(list: &SessionList, len: usize) {
    let footprint = footprint(list);
    assert!(
        footprint < 2 * len,
        "{footprint} bytes for a {len}-byte body ({:.2}×)",
        footprint as f64 / len as f64
    );
}

#[test]
fn a_chunked_list_costs_what_a_sized_one_does() {
    let body = large_list();
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
    let read = crate::client::read_body(Chunks(body.as_bytes()), None, Vec::new()).unwrap();
    assert_eq!(read.len(), len);
    assert_under_twice(&SessionList::decode(read).unwrap(), len);
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
                "port":{{"{n}/udp":{n}}},
                "labels":{{"tags":"{{\"n\":\"{n}\"}}","env":"{{\"E\":\"é{n}\"}}"}}}}"#
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
