//! Walking a submissions tree: which submissions, studies, workloads and
//! trial files there are (SCORING.md §1), in sorted order. What is found
//! becomes, submission by submission, a list of [`Pending`] files for
//! [`super::ingest_each`] to read in parallel while the walk goes on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Level, Warning, Warnings};
use crate::error::{Error, IngestError, Result, TrialError, TrialProblem};
use crate::spec::{Spec, WorkloadTarget};

use super::degenerate::Seen;
use super::{Source, WorkloadFolder, MEASUREMENTS};
/// The base name of a re-run folder `<name>-YYYY-MM-DD-HH-MM-SS`, if it is one.
pub fn rerun_base(name: &str) -> Option<&str> {
    let b = name.as_bytes();
    const SUFFIX: usize = 20; // "-YYYY-MM-DD-HH-MM-SS"
    if b.len() <= SUFFIX {
        return None;
    }
    let tail = &b[b.len() - SUFFIX..];
    let pattern = b"-dddd-dd-dd-dd-dd-dd";
    let ok = tail.iter().zip(pattern.iter()).all(|(c, p)| {
        if *p == b'd' {
            c.is_ascii_digit()
        } else {
            c == p
        }
    });
    if ok {
        Some(&name[..name.len() - SUFFIX])
    } else {
        None
    }
}

/// Whether a folder name is a trial folder: `trial_` followed by a digit.
pub fn is_trial_folder(name: &str) -> bool {
    name.strip_prefix("trial_")
        .is_some_and(|rest| rest.as_bytes().first().is_some_and(u8::is_ascii_digit))
}

/// A folder's entries as (name, path).
type Entries = Vec<(String, PathBuf)>;

/// Sorted sub-folders of `dir` as (name, path); files are returned apart.
pub(super) fn list(dir: &Path, warnings: &mut Warnings) -> Result<(Entries, Entries)> {
    let rd = std::fs::read_dir(dir).map_err(|source| IngestError::ReadDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    let mut canonical_dir: Option<Option<PathBuf>> = None;
    for entry in rd {
        let entry = entry.map_err(|source| IngestError::ReadDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if entry.file_name().as_encoded_bytes().first() == Some(&b'.') {
            warnings.push(Warning::HiddenEntry { path });
            continue;
        }
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            warnings.push(Warning::NonUtf8Name { path });
            continue;
        };
        // The entry's own type costs no system call on most file systems;
        // only symlinks are followed with `metadata`, and a dangling or
        // looping link fails there and is reported rather than followed.
        let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_symlink() => std::fs::metadata(&path).map(|m| m.is_dir()),
            Ok(t) => Ok(t.is_dir()),
            Err(e) => Err(e),
        };
        match is_dir {
            Ok(true) => {
                // A link to a folder that contains it (a workload folder
                // linking to its study) makes a loop: the walk has a fixed
                // depth so it would not hang, but the folder's data would be
                // silently missing. Say so.
                if is_link {
                    let here = canonical_dir
                        .get_or_insert_with(|| std::fs::canonicalize(dir).ok())
                        .as_deref();
                    let target = std::fs::canonicalize(&path).ok();
                    if let (Some(here), Some(target)) = (here, target) {
                        if here.starts_with(&target) {
                            warnings.push(Warning::SymlinkLoop { path });
                            continue;
                        }
                    }
                }
                dirs.push((name, path))
            }
            Ok(false) => files.push((name, path)),
            Err(e) => warnings.push(Warning::UnreadableEntry {
                path,
                reason: e.kind().to_string(),
            }),
        }
    }
    dirs.sort();
    files.sort();
    Ok((dirs, files))
}

/// [`list`] for a folder inside the tree: one that cannot be read is
/// skipped with a warning (like an unreadable trial file), not the end of
/// the run; only the submissions folder itself must be readable.
fn list_inside(dir: &Path, warnings: &mut Warnings) -> Option<(Entries, Entries)> {
    match list(dir, warnings) {
        Ok(listed) => Some(listed),
        Err(e) => {
            let reason = match &e {
                Error::Ingest(IngestError::ReadDir { source, .. }) => source.to_string(),
                other => other.to_string(),
            };
            warnings.push(Warning::UnreadableFolder {
                path: dir.to_path_buf(),
                reason,
            });
            None
        }
    }
}

