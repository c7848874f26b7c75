//! `explain`: one submission on one workload, step by step.

use clap::Args;

use super::args::{Format, InputArgs};
use super::options::Bar;
use super::output::{print_json, print_out};
use crate::error::Result;
use crate::{app, report};

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The submission to explain (its folder name).
    #[arg(long, value_name = "NAME")]
    pub submission: String,
    /// The workload (name without framework suffix).
    #[arg(long, value_name = "NAME")]
    pub workload: String,
    /// `json`: one document (schema/explain.schema.json) instead of the text.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `explain`. Its warnings are not printed: the explanation is the
/// output.
pub fn explain_command(a: ExplainArgs) -> Result<()> {
    let request = app::explain::ExplainRequest {
        input: a.input.request()?,
        submission: a.submission.clone(),
        workload: a.workload.clone(),
    };
    let e = app::explain::explain(&request, &Bar::new())?;
    match a.format {
        Format::Table => print_out(&report::explain::text(&e.spec, &e.explanation)),
        Format::Json => print_json(&report::explain::json(&e.explanation)),
    }
}
