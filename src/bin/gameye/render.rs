//! How results are shown: JSON for scripts (tables are `table.rs`'s), and times as local time
//! and age. The JSON field names are part of the tool's interface (README "Operations").

use gameye::{Port, Session, StringMap};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::{json, Map, Value};

use crate::output::escape;

/// Prints a JSON value, pretty-printed (JSON output is exact: strings keep their control
/// characters, as JSON escapes).
pub fn print_json(value: &Value) {
    crate::outln!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON values always serialize")
    );
}

fn timestamp(unix_ms: i64) -> Option<Timestamp> {
    (unix_ms > 0)
        .then(|| Timestamp::from_millisecond(unix_ms).ok())
        .flatten()
}

/// RFC 3339 in UTC, for JSON; null when unknown.
pub fn utc(unix_ms: i64) -> Value {
    timestamp(unix_ms).map_or(Value::Null, |t| Value::String(t.to_string()))
}

/// Local time, e.g. "2026-11-30 10:02:11 CET"; "-" when unknown.
pub fn local_time(unix_ms: i64) -> String {
    match timestamp(unix_ms) {
        Some(t) => t
            .to_zoned(TimeZone::system())
            .strftime("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
        None => "-".to_owned(),
    }
}

/// How long ago, e.g. "45s ago", "3m ago", "2h ago", "5d ago"; "-" when unknown.
pub fn age(unix_ms: i64) -> String {
    let Some(then) = timestamp(unix_ms) else {
        return "-".to_owned();
    };
    let seconds = (Timestamp::now().as_millisecond() - then.as_millisecond()).max(0) / 1000;
    match seconds {
        s if s < 60 => format!("{s}s ago"),
        s if s < 3_600 => format!("{}m ago", s / 60),
        s if s < 86_400 => format!("{}h ago", s / 3_600),
        s => format!("{}d ago", s / 86_400),
    }
}

pub fn ports_json(ports: &[Port]) -> Value {
    Value::Array(
        ports
            .iter()
            .map(|p| {
                json!({
                    "name": p.name(),
                    "protocol": p.protocol().map(|p| p.name()),
                    "container": p.container(),
                    "host": p.host(),
                })
            })
            .collect(),
    )
}

/// "7777/udp->30001, 80/tcp->30002".
pub fn ports_text(ports: &[Port]) -> String {
    let text: Vec<String> = ports
        .iter()
        .map(|p| format!("{}->{}", p.name(), p.host()))
        .collect();
    if text.is_empty() {
        "-".to_owned()
    } else {
        text.join(", ")
    }
}

pub fn map_json(map: &StringMap) -> Value {
    Value::Object(
        map.iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            .collect::<Map<_, _>>(),
    )
}

/// "mode=ranked, region=eu".
pub fn map_text(map: &StringMap) -> String {
    if map.is_empty() {
        return "-".to_owned();
    }
    map.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A session as JSON. The container's env is left out: it often holds secrets.
pub fn session_json(session: &Session) -> Value {
    json!({
        "id": session.id(),
        "image": session.image(),
        "version": session.tag(),
        "location": session.location(),
        "host": session.host(),
        "status": session.status(),
        "created": utc(session.created()),
        "created_unix_ms": session.created(),
        "player_count": session.player_count(),
        "ports": ports_json(session.ports()),
        "labels": map_json(session.tags()),
        "players": session.players().map(|players| players.joined.iter().collect::<Vec<_>>()),
    })
}

pub fn or_dash(text: Option<&str>) -> String {
    text.filter(|t| !t.is_empty()).unwrap_or("-").to_owned()
}

/// A started session's ports, one per line: "  7777/udp   -> 1.2.3.4:30001".
pub fn print_ports(host: &str, ports: &[Port]) {
    for port in ports {
        crate::outln!(
            "  {:<10} -> {}:{}",
            escape(port.name()),
            escape(host),
            port.host()
        );
    }
}
