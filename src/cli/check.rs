//! `check`: a submission checker for leaderboard pull requests.

use std::path::PathBuf;

use clap::Args;

use super::args::SourceArg;
use super::output::{print_err, print_out};
use crate::error::Result;
use crate::report::error::ReportError;
use crate::run::error::{CommandLineError, RunError};
use crate::spec;

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
    use crate::check;
    if let Some(name) = &args.explain {
        let code = check::Code::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = check::CODES.iter().map(|c| c.name()).collect();
            let close = crate::diagnostics::closest(name, names.iter().copied())
                .first()
                .map(|n| n.to_string());
            RunError::UnknownCheckCode {
                name: name.clone(),
                suggestion: close,
                codes: names.iter().map(|n| n.to_string()).collect(),
            }
        })?;
        print_out(&code.explain_text())?;
        return Ok(());
    }
    let Some(spec_path) = &args.spec else {
        return Err(RunError::Option(CommandLineError::SpecRequired).into());
    };
    let spec = spec::load(spec_path)?;
    if let Some(dir) = &args.info_dir {
        if !dir.is_dir() {
            return Err(ReportError::NoInfoFolder { path: dir.clone() }.into());
        }
    }
    let options = check::Options {
        source: args.source.into(),
        info_dir: args.info_dir.clone(),
        require_info: args.require_info,
    };
    let report = check::check(&spec, &args.paths, &options);
    match args.format {
        CheckFormat::Terminal => print_out(&check::terminal(&report))?,
        CheckFormat::Json => {
            let doc = check::json(&report, &spec, &args.paths);
            print_out(&crate::report::json::to_text(&doc)?)?;
        }
        CheckFormat::Github => {
            print_out(&check::github(&report))?;
            print_err(&format!("{}\n", check::output_summary(&report)));
        }
    }
    if report.fails(args.deny_warnings) {
        let (e, w) = (
            report.count(check::Severity::Error),
            report.count(check::Severity::Warning),
        );
        return Err(RunError::CheckFailed {
            errors: e,
            warnings: w,
            deny_warnings: args.deny_warnings,
        }
        .into());
    }
    Ok(())
}
