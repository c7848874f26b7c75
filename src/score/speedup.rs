//! Speedups of one submission over another (SCORING.md §9).
//!
//! `t` = each submission's per-workload time of the leaderboard matrix
//! before any rule step (the study aggregate: [`Leaderboard::time_to_targets`]),
//! base workloads only. A missed target (∞) counts as the workload's budget
//! × the spec's budget factor + 1 s. Per workload, ratio = t(comparison) /
//! t(base); the summary is the geometric mean of the ratios (below 1 =
//! faster). A workload either side did not run has no time there: it is
//! reported, and left out of the geometric mean.

use super::error::ScoreError;
use crate::error::Result;
use crate::numeric;
use crate::score::Leaderboard;
use crate::spec::Spec;

/// One base workload's times and ratio.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadSpeedup {
    pub workload: String,
    /// Seconds; a missed target is already replaced (see `base_missed`);
    /// `None` when the submission did not run the workload.
    pub base_time: Option<f64>,
    pub comparison_time: Option<f64>,
    pub base_missed: bool,
    pub comparison_missed: bool,
    /// `comparison_time / base_time`, when both ran the workload.
    pub ratio: Option<f64>,
}

/// A comparison against a base submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Speedup {
    pub base: String,
    pub comparison: String,
    /// The spec's base workloads, sorted.
    pub workloads: Vec<WorkloadSpeedup>,
    /// Geometric mean of the ratios there are (NaN when the two have no
    /// base workload in common).
    pub geomean: f64,
}

impl Speedup {
    /// `1 − geomean`: the fraction of time saved (negative = slower).
    pub fn faster(&self) -> f64 {
        1.0 - self.geomean
    }

    /// `1 / geomean`: how many times faster (below 1 = slower).
    pub fn times_faster(&self) -> f64 {
        1.0 / self.geomean
    }

    /// The base workloads left out of the geometric mean: one side did not
    /// run them.
    pub fn skipped(&self) -> impl Iterator<Item = &str> {
        self.workloads
            .iter()
            .filter(|w| w.ratio.is_none())
            .map(|w| w.workload.as_str())
    }
}

/// The time that replaces a missed target on `workload`: budget × factor +
/// the spec's `missed_extra_seconds` (SCORING.md §9: 1 s). Every base
/// workload needs a budget in the spec's targets file.
pub fn missed_target_time(spec: &Spec, workload: &str) -> Result<f64> {
    let Some(extra) = spec.missed_extra_seconds else {
        return Err(ScoreError::NoBudgetTable {
            spec: spec.path.clone(),
        }
        .into());
    };
    let budget = spec.targets.get(workload).and_then(|t| t.budget);
    match budget {
        Some(b) => Ok(b * spec.budget_factor + extra),
        None => Err(ScoreError::NoBudget {
            targets: spec.targets_path.clone(),
            workload: workload.to_string(),
            spec: spec.path.clone(),
        }
        .into()),
    }
}

/// The speedup of `comparison` over `base` on the spec's base workloads.
pub fn speedup(lb: &Leaderboard, spec: &Spec, base: &str, comparison: &str) -> Result<Speedup> {
    let mut workloads: Vec<String> = spec.base.clone();
    workloads.sort();
    // Every budget first: the error must not depend on the data.
    let replacements = workloads
        .iter()
        .map(|w| missed_target_time(spec, w))
        .collect::<Result<Vec<f64>>>()?;
    let row = |name: &str| {
        lb.row(name).ok_or_else(|| ScoreError::NotScored {
            name: name.to_string(),
            scored: lb.submissions.clone(),
        })
    };
    let (rb, rc) = (row(base)?, row(comparison)?);
    let mut out = Vec::with_capacity(workloads.len());
    for (w, replacement) in workloads.iter().zip(replacements) {
        let col = (lb.workloads.iter().position(|x| x == w)).ok_or_else(|| {
            ScoreError::BaseNotAColumn {
                spec: spec.path.clone(),
                workload: w.clone(),
            }
        })?;
        // NaN: the submission did not run the workload.
        let time = |r: usize| {
            let t = lb.time_to_targets[(r, col)];
            match t {
                t if t.is_nan() => (None, false),
                t if t.is_infinite() => (Some(replacement), true),
                t => (Some(t), false),
            }
        };
        let (base_time, base_missed) = time(rb);
        let (comparison_time, comparison_missed) = time(rc);
        out.push(WorkloadSpeedup {
            workload: w.clone(),
            base_time,
            comparison_time,
            base_missed,
            comparison_missed,
            ratio: base_time.zip(comparison_time).map(|(b, c)| c / b),
        });
    }
    let logs: Vec<f64> = out.iter().filter_map(|w| w.ratio).map(f64::ln).collect();
    let geomean = if logs.is_empty() {
        f64::NAN
    } else {
        (numeric::pairwise_sum(&logs) / logs.len() as f64).exp()
    };
    Ok(Speedup {
        base: base.to_string(),
        comparison: comparison.to_string(),
        workloads: out,
        geomean,
    })
}
