//! The C API through a C program (tests/c/test_core.c) against the emulator: built with
//! -Wall -Wextra -Werror -pedantic as C11, run plainly and under ASan + UBSan (leaks included).

mod support;

use gameye::mock::Fault;
use support::{compile, native_test_server, root, run, run_under_valgrind, Flavour};

fn core_test(flavour: Flavour) {
    let source = root().join("tests/c/test_core.c");
    let program = compile(
        "gcc",
        &[&source],
        &["-std=c11", "-pedantic"],
        flavour,
        "test_core",
    );
    let server = native_test_server();
    run(&program, &[], &server);

    server.reset();
    let seed =
        std::fs::read_to_string(root().join("tests/fixtures/seed-page-example.json")).unwrap();
    server.add_fault(Fault {
        status: Some(200),
        body: Some(seed),
        ..Fault::on("session-list")
    });
    run(&program, &["seed"], &server);
}

fn operations_test(flavour: Flavour) {
    let source = root().join("tests/c/test_operations.c");
    let program = compile(
        "gcc",
        &[&source],
        &["-std=c11", "-pedantic", "-pthread"],
        flavour,
        "test_operations",
    );
    run(&program, &[], &native_test_server());
}

#[test]
fn other_operations_from_c() {
    operations_test(Flavour::Plain);
}

#[test]
fn other_operations_from_c_under_sanitizers() {
    operations_test(Flavour::Sanitized);
}

fn nonblocking_test(flavour: Flavour) {
    let source = root().join("tests/c/test_nonblocking.c");
    let program = compile(
        "gcc",
        &[&source],
        &["-std=c11", "-pedantic", "-pthread"],
        flavour,
        "test_nonblocking",
    );
    run(&program, &[], &native_test_server());
}

#[test]
fn nonblocking_calls_from_c() {
    nonblocking_test(Flavour::Plain);
}

#[test]
fn nonblocking_calls_from_c_under_sanitizers() {
    nonblocking_test(Flavour::Sanitized);
}

fn faults_test(flavour: Flavour) {
    let source = root().join("tests/c/test_faults.c");
    let program = compile(
        "gcc",
        &[&source],
        &["-std=c11", "-pedantic"],
        flavour,
        "test_faults",
    );
    run(&program, &[], &native_test_server());
}

#[test]
fn faults_from_c() {
    faults_test(Flavour::Plain);
}

#[test]
fn faults_from_c_under_sanitizers() {
    faults_test(Flavour::Sanitized);
}

/// Builds tests/c/<name>.c as C11 with threads, and runs it against a fresh emulator.
fn threaded_suite(name: &str, flavour: Flavour) {
    let source = root().join(format!("tests/c/{name}.c"));
    let program = compile(
        "gcc",
        &[&source],
        &["-std=c11", "-pedantic", "-pthread"],
        flavour,
        name,
    );
    run(&program, &[], &native_test_server());
}

fn server_test(flavour: Flavour) {
    threaded_suite("test_server", flavour);
}

/// The session context and the roster reporter (tests/c/test_server.c).
#[test]
fn the_server_side_from_c() {
    server_test(Flavour::Plain);
}

#[test]
fn the_server_side_from_c_under_sanitizers() {
    server_test(Flavour::Sanitized);
}

fn fork_test(flavour: Flavour) {
    threaded_suite("test_fork", flavour);
}

/// Waiting for sessions and watching them, every outcome (tests/c/test_lifecycle.c). Not under
/// valgrind: its deadlines and promptness checks are about time, which valgrind stretches
/// many times over; ASan's leak check covers its memory.
#[test]
fn waits_and_watches_from_c() {
    threaded_suite("test_lifecycle", Flavour::Plain);
}

#[test]
fn waits_and_watches_from_c_under_sanitizers() {
    threaded_suite("test_lifecycle", Flavour::Sanitized);
}

/// fork() with an idle, a pooled and a busy client (tests/c/test_fork.c).
#[test]
fn fork_with_a_live_client_from_c() {
    fork_test(Flavour::Plain);
}

#[test]
fn fork_with_a_live_client_from_c_under_sanitizers() {
    fork_test(Flavour::Sanitized);
}

#[test]
fn core_api_from_c() {
    core_test(Flavour::Plain);
}

#[test]
fn core_api_from_c_under_sanitizers() {
    core_test(Flavour::Sanitized);
}

