//! `stability`: how sure the ranking is.

use std::path::{Path, PathBuf};

use clap::Args;

use super::args::{Format, InputArgs};
use super::options::{thread_pool, Input};
use super::output::{print_err, print_out};
use crate::error::Result;
use crate::report;
use crate::report::error::ReportError;
use crate::score::stability::{self, Method, Over};
use crate::spec::Spec;

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
    /// Also write the plot (each score with its interval, ordered by score)
    /// to FILE: PNG when FILE ends in .png, else SVG.
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
    let input = Input::from_cli_arguments(&args.input)?;
    let spec = &input.spec;
    let options = stability_options(&args);
    // Reading and resampling share the `--threads` workers.
    let result = thread_pool(input.threads)?.install(|| {
        let (leaderboard, warnings) = input.score_here()?;
        print_err(&warnings.render());
        stability::stability(spec, &leaderboard, &options)
    })?;
    if let Some(file) = &args.plot {
        write_plot(file, spec, &result)?;
    }
    match args.format {
        Format::Table => print_out(&report::stability::table(&result))?,
        Format::Json => print_out(&report::json::to_text(&report::stability::document(
            spec, &result,
        ))?)?,
    }
    Ok(())
}

/// `--method`, `--over`, `--resamples`, `--seed`, `--level`.
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

/// `--plot FILE`: PNG when FILE ends in .png, else SVG.
fn write_plot(file: &Path, spec: &Spec, result: &stability::Stability) -> Result<()> {
    let is_png = file
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("png"));
    let drawn = if is_png {
        report::stability::png(spec, result)
    } else {
        report::stability::svg(spec, result).map(String::into_bytes)
    };
    let bytes = drawn.map_err(|source| ReportError::Plot {
        path: file.to_path_buf(),
        source,
    })?;
    crate::fs::write_file(file, &bytes)
}
