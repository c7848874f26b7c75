//! `stability`: how sure the ranking is.

use std::path::PathBuf;

use clap::Args;

use super::args::{Format, InputArgs};
use super::options::Bar;
use super::output::{print_err, print_json, print_out};
use crate::error::Result;
use crate::score::stability::{self, Method, Over};
use crate::{app, report};

/// `stability`: see `score::stability`.
#[derive(Debug, Args)]
pub struct StabilityArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Bootstrap (random resamples) or jackknife (leave one study out).
    #[arg(long, value_enum, default_value_t = MethodArg::Bootstrap)]
    pub method: MethodArg,
    /// What a bootstrap resample draws with replacement.
    #[arg(long, value_enum, default_value_t = OverArg::Studies)]
    pub over: OverArg,
    /// Number of bootstrap resamples.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub resamples: usize,
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Interval level.
    #[arg(long, value_name = "P", default_value_t = 0.95)]
    pub level: f64,
    /// The table, or one JSON document (schema/stability.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the plot (each score with its interval, ordered by score;
    /// below, ρ(τ) with each submission's pointwise band over the same
    /// resamples) to FILE: PNG when FILE ends in .png, else SVG.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

/// `--method` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    Bootstrap,
    Jackknife,
}

/// `--over` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OverArg {
    Studies,
    Workloads,
    Both,
}

pub(super) fn stability_command(args: StabilityArgs) -> Result<()> {
    let request = app::stability::StabilityRequest {
        input: args.input.request()?,
        options: stability_options(&args),
        plot: args.plot.clone(),
    };
    let s = app::stability::stability(&request, &Bar::new())?;
    print_err(&s.warnings.render());
    match args.format {
        Format::Table => print_out(&report::stability::table(&s.result)),
        Format::Json => print_json(&report::stability::document(&s.spec, &s.result)),
    }
}

fn stability_options(args: &StabilityArgs) -> stability::Options {
    stability::Options {
        method: match args.method {
            MethodArg::Bootstrap => Method::Bootstrap,
            MethodArg::Jackknife => Method::Jackknife,
        },
        over: match args.over {
            OverArg::Studies => Over::Studies,
            OverArg::Workloads => Over::Workloads,
            OverArg::Both => Over::Both,
        },
        resamples: args.resamples,
        seed: args.seed,
        level: args.level,
    }
}
