//! Ruleset specs: everything a benchmark version decides, as typed data.
//!
//! A spec is a TOML file under `rulesets/` (names and numbers) whose formulas
//! are strings in the rule language of `grammar/rules.pest`. [`load`] reads it
//! and its targets file, parses and checks every formula, and returns a
//! [`Spec`]: the only thing the engine consults for a benchmark number.

pub use crate::error::spec as diagnostic;
pub mod diff;
mod explain;
mod extends;
pub mod fmt;
pub mod formula;
pub mod heldout;
pub mod lang;
mod loader;
pub mod schema;
pub mod series;
pub mod shipped;
pub mod target_setting;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use diagnostic::{SpecError, SpecErrors};
pub use explain::{document as explain_document, explain, seed_value, SpecDoc};

/// Loads a spec named by a path, or by the name of a shipped ruleset
/// ([`shipped::resolve`]); the one entry every command loads through.
pub fn load(path_or_name: &std::path::Path) -> Result<Spec, SpecErrors> {
    loader::load(&shipped::resolve(path_or_name)?)
}

/// `spec check` of one file: the loaded spec, whose `warnings` the caller
/// shows; under `strict` a warning is an error.
pub fn check(path: &std::path::Path, strict: bool) -> Result<Spec, SpecErrors> {
    self::strict(load(path)?, strict)
}

/// A loaded spec as `spec check` judges it: under `strict`, its warnings
/// are its errors.
pub fn strict(spec: Spec, strict: bool) -> Result<Spec, SpecErrors> {
    if strict && !spec.warnings.is_empty() {
        return Err(SpecErrors(spec.warnings));
    }
    Ok(spec)
}

/// A spec's warnings as `spec check` prints them: each one's diagnostic
/// (`spec-warning`) in the one model's terminal text.
pub fn render_warnings(spec: &Spec) -> String {
    (spec.warnings.iter())
        .map(|w| format!("{}\n", w.as_warning().terminal()))
        .collect()
}

/// Whether a metric improves downwards (losses, error rates) or upwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
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
    /// The test-set target, when the targets file gives one (`targets
    /// derive` writes it; scoring compares the validation column only).
    pub test_target: Option<f64>,
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

/// The columns of `eval_measurements.csv` the spec reads: the spec's
/// `[columns]` table as written, what the trial readers look for, and what
/// a results cache records it was read for.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
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

/// A compiled formula and its canonical text.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub node: lang::Node,
    /// The formula as the AST prints it (what reports show).
    pub text: String,
}

/// How a trial becomes a time: one row's value (`first(time where reached)`).
#[derive(Debug, Clone, PartialEq)]
pub struct TrialRule {
    pub pick: lang::RowPick,
    pub value: lang::Node,
    pub cond: Option<lang::Node>,
    pub text: String,
}

/// One step of the ordered rules applied to the leaderboard matrix:
/// `TARGET := VALUE where COND`, evaluated for every cell of TARGET against
/// the matrix as it was before the step, then assigned at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub target: lang::check::Target,
    pub value: lang::Node,
    pub cond: lang::Node,
    pub text: String,
}

impl Step {
    /// Whether the step reads `var` (in its value or its condition).
    pub fn uses(&self, var: lang::Var) -> bool {
        self.value.uses(var) || self.cond.uses(var)
    }

    /// Why the step can never change a cell of a spec without held-out
    /// workloads (it assigns to `held_out`, or reads a base workload's
    /// variant, which no base workload has); `None` when it may act.
    pub fn never_acts(&self, held_out: &[HeldOut]) -> Option<&'static str> {
        if !held_out.is_empty() {
            return None;
        }
        if self.target == lang::check::Target::HeldOut {
            return Some("it assigns to `held_out`, and the spec has no held-out workloads");
        }
        if self.uses(lang::Var::CellHeldOut) {
            return Some("it reads `held_out`, the time on a base workload's held-out variant, and the spec has no held-out workloads");
        }
        None
    }
}

