//! The main command: score a submissions tree (or a results cache) and write
//! the output folder, the HTML page, the table or JSON.

use super::args::{Format, ScoreArgs};
use super::options::Bar;
use super::output::{print_err, print_json, print_out};
use crate::app::score::{ScoreRequest, Scored};
use crate::error::Result;
use crate::{app, report};

/// The table or the JSON document on stdout.
pub(super) fn print_result(format: Format, scored: &Scored) -> Result<()> {
    match format {
        Format::Table => print_out(&report::leaderboard_table(
            &scored.leaderboard,
            scored.spec.tau.max,
        )),
        Format::Json => print_json(&scored.document()),
    }
}

pub(super) fn score_command(args: ScoreArgs) -> Result<()> {
    let request = ScoreRequest {
        input: args.input.request()?,
        save_results: args.save_results.clone(),
        output_dir: args.output_dir.clone(),
        html: args.html.clone(),
        info_dir: args.info_dir.clone(),
        html_stability: args.html_stability,
        no_wait: args.no_wait,
        curves: args.curves,
    };
    let scored = app::score::score(&request, &Bar::new())?;
    print_err(&scored.warnings.render());
    print_result(args.format, &scored)?;
    if let Some((out, n)) = &scored.written {
        print_err(&format!("wrote {n} files to {}\n", out.display()));
    }
    Ok(())
}
