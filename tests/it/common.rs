//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The real AlgoPerf data: `$ALGOPERF_DATA`, else `../shared/algoperf`.
/// Missing data fails the test under CI (so parity can never be skipped
/// silently there) and skips it elsewhere.
pub fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ALGOPERF_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/algoperf"));
    if dir.join("logs").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "AlgoPerf data not found at {} (set ALGOPERF_DATA): parity tests cannot be skipped in CI",
            dir.display()
        );
    }
    eprintln!("skipping: AlgoPerf data not found at {}", dir.display());
    None
}

/// A file of the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Reads a CSV into (header, rows of strings).
pub fn read_csv_bytes(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_csv_bytes(&bytes)
}

/// Parses a cell as pandas writes it ("" is NaN).
pub fn cell(s: &str) -> f64 {
    if s.is_empty() {
        f64::NAN
    } else {
        s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
    }
}

/// Equal within relative `tol`; NaN equals NaN, ∞ equals ∞ of the same sign.
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a.is_infinite() || b.is_infinite() {
        return a == b;
    }
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1e-300) || a == b
}

/// Writes a temporary copy of a ruleset with one line replaced, in the
/// rulesets folder's place so its relative targets path still resolves.
pub fn spec_variant(base: &str, from: &str, to: &str) -> (tempfile::TempDir, PathBuf) {
    let text = std::fs::read_to_string(repo(base)).expect("ruleset");
    assert!(text.contains(from), "{base} has no `{from}`");
    let text = text.replace(from, to);
    let dir = tempfile::tempdir().expect("tempdir");
    let rulesets = dir.path().join("rulesets");
    std::fs::create_dir_all(&rulesets).expect("mkdir");
    // Every published ruleset, for the ones that `extends` another.
    for entry in std::fs::read_dir(repo("rulesets")).expect("rulesets") {
        let entry = entry.expect("entry");
        if entry.path().is_dir() {
            continue; // rulesets/tests: the specs' own tests
        }
        std::fs::copy(entry.path(), rulesets.join(entry.file_name())).expect("copy");
    }
    let targets = dir.path().join("targets");
    std::fs::create_dir_all(&targets).expect("mkdir");
    for entry in std::fs::read_dir(repo("targets")).expect("targets") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), targets.join(entry.file_name())).expect("copy");
    }
    let path = rulesets.join(Path::new(base).file_name().expect("name"));
    std::fs::write(&path, text).expect("write");
    (dir, path)
}

/// A copy of a published ruleset with one replacement, loaded; returns the
/// rendered error with the temporary folder replaced by SPEC / RULESETS.
pub fn spec_error(ruleset: &str, from: &str, to: &str) -> String {
    let (_dir, path) = spec_variant(ruleset, from, to);
    let e = algoperf_engine::spec::load(&path).expect_err("must fail");
    e.to_string()
        .replace(&path.display().to_string(), "SPEC")
        .replace(
            &path.parent().expect("dir").display().to_string(),
            "RULESETS",
        )
        // The targets path is shown normalised (`rulesets/../targets/…` as
        // `targets/…`): the copy's root.
        .replace(
            &path
                .parent()
                .and_then(|d| d.parent())
                .expect("root")
                .display()
                .to_string(),
            "ROOT",
        )
}
