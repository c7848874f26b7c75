//! `spec test`: a spec's own tests. Beside `NAME.toml` a file
//! `NAME.test.toml` names small submissions trees (written inline, or a
//! folder next to it) and what scoring them under the spec must give:
//! scores, cells of the time matrix (as read, and after the rule steps),
//! ratios, warnings, or an error. `spec test` builds each tree in a
//! temporary folder, scores it with the engine, and shows every value that
//! differs.
//!
//! The tests live in their own file rather than in the spec: a spec is
//! merged key by key through `extends`, so tests written in it would be
//! inherited by every child (where they no longer hold), and its tables are
//! closed (an unknown key is an error), which keeps typos out of specs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ingest::{self, Selection, Silent};
use crate::numeric::py_repr;
use crate::score;
use crate::spec::{self, Spec};

/// A test file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    /// The spec under test, relative to the test file (default: the test
    /// file's name without `.test`).
    #[serde(default)]
    spec: Option<String>,
    /// Relative tolerance of every number compared (default 1e-12).
    #[serde(default)]
    tolerance: Option<f64>,
    #[serde(default, rename = "case")]
    cases: Vec<Case>,
}

/// One tree and what it must give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// Which rule of the spec the case is for, in words.
    #[serde(default)]
    about: Option<String>,
    /// A submissions folder beside the test file, copied first.
    #[serde(default)]
    tree: Option<String>,
    /// Trial folder (`SUB/STUDY/WORKLOAD_FRAMEWORK/TRIAL`) → rows of
    /// `[time, metric]`: written as its `eval_measurements.csv` with the
    /// spec's columns (step 10, 20, …; summary time = time).
    #[serde(default)]
    trials: BTreeMap<String, Vec<[f64; 2]>>,
    /// File (relative to the tree) → its text, for anything else.
    #[serde(default)]
    files: BTreeMap<String, String>,
    expect: Expect,
}

/// What a case must give; every part is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// Submission → score.
    #[serde(default)]
    scores: BTreeMap<String, f64>,
    /// `SUB/WORKLOAD` → the time matrix as read (`time_to_targets.csv`).
    #[serde(default)]
    times: BTreeMap<String, f64>,
    /// `SUB/WORKLOAD` → the matrix after the last rule step.
    #[serde(default)]
    after_steps: BTreeMap<String, f64>,
    /// `SUB/WORKLOAD` → the ratio of a base workload.
    #[serde(default)]
    ratios: BTreeMap<String, f64>,
    /// Texts each found in the rendered warnings.
    #[serde(default)]
    warnings: Vec<String>,
    /// A text found in the error the case must end with.
    #[serde(default)]
    error: Option<String>,
}

/// The outcome of one case: no differences when it passed.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub name: String,
    /// The rule the case is for, shown when it fails.
    pub about: Option<String>,
    /// One line per value that differs: `what: expected X, got Y`.
    pub differences: Vec<String>,
}

/// The outcome of one test file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileResult {
    pub file: PathBuf,
    pub spec: PathBuf,
    pub cases: Vec<CaseResult>,
}

impl FileResult {
    pub fn failed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| !c.differences.is_empty())
            .count()
    }

    /// `case NAME ... ok` / `FAILED` with its differences, one line each.
    pub fn render(&self) -> String {
        let mut out = format!("{} (spec {})\n", self.file.display(), self.spec.display());
        for c in &self.cases {
            if c.differences.is_empty() {
                out.push_str(&format!("  case {} ... ok\n", c.name));
            } else {
                out.push_str(&format!("  case {} ... FAILED\n", c.name));
                if let Some(about) = &c.about {
                    out.push_str(&format!("    ({about})\n"));
                }
                for d in &c.differences {
                    out.push_str(&format!("    - {d}\n"));
                }
            }
        }
        out.push_str(&format!(
            "  {} passed, {} failed\n",
            self.cases.len() - self.failed(),
            self.failed()
        ));
        out
    }
}

