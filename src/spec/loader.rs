//! Reading a spec and its targets file from TOML, with every error pointing at
//! the file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::{SpecError, SpecErrors};
use super::lang::{self, check, Compiled, Problem, Slot, Var};
use super::target_setting::RawTargetSetting;
use super::{extends, formula};
use super::{
    Columns, Expect, Goal, HeldOut, Rule, Sampling, Spec, Step, TauGrid, TauScale, TrialRule,
    WorkloadTarget,
};
use crate::diagnostics::did_you_mean;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "algoperf-engine ruleset spec",
    description = "A benchmark version's ruleset (docs/specs.md). With `extends`, every table and key is optional: the file changes the spec it extends key by key."
)]
struct RawSpec {
    /// A spec this one is built on, relative to this file: its keys are
    /// merged with this file's (this file's win).
    // Handled by `extends::resolve`; never in the merged text.
    #[serde(default)]
    #[allow(dead_code)]
    extends: Option<String>,
    /// Inherited keys to remove (`"table.key"` or `"table"`).
    #[serde(default)]
    #[allow(dead_code)]
    unset: Option<Vec<String>>,
    /// What the benchmark version is, and its targets file.
    benchmark: RawBenchmark,
    /// The workloads scored, and the framework suffixes of their folders.
    workloads: RawWorkloads,
    /// The columns of `eval_measurements.csv` read.
    columns: Columns,
    /// Expected counts, checked by `--strict`.
    expect: RawExpect,
    /// How rows become a trial's time, trials a study's, studies a workload's.
    aggregate: RawAggregate,
    /// Ordered steps on the submissions × workloads matrix.
    rules: RawRules,
    /// The performance profile: τ grid, ratio, ρ and the score.
    profile: RawProfile,
    /// Budgets for speedups and `check`.
    #[serde(default)]
    budget: Option<RawBudget>,
    /// How the held-out variants were drawn.
    #[serde(default)]
    held_out_sampling: Option<RawSampling>,
    /// How to read an upstream `workload_targets*.json` named by `targets`.
    #[serde(default)]
    upstream: Option<RawUpstream>,
    /// How `targets derive` sets targets from runs.
    #[serde(default)]
    target_setting: Option<RawTargetSetting>,
}

/// Reading AlgoPerf's own targets files: budgets and metric directions are
/// not in `workload_targets*.json`, so the spec gives them.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawUpstream {
    /// A `max_runtimes.json`-shaped file (relative to the spec that names it)…
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    budgets: Option<Spanned<String>>,
    /// …and the version key in it (`v0.5`).
    #[serde(default)]
    budgets_version: Option<String>,
    /// Or the budgets themselves, in seconds.
    #[serde(default)]
    budget_seconds: BTreeMap<String, f64>,
    /// Metrics reached by going down (losses, error rates) and up.
    minimize: Vec<String>,
    maximize: Vec<String>,
}

/// One workload of an upstream `workload_targets*.json`.
#[derive(Deserialize)]
struct RawUpstreamTarget {
    target_metric_name: String,
    validation_target_value: f64,
    /// Not in every upstream file (`targets derive` writes it).
    #[serde(default)]
    test_target_value: Option<f64>,
    step_hint: u64,
}

