//! `spec check`, `spec explain` and `heldout sample`: commands on a spec alone.

use std::path::PathBuf;

use clap::Subcommand;

use super::args::Format;
use super::output::{print_err, print_json, print_out};
use crate::error::Result;
use crate::run::error::RunError;
use crate::spec;

#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Validate specs; errors show file:line:column, the text and what was expected.
    #[command(after_help = "Example:\n  algoperf-engine spec check rulesets/*.toml")]
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Warnings (steps that can never act) fail the check.
        #[arg(long)]
        strict: bool,
    },
    /// Run a spec's own tests (NAME.test.toml beside NAME.toml): small
    /// trees and the scores, times, warnings or errors they must give.
    #[command(after_help = "Example:\n  algoperf-engine spec test rulesets/*.toml")]
    Test {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the scoring pipeline a spec defines, in plain words.
    #[command(
        after_help = "Example:\n  algoperf-engine spec explain rulesets/v05_external.toml\n  algoperf-engine spec explain rulesets/v06_self.toml --format json"
    )]
    Explain {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Plain words, or one JSON document (schema/spec-explain.schema.json).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum HeldoutCommand {
    /// Draw the held-out workloads as numpy's default_rng(seed) does.
    #[command(
        after_help = "Example:\n  algoperf-engine heldout sample --spec rulesets/v05_external.toml\n  algoperf-engine heldout sample --spec rulesets/v05_external.toml --seed 7 --format json"
    )]
    Sample {
        #[arg(long, value_name = "FILE")]
        spec: PathBuf,
        /// Seed (default: the spec's).
        #[arg(long, value_name = "N")]
        seed: Option<u128>,
        /// One workload a line, or one JSON document
        /// (schema/heldout.schema.json).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// Runs `spec check` or `spec explain`.
pub fn spec_command(command: SpecCommand) -> Result<()> {
    match command {
        SpecCommand::Check { files, strict } => spec_check(&files, strict),
        SpecCommand::Test { files } => spec_test(&files),
        SpecCommand::Explain { file, format } => {
            let s = spec::load(&file)?;
            match format {
                Format::Table => print_out(&spec::explain(&s)),
                Format::Json => print_json(&spec::explain_document(&s)),
            }
        }
    }
}

/// Runs `heldout sample`.
pub fn heldout_command(command: HeldoutCommand) -> Result<()> {
    let HeldoutCommand::Sample {
        spec: path,
        seed,
        format,
    } = command;
    let s = spec::load(&path)?;
    let Some(sampling) = &s.sampling else {
        return Err(RunError::NoHeldoutSampling { spec: path }.into());
    };
    let seed = seed.unwrap_or(sampling.seed);
    let sizes: Vec<usize> = sampling.groups.iter().map(|(_, pool)| pool.len()).collect();
    let drawn = crate::spec::heldout::draw_indices(seed, &sizes);
    if format == Format::Json {
        let groups: Vec<serde_json::Value> = (sampling.groups.iter().zip(drawn))
            .map(|((group, pool), i)| {
                serde_json::json!({"group": group, "pool": pool, "drawn": pool[i]})
            })
            .collect();
        return print_json(&serde_json::json!({
            "engine": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
            "spec": path.display().to_string(),
            "seed": spec::seed_value(seed),
            "held_out": groups,
        }));
    }
    let mut text = String::new();
    for ((_, pool), i) in sampling.groups.iter().zip(drawn) {
        text.push_str(&pool[i]);
        text.push('\n');
    }
    print_out(&text)
}

fn spec_check(files: &[PathBuf], strict: bool) -> Result<()> {
    let mut failed = 0;
    for f in files {
        match spec::check(f, strict) {
            Ok(s) => {
                print_err(&spec::render_warnings(&s));
                print_out(&format!("{}: ok\n", f.display()))?
            }
            Err(e) => {
                failed += 1;
                print_err(&format!("{e}\n"));
            }
        }
    }
    if failed > 0 {
        return Err(RunError::SpecsFailed {
            failed,
            total: files.len(),
        }
        .into());
    }
    Ok(())
}

fn spec_test(files: &[PathBuf]) -> Result<()> {
    let mut failed = 0;
    for f in files
        .iter()
        .filter(|f| !is_test_file_of_listed_spec(f, files))
    {
        match crate::spec_test::run_file(f) {
            Ok(r) => {
                print_out(&r.render())?;
                failed += usize::from(r.failed() > 0);
            }
            Err(e) => {
                failed += 1;
                print_err(&format!("error: {e}\n"));
            }
        }
    }
    if failed > 0 {
        return Err(RunError::SpecsFailed {
            failed,
            total: files.len(),
        }
        .into());
    }
    Ok(())
}

/// `rulesets/*.toml` lists a spec and its test file: run them once.
fn is_test_file_of_listed_spec(f: &std::path::Path, files: &[PathBuf]) -> bool {
    let name = f.to_string_lossy();
    name.ends_with(".test.toml")
        && files
            .iter()
            .any(|g| *g != *f && crate::spec_test::test_file_of(g) == *f)
}
