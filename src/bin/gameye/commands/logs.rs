//! `gameye logs ID [--follow]`.

use std::io::Write;
use std::time::Duration;

use gameye::client::LogEvent;
use gameye::Client;
use serde_json::json;

use crate::cli::Format;
use crate::failure::Failure;
use crate::{interrupt, render};

/// How often a follow looks at Ctrl-C while no line arrives.
const POLL: Duration = Duration::from_millis(100);

pub fn run(client: &Client, id: &str, follow: bool, format: Format) -> Result<(), Failure> {
    if !follow {
        let logs = client.logs(id)?;
        if format == Format::Json {
            render::print_json(&json!({"id": id, "logs": logs.text()}));
        } else {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not a failure of this command.
            let _ = out.write_all(logs.as_bytes()).and_then(|()| out.flush());
        }
        return Ok(());
    }
    interrupt::catch()?;
    let stream = client.follow_logs(id, None)?;
    let mut out = std::io::stdout().lock();
    loop {
        if interrupt::interrupted() {
            stream.cancel();
            return Err(Failure::cancelled("following the logs"));
        }
        match stream.next(POLL)? {
            LogEvent::Line(line) => {
                let written = if format == Format::Json {
                    writeln!(out, "{}", json!({ "line": &*line }))
                } else {
                    writeln!(out, "{}", &*line)
                };
                if written.and_then(|()| out.flush()).is_err() {
                    stream.cancel();
                    return Ok(()); // the reader went away (`| head`)
                }
            }
            LogEvent::Waiting => {}
            LogEvent::Ended => return Ok(()),
        }
    }
}
