//! The engine's errors. Every one names the file (and line, where there is
//! one) it is about.

use std::fmt;
use std::path::PathBuf;

use crate::spec::SpecErrors;

/// What is wrong with one trial's `eval_measurements.csv`. Outside `--strict`
/// the trial is skipped with a warning; with it, the run fails.
#[derive(Debug, Clone, PartialEq)]
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
        self.kind_in(crate::ingest::MEASUREMENTS)
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
#[derive(Debug, Clone, PartialEq)]
pub struct TrialError {
    pub path: PathBuf,
    /// 1-based line of the CSV, where the problem is on one line.
    pub line: Option<u64>,
    pub problem: TrialProblem,
}

impl TrialError {
    /// The grouping key of this problem's warning, naming the kind of file.
    pub fn kind(&self) -> String {
        let is_csv = self
            .path
            .file_name()
            .is_some_and(|n| n == crate::ingest::MEASUREMENTS);
        self.problem.kind_in(if is_csv {
            crate::ingest::MEASUREMENTS
        } else {
            "raw log"
        })
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

/// Errors that stop a run. Nothing is written when one occurs.
///
/// Each is printed once as `error: <message>` (see [`Error::exit_code`] for
/// the process status): the first line says what went wrong, the lines
/// after it, if any, give the details.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Every problem of a spec; the first after `error: `, the others each on
    /// their own `error: ` line.
    #[error("{}", spec_errors(.0))]
    Spec(#[from] SpecErrors),
    #[error("{}: submissions folder does not exist", path.display())]
    NoSubmissions { path: PathBuf },
    #[error("{}: not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("{}: cannot read folder: {source}", path.display())]
    ReadDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: name is not valid UTF-8", path.display())]
    NonUtf8Name { path: PathBuf },
    #[error("{0}")]
    Trial(TrialError),
    #[error("--strict: {} problem{}:\n{list}", count, if *count == 1 { "" } else { "s" })]
    Strict { count: usize, list: String },
    #[error("{}: cannot write output: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("output folder {} is inside the submissions folder {}: outputs would be read as logs next time", output.display(), submissions.display())]
    OutputInsideSubmissions {
        output: PathBuf,
        submissions: PathBuf,
    },
    /// The command cannot do what was asked with these inputs (a spec
    /// without what the command needs, an unknown submission, a folder that
    /// does not exist): a scoring error, exit status 1.
    #[error("results cache {} is inside the submissions folder {}: it could overwrite a log, and would be read as one next time", cache.display(), submissions.display())]
    CacheInsideSubmissions {
        cache: PathBuf,
        submissions: PathBuf,
    },
    #[error("{0}")]
    Usage(String),
    /// `check` found errors (or warnings, with `--deny-warnings`); the
    /// findings are already printed.
    #[error("{0}")]
    CheckFailed(String),
    /// The command line itself is wrong (a required option missing, a value
    /// out of range): exit status 2, like clap's own usage errors.
    #[error("{0}")]
    CommandLine(String),
    /// A run that would produce an empty or meaningless result: nothing
    /// selected, nothing read, a spec column found nowhere (`--allow-empty`
    /// turns these back into warnings).
    #[error("{0}")]
    Degenerate(String),
    /// Standard output was closed by its reader (`| head`): the run ends
    /// quietly, as command-line tools do.
    #[error("standard output closed")]
    StdoutClosed,
    #[error("{}: {message}", path.display())]
    Cache { path: PathBuf, message: String },
}

/// The exit status table of every command, in one place (README "Exit
/// status", the man page): 0 success, 1 a scoring error (bad input, a
/// degenerate result, a `--strict` failure, an output that cannot be
/// written), 2 a usage error (the command line is wrong; clap's own usage
/// errors use 2 too).
pub mod exit {
    /// The run succeeded (or a reader closed standard output early).
    pub const SUCCESS: i32 = 0;
    /// Bad input, a degenerate result, a `--strict` failure, a failed write.
    pub const SCORING: i32 = 1;
    /// The command line is wrong.
    pub const USAGE: i32 = 2;

    /// The table as the man page and `--help` show it.
    pub const TABLE: &str = "Exit status:\n  \
        0  success (also when the reader of standard output closes it early, as `| head` does)\n  \
        1  scoring error: bad input, a degenerate result (nothing selected or read; see --allow-empty),\n     \
        a --strict failure, an output that cannot be written (e.g. a full disk)\n  \
        2  usage error: the command line is wrong";
}

impl Error {
    /// The process exit status for this error (see [`exit`]).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::StdoutClosed => exit::SUCCESS,
            Error::CommandLine(_) => exit::USAGE,
            _ => exit::SCORING,
        }
    }

    /// Whether the error is reported at all (a closed standard output is not).
    pub fn is_quiet(&self) -> bool {
        matches!(self, Error::StdoutClosed)
    }
}

/// Spec errors without the `error: ` prefix of their own rendering, which
/// the caller adds once: the first problem on the first line, each further
/// one on an `error: ` line of its own.
fn spec_errors(e: &SpecErrors) -> String {
    e.0.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\nerror: ")
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;
