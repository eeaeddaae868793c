//! The C# binding (bindings/csharp): compiled with Mono's mcs (the C# level old Unity versions
//! accept), its NUnit tests run with nunit-console against the emulator, over libgameye.so; and
//! the console example.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use gameye::mock::MockServer;

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

/// Builds Gameye.dll from the Runtime sources into a directory of the test's own (`name`): tests
/// run in parallel processes, and one rewriting a shared Gameye.dll breaks another loading it.
fn build_runtime(name: &str) -> PathBuf {
    static_library(); // builds the library (and libgameye.so beside it)
    let out = support::build_dir().join(name);
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
    let out = build_runtime("csharp-nunit");
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
    // Under coreutils' timeout: a hang (an AppDomain unload that never ends) fails the test
    // instead of holding CI until its own limit. SIGQUIT first, on which Mono prints every
    // thread's managed stack, then SIGKILL; `-labels` names each test as it starts, so the
    // output says which one hung and where.
    let mut command = Command::new("timeout");
    command
        .args(["-s", "QUIT", "-k", "10", "300", "nunit-console"])
        .arg(&tests)
        .args(["-nologo", "-labels"])
        .arg(format!("-work={}", out.display()))
        .current_dir(&out);
    mono_env(&mut command, &server.url());
    let output = command.output().expect("nunit-console runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    // 124: it ended on SIGQUIT; 137: SIGKILL was needed.
    assert!(
        !matches!(output.status.code(), Some(124) | Some(137)),
        "nunit-console hung:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "nunit-console failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Tests run: 27")
            && stdout.contains("Failures: 0")
            && stdout.contains("Not run: 0"),
        "{stdout}"
    );
}

#[test]
fn the_csharp_example_runs_on_mono() {
    let out = build_runtime("csharp-example");
    let program = program(&out, "sessions.exe", "examples/csharp/Program.cs", &[]);
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

/// A Mono program `out`/`exe` built from `source` (relative to the repository) against the runtime
/// in `out` and the assemblies in `references`.
fn program(out: &Path, exe: &str, source: &str, references: &[&Path]) -> PathBuf {
    let program = out.join(exe);
    let mut args = vec![
        "-langversion:7".to_owned(),
        format!("-r:{}", out.join("Gameye.dll").display()),
        format!("-out:{}", program.display()),
    ];
    args.extend(references.iter().map(|r| format!("-r:{}", r.display())));
    args.push(root().join(source).display().to_string());
    mcs(&args);
    program
}

/// A test program (tests/csharp/`source`) built against the runtime in its own folder, and an
/// emulator that delays every list by 20 s: (the folder, the program, the emulator).
fn program_against_a_slow_list(name: &str, source: &str) -> (PathBuf, PathBuf, MockServer) {
    let out = build_runtime(name);
    let program = program(
        &out,
        &format!("{name}.exe"),
        &format!("tests/csharp/{source}"),
        &[],
    );
    let server = native_test_server();
    server.add_fault(gameye::mock::Fault {
        delay_ms: Some(20_000),
        ..gameye::mock::Fault::on("session-list")
    });
    (out, program, server)
}

/// A process that exits without `Dispose`, with requests in flight, exits within 5 seconds and
/// prints no panic: 20 times, returning from Main, through Environment.Exit, or with a
/// background thread inside a blocking call. (It hung or panicked in `gameye_client_free` run by
/// a finalizer at shutdown before the exit hook; with a blocking call it waited for the call.)
#[test]
fn a_process_that_exits_without_dispose_neither_hangs_nor_panics() {
    let (out, program, server) =
        program_against_a_slow_list("csharp-exit", "ExitWithoutDispose.cs");
    for run in 0..20 {
        let mut command = Command::new("mono");
        command
            .arg(&program)
            .args(match run % 3 {
                0 => &[][..],
                1 => &["exit"][..],
                _ => &["blocking"][..],
            })
            .current_dir(&out)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        mono_env(&mut command, &server.url());
        let mut child = command.spawn().expect("mono runs");
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > std::time::Duration::from_secs(5) {
                let _ = child.kill();
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            status.is_some(),
            "run {run}: still running after 5 s (killed)\n{stdout}\n{stderr}"
        );
        assert!(
            status.unwrap().success() && stdout.contains("exiting without Dispose"),
            "run {run}: {status:?}\n{stdout}\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stdout.contains("panicked"),
            "run {run}: a panic at exit\n{stderr}"
        );
    }
}

/// `Dispose` while another thread is inside a blocking call, with a log hook set: the call is
/// interrupted at once (status Cancelled, not after the emulator's 20 s delay), the process ends
/// cleanly, 10 times out of 10, and the call's log lines still reach the hook. (Dispose released
/// the hook's GCHandle at once while the native free waited for the call, which then logged into
/// it: SIGSEGV; and nothing interrupted the call.)
#[test]
fn dispose_under_a_blocking_call_with_a_log_hook_does_not_crash() {
    let (out, program, server) =
        program_against_a_slow_list("csharp-dispose", "DisposeUnderACall.cs");
    for run in 0..10 {
        let mut command = Command::new("mono");
        command.arg(&program).current_dir(&out);
        mono_env(&mut command, &server.url());
        let started = std::time::Instant::now();
        let output = command.output().expect("mono runs");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "run {run}: Dispose did not interrupt the call ({:?})",
            started.elapsed()
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stdout.contains("call ended: Cancelled"),
            "run {run}: {:?}\n{stdout}\n{stderr}",
            output.status
        );
        let lines: u32 = stdout
            .lines()
            .find_map(|line| line.strip_prefix("log lines: "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        assert!(lines > 0, "run {run}: the hook heard nothing\n{stdout}");
    }
}

/// The native plugins of the package and their import settings: (path, the Editor's OS, the
/// standalone player). Their binaries are put in place when the package is assembled.
const PLUGINS: [(&str, &str, &str); 3] = [
    ("Plugins/Linux/x86_64/libgameye.so", "Linux", "Linux64"),
    ("Plugins/Windows/x86_64/gameye.dll", "Windows", "Win64"),
    ("Plugins/macOS/libgameye.dylib", "OSX", "OSXUniversal"),
];

/// Every path under `dir` that Unity imports: files and folders, but not folders ending in `~`
/// (Samples~), hidden ones, or the .meta files themselves.
fn unity_assets(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with('~') || name.starts_with('.') || name.ends_with(".meta") {
            continue;
        }
        if path.is_dir() {
            unity_assets(&path, out);
        }
        out.push(path);
    }
}

/// Unity imports only what has a .meta, and an installed package is read-only: every file and
/// folder has one, every GUID is well formed and unique, and a .meta without its asset is only
/// one of the native plugins (placed when the package is assembled). `scripts/unity_meta.py`
/// writes the missing ones.
#[test]
fn every_file_of_the_unity_package_has_a_meta_with_a_unique_guid() {
    let package = root().join("bindings/csharp");
    let mut assets = Vec::new();
    unity_assets(&package, &mut assets);
    for asset in &assets {
        let meta = PathBuf::from(format!("{}.meta", asset.display()));
        assert!(
            meta.exists(),
            "{} has no .meta: run scripts/unity_meta.py",
            asset.display()
        );
        let text = std::fs::read_to_string(&meta).unwrap();
        assert_eq!(
            text.contains("folderAsset: yes"),
            asset.is_dir(),
            "{}",
            meta.display()
        );
    }
    let mut metas = Vec::new();
    let mut all = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            }
            out.push(path);
        }
    }
    walk(&package, &mut all);
    metas.extend(
        all.into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "meta")),
    );
    let mut guids = std::collections::HashSet::new();
    for meta in &metas {
        let text = std::fs::read_to_string(meta).unwrap();
        let guid = text
            .lines()
            .find_map(|l| l.strip_prefix("guid: "))
            .unwrap_or_else(|| panic!("{} has no guid", meta.display()));
        assert!(
            guid.len() == 32
                && guid
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{}: {guid}",
            meta.display()
        );
        assert!(
            guids.insert(guid.to_owned()),
            "{}: GUID {guid} used twice",
            meta.display()
        );
        let asset = meta.with_extension("");
        let relative = asset
            .strip_prefix(&package)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            asset.exists() || PLUGINS.iter().any(|(path, _, _)| *path == relative),
            "{} has no asset",
            meta.display()
        );
    }
    assert!(metas.len() >= assets.len());
}

