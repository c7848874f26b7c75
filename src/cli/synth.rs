//! `synth`: a synthetic submissions tree.

use std::path::PathBuf;

use clap::Args;

use super::output::print_err;
use crate::error::Result;
use crate::run::error::RunError;
use crate::{spec, synth};

/// `synth`'s arguments.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Spec whose workloads, targets and budgets the curves are made for:
    /// a file or a shipped name (default: v05_external).
    #[arg(long, value_name = "SPEC")]
    pub spec: Option<PathBuf>,
    /// Number of submissions.
    #[arg(long, value_name = "N")]
    pub submissions: usize,
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Studies per workload (default: the spec's expected count).
    #[arg(long, value_name = "N")]
    pub studies: Option<usize>,
    /// Trials per study (default: the spec's expected count).
    #[arg(long, value_name = "N")]
    pub trials: Option<usize>,
    /// Output folder (must be empty or absent).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Also write raw training logs, in the old (`Metrics:` line per
    /// tuning run), new (line per evaluation) or jax (both, values wrapped)
    /// format, with the CSVs' evaluations (score them with `--source logs`).
    #[arg(long, value_name = "FORMAT")]
    pub raw_logs: Option<RawLogsArg>,
    /// Write no eval_measurements.csv (with --raw-logs: logs only).
    #[arg(long, requires = "raw_logs")]
    pub no_csv: bool,
}

/// `synth --raw-logs` values (SCORING.md §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RawLogsArg {
    /// A `Metrics: {'eval_results': …}` line per tuning run, one log per workload folder.
    Old,
    /// A `Time since start: …` line per evaluation, one log per tuning run.
    New,
    /// The new format plus the closing `Metrics:` line, values wrapped as jax runs log them (`Array(x, dtype=float32)`, `np.float64(x)`).
    Jax,
}

/// Runs `synth`.
pub fn synth_command(args: SynthArgs) -> Result<()> {
    let SynthArgs {
        spec: path,
        submissions,
        seed,
        studies,
        trials,
        out,
        raw_logs,
        no_csv,
    } = args;
    let s = spec::load(&spec_path(path))?;
    let mut opts = synth::Options::for_spec(&s, submissions, seed);
    opts.studies = studies.unwrap_or(opts.studies);
    opts.trials = trials.unwrap_or(opts.trials);
    opts.raw_logs = raw_logs.map(|f| match f {
        RawLogsArg::Old => synth::LogFormat::Old,
        RawLogsArg::New => synth::LogFormat::New,
        RawLogsArg::Jax => synth::LogFormat::Jax,
    });
    opts.csv = !no_csv;
    if out.exists()
        && std::fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(RunError::OutputNotEmpty { path: out }.into());
    }
    let files = synth::generate(&s, &opts);
    synth::write(&out, &files)?;
    print_err(&format!(
        "wrote {} files under {}\n",
        files.len(),
        out.display()
    ));
    Ok(())
}

/// The default spec: the shipped v0.5 external-tuning ruleset, so `synth`
/// works from any folder.
const DEFAULT_SPEC: &str = "v05_external";

/// `--spec`, or the default.
fn spec_path(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| PathBuf::from(DEFAULT_SPEC))
}
