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

pub mod cache;
pub mod csv;
pub mod degenerate;
pub use crate::error::ingest as error;
pub mod rawlog;
mod walk;

pub use walk::{is_trial_folder, rerun_base};
use walk::{list, stray_files, Pending, PendingFile, SubmissionWalk};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Level, Warning, Warnings};
use crate::error::{IngestError, Result, TrialError, TrialProblem};
use crate::spec::{Spec, WorkloadTarget};
pub use csv::Series;
use degenerate::Seen;

pub use crate::error::ingest::MEASUREMENTS;

/// A study's workload folder in one run of a submission (its own folder or
/// a re-run folder): where trials sit, and the metric column they compare.
/// The walk finds it before any file is read; every trial read there
/// shares it (one allocation per folder, not per trial).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct WorkloadFolder {
    pub study: String,
    /// The folder's name, with its framework suffix (`fastmri_jax`).
    pub name: String,
    /// Workload name without the suffix (`fastmri`).
    pub workload: String,
    /// Empty for the submission's own folder, else the re-run folder's name.
    pub run: String,
    /// The compared metric's column name (`validation/loss`).
    pub metric_column: String,
}

/// Which trial of a submission: its workload folder and its trial folder.
/// Ingest, the results cache and the leaderboard name a trial by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TrialId {
    pub folder: std::sync::Arc<WorkloadFolder>,
    /// Trial folder name (`trial_3`).
    pub trial: String,
}

impl TrialId {
    /// `trial_3`, or `trial_3 (<re-run folder>)` for a trial of a re-run.
    pub fn label(&self) -> String {
        if self.folder.run.is_empty() {
            self.trial.clone()
        } else {
            format!("{} ({})", self.trial, self.folder.run)
        }
    }

    /// The order trials are kept in: (workload folder, study, trial, run).
    fn sort_key(&self) -> (&str, &str, &str, &str) {
        let f = &self.folder;
        (&f.name, &f.study, &self.trial, &f.run)
    }
}

/// One tuning trial of one study of one workload.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trial {
    pub id: TrialId,
    /// The file the series came from.
    pub path: PathBuf,
    pub series: Series,
    /// The SHA-256 of a trial file's bytes, when the read was asked for it
    /// ([`Selection::digests`]): `check` finds copies by it without reading
    /// every file a second time. Never cached (a digest of the bytes read
    /// now, not of a cache's).
    #[serde(skip)]
    pub digest: Option<Digest>,
}

/// A SHA-256 digest.
pub type Digest = [u8; 32];

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
    /// Keep each trial file's SHA-256 ([`Trial::digest`]), taken from the
    /// bytes the read reads (`check`; scoring does not pay for it).
    pub digests: bool,
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
    /// The read begins; `total` files are known so far.
    fn start(&self, total: u64);
    /// The walk found `more` files to read (it runs beside the reading).
    fn found(&self, more: u64) {
        let _ = more;
    }
    fn advance(&self);
    fn finish(&self);
    /// Whether the caller asked the read to stop (Ctrl-C in Python):
    /// checked between batches, so a run ends within one batch.
    fn cancelled(&self) -> bool {
        false
    }
}

/// No progress output.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

/// What reading one pending item gave.
#[derive(Default)]
struct Read {
    /// A trial file's series (its trial name and path are the pending
    /// item's: not repeated, as thousands of these are held until merged),
    /// and its digest when asked for.
    csv: Option<(Series, Option<Digest>)>,
    /// A workload folder's log trials: (trial name, file the series came
    /// from, series).
    trials: Vec<(String, PathBuf, Series)>,
    errors: Vec<TrialError>,
    /// Warnings about trials still scored and skipped log lines.
    notes: Vec<Warning>,
}

impl Read {
    /// How many trials were read.
    fn found(&self) -> usize {
        self.trials.len() + usize::from(self.csv.is_some())
    }
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

/// [`ingest`]'s skipped trials, as data (they are also in its warnings, as
/// [`Warning::Trial`], which `check` reports): `check` counts their trial
/// folders in a submission's shape.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    pub trials: Vec<TrialError>,
}

