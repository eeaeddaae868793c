//! Tolerant decoders for fields whose shape the published documents disagree about
//! (C-API.md "Wire tolerance"). None of them fails on schema-valid data.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::Text;

/// A string value that also accepts any other JSON value, keeping its JSON text
/// (`3`, `true`, `null`, `{"a":1}`), so one odd value never fails a whole response.
pub(crate) struct LooseString(pub Text);

impl<'de> Deserialize<'de> for LooseString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LooseString, D::Error> {
        struct LooseVisitor;
        impl<'de> Visitor<'de> for LooseVisitor {
            type Value = LooseString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LooseString, E> {
                Ok(LooseString(Text::new(v)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<LooseString, E> {
                Ok(LooseString(Text::new(if v { "true" } else { "false" })))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<LooseString, E> {
                Ok(LooseString(Text::from(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LooseString, E> {
                Ok(LooseString(Text::from(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<LooseString, E> {
                Ok(LooseString(Text::from(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<LooseString, E> {
                Ok(LooseString(Text::new("null")))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<LooseString, A::Error> {
                let value = serde_json::Value::deserialize(MapAccessDeserializer::new(map))?;
                Ok(LooseString(Text::from(value.to_string())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<LooseString, A::Error> {
                let value = serde_json::Value::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(LooseString(Text::from(value.to_string())))
            }
        }
        deserializer.deserialize_any(LooseVisitor)
    }
}

/// A JSON number that may be absent, null, an integer, a float, or a numeric string.
/// Anything else reads as absent rather than failing the response.
pub(crate) fn optional_integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(IntegerVisitor)
}

/// A timestamp in Unix milliseconds, sent as an integer or a float (the schema says `number`).
pub(crate) fn millis<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match d.deserialize_any(IntegerVisitor)? {
        Some(value) => Ok(value),
        None => Err(de::Error::custom("`created` is not a number")),
    }
}

struct IntegerVisitor;

/// Float to integer, saturating; NaN reads as absent.
fn float_to_i64(v: f64) -> Option<i64> {
    if v.is_nan() {
        None
    } else {
        Some(v as i64)
    }
}

impl<'de> Visitor<'de> for IntegerVisitor {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<i64>, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<i64>, E> {
        Ok(Some(i64::try_from(v).unwrap_or(i64::MAX)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<i64>, E> {
        Ok(float_to_i64(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i64>, E> {
        let v = v.trim();
        Ok(v.parse::<i64>()
            .ok()
            .or_else(|| v.parse::<f64>().ok().and_then(float_to_i64)))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<i64>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
        d.deserialize_any(IntegerVisitor)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<i64>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<i64>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A field that servers send either as a JSON object, or as a string holding that object's
/// JSON, bare or wrapped in a one-key object named [`Embedded::WRAPPER`] (the seed page sends
/// `"port": "{\"port\":{\"80/tcp\":49160}}"`). A string that holds no usable JSON, `null`, or
/// a value of another type decodes to the empty default instead of failing the response.
pub(crate) trait Embedded: DeserializeOwned + Default {
    /// The name of the one-key wrapper object of the string form.
    const WRAPPER: &'static str;
}

/// `#[serde(deserialize_with = "embedded")]` for an [`Embedded`] field.
pub(crate) fn embedded<'de, D: Deserializer<'de>, T: Embedded>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(EmbeddedVisitor(PhantomData))
}

struct EmbeddedVisitor<T>(PhantomData<T>);

impl<'de, T: Embedded> Visitor<'de> for EmbeddedVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object, or a string holding one ({})", T::WRAPPER)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(decode_embedded_string(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(T::default())
    }
}

/// The string form of an [`Embedded`] field. Rare on the wire, so it goes through a
/// `serde_json::Value` to look for the wrapper; the object form never does.
fn decode_embedded_string<T: Embedded>(text: &str) -> T {
    let Ok(serde_json::Value::Object(mut object)) = serde_json::from_str(text) else {
        return T::default();
    };
    let wrapped = object.len() == 1
        && object
            .get(T::WRAPPER)
            .is_some_and(serde_json::Value::is_object);
    let inner = match object.remove(T::WRAPPER) {
        Some(inner) if wrapped => inner,
        Some(other) => {
            object.insert(T::WRAPPER.to_owned(), other);
            serde_json::Value::Object(object)
        }
        None => serde_json::Value::Object(object),
    };
    T::deserialize(inner).unwrap_or_default()
}

/// Decodes a string map held as JSON text in a label (`labels.tags`, `labels.env`):
/// empty when the text is not a JSON object.
pub(crate) fn string_map_from_json<T: DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Numbers {
        #[serde(deserialize_with = "millis")]
        created: i64,
        #[serde(default, deserialize_with = "optional_integer")]
        count: Option<i64>,
    }

    fn numbers(json: &str) -> Numbers {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn created_reads_integers_and_floats() {
        assert_eq!(
            numbers(r#"{"created":1648472895000}"#).created,
            1648472895000
        );
        assert_eq!(
            numbers(r#"{"created":1648472895000.0}"#).created,
            1648472895000
        );
        assert_eq!(
            numbers(r#"{"created":1.648472895e12}"#).created,
            1648472895000
        );
        assert_eq!(numbers(r#"{"created":"17"}"#).created, 17);
        assert!(serde_json::from_str::<Numbers>(r#"{"created":null}"#).is_err());
    }

    #[test]
    fn optional_counts_tolerate_odd_values() {
        assert_eq!(numbers(r#"{"created":0}"#).count, None);
        assert_eq!(numbers(r#"{"created":0,"count":null}"#).count, None);
        assert_eq!(numbers(r#"{"created":0,"count":4}"#).count, Some(4));
        assert_eq!(numbers(r#"{"created":0,"count":4.0}"#).count, Some(4));
        assert_eq!(numbers(r#"{"created":0,"count":true}"#).count, None);
        assert_eq!(numbers(r#"{"created":0,"count":[1]}"#).count, None);
    }
}
