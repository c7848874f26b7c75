//! `spec check` and `spec explain`: commands on a spec alone.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostics::model::{Diagnostic, Severity};
use crate::error::Result;
use crate::run::error::RunError;
use crate::spec::{Spec, SpecError};

/// One file's verdict.
#[derive(Debug)]
pub struct SpecVerdict {
    pub file: PathBuf,
    /// The loaded spec, or every problem found in it.
    pub outcome: Result<Spec>,
    /// Its errors, or the loaded spec's warnings, in the one model.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and checks each file; with `strict`, a spec's warnings (steps
/// that can never act) fail it.
pub fn check(files: &[PathBuf], strict: bool) -> Vec<SpecVerdict> {
    (files.iter())
        .map(|f| {
            let loaded = crate::spec::load(f);
            let diagnostics = match &loaded {
                Ok(s) => s.warnings.iter().map(SpecError::as_warning).collect(),
                Err(e) => e.0.iter().map(Diagnostic::from).collect(),
            };
            SpecVerdict {
                file: f.clone(),
                outcome: loaded
                    .and_then(|s| crate::spec::strict(s, strict))
                    .map_err(Into::into),
                diagnostics,
            }
        })
        .collect()
}

/// `spec check --format json`: every spec file checked and every problem
/// found in them.
///
/// A file fails on a spec error, or with --strict on a spec warning.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpecCheckDoc {
    /// Each file, in the order given, and whether it passed.
    pub files: Vec<SpecFileVerdict>,
    /// Number of spec errors.
    pub errors: usize,
    /// Number of spec warnings.
    pub warnings: usize,
    /// The errors and warnings, file by file (as the one diagnostic model
    /// writes them).
    pub diagnostics: Vec<Diagnostic>,
}

/// One file checked.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpecFileVerdict {
    /// The path (or shipped name) as given.
    pub file: String,
    pub ok: bool,
}

/// The document of a `spec check`.
pub fn check_document(verdicts: &[SpecVerdict]) -> SpecCheckDoc {
    let diagnostics: Vec<Diagnostic> = (verdicts.iter())
        .flat_map(|v| v.diagnostics.iter().cloned())
        .collect();
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    SpecCheckDoc {
        files: (verdicts.iter())
            .map(|v| SpecFileVerdict {
                file: v.file.display().to_string(),
                ok: v.outcome.is_ok(),
            })
            .collect(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        diagnostics,
    }
}

/// One file's `spec test` run: its report, or why it could not run.
pub type TestRun = (
    PathBuf,
    std::result::Result<crate::spec_test::FileResult, String>,
);

/// `spec test FILE…`: runs each spec's tests (a `NAME.test.toml` given
/// beside its spec is run once, through the spec).
pub fn test(files: &[PathBuf]) -> Vec<TestRun> {
    (files.iter())
        .filter(|f| !is_test_file_of_listed_spec(f, files))
        .map(|f| (f.clone(), crate::spec_test::run_file(f)))
        .collect()
}

fn is_test_file_of_listed_spec(f: &std::path::Path, files: &[PathBuf]) -> bool {
    let name = f.to_string_lossy();
    name.ends_with(".test.toml")
        && files
            .iter()
            .any(|g| *g != *f && crate::spec_test::test_file_of(g) == *f)
}

/// The error a test run ends with when any file failed or could not run.
pub fn tests_failed(runs: &[TestRun]) -> Result<()> {
    let failed = (runs.iter())
        .filter(|(_, r)| r.as_ref().map_or(true, |r| r.failed() > 0))
        .count();
    if failed == 0 {
        return Ok(());
    }
    Err(RunError::SpecsFailed {
        failed,
        total: runs.len(),
    }
    .into())
}

/// The error a check of several files ends with when any failed.
pub fn failed(verdicts: &[SpecVerdict]) -> Result<()> {
    let failed = verdicts.iter().filter(|v| v.outcome.is_err()).count();
    if failed == 0 {
        return Ok(());
    }
    Err(RunError::SpecsFailed {
        failed,
        total: verdicts.len(),
    }
    .into())
}

/// Loads a spec to explain it (its text: [`crate::spec::explain`]; its
/// document: [`crate::spec::explain_document`]).
pub fn explain(file: &std::path::Path) -> Result<Spec> {
    Ok(crate::spec::load(file)?)
}

/// `spec list`: every shipped spec, (name, description), in name order.
pub fn list() -> Result<Vec<(String, String)>> {
    (crate::spec::shipped::ruleset_names().into_iter())
        .map(|name| {
            let spec = crate::spec::load(std::path::Path::new(name))?;
            Ok((name.to_string(), spec.description.unwrap_or_default()))
        })
        .collect()
}

/// `spec show NAME`: the text of a shipped spec or targets file; an unknown
/// name is an error listing the shipped ones.
pub fn show(name: &str) -> Result<&'static str> {
    crate::spec::shipped::text(name).ok_or_else(|| {
        RunError::NotShipped {
            message: format!("`{name}`: {}", crate::spec::shipped::unknown_message(name)),
        }
        .into()
    })
}

/// `spec fmt FILE…`: rewrite each file in canonical form, or with `check`
/// only say which are not.
#[derive(Debug, Clone, Default)]
pub struct FmtRequest {
    pub files: Vec<PathBuf>,
    pub check: bool,
}

