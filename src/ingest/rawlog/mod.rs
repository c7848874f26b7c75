//! Raw training logs → per-trial evaluation series, for runs that left no
//! `eval_measurements.csv` (SCORING.md §11).
//!
//! AlgoPerf's `submission_runner.py` writes every evaluation twice into its
//! log, both as Python `repr()` text:
//!
//! - a per-evaluation line, as it happens:
//!   `… Time since start: 277.60s, \tStep: 1, \t{'train/ssim': …, 'validation/loss': …}`
//! - at the end of a run that finished, one summary line holding them all:
//!   `… Metrics: {'eval_results': [(1, {…, 'global_step': 1, 'preemption_count': 0}), …], 'global_step': 5428}`
//!
//! The "old format" logs of the reference (v0.5 era) are the ones that were
//! read through their `Metrics:` line; the "new format" ones through their
//! per-evaluation lines. Both kinds of line occur in both, so this module
//! reads both kinds everywhere and merges them (see [`read_workload_logs`]).
//!
//! Trials: `--- Tuning run i/N ---` starts `trial_i`; evaluations before any
//! such line (self-tuning runs log none) belong to `trial_1`.
//!
//! Lines of the common shape (a flat dict of string keys and plain numbers)
//! are read by the byte scanner of [`fast`], which allocates nothing per
//! value; it declines anything else, which goes to the pest grammar of
//! [`pylit`], the definition of the format and the source of every error
//! message (`tests/it/rawlog_fast.rs` checks that the two agree).
//!
//! Values are parsed by the pest grammar of [`pylit`]: `nan` stays NaN (the
//! public reference turned it into `0` before parsing, which made diverged
//! runs reach every minimised target), `inf`/`-inf` are values, and
//! `DeviceArray(0.5, dtype=float32)`-like wrappers give their inner number.
//!
//! A malformed evaluation line is not an error: it becomes a [`LogWarning`]
//! (file and line) and is skipped, so that one line garbled by a crash does
//! not lose a whole run; the caller decides whether warnings are fatal
//! (`--strict`). Only an unreadable file or a non-UTF-8 one is an error.

pub mod fast;
pub mod pylit;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;

use pylit::PyValue;

/// One trial's evaluations read from logs, columns named as in
/// `eval_measurements.csv` (`"global_step"`, `"accumulated_submission_time"`,
/// `"score"`, `"validation/loss"`, …), one value per evaluation, in step
/// order, so that the rest of the engine can treat it exactly like a trial
/// read from a CSV.
///
/// Every key of the logged evaluation dict is a column; `global_step` comes
/// from the line's `Step:` (or the summary tuple's step) when the dict lacks
/// it. A column that some evaluations of the trial lack (e.g.
/// `preemption_count`, which only the end-of-run summary logs) is NaN there,
/// as pandas reads an empty CSV cell.
#[derive(Debug, Clone, PartialEq)]
pub struct LogTrial {
    /// `trial_<i>`, from `--- Tuning run i/N ---` (`trial_1` if the log has none).
    pub trial: String,
    /// Column name → one value per evaluation, all of the same length.
    pub columns: BTreeMap<String, Vec<f64>>,
    /// Where each evaluation was read: (index into [`LogRead::files`],
    /// 1-based line), so that problems name the real log file and line.
    pub origins: Vec<(usize, usize)>,
}

impl LogTrial {
    /// Number of evaluations.
    pub fn len(&self) -> usize {
        self.columns.values().next().map_or(0, Vec::len)
    }

    /// True when the trial has no evaluation (never the case for a trial
    /// returned by this module: trials without evaluations are left out).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One column's values, if the trial has it.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.columns.get(name).map(Vec::as_slice)
    }
}

pub use crate::error::ingest::LogWarning;

/// The trials read from one workload folder (or one log) and the warnings
/// met on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogRead {
    /// Trials that have at least one evaluation, ordered by trial number
    /// (`trial_2` before `trial_10`).
    pub trials: Vec<LogTrial>,
    /// Warnings, in file-name order, then line order.
    pub warnings: Vec<LogWarning>,
    /// The log files read, in name order (the trials' `origins` index it).
    pub files: Vec<PathBuf>,
}

