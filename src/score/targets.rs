//! Setting targets from runs (`targets derive`), AlgoPerf's procedure with
//! the spec's `[target_setting]` parameters (docs/targets.md):
//!
//! 1. a run (one study of one target-setting algorithm on one workload) is
//!    worth the best validation value it reached within the horizon;
//! 2. an algorithm's validation target is the median of its runs' values (a
//!    run with no value counts as the worst possible one);
//! 3. the workload's target is the best algorithm's target by the metric's
//!    goal;
//! 4. the test target is the worst test value among that algorithm's runs
//!    that reached the validation target (a run that never reached counts in
//!    step 2 only);
//! 5. the budget is the factor × the target-setting runtime.
//!
//! Pure computation on what ingest read: the test column of a chosen run is
//! asked of the caller, which reads it.

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostics::Warning;
use crate::error::Result;
use crate::ingest::{Submission, Trial};
use crate::spec::target_setting::TargetSetting;
use crate::spec::target_setting::{EvenMedian, Horizon, Runtime, StepHintSource, TestValue};
use crate::spec::{Goal, Spec, WorkloadTarget};

pub use crate::error::score::TargetsError;

/// One workload's derived targets and how they were set.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DerivedWorkload {
    pub workload: String,
    /// Metric name, as the targets file writes it (`loss`).
    pub metric: String,
    pub goal: Goal,
    /// The column compared with the validation target.
    pub validation_column: String,
    /// The column the test target is read from.
    pub test_column: String,
    pub validation_target: f64,
    pub test_target: f64,
    /// Seconds: `budget_factor × runtime`.
    pub budget: f64,
    /// The target-setting runtime the factor multiplied (seconds).
    pub runtime: f64,
    pub step_hint: u64,
    /// The algorithm (submission) whose target was best.
    pub algorithm: String,
    /// Every algorithm that ran the workload, in name order.
    pub candidates: Vec<Candidate>,
    /// The chosen algorithm's runs, in study order.
    pub runs: Vec<RunReport>,
}

/// One target-setting algorithm on one workload.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Candidate {
    pub algorithm: String,
    /// Runs (studies) read.
    pub runs: usize,
    /// The median of its runs' best validation values; null when it is not
    /// finite (most runs reached no value).
    pub validation_target: Option<f64>,
}

/// One run of the chosen algorithm.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RunReport {
    pub study: String,
    /// The trial whose values stand for the study (its best one).
    pub trial: String,
    pub file: String,
    /// The best validation value within the horizon; null when none.
    pub best_validation: Option<f64>,
    /// Whether that value reaches the validation target.
    pub reached: bool,
    /// Time of the first evaluation reaching the target (reached runs).
    pub time_to_target: Option<f64>,
    /// The run's test value (reached runs).
    pub test_value: Option<f64>,
}

/// A run as step 1 sees it: its best trial and how far the horizon goes.
struct Run<'a> {
    study: String,
    trial: &'a Trial,
    /// Rows within the horizon (a prefix: times only grow).
    rows: usize,
    /// Best validation value within the horizon (NaN: none).
    best: f64,
}

/// What the caller reads for a chosen run: the test column's values, row
/// for row with the trial's series.
pub type ReadTest<'r> = dyn FnMut(&Trial, &str) -> Result<Vec<f64>> + 'r;

/// Derives one workload's targets from every algorithm's runs of it;
/// count mismatches go to `warnings`.
pub fn derive_workload(
    spec: &Spec,
    setting: &TargetSetting,
    workload: &str,
    submissions: &[Submission],
    read_test: &mut ReadTest,
    warnings: &mut Vec<Warning>,
) -> Result<DerivedWorkload> {
    let target = spec
        .targets
        .get(workload)
        .ok_or_else(|| crate::error::score::ScoreError::NoTarget(workload.to_string()))?;
    let limit = horizon_limit(spec, setting, workload)?;
    let mut all: Vec<(&str, Vec<Run>, Option<f64>)> = Vec::new();
    for s in submissions {
        let runs = runs_of(s, workload, target.goal, limit);
        if runs.is_empty() {
            continue;
        }
        if runs.len() != setting.runs {
            warnings.push(Warning::StudyCount {
                submission: s.name.clone(),
                workload: workload.to_string(),
                expected: setting.runs,
                found: runs.len(),
            });
        }
        let values: Vec<f64> = runs
            .iter()
            .map(|r| worst_if_nan(r.best, target.goal))
            .collect();
        let t = median(&values, setting.even_median);
        all.push((&s.name, runs, t.is_finite().then_some(t)));
    }
    let chosen = best_algorithm(&all, target.goal).ok_or_else(|| TargetsError::NoTarget {
        workload: workload.to_string(),
        algorithms: all.iter().map(|a| a.0.to_string()).collect(),
    })?;
    let (algorithm, runs, validation_target) = &all[chosen];
    let validation_target = validation_target.unwrap_or(f64::NAN);
    let test_column = format!("{}{}", setting.test_prefix, target.metric);
    let mut reports = Vec::new();
    for run in runs {
        reports.push(run_report(
            run,
            target,
            validation_target,
            setting,
            &test_column,
            read_test,
        )?);
    }
    let test_target = worst(reports.iter().filter_map(|r| r.test_value), target.goal);
    let runtime = runtime(setting, runs, &reports);
    if !(runtime.is_finite() && runtime > 0.0) {
        return Err(TargetsError::NoRuntime {
            workload: workload.to_string(),
            algorithm: algorithm.to_string(),
            runtime,
        }
        .into());
    }
    let step_hint = match setting.step_hint {
        StepHintSource::Spec => target.step_hint,
        StepHintSource::Runs => largest_step(runs),
    };
    Ok(DerivedWorkload {
        workload: workload.to_string(),
        metric: target.metric.clone(),
        goal: target.goal,
        validation_column: target.column.clone(),
        test_column,
        validation_target,
        test_target,
        budget: setting.budget_factor * runtime,
        runtime,
        step_hint,
        algorithm: algorithm.to_string(),
        candidates: all
            .iter()
            .map(|(name, runs, t)| Candidate {
                algorithm: name.to_string(),
                runs: runs.len(),
                validation_target: *t,
            })
            .collect(),
        runs: reports,
    })
}

