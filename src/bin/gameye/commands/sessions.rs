//! `gameye sessions list|describe|start|stop`.

use gameye::{Client, ListOptions, Session, StartOptions};
use serde_json::{json, Value};

use crate::cli::{Format, ListArgs, StartArgs};
use crate::failure::Failure;
use crate::output::escape;
use crate::render::{self, age, local_time, map_text, or_dash, ports_text};
use crate::table::{Fit, Table};
use crate::{errln, outln};

pub fn list(client: &Client, args: &ListArgs, format: Format) -> Result<(), Failure> {
    let sessions = client.list_sessions(&list_options(args)?)?;
    match format {
        Format::Json => render::print_json(&Value::Array(
            sessions.iter().map(render::session_json).collect(),
        )),
        Format::Name => {
            for session in sessions.iter() {
                outln!("{}", escape(session.id()));
            }
        }
        Format::Table | Format::Wide => {
            let wide = format == Format::Wide;
            let mut columns = vec![
                ("ID", Fit::Keep),
                ("LOCATION", Fit::Shrink),
                ("IMAGE", Fit::Shrink),
                ("STATUS", Fit::Keep),
                ("PLAYERS", Fit::Keep),
                ("HOST", Fit::Keep),
                ("AGE", Fit::Keep),
            ];
            if wide {
                columns.extend([
                    ("VERSION", Fit::Shrink),
                    ("PORTS", Fit::Shrink),
                    ("LABELS", Fit::Shrink),
                    ("CREATED", Fit::Keep),
                ]);
            }
            let mut table = Table::new(&columns);
            if !wide {
                // On an 80-column terminal a UUID and an IPv4 address leave room for little
                // else: what an operator needs least goes first (wide keeps every column).
                table = table.drop_order(&["IMAGE", "AGE", "LOCATION", "HOST", "PLAYERS"]);
            }
            for session in sessions.iter() {
                let mut row = vec![
                    session.id().to_owned(),
                    session.location().to_owned(),
                    session.image().to_owned(),
                    or_dash(session.status()),
                    session
                        .player_count()
                        .map_or("-".to_owned(), |n| n.to_string()),
                    or_dash(Some(session.host())),
                    age(session.created()),
                ];
                if wide {
                    row.extend([
                        or_dash(session.tag()),
                        ports_text(session.ports()),
                        map_text(session.tags()),
                        local_time(session.created()),
                    ]);
                }
                table.row(row);
            }
            if table.is_empty() {
                errln!("no sessions");
            } else {
                table.print();
            }
        }
    }
    Ok(())
}

pub fn describe(client: &Client, id: &str, format: Format) -> Result<(), Failure> {
    let session = client.describe_session(id)?;
    show_session(&session, format);
    Ok(())
}

/// A session as `describe`, `wait` and `start --wait` show it.
pub fn show_session(session: &Session, format: Format) {
    match format {
        Format::Json => render::print_json(&render::session_json(session)),
        Format::Name => outln!("{}", escape(session.id())),
        Format::Table | Format::Wide => print_session(session, format == Format::Wide),
    }
}

/// The list filters the flags ask for (`list`, `watch`).
pub fn list_options(args: &ListArgs) -> Result<ListOptions, Failure> {
    let mut options = ListOptions::new();
    options.set_all(args.all);
    if let Some(location) = &args.location {
        options.set_location(location)?;
    }
    if let Some(image) = &args.image {
        options.set_image(image)?;
    }
    if let Some(tag) = &args.tag {
        options.set_tag(tag)?;
    }
    if let Some(host) = &args.host {
        options.set_host(host)?;
    }
    if let Some(lt) = args.players_lt {
        options.set_player_count_lt(lt);
    }
    if let Some(gt) = args.players_gt {
        options.set_player_count_gt(gt);
    }
    for (key, value) in &args.filters {
        options.add_filter(key, value)?;
    }
    Ok(options)
}

