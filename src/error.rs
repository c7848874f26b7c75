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
        }
    }
}

impl TrialProblem {
    /// The grouping key of this problem's warning (no values, no paths).
    pub fn kind(&self) -> String {
        match self {
            TrialProblem::Missing => "trial folder without eval_measurements.csv, skipped".into(),
            TrialProblem::Unreadable(_) => "unreadable eval_measurements.csv, trial skipped".into(),
            TrialProblem::Empty => "empty eval_measurements.csv, trial skipped".into(),
            TrialProblem::NotUtf8 => {
                "eval_measurements.csv header is not UTF-8, trial skipped".into()
            }
            TrialProblem::MissingColumn(c) => {
                format!("eval_measurements.csv without a `{c}` column, trial skipped")
            }
            TrialProblem::WrongFieldCount { .. } => {
                "eval_measurements.csv row with the wrong number of fields, trial skipped".into()
            }
            TrialProblem::NotANumber { column, .. } => {
                format!("eval_measurements.csv with a non-numeric `{column}` value, trial skipped")
            }
            TrialProblem::TimeBackwards { column } => {
                format!("eval_measurements.csv whose `{column}` goes backwards, trial skipped")
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
    #[error("{0}")]
    Usage(String),
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
