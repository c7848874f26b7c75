//! One scoring run, end to end: ingest → checks → score → report files.
//! The CLI and the tests call this; it returns everything it would write so
//! that nothing touches the output folder until the whole run succeeded.

use std::path::Path;

use crate::diagnostics::Warnings;
use crate::error::{Error, Result};
use crate::ingest::{self, Ingested, Progress, Selection};
use crate::report;
use crate::score::{self, Leaderboard};
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
    let mut warnings = warnings;
    for (sub, rows) in leaderboard.submissions.iter().zip(&leaderboard.summaries) {
        let name = summary_file_name(sub);
        if name != format!("{sub}{SUMMARY_SUFFIX}") {
            warnings.note(
                format!(
                    "submission name too long for a file name; its summary is written as {name}"
                ),
                sub.clone(),
            );
        }
        files.push((name, report::summary_csv(rows)));
    }
    Ok(Outcome {
        leaderboard,
        files,
        warnings,
    })
}

const SUMMARY_SUFFIX: &str = "_summary.csv";

/// `<submission>_summary.csv`; when that is longer than a file name may be
/// (255 bytes: a 250-character folder name would fail the whole run), the
/// name is cut to fit and made unique again by the first 8 hex digits of
/// its SHA-256: `<start of name>~<hash>_summary.csv`. Deterministic, so a
/// rerun writes the same name.
pub fn summary_file_name(submission: &str) -> String {
    let full = format!("{submission}{SUMMARY_SUFFIX}");
    if full.len() <= report::files::NAME_MAX {
        return full;
    }
    let hash = &report::files::sha256_hex(submission.as_bytes())[..8];
    let room = report::files::NAME_MAX - SUMMARY_SUFFIX.len() - 1 - hash.len();
    let mut cut = room.min(submission.len());
    while !submission.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}~{hash}{SUMMARY_SUFFIX}", &submission[..cut])
}