/// The test file of `path`: itself when it ends in `.test.toml`, else
/// `NAME.test.toml` beside `NAME.toml`, or in a `tests` folder beside it
/// (where the published rulesets keep theirs, so that `rulesets/*.toml`
/// still lists specs only).
pub fn test_file_of(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with(".test.toml") {
        return path.to_path_buf();
    }
    let stem = name.strip_suffix(".toml").unwrap_or(name);
    let beside = path.with_file_name(format!("{stem}.test.toml"));
    let in_tests = path
        .parent()
        .unwrap_or(Path::new(""))
        .join("tests")
        .join(format!("{stem}.test.toml"));
    if !beside.exists() && in_tests.exists() {
        return in_tests;
    }
    beside
}

/// Runs the tests of `path` (a spec or its test file).
pub fn run_file(path: &Path) -> Result<FileResult, String> {
    let file = test_file_of(path);
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("{}: cannot read the spec's tests: {e}", file.display()))?;
    let tests: TestFile = toml::from_str(&text).map_err(|e| {
        let err =
            spec::SpecError::whole_file(&file, spec::diagnostic::plain_toml_message(e.message()));
        match e.span() {
            Some(r) => spec::SpecError::at(&file, &text, r.start, r.end, err.message).to_string(),
            None => err.to_string(),
        }
    })?;
    let spec_path = match &tests.spec {
        Some(rel) => file.parent().unwrap_or(Path::new(".")).join(rel),
        None => {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let spec_name = name.replace(".test.toml", ".toml");
            let beside = file.with_file_name(&spec_name);
            let parent = file.parent().unwrap_or(Path::new(""));
            match parent.parent() {
                Some(up) if !beside.exists() && parent.ends_with("tests") => up.join(&spec_name),
                _ => beside,
            }
        }
    };
    if tests.cases.is_empty() {
        return Err(format!("{}: no [[case]] to run", file.display()));
    }
    let spec = spec::load(&spec_path).map_err(|e| e.to_string())?;
    let tolerance = tests.tolerance.unwrap_or(1e-12);
    let cases = tests
        .cases
        .iter()
        .map(|c| run_case(c, &spec, &file, tolerance))
        .collect::<Result<Vec<_>, String>>()?;
    Ok(FileResult {
        file,
        spec: spec_path,
        cases,
    })
}

/// Builds one case's tree in a temporary folder and compares.
fn run_case(case: &Case, spec: &Spec, file: &Path, tolerance: f64) -> Result<CaseResult, String> {
    let dir = tempdir()?;
    let root = dir.0.join("submissions");
    write_tree(case, spec, file, &root)?;
    let differences = match score_tree(&root, spec) {
        Ok((lb, warnings)) => compare(&case.expect, &lb, &warnings, tolerance),
        Err(e) => match &case.expect.error {
            Some(want) if e.contains(want.as_str()) => Vec::new(),
            Some(want) => vec![format!("error: expected one containing `{want}`, got: {e}")],
            None => vec![format!("error: expected none, got: {e}")],
        },
    };
    Ok(CaseResult {
        name: case.name.clone(),
        about: case.about.clone(),
        differences,
    })
}

/// A temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir() -> Result<TempDir, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("algoperf-spec-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(TempDir(path))
}

/// Writes the case's tree: the folder it names, its files, its trials.
fn write_tree(case: &Case, spec: &Spec, file: &Path, root: &Path) -> Result<(), String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir_all(root).map_err(|e| io(root, e))?;
    if let Some(tree) = &case.tree {
        let from = file.parent().unwrap_or(Path::new(".")).join(tree);
        copy_dir(&from, root).map_err(|e| io(&from, e))?;
    }
    for (rel, text) in &case.files {
        write(&root.join(rel), text)?;
    }
    for (rel, rows) in &case.trials {
        let csv = trial_csv(spec, rel, rows).map_err(|m| {
            format!(
                "{}: case `{}`, trial `{rel}`: {m}",
                file.display(),
                case.name
            )
        })?;
        write(&root.join(rel).join("eval_measurements.csv"), &csv)?;
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// A trial's `eval_measurements.csv` in the spec's columns.
fn trial_csv(spec: &Spec, rel: &str, rows: &[[f64; 2]]) -> Result<String, String> {
    let folder = rel
        .split('/')
        .nth(2)
        .ok_or("expected SUB/STUDY/WORKLOAD_FRAMEWORK/TRIAL")?;
    let workload = spec
        .workload_of_folder(folder)
        .ok_or_else(|| format!("`{folder}` is no <workload>_<framework> folder of the spec"))?;
    let target = spec
        .targets
        .get(workload)
        .ok_or_else(|| format!("workload `{workload}` has no target"))?;
    let c = &spec.columns;
    let mut csv = format!(
        "{},{},{},{}\n",
        c.step, c.summary_time, c.time, target.column
    );
    for (i, [time, metric]) in rows.iter().enumerate() {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            (i + 1) * 10,
            py_repr(*time),
            py_repr(*time),
            py_repr(*metric)
        ));
    }
    Ok(csv)
}