/// Why logs could not be read at all. Problems inside a readable text are
/// [`LogWarning`]s instead.
#[derive(Debug, thiserror::Error)]
pub enum RawLogError {
    /// The workload folder cannot be listed.
    #[error("cannot list log folder {dir}: {source}")]
    ReadDir {
        /// The folder.
        dir: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A log file cannot be read.
    #[error("cannot read log {file}: {source}")]
    Read {
        /// The file.
        file: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A log file is not UTF-8 text.
    #[error("log {file} is not UTF-8 text (line {line}, byte {byte} of the file)")]
    NotUtf8 {
        /// The file.
        file: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 0-based offset of the first invalid byte in the file.
        byte: usize,
    },
}

/// Read every `*.log` of one workload folder (sorted by name, so the result
/// never depends on directory listing order) and merge them into trials.
///
/// # Merging several logs (restarts, per-process logs, crashed attempts)
///
/// An evaluation is identified by its trial and its global step. The logs
/// are cut into *segments*: the evaluations of one trial from one file that
/// belong to one run (a per-evaluation stream, cut where a `Tuning run` line
/// starts or the step stops increasing, since a run's steps only grow; or one
/// `Metrics:` summary). Per trial, segments are ranked by how far their run
/// got (highest step), then by number of evaluations, then summary before
/// per-evaluation lines (same evaluations, plus `global_step` and
/// `preemption_count`), then the later log (the timestamp in its name, else
/// its name). The series is then built backwards:
///
/// 1. take the best-ranked segment whole;
/// 2. from the best-ranked remaining segment that has evaluations *before*
///    the first step taken so far, take exactly those; repeat.
///
/// Why: a run restarted from scratch logs steps 1, 128, … again, with
/// different values, and the trial's result is the run that got furthest
/// (`--overwrite` makes its CSV the last run's); merging by step alone would
/// interleave two different runs (1, 123, 127, 128, …). A run resumed from a
/// checkpoint starts at a later step, so step 2 fills in the evaluations
/// before the resumption from the run it resumed. Identical logs of several
/// processes tie, and either gives the same values. Each step appears at
/// most once, and the result does not depend on the order files are listed.
pub fn read_workload_logs(dir: &Path) -> Result<LogRead, RawLogError> {
    read_workload_logs_limited(dir, crate::limits::DEFAULT_MAX_FILE_SIZE)
}

/// [`read_workload_logs`], refusing a log larger than `max_size` bytes
/// (`--max-file-size`) or that is not a regular file.
pub fn read_workload_logs_limited(dir: &Path, max_size: u64) -> Result<LogRead, RawLogError> {
    let listing = std::fs::read_dir(dir).map_err(|source| RawLogError::ReadDir {
        dir: dir.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in listing {
        let entry = entry.map_err(|source| RawLogError::ReadDir {
            dir: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "log") && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));

    let scans: Vec<Result<Scan, RawLogError>> = files
        .par_iter()
        .enumerate()
        .map(|(rank, file)| {
            let bytes = crate::limits::read_regular(file, max_size, "--max-file-size").map_err(
                |source| RawLogError::Read {
                    file: file.clone(),
                    source,
                },
            )?;
            Ok(scan_log(file, &decode_text(bytes), rank))
        })
        .collect();

    let mut segments = Vec::new();
    let mut warnings = Vec::new();
    let mut names = Vec::new();
    for scan in scans {
        let mut scan = scan?;
        scan.renumber(&mut names);
        segments.extend(scan.segments);
        warnings.extend(scan.warnings);
    }
    Ok(LogRead {
        trials: merge(segments, &names),
        warnings,
        files,
    })
}

/// Parse one log's text (for tests and the fuzzer): `name` is used in
/// messages (and its `MM-DD-YYYY-HH-MM-SS` suffix, if any, in ranking).
/// Evaluations logged twice within the text (per-evaluation lines and the
/// `Metrics:` summary, restarts appended to the same file) are merged as
/// [`read_workload_logs`] merges several files.
///
/// Every problem inside a text is a warning, so this currently always
/// returns `Ok`; it returns a `Result` like [`read_workload_logs`] so that a
/// future whole-file check needs no change of signature.
pub fn parse_log(name: &Path, text: &str) -> Result<LogRead, RawLogError> {
    let scan = scan_log(name, text, 0);
    Ok(LogRead {
        trials: merge(scan.segments, &scan.names),
        warnings: scan.warnings,
        files: vec![name.to_path_buf()],
    })
}

/// A log's text. Bytes that are not UTF-8 (a Latin-1 `é` in a path a
/// library printed) become U+FFFD instead of losing the whole log: the
/// evaluation lines are ASCII, and one that a bad byte garbles fails to
/// parse and is reported with its line. A log whose lines end in `\r`
/// alone (old Mac line ends) has them read as line ends; in a log with `\n`
/// line ends, a `\r` inside a line (a progress bar's) stays inside it, as
/// `grep -n` and editors count lines.
pub fn decode_text(bytes: Vec<u8>) -> String {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    if !text.contains('\n') && text.contains('\r') {
        text.replace('\r', "\n")
    } else {
        text
    }
}

// ---------------------------------------------------------------------------
// Scanning one log

/// Where a segment came from: the summary line or per-evaluation lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    PerEval = 0,
    Summary = 1,
}

#[derive(Debug, Clone)]
struct Eval {
    step: i64,
    /// (column, value), each column at most once; columns index the names
    /// of the scan (then, after [`Scan::renumber`], of the whole read), so
    /// that an evaluation holds no map and no copy of its keys.
    values: Vec<(u32, f64)>,
    /// 1-based line of the log it was read from.
    line: usize,
}

/// The evaluations of one run of one trial, as one file logged them, steps
/// strictly increasing.
#[derive(Debug, Clone)]
struct Segment {
    trial: u64,
    kind: Kind,
    /// `YYYYMMDDhhmmss` from the file name, if it has one.
    file_time: Option<u64>,
    /// Position of the file in name order.
    file_rank: usize,
    /// Position of the segment in its file.
    ordinal: usize,
    evals: Vec<Eval>,
}

impl Segment {
    fn first_step(&self) -> i64 {
        self.evals.first().map_or(i64::MAX, |e| e.step)
    }

    fn last_step(&self) -> i64 {
        self.evals.last().map_or(i64::MIN, |e| e.step)
    }

    /// Larger is preferred; see [`read_workload_logs`].
    fn rank_key(&self) -> (i64, usize, Kind, Option<u64>, usize, usize) {
        (
            self.last_step(),
            self.evals.len(),
            self.kind,
            self.file_time,
            self.file_rank,
            self.ordinal,
        )
    }
}

struct Scan {
    segments: Vec<Segment>,
    warnings: Vec<LogWarning>,
    /// Column names, indexed by the evaluations' column numbers.
    names: Vec<String>,
}

impl Scan {
    /// Renumbers the columns into `names`, shared by the scans of several
    /// files (adding the names it lacks).
    fn renumber(&mut self, names: &mut Vec<String>) {
        let to: Vec<u32> = self
            .names
            .iter()
            .map(|name| match names.iter().position(|n| n == name) {
                Some(i) => i as u32,
                None => {
                    names.push(name.clone());
                    (names.len() - 1) as u32
                }
            })
            .collect();
        for eval in self.segments.iter_mut().flat_map(|s| s.evals.iter_mut()) {
            for (column, _) in eval.values.iter_mut() {
                *column = to[*column as usize];
            }
        }
    }
}

/// Collects segments of one file, cutting a per-evaluation stream where a
/// run ends.
struct Scanner<'a> {
    file: &'a Path,
    file_time: Option<u64>,
    file_rank: usize,
    trial: u64,
    current: Option<Segment>,
    segments: Vec<Segment>,
    warnings: Vec<LogWarning>,
    /// Column names met so far; an evaluation refers to them by number.
    names: Vec<String>,
    /// Column number of the key at each position of the last dict read:
    /// evaluations repeat their keys in the same order, so the guess is
    /// nearly always right and no name is searched.
    guess: Vec<u32>,
}

impl Scanner<'_> {
    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(LogWarning {
            file: self.file.to_path_buf(),
            line,
            message,
        });
    }

