//! Argument groups shared by several commands.

use std::path::PathBuf;

use clap::Args;

use crate::ingest::Source;

/// What every command that reads logs reads: the spec, the submissions
/// tree or a results cache, and how the trials are selected and read.
/// Converted once into an [`crate::app::InputRequest`].
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Ruleset spec (rulesets/*.toml).
    #[arg(long, value_name = "FILE", required = true)]
    pub spec: Option<PathBuf>,
    /// Submissions folder: one sub-folder per submission.
    #[arg(long, value_name = "DIR", required_unless_present = "load_results")]
    pub submissions: Option<PathBuf>,
    /// Score a results cache made by --save-results instead of a submissions folder.
    #[arg(long, value_name = "FILE", conflicts_with = "submissions")]
    pub load_results: Option<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How trials are selected and read, whatever the tree (`compare` reads two
/// trees with one such group).
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Only these submissions (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub include: Vec<String>,
    /// Leave out these submissions (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub exclude: Vec<String>,
    /// Where trials' evaluations come from: eval_measurements.csv, raw training
    /// logs, or the CSV where a trial has one and the logs otherwise.
    #[arg(long, value_enum, default_value_t = SourceArg::Csv)]
    pub source: SourceArg,
    /// Fail on any count mismatch or skipped input instead of warning.
    #[arg(long)]
    pub strict: bool,
    /// Score even when nothing is selected or read (an empty submissions
    /// folder, --include/--exclude names that match nothing, a spec column
    /// or framework found nowhere): warnings instead of errors.
    #[arg(long)]
    pub allow_empty: bool,
    /// Largest trial file or log read, e.g. 256M or 2G (default 256M); a
    /// larger one, or one that is not a regular file, is skipped with a warning.
    #[arg(long, value_name = "SIZE", value_parser = crate::limits::parse_size)]
    pub max_file_size: Option<u64>,
    /// Worker threads for reading logs (default: all cores; more are capped
    /// at the cores available).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Scoring a submissions tree (the main job).
#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Save the ingested series to a results cache, to rescore without reading the logs.
    #[arg(long, value_name = "FILE")]
    pub save_results: Option<PathBuf>,
    /// Where to write scores.csv, time_to_targets.csv,
    /// performance_profile_score.csv, <submission>_summary.csv and the
    /// performance_profile.svg/.png plot.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// When another run is writing the same --output-dir, fail at once
    /// instead of waiting for it.
    #[arg(long, requires = "output_dir")]
    pub no_wait: bool,
    /// What to print on stdout: the ranked table, or one JSON document with
    /// every intermediate result (schema/leaderboard.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the leaderboard as one self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Folder of <submission>/submission_info.yml files, for the HTML page's
    /// authors, affiliation, framework and logs link.
    #[arg(long, value_name = "DIR", requires = "html")]
    pub info_dir: Option<PathBuf>,
    /// Show on the HTML page each score's and rank's 95% interval, P(rank 1),
    /// the group tied with #1 and the profile's bands, from N bootstrap
    /// resamples over studies (seed 0; `stability` has every option).
    #[arg(long, value_name = "N", requires = "html")]
    pub html_stability: Option<usize>,
    /// Also write, per workload, the training curves (curves_<workload>.svg)
    /// and the time-to-target ECDF (time_to_target_ecdf_<workload>.svg)
    /// to the output folder; see docs/pictures.md.
    #[arg(long)]
    pub curves: bool,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// `--source` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourceArg {
    Csv,
    Logs,
    Auto,
}

impl From<SourceArg> for Source {
    fn from(s: SourceArg) -> Self {
        match s {
            SourceArg::Csv => Source::Csv,
            SourceArg::Logs => Source::Logs,
            SourceArg::Auto => Source::Auto,
        }
    }
}
