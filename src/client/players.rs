//! Player join and leave.

use serde::Serialize;
use ureq::http::Method;

use super::{Connection, Error, Payload, Repeat};
use crate::model::Roster;

#[derive(Serialize)]
struct JoinBody<'a, P: AsRef<str>> {
    session: &'a str,
    #[serde(serialize_with = "as_strings")]
    players: &'a [P],
}

#[derive(Serialize)]
struct LeaveBody<'a, P: AsRef<str>> {
    #[serde(serialize_with = "as_strings")]
    players: &'a [P],
}

fn as_strings<S: serde::Serializer, P: AsRef<str>>(
    players: &&[P],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(players.iter().map(AsRef::as_ref))
}

/// At least one player, none empty.
fn check_players<P: AsRef<str>>(players: &[P]) -> Result<(), Error> {
    if players.is_empty() {
        return Err(Error::invalid_argument("at least one player id is needed"));
    }
    if let Some(index) = players.iter().position(|p| p.as_ref().is_empty()) {
        return Err(Error::invalid_argument(format!(
            "player id {index} is empty"
        )));
    }
    Ok(())
}

fn encode<T: Serialize>(body: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body)
        .map_err(|e| Error::invalid_argument(format!("cannot encode the request: {e}")))
}

impl Connection {
    /// Registers players as joined to a session (`PUT /session/player/join`). The roster holds
    /// the session's player count after the call and the ids this call added.
    pub(crate) fn join_session<P: AsRef<str>>(
        &self,
        session: &str,
        players: &[P],
    ) -> Result<Roster, Error> {
        if session.is_empty() {
            return Err(Error::invalid_argument("the session id must not be empty"));
        }
        check_players(players)?;
        let body = encode(&JoinBody { session, players })?;
        self.call_json_with(
            Method::PUT,
            "/session/player/join",
            Payload::Json(body),
            Repeat::Once,
            "the join answer",
        )
    }

    /// Removes players from the sessions they joined (`DELETE /session/player/leave`, a DELETE
    /// with a JSON body and no session field, as the API defines it).
    pub(crate) fn leave_session<P: AsRef<str>>(&self, players: &[P]) -> Result<Roster, Error> {
        check_players(players)?;
        let body = encode(&LeaveBody { players })?;
        self.call_json_with(
            Method::DELETE,
            "/session/player/leave",
            Payload::Json(body),
            Repeat::Once,
            "the leave answer",
        )
    }
}
