//! `leaderboard`: the ranked table (AlgoPerf README style), printed or put
//! between two markers of a Markdown file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Input, InputRequest};
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::Progress;
use crate::report;
use crate::report::error::ReportError;
use crate::report::markdown::Row;
use crate::score::Leaderboard;

/// The table's input, and the file it goes into.
#[derive(Debug, Clone, Default)]
pub struct LeaderboardRequest {
    pub input: InputRequest,
    /// `<submission>/submission_info.yml` files: names, authors, links.
    pub info_dir: Option<PathBuf>,
    /// A Markdown file whose text between the `marker` comments is replaced.
    pub update: Option<(PathBuf, String)>,
    /// Each score's 95% interval from this many bootstrap resamples over
    /// studies (for the LaTeX table).
    pub intervals: Option<usize>,
}

/// The ranked leaderboard with each submission's info and logs link
/// (document: [`crate::report::markdown::LeaderboardTableDoc`]).
#[derive(Debug, Clone)]
pub struct LeaderboardTable {
    pub leaderboard: Leaderboard,
    pub rows: BTreeMap<String, Row>,
    pub warnings: Warnings,
    /// With `update`: whether the file changed.
    pub updated: Option<bool>,
    pub spec: crate::spec::Spec,
    /// With `intervals`: the resampled leaderboard.
    pub intervals: Option<crate::score::stability::Stability>,
}

impl LeaderboardTable {
    /// The Markdown table.
    pub fn markdown(&self) -> String {
        report::markdown::leaderboard_markdown(&self.leaderboard, &self.rows)
    }

    /// The ranked table as a booktabs tabular (names from the info files).
    pub fn latex(&self) -> String {
        let names = (self.rows.iter())
            .filter_map(|(k, r)| Some((k.clone(), r.info.as_ref()?.name.clone())))
            .filter(|(_, n)| !n.trim().is_empty())
            .collect();
        let tau_max = self.spec.tau.max;
        report::latex::leaderboard(&self.leaderboard, &names, tau_max, self.intervals.as_ref())
    }

    /// The time-to-target matrix as a booktabs tabular.
    pub fn latex_times(&self) -> String {
        report::latex::time_matrix(&self.leaderboard)
    }
}

/// Scores the input and builds the table; with `update`, writes it between
/// the markers (missing markers are an error before any log is read).
pub fn leaderboard(
    request: &LeaderboardRequest,
    progress: &dyn Progress,
) -> Result<LeaderboardTable> {
    let input = Input::open(&request.input)?;
    if request.intervals == Some(0) {
        return Err(crate::run::error::CommandLineError::IntervalsZero.into());
    }
    if let Some(dir) = request.info_dir.as_ref().filter(|d| !d.is_dir()) {
        return Err(ReportError::NoInfoFolder { path: dir.clone() }.into());
    }
    if let Some((file, marker)) = &request.update {
        let mut inputs = input.guard();
        inputs.add_info_dir(request.info_dir.as_deref());
        inputs.check_file(file, report::guard::Kind::Update)?;
        // Missing markers are an error before any log is read.
        let text = report::markdown::read_updated(file).map_err(|source| ReportError::Read {
            path: file.clone(),
            source,
        })?;
        report::markdown::replace_between_markers(&text, marker, "", file)?;
    }
    let (leaderboard, warnings) = input.score(progress)?;
    let rows = rows(request, &input, &leaderboard)?;
    let intervals = super::score::stability_of(request.intervals, &input.spec, &leaderboard)?;
    let mut table = LeaderboardTable {
        leaderboard,
        rows,
        warnings,
        updated: None,
        spec: input.spec,
        intervals,
    };
    if let Some((file, marker)) = &request.update {
        let changed = report::markdown::update_file(file, marker, &table.markdown())?;
        table.updated = Some(changed);
    }
    Ok(table)
}

/// Each submission's info and logs link: the info file's link, else the
/// folder relative to where the table goes.
fn rows(
    request: &LeaderboardRequest,
    input: &Input,
    leaderboard: &Leaderboard,
) -> Result<BTreeMap<String, Row>> {
    let link_base = match &request.update {
        Some((file, _)) => file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
        None => PathBuf::from("."),
    };
    let mut rows = BTreeMap::new();
    for name in &leaderboard.submissions {
        let info = match &request.info_dir {
            Some(dir) => report::info::load(dir, name)?,
            None => None,
        };
        let row = Row::new(info, || {
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
