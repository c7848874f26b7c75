//! `spec check` and `spec explain`: commands on a spec alone.

use std::path::PathBuf;

use crate::error::Result;
use crate::run::error::RunError;
use crate::spec::Spec;

/// One file's verdict.
#[derive(Debug)]
pub struct SpecVerdict {
    pub file: PathBuf,
    /// The loaded spec, or every problem found in it.
    pub outcome: Result<Spec>,
}

/// Loads and checks each file; with `strict`, a spec's warnings (steps
/// that can never act) fail it.
pub fn check(files: &[PathBuf], strict: bool) -> Vec<SpecVerdict> {
    (files.iter())
        .map(|f| SpecVerdict {
            file: f.clone(),
            outcome: crate::spec::check(f, strict).map_err(Into::into),
        })
        .collect()
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
