//! `spec check`, `spec explain` and `heldout sample`: commands on a spec alone.

use std::path::PathBuf;

use clap::Subcommand;

use super::output::{print_err, print_out};
use crate::error::{Error, Result};
use crate::spec;

#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Validate specs; errors show file:line:column, the text and what was expected.
    #[command(after_help = "Example:\n  algoperf-engine spec check rulesets/*.toml")]
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the scoring pipeline a spec defines, in plain words.
    #[command(after_help = "Example:\n  algoperf-engine spec explain rulesets/v05_external.toml")]
    Explain {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum HeldoutCommand {
    /// Draw the held-out workloads as numpy's default_rng(seed) does.
    #[command(
        after_help = "Example:\n  algoperf-engine heldout sample --spec rulesets/v05_external.toml"
    )]
    Sample {
        #[arg(long, value_name = "FILE")]
        spec: PathBuf,
        /// Seed (default: the spec's).
        #[arg(long, value_name = "N")]
        seed: Option<u128>,
    },
}

/// Runs `spec check` or `spec explain`.
pub fn spec_command(command: SpecCommand) -> Result<()> {
    match command {
        SpecCommand::Check { files } => spec_check(&files),
        SpecCommand::Explain { file } => {
            let s = spec::load(&file)?;
            print_out(&spec::explain(&s))
        }
    }
}

/// Runs `heldout sample`.
pub fn heldout_command(command: HeldoutCommand) -> Result<()> {
    let HeldoutCommand::Sample { spec: path, seed } = command;
    let s = spec::load(&path)?;
    let Some(sampling) = &s.sampling else {
        return Err(Error::Usage(format!(
            "{}: no [held_out_sampling] table: nothing to draw",
            path.display()
        )));
    };
    let seed = seed.unwrap_or(sampling.seed);
    let sizes: Vec<usize> = sampling.groups.iter().map(|(_, pool)| pool.len()).collect();
    let drawn = crate::spec::heldout::draw_indices(seed, &sizes);
    let mut text = String::new();
    for ((_, pool), i) in sampling.groups.iter().zip(drawn) {
        text.push_str(&pool[i]);
        text.push('\n');
    }
    print_out(&text)
}

fn spec_check(files: &[PathBuf]) -> Result<()> {
    let mut failed = 0;
    for f in files {
        match spec::load(f) {
            Ok(_) => print_out(&format!("{}: ok\n", f.display()))?,
            Err(e) => {
                failed += 1;
                print_err(&format!("{e}\n"));
            }
        }
    }
    if failed > 0 {
        return Err(Error::Usage(format!(
            "{failed} of {} spec{} failed the check",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}
