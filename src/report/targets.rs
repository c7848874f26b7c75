//! The files `targets derive` writes: the engine's TOML targets file, the
//! upstream `workload_targets*.json` and `max_runtimes.json` forms, and the
//! text report of which algorithm and runs set each target
//! (docs/targets.md).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::numeric::py_repr;
use crate::score::targets::DerivedWorkload;
use crate::spec::target_setting::TargetSetting;
use crate::spec::Goal;

use super::error::ReportError;

/// What the written files say of where they came from.
pub struct Origin<'a> {
    /// The benchmark version (`[benchmark] version` of the spec).
    pub version: &'a str,
    pub spec: &'a str,
    pub submissions: &'a str,
}

/// A TOML key: bare when it can be, else a quoted, escaped string.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && (name.chars()).all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        name.to_string()
    } else {
        toml::Value::String(name.to_string()).to_string()
    }
}

fn goal_word(goal: Goal) -> &'static str {
    match goal {
        Goal::Minimize => "minimize",
        Goal::Maximize => "maximize",
    }
}

/// The engine's TOML targets file (the format `[benchmark] targets` reads).
pub fn toml_text(origin: &Origin, workloads: &[DerivedWorkload]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Targets set by `algoperf-engine targets derive`");
    let _ = writeln!(
        out,
        "# from the runs under {}",
        one_line(origin.submissions)
    );
    let _ = writeln!(
        out,
        "# with the [target_setting] of {}.",
        one_line(origin.spec)
    );
    let _ = writeln!(out, "\n[targets]\nversion = {}", quoted(origin.version));
    for w in workloads {
        let _ = writeln!(
            out,
            "\n# set by `{}`: {}",
            one_line(&w.algorithm),
            runs_line(w)
        );
        let _ = writeln!(out, "[workloads.{}]", key(&w.workload));
        let _ = writeln!(out, "metric = {}", quoted(&w.metric));
        let _ = writeln!(out, "goal = \"{}\"", goal_word(w.goal));
        let _ = writeln!(out, "target = {}", float(w.validation_target));
        let _ = writeln!(out, "test_target = {}", float(w.test_target));
        let _ = writeln!(out, "step_hint = {}", w.step_hint);
        let _ = writeln!(out, "budget = {}", float(w.budget));
    }
    out
}

/// A TOML float: Python's repr is one (`30.85`, `1e-05`, `2.0`).
fn float(x: f64) -> String {
    py_repr(x)
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text on one comment line: line breaks shown, not obeyed.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// `studies study_0, study_2 of 3 reached the target`.
fn runs_line(w: &DerivedWorkload) -> String {
    let reached: Vec<&str> = (w.runs.iter())
        .filter(|r| r.reached)
        .map(|r| r.study.as_str())
        .collect();
    format!(
        "{} of {} runs reached the target ({})",
        reached.len(),
        w.runs.len(),
        one_line(&reached.join(", "))
    )
}

/// One workload of an upstream `workload_targets*.json`.
#[derive(Serialize)]
struct UpstreamTarget<'a> {
    target_metric_name: &'a str,
    validation_target_value: f64,
    test_target_value: f64,
    step_hint: u64,
}

#[derive(Serialize)]
struct UpstreamFile<'a> {
    _comment: String,
    benchmark_version: &'a str,
    workloads: BTreeMap<&'a str, UpstreamTarget<'a>>,
}

/// The upstream `workload_targets*.json` form (what a spec's `[upstream]`
/// table reads; budgets and directions are not in it).
pub fn upstream_json(
    origin: &Origin,
    workloads: &[DerivedWorkload],
) -> Result<String, ReportError> {
    let file = UpstreamFile {
        _comment: format!(
            "Targets set by `algoperf-engine targets derive` from the runs under {} with the [target_setting] of {}.",
            origin.submissions, origin.spec
        ),
        benchmark_version: origin.version,
        workloads: (workloads.iter())
            .map(|w| {
                let t = UpstreamTarget {
                    target_metric_name: &w.metric,
                    validation_target_value: w.validation_target,
                    test_target_value: w.test_target,
                    step_hint: w.step_hint,
                };
                (w.workload.as_str(), t)
            })
            .collect(),
    };
    super::json::to_text(&file)
}

/// The budgets in the upstream `max_runtimes.json` form, under the key
/// `origin.version` (`[upstream] budgets_version`).
pub fn budgets_json(origin: &Origin, workloads: &[DerivedWorkload]) -> Result<String, ReportError> {
    let budgets: BTreeMap<&str, f64> = (workloads.iter())
        .map(|w| (w.workload.as_str(), w.budget))
        .collect();
    let doc = serde_json::json!({ origin.version: { "budgets": budgets } });
    super::json::to_text(&doc)
}

/// The text report: per workload, the targets and budget, the algorithm
/// that set them and its runs, and every candidate's target.
pub fn report_text(workloads: &[DerivedWorkload], setting: &TargetSetting) -> String {
    let (factor, runtime) = (setting.budget_factor, setting.runtime.name());
    let mut out = String::new();
    for w in workloads {
        let _ = writeln!(
            out,
            "{} ({} {}, {}): validation target {}, test target {}, budget {} s = {} × {} s ({runtime}), step hint {}",
            w.workload,
            w.validation_column,
            goal_word(w.goal),
            w.test_column,
            py_repr(w.validation_target),
            py_repr(w.test_target),
            py_repr(w.budget),
            py_repr(factor),
            py_repr(w.runtime),
            w.step_hint
        );
        let _ = writeln!(out, "  set by {}: {}", w.algorithm, runs_line(w));
        for r in &w.runs {
            let _ = writeln!(
                out,
                "    {} {}: best {}{}{}",
                r.study,
                r.trial,
                opt(r.best_validation),
                r.time_to_target
                    .map_or(String::new(), |t| format!(", reached at {} s", py_repr(t))),
                r.test_value
                    .map_or(String::new(), |t| format!(", test {}", py_repr(t))),
            );
        }
        let candidates: Vec<String> = (w.candidates.iter())
            .map(|c| {
                format!(
                    "{} {} ({} runs)",
                    c.algorithm,
                    opt(c.validation_target),
                    c.runs
                )
            })
            .collect();
        let _ = writeln!(out, "  candidates: {}", candidates.join(", "));
    }
    out
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "none".to_string(), py_repr)
}
