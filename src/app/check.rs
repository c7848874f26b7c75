//! `check`: a submission's review for a leaderboard pull request.

use std::path::PathBuf;

use crate::check::{self, Code, Report};
use crate::error::Result;
use crate::ingest::Source;
use crate::report::error::ReportError;
use crate::run::error::RunError;
use crate::spec::Spec;

/// The spec and the submission folders to check.
#[derive(Debug, Clone, Default)]
pub struct CheckRequest {
    pub spec: PathBuf,
    pub paths: Vec<PathBuf>,
    pub source: Source,
    /// `<submission>/submission_info.yml` files to check too.
    pub info_dir: Option<PathBuf>,
    /// A missing info file is an error.
    pub require_info: bool,
}

/// Every finding (document: [`crate::check::CheckDoc`]).
#[derive(Debug, Clone)]
pub struct Checked {
    pub spec: Spec,
    pub paths: Vec<PathBuf>,
    pub report: Report,
}

/// Checks the folders; findings are the result, not an error (the caller
/// decides what fails, see [`Checked::fails`]).
pub fn check(request: &CheckRequest) -> Result<Checked> {
    let spec = crate::spec::load(&request.spec)?;
    if let Some(dir) = request.info_dir.as_ref().filter(|d| !d.is_dir()) {
        return Err(ReportError::NoInfoFolder { path: dir.clone() }.into());
    }
    let options = check::Options {
        source: request.source,
        info_dir: request.info_dir.clone(),
        require_info: request.require_info,
    };
    let report = check::check(&spec, &request.paths, &options);
    Ok(Checked {
        spec,
        paths: request.paths.clone(),
        report,
    })
}

impl Checked {
    /// The error a failed check ends with: any error finding, or any
    /// warning with `deny_warnings`.
    pub fn fails(&self, deny_warnings: bool) -> Result<()> {
        if !self.report.fails(deny_warnings) {
            return Ok(());
        }
        Err(RunError::CheckFailed {
            errors: self.report.count(check::Severity::Error),
            warnings: self.report.count(check::Severity::Warning),
            deny_warnings,
        }
        .into())
    }
}

/// `check --explain CODE`: what a finding's code means, or an error with
/// the closest code.
pub fn explain_code(name: &str) -> Result<String> {
    let code = Code::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = check::CODES.iter().map(|c| c.name()).collect();
        let close = crate::diagnostics::closest(name, names.iter().copied())
            .first()
            .map(|n| n.to_string());
        RunError::UnknownCheckCode {
            name: name.to_string(),
            suggestion: close,
            codes: names.iter().map(|n| n.to_string()).collect(),
        }
    })?;
    Ok(code.explain_text())
}