/// [`ingest`], also returning its trial and log-line problems as data.
pub fn ingest_detailed(
    root: &Path,
    spec: &Spec,
    selection: &Selection,
    progress: &dyn Progress,
) -> Result<(Ingested, Problems)> {
    let mut submissions = Vec::new();
    let (warnings, problems) = ingest_each(root, spec, selection, progress, &mut |s| {
        submissions.push(s)
    })?;
    let ingested = Ingested {
        submissions,
        warnings,
    };
    Ok((ingested, problems))
}

/// Whether two specs read any tree alike: the same submissions, series,
/// warnings and errors, except that a degenerate-tree problem (a missing
/// `reference('…')`, a framework found nowhere) names its own spec's file.
/// It compares everything of a spec the ingest reads: the `[columns]`, the
/// `column('…')` columns, the frameworks, the references, and per workload
/// with a target its metric column, goal and target value (the time check
/// looks for the first evaluation reaching it). `compare` of two specs on
/// one tree reads it once when this holds; a new read of the spec in the
/// ingest belongs here too.
pub fn reads_alike(a: &Spec, b: &Spec) -> bool {
    let read = |(w, t): (&String, &WorkloadTarget)| {
        (w.clone(), t.column.clone(), t.goal, t.target.to_bits())
    };
    a.columns == b.columns
        && a.extra_columns == b.extra_columns
        && a.frameworks == b.frameworks
        && a.references == b.references
        && a.targets.iter().map(read).eq(b.targets.iter().map(read))
}

/// The fewest trial files read at once: submissions are read in batches of
/// at least this many files, so that the workers stay busy however small
/// each submission is, and at most one batch's series is held at a time.
pub const BATCH_FILES: usize = 256;

/// Submissions the walk may be ahead of the reading: enough to keep the
/// readers fed, few enough that the trial files waiting to be read stay a
/// few batches (the whole tree's list was 50 MB at 500 submissions).
const WALK_AHEAD: usize = 8;

/// Reads every trial of every selected submission under `root`, handing
/// each submission to `each` as soon as it is read, in name order: a
/// caller that keeps only what it needs of each submission (scoring keeps
/// a few numbers per trial) never holds every series at once. Returns the
/// warnings and the trial and log-line problems. A degenerate tree is an
/// error, possibly after some submissions were handed over.
///
/// The walk runs in a thread of its own, a submission ahead of the
/// reading at most [`WALK_AHEAD`] times, so that reading starts with the
/// first submission walked (at 500 submissions the walk took 1.4 s); what
/// each finds is put together in the walk's order, so the result is the
/// same as walking everything first.
pub fn ingest_each(
    root: &Path,
    spec: &Spec,
    selection: &Selection,
    progress: &dyn Progress,
    each: &mut dyn FnMut(Submission),
) -> Result<(Warnings, Problems)> {
    check_root(root)?;
    let mut warnings = Warnings::default();
    let groups = walk_root(root, spec, selection, &mut warnings)?;
    progress.start(0);
    let (send, walked) = std::sync::mpsc::sync_channel::<Walked>(WALK_AHEAD);
    let (read, walk) = std::thread::scope(|scope| {
        let walker = scope.spawn(move || {
            walk_submissions(groups, spec, selection, root, &mut |w| send.send(w).is_ok())
        });
        let read = read_walked(walked, spec, selection, progress, each);
        // The reading may have stopped early (cancelled): the walk then
        // stops at its next submission, `walked` being dropped.
        let walk = walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, walk)
    });
    let (mut seen, walk_warnings) = walk?;
    let read = read?;
    warnings.extend(walk_warnings);
    warnings.extend(read.warnings);
    seen.add_read(read.seen);
    progress.finish();
    // Submissions left empty by a workload problem would only repeat it.
    let mut degenerate_found = degenerate::workloads(&seen, spec, root);
    if degenerate_found.is_empty() {
        degenerate_found =
            degenerate::submissions(&read.counts, &seen, spec, selection.source, root);
    }
    degenerate::report(degenerate_found, selection.allow_empty, &mut warnings)?;
    Ok((warnings, read.problems))
}

