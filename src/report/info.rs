//! `submission_info.yml`: a submission's leaderboard metadata (name,
//! authors, affiliations, framework, description), as the AlgoPerf
//! submissions repository keeps it:
//!
//! ```yaml
//! submission_name: Baseline
//! submission_folder: baseline
//! authors: Algorithms Working Group
//! affiliations: MLCommons
//! version: '1.0'
//! ruleset: external
//! framework: JAX
//! description: >-
//!   Baseline using NadamW …
//! ```
//!
//! A submission's file is `<info-dir>/<submission>/submission_info.yml`.
//! Unknown keys are ignored; a key may hold a string, a number or a list of
//! strings (joined with ", "). An optional `logs` key, an http(s) URL,
//! overrides the link to the submission's logs in the leaderboard table
//! and page (any other link there is not written).

use std::path::{Path, PathBuf};

use serde_norway::Value;

use super::error::{InfoProblem, ReportError};
use crate::error::Result;

/// The file name of a submission's metadata.
pub const INFO_FILE: &str = "submission_info.yml";

/// One submission's metadata. Missing keys are empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionInfo {
    /// The file it was read from.
    pub path: PathBuf,
    pub name: String,
    pub authors: String,
    pub affiliations: String,
    pub framework: String,
    pub description: String,
    /// `submission_folder`: the folder the submission is in (a path in the
    /// submissions repository; its last part is the folder's name).
    pub folder: String,
    /// `ruleset` as the pull-request template writes it (`external`,
    /// `self-tuning`).
    pub ruleset: String,
    /// Where the submission's logs are, if given (used only when it is an
    /// http(s) URL).
    pub logs: Option<String>,
}

fn text(map: &serde_norway::Mapping, key: &str) -> String {
    fn scalar(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    match map.get(key) {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(scalar)
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Tagged(t)) => scalar(&t.value).unwrap_or_default(),
        Some(v) => scalar(v).unwrap_or_default(),
        None => String::new(),
    }
    .trim()
    .to_string()
}

/// Parses the text of a `submission_info.yml`; `path` names it in errors.
pub fn parse(path: &Path, yaml: &str) -> Result<SubmissionInfo> {
    let problem = |problem| ReportError::Info {
        path: path.to_path_buf(),
        problem,
    };
    let value: Value = serde_norway::from_str(yaml).map_err(|e| problem(InfoProblem::Yaml(e)))?;
    let Value::Mapping(map) = value else {
        return Err(problem(InfoProblem::NotAMapping).into());
    };
    let logs = text(&map, "logs");
    Ok(SubmissionInfo {
        path: path.to_path_buf(),
        name: text(&map, "submission_name"),
        authors: text(&map, "authors"),
        affiliations: text(&map, "affiliations"),
        framework: text(&map, "framework"),
        description: text(&map, "description"),
        folder: text(&map, "submission_folder"),
        ruleset: text(&map, "ruleset"),
        logs: (!logs.is_empty()).then_some(logs),
    })
}

/// Reads `<info_dir>/<submission>/submission_info.yml`; `None` when the
/// submission has no such file. The file must be a regular file of at most
/// [`MAX_INFO_FILE`](crate::limits::MAX_INFO_FILE) bytes, nested at most
/// [`MAX_INFO_NESTING`](crate::limits::MAX_INFO_NESTING) levels: the YAML
/// parser took 36 s on 200 KB of `[` before its own recursion limit.
pub fn load(info_dir: &Path, submission: &str) -> Result<Option<SubmissionInfo>> {
    let path = info_dir.join(submission).join(INFO_FILE);
    match read_text(&path) {
        Ok(Some(text)) => parse(&path, &text).map(Some),
        Ok(None) => Ok(None),
        Err(problem) => Err(ReportError::Info { path, problem }.into()),
    }
}

/// The text of an info file within the bounds [`load`] names; `None` when
/// there is no such file, else what is wrong with it (without the path).
/// `check` reads info files through this too.
pub fn read_text(path: &Path) -> std::result::Result<Option<String>, InfoProblem> {
    let bytes =
        match crate::limits::read_regular(path, crate::limits::MAX_INFO_FILE, "the limit of") {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(InfoProblem::Unreadable(e)),
        };
    let text = String::from_utf8(bytes).map_err(|_| InfoProblem::NotUtf8)?;
    let depth = crate::limits::Brackets::YAML.deepest(&text);
    if depth > crate::limits::MAX_INFO_NESTING {
        return Err(InfoProblem::TooDeep {
            depth,
            max: crate::limits::MAX_INFO_NESTING,
        });
    }
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_published_format() {
        let yaml = "submission_name: Distributed Shampoo\nsubmission_folder: x\n\
                    authors: >-\n  Hao-Jun Shi, Tsung-Hsien Lee, Yuchen\n  Hao,  Mike Rabbat\n\
                    affiliations: Meta\nversion: 1.0\nframework: PyTorch\n\
                    description: >-\n  Based on [Anil et al.](https://arxiv.org/abs/2002.09018).\n";
        let info = parse(Path::new("i.yml"), yaml).expect("parses");
        assert_eq!(info.name, "Distributed Shampoo");
        assert_eq!(
            info.authors,
            "Hao-Jun Shi, Tsung-Hsien Lee, Yuchen Hao,  Mike Rabbat"
        );
        assert_eq!(info.affiliations, "Meta");
        assert_eq!(info.framework, "PyTorch");
        assert_eq!(
            info.description,
            "Based on [Anil et al.](https://arxiv.org/abs/2002.09018)."
        );
        assert_eq!(info.logs, None);
    }

    #[test]
    fn lists_numbers_and_missing_keys() {
        let yaml = "authors: [A, B]\nframework: 3\nlogs: https://example.org/logs\n";
        let info = parse(Path::new("i.yml"), yaml).expect("parses");
        assert_eq!(info.authors, "A, B");
        assert_eq!(info.framework, "3");
        assert_eq!(info.name, "");
        assert_eq!(info.logs.as_deref(), Some("https://example.org/logs"));
    }

    #[test]
    fn errors_name_the_file() {
        let e = parse(Path::new("dir/submission_info.yml"), "authors: [unclosed\n")
            .expect_err("bad YAML");
        assert!(
            e.to_string().starts_with("dir/submission_info.yml: "),
            "{e}"
        );
        let e = parse(Path::new("dir/submission_info.yml"), "- a\n- b\n").expect_err("a list");
        assert!(e.to_string().contains("dir/submission_info.yml"), "{e}");
    }
}
