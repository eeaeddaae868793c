//! Start, list, describe and stop.

use std::sync::Arc;

use ureq::http::Method;

use super::{path_with, Accept, Connection, Error, ListOptions, Payload, Repeat, StartOptions};
use crate::model::{DescribedSession, ReturnTo, SessionList, StartedSession, WireStarted};
use crate::Status;

impl Connection {
    /// Lists sessions (`GET /session`): running ones unless `options` asks for all.
    pub(crate) fn list_sessions(&self, options: &ListOptions) -> Result<SessionList, Error> {
        let path = format!("/session{}", options.query().as_str());
        // The vectors of the client's last freed list, if any (model::recycle).
        let mut spare = self.core.recycler.take();
        let buffer = std::mem::take(&mut spare.body);
        let body = self.call_reading(
            Method::GET,
            &path,
            Payload::None,
            Repeat::Safe,
            Accept::Json,
            buffer,
        )?;
        let recycle = ReturnTo::new(Arc::downgrade(&self.core.recycler));
        SessionList::decode_reusing(body, spare, recycle).map_err(|e| {
            Error::decode(format!(
                "could not understand the session list the server sent: {e}"
            ))
        })
    }

    /// Describes one session (`GET /session/{id}`), with its joined players.
    pub(crate) fn describe_session(&self, id: &str) -> Result<DescribedSession, Error> {
        let path = path_with("/session/", id, "the session id")?;
        self.call_decoded(&path, "the session", DescribedSession::decode)
    }

    /// Starts a session (`POST /session`). The request always carries an id, the one set in
    /// `options` or a new UUIDv4, and the result reports it even if the response does not. A
    /// failure reports that id too ([`Error::session_id`]).
    ///
    /// A retry told 409 (the id is taken) is a success only when an earlier attempt may have
    /// created the session (it may have reached the server and its answer was lost) and the
    /// session under that id is the one asked for (same image and location). Otherwise the id
    /// belongs to someone else's server, and the result is `Conflict`: a matchmaker must never
    /// send players to a stranger's session.
    pub(crate) fn start_session(&self, options: &StartOptions) -> Result<StartedSession, Error> {
        let id = match options.id() {
            Some(id) => id.to_owned(),
            None => uuid::Uuid::new_v4().to_string(),
        };
        let body = options.body(&id)?;
        let started = self.call_json::<WireStarted>(
            Method::POST,
            "/session",
            Payload::Json(body),
            "the started session",
        );
        let error = match started {
            Ok(wire) => return Ok(wire.into_started(&id)),
            Err(error) => error,
        };
        if error.status() == Status::Conflict && error.may_have_reached_unanswered() {
            if let Ok(session) = self.describe_session(&id) {
                if options.describes(&id, &session) {
                    return Ok(StartedSession::new(
                        session.id().into(),
                        session.host().into(),
                        session.ports().iter().map(|p| (p.name(), p.host())),
                    ));
                }
            }
            return Err(error.with_session_id(&id).with_hint(
                "An earlier attempt of this start may have reached the server, but the session \
                 under this id is not the one asked for (or could not be described): the id \
                 belongs to another session.",
            ));
        }
        Err(error.with_session_id(&id))
    }

    /// Stops a session (`DELETE /session/{id}`). A session that already stopped is
    /// `Status::Conflict`.
    pub(crate) fn stop_session(&self, id: &str) -> Result<(), Error> {
        let path = path_with("/session/", id, "the session id")?;
        match self.call(Method::DELETE, &path, Payload::None) {
            // A retry told "already stopped": the earlier attempt stopped it.
            Err(error) if error.status() == Status::Conflict && error.attempts() > 1 => Ok(()),
            result => result.map(drop),
        }
    }
}
