//! Degenerate results: a run that would score nothing, or score everyone 0,
//! because of a mistake rather than because of the logs (an empty or wrong
//! submissions folder, an `--include` typo, a spec column or framework that
//! no file has, `--source logs` on a tree without logs). Each is an error
//! that says what was looked for, where, and what was found instead;
//! `--allow-empty` turns them back into warnings.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{did_you_mean, Warning, Warnings};
use crate::error::{Result, TrialError, TrialProblem};
use crate::spec::Spec;

use super::error::IngestError;
use super::{Selection, Source, MEASUREMENTS};

pub use crate::error::ingest::Problem;

/// Stops the run on `problems` (one line each after a first line saying how
/// many), or with `--allow-empty` records them as warnings.
pub fn report(problems: Vec<Problem>, allow_empty: bool, warnings: &mut Warnings) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    if allow_empty {
        for p in problems {
            warnings.push(Warning::Degenerate(p));
        }
        return Ok(());
    }
    Err(IngestError::Degenerate(problems).into())
}

/// Up to `n` names joined with commas, `…` when there are more.
fn some(names: &[String], n: usize) -> String {
    let mut s = names.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > n {
        s.push_str(", …");
    }
    s
}

/// `--include`/`--exclude` names that name no submission, and a selection
/// that leaves none: checked before any trial file is read.
pub fn selected(available: &[String], selection: &Selection, place: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (option, names) in [
        ("--include", &selection.include),
        ("--exclude", &selection.exclude),
    ] {
        for name in names {
            problems.extend(unknown_name(available, option, name, place));
        }
    }
    if problems.is_empty() && !available.is_empty() && !available.iter().any(|n| selection.keeps(n))
    {
        problems.push(Problem {
            location: place.display().to_string(),
            summary: "no submission selected".into(),
            detail: format!(
                " (--include/--exclude left none of {}: {})",
                available.len(),
                some(available, 8)
            ),
        });
    }
    problems
}

/// Submissions the spec names in `reference('…')` that the folder does not
/// have, or that the selection leaves out: checked before any trial file
/// is read (scoring would stop on them after reading everything).
pub fn references(
    available: &[String],
    selection: &Selection,
    spec: &Spec,
    place: &Path,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for name in &spec.references {
        let option = format!("{}: reference('{name}')", spec.path.display());
        if let Some(p) = unknown_name(available, &option, name, place) {
            problems.push(Problem {
                location: option,
                summary: format!(
                    "the spec's reference submission `{name}` is not in {}",
                    place.display()
                ),
                detail: p.detail,
            });
        } else if !selection.keeps(name) {
            problems.push(Problem {
                location: option,
                summary: format!(
                    "the spec's reference submission `{name}` is left out by --include/--exclude"
                ),
                detail: String::new(),
            });
        }
    }
    problems
}

/// A submission name given with `option` that is not among `available`,
/// with the closest name or the names there are.
pub fn unknown_name(
    available: &[String],
    option: &str,
    name: &str,
    place: &Path,
) -> Option<Problem> {
    if available.iter().any(|a| a == name) {
        return None;
    }
    let mut detail = did_you_mean(name, available.iter().map(String::as_str));
    if detail.is_empty() {
        detail = format!(" (found: {})", some(available, 8));
    }
    Some(Problem {
        location: format!("{option} {name}"),
        summary: format!("no submission `{name}` in {}", place.display()),
        detail,
    })
}

