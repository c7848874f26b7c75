//! Warnings, grouped: a leaderboard of thousands of logs can produce the same
//! complaint hundreds of times, and the user needs one line per kind of
//! problem with a count and a few examples, not a wall of text.

use std::collections::BTreeMap;
use std::fmt::{self, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::TrialError;
use crate::ingest::degenerate::Problem;
use crate::ingest::rawlog::LogWarning;

/// The level of the tree a folder is expected at (`file where a <level>
/// folder is expected`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    Submission,
    Study,
    Workload,
    Trial,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Submission => "submission",
            Level::Study => "study",
            Level::Workload => "workload",
            Level::Trial => "trial",
        })
    }
}

/// One warning, one variant per kind of problem, with what locates it.
/// Its text ([`Warning::kind`], [`Warning::location`], `Display`) and
/// whether `--strict` makes it fatal ([`Warning::fatal_under_strict`]) are
/// decided here and nowhere else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Warning {
    /// A name starting with `.` (not part of the layout).
    HiddenEntry {
        #[serde(with = "lossy_path")]
        path: PathBuf,
    },
    NonUtf8Name {
        #[serde(with = "lossy_path")]
        path: PathBuf,
    },
    /// A symlink to a folder that contains it.
    SymlinkLoop {
        #[serde(with = "lossy_path")]
        path: PathBuf,
    },
    /// An entry whose type cannot be read (`reason`: the I/O error's kind).
    UnreadableEntry {
        #[serde(with = "lossy_path")]
        path: PathBuf,
        reason: String,
    },
    /// A folder inside the tree that cannot be listed.
    UnreadableFolder {
        #[serde(with = "lossy_path")]
        path: PathBuf,
        reason: String,
    },
    /// A file where a `expected` folder belongs.
    StrayFile {
        #[serde(with = "lossy_path")]
        path: PathBuf,
        expected: Level,
    },
    StudyWithoutWorkloads {
        #[serde(with = "lossy_path")]
        path: PathBuf,
    },
    /// A folder of a study not named `<workload>_<framework>`.
    NotAWorkloadFolder {
        submission: String,
        study: String,
        folder: String,
        frameworks: Vec<String>,
    },
    /// A workload folder (or cached trial) of a workload the spec's
    /// targets file does not know.
    NoTarget {
        workload: String,
        submission: String,
        study: String,
        folder: String,
    },
    NotATrialFolder {
        #[serde(with = "lossy_path")]
        path: PathBuf,
    },
    /// `--source logs` on a workload folder without `*.log`.
    NoRawLogs {
        #[serde(with = "lossy_path")]
        path: PathBuf,
    },
    /// A trial file that cannot be scored (or, for a clock going
    /// backwards, is scored in file order).
    Trial(TrialError),
    /// A raw-log line skipped instead of read.
    MalformedLogLine(LogWarning),
    /// A degenerate result let through by `--allow-empty`.
    Degenerate(Problem),
    /// A submission without some of the spec's workloads.
    MissingWorkloads {
        submission: String,
        expected: usize,
        found: usize,
        missing: Vec<String>,
    },
    /// A workload a submission ran that the spec does not score.
    UnscoredWorkload {
        submission: String,
        workload: String,
    },
    StudyCount {
        submission: String,
        workload: String,
        expected: usize,
        found: usize,
    },
    TrialCount {
        submission: String,
        study: String,
        workload: String,
        expected: usize,
        found: usize,
    },
    /// A base (or held-out) workload no submission ran.
    WorkloadNobodyRan { workload: String, held_out: bool },
    /// The reference submission of a ratio did not run the workload.
    ReferenceMissed { workload: String },
    /// A submission name too long for its summary file's name.
    LongSummaryName { submission: String, file: String },
}

impl Warning {
    /// What is wrong, without where: the grouping key of the warnings'
    /// summary (`warning: <kind> (N×: …)`).
    pub fn kind(&self) -> String {
        use Warning::*;
        match self {
            HiddenEntry { .. } => "hidden file or folder ignored".into(),
            NonUtf8Name { .. } => "name is not valid UTF-8, skipped".into(),
            SymlinkLoop { .. } => "symlink to a folder that contains it (a loop), skipped".into(),
            UnreadableEntry { reason, .. } => format!("unreadable entry skipped ({reason})"),
            UnreadableFolder { .. } => "unreadable folder, skipped".into(),
            StrayFile { expected, .. } => {
                format!("file where a {expected} folder is expected, ignored")
            }
            StudyWithoutWorkloads { .. } => {
                "study folder without any workload folder, skipped".into()
            }
            NotAWorkloadFolder { frameworks, .. } => format!(
                "folder is not a workload folder <workload>_<{}>, ignored",
                frameworks.join("|")
            ),
            NoTarget { workload, .. } => {
                format!("workload `{workload}` has no target in this spec's targets file, ignored")
            }
            NotATrialFolder { .. } => "folder is not a trial folder trial_<n>, ignored".into(),
            NoRawLogs { .. } => "workload folder without raw logs (*.log), skipped".into(),
            Trial(e) => e.kind(),
            MalformedLogLine(_) => "malformed raw log line, skipped".into(),
            Degenerate(p) => p.summary.clone(),
            MissingWorkloads {
                expected, found, ..
            } => format!("expected {expected} workloads, found {found}"),
            UnscoredWorkload { .. } => {
                "workload ran but not scored by this spec (its summary rows are still written)"
                    .into()
            }
            StudyCount {
                expected, found, ..
            } => format!("expected {expected} studies, found {found}"),
            TrialCount {
                expected, found, ..
            } => format!("expected {expected} trials per study, found {found}"),
            WorkloadNobodyRan { held_out, .. } => format!(
                "{} workload that no submission ran: it counts as unsolved for everyone",
                if *held_out { "held-out" } else { "base" }
            ),
            ReferenceMissed { .. } => {
                "the reference submission did not run this workload: nobody is solved on it".into()
            }
            LongSummaryName { file, .. } => format!(
                "submission name too long for a file name; its summary is written as {file}"
            ),
        }
    }

