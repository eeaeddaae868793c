//! The small collections a decoded response hands out: string maps (labels, tags, env) and
//! string lists (players).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::loose::LooseString;
use super::Text;

/// An ordered string-to-string map, in the order the server sent it. Lookups are linear:
/// these maps hold a handful of entries, and a Vec keeps decoding to one allocation per string.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StringMap {
    entries: Vec<(Text, Text)>,
}

impl StringMap {
    /// An empty map.
    pub fn new() -> StringMap {
        StringMap::default()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value for `key`, if present (exact, case-sensitive).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.get_text(key).map(Text::as_str)
    }

    /// The value for `key` as a `Text`, if present.
    pub fn get_text(&self, key: &str) -> Option<&Text> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, v)| v)
    }

    /// The entry at `index`, in the order the server sent them.
    pub fn entry(&self, index: usize) -> Option<(&Text, &Text)> {
        self.entries.get(index).map(|(k, v)| (k, v))
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Sets `key` to `value`, replacing an existing entry in place.
    pub fn insert(&mut self, key: impl Into<Text>, value: impl Into<Text>) {
        let key = key.into();
        let value = value.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key, value)),
        }
    }
}

impl fmt::Debug for StringMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for StringMap {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> StringMap {
        let mut map = StringMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

/// Decodes a JSON object whose values should be strings; a value of another JSON type is
/// kept as its JSON text rather than failing the whole response.
impl<'de> Deserialize<'de> for StringMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StringMap, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = StringMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StringMap, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((key, LooseString(value))) = map.next_entry::<Text, LooseString>()? {
                    entries.push((key, value));
                }
                Ok(StringMap { entries })
            }
        }
        deserializer.deserialize_map(MapVisitor)
    }
}

/// An ordered list of strings (e.g. the player ids of a session).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StringList {
    items: Vec<Text>,
}

impl StringList {
    /// The number of strings.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The string at `index`.
    pub fn get(&self, index: usize) -> Option<&Text> {
        self.items.get(index)
    }

    /// The strings in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(Text::as_str)
    }
}

impl fmt::Debug for StringList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Vec<Text>> for StringList {
    fn from(items: Vec<Text>) -> StringList {
        StringList { items }
    }
}

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StringList, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = StringList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4));
                while let Some(LooseString(item)) = seq.next_element::<LooseString>()? {
                    items.push(item);
                }
                Ok(StringList { items })
            }
            fn visit_unit<E>(self) -> Result<StringList, E> {
                Ok(StringList::default())
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_finds_keys() {
        let map: StringMap = serde_json::from_str(r#"{"b":"2","a":"1"}"#).unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map.entry(0).map(|(k, _)| k.as_str()), Some("b"));
        assert_eq!(map.get("a"), Some("1"));
        assert_eq!(map.get("A"), None);
    }

    #[test]
    fn non_string_values_are_kept_as_json_text() {
        let map: StringMap =
            serde_json::from_str(r#"{"n":3,"f":1.5,"b":true,"z":null,"o":{"x":[1]}}"#).unwrap();
        assert_eq!(map.get("n"), Some("3"));
        assert_eq!(map.get("f"), Some("1.5"));
        assert_eq!(map.get("b"), Some("true"));
        assert_eq!(map.get("z"), Some("null"));
        assert_eq!(map.get("o"), Some(r#"{"x":[1]}"#));
    }

    #[test]
    fn insert_replaces_in_place() {
        let mut map = StringMap::new();
        map.insert("k", "1");
        map.insert("j", "2");
        map.insert("k", "3");
        assert_eq!(map.iter().collect::<Vec<_>>(), vec![("k", "3"), ("j", "2")]);
    }

    #[test]
    fn lists_decode_strings_and_null() {
        let list: StringList = serde_json::from_str(r#"["p1","p2"]"#).unwrap();
        assert_eq!(list.iter().collect::<Vec<_>>(), vec!["p1", "p2"]);
        let empty: StringList = serde_json::from_str("null").unwrap();
        assert!(empty.is_empty());
    }
}
