//! `[target_setting]`: how `targets derive` turns repeated runs of
//! target-setting algorithms into targets and budgets (AlgoPerf's
//! procedure). Every number and choice of the procedure is here, written by
//! the spec, so a designer can change it; the engine holds none.

use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::SpecError;

/// The procedure's parameters (see docs/targets.md).
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct TargetSetting {
    /// Repetitions (studies) each algorithm should have run per workload;
    /// fewer or more is a warning (an error under `--strict`).
    pub runs: usize,
    /// Which median of an even number of values: the mean of the two
    /// middle ones, or the lower or upper of them.
    pub even_median: EvenMedian,
    /// The budget is this factor × the target-setting runtime (4/3 in
    /// AlgoPerf).
    pub budget_factor: f64,
    /// Which target-setting runtime the factor multiplies.
    pub runtime: Runtime,
    /// Which evaluations of a run count: all it logged, or those within
    /// the spec's current budget × `[budget] factor`.
    pub horizon: Horizon,
    /// Prefix of the test metric column (`test/`): the test column of a
    /// workload is this prefix and the targets file's metric.
    pub test_prefix: String,
    /// A run's test value: its best within the horizon, or the test value
    /// at its first evaluation that reached the validation target.
    pub test_value: TestValue,
    /// The written step hint: the spec's targets file's, or the largest
    /// step the chosen algorithm's runs logged within the horizon.
    pub step_hint: StepHintSource,
}

/// The median of an even number of values.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EvenMedian {
    /// The mean of the two middle values (numpy's `median`).
    Mean,
    /// The lower of the two middle values.
    Lower,
    /// The upper of the two middle values.
    Upper,
}

/// The target-setting runtime the budget factor multiplies.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Runtime {
    /// The median, over the chosen algorithm's runs that reached the
    /// validation target, of the time of the first evaluation reaching it.
    MedianTimeToTarget,
    /// The largest of those times.
    MaxTimeToTarget,
    /// The median over all the chosen algorithm's runs of the last time
    /// within the horizon.
    MedianRunTime,
}

impl Runtime {
    /// The name the spec writes.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::MedianTimeToTarget => "median_time_to_target",
            Runtime::MaxTimeToTarget => "max_time_to_target",
            Runtime::MedianRunTime => "median_run_time",
        }
    }
}

/// Which evaluations of a run count.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Horizon {
    /// Every evaluation the run logged.
    Run,
    /// Evaluations at a time ≤ the spec's budget × `[budget] factor`.
    Budget,
}

/// A run's test value.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TestValue {
    /// The best test value within the horizon.
    Best,
    /// The test value at the first evaluation that reached the validation
    /// target.
    AtTarget,
}

/// Where the written step hint comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StepHintSource {
    /// The spec's targets file.
    Spec,
    /// The largest step the chosen algorithm's runs logged within the
    /// horizon.
    Runs,
}

/// `budget_factor = 1.5` or `budget_factor = "4/3"` (a ratio TOML cannot
/// write exactly as a number).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub(super) enum RawFactor {
    Number(f64),
    Text(String),
}

/// `[target_setting]` as written.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTargetSetting {
    /// Repetitions (studies) each algorithm should have run per workload.
    #[schemars(with = "i64")]
    runs: Spanned<i64>,
    /// Which median of an even number of runs: `mean`, `lower` or `upper`.
    even_median: EvenMedian,
    /// The budget is this factor × the target-setting runtime: a number
    /// (`1.5`) or a ratio (`"4/3"`).
    #[schemars(with = "RawFactor")]
    budget_factor: Spanned<RawFactor>,
    runtime: Runtime,
    horizon: Horizon,
    test_prefix: String,
    test_value: TestValue,
    step_hint: StepHintSource,
}

type At<'a> = dyn Fn(std::ops::Range<usize>, String) -> SpecError + 'a;

impl RawTargetSetting {
    /// The checked table; problems (with their place) go to `errors`.
    pub(super) fn check(&self, at: &At, errors: &mut Vec<SpecError>) -> Option<TargetSetting> {
        let runs = *self.runs.get_ref();
        if runs < 1 {
            errors.push(at(
                self.runs.span(),
                format!("[target_setting] runs must be at least 1, found {runs}"),
            ));
        }
        let factor = factor_value(self.budget_factor.get_ref());
        let factor = match factor {
            Some(f) if f.is_finite() && f > 0.0 => Some(f),
            _ => {
                errors.push(
                    at(
                        self.budget_factor.span(),
                        "[target_setting] budget_factor must be a positive number".into(),
                    )
                    .expected("a number (`1.5`) or a ratio of two (`\"4/3\"`)"),
                );
                None
            }
        };
        Some(TargetSetting {
            runs: usize::try_from(runs).ok().filter(|r| *r >= 1)?,
            even_median: self.even_median,
            budget_factor: factor?,
            runtime: self.runtime,
            horizon: self.horizon,
            test_prefix: self.test_prefix.clone(),
            test_value: self.test_value,
            step_hint: self.step_hint,
        })
    }
}

/// The factor a number or an `"A/B"` ratio stands for.
fn factor_value(raw: &RawFactor) -> Option<f64> {
    match raw {
        RawFactor::Number(x) => Some(*x),
        RawFactor::Text(t) => match t.split_once('/') {
            Some((a, b)) => {
                let (a, b) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
                Some(a / b)
            }
            None => t.trim().parse().ok(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_and_numbers() {
        assert_eq!(
            factor_value(&RawFactor::Text("4/3".into())),
            Some(4.0 / 3.0)
        );
        assert_eq!(factor_value(&RawFactor::Text(" 3 / 2 ".into())), Some(1.5));
        assert_eq!(factor_value(&RawFactor::Number(2.0)), Some(2.0));
        assert_eq!(factor_value(&RawFactor::Text("four".into())), None);
        // 1/0 is infinite: refused by the check, not here.
        assert_eq!(
            factor_value(&RawFactor::Text("1/0".into())),
            Some(f64::INFINITY)
        );
    }
}
