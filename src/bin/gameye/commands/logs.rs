//! `gameye logs ID [--follow]`.

use std::io::Write;
use std::time::Duration;

use gameye::client::LogEvent;
use gameye::Client;
use serde_json::json;

use crate::cli::Format;
use crate::failure::Failure;
use crate::output::{escape, escape_lines, Stdout};
use crate::{interrupt, render};

/// How often a follow looks at Ctrl-C while no line arrives.
const POLL: Duration = Duration::from_millis(100);

/// `logs ID [--follow] [--raw]`. The output is escaped (control characters written as `\e`,
/// `\r`...) unless `raw`, so a server's output cannot drive the terminal; JSON is exact.
pub fn run(
    client: &Client,
    id: &str,
    follow: bool,
    raw: bool,
    format: Format,
) -> Result<(), Failure> {
    // A closed pipe (`| head`) ends the process in these writes, with status 0.
    let mut out = Stdout;
    if !follow {
        let logs = client.logs(id)?;
        if format == Format::Json {
            render::print_json(&json!({"id": id, "logs": logs.text()}));
        } else if raw {
            let _ = out.write_all(logs.as_bytes()).and_then(|()| out.flush());
        } else {
            let _ = out
                .write_all(escape_lines(&logs.text()).as_bytes())
                .and_then(|()| out.flush());
        }
        return Ok(());
    }
    interrupt::catch()?;
    let stream = client.follow_logs(id, None)?;
    loop {
        if interrupt::interrupted() {
            stream.cancel();
            return Err(Failure::cancelled("following the logs"));
        }
        match stream.next(POLL)? {
            LogEvent::Line(line) => {
                let written = if format == Format::Json {
                    writeln!(out, "{}", json!({ "line": &*line }))
                } else if raw {
                    writeln!(out, "{}", &*line)
                } else {
                    writeln!(out, "{}", escape(&line))
                };
                if written.and_then(|()| out.flush()).is_err() {
                    stream.cancel();
                    return Ok(());
                }
            }
            LogEvent::Waiting => {}
            LogEvent::Ended => return Ok(()),
        }
    }
}
