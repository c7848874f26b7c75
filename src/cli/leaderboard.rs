//! `leaderboard`: the Markdown table, printed or put into a README.

use std::path::PathBuf;

use clap::Args;

use super::args::InputArgs;
use super::options::Bar;
use super::output::{print_err, print_json, print_out};
use crate::error::Result;
use crate::{app, report};

/// `leaderboard`: the Markdown table.
#[derive(Debug, Args)]
pub struct LeaderboardArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Folder of <submission>/submission_info.yml files; a submission without one (or every
    /// submission, without this option) shows its folder name.
    #[arg(long, value_name = "DIR")]
    pub info_dir: Option<PathBuf>,
    /// Put the table into FILE between <!-- BEGIN M --> and <!-- END M --> (in place, atomically) instead of printing it.
    #[arg(long, value_name = "FILE", requires = "marker")]
    pub update: Option<PathBuf>,
    /// The marker name M of --update.
    #[arg(long, value_name = "M", requires = "update")]
    pub marker: Option<String>,
    /// The Markdown table, or the same rows as one JSON document
    /// (schema/leaderboard-table.schema.json) on stdout.
    #[arg(long, value_enum, default_value_t = LeaderboardFormat::Table, conflicts_with = "update")]
    pub format: LeaderboardFormat,
    /// With --format latex: each score's 95% interval from N bootstrap
    /// resamples over studies (seed 0; `stability` has every option).
    #[arg(long, value_name = "N")]
    pub intervals: Option<usize>,
}

/// `leaderboard --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LeaderboardFormat {
    Table,
    Json,
    Latex,
    LatexTimes,
}

pub(super) fn leaderboard_command(args: LeaderboardArgs) -> Result<()> {
    let request = app::leaderboard::LeaderboardRequest {
        input: args.input.request()?,
        info_dir: args.info_dir.clone(),
        update: args.update.clone().zip(args.marker.clone()),
        intervals: args.intervals,
    };
    let table = app::leaderboard::leaderboard(&request, &Bar::new())?;
    print_err(&table.warnings.render());
    match args.format {
        LeaderboardFormat::Json => {
            let doc = report::markdown::leaderboard_document(&table.leaderboard, &table.rows);
            return print_json(&doc);
        }
        LeaderboardFormat::Latex => return print_out(&table.latex()),
        LeaderboardFormat::LatexTimes => return print_out(&table.latex_times()),
        LeaderboardFormat::Table => {}
    }
    match (&request.update, table.updated) {
        (Some((file, marker)), Some(changed)) => {
            let what = if changed {
                "updated"
            } else {
                "already up to date"
            };
            print_err(&format!(
                "{}: leaderboard between the `{marker}` markers {what}\n",
                file.display()
            ));
            Ok(())
        }
        _ => print_out(&table.markdown()),
    }
}
