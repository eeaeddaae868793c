//! `gameye artifacts get ID PATH [-f FILE|-]`: a progress bar on a terminal, none when piped, and
//! never a partial file (the library writes beside the destination and renames at the end);
//! `-f -` streams the archive to stdout instead.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use gameye::client::ArtifactOptions;
use gameye::Client;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use crate::cli::Format;
use crate::failure::Failure;
use crate::output::Stdout;
use crate::{interrupt, outln, render};

/// The default file: the last part of `path` with `.tar.gz` ("artifact.tar.gz" for "/").
fn default_file(path: &str) -> PathBuf {
    let name = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty());
    PathBuf::from(format!("{}.tar.gz", name.unwrap_or("artifact")))
}

pub fn get(
    client: &Client,
    id: &str,
    path: &str,
    file: Option<&Path>,
    format: Format,
) -> Result<(), Failure> {
    let file = file.map_or_else(|| default_file(path), Path::to_path_buf);
    let to_stdout = file.as_os_str() == "-";
    if to_stdout && format == Format::Json {
        return Err(Failure::usage(
            "-f - writes the archive to stdout, which leaves no room for -o json",
        ));
    }
    if to_stdout && std::io::stdout().is_terminal() {
        return Err(Failure::usage(
            "-f - would write a binary archive to the terminal: pipe it (| tar tz) or give -f FILE",
        ));
    }
    interrupt::catch()?;
    let bar = if std::io::stderr().is_terminal() && format != Format::Json {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {bytes}/{total_bytes} {bytes_per_sec} {wide_bar} {eta}",
        )
        .expect("the template is valid"),
    );
    let mut progress = |received: u64, total: Option<u64>| {
        if let Some(total) = total {
            bar.set_length(total);
        }
        bar.set_position(received);
        !interrupt::interrupted()
    };
    let options = ArtifactOptions {
        progress: Some(&mut progress),
        ..ArtifactOptions::default()
    };
    let result = if to_stdout {
        // A closed pipe ends the process in this write, with status 0.
        client.download_artifact_to(id, path, &mut Stdout, options)
    } else {
        client.download_artifact(id, path, &file, options)
    };
    bar.finish_and_clear();
    let bytes = match result {
        Err(error) if interrupt::interrupted() && error.status() == gameye::Status::Cancelled => {
            return Err(Failure::cancelled("the download"));
        }
        other => other?,
    };
    if to_stdout {
        // Stdout is the archive.
    } else if format == Format::Json {
        render::print_json(
            &json!({"id": id, "path": path, "file": file.display().to_string(), "bytes": bytes}),
        );
    } else {
        outln!("wrote {} ({bytes} bytes)", file.display());
    }
    Ok(())
}
