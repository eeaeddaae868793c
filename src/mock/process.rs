//! Sessions that are real processes (`gameye-mock --run IMAGE=COMMAND`): a supervisor thread
//! spawns each as a child in its own process group, feeds its stdout and stderr into the
//! session's log, ends the session when it exits, and stops it as Gameye stops a container:
//! SIGTERM to the group, then SIGKILL after the grace period.
//!
//! One long-lived thread spawns every child, because Linux's parent-death signal (set in each
//! child before exec) follows the thread that forked it: with it, a child dies with the emulator
//! even when the emulator itself is killed with SIGKILL. `kill(2)` and `prctl(2)` are declared by
//! hand: std has no process-group signal, and the libc crate would be the mock's only reason to
//! depend on it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::routes::Mock;
use crate::sync::lock;

const SIGKILL: i32 = 9;
const SIGTERM: i32 = 15;
#[cfg(target_os = "linux")]
const PR_SET_PDEATHSIG: i32 = 1;

#[cfg(unix)]
extern "C" {
    fn kill(pid: i32, signal: i32) -> i32;
    #[cfg(target_os = "linux")]
    fn prctl(option: i32, ...) -> i32;
}

/// How often the supervisor looks at its children.
const TICK: Duration = Duration::from_millis(20);
/// The longest output line kept; the rest of a longer one is dropped.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// An image the emulator runs as a local command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunCommand {
    /// The image (it joins the catalogue, with port 7777/tcp, when the catalogue lacks it).
    pub image: String,
    /// The program and its arguments (no shell is run).
    pub argv: Vec<String>,
}

impl RunCommand {
    /// `IMAGE=COMMAND`, COMMAND split like a shell's word list (quotes and backslashes; no
    /// variables, globs or pipes: no shell is run).
    pub fn parse(spec: &str) -> Result<RunCommand, String> {
        let (image, command) = spec
            .split_once('=')
            .ok_or_else(|| format!("--run takes IMAGE=COMMAND, not {spec:?}"))?;
        if image.is_empty() {
            return Err("--run needs an image name before '='".into());
        }
        let argv = shlex::split(command)
            .ok_or_else(|| format!("--run {image}: unbalanced quotes in {command:?}"))?;
        if argv.is_empty() {
            return Err(format!("--run {image}: the command is empty"));
        }
        Ok(RunCommand {
            image: image.to_owned(),
            argv,
        })
    }
}

/// What a session's process is started with.
pub(crate) struct Spawn {
    pub session: String,
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub dir: PathBuf,
}

enum Order {
    Spawn(Spawn, mpsc::Sender<Result<(), String>>),
    Terminate(String),
    Shutdown,
}

struct Running {
    child: Child,
    terminated_at: Option<Instant>,
}

/// The children of one emulator.
pub(crate) struct Supervisor {
    orders: Mutex<mpsc::Sender<Order>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// Each session's working directory is a folder of this one, removed at shutdown.
    root: PathBuf,
}

static ROOTS: AtomicUsize = AtomicUsize::new(0);