#[derive(Deserialize)]
struct RawUpstreamFile {
    workloads: BTreeMap<String, RawUpstreamTarget>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBenchmark {
    /// The benchmark's name, e.g. `AlgoPerf`.
    name: String,
    /// Its version, e.g. `0.6`.
    version: String,
    /// `external_tuning` or `self_tuning`.
    ruleset: String,
    /// One line shown by `spec list`.
    #[serde(default)]
    description: Option<String>,
    /// The targets file (engine TOML, or an upstream `workload_targets*.json`
    /// with an `[upstream]` table), relative to the spec that names it.
    #[schemars(with = "String")]
    targets: Spanned<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawWorkloads {
    /// The base workloads, by name without framework suffix.
    #[schemars(with = "Vec<String>")]
    base: Vec<Spanned<String>>,
    /// Held-out variant = its base workload.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    held_out: BTreeMap<Spanned<String>, Spanned<String>>,
    /// Framework suffixes of workload folders (`fastmri_jax`).
    frameworks: Vec<String>,
    /// ρ's weight of each base workload (default 1).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, f64>")]
    weights: BTreeMap<Spanned<String>, Spanned<f64>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    /// Studies per workload.
    #[schemars(with = "i64")]
    studies: Spanned<i64>,
    /// Tuning trials per study.
    #[schemars(with = "i64")]
    trials_per_study: Spanned<i64>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAggregate {
    /// A formula: a trial's time from its evaluation rows.
    #[schemars(with = "String")]
    trial: Spanned<String>,
    /// A formula: a study's time from its trials.
    #[schemars(with = "String")]
    study: Spanned<String>,
    /// A formula: a workload's time from its studies.
    #[schemars(with = "String")]
    workload: Spanned<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRules {
    /// Formulas `TARGET := VALUE where CONDITION`, applied in order.
    #[schemars(with = "Vec<String>")]
    steps: Vec<Spanned<String>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    /// A formula: the τ grid, e.g. `linspace(1, 4, 100)`.
    #[schemars(with = "String")]
    tau: Spanned<String>,
    /// A formula: a cell's ratio, e.g. `time / best`.
    #[schemars(with = "String")]
    ratio: Spanned<String>,
    /// A formula: ρ at each τ (default `fraction(ratio <= tau)`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    rho: Option<Spanned<String>>,
    /// A formula: the score from ρ.
    #[schemars(with = "String")]
    score: Spanned<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    /// Multiplier of the targets' budgets (self-tuning runs get longer).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    factor: Option<Spanned<f64>>,
    /// A missed target counts as budget × factor + this, in speedups.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    missed_extra_seconds: Option<Spanned<f64>>,
    /// The time a missed target counts as, e.g. `budget * factor + 1`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    missed: Option<Spanned<String>>,
    /// How far past budget × factor `check` lets a trial's last time go
    /// with a warning (a fraction of the budget).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    overshoot_tolerance: Option<Spanned<f64>>,
}

/// numpy's `default_rng` seed: an integer, or its decimal digits.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
enum RawSeed {
    Int(i64),
    Text(String),
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSampling {
    /// The seed of numpy's `default_rng`.
    #[schemars(with = "RawSeed")]
    seed: Spanned<RawSeed>,
    /// One variant is drawn from each group's pool, in this order.
    groups: Vec<RawGroup>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: String,
    #[schemars(with = "Vec<String>")]
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
    /// The test-set target, where one was set (`targets derive`).
    #[serde(default)]
    test_target: Option<Spanned<f64>>,
    step_hint: u64,
    #[serde(default)]
    budget: Option<Spanned<f64>>,
}

use super::extends::{read, toml_error};

/// The keys of each spec table in the order the spec's types declare them
/// (the order of the reference in docs/specs.md): `spec fmt` writes them
/// so. `""` is the top level; `held_out_sampling.groups` the keys of each
/// group.
pub(super) fn key_order() -> Vec<(&'static str, &'static [&'static str])> {
    vec![
        ("", fields_of::<RawSpec>()),
        ("benchmark", fields_of::<RawBenchmark>()),
        ("workloads", fields_of::<RawWorkloads>()),
        ("columns", fields_of::<Columns>()),
        ("expect", fields_of::<RawExpect>()),
        ("aggregate", fields_of::<RawAggregate>()),
        ("rules", fields_of::<RawRules>()),
        ("profile", fields_of::<RawProfile>()),
        ("budget", fields_of::<RawBudget>()),
        ("held_out_sampling", fields_of::<RawSampling>()),
        ("held_out_sampling.groups", fields_of::<RawGroup>()),
        ("upstream", fields_of::<RawUpstream>()),
        ("target_setting", fields_of::<RawTargetSetting>()),
    ]
}

/// The JSON Schema of a spec file as the loader reads it: draft-07 (what
/// taplo and Even Better TOML read), every sub-schema inline so that
/// [`super::schema`] can relax the tables of a spec that `extends` another.
pub(super) fn json_schema() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07()
        .for_deserialize()
        .with(|s| s.inline_subschemas = true)
        .into_generator()
        .into_root_schema_for::<RawSpec>()
}

/// The field names of a struct that derives `Deserialize`, in declaration
/// order: serde hands them to `deserialize_struct`, where [`FieldProbe`]
/// keeps them (and stops).
fn fields_of<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    let mut probe = FieldProbe(&[]);
    let _stopped = T::deserialize(&mut probe);
    probe.0
}

struct FieldProbe(&'static [&'static str]);

impl<'de> serde::Deserializer<'de> for &mut FieldProbe {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields;
        Err(serde::de::Error::custom("fields read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        enum identifier ignored_any
    }
}

/// Loads and checks a ruleset spec (and every spec it extends) and the
/// targets file it names.
pub fn load(path: &Path) -> Result<Spec, SpecErrors> {
    let src = extends::resolve(path)?;
    let raw: RawSpec = toml::from_str(&src.text).map_err(|e| {
        let message = super::diagnostic::plain_toml_message(e.message());
        match e.span() {
            Some(r) => src.at(r.start, r.end, message),
            None => SpecError::whole_file(path, message),
        }
    })?;
    let mut errors = Vec::new();
    let at = |span: std::ops::Range<usize>, msg: String| src.at(span.start, span.end, msg);
    let (targets_path, targets) = targets_of(&src, &raw, &at)?;
    let (base, held_out) = workloads(
        &raw.workloads,
        &src,
        &targets,
        &targets_path,
        &at,
        &mut errors,
    );
    require_workloads(&raw.workloads, path, &mut errors);
    let weights = weights(&raw.workloads, &base, &at, &mut errors);
    let expect = expect(&raw.expect, &at, &mut errors);
    let mut matrix: Vec<String> = base.clone();
    matrix.extend(held_out.iter().map(|h: &HeldOut| h.variant.clone()));
    let formulas = compile_formulas(&raw, &src, &matrix, &mut errors);
    let sampling = sampling(&raw, &targets, &targets_path, &at, &mut errors);
    let uses_budget = formulas.uses_budget();
    let target_setting = (raw.target_setting.as_ref()).and_then(|t| t.check(&at, &mut errors));
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.line, e.column));
        return Err(SpecErrors(errors));
    }
    let budget_span = formulas.budget.span.clone();
    let raw_formulas = (raw.aggregate.trial.clone(), raw.rules.steps.clone());
    let (rules, budget) = formulas.into_rules(path)?;
    let spec = Spec {
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
        columns: raw.columns,
        expect,
        trial: rules.trial,
        study: rules.study,
        workload: rules.workload,
        steps: rules.steps,
        tau: rules.tau.into(),
        ratio: rules.ratio,
        rho: rules.rho,
        rho_credit: rules.rho_credit,
        weights,
        score: rules.score,
        references: rules.references,
        extra_columns: rules.extra_columns,
        budget_factor: budget.factor,
        missed_extra_seconds: budget.extra,
        missed: budget.missed,
        budget_overshoot_tolerance: budget.overshoot_tolerance,
        sources: src.sources.clone(),
        sampling,
        target_setting,
        warnings: Vec::new(),
    };
    let mut spec = spec;
    spec.warnings = idle_steps(&spec, &raw_formulas.1, &at);
    let budget_formula = uses_budget.then(|| {
        // Point at the first formula that names `budget`.
        std::iter::once(&raw_formulas.0)
            .chain(raw_formulas.1.iter())
            .find(|f| f.get_ref().contains("budget"))
            .map(Spanned::span)
    });
    let late = budget_problems(&spec, budget_formula, budget_span, &at);
    if late.is_empty() {
        Ok(spec)
    } else {
        Err(SpecErrors(late))
    }
}

/// The targets file the spec names (relative to the file that names it),
/// read: an upstream `workload_targets*.json` or the engine's TOML.
fn targets_of(
    src: &extends::Source,
    raw: &RawSpec,
    at: &At,
) -> Result<(PathBuf, BTreeMap<String, WorkloadTarget>), SpecErrors> {
    let targets_rel = raw.benchmark.targets.get_ref();
    let targets_path = extends::resolve_path(src.file_of("benchmark.targets"), targets_rel);
    let json = targets_path.extension().is_some_and(|e| e == "json");
    if json && raw.upstream.is_none() {
        let e = at(
            raw.benchmark.targets.span(),
            format!("targets file `{targets_rel}` is an upstream JSON file, and the spec has no [upstream] table to read it with"),
        );
        return Err(e
            .expected("an [upstream] table giving what the JSON lacks: `minimize = [\"loss\", …]`, `maximize = [\"accuracy\", …]`, and `budgets = \"max_runtimes.json\"` or `budget_seconds = { … }`")
            .into());
    }
    let loaded = if json {
        upstream_targets(src, raw, &targets_path)
    } else {
        load_targets(&targets_path, &raw.columns.metric_prefix)
    };
    match loaded {
        Ok(t) => Ok((targets_path, t)),
        Err(e) => {
            let mut first = at(
                raw.benchmark.targets.span(),
                format!("targets file `{targets_rel}` cannot be used"),
            );
            let unreadable = e.0.iter().any(|x| x.message.starts_with("cannot read"));
            first.expected = Some(if unreadable {
                format!(
                    "a readable targets file (looked for {}); it says: {e}",
                    targets_path.display()
                )
            } else {
                format!("a valid targets file; it says: {e}")
            });
            Err(SpecErrors(vec![first]))
        }
    }
}

/// For a held-out variant whose base a child spec dropped (the error is
/// where the parent wrote the variant), the fix in the child: unset the
/// variant too. Empty when the variant and the base list share a file.
fn unset_hint(src: &extends::Source, variant: &str) -> String {
    let key = format!("workloads.held_out.{variant}");
    let base_file = src.file_of("workloads.base");
    if src.file_of(&key) == base_file {
        return String::new();
    }
    format!(
        "; or drop the variant with its base: `unset = [\"{key}\"]` in {}",
        base_file.display()
    )
}

/// A spec must name base workloads and frameworks: without them no folder
/// could be scored.
fn require_workloads(raw: &RawWorkloads, path: &Path, errors: &mut Vec<SpecError>) {
    if raw.base.is_empty() {
        errors.push(SpecError::whole_file(
            path,
            "[workloads] base is empty: nothing to score",
        ));
    }
    if raw.frameworks.is_empty() {
        errors.push(SpecError::whole_file(
            path,
            "[workloads] frameworks is empty: no folder could be read",
        ));
    }
}

/// `[expect]`: counts of at least 1.
fn expect(raw: &RawExpect, at: &At, errors: &mut Vec<SpecError>) -> Expect {
    let mut count = |v: &Spanned<i64>, what: &str| -> usize {
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
    Expect {
        studies: count(&raw.studies, "studies"),
        trials_per_study: count(&raw.trials_per_study, "trials_per_study"),
    }
}

/// A compiled formula and its canonical text; `None` where it failed (the
/// errors say why).
type Slotted = Option<(Compiled, String)>;

/// Every formula of a spec, compiled in the order the rule language
/// needs (τ before the formulas that may name it).
struct SpecFormulas {
    trial: Slotted,
    study: Slotted,
    workload: Slotted,
    steps: Vec<Step>,
    tau: Option<TauGrid>,
    ratio: Slotted,
    rho: Slotted,
    score: Slotted,
    budget: Budget,
    references: Vec<String>,
    extra_columns: Vec<String>,
}

/// The rules of a spec whose formulas all compiled.
struct SpecRules {
    trial: TrialRule,
    study: Rule,
    workload: Rule,
    steps: Vec<Step>,
    tau: TauGrid,
    ratio: Rule,
    rho: Rule,
    rho_credit: bool,
    score: Rule,
    references: Vec<String>,
    extra_columns: Vec<String>,
}

/// Compiles the aggregation, step, profile and budget formulas; failures
/// go to `errors`.
fn compile_formulas(
    raw: &RawSpec,
    src: &extends::Source,
    matrix: &[String],
    errors: &mut Vec<SpecError>,
) -> SpecFormulas {
    let mut cx = check::Context {
        workloads: matrix,
        taus: None,
        references: Vec::new(),
        columns: Vec::new(),
        frameworks: &raw.workloads.frameworks,
        weighted: raw.workloads.weights.values().any(|w| *w.get_ref() != 1.0),
    };
    let mut f = Formulas { src, errors };
    let trial = f.compile(&raw.aggregate.trial, Slot::Trial, &mut cx);
    let study = f.compile(&raw.aggregate.study, Slot::Study, &mut cx);
    let workload = f.compile(&raw.aggregate.workload, Slot::Workload, &mut cx);
    let mut steps = Vec::new();
    for s in &raw.rules.steps {
        if let Some((
            Compiled::Step {
                target,
                value,
                cond,
            },
            text,
        )) = f.compile(s, Slot::Step, &mut cx)
        {
            steps.push(Step {
                target,
                value,
                cond,
                text,
            });
        }
    }
    let tau = tau_grid(f.compile(&raw.profile.tau, Slot::Tau, &mut cx));
    cx.taus = tau.as_ref().map(|t| t.values.as_slice());
    let ratio = f.compile(&raw.profile.ratio, Slot::Ratio, &mut cx);
    let default_rho = Spanned::new(0..0, DEFAULT_RHO.to_string());
    let rho = f.compile(
        raw.profile.rho.as_ref().unwrap_or(&default_rho),
        Slot::Rho,
        &mut cx,
    );
    let score = f.compile(&raw.profile.score, Slot::Score, &mut cx);
    let budget = budget(&raw.budget, &mut f, &mut cx);
    let references = std::mem::take(&mut cx.references);
    let extra_columns = std::mem::take(&mut cx.columns);
    SpecFormulas {
        trial,
        study,
        workload,
        steps,
        tau,
        ratio,
        rho,
        score,
        budget,
        references,
        extra_columns,
    }
}

/// The τ grid a compiled `tau` formula describes.
fn tau_grid(compiled: Slotted) -> Option<TauGrid> {
    match compiled {
        Some((
            Compiled::Tau {
                log,
                bounds,
                values,
                axis,
            },
            _,
        )) => Some(TauGrid {
            scale: if log { TauScale::Log } else { TauScale::Linear },
            min: bounds.0,
            max: bounds.1,
            points: values.len(),
            values,
            axis,
        }),
        _ => None,
    }
}

impl SpecFormulas {
    /// Whether the trial rule or a step names a workload's budget.
    fn uses_budget(&self) -> bool {
        self.trial.as_ref().is_some_and(|(c, _)| match c {
            Compiled::Trial { value, cond, .. } => {
                value.uses(Var::RowBudget) || cond.as_ref().is_some_and(|c| c.uses(Var::RowBudget))
            }
            _ => false,
        }) || self.steps.iter().any(|s| s.uses(Var::CellBudget))
    }

    /// The rules, once every formula compiled (an "incomplete spec" only
    /// if a formula failed without saying so).
    fn into_rules(self, path: &Path) -> Result<(SpecRules, Budget), SpecErrors> {
        let rho_credit = matches!(self.rho, Some((Compiled::Rho { credit: true, .. }, _)));
        let rule = |c: Slotted| match c {
            Some((Compiled::Value(node), text)) | Some((Compiled::Rho { node, .. }, text)) => {
                Some(Rule { node, text })
            }
            _ => None,
        };
        let trial = match self.trial {
            Some((Compiled::Trial { pick, value, cond }, text)) => Some(TrialRule {
                pick,
                value,
                cond,
                text,
            }),
            _ => None,
        };
        let parts = (
            trial,
            rule(self.study),
            rule(self.workload),
            self.tau,
            rule(self.ratio),
            rule(self.rho),
            rule(self.score),
        );
        let (
            Some(trial),
            Some(study),
            Some(workload),
            Some(tau),
            Some(ratio),
            Some(rho),
            Some(score),
        ) = parts
        else {
            return Err(SpecErrors(vec![SpecError::whole_file(
                path,
                "incomplete spec",
            )]));
        };
        let rules = SpecRules {
            trial,
            study,
            workload,
            steps: self.steps,
            tau,
            ratio,
            rho,
            rho_credit,
            score,
            references: self.references,
            extra_columns: self.extra_columns,
        };
        Ok((rules, self.budget))
    }
}

/// Checks that need the whole spec: a formula naming `budget`
/// (`budget_formula`: `Some` when one does, with its span if found) needs
/// every matrix workload to have one, and the missed time must be finite on
/// every base workload (reported at `missed_span`).
fn budget_problems(
    spec: &Spec,
    budget_formula: Option<Option<std::ops::Range<usize>>>,
    missed_span: Option<std::ops::Range<usize>>,
    at: &At,
) -> Vec<SpecError> {
    let mut late = Vec::new();
    if let Some(formula) = budget_formula {
        // One error naming every workload without a budget, not one each.
        let missing: Vec<String> = (spec.matrix_workloads().into_iter())
            .filter(|w| spec.budget_of(w).is_none())
            .collect();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|w| format!("`{w}`")).collect();
            let message = format!(
                "a formula uses `budget`, but {} gives none for {}{}{}",
                spec.targets_path.display(),
                plural(missing.len(), "workload"),
                if missing.len() == 1 { " " } else { ": " },
                names.join(", ")
            );
            let e = match &formula {
                Some(span) => at(span.clone(), message),
                None => SpecError::whole_file(&spec.path, message),
            };
            late.push(e.expected(
                "a `budget = SECONDS` for each in the targets file (or [upstream] budget_seconds), or a formula without `budget`",
            ));
        }
    }
    if let (Some(m), Some(span)) = (&spec.missed, missed_span) {
        for w in &spec.base {
            if let Some(err) = missed_problem(spec, m, w) {
                late.push(at(span.clone(), err));
            }
        }
    }
    late
}