    /// The column number of `key`.
    fn intern(&mut self, key: &str) -> u32 {
        match self.names.iter().position(|n| n == key) {
            Some(c) => c as u32,
            None => {
                self.names.push(key.to_string());
                (self.names.len() - 1) as u32
            }
        }
    }

    /// The column number of `key`, the `position`-th key of its dict.
    fn column(&mut self, position: usize, key: &str) -> u32 {
        if let Some(&c) = self.guess.get(position) {
            if self.names[c as usize] == key {
                return c;
            }
        }
        let c = self.intern(key);
        if position >= self.guess.len() {
            self.guess.resize(position + 1, c);
        }
        self.guess[position] = c;
        c
    }

    /// The values of a dict read by the fast path.
    fn values_of(&mut self, entries: &[fast::Entry<'_>]) -> Vec<(u32, f64)> {
        let mut values = Vec::with_capacity(entries.len() + 1);
        for (position, &(key, x)) in entries.iter().enumerate() {
            let column = self.column(position, key);
            put(&mut values, column, x);
        }
        values
    }

    fn new_segment(&self, kind: Kind) -> Segment {
        Segment {
            trial: self.trial,
            kind,
            file_time: self.file_time,
            file_rank: self.file_rank,
            ordinal: self.segments.len(),
            evals: Vec::new(),
        }
    }

    fn flush(&mut self) {
        if let Some(seg) = self.current.take() {
            if !seg.evals.is_empty() {
                self.segments.push(seg);
            }
        }
    }

    fn push_per_eval(&mut self, eval: Eval) {
        let continues = self
            .current
            .as_ref()
            .is_some_and(|s| s.last_step() < eval.step);
        if !continues {
            self.flush();
            self.current = Some(self.new_segment(Kind::PerEval));
        }
        if let Some(seg) = self.current.as_mut() {
            seg.evals.push(eval);
        }
    }

    fn push_summary(&mut self, evals: Vec<Eval>) {
        self.flush();
        let mut seg = self.new_segment(Kind::Summary);
        for eval in evals {
            if seg.last_step() >= eval.step && !seg.evals.is_empty() {
                let next = Segment {
                    ordinal: seg.ordinal + 1,
                    evals: Vec::new(),
                    ..seg.clone()
                };
                self.segments.push(std::mem::replace(&mut seg, next));
            }
            seg.evals.push(eval);
        }
        if !seg.evals.is_empty() {
            self.segments.push(seg);
        }
    }
}

const EVAL_MARK: &str = "Time since start:";
const METRICS_MARK: &str = "Metrics: {'eval_results'";
const TUNING_MARK: &str = "--- Tuning run ";

/// Searchers for the three markers, in this order, built once: building
/// one costs more than searching a line with it.
static MARKERS: LazyLock<[memchr::memmem::Finder<'static>; 3]> = LazyLock::new(|| {
    [TUNING_MARK, EVAL_MARK, METRICS_MARK].map(|m| {
        memchr::memmem::FinderBuilder::new().build_forward_with_ranker(LogBytes, m.as_bytes())
    })
});

