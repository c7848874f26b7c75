//! `spec check` and `spec explain`: commands on a spec alone.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostics::model::{Diagnostic, Severity};
use crate::error::Result;
use crate::run::error::RunError;
use crate::spec::{Spec, SpecError};

/// One file's verdict.
#[derive(Debug)]
pub struct SpecVerdict {
    pub file: PathBuf,
    /// The loaded spec, or every problem found in it.
    pub outcome: Result<Spec>,
    /// Its errors, or the loaded spec's warnings, in the one model.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and checks each file; with `strict`, a spec's warnings (steps
/// that can never act) fail it.
pub fn check(files: &[PathBuf], strict: bool) -> Vec<SpecVerdict> {
    (files.iter())
        .map(|f| {
            let loaded = crate::spec::load(f);
            let diagnostics = match &loaded {
                Ok(s) => s.warnings.iter().map(SpecError::as_warning).collect(),
                Err(e) => e.0.iter().map(Diagnostic::from).collect(),
            };
            SpecVerdict {
                file: f.clone(),
                outcome: loaded
                    .and_then(|s| crate::spec::strict(s, strict))
                    .map_err(Into::into),
                diagnostics,
            }
        })
        .collect()
}

/// `spec check --format json`: every spec file checked and every problem
/// found in them.
///
/// A file fails on a spec error, or with --strict on a spec warning.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpecCheckDoc {
    /// Each file, in the order given, and whether it passed.
    pub files: Vec<SpecFileVerdict>,
    /// Number of spec errors.
    pub errors: usize,
    /// Number of spec warnings.
    pub warnings: usize,
    /// The errors and warnings, file by file (as the one diagnostic model
    /// writes them).
    pub diagnostics: Vec<Diagnostic>,
}

/// One file checked.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpecFileVerdict {
    /// The path (or shipped name) as given.
    pub file: String,
    pub ok: bool,
}

/// The document of a `spec check`.
pub fn check_document(verdicts: &[SpecVerdict]) -> SpecCheckDoc {
    let diagnostics: Vec<Diagnostic> = (verdicts.iter())
        .flat_map(|v| v.diagnostics.iter().cloned())
        .collect();
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    SpecCheckDoc {
        files: (verdicts.iter())
            .map(|v| SpecFileVerdict {
                file: v.file.display().to_string(),
                ok: v.outcome.is_ok(),
            })
            .collect(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        diagnostics,
    }
}

/// One file's `spec test` run: its report, or why it could not run.
pub type TestRun = (
    PathBuf,
    std::result::Result<crate::spec_test::FileResult, String>,
);

/// `spec test FILE…`: runs each spec's tests (a `NAME.test.toml` given
/// beside its spec is run once, through the spec).
pub fn test(files: &[PathBuf]) -> Vec<TestRun> {
    (files.iter())
        .filter(|f| !is_test_file_of_listed_spec(f, files))
        .map(|f| (f.clone(), crate::spec_test::run_file(f)))
        .collect()
}

fn is_test_file_of_listed_spec(f: &std::path::Path, files: &[PathBuf]) -> bool {
    let name = f.to_string_lossy();
    name.ends_with(".test.toml")
        && files
            .iter()
            .any(|g| *g != *f && crate::spec_test::test_file_of(g) == *f)
}

/// The error a test run ends with when any file failed or could not run.
pub fn tests_failed(runs: &[TestRun]) -> Result<()> {
    let failed = (runs.iter())
        .filter(|(_, r)| r.as_ref().map_or(true, |r| r.failed() > 0))
        .count();
    if failed == 0 {
        return Ok(());
    }
    Err(RunError::SpecsFailed {
        failed,
        total: runs.len(),
    }
    .into())
}

/// The error a check of several files ends with when any failed.
pub fn failed(verdicts: &[SpecVerdict]) -> Result<()> {
    let failed = verdicts.iter().filter(|v| v.outcome.is_err()).count();
    if failed == 0 {
        return Ok(());
    }
    Err(RunError::SpecsFailed {
        failed,
        total: verdicts.len(),
    }
    .into())
}

/// Loads a spec to explain it (its text: [`crate::spec::explain`]; its
/// document: [`crate::spec::explain_document`]).
pub fn explain(file: &std::path::Path) -> Result<Spec> {
    Ok(crate::spec::load(file)?)
}

/// `spec list`: every shipped spec, (name, description), in name order.
pub fn list() -> Result<Vec<(String, String)>> {
    (crate::spec::shipped::ruleset_names().into_iter())
        .map(|name| {
            let spec = crate::spec::load(std::path::Path::new(name))?;
            Ok((name.to_string(), spec.description.unwrap_or_default()))
        })
        .collect()
}

/// `spec show NAME`: the text of a shipped spec or targets file; an unknown
/// name is an error listing the shipped ones.
pub fn show(name: &str) -> Result<&'static str> {
    crate::spec::shipped::text(name).ok_or_else(|| {
        RunError::NotShipped {
            message: format!("`{name}`: {}", crate::spec::shipped::unknown_message(name)),
        }
        .into()
    })
}
