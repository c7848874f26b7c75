//! `speedup`: SCORING.md §9.

use clap::Args;

use super::args::{Format, InputArgs};
use super::options::Input;
use super::output::{print_json, print_out};
use crate::error::Result;
use crate::report;
use crate::run::error::RunError;
use crate::score::speedup::{self, Speedup};
use crate::score::Leaderboard;

/// `speedup`: SCORING.md §9.
#[derive(Debug, Args)]
pub struct SpeedupArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The submission compared against (the denominator of the ratios).
    #[arg(long, value_name = "NAME")]
    pub base: String,
    /// The submission whose speedup is measured (default: every other
    /// submission read, in one table).
    #[arg(long, value_name = "NAME")]
    pub comparison: Option<String>,
    /// The table, or one JSON document (schema/speedup.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(super) fn speedup_command(args: SpeedupArgs) -> Result<()> {
    let mut input = Input::from_cli_arguments(&args.input)?;
    // A missing budget is an error before any log is read.
    for w in &input.spec.base {
        speedup::missed_target_time(&input.spec, w)?;
    }
    check_names(&args, &input)?;
    if let Some(comparison) = &args.comparison {
        // Times before any rule depend on the submission alone: read just the two.
        input.options.selection.include = vec![args.base.clone(), comparison.clone()];
    }
    let leaderboard = input.score_printing()?;
    // After reading, so that a submission made only of re-run folders counts.
    let comparisons: Vec<&String> = match &args.comparison {
        Some(c) => vec![c],
        None => (leaderboard.submissions.iter())
            .filter(|n| **n != args.base)
            .collect(),
    };
    for name in std::iter::once(&args.base).chain(comparisons.iter().copied()) {
        if leaderboard.row(name).is_none() {
            return Err(RunError::NoSubmissionFolder {
                submissions: input.origin.path().to_path_buf(),
                name: name.clone(),
            }
            .into());
        }
    }
    let all = comparisons
        .iter()
        .map(|c| speedup::speedup(&leaderboard, &input.spec, &args.base, c))
        .collect::<Result<Vec<Speedup>>>()?;
    print(&args, &leaderboard, &all)
}

/// Unknown names are an error before any log is read (from a results
/// cache, once it is read).
fn check_names(args: &SpeedupArgs, input: &Input) -> Result<()> {
    let Some(tree) = input.tree() else {
        return Ok(());
    };
    let available = crate::ingest::degenerate::submission_names(tree)?;
    let names = [
        ("--base", Some(&args.base)),
        ("--comparison", args.comparison.as_ref()),
    ];
    let problems: Vec<_> = names
        .into_iter()
        .filter_map(|(option, name)| Some((option, name?)))
        .filter_map(|(option, name)| {
            crate::ingest::degenerate::unknown_name(&available, option, name, tree)
        })
        .collect();
    crate::ingest::degenerate::report(problems, false, &mut Default::default())
}

/// The table (one comparison: its times; several: one row each), or JSON.
fn print(args: &SpeedupArgs, leaderboard: &Leaderboard, all: &[Speedup]) -> Result<()> {
    if all.is_empty() {
        return Err(RunError::NothingToCompare {
            base: args.base.clone(),
            read: leaderboard.submissions.clone(),
        }
        .into());
    }
    match (args.format, all) {
        (Format::Json, _) => print_json(&report::speedup::document(&args.base, all)),
        (Format::Table, [one]) if args.comparison.is_some() => {
            print_out(&report::speedup::speedup_table(one))
        }
        (Format::Table, _) => print_out(&report::speedup::speedups_table(all)),
    }
}
