//! `compare`: two leaderboards side by side.

use std::path::PathBuf;

use clap::Args;

use super::args::{Format, ReadArgs};
use super::options::{run_options, score_tree};
use super::output::{print_err, print_out};
use crate::error::Result;
use crate::run::error::{CommandLineError, RunError};
use crate::{report, spec};

/// `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Spec A, and optionally spec B (default: A again).
    #[arg(long, value_name = "FILE", num_args = 1, action = clap::ArgAction::Append, required = true)]
    pub spec: Vec<PathBuf>,
    /// Submissions folder (leaderboard A, and B unless --submissions-b).
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    /// Submissions folder of leaderboard B.
    #[arg(long, value_name = "DIR")]
    pub submissions_b: Option<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(super) fn compare_command(args: CompareArgs) -> Result<()> {
    if args.spec.len() > 2 {
        return Err(RunError::Option(CommandLineError::CompareSpecs).into());
    }
    let spec_a = spec::load(&args.spec[0])?;
    let spec_b = match args.spec.get(1) {
        Some(p) => spec::load(p)?,
        None => spec_a.clone(),
    };
    let options = run_options(&args.read);
    let tree_b = args.submissions_b.as_ref().unwrap_or(&args.submissions);
    let (a, wa) = score_tree(&args.submissions, &spec_a, &options, args.read.threads)?;
    let (b, wb) = score_tree(tree_b, &spec_b, &options, args.read.threads)?;
    print_err(&format!("{}{}", wa.render(), wb.render()));
    let c = crate::score::compare::compare(&a, &b);
    match args.format {
        Format::Table => print_out(&report::compare::table(&c))?,
        Format::Json => print_out(&report::json::to_text(&report::compare::document(&c))?)?,
    }
    Ok(())
}