/// Steps that can never act (`held_out := …` without held-out
/// workloads), each at the step's text.
fn idle_steps(spec: &Spec, raw: &[Spanned<String>], at: &At) -> Vec<SpecError> {
    let mut out = Vec::new();
    for (step, written) in spec.steps.iter().zip(raw) {
        if let Some(why) = step.never_acts(&spec.held_out) {
            out.push(
                at(
                    written.span(),
                    format!("step `{}` can never act: {why}", step.text),
                )
                .expected("held-out workloads in [workloads] held_out, or no such step"),
            );
        }
    }
    out
}

/// ρ when the spec does not say: the fraction of base workloads solved at τ.
const DEFAULT_RHO: &str = "fraction(ratio <= tau)";

/// Compiles formulas and places their errors in the spec's files.
struct Formulas<'s, 'e> {
    src: &'s extends::Source,
    errors: &'e mut Vec<SpecError>,
}

impl Formulas<'_, '_> {
    /// Parses, checks and compiles one formula; on failure records an error
    /// and returns `None`. Also returns the formula's canonical text.
    fn compile(
        &mut self,
        s: &Spanned<String>,
        slot: Slot,
        cx: &mut check::Context,
    ) -> Option<(Compiled, String)> {
        let text = s.get_ref();
        let result = formula::parse(text)
            .map_err(|e| Problem {
                span: e.span,
                message: format!("syntax error: {}", e.message),
                expected: formula::chain_hint(text, &e),
            })
            .and_then(|f| check::compile(&f, slot, cx).map(|c| (c, f.to_string())));
        match result {
            Ok(v) => Some(v),
            Err(p) => {
                let e = self.place(s, p);
                self.errors.push(e);
                None
            }
        }
    }