/// One submission as walked: its name and its trial files to read.
struct Walked {
    name: String,
    pending: Vec<Pending>,
}

/// What reading the walked submissions gave, besides the submissions.
#[derive(Default)]
struct ReadAll {
    warnings: Warnings,
    problems: Problems,
    /// What the reading saw (files looked at, read, their problems).
    seen: Seen,
    /// Each submission's name and trials read.
    counts: Vec<(String, usize)>,
}

/// Reads the submissions as `walked` hands them over, in batches of at
/// least [`BATCH_FILES`] files, and hands each to `each` once read.
fn read_walked(
    walked: std::sync::mpsc::Receiver<Walked>,
    spec: &Spec,
    selection: &Selection,
    progress: &dyn Progress,
    each: &mut dyn FnMut(Submission),
) -> Result<ReadAll> {
    let mut all = ReadAll::default();
    let mut batch = Batch::default();
    let mut walked = walked.into_iter().enumerate().peekable();
    while let Some((index, Walked { name, pending })) = walked.next() {
        progress.found(pending.len() as u64);
        all.seen.submissions.push(Default::default());
        batch.add(index, name, pending);
        if batch.files < BATCH_FILES && walked.peek().is_some() {
            continue;
        }
        if progress.cancelled() {
            return Err(IngestError::Interrupted.into());
        }
        let read = std::mem::take(&mut batch).read(spec, selection, progress);
        let (seen, warnings) = (&mut all.seen, &mut all.warnings);
        for sub in read.gather(seen, warnings, &mut all.problems) {
            all.counts.push((sub.name.clone(), sub.trials.len()));
            each(sub);
        }
    }
    Ok(all)
}

/// The tree's root: its submissions (re-run folders grouped under theirs),
/// in name order; a degenerate tree (nothing there, nothing selected, a
/// reference not there) is an error here, before any file is read.
fn walk_root(
    root: &Path,
    spec: &Spec,
    selection: &Selection,
    warnings: &mut Warnings,
) -> Result<BTreeMap<String, Vec<(String, PathBuf)>>> {
    let (entries, files) = list(root, warnings)?;
    if entries.is_empty() {
        let problem = degenerate::empty_root(root);
        degenerate::report(vec![problem], selection.allow_empty, warnings)?;
    }
    stray_files(&files, Level::Submission, warnings);

    let groups = group_reruns(entries);

    let available: Vec<String> = groups.keys().cloned().collect();
    let mut problems = degenerate::selected(&available, selection, root);
    problems.extend(degenerate::references(&available, selection, spec, root));
    degenerate::report(problems, selection.allow_empty, warnings)?;
    Ok(groups)
}

/// Walks the selected submissions in name order, handing each to `send`
/// with its trial files (stopping when `send` says the reading stopped);
/// then what was seen and the walk's warnings. A degenerate tree (no
/// workload folder of the spec, say) is an error once it is walked.
fn walk_submissions(
    groups: BTreeMap<String, Vec<(String, PathBuf)>>,
    spec: &Spec,
    selection: &Selection,
    root: &Path,
    send: &mut dyn FnMut(Walked) -> bool,
) -> Result<(Seen, Warnings)> {
    let mut warnings = Warnings::default();
    let mut seen = Seen::default();
    for (name, folders) in groups {
        if !selection.keeps(&name) {
            continue;
        }
        let index = seen.submissions.len();
        let mut mine = Vec::new();
        seen.submissions.push(Default::default());
        for (run, folder) in folders {
            SubmissionWalk {
                spec,
                source: selection.source,
                name: &name,
                index,
                run: &run,
                pending: &mut mine,
                warnings: &mut warnings,
                seen: &mut seen,
            }
            .walk(&folder)?;
        }
        // Held until its batch is read: no growth slack.
        mine.shrink_to_fit();
        if !send(Walked {
            name,
            pending: mine,
        }) {
            break;
        }
    }
    let problems = degenerate::tree(&seen, spec, selection.source, root);
    degenerate::report(problems, selection.allow_empty, &mut warnings)?;
    Ok((seen, warnings))
}

