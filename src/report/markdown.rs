//! The leaderboard as a Markdown table in the style of the AlgoPerf
//! leaderboard README, and the in-place update of such a README between
//! `<!-- BEGIN marker -->` and `<!-- END marker -->`.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use super::error::{MarkerProblem, ReportError};
use crate::error::Result;
use crate::report::info::SubmissionInfo;
use crate::score::Leaderboard;

/// What the table shows of one submission beyond its score.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// `submission_info.yml`, if the submission has one.
    pub info: Option<SubmissionInfo>,
    /// The logs link: the info file's `logs`, else a relative link to the
    /// submission's folder; empty for none (an empty cell).
    pub logs: String,
}

/// One table cell of text from a metadata file: whitespace (newlines
/// included) collapsed to single spaces; markup escaped as the HTML page
/// escapes it ([`crate::report::escape::esc`]: `<script>`, `<img onerror>`
/// and a `<!-- END … -->` marker that would break every later `--update`
/// become text); `|` (which ends the cell) and `[`, `]` (which would make a
/// Markdown link, `javascript:` ones included) escaped; other control
/// characters written as escapes.
fn cell(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = crate::report::escape::esc(&text).replace('|', "\\|");
    crate::diagnostics::escape_controls(&links_only_http(&text)).into_owned()
}