#[test]
fn the_header_compiles_as_c11_and_cpp17_pedantic() {
    let dir = support::build_dir();
    // Included twice: the include guard must hold.
    let program = "#include \"gameye.h\"\n#include \"gameye.h\"\n\
                   int main(void) { return GAMEYE_STATUS_OK; }\n";
    for (compiler, standard, file) in [
        ("gcc", "-std=c11", "header_only.c"),
        ("g++", "-std=c++17", "header_only.cpp"),
    ] {
        let path = dir.join(file);
        std::fs::write(&path, program).unwrap();
        let output = std::process::Command::new(compiler)
            .args([
                standard,
                "-Wall",
                "-Wextra",
                "-Werror",
                "-pedantic",
                "-fsyntax-only",
            ])
            .arg(format!("-I{}", root().join("include").display()))
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{compiler} {standard}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// The C suites under valgrind memcheck too (ASan covers the same programs with another method).
#[test]
fn the_c_suites_under_valgrind() {
    let suites: [(&str, &[&str]); 5] = [
        ("test_core", &["-std=c11", "-pedantic"]),
        ("test_operations", &["-std=c11", "-pedantic", "-pthread"]),
        ("test_nonblocking", &["-std=c11", "-pedantic", "-pthread"]),
        ("test_faults", &["-std=c11", "-pedantic"]),
        ("test_server", &["-std=c11", "-pedantic", "-pthread"]),
    ];
    for (name, flags) in suites {
        let source = root().join(format!("tests/c/{name}.c"));
        let program = compile(
            "gcc",
            &[&source],
            flags,
            Flavour::Plain,
            &format!("{name}-valgrind"),
        );
        run_under_valgrind(&program, &[], &native_test_server());
    }
}

/// The README's C quickstart compiles and links with the strict flags, so it cannot rot.
#[test]
fn the_readme_quickstart_compiles() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .find("## C quickstart")
        .expect("the README has a C quickstart");
    let start = readme[section..].find("```c\n").expect("a C block") + section + 5;
    let end = readme[start..].find("```").unwrap() + start;
    let source = support::build_dir().join("readme_quickstart.c");
    std::fs::write(&source, &readme[start..end]).unwrap();
    compile(
        "gcc",
        &[&source],
        &["-std=c11", "-pedantic"],
        Flavour::Plain,
        "readme_quickstart",
    );
}

/// What `nm` or `readelf` prints for the shared library built for this test run.
fn inspect_shared_library(tool: &str, args: &[&str]) -> String {
    support::static_library(); // builds the cdylib beside it
    let library = support::profile_dir().join("libgameye.so");
    let output = std::process::Command::new(tool)
        .args(args)
        .arg(&library)
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs (binutils): {e}"));
    assert!(output.status.success(), "{tool} failed on {library:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The README says the library exports only `gameye_*` symbols and links no OpenSSL.
#[test]
fn the_shared_library_exports_only_gameye_symbols_and_links_no_openssl() {
    let symbols = inspect_shared_library("nm", &["-D", "--defined-only"]);
    let names: Vec<&str> = symbols
        .lines()
        .filter_map(|line| line.split_whitespace().nth(2))
        .collect();
    assert!(names.len() > 100, "the exports were read: {symbols}");
    let stray: Vec<&&str> = names.iter().filter(|n| !n.starts_with("gameye_")).collect();
    assert!(stray.is_empty(), "exported beside gameye_*: {stray:?}");

    let dynamic = inspect_shared_library("readelf", &["-d"]);
    let needed: Vec<&str> = dynamic.lines().filter(|l| l.contains("(NEEDED)")).collect();
    assert!(!needed.is_empty(), "the dependencies were read: {dynamic}");
    assert!(
        needed
            .iter()
            .all(|l| !l.contains("libssl") && !l.contains("libcrypto")),
        "links OpenSSL: {needed:?}"
    );
}

/// A plain `cargo build` gives a shared library a C program can link and run as built (the
/// README's "Building the libraries"): it names no `libgameye.so.<major>` that the build does not
/// write. Only the packaged libraries carry the SONAME (build.rs, scripts/package.sh). The test
/// uses this run's profile; build.rs treats debug and release alike.
#[test]
fn a_program_linked_to_the_built_shared_library_runs() {
    support::static_library(); // builds the cdylib beside it
    let dir = support::profile_dir();
    let dynamic = inspect_shared_library("readelf", &["-d"]);
    assert!(
        !dynamic.contains("(SONAME)"),
        "a plain build must not name a file it does not write:\n{dynamic}"
    );
    let source = support::build_dir().join("linked_shared.c");
    std::fs::write(
        &source,
        "#include <stdio.h>\n#include \"gameye.h\"\n\
         int main(void) { printf(\"%s\\n\", gameye_version()); return 0; }\n",
    )
    .unwrap();
    let program = support::build_dir().join("linked_shared");
    let output = std::process::Command::new("gcc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror"])
        .arg(format!("-I{}", root().join("include").display()))
        .arg(&source)
        .arg(format!("-L{}", dir.display()))
        .arg("-lgameye")
        .arg(format!("-Wl,-rpath,{}", dir.display()))
        .arg("-o")
        .arg(&program)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "gcc: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ran = std::process::Command::new(&program).output().unwrap();
    assert!(
        ran.status.success(),
        "the program did not start: {}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout).trim(),
        env!("CARGO_PKG_VERSION")
    );
}
