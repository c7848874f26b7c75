//! The main command: score a submissions tree (or a results cache) and write
//! the output folder, the HTML page, the table or JSON.

use super::args::{Format, ScoreArgs};
use super::options::{capped_threads, Bar};
use super::output::{print_err, print_out};
use crate::error::{Error, Result};
use crate::ingest::{Progress, Selection, Silent};
use crate::{report, run, spec};

pub(super) fn print_result(
    format: Format,
    spec: &spec::Spec,
    leaderboard: &crate::score::Leaderboard,
    warnings: &crate::diagnostics::Warnings,
) -> Result<()> {
    match format {
        Format::Table => print_out(&report::leaderboard_table(leaderboard, spec.tau.max)),
        Format::Json => {
            let doc = report::json::document(spec, leaderboard, warnings);
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?;
            print_out(&(text + "\n"))
        }
    }
}

pub(super) fn score_command(args: ScoreArgs) -> Result<()> {
    let Some(spec_path) = args.spec.clone() else {
        return Err(Error::CommandLine("--spec is required".into()));
    };
    let spec = spec::load(&spec_path)?;
    if let (Some(cache), Some(subs)) = (&args.save_results, &args.submissions) {
        report::files::check_cache_path(cache, subs)?;
    }
    if let Some(out) = &args.output_dir {
        report::files::check_output_target(out)?;
    }
    if let (Some(out), Some(subs)) = (&args.output_dir, &args.submissions) {
        report::files::check_output_dir(out, subs)?;
    }
    if let Some(page) = &args.html {
        report::html::check_target(page)?;
    }
    let origin = match (&args.load_results, &args.submissions) {
        (Some(cache), _) => report::html::Origin::cache(cache),
        (None, subs) => report::html::Origin::folder(subs.as_deref(), args.source.into()),
    };
    let options = run::Options {
        selection: Selection {
            include: args.include,
            exclude: args.exclude,
            source: args.source.into(),
            allow_empty: args.allow_empty,
            max_file_size: args.max_file_size,
        },
        strict: args.strict,
    };
    let ingested = match (&args.load_results, &args.submissions) {
        (Some(cache), _) => {
            let mut ingested = crate::ingest::cache::load(cache, &spec)?;
            crate::ingest::degenerate::select_loaded(&mut ingested, &options.selection, cache)?;
            ingested
        }
        (None, Some(submissions)) => {
            let bar = Bar::new();
            let progress: &dyn Progress = if bar.0.is_some() { &bar } else { &Silent };
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(capped_threads(args.threads))
                .build()
                .map_err(|e| {
                    Error::CommandLine(format!(
                        "cannot start {} threads: {e}",
                        args.threads.unwrap_or(0)
                    ))
                })?;
            pool.install(|| run::read(submissions, &spec, &options, progress))?
        }
        (None, None) => {
            return Err(Error::CommandLine(
                "--submissions or --load-results is required".into(),
            ))
        }
    };
    if let Some(cache) = &args.save_results {
        crate::ingest::cache::save(cache, &ingested, &spec)?;
    }
    let Some(out) = &args.output_dir else {
        // Nothing to write: no file is rendered.
        let (leaderboard, warnings) = run::score_only(&ingested, &spec, &options)?;
        if let Some(page) = &args.html {
            let stability = page_stability(args.html_stability, &spec, &leaderboard)?;
            let scored = (&spec, &leaderboard, &ingested, &warnings);
            let info = args.info_dir.as_deref();
            report::html::publish(page, scored, info, origin, stability.as_ref())?;
        }
        print_err(&warnings.render());
        return print_result(args.format, &spec, &leaderboard, &warnings);
    };
    let mut outcome = run::score(&ingested, &spec, &options)?;
    // The performance-profile plot goes with the other outputs.
    let plots = report::plot::files(&outcome.leaderboard, &spec, out)?;
    outcome.files.extend(plots);
    // What the run read: the cache when there is one, else the tree.
    let input = args
        .load_results
        .as_ref()
        .map(|c| ("results_cache", c))
        .or(args.submissions.as_ref().map(|s| ("submissions", s)))
        .ok_or_else(|| Error::Usage("--submissions or --load-results is required".into()))?;
    let provenance = report::files::Provenance::of(&spec, input.0, input.1)?;
    let manifest = report::files::manifest(&provenance, &outcome.files);
    outcome
        .files
        .push((report::files::MANIFEST.to_string(), manifest));
    report::files::write_run(out, &outcome.files)?;
    if let Some(page) = &args.html {
        let stability = page_stability(args.html_stability, &spec, &outcome.leaderboard)?;
        let scored = (&spec, &outcome.leaderboard, &ingested, &outcome.warnings);
        let info = args.info_dir.as_deref();
        report::html::publish(page, scored, info, origin, stability.as_ref())?;
    }
    print_err(&outcome.warnings.render());
    print_result(args.format, &spec, &outcome.leaderboard, &outcome.warnings)?;
    print_err(&format!(
        "wrote {} files to {}\n",
        outcome.files.len(),
        out.display()
    ));
    Ok(())
}

/// `--html-stability N`: the page's intervals, from N bootstrap resamples
/// over studies with `stability`'s defaults otherwise.
pub(super) fn page_stability(
    resamples: Option<usize>,
    spec: &spec::Spec,
    leaderboard: &crate::score::Leaderboard,
) -> Result<Option<report::html::Stability>> {
    use crate::score::stability;
    let Some(resamples) = resamples else {
        return Ok(None);
    };
    if resamples == 0 {
        return Err(Error::CommandLine(
            "--html-stability must be at least 1".into(),
        ));
    }
    let options = stability::Options {
        resamples,
        ..stability::Options::default()
    };
    let result = stability::stability(spec, leaderboard, &options)?;
    Ok(Some(report::html::Stability::of(&result)))
}