/// Consecutive submissions read together: their names and trial files.
#[derive(Default)]
struct Batch {
    /// The index of the batch's first submission among all submissions.
    first: usize,
    names: Vec<String>,
    pending: Vec<Pending>,
    files: usize,
}

/// A batch once read: each pending item beside what reading it gave.
struct ReadBatch {
    first: usize,
    names: Vec<String>,
    pending: Vec<Pending>,
    read: Vec<Read>,
}

impl Batch {
    fn add(&mut self, index: usize, name: String, pending: Vec<Pending>) {
        if self.names.is_empty() {
            self.first = index;
        }
        self.names.push(name);
        self.files += pending.len();
        if self.pending.is_empty() {
            self.pending = pending;
        } else {
            self.pending.extend(pending);
        }
    }

    /// Reads the batch's files in parallel, kept in the walk's order.
    fn read(self, spec: &Spec, selection: &Selection, progress: &dyn Progress) -> ReadBatch {
        let read: Vec<Read> = self
            .pending
            .par_iter()
            .map(|p| {
                let r = read_pending(p, spec, selection);
                progress.advance();
                r
            })
            .collect();
        ReadBatch {
            first: self.first,
            names: self.names,
            pending: self.pending,
            read,
        }
    }
}

/// Refuses a submissions root that is not a readable folder. Only a folder
/// that is not there "does not exist": a name too long, a parent that may
/// not be searched, say so with the system's reason.
fn check_root(root: &Path) -> Result<()> {
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(IngestError::NotAFolder {
                path: root.to_path_buf(),
            }
            .into())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(IngestError::NoSubmissions {
                path: root.to_path_buf(),
            }
            .into())
        }
        Err(source) => {
            return Err(IngestError::ReadDir {
                path: root.to_path_buf(),
                source,
            }
            .into())
        }
    }
    Ok(())
}

/// Groups re-run folders `<name>-YYYY-MM-DD-HH-MM-SS` under their
/// submission: name → (re-run name, folder), the submission's own folder
/// (re-run name empty) first.
fn group_reruns(entries: Vec<(String, PathBuf)>) -> BTreeMap<String, Vec<(String, PathBuf)>> {
    let mut groups: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
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
    groups
}

impl ReadBatch {
    /// Gathers what was read, in the walk's order, into the batch's
    /// submissions: trials (sorted), their problems (as warnings and as
    /// data), and each workload's and submission's counts in `seen`.
    fn gather(
        self,
        seen: &mut Seen,
        warnings: &mut Warnings,
        problems: &mut Problems,
    ) -> Vec<Submission> {
        let first = self.first;
        let mut submissions: Vec<Submission> = self
            .names
            .into_iter()
            .map(|name| Submission {
                name,
                trials: Vec::new(),
            })
            .collect();
        // Each submission's trials at their final size: no growth slack.
        let mut counts = vec![0; submissions.len()];
        for (p, r) in self.pending.iter().zip(&self.read) {
            counts[p.submission - first] += r.found();
        }
        for (s, n) in submissions.iter_mut().zip(counts) {
            s.trials.reserve_exact(n);
        }
        for (p, r) in self.pending.into_iter().zip(self.read) {
            let trials = &mut submissions[p.submission - first].trials;
            gather_one(p, r, trials, seen, warnings, problems);
        }
        for s in &mut submissions {
            s.trials
                .sort_by(|a, b| a.id.sort_key().cmp(&b.id.sort_key()));
        }
        submissions
    }
}

