//! `leaderboard`: the Markdown table, printed or put into a README.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;

use super::args::InputArgs;
use super::options::Input;
use super::output::{print_err, print_json, print_out};
use crate::error::Result;
use crate::report;
use crate::report::error::ReportError;
use crate::score::Leaderboard;

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
    /// (schema/leaderboard-table.schema.json) on stdout; `latex`: the ranked
    /// table as a booktabs tabular, `latex-times`: the time-to-target matrix.
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
    let input = Input::from_cli_arguments(&args.input)?;
    if let Some(dir) = args.info_dir.as_ref().filter(|d| !d.is_dir()) {
        return Err(ReportError::NoInfoFolder { path: dir.clone() }.into());
    }
    if let (Some(file), Some(marker)) = (&args.update, &args.marker) {
        // Missing markers are an error before any log is read.
        let text = std::fs::read_to_string(file).map_err(|source| ReportError::Read {
            path: file.clone(),
            source,
        })?;
        report::markdown::replace_between_markers(&text, marker, "", file)?;
    }
    let leaderboard = input.score_printing()?;
    let rows = rows(&args, &input, &leaderboard)?;
    match args.format {
        LeaderboardFormat::Json => {
            return print_json(&report::markdown::leaderboard_document(&leaderboard, &rows))
        }
        LeaderboardFormat::Latex => {
            let spec = &input.spec;
            if args.intervals == Some(0) {
                return Err(crate::run::error::CommandLineError::IntervalsZero.into());
            }
            let intervals = super::score::stability_of(args.intervals, spec, &leaderboard)?;
            let names = rows
                .iter()
                .filter_map(|(k, r)| Some((k.clone(), r.info.as_ref()?.name.clone())))
                .filter(|(_, n)| !n.trim().is_empty())
                .collect();
            let table =
                report::latex::leaderboard(&leaderboard, &names, spec.tau.max, intervals.as_ref());
            return print_out(&table);
        }
        LeaderboardFormat::LatexTimes => {
            return print_out(&report::latex::time_matrix(&leaderboard))
        }
        LeaderboardFormat::Table => {}
    }
    let table = report::markdown::leaderboard_markdown(&leaderboard, &rows);
    match (&args.update, &args.marker) {
        (Some(file), Some(marker)) => {
            let changed = report::markdown::update_file(file, marker, &table)?;
            print_err(&format!(
                "{}: leaderboard between the `{marker}` markers {}\n",
                file.display(),
                if changed {
                    "updated"
                } else {
                    "already up to date"
                }
            ));
        }
        _ => print_out(&table)?,
    }
    Ok(())
}

/// Each submission's info (when `--info-dir` has one) and logs link: the
/// info's `logs`, else a link to its folder relative to the updated file's
/// folder (or the current folder when the table is printed). From a results
/// cache, which does not record the folder, there is no link but the info's.
fn rows(
    args: &LeaderboardArgs,
    input: &Input,
    leaderboard: &Leaderboard,
) -> Result<BTreeMap<String, report::markdown::Row>> {
    let link_base = match &args.update {
        Some(file) => file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
        None => PathBuf::from("."),
    };
    let mut rows = BTreeMap::new();
    for name in &leaderboard.submissions {
        let info = match &args.info_dir {
            Some(dir) => crate::report::info::load(dir, name)?,
            None => None,
        };
        let logs = info
            .as_ref()
            .and_then(|i| i.logs.clone())
            .or_else(|| {
                let tree = input.tree()?;
                Some(report::markdown::relative_link(
                    &link_base,
                    &tree.join(name),
                ))
            })
            .unwrap_or_default();
        rows.insert(name.clone(), report::markdown::Row { info, logs });
    }
    Ok(rows)
}
