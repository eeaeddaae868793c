//! Tolerant decoders for fields whose shape the published documents disagree about
//! (docs/C-API.md "Wire tolerance"). None of them fails on schema-valid data.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
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
    d.deserialize_any(IntegerVisitor { whole: false })
}

/// As [`optional_integer`], but a number with a fraction reads as absent (port numbers).
pub(crate) fn optional_whole_integer<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(IntegerVisitor { whole: true })
}

/// `whole`: a float with a fraction is absent rather than truncated.
#[derive(Clone, Copy)]
struct IntegerVisitor {
    whole: bool,
}

impl IntegerVisitor {
    /// Float to integer, saturating; NaN (and, when `whole`, a fraction) reads as absent.
    fn float(self, v: f64) -> Option<i64> {
        let number = super::json::Number::Float(v);
        if self.whole {
            number.to_exact_i64()
        } else {
            number.to_i64()
        }
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
        Ok(self.float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i64>, E> {
        let v = v.trim();
        Ok(v.parse::<i64>()
            .ok()
            .or_else(|| v.parse::<f64>().ok().and_then(|v| self.float(v))))
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
        d.deserialize_any(self)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Numbers {
        #[serde(default, deserialize_with = "optional_integer")]
        count: Option<i64>,
    }

    fn count(json: &str) -> Option<i64> {
        serde_json::from_str::<Numbers>(json).unwrap().count
    }

    #[test]
    fn optional_counts_tolerate_odd_values() {
        assert_eq!(count(r#"{}"#), None);
        assert_eq!(count(r#"{"count":null}"#), None);
        assert_eq!(count(r#"{"count":4}"#), Some(4));
        assert_eq!(count(r#"{"count":4.0}"#), Some(4));
        assert_eq!(count(r#"{"count":"17"}"#), Some(17));
        assert_eq!(count(r#"{"count":true}"#), None);
        assert_eq!(count(r#"{"count":[1]}"#), None);
    }
}
