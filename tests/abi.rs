//! The released C ABI, recorded in `abi/gameye.abi`: every exported function's declaration, every
//! callback type and every constant of `include/gameye.h`. Programs built against one version
//! must keep working with the next one of the same major version, so a function that is removed,
//! a declaration that changes, or a constant that is renumbered fails here unless the major
//! version changed. A function or constant that is added is compatible: record it with
//! `GAMEYE_BLESS=1 cargo test --test abi` (which refuses to record an incompatible change).
//!
//! Also here: one version everywhere. `Cargo.toml` is the source; the Unity package, the Unreal
//! plugin, the CMake package and the changelog follow it.

use std::collections::BTreeMap;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The ABI of a header: `fn NAME` / `type NAME` / `const NAME` -> its declaration, whitespace
/// collapsed; plus the major version it belongs to.
fn abi_of(header: &str) -> (u64, BTreeMap<String, String>) {
    let mut items = BTreeMap::new();
    let mut major = None;
    let lines: Vec<&str> = header.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(rest) = line.strip_prefix("#define GAMEYE_") {
            let (name, value) = rest.split_once(' ').unwrap_or((rest, ""));
            let name = format!("GAMEYE_{name}");
            if name == "GAMEYE_VERSION_MAJOR" {
                major = value.trim().parse().ok();
            } else if !name.starts_with("GAMEYE_VERSION_") && name != "GAMEYE_H" {
                items.insert(format!("const {name}"), value.trim().to_owned());
            }
            i += 1;
            continue;
        }
        let starts_item = !line.is_empty()
            && !line.starts_with([' ', '/', '#', '}', '{'])
            && line.contains("gameye_");
        if !starts_item {
            i += 1;
            continue;
        }
        // A declaration runs to its semicolon.
        let mut declaration = String::new();
        while i < lines.len() {
            declaration.push_str(lines[i].trim());
            declaration.push(' ');
            if lines[i].trim_end().ends_with(';') {
                break;
            }
            i += 1;
        }
        i += 1;
        let declaration = declaration
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(" )", ")");
        let kind = if declaration.starts_with("typedef") {
            "type"
        } else if declaration.contains('(') {
            "fn"
        } else {
            continue;
        };
        let name = declared_name(&declaration, kind);
        items.insert(format!("{kind} {name}"), declaration);
    }
    (major.expect("GAMEYE_VERSION_MAJOR in the header"), items)
}

/// The name a declaration declares: a function's, or a typedef's (the last identifier, or the
/// one in `(*name)` for a function pointer).
fn declared_name(declaration: &str, kind: &str) -> String {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    if kind == "fn" {
        let before = &declaration[..declaration.find('(').unwrap()];
        let start = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        return before[start.map_or(0, |s| s + 1)..].to_owned();
    }
    if let Some(at) = declaration.find("(*") {
        return ident(&declaration[at + 2..]);
    }
    let trimmed = declaration.trim_end_matches(';').trim_end();
    let start = trimmed.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
    trimmed[start.map_or(0, |s| s + 1)..].to_owned()
}

fn render(major: u64, items: &BTreeMap<String, String>) -> String {
    let mut out = format!(
        "# The C ABI of gameye {major}.x, recorded from include/gameye.h by tests/abi.rs.\n\
         # Removing or changing a line needs a new major version; adding one does not.\n\
         major {major}\n"
    );
    for (key, declaration) in items {
        out.push_str(&format!("{key} = {declaration}\n"));
    }
    out
}

fn parse_record(text: &str) -> (u64, BTreeMap<String, String>) {
    let mut major = None;
    let mut items = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        if let Some(value) = line.strip_prefix("major ") {
            major = value.trim().parse().ok();
        } else if let Some((key, declaration)) = line.split_once(" = ") {
            items.insert(key.to_owned(), declaration.to_owned());
        }
    }
    (major.expect("a major line in abi/gameye.abi"), items)
}

