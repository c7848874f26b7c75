//! `explain`: one submission on one workload, step by step.

use std::path::PathBuf;

use clap::Args;

use super::args::SourceArg;
use super::output::print_out;
use crate::error::{Error, Result};
use crate::ingest::{Selection, Silent};
use crate::{report, run, spec};

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    /// The submission to explain (its folder name).
    #[arg(long, value_name = "NAME")]
    pub submission: String,
    /// The workload (name without framework suffix).
    #[arg(long, value_name = "NAME")]
    pub workload: String,
    #[arg(long, value_enum, default_value_t = SourceArg::Csv)]
    pub source: SourceArg,
}

/// Runs `explain`.
pub fn explain_command(a: ExplainArgs) -> Result<()> {
    let s = spec::load(&a.spec)?;
    let options = run::Options {
        selection: Selection {
            source: a.source.into(),
            ..Selection::default()
        },
        strict: false,
    };
    let ingested = run::read(&a.submissions, &s, &options, &Silent)?;
    let (leaderboard, _) = run::score_only(&ingested, &s, &options)?;
    let submission = ingested
        .submissions
        .iter()
        .find(|x| x.name == a.submission)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{}: no submission `{}` (there are: {})",
                a.submissions.display(),
                a.submission,
                leaderboard.submissions.join(", ")
            ))
        })?;
    let text = report::explain::explain(&s, &leaderboard, submission, &a.workload)
        .map_err(Error::Usage)?;
    print_out(&text)
}
