//! `gameye sessions wait|watch`, `sessions start --wait` and `sessions stop --wait`: the
//! library's waits and watch, interruptible with Ctrl-C. A wait runs as a non-blocking request
//! so that Ctrl-C can cancel it between two looks, not only when it ends.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gameye::client::Request;
use gameye::{Client, Error, SessionState, Status, WatchEvent, WatchEventKind, WatchOptions};
use serde_json::{json, Value};

use crate::cli::{Format, StartArgs, WaitFor, WatchArgs};
use crate::commands::sessions::{list_options, show_session, start_options};
use crate::failure::{exit, Failure};
use crate::output::{escape, Stdout};
use crate::{errln, interrupt, outln, render};

/// How often a wait or a watch looks at Ctrl-C.
const TICK: Duration = Duration::from_millis(100);

/// A wait's failure: its deadline passing has an exit code of its own.
fn wait_failure(error: &Error) -> Failure {
    let failure = Failure::from_error(error);
    match error.status() {
        Status::Timeout => Failure {
            code: exit::WAIT_TIMEOUT,
            ..failure
        },
        _ => failure,
    }
}

/// Runs a non-blocking call to its end on this thread, cancelling it on Ctrl-C.
fn interruptible<T: Send + 'static>(
    client: &Client,
    what: &str,
    submit: impl FnOnce(Box<dyn FnOnce(Result<T, Error>) + Send>) -> Result<Request, Error>,
) -> Result<T, Failure> {
    interrupt::catch()?;
    let slot: Arc<Mutex<Option<Result<T, Error>>>> = Arc::default();
    let sink = slot.clone();
    let request = submit(Box::new(move |result| {
        *sink.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    }))?;
    let mut cancelled = false;
    loop {
        if !cancelled && interrupt::interrupted() {
            request.cancel();
            cancelled = true;
        }
        client.wait(TICK);
        client.poll(0);
        if let Some(result) = slot.lock().unwrap_or_else(|e| e.into_inner()).take() {
            return match result {
                _ if cancelled => Err(Failure::cancelled(what)),
                Ok(value) => Ok(value),
                Err(error) => Err(wait_failure(&error)),
            };
        }
    }
}

/// `sessions wait ID --for running|ended`.
pub fn wait(
    client: &Client,
    id: &str,
    state: WaitFor,
    timeout: Duration,
    format: Format,
) -> Result<(), Failure> {
    let state = match state {
        WaitFor::Running => SessionState::Running,
        WaitFor::Ended => SessionState::Ended,
    };
    let waited = interruptible(client, "waiting", |done| {
        client.wait_for_session_async(id, state, timeout, done)
    })?;
    match waited {
        Some(session) => show_session(&session, format),
        None if format == Format::Json => {
            render::print_json(&json!({"id": id, "status": null, "gone": true}))
        }
        None if format == Format::Name => outln!("{}", escape(id)),
        None => outln!("session {} has ended (it is gone)", escape(id)),
    }
    Ok(())
}

/// `sessions start ... --wait`: start, then wait until running; prints host and ports.
pub fn start_and_wait(
    client: &Client,
    args: &StartArgs,
    timeout: Duration,
    format: Format,
) -> Result<(), Failure> {
    let options = start_options(args)?;
    let session = interruptible(client, "starting", |done| {
        client.start_session_and_wait_async(&options, timeout, done)
    })?;
    if format != Format::Table && format != Format::Wide {
        show_session(&session, format);
        return Ok(());
    }
    outln!(
        "started {} on {}: {}",
        escape(session.id()),
        escape(session.host()),
        escape(session.status().unwrap_or("-"))
    );
    render::print_ports(session.host(), session.ports());
    Ok(())
}

