//! The C# binding (bindings/csharp): compiled with Mono's mcs (the C# level old Unity versions
//! accept), its NUnit tests run with nunit-console against the emulator, over libgameye.so; and
//! the console example.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{native_test_server, profile_dir, root, static_library};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cs"))
        .collect();
    files.sort();
    files
}

fn mcs(args: &[String]) {
    let output = Command::new("mcs")
        .args(args)
        .output()
        .expect("mcs is missing: run scripts/setup.sh");
    assert!(
        output.status.success(),
        "mcs failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn nunit_framework() -> String {
    let dir = Path::new("/usr/lib/cli");
    std::fs::read_dir(dir)
        .expect("nunit-console is missing: run scripts/setup.sh")
        .map(|e| e.unwrap().path().join("nunit.framework.dll"))
        .find(|p| p.exists())
        .expect("nunit.framework.dll")
        .display()
        .to_string()
}

/// Builds Gameye.dll from the Runtime sources; returns the output directory.
fn build_runtime() -> PathBuf {
    static_library(); // builds the library (and libgameye.so beside it)
    let out = support::build_dir().join("csharp");
    std::fs::create_dir_all(&out).unwrap();
    let mut args = vec![
        "-target:library".to_owned(),
        "-langversion:7".to_owned(),
        "-warnaserror+".to_owned(),
        format!("-out:{}", out.join("Gameye.dll").display()),
    ];
    args.extend(
        sources(&root().join("bindings/csharp/Runtime"))
            .iter()
            .map(|p| p.display().to_string()),
    );
    mcs(&args);
    out
}

fn mono_env(command: &mut Command, url: &str) {
    command
        .env("LD_LIBRARY_PATH", profile_dir())
        .env("GAMEYE_TEST_URL", url)
        .env("GAMEYE_API_ENDPOINT", url)
        .env("GAMEYE_API_TOKEN", "test-token");
}

#[test]
fn the_csharp_binding_passes_its_nunit_tests_on_mono() {
    let out = build_runtime();
    let tests = out.join("Gameye.Tests.dll");
    let mut args = vec![
        "-target:library".to_owned(),
        "-langversion:7".to_owned(),
        format!("-r:{}", out.join("Gameye.dll").display()),
        format!("-r:{}", nunit_framework()),
        "-r:System.Net.dll".to_owned(),
        format!("-out:{}", tests.display()),
    ];
    args.extend(
        sources(&root().join("bindings/csharp/Tests"))
            .iter()
            .map(|p| p.display().to_string()),
    );
    mcs(&args);
    let server = native_test_server();
    let mut command = Command::new("nunit-console");
    command
        .arg(&tests)
        .arg("-nologo")
        .arg(format!("-work={}", out.display()))
        .current_dir(&out);
    mono_env(&mut command, &server.url());
    let output = command.output().expect("nunit-console runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "nunit-console failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Tests run: 6")
            && stdout.contains("Failures: 0")
            && stdout.contains("Not run: 0"),
        "{stdout}"
    );
}

#[test]
fn the_csharp_example_runs_on_mono() {
    let out = build_runtime();
    let program = out.join("sessions.exe");
    mcs(&[
        "-langversion:7".to_owned(),
        format!("-r:{}", out.join("Gameye.dll").display()),
        format!("-out:{}", program.display()),
        root()
            .join("examples/csharp/Program.cs")
            .display()
            .to_string(),
    ]);
    let server = native_test_server();
    let mut command = Command::new("mono");
    command.arg(&program).current_dir(&out);
    mono_env(&mut command, &server.url());
    let output = command.output().expect("mono runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("started ") && stdout.contains("stopped "),
        "{stdout}"
    );
}

/// C# cannot include the header, so `GameyeStatus` copies its values: every GAMEYE_STATUS_* must
/// appear in the enum under its PascalCase name with the same number, and nothing else.
#[test]
fn the_csharp_status_enum_matches_the_header() {
    let header = std::fs::read_to_string(root().join("include/gameye.h")).unwrap();
    let mut expected: Vec<(String, i64)> = header
        .lines()
        .filter_map(|l| l.strip_prefix("#define GAMEYE_STATUS_"))
        .map(|rest| {
            let (name, value) = rest.split_once(' ').unwrap();
            let pascal: String = name
                .split('_')
                .map(|word| word[..1].to_string() + &word[1..].to_lowercase())
                .collect();
            (pascal, value.trim().parse().unwrap())
        })
        .collect();
    let models = std::fs::read_to_string(root().join("bindings/csharp/Runtime/Models.cs")).unwrap();
    let body = models
        .split_once("public enum GameyeStatus")
        .and_then(|(_, rest)| rest.split_once('}'))
        .map(|(body, _)| body)
        .expect("GameyeStatus in Models.cs");
    let mut actual: Vec<(String, i64)> = body
        .lines()
        .filter_map(|l| l.trim().trim_end_matches(',').split_once(" = "))
        .map(|(name, value)| (name.to_string(), value.parse().unwrap()))
        .collect();
    expected.sort();
    actual.sort();
    assert!(
        expected.len() >= 16,
        "found only {expected:?} in the header"
    );
    assert_eq!(actual, expected);
}
