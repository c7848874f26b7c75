//! `explain`: why a submission got what it got on one workload — per study
//! the trial picked and why, the aggregate, every rule step that changed the
//! value (with the best time a cut-off compared it to), and the final ratio.
//! How a submitter understands a zero. [`Leaderboard::explain`] decides
//! everything said; this module only words it (and writes it as JSON).

use crate::diagnostics::escape_controls;
use std::fmt::Write;

use serde_json::{json, Value};

use super::json::number;
use crate::numeric::py_repr;
use crate::score::explain::{Explanation, Partner};
use crate::score::{Leaderboard, StudyOutcome, TrialResult};
use crate::spec::lang::{Node, PickKey, Var};
use crate::spec::Spec;

use crate::score::error::ScoreError;

fn t(x: f64) -> String {
    if x.is_nan() {
        "not run (NaN)".into()
    } else if x.is_infinite() {
        "∞".into()
    } else {
        format!("{} s", py_repr(x))
    }
}

/// The explanation text of `submission` on `workload`; an error message
/// when the submission or workload is not there.
pub fn explain(
    spec: &Spec,
    lb: &Leaderboard,
    submission: &str,
    workload: &str,
) -> Result<String, ScoreError> {
    lb.explain(spec, submission, workload)
        .map(|e| text(spec, &e))
}

/// An explanation as text: the target, the studies, the rule steps, the
/// ratio and the score.
pub fn text(spec: &Spec, e: &Explanation) -> String {
    let mut s = String::new();
    let op = match e.goal {
        crate::spec::Goal::Minimize => "≤",
        crate::spec::Goal::Maximize => "≥",
    };
    let role = match &e.held_out_of {
        Some(b) => format!("held-out variant of {b}"),
        None => "base workload".into(),
    };
    let _ = writeln!(
        s,
        "{} on {} ({role}); target {} {op} {}; time column `{}`",
        escape_controls(&e.submission),
        e.workload,
        e.metric_column,
        py_repr(e.target),
        e.time_column
    );
    studies(&mut s, spec, e);
    steps(&mut s, e);
    ratio(&mut s, spec, e);
    let _ = writeln!(
        s,
        "Score of {}: {}",
        escape_controls(&e.submission),
        py_repr(e.score)
    );
    s
}

/// Per study its time and trials (the picked one marked), and the aggregate.
fn studies(s: &mut String, spec: &Spec, e: &Explanation) {
    let Some(o) = &e.outcome else {
        let _ = writeln!(
            s,
            "\nNo trial of this workload was found: the time is NaN (not run), never solved."
        );
        return;
    };
    let _ = writeln!(s, "\nStudies ({}):", study_rule(spec));
    for st in &o.studies {
        let _ = writeln!(s, "  {}: {}", escape_controls(&st.study), t(st.time));
        for (k, trial) in st.trials.iter().enumerate() {
            let mark = if st.picked == Some(k) { "→" } else { " " };
            let line = trial_line(trial, &e.metric_column);
            let label = trial.id.label();
            let _ = writeln!(s, "    {mark} {}: {line}", escape_controls(&label));
        }
    }
    let times: Vec<String> = o.studies.iter().map(|st| t(st.time)).collect();
    let _ = writeln!(
        s,
        "{} with studies ({}) = {}",
        spec.workload.text,
        times.join(", "),
        t(o.time)
    );
}

/// A trial's line: where it reached the target, or its best value.
fn trial_line(trial: &TrialResult, column: &str) -> String {
    let out = trial.outcome;
    if let Some(first) = out.first {
        return format!(
            "reached at evaluation {} (step {}), time {}",
            first,
            py_repr(trial.step),
            t(out.time)
        );
    }
    let mut l = if trial.best.is_nan() {
        format!("never reached; every {column} is NaN")
    } else {
        format!("never reached; best {column} = {}", py_repr(trial.best))
    };
    if trial.nan > 0 {
        l.push_str(&format!(
            " ({} of {} evaluations NaN)",
            trial.nan, trial.evaluations
        ));
    }
    l
}

/// The matrix cell, then each rule step: what it changed and what it read.
fn steps(s: &mut String, e: &Explanation) {
    let _ = writeln!(s, "\nLeaderboard matrix: {}", t(e.matrix));
    for (i, step) in e.steps.iter().enumerate() {
        let formula = &step.rule;
        if !step.changed {
            let _ = writeln!(s, "  step {} `{formula}`: unchanged", i + 1);
            continue;
        }
        let mut parts = Vec::new();
        if step.reads_time {
            parts.push(format!("time {}", t(step.before)));
        }
        if let Some(best) = &step.best {
            parts.push(format!(
                "best {} (held by {})",
                t(best.time),
                escape_controls(best.holder.as_deref().unwrap_or("nobody"))
            ));
        }
        parts.extend(step.partner.as_ref().map(|p| match p {
            Partner::Ran { workload, time } => format!("{workload} is {} here", t(*time)),
            Partner::Missing => "its partner workload did not run".into(),
        }));
        let why = if parts.is_empty() {
            "its condition holds here".to_string()
        } else {
            parts.join(", ")
        };
        let _ = writeln!(
            s,
            "  step {} `{formula}`: {} → {}: {why}",
            i + 1,
            t(step.before),
            t(step.after)
        );
    }
}

