//! `compare`: two leaderboards side by side.

use std::path::PathBuf;

use clap::Args;

use super::args::{Format, ReadArgs};
use super::options::Bar;
use super::output::{print_err, print_json, print_out};
use crate::error::Result;
use crate::{app, report};

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
    let request = app::compare::CompareRequest {
        specs: args.spec.clone(),
        submissions: args.submissions.clone(),
        submissions_b: args.submissions_b.clone(),
        read: args.read.request(),
    };
    let c = app::compare::compare(&request, &Bar::new())?;
    print_err(&format!(
        "{}{}",
        c.warnings.0.render(),
        c.warnings.1.render()
    ));
    match args.format {
        Format::Table => print_out(&report::compare::table(&c.comparison)),
        Format::Json => print_json(&report::compare::document(&c.comparison)),
    }
}