/// How common a byte is in a training log, for the marker search's
/// prefilter (which looks for the two rarest bytes of a marker first).
/// memchr's default ranking is for general text; in logs, lowercase
/// letters, digits and the punctuation of timestamps and dicts are
/// everywhere, while capitals other than the `I` starting each line are
/// rare — so the `T` of `Time`/`Tuning` and the `M` of `Metrics` are where
/// to look first (`parse_log` on synthetic and real logs: 2–3× the
/// throughput of the default ranking, benches/rawlog.rs).
struct LogBytes;

impl memchr::arch::all::packedpair::HeuristicFrequencyRank for LogBytes {
    fn rank(&self, byte: u8) -> u8 {
        match byte {
            b'I' | b'E' => 120,
            b'A'..=b'Z' => 10,
            b'{' | b'}' | b'[' | b']' | b'(' | b')' | b'-' => 80,
            b'\'' | b'\t' => 160,
            b'a'..=b'z' | b'0'..=b'9' | b' ' | b':' | b'.' | b',' | b'_' | b'/' | b'=' => 240,
            _ => 40,
        }
    }
}
const TUNING: usize = 0;
const EVAL: usize = 1;
const METRICS: usize = 2;

/// Byte offset of the first `MARKERS[marker]` in `line`.
fn find_marker(line: &str, marker: usize) -> Option<usize> {
    MARKERS[marker].find(line.as_bytes())
}

