//! `synth`: a synthetic submissions tree.

use std::path::PathBuf;

use clap::Args;

use super::output::print_err;
use crate::error::{Error, Result};
use crate::{spec, synth};

/// `synth`'s arguments.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Spec whose workloads and targets the curves are made for.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "rulesets/v05_external.toml"
    )]
    pub spec: PathBuf,
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
    } = args;
    let s = spec::load(&path)?;
    let mut opts = synth::Options::for_spec(&s, submissions, seed);
    opts.studies = studies.unwrap_or(opts.studies);
    opts.trials = trials.unwrap_or(opts.trials);
    if out.exists()
        && std::fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error::Usage(format!(
            "{}: output folder exists and is not empty",
            out.display()
        )));
    }
    let files = synth::generate(&s, &opts);
    synth::write(&out, &files)?;
    print_err(&format!(
        "wrote {} trial files under {}\n",
        files.len(),
        out.display()
    ));
    Ok(())
}
