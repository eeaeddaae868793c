//! A session as listed (`GET /session`) or described (`GET /session/{id}`).

use serde::Deserialize;

use super::collections::{StringList, StringMap};
use super::loose::{embedded, millis, optional_integer, string_map_from_json, Embedded};
use super::port::{Port, PortMap};
use super::Text;

/// A game session: one container running one image in one location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The session id.
    pub id: Text,
    /// The image (application) name.
    pub image: Text,
    /// The image tag (version); `None` when the server did not send one.
    pub tag: Option<Text>,
    /// The location (region) it runs in.
    pub location: Text,
    /// The IP address of the host machine players connect to.
    pub host: Text,
    /// Creation time, Unix milliseconds.
    pub created: i64,
    /// The mapped ports.
    pub ports: Vec<Port>,
    /// The container status (`"running"`, …, an open set); `None` when absent.
    pub status: Option<Text>,
    /// The labels as sent.
    pub labels: StringMap,
    /// User labels, decoded from the JSON held in `labels["tags"]`.
    pub tags: StringMap,
    /// Container environment, decoded from the JSON held in `labels["env"]`. Anyone with
    /// `session:read` can read it: never pass secrets as env.
    pub env: StringMap,
    /// Players in the session: `playerCount`, or `players.joinedCount` of a described session.
    pub player_count: Option<i64>,
    /// The joined players (described sessions only).
    pub players: Option<Players>,
}

/// The players of a described session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Players {
    /// The joined player ids.
    pub joined: StringList,
    /// The joined count the server reports.
    pub joined_count: i64,
}

/// The `labels` field: an object, or a string holding one bare or as `{"labels": {…}}`.
impl Embedded for StringMap {
    const WRAPPER: &'static str = "labels";
}

/// The wire form; tags and env are derived from it once, at decode time.
#[derive(Deserialize)]
struct WireSession {
    id: Text,
    image: Text,
    #[serde(default)]
    tag: Option<Text>,
    location: Text,
    host: Text,
    #[serde(deserialize_with = "millis")]
    created: i64,
    #[serde(default, deserialize_with = "embedded")]
    port: PortMap,
    #[serde(default)]
    status: Option<Text>,
    #[serde(default, deserialize_with = "embedded")]
    labels: StringMap,
    #[serde(default, rename = "playerCount", deserialize_with = "optional_integer")]
    player_count: Option<i64>,
    #[serde(default)]
    players: Option<WirePlayers>,
}

#[derive(Deserialize)]
struct WirePlayers {
    #[serde(default)]
    joined: StringList,
    #[serde(default, rename = "joinedCount", deserialize_with = "optional_integer")]
    joined_count: Option<i64>,
}

impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Session, D::Error> {
        let wire = WireSession::deserialize(d)?;
        let labelled = |key: &str| {
            wire.labels
                .get(key)
                .map(string_map_from_json::<StringMap>)
                .unwrap_or_default()
        };
        let tags = labelled("tags");
        let env = labelled("env");
        let players = wire.players.map(|p| Players {
            joined_count: p.joined_count.unwrap_or(p.joined.len() as i64),
            joined: p.joined,
        });
        Ok(Session {
            player_count: wire
                .player_count
                .or_else(|| players.as_ref().map(|p| p.joined_count)),
            id: wire.id,
            image: wire.image,
            tag: wire.tag,
            location: wire.location,
            host: wire.host,
            created: wire.created,
            ports: wire.port.0,
            status: wire.status,
            labels: wire.labels,
            tags,
            env,
            players,
        })
    }
}

/// The sessions of one `GET /session` response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SessionList {
    sessions: Vec<Session>,
}

impl SessionList {
    /// The number of sessions.
    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// The session at `index`.
    pub fn get(&self, index: usize) -> Option<&Session> {
        self.sessions.get(index)
    }

    /// The sessions in the order the server sent them.
    pub fn iter(&self) -> std::slice::Iter<'_, Session> {
        self.sessions.iter()
    }

    /// The sessions as a slice.
    pub fn as_slice(&self) -> &[Session] {
        &self.sessions
    }

    /// Takes the sessions out.
    pub fn into_vec(self) -> Vec<Session> {
        self.sessions
    }
}

