//! The one way the tool writes: stdout through [`Stdout`], which ends the process quietly with
//! exit code 0 when the reader has gone (`gameye sessions list | head -1`), stderr through
//! [`errln!`], which never fails; and every piece of server-controlled text passed through
//! [`escape`] before it reaches a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Standard output. A write to a closed pipe exits the process with status 0: the reader has
/// what it asked for (`head -1`), so the command has done its job. Rust ignores SIGPIPE, so the
/// write fails with `BrokenPipe` instead of killing the process; without this, `println!`
/// would panic.
pub struct Stdout;

impl Stdout {
    fn check<T>(result: io::Result<T>) -> io::Result<T> {
        if let Err(error) = &result {
            if error.kind() == io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
        result
    }
}

impl Write for Stdout {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        Stdout::check(io::stdout().lock().write(bytes))
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        Stdout::check(io::stdout().lock().write_all(bytes))
    }

    fn flush(&mut self) -> io::Result<()> {
        Stdout::check(io::stdout().lock().flush())
    }
}

/// Writes to stdout (see [`Stdout`]). Any other write error is ignored: there is no one left to
/// tell.
pub fn write_out(text: &str) {
    let _ = Stdout
        .write_all(text.as_bytes())
        .and_then(|()| Stdout.flush());
}

/// `println!` through [`Stdout`].
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::write_out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that never panics (a closed stderr is not a reason to crash).
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// The text with every control character (C0, DEL, C1) written as an escape: `\n`, `\r`, `\t`,
/// `\e` for ESC, `\x7f`, `\u{9b}`. Server-controlled text (ids, labels, locations, messages) goes
/// through this before a terminal sees it, so a label cannot clear the screen, move the cursor,
/// write the clipboard (OSC 52) or overwrite a line with a carriage return. Borrowed when
/// nothing needs escaping, which is nearly always.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            c if (c as u32) < 0x80 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escape`], keeping line breaks: for a log's text, which is lines.
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escape).collect();
    Cow::Owned(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_is_kept() {
        assert!(matches!(escape("plain é ✓"), Cow::Borrowed(_)));
        assert_eq!(escape("a\u{1b}]52;c;aGk=\u{7}b"), "a\\e]52;c;aGk=\\x07b");
        assert_eq!(escape("ok\rEVIL\n\t"), "ok\\rEVIL\\n\\t");
        assert_eq!(escape("\u{9b}2J\u{7f}"), "\\u{9b}2J\\x7f");
        assert_eq!(escape_lines("one\u{1b}[2J\ntwo\r\n"), "one\\e[2J\ntwo\\r\n");
    }
}
