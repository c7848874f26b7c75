//! `compat`: the reference scoring command (`score_submissions.py`) run as
//! the main job under its flags ([`crate::compat`] maps them); only the
//! files the reference writes are written, as plain files.

use std::path::{Path, PathBuf};

use crate::diagnostics::Warnings;
use crate::error::Result;
use crate::ingest::Progress;
use crate::report::error::ReportError;
use crate::score::Leaderboard;
use crate::spec::Spec;
use crate::{compat, run};

/// The reference's flags that the engine runs.
#[derive(Debug, Clone, Default)]
pub struct CompatRequest {
    pub submission_directory: PathBuf,
    /// A `workload_targets*.json`: picks the shipped spec with its workloads.
    pub workload_targets: Option<PathBuf>,
    pub output_dir: PathBuf,
    pub compute_performance_profiles: bool,
    pub strict: bool,
    pub self_tuning_ruleset: bool,
    /// Comma-separated, as the reference takes them.
    pub include_submissions: String,
    pub exclude_submissions: String,
    /// `SELECTOR=FRACTION,…`: targets relaxed as the reference relaxes them.
    pub target_relaxations: Option<String>,
}

/// What was scored and which files were written.
#[derive(Debug, Clone)]
pub struct Compat {
    pub spec: Spec,
    pub leaderboard: Leaderboard,
    pub warnings: Warnings,
    /// The names written into `output_dir`.
    pub written: Vec<String>,
}

/// Scores under the spec the targets choose and writes the reference's files.
pub fn compat(request: &CompatRequest, progress: &dyn Progress) -> Result<Compat> {
    let dir = &request.submission_directory;
    let profiles = request.compute_performance_profiles;
    let mut spec = compat::spec_for_targets(
        request.workload_targets.as_deref(),
        request.self_tuning_ruleset,
    )?;
    if let Some(relaxations) = &request.target_relaxations {
        compat::relax_targets(&mut spec, relaxations)?;
    }
    let subs = compat::selected_submissions(
        dir,
        &request.include_submissions,
        &request.exclude_submissions,
    )?;
    compat::check_workloads(&spec, dir, &subs, profiles)?;
    guard(&spec, Some(dir), &[], &request.output_dir)?;
    let mut options = run::Options::default();
    options.selection.include = subs.clone();
    options.strict = request.strict;
    let (leaderboard, warnings) = super::thread_pool(None)?
        .install(|| run::read_and_score(dir, &spec, &options, progress))?;
    let outcome = run::render(&spec, leaderboard, warnings)?;
    let files = compat::reference_files(outcome.files, &subs, profiles);
    write_reference_files(&spec, Some(dir), &[], &request.output_dir, &files)?;
    Ok(Compat {
        spec,
        leaderboard: outcome.leaderboard,
        warnings: outcome.warnings,
        written: files.into_iter().map(|(name, _)| name).collect(),
    })
}

/// Where the reference's files may go: never into the submissions tree
/// `tree`, never over an input (the spec's files, `inputs`).
fn guard(spec: &Spec, tree: Option<&Path>, inputs: &[PathBuf], out: &Path) -> Result<()> {
    let mut guard = crate::report::guard::Inputs::of_spec(spec);
    if let Some(tree) = tree {
        guard.add_tree(tree);
    }
    for file in inputs {
        guard.add_file(file, "an input of this run");
    }
    guard.check_folder(out)
}

/// Writes the reference's files into `out` after the guard (the Python
/// drop-in writes through here too: its pickle and PDF included).
pub fn write_reference_files(
    spec: &Spec,
    tree: Option<&Path>,
    inputs: &[PathBuf],
    out: &Path,
    files: &[(String, Vec<u8>)],
) -> Result<()> {
    guard(spec, tree, inputs, out)?;
    write_files(out, files)
}

/// Plain files, as the reference writes them (replacing its own names),
/// each written whole or not at all.
fn write_files(dir: &std::path::Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    for (name, bytes) in files {
        crate::fs::write_file(&dir.join(name), bytes)?;
    }
    Ok(())
}
