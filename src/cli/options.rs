//! From parsed arguments to what a run needs: the progress bar, the worker
//! threads, the run options.

use std::io::IsTerminal;

use super::output::print_err;
use crate::error::Result;
use crate::ingest::{Progress, Selection, Silent};
use crate::{run, spec};

/// A progress bar on stderr when it is a terminal.
pub(super) struct Bar(pub(super) Option<indicatif::ProgressBar>);

impl Bar {
    pub(super) fn new() -> Self {
        if std::io::stderr().is_terminal() {
            Bar(Some(indicatif::ProgressBar::hidden()))
        } else {
            Bar(None)
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        if let Some(b) = &self.0 {
            b.set_length(total);
            b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            b.set_style(
                indicatif::ProgressStyle::with_template("reading logs {bar:40} {pos}/{len} files")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
    }
    fn advance(&self) {
        if let Some(b) = &self.0 {
            b.inc(1);
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// `--threads`, capped at the cores available: more threads than cores only
/// add contention (100,000 threads ran for minutes at a load of 4,500).
/// 0 or none is rayon's default, one per core.
pub(super) fn capped_threads(asked: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match asked {
        Some(n) if n > cores => {
            print_err(&format!(
                "note: --threads {n} is more than the {cores} cores available; using {cores}\n"
            ));
            cores
        }
        other => other.unwrap_or(0),
    }
}

/// Reads and scores a submissions tree without writing anything; the
/// warnings go to stderr.
pub(super) fn score_tree(
    spec: &spec::Spec,
    submissions: &std::path::Path,
    selection: Selection,
) -> Result<run::Outcome> {
    let options = run::Options {
        selection,
        strict: false,
    };
    let bar = Bar::new();
    let progress: &dyn Progress = if bar.0.is_some() { &bar } else { &Silent };
    let ingested = run::read(submissions, spec, &options, progress)?;
    let outcome = run::score(&ingested, spec, &options)?;
    print_err(&outcome.warnings.render());
    Ok(outcome)
}
