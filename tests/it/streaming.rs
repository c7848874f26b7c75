//! Scoring while reading (`run::read_and_score`: the CLI's and the Python
//! package's path, which drops each submission's series once scored) gives
//! exactly what reading every series and then scoring gives (`run::read`
//! then `run::score_only`: the `--save-results` path): the same
//! leaderboard, the same warnings in the same order, the same output files,
//! or the same error. The trees make ingest read several submissions per
//! batch, with a submission that has no trial file among them.

use crate::common;
use crate::fixtures;

use std::path::Path;

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec::{self, Spec};
use fixtures::Tree;

/// Everything a run shows: the leaderboard (its `Debug`, NaN included),
/// the warnings as printed, every output file; or the error as printed.
fn shown(
    spec: &Spec,
    result: algoperf_engine::error::Result<(
        algoperf_engine::score::Leaderboard,
        algoperf_engine::diagnostics::Warnings,
    )>,
) -> String {
    match result {
        Ok((leaderboard, warnings)) => {
            let text = format!("{leaderboard:?}\n{}", warnings.render());
            match run::render(spec, leaderboard, warnings) {
                Ok(outcome) => format!("{text}\n{:?}", outcome.files),
                Err(e) => format!("{text}\nrender error: {e}"),
            }
        }
        Err(e) => format!("error: {e}"),
    }
}

/// Both paths on one tree; asserts they agree and returns what they showed.
fn assert_alike(subs: &Path, spec: &Spec, options: &Options) -> String {
    let streamed = shown(spec, run::read_and_score(subs, spec, options, &Silent));
    let whole = run::read(subs, spec, options, &Silent)
        .and_then(|ingested| run::score_only(&ingested, spec, options));
    let whole = shown(spec, whole);
    if streamed != whole {
        let at = streamed
            .chars()
            .zip(whole.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let around =
            |s: &str| -> String { s.chars().skip(at.saturating_sub(200)).take(400).collect() };
        panic!(
            "scoring while reading differs at character {at}:\n  streamed: {}\n  whole:    {}",
            around(&streamed),
            around(&whole)
        );
    }
    streamed
}

/// Whether `shown` has `text`; the panic shows only the warnings' start.
fn assert_has(shown: &str, text: &str) {
    let start = shown.find("\n").unwrap_or(0);
    let excerpt: String = shown[start..].chars().take(600).collect();
    assert!(shown.contains(text), "`{text}` not in: {excerpt}");
}

/// 300 one-trial submissions (2 files each: many per batch), some without
/// `beta`, one with a time going backwards, one in ten whose only study
/// folder is empty (no trial file: a degenerate submission).
fn many_small_submissions(tree: &Tree) {
    for i in 0..300 {
        let sub = format!("sub_{i:03}");
        let alpha = 100.0 + (i * 37 % 101) as f64;
        if i % 10 == 5 {
            tree.mkdir(&format!("{sub}/study_0"));
        } else if i % 7 == 0 {
            tree.trial(&sub, "study_0", "alpha_jax", "trial_1", &[(alpha, 0.9)]);
        } else if i == 43 {
            let rows = [(alpha, 3.0), (alpha / 2.0, 2.0), (alpha * 2.0, 0.9)];
            tree.trial(&sub, "study_0", "alpha_jax", "trial_1", &rows);
            tree.trial(&sub, "study_0", "beta_pytorch", "trial_1", &[(50.0, 0.6)]);
        } else {
            tree.submission(&sub, alpha, 20.0 + (i % 13) as f64);
        }
    }
}

#[test]
fn many_small_submissions_score_alike() {
    let tree = Tree::new();
    many_small_submissions(&tree);
    let (_, spec) = tree.spec();
    // The empty submission is an error...
    let shown = assert_alike(&tree.subs(), &spec, &Options::default());
    assert_has(&shown, "no trial could be read from submission `sub_005`");
    // ...a warning with --allow-empty, the others scored.
    let mut options = Options::default();
    options.selection.allow_empty = true;
    let shown = assert_alike(&tree.subs(), &spec, &options);
    assert_has(&shown, "sub_299");
    assert_has(&shown, "goes backwards");
    assert_has(&shown, "sub_007_summary.csv");
    // Under --strict, the same first fatal warning.
    options.strict = true;
    let shown = assert_alike(&tree.subs(), &spec, &options);
    assert_has(&shown, "error: ");
    // A selection.
    let mut options = Options::default();
    options.selection.include = vec!["sub_001".into(), "sub_200".into()];
    assert_alike(&tree.subs(), &spec, &options);
}

/// A spec whose study formula fails at run time on a trial time of 0
/// (`geomean` of a value ≤ 0).
fn geomean_spec(dir: &Path) -> Spec {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("targets.toml"), fixtures::TARGETS).expect("targets");
    let path = dir.join("geomean.toml");
    let text = fixtures::ruleset_with("geomean(trials)", false, 1, 1);
    std::fs::write(&path, text).expect("spec");
    spec::load(&path).expect("spec loads")
}

#[test]
fn a_formula_error_is_the_same_error() {
    let tree = Tree::new();
    for i in 0..200 {
        tree.submission(&format!("sub_{i:03}"), 10.0 + i as f64, 20.0);
    }
    // Reached at time 0: the study's geomean fails.
    tree.trial("sub_100", "study_0", "alpha_jax", "trial_1", &[(0.0, 0.9)]);
    let spec = geomean_spec(&tree.dir.path().join("spec"));
    let shown = assert_alike(&tree.subs(), &spec, &Options::default());
    assert_has(&shown, "sub_100/study_0/alpha");
    assert_has(&shown, "no geometric mean");
    // With a degenerate submission too, ingest's error comes first on
    // both paths, although scoring failed before the last batch was read.
    tree.mkdir("sub_199x/study_0");
    let shown = assert_alike(&tree.subs(), &spec, &Options::default());
    assert_has(&shown, "no trial could be read from submission `sub_199x`");
}

#[test]
fn v05_scores_alike() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let logs = data.join("logs/v05/external_tuning");
    for ruleset in ["v05_external", "v06_self"] {
        let spec = spec::load(&common::repo(&format!("rulesets/{ruleset}.toml"))).expect("spec");
        assert_alike(&logs, &spec, &Options::default());
    }
}

/// A batch that starts with submissions that have no trial file: the first
/// batch is exactly full (`BATCH_FILES` files of two-file submissions), so
/// the second starts with two empty ones.
#[test]
fn a_batch_may_start_with_empty_submissions() {
    let tree = Tree::new();
    let full = algoperf_engine::ingest::BATCH_FILES / 2;
    for i in 0..full + 10 {
        let sub = format!("sub_{i:04}");
        if i == full || i == full + 1 {
            tree.mkdir(&format!("{sub}/study_0"));
        } else {
            tree.submission(&sub, 100.0 + i as f64, 20.0);
        }
    }
    let (_, spec) = tree.spec();
    let mut options = Options::default();
    options.selection.allow_empty = true;
    let shown = assert_alike(&tree.subs(), &spec, &options);
    assert_has(&shown, &format!("submission `sub_{:04}`", full + 1));
}
