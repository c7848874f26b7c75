//! `explain`: why a submission got what it got on one workload — per study
//! the trial picked and why, the aggregate, every rule step that changed the
//! value (with the best time a cut-off compared it to), and the final ratio.
//! How a submitter understands a zero. [`Leaderboard::explain`] decides
//! everything said; this module only words it (and writes it as JSON).

use crate::diagnostics::escape_controls;
use std::fmt::Write;

use schemars::JsonSchema;
use serde::Serialize;

use super::json::{Engine, Num};
use crate::numeric::py_repr;
use crate::score::explain::{Explanation, Partner, StepEffect};
use crate::score::{Leaderboard, StudyOutcome, TrialResult};
use crate::spec::lang::{Node, PickKey, Var};
use crate::spec::{Goal, Spec};

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

/// `explain --format json`: why one submission got what it got on one
/// workload.
///
/// Per study its trials and the one picked, the workload's aggregate, each
/// rule step's effect on the cell, the ratio and the score. ∞ (target
/// missed) is the string "inf"; a time that does not exist (not run) is
/// null.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ExplainDoc {
    pub engine: Engine,
    pub submission: String,
    /// The workload, without framework suffix.
    pub workload: String,
    /// The base workload when this is a held-out variant.
    pub held_out_of: Option<String>,
    pub target: TargetDoc,
    /// The spec's time column.
    pub time_column: String,
    /// The studies and the workload's aggregate; null when no trial of the
    /// workload was found.
    pub workload_time: Option<WorkloadTimeDoc>,
    /// The leaderboard matrix cell before any rule step.
    pub matrix: Num,
    /// Every rule step, in spec order.
    pub steps: Vec<StepDoc>,
    /// For a base workload: its time after the steps over the column's
    /// denominator; null for a held-out workload.
    pub ratio: Option<RatioDoc>,
    pub score: Num,
}

/// The compared metric column, its direction and its target.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TargetDoc {
    pub column: String,
    pub goal: Goal,
    pub value: Num,
}

/// The studies of the workload and their aggregate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct WorkloadTimeDoc {
    pub studies: Vec<StudyDoc>,
    /// The workload's time from the spec's workload formula.
    pub time: Num,
}

/// One study: its time, its trials, the picked one.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StudyDoc {
    pub study: String,
    /// The study's time from the spec's study formula.
    pub time: Num,
    pub trials: Vec<TrialDoc>,
}

/// One trial of a study, under the spec's trial formula.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TrialDoc {
    /// Whether the study kept this trial.
    pub picked: bool,
    pub study: String,
    /// The workload folder, with its framework suffix (wmt_jax).
    pub workload_folder: String,
    /// Empty for the submission's own folder, else the re-run folder's name.
    pub run: String,
    /// The trial folder (trial_3).
    pub trial: String,
    /// Index of the evaluation the trial formula chose; null when none
    /// qualified.
    pub evaluation: Option<usize>,
    /// The step counter at that evaluation; null when none.
    pub step: Num,
    /// The trial's time under the trial formula.
    pub time: Num,
    /// Best value of the compared metric, NaN skipped; null when every
    /// value is NaN.
    pub best: Num,
    pub evaluations: usize,
    /// Evaluations whose compared metric is NaN.
    pub nan: usize,
}

/// One rule step on the explained cell.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StepDoc {
    /// The step's canonical text.
    pub rule: String,
    pub before: Num,
    pub after: Num,
    /// Whether the step changed the cell (bit for bit).
    pub changed: bool,
    /// The step reads the cell's time.
    pub reads_time: bool,
    /// When the step reads `best`: the column's best time before the step,
    /// and who held it.
    pub best: Option<HeldDoc>,
    /// When the step reads `base` or `held_out`: the partner workload and
    /// its time before the step (both null when the spec names no partner
    /// among the columns).
    pub partner: Option<PartnerDoc>,
}

/// A column's best time and the submission holding it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HeldDoc {
    pub time: Num,
    /// The submission holding the best time; null when nobody ran the
    /// workload.
    pub holder: Option<String>,
}

/// The partner workload (the base, or the held-out variant) as a step read
/// it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PartnerDoc {
    /// null when the spec names no partner among the columns.
    pub workload: Option<String>,
    pub time: Num,
}

/// The ratio of the explained (base) workload after every step.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RatioDoc {
    /// The cell's time after the steps.
    pub time: Num,
    pub denominator: Num,
    /// Who holds the column's best time after the steps; null when nobody
    /// ran the workload.
    pub best_holder: Option<String>,
    pub ratio: Num,
    /// Finite and at most τ max: counts in the profile.
    pub solved: bool,
}

/// `explain --format json`: the explanation as one document (JSON Schema
/// `schema/explain.schema.json`; ∞ is `"inf"`, NaN `null`, as in the
/// leaderboard's document).
pub fn json(e: &Explanation) -> ExplainDoc {
    let step = |st: &StepEffect| StepDoc {
        rule: st.rule.clone(),
        before: Num(st.before),
        after: Num(st.after),
        changed: st.changed,
        reads_time: st.reads_time,
        best: st.best.as_ref().map(|b| HeldDoc {
            time: Num(b.time),
            holder: b.holder.clone(),
        }),
        partner: st.partner.as_ref().map(|p| match p {
            Partner::Ran { workload, time } => PartnerDoc {
                workload: Some(workload.clone()),
                time: Num(*time),
            },
            Partner::Missing => PartnerDoc {
                workload: None,
                time: Num(f64::NAN),
            },
        }),
    };
    ExplainDoc {
        engine: Engine::default(),
        submission: e.submission.clone(),
        workload: e.workload.clone(),
        held_out_of: e.held_out_of.clone(),
        target: TargetDoc {
            column: e.metric_column.clone(),
            goal: e.goal,
            value: Num(e.target),
        },
        time_column: e.time_column.clone(),
        workload_time: e.outcome.as_ref().map(|o| WorkloadTimeDoc {
            studies: o.studies.iter().map(study_json).collect(),
            time: Num(o.time),
        }),
        matrix: Num(e.matrix),
        steps: e.steps.iter().map(step).collect(),
        ratio: e.ratio.as_ref().map(|r| RatioDoc {
            time: Num(r.time),
            denominator: Num(r.denominator),
            best_holder: r.best_holder.clone(),
            ratio: Num(r.ratio),
            solved: r.solved,
        }),
        score: Num(e.score),
    }
}

/// One study as JSON: its time, its trials, the picked one.
fn study_json(st: &StudyOutcome) -> StudyDoc {
    let trial = |(k, t): (usize, &TrialResult)| TrialDoc {
        picked: st.picked == Some(k),
        study: t.id.folder.study.clone(),
        workload_folder: t.id.folder.name.clone(),
        run: t.id.folder.run.clone(),
        trial: t.id.trial.clone(),
        evaluation: t.outcome.first,
        step: Num(t.step),
        time: Num(t.outcome.time),
        best: Num(t.best),
        evaluations: t.evaluations,
        nan: t.nan,
    };
    StudyDoc {
        study: st.study.clone(),
        time: Num(st.time),
        trials: st.trials.iter().enumerate().map(trial).collect(),
    }
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
            PickKey::Metric(Var::TrialBest) => "best metric value".into(),
            PickKey::Metric(_) => "better final metric value".into(),
        })
        .collect();
    format!("each keeps the trial with the {}", words.join(", then "))
}
