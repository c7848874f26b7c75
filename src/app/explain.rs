//! `explain`: why one submission got what it got on one workload.

use super::{Input, InputRequest};
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::Progress;
use crate::run::error::RunError;
use crate::score::explain::Explanation;
use crate::spec::Spec;

/// One submission on one workload.
#[derive(Debug, Clone, Default)]
pub struct ExplainRequest {
    pub input: InputRequest,
    pub submission: String,
    pub workload: String,
}

/// The explanation (its document: [`crate::report::explain::ExplainDoc`]).
#[derive(Debug, Clone)]
pub struct Explained {
    pub spec: Spec,
    pub explanation: Explanation,
    pub warnings: Warnings,
}

/// Scores the input and explains the cell; an unknown submission is an
/// error naming the ones scored.
pub fn explain(request: &ExplainRequest, progress: &dyn Progress) -> Result<Explained> {
    let input = Input::open(&request.input)?;
    let (leaderboard, warnings) = input.score(progress)?;
    if leaderboard.row(&request.submission).is_none() {
        return Err(RunError::UnknownSubmission {
            submissions: input.origin.path().to_path_buf(),
            name: request.submission.clone(),
            scored: leaderboard.submissions.clone(),
        }
        .into());
    }
    let explanation = leaderboard.explain(&input.spec, &request.submission, &request.workload)?;
    Ok(Explained {
        spec: input.spec,
        explanation,
        warnings,
    })
}
