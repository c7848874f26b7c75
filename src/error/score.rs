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
    #[error(transparent)]
    Targets(TargetsError),
}

/// Errors of `targets derive`: what the runs cannot give.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    #[error("{}: no [target_setting] table: `targets derive` takes its procedure's parameters from it (docs/spec-reference.md#target_setting)", spec.display())]
    NoTargetSetting { spec: PathBuf },
    #[error("workload `{workload}`: no algorithm has a finite validation target (the median of its runs' best values){}", if algorithms.is_empty() { String::new() } else { format!("; read: {}", algorithms.join(", ")) })]
    NoTarget {
        workload: String,
        algorithms: Vec<String>,
    },
    #[error("{}: workload `{workload}` has no budget, and [target_setting] horizon = \"budget\" needs one", targets.display())]
    NoBudget { workload: String, targets: PathBuf },
    #[error("{}: no number in the test column `{column}` {}", path.display(), if *at_target { "at the evaluation that reached the validation target" } else { "within the horizon" })]
    NoTestValue {
        path: PathBuf,
        column: String,
        at_target: bool,
    },
    #[error("{}: no test column `{column}`{hint} ([target_setting] test_prefix and the targets file's metric name it); the file has: {}", path.display(), has.join(", "))]
    NoTestColumn {
        path: PathBuf,
        column: String,
        has: Vec<String>,
        hint: String,
    },
    #[error("workload `{workload}`: the target-setting runtime of `{algorithm}` is {runtime}, not a time > 0 (see [target_setting] runtime)")]
    NoRuntime {
        workload: String,
        algorithm: String,
        runtime: f64,
    },
    #[error("{}: nothing to derive: no run of a workload of the spec was read", submissions.display())]
    NoRuns { submissions: PathBuf },
    /// A chosen run's file, read again for its test column, failed (it
    /// changed since it was read).
    #[error("{0}")]
    Reread(super::ingest::TrialError),
    /// Two outputs of one run at one path.
    #[error("{}: given for two outputs", path.display())]
    SameOutput { path: PathBuf },
}
