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
    130  cancelled with Ctrl-C or SIGTERM

ENVIRONMENT:
    GAMEYE_API_ENDPOINT  the API's base URL (default: production)
    GAMEYE_API_TOKEN     the API token
    GAMEYE_PROFILE       the profile to use (as --profile)
    GAMEYE_CONFIG        the profiles file (default: gameye/config.toml in the platform's
                         configuration folder)

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
    after_help = "Exit codes, environment and examples: see --help."
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: Connection,

    /// Output: a table (default), wide (more columns), json (stable field names, for scripts)
    /// or name (ids only, one per line).
    #[arg(short = 'o', long = "output", global = true, value_enum, default_value_t = Format::Table,
        help_heading = GLOBAL)]
    pub format: Format,

    /// Leave out the header row of tables (piped output never has one).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_headers: bool,

    /// Print each request and its outcome on stderr (the token is never shown).
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The heading global flags are listed under in every command's help.
const GLOBAL: &str = "Global options";

#[derive(Args, Debug)]
#[command(next_help_heading = GLOBAL)]
pub struct Connection {
    /// A profile from the profiles file: its endpoint, token file and CA file (overrides
    /// GAMEYE_PROFILE; flags override the profile).
    #[arg(long, global = true, value_name = "NAME",
        conflicts_with_all = ["endpoint", "sandbox", "production"])]
    pub profile: Option<String>,

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
    Name,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List, describe, start, stop, wait for and watch sessions.
    #[command(subcommand)]
    Sessions(Sessions),
    /// Record players joining or leaving sessions.
    #[command(subcommand)]
    Players(Players),
    /// Print a session's output; --follow streams it until the session stops.
    #[command(after_help = "Examples:
  gameye logs 0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f
  gameye logs 0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f --follow | grep -i error")]
    Logs {
        /// The session id.
        id: String,
        /// Stream new lines until the session stops (Ctrl-C ends it).
        #[arg(short, long)]
        follow: bool,
        /// Print the output byte for byte: control characters (terminal escapes) are not
        /// escaped. For a file or a pipe; on a terminal the server's output could rewrite it.
        #[arg(long)]
        raw: bool,
    },
    /// Download files from a stopped session's container.
    #[command(subcommand)]
    Artifacts(Artifacts),
    /// The locations that can host an image now, with addresses to ping.
    #[command(after_help = "Examples:
  gameye locations my-game-server
  gameye locations my-game-server -o name")]
    Locations {
        /// The image, as registered with Gameye.
        image: String,
    },
    /// Image tags.
    #[command(subcommand)]
    Tag(Tag),
    /// Check the endpoint, TLS, the clock and the token's scopes, with advice for each failure.
    #[command(after_help = "Examples:
  gameye doctor
  gameye doctor --profile production -o json")]
    Doctor,
    /// Print a shell completion script.
    #[command(after_help = "Examples:
  gameye completions bash > /etc/bash_completion.d/gameye
  gameye completions zsh > \"${fpath[1]}/_gameye\"")]
    Completions {
        /// The shell to print the script for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand, Debug)]
pub enum Sessions {
    /// List sessions: running ones unless --all.
    #[command(after_help = "Examples:
  gameye sessions list
  gameye sessions list --all --location europe -o wide
  gameye sessions list --filter mode=ranked --players-lt 8 -o name")]
    List(ListArgs),
    /// Describe one session, with its players.
    #[command(after_help = "Examples:
  gameye sessions describe 0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f
  gameye sessions describe 0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f -o json")]
    Describe {
        /// The session id.
        id: String,
    },
    /// Start a session; --wait waits until it runs and prints its host and ports.
    #[command(after_help = "Examples:
  gameye sessions start --location europe --image my-game-server
  gameye sessions start --location europe --image my-game-server --tag 1.4.2 \\
      --label mode=ranked --env MAP=dust --arg -port --arg 7777 --ttl 2h --wait")]
    Start(StartArgs),
    /// Stop sessions (their containers get SIGTERM); --wait waits until each has ended.
    #[command(after_help = "Examples:
  gameye sessions stop 0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f
  gameye sessions list --filter mode=test -o name | xargs gameye sessions stop --wait")]
    Stop {
        /// The session ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Wait until each session has ended (then its artifacts can be downloaded).
        #[arg(long)]
        wait: bool,
    },
    /// Wait until a session is running or has ended (within --timeout), then describe it.
    #[command(after_help = "Examples:
  gameye sessions wait 0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f --for running --timeout 120")]
    Wait {
        /// The session id.
        id: String,
        /// The state to wait for.
        #[arg(long = "for", value_enum, value_name = "STATE")]
        state: WaitFor,
    },
    /// Print sessions as they are added, change (status, players, ports) and are removed, one
    /// line (or, with -o json, one JSON object) per event, until Ctrl-C.
    #[command(after_help = "Examples:
  gameye sessions watch
  gameye sessions watch --filter mode=ranked -o json | jq .event")]
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
    /// Only sessions in this location.
    #[arg(long, value_name = "LOCATION")]
    pub location: Option<String>,
    /// Only sessions of this image.
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,
    /// Only sessions of this image version.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Only sessions on this host address.
    #[arg(long, value_name = "ADDRESS")]
    pub host: Option<String>,
    /// Only sessions with fewer players than N.
    #[arg(long, value_name = "N")]
    pub players_lt: Option<i64>,
    /// Only sessions with more players than N.
    #[arg(long, value_name = "N")]
    pub players_gt: Option<i64>,
    /// Only sessions whose label KEY is VALUE (repeatable; all must match).
    #[arg(long = "filter", value_name = "KEY=VALUE", value_parser = key_value)]
    pub filters: Vec<(String, String)>,
}

#[derive(Args, Debug)]
pub struct StartArgs {
    /// Where to run it (see `gameye locations IMAGE`).
    #[arg(long, value_name = "LOCATION")]
    pub location: String,
    /// The image, as registered with Gameye.
    #[arg(long, value_name = "IMAGE")]
    pub image: String,
    /// The image version; without it, the tag with the highest priority.
    #[arg(long)]
    pub tag: Option<String>,
    /// The session id (a UUID); without it one is made, so a retried start is safe.
    #[arg(long, value_name = "UUID")]
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
    #[arg(long, value_name = "DURATION")]
    pub ttl: Option<String>,
    /// Your own identifier for the session (write-only: the API never returns it).
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// Wait until the session runs (within --timeout), then print its host and ports.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Subcommand, Debug)]
pub enum Players {
    /// Record players as joined to a session.
    #[command(after_help = "Examples:
  gameye players join 0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f alice bob")]
    Join {
        /// The session id.
        session: String,
        /// The player ids.
        #[arg(required = true)]
        players: Vec<String>,
    },
    /// Record players as gone from whichever session they joined.
    #[command(after_help = "Examples:
  gameye players leave alice")]
    Leave {
        /// The player ids.
        #[arg(required = true)]
        players: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum Artifacts {
    /// Download PATH (a file or folder) of a stopped session's container as a .tar.gz.
    #[command(after_help = "Examples:
  gameye artifacts get 0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f /var/log/
  gameye artifacts get 0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f /srv/core -f - | tar tz")]
    Get {
        /// The session id.
        id: String,
        /// An absolute path inside the container.
        path: String,
        /// Where to write it (default: the last part of PATH, with .tar.gz); "-" for stdout.
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum Tag {
    /// Whether IMAGE has the tag VERSION in REGION: exit status 0 if so, 1 if not.
    #[command(after_help = "Examples:
  gameye tag exists europe my-game-server 1.4.2 && echo deployable")]
    Exists {
        /// The region (a location id, e.g. "europe").
        region: String,
        /// The image, as registered with Gameye.
        image: String,
        /// The tag.
        version: String,
    },
}

fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("expected KEY=VALUE, got {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every argument of every command has a description, and every command that runs
    /// something has an Examples section.
    #[test]
    fn every_argument_is_described_and_every_command_has_examples() {
        fn walk(command: &clap::Command, path: &str, problems: &mut Vec<String>) {
            let path = format!("{path} {}", command.get_name());
            for arg in command.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                    problems.push(format!("{path}: {} has no description", arg.get_id()));
                }
            }
            let leaf = command.get_subcommands().next().is_none();
            let examples = command
                .get_after_help()
                .is_some_and(|h| h.to_string().contains("Examples:"));
            if leaf && command.get_name() != "help" && !examples {
                problems.push(format!("{path}: no Examples section"));
            }
            for sub in command.get_subcommands() {
                walk(sub, &path, problems);
            }
        }
        let mut problems = Vec::new();
        walk(&Cli::command(), "", &mut problems);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
