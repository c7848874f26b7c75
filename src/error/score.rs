//! Errors of scoring: a spec formula that fails on these logs, a reference
//! or base workload the leaderboard lacks, a speedup or stability request
//! the leaderboard cannot answer.

use std::path::PathBuf;

/// Errors of the score stage.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// A formula of the spec failed at run time (`cell` says where: a
    /// study, a ratio, a step).
    #[error("{}: {cell}: {message}", spec.display())]
    Formula {
        spec: PathBuf,
        cell: String,
        message: String,
    },
    #[error("{}: `reference('{name}')`: submission `{name}` is not among the scored submissions", spec.display())]
    UnknownReference { spec: PathBuf, name: String },
    #[error("{}: no [budget] table (factor, missed_extra_seconds): speedups need one", spec.display())]
    NoBudgetTable { spec: PathBuf },
    #[error("{}: workload `{workload}` has no budget; speedups count a missed target as budget × factor + 1 s, so every base workload of {} needs one", targets.display(), spec.display())]
    NoBudget {
        targets: PathBuf,
        workload: String,
        spec: PathBuf,
    },
    /// `explain` of a submission the leaderboard does not have.
    #[error("submission `{0}` was not scored")]
    NotExplained(String),
    #[error("`{workload}` is not a workload of {} (base or held-out): one of {}", spec.display(), workloads.join(", "))]
    NotAWorkload {
        workload: String,
        spec: PathBuf,
        workloads: Vec<String>,
    },
    #[error("`{0}` has no target")]
    NoTarget(String),
    #[error("no submission `{name}` among the scored ones ({})", scored.join(", "))]
    NotScored { name: String, scored: Vec<String> },
    #[error("{}: base workload `{workload}` is not a column of the leaderboard", spec.display())]
    BaseNotAColumn { spec: PathBuf, workload: String },
    #[error("--level {0}: must be between 0 and 1 (e.g. 0.95)")]
    Level(f64),
    #[error("--resamples must be at least 1")]
    NoResamples,
    #[error("--method jackknife leaves out studies: use --over studies")]
    JackknifeOverTrials,
}