fn scan_log(file: &Path, text: &str, file_rank: usize) -> Scan {
    let mut sc = Scanner {
        file,
        file_time: name_timestamp(file),
        file_rank,
        trial: 1,
        current: None,
        segments: Vec::new(),
        warnings: Vec::new(),
        names: Vec::new(),
        guess: Vec::new(),
    };
    // The fast path's entries, borrowed from the text; reused line to line.
    let mut entries = Vec::new();
    for (lineno, line) in candidate_lines(text) {
        if line.len() > crate::limits::MAX_LOG_LINE {
            // The parser's memory grows with the line.
            sc.warn(
                lineno,
                format!(
                    "line longer than {}, skipped",
                    crate::limits::size_text(crate::limits::MAX_LOG_LINE as u64)
                ),
            );
            continue;
        }
        if let Some(trial) = tuning_run(line) {
            sc.flush();
            sc.trial = trial;
        } else if let Some(pos) = eval_start(line) {
            if let Some(eval) = read_eval_line(&mut sc, lineno, line, pos, &mut entries) {
                sc.push_per_eval(eval);
            }
        } else if let Some(pos) = find_marker(line, METRICS) {
            let evals = read_metrics_line(&mut sc, lineno, line, pos, &mut entries);
            if !evals.is_empty() {
                sc.push_summary(evals);
            }
        }
    }
    sc.flush();
    Scan {
        segments: sc.segments,
        warnings: sc.warnings,
        names: sc.names,
    }
}

/// The lines that contain one of the three markers, with their 1-based
/// numbers, in order (lines end at `\n`; a `\r` before it is removed). A
/// log is mostly other output (per-step losses, warnings, tracebacks):
/// searching the whole text once per marker and visiting only the lines hit
/// is several times faster than searching every line.
///
/// Linear in the text: matches inside a line already visited are skipped,
/// and each line start is searched back only to the end of the previous
/// line visited (searching back to the start of the text from every match
/// was quadratic on one long line of repeated markers).
fn candidate_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut hits: Vec<usize> = MARKERS
        .iter()
        .flat_map(|finder| finder.find_iter(text.as_bytes()))
        .collect();
    hits.sort_unstable();
    let bytes = text.as_bytes();
    let mut line_no = 1;
    let mut counted_to = 0;
    // End of the last line visited (the index of its `\n`, or the end).
    let mut visited_to = 0;
    let mut first = true;
    hits.into_iter().filter_map(move |pos| {
        if !first && pos <= visited_to {
            return None;
        }
        first = false;
        let start = memchr::memrchr(b'\n', &bytes[counted_to..pos])
            .map_or(counted_to, |i| counted_to + i + 1);
        line_no += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count();
        counted_to = start;
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        visited_to = end;
        let line = &text[start..end];
        Some((line_no, line.strip_suffix('\r').unwrap_or(line)))
    })
}

/// `--- Tuning run i/N ---` → `i`. Lines that merely mention the phrase
/// (e.g. the runner's source line quoted in a traceback) are not
/// announcements and are ignored.
fn tuning_run(line: &str) -> Option<u64> {
    let rest = &line[find_marker(line, TUNING)? + TUNING_MARK.len()..];
    let (i, rest) = split_digits(rest)?;
    let rest = rest.strip_prefix('/')?;
    let (_n, rest) = split_digits(rest)?;
    rest.starts_with(" ---").then_some(i)
}

fn split_digits(s: &str) -> Option<(u64, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n = s[..end].parse().ok()?;
    Some((n, &s[end..]))
}

/// Byte offset of `Time since start:` when followed by a number: the runner's
/// evaluation line (its format string quoted in a traceback is not).
fn eval_start(line: &str) -> Option<usize> {
    let pos = find_marker(line, EVAL)?;
    let after = line[pos + EVAL_MARK.len()..].trim_start_matches([' ', '\t']);
    after
        .starts_with(|c: char| c.is_ascii_digit())
        .then_some(pos)
}

/// Character column in `line` of a column reported for `line[pos..]`.
fn line_column(line: &str, pos: usize, column: usize) -> usize {
    line[..pos].chars().count() + column
}

fn read_eval_line<'t>(
    sc: &mut Scanner<'_>,
    lineno: usize,
    line: &'t str,
    pos: usize,
    entries: &mut Vec<fast::Entry<'t>>,
) -> Option<Eval> {
    entries.clear();
    if let Some(step) = fast::parse_eval_tail(&line[pos..], entries) {
        let values = sc.values_of(entries);
        return Some(finish_eval(sc, lineno, step, values, "evaluation line"));
    }
    let (step, dict) = match pylit::parse_eval_tail(&line[pos..]) {
        Ok(parts) => parts,
        Err(e) => {
            let column = line_column(line, pos, e.column);
            sc.warn(
                lineno,
                format!(
                    "malformed evaluation line, skipped: column {column}: {}",
                    e.message
                ),
            );
            return None;
        }
    };
    let Some(step) = step.as_i64() else {
        sc.warn(
            lineno,
            format!("evaluation line skipped: Step is not an integer ({step:?})"),
        );
        return None;
    };
    eval_from_dict(sc, lineno, step, &dict, "evaluation line")
}

