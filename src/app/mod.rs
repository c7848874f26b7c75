//! The application layer: one function per command, a typed request in and
//! a typed result out. The command line (`cli`) and the Python package only
//! adapt to it: parse their arguments into a request, call, render the
//! result with `report`. Every decision a command makes — what to read,
//! what to check before reading, which error a missing name is — lives
//! here, once.
//!
//! Results carry the engine's own types (a [`Leaderboard`], a
//! [`crate::score::stability::Stability`], …); their JSON documents, with
//! the schemas in `schema/`, are typed structs in `report` built from them
//! (see [`schemas`]).

pub mod check;
pub mod compare;
pub mod compat;
pub mod explain;
pub mod heldout;
pub mod leaderboard;
pub mod report;
pub mod schemas;
pub mod score;
pub mod spec;
pub mod speedup;
pub mod stability;
pub mod targets;

use std::path::{Path, PathBuf};

use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::{Ingested, Progress, Selection, Source};
use crate::run;
use crate::run::error::CommandLineError;
use crate::score::Leaderboard;
use crate::spec::Spec;

/// What every command that reads logs reads: the spec, and either a
/// submissions folder or a results cache.
#[derive(Debug, Clone, Default)]
pub struct InputRequest {
    /// The ruleset spec file.
    pub spec: PathBuf,
    /// A submissions folder: one sub-folder per submission.
    pub submissions: Option<PathBuf>,
    /// A results cache made by `--save-results` (instead of `submissions`).
    pub load_results: Option<PathBuf>,
    pub read: ReadRequest,
    /// The reference's `--target_relaxations` (`all=0.05,wmt=0.1`): the
    /// spec's targets relaxed after loading ([`crate::compat::relax_targets`]).
    pub target_relaxations: Option<String>,
}

/// How trials are selected and read, whatever the tree.
#[derive(Debug, Clone, Default)]
pub struct ReadRequest {
    /// Only these submissions (folder names); empty = all.
    pub include: Vec<String>,
    /// Leave out these submissions.
    pub exclude: Vec<String>,
    pub source: Source,
    /// Every count mismatch and skipped input is an error.
    pub strict: bool,
    /// Nothing selected or read is a warning, not an error.
    pub allow_empty: bool,
    /// Largest trial file or log read, in bytes.
    pub max_file_size: Option<u64>,
    /// Worker threads for reading (capped at [`cores`]; none = all cores).
    pub threads: Option<usize>,
}

impl ReadRequest {
    /// The run options this request stands for: the one place they are built.
    pub fn options(&self) -> run::Options {
        run::Options {
            selection: Selection {
                include: self.include.clone(),
                exclude: self.exclude.clone(),
                source: self.source,
                allow_empty: self.allow_empty,
                max_file_size: self.max_file_size,
                digests: false,
            },
            strict: self.strict,
        }
    }
}

/// The cores available to worker threads.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A pool of `asked` worker threads, capped at the cores available: more
/// threads than cores only add contention (100,000 threads ran for minutes
/// at a load of 4,500). None or 0 is one per core.
pub fn thread_pool(asked: Option<usize>) -> Result<rayon::ThreadPool> {
    let threads = asked.map_or(0, |n| n.min(cores()));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| {
            CommandLineError::Threads {
                threads: asked.unwrap_or(0),
                source,
            }
            .into()
        })
}

/// Where the trials come from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A submissions folder.
    Tree(PathBuf),
    /// A results cache made by `--save-results`.
    Cache(PathBuf),
}

impl Origin {
    /// The folder or cache file.
    pub fn path(&self) -> &Path {
        match self {
            Origin::Tree(p) | Origin::Cache(p) => p,
        }
    }
}

/// An [`InputRequest`] made ready: the spec loaded, the origin decided, the
/// run options built.
#[derive(Debug)]
pub struct Input {
    pub spec: Spec,
    pub origin: Origin,
    pub options: run::Options,
    pub threads: Option<usize>,
}

impl Input {
    /// The inputs the write guard protects: the spec and its chain, its
    /// targets, and the tree or cache read ([`crate::report::guard`]).
    pub fn guard(&self) -> crate::report::guard::Inputs {
        let mut inputs = crate::report::guard::Inputs::of_spec(&self.spec);
        match &self.origin {
            Origin::Tree(tree) => inputs.add_tree(tree),
            Origin::Cache(cache) => inputs.add_file(cache, "the results cache"),
        }
        inputs
    }

    /// Loads the spec and checks that there is something to read.
    pub fn open(request: &InputRequest) -> Result<Input> {
        let mut spec = crate::spec::load(&request.spec)?;
        if let Some(relaxations) = &request.target_relaxations {
            crate::compat::relax_targets(&mut spec, relaxations)?;
        }
        let origin = match (&request.load_results, &request.submissions) {
            (Some(cache), _) => Origin::Cache(cache.clone()),
            (None, Some(tree)) => Origin::Tree(tree.clone()),
            (None, None) => return Err(CommandLineError::InputRequired.into()),
        };
        Ok(Input {
            spec,
            origin,
            options: request.read.options(),
            threads: request.read.threads,
        })
    }

    /// The submissions folder, when the input is one.
    pub fn tree(&self) -> Option<&Path> {
        match &self.origin {
            Origin::Tree(p) => Some(p),
            Origin::Cache(_) => None,
        }
    }

    /// Reads every series (for `--save-results`; scoring alone is
    /// [`Input::score`], which holds less).
    pub fn read(&self, progress: &dyn Progress) -> Result<Ingested> {
        match &self.origin {
            Origin::Cache(cache) => self.load_cache(cache),
            Origin::Tree(tree) => thread_pool(self.threads)?
                .install(|| run::read(tree, &self.spec, &self.options, progress)),
        }
    }

    fn load_cache(&self, cache: &Path) -> Result<Ingested> {
        let mut ingested = crate::ingest::cache::load(cache, &self.spec)?;
        let selection = &self.options.selection;
        crate::ingest::degenerate::select_loaded(&mut ingested, selection, cache)?;
        Ok(ingested)
    }

    /// Reads and scores on the request's worker threads, without rendering
    /// any file.
    pub fn score(&self, progress: &dyn Progress) -> Result<(Leaderboard, Warnings)> {
        thread_pool(self.threads)?.install(|| self.score_here(progress))
    }

    /// [`Input::score`], showing each submission to `keep` as it is read
    /// (`--curves` keeps the points it draws before the series is dropped).
    pub fn score_keeping(
        &self,
        progress: &dyn Progress,
        keep: &mut (dyn FnMut(&crate::ingest::Submission) + Send),
    ) -> Result<(Leaderboard, Warnings)> {
        thread_pool(self.threads)?.install(|| match &self.origin {
            Origin::Cache(cache) => {
                let ingested = self.load_cache(cache)?;
                ingested.submissions.iter().for_each(&mut *keep);
                run::score_only(&ingested, &self.spec, &self.options)
            }
            Origin::Tree(tree) => {
                run::read_and_score_keeping(tree, &self.spec, &self.options, progress, keep)
            }
        })
    }

    /// [`Input::score`] in the current thread pool (a command that runs
    /// more than the reading in its pool).
    pub fn score_here(&self, progress: &dyn Progress) -> Result<(Leaderboard, Warnings)> {
        match &self.origin {
            Origin::Cache(cache) => {
                run::score_only(&self.load_cache(cache)?, &self.spec, &self.options)
            }
            Origin::Tree(tree) => run::read_and_score(tree, &self.spec, &self.options, progress),
        }
    }
}