/// The native plugins load in their Editor and their standalone player only: never WebGL, iOS
/// or Android, where the API token would ship in a game client.
#[test]
fn the_native_plugins_name_their_platforms() {
    let package = root().join("bindings/csharp");
    for (path, os, standalone) in PLUGINS {
        let meta = std::fs::read_to_string(package.join(format!("{path}.meta"))).unwrap();
        assert!(meta.contains("PluginImporter:"), "{path}");
        assert!(
            meta.contains("      Editor: Editor\n    second:\n      enabled: 1\n")
                && meta.contains(&format!("        OS: {os}\n")),
            "{path}: the Editor on {os}"
        );
        for lane in ["Linux64", "OSXUniversal", "Win", "Win64"] {
            let enabled = if lane == standalone { 1 } else { 0 };
            assert!(
                meta.contains(&format!(
                    "      Standalone: {lane}\n    second:\n      enabled: {enabled}\n"
                )),
                "{path}: Standalone {lane} enabled {enabled}"
            );
        }
        for client in ["Android", "iPhone", "iOS", "WebGL"] {
            assert!(!meta.contains(client), "{path} must not name {client}");
        }
    }
    // Distinct folders: no two plugins share a name in one place.
    let folders: std::collections::HashSet<_> = PLUGINS
        .iter()
        .map(|(path, _, _)| Path::new(path).parent().unwrap())
        .collect();
    assert_eq!(folders.len(), PLUGINS.len());
}