/// One pending item's trials into its submission's `trials`, its problems
/// into `warnings` and `problems`, its counts into `seen`.
fn gather_one(
    mut p: Pending,
    r: Read,
    trials: &mut Vec<Trial>,
    seen: &mut Seen,
    warnings: &mut Warnings,
    problems: &mut Problems,
) {
    let w = seen.workloads.entry(p.folder.workload.clone()).or_default();
    w.looked += r.found() + r.errors.len();
    w.read += r.found();
    w.problems.extend(r.errors.iter().cloned());
    if let Some(s) = seen.submissions.get_mut(p.submission) {
        s.problems.extend(r.errors.iter().cloned());
    }
    let csv = match (r.csv, &mut p.file) {
        (Some((series, digest)), PendingFile::Csv { trial, path }) => {
            Some((std::mem::take(trial), std::mem::take(path), series, digest))
        }
        _ => None,
    };
    let logs = r
        .trials
        .into_iter()
        .map(|(t, path, series)| (t, path, series, None));
    for (trial, path, series, digest) in csv.into_iter().chain(logs) {
        seen_w_extra(seen, &p.folder.workload, &path, &series);
        trials.push(Trial {
            id: TrialId {
                folder: p.folder.clone(),
                trial,
            },
            path,
            series,
            digest,
        });
    }
    for e in r.errors {
        warnings.push(Warning::Trial(e.clone()));
        problems.trials.push(e);
    }
    for w in r.notes {
        warnings.push(w);
    }
}

/// Records which `column('…')` columns of a read trial hold a number.
fn seen_w_extra(seen: &mut Seen, workload: &str, path: &Path, series: &Series) {
    let w = seen.workloads.entry(workload.to_string()).or_default();
    if w.first_read.is_none() {
        w.first_read = Some(path.to_path_buf());
    }
    w.extra_numbers.resize(series.extra.len(), false);
    for (has, column) in w.extra_numbers.iter_mut().zip(&series.extra) {
        *has = *has || column.iter().any(|v| !v.is_nan());
    }
}

