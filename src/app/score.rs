//! The main job: score a submissions tree (or a results cache) and publish
//! the output folder and the HTML page.

use std::path::{Path, PathBuf};

use super::{Input, InputRequest, Origin};
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::{Progress, Source};
use crate::report::error::ReportError;
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
    /// Fail at once, instead of waiting, while another run writes `output_dir`.
    pub no_wait: bool,
    /// Also draw each workload's training curves and time-to-target ECDF
    /// (files in `output_dir`, small multiples on the page).
    pub curves: bool,
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
    /// The curves' points, when asked.
    pub curves: Option<report::curves::Curves>,
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
        let curves = self.curves.as_ref();
        run::render_files(&self.spec, &self.leaderboard, &mut warnings, curves)
    }
}

/// Scores `request`'s input and writes what it asks for. Every place it
/// will write is checked before any log is read; the page is rendered, the
/// cache saved, the folder and the page written only once scoring has
/// succeeded (nothing is written on error).
pub fn score(request: &ScoreRequest, progress: &dyn Progress) -> Result<Scored> {
    let input = Input::open(&request.input)?;
    check_targets(request, &input)?;
    let spec = &input.spec;
    let mut curves = request.curves.then(|| report::curves::Collector::new(spec));
    // The cache keeps every series: read them all, then score.
    let (ingested, (leaderboard, warnings)) = match &request.save_results {
        Some(_) => {
            let ingested = input.read(progress)?;
            curves.iter_mut().for_each(|c| c.add_all(&ingested));
            let scored = run::score_only(&ingested, spec, &input.options)?;
            (Some(ingested), scored)
        }
        None => {
            let mut keep = |s: &crate::ingest::Submission| curves.iter_mut().for_each(|c| c.add(s));
            (None, input.score_keeping(progress, &mut keep)?)
        }
    };
    let curves = curves.map(|c| c.finish(spec, &leaderboard));
    let mut scored = Scored {
        spec: input.spec,
        leaderboard,
        warnings,
        origin: input.origin,
        source: request.input.read.source,
        written: None,
        curves,
    };
    let page = match &request.html {
        Some(file) => Some(scored.page_at(
            request.info_dir.as_deref(),
            request.html_stability,
            Some(file),
        )?),
        None => None,
    };
    let staged = match &request.output_dir {
        Some(_) => Some(scored.stage()?),
        None => None,
    };
    if let (Some(cache), Some(ingested)) = (&request.save_results, &ingested) {
        crate::ingest::cache::save(cache, ingested, &scored.spec)?;
    }
    let written = match (&request.output_dir, staged) {
        (Some(out), Some(staged)) => Some(staged.publish(out, request.no_wait)?),
        _ => None,
    };
    if let Some((out, count, warnings)) = written {
        scored.written = Some((out, count));
        scored.warnings = warnings;
    }
    if let (Some(path), Some(page)) = (&request.html, page) {
        report::html::write_page(path, &page)?;
    }
    Ok(scored)
}

/// Every place the run will write is checked before any log is read
/// ([`report::guard`]): never under the submissions tree, never over an
/// input of this run.
fn check_targets(request: &ScoreRequest, input: &Input) -> Result<()> {
    use report::guard::Kind;
    let mut inputs = input.guard();
    inputs.add_info_dir(request.info_dir.as_deref());
    if let Some(cache) = &request.save_results {
        inputs.check_file(cache, Kind::Cache)?;
    }
    if let Some(out) = &request.output_dir {
        inputs.check_folder(out)?;
    }
    if let Some(page) = &request.html {
        inputs.check_file(page, Kind::Page)?;
    }
    if let (Some(page), Some(out)) = (&request.html, &request.output_dir) {
        report::html::check_outside_output(page, out)?;
    }
    if let Some(dir) = request.info_dir.as_ref().filter(|d| !d.is_dir()) {
        return Err(ReportError::NoInfoFolder { path: dir.clone() }.into());
    }
    if request.html_stability == Some(0) {
        return Err(CommandLineError::HtmlStabilityZero.into());
    }
    Ok(())
}

/// The output folder of a scored run, rendered but for the summaries
/// (made as each is written), with the render's notes (a shortened file
/// name) among the warnings and what the manifest says was read.
struct Staged<'a> {
    files: Vec<report::files::OutputFile<'a>>,
    warnings: Warnings,
    provenance: report::files::Provenance,
}

impl Staged<'_> {
    /// Publishes the folder `out` (all files of a run or none, the
    /// manifest last): the folder, how many files it holds, the warnings.
    fn publish(self, out: &Path, no_wait: bool) -> Result<(PathBuf, usize, Warnings)> {
        let wait = match no_wait {
            true => report::files::Wait::Fail,
            false => report::files::Wait::Block,
        };
        report::files::write_run_streamed(out, &self.files, &self.provenance, wait)?;
        Ok((out.to_path_buf(), self.files.len() + 1, self.warnings))
    }
}

