//! Checks JSON values against the schemas of the provider's OpenAPI document
//! (spec/gameye-session-openapi.yml): the subset it uses — $ref, type, required, properties,
//! additionalProperties, items, enum, minLength, minimum, maximum.

use serde_json::{Map, Value};

pub struct Spec {
    schemas: Map<String, Value>,
}

/// YAML to JSON, with non-string keys (status codes) turned into strings.
fn to_json(yaml: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).unwrap_or(Value::Null),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_norway::to_string(&other).unwrap().trim().to_owned(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => to_json(tagged.value),
    }
}

impl Spec {
    pub fn load() -> Spec {
        let text =
            std::fs::read_to_string(super::root().join("spec/gameye-session-openapi.yml")).unwrap();
        let doc = to_json(serde_norway::from_str(&text).expect("the OpenAPI document parses"));
        let schemas = doc["components"]["schemas"]
            .as_object()
            .expect("components.schemas")
            .clone();
        Spec { schemas }
    }

    /// Checks `value` against the component schema `name`; the list of problems on failure.
    pub fn check(&self, name: &str, value: &Value) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        self.check_schema(&self.schemas[name], value, name, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn check_schema(&self, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/components/schemas/");
            return self.check_schema(&self.schemas[name], value, path, errors);
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                errors.push(format!("{path}: {value} is not one of {allowed:?}"));
            }
        }
        let kind = schema.get("type").and_then(Value::as_str).unwrap_or("");
        let ok = match kind {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: expected {kind}, got {value}"));
            return;
        }
        if let (Some(min), Some(s)) = (
            schema.get("minLength").and_then(Value::as_u64),
            value.as_str(),
        ) {
            if (s.chars().count() as u64) < min {
                errors.push(format!("{path}: shorter than {min}"));
            }
        }
        if let Some(n) = value.as_f64() {
            if schema
                .get("minimum")
                .and_then(Value::as_f64)
                .is_some_and(|m| n < m)
                || schema
                    .get("maximum")
                    .and_then(Value::as_f64)
                    .is_some_and(|m| n > m)
            {
                errors.push(format!("{path}: {n} out of range"));
            }
        }
        if let Some(items) = value.as_array() {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    self.check_schema(item_schema, item, &format!("{path}[{i}]"), errors);
                }
            }
        }
        let Some(object) = value.as_object() else {
            return;
        };
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = required.as_str().unwrap();
            if !object.contains_key(key) {
                errors.push(format!("{path}: missing required `{key}`"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, item) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(property) => {
                    self.check_schema(property, item, &format!("{path}.{key}"), errors)
                }
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!("{path}: unexpected `{key}`")),
                    Some(extra @ Value::Object(_)) => {
                        self.check_schema(extra, item, &format!("{path}.{key}"), errors)
                    }
                    _ => {}
                },
            }
        }
    }
}
