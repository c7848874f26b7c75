//! Walking a submissions tree and reading its trials (SCORING.md §1).
//!
//! ```text
//! <submissions>/<submission>[-YYYY-MM-DD-HH-MM-SS]/<study>/<workload>_<framework>/trial_<k>/eval_measurements.csv
//! ```
//!
//! Ingestion knows which columns the spec needs and which workloads it has
//! targets for, never a scoring rule. Every listing is sorted, so the result
//! does not depend on the order the file system lists entries in; files are
//! read in parallel and gathered back in that sorted order.

pub mod csv;
pub mod degenerate;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Warnings;
use crate::error::{Error, Result, TrialError, TrialProblem};
use crate::spec::{Spec, WorkloadTarget};
pub use csv::Series;
use degenerate::Seen;

/// The name of a trial's measurements file.
pub const MEASUREMENTS: &str = "eval_measurements.csv";

/// One tuning trial of one study of one workload.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trial {
    pub study: String,
    /// Workload folder, with its framework suffix (`fastmri_jax`).
    pub folder: String,
    /// Workload name without the suffix (`fastmri`).
    pub workload: String,
    /// Trial folder name (`trial_3`).
    pub trial: String,
    /// Empty for the submission's own folder, else the re-run folder's name.
    pub run: String,
    /// The file the series came from.
    pub path: PathBuf,
    /// The compared metric's column name (`validation/loss`).
    pub metric_column: String,
    pub series: Series,
}

impl Trial {
    /// `trial_3`, or `trial_3 (<re-run folder>)` for a trial of a re-run.
    pub fn label(&self) -> String {
        if self.run.is_empty() {
            self.trial.clone()
        } else {
            format!("{} ({})", self.trial, self.run)
        }
    }
}

/// One submission's trials, sorted by (workload, study, trial, run).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Submission {
    pub name: String,
    pub trials: Vec<Trial>,
}

/// What a run read.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Ingested {
    pub submissions: Vec<Submission>,
    pub warnings: Warnings,
}

/// Which submissions to read, and from which files.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub source: Source,
    /// Degenerate results (nothing selected or read, a spec column or
    /// framework found nowhere) are warnings instead of errors.
    pub allow_empty: bool,
    /// Largest file read, in bytes (`--max-file-size`; default
    /// [`crate::limits::DEFAULT_MAX_FILE_SIZE`]).
    pub max_file_size: Option<u64>,
}

/// Where a trial's evaluations come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Source {
    /// `trial_<k>/eval_measurements.csv` only.
    #[default]
    Csv,
    /// The raw `*.log` files of each workload folder only.
    Logs,
    /// The CSV where a trial has one, else the logs of its workload folder.
    Auto,
}

impl Selection {
    /// The largest file read, in bytes.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
            .unwrap_or(crate::limits::DEFAULT_MAX_FILE_SIZE)
    }

    /// Whether a submission of this name is scored.
    pub fn keeps(&self, name: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|i| i == name))
            && !self.exclude.iter().any(|e| e == name)
    }
}

/// Progress reporting for long ingestions (a terminal progress bar, or nothing).
pub trait Progress: Sync {
    fn start(&self, total: u64);
    fn advance(&self);
    fn finish(&self);
}

/// No progress output.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

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
fn list(dir: &Path, warnings: &mut Warnings) -> Result<(Entries, Entries)> {
    let rd = std::fs::read_dir(dir).map_err(|source| Error::ReadDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    let mut canonical_dir: Option<Option<PathBuf>> = None;
    for entry in rd {
        let entry = entry.map_err(|source| Error::ReadDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if entry.file_name().as_encoded_bytes().first() == Some(&b'.') {
            warnings.note("hidden file or folder ignored", path.display().to_string());
            continue;
        }
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            warnings.push(
                "name is not valid UTF-8, skipped",
                path.display().to_string(),
            );
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
                            warnings.push(
                                "symlink to a folder that contains it (a loop), skipped",
                                path.display().to_string(),
                            );
                            continue;
                        }
                    }
                }
                dirs.push((name, path))
            }
            Ok(false) => files.push((name, path)),
            Err(e) => warnings.push(
                format!("unreadable entry skipped ({})", e.kind()),
                path.display().to_string(),
            ),
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
            let detail = match &e {
                Error::ReadDir { source, .. } => source.to_string(),
                other => other.to_string(),
            };
            warnings.push(
                "unreadable folder, skipped",
                format!("{}: {detail}", dir.display()),
            );
            None
        }
    }
}