/// The scripting-define sets the package is compiled with, as Unity compiles it: always
/// UNITY_5_3_OR_NEWER (every Unity since 5.3 defines it), then the Editor, a standalone player,
/// and an IL2CPP build.
const UNITY_DEFINES: [&str; 4] = [
    "UNITY_5_3_OR_NEWER;UNITY_2021_3_OR_NEWER",
    "UNITY_5_3_OR_NEWER;UNITY_2021_3_OR_NEWER;UNITY_EDITOR",
    "UNITY_5_3_OR_NEWER;UNITY_2021_3_OR_NEWER;UNITY_STANDALONE",
    "UNITY_5_3_OR_NEWER;UNITY_2021_3_OR_NEWER;UNITY_STANDALONE;ENABLE_IL2CPP",
];

/// The runtime compiles with each of Unity's define sets, beside an engine assembly that has
/// Unity's own `AOT.MonoPInvokeCallbackAttribute`, and the sample compiles against it. (The stub
/// engine proves compilation only; see bindings/csharp/README.md for what it does not prove.)
#[test]
fn the_package_compiles_as_unity_compiles_it() {
    let out = support::build_dir().join("csharp-unity");
    std::fs::create_dir_all(&out).unwrap();
    let engine = out.join("UnityEngine.dll");
    mcs(&[
        "-target:library".to_owned(),
        "-langversion:7".to_owned(),
        format!("-out:{}", engine.display()),
        root()
            .join("tests/csharp/UnityEngineStub.cs")
            .display()
            .to_string(),
    ]);
    let runtime = sources(&root().join("bindings/csharp/Runtime"));
    // As Unity does: the engine is referenced unless the assembly definition says not to.
    let asmdef: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("bindings/csharp/Runtime/Gameye.Runtime.asmdef"))
            .unwrap(),
    )
    .unwrap();
    let engine_reference =
        (asmdef["noEngineReferences"] != true).then(|| format!("-r:{}", engine.display()));
    for (n, defines) in UNITY_DEFINES.iter().enumerate() {
        let dll = out.join(format!("Gameye-{n}.dll"));
        let mut args = vec![
            "-target:library".to_owned(),
            "-langversion:7".to_owned(),
            "-warnaserror+".to_owned(),
            format!("-define:{defines}"),
            format!("-out:{}", dll.display()),
        ];
        args.extend(engine_reference.clone());
        args.extend(runtime.iter().map(|p| p.display().to_string()));
        mcs(&args);
        mcs(&[
            "-target:library".to_owned(),
            "-langversion:7".to_owned(),
            "-warnaserror+".to_owned(),
            format!("-define:{defines}"),
            format!("-r:{}", engine.display()),
            format!("-r:{}", dll.display()),
            format!("-out:{}", out.join(format!("Sample-{n}.dll")).display()),
            root()
                .join("bindings/csharp/Samples~/ServerBrowser/ServerBrowser.cs")
                .display()
                .to_string(),
        ]);
        mcs(&[
            "-target:library".to_owned(),
            "-langversion:7".to_owned(),
            "-warnaserror+".to_owned(),
            format!("-define:{defines}"),
            format!("-r:{}", engine.display()),
            format!("-r:{}", dll.display()),
            format!(
                "-out:{}",
                out.join(format!("ServerSample-{n}.dll")).display()
            ),
            root()
                .join("bindings/csharp/Samples~/DedicatedServer/GameyeDedicatedServer.cs")
                .display()
                .to_string(),
        ]);
        // The glue, as Unity compiles it with the same defines (named Gameye.Unity: the
        // runtime's InternalsVisibleTo names it).
        let glue_dir = out.join(format!("glue-{n}"));
        std::fs::create_dir_all(&glue_dir).unwrap();
        let mut glue = vec![
            "-target:library".to_owned(),
            "-langversion:7".to_owned(),
            "-warnaserror+".to_owned(),
            format!("-define:{defines}"),
            format!("-r:{}", engine.display()),
            format!("-r:{}", dll.display()),
            format!("-out:{}", glue_dir.join("Gameye.Unity.dll").display()),
        ];
        glue.extend(
            sources(&root().join("bindings/csharp/Unity"))
                .iter()
                .map(|p| p.display().to_string()),
        );
        mcs(&glue);
    }
}