/// `sessions stop ID... --wait`: stops each and waits until it has ended; a failure does not
/// keep the others from being stopped. Exits with the first failure's code.
pub fn stop_and_wait(
    client: &Client,
    ids: &[String],
    timeout: Duration,
    format: Format,
) -> Result<(), Failure> {
    let mut first_failure = None;
    let mut results = Vec::new();
    for id in ids {
        let result = interruptible(client, "stopping", |done| {
            client.stop_session_and_wait_async(id, timeout, done)
        });
        match result {
            Ok(()) if format == Format::Json => {
                results.push(json!({"id": id, "stopped": true, "ended": true, "error": null}))
            }
            Ok(()) if format == Format::Name => outln!("{}", escape(id)),
            Ok(()) => outln!("stopped {}: ended", escape(id)),
            Err(failure) if failure.status == Some(Status::Cancelled) => return Err(failure),
            Err(failure) => {
                if format == Format::Json {
                    results.push(json!({"id": id, "stopped": false, "ended": false,
                        "error": failure.json()["error"]}));
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
        Some(failure) => Err(Failure {
            reported: true,
            ..failure
        }),
        None => Ok(()),
    }
}

fn kind_name(kind: WatchEventKind) -> &'static str {
    match kind {
        WatchEventKind::Added => "added",
        WatchEventKind::Changed => "changed",
        WatchEventKind::Removed => "removed",
    }
}

fn change_names(event: &WatchEvent) -> Vec<&'static str> {
    use gameye::lifecycle::Changes;
    let changes = event.changes();
    [
        (Changes::STATUS, "status"),
        (Changes::PLAYER_COUNT, "player_count"),
        (Changes::PORTS, "ports"),
        (Changes::HOST, "host"),
    ]
    .into_iter()
    .filter(|(bit, _)| changes.contains(*bit))
    .map(|(_, name)| name)
    .collect()
}

/// One event as a line:
/// "changed  ID  running  players=2  1.2.3.4  7777/udp->20001  (player_count)".
fn event_line(event: &WatchEvent) -> String {
    let session = event.session();
    let mut line = format!(
        "{:<8} {}  {}  players={}  {}  {}",
        kind_name(event.kind()),
        escape(session.id()),
        escape(&render::or_dash(session.status())),
        session
            .player_count()
            .map_or("-".to_owned(), |n| n.to_string()),
        escape(&render::or_dash(Some(session.host()))),
        escape(&render::ports_text(session.ports())),
    );
    let changes = change_names(event);
    if !changes.is_empty() {
        line.push_str(&format!("  ({})", changes.join(", ")));
    }
    line
}

fn event_json(event: &WatchEvent) -> Value {
    json!({
        "event": kind_name(event.kind()),
        "changes": change_names(event),
        "session": render::session_json(event.session()),
        "previous": event.previous().map(render::session_json),
    })
}

/// `sessions watch [filters]`: one line (or NDJSON object) per event until Ctrl-C, a closed
/// pipe, --limit events, or a failure that ends the watch.
pub fn watch(client: &Client, args: &WatchArgs, format: Format) -> Result<(), Failure> {
    let mut options = WatchOptions::new();
    if !args.interval.is_finite() || args.interval < 0.25 || args.interval > 86_400.0 {
        return Err(Failure::usage(
            "--interval must be between 0.25 and 86400 seconds",
        ));
    }
    options.set_interval(Duration::from_secs_f64(args.interval))?;
    options.set_list_options(list_options(&args.list)?);
    interrupt::catch()?;
    let watch = client.watch_sessions(&options)?;
    let mut written = 0u64;
    let mut warned: Option<String> = None;
    loop {
        if args.limit.is_some_and(|limit| written >= limit) {
            return Ok(());
        }
        if interrupt::interrupted() {
            return Err(Failure::cancelled("watching"));
        }
        let Some(event) = watch.next(TICK)? else {
            // A poll that failed in a way that may pass: said once, on stderr.
            let failing = watch.last_failure().map(|e| Failure::from_error(&e).line());
            if failing.is_some() && failing != warned {
                errln!("{} (polling again)", failing.as_deref().unwrap_or_default());
            }
            warned = failing;
            continue;
        };
        let line = match format {
            Format::Json => event_json(&event).to_string(),
            Format::Name => escape(event.session().id()).into_owned(),
            Format::Table | Format::Wide => event_line(&event),
        };
        // A closed pipe (`| head`) ends the process here, with status 0.
        let _ = writeln!(Stdout, "{line}").and_then(|()| Stdout.flush());
        written += 1;
    }
}
