//! From parsed arguments to the application layer's requests, and the
//! progress bar the CLI shows while logs are read.

use std::io::IsTerminal;

use super::args::{InputArgs, ReadArgs};
use super::output::print_err;
use crate::app::{InputRequest, ReadRequest};
use crate::error::Result;
use crate::ingest::Progress;
use crate::run::error::CommandLineError;

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
    fn found(&self, more: u64) {
        if let Some(b) = &self.0 {
            b.inc_length(more);
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

/// `--threads`, with a note when it is more than the cores available
/// (the application layer caps it: [`crate::app::thread_pool`]).
fn capped_threads(asked: Option<usize>) -> Option<usize> {
    let cores = crate::app::cores();
    match asked {
        Some(n) if n > cores => {
            print_err(&format!(
                "note: --threads {n} is more than the {cores} cores available; using {cores}\n"
            ));
            Some(cores)
        }
        other => other,
    }
}

impl ReadArgs {
    /// The read request these arguments stand for (the one place it is
    /// built); `--threads` above the cores gets a note.
    pub(super) fn request(&self) -> ReadRequest {
        ReadRequest {
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            source: self.source.into(),
            strict: self.strict,
            allow_empty: self.allow_empty,
            max_file_size: self.max_file_size,
            threads: capped_threads(self.threads),
        }
    }
}

impl InputArgs {
    /// The input request these arguments stand for.
    pub(super) fn request(&self) -> Result<InputRequest> {
        let Some(spec) = &self.spec else {
            return Err(CommandLineError::SpecRequired.into());
        };
        Ok(InputRequest {
            spec: spec.clone(),
            submissions: self.submissions.clone(),
            load_results: self.load_results.clone(),
            read: self.read.request(),
            target_relaxations: None,
        })
    }
}
