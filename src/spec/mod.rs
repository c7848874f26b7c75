//! Ruleset specs: everything a benchmark version decides, as typed data.
//!
//! A spec is a TOML file under `rulesets/` (names and numbers) whose formulas
//! are strings in the rule language of `grammar/rules.pest`. [`load`] reads it
//! and its targets file, parses and checks every formula, and returns a
//! [`Spec`]: the only thing the engine consults for a benchmark number.

mod diagnostic;
mod explain;
pub mod formula;
mod interpret;
mod load;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use diagnostic::{SpecError, SpecErrors};
pub use explain::explain;
pub use load::load;

/// Whether a metric improves downwards (losses, error rates) or upwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    Minimize,
    Maximize,
}

impl Goal {
    /// Whether `value` reaches `target`. NaN never does.
    #[inline]
    pub fn reached(self, value: f64, target: f64) -> bool {
        match self {
            Goal::Minimize => value <= target,
            Goal::Maximize => value >= target,
        }
    }

    /// Whether `a` is strictly better than `b` (NaN is never better).
    #[inline]
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Goal::Minimize => a < b,
            Goal::Maximize => a > b,
        }
    }
}

/// One workload's target, from the targets file.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadTarget {
    /// Metric name without split prefix, e.g. `loss`, `ssim`.
    pub metric: String,
    /// Column compared with the target, e.g. `validation/loss`.
    pub column: String,
    pub goal: Goal,
    pub target: f64,
    pub step_hint: u64,
    /// External-tuning runtime budget in seconds, when one was published.
    pub budget: Option<f64>,
}

/// A held-out variant and the base workload it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldOut {
    pub variant: String,
    pub base: String,
}

/// The columns of `eval_measurements.csv` the spec reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Time used for time-to-target in the leaderboard (`score` in v0.5).
    pub time: String,
    /// Time reported in the per-submission summaries.
    pub summary_time: String,
    /// Step counter, for the summaries' step time.
    pub step: String,
    /// Prefix of the compared metric column, e.g. `validation/`.
    pub metric_prefix: String,
}

/// How a trial becomes a time: the time column at the first evaluation that
/// reaches the target (the only form published versions use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialRule {
    FirstReached,
}

/// A key by which a study picks one of its trials that reached the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKey {
    /// The index of the first evaluation reaching the target.
    EvalIndex,
    /// The trial's time-to-target.
    Time,
}

/// How studies become a workload time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    Median,
    Mean,
    Min,
    Max,
}

impl Aggregate {
    /// The function's name in the rule language.
    pub fn name(self) -> &'static str {
        match self {
            Aggregate::Median => "median",
            Aggregate::Mean => "mean",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
        }
    }
}

/// Which columns of the submissions × workloads matrix a step changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Base,
    HeldOut,
    All,
}

impl Scope {
    /// The scope's name in the rule language.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Base => "base",
            Scope::HeldOut => "held_out",
            Scope::All => "all",
        }
    }
}

/// One step of the ordered rules applied to the leaderboard matrix.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `held_out := inf where not finite(base)`: a variant counts only where
    /// its base workload was solved.
    HeldOutNeedsBase,
    /// `base := inf where not finite(held_out)`: a base workload counts only
    /// where its held-out variant was solved.
    BaseNeedsHeldOut,
    /// `<scope> := inf where time > factor * best`: the cut-off.
    CutOff { scope: Scope, factor: f64 },
}

/// The τ grid of the performance profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TauGrid {
    pub scale: TauScale,
    pub min: f64,
    pub max: f64,
    pub points: usize,
}

/// Linear or logarithmic spacing of τ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TauScale {
    Linear,
    Log,
}

/// The denominator of a workload's ratios.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denominator {
    /// The best (smallest) time on the workload.
    Best,
    /// A named reference submission's time.
    Reference(String),
}

/// How the profile becomes a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreRule {
    /// Divide the trapezoid integral by the τ range (on the grid's own axis).
    pub normalized: bool,
}

