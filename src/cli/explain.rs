//! `explain`: one submission on one workload, step by step.

use clap::Args;

use super::args::{Format, InputArgs};
use super::options::Input;
use super::output::{print_json, print_out};
use crate::error::Result;
use crate::report;
use crate::run::error::RunError;

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
    let input = Input::from_cli_arguments(&a.input)?;
    let s = &input.spec;
    let (leaderboard, _) = input.score()?;
    if leaderboard.row(&a.submission).is_none() {
        return Err(RunError::UnknownSubmission {
            submissions: input.origin.path().to_path_buf(),
            name: a.submission.clone(),
            scored: leaderboard.submissions.clone(),
        }
        .into());
    }
    let explanation = leaderboard.explain(s, &a.submission, &a.workload)?;
    match a.format {
        Format::Table => print_out(&report::explain::text(s, &explanation)),
        Format::Json => print_json(&report::explain::json(&explanation)),
    }
}
