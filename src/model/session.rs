//! A session as listed (`GET /session`) or described (`GET /session/{id}`), read from the
//! storage its response was decoded into (see `store` and `decode`).

use std::ffi::c_char;
use std::fmt;
use std::ops::Deref;

use super::collections::{StringList, StringMap};
use super::json::Span;
use super::port::Port;
use super::recycle::ReturnTo;
use super::store::{self, Run, Store};

/// A game session: one container running one image in one location. Read-only, and always
/// borrowed: from the session list it came in, or from its described session (which owns it).
pub struct Session {
    pub(crate) base: *const u8,
    pub(crate) id: Span,
    pub(crate) image: Span,
    pub(crate) tag: Span, // Span::ABSENT when not sent (as status): smaller than an Option
    pub(crate) location: Span,
    pub(crate) host: Span,
    pub(crate) status: Span,
    pub(crate) created: i64,
    pub(crate) player_count: i64, // NO_COUNT when not sent
    pub(crate) ports: Run<Port>,
    pub(crate) labels: StringMap,
    pub(crate) tags: StringMap,
    pub(crate) env: StringMap,
    pub(crate) players: Option<Box<Players>>,
}

// SAFETY: a session only points into the store of its owner, which never changes once
// decoded, and is never handed out by value.
unsafe impl Send for Session {}
// SAFETY: as for Send; nothing is written through the pointer once decoded.
unsafe impl Sync for Session {}

/// `player_count` when the server sent none. Kept in-band to keep sessions small (a list holds
/// thousands); no real count is this.
pub(crate) const NO_COUNT: i64 = i64::MIN;

/// The players of a described session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Players {
    /// The joined player ids.
    pub joined: StringList,
    /// The joined count the server reports.
    pub joined_count: i64,
}

/// The string fields of a session, for the C accessors.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TextField {
    Id,
    Image,
    Tag,
    Location,
    Host,
    Status,
}

impl Session {
    fn text(&self, span: Span) -> &str {
        // SAFETY: `base` is the store of the session's owner (set when it was resolved), which
        // holds every span of the session and outlives `&self`.
        unsafe { store::text(self.base, span) }
    }

    /// The session id.
    pub fn id(&self) -> &str {
        self.text(self.id)
    }

    /// The image (application) name.
    pub fn image(&self) -> &str {
        self.text(self.image)
    }

    /// The image tag (version); `None` when the server did not send one.
    pub fn tag(&self) -> Option<&str> {
        self.tag.present().map(|span| self.text(span))
    }

    /// The location (region) it runs in.
    pub fn location(&self) -> &str {
        self.text(self.location)
    }

    /// The IP address of the host machine players connect to.
    pub fn host(&self) -> &str {
        self.text(self.host)
    }

    /// The container status (`"running"`, …, an open set); `None` when absent.
    pub fn status(&self) -> Option<&str> {
        self.status.present().map(|span| self.text(span))
    }

    /// Creation time, Unix milliseconds.
    pub fn created(&self) -> i64 {
        self.created
    }

    /// Players in the session: `playerCount`, or `players.joinedCount` of a described session.
    pub fn player_count(&self) -> Option<i64> {
        (self.player_count != NO_COUNT).then_some(self.player_count)
    }

    /// The mapped ports.
    pub fn ports(&self) -> &[Port] {
        self.ports.as_slice()
    }

    /// The labels as sent.
    pub fn labels(&self) -> &StringMap {
        &self.labels
    }

    /// User labels, decoded from the JSON held in `labels["tags"]`.
    pub fn tags(&self) -> &StringMap {
        &self.tags
    }

    /// Container environment, decoded from the JSON held in `labels["env"]`. Anyone with
    /// `session:read` can read it: never pass secrets as env.
    pub fn env(&self) -> &StringMap {
        &self.env
    }

    /// The joined players (described sessions only).
    pub fn players(&self) -> Option<&Players> {
        self.players.as_deref()
    }

    /// A string field, NUL-terminated for C; NULL for an absent optional one.
    pub(crate) fn c_text(&self, field: TextField) -> *const c_char {
        let span = match field {
            TextField::Id => Some(self.id),
            TextField::Image => Some(self.image),
            TextField::Tag => self.tag.present(),
            TextField::Location => Some(self.location),
            TextField::Host => Some(self.host),
            TextField::Status => self.status.present(),
        };
        // SAFETY: as in `text`.
        span.map_or(std::ptr::null(), |span| unsafe {
            store::c_text(self.base, span)
        })
    }

    /// Points the session at its final store.
    pub(crate) fn resolve(&mut self, store: &Store) {
        self.base = store.body.as_ptr();
        self.ports.resolve(&store.ports);
        self.labels.resolve(self.base, &store.entries);
        self.tags.resolve_entries(&store.copy_entries);
        self.env.resolve_entries(&store.copy_entries);
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id())
            .field("image", &self.image())
            .field("tag", &self.tag())
            .field("location", &self.location())
            .field("host", &self.host())
            .field("created", &self.created)
            .field("ports", &self.ports())
            .field("status", &self.status())
            .field("labels", &self.labels)
            .field("tags", &self.tags)
            .field("env", &self.env)
            .field("player_count", &self.player_count())
            .field("players", &self.players)
            .finish()
    }
}

/// The sessions of one `GET /session` response, and the storage they read from.
pub struct SessionList {
    pub(crate) sessions: Vec<Session>,
    // Never read directly: it owns what the sessions point into.
    #[allow(dead_code)]
    pub(crate) store: Store,
    /// Where its vectors go when it is freed: the client that listed it, for its next list.
    pub(crate) recycle: ReturnTo,
}

impl Drop for SessionList {
    fn drop(&mut self) {
        let sessions = std::mem::take(&mut self.sessions);
        let store = std::mem::replace(&mut self.store, Store::empty());
        self.recycle.give(store.into_buffers(sessions));
    }
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
}

impl fmt::Debug for SessionList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a SessionList {
    type Item = &'a Session;
    type IntoIter = std::slice::Iter<'a, Session>;
    fn into_iter(self) -> Self::IntoIter {
        self.sessions.iter()
    }
}

/// One described session (`GET /session/{id}`) and the storage it reads from. Reads as a
/// [`Session`].
// repr(C) with the session first: the C ABI hands out a pointer to `session` and frees the
// whole through it (`into_raw`, `from_raw`).
#[repr(C)]
pub struct DescribedSession {
    pub(crate) session: Session,
    pub(crate) store: Store,
}

impl DescribedSession {
    /// The session handle for C; give it back to [`DescribedSession::from_raw`] to free it.
    pub(crate) fn into_raw(self: Box<Self>) -> *mut Session {
        Box::into_raw(self).cast()
    }

    /// SAFETY: `session` came from [`DescribedSession::into_raw`] and is not used afterwards.
    pub(crate) unsafe fn from_raw(session: *mut Session) -> Box<DescribedSession> {
        // SAFETY: `session` is the first field of a repr(C) DescribedSession (see above).
        unsafe { Box::from_raw(session.cast()) }
    }
}

impl Deref for DescribedSession {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.session
    }
}

impl fmt::Debug for DescribedSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.session.fmt(f)
    }
}