fn read_pending(p: &Pending, spec: &Spec, selection: &Selection) -> Read {
    let mut out = Read::default();
    let max_size = selection.max_file_size();
    match &p.file {
        PendingFile::Csv { path, .. } => match read_csv_trial(path, &p.target, spec, selection) {
            Ok((series, notes, digest)) => {
                out.csv = Some((series, digest));
                out.notes.extend(notes.into_iter().map(Warning::Trial));
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
    let read = match crate::ingest::rawlog::read_workload_logs_limited(dir, max_size) {
        Ok(r) => r,
        Err(e) => {
            out.errors.push(log_read_error(e, dir));
            return;
        }
    };
    for w in &read.warnings {
        out.notes.push(Warning::MalformedLogLine(w.clone()));
    }
    let mut found = Vec::new();
    for t in &read.trials {
        if skip.contains(&t.trial) {
            continue;
        }
        found.push(t.trial.clone());
        log_trial(p, t, &read, dir, spec, out);
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

/// A workload folder whose logs cannot be read, as the problem of the file
/// (or folder) that failed.
fn log_read_error(e: crate::ingest::rawlog::RawLogError, dir: &Path) -> TrialError {
    let (path, detail) = match e {
        crate::ingest::rawlog::RawLogError::ReadDir { dir, source } => (dir, source.to_string()),
        crate::ingest::rawlog::RawLogError::Read { file, source } => (file, source.to_string()),
        other => (dir.to_path_buf(), other.to_string()),
    };
    TrialError {
        path,
        line: None,
        problem: TrialProblem::Unreadable(detail),
    }
}

/// One trial of a workload folder's logs: its series (the spec's columns,
/// times judged by [`check_times`]) into `out`, or the problem that skips it.
fn log_trial(
    p: &Pending,
    t: &crate::ingest::rawlog::LogTrial,
    read: &crate::ingest::rawlog::LogRead,
    dir: &Path,
    spec: &Spec,
    out: &mut Read,
) {
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
        let mut series = Series {
            time: column(&spec.columns.time)?,
            summary_time: column(&spec.columns.summary_time)?,
            step: column(&spec.columns.step)?,
            metric: column(&p.folder.metric_column)?,
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
        let notes = check_times(&mut series, &spec.columns.time, &p.target)
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
            out.notes.extend(notes.into_iter().map(Warning::Trial));
        }
        Err(e) => out.errors.push(e),
    }
}

/// Reads one trial file: its series and the problems that keep the trial
/// (a time going backwards), or the problem that skips it.
fn read_csv_trial(
    path: &Path,
    target: &WorkloadTarget,
    spec: &Spec,
    selection: &Selection,
) -> std::result::Result<(Series, Vec<TrialError>, Option<Digest>), TrialError> {
    let bytes = read_trial_file(path, selection.max_file_size())?;
    let digest = selection.digests.then(|| {
        use sha2::Digest as _;
        sha2::Sha256::digest(&bytes).into()
    });
    let (series, notes) = csv_trial(path, &bytes, target, spec, &spec.extra_columns)?;
    Ok((series, notes, digest))
}

/// A trial file read as ingest reads it (the same rows, the same checks),
/// with `extra` as its further columns instead of the spec's: `targets
/// derive` reads a chosen run's test column this way.
pub fn read_csv_columns(
    path: &Path,
    target: &WorkloadTarget,
    spec: &Spec,
    extra: &[String],
    max_size: u64,
) -> std::result::Result<(Series, Vec<TrialError>), TrialError> {
    let bytes = read_trial_file(path, max_size)?;
    csv_trial(path, &bytes, target, spec, extra)
}

/// A trial file's bytes. Only a regular file, and not a huge one: a FIFO
/// would block the run, /dev/zero or a giant file exhaust memory.
fn read_trial_file(path: &Path, max_size: u64) -> std::result::Result<Vec<u8>, TrialError> {
    crate::limits::read_regular(path, max_size, "--max-file-size").map_err(|e| TrialError {
        path: path.to_path_buf(),
        line: None,
        problem: match e.kind() {
            std::io::ErrorKind::NotFound => TrialProblem::Missing,
            _ => TrialProblem::Unreadable(e.to_string()),
        },
    })
}

/// A trial file's series from its bytes, its times judged by [`check_times`].
fn csv_trial(
    path: &Path,
    bytes: &[u8],
    target: &WorkloadTarget,
    spec: &Spec,
    extra: &[String],
) -> std::result::Result<(Series, Vec<TrialError>), TrialError> {
    let err = |line, problem| TrialError {
        path: path.to_path_buf(),
        line,
        problem,
    };
    let mut series = csv::read_series(bytes, &spec.columns, &target.column, extra)
        .map_err(|(line, problem)| err(line, problem))?;
    let at = |(row, problem)| err(csv::line_of_row(bytes, row), problem);
    let notes = check_times(&mut series, &spec.columns.time, target).map_err(at)?;
    Ok((series, notes.into_iter().map(at).collect()))
}

/// Reads −0.0 as 0.0 in the time columns: a signed zero divides into −∞
/// (`∞ / −0.0`), which would count a cut-off cell as solved, and prints as
/// `-0.0`. No clock reads −0.
fn unsign_zeros(series: &mut Series) {
    for t in series.time.iter_mut().chain(series.summary_time.iter_mut()) {
        if *t == 0.0 {
            *t = 0.0;
        }
    }
}

/// Judges a trial's time column, row by row (what SCORING.md §3 needs of
/// it): a negative time skips the trial (no clock reads below zero, and it
/// would change the other submissions' ratios); so does a time that is
/// empty, NaN or infinite at the first evaluation reaching the target (the
/// trial's time-to-target is unknown: read as "not run" it would win its
/// study's pick). A time going backwards keeps the trial, scored in file
/// order as the reference scores it, with a note at its first place.
/// Returns the notes, or the row and problem that skips the trial.
pub(crate) fn check_times(
    series: &mut Series,
    column: &str,
    target: &WorkloadTarget,
) -> std::result::Result<Vec<(usize, TrialProblem)>, (usize, TrialProblem)> {
    unsign_zeros(series);
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
