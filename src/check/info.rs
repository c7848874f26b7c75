//! `submission_info.yml` checks: the fields the leaderboard's pull-request
//! template requires, the ruleset, and the folder.
//!
//! Where the file is looked for: `<info-dir>/<submission>/` with
//! `--info-dir` (the layout of the submissions repository's metadata),
//! else the submission folder itself. A missing file is a finding only with
//! `--info-dir` or `--require-info`: a logs tree (like the published v0.5
//! one) has none, and checking its logs alone is a legitimate job.

use std::path::Path;

use super::{Code, Finding, Options};
use crate::report::info::{self, INFO_FILE};
use crate::spec::Spec;

/// Checks one submission's info file, if it has one or one is required.
pub fn info_findings(
    spec: &Spec,
    name: &str,
    folder: &Path,
    options: &Options,
    out: &mut Vec<Finding>,
) {
    let path = match &options.info_dir {
        Some(dir) => dir.join(name).join(INFO_FILE),
        None => folder.join(INFO_FILE),
    };
    let Some((text, parsed)) = read_info(name, &path, options, out) else {
        return;
    };
    let fields = [
        ("submission_name", &parsed.name),
        ("submission_folder", &parsed.folder),
        ("authors", &parsed.authors),
        ("ruleset", &parsed.ruleset),
        ("framework", &parsed.framework),
    ];
    for (key, value) in fields {
        if value.is_empty() {
            let message = format!("no `{key}` (or it is empty)");
            out.push(Finding::new(
                Code::InfoFieldMissing,
                &path,
                key_line(&text, key),
                message,
            ));
        }
    }
    if !parsed.ruleset.is_empty() && ruleset_key(&parsed.ruleset) != ruleset_key(&spec.ruleset) {
        out.push(Finding::new(
            Code::InfoRuleset,
            &path,
            key_line(&text, "ruleset"),
            format!(
                "ruleset `{}` is not the spec's `{}`",
                parsed.ruleset, spec.ruleset
            ),
        ));
    }
    let last = parsed.folder.trim_end_matches('/').rsplit('/').next();
    if !parsed.folder.is_empty() && last != Some(name) {
        out.push(Finding::new(
            Code::InfoFolder,
            &path,
            key_line(&text, "submission_folder"),
            format!(
                "submission_folder `{}` is not the submission's folder `{name}`",
                parsed.folder
            ),
        ));
    }
}

/// Reads and parses the info file, or records why it cannot be checked:
/// missing (a finding only when one is required), unreadable, not YAML
/// (with the YAML error's line), or not a mapping. `None` means there is
/// nothing further to check.
fn read_info(
    name: &str,
    path: &Path,
    options: &Options,
    out: &mut Vec<Finding>,
) -> Option<(String, info::SubmissionInfo)> {
    let text = match info::read_text(path) {
        Ok(Some(text)) => text,
        Ok(None) => {
            if options.info_dir.is_some() || options.require_info {
                out.push(Finding::new(
                    Code::InfoMissing,
                    path,
                    None,
                    format!("no {INFO_FILE} for submission `{name}`"),
                ));
            }
            return None;
        }
        Err(problem) => {
            let message = problem.to_string();
            out.push(Finding::new(Code::InfoUnreadable, path, None, message));
            return None;
        }
    };
    // The YAML error's line, which info::parse's message only has as text.
    if let Err(e) = serde_norway::from_str::<serde_norway::Value>(&text) {
        let line = e.location().map(|l| l.line() as u64);
        let message = format!("not valid YAML: {e}");
        out.push(Finding::new(Code::InfoUnreadable, path, line, message));
        return None;
    }
    let parsed = match info::parse(path, &text) {
        Ok(parsed) => parsed,
        Err(_) => {
            let message = "not a mapping of keys (submission_name: …, authors: …)".to_string();
            out.push(Finding::new(Code::InfoUnreadable, path, None, message));
            return None;
        }
    };
    Some((text, parsed))
}

/// A ruleset name compared: lower case, `-` and spaces as `_`, without a
/// trailing `_tuning` (the template writes `external`, specs
/// `external_tuning`).
fn ruleset_key(name: &str) -> String {
    let key: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect();
    key.strip_suffix("_tuning").unwrap_or(&key).to_string()
}

/// The 1-based line where a top-level `key:` is written.
fn key_line(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rulesets_match_as_the_template_writes_them() {
        assert_eq!(ruleset_key("external"), ruleset_key("external_tuning"));
        assert_eq!(ruleset_key("self-tuning"), ruleset_key("self_tuning"));
        assert_ne!(ruleset_key("external"), ruleset_key("self_tuning"));
    }

    #[test]
    fn key_lines() {
        let text = "a: 1\nruleset : x\n  ruleset: nested\n";
        assert_eq!(key_line(text, "ruleset"), Some(2));
        assert_eq!(key_line(text, "b"), None);
    }
}
