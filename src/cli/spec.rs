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
    },
    /// List the specs shipped inside the program, with their descriptions.
    #[command(
        after_help = "Example:\n  algoperf-engine spec list\n  algoperf-engine --spec v05_external --submissions LOGS"
    )]
    List,
    /// Print a shipped spec's text (a ruleset name, or targets/NAME), to start a new one from.
    #[command(
        after_help = "Example:\n  algoperf-engine spec show v05_external > my_ruleset.toml\n  algoperf-engine spec show targets/algoperf_v05"
    )]
    Show {
        #[arg(value_name = "NAME")]
        name: String,
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
        SpecCommand::Check { files } => spec_check(&files),
        SpecCommand::List => print_out(&catalogue_text()?),
        SpecCommand::Show { name } => match spec::shipped::text(&name) {
            Some(text) => print_out(text),
            None => Err(RunError::NotShipped {
                message: format!("`{name}`: {}", spec::shipped::unknown_message(&name)),
            }
            .into()),
        },
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

/// `spec list`: one shipped spec a line, then the targets files.
fn catalogue_text() -> Result<String> {
    let specs = spec::shipped::catalogue()?;
    let width = specs.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (name, description) in specs {
        text.push_str(&format!("{name:width$}  {description}\n"));
    }
    let targets = spec::shipped::targets_names().join(", ");
    text.push_str(&format!(
        "\nTargets files: {targets}\n`algoperf-engine spec show NAME` prints one; `--spec NAME` uses one.\n"
    ));
    Ok(text)
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
        return Err(RunError::SpecsFailed {
            failed,
            total: files.len(),
        }
        .into());
    }
    Ok(())
}