    /// Maps a formula's byte offsets to the file when the TOML string holds
    /// the formula verbatim; otherwise points at the whole value.
    fn place(&self, s: &Spanned<String>, p: Problem) -> SpecError {
        let span = s.span();
        let formula_text = s.get_ref();
        let raw = self.src.text.get(span.clone()).unwrap_or("");
        let verbatim = (raw.starts_with('"') && !raw.starts_with("\"\"\"") && !raw.contains('\\'))
            || (raw.starts_with('\'') && !raw.starts_with("'''"));
        let mut e = if span.is_empty() {
            SpecError::whole_file(
                &self.src.path,
                format!("{} (in `{formula_text}`)", p.message),
            )
        } else if verbatim {
            let base = span.start + 1;
            let end = if p.span.end > p.span.start {
                p.span.end
            } else {
                p.span.start + 1
            };
            self.src.at(
                base + p.span.start,
                base + end.min(formula_text.len().max(1)),
                p.message,
            )
        } else {
            self.src.at(span.start, span.end, p.message)
        };
        e.expected = p.expected;
        e
    }
}

/// The `[budget]` table, checked.
struct Budget {
    factor: f64,
    extra: Option<f64>,
    missed: Option<Rule>,
    /// Where a missed time that is not finite is reported.
    span: Option<std::ops::Range<usize>>,
    overshoot_tolerance: f64,
}

