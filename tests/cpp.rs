//! The C++ wrapper (bindings/cpp/gameye.hpp): tests/cpp/test_wrapper.cpp built with g++ at
//! C++17 and C++20 with -Wall -Wextra -Werror -fno-exceptions, run plainly and under ASan +
//! UBSan against the emulator; the Unreal plugin's engine-free parts (tests/cpp/
//! test_unreal_logic.cpp: the teardown flush, the server roster) the same way; and the CMake
//! package, installed and used by a consumer project.

mod support;

use std::process::Command;

use support::{compile, native_test_server, root, run, static_library, Flavour};

fn wrapper_test(standard: &str, flavour: Flavour) {
    let source = root().join("tests/cpp/test_wrapper.cpp");
    let include = format!("-I{}", root().join("bindings/cpp").display());
    let name = format!("test_wrapper{}", standard.trim_start_matches("-std=c++"));
    let program = compile(
        "g++",
        &[&source],
        &[
            standard,
            "-pedantic",
            "-fno-exceptions",
            "-pthread",
            &include,
        ],
        flavour,
        &name,
    );
    run(&program, &[], &native_test_server());
}

/// The plugin's plain C++ (GameyeFlush.h, GameyeServerRoster.h) through the wrapper, under ASan +
/// UBSan, with the C tests' harness for the emulator's admin API.
#[test]
fn the_unreal_plugins_teardown_flush_and_server_roster() {
    let source = root().join("tests/cpp/test_unreal_logic.cpp");
    let includes = [
        "bindings/cpp",
        "tests/c",
        "bindings/unreal/Gameye/Source/Gameye/Public",
    ]
    .map(|dir| format!("-I{}", root().join(dir).display()));
    let mut flags = vec!["-std=c++17", "-fno-exceptions", "-pthread"];
    flags.extend(includes.iter().map(String::as_str));
    let program = compile(
        "g++",
        &[&source],
        &flags,
        Flavour::Sanitized,
        "test_unreal_logic",
    );
    let output = run(&program, &[], &native_test_server());
    assert!(String::from_utf8_lossy(&output.stdout).contains(", 0 failed"));
}

#[test]
fn the_wrapper_in_cpp17() {
    wrapper_test("-std=c++17", Flavour::Plain);
}

#[test]
fn the_wrapper_in_cpp20_under_sanitizers() {
    wrapper_test("-std=c++20", Flavour::Sanitized);
}

#[test]
fn the_wrapper_in_cpp17_under_sanitizers() {
    wrapper_test("-std=c++17", Flavour::Sanitized);
}

fn cmake(args: &[&str], dir: &std::path::Path) {
    let output = Command::new("cmake")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("cmake is missing: run scripts/setup.sh");
    assert!(
        output.status.success(),
        "cmake {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_cmake_package_works_from_an_install_prefix() {
    let work = support::build_dir().join("cmake");
    let _ = std::fs::remove_dir_all(&work);
    let (build, prefix, consumer) = (
        work.join("build"),
        work.join("prefix"),
        work.join("consumer"),
    );
    for dir in [&build, &consumer] {
        std::fs::create_dir_all(dir).unwrap();
    }
    let library = format!("-DGAMEYE_LIBRARY={}", static_library().display());
    let source = root().join("bindings/cpp");
    cmake(
        &["-S", source.to_str().unwrap(), "-B", ".", &library],
        &build,
    );
    cmake(
        &["--install", ".", "--prefix", prefix.to_str().unwrap()],
        &build,
    );
    let consumer_source = root().join("tests/cmake_consumer");
    let prefix_path = format!("-DCMAKE_PREFIX_PATH={}", prefix.display());
    cmake(
        &[
            "-S",
            consumer_source.to_str().unwrap(),
            "-B",
            ".",
            &prefix_path,
        ],
        &consumer,
    );
    cmake(&["--build", "."], &consumer);
    let output = run(&consumer.join("consumer"), &[], &native_test_server());
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("consumer: listed 0 sessions with gameye")
    );
}
