//! The small collections a decoded response hands out: string maps (labels, tags, env) and
//! string lists (players).

use std::ffi::c_char;
use std::fmt;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

use super::json::Span;
use super::loose::LooseString;
use super::store::{self, Entry, Run};
use super::Text;

/// The string-to-string maps of a session (labels, tags, env), in the order the server sent
/// them. Read-only and borrowed from the session. Lookups are linear: these maps hold a handful
/// of entries, and keeping them as a run of the list's entries costs no allocation.
pub struct StringMap {
    base: *const u8,
    entries: Run<Entry>,
}

// SAFETY: a map only points into the store of the session that holds it, which never changes
// once decoded (see `store`).
unsafe impl Send for StringMap {}
// SAFETY: as for Send; nothing is written through the pointer once decoded.
unsafe impl Sync for StringMap {}

impl StringMap {
    fn text(&self, span: Span) -> &str {
        // SAFETY: `base` is the store of the map's owner (set when it was resolved), which holds
        // every entry's spans and outlives `&self`.
        unsafe { store::text(self.base, span) }
    }

    fn c_text(&self, span: Span) -> *const c_char {
        // SAFETY: as in `text`.
        unsafe { store::c_text(self.base, span) }
    }

    pub(crate) fn new(entries: Run<Entry>) -> StringMap {
        StringMap {
            base: std::ptr::null(),
            entries,
        }
    }

    /// A map whose strings are already in place at `base` (a buffer that never moves).
    pub(crate) fn placed(base: *const u8, entries: Run<Entry>) -> StringMap {
        StringMap { base, entries }
    }

    /// Points the map at its final store: its strings at `base`, its entries in `all`.
    pub(crate) fn resolve(&mut self, base: *const u8, all: &[Entry]) {
        self.base = base;
        self.resolve_entries(all);
    }

    /// Points a map whose strings are [placed](StringMap::placed) at its entries in `all`.
    pub(crate) fn resolve_entries(&mut self, all: &[Entry]) {
        self.entries.resolve(all);
    }

    /// Its entries' index range in the store.
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.entries.range()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value for `key`, if present (exact, case-sensitive; the first one if the server
    /// sent the key twice).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.find(key).map(|[_, v]| self.text(*v))
    }

    /// The value for `key` as a NUL-terminated string for C.
    pub(crate) fn get_c(&self, key: &str) -> Option<*const c_char> {
        self.find(key).map(|[_, v]| self.c_text(*v))
    }

    fn find(&self, key: &str) -> Option<&Entry> {
        self.entries
            .as_slice()
            .iter()
            .find(|[k, _]| self.text(*k) == key)
    }

    /// The entry at `index`, in the order the server sent them.
    pub fn entry(&self, index: usize) -> Option<(&str, &str)> {
        let [k, v] = self.entries.as_slice().get(index)?;
        Some((self.text(*k), self.text(*v)))
    }

    /// The entry at `index` as NUL-terminated strings for C.
    pub(crate) fn entry_c(&self, index: usize) -> Option<(*const c_char, *const c_char)> {
        let [k, v] = self.entries.as_slice().get(index)?;
        Some((self.c_text(*k), self.c_text(*v)))
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .as_slice()
            .iter()
            .map(|[k, v]| (self.text(*k), self.text(*v)))
    }
}

impl fmt::Debug for StringMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl PartialEq for StringMap {
    fn eq(&self, other: &StringMap) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for StringMap {}

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
    fn lists_decode_strings_and_null() {
        let list: StringList = serde_json::from_str(r#"["p1","p2"]"#).unwrap();
        assert_eq!(list.iter().collect::<Vec<_>>(), vec!["p1", "p2"]);
        let empty: StringList = serde_json::from_str("null").unwrap();
        assert!(empty.is_empty());
    }
}
