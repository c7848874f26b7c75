//! The main job: score a submissions tree (or a results cache) and publish
//! the output folder and the HTML page.

use std::path::{Path, PathBuf};

use super::{Input, InputRequest, Origin};
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::{Progress, Source};
use crate::run::error::CommandLineError;
use crate::score::Leaderboard;
use crate::spec::Spec;
use crate::{report, run};

/// What the main job reads and where it writes.
#[derive(Debug, Clone, Default)]
pub struct ScoreRequest {
    pub input: InputRequest,
    /// Save the ingested series to a results cache.
    pub save_results: Option<PathBuf>,
    /// Write every output file into this folder (all or nothing).
    pub output_dir: Option<PathBuf>,
    /// Also write the leaderboard as one HTML page.
    pub html: Option<PathBuf>,
    /// `<submission>/submission_info.yml` files for the page.
    pub info_dir: Option<PathBuf>,
    /// Score and rank intervals on the page from this many resamples.
    pub html_stability: Option<usize>,
}

/// A scored leaderboard. Its JSON document is
/// [`report::json::LeaderboardDoc`] ([`Scored::document`]).
#[derive(Debug, Clone)]
pub struct Scored {
    pub spec: Spec,
    pub leaderboard: Leaderboard,
    pub warnings: Warnings,
    pub origin: Origin,
    /// Where the trials' evaluations came from.
    pub source: Source,
    /// The output folder and how many files went into it, when one was asked.
    pub written: Option<(PathBuf, usize)>,
}

impl Scored {
    /// The `--format json` document.
    pub fn document(&self) -> report::json::LeaderboardDoc {
        report::json::LeaderboardDoc::of(&self.spec, &self.leaderboard, &self.warnings)
    }

    /// Every output file of the output folder, rendered, without writing:
    /// (name, bytes) in the folder's order, the manifest excepted.
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let mut warnings = self.warnings.clone();
        run::render_files(&self.spec, &self.leaderboard, &mut warnings)
    }
}

/// Scores `request`'s input and writes what it asks for. Every place it will
/// write is checked before any log is read.
pub fn score(request: &ScoreRequest, progress: &dyn Progress) -> Result<Scored> {
    let input = Input::open(&request.input)?;
    check_targets(request, &input)?;
    let spec = &input.spec;
    let (leaderboard, warnings) = match &request.save_results {
        // The cache keeps every series: read them all, then score.
        Some(cache) => {
            let ingested = input.read(progress)?;
            crate::ingest::cache::save(cache, &ingested, spec)?;
            run::score_only(&ingested, spec, &input.options)?
        }
        None => input.score(progress)?,
    };
    let mut scored = Scored {
        spec: input.spec,
        leaderboard,
        warnings,
        origin: input.origin,
        source: request.input.read.source,
        written: None,
    };
    if let Some(out) = &request.output_dir {
        let n = write_output_folder(out, &mut scored)?;
        scored.written = Some((out.clone(), n));
    }
    publish_page(request, &scored)?;
    Ok(scored)
}

/// Renders every output and the manifest and commits them to `out` as one
/// run; the render's notes (a shortened file name) join the warnings.
fn write_output_folder(out: &Path, scored: &mut Scored) -> Result<usize> {
    let (n, warnings) = scored.render_into(out)?;
    scored.warnings = warnings;
    Ok(n)
}

impl Scored {
    /// Writes the output folder `out` of this result as the main job does
    /// (the same checks, all files of a run or none, with its manifest);
    /// returns how many files it holds.
    pub fn write(&self, out: &Path) -> Result<usize> {
        report::files::check_output_target(out)?;
        if let Origin::Tree(subs) = &self.origin {
            report::files::check_output_dir(out, subs)?;
        }
        Ok(self.render_into(out)?.0)
    }

    fn render_into(&self, out: &Path) -> Result<(usize, Warnings)> {
        let leaderboard = self.leaderboard.clone();
        let mut outcome = run::render(&self.spec, leaderboard, self.warnings.clone())?;
        let provenance = match &self.origin {
            Origin::Cache(cache) => {
                report::files::Provenance::of(&self.spec, "results_cache", cache)?
            }
            Origin::Tree(tree) => report::files::Provenance::of(&self.spec, "submissions", tree)?,
        };
        outcome.add_manifest(&provenance);
        report::files::write_run(out, &outcome.files)?;
        Ok((outcome.files.len(), outcome.warnings))
    }

    /// Writes the HTML page to `page` (whole or not at all).
    pub fn write_page(
        &self,
        page: &Path,
        info_dir: Option<&Path>,
        html_stability: Option<usize>,
    ) -> Result<()> {
        report::html::check_target(page)?;
        let text = self.page(info_dir, html_stability)?;
        report::html::write(page, &text)
    }
}

/// Every place the run will write is checked before any log is read.
fn check_targets(request: &ScoreRequest, input: &Input) -> Result<()> {
    if let (Some(cache), Some(subs)) = (&request.save_results, input.tree()) {
        report::files::check_cache_path(cache, subs)?;
    }
    if let Some(out) = &request.output_dir {
        report::files::check_output_target(out)?;
    }
    if let (Some(out), Some(subs)) = (&request.output_dir, input.tree()) {
        report::files::check_output_dir(out, subs)?;
    }
    if let Some(page) = &request.html {
        report::html::check_target(page)?;
    }
    if request.html_stability == Some(0) {
        return Err(CommandLineError::HtmlStabilityZero.into());
    }
    Ok(())
}

/// `html`: the page, with `html_stability`'s intervals when asked.
fn publish_page(request: &ScoreRequest, scored: &Scored) -> Result<()> {
    let Some(page) = &request.html else {
        return Ok(());
    };
    let text = scored.page(request.info_dir.as_deref(), request.html_stability)?;
    report::html::write(page, &text)?;
    eprintln!("wrote {}", page.display());
    Ok(())
}

impl Scored {
    /// The leaderboard's HTML page, with `<submission>/submission_info.yml`
    /// from `info_dir` and `html_stability` resamples' intervals.
    pub fn page(&self, info_dir: Option<&Path>, html_stability: Option<usize>) -> Result<String> {
        let stability = page_stability(html_stability, &self.spec, &self.leaderboard)?;
        let origin = match &self.origin {
            Origin::Cache(cache) => report::html::Origin::cache(cache),
            Origin::Tree(tree) => report::html::Origin::folder(Some(tree), self.source),
        };
        let parts = (&self.spec, &self.leaderboard, &self.warnings);
        report::html::page_text(parts, info_dir, origin, stability.as_ref())
    }
}

/// The page's intervals: `resamples` bootstrap resamples over studies, with
/// `stability`'s defaults otherwise.
pub fn page_stability(
    resamples: Option<usize>,
    spec: &Spec,
    leaderboard: &Leaderboard,
) -> Result<Option<report::html::Stability>> {
    use crate::score::stability;
    let Some(resamples) = resamples else {
        return Ok(None);
    };
    if resamples == 0 {
        return Err(CommandLineError::HtmlStabilityZero.into());
    }
    let options = stability::Options {
        resamples,
        ..stability::Options::default()
    };
    let result = stability::stability(spec, leaderboard, &options)?;
    Ok(Some(report::html::Stability::of(&result)))
}
