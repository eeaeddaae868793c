//! The answer to player join (`PUT /session/player/join`) and leave
//! (`DELETE /session/player/leave`).

use serde::Deserialize;

use super::collections::StringList;
use super::loose::optional_integer;

/// Players after a join or a leave.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Roster {
    /// The total number of players in the session after the call; -1 when the server did not
    /// send it.
    #[serde(default = "unknown", deserialize_with = "count")]
    pub count: i64,
    /// The player ids the call joined (or removed).
    #[serde(default)]
    pub players: StringList,
}

fn unknown() -> i64 {
    -1
}

fn count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(optional_integer(d)?.unwrap_or(-1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_published_shape_and_tolerates_gaps() {
        let roster: Roster = serde_json::from_str(r#"{"count":3,"players":["a","b"]}"#).unwrap();
        assert_eq!(roster.count, 3);
        assert_eq!(roster.players.iter().collect::<Vec<_>>(), vec!["a", "b"]);
        let partial: Roster = serde_json::from_str(r#"{"players":[]}"#).unwrap();
        assert_eq!(partial.count, -1);
    }
}