impl<'a> IntoIterator for &'a SessionList {
    type Item = &'a Session;
    type IntoIter = std::slice::Iter<'a, Session>;
    fn into_iter(self) -> Self::IntoIter {
        self.sessions.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Protocol;

    /// The response example of the seed documentation page, byte for byte as printed
    /// (spec/000_b67970e290cbf286.txt); the C tests read the same file.
    const SEED_PAGE_EXAMPLE: &str = include_str!("../../tests/fixtures/seed-page-example.json");

    fn decode_one(json: &str) -> Session {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_seed_page_example_reads_as_a_person_reads_it() {
        let list: SessionList = serde_json::from_str(SEED_PAGE_EXAMPLE).unwrap();
        assert_eq!(list.len(), 1);
        let s = list.get(0).unwrap();
        assert_eq!(s.id, "f7965a22-e327-4541-a30e-8262890d3a29");
        assert_eq!(s.image, "nginx");
        assert_eq!(s.tag.as_deref(), Some("latest"));
        assert_eq!(s.location, "europe");
        assert_eq!(s.host, "a.b.c.d");
        assert_eq!(s.created, 1648472895000);
        assert_eq!(s.status.as_deref(), Some(""));
        assert_eq!(s.player_count, Some(0));
        assert_eq!(s.ports.len(), 1);
        let port = &s.ports[0];
        assert_eq!(port.name, "80/tcp");
        assert_eq!(
            (port.container, port.host, port.protocol),
            (80, 49160, Some(Protocol::Tcp))
        );
        assert_eq!(s.labels.len(), 2);
        assert_eq!(s.tags.get("my-example-tag"), Some("1"));
        assert_eq!(s.tags.get("another-example-tag"), Some("3"));
        assert_eq!(s.tags.len(), 2);
        assert_eq!(
            s.env.get("GAMEYE_SESSION_ID"),
            Some("c595bc6f-8522-4a62-95cd-8742136643ea")
        );
        assert_eq!(s.env.get("GAMEYE_HOST"), Some("a.b.c.d"));
        assert!(s.players.is_none());
    }

    #[test]
    fn object_forms_from_the_openapi_example() {
        let s = decode_one(
            r#"{"id":"c595","image":"my-very-special-game","location":"frankfurt","host":"a.b.c.d",
                "created":1648472895000,"port":{"80/tcp":49160},
                "labels":{"env":"{\"GAMEYE_SESSION_ID\":\"x\"}","tags":"{\"my-example-tag\":\"1\"}"}}"#,
        );
        assert_eq!(s.ports[0].host, 49160);
        assert_eq!(s.tags.get("my-example-tag"), Some("1"));
        assert_eq!(s.env.get("GAMEYE_SESSION_ID"), Some("x"));
        assert_eq!(
            (s.tag.as_ref(), s.status.as_ref(), s.player_count),
            (None, None, None)
        );
    }

    #[test]
    fn bare_string_forms() {
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "port":"{\"7777/udp\":20001}","labels":"{\"tags\":\"{}\"}"}"#,
        );
        assert_eq!(s.ports[0].protocol, Some(Protocol::Udp));
        assert_eq!(s.labels.get("tags"), Some("{}"));
    }

    #[test]
    fn odd_but_schema_valid_data_never_fails() {
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1648472895000.5,
                "port":{"weird":65536,"80/tcp":0},
                "labels":{"tags":"not json","env":"[1,2]","gameye":"{}"},
                "status":"brand-new-status","unknown":{"nested":[1,2,3]}}"#,
        );
        assert_eq!(s.created, 1648472895000);
        assert_eq!(
            s.ports.iter().map(|p| p.host).collect::<Vec<_>>(),
            vec![0, 0]
        );
        assert!(s.tags.is_empty());
        assert!(s.env.is_empty());
        assert_eq!(s.labels.len(), 3);
        assert_eq!(s.status.as_deref(), Some("brand-new-status"));
    }

    #[test]
    fn unusable_embedded_strings_read_as_empty() {
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "port":"{broken","labels":null}"#,
        );
        assert!(s.ports.is_empty());
        assert!(s.labels.is_empty());
    }

    #[test]
    fn a_label_named_like_the_wrapper_is_not_unwrapped() {
        let s = decode_one(
            r#"{"id":"a","image":"i","location":"l","host":"h","created":1,
                "labels":"{\"labels\":\"mine\"}"}"#,
        );
        assert_eq!(s.labels.get("labels"), Some("mine"));
    }

    #[test]
    fn described_sessions_carry_players() {
        let s = decode_one(
            r#"{"id":"a","image":"i","tag":"t","location":"l","host":"h","created":1,"port":{},
                "status":"running","labels":{},"players":{"joined":["p1","p2"],"joinedCount":2}}"#,
        );
        let players = s.players.as_ref().unwrap();
        assert_eq!(players.joined.iter().collect::<Vec<_>>(), vec!["p1", "p2"]);
        assert_eq!(players.joined_count, 2);
        assert_eq!(s.player_count, Some(2));
    }

    #[test]
    fn missing_required_fields_fail_with_the_field_name() {
        let err =
            serde_json::from_str::<Session>(r#"{"id":"a","image":"i","location":"l","created":1}"#)
                .unwrap_err();
        assert!(err.to_string().contains("host"), "{err}");
    }
}