/// The last time of a run's horizon: ∞ for the whole run, else the spec's
/// budget × `[budget] factor`.
fn horizon_limit(spec: &Spec, setting: &TargetSetting, workload: &str) -> Result<f64> {
    match setting.horizon {
        Horizon::Run => Ok(f64::INFINITY),
        Horizon::Budget => spec
            .budget_of(workload)
            .map(|b| b * spec.budget_factor)
            .ok_or_else(|| {
                TargetsError::NoBudget {
                    workload: workload.to_string(),
                    targets: spec.targets_path.clone(),
                }
                .into()
            }),
    }
}

/// A submission's runs of `workload`: per study, its trial with the best
/// validation value within the horizon (the first such trial on a tie).
fn runs_of<'a>(s: &'a Submission, workload: &str, goal: Goal, limit: f64) -> Vec<Run<'a>> {
    let mut runs: Vec<Run> = Vec::new();
    let trials = s.trials.iter().filter(|t| t.id.folder.workload == workload);
    for trial in trials {
        let rows = within(&trial.series.time, limit);
        let best = best_of(&trial.series.metric[..rows], goal);
        let study = &trial.id.folder.study;
        match runs.iter_mut().find(|r| &r.study == study) {
            Some(r) if goal.better(best, r.best) || (r.best.is_nan() && !best.is_nan()) => {
                *r = Run {
                    study: study.clone(),
                    trial,
                    rows,
                    best,
                };
            }
            Some(_) => {}
            None => runs.push(Run {
                study: study.clone(),
                trial,
                rows,
                best,
            }),
        }
    }
    runs.sort_by(|a, b| a.study.cmp(&b.study));
    runs
}

/// How many leading rows are at a time ≤ `limit` (all for ∞).
fn within(time: &[f64], limit: f64) -> usize {
    if limit == f64::INFINITY {
        return time.len();
    }
    // A NaN time ends the horizon too: it is not known to be within it.
    let past = |t: &f64| t.is_nan() || *t > limit;
    time.iter().position(past).unwrap_or(time.len())
}

/// The best non-NaN value by the goal; NaN when there is none.
fn best_of(values: &[f64], goal: Goal) -> f64 {
    values
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(f64::NAN, |acc, v| {
            if acc.is_nan() || goal.better(v, acc) {
                v
            } else {
                acc
            }
        })
}

/// The worst non-NaN value by the goal; NaN when there is none.
fn worst(values: impl Iterator<Item = f64>, goal: Goal) -> f64 {
    values.filter(|v| !v.is_nan()).fold(f64::NAN, |acc, v| {
        if acc.is_nan() || goal.better(acc, v) {
            v
        } else {
            acc
        }
    })
}

/// A run without a value counts as the worst possible one in the median.
fn worst_if_nan(v: f64, goal: Goal) -> f64 {
    match (v.is_nan(), goal) {
        (false, _) => v,
        (true, Goal::Minimize) => f64::INFINITY,
        (true, Goal::Maximize) => f64::NEG_INFINITY,
    }
}

/// The median of values without NaN, an even count per `even`; NaN for none.
pub fn median(values: &[f64], even: EvenMedian) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        return v[n / 2];
    }
    let (lower, upper) = (v[n / 2 - 1], v[n / 2]);
    match even {
        EvenMedian::Mean => (lower + upper) / 2.0,
        EvenMedian::Lower => lower,
        EvenMedian::Upper => upper,
    }
}

