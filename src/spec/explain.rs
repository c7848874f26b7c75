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
        "7. Performance profile: for {} values of τ spaced {grid} from {} to {}, ρ(τ) = `{}`: {} / {}.",
        spec.tau.points,
        py_repr(spec.tau.min),
        py_repr(spec.tau.max),
        spec.rho.text,
        match (spec.rho_credit, weighted) {
            (false, false) => "(base workloads where it holds)",
            (false, true) => "(base workloads, weighted where it holds)",
            (true, false) => "(the sum of each base workload's credit in [0, 1]; 0 where the ratio is ∞ or NaN)",
            (true, true) => "(the weighted sum of each base workload's credit in [0, 1]; 0 where the ratio is ∞ or NaN)",
        },
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

/// `spec explain --format json`: the scoring pipeline a spec defines.
///
/// What `spec explain` says in words: the benchmark, the targets file, the
/// frameworks and time column read, the expected counts, every matrix
/// workload with its target and budget, every formula as its canonical
/// text, the τ grid, the weights of the base workloads, the held-out
/// sampling and, for a spec that extends another, each key with the file
/// it came from.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpecDoc {
    pub engine: crate::version::Engine,
    /// The spec file, as given.
    pub spec: String,
    pub name: String,
    pub version: String,
    pub ruleset: String,
    pub description: Option<String>,
    /// The targets file.
    pub targets: String,
    /// Framework suffixes of workload folders.
    pub frameworks: Vec<String>,
    /// The column times to target are read from.
    pub time_column: String,
    pub expect: ExpectDoc,
    /// Every matrix workload (base and held-out), sorted.
    pub workloads: Vec<SpecWorkloadDoc>,
    pub formulas: FormulasDoc,
    pub tau: TauDoc,
    /// Base workload → its weight in ρ.
    pub weights: std::collections::BTreeMap<String, f64>,
    /// Multiplier of the targets' budgets.
    pub budget_factor: f64,
    /// The held-out sampling; null without one.
    pub held_out_sampling: Option<SamplingDoc>,
    /// For a spec that `extends` another: each key and the file it came from.
    pub sources: Vec<SourceDoc>,
}

/// The counts a submission is expected to have.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ExpectDoc {
    pub studies: usize,
    pub trials_per_study: usize,
    /// Base and held-out workloads.
    pub workloads: usize,
}

/// One matrix workload and its target.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpecWorkloadDoc {
    pub workload: String,
    /// A held-out variant's base workload; null for a base workload.
    pub base_of: Option<String>,
    /// The target's metric, as the targets file names it (`ssim`).
    pub metric: String,
    /// The compared metric column.
    pub column: String,
    pub goal: super::Goal,
    pub target: f64,
    /// The targets file's step hint.
    pub step_hint: u64,
    /// The runtime budget (s), already multiplied by the budget factor;
    /// null without one.
    pub budget: Option<f64>,
}

/// Every formula as its canonical text.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FormulasDoc {
    pub trial: String,
    pub study: String,
    pub workload: String,
    pub steps: Vec<String>,
    pub ratio: String,
    pub rho: String,
    pub score: String,
    /// The time a missed target counts as in speedups; null without a
    /// [budget] table.
    pub missed: Option<String>,
}

/// The τ grid.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TauDoc {
    pub scale: TauScale,
    pub min: f64,
    pub max: f64,
    #[schemars(range(min = 1))]
    pub points: usize,
}

/// Held-out sampling: one variant drawn per group.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SamplingDoc {
    pub seed: super::heldout::Seed,
    /// In draw order.
    pub groups: Vec<GroupDoc>,
}

/// A group of held-out variants.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct GroupDoc {
    pub group: String,
    pub pool: Vec<String>,
}

/// Where one key of a merged spec came from.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SourceDoc {
    /// `table.key`, e.g. `profile.tau`.
    pub key: String,
    /// The value as written.
    pub value: String,
    pub file: String,
}

/// The same pipeline as one JSON document (schema/spec-explain.schema.json):
/// every formula as its canonical text, every matrix workload with its
/// target, the τ grid, weights, held-out sampling and, for a spec that
/// `extends` another, where each key came from. Numbers are the spec's;
/// budgets are already multiplied by the budget factor.
pub fn document(spec: &Spec) -> SpecDoc {
    let workloads = (spec.matrix_workloads().iter())
        .filter_map(|w| spec.targets.get(w).map(|t| (w, t)))
        .map(|(w, t)| SpecWorkloadDoc {
            workload: w.clone(),
            base_of: if spec.is_base(w) {
                None
            } else {
                spec.base_of(w).map(str::to_string)
            },
            metric: t.metric.clone(),
            column: t.column.clone(),
            goal: t.goal,
            target: t.target,
            step_hint: t.step_hint,
            budget: t.budget.map(|b| b * spec.budget_factor),
        })
        .collect();
    let sampling = spec.sampling.as_ref().map(|s| SamplingDoc {
        seed: super::heldout::Seed(s.seed),
        groups: (s.groups.iter())
            .map(|(g, pool)| GroupDoc {
                group: g.clone(),
                pool: pool.clone(),
            })
            .collect(),
    });
    SpecDoc {
        engine: crate::version::Engine::default(),
        spec: spec.path.display().to_string(),
        name: spec.name.clone(),
        version: spec.version.clone(),
        ruleset: spec.ruleset.clone(),
        description: spec.description.clone(),
        targets: spec.targets_path.display().to_string(),
        frameworks: spec.frameworks.clone(),
        time_column: spec.columns.time.clone(),
        expect: ExpectDoc {
            studies: spec.expect.studies,
            trials_per_study: spec.expect.trials_per_study,
            workloads: spec.base.len() + spec.held_out.len(),
        },
        workloads,
        formulas: FormulasDoc {
            trial: spec.trial.text.clone(),
            study: spec.study.text.clone(),
            workload: spec.workload.text.clone(),
            steps: spec.steps.iter().map(|s| s.text.clone()).collect(),
            ratio: spec.ratio.text.clone(),
            rho: spec.rho.text.clone(),
            score: spec.score.text.clone(),
            missed: spec.missed.as_ref().map(|m| m.text.clone()),
        },
        tau: TauDoc {
            scale: spec.tau.scale,
            min: spec.tau.min,
            max: spec.tau.max,
            points: spec.tau.points,
        },
        weights: spec.weights.clone(),
        budget_factor: spec.budget_factor,
        held_out_sampling: sampling,
        sources: (spec.sources.iter())
            .map(|k| SourceDoc {
                key: k.key.clone(),
                value: k.value.clone(),
                file: k.file.display().to_string(),
            })
            .collect(),
    }
}

/// A held-out seed as JSON (see [`super::heldout::Seed`]): a number when
/// it fits in 64 bits (every published seed does), else its decimal digits
/// as a string.
pub fn seed_value(seed: u128) -> serde_json::Value {
    serde_json::to_value(super::heldout::Seed(seed)).unwrap_or(serde_json::Value::Null)
}