/// Notes files found where only folders belong (`what` folders).
fn stray_files(files: &Entries, what: &str, warnings: &mut Warnings) {
    for (_, path) in files {
        warnings.note(
            format!("file where a {what} folder is expected, ignored"),
            path.display().to_string(),
        );
    }
}

/// A trial file to read, with where it belongs.
struct Pending {
    submission: usize,
    study: String,
    folder: String,
    workload: String,
    run: String,
    metric_column: String,
    /// The workload's target: the first evaluation reaching it needs a time.
    target: WorkloadTarget,
    file: PendingFile,
}

/// The file(s) a pending item reads.
enum PendingFile {
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

/// What reading one pending item gave.
#[derive(Default)]
struct Read {
    /// (trial name, file the series came from, series)
    trials: Vec<(String, PathBuf, Series)>,
    errors: Vec<TrialError>,
    /// Warnings about skipped log lines: (summary, location).
    notes: Vec<(String, String)>,
    /// The same skipped log lines, as data.
    log_lines: Vec<crate::rawlog::LogWarning>,
}

/// Reads every trial of every selected submission under `root`.
pub fn ingest(
    root: &Path,
    spec: &Spec,
    selection: &Selection,
    progress: &dyn Progress,
) -> Result<Ingested> {
    ingest_detailed(root, spec, selection, progress).map(|(ingested, _)| ingested)
}

/// The problems of [`ingest`]'s skipped trials and log lines, as data
/// (they are also in its warnings, as text): `check` reports them with
/// their file and line.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    pub trials: Vec<TrialError>,
    pub log_lines: Vec<crate::rawlog::LogWarning>,
}

/// [`ingest`], also returning its trial and log-line problems as data.
pub fn ingest_detailed(
    root: &Path,
    spec: &Spec,
    selection: &Selection,
    progress: &dyn Progress,
) -> Result<(Ingested, Problems)> {
    // Only a folder that is not there "does not exist": a name too long, a
    // parent that may not be searched, say so with the system's reason.
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::NotAFolder {
                path: root.to_path_buf(),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::NoSubmissions {
                path: root.to_path_buf(),
            })
        }
        Err(source) => {
            return Err(Error::ReadDir {
                path: root.to_path_buf(),
                source,
            })
        }
    }
    let mut warnings = Warnings::default();
    let (entries, files) = list(root, &mut warnings)?;
    if entries.is_empty() {
        let problem = degenerate::empty_root(root);
        degenerate::report(vec![problem], selection.allow_empty, &mut warnings)?;
    }
    stray_files(&files, "submission", &mut warnings);

    // Group re-run folders under their submission: name → folders (own first).
    let mut groups: std::collections::BTreeMap<String, Vec<(String, PathBuf)>> = Default::default();
    for (name, path) in entries {
        match rerun_base(&name) {
            Some(base) => groups
                .entry(base.to_string())
                .or_default()
                .push((name, path)),
            None => groups
                .entry(name.clone())
                .or_default()
                .insert(0, (String::new(), path)),
        }
    }

    let available: Vec<String> = groups.keys().cloned().collect();
    let problems = degenerate::selected(&available, selection, root);
    degenerate::report(problems, selection.allow_empty, &mut warnings)?;

    let mut names = Vec::new();
    let mut pending = Vec::new();
    let mut seen = Seen::default();
    for (name, folders) in groups {
        if !selection.keeps(&name) {
            continue;
        }
        let index = names.len();
        names.push(name.clone());
        seen.submissions.push(Default::default());
        for (run, folder) in folders {
            walk_submission(
                selection.source,
                &name,
                index,
                &run,
                &folder,
                spec,
                &mut pending,
                &mut warnings,
                &mut seen,
            )?;
        }
    }
    let problems = degenerate::tree(&seen, spec, selection.source, root);
    degenerate::report(problems, selection.allow_empty, &mut warnings)?;

    progress.start(pending.len() as u64);
    let read: Vec<Read> = pending
        .par_iter()
        .map(|p| {
            let r = read_pending(p, spec, selection.max_file_size());
            progress.advance();
            r
        })
        .collect();
    progress.finish();

    let mut problems = Problems::default();
    let mut submissions: Vec<Submission> = names
        .into_iter()
        .map(|name| Submission {
            name,
            trials: Vec::new(),
        })
        .collect();
    for (p, r) in pending.into_iter().zip(read) {
        let w = seen.workloads.entry(p.workload.clone()).or_default();
        w.looked += r.trials.len() + r.errors.len();
        w.read += r.trials.len();
        w.problems.extend(r.errors.iter().cloned());
        if let Some(s) = seen.submissions.get_mut(p.submission) {
            s.problems.extend(r.errors.iter().cloned());
        }
        for (trial, path, series) in r.trials {
            submissions[p.submission].trials.push(Trial {
                study: p.study.clone(),
                folder: p.folder.clone(),
                workload: p.workload.clone(),
                trial,
                run: p.run.clone(),
                path,
                metric_column: p.metric_column.clone(),
                series,
            });
        }
        for e in r.errors {
            warnings.push(e.kind(), e.to_string());
            problems.trials.push(e);
        }
        for (summary, location) in r.notes {
            warnings.push(summary, location);
        }
        problems.log_lines.extend(r.log_lines);
    }
    for s in &mut submissions {
        s.trials.sort_by(|a, b| {
            (&a.folder, &a.study, &a.trial, &a.run).cmp(&(&b.folder, &b.study, &b.trial, &b.run))
        });
    }
    // Submissions left empty by a workload problem would only repeat it.
    let mut degenerate_found = degenerate::workloads(&seen, spec, root);
    if degenerate_found.is_empty() {
        degenerate_found =
            degenerate::submissions(&submissions, &seen, spec, selection.source, root);
    }
    degenerate::report(degenerate_found, selection.allow_empty, &mut warnings)?;
    Ok((
        Ingested {
            submissions,
            warnings,
        },
        problems,
    ))
}

