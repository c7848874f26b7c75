//! Training curves and time-to-target ECDFs (`--curves`): per workload, the
//! validation metric against time of every scored trial, and the
//! distribution of the trials' times to target.
//!
//! The points come from the series the engine reads. The streaming scorer
//! drops each submission's series once scored, so a [`Collector`] sees every
//! submission as it is read and keeps only the curves' points (at most
//! [`MAX_POINTS`] per trial); [`Collector::finish`] then joins them with the
//! leaderboard, which says which trials were scored, which one each study
//! picked and each trial's time to target. Nothing is scored here.

pub mod svg;

use std::collections::HashMap;

use crate::ingest::{Ingested, Submission, TrialId};
use crate::score::Leaderboard;
use crate::spec::{Goal, Spec};

/// At most this many points are kept per trial: every evaluation when a
/// trial has no more (every v0.5 trial), else an even stride through them
/// with the last one always kept.
pub const MAX_POINTS: usize = 400;

/// The indices of `series` kept for a curve: the finite (time, metric)
/// evaluations, thinned to [`MAX_POINTS`] by an even stride that keeps the
/// first and the last.
pub fn kept_indices(time: &[f64], metric: &[f64]) -> Vec<usize> {
    let finite: Vec<usize> = (0..time.len().min(metric.len()))
        .filter(|&i| time[i].is_finite() && metric[i].is_finite())
        .collect();
    if finite.len() <= MAX_POINTS {
        return finite;
    }
    let n = finite.len();
    (0..MAX_POINTS)
        .map(|k| finite[k * (n - 1) / (MAX_POINTS - 1)])
        .collect()
}

/// Sees every submission as it is read and keeps its trials' points.
#[derive(Debug)]
pub struct Collector {
    workloads: Vec<String>,
    points: HashMap<(String, TrialId), Vec<(f64, f64)>>,
}

impl Collector {
    pub fn new(spec: &Spec) -> Self {
        Collector {
            workloads: spec.matrix_workloads(),
            points: HashMap::new(),
        }
    }

    /// Keeps the points of a submission's trials on the spec's workloads.
    pub fn add(&mut self, submission: &Submission) {
        for trial in &submission.trials {
            if !self.workloads.contains(&trial.id.folder.workload) {
                continue;
            }
            let s = &trial.series;
            let points = kept_indices(&s.time, &s.metric)
                .into_iter()
                .map(|i| (s.time[i], s.metric[i]))
                .collect();
            let key = (submission.name.clone(), trial.id.clone());
            self.points.insert(key, points);
        }
    }

    /// Every submission of a tree read whole (a results cache).
    pub fn add_all(&mut self, ingested: &Ingested) {
        for s in &ingested.submissions {
            self.add(s);
        }
    }

    /// The curves of the scored trials, per workload, submissions in rank
    /// order.
    pub fn finish(mut self, spec: &Spec, lb: &Leaderboard) -> Curves {
        let ranking = lb.ranking();
        let workloads = lb
            .workloads
            .iter()
            .map(|w| self.workload(spec, lb, &ranking, w))
            .collect();
        Curves {
            log_time: budgets_span_decades(spec),
            workloads,
        }
    }

    fn workload(
        &mut self,
        spec: &Spec,
        lb: &Leaderboard,
        ranking: &[(usize, usize)],
        workload: &str,
    ) -> WorkloadCurves {
        let target = spec.targets.get(workload);
        let mut submissions = Vec::new();
        for (i, &(rank, row)) in ranking.iter().enumerate() {
            let name = &lb.submissions[row];
            let Some(outcome) = lb.outcomes[row].get(workload) else {
                continue;
            };
            let mut trials = Vec::new();
            for study in &outcome.studies {
                for (k, t) in study.trials.iter().enumerate() {
                    let key = (name.clone(), t.id.clone());
                    trials.push(TrialCurve {
                        study: study.study.clone(),
                        folder: t.id.folder.name.clone(),
                        label: t.id.label(),
                        picked: study.picked == Some(k),
                        time_to_target: t.outcome.time,
                        points: self.points.remove(&key).unwrap_or_default(),
                    });
                }
            }
            submissions.push(SubmissionCurves {
                name: name.clone(),
                row,
                rank,
                style: i,
                trials,
            });
        }
        WorkloadCurves {
            workload: workload.to_string(),
            metric: target.map(|t| t.column.clone()).unwrap_or_default(),
            goal: target.map(|t| t.goal),
            target: target.map_or(f64::NAN, |t| t.target),
            budget: spec.budget_of(workload).unwrap_or(f64::NAN),
            submissions,
        }
    }
}

