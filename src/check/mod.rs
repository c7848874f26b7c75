//! `check`: everything wrong with a submission folder (or a tree of them),
//! found in one run without scoring anything, each problem with its file
//! (and line), a severity and a stable code — what a leaderboard pull
//! request's CI runs before a maintainer looks.
//!
//! The walk and the readers are the scoring run's own
//! ([`crate::ingest::ingest_detailed`]): `check` sees the tree exactly as
//! scoring would and reports the run's own warnings as they are — each
//! warning's diagnostic, with its code, in the one model
//! ([`crate::diagnostics::model`]) — and adds what only a checker asks:
//! counts against the spec's `[expect]` ([`layout`]), budgets, targets
//! never reached, copied trials ([`trials`]), and `submission_info.yml`
//! ([`info`]).

mod info;
mod layout;
mod output;
mod trials;

use std::path::{Path, PathBuf};

use crate::ingest::{self, Selection, Silent, Source};
use crate::spec::Spec;

pub use crate::diagnostics::codes::{Code, Entry, ALL as CODES};
pub use output::{
    escape_data, escape_property, github, json, summary as output_summary, terminal, CheckDoc,
};

/// Whether a finding fails the check: the one diagnostic model's.
pub use crate::diagnostics::model::Severity;

/// One problem `check` found: a diagnostic of the one model (its code, and
/// through it its severity, where, and what).
pub type Finding = crate::diagnostics::model::Diagnostic;

/// What to check besides the logs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where trials' evaluations come from (as for scoring).
    pub source: Source,
    /// `<info_dir>/<submission>/submission_info.yml` instead of the
    /// submission folder's own file; a missing one is then an error.
    pub info_dir: Option<PathBuf>,
    /// A submission folder without `submission_info.yml` is an error.
    pub require_info: bool,
}

/// Everything `check` found, sorted by file, line and code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// The submissions checked, in the order checked.
    pub submissions: Vec<String>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Whether the check fails: any error, or with `deny_warnings` any warning.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) > 0 || (deny_warnings && !self.findings.is_empty())
    }
}

/// Checks each path (a submission folder, or a folder of submission folders).
pub fn check(spec: &Spec, paths: &[PathBuf], options: &Options) -> Report {
    let mut report = Report::default();
    let mut copies = trials::Copies::default();
    for path in paths {
        check_path(spec, path, options, &mut report, &mut copies);
    }
    report.findings.sort();
    report.findings.dedup();
    report
}

/// Which part of a walked tree a check is about: all of `root`, or the one
/// submission `only` (with its re-run folders).
pub(crate) struct Scope {
    pub root: PathBuf,
    pub only: Option<String>,
}

impl Scope {
    /// Whether `path` (under `root`) belongs to the checked submission(s).
    pub fn contains(&self, path: &Path) -> bool {
        let Some(only) = &self.only else {
            return true;
        };
        let Some(first) = path
            .strip_prefix(&self.root)
            .ok()
            .and_then(|rest| rest.components().next())
            .and_then(|c| c.as_os_str().to_str())
        else {
            return false;
        };
        first == only || ingest::rerun_base(first) == Some(only.as_str())
    }
}

fn check_path(
    spec: &Spec,
    path: &Path,
    options: &Options,
    report: &mut Report,
    copies: &mut trials::Copies,
) {
    let first = report.findings.len();
    check_one(spec, path, options, report, copies);
    // A submission folder given without a parent (`my_submission`) is
    // walked from `.`: its findings name it as it was given.
    if path.parent() == Some(Path::new("")) {
        for f in &mut report.findings[first..] {
            if let Some(rest) = f.file.as_deref().and_then(|p| p.strip_prefix(".").ok()) {
                f.file = Some(rest.to_path_buf());
            }
            if f.code == Code::DuplicateTrial {
                f.message = f.message.replacen(" ./", " ", 1);
            }
        }
    }
}

fn check_one(
    spec: &Spec,
    path: &Path,
    options: &Options,
    report: &mut Report,
    copies: &mut trials::Copies,
) {
    let out = &mut report.findings;
    if !path.is_dir() {
        let what = if path.exists() {
            "not a folder"
        } else {
            "does not exist"
        };
        out.push(Finding::new(Code::NotAFolder, path, None, what.to_string()));
        return;
    }
    let scope = match submission_of(path, spec) {
        // A re-run folder given alone is checked with its submission.
        Some((root, name)) => Scope {
            only: Some(ingest::rerun_base(&name).unwrap_or(&name).to_string()),
            root,
        },
        None => Scope {
            root: path.to_path_buf(),
            only: None,
        },
    };
    let selection = Selection {
        include: scope.only.iter().cloned().collect(),
        exclude: Vec::new(),
        source: options.source,
        // A degenerate tree is findings here, not an error that hides them.
        allow_empty: true,
        max_file_size: None,
        // Copies are found by digest, taken as each file is read.
        digests: true,
    };
    let (ingested, problems) = match ingest::ingest_detailed(&scope.root, spec, &selection, &Silent)
    {
        Ok(read) => read,
        Err(e) => {
            out.push(Finding::new(
                Code::UnreadableEntry,
                path,
                None,
                e.to_string(),
            ));
            return;
        }
    };
    layout::walk_findings(&ingested.warnings, &scope, out);
    if ingested.submissions.is_empty() {
        out.push(Finding::new(
            Code::NoSubmission,
            path,
            None,
            "no submission folder in it".to_string(),
        ));
        return;
    }
    let shapes = layout::shapes(&ingested, &problems, &scope.root, spec);
    for sub in &ingested.submissions {
        let folder = scope.root.join(&sub.name);
        report.submissions.push(sub.name.clone());
        let empty = layout::Shape::default();
        let shape = shapes.get(&sub.name).unwrap_or(&empty);
        layout::count_findings(&folder, shape, spec, &mut report.findings);
        trials::trial_findings(sub, &folder, spec, copies, &mut report.findings);
        info::info_findings(spec, &sub.name, &folder, options, &mut report.findings);
    }
}

/// `(parent, name)` when `path` is one submission's folder rather than a
/// folder of submissions: it holds `submission_info.yml`, or a sub-folder
/// holding a workload folder of the spec (`study_0/wmt_jax`).
fn submission_of(path: &Path, spec: &Spec) -> Option<(PathBuf, String)> {
    let is_submission = path.join(crate::report::info::INFO_FILE).is_file()
        || sub_folders(path).iter().any(|study| {
            sub_folders(study).iter().any(|w| {
                w.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| spec.workload_of_folder(n).is_some())
            })
        });
    if !is_submission {
        return None;
    }
    let named = |p: &Path| -> Option<(PathBuf, String)> {
        let name = p.file_name()?.to_str()?.to_string();
        let parent = p.parent().map(Path::to_path_buf).unwrap_or_default();
        let parent = if parent.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            parent
        };
        Some((parent, name))
    };
    // `.` or `..` have no name of their own: the absolute path has.
    named(path).or_else(|| named(&std::fs::canonicalize(path).ok()?))
}

/// The sub-folders of `dir` (none when it cannot be listed).
fn sub_folders(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default()
}
