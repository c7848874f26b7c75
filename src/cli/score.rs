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
    // The cache keeps every series: read them all, then score; it is
    // written only once the run has succeeded (nothing written on error).
    let (ingested, (leaderboard, warnings)) = match &args.save_results {
        Some(_) => {
            let ingested = input.read()?;
            let scored = run::score_only(&ingested, spec, &input.options)?;
            (Some(ingested), scored)
        }
        None => (None, input.score()?),
    };
    let save = |ingested: Option<crate::ingest::Ingested>| match (&args.save_results, ingested) {
        (Some(cache), Some(ingested)) => crate::ingest::cache::save(cache, &ingested, spec),
        _ => Ok(()),
    };
    let Some(out) = &args.output_dir else {
        // Nothing to write: no file is rendered.
        let page = render_page(&args, &input, (spec, &leaderboard, &warnings))?;
        save(ingested)?;
        write_page(&args, page)?;
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
    let wait = match args.no_wait {
        true => report::files::Wait::Fail,
        false => report::files::Wait::Block,
    };
    let scored = (spec, &outcome.leaderboard, &outcome.warnings);
    let page = render_page(&args, &input, scored)?;
    save(ingested)?;
    report::files::write_run_with(out, &outcome.files, wait)?;
    write_page(&args, page)?;
    print_err(&outcome.warnings.render());
    print_result(args.format, spec, &outcome.leaderboard, &outcome.warnings)?;
    print_err(&format!(
        "wrote {} files to {}\n",
        outcome.files.len(),
        out.display()
    ));
    Ok(())
}

/// Every place the run will write is checked before any log is read
/// ([`report::guard`]): never under the submissions tree, never over an
/// input of this run.
fn check_targets(args: &ScoreArgs, input: &Input) -> Result<()> {
    use report::guard::Kind;
    let mut inputs = input.guard();
    inputs.add_info_dir(args.info_dir.as_deref());
    if let Some(cache) = &args.save_results {
        inputs.check_file(cache, Kind::Cache)?;
    }
    if let Some(out) = &args.output_dir {
        inputs.check_folder(out)?;
    }
    if let Some(page) = &args.html {
        inputs.check_file(page, Kind::Page)?;
    }
    if let Some(dir) = args.info_dir.as_ref().filter(|d| !d.is_dir()) {
        return Err(ReportError::NoInfoFolder { path: dir.clone() }.into());
    }
    if args.html_stability == Some(0) {
        return Err(CommandLineError::HtmlStabilityZero.into());
    }
    Ok(())
}

/// `--html`: the page, with `--html-stability`'s intervals when asked,
/// rendered before anything is written.
fn render_page(
    args: &ScoreArgs,
    input: &Input,
    scored: (&spec::Spec, &Leaderboard, &Warnings),
) -> Result<Option<String>> {
    if args.html.is_none() {
        return Ok(None);
    }
    let stability = page_stability(args.html_stability, scored.0, scored.1)?;
    let origin = match &input.origin {
        Origin::Cache(cache) => report::html::Origin::cache(cache),
        Origin::Tree(tree) => {
            report::html::Origin::folder(Some(tree), input.options.selection.source)
        }
    };
    let info = args.info_dir.as_deref();
    report::html::page(scored, info, origin, stability.as_ref()).map(Some)
}

fn write_page(args: &ScoreArgs, page: Option<String>) -> Result<()> {
    match (&args.html, page) {
        (Some(path), Some(page)) => report::html::write_page(path, &page),
        _ => Ok(()),
    }
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
