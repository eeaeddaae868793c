//! Request options: the filters of `GET /session` and the body of `POST /session`.
//! Setters check their values, so a bad one is reported where it is set.

use serde::{Serialize, Serializer};

use super::url::Query;
use super::Error;

fn non_empty(what: &str, value: &str) -> Result<String, Error> {
    if value.is_empty() {
        Err(Error::invalid_argument(format!("{what} must not be empty")))
    } else {
        Ok(value.to_owned())
    }
}

/// Sets `key` in an ordered list of pairs, replacing an earlier value.
fn set_pair(pairs: &mut Vec<(String, String)>, key: String, value: String) {
    match pairs.iter_mut().find(|(k, _)| *k == key) {
        Some(pair) => pair.1 = value,
        None => pairs.push((key, value)),
    }
}

/// Filters for listing sessions. All are optional; matching is exact and case-sensitive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    all: Option<bool>,
    location: Option<String>,
    image: Option<String>,
    tag: Option<String>,
    host: Option<String>,
    player_count_lt: Option<i64>,
    player_count_gt: Option<i64>,
    filters: Vec<(String, String)>,
}

impl ListOptions {
    /// No filters: the running sessions of the token's account.
    pub fn new() -> ListOptions {
        ListOptions::default()
    }

    /// `true` lists sessions in every status, not only running ones.
    pub fn set_all(&mut self, all: bool) -> &mut ListOptions {
        self.all = Some(all);
        self
    }

    /// Only sessions in this location.
    pub fn set_location(&mut self, location: &str) -> Result<&mut ListOptions, Error> {
        self.location = Some(non_empty("the location filter", location)?);
        Ok(self)
    }

    /// Only sessions of this image.
    pub fn set_image(&mut self, image: &str) -> Result<&mut ListOptions, Error> {
        self.image = Some(non_empty("the image filter", image)?);
        Ok(self)
    }

    /// Only sessions running this image tag.
    pub fn set_tag(&mut self, tag: &str) -> Result<&mut ListOptions, Error> {
        self.tag = Some(non_empty("the tag filter", tag)?);
        Ok(self)
    }

    /// Only sessions on this host address.
    pub fn set_host(&mut self, host: &str) -> Result<&mut ListOptions, Error> {
        self.host = Some(non_empty("the host filter", host)?);
        Ok(self)
    }

    /// Only sessions with fewer than `lt` players (backfill).
    pub fn set_player_count_lt(&mut self, lt: i64) -> &mut ListOptions {
        self.player_count_lt = Some(lt);
        self
    }

    /// Only sessions with more than `gt` players.
    pub fn set_player_count_gt(&mut self, gt: i64) -> &mut ListOptions {
        self.player_count_gt = Some(gt);
        self
    }

    /// Only sessions whose user label `key` equals `value`; several filters must all match.
    /// Setting the same key again replaces its value.
    pub fn add_filter(&mut self, key: &str, value: &str) -> Result<&mut ListOptions, Error> {
        let key = non_empty("a label filter's key", key)?;
        set_pair(&mut self.filters, key, value.to_owned());
        Ok(self)
    }

    /// The query string, in the OpenAPI `deepObject` style for `playerCount` and `filter`.
    pub(crate) fn query(&self) -> Query {
        let mut query = Query::default();
        if let Some(all) = self.all {
            query.push("all", if all { "true" } else { "false" });
        }
        for (key, value) in [
            ("location", &self.location),
            ("image", &self.image),
            ("tag", &self.tag),
            ("host", &self.host),
        ] {
            if let Some(value) = value {
                query.push(key, value);
            }
        }
        for (sub, value) in [("lt", self.player_count_lt), ("gt", self.player_count_gt)] {
            if let Some(value) = value {
                query.push_deep("playerCount", Some(sub), &value.to_string());
            }
        }
        for (key, value) in &self.filters {
            query.push_deep("filter", Some(key), value);
        }
        query
    }
}

fn pairs_as_object<S: Serializer>(
    pairs: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// What to start: location and image are required, everything else is sent only when set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartOptions {
    id: Option<String>,
    location: Option<String>,
    image: Option<String>,
    env: Vec<(String, String)>,
    args: Vec<String>,
    restart: Option<bool>,
    labels: Vec<(String, String)>,
    version: Option<String>,
    ttl: Option<String>,
    external_id: Option<String>,
}

