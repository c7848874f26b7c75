//! `explain`: why a submission got what it got on one workload — per study
//! the trial picked and why, the aggregate, every rule step that changed the
//! value (with the best time a cut-off compared it to), and the final ratio.
//! How a submitter understands a zero.

use std::fmt::Write;

use crate::ingest::Submission;
use crate::numeric::py_repr;
use crate::score::{Leaderboard, StepResult};
use crate::spec::lang::{Node, PickKey, Var};
use crate::spec::Spec;

fn t(x: f64) -> String {
    if x.is_nan() {
        "not run (NaN)".into()
    } else if x.is_infinite() {
        "∞".into()
    } else {
        format!("{} s", py_repr(x))
    }
}

/// The submission holding the smallest value of a column (NaN skipped).
fn best_holder<'a>(lb: &'a Leaderboard, m: &nalgebra::DMatrix<f64>, c: usize) -> Option<&'a str> {
    (0..lb.submissions.len())
        .filter(|&r| !m[(r, c)].is_nan())
        .min_by(|&a, &b| m[(a, c)].total_cmp(&m[(b, c)]))
        .map(|r| lb.submissions[r].as_str())
}

/// The explanation text; an error message when the submission or workload
/// is not there.
pub fn explain(
    spec: &Spec,
    lb: &Leaderboard,
    submission: &Submission,
    workload: &str,
) -> Result<String, String> {
    let row = lb
        .row(&submission.name)
        .ok_or_else(|| format!("submission `{}` was not scored", submission.name))?;
    let col = lb
        .workloads
        .iter()
        .position(|w| w == workload)
        .ok_or_else(|| {
            format!(
                "`{workload}` is not a workload of {} (base or held-out): one of {}",
                spec.path.display(),
                lb.workloads.join(", ")
            )
        })?;
    let target = spec
        .targets
        .get(workload)
        .ok_or_else(|| format!("`{workload}` has no target"))?;
    let mut s = String::new();
    let op = match target.goal {
        crate::spec::Goal::Minimize => "≤",
        crate::spec::Goal::Maximize => "≥",
    };
    let role = match spec.base_of(workload) {
        Some(b) => format!("held-out variant of {b}"),
        None => "base workload".into(),
    };
    let _ = writeln!(
        s,
        "{} on {workload} ({role}); target {} {op} {}; time column `{}`",
        submission.name,
        target.column,
        py_repr(target.target),
        spec.columns.time
    );

    // Studies.
    match lb.outcomes[row].get(workload) {
        None => {
            let _ = writeln!(
                s,
                "\nNo trial of this workload was found: the time is NaN (not run), never solved."
            );
        }
        Some(o) => {
            let _ = writeln!(s, "\nStudies ({}):", study_rule(spec));
            for st in &o.studies {
                let _ = writeln!(s, "  {}: {}", st.study, t(st.time));
                for (i, out) in &st.trials {
                    let trial = &submission.trials[*i];
                    let mark = if st.picked == Some(*i) { "→" } else { " " };
                    let line = match out.first {
                        Some(first) => format!(
                            "reached at evaluation {} (step {}), time {}",
                            first,
                            py_repr(trial.series.step[first]),
                            t(out.time)
                        ),
                        None => {
                            let m = &trial.series.metric;
                            let best = m.iter().copied().filter(|v| !v.is_nan()).reduce(|a, b| {
                                if target.goal.better(b, a) {
                                    b
                                } else {
                                    a
                                }
                            });
                            let nan = m.iter().filter(|v| v.is_nan()).count();
                            let mut l = match best {
                                Some(b) => format!(
                                    "never reached; best {} = {}",
                                    target.column,
                                    py_repr(b)
                                ),
                                None => format!("never reached; every {} is NaN", target.column),
                            };
                            if nan > 0 {
                                l.push_str(&format!(" ({nan} of {} evaluations NaN)", m.len()));
                            }
                            l
                        }
                    };
                    let _ = writeln!(s, "    {mark} {}: {line}", trial.label());
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
    }

    // Rule steps.
    let _ = writeln!(
        s,
        "\nLeaderboard matrix: {}",
        t(lb.time_to_targets[(row, col)])
    );
    let mut before = &lb.time_to_targets;
    let columns_of_interest: Vec<usize> = {
        let mut v = vec![col];
        let partner = match spec.base_of(workload) {
            Some(b) => lb.workloads.iter().position(|w| w == b),
            None => spec
                .held_out
                .iter()
                .find(|h| h.base == workload)
                .and_then(|h| lb.workloads.iter().position(|w| *w == h.variant)),
        };
        v.extend(partner);
        v
    };
    for (i, StepResult { step, best, matrix }) in lb.rules.steps.iter().enumerate() {
        let old = before[(row, col)];
        let new = matrix[(row, col)];
        let changed = old.to_bits() != new.to_bits();
        let formula = super::json::step_formula(step);
        let why = {
            let mut parts = Vec::new();
            if step.uses(Var::CellTime) {
                parts.push(format!("time {}", t(old)));
            }
            if step.uses(Var::CellBest) {
                parts.push(format!(
                    "best {} (held by {})",
                    t(best[col]),
                    best_holder(lb, before, col).unwrap_or("nobody")
                ));
            }
            if step.uses(Var::CellBase) || step.uses(Var::CellHeldOut) {
                parts.push(match columns_of_interest.get(1).copied() {
                    Some(c) => format!("{} is {} here", lb.workloads[c], t(before[(row, c)])),
                    None => "its partner workload did not run".into(),
                });
            }
            if parts.is_empty() {
                "its condition holds here".to_string()
            } else {
                parts.join(", ")
            }
        };
        if changed {
            let _ = writeln!(
                s,
                "  step {} `{formula}`: {} → {}: {why}",
                i + 1,
                t(old),
                t(new)
            );
        } else {
            let _ = writeln!(s, "  step {} `{formula}`: unchanged", i + 1);
        }
        before = matrix;
    }

    // Ratio.
    match lb.rules.base.iter().position(|w| w == workload) {
        Some(k) => {
            let ratio = lb.rules.ratios[(row, k)];
            let den = lb.rules.denominators[k];
            let who = best_holder(lb, before, col).unwrap_or("nobody");
            let _ = writeln!(
                s,
                "\nRatio: {} / {} (best, held by {who}) = {}",
                t(before[(row, col)]),
                t(den),
                if ratio.is_finite() {
                    py_repr(ratio)
                } else {
                    t(ratio)
                }
            );
            if ratio.is_finite() && ratio <= spec.tau.max {
                let _ = writeln!(
                    s,
                    "Solved for τ ≥ {}: counts 1/{} of ρ(τ) from there to τ = {}.",
                    py_repr(ratio),
                    spec.base.len(),
                    py_repr(spec.tau.max)
                );
            } else {
                let _ = writeln!(s, "Not solved: this workload adds nothing to the score.");
            }
        }
        None => {
            let _ = writeln!(
                s,
                "\n{workload} is a held-out workload: it has no ratio of its own; it counts through its base workload's step above."
            );
        }
    }
    let _ = writeln!(
        s,
        "Score of {}: {}",
        submission.name,
        py_repr(lb.rules.scores[row])
    );
    Ok(s)
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
