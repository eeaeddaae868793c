//! The command line: every subcommand, flag and its help, declared with clap's derive API.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The exit codes, also shown at the end of `--help`.
pub const EXIT_CODES: &str = "\
EXIT CODES:
    0    success
    1    `tag exists`: the tag does not exist
    2    usage: a bad flag or argument, no token, or a request the API refused as invalid
    3    authentication: the token was refused (401) or lacks a scope (403)
    4    not found (404)
    5    conflict (409): e.g. the session had already stopped
    6    rate limited (429) or quota exhausted (402)
    7    transport or timeout: no connection, DNS, TLS, or no answer in time
    8    the server failed (5xx), or sent an answer that could not be read
    9    `wait`, `start --wait`, `stop --wait`: the session did not reach the state in time
    10   `wait --for running`, `start --wait`: the session ended first (died while starting,
         was stopped, exited, or is gone)
    130  cancelled with Ctrl-C

ENVIRONMENT:
    GAMEYE_API_ENDPOINT  the API's base URL (default: production)
    GAMEYE_API_TOKEN     the API token

There is no --token flag: a token on the command line shows in `ps` and in shell history. Use
GAMEYE_API_TOKEN, --token-file or --token-stdin.";

/// `--version`: the tool's and the library's versions (one crate, so always the same).
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (library ",
    env!("CARGO_PKG_VERSION"),
    ", Session API v2)"
);

#[derive(Parser, Debug)]
#[command(
    name = "gameye",
    about = "Operate Gameye game server sessions: list, start, stop, logs, artifacts",
    version,
    long_version = LONG_VERSION,
    after_long_help = EXIT_CODES,
    after_help = "Exit codes and environment: see --help."
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: Connection,

    /// Output: a table (default), wide (more columns) or json (stable field names, for scripts).
    #[arg(short = 'o', long = "output", global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug)]
pub struct Connection {
    /// The API's base URL (overrides GAMEYE_API_ENDPOINT).
    #[arg(long, global = true, value_name = "URL", conflicts_with_all = ["sandbox", "production"])]
    pub endpoint: Option<String>,

    /// Use the sandbox API.
    #[arg(long, global = true, conflicts_with = "production")]
    pub sandbox: bool,

    /// Use the production API (the default when nothing else says).
    #[arg(long, global = true)]
    pub production: bool,

    /// Read the token from this file (surrounding whitespace is ignored).
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        conflicts_with = "token_stdin"
    )]
    pub token_file: Option<PathBuf>,

    /// Read the token from standard input.
    #[arg(long, global = true)]
    pub token_stdin: bool,

    /// Trust these PEM certificates too (a TLS-inspecting proxy).
    #[arg(long, global = true, value_name = "PATH")]
    pub ca_file: Option<PathBuf>,

    /// Timeout of a whole request, in seconds; for `sessions wait`, `start --wait` and
    /// `stop --wait`, of the whole command.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Wide,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List, describe, start and stop sessions.
    #[command(subcommand)]
    Sessions(Sessions),
    /// Record players joining or leaving sessions.
    #[command(subcommand)]
    Players(Players),
    /// Print a session's output; --follow streams it until the session stops.
    Logs {
        /// The session id.
        id: String,
        /// Stream new lines until the session stops (Ctrl-C ends it).
        #[arg(short, long)]
        follow: bool,
    },
    /// Download files from a stopped session's container.
    #[command(subcommand)]
    Artifacts(Artifacts),
    /// The locations that can host an image now, with addresses to ping.
    Locations {
        /// The image.
        image: String,
    },
    /// Image tags.
    #[command(subcommand)]
    Tag(Tag),
    /// Check the endpoint, the token, TLS and the clock, with advice for each failure.
    Doctor,
    /// Print a shell completion script, e.g.
    /// `gameye completions bash > /etc/bash_completion.d/gameye`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand, Debug)]
