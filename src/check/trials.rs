//! Trial checks: what the series read say — budgets, targets never
//! reached, copies. (The readers' problems are the run's warnings, which
//! [`super::layout::walk_findings`] reports.)

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Code, Finding};
use crate::ingest::{Digest, Submission, Trial, MEASUREMENTS};
use crate::spec::{Goal, Spec};

/// Measurements files seen so far, by the SHA-256 of their bytes (taken as
/// the read read them, [`Trial::digest`]), to find copies in one look-up
/// per file: files with the same digest are, short of a collision nobody
/// has found, the same bytes, so only such a pair is read again, to compare
/// byte for byte. (Keyed by length and CRC-32, which anyone can forge, N
/// crafted files took N² reads.)
#[derive(Debug, Default)]
pub struct Copies {
    /// Digest → the first file seen with it, and its canonical path.
    seen: HashMap<Digest, (PathBuf, Option<PathBuf>)>,
}

impl Copies {
    /// Records `path`'s digest; a finding when an earlier file has the
    /// same bytes. A file met twice (a path given twice, or a tree and a
    /// submission in it) is no copy of itself.
    fn add(&mut self, path: &Path, digest: &Digest, out: &mut Vec<Finding>) {
        let Some((first, canonical)) = self.seen.get(digest) else {
            let canonical = std::fs::canonicalize(path).ok();
            self.seen.insert(*digest, (path.to_path_buf(), canonical));
            return;
        };
        let same_file = first == path
            || (canonical.is_some() && *canonical == std::fs::canonicalize(path).ok());
        let max = crate::limits::DEFAULT_MAX_FILE_SIZE;
        let read = |p: &Path, what| crate::limits::read_regular(p, max, what).ok();
        if !same_file
            && read(path, "--max-file-size")
                .is_some_and(|b| read(first, "its first reading").is_some_and(|f| f == b))
        {
            out.push(Finding::new(
                Code::DuplicateTrial,
                path,
                None,
                format!("byte for byte the same as {}", first.display()),
            ));
        }
    }
}

/// Checks every trial read for one submission (in `folder`).
pub fn trial_findings(
    sub: &Submission,
    folder: &Path,
    spec: &Spec,
    copies: &mut Copies,
    out: &mut Vec<Finding>,
) {
    for t in &sub.trials {
        // Raw-log trials have no file of their own: no line, no copy
        // check. A trial file is read again only for a finding's line.
        let csv = t.path.file_name().and_then(|n| n.to_str()) == Some(MEASUREMENTS);
        let line = |row: usize| {
            let max = crate::limits::DEFAULT_MAX_FILE_SIZE;
            let bytes = crate::limits::read_regular(&t.path, max, "--max-file-size").ok()?;
            row_line(&bytes, row)
        };
        let line = |row: usize| if csv { line(row) } else { None };
        // The time column's rules (never negative, backwards noted) are
        // judged once, by `ingest::check_times`: a trial read here passed
        // them, and one that failed is a run warning with its own code.
        if let Some(f) = budget_finding(t, spec, &line) {
            out.push(f);
        }
        if let (Some(d), true, false) = (&t.digest, csv, t.series.is_empty()) {
            copies.add(&t.path, d, out);
        }
    }
    for workload in spec.matrix_workloads() {
        if let Some(f) = never_reached(sub, folder, spec, &workload) {
            out.push(f);
        }
    }
}

/// The budget a workload's trials run under: its own, else its base
/// workload's (held-out variants run on their base's budget).
fn budget_of(spec: &Spec, workload: &str) -> Option<f64> {
    let own = spec.targets.get(workload).and_then(|t| t.budget);
    own.or_else(|| {
        spec.base_of(workload)
            .and_then(|b| spec.targets.get(b))
            .and_then(|t| t.budget)
    })
}

/// A trial whose last time passes budget × factor: a warning within the
/// spec's tolerance, an error beyond.
fn budget_finding(t: &Trial, spec: &Spec, line: &dyn Fn(usize) -> Option<u64>) -> Option<Finding> {
    let budget = budget_of(spec, &t.id.folder.workload)?;
    let limit = budget * spec.budget_factor;
    let (row, &last) = t
        .series
        .time
        .iter()
        .enumerate()
        .rev()
        .find(|(_, x)| !x.is_nan())?;
    if last.partial_cmp(&limit) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let over = last / limit - 1.0;
    let tolerance = spec.budget_overshoot_tolerance;
    let code = if over <= tolerance {
        Code::BudgetOvershoot
    } else {
        Code::BudgetExceeded
    };
    Some(Finding::new(
        code,
        &t.path,
        line(row),
        format!(
            "last `{}` {last} s passes the budget {budget} s × {} by {:.2}% (tolerance {:.2}%)",
            spec.columns.time,
            spec.budget_factor,
            over * 100.0,
            tolerance * 100.0
        ),
    ))
}

/// A workload the submission ran where no trial reaches the target.
fn never_reached(sub: &Submission, folder: &Path, spec: &Spec, workload: &str) -> Option<Finding> {
    let target = spec.targets.get(workload)?;
    let trials: Vec<&Trial> = sub
        .trials
        .iter()
        .filter(|t| t.id.folder.workload == workload)
        .collect();
    if trials.is_empty() {
        return None;
    }
    let reached = |t: &&Trial| {
        t.series
            .metric
            .iter()
            .any(|&m| target.goal.reached(m, target.target))
    };
    if trials.iter().any(reached) {
        return None;
    }
    let best = trials
        .iter()
        .flat_map(|t| t.series.metric.iter().copied())
        .filter(|m| !m.is_nan())
        .reduce(|a, b| if target.goal.better(b, a) { b } else { a });
    let (sign, best) = match (target.goal, best) {
        (Goal::Minimize, Some(b)) => ("≤", format!("best {b}")),
        (Goal::Maximize, Some(b)) => ("≥", format!("best {b}")),
        (Goal::Minimize, None) => ("≤", "no value".to_string()),
        (Goal::Maximize, None) => ("≥", "no value".to_string()),
    };
    Some(Finding::new(
        Code::TargetNeverReached,
        folder,
        None,
        format!(
            "no trial of `{workload}` ({} trials) reaches `{}` {sign} {} ({best})",
            trials.len(),
            target.column,
            target.target
        ),
    ))
}

/// The 1-based line of data row `row` (0-based, after the header) of a
/// CSV's bytes: blank lines are skipped and counted, `\n`, `\r\n` and `\r`
/// each end a line (as the reader counts them).
pub(crate) fn row_line(bytes: &[u8], row: usize) -> Option<u64> {
    let mut line = 1u64;
    let mut non_blank = 0usize;
    let mut blank = true;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => {
                if !blank {
                    if non_blank == row + 1 {
                        return Some(line);
                    }
                    non_blank += 1;
                }
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line += 1;
                blank = true;
            }
            _ => blank = false,
        }
        i += 1;
    }
    (!blank && non_blank == row + 1).then_some(line)
}

#[cfg(test)]
mod tests {
    use super::row_line;

    #[test]
    fn rows_to_lines() {
        let text = b"h\n1\n\n2\r\n3";
        assert_eq!(row_line(text, 0), Some(2));
        assert_eq!(row_line(text, 1), Some(4));
        assert_eq!(row_line(text, 2), Some(5));
        assert_eq!(row_line(text, 3), None);
        assert_eq!(row_line(b"\xEF\xBB\xBFh\r1\r", 0), Some(2));
    }
}
