//! The Markdown leaderboard escapes what it copies from
//! `submission_info.yml` as the HTML page does, links only to http(s), and
//! a field holding the marker comment cannot break a later `--update`
//! (issue 26, item 14).

use crate::fixtures::{self, Tree};

const INFO: &str = r#"submission_name: "<script>alert(1)</script> <!-- END M -->"
authors: "<img src=x onerror=alert(1)>"
affiliations: "[click](javascript:alert(1))"
framework: JAX
description: "<!-- BEGIN M --> end"
logs: "javascript:alert(1)"
"#;

#[test]
fn hostile_info_fields_are_text_and_updates_keep_working() {
    let tree = Tree::new();
    tree.submission("evil", 100.0, 50.0);
    let (spec, _) = tree.spec();
    let info = tree.dir.path().join("info");
    std::fs::create_dir_all(info.join("evil")).expect("mkdir");
    std::fs::write(info.join("evil/submission_info.yml"), INFO).expect("write");
    let readme = tree.dir.path().join("README.md");
    std::fs::write(&readme, "# L\n<!-- BEGIN M -->\n<!-- END M -->\ntail\n").expect("write");
    let args: Vec<std::ffi::OsString> = vec![
        "leaderboard".into(),
        "--spec".into(),
        spec.clone().into_os_string(),
        "--submissions".into(),
        tree.subs().into_os_string(),
        "--info-dir".into(),
        info.clone().into_os_string(),
        "--update".into(),
        readme.clone().into_os_string(),
        "--marker".into(),
        "M".into(),
    ];
    fixtures::cli(&args).expect("first update");
    // The second update finds exactly one pair of markers.
    fixtures::cli(&args).expect("second update");
    let text = std::fs::read_to_string(&readme).expect("read");
    assert_eq!(text.matches("<!-- BEGIN M -->").count(), 1, "{text}");
    assert_eq!(text.matches("<!-- END M -->").count(), 1, "{text}");
    // `[click](javascript:…)` stays text: its brackets are escaped.
    assert!(text.contains("\\[click\\](javascript:alert(1))"), "{text}");
    assert!(!text.replace("\\]", "").contains("](javascript"), "{text}");
    for raw in ["<script", "<img"] {
        assert!(!text.contains(raw), "{raw} in {text}");
    }
    assert!(
        text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{text}"
    );
    assert!(
        text.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{text}"
    );
    assert!(text.ends_with("<!-- END M -->\ntail\n"), "{text}");
    // The logs link is the folder's, not the info file's `javascript:`.
    assert!(text.contains("[💾](subs/evil/)"), "{text}");
}

/// Issue 26, item 18: `--html o/scores.csv --output-dir o` is refused before
/// anything is read or written (it left a manifest that no longer matched).
#[test]
fn a_page_inside_the_output_folder_is_refused_up_front() {
    let tree = Tree::new();
    tree.submission("a", 100.0, 50.0);
    let out = tree.dir.path().join("o");
    let page = out.join("scores.csv");
    let e = tree
        .cli(&[
            "--output-dir",
            out.to_str().expect("utf-8"),
            "--html",
            page.to_str().expect("utf-8"),
        ])
        .expect_err("refused");
    assert_eq!(
        e,
        format!(
            "--html {}: the page cannot go into the --output-dir folder {} (its files are the run's, as its manifest lists them); write the page outside it",
            page.display(),
            out.display()
        )
    );
    assert!(!out.exists(), "nothing written");
}