/// The submission names of a submissions folder (re-run folders counted
/// under their submission's name), sorted; hidden entries and files aside.
pub fn submission_names(root: &Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .map_err(|source| IngestError::ReadDir {
            path: root.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok())
        .filter(|e| std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.'))
        .map(|n| super::rerun_base(&n).unwrap_or(&n).to_string())
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// A submissions folder without any submission folder: says what it holds.
pub fn empty_root(root: &Path) -> Problem {
    let mut found: Vec<String> = std::fs::read_dir(root)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    let detail = if found.is_empty() {
        " (found: nothing)".to_string()
    } else {
        format!(
            " (found: {} file{} or hidden entr{}: {})",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            if found.len() == 1 { "y" } else { "ies" },
            some(&found, 5)
        )
    };
    Problem {
        location: root.display().to_string(),
        summary: "no submission folder in the submissions folder".into(),
        detail,
    }
}

/// What the walk of the tree saw, for the checks made after reading.
#[derive(Debug, Default)]
pub struct Seen {
    /// Per spec framework, the workload folders with its suffix.
    pub frameworks: BTreeMap<String, usize>,
    /// `<known workload>_<suffix>` folders whose suffix is no spec
    /// framework: suffix → their paths.
    pub other_suffixes: BTreeMap<String, Vec<String>>,
    /// Workload folders of workloads with a target, and how many had logs.
    pub workload_folders: usize,
    pub with_logs: usize,
    /// Trial folders seen with their eval_measurements.csv.
    pub with_csv: usize,
    /// Per submission (by index): study folders and workload folders seen.
    pub submissions: Vec<SubmissionSeen>,
    /// Per workload: the files looked at, read and skipped.
    pub workloads: BTreeMap<String, WorkloadSeen>,
}

/// The folders of one submission.
#[derive(Debug, Default, Clone)]
pub struct SubmissionSeen {
    pub studies: usize,
    pub workload_folders: usize,
    pub problems: Vec<TrialError>,
}

/// The trial files of one workload, over every submission.
#[derive(Debug, Default, Clone)]
pub struct WorkloadSeen {
    pub looked: usize,
    pub read: usize,
    pub problems: Vec<TrialError>,
    /// Per `column('…')` column of the spec: whether any read trial had a
    /// number in it.
    pub extra_numbers: Vec<bool>,
    /// The first trial file read (for the header a did-you-mean reads).
    pub first_read: Option<std::path::PathBuf>,
}

impl Seen {
    /// Adds what the reading saw (`read`: the workloads' files and each
    /// submission's problems) to what the walk saw.
    pub fn add_read(&mut self, read: Seen) {
        self.workloads = read.workloads;
        for (mine, theirs) in self.submissions.iter_mut().zip(read.submissions) {
            mine.problems = theirs.problems;
        }
    }

    /// Records a folder of a study that is no workload folder of the spec:
    /// one of a known workload with another suffix is a framework hint.
    pub fn other_folder(&mut self, folder: &str, rel: String, spec: &Spec) {
        if let Some((workload, suffix)) = folder.rsplit_once('_') {
            if spec.targets.contains_key(workload) {
                self.other_suffixes
                    .entry(suffix.to_string())
                    .or_default()
                    .push(rel);
            }
        }
    }
}

/// Problems of the whole tree (checked first: the others follow from them).
pub fn tree(seen: &Seen, spec: &Spec, source: Source, root: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !seen.other_suffixes.is_empty() {
        for fw in &spec.frameworks {
            if seen.frameworks.get(fw).copied().unwrap_or(0) > 0 {
                continue;
            }
            let found: Vec<String> = seen
                .other_suffixes
                .iter()
                .map(|(s, paths)| format!("{} `_{s}` folders, e.g. {}", paths.len(), paths[0]))
                .collect();
            problems.push(Problem {
                location: spec.path.display().to_string(),
                summary: format!(
                    "framework `{fw}` of [workloads] frameworks matches no workload folder under {}",
                    root.display()
                ),
                detail: format!(
                    " (found: {}){}",
                    found.join("; "),
                    did_you_mean(fw, seen.other_suffixes.keys().map(String::as_str))
                ),
            });
        }
    }
    if source == Source::Logs && seen.workload_folders > 0 && seen.with_logs == 0 {
        problems.push(Problem {
            location: root.display().to_string(),
            summary: "--source logs found no raw log (*.log) in any workload folder".into(),
            detail: format!(
                " (found: {} workload folder{}, {} trial folder{} with {MEASUREMENTS}: try --source csv or --source auto)",
                seen.workload_folders,
                if seen.workload_folders == 1 { "" } else { "s" },
                seen.with_csv,
                if seen.with_csv == 1 { "" } else { "s" },
            ),
        });
    }
    problems
}

/// Workloads whose folders exist but from which no trial could be read in
/// any submission; a spec column missing from every file of them is named
/// as such, with the closest header name.
pub fn workloads(seen: &Seen, spec: &Spec, root: &Path) -> Vec<Problem> {
    // column → (workloads, files looked at, first file)
    let mut by_column: BTreeMap<&str, (Vec<&str>, usize, &Path)> = BTreeMap::new();
    let mut problems = Vec::new();
    for (workload, w) in &seen.workloads {
        if w.read > 0 || w.looked == 0 {
            continue;
        }
        let column = w.problems.first().and_then(|e| missing_column(&e.problem));
        let column = column.filter(|c| {
            w.problems.len() == w.looked
                && w.problems
                    .iter()
                    .all(|e| missing_column(&e.problem) == Some(c))
        });
        match (column, w.problems.first()) {
            (Some(c), Some(first)) => {
                let entry = by_column.entry(c).or_insert((Vec::new(), 0, &first.path));
                entry.0.push(workload);
                entry.1 += w.looked;
            }
            _ => problems.push(Problem {
                location: root.display().to_string(),
                summary: format!("no trial of workload `{workload}` could be read"),
                detail: format!(" (found {})", first_problem(&w.problems)),
            }),
        }
    }
    let mut column_problems = Vec::new();
    for (column, (names, looked, first)) in by_column {
        let role = column_role(column, spec);
        let header = if first.ends_with(MEASUREMENTS) {
            header_names(first)
        } else {
            Vec::new()
        };
        let hint = column_hint(column, &header);
        let has = if header.is_empty() {
            String::new()
        } else {
            format!("; {} has: {}", first.display(), some(&header, 12))
        };
        column_problems.push(Problem {
            location: root.display().to_string(),
            summary: format!(
                "column `{column}` ({role}) is in no trial file of workload{} {}",
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
            detail: format!(
                " (looked at {looked} file{}{has}){hint}",
                if looked == 1 { "" } else { "s" },
            ),
        });
    }
    column_problems.extend(extra_columns(seen, spec, root));
    // Columns first: a wrong column explains the workloads it empties.
    column_problems.extend(problems);
    column_problems
}

/// `column('…')` columns without a number in any read trial file of a
/// workload: a typo would otherwise read as NaN everywhere and quietly
/// change every score. Grouped per column, like `[columns]` ones.
fn extra_columns(seen: &Seen, spec: &Spec, root: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, column) in spec.extra_columns.iter().enumerate() {
        let empty: Vec<(&str, &WorkloadSeen)> = (seen.workloads.iter())
            .filter(|(_, w)| w.read > 0 && !w.extra_numbers.get(i).copied().unwrap_or(false))
            .map(|(name, w)| (name.as_str(), w))
            .collect();
        let Some((_, first)) = empty.first() else {
            continue;
        };
        let header = match &first.first_read {
            Some(p) if p.ends_with(MEASUREMENTS) => header_names(p),
            _ => Vec::new(),
        };
        let present = header.iter().any(|h| h == column);
        let looked: usize = empty.iter().map(|(_, w)| w.read).sum();
        let names: Vec<&str> = empty.iter().map(|(n, _)| *n).collect();
        let has = match (&first.first_read, header.is_empty()) {
            (Some(p), false) => format!("; {} has: {}", p.display(), some(&header, 12)),
            _ => String::new(),
        };
        problems.push(Problem {
            location: root.display().to_string(),
            summary: format!(
                "column `{column}` (named by `column()` in the spec) {} trial file of workload{} {}",
                if present { "has no number in any" } else { "is in no" },
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
            detail: format!(
                " (looked at {looked} file{}{has}){}",
                if looked == 1 { "" } else { "s" },
                column_hint(column, &header)
            ),
        });
    }
    problems
}

/// The spec column a trial file (or a raw log's trial) lacks, if that is
/// its problem.
fn missing_column(problem: &TrialProblem) -> Option<&str> {
    match problem {
        TrialProblem::MissingColumn(c) => Some(c),
        TrialProblem::MissingLogKey { key, .. } => Some(key),
        _ => None,
    }
}

/// Submissions of which no trial could be read, from (name, trials read)
/// per submission in read order.
pub fn submissions(
    read: &[(String, usize)],
    seen: &Seen,
    spec: &Spec,
    source: Source,
    root: &Path,
) -> Vec<Problem> {
    let looked_for = match source {
        Source::Csv => format!("<study>/<workload>_<framework>/trial_<k>/{MEASUREMENTS}"),
        Source::Logs => "<study>/<workload>_<framework>/*.log".to_string(),
        Source::Auto => format!("<study>/<workload>_<framework>/trial_<k>/{MEASUREMENTS} or *.log"),
    };
    let mut problems = Vec::new();
    for (i, (name, trials)) in read.iter().enumerate() {
        if *trials > 0 {
            continue;
        }
        let s = seen.submissions.get(i).cloned().unwrap_or_default();
        let found = if s.studies == 0 {
            "no study folder".to_string()
        } else if s.workload_folders == 0 {
            format!(
                "{} study folder{}, no <workload>_<{}> folder of a workload with a target",
                s.studies,
                if s.studies == 1 { "" } else { "s" },
                spec.frameworks.join("|")
            )
        } else if s.problems.is_empty() {
            format!(
                "{} workload folder{}, no trial in them",
                s.workload_folders,
                if s.workload_folders == 1 { "" } else { "s" }
            )
        } else {
            first_problem(&s.problems)
        };
        problems.push(Problem {
            location: root.join(name).display().to_string(),
            summary: format!("no trial could be read from submission `{name}`"),
            detail: format!(" (looked for {looked_for}; found {found})"),
        });
    }
    problems
}

/// `N trial files, all skipped; the first: <problem>`.
fn first_problem(problems: &[TrialError]) -> String {
    match problems {
        [] => "no trial file".to_string(),
        [e] => format!("1 trial file, skipped: {e}"),
        [e, ..] => format!(
            "{} trial files, all skipped; the first: {e}",
            problems.len()
        ),
    }
}

/// A did-you-mean for a column; for a metric column whose prefix is wrong
/// (`valid/loss`), the header's columns of the same metric.
fn column_hint(column: &str, header: &[String]) -> String {
    let close = did_you_mean(column, header.iter().map(String::as_str));
    if !close.is_empty() {
        return close;
    }
    let Some((_, metric)) = column.rsplit_once('/') else {
        return String::new();
    };
    let same: Vec<String> = header
        .iter()
        .filter(|h| h.rsplit_once('/').is_some_and(|(_, m)| m == metric))
        .cloned()
        .collect();
    if same.is_empty() {
        return String::new();
    }
    let same: Vec<String> = same.iter().map(|c| format!("`{c}`")).collect();
    format!(
        " (did you mean {}{}? see [columns] metric_prefix)",
        if same.len() == 1 { "" } else { "one of " },
        same.join(", ")
    )
}

/// What a column is to the spec, for messages.
fn column_role(column: &str, spec: &Spec) -> String {
    if column == spec.columns.time {
        "the spec's time column".into()
    } else if column == spec.columns.summary_time {
        "the spec's summary time column".into()
    } else if column == spec.columns.step {
        "the spec's step column".into()
    } else {
        "the target metric's column".into()
    }
}

/// The header names of a trial file, for a did-you-mean (empty when it
/// cannot be read: the message then just lists nothing).
pub fn header_names(path: &Path) -> Vec<String> {
    let max = crate::limits::DEFAULT_MAX_FILE_SIZE;
    let Ok(bytes) = crate::limits::read_regular(path, max, "--max-file-size") else {
        return Vec::new();
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let end = bytes
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end])
        .split(',')
        .map(|h| h.trim_matches('"').to_string())
        .collect()
}

/// The checks that apply to a results cache (`--load-results`): the
/// selection, then what it leaves; keeps the selected submissions only.
pub fn select_loaded(
    ingested: &mut super::Ingested,
    selection: &Selection,
    cache: &Path,
) -> Result<()> {
    let available: Vec<String> = ingested
        .submissions
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let mut problems = selected(&available, selection, cache);
    if available.is_empty() {
        problems.push(Problem {
            location: cache.display().to_string(),
            summary: "no submission in the results cache".into(),
            detail: String::new(),
        });
    }
    report(problems, selection.allow_empty, &mut ingested.warnings)?;
    ingested.submissions.retain(|s| selection.keeps(&s.name));
    Ok(())
}
