//! `spec explain`: the pipeline a spec defines, in plain words, for the
//! reviewer of a new benchmark version.

use std::fmt::Write;

use super::{Aggregate, Denominator, PickKey, Scope, Spec, Step, TauScale};
use crate::numeric::py_repr;

/// Describes the spec's scoring pipeline step by step.
pub fn explain(spec: &Spec) -> String {
    let mut s = String::new();
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
    let _ = writeln!(s, "2. A trial's time is the time of its first evaluation that reaches the workload's target (∞ if none does):");
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
    let keys: Vec<&str> = spec
        .pick
        .iter()
        .map(|k| match k {
            PickKey::EvalIndex => "the earliest evaluation index reaching the target",
            PickKey::Time => "the smallest time-to-target",
        })
        .collect();
    let _ = writeln!(
        s,
        "3. Each study keeps one trial among those that reached the target: {}; remaining ties go to the smaller time, then the smaller trial name. A study where no trial reached the target takes ∞.",
        keys.join(", then ")
    );
    let agg = match spec.aggregate {
        Aggregate::Median => {
            "the median of its studies' times (mean of the two middle ones for an even count)"
        }
        Aggregate::Mean => "the mean of its studies' times",
        Aggregate::Min => "the smallest of its studies' times",
        Aggregate::Max => "the largest of its studies' times",
    };
    let _ = writeln!(
        s,
        "4. A submission's time on a workload is {agg}; a workload it did not run is empty (NaN)."
    );
    let _ = writeln!(
        s,
        "5. Leaderboard matrix (submissions × base and held-out workloads), then in order:"
    );
    for (i, step) in spec.steps.iter().enumerate() {
        let text = match step {
            Step::HeldOutNeedsBase => {
                "each held-out workload becomes ∞ where its base workload is not finite".to_string()
            }
            Step::BaseNeedsHeldOut => {
                "each base workload becomes ∞ where its held-out variant is not finite".to_string()
            }
            Step::CutOff { scope, factor } => format!(
                "in {} columns, a time above {} × the column's best time becomes ∞",
                match scope {
                    Scope::All => "all",
                    Scope::Base => "base",
                    Scope::HeldOut => "held-out",
                },
                py_repr(*factor)
            ),
        };
        let _ = writeln!(s, "   {}. {text}", i + 1);
    }
    let den = match &spec.denominator {
        Denominator::Best => "the best time on that workload".to_string(),
        Denominator::Reference(r) => format!("the time of reference submission `{r}`"),
    };
    let _ = writeln!(s, "6. Only base workloads remain; each time is divided by {den}. ∞ and NaN never count as solved.");
    let grid = match spec.tau.scale {
        TauScale::Linear => "linearly",
        TauScale::Log => "logarithmically",
    };
    let _ = writeln!(
        s,
        "7. Performance profile: for {} values of τ spaced {grid} from {} to {}, ρ(τ) = (base workloads with ratio ≤ τ) / {}.",
        spec.tau.points,
        py_repr(spec.tau.min),
        py_repr(spec.tau.max),
        spec.base.len()
    );
    let norm = if spec.score.normalized {
        match spec.tau.scale {
            TauScale::Linear => ", divided by the τ range",
            TauScale::Log => ", divided by the log10 τ range",
        }
    } else {
        ""
    };
    let axis = match spec.tau.scale {
        TauScale::Linear => "τ",
        TauScale::Log => "log10 τ",
    };
    let _ = writeln!(
        s,
        "8. Score: the trapezoid integral of ρ over {axis}{norm}."
    );
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
    s
}
