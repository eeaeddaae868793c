//! Running the built `gameye` binary: in a pipe, in a pseudo-terminal of a given width (through
//! util-linux's script(1)), and the check that no output holds the token.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// What a run printed, and its exit code.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }

    /// The `error` object of a `-o json` failure on stderr.
    pub fn error(&self) -> Value {
        serde_json::from_str::<Value>(self.stderr.trim())
            .unwrap_or_else(|e| panic!("{e}: {}", self.stderr))["error"]
            .clone()
    }
}

/// The arguments of a start in europe of nginx, unless `extra` names a location or image.
pub fn start_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["sessions", "start"];
    if !extra.contains(&"--location") {
        args.extend(["--location", "europe"]);
    }
    if !extra.contains(&"--image") {
        args.extend(["--image", "nginx"]);
    }
    args.extend_from_slice(extra);
    args
}

/// An empty folder for one test, beside the test binary: `group/name`.
pub fn scratch(group: &str, name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().join(group).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names of the files in `dir`, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The binary with the endpoint and token in its environment, no proxy, and UTC.
pub fn gameye(url: &str, token: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gameye"));
    command
        .env("GAMEYE_API_ENDPOINT", url)
        .env("GAMEYE_API_TOKEN", token)
        .env_remove("GAMEYE_PROFILE")
        .env_remove("GAMEYE_CONFIG")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env("TZ", "UTC");
    command
}

/// The run's output; panics if `token` appears anywhere in it.
pub fn finish(output: Output, token: &str) -> Run {
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stdout.contains(token) && !run.stderr.contains(token),
        "the token was printed:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    run
}

/// Runs `args` with stdout on a pseudo-terminal `columns` wide (script(1) copies what was drawn
/// to its own stdout; stderr goes there too).
pub fn in_terminal(url: &str, token: &str, columns: u16, args: &[&str], dir: &Path) -> Run {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let command = format!(
        "stty cols {columns} rows 50; {} {}",
        env!("CARGO_BIN_EXE_gameye"),
        quoted.join(" ")
    );
    let output = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .current_dir(dir)
        .env("GAMEYE_API_ENDPOINT", url)
        .env("GAMEYE_API_TOKEN", token)
        .env("TZ", "UTC")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .output()
        .expect("script(1) from util-linux/bsdutils");
    let mut run = finish(output, token);
    run.stdout = run.stdout.replace("\r\n", "\n");
    run
}

/// Waits for `child` to exit within `limit`; its exit code (-1 for a signal). Past the limit the
/// child is killed and the test fails.
pub fn wait_for_exit(child: &mut Child, limit: Duration) -> i32 {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("gameye did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