/// The assembly definitions say what a Unity package needs: the runtime (and the sample) on the
/// Editor and the standalone players only (never a game client: the token must not ship in one),
/// and the tests as Editor tests of Unity's Test Framework.
#[test]
fn the_assembly_definitions_are_what_unity_needs() {
    let read = |path: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
    };
    let runtime = read("bindings/csharp/Runtime/Gameye.Runtime.asmdef");
    assert_eq!(runtime["name"], "Gameye.Runtime");
    assert_eq!(
        runtime["includePlatforms"],
        serde_json::json!([
            "Editor",
            "LinuxStandalone64",
            "WindowsStandalone64",
            "macOSStandalone"
        ])
    );
    assert_eq!(runtime["autoReferenced"], true);
    // The samples, once imported: the same platforms as the runtime they use.
    for sample in [
        "bindings/csharp/Samples~/ServerBrowser/Gameye.Samples.ServerBrowser.asmdef",
        "bindings/csharp/Samples~/DedicatedServer/Gameye.Samples.DedicatedServer.asmdef",
    ] {
        let sample = read(sample);
        assert_eq!(sample["includePlatforms"], runtime["includePlatforms"]);
        assert_eq!(sample["references"], serde_json::json!(["Gameye.Runtime"]));
    }
    // The glue: the same platforms, the runtime and the engine.
    let glue = read("bindings/csharp/Unity/Gameye.Unity.asmdef");
    assert_eq!(
        glue["name"], "Gameye.Unity",
        "the name the runtime's InternalsVisibleTo gives"
    );
    assert_eq!(glue["includePlatforms"], runtime["includePlatforms"]);
    assert_eq!(glue["references"], serde_json::json!(["Gameye.Runtime"]));
    assert_eq!(glue["noEngineReferences"], false);
    let tests = read("bindings/csharp/Tests/Gameye.Tests.asmdef");
    assert_eq!(tests["includePlatforms"], serde_json::json!(["Editor"]));
    assert_eq!(
        tests["defineConstraints"],
        serde_json::json!(["UNITY_INCLUDE_TESTS"])
    );
    for reference in [
        "Gameye.Runtime",
        "UnityEngine.TestRunner",
        "UnityEditor.TestRunner",
    ] {
        assert!(
            tests["references"]
                .as_array()
                .unwrap()
                .contains(&reference.into()),
            "{reference}"
        );
    }
    assert_eq!(
        tests["precompiledReferences"],
        serde_json::json!(["nunit.framework.dll"])
    );
}

/// Functions of the header the C# binding leaves unbound on purpose, each with its reason. Any
/// other function of the header must be declared in NativeMethods.cs.
const DELIBERATELY_UNBOUND: [(&str, &str); 8] = [
    (
        "gameye_request_id",
        "a request is its Task: ids are not exposed",
    ),
    ("gameye_completion_request_id", "the same"),
    (
        "gameye_client_poll",
        "the binding delivers on the callback thread and completes Tasks",
    ),
    ("gameye_client_wait", "the same: nothing is polled"),
    ("gameye_client_in_flight", "the same"),
    (
        "gameye_client_cancel",
        "cancellation goes through CancellationToken and gameye_request_cancel",
    ),
    (
        "gameye_completion_error",
        "the binding takes the error (gameye_completion_take_error)",
    ),
    (
        "gameye_string_map_get",
        "maps are read whole into IReadOnlyDictionary",
    ),
];

/// The functions of the header, from their declarations.
fn header_functions() -> std::collections::BTreeSet<String> {
    let header = std::fs::read_to_string(root().join("include/gameye.h")).unwrap();
    header
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('/') && !l.starts_with('#'))
        .filter(|l| !l.starts_with("typedef"))
        .filter_map(|l| {
            l.match_indices("gameye_").find_map(|(at, _)| {
                let name: String = l[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                l[at + name.len()..].starts_with('(').then_some(name)
            })
        })
        .collect()
}