fn budget(raw: &Option<RawBudget>, f: &mut Formulas, cx: &mut check::Context) -> Budget {
    let Some(b) = raw else {
        return Budget {
            factor: 1.0,
            extra: None,
            missed: None,
            span: None,
            overshoot_tolerance: 0.0,
        };
    };
    let (factor, extra) = budget_numbers(b, f);
    let (missed, span) = match (&b.missed, &b.missed_extra_seconds) {
        (Some(m), None) => (
            f.compile(m, Slot::Missed, cx)
                .and_then(|(c, text)| match c {
                    Compiled::Value(node) => Some(Rule { node, text }),
                    _ => None,
                }),
            Some(m.span()),
        ),
        (Some(m), Some(_)) => {
            let e = f.src.at(
                m.span().start,
                m.span().end,
                "give `missed` or `missed_extra_seconds`, not both",
            );
            f.errors.push(e);
            (None, None)
        }
        (None, Some(v)) => {
            let text = format!(
                "budget * factor + {}",
                crate::numeric::py_repr(extra.unwrap_or(0.0))
            );
            let node = formula::parse(&text)
                .ok()
                .and_then(|p| check::compile(&p, Slot::Missed, cx).ok())
                .and_then(|c| match c {
                    Compiled::Value(node) => Some(node),
                    _ => None,
                });
            let span = b.factor.as_ref().map_or_else(|| v.span(), |x| x.span());
            (extra.and(node).map(|node| Rule { node, text }), Some(span))
        }
        (None, None) => {
            f.errors.push(SpecError::whole_file(
                &f.src.path,
                "[budget] needs `missed` (e.g. \"budget * factor + 1\") or `missed_extra_seconds`",
            ));
            (None, None)
        }
    };
    Budget {
        factor,
        extra,
        missed,
        span,
        overshoot_tolerance: overshoot_tolerance(b, f),
    }
}

