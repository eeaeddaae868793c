//! The decoder against an independent reading of the same rules over `serde_json::Value`, on
//! generated sessions that take every shape docs/C-API.md allows (and some it does not).

use serde_json::{json, Map, Value};

use super::super::port::valid_port;
use super::super::session::{Session, SessionList};
use super::super::test_random::Random;

/// A session as plain values, the way the oracle reads it.
#[derive(Debug, PartialEq)]
struct Flat {
    id: String,
    image: String,
    tag: Option<String>,
    location: String,
    host: String,
    status: Option<String>,
    created: i64,
    player_count: Option<i64>,
    ports: Vec<(String, u16)>,
    labels: Vec<(String, String)>,
    tags: Vec<(String, String)>,
    env: Vec<(String, String)>,
    players: Option<(Vec<String>, i64)>,
}

fn flatten(s: &Session) -> Flat {
    let pairs = |m: &super::super::StringMap| {
        m.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    };
    Flat {
        id: s.id().into(),
        image: s.image().into(),
        tag: s.tag().map(Into::into),
        location: s.location().into(),
        host: s.host().into(),
        status: s.status().map(Into::into),
        created: s.created(),
        player_count: s.player_count(),
        ports: s
            .ports()
            .iter()
            .map(|p| (p.name().to_owned(), p.host()))
            .collect(),
        labels: pairs(s.labels()),
        tags: pairs(s.tags()),
        env: pairs(s.env()),
        players: s
            .players()
            .map(|p| (p.joined.iter().map(str::to_owned).collect(), p.joined_count)),
    }
}

fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|_| i64::MAX))
            .or_else(|| n.as_f64().filter(|f| !f.is_nan()).map(|f| f as i64)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| !f.is_nan())
                    .map(|f| f as i64)
            })
        }
        _ => None,
    }
}

/// As [`integer`], but a number with a fraction is none (ports).
fn whole_integer(value: &Value) -> Option<i64> {
    let whole = |f: f64| (f.is_finite() && f.fract() == 0.0).then_some(f as i64);
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|_| i64::MAX))
            .or_else(|| n.as_f64().and_then(whole)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(whole))
        }
        _ => None,
    }
}

fn loose(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An object field, or a string holding one bare or wrapped in `{wrapper: {…}}`.
fn embedded(value: Option<&Value>, wrapper: &str) -> Map<String, Value> {
    match value {
        Some(Value::Object(object)) => object.clone(),
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => match object.get(wrapper) {
                Some(Value::Object(inner)) if object.len() == 1 => inner.clone(),
                _ => object,
            },
            _ => Map::new(),
        },
        _ => Map::new(),
    }
}

fn string_pairs(object: &Map<String, Value>) -> Vec<(String, String)> {
    object.iter().map(|(k, v)| (k.clone(), loose(v))).collect()
}

fn label_json(labels: &[(String, String)], key: &str) -> Vec<(String, String)> {
    match labels.iter().find(|(k, _)| k == key) {
        Some((_, text)) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => string_pairs(&object),
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

fn oracle(session: &Value) -> Option<Flat> {
    let object = session.as_object()?;
    let string = |key: &str| object.get(key)?.as_str().map(str::to_owned);
    let optional = |key: &str| match object.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(_) => None,
    };
    let labels = string_pairs(&embedded(object.get("labels"), "labels"));
    let players = match object.get("players") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => {
            let joined: Vec<String> = match p.get("joined") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items.iter().map(loose).collect(),
                Some(_) => return None,
            };
            let count = p.get("joinedCount").and_then(integer);
            Some((joined.clone(), count.unwrap_or(joined.len() as i64)))
        }
        Some(_) => return None,
    };
    Some(Flat {
        id: string("id")?,
        image: string("image")?,
        tag: optional("tag")?,
        location: string("location")?,
        host: string("host")?,
        status: optional("status")?,
        created: integer(object.get("created")?)?,
        player_count: object
            .get("playerCount")
            .and_then(integer)
            .or(players.as_ref().map(|p| p.1)),
        ports: embedded(object.get("port"), "port")
            .iter()
            .map(|(k, v)| (k.clone(), valid_port(whole_integer(v))))
            .collect(),
        tags: label_json(&labels, "tags"),
        env: label_json(&labels, "env"),
        labels,
        players,
    })
}

