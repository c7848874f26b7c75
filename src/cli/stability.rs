//! `stability`: how sure the ranking is.

use std::path::PathBuf;

use clap::Args;

use super::args::{Format, SourceArg};
use super::options::{capped_threads, score_tree};
use super::output::print_out;
use crate::error::{Error, Result};
use crate::ingest::Selection;
use crate::{report, spec};

/// `stability`: see `score::stability`.
#[derive(Debug, Args)]
pub struct StabilityArgs {
    /// Ruleset spec (rulesets/*.toml).
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// Submissions folder: one sub-folder per submission.
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    #[arg(long, value_enum, default_value_t = SourceArg::Csv)]
    pub source: SourceArg,
    /// Only these submissions (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub include: Vec<String>,
    /// Leave out these submissions (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub exclude: Vec<String>,
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
    /// Worker threads for reading and resampling (default: all cores); the
    /// output does not depend on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
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
    use crate::score::stability::{self, Method, Over};
    let spec = spec::load(&args.spec)?;
    let options = stability::Options {
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
    };
    let selection = Selection {
        include: args.include,
        exclude: args.exclude,
        source: args.source.into(),
        ..Selection::default()
    };
    let threads = capped_threads(args.threads);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    let result = pool.install(|| {
        let outcome = score_tree(&spec, &args.submissions, selection)?;
        stability::stability(&spec, &outcome.leaderboard, &options)
    })?;
    if let Some(file) = &args.plot {
        let is_png = file
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("png"));
        let drawn = if is_png {
            report::stability::png(&spec, &result)
        } else {
            report::stability::svg(&spec, &result).map(String::into_bytes)
        };
        let bytes = drawn.map_err(|e| Error::Write {
            path: file.clone(),
            source: std::io::Error::other(format!("cannot draw the plot: {e}")),
        })?;
        std::fs::write(file, bytes).map_err(|source| Error::Write {
            path: file.clone(),
            source,
        })?;
    }
    match args.format {
        Format::Table => print_out(&report::stability::table(&result))?,
        Format::Json => {
            let doc = report::stability::document(&spec, &result);
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?;
            print_out(&format!("{text}\n"))?;
        }
    }
    Ok(())
}
