//! Errors of reading a submissions tree: the tree itself (a missing or
//! unreadable submissions folder), one trial's file ([`TrialError`], a
//! warning outside `--strict`), a raw-log line skipped ([`LogWarning`]) and
//! a degenerate result ([`Problem`], nothing to score).

use std::fmt;
use std::path::PathBuf;

/// The name of a trial's measurements file (named by the problems with it).
pub const MEASUREMENTS: &str = "eval_measurements.csv";

/// Errors that stop ingestion.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The caller cancelled the read (Ctrl-C in Python).
    #[error("interrupted")]
    Interrupted,
    #[error("{}: submissions folder does not exist", path.display())]
    NoSubmissions { path: PathBuf },
    #[error("{}: not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("{}: cannot read folder: {source}", path.display())]
    ReadDir {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A run that would produce an empty or meaningless result: nothing
    /// selected, nothing read, a spec column found nowhere (`--allow-empty`
    /// turns these back into warnings).
    #[error("{}", degenerate(.0))]
    Degenerate(Vec<Problem>),
}

/// One degenerate result: `<location>: <summary><detail>`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// Where: a folder, or the option that selected nothing.
    pub location: String,
    /// What, without values (the warning's grouping key).
    pub summary: String,
    /// What was found instead, did-you-mean: ` (…)`.
    pub detail: String,
}

impl Problem {
    pub(crate) fn line(&self) -> String {
        format!("{}: {}{}", self.location, self.summary, self.detail)
    }
}

/// One problem on the first line; several after a first line saying how many.
fn degenerate(problems: &[Problem]) -> String {
    if let [p] = problems {
        return format!("{} (--allow-empty scores anyway)", p.line());
    }
    let lines: Vec<String> = problems.iter().map(|p| format!("  {}", p.line())).collect();
    format!(
        "{} problems leave the result empty or meaningless (--allow-empty scores anyway):\n{}",
        problems.len(),
        lines.join("\n")
    )
}

/// What is wrong with one trial's `eval_measurements.csv`. Outside `--strict`
/// the trial is skipped with a warning; with it, the run fails.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TrialProblem {
    /// The trial folder has no eval_measurements.csv.
    Missing,
    Unreadable(String),
    Empty,
    NotUtf8,
    MissingColumn(String),
    WrongFieldCount {
        expected: usize,
        found: usize,
    },
    NotANumber {
        column: String,
        value: String,
    },
    TimeBackwards {
        column: String,
    },
    /// A time below zero (a clock that cannot be right; it would change the
    /// other submissions' ratios).
    NegativeTime {
        column: String,
        value: f64,
    },
    /// The evaluation that first reaches the target has no usable time
    /// (empty, NaN or infinite): the trial's time-to-target is unknown.
    NoTimeAtTarget {
        column: String,
    },
    /// A raw-log trial none of whose evaluations has this key.
    MissingLogKey {
        key: String,
        trial: String,
    },
}

impl fmt::Display for TrialProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrialProblem::Missing => write!(f, "file missing"),
            TrialProblem::Unreadable(e) => write!(f, "cannot read file: {e}"),
            TrialProblem::Empty => write!(f, "empty file (no header)"),
            TrialProblem::NotUtf8 => write!(f, "header is not UTF-8 text"),
            TrialProblem::MissingColumn(c) => write!(f, "no `{c}` column in the header"),
            TrialProblem::WrongFieldCount { expected, found } => {
                write!(f, "row has {found} fields, the header has {expected}")
            }
            TrialProblem::NotANumber { column, value } => {
                write!(f, "`{column}` value `{value}` is not a number")
            }
            TrialProblem::TimeBackwards { column } => write!(f, "`{column}` goes backwards"),
            TrialProblem::NegativeTime { column, value } => {
                write!(f, "`{column}` value `{value}` is negative")
            }
            TrialProblem::NoTimeAtTarget { column } => write!(
                f,
                "no `{column}` value (empty, NaN or infinite) at the evaluation that first reaches the target"
            ),
            TrialProblem::MissingLogKey { key, trial } => {
                write!(f, "no `{key}` key in the evaluations of {trial}")
            }
        }
    }
}

impl TrialProblem {
    /// The grouping key of this problem's warning in an eval_measurements.csv.
    pub fn kind(&self) -> String {
        self.kind_in(MEASUREMENTS)
    }

    /// Whether the trial is still scored (a note rather than a skip).
    pub fn keeps_trial(&self) -> bool {
        matches!(self, TrialProblem::TimeBackwards { .. })
    }

    /// The grouping key of this problem's warning (no values, no paths), in
    /// a file called `file` (`eval_measurements.csv`, `raw log`).
    pub fn kind_in(&self, file: &str) -> String {
        match self {
            TrialProblem::Missing => "trial folder without eval_measurements.csv, skipped".into(),
            TrialProblem::Unreadable(_) => format!("unreadable {file}, trial skipped"),
            TrialProblem::MissingLogKey { key, .. } => {
                format!("{file} without a `{key}` key, trial skipped")
            }
            TrialProblem::NegativeTime { column, .. } => {
                format!("{file} with a negative `{column}`, trial skipped")
            }
            TrialProblem::NoTimeAtTarget { column } => {
                format!("{file} without a `{column}` where the target is reached, trial skipped")
            }
            TrialProblem::TimeBackwards { column } => {
                format!("{file} whose `{column}` goes backwards, scored in file order")
            }
            TrialProblem::Empty => format!("empty {file}, trial skipped"),
            TrialProblem::NotUtf8 => format!("{file} header is not UTF-8, trial skipped"),
            TrialProblem::MissingColumn(c) => {
                format!("{file} without a `{c}` column, trial skipped")
            }
            TrialProblem::WrongFieldCount { .. } => {
                format!("{file} row with the wrong number of fields, trial skipped")
            }
            TrialProblem::NotANumber { column, .. } => {
                format!("{file} with a non-numeric `{column}` value, trial skipped")
            }
        }
    }
}

/// A problem with one trial file, located.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrialError {
    #[serde(with = "crate::diagnostics::lossy_path")]
    pub path: PathBuf,
    /// 1-based line of the CSV, where the problem is on one line.
    pub line: Option<u64>,
    pub problem: TrialProblem,
}

impl TrialError {
    /// The grouping key of this problem's warning, naming the kind of file.
    pub fn kind(&self) -> String {
        let is_csv = self.path.file_name().is_some_and(|n| n == MEASUREMENTS);
        self.problem
            .kind_in(if is_csv { MEASUREMENTS } else { "raw log" })
    }
}

impl fmt::Display for TrialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.problem),
            None => write!(f, "{}: {}", self.path.display(), self.problem),
        }
    }
}

/// Something in a log that was skipped instead of read (a malformed
/// evaluation line, a non-numeric value, …). Not fatal here, so that the
/// rest of the log is still read; `--strict` makes it fatal upstream.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogWarning {
    /// The log file (as given, or as found in the folder).
    #[serde(with = "crate::diagnostics::lossy_path")]
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// What was wrong, with a column where the parser knows one.
    pub message: String,
}

impl fmt::Display for LogWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}
