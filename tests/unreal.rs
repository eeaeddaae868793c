//! The Unreal plugin (bindings/unreal/Gameye), checked without an engine (see
//! tests/unreal/README.md for what that cannot catch):
//! - the drift guard compiles every plugin source against stub engine headers, and rejects a
//!   broken call into the C++ wrapper;
//! - both Build.cs files, compiled with Mono against a stub UnrealBuildTool that finds and
//!   constructs modules as UBT does (case-insensitive lookup, the .uplugin's allow-lists), are run
//!   for each kind of target and platform.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn plugin() -> PathBuf {
    root().join("bindings/unreal/Gameye")
}

fn drift_guard(plugin: &Path) -> Output {
    Command::new("python3")
        .arg(root().join("tests/unreal/drift_guard.py"))
        .arg("--plugin")
        .arg(plugin)
        .output()
        .expect("python3 runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A scratch directory of this test's own under the target directory.
fn scratch(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().join("unreal-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_plugin_source_compiles_against_the_stub_engine() {
    let output = drift_guard(&plugin());
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("36 of 36 compiles passed"),
        "{}",
        text(&output)
    );
}

#[test]
fn the_drift_guard_rejects_a_broken_call_into_the_wrapper() {
    let copy = scratch("broken").join("Gameye");
    copy_tree(&plugin(), &copy);
    let nodes = copy.join("Source/Gameye/Private/GameyeAsyncActions.cpp");
    let source = std::fs::read_to_string(&nodes).unwrap();
    let call = "Client.stop_session_async(Id, ";
    assert!(
        source.contains(call),
        "the Stop node's call moved: update this test"
    );
    // A wrapper method renamed or removed, as a newer gameye.hpp might.
    std::fs::write(
        &nodes,
        source.replace(call, "Client.stop_sesion_async(Id, "),
    )
    .unwrap();
    let output = drift_guard(&copy);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("has no member named 'stop_sesion_async'")
            || text(&output).contains("has no member named \u{2018}stop_sesion_async\u{2019}"),
        "{}",
        text(&output)
    );
}

#[test]
fn the_drift_guard_holds_headers_to_uhts_generated_include_rule() {
    let copy = scratch("late-include").join("Gameye");
    copy_tree(&plugin(), &copy);
    let header = copy.join("Source/Gameye/Public/GameyeTypes.h");
    let source = std::fs::read_to_string(&header).unwrap();
    let generated = "#include \"GameyeTypes.generated.h\"\n";
    assert!(
        source.contains(generated),
        "GameyeTypes.h changed: update this test"
    );
    let late = source.replace(generated, &format!("{generated}#include <vector>\n"));
    std::fs::write(&header, late).unwrap();
    let output = drift_guard(&copy);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("UHT wants the .generated.h last"),
        "{}",
        text(&output)
    );
}

/// Compiles the plugin's Build.cs files with the stub UnrealBuildTool and runs them as UBT would
/// find and construct them (tests/unreal/ubt), for each target and platform.
fn build_rules(plugin: &Path, name: &str) -> Output {
    let exe = scratch(name).join("BuildRulesTest.exe");
    let stub = root().join("tests/unreal/ubt");
    let mut rules = Vec::new();
    find_build_cs(&plugin.join("Source"), &mut rules);
    let output = Command::new("mcs")
        .args([
            "-nologo",
            "-warnaserror",
            "-r:System.Web.Extensions",
            "-r:System.Runtime.Serialization",
        ])
        .arg(format!("-out:{}", exe.display()))
        .arg(stub.join("UnrealBuildTool.cs"))
        .arg(stub.join("BuildRulesTest.cs"))
        .args(&rules)
        .output()
        .expect("mcs is missing: run scripts/setup.sh");
    assert!(output.status.success(), "mcs failed:\n{}", text(&output));
    Command::new("mono").arg(&exe).arg(plugin).output().unwrap()
}

fn find_build_cs(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            find_build_cs(&path, found);
        } else if path.to_string_lossy().ends_with(".Build.cs") {
            found.push(path);
        }
    }
}

#[test]
fn the_build_rules_link_what_each_target_and_platform_needs() {
    let output = build_rules(&plugin(), "build-rules");
    assert!(output.status.success(), "{}", text(&output));
    assert!(!text(&output).contains("FAIL"), "{}", text(&output));
    assert!(text(&output).contains("all passed"), "{}", text(&output));
}

/// The plugin as it was before UBT's rules were modelled: an External module named `gameye`
/// beside the C++ module `Gameye`, and a platform allow-list. The stub must reject both, as the
/// real UBT does (one module built from the other's folder; the module missing on a Mac editor).
#[test]
fn the_stub_build_tool_rejects_a_case_collision_and_a_platform_allow_list() {
    let copy = scratch("collision").join("Gameye");
    copy_tree(&plugin(), &copy);
    let source = copy.join("Source");
    std::fs::rename(
        source.join("ThirdParty/GameyeLibrary"),
        source.join("ThirdParty/gameye"),
    )
    .unwrap();
    let old = source.join("ThirdParty/gameye/gameye.Build.cs");
    std::fs::rename(
        source.join("ThirdParty/gameye/GameyeLibrary.Build.cs"),
        &old,
    )
    .unwrap();
    let rules = std::fs::read_to_string(&old).unwrap();
    assert!(rules.contains("public class GameyeLibrary : ModuleRules"));
    std::fs::write(
        &old,
        rules
            .replace("class GameyeLibrary", "class gameye")
            .replace("public GameyeLibrary(", "public gameye("),
    )
    .unwrap();
    let module = source.join("Gameye/Gameye.Build.cs");
    let rules = std::fs::read_to_string(&module).unwrap();
    assert!(rules.contains("\"GameyeLibrary\""));
    std::fs::write(&module, rules.replace("\"GameyeLibrary\"", "\"gameye\"")).unwrap();
    let descriptor = copy.join("Gameye.uplugin");
    let json = std::fs::read_to_string(&descriptor).unwrap();
    let allow = "\"LoadingPhase\": \"Default\"";
    assert!(json.contains(allow));
    std::fs::write(
        &descriptor,
        json.replace(
            allow,
            &format!(
                "{allow},\n      \"PlatformAllowList\": [\"Win64\", \"Linux\", \"LinuxArm64\"]"
            ),
        ),
    )
    .unwrap();

    let output = build_rules(&copy, "collision-rules");
    let report = text(&output);
    assert!(!output.status.success(), "{report}");
    for expected in [
        // Whichever file the walk sees first, one module gets the other's folder.
        "FAIL Gameye first: module gameye is built from its own folder",
        "FAIL ThirdParty first: module Gameye is built from its own folder",
        "FAIL Gameye first: the .uplugin builds the Gameye module for a Editor target on Mac",
        "FAIL Gameye first: the .uplugin builds the Gameye module for a Client target on Android",
        // And a server build fails as UBT's did: the External module looks in Gameye's folder.
        "/Gameye/Source/Gameye/lib/Linux/libgameye.a is missing",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in:\n{report}"
        );
    }
    assert!(
        !report.contains(
            "FAIL Gameye first: the .uplugin builds the Gameye module for a Server target on Linux"
        ),
        "{report}"
    );
}
