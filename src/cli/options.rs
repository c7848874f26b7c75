//! From parsed arguments to what a run needs: the progress bar, the worker
//! threads, the run options.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::args::{InputArgs, ReadArgs};
use super::output::print_err;
use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::{Ingested, Progress, Selection};
use crate::run;
use crate::run::error::CommandLineError;
use crate::score::Leaderboard;
use crate::spec::{self, Spec};

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

/// The run options `ReadArgs` stand for: the one place they are built.
pub(super) fn run_options(read: &ReadArgs) -> run::Options {
    run::Options {
        selection: Selection {
            include: read.include.clone(),
            exclude: read.exclude.clone(),
            source: read.source.into(),
            allow_empty: read.allow_empty,
            max_file_size: read.max_file_size,
        },
        strict: read.strict,
    }
}

/// A pool of `--threads` worker threads (capped at the cores available).
pub(super) fn thread_pool(asked: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(capped_threads(asked))
        .build()
        .map_err(|source| {
            CommandLineError::Threads {
                threads: asked.unwrap_or(0),
                source,
            }
            .into()
        })
}

/// Reads and scores a submissions tree on `--threads` workers, with the
/// progress bar when stderr is a terminal (the warnings are returned).
pub(super) fn score_tree(
    root: &Path,
    spec: &Spec,
    options: &run::Options,
    threads: Option<usize>,
) -> Result<(Leaderboard, Warnings)> {
    thread_pool(threads)?.install(|| run::read_and_score(root, spec, options, &Bar::new()))
}

/// Where the trials come from.
#[derive(Debug, Clone)]
pub(super) enum Origin {
    /// A submissions folder, read with `--source`.
    Tree(PathBuf),
    /// A results cache made by `--save-results`.
    Cache(PathBuf),
}

/// The validated input of a command that reads logs: `InputArgs` converted
/// once (the spec loaded, the origin decided, the run options built).
#[derive(Debug)]
pub(super) struct Input {
    pub spec: Spec,
    pub origin: Origin,
    pub options: run::Options,
    pub threads: Option<usize>,
}

impl Origin {
    /// The folder or cache file.
    pub fn path(&self) -> &Path {
        match self {
            Origin::Tree(p) | Origin::Cache(p) => p,
        }
    }
}

impl Input {
    /// Loads the spec and checks that there is something to read.
    pub fn from_cli_arguments(args: &InputArgs) -> Result<Input> {
        let Some(spec_path) = &args.spec else {
            return Err(CommandLineError::SpecRequired.into());
        };
        let spec = spec::load(spec_path)?;
        let origin = match (&args.load_results, &args.submissions) {
            (Some(cache), _) => Origin::Cache(cache.clone()),
            (None, Some(tree)) => Origin::Tree(tree.clone()),
            (None, None) => return Err(CommandLineError::InputRequired.into()),
        };
        Ok(Input {
            spec,
            origin,
            options: run_options(&args.read),
            threads: args.read.threads,
        })
    }

    /// The submissions folder, when the input is one.
    pub fn tree(&self) -> Option<&Path> {
        match &self.origin {
            Origin::Tree(p) => Some(p),
            Origin::Cache(_) => None,
        }
    }

    /// Reads every series: the tree's logs on `--threads` workers, or the
    /// cache with the selection applied (for `--save-results`; scoring
    /// alone is [`Input::score`], which holds less).
    pub fn read(&self) -> Result<Ingested> {
        match &self.origin {
            Origin::Cache(cache) => self.load_cache(cache),
            Origin::Tree(tree) => thread_pool(self.threads)?
                .install(|| run::read(tree, &self.spec, &self.options, &Bar::new())),
        }
    }

    fn load_cache(&self, cache: &Path) -> Result<Ingested> {
        let mut ingested = crate::ingest::cache::load(cache, &self.spec)?;
        let selection = &self.options.selection;
        crate::ingest::degenerate::select_loaded(&mut ingested, selection, cache)?;
        Ok(ingested)
    }

    /// Reads and scores on `--threads` workers, without rendering any file.
    pub fn score(&self) -> Result<(Leaderboard, Warnings)> {
        thread_pool(self.threads)?.install(|| self.score_here())
    }

    /// [`Input::score`] in the current thread pool (a command that runs
    /// more than the reading in its pool).
    pub fn score_here(&self) -> Result<(Leaderboard, Warnings)> {
        match &self.origin {
            Origin::Cache(cache) => {
                run::score_only(&self.load_cache(cache)?, &self.spec, &self.options)
            }
            Origin::Tree(tree) => run::read_and_score(tree, &self.spec, &self.options, &Bar::new()),
        }
    }

    /// [`Input::score`], showing each submission to `keep` as it is read
    /// (`--curves`).
    pub fn score_keeping(
        &self,
        keep: &mut (dyn FnMut(&crate::ingest::Submission) + Send),
    ) -> Result<(Leaderboard, Warnings)> {
        thread_pool(self.threads)?.install(|| match &self.origin {
            Origin::Cache(cache) => {
                let ingested = self.load_cache(cache)?;
                ingested.submissions.iter().for_each(&mut *keep);
                run::score_only(&ingested, &self.spec, &self.options)
            }
            Origin::Tree(tree) => {
                run::read_and_score_keeping(tree, &self.spec, &self.options, &Bar::new(), keep)
            }
        })
    }

    /// [`Input::score`], its warnings printed to stderr.
    pub fn score_printing(&self) -> Result<Leaderboard> {
        let (leaderboard, warnings) = self.score()?;
        print_err(&warnings.render());
        Ok(leaderboard)
    }
}
