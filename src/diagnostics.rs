//! Warnings, grouped: a leaderboard of thousands of logs can produce the same
//! complaint hundreds of times, and the user needs one line per kind of
//! problem with a count and a few examples, not a wall of text.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::ingest::{LogWarning, Problem, TrialError};

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
/// Its text ([`Warning::kind`], [`Warning::location`]) is decided here and
/// nowhere else; every view of it (the run's summary on stderr, the JSON
/// and HTML reports, `--strict`, `check`) renders its
/// [`model::Diagnostic`].
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
    /// A workload time of 0 s: no real run reaches a target at once (a
    /// clock never started, a wrong time column). Scored as the rules say
    /// (SCORING.md §6: ratio 1 for it, ∞ for every positive time), but
    /// worth a look.
    ZeroTime {
        submission: String,
        workload: String,
    },
    /// A folder of a study named `<workload>_<suffix>` whose workload the
    /// targets file knows but whose suffix is not one of the spec's
    /// frameworks. (Last, so that a results cache written before it still
    /// reads.)
    UnknownFramework {
        submission: String,
        study: String,
        folder: String,
        frameworks: Vec<String>,
    },
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
            UnknownFramework {
                folder, frameworks, ..
            } => format!(
                "framework suffix `{}` is not one of the spec's ({}): the folder is not scored",
                folder.rsplit_once('_').map_or("", |(_, suffix)| suffix),
                frameworks.join(", ")
            ),
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
            ZeroTime { .. } => "time to target is 0 s, which is suspicious: it is the \
                                workload's best time (ratio 1), and every positive time's \
                                ratio against it is ∞"
                .into(),
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
            }
            | UnknownFramework {
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
            }
            | ZeroTime {
                submission,
                workload,
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

    /// Whether `--strict` turns this warning into an error: its code's
    /// ([`codes::Code::fatal_under_strict`]).
    pub fn fatal_under_strict(&self) -> bool {
        self.code().fatal_under_strict()
    }

    /// (kind, location, fatal): the order and identity of warnings.
    fn key(&self) -> (String, String, bool) {
        (self.kind(), self.location(), self.fatal_under_strict())
    }
}

/// Every warning of a run, in a deterministic order.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Warnings {
    items: Vec<Warning>,
}

pub mod codes;
pub mod lossy_path;
pub mod model;

/// `text` with every control character (an escape sequence in a folder
/// name, a newline, a tab) and every invisible bidirectional-text control
/// (U+202E right-to-left override and its kin, which reorder what a reader
/// sees) written as a Rust escape (`\u{1b}`, `\n`, `\u{202e}`), so that a
/// name cannot move the cursor, recolour the terminal, start a new line
/// (a GitHub workflow command such as `::error …` is read at the start of
/// a line) or disguise itself. Text without one is returned as it is. The
/// one escaping of every human-readable output.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls_but(text, &[])
}

/// Whether a character is escaped: a control character, or an invisible
/// character that changes how the text around it is shown (bidi embeddings,
/// overrides, isolates and marks; the line and paragraph separators).
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// [`escape_controls`], leaving the characters in `keep` (an error's `\n`
/// between its first line and its details).
pub fn escape_controls_but<'a>(text: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    let escaped = |c: char| is_hidden_control(c) && !keep.contains(&c);
    if !text.chars().any(escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

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

    /// Every warning as a diagnostic, in [`Warnings::items`]' order: what
    /// every view of a run's warnings renders.
    pub fn diagnostics(&self) -> Vec<model::Diagnostic> {
        self.items()
            .into_iter()
            .map(model::Diagnostic::from)
            .collect()
    }

    /// The warnings `--strict` turns into errors, as diagnostics.
    pub fn fatal_under_strict(&self) -> Vec<model::Diagnostic> {
        (self.diagnostics().into_iter())
            .filter(|d| d.fatal_under_strict())
            .collect()
    }

    /// The run's summary on stderr ([`model::terminal_summary`]).
    pub fn render(&self) -> String {
        model::terminal_summary(&self.diagnostics())
    }
}

