//! The engine's errors: the top-level [`Error`] wrapping each area's own
//! (spec, ingest, cache, score, report, run and command line), and the exit
//! status table. Every one names the file (and line, where there is one) it
//! is about.
//!
//! Each area's errors are defined here, in a submodule of its name, and
//! re-exported where the area lives (`crate::report::error` is
//! [`report`]): `Error` wraps them all and every stage returns
//! [`Result`], so they sit below the stages, not in them (the layer table
//! of `tests/it/layers.rs`).

pub mod cache;
pub mod ingest;
pub mod report;
pub mod run;
pub mod score;
pub mod spec;

use self::cache::CacheError;
use self::report::ReportError;
use self::run::{CommandLineError, RunError};
use self::score::ScoreError;
use self::spec::SpecErrors;

pub use self::ingest::{IngestError, TrialError, TrialProblem};

/// Errors that stop a run. Nothing is written when one occurs.
///
/// Each is printed once as `error: <message>` (see [`Error::exit_code`] for
/// the process status): the first line says what went wrong, the lines
/// after it, if any, give the details. Each area's enum says what went
/// wrong there; this one only wraps them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Every problem of a spec; the first after `error: `, the others each on
    /// their own `error: ` line.
    #[error("{}", spec_errors(.0))]
    Spec(#[from] SpecErrors),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Cache(#[from] CacheError),
    #[error(transparent)]
    Score(#[from] ScoreError),
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The command cannot do what was asked with these inputs (a `--strict`
    /// failure, an unknown submission, a check that failed): exit status 1.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The command line itself is wrong (a required option missing, a value
    /// out of range): exit status 2, like clap's own usage errors.
    #[error(transparent)]
    CommandLine(#[from] CommandLineError),
    /// Standard output was closed by its reader (`| head`): the run ends
    /// quietly, as command-line tools do.
    #[error("standard output closed")]
    StdoutClosed,
}

/// `targets derive`'s errors are the score stage's.
impl From<self::score::TargetsError> for Error {
    fn from(e: self::score::TargetsError) -> Self {
        Error::Score(ScoreError::Targets(e))
    }
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

    /// The error as the lines it is printed on, each with its control
    /// characters escaped ([`crate::diagnostics::escape_controls`]): only
    /// the line breaks the engine puts between an error's parts stay line
    /// breaks, never one inside a name or path, so that a folder named
    /// `x\n::error file=…` cannot start a line of its own (a GitHub
    /// workflow command) on stderr.
    pub fn lines(&self) -> Vec<String> {
        use crate::diagnostics::escape_controls;
        let parts: Vec<String> = match self {
            Error::Spec(e) => e
                .0
                .iter()
                .enumerate()
                .flat_map(|(i, d)| {
                    // A spec problem's own lines (its source excerpt).
                    let text = d.to_string();
                    let lead = if i == 0 { "" } else { "error: " };
                    let lines: Vec<String> = text.split('\n').map(String::from).collect();
                    lines
                        .into_iter()
                        .enumerate()
                        .map(move |(k, l)| if k == 0 { format!("{lead}{l}") } else { l })
                })
                .collect(),
            Error::Run(RunError::Strict { warnings }) => {
                let first = self.to_string();
                let first = first.split('\n').next().unwrap_or_default().to_string();
                std::iter::once(first)
                    .chain(warnings.iter().map(|d| format!("  {}", d.strict_line())))
                    .collect()
            }
            Error::Ingest(IngestError::Degenerate(problems)) if problems.len() > 1 => {
                let first = self.to_string();
                let first = first.split('\n').next().unwrap_or_default().to_string();
                std::iter::once(first)
                    .chain(problems.iter().map(|p| format!("  {}", p.line())))
                    .collect()
            }
            _ => vec![self.to_string()],
        };
        parts
            .iter()
            .map(|l| escape_controls(l).into_owned())
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The exit status comes from the wrapper: the command line's errors 2,
    /// every area's error 1, a closed standard output 0 (and quiet).
    #[test]
    fn exit_statuses_follow_the_table() {
        let usage: Error = CommandLineError::SpecRequired.into();
        assert_eq!(
            (usage.exit_code(), usage.to_string().as_str()),
            (exit::USAGE, "--spec is required")
        );
        let late: Error = RunError::Option(CommandLineError::SpecRequired).into();
        assert_eq!(
            (late.exit_code(), late.to_string().as_str()),
            (exit::SCORING, "--spec is required")
        );
        let scoring: Error = ScoreError::NoResamples.into();
        assert_eq!(scoring.exit_code(), exit::SCORING);
        assert_eq!(scoring.to_string(), "--resamples must be at least 1");
        assert_eq!(Error::StdoutClosed.exit_code(), exit::SUCCESS);
        assert!(Error::StdoutClosed.is_quiet() && !scoring.is_quiet());
    }
}