/// What `now` breaks of `recorded`: removed or changed items.
fn breaks(recorded: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> Vec<String> {
    recorded
        .iter()
        .filter_map(|(key, declaration)| match now.get(key) {
            None => Some(format!("removed: {key}")),
            Some(current) if current != declaration => Some(format!(
                "changed: {key}\n  was {declaration}\n  now {current}"
            )),
            Some(_) => None,
        })
        .collect()
}

#[test]
fn the_c_abi_stays_compatible_within_a_major_version() {
    let header = std::fs::read_to_string(root().join("include/gameye.h")).unwrap();
    let (major, now) = abi_of(&header);
    assert!(
        now.keys().filter(|k| k.starts_with("fn ")).count() > 140,
        "the header parsed into too few functions: {}",
        now.len()
    );
    let path = root().join("abi/gameye.abi");
    let recorded_text = std::fs::read_to_string(&path).unwrap_or_default();
    let (recorded_major, recorded) = if recorded_text.is_empty() {
        (major, BTreeMap::new())
    } else {
        parse_record(&recorded_text)
    };
    let broken = breaks(&recorded, &now);
    let same_major = recorded_major == major;
    if std::env::var_os("GAMEYE_BLESS").is_some() {
        assert!(
            !same_major || broken.is_empty(),
            "refusing to record an incompatible ABI within major version {major}:\n{}",
            broken.join("\n")
        );
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, render(major, &now)).unwrap();
        return;
    }
    if same_major {
        assert!(
            broken.is_empty(),
            "the C ABI changed within major version {major} (bump the major version, or undo):\n{}",
            broken.join("\n")
        );
    }
    let added: Vec<&String> = now.keys().filter(|k| !recorded.contains_key(*k)).collect();
    assert!(
        added.is_empty() && same_major,
        "abi/gameye.abi is behind the header (new: {added:?}): \
         run `GAMEYE_BLESS=1 cargo test --test abi` and commit it"
    );
}

#[test]
fn the_abi_check_sees_removals_changes_and_renumbering() {
    let header = "#define GAMEYE_VERSION_MAJOR 1\n#define GAMEYE_STATUS_OK 0\n\
        gameye_status gameye_a(const gameye_client *client,\n                       int x);\n\
        void gameye_b(void);\n\
        typedef void (*gameye_cb)(void *user_data);\n";
    let (major, before) = abi_of(header);
    assert_eq!(major, 1);
    assert_eq!(
        before.get("fn gameye_a").map(String::as_str),
        Some("gameye_status gameye_a(const gameye_client *client, int x);")
    );
    assert!(before.contains_key("type gameye_cb") && before.contains_key("const GAMEYE_STATUS_OK"));
    let (_, removed) = abi_of(&header.replace("void gameye_b(void);\n", ""));
    assert_eq!(breaks(&before, &removed), ["removed: fn gameye_b"]);
    let (_, changed) = abi_of(&header.replace("int x", "long x"));
    assert_eq!(breaks(&before, &changed).len(), 1);
    let (_, renumbered) = abi_of(&header.replace("STATUS_OK 0", "STATUS_OK 1"));
    assert_eq!(breaks(&before, &renumbered).len(), 1);
    let (_, added) = abi_of(&format!("{header}void gameye_c(void);\n"));
    assert!(
        breaks(&before, &added).is_empty(),
        "an addition is compatible"
    );
    assert_eq!(
        parse_record(&render(major, &before)),
        (major, before),
        "the record reads back as written"
    );
}

/// The version in one place: Cargo.toml; every package that carries one follows it.
#[test]
fn one_version_everywhere() {
    let cargo = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let version = cargo
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("the package version in Cargo.toml");
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let json = |path: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
    };
    assert_eq!(json("bindings/csharp/package.json")["version"], version);
    assert_eq!(
        json("bindings/unreal/Gameye/Gameye.uplugin")["VersionName"],
        version
    );
    let cmake = std::fs::read_to_string(root().join("bindings/cpp/CMakeLists.txt")).unwrap();
    assert!(
        cmake.contains(&format!("project(gameye VERSION {version} ")),
        "bindings/cpp/CMakeLists.txt's project version"
    );
    let changelog = std::fs::read_to_string(root().join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains(&format!("## {version}")),
        "CHANGELOG.md has a section for {version}"
    );
    // The header's macros follow it too (tests/header.rs regenerates the header from the code,
    // and src/ffi/version.rs tests the macros against CARGO_PKG_VERSION).
}