#[allow(clippy::too_many_arguments)]
fn walk_submission(
    source: Source,
    name: &str,
    index: usize,
    run: &str,
    folder: &Path,
    spec: &Spec,
    pending: &mut Vec<Pending>,
    warnings: &mut Warnings,
    seen: &mut Seen,
) -> Result<()> {
    let Some((studies, files)) = list_inside(folder, warnings) else {
        return Ok(());
    };
    stray_files(&files, "study", warnings);
    if let Some(s) = seen.submissions.get_mut(index) {
        s.studies += studies.len();
    }
    for (study, study_path) in studies {
        let Some((workloads, files)) = list_inside(&study_path, warnings) else {
            continue;
        };
        stray_files(&files, "workload", warnings);
        if workloads.is_empty() {
            warnings.push(
                "study folder without any workload folder, skipped",
                study_path.display().to_string(),
            );
        }
        for (wl_folder, wl_path) in workloads {
            let Some(workload) = spec.workload_of_folder(&wl_folder) else {
                seen.other_folder(&wl_folder, format!("{name}/{study}/{wl_folder}"), spec);
                warnings.note(
                    format!(
                        "folder is not a workload folder <workload>_<{}>, ignored",
                        spec.frameworks.join("|")
                    ),
                    format!("{name}/{study}/{wl_folder}"),
                );
                continue;
            };
            let Some(target) = spec.targets.get(workload) else {
                warnings.note(
                    format!(
                        "workload `{workload}` has no target in this spec's targets file, ignored"
                    ),
                    format!("{name}/{study}/{wl_folder}"),
                );
                continue;
            };
            let Some((trials, files)) = list_inside(&wl_path, warnings) else {
                continue;
            };
            // Other files (training logs) belong here; a file named like a
            // trial folder does not.
            for (name, path) in &files {
                if is_trial_folder(name) {
                    warnings.note(
                        "file where a trial folder is expected, ignored",
                        path.display().to_string(),
                    );
                }
            }
            for (name, path) in &trials {
                if !is_trial_folder(name) {
                    warnings.note(
                        "folder is not a trial folder trial_<n>, ignored",
                        path.display().to_string(),
                    );
                }
            }
            let trials: Vec<(String, PathBuf)> = trials
                .into_iter()
                .filter(|(t, _)| is_trial_folder(t))
                .collect();
            let has_logs = files.iter().any(|(n, _)| n.ends_with(".log"));
            let framework = &wl_folder[workload.len() + 1..];
            *seen.frameworks.entry(framework.to_string()).or_default() += 1;
            seen.workload_folders += 1;
            seen.with_logs += usize::from(has_logs);
            if let Some(s) = seen.submissions.get_mut(index) {
                s.workload_folders += 1;
            }
            let item = |file: PendingFile| Pending {
                submission: index,
                study: study.clone(),
                folder: wl_folder.clone(),
                workload: workload.to_string(),
                run: run.to_string(),
                metric_column: target.column.clone(),
                target: target.clone(),
                file,
            };
            match source {
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
                    seen.with_csv += trials
                        .iter()
                        .filter(|(_, t)| t.join(MEASUREMENTS).is_file())
                        .count();
                    if has_logs {
                        pending.push(item(PendingFile::Logs {
                            dir: wl_path.clone(),
                            skip: Vec::new(),
                            expect: Vec::new(),
                        }));
                    } else {
                        warnings.push(
                            "workload folder without raw logs (*.log), skipped",
                            wl_path.display().to_string(),
                        );
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
                            dir: wl_path.clone(),
                            skip: with_csv,
                            expect: without.into_iter().map(|(t, _)| t).collect(),
                        }));
                    } else {
                        for (_, csv) in without {
                            warnings.push(
                                TrialProblem::Missing.kind(),
                                format!("{}: {}", csv.display(), TrialProblem::Missing),
                            );
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn read_pending(p: &Pending, spec: &Spec, max_size: u64) -> Read {
    let mut out = Read::default();
    match &p.file {
        PendingFile::Csv { trial, path } => match read_csv_trial(path, &p.target, spec, max_size) {
            Ok((series, notes)) => {
                out.trials.push((trial.clone(), path.clone(), series));
                out.notes
                    .extend(notes.into_iter().map(|n| (n.kind(), n.to_string())));
            }
            Err(e) => out.errors.push(e),
        },
        PendingFile::Logs { dir, skip, expect } => {
            read_log_trials(p, dir, skip, expect, spec, max_size, &mut out)
        }
    }
    out
}

/// Reads the trials of a workload folder's raw logs. Problems name the log
/// file (and line) an evaluation came from, never a trial folder.
fn read_log_trials(
    p: &Pending,
    dir: &Path,
    skip: &[String],
    expect: &[String],
    spec: &Spec,
    max_size: u64,
    out: &mut Read,
) {
    let read = match crate::rawlog::read_workload_logs_limited(dir, max_size) {
        Ok(r) => r,
        Err(e) => {
            let (path, detail) = match e {
                crate::rawlog::RawLogError::ReadDir { dir, source } => (dir, source.to_string()),
                crate::rawlog::RawLogError::Read { file, source } => (file, source.to_string()),
                other => (dir.to_path_buf(), other.to_string()),
            };
            out.errors.push(TrialError {
                path,
                line: None,
                problem: TrialProblem::Unreadable(detail),
            });
            return;
        }
    };
    for w in &read.warnings {
        out.notes
            .push(("malformed raw log line, skipped".into(), w.to_string()));
        out.log_lines.push(w.clone());
    }
    let mut found = Vec::new();
    for t in &read.trials {
        if skip.contains(&t.trial) {
            continue;
        }
        found.push(t.trial.clone());
        // Where evaluation `row` was read (the first one's file when the
        // problem has no row).
        let origin = |row: usize| -> (PathBuf, Option<u64>) {
            let (file, line) = t.origins.get(row).copied().unwrap_or((0, 0));
            let path = read
                .files
                .get(file)
                .cloned()
                .unwrap_or_else(|| dir.join(&t.trial));
            (path, (line > 0).then_some(line as u64))
        };
        let err = |row: Option<usize>, problem| {
            let (path, line) = origin(row.unwrap_or(0));
            TrialError {
                path,
                line: line.filter(|_| row.is_some()),
                problem,
            }
        };
        let column = |name: &str| -> std::result::Result<Vec<f64>, TrialError> {
            t.column(name).map(<[f64]>::to_vec).ok_or_else(|| {
                let problem = TrialProblem::MissingLogKey {
                    key: name.to_string(),
                    trial: t.trial.clone(),
                };
                err(None, problem)
            })
        };
        let series = (|| -> std::result::Result<(Series, Vec<TrialError>), TrialError> {
            let series = Series {
                time: column(&spec.columns.time)?,
                summary_time: column(&spec.columns.summary_time)?,
                step: column(&spec.columns.step)?,
                metric: column(&p.metric_column)?,
                // `column('NAME')`: a key a log does not have is NaN.
                extra: spec
                    .extra_columns
                    .iter()
                    .map(|name| {
                        t.column(name)
                            .map_or_else(|| vec![f64::NAN; t.len()], <[f64]>::to_vec)
                    })
                    .collect(),
            };
            let notes = check_times(&series, &spec.columns.time, &p.target)
                .map_err(|(row, problem)| err(Some(row), problem))?;
            let notes = notes
                .into_iter()
                .map(|(row, problem)| err(Some(row), problem))
                .collect();
            Ok((series, notes))
        })();
        match series {
            Ok((s, notes)) => {
                let (path, _) = origin(0);
                out.trials.push((t.trial.clone(), path, s));
                out.notes
                    .extend(notes.into_iter().map(|n| (n.kind(), n.to_string())));
            }
            Err(e) => out.errors.push(e),
        }
    }
    for t in expect {
        if !found.contains(t) {
            out.errors.push(TrialError {
                path: dir.join(t).join(MEASUREMENTS),
                line: None,
                problem: TrialProblem::Missing,
            });
        }
    }
}

/// Reads one trial file: its series and the problems that keep the trial
/// (a time going backwards), or the problem that skips it.
fn read_csv_trial(
    path: &Path,
    target: &WorkloadTarget,
    spec: &Spec,
    max_size: u64,
) -> std::result::Result<(Series, Vec<TrialError>), TrialError> {
    let err = |line, problem| TrialError {
        path: path.to_path_buf(),
        line,
        problem,
    };
    // Only a regular file, and not a huge one: a FIFO would block the run,
    // /dev/zero or a giant file exhaust memory.
    let bytes =
        crate::limits::read_regular(path, max_size, "--max-file-size").map_err(|e| {
            match e.kind() {
                std::io::ErrorKind::NotFound => err(None, TrialProblem::Missing),
                _ => err(None, TrialProblem::Unreadable(e.to_string())),
            }
        })?;
    let wanted = csv::Wanted {
        time: &spec.columns.time,
        summary_time: &spec.columns.summary_time,
        step: &spec.columns.step,
        metric: &target.column,
        extra: &spec.extra_columns,
    };
    let (series, starts) =
        csv::read_trial(&bytes, &wanted).map_err(|(line, problem)| err(line, problem))?;
    let at = |(row, problem)| err(csv::line_of_row(&bytes, &starts, row), problem);
    let notes = check_times(&series, &spec.columns.time, target).map_err(at)?;
    Ok((series, notes.into_iter().map(at).collect()))
}

/// Judges a trial's time column, row by row (what SCORING.md §3 needs of
/// it): a negative time skips the trial (no clock reads below zero, and it
/// would change the other submissions' ratios); so does a time that is
/// empty, NaN or infinite at the first evaluation reaching the target (the
/// trial's time-to-target is unknown: read as "not run" it would win its
/// study's pick). A time going backwards keeps the trial, scored in file
/// order as the reference scores it, with a note at its first place.
/// Returns the notes, or the row and problem that skips the trial.
fn check_times(
    series: &Series,
    column: &str,
    target: &WorkloadTarget,
) -> std::result::Result<Vec<(usize, TrialProblem)>, (usize, TrialProblem)> {
    let column = column.to_string();
    let mut notes = Vec::new();
    let mut last = f64::NEG_INFINITY;
    let mut reached = false;
    for (row, (&time, &metric)) in series.time.iter().zip(&series.metric).enumerate() {
        if time < 0.0 {
            let problem = TrialProblem::NegativeTime {
                column,
                value: time,
            };
            return Err((row, problem));
        }
        if time < last && notes.is_empty() {
            let problem = TrialProblem::TimeBackwards {
                column: column.clone(),
            };
            notes.push((row, problem));
        }
        if !time.is_nan() {
            last = time;
        }
        if !reached && target.goal.reached(metric, target.target) {
            reached = true;
            if !time.is_finite() {
                return Err((row, TrialProblem::NoTimeAtTarget { column }));
            }
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rerun_names() {
        assert_eq!(rerun_base("amos-2024-05-01-12-30-59"), Some("amos"));
        assert_eq!(rerun_base("amos"), None);
        assert_eq!(rerun_base("amos-2024-05-01-12-30"), None);
        assert!(is_trial_folder("trial_1"));
        assert!(is_trial_folder("trial_12_old"));
        assert!(!is_trial_folder("trial_"));
        assert!(!is_trial_folder("trials"));
    }
}
