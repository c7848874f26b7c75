//! `report`: the HTML page of a results cache, without reading any log.

use std::path::PathBuf;

use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::{report, run};

/// The cache and the page.
#[derive(Debug, Clone, Default)]
pub struct ReportRequest {
    pub spec: PathBuf,
    pub load_results: PathBuf,
    pub html: PathBuf,
    pub info_dir: Option<PathBuf>,
    /// Score and rank intervals on the page from this many resamples.
    pub html_stability: Option<usize>,
}

/// Scores the cache and writes the page; returns the run's warnings.
pub fn report(request: &ReportRequest) -> Result<Warnings> {
    let spec = crate::spec::load(&request.spec)?;
    let mut inputs = report::guard::Inputs::of_spec(&spec);
    inputs.add_file(&request.load_results, "the results cache");
    inputs.add_info_dir(request.info_dir.as_deref());
    inputs.check_file(&request.html, report::guard::Kind::Page)?;
    if request.html_stability == Some(0) {
        return Err(crate::run::error::CommandLineError::HtmlStabilityZero.into());
    }
    let ingested = crate::ingest::cache::load(&request.load_results, &spec)?;
    let (leaderboard, warnings) = run::score_only(&ingested, &spec, &run::Options::default())?;
    let stability = super::score::page_stability(request.html_stability, &spec, &leaderboard)?;
    let origin = report::html::Origin::cache(&request.load_results);
    let scored = (&spec, &leaderboard, &warnings);
    let info = request.info_dir.as_deref();
    let page = report::html::page(scored, info, origin, stability.as_ref(), None)?;
    report::html::write_page(&request.html, &page)?;
    Ok(warnings)
}
