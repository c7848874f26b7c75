//! `report`: the HTML page of a results cache.

use std::path::PathBuf;

use clap::Args;

use super::output::print_err;
use crate::app;
use crate::error::Result;

/// `report`: the HTML page of a results cache.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Ruleset spec (rulesets/*.toml).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// A results cache made by --save-results.
    #[arg(long, value_name = "FILE")]
    pub load_results: PathBuf,
    /// Where to write the page.
    #[arg(long, value_name = "FILE")]
    pub html: PathBuf,
    /// Folder of <submission>/submission_info.yml files.
    #[arg(long, value_name = "DIR")]
    pub info_dir: Option<PathBuf>,
    /// Also show each score's and rank's 95% interval, P(rank 1), the group
    /// tied with #1 and the profile's bands, from N bootstrap resamples
    /// over studies (seed 0), as `stability` computes them.
    #[arg(long, value_name = "N")]
    pub html_stability: Option<usize>,
}

pub(super) fn report_command(args: ReportArgs) -> Result<()> {
    let request = app::report::ReportRequest {
        spec: args.spec.clone(),
        load_results: args.load_results.clone(),
        html: args.html.clone(),
        info_dir: args.info_dir.clone(),
        html_stability: args.html_stability,
    };
    let warnings = app::report::report(&request)?;
    print_err(&warnings.render());
    Ok(())
}
