//! `check`'s three outputs, each the one diagnostic model's renderer for
//! its format ([`crate::diagnostics::model`]): the terminal (grouped by
//! code, with counts), one JSON document (`schema/check.schema.json`, its
//! findings the model's JSON), and GitHub Actions workflow commands
//! (annotations on a pull request's files). What is `check`'s own is the
//! summary line and the document around the findings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

use super::{Code, Finding, Report, Severity};
use crate::diagnostics::model;
pub use crate::diagnostics::model::{escape_data, escape_property};
use crate::report::json::SpecIdentity;
use crate::spec::Spec;

/// The findings grouped by code (errors first), every finding listed under
/// its group, then one summary line.
pub fn terminal(report: &Report) -> String {
    let mut out = model::terminal_grouped(&report.findings);
    if !out.is_empty() {
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
    /// The findings, as the one diagnostic model writes them.
    pub findings: Vec<Finding>,
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

/// The JSON document of a check.
pub fn json(report: &Report, spec: &Spec, checked: &[PathBuf]) -> CheckDoc {
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for f in &report.findings {
        *counts.entry(f.code).or_default() += 1;
    }
    CheckDoc {
        spec: SpecIdentity::of(spec),
        checked: checked.iter().map(|p| p.display().to_string()).collect(),
        submissions: report.submissions.clone(),
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        counts,
        findings: report.findings.clone(),
    }
}

/// One workflow command per finding:
/// `::error file=F,line=L,title=CODE::message` (`::warning` for warnings;
/// `file` and `line` only where known).
pub fn github(report: &Report) -> String {
    model::github_all(&report.findings)
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