/// The ratio and whether it counts, or why a held-out workload has none.
fn ratio(s: &mut String, spec: &Spec, e: &Explanation) {
    let Some(r) = &e.ratio else {
        let _ = writeln!(
            s,
            "\n{} is a held-out workload: it has no ratio of its own; it counts through its base workload's step above.",
            e.workload
        );
        return;
    };
    let _ = writeln!(
        s,
        "\nRatio: {} / {} (best, held by {}) = {}",
        t(r.time),
        t(r.denominator),
        escape_controls(r.best_holder.as_deref().unwrap_or("nobody")),
        if r.ratio.is_finite() {
            py_repr(r.ratio)
        } else {
            t(r.ratio)
        }
    );
    if r.solved {
        let _ = writeln!(
            s,
            "Solved for τ ≥ {}: counts 1/{} of ρ(τ) from there to τ = {}.",
            py_repr(r.ratio),
            spec.base.len(),
            py_repr(spec.tau.max)
        );
    } else {
        let _ = writeln!(s, "Not solved: this workload adds nothing to the score.");
    }
}

/// `explain --format json`: the explanation as one document (JSON Schema
/// `schema/explain.schema.json`; ∞ is `"inf"`, NaN `null`, as in the
/// leaderboard's document).
pub fn json(e: &Explanation) -> Value {
    let studies = e.outcome.as_ref().map(|o| {
        json!({
            "studies": o.studies.iter().map(study_json).collect::<Vec<_>>(),
            "time": number(o.time),
        })
    });
    let steps: Vec<Value> = e
        .steps
        .iter()
        .map(|st| {
            json!({
                "rule": st.rule,
                "before": number(st.before),
                "after": number(st.after),
                "changed": st.changed,
                "reads_time": st.reads_time,
                "best": st.best.as_ref().map(|b| json!({
                    "time": number(b.time),
                    "holder": b.holder,
                })),
                "partner": st.partner.as_ref().map(|p| match p {
                    Partner::Ran { workload, time } => {
                        json!({"workload": workload, "time": number(*time)})
                    }
                    Partner::Missing => json!({"workload": null, "time": null}),
                }),
            })
        })
        .collect();
    let ratio = e.ratio.as_ref().map(|r| {
        json!({
            "time": number(r.time),
            "denominator": number(r.denominator),
            "best_holder": r.best_holder,
            "ratio": number(r.ratio),
            "solved": r.solved,
        })
    });
    json!({
        "engine": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "submission": e.submission,
        "workload": e.workload,
        "held_out_of": e.held_out_of,
        "target": {
            "column": e.metric_column,
            "goal": match e.goal {
                crate::spec::Goal::Minimize => "minimize",
                crate::spec::Goal::Maximize => "maximize",
            },
            "value": number(e.target),
        },
        "time_column": e.time_column,
        "workload_time": studies,
        "matrix": number(e.matrix),
        "steps": steps,
        "ratio": ratio,
        "score": number(e.score),
    })
}

/// One study as JSON: its time, its trials, the picked one.
fn study_json(st: &StudyOutcome) -> Value {
    let trials: Vec<Value> = st
        .trials
        .iter()
        .enumerate()
        .map(|(k, t)| {
            json!({
                "picked": st.picked == Some(k),
                "study": t.id.folder.study,
                "workload_folder": t.id.folder.name,
                "run": t.id.folder.run,
                "trial": t.id.trial,
                "evaluation": t.outcome.first,
                "step": number(t.step),
                "time": number(t.outcome.time),
                "best": number(t.best),
                "evaluations": t.evaluations,
                "nan": t.nan,
            })
        })
        .collect();
    json!({
        "study": st.study,
        "time": number(st.time),
        "trials": trials,
    })
}

/// How a study keeps its time, in words for `pick` and as written otherwise.
fn study_rule(spec: &Spec) -> String {
    let Node::Pick(keys) = &spec.study.node else {
        return format!("each takes `{}`", spec.study.text);
    };
    let words: Vec<String> = keys
        .iter()
        .map(|k| match k {
            PickKey::Name => "first name".to_string(),
            PickKey::Number(Node::Var(Var::TrialEvalIndex)) => "earliest evaluation index".into(),
            PickKey::Number(Node::Var(Var::TrialTime)) => "smallest time".into(),
            PickKey::Number(_) => "smallest key".into(),
        })
        .collect();
    format!("each keeps the trial with the {}", words.join(", then "))
}
