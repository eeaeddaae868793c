//! Start, list, describe and stop.

use ureq::http::Method;

use super::{path_with, Connection, Error, ListOptions, Payload, StartOptions};
use crate::model::{DescribedSession, SessionList, StartedSession, WireStarted};
use crate::Status;

impl Connection {
    /// Lists sessions (`GET /session`): running ones unless `options` asks for all.
    pub(crate) fn list_sessions(&self, options: &ListOptions) -> Result<SessionList, Error> {
        let path = format!("/session{}", options.query().as_str());
        self.call_decoded(&path, "the session list", SessionList::decode)
    }

    /// Describes one session (`GET /session/{id}`), with its joined players.
    pub(crate) fn describe_session(&self, id: &str) -> Result<DescribedSession, Error> {
        let path = path_with("/session/", id, "the session id")?;
        self.call_decoded(&path, "the session", DescribedSession::decode)
    }

    /// Starts a session (`POST /session`). The request always carries an id, the one set in
    /// `options` or a new UUIDv4, and the result reports it even if the response does not.
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
        match started {
            Ok(wire) => Ok(wire.into_started(&id)),
            // A retry that finds its id taken: an earlier attempt started the session and its
            // answer was lost. Describe it instead of failing (the id is ours: it was generated
            // or given for this call).
            Err(error) if error.status() == Status::Conflict && error.attempts() > 1 => {
                let session = self.describe_session(&id).map_err(|_| error.clone())?;
                Ok(StartedSession::new(
                    session.id().into(),
                    session.host().into(),
                    session.ports().iter().map(|p| (p.name(), p.host())),
                ))
            }
            Err(error) => Err(error),
        }
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
