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
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
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
    #[error("results cache {} is inside the submissions folder {}: it could overwrite a log, and would be read as one next time", cache.display(), submissions.display())]
    CacheInsideSubmissions {
        cache: PathBuf,
        submissions: PathBuf,
    },
    #[error("{0}")]
    Usage(String),
    #[error("{}: {message}", path.display())]
    Cache { path: PathBuf, message: String },
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;