/// A function added to the header and not bound in C# fails here, unless it is listed above
/// with its reason; NativeMethods declares nothing the header lacks.
#[test]
fn the_csharp_binding_binds_the_whole_header() {
    let native =
        std::fs::read_to_string(root().join("bindings/csharp/Runtime/NativeMethods.cs")).unwrap();
    let bound: std::collections::BTreeSet<String> = native
        .split("extern ")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split('(').next()?.split_whitespace().last()?;
            name.starts_with("gameye_").then(|| name.to_owned())
        })
        .collect();
    let header = header_functions();
    assert!(header.len() > 140, "parsed only {} functions", header.len());
    let unbound: Vec<&String> = header
        .iter()
        .filter(|f| !bound.contains(*f))
        .filter(|f| !f.starts_with("gameye_test_"))
        .filter(|f| !DELIBERATELY_UNBOUND.iter().any(|(name, _)| name == f))
        .collect();
    assert!(
        unbound.is_empty(),
        "bind these in NativeMethods.cs, or list them in DELIBERATELY_UNBOUND with a reason: \
         {unbound:?}"
    );
    let unknown: Vec<&String> = bound.iter().filter(|f| !header.contains(*f)).collect();
    assert!(unknown.is_empty(), "not in the header: {unknown:?}");
    for (name, _) in DELIBERATELY_UNBOUND {
        assert!(
            header.contains(name) && !bound.contains(name),
            "{name} is listed wrongly"
        );
    }
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

/// A player of the test server: connects, says hello, waits for the welcome.
fn player(port: u16, name: &str) -> std::net::TcpStream {
    use std::io::{BufRead, Write};
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let stream = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(stream) => break stream,
            Err(e) => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "cannot reach the server: {e}"
                );
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    };
    let timeout = Some(std::time::Duration::from_secs(20));
    stream.set_read_timeout(timeout).unwrap();
    (&stream)
        .write_all(format!("HELLO {name}\n").as_bytes())
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(&stream)
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, format!("WELCOME {name}\n"));
    stream
}

/// Waits until `ready` holds, up to 20 s.
fn eventually(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !ready() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// GameyeServer inside a session: the emulator runs tests/csharp/DedicatedServer.cs on Mono as
/// the session's process; players connect, the server reports them (the session's playerCount
/// follows), and when the last one leaves it stops its own session after reporting every leave.
/// Outside a session the same program says so and exits. The emulator ends its process.
#[test]
fn the_server_helper_reports_its_players_and_stops_its_session() {
    use gameye::mock::{MockConfig, RunCommand};
    use gameye::{Client, ListOptions, StartOptions};
    let out = build_runtime("csharp-server");
    let program = program(
        &out,
        "DedicatedServer.exe",
        "tests/csharp/DedicatedServer.cs",
        &[],
    );
    let outside = Command::new("mono")
        .arg(&program)
        .env("LD_LIBRARY_PATH", profile_dir())
        .env_remove("GAMEYE_SESSION_ID")
        .output()
        .unwrap();
    assert_eq!(outside.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&outside.stdout).contains("not inside a Gameye session"));

    let library = format!("LD_LIBRARY_PATH={}", profile_dir().display());
    let server = MockServer::start(MockConfig {
        run: vec![RunCommand {
            image: "mono-server".into(),
            argv: vec![
                "env".into(),
                library,
                "mono".into(),
                program.display().to_string(),
            ],
        }],
        stop_grace: std::time::Duration::from_secs(5),
        log_interval: std::time::Duration::ZERO,
        ..MockConfig::with_token("server-token")
    })
    .unwrap();
    let config =
        support::client_config(&server, "server-token", std::time::Duration::from_secs(10));
    let client = Client::new(&config).unwrap();
    let mut options = StartOptions::for_image("europe", "mono-server").unwrap();
    options.set_env("GAMEYE_API_TOKEN", "server-token").unwrap();
    let started = client.start_session(&options).unwrap();
    let session = started.id.to_string();
    let port = started.ports().iter().next().expect("a port").host();
    let count = || {
        let list = client.list_sessions(&ListOptions::new()).unwrap();
        list.iter()
            .find(|s| s.id() == session)
            .map(|s| s.player_count())
    };
    let players: Vec<_> = ["ana", "bo"].iter().map(|p| player(port, p)).collect();
    eventually("playerCount 2", || count() == Some(Some(2)));
    drop(players);
    eventually("the session to end", || count().is_none());
    let calls: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let stop = calls
        .iter()
        .rposition(|c| c == &format!("DELETE /session/{session}"))
        .unwrap_or_else(|| panic!("the server stopped its session: {calls:#?}"));
    let last_leave = calls
        .iter()
        .rposition(|c| c == "DELETE /session/player/leave")
        .expect("the leaves were reported");
    assert!(last_leave < stop, "{calls:#?}");
    let log = String::from_utf8_lossy(client.logs(&session).unwrap().as_bytes()).into_owned();
    for expected in [
        "server: player ana joined",
        "server: player bo left",
        "server: player ana left",
        "server: match over, stopping the session",
    ] {
        assert!(log.contains(expected), "{expected:?} missing from\n{log}");
    }
}

