//! Names from a submissions tree reach every human-readable output escaped
//! (issue 26, item 13): a folder named
//! `x\n::error file=README.md,line=1::injected` cannot start a line of its
//! own (a GitHub workflow command), and U+202E cannot reorder what is shown.

use crate::fixtures::Tree;

use algoperf_engine::diagnostics::escape_controls;
use algoperf_engine::ingest::{Selection, Silent};
use algoperf_engine::run::{self, Options};
use algoperf_engine::{check, error::Error};

const INJECTED: &str = "x\n::error file=README.md,line=1::injected";
const SHOWN: &str = "x\\n::error file=README.md,line=1::injected";

/// No line of `text` is a workflow command, and the name is there escaped.
fn assert_safe(text: &str) {
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "injected line: {text}"
        );
    }
    assert!(!text.contains('\u{202e}'), "raw U+202E: {text}");
    assert!(text.contains(SHOWN), "escaped name missing: {text}");
}

/// Submissions `INJECTED` (alpha only) and `good`.
fn tree() -> Tree {
    let tree = Tree::new();
    tree.trial(
        INJECTED,
        "study_0",
        "alpha_jax",
        "trial_1",
        &[(10.0, 3.0), (20.0, 0.9)],
    );
    tree.submission("good", 100.0, 50.0);
    tree
}

#[test]
fn bidi_controls_and_line_separators_are_escaped() {
    assert_eq!(
        escape_controls("evil\u{202e}gpj.exe"),
        "evil\\u{202e}gpj.exe"
    );
    assert_eq!(
        escape_controls("a\u{2066}b\u{2069}c\u{200f}\u{2028}"),
        "a\\u{2066}b\\u{2069}c\\u{200f}\\u{2028}"
    );
    assert_eq!(escape_controls("x\n\u{1b}[31m"), "x\\n\\u{1b}[31m");
    assert_eq!(escape_controls("plain ünïcode"), "plain ünïcode");
}

#[test]
fn check_s_terminal_format_escapes_folder_names() {
    let tree = tree();
    let (_, spec) = tree.spec();
    let report = check::check(&spec, &[tree.subs()], &check::Options::default());
    assert_safe(&check::terminal(&report));
}

#[test]
fn explain_escapes_the_submission_name() {
    let tree = tree();
    let o = tree.run(false).expect("run");
    let (_, spec) = tree.spec();
    let e = o
        .leaderboard
        .explain(&spec, INJECTED, "alpha")
        .expect("explain");
    assert_safe(&algoperf_engine::report::explain::text(&spec, &e));
}

#[test]
fn error_messages_keep_names_on_their_line() {
    let tree = tree();
    let (_, spec) = tree.spec();
    let options = Options {
        selection: Selection {
            include: vec![format!("{INJECTED}\u{202e}"), "nope".into()],
            ..Selection::default()
        },
        ..Options::default()
    };
    let e: Error = run::read(&tree.subs(), &spec, &options, &Silent).expect_err("unknown names");
    let lines = e.lines();
    assert!(lines.len() >= 3, "{lines:?}");
    assert_safe(&lines.join("\n"));
}