/// Brackets escaped, except those of a Markdown link to an http(s) URL
/// (`[Dozat, 2016](https://…)` stays a link; `[x](javascript:…)` is text).
fn links_only_http(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['[', ']']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match http_link_len(rest) {
            Some(n) => {
                out.push_str(&rest[..n]);
                rest = &rest[n..];
            }
            None => {
                out.push('\\');
                out.push_str(&rest[..1]);
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of `[label](http(s)://target)` at the start of `s`, if it is one.
fn http_link_len(s: &str) -> Option<usize> {
    http_markdown_link(s).map(|l| l.len)
}

/// A Markdown link to an http(s) URL: `[label](url)`, `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownLink<'a> {
    pub label: &'a str,
    pub url: &'a str,
    pub len: usize,
}

/// The Markdown link `[label](http(s)://target)` at the start of `s`, if
/// it is one (no `[` in the label, no whitespace in the URL): the one rule
/// of which links a metadata text keeps, for the Markdown table and the
/// HTML page alike; any other scheme stays text.
pub fn http_markdown_link(s: &str) -> Option<MarkdownLink<'_>> {
    let label = s.strip_prefix('[')?;
    let close = label.find(']')?;
    if label[..close].contains('[') {
        return None;
    }
    let target = label[close + 1..].strip_prefix('(')?;
    let end = target.find(')')?;
    let url = &target[..end];
    let http = url.starts_with("https://") || url.starts_with("http://");
    (http && !url.contains(char::is_whitespace)).then_some(MarkdownLink {
        label: &label[..close],
        url,
        len: 1 + close + 2 + end + 1,
    })
}

impl Row {
    /// A submission's row: its info file's `logs` link when that is an
    /// http(s) URL (as on the HTML page; a `javascript:` or other link
    /// from a metadata file is never written), else `tree_link` (the
    /// relative link to its folder the engine makes), else no link.
    pub fn new(info: Option<SubmissionInfo>, tree_link: impl FnOnce() -> Option<String>) -> Row {
        let logs = info
            .as_ref()
            .and_then(|i| i.logs.as_deref())
            .and_then(crate::report::links::http_link)
            .map(str::to_string)
            .or_else(tree_link)
            .unwrap_or_default();
        Row { info, logs }
    }
}

/// A link target: spaces, parentheses, `|` (which would end the table
/// cell), `<`, `>` and control characters percent-encoded (also the HTML
/// page's logs links, before they are escaped).
pub(crate) fn link_target(target: &str) -> String {
    let mut out = String::with_capacity(target.len());
    for c in target.chars() {
        if matches!(c, ' ' | '(' | ')' | '|' | '<' | '>') || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The ranked table: rank, submission (its description in a `<details>`
/// block), authors, affiliation, framework, logs, score in bold to 4
/// decimals. `rows` is keyed by submission folder name; a submission
/// without info shows its folder name and empty metadata.
pub fn leaderboard_markdown(lb: &Leaderboard, rows: &BTreeMap<String, Row>) -> String {
    let header = [
        "**Rank**",
        "**Submission**",
        "**Authors**",
        "**Affiliation**",
        "**Framework**",
        "**Logs**",
        "**Score**",
    ]
    .map(String::from);
    let mut body: Vec<[String; 7]> = Vec::new();
    for (rank, r) in lb.ranking() {
        let folder = &lb.submissions[r];
        let row = rows.get(folder);
        let info = row.and_then(|x| x.info.as_ref());
        let name = info
            .map(|i| i.name.as_str())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(folder);
        let title = format!("**{}**", cell(name));
        let description = info.map(|i| cell(&i.description)).unwrap_or_default();
        let submission = if description.is_empty() {
            title
        } else {
            format!("<details><summary>{title}</summary>{description}</details>")
        };
        let logs = row
            .filter(|x| !x.logs.is_empty())
            .map(|x| format!("[💾]({})", link_target(&x.logs)))
            .unwrap_or_default();
        body.push([
            format!("{rank}."),
            submission,
            info.map(|i| cell(&i.authors)).unwrap_or_default(),
            info.map(|i| cell(&i.affiliations)).unwrap_or_default(),
            info.map(|i| cell(&i.framework)).unwrap_or_default(),
            logs,
            format!("**{:.4}**", lb.rules.scores[r]),
        ]);
    }
    let width = |c: usize| {
        body.iter()
            .map(|r| r[c].chars().count())
            .chain([header[c].chars().count(), 3])
            .max()
            .unwrap_or(3)
    };
    let widths: Vec<usize> = (0..7).map(width).collect();
    let line = |cells: &[String; 7]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, &w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut out = line(&header);
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for r in &body {
        out.push_str(&line(r));
    }
    out
}

/// The path from folder `from` to `to` as a relative Markdown link with
/// `/` separators and a trailing `/` (both resolved by
/// [`crate::fs::resolve`]).
pub fn relative_link(from: &Path, to: &Path) -> String {
    let (from, to) = (crate::fs::resolve(from), crate::fs::resolve(to));
    let fc: Vec<Component> = from.components().collect();
    let tc: Vec<Component> = to.components().collect();
    let common = fc.iter().zip(&tc).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); fc.len() - common];
    parts.extend(
        tc[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        "./".to_string()
    } else {
        format!("{}/", parts.join("/"))
    }
}

fn begin(marker: &str) -> String {
    format!("<!-- BEGIN {marker} -->")
}

fn end(marker: &str) -> String {
    format!("<!-- END {marker} -->")
}

/// `text` with everything between `<!-- BEGIN marker -->` and
/// `<!-- END marker -->` replaced by a blank line, `content`, a blank line
/// (in the file's line ending). Every other byte stays as it was. `file`
/// names the text in errors.
pub fn replace_between_markers(
    text: &str,
    marker: &str,
    content: &str,
    file: &Path,
) -> Result<String> {
    let (b, e) = (begin(marker), end(marker));
    let missing = |problem| ReportError::Markers {
        file: file.to_path_buf(),
        problem,
        begin: b.clone(),
        end: e.clone(),
    };
    let start = text
        .find(&b)
        .ok_or_else(|| missing(MarkerProblem::NoBegin))?;
    if text[start + b.len()..].contains(&b) {
        return Err(missing(MarkerProblem::BeginTwice).into());
    }
    let after_begin = start + b.len();
    let stop = text[after_begin..]
        .find(&e)
        .map(|i| after_begin + i)
        .ok_or_else(|| {
            if text.contains(&e) {
                missing(MarkerProblem::EndBeforeBegin)
            } else {
                missing(MarkerProblem::NoEnd)
            }
        })?;
    if text[stop + e.len()..].contains(&e) {
        return Err(missing(MarkerProblem::EndTwice).into());
    }
    let newline = if text[after_begin..].starts_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let body = content
        .trim_end_matches(['\n', '\r'])
        .replace('\n', newline);
    let mut out = String::with_capacity(text.len() + content.len());
    out.push_str(&text[..after_begin]);
    out.push_str(newline);
    out.push_str(newline);
    out.push_str(&body);
    out.push_str(newline);
    out.push_str(newline);
    out.push_str(&text[stop..]);
    Ok(out)
}

/// The text of a file `--update` changes: a regular file of at most
/// [`crate::limits::MAX_UPDATED_FILE`] bytes.
pub fn read_updated(file: &Path) -> std::io::Result<String> {
    let max = crate::limits::MAX_UPDATED_FILE;
    crate::limits::read_text(file, max, "the limit of")
}

/// Replaces the table between the markers of `file` in place, whole or not
/// at all ([`crate::fs::write_file`]; through a symlink, the file it points
/// to). Returns whether the file changed.
pub fn update_file(file: &Path, marker: &str, content: &str) -> Result<bool> {
    let read = |source| ReportError::Read {
        path: file.to_path_buf(),
        source,
    };
    // Through a symlink, update the file it points to.
    let target = file.canonicalize().map_err(read)?;
    let text = read_updated(&target).map_err(read)?;
    let new = replace_between_markers(&text, marker, content, file)?;
    if new == text {
        return Ok(false);
    }
    crate::fs::write_file(&target, new.as_bytes()).map_err(|e| match e {
        crate::error::Error::Report(ReportError::Write { source, .. }) => ReportError::Write {
            path: file.to_path_buf(),
            source,
        }
        .into(),
        other => other,
    })?;
    Ok(true)
}

/// `leaderboard --format json`: the ranked leaderboard table.
///
/// The rows of the Markdown leaderboard, in rank order (the full
/// intermediate results are in leaderboard.schema.json).
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LeaderboardTableDoc {
    pub engine: crate::report::json::Engine,
    pub leaderboard: Vec<TableRowDoc>,
}

/// One row of the table.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TableRowDoc {
    #[schemars(range(min = 1))]
    pub rank: usize,
    /// The submission's folder name.
    pub submission: String,
    /// The submission_info.yml fields; null without --info-dir or without a
    /// file.
    pub info: Option<InfoDoc>,
    /// The logs link: the info's `logs`, else a link to the submission's
    /// folder relative to the current folder; null when there is neither
    /// (as from a results cache).
    #[schemars(length(min = 1))]
    pub logs: Option<String>,
    /// The benchmark score; null when it is not finite.
    pub score: crate::report::json::Finite,
}

/// What a submission_info.yml says of the submission.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct InfoDoc {
    pub name: String,
    pub authors: String,
    pub affiliations: String,
    pub framework: String,
    pub description: String,
}

/// The same ranked table as one JSON document
/// (schema/leaderboard-table.schema.json): per submission in rank order its
/// folder, the info file's fields (null without one), the logs link (null
/// when there is none) and the score.
pub fn leaderboard_document(lb: &Leaderboard, rows: &BTreeMap<String, Row>) -> LeaderboardTableDoc {
    let entry = |(rank, r): (usize, usize)| {
        let folder = &lb.submissions[r];
        let row = rows.get(folder);
        let info = row.and_then(|x| x.info.as_ref()).map(|i| InfoDoc {
            name: i.name.clone(),
            authors: i.authors.clone(),
            affiliations: i.affiliations.clone(),
            framework: i.framework.clone(),
            description: i.description.clone(),
        });
        let logs = row.map(|x| x.logs.clone()).filter(|l| !l.is_empty());
        TableRowDoc {
            rank,
            submission: folder.clone(),
            info,
            logs,
            score: crate::report::json::Finite(lb.rules.scores[r]),
        }
    };
    LeaderboardTableDoc {
        engine: crate::report::json::Engine::default(),
        leaderboard: lb.ranking().into_iter().map(entry).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: &str = "EXTERNAL TUNING LEADERBOARD";

    #[test]
    fn replaces_only_between_the_markers() {
        let text = "# T\n\n<!-- BEGIN EXTERNAL TUNING LEADERBOARD -->\nold\n<!-- END EXTERNAL TUNING LEADERBOARD -->\ntail\n";
        let out = replace_between_markers(text, M, "| a |\n", Path::new("R.md")).expect("ok");
        assert_eq!(
            out,
            "# T\n\n<!-- BEGIN EXTERNAL TUNING LEADERBOARD -->\n\n| a |\n\n<!-- END EXTERNAL TUNING LEADERBOARD -->\ntail\n"
        );
        let again = replace_between_markers(&out, M, "| a |\n", Path::new("R.md")).expect("ok");
        assert_eq!(again, out);
    }

    #[test]
    fn keeps_crlf_line_endings() {
        let text = "x\r\n<!-- BEGIN M -->\r\n<!-- END M -->\r\n";
        let out = replace_between_markers(text, "M", "a\nb\n", Path::new("R.md")).expect("ok");
        assert_eq!(
            out,
            "x\r\n<!-- BEGIN M -->\r\n\r\na\r\nb\r\n\r\n<!-- END M -->\r\n"
        );
    }

    #[test]
    fn missing_or_misplaced_markers_name_file_and_marker() {
        for text in [
            "nothing here\n",
            "<!-- BEGIN M -->\n",
            "<!-- END M -->\n<!-- BEGIN M -->\n",
            "<!-- BEGIN M -->\n<!-- BEGIN M -->\n<!-- END M -->\n",
        ] {
            let e = replace_between_markers(text, "M", "t", Path::new("docs/R.md"))
                .expect_err(text)
                .to_string();
            assert!(e.starts_with("docs/R.md: "), "{e}");
            assert!(e.contains("<!-- BEGIN M -->"), "{e}");
        }
    }

    #[test]
    fn cells_are_one_line_and_escape_pipes() {
        assert_eq!(cell(" a\n  b | c "), "a b \\| c");
        assert_eq!(
            cell("<script>x</script> [a](javascript:b) <!-- END M -->"),
            "&lt;script&gt;x&lt;/script&gt; \\[a\\](javascript:b) &lt;!-- END M --&gt;"
        );
        assert_eq!(
            cell("see [Dozat, 2016](https://x.org/a?b=1); [y](http://h) ]["),
            "see [Dozat, 2016](https://x.org/a?b=1); [y](http://h) \\]\\["
        );
        assert_eq!(link_target("my logs (v2)/"), "my%20logs%20%28v2%29/");
    }

    #[test]
    fn relative_links() {
        let d = tempfile::tempdir().expect("tempdir");
        let a = d.path().join("docs");
        let b = d.path().join("logs/sub");
        std::fs::create_dir_all(&a).expect("mkdir");
        std::fs::create_dir_all(&b).expect("mkdir");
        assert_eq!(relative_link(&a, &b), "../logs/sub/");
        assert_eq!(relative_link(d.path(), &b), "logs/sub/");
        assert_eq!(relative_link(&b, &b), "./");
    }
}
