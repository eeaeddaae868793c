//! The docs name only what exists: every repository path in a Markdown file or a Rust doc
//! comment (`src/...`, `tests/...`, `bindings/...`, ...) is a file or folder of the repository,
//! and every Markdown file they cite by name (`C-API.md`) is one of its own, so no doc points at
//! a file that moved, became a folder, or lives outside the repository.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The folders a repository path starts with.
const ROOTS: &[&str] = &[
    "src/",
    "tests/",
    "bindings/",
    "scripts/",
    "include/",
    "examples/",
    "bench/",
    "docs/",
    "abi/",
    "spec/",
    "fuzz/",
    ".ci/",
];

/// Paths that are made, not kept: (the doc, the path's start, why).
const MADE: &[(&str, &str, &str)] = &[
    (
        "README.md",
        "fuzz/artifacts/",
        "cargo fuzz writes a crashing input there",
    ),
    (
        "bindings/unreal/Gameye/Source/ThirdParty/GameyeLibrary/README.md",
        "include/",
        "the plugin bundle's folder, which scripts/package.sh fills",
    ),
];

/// Markdown files the release bundles are given (scripts/package.sh), cited by the docs.
const BUNDLED: &[&str] = &[
    "LICENSE.md",
    "Third Party Notices.md",
    "THIRD-PARTY-NOTICES.md",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tracked() -> Vec<String> {
    let output = Command::new("git")
        .args(["ls-files"])
        .current_dir(root())
        .output()
        .expect("git runs");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-')
}

/// The repository paths in `line`: a root at a word's start, then path characters. A path
/// followed by a placeholder (`<target>`, `*.hpp`, `{a,b}`) is left out.
fn paths(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (start, _) in line.char_indices() {
        let before = line[..start].chars().next_back();
        if before.is_some_and(|c| path_char(c) || c == '$') {
            continue;
        }
        let Some(root) = ROOTS.iter().find(|r| line[start..].starts_with(*r)) else {
            continue;
        };
        let rest = &line[start + root.len()..];
        let end = rest.find(|c: char| !path_char(c)).unwrap_or(rest.len());
        if rest[end..].starts_with(['<', '*', '{']) {
            continue;
        }
        let path = format!("{root}{}", &rest[..end]);
        found.push(path.trim_end_matches('.').to_owned());
    }
    found
}

/// The Markdown file names cited in `line` (`C-API.md`, `BENCHMARKS.md`).
fn markdown_names(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = line[from..].find(".md") {
        let end = from + at + 3;
        let start = line[..from + at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(0, |i| i + 1);
        let name = &line[start..end];
        let after = line[end..].chars().next();
        let bare = !line[..start].ends_with(['/', '.']);
        if bare
            && name.starts_with(|c: char| c.is_ascii_uppercase())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
        {
            found.push(name.to_owned());
        }
        from = end;
    }
    found
}

/// The lines of `file` that are documentation: all of a Markdown file, the doc comments of a
/// Rust file.
fn doc_lines(file: &Path, text: &str) -> Vec<(usize, String)> {
    let markdown = file.extension().is_some_and(|e| e == "md");
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_start();
            markdown || line.starts_with("//!") || line.starts_with("///")
        })
        .map(|(n, line)| (n + 1, line.to_owned()))
        .collect()
}