pub enum Sessions {
    /// List sessions: running ones unless --all.
    List(ListArgs),
    /// Describe one session, with its players.
    Describe {
        /// The session id.
        id: String,
    },
    /// Start a session; --wait waits until it runs and prints its host and ports.
    Start(StartArgs),
    /// Stop sessions (their containers get SIGTERM); --wait waits until each has ended.
    Stop {
        /// The session ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Wait until each session has ended (then its artifacts can be downloaded).
        #[arg(long)]
        wait: bool,
    },
    /// Wait until a session is running or has ended (within --timeout), then describe it.
    Wait {
        /// The session id.
        id: String,
        /// The state to wait for.
        #[arg(long = "for", value_enum, value_name = "STATE")]
        state: WaitFor,
    },
    /// Print sessions as they are added, change (status, players, ports) and are removed, one
    /// line (or, with -o json, one JSON object) per event, until Ctrl-C.
    Watch(WatchArgs),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum WaitFor {
    /// Status "running".
    Running,
    /// Gone from the active list, or status "exited" or "dead".
    Ended,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    #[command(flatten)]
    pub list: ListArgs,
    /// Seconds between two polls (at least 0.25).
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub interval: f64,
    /// Exit (with 0) after this many events.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Also sessions that are not running.
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub location: Option<String>,
    #[arg(long)]
    pub image: Option<String>,
    /// The image version.
    #[arg(long)]
    pub tag: Option<String>,
    /// The host address.
    #[arg(long)]
    pub host: Option<String>,
    /// Fewer players than N.
    #[arg(long, value_name = "N")]
    pub players_lt: Option<i64>,
    /// More players than N.
    #[arg(long, value_name = "N")]
    pub players_gt: Option<i64>,
    /// Only sessions whose label KEY is VALUE (repeatable; all must match).
    #[arg(long = "filter", value_name = "KEY=VALUE", value_parser = key_value)]
    pub filters: Vec<(String, String)>,
}

#[derive(Args, Debug)]
pub struct StartArgs {
    #[arg(long)]
    pub location: String,
    #[arg(long)]
    pub image: String,
    /// The image version; without it, the tag with the highest priority.
    #[arg(long)]
    pub tag: Option<String>,
    /// The session id (a UUID); without it one is made, so a retried start is safe.
    #[arg(long)]
    pub id: Option<String>,
    /// An environment variable of the container (repeatable). Readable through the API: no secrets.
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = key_value)]
    pub env: Vec<(String, String)>,
    /// A label, returned when listing (repeatable).
    #[arg(long = "label", value_name = "KEY=VALUE", value_parser = key_value)]
    pub labels: Vec<(String, String)>,
    /// An argument for the game server (repeatable, in order).
    #[arg(long = "arg", value_name = "ARG", allow_hyphen_values = true)]
    pub args: Vec<String>,
    /// Restart the container when it fails.
    #[arg(long)]
    pub restart: bool,
    /// Stop it by force after this long: "1h", "30m", "2h30m".
    #[arg(long)]
    pub ttl: Option<String>,
    /// Your own identifier for the session (write-only: the API never returns it).
    #[arg(long)]
    pub external_id: Option<String>,
    /// Wait until the session runs (within --timeout), then print its host and ports.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Subcommand, Debug)]
pub enum Players {
    /// Record players as joined to a session.
    Join {
        /// The session id.
        session: String,
        /// The player ids.
        #[arg(required = true)]
        players: Vec<String>,
    },
    /// Record players as gone from whichever session they joined.
    Leave {
        /// The player ids.
        #[arg(required = true)]
        players: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum Artifacts {
    /// Download PATH (a file or folder) of a stopped session's container as a .tar.gz.
    Get {
        /// The session id.
        id: String,
        /// An absolute path inside the container.
        path: String,
        /// Where to write it (default: the last part of PATH, with .tar.gz).
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum Tag {
    /// Whether IMAGE has the tag VERSION in REGION: exit status 0 if so, 1 if not.
    Exists {
        region: String,
        image: String,
        version: String,
    },
}

fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("expected KEY=VALUE, got {text:?}")),
    }
}
