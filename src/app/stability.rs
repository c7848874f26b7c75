//! `stability`: how sure the ranking is.

use std::path::{Path, PathBuf};

use super::{thread_pool, Input, InputRequest};
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::Progress;
use crate::report;
use crate::report::error::ReportError;
use crate::score::stability::{self, Stability};
use crate::spec::Spec;

/// The input and the resampling.
#[derive(Debug, Clone, Default)]
pub struct StabilityRequest {
    pub input: InputRequest,
    pub options: stability::Options,
    /// Also draw the score intervals (SVG, or PNG by extension).
    pub plot: Option<PathBuf>,
}

/// Intervals, P(rank 1), pairwise P(A above B), the group tied with #1
/// (document: [`crate::report::stability::StabilityDoc`]).
#[derive(Debug, Clone)]
pub struct Stable {
    pub spec: Spec,
    pub result: Stability,
    pub warnings: Warnings,
}

/// Scores the input and resamples it; reading and resampling share the
/// request's worker threads.
pub fn stability(request: &StabilityRequest, progress: &dyn Progress) -> Result<Stable> {
    let input = Input::open(&request.input)?;
    let spec = &input.spec;
    if let Some(file) = &request.plot {
        input.guard().check_file(file, report::guard::Kind::Plot)?;
    }
    let (result, warnings) = thread_pool(input.threads)?.install(|| {
        let (leaderboard, warnings) = input.score_here(progress)?;
        // The plot draws the profile's bands too (same resamples).
        let result = match request.plot {
            Some(_) => stability::stability_with_bands(spec, &leaderboard, &request.options)?,
            None => stability::stability(spec, &leaderboard, &request.options)?,
        };
        Ok::<_, crate::error::Error>((result, warnings))
    })?;
    if let Some(file) = &request.plot {
        write_plot(file, spec, &result)?;
    }
    Ok(Stable {
        spec: input.spec,
        result,
        warnings,
    })
}

/// The intervals' plot, PNG when the file says so, SVG otherwise.
fn write_plot(file: &Path, spec: &Spec, result: &Stability) -> Result<()> {
    let is_png = file
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("png"));
    let drawn = if is_png {
        report::stability::png(spec, result)
    } else {
        report::stability::svg(spec, result).map(String::into_bytes)
    };
    let bytes = drawn.map_err(|source| ReportError::Plot {
        path: file.to_path_buf(),
        source,
    })?;
    crate::fs::write_file(file, &bytes)
}
