//! `check`'s three outputs: the terminal (grouped by code, with counts),
//! one JSON document (`schema/check.schema.json`), and GitHub Actions
//! workflow commands (annotations on a pull request's files).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use super::{Code, Finding, Report, Severity};
use crate::diagnostics::escape_controls;
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

/// The JSON document of a check.
pub fn json(report: &Report, spec: &Spec, checked: &[PathBuf]) -> serde_json::Value {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        *counts.entry(f.code.name()).or_default() += 1;
    }
    let findings: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "code": f.code.name(),
                "severity": f.severity().name(),
                "file": f.file.as_ref().map(|p| p.display().to_string()),
                "line": f.line,
                "message": f.message,
            })
        })
        .collect();
    serde_json::json!({
        "spec": {
            "path": spec.path.display().to_string(),
            "name": spec.name,
            "version": spec.version,
            "ruleset": spec.ruleset,
        },
        "checked": checked.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "submissions": report.submissions,
        "errors": report.count(Severity::Error),
        "warnings": report.count(Severity::Warning),
        "counts": counts,
        "findings": findings,
    })
}

/// One workflow command per finding:
/// `::error file=F,line=L,title=CODE::message` (`::warning` for warnings;
/// `file` and `line` only where known).
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let mut props = Vec::new();
        if let Some(file) = &f.file {
            props.push(format!(
                "file={}",
                escape_property(&file.display().to_string())
            ));
        }
        if let Some(line) = f.line {
            props.push(format!("line={line}"));
        }
        props.push(format!("title={}", escape_property(f.code.name())));
        let _ = writeln!(
            out,
            "::{} {}::{}",
            f.severity().name(),
            props.join(","),
            escape_data(&f.message)
        );
    }
    out
}

/// A workflow command's message: `%`, `\r` and `\n` escaped (GitHub's
/// `escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as [`escape_data`], and `:` and `,`
/// too (GitHub's `escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
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