/// `[budget] factor` (a positive number, 1 without one) and
/// `missed_extra_seconds` (≥ 0), checked.
fn budget_numbers(b: &RawBudget, f: &mut Formulas) -> (f64, Option<f64>) {
    let mut checked = |v: &Option<Spanned<f64>>, ok: fn(f64) -> bool, rule: &str| {
        let v = v.as_ref()?;
        let x = *v.get_ref();
        if ok(x) {
            return Some(x);
        }
        let e = f
            .src
            .at(v.span().start, v.span().end, format!("{rule}, found {x}"));
        f.errors.push(e);
        None
    };
    let factor = checked(
        &b.factor,
        |x| x.is_finite() && x > 0.0,
        "budget factor must be a positive number",
    );
    let extra = checked(
        &b.missed_extra_seconds,
        |x| x.is_finite() && x >= 0.0,
        "missed_extra_seconds must be a number of seconds ≥ 0",
    );
    (factor.unwrap_or(1.0), extra)
}

/// `[budget] overshoot_tolerance`: a fraction ≥ 0 and < 1; 0 without one.
fn overshoot_tolerance(b: &RawBudget, f: &mut Formulas) -> f64 {
    let Some(t) = &b.overshoot_tolerance else {
        return 0.0;
    };
    let v = *t.get_ref();
    if !(v.is_finite() && (0.0..1.0).contains(&v)) {
        let message =
            format!("overshoot_tolerance must be a fraction ≥ 0 and < 1 (0.005 = 0.5%), found {v}");
        let e = f.src.at(t.span().start, t.span().end, message);
        f.errors.push(e);
        return 0.0;
    }
    v
}

