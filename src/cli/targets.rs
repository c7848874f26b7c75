//! `targets derive`: targets and budgets from target-setting runs.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::args::Format;
use super::options::Bar;
use super::output::{print_err, print_json, print_out};
use crate::error::Result;
use crate::{app, report};

/// `targets …` commands.
#[derive(Debug, Subcommand)]
pub enum TargetsCommand {
    /// Set each workload's validation and test targets and its budget from
    /// repeated target-setting runs (one submission folder per algorithm,
    /// one study per run), with the spec's [target_setting]; prints which
    /// algorithm and runs set each target.
    #[command(
        after_help = "Example:\n  algoperf-engine targets derive --spec v06_external --submissions target_setting_runs \\\n      --toml targets/derived.toml --json targets/workload_targets_derived.json"
    )]
    Derive(DeriveArgs),
}

/// `targets derive`'s arguments.
#[derive(Debug, Args)]
pub struct DeriveArgs {
    /// Spec with a [target_setting] table (a file or a shipped name); its
    /// targets file names each workload's metric and goal.
    #[arg(long, value_name = "SPEC")]
    pub spec: PathBuf,
    /// The runs: one folder per target-setting algorithm, one study per run.
    #[arg(long, value_name = "DIR")]
    pub submissions: PathBuf,
    /// Write the engine's TOML targets file here.
    #[arg(long, value_name = "FILE")]
    pub toml: Option<PathBuf>,
    /// Write the upstream workload_targets*.json form here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the budgets as an upstream max_runtimes.json here (under the
    /// spec's version).
    #[arg(long, value_name = "FILE")]
    pub budgets_json: Option<PathBuf>,
    /// Only these algorithms (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub include: Vec<String>,
    /// Leave out these algorithms (comma-separated folder names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub exclude: Vec<String>,
    /// A run count other than [target_setting] runs, or any skipped input,
    /// is an error instead of a warning.
    #[arg(long)]
    pub strict: bool,
    /// The report as text, or one JSON document (schema/targets-derive.schema.json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs a `targets` command.
pub fn targets_command(command: TargetsCommand) -> Result<()> {
    let TargetsCommand::Derive(args) = command;
    let request = app::targets::DeriveRequest {
        spec: args.spec,
        submissions: args.submissions,
        read: app::ReadRequest {
            include: args.include,
            exclude: args.exclude,
            strict: args.strict,
            ..Default::default()
        },
        toml: args.toml,
        json: args.json,
        budgets_json: args.budgets_json,
    };
    let derived = app::targets::derive(&request, &Bar::new())?;
    print_err(&derived.warnings.render());
    for file in &derived.written {
        print_err(&format!("wrote {file}\n"));
    }
    match args.format {
        Format::Json => print_json(&derived),
        Format::Table => print_out(&report::targets::report_text(
            &derived.workloads,
            &derived.target_setting,
        )),
    }
}