/// The JSON body, borrowing the options, with the id always present.
#[derive(Serialize)]
struct StartBody<'a> {
    id: &'a str,
    location: &'a str,
    image: &'a str,
    #[serde(
        skip_serializing_if = "<[_]>::is_empty",
        serialize_with = "pairs_as_object"
    )]
    env: &'a [(String, String)],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    args: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    restart: Option<bool>,
    #[serde(
        skip_serializing_if = "<[_]>::is_empty",
        serialize_with = "pairs_as_object"
    )]
    labels: &'a [(String, String)],
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
}

/// Checks a ttl of the form `<N>h<M>m` (`1h`, `30m`, `2h30m`).
fn check_ttl(ttl: &str) -> Result<(), Error> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (hours, rest) = match ttl.split_once('h') {
        Some((hours, rest)) => (Some(hours), rest),
        None => (None, ttl),
    };
    let minutes = match rest {
        "" => Some(None),
        rest => rest.strip_suffix('m').map(Some),
    };
    let ok = match minutes {
        Some(minutes) => {
            (hours.is_some() || minutes.is_some())
                && hours.is_none_or(digits)
                && minutes.is_none_or(digits)
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(format!(
            "the ttl {ttl:?} is not of the form <N>h<M>m (e.g. 1h, 30m, 2h30m)"
        )))
    }
}

impl StartOptions {
    /// Empty options; set at least the location and the image.
    pub fn new() -> StartOptions {
        StartOptions::default()
    }

    /// Options for `image` in `location`.
    pub fn for_image(location: &str, image: &str) -> Result<StartOptions, Error> {
        let mut options = StartOptions::new();
        options.set_location(location)?.set_image(image)?;
        Ok(options)
    }

    /// The session id. Without one the client generates a UUIDv4, so that a retried start can
    /// never allocate twice; either way the id is sent and returned.
    pub fn set_id(&mut self, id: &str) -> Result<&mut StartOptions, Error> {
        self.id = Some(non_empty("the session id", id)?);
        Ok(self)
    }

    /// The location (region) to start in. Required.
    pub fn set_location(&mut self, location: &str) -> Result<&mut StartOptions, Error> {
        self.location = Some(non_empty("the location", location)?);
        Ok(self)
    }

    /// The image (application) to run. Required.
    pub fn set_image(&mut self, image: &str) -> Result<&mut StartOptions, Error> {
        self.image = Some(non_empty("the image", image)?);
        Ok(self)
    }

    /// Sets an environment variable of the container (replacing an earlier value). Readable
    /// by anyone with `session:read` through the session's labels: never put secrets here.
    pub fn set_env(&mut self, key: &str, value: &str) -> Result<&mut StartOptions, Error> {
        let key = non_empty("an env variable's name", key)?;
        let value = non_empty(&format!("env variable {key}"), value)?;
        set_pair(&mut self.env, key, value);
        Ok(self)
    }

    /// Appends a command-line argument for the game server.
    pub fn add_arg(&mut self, arg: &str) -> Result<&mut StartOptions, Error> {
        self.args.push(non_empty("an argument", arg)?);
        Ok(self)
    }

    /// Whether the container restarts when it fails.
    pub fn set_restart(&mut self, restart: bool) -> &mut StartOptions {
        self.restart = Some(restart);
        self
    }

    /// Sets a user label (replacing an earlier value); list filters match on these.
    pub fn set_label(&mut self, key: &str, value: &str) -> Result<&mut StartOptions, Error> {
        let key = non_empty("a label's key", key)?;
        set_pair(&mut self.labels, key, value.to_owned());
        Ok(self)
    }

    /// The image tag to run; without it the highest-priority tag runs.
    pub fn set_version(&mut self, version: &str) -> Result<&mut StartOptions, Error> {
        self.version = Some(non_empty("the version", version)?);
        Ok(self)
    }

    /// How long the session may live before it is stopped by force: `<N>h<M>m`.
    pub fn set_ttl(&mut self, ttl: &str) -> Result<&mut StartOptions, Error> {
        check_ttl(ttl)?;
        self.ttl = Some(ttl.to_owned());
        Ok(self)
    }

