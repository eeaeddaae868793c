//! Every response decoder behind one plain function each, for the fuzz targets (fuzz/) and the
//! property test below: they must return an error for bad input, never panic.

use super::{
    DescribedSession, ErrorBody, LocationList, Roster, SessionList, TagAnswer, WireStarted,
};

/// `GET /session`. Reads every field of every session (as C would), so that reading what was
/// decoded is exercised too.
pub fn session_list(body: &[u8]) -> bool {
    SessionList::decode(body.to_vec())
        .map(|list| format!("{list:?}"))
        .is_ok()
}

/// `GET /session/{id}`.
pub fn session(body: &[u8]) -> bool {
    DescribedSession::decode(body.to_vec())
        .map(|session| format!("{session:?}"))
        .is_ok()
}

/// `POST /session`.
pub fn started(body: &[u8]) -> bool {
    serde_json::from_slice::<WireStarted>(body)
        .map(|wire| wire.into_started("fallback-id"))
        .is_ok()
}

/// Any error response.
pub fn error_body(body: &[u8]) -> bool {
    ErrorBody::parse(body).is_some()
}

/// Player join and leave.
pub fn roster(body: &[u8]) -> bool {
    serde_json::from_slice::<Roster>(body).is_ok()
}

/// `GET /available-location/{image}`.
pub fn locations(body: &[u8]) -> bool {
    serde_json::from_slice::<LocationList>(body).is_ok()
}

/// `GET /tag/{region}/{image}/{version}`.
pub fn tag(body: &[u8]) -> bool {
    serde_json::from_slice::<TagAnswer>(body).is_ok()
}

/// Every decoder above.
pub const ALL: [fn(&[u8]) -> bool; 7] = [
    session_list,
    session,
    started,
    error_body,
    roster,
    locations,
    tag,
];

#[cfg(test)]
mod tests {
    use super::super::test_random::Random;
    use super::*;

    const SEEDS: &[&str] = &[
        include_str!("../../tests/fixtures/seed-page-example.json"),
        r#"{"id":"a","image":"i","tag":"t","location":"l","host":"h","created":1.5,
            "port":{"80/tcp":1},"status":"running","labels":{"env":"{\"A\":\"1\"}","tags":"{}"},
            "players":{"joined":["p"],"joinedCount":1}}"#,
        r#"{"id":"c5c7","host":"a.b.c.d","ports":[{"type":"tcp","container":80,"host":49159}]}"#,
        r#"{"statusCode":422,"code":"x","message":"m","details":"d","path":"/","timestamp":"t",
            "identifier":"i","violations":[{"field":"f","description":"d"}]}"#,
        r#"{"count":2,"players":["a","b"]}"#,
        r#"{"locations":[{"id":"europe","ips":["1.2.3.4"]}]}"#,
        r#"{"exists":true}"#,
    ];

    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u0000",
        "\\ud800",
        "null",
        "true",
        "-1",
        "1e999",
        "18446744073709551616",
        "\"port\"",
        "\"labels\"",
        "\"{\\\"port\\\":{}}\"",
        "\u{fffd}",
        "\0",
    ];

    fn mutate(random: &mut Random, input: &[u8]) -> Vec<u8> {
        let mut out = input.to_vec();
        for _ in 0..=random.below(4) {
            let at = random.below(out.len() + 1);
            match random.below(6) {
                0 => out.truncate(at),
                1 if !out.is_empty() => {
                    let i = random.below(out.len());
                    out[i] = random.next() as u8;
                }
                2 => out.insert(at.min(out.len()), random.next() as u8),
                3 => {
                    let end = (at + random.below(16)).min(out.len());
                    out.drain(at.min(end)..end);
                }
                4 => {
                    let token = TOKENS[random.below(TOKENS.len())].as_bytes();
                    out.splice(at.min(out.len())..at.min(out.len()), token.iter().copied());
                }
                _ => {
                    let end = (at + random.below(32)).min(out.len());
                    let copy: Vec<u8> = out[at.min(end)..end].to_vec();
                    out.splice(end..end, copy);
                }
            }
        }
        out
    }

    #[test]
    fn no_decoder_panics_on_random_truncated_or_mutated_bodies() {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let mut decoded = 0;
        for round in 0..30_000 {
            let body = if round % 10 == 0 {
                (0..random.below(200))
                    .map(|_| random.next() as u8)
                    .collect()
            } else {
                let seed = SEEDS[random.below(SEEDS.len())].as_bytes();
                mutate(&mut random, seed)
            };
            let outcome =
                std::panic::catch_unwind(|| ALL.iter().filter(|decode| decode(&body)).count());
            decoded += outcome.unwrap_or_else(|_| {
                panic!("a decoder panicked on {:?}", String::from_utf8_lossy(&body))
            });
        }
        assert!(
            decoded > 1000,
            "mutations keep some bodies valid ({decoded}), so decoding paths are exercised"
        );
    }

    #[test]
    fn every_seed_decodes_with_its_decoder() {
        assert!(session_list(SEEDS[0].as_bytes()));
        assert!(session(SEEDS[1].as_bytes()));
        assert!(started(SEEDS[2].as_bytes()));
        assert!(error_body(SEEDS[3].as_bytes()));
        assert!(roster(SEEDS[4].as_bytes()));
        assert!(locations(SEEDS[5].as_bytes()));
        assert!(tag(SEEDS[6].as_bytes()));
    }
}

/// `GET /session` decoded as the client decodes it, in `body` (the decoder works in place and
/// keeps it): for the decode-only benchmark (bench/decode), not an API.
#[doc(hidden)]
pub fn decode_session_list(body: Vec<u8>) -> Option<SessionList> {
    SessionList::decode(body).ok()
}

/// Decodes session lists as a client does in steady state: each into the vectors of the
/// previous one freed (see `recycle`). For the decode-only benchmark, not an API.
#[doc(hidden)]
#[derive(Default)]
pub struct ReusingDecoder(std::sync::Arc<super::Recycler>);

impl ReusingDecoder {
    pub fn decode(&self, body: &[u8]) -> Option<SessionList> {
        let mut spare = self.0.take();
        let mut copy = std::mem::take(&mut spare.body);
        copy.extend_from_slice(body);
        let recycle = super::ReturnTo::new(std::sync::Arc::downgrade(&self.0));
        SessionList::decode_reusing(copy, spare, recycle).ok()
    }
}
