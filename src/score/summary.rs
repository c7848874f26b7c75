//! Per-submission summaries (SCORING.md §7): one row per trial, with its
//! best value, time to best and time to target on the compared metric.

use std::collections::BTreeMap;

use crate::ingest::Submission;
use crate::numeric;
use crate::spec::Spec;

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

/// The summary rows of one submission, sorted by (workload, study, trial).
pub fn summarize(submission: &Submission, spec: &Spec) -> Vec<SummaryRow> {
    // Step time per workload folder, over all its trials and rows.
    let mut ratios: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for t in &submission.trials {
        let v = ratios.entry(&t.folder).or_default();
        let (time, step) = (&t.series.summary_time, &t.series.step);
        let mut prev = (0.0, 0.0);
        for (&tt, &ss) in time.iter().zip(step.iter()) {
            v.push((tt - prev.0) / (ss - prev.1));
            prev = (tt, ss);
        }
    }
    let step_time: BTreeMap<&str, f64> = ratios
        .iter()
        .map(|(k, v)| (*k, numeric::nanmedian(v)))
        .collect();

    let mut rows: Vec<SummaryRow> = submission
        .trials
        .iter()
        .filter_map(|t| {
            let target = spec.targets.get(&t.workload)?;
            let m = &t.series.metric;
            let time = &t.series.summary_time;
            let first = m
                .iter()
                .position(|&v| target.goal.reached(v, target.target));
            let mut best_idx: Option<usize> = None;
            for (i, &v) in m.iter().enumerate() {
                if v.is_nan() {
                    continue;
                }
                match best_idx {
                    Some(b) if !target.goal.better(v, m[b]) => {}
                    _ => best_idx = Some(i),
                }
            }
            Some(SummaryRow {
                workload: t.folder.clone(),
                trial: t.trial.clone(),
                study: if t.run.is_empty() {
                    t.study.clone()
                } else {
                    format!("{}/{}", t.run, t.study)
                },
                metric_column: target.column.clone(),
                target: target.target,
                reached: first.is_some(),
                best: best_idx.map_or(f64::NAN, |i| m[i]),
                time_to_best: best_idx.map_or(f64::NAN, |i| time[i]),
                time_to_target: first.map_or(f64::INFINITY, |i| time[i]),
                step_time: step_time
                    .get(t.folder.as_str())
                    .copied()
                    .unwrap_or(f64::NAN),
                step_hint: target.step_hint,
            })
        })
        .collect();
    rows.sort_by(|a, b| (&a.workload, &a.study, &a.trial).cmp(&(&b.workload, &b.study, &b.trial)));
    rows
}