    /// Your own identifier for the session (write-only: the API never returns it).
    pub fn set_external_id(&mut self, external_id: &str) -> Result<&mut StartOptions, Error> {
        self.external_id = Some(non_empty("the external id", external_id)?);
        Ok(self)
    }

    /// A copy that carries an id: the one set, or a new UUIDv4.
    pub(crate) fn with_id(&self) -> StartOptions {
        let mut options = self.clone();
        if options.id.is_none() {
            options.id = Some(uuid::Uuid::new_v4().to_string());
        }
        options
    }

    /// The id set with [`StartOptions::set_id`].
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// Whether `session` is what these options start: the same id, image and location.
    pub(crate) fn describes(&self, id: &str, session: &crate::Session) -> bool {
        session.id() == id
            && Some(session.image()) == self.image.as_deref()
            && Some(session.location()) == self.location.as_deref()
    }

    /// The JSON body with `id`; fails when the location or image is missing.
    pub(crate) fn body(&self, id: &str) -> Result<Vec<u8>, Error> {
        let missing = |what: &str| {
            Error::invalid_argument(format!("the {what} is required to start a session"))
        };
        let body = StartBody {
            id,
            location: self
                .location
                .as_deref()
                .ok_or_else(|| missing("location"))?,
            image: self.image.as_deref().ok_or_else(|| missing("image"))?,
            env: &self.env,
            args: &self.args,
            restart: self.restart,
            labels: &self.labels,
            version: self.version.as_deref(),
            ttl: self.ttl.as_deref(),
            external_id: self.external_id.as_deref(),
        };
        serde_json::to_vec(&body)
            .map_err(|e| Error::invalid_argument(format!("cannot encode the start request: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_queries_use_deep_objects() {
        let mut options = ListOptions::new();
        options
            .set_all(true)
            .set_player_count_lt(8)
            .set_player_count_gt(-1);
        options
            .set_location("europe")
            .unwrap()
            .add_filter("game mode", "ffa&x")
            .unwrap();
        options.add_filter("game mode", "tdm").unwrap();
        assert_eq!(
            options.query().as_str(),
            concat!(
                "?all=true&location=europe&playerCount%5Blt%5D=8&playerCount%5Bgt%5D=-1",
                "&filter%5Bgame%20mode%5D=tdm"
            )
        );
        assert_eq!(ListOptions::new().query().as_str(), "");
        assert!(options.add_filter("", "x").is_err());
        assert!(options.set_image("").is_err());
    }

    #[test]
    fn start_bodies_carry_only_what_is_set() {
        let options = StartOptions::for_image("europe", "my-game").unwrap();
        let body: serde_json::Value =
            serde_json::from_slice(&options.body("id-1").unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"id": "id-1", "location": "europe", "image": "my-game"})
        );

        let mut options = StartOptions::for_image("europe", "my-game").unwrap();
        options
            .set_env("A", "1")
            .unwrap()
            .add_arg("--x")
            .unwrap()
            .set_restart(false);
        options
            .set_label("mode", "")
            .unwrap()
            .set_version("1.0.0")
            .unwrap();
        options
            .set_ttl("2h30m")
            .unwrap()
            .set_external_id("match-9")
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&options.body("i").unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"id": "i", "location": "europe", "image": "my-game", "env": {"A": "1"},
                "args": ["--x"], "restart": false, "labels": {"mode": ""}, "version": "1.0.0",
                "ttl": "2h30m", "external_id": "match-9"})
        );
    }

    #[test]
    fn start_options_reject_what_the_server_would() {
        let mut options = StartOptions::new();
        assert!(options.body("x").is_err());
        assert!(options.set_env("A", "").is_err());
        assert!(options.add_arg("").is_err());
        assert!(options.set_id("").is_err());
        for ttl in ["1h", "30m", "2h30m", "0m"] {
            assert!(check_ttl(ttl).is_ok(), "{ttl}");
        }
        for ttl in ["", "h", "m", "1", "1x", "1m1h", "-1m", "h30m", "1hm"] {
            assert!(check_ttl(ttl).is_err(), "{ttl}");
        }
    }
}
