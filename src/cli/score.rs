//! The main command: score a submissions tree (or a results cache) and write
//! the output folder, the HTML page, the table or JSON.

use super::args::{Format, ScoreArgs};
use super::options::{Input, Origin};
use super::output::{print_err, print_out};
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::report::error::ReportError;
use crate::run::error::CommandLineError;
use crate::score::Leaderboard;
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
            let text = serde_json::to_string_pretty(&doc).map_err(ReportError::Json)?;
            print_out(&(text + "\n"))
        }
    }
}

pub(super) fn score_command(args: ScoreArgs) -> Result<()> {
    let input = Input::from_cli_arguments(&args.input)?;
    check_targets(&args, &input)?;
    let spec = &input.spec;
    let (leaderboard, warnings) = match &args.save_results {
        // The cache keeps every series: read them all, then score.
        Some(cache) => {
            let ingested = input.read()?;
            crate::ingest::cache::save(cache, &ingested, spec)?;
            run::score_only(&ingested, spec, &input.options)?
        }
        None => input.score()?,
    };
    let Some(out) = &args.output_dir else {
        // Nothing to write: no file is rendered.
        publish_page(&args, &input, (spec, &leaderboard, &warnings))?;
        print_err(&warnings.render());
        return print_result(args.format, spec, &leaderboard, &warnings);
    };
    let mut outcome = run::render(spec, leaderboard, warnings)?;
    // What the run read: the cache when there is one, else the tree.
    let provenance = match &input.origin {
        Origin::Cache(cache) => report::files::Provenance::of(spec, "results_cache", cache)?,
        Origin::Tree(tree) => report::files::Provenance::of(spec, "submissions", tree)?,
    };
    outcome.add_manifest(&provenance);
    report::files::write_run(out, &outcome.files)?;
    let scored = (spec, &outcome.leaderboard, &outcome.warnings);
    publish_page(&args, &input, scored)?;
    print_err(&outcome.warnings.render());
    print_result(args.format, spec, &outcome.leaderboard, &outcome.warnings)?;
    print_err(&format!(
        "wrote {} files to {}\n",
        outcome.files.len(),
        out.display()
    ));
    Ok(())
}

/// Every place the run will write is checked before any log is read.
fn check_targets(args: &ScoreArgs, input: &Input) -> Result<()> {
    if let (Some(cache), Some(subs)) = (&args.save_results, input.tree()) {
        report::files::check_cache_path(cache, subs)?;
    }
    if let Some(out) = &args.output_dir {
        report::files::check_output_target(out)?;
    }
    if let (Some(out), Some(subs)) = (&args.output_dir, input.tree()) {
        report::files::check_output_dir(out, subs)?;
    }
    if let Some(page) = &args.html {
        report::html::check_target(page)?;
    }
    if let (Some(page), Some(out)) = (&args.html, &args.output_dir) {
        report::html::check_outside_output(page, out)?;
    }
    Ok(())
}

/// `--html`: the page, with `--html-stability`'s intervals when asked.
fn publish_page(
    args: &ScoreArgs,
    input: &Input,
    scored: (&spec::Spec, &Leaderboard, &Warnings),
) -> Result<()> {
    let Some(page) = &args.html else {
        return Ok(());
    };
    let stability = page_stability(args.html_stability, scored.0, scored.1)?;
    let origin = match &input.origin {
        Origin::Cache(cache) => report::html::Origin::cache(cache),
        Origin::Tree(tree) => {
            report::html::Origin::folder(Some(tree), input.options.selection.source)
        }
    };
    let info = args.info_dir.as_deref();
    report::html::publish(page, scored, info, origin, stability.as_ref())
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
        return Err(CommandLineError::HtmlStabilityZero.into());
    }
    let options = stability::Options {
        resamples,
        ..stability::Options::default()
    };
    let result = stability::stability(spec, leaderboard, &options)?;
    Ok(Some(report::html::Stability::of(&result)))
}
