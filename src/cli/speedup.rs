//! `speedup`: SCORING.md §9.

use clap::Args;

use super::args::{Format, InputArgs};
use super::options::Bar;
use super::output::{print_err, print_json, print_out};
use crate::error::Result;
use crate::{app, report};

/// `speedup`: SCORING.md §9.
#[derive(Debug, Args)]
pub struct SpeedupArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The submission compared against (the denominator of the ratios).
    #[arg(long, value_name = "NAME")]
    pub base: String,
    /// The submission whose speedup is measured (default: every other
    /// submission read, in one table).
    #[arg(long, value_name = "NAME")]
    pub comparison: Option<String>,
    /// The table, or one JSON document (schema/speedup.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub(super) fn speedup_command(args: SpeedupArgs) -> Result<()> {
    let request = app::speedup::SpeedupRequest {
        input: args.input.request()?,
        base: args.base.clone(),
        comparison: args.comparison.clone(),
    };
    let s = app::speedup::speedup(&request, &Bar::new())?;
    print_err(&s.warnings.render());
    match (args.format, s.comparisons.as_slice()) {
        (Format::Json, all) => print_json(&report::speedup::document(&s.base, all)),
        (Format::Table, [one]) if s.one => print_out(&report::speedup::speedup_table(one)),
        (Format::Table, all) => print_out(&report::speedup::speedups_table(all)),
    }
}
