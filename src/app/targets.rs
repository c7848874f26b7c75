//! `targets derive`: targets and budgets set from a tree of target-setting
//! runs (one submission per target-setting algorithm, one study per
//! repetition) with the spec's `[target_setting]` (docs/targets.md).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Serialize;

use super::{thread_pool, ReadRequest};
use crate::diagnostics::{did_you_mean, Warnings};
use crate::error::Result;
use crate::ingest::{degenerate, Ingested, Progress, Source, Trial};
use crate::report::guard::{Inputs, Kind};
use crate::report::json::Engine;
use crate::report::targets::{self as render, Origin};
use crate::score::targets::{derive_workload, DerivedWorkload, TargetsError};
use crate::spec::target_setting::TargetSetting;
use crate::spec::Spec;

/// The spec, the runs, and where to write.
#[derive(Debug, Clone, Default)]
pub struct DeriveRequest {
    /// A spec with a `[target_setting]` table; its targets file names each
    /// workload's metric and goal (its target values are not used).
    pub spec: PathBuf,
    /// The target-setting runs: one folder per algorithm, one study per run.
    pub submissions: PathBuf,
    /// Selection and reading (trial files are always `eval_measurements.csv`).
    pub read: ReadRequest,
    /// The engine's TOML targets file to write.
    pub toml: Option<PathBuf>,
    /// The upstream `workload_targets*.json` to write.
    pub json: Option<PathBuf>,
    /// The budgets as an upstream `max_runtimes.json` to write.
    pub budgets_json: Option<PathBuf>,
}

/// What was derived (`targets derive --format json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DerivedTargets {
    pub engine: Engine,
    /// The spec file, as given.
    pub spec: String,
    /// The runs' folder, as given.
    pub submissions: String,
    /// The procedure's parameters, from the spec.
    pub target_setting: TargetSetting,
    /// Every workload read, in name order.
    pub workloads: Vec<DerivedWorkload>,
    /// The files written, in the order written.
    pub written: Vec<String>,
    /// What the read and the procedure warned of (see the text on stderr).
    #[serde(skip)]
    #[schemars(skip)]
    pub warnings: Warnings,
}

/// Reads the runs, derives every workload's targets, and writes the files
/// asked for (each checked by the write guard before any log is read).
pub fn derive(request: &DeriveRequest, progress: &dyn Progress) -> Result<DerivedTargets> {
    let spec = crate::spec::load(&request.spec)?;
    let setting = (spec.target_setting.clone()).ok_or_else(|| TargetsError::NoTargetSetting {
        spec: request.spec.clone(),
    })?;
    let outputs = outputs(request);
    check_outputs(&spec, &request.submissions, &outputs)?;
    let mut options = request.read.options();
    options.selection.source = Source::Csv;
    let ingested = thread_pool(request.read.threads)?
        .install(|| crate::run::read(&request.submissions, &spec, &options, progress))?;
    let mut warnings = ingested.warnings.clone();
    let workloads = derive_all(&spec, &setting, &ingested, request, &mut warnings)?;
    crate::run::enforce_strict(&warnings, request.read.strict)?;
    let origin = Origin {
        version: &spec.version,
        spec: &request.spec.display().to_string(),
        submissions: &request.submissions.display().to_string(),
    };
    let mut written = Vec::new();
    for (path, what) in outputs {
        let text = match what {
            Output::Toml => render::toml_text(&origin, &workloads),
            Output::Json => render::upstream_json(&origin, &workloads)?,
            Output::Budgets => render::budgets_json(&origin, &workloads)?,
        };
        crate::fs::write_file(path, text.as_bytes())?;
        written.push(path.display().to_string());
    }
    Ok(DerivedTargets {
        engine: Engine::default(),
        spec: origin.spec.to_string(),
        submissions: origin.submissions.to_string(),
        target_setting: setting,
        workloads,
        written,
        warnings,
    })
}

/// Which file an output path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Toml,
    Json,
    Budgets,
}

fn outputs(request: &DeriveRequest) -> Vec<(&Path, Output)> {
    [
        (&request.toml, Output::Toml),
        (&request.json, Output::Json),
        (&request.budgets_json, Output::Budgets),
    ]
    .into_iter()
    .filter_map(|(p, o)| Some((p.as_deref()?, o)))
    .collect()
}

/// Every output: not an input (the spec, its chain, its targets file), not
/// under the runs' tree, in an existing folder, and not given twice.
fn check_outputs(spec: &Spec, tree: &Path, outputs: &[(&Path, Output)]) -> Result<()> {
    let mut inputs = Inputs::of_spec(spec);
    inputs.add_tree(tree);
    let mut seen = BTreeSet::new();
    for (path, _) in outputs {
        inputs.check_file(path, Kind::Targets)?;
        if !seen.insert(crate::fs::resolve(path)) {
            return Err(TargetsError::SameOutput {
                path: path.to_path_buf(),
            }
            .into());
        }
    }
    Ok(())
}

/// Every workload read, in name order.
fn derive_all(
    spec: &Spec,
    setting: &TargetSetting,
    ingested: &Ingested,
    request: &DeriveRequest,
    warnings: &mut Warnings,
) -> Result<Vec<DerivedWorkload>> {
    let names: BTreeSet<&str> = (ingested.submissions.iter())
        .flat_map(|s| s.trials.iter().map(|t| t.id.folder.workload.as_str()))
        .collect();
    if names.is_empty() {
        return Err(TargetsError::NoRuns {
            submissions: request.submissions.clone(),
        }
        .into());
    }
    let max_size = request.read.options().selection.max_file_size();
    let mut read_test =
        |trial: &Trial, column: &str| read_test_column(spec, trial, column, max_size);
    let mut found = Vec::new();
    let mut derived = Vec::new();
    for workload in names {
        let w = derive_workload(
            spec,
            setting,
            workload,
            &ingested.submissions,
            &mut read_test,
            &mut found,
        )?;
        derived.push(w);
    }
    found.into_iter().for_each(|w| warnings.push(w));
    Ok(derived)
}

/// A chosen run's test column, row for row with what ingest read; a file
/// without the column is an error naming it, with what it has.
fn read_test_column(spec: &Spec, trial: &Trial, column: &str, max_size: u64) -> Result<Vec<f64>> {
    let workload = &trial.id.folder.workload;
    let target = (spec.targets.get(workload))
        .ok_or_else(|| crate::error::score::ScoreError::NoTarget(workload.clone()))?;
    let extra = [column.to_string()];
    let (series, _) = crate::ingest::read_csv_columns(&trial.path, target, spec, &extra, max_size)
        .map_err(TargetsError::Reread)?;
    let values = series.extra.into_iter().next().unwrap_or_default();
    if values.iter().all(|v| v.is_nan()) {
        let has = degenerate::header_names(&trial.path);
        if !has.iter().any(|h| h == column) {
            let hint = did_you_mean(column, has.iter().map(String::as_str));
            return Err(TargetsError::NoTestColumn {
                path: trial.path.clone(),
                column: column.to_string(),
                has,
                hint,
            }
            .into());
        }
    }
    Ok(values)
}
