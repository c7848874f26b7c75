//! One scoring run, end to end: ingest → checks → score → report files.
//! The CLI and the tests call this; it returns everything it would write so
//! that nothing touches the output folder until the whole run succeeded.

use std::path::Path;

use crate::diagnostics::Warnings;
use crate::error::{Error, Result};
use crate::ingest::{self, Ingested, Progress, Selection};
use crate::report;
use crate::score::{self, summary, Leaderboard};
use crate::spec::Spec;

/// Options of a scoring run beyond the spec.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub selection: Selection,
    /// Every count mismatch and every skipped input is an error.
    pub strict: bool,
}

/// What a scoring run produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub leaderboard: Leaderboard,
    /// Output files: (name, bytes), in a fixed order.
    pub files: Vec<(String, Vec<u8>)>,
    pub warnings: Warnings,
}

/// Turns warnings into an error under `--strict`.
pub fn enforce_strict(warnings: &Warnings, strict: bool) -> Result<()> {
    if !strict {
        return Ok(());
    }
    let fatal = warnings.fatal_under_strict();
    if fatal.is_empty() {
        return Ok(());
    }
    let list = fatal
        .iter()
        .map(|w| format!("  {}: {}", w.location, w.summary))
        .collect::<Vec<_>>()
        .join("\n");
    Err(Error::Strict {
        count: fatal.len(),
        list,
    })
}

/// Reads the submissions tree (see [`ingest::ingest`]).
pub fn read(
    root: &Path,
    spec: &Spec,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Ingested> {
    ingest::ingest(root, spec, &options.selection, progress)
}

/// Scores what was read, without rendering any file: the leaderboard and
/// every warning (the count checks included).
pub fn score_only(
    ingested: &Ingested,
    spec: &Spec,
    options: &Options,
) -> Result<(Leaderboard, Warnings)> {
    let mut warnings = ingested.warnings.clone();
    score::check_counts(ingested, spec, &mut warnings);
    let leaderboard = score::score(ingested, spec, &mut warnings)?;
    enforce_strict(&warnings, options.strict)?;
    Ok((leaderboard, warnings))
}

/// Scores what was read and renders every output file, without writing.
pub fn score(ingested: &Ingested, spec: &Spec, options: &Options) -> Result<Outcome> {
    let (leaderboard, warnings) = score_only(ingested, spec, options)?;

    let mut files = vec![
        ("scores.csv".to_string(), report::scores_csv(&leaderboard)),
        (
            "time_to_targets.csv".to_string(),
            report::time_to_targets_csv(&leaderboard),
        ),
        (
            "performance_profile_score.csv".to_string(),
            report::profile_csv(&leaderboard),
        ),
    ];
    let mut subs: Vec<_> = ingested.submissions.iter().collect();
    subs.sort_by(|a, b| a.name.cmp(&b.name));
    for sub in subs {
        let rows = summary::summarize(sub, spec);
        files.push((
            format!("{}_summary.csv", sub.name),
            report::summary_csv(&rows),
        ));
    }
    Ok(Outcome {
        leaderboard,
        files,
        warnings,
    })
}
