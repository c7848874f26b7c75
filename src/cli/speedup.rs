//! `speedup`: SCORING.md §9.

use std::path::PathBuf;

use clap::Args;

use super::options::score_tree;
use super::output::print_out;
use crate::error::{Error, Result};
use crate::ingest::Selection;
use crate::{report, spec};

/// `speedup`: SCORING.md §9.
#[derive(Debug, Args)]
pub struct SpeedupArgs {
    /// Ruleset spec (rulesets/*.toml); its targets file must give every base workload a budget.
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// Submissions folder: one sub-folder per submission.
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    /// The submission compared against (the denominator of the ratios).
    #[arg(long, value_name = "NAME")]
    pub base: String,
    /// The submission whose speedup is measured.
    #[arg(long, value_name = "NAME")]
    pub comparison: String,
}

pub(super) fn speedup_command(args: SpeedupArgs) -> Result<()> {
    let spec = spec::load(&args.spec)?;
    // A missing budget is an error before any log is read.
    for w in &spec.base {
        crate::score::speedup::missed_target_time(&spec, w)?;
    }
    // Unknown names are an error before any log is read.
    let available = crate::ingest::degenerate::submission_names(&args.submissions)?;
    let problems: Vec<_> = [("--base", &args.base), ("--comparison", &args.comparison)]
        .into_iter()
        .filter_map(|(option, name)| {
            crate::ingest::degenerate::unknown_name(&available, option, name, &args.submissions)
        })
        .collect();
    crate::ingest::degenerate::report(problems, false, &mut Default::default())?;
    // Times before any rule depend on the submission alone: read just the two.
    let selection = Selection {
        include: vec![args.base.clone(), args.comparison.clone()],
        ..Selection::default()
    };
    let outcome = score_tree(&spec, &args.submissions, selection)?;
    // After reading, so that a submission made only of re-run folders counts.
    for name in [&args.base, &args.comparison] {
        if outcome.leaderboard.row(name).is_none() {
            return Err(Error::Usage(format!(
                "{}: no submission `{name}` (no folder `{name}` or `{name}-<date>`)",
                args.submissions.display()
            )));
        }
    }
    let s =
        crate::score::speedup::speedup(&outcome.leaderboard, &spec, &args.base, &args.comparison)?;
    print_out(&report::speedup::speedup_table(&s))
}
