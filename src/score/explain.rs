//! Why a submission got what it got on one workload, as data: per study the
//! trials and the one picked, the aggregate, each rule step's effect on the
//! cell (with the best time a cut-off compared it to, and who held it), and
//! the final ratio. Everything `explain` prints or writes as JSON is decided
//! here, from the leaderboard alone; `report::explain` only renders it.

use nalgebra::DMatrix;

use super::error::ScoreError;
use super::{Leaderboard, StepResult, WorkloadOutcome};
use crate::spec::lang::Var;
use crate::spec::{Goal, Spec};

/// The explanation of one cell (submission × workload) of a leaderboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub submission: String,
    pub workload: String,
    /// The base workload, when `workload` is one of its held-out variants.
    pub held_out_of: Option<String>,
    /// The compared metric column, its direction and its target.
    pub metric_column: String,
    pub goal: Goal,
    pub target: f64,
    /// The spec's time column.
    pub time_column: String,
    /// The studies and their aggregate (None: no trial of the workload).
    pub outcome: Option<WorkloadOutcome>,
    /// The cell of the leaderboard matrix, before any rule step.
    pub matrix: f64,
    /// Every rule step, in spec order.
    pub steps: Vec<StepEffect>,
    /// The ratio, for a base workload (a held-out one has none).
    pub ratio: Option<RatioEffect>,
    pub score: f64,
}

/// One rule step on the explained cell.
#[derive(Debug, Clone, PartialEq)]
pub struct StepEffect {
    /// The step's canonical text.
    pub rule: String,
    pub before: f64,
    pub after: f64,
    /// Whether the step changed the cell (bit for bit).
    pub changed: bool,
    /// What the step read, where it reads it: the cell's time (`time`)…
    pub reads_time: bool,
    /// …the column's best time before the step (`best`)…
    pub best: Option<Held>,
    /// …the partner workload's time (`base` / `held_out`).
    pub partner: Option<Partner>,
}

/// A column's best time and the submission holding it (None: nobody ran).
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub time: f64,
    pub holder: Option<String>,
}

/// The partner of the explained workload (its base, or its held-out variant)
/// as a step read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Partner {
    /// The partner's time in the matrix before the step.
    Ran { workload: String, time: f64 },
    /// The spec names no partner in the leaderboard's columns.
    Missing,
}

/// The ratio of the explained (base) workload after every step.
#[derive(Debug, Clone, PartialEq)]
pub struct RatioEffect {
    /// The cell's time after the steps.
    pub time: f64,
    pub denominator: f64,
    /// Who holds the column's best time after the steps.
    pub best_holder: Option<String>,
    pub ratio: f64,
    /// Finite and at most τ max: the workload counts in the profile.
    pub solved: bool,
}

/// The submission holding the smallest value of a column (NaN skipped).
fn best_holder(lb: &Leaderboard, m: &DMatrix<f64>, c: usize) -> Option<String> {
    (0..lb.submissions.len())
        .filter(|&r| !m[(r, c)].is_nan())
        .min_by(|&a, &b| m[(a, c)].total_cmp(&m[(b, c)]))
        .map(|r| lb.submissions[r].clone())
}

impl Leaderboard {
    /// Explains `submission` on `workload`; an error message when either is
    /// not in the leaderboard or the workload has no target.
    pub fn explain(
        &self,
        spec: &Spec,
        submission: &str,
        workload: &str,
    ) -> Result<Explanation, ScoreError> {
        let row = self
            .row(submission)
            .ok_or_else(|| ScoreError::NotExplained(submission.to_string()))?;
        let col = (self.workloads.iter().position(|w| w == workload)).ok_or_else(|| {
            ScoreError::NotAWorkload {
                workload: workload.to_string(),
                spec: spec.path.clone(),
                workloads: self.workloads.clone(),
            }
        })?;
        let target = (spec.targets.get(workload))
            .ok_or_else(|| ScoreError::NoTarget(workload.to_string()))?;
        let (steps, after) = self.step_effects(spec, row, col);
        Ok(Explanation {
            submission: submission.to_string(),
            workload: workload.to_string(),
            held_out_of: spec.base_of(workload).map(str::to_string),
            metric_column: target.column.clone(),
            goal: target.goal,
            target: target.target,
            time_column: spec.columns.time.clone(),
            outcome: self.outcomes[row].get(workload).cloned(),
            matrix: self.time_to_targets[(row, col)],
            steps,
            ratio: self.ratio_effect(spec, row, col, after),
            score: self.rules.scores[row],
        })
    }

    /// The column of the explained workload's partner: its base, or its
    /// (first) held-out variant.
    fn partner_column(&self, spec: &Spec, workload: &str) -> Option<usize> {
        let column = |name: &str| self.workloads.iter().position(|w| w == name);
        match spec.base_of(workload) {
            Some(b) => column(b),
            None => spec
                .held_out
                .iter()
                .find(|h| h.base == workload)
                .and_then(|h| column(&h.variant)),
        }
    }

    /// Each rule step's effect on cell (row, col), and the matrix after the
    /// last step.
    fn step_effects(
        &self,
        spec: &Spec,
        row: usize,
        col: usize,
    ) -> (Vec<StepEffect>, &DMatrix<f64>) {
        let partner = self.partner_column(spec, &self.workloads[col]);
        let mut before = &self.time_to_targets;
        let mut out = Vec::with_capacity(self.rules.steps.len());
        for StepResult { step, best, matrix } in &self.rules.steps {
            let (old, new) = (before[(row, col)], matrix[(row, col)]);
            let reads_partner = step.uses(Var::CellBase) || step.uses(Var::CellHeldOut);
            out.push(StepEffect {
                rule: step.text.clone(),
                before: old,
                after: new,
                changed: old.to_bits() != new.to_bits(),
                reads_time: step.uses(Var::CellTime),
                best: step.uses(Var::CellBest).then(|| Held {
                    time: best[col],
                    holder: best_holder(self, before, col),
                }),
                partner: reads_partner.then(|| match partner {
                    Some(c) => Partner::Ran {
                        workload: self.workloads[c].clone(),
                        time: before[(row, c)],
                    },
                    None => Partner::Missing,
                }),
            });
            before = matrix;
        }
        (out, before)
    }

    /// The ratio of cell (row, col) when its workload is a base workload.
    fn ratio_effect(
        &self,
        spec: &Spec,
        row: usize,
        col: usize,
        after: &DMatrix<f64>,
    ) -> Option<RatioEffect> {
        let k = self
            .rules
            .base
            .iter()
            .position(|w| *w == self.workloads[col])?;
        let ratio = self.rules.ratios[(row, k)];
        Some(RatioEffect {
            time: after[(row, col)],
            denominator: self.rules.denominators[k],
            best_holder: best_holder(self, after, col),
            ratio,
            solved: ratio.is_finite() && ratio <= spec.tau.max,
        })
    }
}
