//! `spec explain`: the pipeline a spec defines, in plain words, for the
//! reviewer of a new benchmark version.

use std::fmt::Write;

use super::lang;
use super::{Spec, TauScale};
use crate::numeric::py_repr;

/// Describes the spec's scoring pipeline step by step.
pub fn explain(spec: &Spec) -> String {
    let mut s = String::new();
    header(&mut s, spec);
    trials(&mut s, spec);
    aggregation(&mut s, spec);
    profile(&mut s, spec);
    extras(&mut s, spec);
    s
}

/// The spec, its targets, and step 1: which files are read.
fn header(s: &mut String, spec: &Spec) {
    let _ = writeln!(
        s,
        "{} {} — {} ruleset ({})",
        spec.name,
        spec.version,
        spec.ruleset,
        spec.path.display()
    );
    if let Some(d) = &spec.description {
        let _ = writeln!(s, "{d}");
    }
    let _ = writeln!(s, "Targets: {}", spec.targets_path.display());
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "1. Read each trial's eval_measurements.csv in workload folders named <workload>_<{}>; time is the `{}` column.",
        spec.frameworks.join("|"),
        spec.columns.time
    );
    let _ =
        writeln!(
        s,
        "   Expected: {} studies per workload, {} trial{} per study, {} workloads per submission.",
        spec.expect.studies,
        spec.expect.trials_per_study,
        if spec.expect.trials_per_study == 1 { "" } else { "s" },
        spec.base.len() + spec.held_out.len()
    );
}

