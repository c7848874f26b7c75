//! A results cache with a valid checksum cannot do what a tree cannot
//! (issue 26, item 11): its trials get the time checks a trial file gets,
//! and a submission or trial listed twice is refused.

use crate::fixtures::{self, Tree};

use algoperf_engine::diagnostics::Warning;
use algoperf_engine::ingest::{cache, Ingested, Silent};
use algoperf_engine::run::{self, Options};

/// `a` and `b` on alpha and beta, read from a tree.
fn read(tree: &Tree) -> Ingested {
    let (_, spec) = tree.spec();
    run::read(&tree.subs(), &spec, &Options::default(), &Silent).expect("read")
}

fn two_submissions() -> Tree {
    let tree = Tree::new();
    tree.submission("a", 100.0, 50.0);
    tree.submission("b", 120.0, 60.0);
    tree
}

/// The kinds of the trial warnings, sorted.
fn trial_kinds(ws: &algoperf_engine::diagnostics::Warnings) -> Vec<String> {
    ws.items()
        .into_iter()
        .filter_map(|w| match w {
            Warning::Trial(e) => Some(e.kind()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_cache_with_a_negative_time_skips_the_trial_as_the_tree_does() {
    let tree = two_submissions();
    let (_, spec) = tree.spec();
    let mut crafted = read(&tree);
    let b = &mut crafted.submissions[1];
    assert_eq!(b.name, "b");
    let alpha = b
        .trials
        .iter_mut()
        .find(|t| t.id.folder.workload == "alpha")
        .expect("alpha");
    alpha.series.time = vec![-60.0, -120.0];
    let bytes = cache::encode(&crafted, &spec).expect("encode");
    let loaded = cache::decode(&bytes, &spec).expect("decode");
    let from_cache = run::score(&loaded, &spec, &Options::default()).expect("score");

    // The same times in b's trial file.
    tree.trial(
        "b",
        "study_0",
        "alpha_jax",
        "trial_1",
        &[(-60.0, 3.0), (-120.0, 0.9)],
    );
    let from_tree = tree.run(false).expect("run");
    assert_eq!(
        trial_kinds(&from_cache.warnings),
        trial_kinds(&from_tree.warnings)
    );
    assert!(!trial_kinds(&from_cache.warnings).is_empty());
    for sub in ["a", "b"] {
        assert_eq!(
            fixtures::score_of(&from_cache, sub),
            fixtures::score_of(&from_tree, sub),
            "{sub}"
        );
    }
    assert_eq!(fixtures::score_of(&from_cache, "a"), 1.0);
    // b has no alpha trial left: not run, as from the tree.
    assert!(fixtures::time_of(&from_cache, "b", "alpha").is_nan());
}

#[test]
fn a_cache_with_a_submission_listed_twice_is_refused() {
    let tree = two_submissions();
    let (_, spec) = tree.spec();
    let mut crafted = read(&tree);
    let copy = crafted.submissions[0].clone();
    crafted.submissions.push(copy);
    let bytes = cache::encode(&crafted, &spec).expect("encode");
    let e = cache::decode(&bytes, &spec).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "corrupted results cache: submission `a` is listed twice"
    );
}

#[test]
fn a_cache_with_a_trial_listed_twice_is_refused() {
    let tree = two_submissions();
    let (_, spec) = tree.spec();
    let mut crafted = read(&tree);
    let copy = crafted.submissions[0].trials[0].clone();
    crafted.submissions[0].trials.push(copy);
    let bytes = cache::encode(&crafted, &spec).expect("encode");
    let e = cache::decode(&bytes, &spec).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "corrupted results cache: trial a/study_0/alpha_jax/trial_1 is listed twice"
    );
}