fn print_session(session: &Session, wide: bool) {
    let players = session
        .players()
        .map(|p| p.joined.iter().collect::<Vec<_>>().join(", "));
    let mut table = Table::new(&[("FIELD", Fit::Keep), ("VALUE", Fit::Wrap)]);
    table.row(["id", session.id()]);
    table.row(["image", session.image()]);
    table.row(["version", &or_dash(session.tag())]);
    table.row(["location", session.location()]);
    table.row(["host", &or_dash(Some(session.host()))]);
    table.row(["status", &or_dash(session.status())]);
    let created = format!(
        "{} ({})",
        local_time(session.created()),
        age(session.created())
    );
    table.row(["created", &created]);
    let count = session
        .player_count()
        .map_or("-".to_owned(), |n| n.to_string());
    table.row(["player count", &count]);
    table.row(["players", &or_dash(players.as_deref())]);
    table.row(["ports", &ports_text(session.ports())]);
    table.row(["labels", &map_text(session.tags())]);
    if wide {
        // The labels as the API holds them, tags and env encoded. The env is left out, as
        // everywhere: it often holds secrets.
        let all: Vec<String> = session
            .labels()
            .iter()
            .filter(|(key, _)| *key != "env")
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        table.row(["all labels", &or_dash(Some(&all.join(", ")))]);
    }
    table.print();
}

pub fn start(client: &Client, args: &StartArgs, format: Format) -> Result<(), Failure> {
    let started = client.start_session(&start_options(args)?)?;
    match format {
        Format::Json => render::print_json(&json!({
            "id": &*started.id,
            "host": &*started.host,
            "ports": render::ports_json(started.ports()),
        })),
        Format::Name => outln!("{}", escape(&started.id)),
        Format::Table | Format::Wide => {
            outln!(
                "started {} on {}",
                escape(&started.id),
                escape(&started.host)
            );
            render::print_ports(&started.host, started.ports());
        }
    }
    Ok(())
}

/// The start the flags ask for (`start`, `start --wait`).
pub fn start_options(args: &StartArgs) -> Result<StartOptions, Failure> {
    let mut options = StartOptions::for_image(&args.location, &args.image)?;
    if let Some(tag) = &args.tag {
        options.set_version(tag)?;
    }
    if let Some(id) = &args.id {
        options.set_id(id)?;
    }
    for (key, value) in &args.env {
        options.set_env(key, value)?;
    }
    for (key, value) in &args.labels {
        options.set_label(key, value)?;
    }
    for arg in &args.args {
        options.add_arg(arg)?;
    }
    options.set_restart(args.restart);
    if let Some(ttl) = &args.ttl {
        options.set_ttl(ttl)?;
    }
    if let Some(external) = &args.external_id {
        options.set_external_id(external)?;
    }
    Ok(options)
}

/// Stops each session in turn; a failure does not keep the others from being stopped. Exits
/// with the first failure's code.
pub fn stop(client: &Client, ids: &[String], format: Format) -> Result<(), Failure> {
    let mut first_failure = None;
    let mut results = Vec::new();
    for id in ids {
        match client.stop_session(id) {
            Ok(()) => match format {
                Format::Json => results.push(json!({"id": id, "stopped": true, "error": null})),
                Format::Name => outln!("{}", escape(id)),
                Format::Table | Format::Wide => outln!("stopped {}", escape(id)),
            },
            Err(error) => {
                let failure = Failure::from_error(&error);
                if format == Format::Json {
                    results.push(
                        json!({"id": id, "stopped": false, "error": failure.json()["error"]}),
                    );
                } else {
                    errln!("{} (session {})", failure.line(), escape(id));
                }
                first_failure.get_or_insert(failure);
            }
        }
    }
    if format == Format::Json {
        render::print_json(&Value::Array(results));
    }
    match first_failure {
        // Already reported above, session by session.
        Some(failure) => Err(Failure {
            reported: true,
            ..failure
        }),
        None => Ok(()),
    }
}
