//! `gameye players join|leave`.

use gameye::{Client, Roster};
use serde_json::json;

use crate::cli::{Format, Players};
use crate::failure::Failure;
use crate::output::escape;
use crate::{outln, render};

pub fn run(client: &Client, command: &Players, format: Format) -> Result<(), Failure> {
    let (verb, roster) = match command {
        Players::Join { session, players } => ("joined", client.join_session(session, players)?),
        Players::Leave { players } => ("left", client.leave_session(players)?),
    };
    print_roster(verb, &roster, format);
    Ok(())
}

fn print_roster(verb: &str, roster: &Roster, format: Format) {
    let count = (roster.count >= 0).then_some(roster.count);
    let players: Vec<&str> = roster.players.iter().collect();
    if format == Format::Json {
        render::print_json(&json!({"player_count": count, "players": players}));
        return;
    }
    outln!(
        "{verb}: {}",
        if players.is_empty() {
            "-".to_owned()
        } else {
            escape(&players.join(", ")).into_owned()
        }
    );
    if let Some(count) = count {
        outln!("players in the session now: {count}");
    }
}