/// Log-time axes when the spec's budgets span a decade or more (v0.5:
/// 7,703 s to 77,520 s), so that the short workloads are not squeezed.
pub fn budgets_span_decades(spec: &Spec) -> bool {
    let budgets: Vec<f64> = spec
        .matrix_workloads()
        .iter()
        .filter_map(|w| spec.budget_of(w))
        .filter(|b| b.is_finite() && *b > 0.0)
        .collect();
    let lo = budgets.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = budgets.iter().copied().fold(0.0, f64::max);
    !budgets.is_empty() && hi / lo >= 10.0
}

/// Every workload's curves.
#[derive(Debug, Clone, PartialEq)]
pub struct Curves {
    /// Time axes are logarithmic (see [`budgets_span_decades`]).
    pub log_time: bool,
    pub workloads: Vec<WorkloadCurves>,
}

/// One workload: its target and budget, and each submission's trials.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadCurves {
    pub workload: String,
    /// The compared column (`validation/ssim`).
    pub metric: String,
    pub goal: Option<Goal>,
    /// NaN when the targets file has none.
    pub target: f64,
    /// NaN when the spec has none.
    pub budget: f64,
    /// Submissions that ran the workload, in rank order.
    pub submissions: Vec<SubmissionCurves>,
}

/// One submission's scored trials on one workload.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionCurves {
    pub name: String,
    /// Its row in the leaderboard (the page's `data-sub`).
    pub row: usize,
    pub rank: usize,
    /// Its place in the ranking: the index of its colour and dash.
    pub style: usize,
    pub trials: Vec<TrialCurve>,
}

/// One trial's curve.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialCurve {
    pub study: String,
    /// The workload folder (`wmt_jax`).
    pub folder: String,
    /// `trial_3`, or `trial_3 (<re-run folder>)`.
    pub label: String,
    /// The trial its study picked.
    pub picked: bool,
    /// The trial's time under the spec's trial formula (∞: missed).
    pub time_to_target: f64,
    /// (time, metric) at the kept evaluations ([`kept_indices`]).
    pub points: Vec<(f64, f64)>,
}

impl WorkloadCurves {
    /// One submission's times to target over all its trials and studies,
    /// sorted, and how many trials missed.
    pub fn times(&self, s: &SubmissionCurves) -> (Vec<f64>, usize) {
        let mut finite: Vec<f64> = s
            .trials
            .iter()
            .map(|t| t.time_to_target)
            .filter(|t| t.is_finite())
            .collect();
        finite.sort_by(f64::total_cmp);
        let missed = s.trials.len() - finite.len();
        (finite, missed)
    }

    /// The ECDF's steps: at each finite time to target (sorted), the
    /// fraction of the submission's trials that had reached the target by
    /// then. Missed trials never reach it: the last step stays below 1 by
    /// their share (the plots put them at the right edge).
    pub fn ecdf(&self, s: &SubmissionCurves) -> Vec<(f64, f64)> {
        let n = s.trials.len() as f64;
        let (times, _) = self.times(s);
        (times.into_iter().enumerate())
            .map(|(k, t)| (t, (k + 1) as f64 / n))
            .collect()
    }
}

/// The file names of a workload's plots.
pub fn curves_file(workload: &str) -> String {
    format!("curves_{workload}.svg")
}

/// See [`curves_file`].
pub fn ecdf_file(workload: &str) -> String {
    format!("time_to_target_ecdf_{workload}.svg")
}

/// Both plots of every workload, `(file name, bytes)`.
pub fn files(curves: &Curves) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::with_capacity(2 * curves.workloads.len());
    for w in &curves.workloads {
        let curves_svg = svg::curves_svg(w, curves.log_time, &svg::Size::FILE);
        out.push((curves_file(&w.workload), curves_svg.into_bytes()));
        let ecdf = svg::ecdf_svg(w, curves.log_time, &svg::Size::FILE);
        out.push((ecdf_file(&w.workload), ecdf.into_bytes()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_are_kept_whole_without_nan() {
        let t = [1.0, 2.0, 3.0, 4.0];
        let m = [0.5, f64::NAN, 0.3, 0.2];
        assert_eq!(kept_indices(&t, &m), vec![0, 2, 3]);
    }

    #[test]
    fn long_series_keep_first_and_last() {
        let n = 3 * MAX_POINTS + 7;
        let t: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let k = kept_indices(&t, &t);
        assert_eq!(k.len(), MAX_POINTS);
        assert_eq!(k.first(), Some(&0));
        assert_eq!(k.last(), Some(&(n - 1)));
        assert!(k.windows(2).all(|w| w[0] < w[1]));
    }
}