fn read_metrics_line<'t>(
    sc: &mut Scanner<'_>,
    lineno: usize,
    line: &'t str,
    pos: usize,
    entries: &mut Vec<fast::Entry<'t>>,
) -> Vec<Eval> {
    // `pos` points at "Metrics:".
    entries.clear();
    let mut ends = Vec::new();
    if fast::parse_metrics_tail(&line[pos..], entries, &mut ends).is_some() {
        let mut start = 0;
        let mut evals = Vec::with_capacity(ends.len());
        for (i, (step, end)) in ends.into_iter().enumerate() {
            let values = sc.values_of(&entries[start..end]);
            start = end;
            let what = format!("Metrics eval_results[{i}]");
            evals.push(finish_eval(sc, lineno, step, values, &what));
        }
        return evals;
    }
    let value = match pylit::parse_metrics_tail(&line[pos..]) {
        Ok(v) => v,
        Err(e) => {
            let column = line_column(line, pos, e.column);
            sc.warn(
                lineno,
                format!(
                    "malformed Metrics line, skipped: column {column}: {}",
                    e.message
                ),
            );
            return Vec::new();
        }
    };
    let items = match value.get("eval_results") {
        Some(PyValue::List(items)) | Some(PyValue::Tuple(items)) => items,
        _ => {
            sc.warn(
                lineno,
                "Metrics line skipped: 'eval_results' is not a list".to_string(),
            );
            return Vec::new();
        }
    };
    let mut evals = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let what = format!("Metrics eval_results[{i}]");
        let (step, dict) = match item {
            PyValue::Tuple(pair) if pair.len() == 2 => (&pair[0], &pair[1]),
            _ => {
                sc.warn(lineno, format!("{what} skipped: not a (step, dict) pair"));
                continue;
            }
        };
        let Some(step) = step.as_i64() else {
            sc.warn(
                lineno,
                format!("{what} skipped: step is not an integer ({step:?})"),
            );
            continue;
        };
        if let Some(eval) = eval_from_dict(sc, lineno, step, dict, &what) {
            evals.push(eval);
        }
    }
    evals
}

/// The columns of one evaluation. Keys that are not strings and values that
/// are not numbers are skipped with a warning (the evaluation is kept).
fn eval_from_dict(
    sc: &mut Scanner<'_>,
    lineno: usize,
    step: i64,
    dict: &PyValue,
    what: &str,
) -> Option<Eval> {
    let PyValue::Dict(pairs) = dict else {
        sc.warn(
            lineno,
            format!("{what} skipped: the evaluation is not a dict"),
        );
        return None;
    };
    let mut values = Vec::with_capacity(pairs.len() + 1);
    for (position, (k, v)) in pairs.iter().enumerate() {
        let PyValue::Str(key) = k else {
            sc.warn(
                lineno,
                format!("{what}: key {k:?} is not a string, entry skipped"),
            );
            continue;
        };
        match v.as_f64() {
            Some(x) => {
                let column = sc.column(position, key);
                put(&mut values, column, x);
            }
            None => sc.warn(
                lineno,
                format!("{what}: value of '{key}' is not a number ({v:?}), entry skipped"),
            ),
        }
    }
    Some(finish_eval(sc, lineno, step, values, what))
}

/// Sets `column` to `x`: a key repeated in a dict keeps its last value, as
/// Python keeps it.
fn put(values: &mut Vec<(u32, f64)>, column: u32, x: f64) {
    match values.iter_mut().find(|(c, _)| *c == column) {
        Some(slot) => slot.1 = x,
        None => values.push((column, x)),
    }
}

/// The evaluation with its `global_step`: the logged step when the dict
/// has none, a warning when the dict's differs (the dict's is kept).
fn finish_eval(
    sc: &mut Scanner<'_>,
    lineno: usize,
    step: i64,
    mut values: Vec<(u32, f64)>,
    what: &str,
) -> Eval {
    let column = sc.intern("global_step");
    match values.iter().find(|(c, _)| *c == column) {
        None => values.push((column, step as f64)),
        Some(&(_, g)) if g != step as f64 => sc.warn(
            lineno,
            format!("{what}: 'global_step' {g} differs from the logged step {step}"),
        ),
        Some(_) => {}
    }
    Eval {
        step,
        values,
        line: lineno,
    }
}

