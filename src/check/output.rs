//! `check`'s three outputs: the terminal (grouped by code, with counts),
//! one JSON document (`schema/check.schema.json`), and GitHub Actions
//! workflow commands (annotations on a pull request's files).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

use super::{Code, Finding, Report, Severity, CODES};
use crate::diagnostics::escape_controls;
use crate::diagnostics::model::Diagnostic;
pub use crate::diagnostics::model::{escape_data, escape_property};
use crate::report::json::SpecIdentity;
use crate::spec::Spec;

/// The findings grouped by code (errors first), every finding listed under
/// its group, then one summary line.
pub fn terminal(report: &Report) -> String {
    let mut groups: BTreeMap<(Severity, Code), Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        groups.entry((f.severity(), f.code)).or_default().push(f);
    }
    let mut out = String::new();
    for ((severity, code), findings) in &groups {
        let _ = writeln!(
            out,
            "{}[{}] {}× {}",
            severity.name(),
            code.name(),
            findings.len(),
            code.entry().title
        );
        for f in findings {
            // Folder names reach the terminal escaped, each finding on
            // one line.
            let message = escape_controls(&f.message);
            match escape_controls(&f.location()).as_ref() {
                "" => _ = writeln!(out, "  {message}"),
                at => _ = writeln!(out, "  {at}: {message}"),
            }
        }
    }
    if !groups.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// `checked N submissions: E errors, W warnings (codes …)`.
pub fn summary(report: &Report) -> String {
    let n = report.submissions.len();
    let (errors, warnings) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
    );
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut text = format!(
        "checked {}: {}, {}",
        plural(n, "submission"),
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if errors + warnings > 0 {
        text.push_str(" (`algoperf-engine check --explain CODE` says what a code means)");
    }
    text
}

/// `check --format json`: every problem `check` found.
///
/// The problems in the submission folders it was given, sorted by file,
/// line and code. `errors` > 0 fails the check (so do warnings with
/// --deny-warnings).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CheckDoc {
    /// The spec the submissions were checked against.
    pub spec: SpecIdentity,
    /// The paths given to check, as given.
    pub checked: Vec<String>,
    /// The submissions checked, in the order checked.
    pub submissions: Vec<String>,
    /// Number of findings of severity error.
    pub errors: usize,
    /// Number of findings of severity warning.
    pub warnings: usize,
    /// Code → number of findings.
    #[schemars(schema_with = "counts_schema")]
    pub counts: BTreeMap<Code, usize>,
    pub findings: Vec<FindingDoc>,
}

/// One problem: its code, severity, where, and what.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FindingDoc {
    pub code: Code,
    pub severity: Severity,
    /// The file or folder, as the path given joined with the rest; null
    /// when the finding has none.
    pub file: Option<String>,
    /// 1-based line in file, where the problem is on one line.
    #[schemars(range(min = 1))]
    pub line: Option<u64>,
    pub message: String,
}

/// `counts`: only codes as keys, and only codes found (≥ 1).
fn counts_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let code = generator.subschema_for::<Code>();
    schemars::json_schema!({
        "type": "object",
        "propertyNames": code,
        "additionalProperties": {"type": "integer", "minimum": 1}
    })
}

/// A code is its stable name (`stray-entry`).
impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl JsonSchema for Code {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Code".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names: Vec<&str> = CODES.iter().map(|c| c.name()).collect();
        schemars::json_schema!({
            "description": "A stable code; `algoperf-engine check --explain CODE` says what it means.",
            "enum": names
        })
    }
}

impl JsonSchema for Severity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Severity".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let names = [Severity::Error.name(), Severity::Warning.name()];
        schemars::json_schema!({
            "description": "An error fails the check; a warning only with --deny-warnings.",
            "enum": names
        })
    }
}

/// The JSON document of a check.
pub fn json(report: &Report, spec: &Spec, checked: &[PathBuf]) -> CheckDoc {
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for f in &report.findings {
        *counts.entry(f.code).or_default() += 1;
    }
    let findings = (report.findings.iter())
        .map(|f| FindingDoc {
            code: f.code,
            severity: f.severity(),
            file: f.file.as_ref().map(|p| p.display().to_string()),
            line: f.line,
            message: f.message.clone(),
        })
        .collect();
    CheckDoc {
        spec: SpecIdentity::of(spec),
        checked: checked.iter().map(|p| p.display().to_string()).collect(),
        submissions: report.submissions.clone(),
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        counts,
        findings,
    }
}

/// One workflow command per finding:
/// `::error file=F,line=L,title=CODE::message` (`::warning` for warnings;
/// `file` and `line` only where known), as the one diagnostic model
/// renders it.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&Diagnostic::from(f).github());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_does() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