/// Generated sessions in every shape the decoder must read.
impl Random {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a", "europe", "80/tcp", "7777/UDP", " ", "\"", "\\", "/", "\n", "\u{1}", "é", "中",
            "😀", "{", "}", "port", "labels", "", "\u{7f}",
        ];
        (0..self.below(6)).map(|_| *self.pick(PIECES)).collect()
    }

    fn scalar(&mut self) -> Value {
        match self.below(9) {
            0 => Value::Null,
            1 => json!(true),
            2 => json!(self.below(70000) as i64 - 5),
            3 => json!(self.below(1 << 20) as f64 / 8.0),
            4 => json!(u64::MAX - self.below(5) as u64),
            5 => json!(format!(" {} ", self.below(70000))),
            6 => json!([1, "x", {"k": null}]),
            7 => json!({"nested": {"deeper": [self.text()]}}),
            _ => json!(self.text()),
        }
    }

    fn string_map(&mut self) -> Value {
        let mut map = Map::new();
        for _ in 0..self.below(4) {
            let value = if self.below(3) == 0 {
                self.scalar()
            } else {
                json!(self.text())
            };
            map.insert(self.text(), value);
        }
        Value::Object(map)
    }

    /// An object field in one of its shapes: object, string (bare or wrapped), or junk.
    fn embedded(&mut self, object: Value, wrapper: &str) -> Value {
        match self.below(6) {
            0 | 1 => object,
            2 => json!(object.to_string()),
            3 => json!(json!({ wrapper: object }).to_string()),
            4 => json!(format!("{object} junk")),
            _ => self.scalar(),
        }
    }

    fn labels(&mut self) -> Value {
        let mut labels = self.string_map();
        let labels_map = labels.as_object_mut().unwrap();
        for key in ["env", "tags"] {
            match self.below(4) {
                0 => {}
                1 => {
                    labels_map.insert(key.into(), self.scalar());
                }
                _ => {
                    let map = self.string_map().to_string();
                    labels_map.insert(key.into(), json!(map));
                }
            }
        }
        self.embedded(labels, "labels")
    }

    fn ports(&mut self) -> Value {
        let mut ports = Map::new();
        for _ in 0..self.below(4) {
            let name = format!("{}/{}", self.below(70000), self.pick(&["tcp", "udp", "x"]));
            ports.insert(name, self.scalar());
        }
        self.embedded(Value::Object(ports), "port")
    }

    fn session(&mut self) -> Value {
        let mut s = Map::new();
        for key in ["id", "image", "location", "host"] {
            if self.below(40) != 0 {
                s.insert(key.into(), json!(self.text()));
            }
        }
        for key in ["tag", "status"] {
            match self.below(4) {
                0 => {}
                1 => {
                    s.insert(key.into(), Value::Null);
                }
                _ => {
                    s.insert(key.into(), json!(self.text()));
                }
            }
        }
        let created = match self.below(4) {
            0 => json!(1648472895000.5),
            1 => json!("1648472895000"),
            _ => json!(1648472895000i64 + self.below(1000) as i64),
        };
        s.insert("created".into(), created);
        if self.below(2) == 0 {
            s.insert("playerCount".into(), self.scalar());
        }
        s.insert("port".into(), self.ports());
        s.insert("labels".into(), self.labels());
        if self.below(4) == 0 {
            let joined: Vec<Value> = (0..self.below(3)).map(|_| self.scalar()).collect();
            s.insert(
                "players".into(),
                json!({"joined": joined, "joinedCount": self.scalar()}),
            );
        }
        if self.below(3) == 0 {
            s.insert("unknown".into(), self.scalar());
        }
        Value::Object(s)
    }
}

#[test]
fn the_decoder_reads_what_the_oracle_reads() {
    let mut random = Random(0x2545_F491_4F6C_DD1D);
    let (mut agreed, mut refused) = (0, 0);
    for _ in 0..3000 {
        let sessions: Vec<Value> = (0..random.below(4)).map(|_| random.session()).collect();
        let body = json!({ "sessions": sessions }).to_string();
        let expected: Option<Vec<Flat>> = sessions.iter().map(oracle).collect();
        let decoded = SessionList::decode(body.clone().into_bytes());
        match (expected, decoded) {
            (Some(expected), Ok(list)) => {
                let actual: Vec<Flat> = list.iter().map(flatten).collect();
                assert_eq!(actual, expected, "body: {body}");
                agreed += 1;
            }
            (None, Err(_)) => refused += 1,
            (Some(_), Err(e)) => panic!("refused ({e}) what the oracle reads: {body}"),
            (None, Ok(_)) => panic!("read what the oracle refuses: {body}"),
        }
    }
    assert!(
        agreed > 1000 && refused > 10,
        "{agreed} agreed, {refused} refused"
    );
}