/// Notes files found where only folders belong (`what` folders).
pub(super) fn stray_files(files: &Entries, what: Level, warnings: &mut Warnings) {
    for (_, path) in files {
        warnings.push(Warning::StrayFile {
            path: path.clone(),
            expected: what,
        });
    }
}

/// A trial file to read, with where it belongs.
pub(super) struct Pending {
    pub(super) submission: usize,
    /// Where the trials read belong; each trial shares it.
    pub(super) folder: Arc<WorkloadFolder>,
    /// The workload's target: the first evaluation reaching it needs a time.
    pub(super) target: WorkloadTarget,
    pub(super) file: PendingFile,
}

/// The file(s) a pending item reads.
pub(super) enum PendingFile {
    /// One trial's eval_measurements.csv.
    Csv { trial: String, path: PathBuf },
    /// A workload folder's raw logs: every trial in them except `skip`
    /// (those have a CSV); `expect` are trial folders the logs must supply.
    Logs {
        dir: PathBuf,
        skip: Vec<String>,
        expect: Vec<String>,
    },
}

/// One submission folder being walked (a re-run folder is walked as part of
/// its submission): what the walk reads and where it puts what it finds.
pub(super) struct SubmissionWalk<'a> {
    pub(super) spec: &'a Spec,
    pub(super) source: Source,
    /// The submission's name, and its index among the submissions read.
    pub(super) name: &'a str,
    pub(super) index: usize,
    /// The re-run folder's name (empty for the submission's own folder).
    pub(super) run: &'a str,
    /// The trial files found, to be read.
    pub(super) pending: &'a mut Vec<Pending>,
    pub(super) warnings: &'a mut Warnings,
    /// What was found, for the degenerate-tree messages.
    pub(super) seen: &'a mut Seen,
}

