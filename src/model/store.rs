//! Where a decoded session list (or described session) keeps its data: the response buffer
//! itself, its strings decoded in place (see [`super::json`]); the strings of the tags and env
//! maps in chunks of their own; and list-wide vectors for the map entries and ports of every
//! session. A session, map or port refers to them through raw pointers set once, when the
//! store is final ([`Run::resolve`], `base` fields); the store is never changed after that,
//! and every value that points into it is only ever reachable by reference through the owner
//! that holds both.

use std::ffi::c_char;
use std::ptr;

use super::json::Span;
use super::port::Port;

/// A key and a value, each a NUL-terminated string in the store's buffer.
pub(crate) type Entry = [Span; 2];

/// The storage of one decoded response.
pub(crate) struct Store {
    /// The response, with every string decoded in place and NUL-terminated (followed by
    /// copies of label values sent as other JSON than strings, kept as their JSON text).
    pub body: Vec<u8>,
    /// The strings of the sessions' tags and env maps, decoded from the JSON in
    /// `labels.tags` and `labels.env`, in chunks that never move. Only owned here: the maps
    /// point into them.
    #[allow(dead_code)]
    pub copies: Vec<Vec<u8>>,
    /// The entries of the labels maps (their strings in `body`).
    pub entries: Vec<Entry>,
    /// The entries of the tags and env maps (their strings in `copies`).
    pub copy_entries: Vec<Entry>,
    pub ports: Vec<Port>,
    /// A working vector of the decoder, kept only to be reused by the client's next list
    /// ([`super::recycle`]).
    pub raw: Vec<(usize, std::ops::Range<usize>)>,
}

impl Store {
    /// A store holding nothing (what a list being freed leaves behind).
    pub fn empty() -> Store {
        Store {
            body: Vec::new(),
            copies: Vec::new(),
            entries: Vec::new(),
            copy_entries: Vec::new(),
            ports: Vec::new(),
            raw: Vec::new(),
        }
    }

    /// Its vectors and `sessions`', for reuse ([`super::recycle`]).
    pub fn into_buffers(self, sessions: Vec<super::session::Session>) -> super::recycle::Buffers {
        super::recycle::Buffers {
            body: self.body,
            sessions,
            entries: self.entries,
            ports: self.ports,
            copy_entries: self.copy_entries,
            chunks: self.copies,
            raw: self.raw,
        }
    }
}

/// A run of `T` in a list-wide vector: first built as an index range, then pointed at once
/// that vector is final.
pub(crate) struct Run<T> {
    ptr: *const T,
    first: u32,
    len: u32,
}

impl<T> Run<T> {
    pub fn new(first: usize, len: usize) -> Run<T> {
        Run {
            ptr: ptr::null(),
            first: first as u32,
            len: len as u32,
        }
    }

    pub fn empty() -> Run<T> {
        Run::new(0, 0)
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Its index range in the list-wide vector.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.first as usize..self.first as usize + self.len as usize
    }

    /// Points the run at its items in `all`, which must not change afterwards.
    pub fn resolve(&mut self, all: &[T]) {
        self.ptr = all[self.range()].as_ptr();
    }

    pub fn as_slice(&self) -> &[T] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: set by `resolve` to `len` items of a vector that outlives `self` unchanged
        // (module docs).
        unsafe { std::slice::from_raw_parts(self.ptr, self.len as usize) }
    }
}

/// The string `span` of a store whose buffer starts at `base`.
///
/// # Safety
/// `base` is the final buffer of the store that owns the value asking (or null for an empty
/// span), `span` was decoded into it (UTF-8 followed by a NUL), and the result is not used after
/// that store is dropped.
pub(crate) unsafe fn text<'a>(base: *const u8, span: Span) -> &'a str {
    if span.len == 0 {
        return "";
    }
    // SAFETY: see above; the decoder only produces UTF-8 spans.
    let bytes =
        unsafe { std::slice::from_raw_parts(base.add(span.at as usize), span.len as usize) };
    debug_assert!(std::str::from_utf8(bytes).is_ok(), "decoded text is UTF-8");
    debug_assert_eq!(
        // SAFETY: the terminator the decoder wrote after the span, inside the same storage.
        unsafe { *base.add(span.at as usize + span.len as usize) },
        0
    );
    // SAFETY: the decoder only produces UTF-8 spans (checked above in debug builds).
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

/// The NUL-terminated string `span` for C.
///
/// # Safety
/// The contract of [`text`].
pub(crate) unsafe fn c_text(base: *const u8, span: Span) -> *const c_char {
    if base.is_null() {
        return c"".as_ptr();
    }
    // SAFETY: see `text`: the span lies in the buffer, and its NUL after it.
    unsafe { base.add(span.at as usize).cast() }
}