/// What `spec fmt` did with one file.
#[derive(Debug)]
pub enum FmtOutcome {
    /// Already in canonical form (not written).
    Unchanged,
    /// Rewritten in canonical form.
    Formatted,
    /// Not in canonical form (`--check`: not written).
    WouldChange,
    /// Not TOML, not a file, or not writable.
    Failed(crate::error::Error),
}

/// One file's outcome.
#[derive(Debug)]
pub struct FmtFile {
    pub file: PathBuf,
    pub outcome: FmtOutcome,
}

/// Formats each named file ([`crate::spec::fmt`]); a file is written only
/// when its text changes, whole or not at all, and nothing else is written.
pub fn fmt(request: &FmtRequest) -> Vec<FmtFile> {
    (request.files.iter())
        .map(|file| FmtFile {
            file: file.clone(),
            outcome: fmt_one(file, request.check).unwrap_or_else(FmtOutcome::Failed),
        })
        .collect()
}

fn fmt_one(file: &std::path::Path, check: bool) -> Result<FmtOutcome> {
    if !file.is_file() {
        let message = "not a file: `spec fmt` rewrites spec files (for a shipped spec, `spec show NAME > FILE` first)";
        return Err(
            crate::spec::SpecErrors::from(crate::spec::SpecError::whole_file(file, message)).into(),
        );
    }
    let text = crate::spec::shipped::read(file).map_err(|e| {
        crate::spec::SpecErrors::from(crate::spec::SpecError::whole_file(
            file,
            format!("cannot read: {e}"),
        ))
    })?;
    let formatted = crate::spec::fmt::format(file, &text).map_err(crate::spec::SpecErrors::from)?;
    if formatted == text {
        return Ok(FmtOutcome::Unchanged);
    }
    if check {
        return Ok(FmtOutcome::WouldChange);
    }
    // Through a symbolic link to the file it names (`write_file` would
    // replace the link itself).
    let target = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    crate::fs::write_file(&target, formatted.as_bytes())?;
    Ok(FmtOutcome::Formatted)
}

/// The error `spec fmt` ends with when a file would change (`--check`) or
/// could not be formatted.
pub fn fmt_failed(files: &[FmtFile]) -> Result<()> {
    let count = |f: fn(&FmtOutcome) -> bool| files.iter().filter(|x| f(&x.outcome)).count();
    let unformatted = count(|o| matches!(o, FmtOutcome::WouldChange));
    let broken = count(|o| matches!(o, FmtOutcome::Failed(_)));
    if unformatted + broken == 0 {
        return Ok(());
    }
    Err(RunError::SpecsUnformatted {
        unformatted,
        broken,
        total: files.len(),
    }
    .into())
}

/// `spec diff A B`: the two specs, and with `scores` what `compare` shows
/// for them on that submissions tree.
#[derive(Debug, Clone, Default)]
pub struct DiffRequest {
    pub a: PathBuf,
    pub b: PathBuf,
    pub scores: Option<PathBuf>,
    pub read: super::ReadRequest,
}

/// `spec diff --format json` (schema/spec-diff.schema.json).
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct SpecDiffDoc {
    pub engine: crate::version::Engine,
    /// Spec A and spec B, as named.
    pub a: String,
    pub b: String,
    /// Whether no key differs.
    pub same: bool,
    /// Every key that differs or only one spec has, in the reference's
    /// order (A's keys, then B's own).
    pub keys: Vec<crate::spec::diff::KeyChange>,
    /// With `--scores DIR`: the two leaderboards compared, as `compare
    /// --format json` writes them.
    pub scores: Option<crate::report::compare::CompareDoc>,
}

/// The document, and for the text output the comparison it came from.
#[derive(Debug, Clone)]
pub struct SpecDiffed {
    pub doc: SpecDiffDoc,
    pub compared: Option<super::compare::Compared>,
}

/// Compares two specs key by key, and scores both on `scores` when given.
pub fn diff(request: &DiffRequest, progress: &dyn crate::ingest::Progress) -> Result<SpecDiffed> {
    let (_, _, keys) = crate::spec::diff::diff(&request.a, &request.b)?;
    let compared = match &request.scores {
        Some(tree) => Some(super::compare::compare(
            &super::compare::CompareRequest {
                specs: vec![request.a.clone(), request.b.clone()],
                submissions: tree.clone(),
                submissions_b: None,
                read: request.read.clone(),
            },
            progress,
        )?),
        None => None,
    };
    let doc = SpecDiffDoc {
        engine: crate::version::Engine::default(),
        a: request.a.display().to_string(),
        b: request.b.display().to_string(),
        same: keys.is_empty(),
        keys,
        scores: (compared.as_ref()).map(|c| crate::report::compare::document(&c.comparison)),
    };
    Ok(SpecDiffed { doc, compared })
}

/// The error `spec diff` ends with when the specs differ (exit status 1).
pub fn differ(doc: &SpecDiffDoc) -> Result<()> {
    if doc.same {
        return Ok(());
    }
    Err(RunError::SpecsDiffer {
        keys: doc.keys.len(),
    }
    .into())
}

/// The text of `spec diff`: one line a key, `A → B`.
pub fn diff_text(doc: &SpecDiffDoc) -> String {
    if doc.same {
        return format!("{} and {}: the same spec\n", doc.a, doc.b);
    }
    let n = doc.keys.len();
    let mut out = format!(
        "{} → {}: {n} key{} differ{}\n",
        doc.a,
        doc.b,
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" }
    );
    for k in &doc.keys {
        let side = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".into());
        out.push_str(&format!("  {}: {} → {}\n", k.key, side(&k.a), side(&k.b)));
    }
    out
}
