//! Every relative link of README.md and docs/*.md resolves: the file exists
//! in the repository, and a `#anchor` names a heading of its page.

use std::path::{Path, PathBuf};

use crate::common::repo;

/// Pages that other branches add (the output folder, performance and
/// pictures pages): a link to one may point ahead of its merge. Once they
/// are in the tree this list is checked like every other link; empty it then.
const PAGES_OF_OTHER_BRANCHES: &[&str] = &[];

/// The Markdown files checked: the README and every page under docs/.
fn pages() -> Vec<PathBuf> {
    let mut out = vec![repo("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

/// The link targets of a Markdown text, outside fenced code blocks.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].trim().to_string());
            rest = &after[end..];
        }
    }
    out
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces
/// as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#')));
        }
    }
    out
}

/// The problem with one link of `page`, if any.
fn broken(page: &Path, link: &str) -> Option<String> {
    if link.contains("://") || link.starts_with("mailto:") || link.is_empty() {
        return None;
    }
    let (file, anchor) = match link.split_once('#') {
        Some((f, a)) => (f, Some(a)),
        None => (link, None),
    };
    let dir = page.parent().expect("page folder");
    let target = if file.is_empty() {
        page.to_path_buf()
    } else {
        dir.join(file)
    };
    let rel = target
        .strip_prefix(repo(""))
        .map(|p| p.to_string_lossy().replace("/docs/../", "/"))
        .unwrap_or_default();
    let rel = rel.trim_start_matches("docs/../").to_string();
    if !target.exists() {
        if PAGES_OF_OTHER_BRANCHES.contains(&rel.as_str()) {
            return None;
        }
        return Some(format!("{link}: no such file"));
    }
    let anchor = anchor?;
    if target.extension().is_some_and(|e| e == "md") {
        let text = std::fs::read_to_string(&target).expect("page");
        if !anchors(&text).iter().any(|a| a == anchor) {
            return Some(format!(
                "{link}: no heading `#{anchor}` in {}",
                target.display()
            ));
        }
    }
    None
}

#[test]
fn every_relative_link_of_the_readme_and_docs_resolves() {
    let mut problems = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("page");
        for link in links(&text) {
            if let Some(p) = broken(&page, &link) {
                problems.push(format!("{}: {p}", page.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_user_facing_page_points_outside_the_repository() {
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("page");
        assert!(
            !text.contains("../shared"),
            "{} names ../shared, which users do not have",
            page.display()
        );
    }
    let grammar = std::fs::read_to_string(repo("grammar/rules.pest")).expect("grammar");
    assert!(!grammar.contains("../shared"));
}

#[test]
fn the_readme_is_a_front_page() {
    let text = std::fs::read_to_string(repo("README.md")).expect("README");
    let lines = text.lines().count();
    assert!(lines <= 300, "README.md has {lines} lines (at most 300)");
}

#[test]
fn the_link_finder_and_slugs_work() {
    assert_eq!(
        links("see [a](b.md) and ![p](c.png)\n```\n[x](nope)\n```"),
        vec!["b.md", "c.png"]
    );
    assert_eq!(
        slug(" Output folder and hostile input"),
        "output-folder-and-hostile-input"
    );
    assert_eq!(slug(" The `--spec` option: why?"), "the---spec-option-why");
    let page = repo("README.md");
    assert!(broken(&page, "docs/definitely-missing.md").is_some());
    assert!(broken(&page, "docs/README.md#no-such-heading").is_some());
}
