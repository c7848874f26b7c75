//! Reading a spec and its targets file from TOML, with every error pointing at
//! the file, line and column.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::{SpecError, SpecErrors};
use super::interpret::{self, Slot};
use super::{Columns, Expect, Goal, HeldOut, Sampling, Spec, WorkloadTarget};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    benchmark: RawBenchmark,
    workloads: RawWorkloads,
    columns: RawColumns,
    expect: RawExpect,
    aggregate: RawAggregate,
    rules: RawRules,
    profile: RawProfile,
    #[serde(default)]
    budget: Option<RawBudget>,
    #[serde(default)]
    held_out_sampling: Option<RawSampling>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBenchmark {
    name: String,
    version: String,
    ruleset: String,
    #[serde(default)]
    description: Option<String>,
    targets: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkloads {
    base: Vec<Spanned<String>>,
    #[serde(default)]
    held_out: BTreeMap<Spanned<String>, Spanned<String>>,
    frameworks: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumns {
    time: String,
    summary_time: String,
    step: String,
    metric_prefix: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    studies: Spanned<i64>,
    trials_per_study: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAggregate {
    trial: Spanned<String>,
    study: Spanned<String>,
    workload: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    steps: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    tau: Spanned<String>,
    ratio: Spanned<String>,
    score: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    factor: Spanned<f64>,
    missed_extra_seconds: Spanned<f64>,
    #[serde(default)]
    overshoot_tolerance: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSeed {
    Int(i64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSampling {
    seed: Spanned<RawSeed>,
    groups: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: String,
    pool: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTargetsFile {
    targets: RawTargetsMeta,
    workloads: BTreeMap<String, RawTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTargetsMeta {
    #[allow(dead_code)]
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    metric: String,
    goal: Spanned<String>,
    target: Spanned<f64>,
    step_hint: u64,
    #[serde(default)]
    budget: Option<Spanned<f64>>,
}

fn read(path: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(path)
        .map_err(|e| SpecError::whole_file(path, format!("cannot read: {e}")))
}

fn toml_error(path: &Path, text: &str, e: toml::de::Error) -> SpecError {
    let message = e.message().trim().to_string();
    match e.span() {
        Some(r) => SpecError::at(path, text, r.start, r.end, message),
        None => SpecError::whole_file(path, message),
    }
}

/// Loads and checks a ruleset spec and the targets file it names.
pub fn load(path: &Path) -> Result<Spec, SpecErrors> {
    let text = read(path)?;
    let raw: RawSpec = toml::from_str(&text).map_err(|e| toml_error(path, &text, e))?;
    let mut errors = Vec::new();
    let at = |span: std::ops::Range<usize>, msg: String| {
        SpecError::at(path, &text, span.start, span.end, msg)
    };

    // Targets, relative to the spec's folder.
    let targets_rel = raw.benchmark.targets.get_ref();
    let targets_path = path.parent().unwrap_or(Path::new(".")).join(targets_rel);
    let targets = match load_targets(&targets_path, &raw.columns.metric_prefix) {
        Ok(t) => t,
        Err(e) => {
            let mut first = at(
                raw.benchmark.targets.span(),
                format!("targets file `{targets_rel}` cannot be used"),
            );
            first.expected = Some(format!("a readable targets file; it says: {e}"));
            return Err(SpecErrors(vec![first]));
        }
    };

    // Workloads.
    let mut base = Vec::new();
    for b in &raw.workloads.base {
        if !targets.contains_key(b.get_ref()) {
            errors.push(
                at(b.span(), format!("unknown workload `{}`", b.get_ref())).expected(format!(
                    "a workload of {}{}",
                    targets_path.display(),
                    suggest(b.get_ref(), targets.keys())
                )),
            );
        } else if base.contains(b.get_ref()) {
            errors.push(at(
                b.span(),
                format!("workload `{}` listed twice", b.get_ref()),
            ));
        } else {
            base.push(b.get_ref().clone());
        }
    }
    if raw.workloads.base.is_empty() {
        errors.push(SpecError::whole_file(
            path,
            "[workloads] base is empty: nothing to score",
        ));
    }
    let mut held_out = Vec::new();
    for (variant, of) in &raw.workloads.held_out {
        if !targets.contains_key(variant.get_ref()) {
            errors.push(
                at(
                    variant.span(),
                    format!("unknown held-out workload `{}`", variant.get_ref()),
                )
                .expected(format!(
                    "a workload of {}{}",
                    targets_path.display(),
                    suggest(variant.get_ref(), targets.keys())
                )),
            );
            continue;
        }
        if !raw
            .workloads
            .base
            .iter()
            .any(|b| b.get_ref() == of.get_ref())
        {
            errors.push(
                at(
                    of.span(),
                    format!(
                        "`{}` is not a base workload, so it cannot be the base of `{}`",
                        of.get_ref(),
                        variant.get_ref()
                    ),
                )
                .expected(format!(
                    "one of: {}",
                    join(raw.workloads.base.iter().map(|b| b.get_ref().as_str()))
                )),
            );
            continue;
        }
        if raw
            .workloads
            .base
            .iter()
            .any(|b| b.get_ref() == variant.get_ref())
        {
            errors.push(at(
                variant.span(),
                format!(
                    "`{}` is both a base and a held-out workload",
                    variant.get_ref()
                ),
            ));
            continue;
        }
        held_out.push(HeldOut {
            variant: variant.get_ref().clone(),
            base: of.get_ref().clone(),
        });
    }
    if raw.workloads.frameworks.is_empty() {
        errors.push(SpecError::whole_file(
            path,
            "[workloads] frameworks is empty: no folder could be read",
        ));
    }

    // Counts.
    let count = |v: &Spanned<i64>, what: &str, errors: &mut Vec<SpecError>| -> usize {
        if *v.get_ref() < 1 {
            errors.push(at(
                v.span(),
                format!("{what} must be at least 1, found {}", v.get_ref()),
            ));
            1
        } else {
            *v.get_ref() as usize
        }
    };
    let expect = Expect {
        studies: count(&raw.expect.studies, "studies", &mut errors),
        trials_per_study: count(
            &raw.expect.trials_per_study,
            "trials_per_study",
            &mut errors,
        ),
    };

    // Formulas.
    let ctx = interpret::Context { path, text: &text };
    let trial_rule = ctx
        .slot(&raw.aggregate.trial, Slot::Trial, &mut errors)
        .and_then(|v| v.trial());
    let pick = ctx
        .slot(&raw.aggregate.study, Slot::Study, &mut errors)
        .and_then(|v| v.study());
    let aggregate = ctx
        .slot(&raw.aggregate.workload, Slot::Workload, &mut errors)
        .and_then(|v| v.workload());
    let mut steps = Vec::new();
    for s in &raw.rules.steps {
        if let Some(step) = ctx.slot(s, Slot::Step, &mut errors).and_then(|v| v.step()) {
            steps.push(step);
        }
    }
    let tau = ctx
        .slot(&raw.profile.tau, Slot::Tau, &mut errors)
        .and_then(|v| v.tau());
    let denominator = ctx
        .slot(&raw.profile.ratio, Slot::Ratio, &mut errors)
        .and_then(|v| v.ratio());
    let score = ctx
        .slot(&raw.profile.score, Slot::Score, &mut errors)
        .and_then(|v| v.score());

    let missed_extra_seconds = match &raw.budget {
        Some(b)
            if !(b.missed_extra_seconds.get_ref().is_finite()
                && *b.missed_extra_seconds.get_ref() >= 0.0) =>
        {
            errors.push(at(
                b.missed_extra_seconds.span(),
                format!(
                    "missed_extra_seconds must be a number of seconds ≥ 0, found {}",
                    b.missed_extra_seconds.get_ref()
                ),
            ));
            None
        }
        Some(b) => Some(*b.missed_extra_seconds.get_ref()),
        None => None,
    };
    let budget_factor = match &raw.budget {
        Some(b) if !(b.factor.get_ref().is_finite() && *b.factor.get_ref() > 0.0) => {
            errors.push(at(
                b.factor.span(),
                format!(
                    "budget factor must be a positive number, found {}",
                    b.factor.get_ref()
                ),
            ));
            1.0
        }
        Some(b) => *b.factor.get_ref(),
        None => 1.0,
    };

    let budget_overshoot_tolerance = overshoot_tolerance(raw.budget.as_ref(), &mut errors, &at);

    let sampling = raw.held_out_sampling.as_ref().and_then(|s| {
        let seed = match s.seed.get_ref() {
            RawSeed::Int(i) if *i >= 0 => Some(*i as u128),
            RawSeed::Text(t) => t.trim().parse::<u128>().ok(),
            _ => None,
        };
        let Some(seed) = seed else {
            errors.push(
                at(
                    s.seed.span(),
                    "held-out sampling seed is not a non-negative integer".into(),
                )
                .expected("an integer, or a decimal string for seeds above 2^63"),
            );
            return None;
        };
        let mut groups = Vec::new();
        for g in &s.groups {
            if g.pool.is_empty() {
                errors.push(SpecError::whole_file(
                    path,
                    format!("held-out sampling group `{}` has an empty pool", g.name),
                ));
                return None;
            }
            for w in &g.pool {
                if !targets.contains_key(w.get_ref()) {
                    errors.push(
                        at(
                            w.span(),
                            format!(
                                "unknown workload `{}` in held-out pool `{}`",
                                w.get_ref(),
                                g.name
                            ),
                        )
                        .expected(format!(
                            "a workload of {}{}",
                            targets_path.display(),
                            suggest(w.get_ref(), targets.keys())
                        )),
                    );
                }
            }
            groups.push((
                g.name.clone(),
                g.pool.iter().map(|w| w.get_ref().clone()).collect(),
            ));
        }
        Some(Sampling { seed, groups })
    });

    if let Some(super::Denominator::Reference(name)) = &denominator {
        if name.is_empty() {
            errors.push(at(
                raw.profile.ratio.span(),
                "the reference submission's name is empty".into(),
            ));
        }
    }

    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.line, e.column));
        return Err(SpecErrors(errors));
    }
    match (trial_rule, pick, aggregate, tau, denominator, score) {
        (
            Some(trial_rule),
            Some(pick),
            Some(aggregate),
            Some(tau),
            Some(denominator),
            Some(score),
        ) => Ok(Spec {
            path: path.to_path_buf(),
            name: raw.benchmark.name,
            version: raw.benchmark.version,
            ruleset: raw.benchmark.ruleset,
            description: raw.benchmark.description,
            targets_path,
            targets,
            base,
            held_out,
            frameworks: raw.workloads.frameworks,
            columns: Columns {
                time: raw.columns.time,
                summary_time: raw.columns.summary_time,
                step: raw.columns.step,
                metric_prefix: raw.columns.metric_prefix,
            },
            expect,
            trial_rule,
            pick,
            aggregate,
            steps,
            tau,
            denominator,
            score,
            budget_factor,
            missed_extra_seconds,
            budget_overshoot_tolerance,
            sampling,
        }),
        _ => Err(SpecErrors(vec![SpecError::whole_file(
            path,
            "incomplete spec",
        )])),
    }
}

/// `[budget] overshoot_tolerance`: 0 when absent (any overshoot is over);
/// a fraction in [0, 1) otherwise.
fn overshoot_tolerance(
    budget: Option<&RawBudget>,
    errors: &mut Vec<SpecError>,
    at: &dyn Fn(std::ops::Range<usize>, String) -> SpecError,
) -> f64 {
    let Some(t) = budget.and_then(|b| b.overshoot_tolerance.as_ref()) else {
        return 0.0;
    };
    let v = *t.get_ref();
    if !(v.is_finite() && (0.0..1.0).contains(&v)) {
        errors.push(at(
            t.span(),
            format!("overshoot_tolerance must be a fraction ≥ 0 and < 1 (0.005 = 0.5%), found {v}"),
        ));
        return 0.0;
    }
    v
}

/// ` (did you mean `x`?)` for the closest known name, if one is close.
fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> String {
    known
        .map(|k| (strsim::damerau_levenshtein(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 5))
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

fn join<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join(", ")
}

/// Loads a targets file: every workload's metric, direction, target, step
/// hint and budget.
pub(crate) fn load_targets(
    path: &Path,
    metric_prefix: &str,
) -> Result<BTreeMap<String, WorkloadTarget>, SpecErrors> {
    let text = read(path)?;
    let raw: RawTargetsFile = toml::from_str(&text).map_err(|e| toml_error(path, &text, e))?;
    let _ = &raw.targets;
    let mut errors = Vec::new();
    let mut out = BTreeMap::new();
    for (name, t) in raw.workloads {
        let goal = match t.goal.get_ref().as_str() {
            "minimize" => Goal::Minimize,
            "maximize" => Goal::Maximize,
            other => {
                errors.push(
                    SpecError::at(
                        path,
                        &text,
                        t.goal.span().start,
                        t.goal.span().end,
                        format!("unknown goal `{other}`"),
                    )
                    .expected("`minimize` or `maximize`"),
                );
                continue;
            }
        };
        if !t.target.get_ref().is_finite() {
            let s = t.target.span();
            errors.push(SpecError::at(
                path,
                &text,
                s.start,
                s.end,
                "target must be a finite number",
            ));
            continue;
        }
        if let Some(b) = &t.budget {
            if !(b.get_ref().is_finite() && *b.get_ref() > 0.0) {
                let s = b.span();
                errors.push(SpecError::at(
                    path,
                    &text,
                    s.start,
                    s.end,
                    "budget must be a positive number of seconds",
                ));
                continue;
            }
        }
        out.insert(
            name,
            WorkloadTarget {
                column: format!("{metric_prefix}{}", t.metric),
                metric: t.metric,
                goal,
                target: *t.target.get_ref(),
                step_hint: t.step_hint,
                budget: t.budget.map(|b| *b.get_ref()),
            },
        );
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(SpecErrors(errors))
    }
}
