//! Request validation as the service does it: JSON bodies against the schema (with the
//! service's `violations`), and query strings.

use std::time::Duration;

use serde_json::{Map, Value};

use super::state::{ApiError, ListFilter, StartRequest};

/// Reasons a JSON body fails the schema, collected the way the service reports `violations`.
#[derive(Default)]
pub(super) struct Violations(Vec<(String, String)>);

impl Violations {
    fn add(&mut self, field: &str, description: impl Into<String>) {
        self.0.push((field.to_owned(), description.into()));
    }

    fn string(&mut self, field: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::String(_) => {
                self.add(field, "must not be empty");
                None
            }
            _ => {
                self.add(field, "must be a string");
                None
            }
        }
    }

    fn string_map(
        &mut self,
        field: &str,
        value: &Value,
        allow_empty_values: bool,
    ) -> Vec<(String, String)> {
        let Value::Object(map) = value else {
            self.add(field, "must be an object of strings");
            return Vec::new();
        };
        let mut pairs = Vec::with_capacity(map.len());
        for (key, value) in map {
            match value {
                Value::String(s) if s.is_empty() && !allow_empty_values => {
                    self.add(&format!("{field}.{key}"), "must not be empty")
                }
                Value::String(s) => pairs.push((key.clone(), s.clone())),
                _ => self.add(&format!("{field}.{key}"), "must be a string"),
            }
        }
        pairs
    }

    fn string_list(&mut self, field: &str, value: &Value) -> Vec<String> {
        let Value::Array(items) = value else {
            self.add(field, "must be an array of strings");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.string(&format!("{field}[{i}]"), item))
            .collect()
    }

    fn finish<T>(self, value: T) -> Result<T, ApiError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(ApiError::invalid(self.0))
        }
    }
}

/// Parses a JSON object body.
pub(super) fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid(vec![(
            "body".into(),
            "must be a JSON object".into(),
        )])),
        Err(e) => Err(ApiError::invalid(vec![(
            "body".into(),
            format!("is not valid JSON: {e}"),
        )])),
    }
}

/// `<N>h<M>m`, either part optional but not both.
pub(super) fn parse_ttl(text: &str) -> Option<Duration> {
    let (hours, rest) = match text.split_once('h') {
        Some((h, rest)) => (Some(h), rest),
        None => (None, text),
    };
    let minutes = match rest {
        "" => None,
        m => Some(m.strip_suffix('m')?),
    };
    if hours.is_none() && minutes.is_none() {
        return None;
    }
    let number = |s: Option<&str>| -> Option<u64> {
        match s {
            None => Some(0),
            Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
            Some(_) => None,
        }
    };
    let total = number(hours)?
        .checked_mul(60)?
        .checked_add(number(minutes)?)?;
    Some(Duration::from_secs(total.max(1).checked_mul(60)?))
}

pub(super) fn validate_start(body: &[u8]) -> Result<StartRequest, ApiError> {
    let object = json_object(body)?;
    let mut v = Violations::default();
    let mut request = StartRequest::default();
    for (key, value) in &object {
        match key.as_str() {
            "id" => request.id = v.string("id", value),
            "location" => request.location = v.string("location", value).unwrap_or_default(),
            "image" => request.image = v.string("image", value).unwrap_or_default(),
            "env" => request.env = v.string_map("env", value, false),
            "args" => request.args = v.string_list("args", value),
            "restart" => match value {
                Value::Bool(b) => request.restart = *b,
                _ => v.add("restart", "must be a boolean"),
            },
            "labels" => request.labels = v.string_map("labels", value, true),
            "version" => request.version = v.string("version", value),
            "ttl" => {
                if let Some(text) = v.string("ttl", value) {
                    match parse_ttl(&text) {
                        Some(ttl) => request.ttl = Some(ttl),
                        None => v.add("ttl", "must look like 1h, 30m or 2h30m"),
                    }
                }
            }
            "external_id" => match value {
                Value::String(s) => request.external_id = Some(s.clone()),
                _ => v.add("external_id", "must be a string"),
            },
            other => v.add(other, "is not a known field"),
        }
    }
    for required in ["location", "image"] {
        if !object.contains_key(required) {
            v.add(required, "is required");
        }
    }
    v.finish(request)
}