/// The one measure of "close" for every unknown name the engine reports
/// (spec names and functions, workloads, submissions, columns, frameworks,
/// check codes), so that a typo gets the same help everywhere.
/// ` (did you mean `x`?)` for the candidate closest to `name`, if one is
/// close; ` (did you mean
/// one of `x`, `y`?)` when several are equally close.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let close = closest(name, candidates);
    let quoted: Vec<String> = close.iter().map(|k| format!("`{k}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => format!(" (did you mean {}?)", quoted[0]),
        _ => format!(" (did you mean one of {}?)", quoted.join(", ")),
    }
}

/// The candidates at the smallest distance from `name`, if it is small.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|k| {
            // A name that is a prefix of a candidate (`shampoo` of
            // `shampoo_submission`) is as good as a close spelling.
            let d = if k == name {
                0
            } else if k.starts_with(name) && !name.is_empty() {
                1
            } else {
                strsim::damerau_levenshtein(name, k)
            };
            (d, k)
        })
        .filter(|(d, k)| *d > 0 && *d <= 2.max(k.chars().count() / 5))
        .collect();
    let Some(best) = scored.iter().map(|(d, _)| *d).min() else {
        return Vec::new();
    };
    let mut out: Vec<&str> = scored
        .into_iter()
        .filter(|(d, _)| *d == best)
        .map(|(_, k)| k)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_measure_of_close_names() {
        let known = [
            "median",
            "mean",
            "shampoo_submission",
            "lawa_ema",
            "lawa_queue",
        ];
        assert_eq!(did_you_mean("medain", known), " (did you mean `median`?)");
        // A prefix is as close as a typo; equally close names are all given.
        assert_eq!(
            did_you_mean("shampoo", known),
            " (did you mean `shampoo_submission`?)"
        );
        assert_eq!(
            did_you_mean("lawa", known),
            " (did you mean one of `lawa_ema`, `lawa_queue`?)"
        );
        assert_eq!(did_you_mean("adamw", known), "");
        assert_eq!(
            closest("mean", ["mean"]),
            Vec::<&str>::new(),
            "an exact name is not a suggestion"
        );
    }
    use crate::error::ingest::TrialProblem;

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    /// Every variant: its kind (the grouping key), its location, and whether
    /// `--strict` makes it fatal — the texts the engine has always printed.
    #[allow(clippy::type_complexity)]
    fn table() -> Vec<(Warning, &'static str, &'static str, bool)> {
        use Warning::*;
        let trial = |problem| {
            Trial(TrialError {
                path: p("s/a/study_0/wmt_jax/trial_1/eval_measurements.csv"),
                line: Some(3),
                problem,
            })
        };
        vec![
            (HiddenEntry { path: p("s/.git") }, "hidden file or folder ignored", "s/.git", false),
            (NonUtf8Name { path: p("s/x") }, "name is not valid UTF-8, skipped", "s/x", true),
            (
                SymlinkLoop { path: p("s/a/l") },
                "symlink to a folder that contains it (a loop), skipped",
                "s/a/l",
                true,
            ),
            (
                UnreadableEntry { path: p("s/a/e"), reason: s("permission denied") },
                "unreadable entry skipped (permission denied)",
                "s/a/e",
                true,
            ),
            (
                UnreadableFolder { path: p("s/a"), reason: s("Permission denied (os error 13)") },
                "unreadable folder, skipped",
                "s/a: Permission denied (os error 13)",
                true,
            ),
            (
                StrayFile { path: p("s/a/notes.txt"), expected: Level::Study },
                "file where a study folder is expected, ignored",
                "s/a/notes.txt",
                false,
            ),
            (
                StrayFile { path: p("s/a/st/wl/trial_1"), expected: Level::Trial },
                "file where a trial folder is expected, ignored",
                "s/a/st/wl/trial_1",
                false,
            ),
            (
                StudyWithoutWorkloads { path: p("s/a/study_0") },
                "study folder without any workload folder, skipped",
                "s/a/study_0",
                true,
            ),
            (
                NotAWorkloadFolder {
                    submission: s("a"),
                    study: s("study_0"),
                    folder: s("wmt_tf"),
                    frameworks: vec![s("jax"), s("pytorch")],
                },
                "folder is not a workload folder <workload>_<jax|pytorch>, ignored",
                "a/study_0/wmt_tf",
                false,
            ),
            (
                NoTarget {
                    workload: s("mnist"),
                    submission: s("a"),
                    study: s("study_0"),
                    folder: s("mnist_jax"),
                },
                "workload `mnist` has no target in this spec's targets file, ignored",
                "a/study_0/mnist_jax",
                false,
            ),
            (
                UnknownFramework {
                    submission: s("a"),
                    study: s("study_0"),
                    folder: s("wmt_tf"),
                    frameworks: vec![s("jax"), s("pytorch")],
                },
                "framework suffix `tf` is not one of the spec's (jax, pytorch): the folder is not scored",
                "a/study_0/wmt_tf",
                false,
            ),
            (
                NotATrialFolder { path: p("s/a/st/wl/run_1") },
                "folder is not a trial folder trial_<n>, ignored",
                "s/a/st/wl/run_1",
                false,
            ),
            (
                NoRawLogs { path: p("s/a/st/wmt_jax") },
                "workload folder without raw logs (*.log), skipped",
                "s/a/st/wmt_jax",
                true,
            ),
            (
                trial(TrialProblem::NotANumber { column: s("score"), value: s("x") }),
                "eval_measurements.csv with a non-numeric `score` value, trial skipped",
                "s/a/study_0/wmt_jax/trial_1/eval_measurements.csv:3: `score` value `x` is not a number",
                true,
            ),
            (
                trial(TrialProblem::TimeBackwards { column: s("score") }),
                "eval_measurements.csv whose `score` goes backwards, scored in file order",
                "s/a/study_0/wmt_jax/trial_1/eval_measurements.csv:3: `score` goes backwards",
                true,
            ),
            (
                MalformedLogLine(LogWarning { file: p("s/a/w.log"), line: 7, message: s("bad dict") }),
                "malformed raw log line, skipped",
                "s/a/w.log:7: bad dict",
                true,
            ),
            (
                Degenerate(Problem {
                    location: s("--include x"),
                    summary: s("no submission `x` in s"),
                    detail: s(" (found: a)"),
                }),
                "no submission `x` in s",
                "--include x (found: a)",
                true,
            ),
            (
                MissingWorkloads {
                    submission: s("a"),
                    expected: 8,
                    found: 6,
                    missing: vec![s("ogbg"), s("wmt")],
                },
                "expected 8 workloads, found 6",
                "a (missing ogbg, wmt)",
                true,
            ),
            (
                UnscoredWorkload { submission: s("a"), workload: s("mnist") },
                "workload ran but not scored by this spec (its summary rows are still written)",
                "a/mnist",
                false,
            ),
            (
                StudyCount { submission: s("a"), workload: s("wmt"), expected: 5, found: 3 },
                "expected 5 studies, found 3",
                "a/wmt",
                true,
            ),
            (
                TrialCount {
                    submission: s("a"),
                    study: s("study_0"),
                    workload: s("wmt"),
                    expected: 5,
                    found: 4,
                },
                "expected 5 trials per study, found 4",
                "a/study_0/wmt",
                true,
            ),
            (
                WorkloadNobodyRan { workload: s("wmt"), held_out: false },
                "base workload that no submission ran: it counts as unsolved for everyone",
                "wmt",
                true,
            ),
            (
                WorkloadNobodyRan { workload: s("wmt_glu_tanh"), held_out: true },
                "held-out workload that no submission ran: it counts as unsolved for everyone",
                "wmt_glu_tanh",
                true,
            ),
            (
                ReferenceMissed { workload: s("ogbg") },
                "the reference submission did not run this workload: nobody is solved on it",
                "ogbg",
                true,
            ),
            (
                LongSummaryName { submission: s("long"), file: s("lo-1a2b_summary.csv") },
                "submission name too long for a file name; its summary is written as lo-1a2b_summary.csv",
                "long",
                false,
            ),
        ]
    }

    /// ... and its diagnostic says the same to every view: the kind as
    /// its summary, the location as its example, `--strict`'s line.
    #[test]
    fn each_variant_has_its_kind_location_display_and_strictness() {
        for (w, kind, location, fatal) in table() {
            assert_eq!(w.kind(), kind, "{w:?}");
            assert_eq!(w.location(), location, "{w:?}");
            assert_eq!(w.fatal_under_strict(), fatal, "{w:?}");
            let d = model::Diagnostic::from(&w);
            assert_eq!(d.summary(), kind, "{w:?}");
            assert_eq!(d.example(), location, "{w:?}");
            assert_eq!(d.strict_line(), format!("{location}: {kind}"), "{w:?}");
            assert_eq!(d.fatal_under_strict(), fatal, "{w:?}");
        }
    }

    /// Warnings of one kind are one line with a count and three examples;
    /// a warning given twice counts once.
    #[test]
    fn warnings_group_by_kind() {
        let mut ws = Warnings::default();
        for (submission, found) in [("d", 3), ("a", 3), ("c", 3), ("b", 3), ("e", 4)] {
            ws.push(Warning::StudyCount {
                submission: s(submission),
                workload: s("wmt"),
                expected: 5,
                found,
            });
        }
        ws.push(Warning::HiddenEntry { path: p("s/.git") });
        ws.push(Warning::HiddenEntry { path: p("s/.git") });
        assert_eq!(ws.len(), 7);
        assert_eq!(ws.items().len(), 6);
        assert_eq!(
            ws.render(),
            "warning: expected 5 studies, found 3 (4×: a/wmt, b/wmt, c/wmt, …)\n\
             warning: expected 5 studies, found 4 (e/wmt)\n\
             warning: hidden file or folder ignored (s/.git)\n\
             6 warnings of 3 kinds\n"
        );
    }

    /// Every warning's code is one the registry says a run reports, and
    /// its diagnostic says what the warning says: its kind, at its file or
    /// place (a trial's and a log line's problem at their file and line).
    #[test]
    fn each_warning_has_a_run_code_and_its_own_words() {
        use model::Diagnostic;
        for (w, kind, location, _) in table() {
            let code = w.code();
            assert!(
                matches!(
                    code.reporter(),
                    codes::Reporter::Run | codes::Reporter::RunAndCheck
                ),
                "{w:?}: {}",
                code.name()
            );
            let d = Diagnostic::from(&w);
            assert_eq!(d.code, code);
            let said = format!("{}: {}", d.location(), d.message);
            match &w {
                Warning::Trial(_) | Warning::MalformedLogLine(_) => {
                    assert_eq!(said, location, "{w:?}")
                }
                Warning::UnreadableFolder { .. } => {
                    assert_eq!(
                        said,
                        format!("s/a: {kind}: Permission denied (os error 13)")
                    )
                }
                _ => assert_eq!(said, format!("{location}: {kind}"), "{w:?}"),
            }
        }
    }

    /// `--strict` fails on the warnings whose variant is fatal, and on no other.
    #[test]
    fn strict_fatalness_comes_from_the_variant() {
        let mut notes = Warnings::default();
        for (w, _, _, fatal) in table() {
            if !fatal {
                notes.push(w);
            }
        }
        assert!(notes.fatal_under_strict().is_empty());

        let mut all = notes.clone();
        let fatal = [
            Warning::ReferenceMissed {
                workload: s("ogbg"),
            },
            Warning::NoRawLogs {
                path: p("s/a/st/wmt_jax"),
            },
        ];
        for w in &fatal {
            all.push(w.clone());
        }
        let fatal: Vec<model::Diagnostic> = fatal.iter().map(model::Diagnostic::from).collect();
        assert_eq!(all.fatal_under_strict(), fatal);
    }

    /// Warnings go into the results cache; a name that is not UTF-8 (the
    /// very thing one warning is about) is kept as it is shown.
    #[cfg(unix)]
    #[test]
    fn warnings_round_trip_through_bincode_with_a_non_utf8_path() {
        use std::os::unix::ffi::OsStrExt;
        let path = PathBuf::from(std::ffi::OsStr::from_bytes(b"s/a\xff"));
        let mut ws = Warnings::default();
        ws.push(Warning::NonUtf8Name { path });
        for (w, ..) in table() {
            ws.push(w);
        }
        let bytes = bincode::serialize(&ws).expect("encode");
        let back: Warnings = bincode::deserialize(&bytes).expect("decode");
        assert_eq!(back.render(), ws.render());
        assert!(back.render().contains("s/a\u{fffd}"));
    }
}
