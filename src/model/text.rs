//! `Text`: an immutable UTF-8 string that also carries a trailing NUL, so the C ABI can lend
//! `const char *` pointers into decoded data without a second copy.

use std::borrow::Borrow;
use std::ffi::c_char;
use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// An immutable string. Reads as `&str` (without the NUL) from Rust and as a NUL-terminated
/// `const char *` from C. A string holding an interior NUL (JSON `"\u0000"`) reads as cut at
/// that point from C; Rust sees it whole.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(Box<str>); // invariant: the last byte is the NUL terminator

impl Text {
    /// Copies `s` into a new `Text`: one allocation.
    pub fn new(s: &str) -> Text {
        let mut owned = String::with_capacity(s.len() + 1);
        owned.push_str(s);
        owned.push('\0');
        Text(owned.into_boxed_str())
    }

    /// The string, without the terminator.
    pub fn as_str(&self) -> &str {
        &self.0[..self.0.len() - 1]
    }

    /// A pointer to the NUL-terminated bytes, valid as long as `self` is.
    pub fn as_c_ptr(&self) -> *const c_char {
        self.0.as_ptr().cast()
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::new("")
    }
}

impl From<String> for Text {
    fn from(mut s: String) -> Text {
        s.push('\0');
        Text(s.into_boxed_str())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(s)
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::new(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::from(v))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn reads_the_same_from_rust_and_c() {
        let text = Text::new("europe");
        assert_eq!(text.as_str(), "europe");
        assert_eq!(text.len(), 6);
        // SAFETY: a Text is NUL-terminated and outlives `c`.
        let c = unsafe { CStr::from_ptr(text.as_c_ptr()) };
        assert_eq!(c.to_str().unwrap(), "europe");
    }

    #[test]
    fn empty_and_converted_strings_are_terminated() {
        for text in [
            Text::default(),
            Text::from(String::from("a")),
            Text::from(""),
        ] {
            // SAFETY: as above.
            let c = unsafe { CStr::from_ptr(text.as_c_ptr()) };
            assert_eq!(c.to_str().unwrap(), text.as_str());
        }
    }

    #[test]
    fn decodes_escaped_and_borrowed_json_strings() {
        let plain: Text = serde_json::from_str("\"plain\"").unwrap();
        let escaped: Text = serde_json::from_str(r#""a\"b\u00e9""#).unwrap();
        assert_eq!(plain, "plain");
        assert_eq!(escaped, "a\"bé");
        assert!(serde_json::from_str::<Text>("12").is_err());
    }
}
