//! `gameye`: a command-line tool for the people who run the servers, over this crate's Rust
//! client (not the C ABI). Built with the `cli` feature: `cargo build --release --features cli
//! --bin gameye`. `gameye --help` lists the commands, the exit codes and the environment.

// A Failure is made at most once per run, on its way to the exit code: its size does not matter.
#![allow(clippy::result_large_err)]

mod cli;
mod commands;
mod failure;
mod interrupt;
mod output;
mod profiles;
mod render;
mod settings;
mod table;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cli::{Artifacts, Cli, Command, Format, Sessions, Tag};
use failure::{exit, Failure};
use output::Stdout;
use settings::Settings;
use table::Screen;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.format == Format::Json;
    Screen::init(cli.no_headers);
    match run(cli) {
        Ok(code) => code,
        Err(failure) => failure.report(json),
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let format = cli.format;
    if format == Format::Name && !names(&cli.command) {
        return Err(Failure::usage(
            "-o name is for the commands that print sessions or locations",
        ));
    }
    if let Command::Completions { shell } = cli.command {
        // Through Stdout: `| head` ends quietly instead of a panic in the generator.
        clap_complete::generate(shell, &mut Cli::command(), "gameye", &mut Stdout);
        return Ok(ExitCode::SUCCESS);
    }
    let mut settings = Settings::resolve(&cli.connection)?;
    settings.verbose = cli.verbose;
    for warning in &settings.warnings {
        errln!("gameye: warning: {warning}");
    }
    if let Command::Doctor = cli.command {
        commands::doctor::run(&settings, format)?;
        return Ok(ExitCode::SUCCESS);
    }
    let client = settings.client()?;
    match &cli.command {
        Command::Sessions(Sessions::List(args)) => commands::sessions::list(&client, args, format)?,
        Command::Sessions(Sessions::Describe { id }) => {
            commands::sessions::describe(&client, id, format)?
        }
        Command::Sessions(Sessions::Start(args)) if args.wait => {
            commands::lifecycle::start_and_wait(&client, args, settings.timeout, format)?
        }
        Command::Sessions(Sessions::Start(args)) => {
            commands::sessions::start(&client, args, format)?
        }
        Command::Sessions(Sessions::Stop { ids, wait: true }) => {
            commands::lifecycle::stop_and_wait(&client, ids, settings.timeout, format)?
        }
        Command::Sessions(Sessions::Stop { ids, wait: false }) => {
            commands::sessions::stop(&client, ids, format)?
        }
        Command::Sessions(Sessions::Wait { id, state }) => {
            commands::lifecycle::wait(&client, id, *state, settings.timeout, format)?
        }
        Command::Sessions(Sessions::Watch(args)) => {
            commands::lifecycle::watch(&client, args, format)?
        }
        Command::Players(players) => commands::players::run(&client, players, format)?,
        Command::Logs { id, follow, raw } => {
            commands::logs::run(&client, id, *follow, *raw, format)?
        }
        Command::Artifacts(Artifacts::Get { id, path, file }) => {
            commands::artifacts::get(&client, id, path, file.as_deref(), format)?
        }
        Command::Locations { image } => commands::catalogue::locations(&client, image, format)?,
        Command::Tag(Tag::Exists {
            region,
            image,
            version,
        }) => {
            if !commands::catalogue::tag_exists(&client, region, image, version, format)? {
                return Ok(ExitCode::from(exit::NO));
            }
        }
        Command::Doctor | Command::Completions { .. } => unreachable!("handled above"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `command` prints sessions or locations, and so has names for `-o name`.
fn names(command: &Command) -> bool {
    matches!(command, Command::Sessions(_) | Command::Locations { .. })
}