impl SubmissionWalk<'_> {
    /// Walks the submission folder `folder`: its studies, their workload
    /// folders, their trials.
    pub(super) fn walk(&mut self, folder: &Path) -> Result<()> {
        let Some((studies, files)) = list_inside(folder, self.warnings) else {
            return Ok(());
        };
        stray_files(&files, Level::Study, self.warnings);
        if let Some(s) = self.seen.submissions.get_mut(self.index) {
            s.studies += studies.len();
        }
        for (study, study_path) in studies {
            let Some((workloads, files)) = list_inside(&study_path, self.warnings) else {
                continue;
            };
            stray_files(&files, Level::Workload, self.warnings);
            if workloads.is_empty() {
                self.warnings.push(Warning::StudyWithoutWorkloads {
                    path: study_path.clone(),
                });
            }
            for (wl_folder, wl_path) in workloads {
                self.workload(&study, &wl_folder, &wl_path);
            }
        }
        Ok(())
    }

    /// One workload folder of study `study`: a folder of the spec's
    /// workloads and frameworks, else noted and ignored.
    fn workload(&mut self, study: &str, wl_folder: &str, wl_path: &Path) {
        let (spec, name) = (self.spec, self.name);
        let Some(workload) = spec.workload_of_folder(wl_folder) else {
            self.seen
                .other_folder(wl_folder, format!("{name}/{study}/{wl_folder}"), spec);
            // `wmt_tf`: a workload the targets know, run with a framework
            // the spec does not list.
            let known_workload = wl_folder
                .rsplit_once('_')
                .is_some_and(|(w, _)| spec.targets.contains_key(w));
            let (submission, study, folder, frameworks) = (
                name.to_string(),
                study.to_string(),
                wl_folder.to_string(),
                spec.frameworks.clone(),
            );
            self.warnings.push(if known_workload {
                Warning::UnknownFramework {
                    submission,
                    study,
                    folder,
                    frameworks,
                }
            } else {
                Warning::NotAWorkloadFolder {
                    submission,
                    study,
                    folder,
                    frameworks,
                }
            });
            return;
        };
        let Some(target) = spec.targets.get(workload) else {
            self.warnings.push(Warning::NoTarget {
                workload: workload.to_string(),
                submission: name.to_string(),
                study: study.to_string(),
                folder: wl_folder.to_string(),
            });
            return;
        };
        let Some((trials, files)) = list_inside(wl_path, self.warnings) else {
            return;
        };
        let trials = self.trial_folders(trials, &files);
        let has_logs = files.iter().any(|(n, _)| n.ends_with(".log"));
        let framework = &wl_folder[workload.len() + 1..];
        let seen = &mut *self.seen;
        *seen.frameworks.entry(framework.to_string()).or_default() += 1;
        seen.workload_folders += 1;
        seen.with_logs += usize::from(has_logs);
        if let Some(s) = seen.submissions.get_mut(self.index) {
            s.workload_folders += 1;
        }
        let (index, run) = (self.index, self.run);
        let place = Arc::new(WorkloadFolder {
            study: study.to_string(),
            name: wl_folder.to_string(),
            workload: workload.to_string(),
            run: run.to_string(),
            metric_column: target.column.clone(),
        });
        let item = |file: PendingFile| Pending {
            submission: index,
            folder: place.clone(),
            target: target.clone(),
            file,
        };
        self.queue(&item, trials, has_logs, wl_path);
    }

    /// The trial folders of a workload folder; files named like a trial
    /// folder and folders that are not one are noted. Other files (training
    /// logs) belong here.
    fn trial_folders(&mut self, trials: Entries, files: &Entries) -> Entries {
        for (name, path) in files {
            if is_trial_folder(name) {
                self.warnings.push(Warning::StrayFile {
                    path: path.clone(),
                    expected: Level::Trial,
                });
            }
        }
        for (name, path) in &trials {
            if !is_trial_folder(name) {
                self.warnings
                    .push(Warning::NotATrialFolder { path: path.clone() });
            }
        }
        trials
            .into_iter()
            .filter(|(t, _)| is_trial_folder(t))
            .collect()
    }

    /// Queues what a workload folder's trials are read from, as `--source`
    /// says: each trial's CSV, the folder's raw logs, or (auto) CSVs where
    /// they exist and the logs for the rest.
    fn queue(
        &mut self,
        item: &dyn Fn(PendingFile) -> Pending,
        trials: Entries,
        has_logs: bool,
        wl_path: &Path,
    ) {
        let (pending, warnings) = (&mut *self.pending, &mut *self.warnings);
        match self.source {
            Source::Csv => {
                for (trial, trial_path) in trials {
                    // A missing file is found when it is opened (one
                    // system call fewer per trial than checking first).
                    pending.push(item(PendingFile::Csv {
                        trial,
                        path: trial_path.join(MEASUREMENTS),
                    }));
                }
            }
            Source::Logs => {
                self.seen.with_csv += trials
                    .iter()
                    .filter(|(_, t)| t.join(MEASUREMENTS).is_file())
                    .count();
                if has_logs {
                    pending.push(item(PendingFile::Logs {
                        dir: wl_path.to_path_buf(),
                        skip: Vec::new(),
                        expect: Vec::new(),
                    }));
                } else {
                    warnings.push(Warning::NoRawLogs {
                        path: wl_path.to_path_buf(),
                    });
                }
            }
            Source::Auto => {
                let mut with_csv = Vec::new();
                let mut without = Vec::new();
                for (trial, trial_path) in trials {
                    let csv = trial_path.join(MEASUREMENTS);
                    if csv.is_file() {
                        with_csv.push(trial.clone());
                        pending.push(item(PendingFile::Csv { trial, path: csv }));
                    } else {
                        without.push((trial, csv));
                    }
                }
                if has_logs && (!without.is_empty() || with_csv.is_empty()) {
                    pending.push(item(PendingFile::Logs {
                        dir: wl_path.to_path_buf(),
                        skip: with_csv,
                        expect: without.into_iter().map(|(t, _)| t).collect(),
                    }));
                } else {
                    for (_, csv) in without {
                        warnings.push(Warning::Trial(TrialError {
                            path: csv,
                            line: None,
                            problem: TrialProblem::Missing,
                        }));
                    }
                }
            }
        }
    }
}