pub(super) fn validate_players(object: &Map<String, Value>, v: &mut Violations) -> Vec<String> {
    match object.get("players") {
        None => {
            v.add("players", "is required");
            Vec::new()
        }
        Some(value) => {
            let players = v.string_list("players", value);
            if matches!(value, Value::Array(a) if a.is_empty()) {
                v.add("players", "must not be empty");
            }
            players
        }
    }
}

pub(super) fn validate_join(body: &[u8]) -> Result<(String, Vec<String>), ApiError> {
    let object = json_object(body)?;
    let mut v = Violations::default();
    let session = match object.get("session") {
        Some(value) => v.string("session", value).unwrap_or_default(),
        None => {
            v.add("session", "is required");
            String::new()
        }
    };
    let players = validate_players(&object, &mut v);
    for key in object.keys().filter(|k| *k != "session" && *k != "players") {
        v.add(key, "is not a known field");
    }
    v.finish((session, players))
}

pub(super) fn validate_leave(body: &[u8]) -> Result<Vec<String>, ApiError> {
    let object = json_object(body)?;
    let mut v = Violations::default();
    let players = validate_players(&object, &mut v);
    for key in object.keys().filter(|k| *k != "players") {
        v.add(key, "is not a known field");
    }
    v.finish(players)
}

pub(super) fn bad_query(details: impl Into<String>) -> ApiError {
    ApiError::new(400, "Bad request: the query string is not valid.", details)
}

pub(super) fn parse_bool(key: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(bad_query(format!("{key} must be true or false"))),
    }
}

pub(super) fn parse_list_filter(query: &[(String, String)]) -> Result<ListFilter, ApiError> {
    let mut filter = ListFilter::default();
    for (key, value) in query {
        let count = || {
            value
                .parse::<i64>()
                .map_err(|_| bad_query(format!("{key} must be an integer")))
        };
        match key.as_str() {
            "all" => filter.all = parse_bool(key, value)?,
            "location" => filter.location = Some(value.clone()),
            "image" => filter.image = Some(value.clone()),
            "tag" => filter.tag = Some(value.clone()),
            "host" => filter.host = Some(value.clone()),
            "playerCount[lt]" => filter.player_count_lt = Some(count()?),
            "playerCount[gt]" => filter.player_count_gt = Some(count()?),
            // The deepObject is an open object in the spec: other keys filter nothing.
            other if other.starts_with("playerCount[") && other.ends_with(']') => {}
            _ => match key
                .strip_prefix("filter[")
                .and_then(|k| k.strip_suffix(']'))
            {
                Some(label) if !label.is_empty() => {
                    filter.labels.push((label.to_owned(), value.clone()))
                }
                _ => return Err(bad_query(format!("unknown query parameter {key:?}"))),
            },
        }
    }
    Ok(filter)
}

/// The one value of a required query parameter.
pub(super) fn required<'a>(query: &'a [(String, String)], key: &str) -> Result<&'a str, ApiError> {
    match query.iter().find(|(k, _)| k == key) {
        Some((_, v)) if !v.is_empty() => Ok(v),
        _ => Err(bad_query(format!("{key} is required"))),
    }
}

pub(super) fn only_known(query: &[(String, String)], known: &[&str]) -> Result<(), ApiError> {
    match query.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        Some((k, _)) => Err(bad_query(format!("unknown query parameter {k:?}"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_forms() {
        assert_eq!(parse_ttl("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_ttl("2h30m"), Some(Duration::from_secs(9000)));
        assert_eq!(parse_ttl("1m"), Some(Duration::from_secs(60)));
        assert_eq!(parse_ttl("0m"), Some(Duration::from_secs(60)));
        for bad in ["", "h", "m", "1", "1x", "m1", "1m1h", "-1m", "1h 2m"] {
            assert_eq!(parse_ttl(bad), None, "{bad}");
        }
    }

    #[test]
    fn start_validation_collects_violations() {
        let error =
            validate_start(br#"{"location":"","env":{"A":""},"args":[""],"ttl":"soon","x":1}"#)
                .unwrap_err();
        let fields: Vec<&str> = error.violations.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(error.status, 422);
        for field in ["location", "env.A", "args[0]", "ttl", "x", "image"] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
        assert_eq!(validate_start(b"not json").unwrap_err().status, 422);
        let ok =
            validate_start(br#"{"location":"europe","image":"nginx","ttl":"1h","restart":true}"#)
                .unwrap();
        assert!(ok.restart);
    }
}
