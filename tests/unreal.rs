//! The Unreal plugin (bindings/unreal/Gameye), checked without an engine (see
//! tests/unreal/README.md for what that cannot catch):
//! - the drift guard compiles every plugin source against stub engine headers, and rejects a
//!   broken call into the C++ wrapper;
//! - both Build.cs files, compiled with Mono against a stub UnrealBuildTool, are run for each kind
//!   of target and platform.

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
        text(&output).contains("24 of 24 compiles passed"),
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

#[test]
fn the_build_rules_link_what_each_target_and_platform_needs() {
    let source = plugin().join("Source");
    let exe = scratch("build-rules").join("BuildRulesTest.exe");
    let stub = root().join("tests/unreal/ubt");
    let output = Command::new("mcs")
        .args(["-nologo", "-warnaserror"])
        .arg(format!("-out:{}", exe.display()))
        .arg(stub.join("UnrealBuildTool.cs"))
        .arg(stub.join("BuildRulesTest.cs"))
        .arg(source.join("ThirdParty/gameye/gameye.Build.cs"))
        .arg(source.join("Gameye/Gameye.Build.cs"))
        .output()
        .expect("mcs is missing: run scripts/setup.sh");
    assert!(output.status.success(), "mcs failed:\n{}", text(&output));
    let output = Command::new("mono")
        .arg(&exe)
        .arg(&source)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    assert!(!text(&output).contains("FAIL"), "{}", text(&output));
}