/// Step 2: a trial's time, and each workload's target.
fn trials(s: &mut String, spec: &Spec) {
    let _ = writeln!(
        s,
        "2. A trial's time: `{}` over its evaluation rows, against each workload's target:",
        spec.trial.text
    );
    let mut trial_words = Vec::new();
    if let Some(d) = lang::row_pick_def(spec.trial.pick) {
        trial_words.push((d.name, d.about));
    }
    for n in std::iter::once(&spec.trial.value).chain(spec.trial.cond.as_ref()) {
        trial_words.extend(lang::builtins(n));
    }
    trial_words.dedup();
    glossary(s, &trial_words);
    for w in spec.matrix_workloads() {
        if let Some(t) = spec.targets.get(&w) {
            let op = match t.goal {
                super::Goal::Minimize => "≤",
                super::Goal::Maximize => "≥",
            };
            let kind = if spec.is_base(&w) {
                "base".to_string()
            } else {
                format!("held-out variant of {}", spec.base_of(&w).unwrap_or("?"))
            };
            let budget = t
                .budget
                .map(|b| format!(", budget {} s", py_repr(b * spec.budget_factor)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "   - {w} ({kind}): {} {op} {}{budget}",
                t.column,
                py_repr(t.target)
            );
        }
    }
}

/// Steps 3–5: study, workload, and the matrix steps.
fn aggregation(s: &mut String, spec: &Spec) {
    let _ = writeln!(
        s,
        "3. A study's time: `{}` over its trials (a trial whose formula chose no row has time ∞).",
        spec.study.text
    );
    glossary(s, &lang::builtins(&spec.study.node));
    let _ = writeln!(
        s,
        "4. A submission's time on a workload: `{}` over its studies; a workload it did not run is empty (NaN).",
        spec.workload.text
    );
    glossary(s, &lang::builtins(&spec.workload.node));
    let _ = writeln!(
        s,
        "5. Leaderboard matrix (submissions × base and held-out workloads), then in order (each step reads the matrix as it was before it):"
    );
    for (i, step) in spec.steps.iter().enumerate() {
        let _ = writeln!(s, "   {}. {}", i + 1, step.text);
        if let Some(why) = step.never_acts(&spec.held_out) {
            let _ = writeln!(s, "      (never acts: {why})");
        }
        let mut words = lang::builtins(&step.value);
        for w in lang::builtins(&step.cond) {
            if !words.contains(&w) {
                words.push(w);
            }
        }
        glossary_indent(s, &words, "        ");
    }
}

/// Steps 6–8: ratios, the performance profile, the score.
fn profile(s: &mut String, spec: &Spec) {
    let _ = writeln!(s, "6. Only base workloads remain; each cell's ratio is `{}`. ∞ and NaN never count as solved.", spec.ratio.text);
    glossary(s, &lang::builtins(&spec.ratio.node));
    let grid = match spec.tau.scale {
        TauScale::Linear => "linearly",
        TauScale::Log => "logarithmically",
    };
    let weighted = spec.weights.values().any(|w| *w != 1.0);
    let total: f64 = spec.weights.values().sum();
    let _ = writeln!(
        s,
        "7. Performance profile: for {} values of τ spaced {grid} from {} to {}, ρ(τ) = `{}`: (base workloads{} where it holds) / {}.",
        spec.tau.points,
        py_repr(spec.tau.min),
        py_repr(spec.tau.max),
        spec.rho.text,
        if weighted { ", weighted" } else { "" },
        if weighted { py_repr(total) } else { spec.base.len().to_string() }
    );
    if weighted {
        let list: Vec<String> = spec
            .weights
            .iter()
            .map(|(w, x)| format!("{w} {}", py_repr(*x)))
            .collect();
        let _ = writeln!(s, "   Weights: {}.", list.join(", "));
    }
    let axis = match spec.tau.scale {
        TauScale::Linear => "τ",
        TauScale::Log => "log10 τ",
    };
    let _ = writeln!(
        s,
        "8. Score: `{}`; the grid's axis is {axis}.",
        spec.score.text
    );
    glossary(s, &lang::builtins(&spec.score.node));
}

/// Speedups' missed time, held-out sampling, and where each merged key came from.
fn extras(s: &mut String, spec: &Spec) {
    if let Some(m) = &spec.missed {
        let _ = writeln!(
            s,
            "Speedups count a missed target as `{}` seconds (factor {}).",
            m.text,
            py_repr(spec.budget_factor)
        );
    }
    if let Some(sampling) = &spec.sampling {
        let _ = writeln!(
            s,
            "Held-out sampling: seed {}, one variant drawn from each of {} groups ({}).",
            sampling.seed,
            sampling.groups.len(),
            sampling
                .groups
                .iter()
                .map(|g| g.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !spec.sources.is_empty() {
        let _ = writeln!(
            s,
            "\nMerged spec (`extends`), each key with the file it came from:"
        );
        let width = spec.sources.iter().map(|k| k.key.len()).max().unwrap_or(0);
        for k in &spec.sources {
            let value = k.value.split_whitespace().collect::<Vec<_>>().join(" ");
            let _ = writeln!(s, "  {:width$} = {value}    # {}", k.key, k.file.display());
        }
    }
}

/// Each built-in a formula uses, with its registry description.
fn glossary(s: &mut String, words: &[(&str, &str)]) {
    glossary_indent(s, words, "     ");
}

fn glossary_indent(s: &mut String, words: &[(&str, &str)], indent: &str) {
    for (name, about) in words {
        let _ = writeln!(s, "{indent}{name}: {about}");
    }
}

/// The same pipeline as one JSON document (schema/spec-explain.schema.json):
/// every formula as its canonical text, every matrix workload with its
/// target, the τ grid, weights, held-out sampling and, for a spec that
/// `extends` another, where each key came from. Numbers are the spec's;
/// budgets are already multiplied by the budget factor.
pub fn document(spec: &Spec) -> serde_json::Value {
    use serde_json::json;
    let workloads: Vec<serde_json::Value> = spec
        .matrix_workloads()
        .iter()
        .filter_map(|w| spec.targets.get(w).map(|t| (w, t)))
        .map(|(w, t)| {
            json!({
                "workload": w,
                "base_of": if spec.is_base(w) { None } else { spec.base_of(w) },
                "column": t.column,
                "goal": match t.goal {
                    super::Goal::Minimize => "minimize",
                    super::Goal::Maximize => "maximize",
                },
                "target": t.target,
                "budget": t.budget.map(|b| b * spec.budget_factor),
            })
        })
        .collect();
    let sampling = spec.sampling.as_ref().map(|s| {
        json!({
            "seed": seed_value(s.seed),
            "groups": s.groups.iter().map(|(g, pool)| json!({"group": g, "pool": pool})).collect::<Vec<_>>(),
        })
    });
    json!({
        "engine": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "spec": spec.path.display().to_string(),
        "name": spec.name,
        "version": spec.version,
        "ruleset": spec.ruleset,
        "description": spec.description,
        "targets": spec.targets_path.display().to_string(),
        "frameworks": spec.frameworks,
        "time_column": spec.columns.time,
        "expect": {
            "studies": spec.expect.studies,
            "trials_per_study": spec.expect.trials_per_study,
            "workloads": spec.base.len() + spec.held_out.len(),
        },
        "workloads": workloads,
        "formulas": {
            "trial": spec.trial.text,
            "study": spec.study.text,
            "workload": spec.workload.text,
            "steps": spec.steps.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(),
            "ratio": spec.ratio.text,
            "rho": spec.rho.text,
            "score": spec.score.text,
            "missed": spec.missed.as_ref().map(|m| m.text.as_str()),
        },
        "tau": {
            "scale": match spec.tau.scale {
                TauScale::Linear => "linear",
                TauScale::Log => "log",
            },
            "min": spec.tau.min,
            "max": spec.tau.max,
            "points": spec.tau.points,
        },
        "weights": spec.weights,
        "budget_factor": spec.budget_factor,
        "held_out_sampling": sampling,
        "sources": spec.sources.iter().map(|k| json!({
            "key": k.key,
            "value": k.value,
            "file": k.file.display().to_string(),
        })).collect::<Vec<_>>(),
    })
}

/// A held-out seed: a JSON number when it fits in 64 bits (every
/// published seed does), else its decimal digits as a string.
pub fn seed_value(seed: u128) -> serde_json::Value {
    match u64::try_from(seed) {
        Ok(n) => serde_json::json!(n),
        Err(_) => serde_json::json!(seed.to_string()),
    }
}