/// `…_MM-DD-YYYY-HH-MM-SS.log` → `YYYYMMDDhhmmss`, so that logs rank by
/// start time across years (their names alone sort by month first).
fn name_timestamp(file: &Path) -> Option<u64> {
    let stem = file.file_stem()?.to_str()?;
    let tail = stem.get(stem.len().checked_sub(19)?..)?;
    let parts: Vec<&str> = tail.split('-').collect();
    if parts.len() != 6
        || [2, 2, 4, 2, 2, 2]
            .iter()
            .zip(&parts)
            .any(|(n, p)| p.len() != *n || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let [mo, d, y, h, mi, s] = [0, 1, 2, 3, 4, 5].map(|i| parts[i].parse::<u64>().unwrap_or(0));
    Some(((((y * 100 + mo) * 100 + d) * 100 + h) * 100 + mi) * 100 + s)
}

// ---------------------------------------------------------------------------
// Merging

fn merge(segments: Vec<Segment>, names: &[String]) -> Vec<LogTrial> {
    let mut by_trial: BTreeMap<u64, Vec<Segment>> = BTreeMap::new();
    for seg in segments {
        by_trial.entry(seg.trial).or_default().push(seg);
    }
    let mut trials = Vec::new();
    for (trial, mut segs) in by_trial {
        segs.sort_by_key(|s| std::cmp::Reverse(s.rank_key()));
        // (file rank, evaluation)
        let mut blocks: Vec<Vec<(usize, Eval)>> = Vec::new();
        let mut frontier = i64::MAX;
        while let Some(idx) = segs.iter().position(|s| s.first_step() < frontier) {
            let seg = segs.remove(idx);
            let rank = seg.file_rank;
            let taken: Vec<(usize, Eval)> = seg
                .evals
                .into_iter()
                .filter(|e| e.step < frontier)
                .map(|e| (rank, e))
                .collect();
            if let Some((_, first)) = taken.first() {
                frontier = first.step;
            }
            blocks.push(taken);
        }
        let (origins, evals): (Vec<(usize, usize)>, Vec<Eval>) = blocks
            .into_iter()
            .rev()
            .flatten()
            .map(|(rank, e)| ((rank, e.line), e))
            .unzip();
        if evals.is_empty() {
            continue;
        }
        trials.push(LogTrial {
            trial: format!("trial_{trial}"),
            columns: columns_of(&evals, names),
            origins,
        });
    }
    trials
}

/// One column per key any evaluation has, NaN where an evaluation lacks it.
fn columns_of(evals: &[Eval], names: &[String]) -> BTreeMap<String, Vec<f64>> {
    let mut slots: Vec<Option<Vec<f64>>> = vec![None; names.len()];
    for (row, eval) in evals.iter().enumerate() {
        for &(column, x) in &eval.values {
            if let Some(slot) = slots.get_mut(column as usize) {
                slot.get_or_insert_with(|| vec![f64::NAN; evals.len()])[row] = x;
            }
        }
    }
    names
        .iter()
        .zip(slots)
        .filter_map(|(name, slot)| slot.map(|column| (name.clone(), column)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_names() {
        assert_eq!(
            name_timestamp(Path::new("x/criteo1tb_pytorch_03-16-2025-12-46-48.log")),
            Some(20250316124648)
        );
        assert_eq!(name_timestamp(Path::new("a.log")), None);
        assert_eq!(name_timestamp(Path::new("é-12-2025-12-46-48.log")), None);
    }

    #[test]
    fn candidate_lines_match_a_line_by_line_scan() {
        let text = "a\r\n--- Tuning run 1/2 ---\r\nx\n\nTime since start: 1s Time since start:\n\
                    y Metrics: {'eval_results': []}\nz\n--- Tuning run 2/2 ---";
        let naive: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                [TUNING_MARK, EVAL_MARK, METRICS_MARK]
                    .iter()
                    .any(|m| l.contains(m))
            })
            .map(|(i, l)| (i + 1, l))
            .collect();
        assert_eq!(candidate_lines(text).collect::<Vec<_>>(), naive);
        assert_eq!(naive.len(), 4);
    }

    #[test]
    fn tuning_run_lines() {
        assert_eq!(tuning_run("I0 x.py:1] --- Tuning run 3/5 ---"), Some(3));
        assert_eq!(
            tuning_run("    logging.info(f'--- Tuning run {hi + 1}/{n} ---')"),
            None
        );
    }
}
