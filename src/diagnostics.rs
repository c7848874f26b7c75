//! Warnings, grouped: a leaderboard of thousands of logs can produce the same
//! complaint hundreds of times, and the user needs one line per kind of
//! problem with a count and a few examples, not a wall of text.

use std::collections::BTreeMap;
use std::fmt::Write;

/// One warning: `summary` says what is wrong (and is the grouping key),
/// `location` says where (a path, or submission/study/workload).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    pub summary: String,
    pub location: String,
    /// Whether `--strict` turns this warning into an error.
    pub strict_fatal: bool,
}

/// Every warning of a run, in a deterministic order.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Warnings {
    items: Vec<Warning>,
}

/// `text` with every control character (an escape sequence in a folder
/// name, a newline, a tab) written as a Rust escape (`\u{1b}`, `\n`), so
/// that a name cannot move the cursor or recolour the terminal, and every
/// warning stays on one line. Text without one is returned as it is.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls_but(text, &[])
}

/// [`escape_controls`], leaving the characters in `keep` (an error's `\n`
/// between its first line and its details).
pub fn escape_controls_but<'a>(text: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    if !text.chars().any(|c| c.is_control() && !keep.contains(&c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && !keep.contains(&c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// How many example locations a grouped warning line shows.
const EXAMPLES: usize = 3;

impl Warnings {
    /// Records a warning that `--strict` makes fatal.
    pub fn push(&mut self, summary: impl Into<String>, location: impl Into<String>) {
        self.items.push(Warning {
            summary: summary.into(),
            location: location.into(),
            strict_fatal: true,
        });
    }

    /// Records a warning that stays a warning under `--strict` (e.g. a folder
    /// this spec does not score).
    pub fn note(&mut self, summary: impl Into<String>, location: impl Into<String>) {
        self.items.push(Warning {
            summary: summary.into(),
            location: location.into(),
            strict_fatal: false,
        });
    }

    /// Adds all of `other`'s warnings.
    pub fn extend(&mut self, other: Warnings) {
        self.items.extend(other.items);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// All warnings, sorted.
    pub fn items(&self) -> Vec<&Warning> {
        let mut v: Vec<&Warning> = self.items.iter().collect();
        v.sort();
        v.dedup();
        v
    }

    /// The warnings `--strict` turns into errors.
    pub fn fatal_under_strict(&self) -> Vec<&Warning> {
        self.items()
            .into_iter()
            .filter(|w| w.strict_fatal)
            .collect()
    }

    /// One line per distinct problem: `warning: <summary> (N×: a, b, c, …)`.
    pub fn render(&self) -> String {
        let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let items = self.items();
        let escaped: Vec<(String, String)> = items
            .iter()
            .map(|w| {
                (
                    escape_controls(&w.summary).into_owned(),
                    escape_controls(&w.location).into_owned(),
                )
            })
            .collect();
        for (summary, location) in &escaped {
            groups.entry(summary).or_default().push(location);
        }
        let mut out = String::new();
        for (summary, locations) in &groups {
            let n = locations.len();
            let shown: Vec<&str> = locations.iter().take(EXAMPLES).copied().collect();
            let more = if n > EXAMPLES { ", …" } else { "" };
            if n == 1 {
                let _ = writeln!(out, "warning: {summary} ({})", shown.join(", "));
            } else {
                let _ = writeln!(out, "warning: {summary} ({n}×: {}{more})", shown.join(", "));
            }
        }
        if !groups.is_empty() {
            let _ = writeln!(
                out,
                "{} warning{} of {} kind{}",
                self.items().len(),
                if self.items().len() == 1 { "" } else { "s" },
                groups.len(),
                if groups.len() == 1 { "" } else { "s" }
            );
        }
        out
    }
}
