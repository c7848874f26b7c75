//! `compare`: two leaderboards side by side (two specs, or two trees).

use std::path::PathBuf;

use super::{thread_pool, ReadRequest};
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::Progress;
use crate::run;
use crate::run::error::{CommandLineError, RunError};
use crate::score::compare::Comparison;
use crate::spec::Spec;

/// One or two specs, one or two trees.
#[derive(Debug, Clone, Default)]
pub struct CompareRequest {
    /// Spec A, and spec B (none: A again).
    pub specs: Vec<PathBuf>,
    pub submissions: PathBuf,
    /// Tree B (none: the same tree).
    pub submissions_b: Option<PathBuf>,
    pub read: ReadRequest,
}

/// What differs, and each side's warnings (document:
/// [`crate::report::compare::CompareDoc`]).
#[derive(Debug, Clone)]
pub struct Compared {
    pub comparison: Comparison,
    pub warnings: (Warnings, Warnings),
}

/// Scores both sides and compares them.
pub fn compare(request: &CompareRequest, progress: &dyn Progress) -> Result<Compared> {
    let (path_a, path_b) = match request.specs.as_slice() {
        [a] => (a, None),
        [a, b] => (a, Some(b)),
        _ => return Err(RunError::Option(CommandLineError::CompareSpecs).into()),
    };
    let spec_a = crate::spec::load(path_a)?;
    let spec_b = match path_b {
        Some(p) => crate::spec::load(p)?,
        None => spec_a.clone(),
    };
    let options = request.read.options();
    let tree_b = request
        .submissions_b
        .as_ref()
        .unwrap_or(&request.submissions);
    let pool = thread_pool(request.read.threads)?;
    let [(a, wa), (b, wb)] =
        if *tree_b == request.submissions && reads_once(&spec_a, &spec_b, &options) {
            let specs = (&spec_a, &spec_b);
            pool.install(|| run::read_once_score_both(tree_b, specs, &options, progress))?
        } else {
            let tree_a = &request.submissions;
            let a = pool.install(|| run::read_and_score(tree_a, &spec_a, &options, progress))?;
            let b = pool.install(|| run::read_and_score(tree_b, &spec_b, &options, progress))?;
            [a, b]
        };
    Ok(Compared {
        comparison: crate::score::compare::compare(&a, &b),
        warnings: (wa, wb),
    })
}

/// Whether one read of the tree serves both specs: they read it alike, and
/// no warning of the read can name a spec's file (a degenerate-tree problem
/// does, and is a warning rather than an error only under `allow_empty`;
/// as an error, spec A's comes first either way).
fn reads_once(a: &Spec, b: &Spec, options: &run::Options) -> bool {
    crate::ingest::reads_alike(a, b) && (a.path == b.path || !options.selection.allow_empty)
}
