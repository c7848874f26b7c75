//! `speedup`: SCORING.md §9.

use clap::Args;

use super::args::InputArgs;
use super::options::Input;
use super::output::print_out;
use crate::error::{Error, Result};
use crate::report;

/// `speedup`: SCORING.md §9.
#[derive(Debug, Args)]
pub struct SpeedupArgs {
    /// The spec's targets file must give every base workload a budget.
    #[command(flatten)]
    pub input: InputArgs,
    /// The submission compared against (the denominator of the ratios).
    #[arg(long, value_name = "NAME")]
    pub base: String,
    /// The submission whose speedup is measured.
    #[arg(long, value_name = "NAME")]
    pub comparison: String,
}

pub(super) fn speedup_command(args: SpeedupArgs) -> Result<()> {
    let mut input = Input::from_cli_arguments(&args.input)?;
    let spec = &input.spec;
    // A missing budget is an error before any log is read.
    for w in &spec.base {
        crate::score::speedup::missed_target_time(spec, w)?;
    }
    // Unknown names are an error before any log is read.
    if let Some(tree) = input.tree() {
        let available = crate::ingest::degenerate::submission_names(tree)?;
        let problems: Vec<_> = [("--base", &args.base), ("--comparison", &args.comparison)]
            .into_iter()
            .filter_map(|(option, name)| {
                crate::ingest::degenerate::unknown_name(&available, option, name, tree)
            })
            .collect();
        crate::ingest::degenerate::report(problems, false, &mut Default::default())?;
    }
    // Times before any rule depend on the submission alone: read just the two.
    input.options.selection.include = vec![args.base.clone(), args.comparison.clone()];
    let (_, leaderboard) = input.score()?;
    // After reading, so that a submission made only of re-run folders counts.
    for name in [&args.base, &args.comparison] {
        if leaderboard.row(name).is_none() {
            return Err(Error::Usage(format!(
                "{}: no submission `{name}` (no folder `{name}` or `{name}-<date>`)",
                input.origin.path().display()
            )));
        }
    }
    let s =
        crate::score::speedup::speedup(&leaderboard, &input.spec, &args.base, &args.comparison)?;
    print_out(&report::speedup::speedup_table(&s))
}
