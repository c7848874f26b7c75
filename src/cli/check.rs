//! `check`: a submission checker for leaderboard pull requests.

use std::path::PathBuf;

use clap::Args;

use super::args::SourceArg;
use super::output::{print_err, print_json, print_out};
use crate::error::Result;
use crate::run::error::{CommandLineError, RunError};
use crate::{app, check};

/// `check`'s arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Ruleset spec (rulesets/*.toml) the submissions are checked against.
    #[arg(long, value_name = "FILE", required_unless_present = "explain")]
    pub spec: Option<PathBuf>,
    /// Submission folders, or folders of submission folders.
    #[arg(value_name = "SUBMISSION_DIR", required_unless_present = "explain")]
    pub paths: Vec<PathBuf>,
    /// Terminal text grouped by code, one JSON document
    /// (schema/check.schema.json), or GitHub Actions annotations.
    #[arg(long, value_enum, default_value_t = CheckFormat::Terminal)]
    pub format: CheckFormat,
    /// Where trials' evaluations come from, as for scoring.
    #[arg(long, value_enum, default_value_t = SourceArg::Csv)]
    pub source: SourceArg,
    /// Folder of <submission>/submission_info.yml files (as `leaderboard`
    /// takes); a submission without one is then an error.
    #[arg(long, value_name = "DIR")]
    pub info_dir: Option<PathBuf>,
    /// A submission folder without its own submission_info.yml is an error.
    #[arg(long)]
    pub require_info: bool,
    /// Warnings fail the check too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print what a code means and how to fix it, and nothing else.
    #[arg(long, value_name = "CODE", conflicts_with_all = ["spec", "paths"])]
    pub explain: Option<String>,
}

/// `--format` values of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Terminal,
    Json,
    Github,
}

pub(super) fn check_command(args: CheckArgs) -> Result<()> {
    if let Some(name) = &args.explain {
        return print_out(&app::check::explain_code(name)?);
    }
    let Some(spec) = &args.spec else {
        return Err(RunError::Option(CommandLineError::SpecRequired).into());
    };
    let request = app::check::CheckRequest {
        spec: spec.clone(),
        paths: args.paths.clone(),
        source: args.source.into(),
        info_dir: args.info_dir.clone(),
        require_info: args.require_info,
    };
    let c = app::check::check(&request)?;
    match args.format {
        CheckFormat::Terminal => print_out(&check::terminal(&c.report))?,
        CheckFormat::Json => print_json(&check::json(&c.report, &c.spec, &c.paths))?,
        CheckFormat::Github => {
            print_out(&check::github(&c.report))?;
            print_err(&format!("{}\n", check::output_summary(&c.report)));
        }
    }
    c.fails(args.deny_warnings)
}
