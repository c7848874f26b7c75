//! `report`: the HTML page of a results cache.

use std::path::PathBuf;

use clap::Args;

use super::output::print_err;
use crate::error::Result;
use crate::{report, run, spec};

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
}

pub(super) fn report_command(args: ReportArgs) -> Result<()> {
    let spec = spec::load(&args.spec)?;
    let mut inputs = report::guard::Inputs::of_spec(&spec);
    inputs.add_file(&args.load_results, "the results cache");
    inputs.add_info_dir(args.info_dir.as_deref());
    inputs.check_file(&args.html, report::guard::Kind::Page)?;
    let ingested = crate::ingest::cache::load(&args.load_results, &spec)?;
    let (leaderboard, warnings) = run::score_only(&ingested, &spec, &run::Options::default())?;
    print_err(&warnings.render());
    let origin = report::html::Origin::cache(&args.load_results);
    let scored = (&spec, &leaderboard, &warnings);
    report::html::publish(&args.html, scored, args.info_dir.as_deref(), origin, None)
}
