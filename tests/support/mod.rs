//! Shared by the integration tests: client settings for the emulator, and building and running
//! the C and C++ programs against the library.

#![allow(dead_code)]

// Needs the `gameye` binary, which only the `cli` feature builds.
#[cfg(feature = "cli")]
pub mod cli;
pub mod schema;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use gameye::mock::{Catalogue, MockConfig, MockServer, TokenRule};
use gameye::ClientConfig;

/// Settings for a client of `url` with `token`; the rest default.
pub fn config_at(url: &str, token: &str) -> ClientConfig {
    let mut config = ClientConfig::new();
    config.set_base_url(url).unwrap().set_token(token).unwrap();
    config
}

/// Settings for a client of `server` with `token` and a per-request `timeout`; the rest default.
pub fn client_config(server: &MockServer, token: &str, timeout: Duration) -> ClientConfig {
    let mut config = config_at(&server.url(), token);
    config.set_timeout(timeout).unwrap();
    config
}

/// An emulator accepting `token` whose sessions write no periodic log lines, so a followed log
/// stream sits idle until the test writes to it.
pub fn quiet_server(token: &str) -> MockServer {
    MockServer::start(MockConfig {
        log_interval: Duration::ZERO,
        ..MockConfig::with_token(token)
    })
    .expect("the emulator starts")
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The cargo profile directory of this test run (target/debug for `cargo test`).
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf()
}

/// The static library, built for this test run: `cargo test` compiles only the rlib the tests
/// link, so the C programs' static library comes from a `cargo build` of the same profile (run
/// once per test process; cargo rebuilds only what changed).
pub fn static_library() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            // GAMEYE_TEST_FEATURES adds features: scripts/test.sh runs the C suites a second time
            // with the private heap, as the Linux bundles build the library.
            let features = match std::env::var("GAMEYE_TEST_FEATURES") {
                Ok(extra) if !extra.is_empty() => format!("mock,{extra}"),
                _ => "mock".to_string(),
            };
            let status = Command::new(cargo)
                .args(["build", "--quiet", "--lib", "--features", &features])
                .current_dir(root())
                .status()
                .expect("cannot run cargo build");
            assert!(status.success(), "cargo build of the library failed");
            profile_dir().join("libgameye.a")
        })
        .clone()
}

/// Where compiled test programs go.
pub fn build_dir() -> PathBuf {
    let dir = profile_dir().join("native-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The system libraries a Rust static library needs on Linux.
pub const NATIVE_LIBS: &[&str] = &["-lpthread", "-ldl", "-lm", "-lrt", "-lgcc_s", "-lc"];

/// How to build a test program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    Plain,
    /// AddressSanitizer (with leak detection) and UndefinedBehaviorSanitizer.
    Sanitized,
}

/// Compiles `sources` with `compiler` (gcc / g++) and the flags given, linking the static
/// library; panics with the compiler's output on failure.
pub fn compile(
    compiler: &str,
    sources: &[&Path],
    flags: &[&str],
    flavour: Flavour,
    name: &str,
) -> PathBuf {
    let out = build_dir().join(match flavour {
        Flavour::Plain => name.to_owned(),
        Flavour::Sanitized => format!("{name}-asan"),
    });
    let mut command = Command::new(compiler);
    command
        .args(flags)
        .args(["-Wall", "-Wextra", "-Werror", "-g"])
        .arg(format!("-I{}", root().join("include").display()))
        .arg(format!("-I{}", root().join("tests/c").display()));
    if flavour == Flavour::Sanitized {
        command.args([
            "-fsanitize=address,undefined",
            "-fno-omit-frame-pointer",
            "-fno-sanitize-recover=all",
        ]);
    }
    command
        .args(sources)
        .arg(static_library())
        .args(NATIVE_LIBS)
        .arg("-o")
        .arg(&out);
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(
        output.status.success(),
        "{compiler} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// Runs a test program with the emulator's URL; panics with its output unless it succeeds.
pub fn run(program: &Path, args: &[&str], server: &MockServer) -> Output {
    let output = Command::new(program)
        .args(args)
        .env("GAMEYE_TEST_URL", server.url())
        .env_remove("GAMEYE_API_TOKEN")
        .env_remove("GAMEYE_API_ENDPOINT")
        .env(
            "ASAN_OPTIONS",
            "detect_leaks=1:abort_on_error=1:strict_string_checks=1",
        )
        .env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "{} failed ({}):\n{stdout}\n{stderr}",
        program.display(),
        output.status
    );
    output
}

/// Runs a (plainly built) test program under valgrind memcheck: any memory error or leak (definite
/// or indirect) fails it. Panics with the output unless it succeeds.
pub fn run_under_valgrind(program: &Path, args: &[&str], server: &MockServer) -> Output {
    let output = Command::new("valgrind")
        .args([
            "--tool=memcheck",
            "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect",
            "--show-leak-kinds=definite,indirect",
            "--quiet",
        ])
        .arg(program)
        .args(args)
        .env("GAMEYE_TEST_URL", server.url())
        .env_remove("GAMEYE_API_TOKEN")
        .env_remove("GAMEYE_API_ENDPOINT")
        .output()
        .unwrap_or_else(|e| panic!("cannot run valgrind (missing: run scripts/setup.sh): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "valgrind {} failed ({}):\n{stdout}\n{stderr}",
        program.display(),
        output.status
    );
    output
}

/// The emulator as the native tests expect it: tokens "test-token" (every scope), "reader"
/// (session:read) and "nobody" (no scope); north-america holds a single session.
pub fn native_test_server() -> MockServer {
    let mut catalogue = Catalogue::default();
    catalogue.locations[1].capacity = 1;
    let token = |token: &str, scopes: Option<Vec<String>>| TokenRule {
        token: token.into(),
        scopes,
    };
    MockServer::start(MockConfig {
        tokens: vec![
            token("test-token", None),
            token("reader", Some(vec!["session:read".into()])),
            token("nobody", Some(vec![])),
        ],
        catalogue,
        admin: true,
        ..MockConfig::default()
    })
    .expect("the emulator starts")
}
