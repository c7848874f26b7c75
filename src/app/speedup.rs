//! `speedup`: per-workload time ratios of one submission over another and
//! their geometric mean (SCORING.md §9).

use super::{Input, InputRequest};
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::degenerate;
use crate::ingest::Progress;
use crate::run::error::RunError;
use crate::score::speedup::{self, Speedup};

/// The base and what is compared with it.
#[derive(Debug, Clone, Default)]
pub struct SpeedupRequest {
    pub input: InputRequest,
    /// The denominator of the ratios.
    pub base: String,
    /// The submission measured; none = every other submission read.
    pub comparison: Option<String>,
}

/// Every comparison against the base (document:
/// [`crate::report::speedup::SpeedupDoc`]).
#[derive(Debug, Clone)]
pub struct Speedups {
    pub base: String,
    /// Whether one comparison was asked for by name.
    pub one: bool,
    pub comparisons: Vec<Speedup>,
    pub warnings: Warnings,
}

/// Reads what the comparison needs (just the two submissions when one is
/// named: times before any rule depend on the submission alone) and
/// computes the ratios. Unknown names and missing budgets are errors before
/// any log is read.
pub fn speedup(request: &SpeedupRequest, progress: &dyn Progress) -> Result<Speedups> {
    let mut input = Input::open(&request.input)?;
    for w in &input.spec.base {
        speedup::missed_target_time(&input.spec, w)?;
    }
    check_names(request, &input)?;
    if let Some(comparison) = &request.comparison {
        input.options.selection.include = vec![request.base.clone(), comparison.clone()];
    }
    let (leaderboard, warnings) = input.score(progress)?;
    // After reading, so that a submission made only of re-run folders counts.
    let comparisons: Vec<&String> = match &request.comparison {
        Some(c) => vec![c],
        None => (leaderboard.submissions.iter())
            .filter(|n| **n != request.base)
            .collect(),
    };
    for name in std::iter::once(&request.base).chain(comparisons.iter().copied()) {
        if leaderboard.row(name).is_none() {
            return Err(RunError::NoSubmissionFolder {
                submissions: input.origin.path().to_path_buf(),
                name: name.clone(),
            }
            .into());
        }
    }
    if comparisons.is_empty() {
        return Err(RunError::NothingToCompare {
            base: request.base.clone(),
            read: leaderboard.submissions.clone(),
        }
        .into());
    }
    let all = (comparisons.iter())
        .map(|c| speedup::speedup(&leaderboard, &input.spec, &request.base, c))
        .collect::<std::result::Result<Vec<Speedup>, _>>()?;
    Ok(Speedups {
        base: request.base.clone(),
        one: request.comparison.is_some(),
        comparisons: all,
        warnings,
    })
}

/// Unknown names are an error before any log is read (from a results
/// cache, once it is read).
fn check_names(request: &SpeedupRequest, input: &Input) -> Result<()> {
    let Some(tree) = input.tree() else {
        return Ok(());
    };
    let available = degenerate::submission_names(tree)?;
    let names = [
        ("--base", Some(&request.base)),
        ("--comparison", request.comparison.as_ref()),
    ];
    let problems: Vec<_> = names
        .into_iter()
        .filter_map(|(option, name)| Some((option, name?)))
        .filter_map(|(option, name)| degenerate::unknown_name(&available, option, name, tree))
        .collect();
    degenerate::report(problems, false, &mut Default::default())
}
