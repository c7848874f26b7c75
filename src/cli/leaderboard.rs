//! `leaderboard`: the Markdown table, printed or put into a README.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;

use super::args::{Format, InputArgs};
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
    /// (schema/leaderboard-table.schema.json) on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table, conflicts_with = "update")]
    pub format: Format,
}

pub(super) fn leaderboard_command(args: LeaderboardArgs) -> Result<()> {
    let input = Input::from_cli_arguments(&args.input)?;
    if let Some(dir) = args.info_dir.as_ref().filter(|d| !d.is_dir()) {
        return Err(ReportError::NoInfoFolder { path: dir.clone() }.into());
    }
    if let (Some(file), Some(marker)) = (&args.update, &args.marker) {
        // Missing markers are an error before any log is read.
        let text = report::markdown::read_updated(file).map_err(|source| ReportError::Read {
            path: file.clone(),
            source,
        })?;
        report::markdown::replace_between_markers(&text, marker, "", file)?;
    }
    let leaderboard = input.score_printing()?;
    let rows = rows(&args, &input, &leaderboard)?;
    if args.format == Format::Json {
        return print_json(&report::markdown::leaderboard_document(&leaderboard, &rows));
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
        let row = report::markdown::Row::new(info, || {
            let tree = input.tree()?;
            Some(report::markdown::relative_link(
                &link_base,
                &tree.join(name),
            ))
        });
        rows.insert(name.clone(), row);
    }
    Ok(rows)
}