impl Scored {
    /// Every output file rendered but for the summaries; nothing written.
    fn stage(&self) -> Result<Staged<'_>> {
        let mut warnings = self.warnings.clone();
        let (spec, curves) = (&self.spec, self.curves.as_ref());
        let files = run::render_later(spec, &self.leaderboard, &mut warnings, curves)?;
        let (kind, input) = self.input();
        let provenance = report::files::Provenance::of(&self.spec, kind, input)?;
        Ok(Staged {
            files,
            warnings,
            provenance,
        })
    }

    /// What the run read, as the manifest names it.
    fn input(&self) -> (&'static str, &Path) {
        match &self.origin {
            Origin::Cache(cache) => ("results_cache", cache),
            Origin::Tree(tree) => ("submissions", tree),
        }
    }

    /// Writes the output folder `out` of this result as the main job does
    /// (the same guard, all files of a run or none, with its manifest);
    /// returns how many files it holds.
    pub fn write(&self, out: &Path) -> Result<usize> {
        let files = self.files()?;
        let (kind, input) = self.input();
        report::files::write_outputs(out, &files, &self.spec, kind, input)?;
        Ok(files.len() + 1)
    }

    /// Writes the HTML page to `page` (whole or not at all), guarded as
    /// `--html` is.
    pub fn write_page(
        &self,
        page: &Path,
        info_dir: Option<&Path>,
        html_stability: Option<usize>,
    ) -> Result<()> {
        let mut inputs = crate::report::guard::Inputs::of_spec(&self.spec);
        match &self.origin {
            Origin::Tree(tree) => inputs.add_tree(tree),
            Origin::Cache(cache) => inputs.add_file(cache, "the results cache"),
        }
        inputs.add_info_dir(info_dir);
        inputs.check_file(page, report::guard::Kind::Page)?;
        let text = self.page_at(info_dir, html_stability, Some(page))?;
        report::html::write_page(page, &text)
    }

    /// The leaderboard's HTML page, with `<submission>/submission_info.yml`
    /// from `info_dir` and `html_stability` resamples' intervals.
    pub fn page(&self, info_dir: Option<&Path>, html_stability: Option<usize>) -> Result<String> {
        self.page_at(info_dir, html_stability, None)
    }

    /// [`Scored::page`] as written to `file`: its folder links start there
    /// (from the current folder without one).
    fn page_at(
        &self,
        info_dir: Option<&Path>,
        html_stability: Option<usize>,
        file: Option<&Path>,
    ) -> Result<String> {
        let stability = page_stability(html_stability, &self.spec, &self.leaderboard)?;
        let mut origin = match &self.origin {
            Origin::Cache(cache) => report::html::Origin::cache(cache),
            Origin::Tree(tree) => report::html::Origin::folder(Some(tree), self.source),
        };
        if let Some(file) = file {
            origin = origin.linked_from(file);
        }
        let parts = (&self.spec, &self.leaderboard, &self.warnings);
        let curves = self.curves.as_ref();
        report::html::page(parts, info_dir, origin, stability.as_ref(), curves)
    }
}

/// The page's intervals: `resamples` bootstrap resamples over studies,
/// with `stability`'s defaults otherwise.
pub fn page_stability(
    resamples: Option<usize>,
    spec: &Spec,
    leaderboard: &Leaderboard,
) -> Result<Option<report::html::Stability>> {
    if resamples == Some(0) {
        return Err(CommandLineError::HtmlStabilityZero.into());
    }
    let Some(options) = page_options(resamples) else {
        return Ok(None);
    };
    let result = crate::score::stability::stability_with_bands(spec, leaderboard, &options)?;
    Ok(Some(report::html::Stability::of(&result)))
}

/// `resamples` bootstrap resamples over studies, `stability`'s defaults
/// otherwise; none without `resamples`.
fn page_options(resamples: Option<usize>) -> Option<crate::score::stability::Options> {
    resamples.map(|resamples| crate::score::stability::Options {
        resamples,
        ..crate::score::stability::Options::default()
    })
}

/// `resamples` bootstrap resamples over studies with `stability`'s
/// defaults otherwise (`--html-stability N`, `leaderboard --intervals N`).
pub fn stability_of(
    resamples: Option<usize>,
    spec: &Spec,
    leaderboard: &Leaderboard,
) -> Result<Option<crate::score::stability::Stability>> {
    let Some(options) = page_options(resamples) else {
        return Ok(None);
    };
    Ok(Some(crate::score::stability::stability(
        spec,
        leaderboard,
        &options,
    )?))
}