/// The index of the algorithm with the best finite target (the first by
/// name on a tie).
fn best_algorithm(all: &[(&str, Vec<Run>, Option<f64>)], goal: Goal) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, (_, _, t)) in all.iter().enumerate() {
        let Some(t) = *t else { continue };
        if best.is_none_or(|(_, b)| goal.better(t, b)) {
            best = Some((i, t));
        }
    }
    best.map(|(i, _)| i)
}

/// One chosen run: whether it reached, when, and its test value.
fn run_report(
    run: &Run,
    target: &WorkloadTarget,
    validation_target: f64,
    setting: &TargetSetting,
    test_column: &str,
    read_test: &mut ReadTest,
) -> Result<RunReport> {
    let series = &run.trial.series;
    let reached = target.goal.reached(run.best, validation_target);
    let first = (series.metric[..run.rows].iter())
        .position(|v| target.goal.reached(*v, validation_target))
        .filter(|_| reached);
    let test_value = match first {
        Some(at) => Some(test_value(
            run,
            at,
            setting,
            test_column,
            target.goal,
            read_test,
        )?),
        None => None,
    };
    Ok(RunReport {
        study: run.study.clone(),
        trial: run.trial.id.label(),
        file: run.trial.path.display().to_string(),
        best_validation: (!run.best.is_nan()).then_some(run.best),
        reached,
        time_to_target: first.map(|i| series.time[i]).filter(|t| !t.is_nan()),
        test_value,
    })
}

/// A reached run's test value, read from its file: the best within the
/// horizon or the one at row `at`; no number there is an error naming the
/// file.
fn test_value(
    run: &Run,
    at: usize,
    setting: &TargetSetting,
    column: &str,
    goal: Goal,
    read_test: &mut ReadTest,
) -> Result<f64> {
    let test = read_test(run.trial, column)?;
    let v = match setting.test_value {
        TestValue::Best => best_of(&test[..run.rows.min(test.len())], goal),
        TestValue::AtTarget => test.get(at).copied().unwrap_or(f64::NAN),
    };
    if v.is_nan() {
        return Err(TargetsError::NoTestValue {
            path: run.trial.path.clone(),
            column: column.to_string(),
            at_target: setting.test_value == TestValue::AtTarget,
        }
        .into());
    }
    Ok(v)
}

/// The target-setting runtime: over the reached runs' times to target, or
/// over every run's last time within the horizon.
fn runtime(setting: &TargetSetting, runs: &[Run], reports: &[RunReport]) -> f64 {
    let to_target: Vec<f64> = reports.iter().filter_map(|r| r.time_to_target).collect();
    match setting.runtime {
        Runtime::MedianTimeToTarget => median(&to_target, setting.even_median),
        Runtime::MaxTimeToTarget => to_target.iter().copied().fold(f64::NAN, f64::max),
        Runtime::MedianRunTime => {
            let last: Vec<f64> = (runs.iter())
                .filter_map(|r| {
                    r.trial.series.time[..r.rows]
                        .iter()
                        .rev()
                        .find(|t| !t.is_nan())
                })
                .copied()
                .collect();
            median(&last, setting.even_median)
        }
    }
}

/// The largest step the runs logged within the horizon (0 when none).
fn largest_step(runs: &[Run]) -> u64 {
    let steps = runs.iter().flat_map(|r| &r.trial.series.step[..r.rows]);
    let largest = steps.copied().filter(|s| s.is_finite()).fold(0.0, f64::max);
    largest.round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_even_counts() {
        let v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(median(&v, EvenMedian::Mean), 2.5);
        assert_eq!(median(&v, EvenMedian::Lower), 2.0);
        assert_eq!(median(&v, EvenMedian::Upper), 3.0);
        assert_eq!(median(&[5.0, 1.0, 3.0], EvenMedian::Lower), 3.0);
        assert!(median(&[], EvenMedian::Mean).is_nan());
    }

    #[test]
    fn best_and_worst_follow_the_goal() {
        let v = [0.3, f64::NAN, 0.1, 0.2];
        assert_eq!(best_of(&v, Goal::Minimize), 0.1);
        assert_eq!(best_of(&v, Goal::Maximize), 0.3);
        assert_eq!(worst(v.iter().copied(), Goal::Minimize), 0.3);
        assert_eq!(worst(v.iter().copied(), Goal::Maximize), 0.1);
        assert!(best_of(&[f64::NAN], Goal::Minimize).is_nan());
    }

    #[test]
    fn horizon_is_a_prefix_of_times_within_the_limit() {
        let t = [1.0, 2.0, 3.0];
        assert_eq!(within(&t, 2.0), 2);
        assert_eq!(within(&t, f64::INFINITY), 3);
        assert_eq!(within(&[1.0, f64::NAN, 2.0], 5.0), 1);
    }
}