impl Supervisor {
    pub fn start(mock: Weak<Mock>, grace: Duration) -> std::io::Result<Supervisor> {
        let root = std::env::temp_dir().join(format!(
            "gameye-mock-{}-{}",
            std::process::id(),
            ROOTS.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&root)?;
        let (orders, inbox) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("gameye-mock-processes".into())
            .spawn(move || supervise(inbox, mock, grace))?;
        Ok(Supervisor {
            orders: Mutex::new(orders),
            thread: Mutex::new(Some(thread)),
            root,
        })
    }

    /// The working directory for `session` (made here; artifacts are read from it).
    pub fn directory(&self, session: &str) -> std::io::Result<PathBuf> {
        let name: String = session
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(100)
            .collect();
        let mut dir = self.root.join(&name);
        let mut n = 1;
        while dir.exists() {
            n += 1;
            dir = self.root.join(format!("{name}.{n}"));
        }
        std::fs::create_dir_all(&dir)?;
        Ok(dir)
    }

    /// Starts a session's process; the error says why it could not.
    pub fn spawn(&self, spawn: Spawn) -> Result<(), String> {
        let (reply, answer) = mpsc::channel();
        if lock(&self.orders).send(Order::Spawn(spawn, reply)).is_err() {
            return Err("the emulator is shutting down".into());
        }
        answer
            .recv()
            .unwrap_or_else(|_| Err("the emulator is shutting down".into()))
    }

    /// Stops a session's process: SIGTERM now, SIGKILL after the grace period.
    pub fn terminate(&self, session: &str) {
        let _ = lock(&self.orders).send(Order::Terminate(session.to_owned()));
    }

    /// Ends every child (SIGTERM, then SIGKILL after the grace period), reaps them, and removes
    /// the working directories. Idempotent.
    pub fn shutdown(&self) {
        let _ = lock(&self.orders).send(Order::Shutdown);
        if let Some(thread) = lock(&self.thread).take() {
            let _ = thread.join();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(unix)]
fn signal_group(child: &Child, signal: i32) {
    // The child leads its own group (process_group(0)): the signal reaches whatever it started.
    let pid = child.id() as i32;
    // SAFETY: kill(2) with a process group we created and have not reaped yet.
    unsafe {
        kill(-pid, signal);
    }
}

/// Windows has no signals: SIGTERM is `taskkill /T` (a close request to the process tree),
/// SIGKILL `taskkill /T /F`.
#[cfg(windows)]
fn signal_group(child: &Child, signal: i32) {
    let mut command = Command::new("taskkill");
    command.args(["/PID", &child.id().to_string(), "/T"]);
    if signal == SIGKILL {
        command.arg("/F");
    }
    let _ = command.stdout(Stdio::null()).stderr(Stdio::null()).status();
}

fn supervise(inbox: mpsc::Receiver<Order>, mock: Weak<Mock>, grace: Duration) {
    let mut children: HashMap<String, Running> = HashMap::new();
    let mut shutting_down = false;
    loop {
        match inbox.recv_timeout(TICK) {
            Ok(Order::Spawn(spawn, reply)) => {
                let session = spawn.session.clone();
                let result = start(spawn, &mock).map(|child| {
                    children.insert(
                        session,
                        Running {
                            child,
                            terminated_at: None,
                        },
                    );
                });
                let _ = reply.send(result);
            }
            Ok(Order::Terminate(session)) => {
                if let Some(running) = children.get_mut(&session) {
                    if running.terminated_at.is_none() {
                        signal_group(&running.child, SIGTERM);
                        running.terminated_at = Some(Instant::now());
                    }
                }
            }
            Ok(Order::Shutdown) | Err(RecvTimeoutError::Disconnected) => {
                if !shutting_down {
                    shutting_down = true;
                    for running in children.values_mut() {
                        if running.terminated_at.is_none() {
                            signal_group(&running.child, SIGTERM);
                            running.terminated_at = Some(Instant::now());
                        }
                    }
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        let mut exited = Vec::new();
        for (session, running) in children.iter_mut() {
            match running.child.try_wait() {
                Ok(Some(status)) => exited.push((session.clone(), status)),
                Ok(None) => {
                    if running
                        .terminated_at
                        .is_some_and(|at| at.elapsed() >= grace)
                    {
                        signal_group(&running.child, SIGKILL);
                    }
                }
                Err(_) => exited.push((session.clone(), ExitStatus::default())),
            }
        }
        for (session, status) in exited {
            if let Some(mut running) = children.remove(&session) {
                // Whatever the child left in its group goes with it.
                signal_group(&running.child, SIGKILL);
                let _ = running.child.wait();
            }
            if let Some(mock) = mock.upgrade() {
                mock.process_exited(&session, status);
            }
        }
        if shutting_down && children.is_empty() {
            return;
        }
    }
}

fn start(spawn: Spawn, mock: &Weak<Mock>) -> Result<Child, String> {
    let mut command = Command::new(&spawn.argv[0]);
    command
        .args(&spawn.argv[1..])
        .envs(spawn.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&spawn.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    command.process_group(0);
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            prctl(PR_SET_PDEATHSIG, SIGKILL as std::ffi::c_ulong);
            Ok(())
        });
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", spawn.argv[0]))?;
    let open = Arc::new(AtomicUsize::new(2));
    let pipes: [Option<Box<dyn Read + Send>>; 2] = [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ];
    for pipe in pipes {
        let (mock, open, session) = (mock.clone(), open.clone(), spawn.session.clone());
        let read = move || {
            if let Some(pipe) = pipe {
                forward(pipe, &mock, &session);
            }
            if open.fetch_sub(1, Ordering::AcqRel) == 1 {
                if let Some(mock) = mock.upgrade() {
                    mock.process_output_closed(&session);
                }
            }
        };
        if let Err(e) = std::thread::Builder::new()
            .name("gameye-mock-output".into())
            .spawn(read)
        {
            signal_group(&child, SIGKILL);
            let _ = child.wait();
            return Err(format!("cannot read the process's output: {e}"));
        }
    }
    Ok(child)
}

/// Copies lines of `pipe` into the session's log until it closes.
fn forward(pipe: Box<dyn Read + Send>, mock: &Weak<Mock>, session: &str) {
    let mut reader = BufReader::new(pipe);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader
            .by_ref()
            .take(MAX_LINE_BYTES as u64)
            .read_until(b'\n', &mut line)
        {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let full = line.ends_with(b"\n");
        if !full && line.len() >= MAX_LINE_BYTES {
            // Drop the rest of an over-long line.
            let mut rest = Vec::new();
            let _ = reader.read_until(b'\n', &mut rest);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\n', '\r']);
        let Some(mock) = mock.upgrade() else { return };
        mock.process_output(session, text);
    }
}

/// Host ports given to processes by every emulator of this process, until their session ends:
/// two emulators (parallel tests) must not hand one port to two servers.
static LOCAL_PORTS: Mutex<Option<std::collections::HashSet<u16>>> = Mutex::new(None);

/// A host port in `range` for a process session: free on loopback for both TCP and UDP (the
/// process binds it directly), and not handed to another process session of this process.
/// The search starts at a random place, so emulators in different processes rarely race for
/// the same port between this check and the process's bind.
pub(crate) fn reserve_port(range: std::ops::RangeInclusive<u16>) -> Option<u16> {
    let mut reserved = lock(&LOCAL_PORTS);
    let reserved = reserved.get_or_insert_with(Default::default);
    let span = u32::from(range.end() - range.start()) + 1;
    let offset = (uuid::Uuid::new_v4().as_u128() % u128::from(span)) as u32;
    (0..span)
        .map(|i| range.start() + ((offset + i) % span) as u16)
        .find(|&port| {
            !reserved.contains(&port)
                && std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
                && std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok()
        })
        .inspect(|&port| {
            reserved.insert(port);
        })
}

/// Gives back a port of [`reserve_port`].
pub(crate) fn release_port(port: u16) {
    if let Some(reserved) = lock(&LOCAL_PORTS).as_mut() {
        reserved.remove(&port);
    }
}

/// Directories (names ending in `/`) and files (name, contents) for an archive.
pub(crate) type Tree = (Vec<String>, Vec<(String, Vec<u8>)>);

/// The files under `dir` at `path` (an absolute path in the container, read relative to the
/// process's working directory), as archive entries: `None` when there is nothing there or the
/// path leaves the directory. At most `limit` bytes in all.
pub(crate) fn collect(dir: &Path, path: &str, limit: u64) -> Option<Tree> {
    let relative = path.trim_matches('/');
    let mut target = dir.to_path_buf();
    for part in relative.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." {
            return None;
        }
        target.push(part);
    }
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    let mut budget = limit;
    fn walk(
        at: &Path,
        name: &str,
        dirs: &mut Vec<String>,
        files: &mut Vec<(String, Vec<u8>)>,
        budget: &mut u64,
    ) -> Option<()> {
        let meta = std::fs::symlink_metadata(at).ok()?;
        if meta.is_dir() {
            if !name.is_empty() {
                dirs.push(format!("{name}/"));
            }
            let mut entries: Vec<_> = std::fs::read_dir(at).ok()?.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let child = entry.file_name().to_string_lossy().into_owned();
                let child_name = if name.is_empty() {
                    child
                } else {
                    format!("{name}/{child}")
                };
                walk(&entry.path(), &child_name, dirs, files, budget);
            }
        } else if meta.is_file() && meta.len() <= *budget {
            *budget -= meta.len();
            files.push((name.to_owned(), std::fs::read(at).ok()?));
        }
        Some(())
    }
    walk(&target, relative, &mut dirs, &mut files, &mut budget)?;
    Some((dirs, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_commands_split_like_a_shell() {
        let run = RunCommand::parse("game=./server --name 'my server' \"a b\" c\\ d").unwrap();
        assert_eq!(run.image, "game");
        assert_eq!(run.argv, ["./server", "--name", "my server", "a b", "c d"]);
        assert!(RunCommand::parse("game").is_err());
        assert!(RunCommand::parse("=x").is_err());
        assert!(RunCommand::parse("game=").is_err());
        assert!(RunCommand::parse("game='open").is_err());
    }

    #[test]
    fn artifacts_never_leave_the_directory() {
        let dir = std::env::temp_dir().join(format!("gameye-collect-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("logs")).unwrap();
        std::fs::write(dir.join("logs/a.txt"), b"A").unwrap();
        std::fs::write(dir.join("core"), b"CORE").unwrap();
        let (dirs, files) = collect(&dir, "/logs/", 1 << 20).unwrap();
        assert_eq!(dirs, ["logs/"]);
        assert_eq!(files, [("logs/a.txt".to_string(), b"A".to_vec())]);
        let (_, files) = collect(&dir, "/core", 1 << 20).unwrap();
        assert_eq!(files[0].0, "core");
        assert!(collect(&dir, "/../etc/passwd", 1 << 20).is_none());
        assert!(collect(&dir, "/missing", 1 << 20).is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
