//! `leaderboard`: the Markdown table, printed or put into a README.

use std::path::PathBuf;

use clap::Args;

use super::options::score_tree;
use super::output::{print_err, print_out};
use crate::error::{Error, Result};
use crate::ingest::Selection;
use crate::{report, spec};

/// `leaderboard`: the Markdown table.
#[derive(Debug, Args)]
pub struct LeaderboardArgs {
    /// Ruleset spec (rulesets/*.toml).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// Submissions folder: one sub-folder per submission.
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    /// Folder of <submission>/submission_info.yml files; a submission without one shows its folder name.
    #[arg(long, value_name = "DIR")]
    pub info_dir: PathBuf,
    /// Put the table into FILE between <!-- BEGIN M --> and <!-- END M --> (in place, atomically) instead of printing it.
    #[arg(long, value_name = "FILE", requires = "marker")]
    pub update: Option<PathBuf>,
    /// The marker name M of --update.
    #[arg(long, value_name = "M", requires = "update")]
    pub marker: Option<String>,
}

pub(super) fn leaderboard_command(args: LeaderboardArgs) -> Result<()> {
    let spec = spec::load(&args.spec)?;
    if !args.info_dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: info folder does not exist",
            args.info_dir.display()
        )));
    }
    if let (Some(file), Some(marker)) = (&args.update, &args.marker) {
        // Missing markers are an error before any log is read.
        let text = std::fs::read_to_string(file).map_err(|source| Error::Write {
            path: file.clone(),
            source,
        })?;
        report::markdown::replace_between_markers(&text, marker, "", file)?;
    }
    let outcome = score_tree(&spec, &args.submissions, Selection::default())?;
    // Logs links are relative to the updated file's folder, or to the
    // current folder when the table is printed.
    let link_base = match &args.update {
        Some(file) => file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."))
            .to_path_buf(),
        None => PathBuf::from("."),
    };
    let mut rows = std::collections::BTreeMap::new();
    for name in &outcome.leaderboard.submissions {
        let info = crate::report::info::load(&args.info_dir, name)?;
        let logs = info
            .as_ref()
            .and_then(|i| i.logs.clone())
            .unwrap_or_else(|| {
                report::markdown::relative_link(&link_base, &args.submissions.join(name))
            });
        rows.insert(name.clone(), report::markdown::Row { info, logs });
    }
    let table = report::markdown::leaderboard_markdown(&outcome.leaderboard, &rows);
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
