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

/// `spec list`: every shipped spec, (name, description), in name order.
pub fn list() -> Result<Vec<(String, String)>> {
    let specs = crate::spec::shipped::catalogue()?;
    Ok(specs.into_iter().map(|(n, d)| (n.to_string(), d)).collect())
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
