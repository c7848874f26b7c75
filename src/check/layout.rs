//! Layout checks: the walk's warnings as the run gives them, and the shape
//! of each submission (studies, workloads, trials) against the spec.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{Code, Finding, Scope};
use crate::diagnostics::{Warning, Warnings};
use crate::ingest::{self, Ingested, Problems, MEASUREMENTS};
use crate::spec::Spec;

/// The run's warnings about the checked submissions, each as its own
/// diagnostic (a folder of the tree named under the tree's root). The one
/// warning not reported: `submission_info.yml` in a submission folder,
/// where it belongs.
pub fn walk_findings(warnings: &Warnings, scope: &Scope, out: &mut Vec<Finding>) {
    for w in warnings.items() {
        if is_info_file(w, scope) {
            continue;
        }
        let d = w.diagnostic_in(&scope.root);
        if d.file.as_deref().is_none_or(|p| scope.contains(p)) {
            out.push(d);
        }
    }
}

/// Whether `w` is a stray-file note about a submission's own
/// `submission_info.yml` (which `check` reads, see [`super::info`]).
fn is_info_file(w: &Warning, scope: &Scope) -> bool {
    let Warning::StrayFile { path, .. } = w else {
        return false;
    };
    path.file_name().and_then(|n| n.to_str()) == Some(crate::report::info::INFO_FILE)
        && path
            .parent()
            .and_then(|p| p.strip_prefix(&scope.root).ok())
            .is_some_and(|rel| rel.components().count() == 1)
}

/// One submission's studies → workloads → trials, as far as the walk found
/// them (trials read, and trials whose files could not be read).
#[derive(Debug, Default)]
pub struct Shape {
    pub studies: BTreeMap<String, Study>,
}

#[derive(Debug, Default)]
pub struct Study {
    /// The study's folder (in the submission's own folder if it has one).
    pub path: PathBuf,
    /// Workload (without framework) → its folder and trial labels.
    pub workloads: BTreeMap<String, (PathBuf, BTreeSet<String>)>,
}

impl Shape {
    fn add(
        &mut self,
        study_path: PathBuf,
        study: &str,
        workload: &str,
        folder: PathBuf,
    ) -> &mut BTreeSet<String> {
        let s = self.studies.entry(study.to_string()).or_default();
        if s.path.as_os_str().is_empty() {
            s.path = study_path;
        }
        &mut s
            .workloads
            .entry(workload.to_string())
            .or_insert_with(|| (folder, BTreeSet::new()))
            .1
    }
}

/// Every submission's shape, by submission name.
pub fn shapes(
    ingested: &Ingested,
    problems: &Problems,
    root: &Path,
    spec: &Spec,
) -> BTreeMap<String, Shape> {
    let mut shapes: BTreeMap<String, Shape> = BTreeMap::new();
    for sub in &ingested.submissions {
        let shape = shapes.entry(sub.name.clone()).or_default();
        for t in &sub.trials {
            let run = if t.id.folder.run.is_empty() {
                &sub.name
            } else {
                &t.id.folder.run
            };
            let study_path = root.join(run).join(&t.id.folder.study);
            let folder = study_path.join(&t.id.folder.name);
            shape
                .add(
                    study_path,
                    &t.id.folder.study,
                    &t.id.folder.workload,
                    folder,
                )
                .insert(t.id.label());
        }
    }
    for e in &problems.trials {
        let Some(parts) = parts_under(root, &e.path) else {
            continue;
        };
        let [run, study, folder, rest @ ..] = parts.as_slice() else {
            continue;
        };
        let Some(workload) = spec.workload_of_folder(folder) else {
            continue;
        };
        let name = ingest::rerun_base(run).unwrap_or(run);
        let study_path = root.join(run).join(study);
        let trials = shapes.entry(name.to_string()).or_default().add(
            study_path.clone(),
            study,
            workload,
            study_path.join(folder),
        );
        let trial = match rest {
            [t, file] if file == MEASUREMENTS => Some(t),
            [t] if ingest::is_trial_folder(t) => Some(t),
            _ => None,
        };
        if let Some(t) = trial {
            trials.insert(if name == run.as_str() {
                t.clone()
            } else {
                format!("{t} ({run})")
            });
        }
    }
    shapes
}

/// The components of `path` below `root`, as text.
fn parts_under(root: &Path, path: &Path) -> Option<Vec<String>> {
    path.strip_prefix(root)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_str().map(str::to_string))
        .collect()
}

/// Counts against `[expect]`, and workloads missing from or extra in each
/// study.
pub fn count_findings(folder: &Path, shape: &Shape, spec: &Spec, out: &mut Vec<Finding>) {
    if shape.studies.is_empty() {
        out.push(Finding::new(
            Code::EmptySubmission,
            folder,
            None,
            "no study folder with a workload folder of the spec's frameworks and targets: nothing would be scored".into(),
        ));
        return;
    }
    let (n, expected) = (shape.studies.len(), spec.expect.studies);
    let counted = format!("{n} studies, the spec expects {expected}");
    if n < expected {
        out.push(Finding::new(Code::TooFewStudies, folder, None, counted));
    } else if n > expected {
        out.push(Finding::new(Code::TooManyStudies, folder, None, counted));
    }
    let scored = spec.matrix_workloads();
    for study in shape.studies.values() {
        for w in &scored {
            if !study.workloads.contains_key(w) {
                let what = match spec.base_of(w) {
                    Some(base) => format!("the spec's held-out variant of `{base}`"),
                    None => "a base workload of the spec".to_string(),
                };
                out.push(Finding::new(
                    Code::MissingWorkload,
                    &study.path,
                    None,
                    format!("no `{w}` folder ({what}): counted as target missed"),
                ));
            }
        }
        for (w, (path, trials)) in &study.workloads {
            if !scored.contains(w) {
                out.push(Finding::new(
                    Code::ExtraWorkload,
                    path,
                    None,
                    format!("`{w}` is neither a base workload nor a drawn held-out variant of the spec: not scored"),
                ));
                continue;
            }
            let (n, expected) = (trials.len(), spec.expect.trials_per_study);
            let counted = format!("{n} trials, the spec expects {expected} per study");
            if n < expected {
                out.push(Finding::new(Code::TooFewTrials, path, None, counted));
            } else if n > expected {
                out.push(Finding::new(Code::TooManyTrials, path, None, counted));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run's warning without a file is reported at its place, in the
    /// run's words and with the run's code.
    #[test]
    fn a_warning_without_a_file_keeps_its_place() {
        let scope = Scope {
            root: PathBuf::from("subs"),
            only: None,
        };
        let mut ws = Warnings::default();
        ws.push(Warning::Degenerate(crate::ingest::degenerate::Problem {
            location: "subs/x".into(),
            summary: "something new".into(),
            detail: String::new(),
        }));
        ws.push(Warning::StrayFile {
            path: PathBuf::from("subs/a/submission_info.yml"),
            expected: crate::diagnostics::Level::Study,
        });
        let mut out = Vec::new();
        walk_findings(&ws, &scope, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].code, Code::Degenerate);
        assert_eq!(out[0].location(), "subs/x");
        assert_eq!(out[0].message, "something new");
        assert_eq!(out[0].file, None);
    }
}
