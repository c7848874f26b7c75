//! `--format json`: the whole scoring in one document — the spec's identity,
//! the submissions, per-workload times (raw and after each rule step),
//! ratios, the profile and the scores. Its JSON Schema is
//! `schema/leaderboard.schema.json`.
//!
//! JSON has no ∞ or NaN: ∞ (target missed) is the string `"inf"`, NaN
//! (workload not run) is `null`.

use serde_json::{json, Map, Value};

use crate::diagnostics::Warnings;
use crate::score::Leaderboard;
use crate::spec::{Spec, Step};

/// A time, ratio or score as JSON.
pub fn number(x: f64) -> Value {
    if x.is_nan() {
        Value::Null
    } else if x.is_infinite() {
        if x > 0.0 {
            json!("inf")
        } else {
            json!("-inf")
        }
    } else {
        json!(x)
    }
}

fn matrix(lb: &Leaderboard, columns: &[String], m: &nalgebra::DMatrix<f64>) -> Value {
    let mut out = Map::new();
    for (r, s) in lb.submissions.iter().enumerate() {
        let row: Map<String, Value> = columns
            .iter()
            .enumerate()
            .map(|(c, w)| (w.clone(), number(m[(r, c)])))
            .collect();
        out.insert(s.clone(), Value::Object(row));
    }
    Value::Object(out)
}

/// The rule step's canonical text (the AST printed back).
pub fn step_formula(step: &Step) -> String {
    step.text.clone()
}

/// The JSON document of a scoring run.
pub fn document(spec: &Spec, lb: &Leaderboard, warnings: &Warnings) -> Value {
    let steps: Vec<Value> = lb
        .rules
        .steps
        .iter()
        .map(|s| {
            json!({
                "rule": step_formula(&s.step),
                "times": matrix(lb, &lb.workloads, &s.matrix),
            })
        })
        .collect();
    let scores: Map<String, Value> = lb
        .submissions
        .iter()
        .zip(&lb.rules.scores)
        .map(|(s, v)| (s.clone(), number(*v)))
        .collect();
    let denominators: Map<String, Value> = lb
        .rules
        .base
        .iter()
        .zip(&lb.rules.denominators)
        .map(|(w, d)| (w.clone(), number(*d)))
        .collect();
    json!({
        "engine": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "spec": spec_section(spec),
        "submissions": lb.submissions,
        "workloads": lb.workloads,
        "times": {
            "raw": matrix(lb, &lb.workloads, &lb.time_to_targets),
            "steps": steps,
        },
        "base_workloads": lb.rules.base,
        "denominators": denominators,
        "ratios": matrix(lb, &lb.rules.base, &lb.rules.ratios),
        "tau": lb.rules.tau.values.iter().map(|t| number(*t)).collect::<Vec<_>>(),
        "profile": profile_section(lb),
        "scores": scores,
        "ranking": ranking_section(spec, lb),
        "warnings": warnings
            .items()
            .iter()
            .map(|w| json!({"summary": w.kind(), "location": w.location()}))
            .collect::<Vec<_>>(),
    })
}

/// The spec the run was scored under, so that a JSON result can be traced
/// back to the ruleset, its base workloads and each held-out variant's base.
fn spec_section(spec: &Spec) -> Value {
    let held_out: Map<String, Value> = spec
        .held_out
        .iter()
        .map(|h| (h.variant.clone(), json!(h.base)))
        .collect();
    json!({
        "path": spec.path.display().to_string(),
        "name": spec.name,
        "version": spec.version,
        "ruleset": spec.ruleset,
        "base_workloads": spec.base,
        "held_out_workloads": held_out,
    })
}

/// Each submission's performance profile, one value per τ in `tau`'s order,
/// so a reader can redraw the profile plot without recomputing it.
fn profile_section(lb: &Leaderboard) -> Map<String, Value> {
    lb.submissions
        .iter()
        .enumerate()
        .map(|(r, s)| {
            (
                s.clone(),
                Value::Array(
                    (0..lb.rules.tau.values.len())
                        .map(|j| number(lb.rules.profile[(r, j)]))
                        .collect(),
                ),
            )
        })
        .collect()
}

/// The leaderboard in rank order (ties by name, as in every report), with
/// how many base workloads each submission solved within the spec's largest
/// τ, so a reader sees what each score rests on.
fn ranking_section(spec: &Spec, lb: &Leaderboard) -> Vec<Value> {
    lb.ranking()
        .into_iter()
        .map(|(rank, r)| {
            json!({
                "rank": rank,
                "submission": lb.submissions[r],
                "score": number(lb.rules.scores[r]),
                "solved": lb.solved(r, spec.tau.max),
            })
        })
        .collect()
}