/// Why a missed target on `workload` would not count as a finite time.
fn missed_problem(spec: &Spec, missed: &Rule, workload: &str) -> Option<String> {
    let t = spec.targets.get(workload)?;
    let budget = t.budget?;
    let cx = lang::Ctx {
        budget,
        factor: spec.budget_factor,
        step_hint: t.step_hint as f64,
        ..Default::default()
    };
    let v = lang::eval(&missed.node, &cx, &mut Vec::new()).ok()?;
    (!(v.is_finite() && v > 0.0)).then(|| {
        format!(
            "a missed target on `{workload}` would count as {} s (`{}` with budget {}): speedups need a finite time above 0",
            crate::numeric::py_repr(v),
            missed.text,
            crate::numeric::py_repr(budget)
        )
    })
}

type At<'a> = dyn Fn(std::ops::Range<usize>, String) -> SpecError + 'a;

/// Base and held-out workloads, checked against the targets.
fn workloads(
    raw: &RawWorkloads,
    src: &extends::Source,
    targets: &BTreeMap<String, WorkloadTarget>,
    targets_path: &Path,
    at: &At,
    errors: &mut Vec<SpecError>,
) -> (Vec<String>, Vec<HeldOut>) {
    let mut base = Vec::new();
    for b in &raw.base {
        if !targets.contains_key(b.get_ref()) {
            errors.push(
                at(b.span(), format!("unknown workload `{}`", b.get_ref())).expected(format!(
                    "a workload of {}{}",
                    targets_path.display(),
                    did_you_mean(b.get_ref(), targets.keys().map(String::as_str))
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
    let mut held_out = Vec::new();
    for (variant, of) in &raw.held_out {
        if !targets.contains_key(variant.get_ref()) {
            errors.push(
                at(
                    variant.span(),
                    format!("unknown held-out workload `{}`", variant.get_ref()),
                )
                .expected(format!(
                    "a workload of {}{}",
                    targets_path.display(),
                    did_you_mean(variant.get_ref(), targets.keys().map(String::as_str))
                )),
            );
            continue;
        }
        if !raw.base.iter().any(|b| b.get_ref() == of.get_ref()) {
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
                    "one of: {}{}",
                    join(raw.base.iter().map(|b| b.get_ref().as_str())),
                    unset_hint(src, variant.get_ref())
                )),
            );
            continue;
        }
        if raw.base.iter().any(|b| b.get_ref() == variant.get_ref()) {
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
    (base, held_out)
}

/// ρ's weights: one per base workload, 1 unless given; each > 0.
fn weights(
    raw: &RawWorkloads,
    base: &[String],
    at: &At,
    errors: &mut Vec<SpecError>,
) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = base.iter().map(|b| (b.clone(), 1.0)).collect();
    for (w, v) in &raw.weights {
        if !base.contains(w.get_ref()) {
            errors.push(
                at(
                    w.span(),
                    format!("weight for `{}`, which is not a base workload", w.get_ref()),
                )
                .expected(format!("one of: {}", join(base.iter().map(String::as_str)))),
            );
        } else if !(v.get_ref().is_finite() && *v.get_ref() > 0.0) {
            errors.push(at(
                v.span(),
                format!(
                    "a weight must be a finite number > 0, found {}",
                    v.get_ref()
                ),
            ));
        } else {
            out.insert(w.get_ref().clone(), *v.get_ref());
        }
    }
    out
}

fn sampling(
    raw: &RawSpec,
    targets: &BTreeMap<String, WorkloadTarget>,
    targets_path: &Path,
    at: &At,
    errors: &mut Vec<SpecError>,
) -> Option<Sampling> {
    let s = raw.held_out_sampling.as_ref()?;
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
            errors.push(at(
                s.seed.span(),
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
                        did_you_mean(w.get_ref(), targets.keys().map(String::as_str))
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
}

/// `workload` / `3 workloads`, as the count needs.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else {
        format!("{n} {noun}s")
    }
}

fn join<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join(", ")
}

/// Reads an upstream `workload_targets*.json` with the spec's `[upstream]`
/// table: directions by metric name, budgets from a `max_runtimes.json`
/// file or the table itself.
fn upstream_targets(
    src: &extends::Source,
    raw: &RawSpec,
    path: &Path,
) -> Result<BTreeMap<String, WorkloadTarget>, SpecErrors> {
    let Some(up) = &raw.upstream else {
        return Err(SpecError::whole_file(
            path,
            "an upstream targets .json needs an [upstream] table in the spec (minimize, maximize, and budgets or budget_seconds)",
        )
        .into());
    };
    let text = read(path)?;
    let file: RawUpstreamFile = serde_json::from_str(&text)
        .map_err(|e| SpecError::whole_file(path, format!("not an AlgoPerf targets file: {e}")))?;
    let mut budgets = up.budget_seconds.clone();
    if let Some(b) = &up.budgets {
        let bpath = extends::resolve_path(src.file_of("upstream.budgets"), b.get_ref());
        let version = up.budgets_version.clone().unwrap_or_default();
        let btext = read(&bpath)?;
        let all: serde_json::Value = serde_json::from_str(&btext)
            .map_err(|e| SpecError::whole_file(&bpath, format!("not JSON: {e}")))?;
        let Some(map) = all[&version]["budgets"].as_object() else {
            return Err(SpecError::whole_file(
                &bpath,
                format!("no \"{version}\": {{ \"budgets\": {{…}} }} here (set [upstream] budgets_version)"),
            )
            .into());
        };
        for (w, v) in map {
            if let Some(x) = v.as_f64() {
                budgets.entry(w.clone()).or_insert(x);
            }
        }
    }
    let mut out = BTreeMap::new();
    for (name, t) in file.workloads {
        let metric = t.target_metric_name;
        let goal = if up.minimize.contains(&metric) {
            Goal::Minimize
        } else if up.maximize.contains(&metric) {
            Goal::Maximize
        } else {
            // A direction the spec does not know: the workload cannot be
            // scored; naming it in the spec is then an unknown workload.
            continue;
        };
        let budget = budgets.get(&name).copied();
        if budget.is_some_and(|b| !(b.is_finite() && b > 0.0))
            || !t.validation_target_value.is_finite()
            || t.test_target_value.is_some_and(|x| !x.is_finite())
        {
            return Err(SpecError::whole_file(
                path,
                format!("workload `{name}`: target and budget must be finite, the budget > 0"),
            )
            .into());
        }
        out.insert(
            name,
            WorkloadTarget {
                column: format!("{}{metric}", raw.columns.metric_prefix),
                metric,
                goal,
                target: t.validation_target_value,
                test_target: t.test_target_value,
                step_hint: t.step_hint,
                budget,
            },
        );
    }
    Ok(out)
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
        let test = t.test_target.as_ref().filter(|x| !x.get_ref().is_finite());
        if let Some(s) = test.map(Spanned::span) {
            errors.push(SpecError::at(
                path,
                &text,
                s.start,
                s.end,
                "test_target must be a finite number",
            ));
            continue;
        }
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
                test_target: t.test_target.map(|x| *x.get_ref()),
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
