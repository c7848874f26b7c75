//! Per-submission summaries (SCORING.md §7): one row per trial, with its
//! best value, time to best and time to target on the compared metric.
//! Scoring reads what they need of each trial into its
//! [`TrialResult`]; the leaderboard makes the rows when asked.

use std::collections::BTreeMap;

use super::{Leaderboard, TrialResult};
use crate::ingest::{Submission, Trial};
use crate::numeric;
use crate::spec::{Spec, WorkloadTarget};

/// One row of `<submission>_summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// Workload folder, with framework suffix.
    pub workload: String,
    pub trial: String,
    /// Study folder; for a re-run folder's trial, `<re-run folder>/<study>`.
    pub study: String,
    pub metric_column: String,
    pub target: f64,
    pub reached: bool,
    /// Best value, NaN skipped (NaN when every value is NaN).
    pub best: f64,
    /// Summary time at the first evaluation with the best value.
    pub time_to_best: f64,
    /// Summary time at the first evaluation reaching the target, else ∞.
    pub time_to_target: f64,
    /// Median Δtime/Δstep over every row of every trial of the folder.
    pub step_time: f64,
    pub step_hint: u64,
}

/// Per workload folder of a submission: the median Δtime/Δstep over every
/// row of every trial of the folder, the first row's Δ taken from 0.
pub(super) fn step_times(submission: &Submission) -> BTreeMap<&str, f64> {
    let mut ratios: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for t in &submission.trials {
        let v = ratios.entry(&t.id.folder.name).or_default();
        let (time, step) = (&t.series.summary_time, &t.series.step);
        let mut prev = (0.0, 0.0);
        for (&tt, &ss) in time.iter().zip(step.iter()) {
            v.push((tt - prev.0) / (ss - prev.1));
            prev = (tt, ss);
        }
    }
    ratios
        .iter()
        .map(|(k, v)| (*k, numeric::nanmedian(v)))
        .collect()
}

/// What a trial's compared metric shows whatever the spec's trial formula:
/// the first evaluation reaching the target (the summary's time to target,
/// as the reference computes it) and the first with the best value, NaN
/// skipped. Scoring reads it once per trial for the summary and `explain`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Reading {
    pub reached: Option<usize>,
    pub best: Option<usize>,
}

impl Reading {
    pub fn of(trial: &Trial, target: &WorkloadTarget) -> Self {
        let m = &trial.series.metric;
        let reached = m
            .iter()
            .position(|&v| target.goal.reached(v, target.target));
        let mut best: Option<usize> = None;
        for (i, &v) in m.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            match best {
                Some(b) if !target.goal.better(v, m[b]) => {}
                _ => best = Some(i),
            }
        }
        Reading { reached, best }
    }
}

impl Leaderboard {
    /// The `<submission>_summary.csv` rows of the submission in `row`, one
    /// per trial scored, sorted by (workload, study, trial). Made from the
    /// trials' results when asked for, so a leaderboard holds each trial
    /// once.
    pub fn summary(&self, row: usize, spec: &Spec) -> Vec<SummaryRow> {
        let mut rows = Vec::new();
        let Some(outcomes) = self.outcomes.get(row) else {
            return rows;
        };
        for (workload, outcome) in outcomes {
            let Some(target) = spec.targets.get(workload) else {
                continue;
            };
            for trial in outcome.studies.iter().flat_map(|s| &s.trials) {
                rows.push(summary_row(trial, target));
            }
        }
        rows.sort_by(|a, b| {
            (&a.workload, &a.study, &a.trial).cmp(&(&b.workload, &b.study, &b.trial))
        });
        rows
    }
}

/// A trial's summary row, from its result.
fn summary_row(trial: &TrialResult, target: &WorkloadTarget) -> SummaryRow {
    let folder = &trial.id.folder;
    SummaryRow {
        workload: folder.name.clone(),
        trial: trial.id.trial.clone(),
        study: if folder.run.is_empty() {
            folder.study.clone()
        } else {
            format!("{}/{}", folder.run, folder.study)
        },
        metric_column: target.column.clone(),
        target: target.target,
        reached: trial.time_to_target.is_some(),
        best: trial.best,
        time_to_best: trial.time_to_best,
        time_to_target: trial.time_to_target.unwrap_or(f64::INFINITY),
        step_time: trial.step_time,
        step_hint: target.step_hint,
    }
}
