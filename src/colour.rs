//! Colour on a terminal: `error:`, `warning:` and `note:` prefixes styled
//! on standard error. `anstream` (already under clap) strips the styles
//! when standard error is not a terminal, when `NO_COLOR` is set, and with
//! `--color never`; `--color always` keeps them (for a pager that shows
//! them).

use anstyle::{AnsiColor, Style};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum When {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Sets the choice for every later write of the process.
pub fn set(when: When) {
    let choice = match when {
        When::Auto => anstream::ColorChoice::Auto,
        When::Always => anstream::ColorChoice::Always,
        When::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

const PREFIXES: [(&str, Style); 3] = [
    (
        "error:",
        Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red))),
    ),
    (
        "warning:",
        Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow))),
    ),
    (
        "note:",
        Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan))),
    ),
];

/// `text` with each line's `error:` / `warning:` / `note:` prefix styled.
pub fn styled(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for line in text.split_inclusive('\n') {
        match PREFIXES.iter().find(|(p, _)| line.starts_with(p)) {
            Some((p, style)) => {
                out.push_str(&format!("{style}{p}{style:#}"));
                out.push_str(&line[p.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Writes `text` to standard error, styled where colour is on. A failed
/// write is ignored: a closed standard error has nobody left to tell.
pub fn eprint(text: &str) {
    use std::io::Write;
    let mut err = anstream::stderr().lock();
    let _ = err
        .write_all(styled(text).as_bytes())
        .and_then(|()| err.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_line_prefixes_are_styled() {
        let s = styled("warning: a\nplain warning: b\nerror: c");
        assert!(s.starts_with("\u{1b}["));
        assert!(s.contains("plain warning: b"));
        assert_eq!(
            anstream::adapter::strip_str(&s).to_string(),
            "warning: a\nplain warning: b\nerror: c"
        );
    }
}