/// The τ grid of the performance profile.
#[derive(Debug, Clone, PartialEq)]
pub struct TauGrid {
    pub scale: TauScale,
    pub min: f64,
    pub max: f64,
    pub points: usize,
    /// The τ values.
    pub values: Vec<f64>,
    /// The axis the score integrates over: τ, or log10 τ on a log grid.
    pub axis: Vec<f64>,
}

/// Linear or logarithmic spacing of τ (a list is linear).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TauScale {
    Linear,
    Log,
}

/// Where one key of a merged spec came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySource {
    /// `table.key`, e.g. `profile.tau`.
    pub key: String,
    /// The value as written.
    pub value: String,
    pub file: PathBuf,
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
    pub trial: TrialRule,
    /// How a study's trials become its time (`pick(…)` or a reduction).
    pub study: Rule,
    /// How a workload's studies become its time.
    pub workload: Rule,
    pub steps: Vec<Step>,
    /// The τ grid: one home, shared (not copied) with every leaderboard
    /// scored under this spec (`score::Ruled::tau`).
    pub tau: std::sync::Arc<TauGrid>,
    /// A cell's ratio after the steps (`time / best`).
    pub ratio: Rule,
    /// ρ's condition per (ratio, τ); `ratio <= tau` by default. With
    /// `rho_credit`, a number in [0, 1] per (ratio, τ) instead: the
    /// workload's partial credit.
    pub rho: Rule,
    /// Whether `rho` is `fraction(NUMBER)` (partial credit) rather than
    /// `fraction(CONDITION)`.
    pub rho_credit: bool,
    /// Per base workload (sorted): its weight in ρ (1 unless `[workloads] weights`).
    pub weights: BTreeMap<String, f64>,
    pub score: Rule,
    /// Submissions named by `reference('…')`, in order of appearance.
    pub references: Vec<String>,
    /// Columns named by `column('…')`, in order of appearance: ingest keeps
    /// them beside the four `[columns]`.
    pub extra_columns: Vec<String>,
    /// Multiplier of the targets' budgets (self-tuning runs get longer); 1
    /// without a `[budget]` table.
    pub budget_factor: f64,
    /// `missed_extra_seconds` when the spec gives it.
    pub missed_extra_seconds: Option<f64>,
    /// How far past budget × factor a trial's last time may go before
    /// `check` calls it an error rather than a warning, as a fraction of
    /// the budget (runs stop at the first evaluation past the budget);
    /// `[budget] overshoot_tolerance`, 0 without one.
    pub budget_overshoot_tolerance: f64,
    /// The time a missed target counts as in speedups (`budget * factor + 1`);
    /// `None` without a `[budget]` table (no speedups then).
    pub missed: Option<Rule>,
    /// Where each key of the spec came from, when it `extends` another.
    pub sources: Vec<KeySource>,
    pub sampling: Option<Sampling>,
    /// `[target_setting]`: how `targets derive` sets targets from runs.
    pub target_setting: Option<target_setting::TargetSetting>,
    /// What `spec check` warns of (an error under `--strict`): parts of
    /// the spec that can never act, each where it is written.
    pub warnings: Vec<SpecError>,
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
        self.tau.values.clone()
    }

    /// The profile's x axis: τ itself on a linear grid, log10 τ on a log grid
    /// (what the score integrates over).
    pub fn tau_axis(&self) -> Vec<f64> {
        self.tau.axis.clone()
    }

    /// A workload's budget: its own, or for a held-out variant without one,
    /// its base workload's (as the AlgoPerf rules do).
    pub fn budget_of(&self, workload: &str) -> Option<f64> {
        let own = self.targets.get(workload).and_then(|t| t.budget);
        own.or_else(|| {
            self.base_of(workload)
                .and_then(|b| self.targets.get(b))
                .and_then(|t| t.budget)
        })
    }

    /// The framework of a workload folder of `workload` (`fastmri_jax` →
    /// `jax`), as its index in `frameworks`.
    pub fn framework_of_folder(&self, folder: &str, workload: &str) -> Option<usize> {
        let suffix = folder.strip_prefix(workload)?.strip_prefix('_')?;
        self.frameworks.iter().position(|f| f == suffix)
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
