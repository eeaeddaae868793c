//! A failed command: its exit code (see `cli::EXIT_CODES`), and how it is reported on stderr as
//! one line or, with `-o json`, as one JSON object. Library messages never hold the token.

use std::process::ExitCode;

use gameye::Status;
use serde_json::{json, Value};

use crate::errln;
use crate::output::escape;

/// The exit codes, one per class of failure.
pub mod exit {
    pub const NO: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const AUTH: u8 = 3;
    pub const NOT_FOUND: u8 = 4;
    pub const CONFLICT: u8 = 5;
    pub const LIMITED: u8 = 6;
    pub const TRANSPORT: u8 = 7;
    pub const SERVER: u8 = 8;
    /// A wait's deadline passed (`sessions wait`, `start --wait`, `stop --wait`).
    pub const WAIT_TIMEOUT: u8 = 9;
    pub const ENDED: u8 = 10;
    pub const CANCELLED: u8 = 130;
}

/// The exit code of a failed call with `status`.
pub fn exit_code(status: Status) -> u8 {
    match status {
        Status::Ok => 0,
        Status::InvalidArgument | Status::InvalidRequest => exit::USAGE,
        Status::Unauthorized | Status::Forbidden => exit::AUTH,
        Status::NotFound => exit::NOT_FOUND,
        Status::Conflict => exit::CONFLICT,
        Status::RateLimited | Status::QuotaExhausted => exit::LIMITED,
        Status::Transport | Status::Timeout => exit::TRANSPORT,
        Status::Server | Status::Http | Status::Decode | Status::Internal => exit::SERVER,
        Status::Cancelled => exit::CANCELLED,
        Status::SessionEnded => exit::ENDED,
    }
}

#[derive(Debug)]
pub struct Failure {
    /// The library's status; None for the tool's own (usage) failures.
    pub status: Option<Status>,
    pub http_status: u16,
    pub message: String,
    pub hint: Option<String>,
    pub identifier: Option<String>,
    /// A failed start: the session id it sent.
    pub session_id: Option<String>,
    pub violations: Vec<(String, String)>,
    pub code: u8,
    /// Already printed (e.g. per session by `sessions stop`): only the exit code is left.
    pub reported: bool,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            status: None,
            http_status: 0,
            message: message.into(),
            hint: None,
            identifier: None,
            session_id: None,
            violations: Vec::new(),
            code: exit::USAGE,
            reported: false,
        }
    }

    pub fn cancelled(what: &str) -> Failure {
        Failure {
            status: Some(Status::Cancelled),
            code: exit::CANCELLED,
            ..Failure::usage(format!("{what} cancelled (Ctrl-C or SIGTERM)"))
        }
    }

    pub fn from_error(error: &gameye::Error) -> Failure {
        let body = error.body();
        Failure {
            status: Some(error.status()),
            http_status: error.http_status(),
            message: error.message().to_owned(),
            hint: error.hint().map(str::to_owned),
            identifier: body
                .and_then(|b| b.identifier.as_deref())
                .map(str::to_owned),
            session_id: error.session_id().map(str::to_owned),
            violations: body
                .map(|b| {
                    b.violations
                        .iter()
                        .map(|v| (v.field.to_string(), v.description.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            code: exit_code(error.status()),
            reported: false,
        }
    }

    /// The status as JSON shows it: "NOT_FOUND", or "USAGE" for the tool's own failures.
    fn status_name(&self) -> &'static str {
        match self.status {
            Some(status) => status.name().trim_start_matches("GAMEYE_STATUS_"),
            None => "USAGE",
        }
    }

    /// One line: "gameye: NOT_FOUND (HTTP 404): message. hint. [violations] (identifier ...)".
    /// The server's text in it is escaped: a message cannot drive the terminal.
    pub fn line(&self) -> String {
        escape(&self.raw_line()).into_owned()
    }

    fn raw_line(&self) -> String {
        let mut line = format!("gameye: {}", self.status_name());
        if self.http_status != 0 {
            line.push_str(&format!(" (HTTP {})", self.http_status));
        }
        line.push_str(": ");
        line.push_str(&self.message);
        for (field, description) in &self.violations {
            line.push_str(&format!("; {field}: {description}"));
        }
        if let Some(hint) = &self.hint {
            // One full stop between the message and the hint, whichever ends in one.
            if !line.ends_with('.') {
                line.push('.');
            }
            line.push_str(&format!(" {hint}"));
        }
        if let Some(id) = &self.session_id {
            line.push_str(&format!(
                " (the start sent session id {id}: describe or stop it)"
            ));
        }
        if let Some(identifier) = &self.identifier {
            line.push_str(&format!(" (identifier {identifier} for Gameye support)"));
        }
        line
    }

    pub fn json(&self) -> Value {
        json!({
            "error": {
                "status": self.status_name(),
                "http_status": self.http_status,
                "message": self.message,
                "hint": self.hint,
                "identifier": self.identifier,
                "session_id": self.session_id,
                "violations": self.violations.iter()
                    .map(|(field, description)| json!({"field": field, "description": description}))
                    .collect::<Vec<_>>(),
                "exit_code": self.code,
            }
        })
    }

    /// Prints it to stderr and gives the exit code.
    pub fn report(&self, as_json: bool) -> ExitCode {
        if self.reported {
        } else if as_json {
            errln!("{}", self.json());
        } else {
            errln!("{}", self.line());
        }
        ExitCode::from(self.code)
    }
}
