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

/// Loads and checks each file.
pub fn check(files: &[PathBuf]) -> Vec<SpecVerdict> {
    (files.iter())
        .map(|f| SpecVerdict {
            file: f.clone(),
            outcome: crate::spec::load(f).map_err(Into::into),
        })
        .collect()
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
