//! Every function declared in include/gameye.h, called with NULL pointers and zeros: none may
//! crash (run under ASan + UBSan). The calls are generated from the header, so a new function
//! is covered without anyone remembering to add it. Also: a panic inside an exported function
//! becomes GAMEYE_STATUS_INTERNAL.

mod support;

use support::{compile, native_test_server, root, run, Flavour};

/// One declaration: return type, name, parameter types.
struct Declaration {
    returns: String,
    name: String,
    parameters: Vec<String>,
}

/// The function declarations of the header (comments and preprocessor lines dropped).
fn declarations(header: &str) -> Vec<Declaration> {
    let mut code = String::new();
    let mut rest = header;
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        rest = &rest[rest[start..]
            .find("*/")
            .map_or(rest.len(), |end| start + end + 2)..];
    }
    code.push_str(rest);
    let code: String = code
        .lines()
        // Preprocessor lines, line comments, and the extern "C" wrapper's braces go.
        .filter(|line| {
            let line = line.trim();
            !line.starts_with('#')
                && !line.starts_with("//")
                && !line.starts_with('}')
                && line != "extern \"C\" {"
        })
        .collect::<Vec<_>>()
        .join(" ");
    code.split(';')
        .filter_map(|statement| {
            let statement = statement.split_whitespace().collect::<Vec<_>>().join(" ");
            if statement.starts_with("typedef")
                || statement.contains('{')
                || statement.contains('}')
            {
                return None;
            }
            let open = statement.find('(')?;
            let head = &statement[..open];
            let name_start = head.rfind([' ', '*'])? + 1;
            let name = head[name_start..].to_owned();
            if !name.starts_with("gameye_") {
                return None;
            }
            let inside = statement[open + 1..].trim_end_matches(')').to_owned();
            let parameters = if inside.trim() == "void" {
                Vec::new()
            } else {
                inside.split(',').map(|p| p.trim().to_owned()).collect()
            };
            Some(Declaration {
                returns: head[..name_start].trim().to_owned(),
                name,
                parameters,
            })
        })
        .collect()
}

/// The zero value of a parameter: NULL for pointers and callbacks, false, or 0.
fn zero(parameter: &str) -> &'static str {
    let kind = parameter
        .rsplit_once(' ')
        .map_or(
            parameter,
            |(kind, name)| if name.starts_with('*') { "*" } else { kind },
        );
    if parameter.contains('*') || kind.ends_with("_callback") {
        "NULL"
    } else if kind == "bool" {
        "false"
    } else {
        "0"
    }
}

#[test]
fn every_function_takes_null_and_zeros_without_crashing() {
    let header = std::fs::read_to_string(root().join("include/gameye.h")).unwrap();
    let declarations = declarations(&header);
    let names: std::collections::HashSet<&str> =
        declarations.iter().map(|d| d.name.as_str()).collect();
    // Cross-check: every name followed by "(" in the header's code (outside comments, not a
    // callback typedef) was parsed, so the sweep cannot silently miss a function.
    let code: String = header
        .split("/*")
        .map(|part| part.split_once("*/").map_or(part, |(_, after)| after))
        .collect();
    let mentioned: std::collections::HashSet<&str> = code
        .match_indices("gameye_")
        .filter_map(|(at, _)| {
            let name_end =
                code[at..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))? + at;
            code[name_end..]
                .starts_with('(')
                .then(|| &code[at..name_end])
        })
        .collect();
    let missed: Vec<_> = mentioned.difference(&names).collect();
    assert!(missed.is_empty(), "not parsed: {missed:?}");
    assert!(
        declarations.len() > 120,
        "parsed {} declarations",
        declarations.len()
    );
    let mut body = String::new();
    for declaration in &declarations {
        let arguments: Vec<&str> = declaration.parameters.iter().map(|p| zero(p)).collect();
        let call = format!("{}({})", declaration.name, arguments.join(", "));
        // A handle that comes back (e.g. from gameye_client_config_new) is freed again.
        let handle = declaration.returns.trim_end_matches('*').trim();
        let free = format!("{handle}_free");
        if declaration.returns.ends_with('*')
            && !declaration.returns.starts_with("const")
            && names.contains(free.as_str())
        {
            body.push_str(&format!("    {free}({call});\n"));
        } else {
            body.push_str(&format!("    (void){call};\n"));
        }
    }
    let source = format!(
        concat!(
            "/* Generated by tests/null_sweep.rs from include/gameye.h. */\n",
            "#include <stdio.h>\n#include \"gameye.h\"\nint main(void) {{\n",
            "{body}    printf(\"null sweep: {} passed, 0 failed\\n\");\n    return 0;\n}}\n"
        ),
        declarations.len(),
        body = body,
    );
    let path = support::build_dir().join("null_sweep.c");
    std::fs::write(&path, source).unwrap();
    let program = compile(
        "gcc",
        &[&path],
        &["-std=c11", "-Wno-unused-value"],
        Flavour::Sanitized,
        "null_sweep",
    );
    // No token, no URL: nothing reaches a network; the emulator only satisfies the runner.
    run(&program, &[], &native_test_server());
}

#[test]
fn a_panic_inside_an_exported_function_becomes_internal() {
    let source = r#"
#include <string.h>
#include "harness.h"
/* Test hooks of the mock feature; not in the header. */
gameye_status gameye_test_panic(const char *message, gameye_error **out_error);
int64_t gameye_test_panic_in_accessor(void);
int main(void) {
    gameye_error *error = NULL;
    CHECK_STATUS(gameye_test_panic("deliberate test panic", &error), GAMEYE_STATUS_INTERNAL);
    CHECK(error != NULL && gameye_error_status(error) == GAMEYE_STATUS_INTERNAL);
    CHECK(error != NULL && strstr(gameye_error_message(error), "deliberate test panic") != NULL);
    gameye_error_free(error);
    CHECK_STATUS(gameye_test_panic("again, without out_error", NULL), GAMEYE_STATUS_INTERNAL);
    CHECK(gameye_test_panic_in_accessor() == -1);
    return harness_finish("panic boundary");
}
"#;
    let path = support::build_dir().join("panic_boundary.c");
    std::fs::write(&path, source).unwrap();
    let program = compile(
        "gcc",
        &[&path],
        &["-std=c11"],
        Flavour::Sanitized,
        "panic_boundary",
    );
    let output = run(&program, &[], &native_test_server());
    assert!(String::from_utf8_lossy(&output.stdout).contains("panic boundary: 5 passed, 0 failed"));
}
