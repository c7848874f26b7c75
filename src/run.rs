//! One scoring run, end to end: ingest → checks → score → report files.
//! The CLI and the tests call this; it returns everything it would write so
//! that nothing touches the output folder until the whole run succeeded.

use std::path::Path;

pub use crate::error::run as error;

use crate::diagnostics::{Warning, Warnings};
use crate::error::Result;
use crate::ingest::{self, Ingested, Progress, Selection};
use crate::report;
use crate::report::files::{Body, OutputFile};
use crate::score::{self, Leaderboard};
use crate::spec::Spec;
use error::RunError;

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
    Err(RunError::Strict { warnings: fatal }.into())
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
    let leaderboard = score::score(ingested, spec, &mut warnings)?;
    enforce_strict(&warnings, options.strict)?;
    Ok((leaderboard, warnings))
}

/// Reads the submissions tree and scores it as it is read, without
/// rendering any file: [`read`] then [`score_only`], with the same result,
/// but each submission's series is dropped once scored, so memory grows
/// with the trials' outcomes rather than with their evaluations. (Keeping
/// the series, for `--save-results`, is [`read`]'s job.)
pub fn read_and_score(
    root: &Path,
    spec: &Spec,
    options: &Options,
    progress: &dyn Progress,
) -> Result<(Leaderboard, Warnings)> {
    read_and_score_keeping(root, spec, options, progress, &mut |_| {})
}

/// [`read_and_score`], showing each submission to `keep` before its series
/// is dropped (`--curves` keeps the points it draws).
pub fn read_and_score_keeping(
    root: &Path,
    spec: &Spec,
    options: &Options,
    progress: &dyn Progress,
    keep: &mut dyn FnMut(&ingest::Submission),
) -> Result<(Leaderboard, Warnings)> {
    let mut scorer = score::Scorer::new(spec);
    let selection = &options.selection;
    let (mut warnings, _) = ingest::ingest_each(root, spec, selection, progress, &mut |s| {
        keep(&s);
        scorer.add(&s)
    })?;
    let leaderboard = scorer.finish(&mut warnings)?;
    enforce_strict(&warnings, options.strict)?;
    Ok((leaderboard, warnings))
}

/// [`read_and_score`] under two specs that read alike
/// ([`ingest::reads_alike`]; `spec_a`'s run reads): the tree is read once
/// and each submission scored under both, with the same results and
/// errors, in the same order, as reading it once per spec.
pub fn read_once_score_both(
    root: &Path,
    (spec_a, spec_b): (&Spec, &Spec),
    options: &Options,
    progress: &dyn Progress,
) -> Result<[(Leaderboard, Warnings); 2]> {
    let (mut a, mut b) = (score::Scorer::new(spec_a), score::Scorer::new(spec_b));
    let selection = &options.selection;
    let (warnings, _) = ingest::ingest_each(root, spec_a, selection, progress, &mut |s| {
        a.add(&s);
        b.add(&s)
    })?;
    let scored = |scorer: score::Scorer, mut warnings: Warnings| -> Result<_> {
        let leaderboard = scorer.finish(&mut warnings)?;
        enforce_strict(&warnings, options.strict)?;
        Ok((leaderboard, warnings))
    };
    Ok([scored(a, warnings.clone())?, scored(b, warnings)?])
}

/// Every kind of file a scoring run writes, in the order it writes them
/// (and the manifest lists them): adding an output is one variant here and
/// one arm in [`Output::render`]. The manifest itself comes last, from
/// [`Outcome::add_manifest`], since it describes the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// scores.csv: score and rank per submission.
    Scores,
    /// time_to_targets.csv: the leaderboard matrix before any rule.
    TimeToTargets,
    /// performance_profile_score.csv: the profile's curve per submission.
    ProfileScore,
    /// <submission>_summary.csv, one per submission.
    Summaries,
    /// performance_profile.svg and .png.
    ProfilePlot,
    /// `--curves`: curves_<workload>.svg and time_to_target_ecdf_<workload>.svg.
    Curves,
}

/// Every output, in order.
pub const OUTPUTS: [Output; 6] = [
    Output::Scores,
    Output::TimeToTargets,
    Output::ProfileScore,
    Output::Summaries,
    Output::ProfilePlot,
    Output::Curves,
];