/// Held-out sampling: one variant drawn per group with numpy's generator.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampling {
    pub seed: u128,
    /// (group name, pool of variants), in draw order.
    pub groups: Vec<(String, Vec<String>)>,
}

/// Expected counts, checked in strict mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    pub studies: usize,
    pub trials_per_study: usize,
}

/// A loaded, checked ruleset spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub path: PathBuf,
    pub name: String,
    pub version: String,
    pub ruleset: String,
    pub description: Option<String>,
    pub targets_path: PathBuf,
    /// Every workload the targets file knows, by name without framework suffix.
    pub targets: BTreeMap<String, WorkloadTarget>,
    /// Base workloads, in spec order.
    pub base: Vec<String>,
    /// Held-out variants, in spec order.
    pub held_out: Vec<HeldOut>,
    /// Framework suffixes of workload folders (`fastmri_jax`).
    pub frameworks: Vec<String>,
    pub columns: Columns,
    pub expect: Expect,
    pub trial_rule: TrialRule,
    /// Keys a study picks its trial by, in order; remaining ties go to the
    /// smaller time, then the smaller trial name.
    pub pick: Vec<PickKey>,
    pub aggregate: Aggregate,
    pub steps: Vec<Step>,
    pub tau: TauGrid,
    pub denominator: Denominator,
    pub score: ScoreRule,
    /// Multiplier of the targets' budgets (self-tuning runs get longer); 1
    /// without a `[budget]` table.
    pub budget_factor: f64,
    /// Speedups count a missed target as budget × factor + this; `None`
    /// without a `[budget]` table (no speedups then).
    pub missed_extra_seconds: Option<f64>,
    /// How far past budget × factor a trial's last time may go before
    /// `check` calls it an error rather than a warning, as a fraction of
    /// the budget (runs stop at the first evaluation past the budget);
    /// `[budget] overshoot_tolerance`, 0 without one.
    pub budget_overshoot_tolerance: f64,
    pub sampling: Option<Sampling>,
}

impl Spec {
    /// Base and held-out workloads, sorted: the leaderboard matrix's columns.
    pub fn matrix_workloads(&self) -> Vec<String> {
        let mut all: Vec<String> = self.base.clone();
        all.extend(self.held_out.iter().map(|h| h.variant.clone()));
        all.sort();
        all.dedup();
        all
    }

    /// Whether `workload` is a base workload.
    pub fn is_base(&self, workload: &str) -> bool {
        self.base.iter().any(|b| b == workload)
    }

    /// The base workload of a held-out variant.
    pub fn base_of(&self, variant: &str) -> Option<&str> {
        self.held_out
            .iter()
            .find(|h| h.variant == variant)
            .map(|h| h.base.as_str())
    }

    /// The τ grid's points, numpy-exact (`linspace`, or `logspace` over log10).
    pub fn tau_points(&self) -> Vec<f64> {
        let TauGrid {
            scale,
            min,
            max,
            points,
        } = self.tau;
        match scale {
            TauScale::Linear => crate::numeric::linspace(min, max, points),
            TauScale::Log => crate::numeric::linspace(min.log10(), max.log10(), points)
                .into_iter()
                .map(|e| 10f64.powf(e))
                .collect(),
        }
    }

    /// The profile's x axis: τ itself on a linear grid, log10 τ on a log grid
    /// (what the score integrates over).
    pub fn tau_axis(&self) -> Vec<f64> {
        match self.tau.scale {
            TauScale::Linear => self.tau_points(),
            TauScale::Log => crate::numeric::linspace(
                self.tau.min.log10(),
                self.tau.max.log10(),
                self.tau.points,
            ),
        }
    }

    /// The workload name of a workload folder (`fastmri_jax` → `fastmri`), if
    /// it ends in one of the spec's framework suffixes.
    pub fn workload_of_folder<'a>(&self, folder: &'a str) -> Option<&'a str> {
        self.frameworks.iter().find_map(|fw| {
            folder
                .strip_suffix(fw.as_str())
                .and_then(|rest| rest.strip_suffix('_'))
                .filter(|w| !w.is_empty())
        })
    }
}