    /// Where: a path (with a line and the detail, for a trial file), or
    /// submission/study/workload.
    pub fn location(&self) -> String {
        use Warning::*;
        match self {
            HiddenEntry { path }
            | NonUtf8Name { path }
            | SymlinkLoop { path }
            | UnreadableEntry { path, .. }
            | StrayFile { path, .. }
            | StudyWithoutWorkloads { path }
            | NotATrialFolder { path }
            | NoRawLogs { path } => path.display().to_string(),
            UnreadableFolder { path, reason } => format!("{}: {reason}", path.display()),
            NotAWorkloadFolder {
                submission,
                study,
                folder,
                ..
            }
            | NoTarget {
                submission,
                study,
                folder,
                ..
            } => format!("{submission}/{study}/{folder}"),
            Trial(e) => e.to_string(),
            MalformedLogLine(w) => w.to_string(),
            Degenerate(p) => format!("{}{}", p.location, p.detail),
            MissingWorkloads {
                submission,
                missing,
                ..
            } => format!("{submission} (missing {})", missing.join(", ")),
            UnscoredWorkload {
                submission,
                workload,
            }
            | StudyCount {
                submission,
                workload,
                ..
            } => format!("{submission}/{workload}"),
            TrialCount {
                submission,
                study,
                workload,
                ..
            } => format!("{submission}/{study}/{workload}"),
            WorkloadNobodyRan { workload, .. } | ReferenceMissed { workload } => workload.clone(),
            LongSummaryName { submission, .. } => submission.clone(),
        }
    }

    /// Whether `--strict` turns this warning into an error. The notes that
    /// stay warnings are about what this spec does not score (a hidden or
    /// stray entry, a workload without a target) or how a file is named,
    /// never about data that was dropped.
    pub fn fatal_under_strict(&self) -> bool {
        use Warning::*;
        !matches!(
            self,
            HiddenEntry { .. }
                | StrayFile { .. }
                | NotAWorkloadFolder { .. }
                | NoTarget { .. }
                | NotATrialFolder { .. }
                | UnscoredWorkload { .. }
                | LongSummaryName { .. }
        )
    }

    /// (kind, location, fatal): the order and identity of warnings.
    fn key(&self) -> (String, String, bool) {
        (self.kind(), self.location(), self.fatal_under_strict())
    }
}

/// `<location>: <kind>`, as `--strict` lists the warnings it fails on.
impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.kind())
    }
}

/// Every warning of a run, in a deterministic order.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Warnings {
    items: Vec<Warning>,
}

/// Paths in warnings and trial errors are kept as the text they are shown
/// as: a results cache holds a warning about a name that is not UTF-8 (which
/// serde's own `PathBuf` encoding refuses).
pub mod lossy_path {
    use std::path::{Path, PathBuf};

    pub fn serialize<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&path.to_string_lossy())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        <String as serde::Deserialize>::deserialize(d).map(PathBuf::from)
    }
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
    /// Records a warning (whether `--strict` makes it fatal is the
    /// warning's own [`Warning::fatal_under_strict`]).
    pub fn push(&mut self, warning: Warning) {
        self.items.push(warning);
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

    /// All warnings, sorted by kind, then location; a warning given twice
    /// is listed once.
    pub fn items(&self) -> Vec<&Warning> {
        let mut keyed: Vec<((String, String, bool), &Warning)> =
            self.items.iter().map(|w| (w.key(), w)).collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        keyed.into_iter().map(|(_, w)| w).collect()
    }

    /// The warnings `--strict` turns into errors.
    pub fn fatal_under_strict(&self) -> Vec<&Warning> {
        self.items()
            .into_iter()
            .filter(|w| w.fatal_under_strict())
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
                    escape_controls(&w.kind()).into_owned(),
                    escape_controls(&w.location()).into_owned(),
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
                items.len(),
                if items.len() == 1 { "" } else { "s" },
                groups.len(),
                if groups.len() == 1 { "" } else { "s" }
            );
        }
        out
    }
}