impl Output {
    /// This output's files: (name, bytes), or for the summaries (the
    /// largest outputs) how to make each when it is written; a note in
    /// `warnings` when a file name had to be shortened.
    fn render<'a>(
        self,
        spec: &'a Spec,
        leaderboard: &'a Leaderboard,
        warnings: &mut Warnings,
        curves: Option<&report::curves::Curves>,
    ) -> Result<Vec<OutputFile<'a>>> {
        let one = |name: &str, bytes: Vec<u8>| Ok(vec![OutputFile::bytes(name, bytes)]);
        let all = |files: Vec<(String, Vec<u8>)>| {
            let files = files.into_iter();
            files.map(|(name, bytes)| OutputFile::bytes(name, bytes))
        };
        match self {
            Output::Scores => one("scores.csv", report::scores_csv(leaderboard)),
            Output::TimeToTargets => one(
                "time_to_targets.csv",
                report::time_to_targets_csv(leaderboard),
            ),
            Output::ProfileScore => one(
                "performance_profile_score.csv",
                report::profile_csv(leaderboard),
            ),
            Output::Summaries => Ok(summaries(spec, leaderboard, warnings)),
            // Named by file alone: nothing is written yet, so no folder.
            Output::ProfilePlot => {
                Ok(all(report::plot::files(leaderboard, spec, Path::new(""))?).collect())
            }
            Output::Curves => {
                Ok(all(curves.map(report::curves::files).unwrap_or_default()).collect())
            }
        }
    }
}

/// `<submission>_summary.csv` per submission, sorted by name, each made
/// when it is written. (The leaderboard's submissions are in name order.)
fn summaries<'a>(
    spec: &'a Spec,
    leaderboard: &'a Leaderboard,
    warnings: &mut Warnings,
) -> Vec<OutputFile<'a>> {
    let mut files = Vec::with_capacity(leaderboard.submissions.len());
    for (row, sub) in leaderboard.submissions.iter().enumerate() {
        let name = summary_file_name(sub);
        if name != format!("{sub}{SUMMARY_SUFFIX}") {
            warnings.push(Warning::LongSummaryName {
                submission: sub.clone(),
                file: name.clone(),
            });
        }
        let make = move || report::summary_csv(&leaderboard.summary(row, spec));
        files.push(OutputFile {
            name,
            body: Body::Later(Box::new(make)),
        });
    }
    files
}

/// Scores what was read and renders every output file of [`OUTPUTS`],
/// without writing.
pub fn score(ingested: &Ingested, spec: &Spec, options: &Options) -> Result<Outcome> {
    let (leaderboard, warnings) = score_only(ingested, spec, options)?;
    render(spec, leaderboard, warnings)
}

/// Renders every output file of [`OUTPUTS`] of a scored leaderboard,
/// without writing.
pub fn render(spec: &Spec, leaderboard: Leaderboard, warnings: Warnings) -> Result<Outcome> {
    render_with(spec, leaderboard, warnings, None)
}

/// [`render`], with the curves' files when `--curves` collected them.
pub fn render_with(
    spec: &Spec,
    leaderboard: Leaderboard,
    mut warnings: Warnings,
    curves: Option<&report::curves::Curves>,
) -> Result<Outcome> {
    let files = render_files(spec, &leaderboard, &mut warnings, curves)?;
    Ok(Outcome {
        leaderboard,
        files,
        warnings,
    })
}

/// Every output file of [`OUTPUTS`], (name, bytes) in order; a note in
/// `warnings` when a file name had to be shortened.
pub fn render_files(
    spec: &Spec,
    leaderboard: &Leaderboard,
    warnings: &mut Warnings,
    curves: Option<&report::curves::Curves>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let files = render_later(spec, leaderboard, warnings, curves)?;
    let bytes = |f: OutputFile| {
        let bytes = f.body.bytes().into_owned();
        (f.name, bytes)
    };
    Ok(files.into_iter().map(bytes).collect())
}

/// [`render_files`], the summaries made only when each is written (see
/// [`report::files::write_run_streamed`]): what the main job publishes, so
/// that it never holds every summary at once.
pub fn render_later<'a>(
    spec: &'a Spec,
    leaderboard: &'a Leaderboard,
    warnings: &mut Warnings,
    curves: Option<&report::curves::Curves>,
) -> Result<Vec<OutputFile<'a>>> {
    let mut files = Vec::new();
    for output in OUTPUTS {
        files.extend(output.render(spec, leaderboard, warnings, curves)?);
    }
    Ok(files)
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
