//! Layout checks: the walk's warnings as findings, and the shape of each
//! submission (studies, workloads, trials) against the spec.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::{Code, Finding, Scope};
use crate::diagnostics::{Warning, Warnings};
use crate::error::{TrialError, TrialProblem};
use crate::ingest::{self, Ingested, Problems, MEASUREMENTS};
use crate::spec::Spec;

/// Turns the walk's warnings into findings. Warnings that repeat a trial or
/// log-line problem are left to [`super::trials::read_problems`], which has
/// them as data.
pub fn walk_findings(
    warnings: &Warnings,
    problems: &Problems,
    spec: &Spec,
    scope: &Scope,
    out: &mut Vec<Finding>,
) {
    let as_data: HashSet<String> = problems
        .trials
        .iter()
        .map(|e| e.to_string())
        .chain(problems.log_lines.iter().map(|w| w.to_string()))
        .collect();
    for w in warnings.items() {
        if as_data.contains(&w.location()) {
            continue;
        }
        let Some(f) = classify(w, spec, scope) else {
            continue;
        };
        if f.file.as_deref().is_none_or(|p| scope.contains(p)) {
            out.push(f);
        }
    }
}

/// The finding for one walk warning (`None` for what is not a problem here:
/// `submission_info.yml` in a submission folder). The finding's message is
/// the warning's kind, unless said otherwise.
pub(crate) fn classify(w: &Warning, spec: &Spec, scope: &Scope) -> Option<Finding> {
    let at = |code: Code, path: &Path| Some(Finding::new(code, path, None, w.kind()));
    let in_root = |rel: &str| scope.root.join(rel);
    match w {
        Warning::HiddenEntry { path } | Warning::NotATrialFolder { path } => {
            at(Code::StrayEntry, path)
        }
        Warning::NonUtf8Name { path }
        | Warning::SymlinkLoop { path }
        | Warning::UnreadableEntry { path, .. } => at(Code::UnreadableEntry, path),
        Warning::UnreadableFolder { path, reason } => Some(Finding::new(
            Code::UnreadableEntry,
            path,
            None,
            format!("{}: {reason}", w.kind()),
        )),
        Warning::StudyWithoutWorkloads { path } => at(Code::EmptyStudy, path),
        Warning::NoRawLogs { path } => at(Code::LogsMissing, path),
        Warning::StrayFile { path, .. } => {
            let is_info = path.file_name().and_then(|n| n.to_str())
                == Some(crate::report::info::INFO_FILE)
                && path
                    .parent()
                    .and_then(|p| p.strip_prefix(&scope.root).ok())
                    .is_some_and(|rel| rel.components().count() == 1);
            if is_info {
                None
            } else {
                at(Code::StrayEntry, path)
            }
        }
        Warning::NotAWorkloadFolder { folder, .. } => {
            let path = in_root(&w.location());
            let finding = match folder.rsplit_once('_') {
                Some((workload, framework)) if spec.targets.contains_key(workload) => {
                    Finding::new(
                        Code::UnknownFramework,
                        path,
                        None,
                        format!(
                            "framework suffix `{framework}` is not one of the spec's ({}): the folder is not scored",
                            spec.frameworks.join(", ")
                        ),
                    )
                }
                _ => Finding::new(Code::StrayEntry, path, None, w.kind()),
            };
            Some(finding)
        }
        // Scored in file order (as the reference does), still a finding.
        Warning::Trial(TrialError {
            path,
            line,
            problem: problem @ TrialProblem::TimeBackwards { .. },
        }) => Some(Finding::new(
            Code::TimeBackwards,
            path,
            *line,
            problem.to_string(),
        )),
        Warning::NoTarget { .. } => Some(Finding::new(
            Code::UnknownWorkload,
            in_root(&w.location()),
            None,
            w.kind(),
        )),
        _ => Some(Finding {
            file: None,
            line: None,
            code: Code::WalkWarning,
            message: format!("{} ({})", w.kind(), w.location()),
        }),
    }
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

    /// A walk warning without a code of its own is kept, as the walk words it.
    #[test]
    fn unknown_walk_warnings_are_kept() {
        let spec_dir =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rulesets/v05_external.toml");
        let spec = crate::spec::load(&spec_dir).expect("spec");
        let scope = Scope {
            root: PathBuf::from("subs"),
            only: None,
        };
        let w = Warning::Degenerate(crate::ingest::degenerate::Problem {
            location: "subs/x".into(),
            summary: "something new".into(),
            detail: String::new(),
        });
        let f = classify(&w, &spec, &scope).expect("kept");
        assert_eq!(f.code, Code::WalkWarning);
        assert_eq!(f.message, "something new (subs/x)");
        assert_eq!(f.file, None);
    }
}