#[test]
fn every_path_and_markdown_file_the_docs_name_exists() {
    let files = tracked();
    let names: Vec<&str> = files
        .iter()
        .map(|f| f.rsplit('/').next().unwrap())
        .collect();
    let mut missing = Vec::new();
    let mut checked = 0;
    for file in files
        .iter()
        .filter(|f| f.ends_with(".md") || f.ends_with(".rs"))
    {
        // The SDK README is a template for the bundle, whose paths are the bundle's.
        if file.starts_with("scripts/sdk/") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root().join(file)) else {
            continue;
        };
        let folder = Path::new(file).parent().unwrap_or(Path::new(""));
        for (number, line) in doc_lines(Path::new(file), &text) {
            for path in paths(&line) {
                checked += 1;
                let made = MADE
                    .iter()
                    .any(|(doc, start, _)| doc == file && path.starts_with(start));
                let exists =
                    root().join(&path).exists() || root().join(folder).join(&path).exists();
                if !made && !exists {
                    missing.push(format!("{file}:{number}: {path}"));
                }
            }
            for name in markdown_names(&line) {
                if !names.contains(&name.as_str()) && !BUNDLED.iter().any(|b| b.ends_with(&name)) {
                    missing.push(format!("{file}:{number}: {name} (not in the repository)"));
                }
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} paths found: the scan is broken"
    );
    assert!(
        missing.is_empty(),
        "the docs name what is not there:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_scanner_finds_paths_and_names_and_skips_placeholders() {
    assert_eq!(
        paths("see `src/client/error.rs` and (tests/c/test_core.c)."),
        ["src/client/error.rs", "tests/c/test_core.c"]
    );
    assert!(paths("fuzz/artifacts/<target>/ and bindings/cpp/gameye/*.hpp").is_empty());
    assert!(paths("$out/src/x and lib/src/y").is_empty());
    assert_eq!(
        markdown_names("cite C-API.md's rules, not docs/C-API.md"),
        ["C-API.md"]
    );
}

/// A C# declaration line: its visibility and, for a type, its kind.
fn csharp_declaration(line: &str) -> Option<(bool, Option<&'static str>)> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '(' || c == '<' || c == ':')
        .filter(|w| !w.is_empty())
        .collect();
    const MODIFIERS: &[&str] = &[
        "public",
        "internal",
        "private",
        "protected",
        "static",
        "sealed",
        "partial",
        "abstract",
        "readonly",
        "override",
        "virtual",
        "unsafe",
        "extern",
        "const",
        "event",
        "new",
    ];
    let modifiers: Vec<&str> = words
        .iter()
        .take_while(|w| MODIFIERS.contains(w))
        .copied()
        .collect();
    let kind = words.get(modifiers.len()).and_then(|w| {
        ["class", "struct", "interface", "enum"]
            .into_iter()
            .find(|k| k == w)
    });
    if modifiers.is_empty() && kind.is_none() {
        return None;
    }
    Some((modifiers.contains(&"public"), kind))
}

/// The public members of public C# types that have no `/// <summary>` above them (attributes
/// between are allowed), as "file:line: declaration"; and each declaration of a partial type
/// (one of whose parts must carry the summary) as (its name, whether this one does).
fn undocumented_csharp(file: &str, text: &str) -> (Vec<String>, Vec<(String, bool)>) {
    let lines: Vec<&str> = text.lines().collect();
    // The types enclosing the current line: (depth inside it, public, an enum).
    let mut types: Vec<(i32, bool, bool)> = Vec::new();
    let mut depth = 0i32;
    let mut pending: Option<(bool, bool)> = None;
    let mut missing = Vec::new();
    let mut partials = Vec::new();
    for (index, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        let enclosing_public = types.iter().all(|t| t.1);
        let in_enum = types.last().is_some_and(|t| t.2 && depth == t.0);
        let declaration = csharp_declaration(line);
        let is_enum_member =
            in_enum && line.starts_with(|c: char| c.is_ascii_uppercase()) && !line.contains('(');
        let public = match declaration {
            Some((public, _)) => public && enclosing_public,
            None => is_enum_member && enclosing_public,
        };
        if public && !line.starts_with("//") {
            let mut above = index;
            while above > 0 && lines[above - 1].trim().starts_with('[') {
                above -= 1;
            }
            let mut documented = false;
            while above > 0 && lines[above - 1].trim().starts_with("///") {
                documented |= lines[above - 1].contains("<summary>");
                above -= 1;
            }
            let partial = line.split_whitespace().position(|w| w == "partial");
            match partial.and_then(|at| line.split_whitespace().nth(at + 2)) {
                Some(name) => partials.push((name.to_owned(), documented)),
                None if !documented => missing.push(format!("{file}:{}: {line}", index + 1)),
                None => {}
            }
        }
        if let Some((public, Some(kind))) = declaration {
            pending = Some((public, kind == "enum"));
        }
        for c in line.chars() {
            match c {
                '{' => {
                    depth += 1;
                    if let Some((public, is_enum)) = pending.take() {
                        types.push((depth, public, is_enum));
                    }
                }
                '}' => {
                    if types.last().is_some_and(|t| t.0 == depth) {
                        types.pop();
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }
    (missing, partials)
}

#[test]
fn every_public_csharp_member_has_a_summary() {
    let files: Vec<String> = tracked()
        .into_iter()
        .filter(|f| f.ends_with(".cs"))
        .filter(|f| {
            f.starts_with("bindings/csharp/Runtime/") || f.starts_with("bindings/csharp/Unity/")
        })
        .collect();
    assert!(files.len() > 10, "found only {} C# files", files.len());
    let mut missing = Vec::new();
    let mut partials: Vec<(String, bool)> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let (undocumented, parts) = undocumented_csharp(file, &text);
        missing.extend(undocumented);
        partials.extend(parts);
    }
    for (name, _) in &partials {
        if !partials
            .iter()
            .any(|(other, documented)| other == name && *documented)
        {
            missing.push(format!("the partial type {name}: no part has a <summary>"));
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "{} public C# members have no <summary>:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn the_csharp_check_sees_members_of_public_types_only() {
    let text = "/// <summary>A.</summary>\npublic sealed class A\n{\n    public int X;\n\
                /// <summary>Y.</summary>\n    [Obsolete]\n    public int Y;\n}\n\
                internal class B\n{\n    public int Z;\n}\n\
                /// <summary>E.</summary>\npublic enum E\n{\n    One = 1,\n}\n";
    let (missing, partials) = undocumented_csharp("t.cs", text);
    assert_eq!(missing, ["t.cs:4: public int X;", "t.cs:16: One = 1,"]);
    assert!(partials.is_empty());
    let (_, partials) = undocumented_csharp("p.cs", "public sealed partial class P\n{\n}\n");
    assert_eq!(partials, [("P".to_owned(), false)]);
}

/// The README's first screen starts each reader: within its first 40 lines, the install step of
/// the C/C++ SDK, the Unity package, the Unreal plugin and the CLI, each with a way in.
#[test]
fn the_readme_first_screen_starts_each_kind_of_reader() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let first: String = readme.lines().take(40).collect::<Vec<_>>().join("\n");
    for needed in [
        "find_package(gameye",
        "gameye::Client::from_environment()",
        "com.gameye.sdk-<v>.tgz",
        "new GameyeClient(",
        "gameye-unreal-<v>.zip",
        "Start Gameye Session And Wait",
        "gameye doctor",
        "gameye-mock --port",
    ] {
        assert!(
            first.contains(needed),
            "the README's first 40 lines lack {needed:?}"
        );
    }
}