/// The stub engine, the runtime and the Unity glue (bindings/csharp/Unity) built in `out`, as
/// Unity builds them (the glue references the engine and the runtime).
fn build_glue(out: &Path) -> (PathBuf, PathBuf) {
    let engine = out.join("UnityEngine.dll");
    mcs(&[
        "-target:library".to_owned(),
        "-langversion:7".to_owned(),
        format!("-out:{}", engine.display()),
        root()
            .join("tests/csharp/UnityEngineStub.cs")
            .display()
            .to_string(),
    ]);
    let glue = out.join("Gameye.Unity.dll");
    let mut args = vec![
        "-target:library".to_owned(),
        "-langversion:7".to_owned(),
        "-warnaserror+".to_owned(),
        format!("-r:{}", engine.display()),
        format!("-r:{}", out.join("Gameye.dll").display()),
        format!("-out:{}", glue.display()),
    ];
    args.extend(
        sources(&root().join("bindings/csharp/Unity"))
            .iter()
            .map(|p| p.display().to_string()),
    );
    mcs(&args);
    (engine, glue)
}

/// Play mode without a domain reload: five sessions, each leaving a client undisposed. Without
/// the glue the library's threads grow with every session; with it (Gameye.Unity's hooks run as
/// Unity runs them) they stay at the baseline, and the Editor tool's client made outside play
/// mode keeps working.
#[test]
fn the_unity_glue_ends_each_play_sessions_clients() {
    let out = build_runtime("csharp-glue");
    let (engine, glue) = build_glue(&out);
    let program = program(
        &out,
        "PlayModeSessions.exe",
        "tests/csharp/PlayModeSessions.cs",
        &[&engine, &glue],
    );
    let server = native_test_server();
    let run = |mode: &str| -> (Vec<usize>, String) {
        let mut command = Command::new("timeout");
        command
            .args(["60", "mono"])
            .arg(&program)
            .arg(mode)
            .current_dir(&out);
        mono_env(&mut command, &server.url());
        let output = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success() && stdout.contains("the editor tool's client still works"),
            "{mode}: {:?}\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let count = |line: &str| -> usize {
            let threads = line.rsplit(": ").next().unwrap();
            threads.trim_end_matches(" threads").parse().unwrap()
        };
        let counts = stdout
            .lines()
            .filter(|l| l.starts_with("baseline") || l.starts_with("session "))
            .map(count)
            .collect();
        (counts, stdout)
    };
    let (bare, _) = run("bare");
    assert_eq!(bare.len(), 6, "{bare:?}");
    assert!(
        bare[5] >= bare[0] + 5 * 4,
        "without the glue each session keeps its client's threads: {bare:?}"
    );
    let (glued, console) = run("glue");
    assert_eq!(glued.len(), 6, "{glued:?}");
    assert!(glued[0] > 0, "the Editor tool's client runs threads");
    assert!(
        glued.iter().all(|&n| n == glued[0]),
        "with the glue every session's client is disposed at its end: {glued:?}"
    );
    // The dispatcher and the Debug.Log bridge.
    assert!(
        console.contains("the callback ran on the main thread"),
        "{console}"
    );
    let lines: Vec<&str> = console
        .lines()
        .filter(|l| l.starts_with("console> "))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("console> Log: gameye: ")),
        "the request's log line reached the console: {console}"
    );
    assert!(
        lines.contains(&"console> Error: gameye: an error line"),
        "{console}"
    );
    assert!(
        lines.contains(&"console> Warning: gameye: a warning line"),
        "{console}"
    );
    assert!(
        lines.iter().all(|l| !l.contains("test-token")),
        "the token never reaches the console: {console}"
    );
}
