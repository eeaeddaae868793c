//! Tables, laid out for where they go. The rule is gh's: on a terminal, aligned columns with a
//! header, fitted to the terminal's width; piped, one tab-separated line per row and no header,
//! for `cut`, `awk` and `while read`.
//!
//! Fitting a terminal, in order: the natural layout if it fits; else the columns marked
//! shrinkable (images, locations, ports, labels) truncated with "…", widest first, down to
//! their header's width; else the columns a table may lose left out, least needed first, while
//! two remain; else each row as a record (its first column on a line of its own, then "name
//! value" pairs packed into the width). A column that is not shrinkable (an id, an address) is
//! never cut. Describe's value column wraps instead of truncating: a description shows
//! everything.
//!
//! Hand-written rather than comfy-table: that crate fits a width by wrapping inside cells (a
//! UUID over two lines) and has no record layout for narrow terminals.

use std::io::IsTerminal;
use std::sync::OnceLock;

use unicode_width::UnicodeWidthStr;

use crate::output::{escape, write_out};

/// Where a table goes, decided once per run.
#[derive(Clone, Copy, Debug)]
pub struct Screen {
    /// The terminal's width in columns; `None` when stdout is not a terminal.
    pub width: Option<usize>,
    /// Whether tables have a header row (a terminal, without `--no-headers`).
    pub headers: bool,
}

static SCREEN: OnceLock<Screen> = OnceLock::new();

impl Screen {
    /// Decides where tables go for the rest of the run (first call wins).
    pub fn init(no_headers: bool) {
        SCREEN.get_or_init(|| Screen::detect(no_headers));
    }

    /// The screen [`Screen::init`] decided (a pipe, if it was never called).
    pub fn current() -> Screen {
        *SCREEN.get_or_init(|| Screen {
            width: None,
            headers: false,
        })
    }

    /// Stdout's kind and width: the terminal's size, else `COLUMNS`, else 80.
    fn detect(no_headers: bool) -> Screen {
        if !std::io::stdout().is_terminal() {
            return Screen {
                width: None,
                headers: false,
            };
        }
        let size = console::Term::stdout()
            .size_checked()
            .map(|(_, w)| w as usize);
        let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
        Screen {
            width: Some(size.or(columns).filter(|w| *w > 0).unwrap_or(80)),
            headers: !no_headers,
        }
    }
}

/// How a column behaves when the table is too wide.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Never cut (ids, statuses, counts).
    Keep,
    /// Truncated with "…" when the table is too wide.
    Shrink,
    /// Wrapped onto more lines (describe's values); only as the last column.
    Wrap,
}

pub struct Table {
    headers: Vec<&'static str>,
    fits: Vec<Fit>,
    /// The columns that may be left out on a narrow terminal, first to go first.
    drop_order: Vec<usize>,
    rows: Vec<Vec<String>>,
}

fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to `max` display columns, ending in "…" when cut.
fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` broken into lines of at most `max` columns, after ", " or a space where it can be;
/// a single word longer than `max` keeps its own line whole (an id is never split).
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_inclusive(' ') {
        if !line.is_empty() && width(&line) + width(word.trim_end()) > max {
            lines.push(line.trim_end().to_owned());
            line.clear();
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

impl Table {
    /// A table with these columns: (header, fit).
    pub fn new(columns: &[(&'static str, Fit)]) -> Table {
        Table {
            headers: columns.iter().map(|(h, _)| *h).collect(),
            fits: columns.iter().map(|(_, f)| *f).collect(),
            drop_order: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// On a terminal too narrow for every column (even truncated), these columns are left
    /// out, in this order, before the table turns into records; at least two columns stay.
    pub fn drop_order(mut self, headers: &[&str]) -> Table {
        self.drop_order = headers
            .iter()
            .map(|h| self.headers.iter().position(|x| x == h).expect("a column"))
            .collect();
        self
    }

    /// Adds a row; every cell is escaped (it may hold the server's text).
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let row: Vec<String> = cells
            .into_iter()
            .map(|c| escape(c.as_ref()).into_owned())
            .collect();
        debug_assert_eq!(row.len(), self.headers.len());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text for `screen`, each line ending in a newline.
    pub fn render(&self, screen: Screen) -> String {
        let Some(max) = screen.width else {
            return self.rows.iter().map(|row| row.join("\t") + "\n").collect();
        };
        let mut visible: Vec<usize> = (0..self.headers.len()).collect();
        let mut dropping = self.drop_order.iter();
        loop {
            if let Some(widths) = self.fit(&visible, max, screen.headers) {
                return self.lines(&visible, &widths, screen.headers);
            }
            match dropping.next() {
                Some(column) if visible.len() > 2 => visible.retain(|c| c != column),
                _ => return self.records(max),
            }
        }
    }

    /// The widths that fit the `visible` columns into `max`, shrinking or wrapping what may
    /// be; `None` when they cannot fit.
    fn fit(&self, visible: &[usize], max: usize, headers: bool) -> Option<Vec<usize>> {
        let natural: Vec<usize> = visible
            .iter()
            .map(|&c| {
                let cells = self.rows.iter().map(|r| width(&r[c]));
                let header = if headers { width(self.headers[c]) } else { 0 };
                cells.max().unwrap_or(0).max(header)
            })
            .collect();
        let total = |widths: &[usize]| widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
        let mut widths = natural.clone();
        // Shrink the widest shrinkable column by one until the table fits or none can give.
        while total(&widths) > max {
            let floor = |i: usize| width(self.headers[visible[i]]).max(4).min(natural[i]);
            let widest = (0..widths.len())
                .filter(|&i| self.fits[visible[i]] == Fit::Shrink && widths[i] > floor(i))
                .max_by_key(|&i| widths[i]);
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
        let last = widths.len() - 1;
        if total(&widths) > max && self.fits[visible[last]] == Fit::Wrap {
            let rest = total(&widths) - widths[last];
            // Worth wrapping only if the value column keeps a usable width.
            if max > rest + 16 {
                widths[last] = max - rest;
            }
            // A word wider than the column (an id) would overflow it: records instead.
            let longest = self
                .rows
                .iter()
                .flat_map(|r| r[visible[last]].split(' '))
                .map(width)
                .max()
                .unwrap_or(0);
            if longest > widths[last] {
                return None;
            }
        }
        (total(&widths) <= max).then_some(widths)
    }

    /// The `visible` columns at `widths`, aligned.
    fn lines(&self, visible: &[usize], widths: &[usize], headers: bool) -> String {
        let mut out = String::new();
        let mut line = |cells: &[&str]| {
            let parts: Vec<Vec<String>> = visible
                .iter()
                .enumerate()
                .map(|(i, &c)| (i, cells[c]))
                .map(|(i, cell)| match self.fits[visible[i]] {
                    Fit::Wrap => wrap(cell, widths[i]),
                    _ => vec![truncate(cell, widths[i])],
                })
                .collect();
            let height = parts.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                let mut text = String::new();
                for (i, part) in parts.iter().enumerate() {
                    let Some(part) = part.get(k) else { continue };
                    let start: usize = widths[..i].iter().map(|w| w + 2).sum();
                    text.push_str(&" ".repeat(start.saturating_sub(width(&text))));
                    text.push_str(part);
                }
                out.push_str(text.trim_end());
                out.push('\n');
            }
        };
        if headers {
            line(&self.headers);
        }
        for row in &self.rows {
            line(&row.iter().map(String::as_str).collect::<Vec<_>>());
        }
        out
    }

    /// Each row as a record: its first cell alone, then "name value" pairs packed into `max`
    /// columns, two spaces in (for a two-column table, the value alone, wrapped).
    fn records(&self, max: usize) -> String {
        let mut out = String::new();
        for row in &self.rows {
            out.push_str(&row[0]);
            out.push('\n');
            if row.len() == 2 {
                // A field and its value: the value wrapped under it, without a name.
                for line in wrap(&row[1], max.saturating_sub(2)) {
                    out.push_str("  ");
                    out.push_str(&line);
                    out.push('\n');
                }
                continue;
            }
            let mut line = String::new();
            for (header, cell) in self.headers.iter().zip(row).skip(1) {
                let pair = format!("{} {cell}", header.to_lowercase());
                let fits = |line: &str, pair: &str| width(line) + 3 + width(pair) <= max;
                if !line.is_empty() && !fits(&line, &pair) {
                    out.push_str(&line);
                    out.push('\n');
                    line.clear();
                }
                if line.is_empty() {
                    line.push_str("  ");
                    line.push_str(&truncate(&pair, max.saturating_sub(2).max(8)));
                } else {
                    line.push_str("   ");
                    line.push_str(&pair);
                }
            }
            if !line.is_empty() {
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    }

    /// Prints it to stdout, laid out for [`Screen::current`].
    pub fn print(&self) {
        write_out(&self.render(Screen::current()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0b7e9c1e-6a5e-4c8e-9d4f-3a2b1c0d9e8f";

    fn sessions() -> Table {
        let mut table = Table::new(&[
            ("ID", Fit::Keep),
            ("IMAGE", Fit::Shrink),
            ("STATUS", Fit::Keep),
            ("LABELS", Fit::Shrink),
        ]);
        table.row([
            ID,
            "registry.example/game-server",
            "running",
            "mode=ranked, map=dust",
        ]);
        table
    }

    fn on(width: usize) -> Screen {
        Screen {
            width: Some(width),
            headers: true,
        }
    }

    #[test]
    fn piped_rows_are_tab_separated_without_a_header() {
        let text = sessions().render(Screen {
            width: None,
            headers: false,
        });
        assert_eq!(
            text,
            format!("{ID}\tregistry.example/game-server\trunning\tmode=ranked, map=dust\n")
        );
    }

    #[test]
    fn a_wide_terminal_gets_the_natural_layout() {
        let text = sessions().render(on(120));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!(
                "ID{}  IMAGE{}  STATUS   LABELS",
                " ".repeat(34),
                " ".repeat(23)
            )
        );
        assert!(
            lines[1].ends_with("running  mode=ranked, map=dust"),
            "{text}"
        );
    }

    #[test]
    fn a_narrower_terminal_truncates_shrinkable_columns_and_never_the_id() {
        let text = sessions().render(on(72));
        for line in text.lines() {
            assert!(width(line) <= 72, "{line:?} is wider than 72");
        }
        let row = text.lines().nth(1).unwrap();
        assert!(
            row.starts_with(ID) && row.contains('…') && row.contains("running"),
            "{text}"
        );
    }

    #[test]
    fn a_table_that_may_lose_columns_loses_them_in_order_before_it_turns_into_records() {
        let table = sessions().drop_order(&["LABELS", "IMAGE"]);
        let text = table.render(on(50));
        assert_eq!(
            text.lines().next().unwrap(),
            format!("ID{}  STATUS", " ".repeat(34))
        );
        assert_eq!(text.lines().nth(1).unwrap(), format!("{ID}  running"));
        assert_eq!(table.render(on(40)).lines().next().unwrap(), ID, "records");
    }

    #[test]
    fn a_narrow_terminal_gets_records() {
        let text = sessions().render(on(40));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], ID);
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.starts_with("  ") && width(l) <= 40),
            "{text}"
        );
        assert!(text.contains("status running"), "{text}");
    }

    #[test]
    fn a_wrapped_value_column_keeps_every_word() {
        let mut table = Table::new(&[("FIELD", Fit::Keep), ("VALUE", Fit::Wrap)]);
        table.row([
            "labels",
            "a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9, j=10",
        ]);
        let text = table.render(on(30));
        assert!(text.lines().all(|l| width(l) <= 30), "{text}");
        let joined: Vec<&str> = text.lines().skip(1).map(|l| l.trim()).collect();
        assert_eq!(
            joined.join(" ").trim_start_matches("labels").trim(),
            "a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9, j=10"
        );
    }

    #[test]
    fn a_value_with_a_word_wider_than_its_column_turns_the_table_into_records() {
        let mut table = Table::new(&[("FIELD", Fit::Keep), ("VALUE", Fit::Wrap)]);
        table.row(["player count", "3"]);
        table.row(["id", ID]);
        let text = table.render(on(40));
        assert_eq!(text, format!("player count\n  3\nid\n  {ID}\n"));
        assert!(table
            .render(on(60))
            .contains(&format!("id            {ID}")));
    }

    #[test]
    fn cells_are_escaped() {
        let mut table = Table::new(&[("ID", Fit::Keep)]);
        table.row(["x\u{1b}]52;c;aGk=\u{7}\r"]);
        assert_eq!(table.render(on(80)), "ID\nx\\e]52;c;aGk=\\x07\\r\n");
    }
}