/// Reads and scores a tree: the leaderboard and the rendered warnings.
fn score_tree(root: &Path, spec: &Spec) -> Result<(score::Leaderboard, String), String> {
    let ingested =
        ingest::ingest(root, spec, &Selection::default(), &Silent).map_err(|e| e.to_string())?;
    let mut warnings = ingested.warnings.clone();
    let lb = score::score(&ingested, spec, &mut warnings).map_err(|e| e.to_string())?;
    Ok((lb, warnings.render()))
}

/// What to call a matrix, its expected cells, the matrix, its columns.
type Cells<'a> = (
    &'a str,
    &'a BTreeMap<String, f64>,
    Option<&'a nalgebra::DMatrix<f64>>,
    &'a [String],
);

/// Every expected value against what scoring gave.
fn compare(
    expect: &Expect,
    lb: &score::Leaderboard,
    warnings: &str,
    tolerance: f64,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &expect.error {
        out.push(format!("error: expected one containing `{e}`, got none"));
    }
    for (sub, want) in &expect.scores {
        let got = lb.row(sub).map(|r| lb.rules.scores[r]);
        differ(&mut out, &format!("score of {sub}"), *want, got, tolerance);
    }
    let matrices: [Cells; 3] = [
        (
            "time",
            &expect.times,
            Some(&lb.time_to_targets),
            &lb.workloads,
        ),
        (
            "after the steps",
            &expect.after_steps,
            lb.rules
                .steps
                .last()
                .map(|s| &s.matrix)
                .or(Some(&lb.time_to_targets)),
            &lb.workloads,
        ),
        (
            "ratio",
            &expect.ratios,
            Some(&lb.rules.ratios),
            &lb.rules.base,
        ),
    ];
    for (what, cells, matrix, columns) in matrices {
        for (cell, want) in cells {
            let got = cell_of(lb, matrix, columns, cell);
            differ(&mut out, &format!("{what} {cell}"), *want, got, tolerance);
        }
    }
    for w in &expect.warnings {
        if !warnings.contains(w.as_str()) {
            out.push(format!(
                "warning: expected one containing `{w}`, got: {}",
                if warnings.is_empty() {
                    "none".to_string()
                } else {
                    warnings.trim_end().replace('\n', " | ")
                }
            ));
        }
    }
    out
}

/// A `SUB/WORKLOAD` cell of a matrix.
fn cell_of(
    lb: &score::Leaderboard,
    matrix: Option<&nalgebra::DMatrix<f64>>,
    columns: &[String],
    cell: &str,
) -> Option<f64> {
    let (sub, workload) = cell.split_once('/')?;
    let r = lb.row(sub)?;
    let c = columns.iter().position(|w| w == workload)?;
    matrix.map(|m| m[(r, c)])
}

/// Records `what` when `got` is missing or not within `tolerance` of `want`.
fn differ(out: &mut Vec<String>, what: &str, want: f64, got: Option<f64>, tolerance: f64) {
    let Some(got) = got else {
        out.push(format!(
            "{what}: expected {}, got nothing (no such row or column)",
            py_repr(want)
        ));
        return;
    };
    let same = want == got
        || (want.is_nan() && got.is_nan())
        || (want - got).abs() <= tolerance * want.abs().max(got.abs());
    if !same {
        out.push(format!(
            "{what}: expected {}, got {}",
            py_repr(want),
            py_repr(got)
        ));
    }
}
