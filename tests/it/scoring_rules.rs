//! The scoring rules on small submissions trees the tests build themselves,
//! with expected values worked out by hand.

use crate::fixtures;

use std::path::PathBuf;

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options, Outcome};
use algoperf_engine::spec::{self, Spec};

use fixtures::{ruleset_with, COMPATIBLE, FASTEST, TARGETS};

struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Self {
        Tree {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn subs(&self) -> PathBuf {
        self.dir.path().join("subs")
    }

    /// A trial with (time, metric) rows; steps are 10, 20, …
    fn trial(
        &self,
        sub: &str,
        study: &str,
        folder: &str,
        trial: &str,
        rows: &[(f64, f64)],
    ) -> &Self {
        let metric = if folder.starts_with("beta") {
            "accuracy"
        } else {
            "loss"
        };
        let dir = self.subs().join(sub).join(study).join(folder).join(trial);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mut text =
            format!("global_step,accumulated_submission_time,score,validation/{metric}\n");
        for (i, (t, m)) in rows.iter().enumerate() {
            text.push_str(&format!("{},{t},{t},{m}\n", (i + 1) * 10));
        }
        std::fs::write(dir.join("eval_measurements.csv"), text).expect("write");
        self
    }

    /// A trial reaching `alpha`'s target (1.0) first at `time`.
    fn alpha(&self, sub: &str, study: &str, trial: &str, time: f64) -> &Self {
        self.trial(
            sub,
            study,
            "alpha_jax",
            trial,
            &[(time / 2.0, 3.0), (time, 0.9)],
        )
    }

    /// A variant trial reaching `alpha_v`'s target (2.0) at `time`.
    fn alpha_v(&self, sub: &str, study: &str, trial: &str, time: f64) -> &Self {
        self.trial(sub, study, "alpha_v_jax", trial, &[(time, 1.5)])
    }

    /// A `beta` trial reaching 0.5 at `time` (or never, for ∞).
    fn beta(&self, sub: &str, study: &str, trial: &str, time: f64) -> &Self {
        if time.is_finite() {
            self.trial(sub, study, "beta_jax", trial, &[(time, 0.6)])
        } else {
            self.trial(sub, study, "beta_jax", trial, &[(100.0, 0.1), (200.0, 0.2)])
        }
    }

    fn score(&self, study_rule: &str, studies: usize, trials: usize) -> (Spec, Outcome) {
        let spec_dir = self.dir.path().join("spec");
        std::fs::create_dir_all(&spec_dir).expect("mkdir");
        std::fs::write(spec_dir.join("targets.toml"), TARGETS).expect("write");
        let path = spec_dir.join("test.toml");
        std::fs::write(&path, ruleset_with(study_rule, true, studies, trials)).expect("write");
        let spec = spec::load(&path).expect("spec");
        let ingested =
            run::read(&self.subs(), &spec, &Options::default(), &Silent).expect("ingest");
        let outcome = run::score(&ingested, &spec, &Options::default()).expect("score");
        (spec, outcome)
    }
}

fn time(o: &Outcome, sub: &str, workload: &str) -> f64 {
    let lb = &o.leaderboard;
    let r = lb.row(sub).expect("row");
    let c = lb
        .workloads
        .iter()
        .position(|w| w == workload)
        .expect("column");
    lb.time_to_targets[(r, c)]
}

fn ratio(o: &Outcome, sub: &str, workload: &str) -> f64 {
    let lb = &o.leaderboard;
    let r = lb.row(sub).expect("row");
    let c = lb
        .rules
        .base
        .iter()
        .position(|w| w == workload)
        .expect("column");
    lb.rules.ratios[(r, c)]
}

fn score(o: &Outcome, sub: &str) -> f64 {
    let lb = &o.leaderboard;
    lb.rules.scores[lb.row(sub).expect("row")]
}

/// Score of a submission whose ratios on the two base workloads are 1 and
/// something in (τ_49, τ_50] = (2.4848…, 2.5151…]: ρ is 0.5 up to grid point
/// 49 and 1 from point 50, so the integral is (0.5·49 + 0.75 + 49)·h with
/// h = 3/99, i.e. 74.25·3/99 = 2.25, normalised by 3: 0.75.
const HALF_THEN_ALL_AT_2_5: f64 = 0.75;

fn both(tree: &Tree, sub: &str, studies: &[&str], alpha: f64, alpha_v: f64, beta: f64) {
    for s in studies {
        tree.alpha(sub, s, "trial_1", alpha)
            .alpha_v(sub, s, "trial_1", alpha_v)
            .beta(sub, s, "trial_1", beta);
    }
}

#[test]
fn fastest_everywhere_scores_one() {
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, 100.0);
    both(&t, "b", &["study_0"], 250.0, 100.0, 100.0);
    let (_, o) = t.score(COMPATIBLE, 1, 1);
    assert_eq!(score(&o, "a"), 1.0);
    assert_eq!(ratio(&o, "b", "alpha"), 2.5);
    assert!(
        (score(&o, "b") - HALF_THEN_ALL_AT_2_5).abs() < 1e-12,
        "{}",
        score(&o, "b")
    );
}

#[test]
fn ties_at_the_same_evaluation_index_go_to_the_smaller_time() {
    let t = Tree::new();
    // Both trials first reach the target at index 1; trial_1 later in time.
    t.trial(
        "a",
        "study_0",
        "alpha_jax",
        "trial_1",
        &[(10.0, 3.0), (130.0, 0.5)],
    );
    t.trial(
        "a",
        "study_0",
        "alpha_jax",
        "trial_2",
        &[(10.0, 3.0), (120.0, 0.5)],
    );
    // A trial reaching at index 0 but later in time than another at index 1.
    t.trial("b", "study_0", "alpha_jax", "trial_1", &[(150.0, 0.5)]);
    t.trial(
        "b",
        "study_0",
        "alpha_jax",
        "trial_2",
        &[(10.0, 3.0), (140.0, 0.5)],
    );
    let (_, o) = t.score(COMPATIBLE, 1, 2);
    assert_eq!(time(&o, "a", "alpha"), 120.0);
    // compatible: the earliest evaluation index wins even though it is slower.
    assert_eq!(time(&o, "b", "alpha"), 150.0);
    let (_, o) = t.score(FASTEST, 1, 2);
    assert_eq!(time(&o, "a", "alpha"), 120.0);
    assert_eq!(time(&o, "b", "alpha"), 140.0);
}

#[test]
fn all_studies_missing_the_target_give_infinity() {
    let t = Tree::new();
    both(&t, "a", &["study_0", "study_1"], 100.0, 100.0, 100.0);
    both(
        &t,
        "b",
        &["study_0", "study_1"],
        100.0,
        100.0,
        f64::INFINITY,
    );
    let (_, o) = t.score(COMPATIBLE, 2, 1);
    assert_eq!(time(&o, "b", "beta"), f64::INFINITY);
    assert_eq!(ratio(&o, "b", "beta"), f64::INFINITY);
    // Solved one of two base workloads at ratio 1: ρ = 0.5 everywhere.
    assert!((score(&o, "b") - 0.5).abs() < 1e-12);
    let csv = String::from_utf8(o.files[1].1.clone()).expect("utf8");
    assert!(csv.contains("b,100.0,100.0,inf"), "{csv}");
}

#[test]
fn a_workload_not_run_is_empty_and_unsolved() {
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, 100.0);
    t.alpha("b", "study_0", "trial_1", 100.0)
        .alpha_v("b", "study_0", "trial_1", 100.0);
    let (_, o) = t.score(COMPATIBLE, 1, 1);
    assert!(time(&o, "b", "beta").is_nan());
    assert!(ratio(&o, "b", "beta").is_nan());
    assert!((score(&o, "b") - 0.5).abs() < 1e-12);
    let (name, bytes) = &o.files[1];
    assert_eq!(name, "time_to_targets.csv");
    let csv = String::from_utf8(bytes.clone()).expect("utf8");
    assert!(csv.lines().any(|l| l == "b,100.0,100.0,"), "{csv}");
    assert!(o
        .warnings
        .render()
        .contains("expected 3 workloads, found 2"));
}

#[test]
fn a_failed_held_out_variant_voids_its_base() {
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, 100.0);
    both(&t, "b", &["study_0"], 100.0, 100.0, 100.0);
    // b's variant never reaches 2.0.
    std::fs::remove_dir_all(t.subs().join("b/study_0/alpha_v_jax")).expect("rm");
    t.trial(
        "b",
        "study_0",
        "alpha_v_jax",
        "trial_1",
        &[(50.0, 2.5), (90.0, 2.1)],
    );
    let (_, o) = t.score(COMPATIBLE, 1, 1);
    // The raw matrix still has b's base time; the ratio step sees ∞.
    assert_eq!(time(&o, "b", "alpha"), 100.0);
    assert_eq!(time(&o, "b", "alpha_v"), f64::INFINITY);
    assert_eq!(ratio(&o, "b", "alpha"), f64::INFINITY);
    assert!((score(&o, "b") - 0.5).abs() < 1e-12);
}

#[test]
fn a_failed_base_voids_its_held_out_variant() {
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, 100.0);
    // b's variant is the fastest, but its base never reached the target.
    t.trial("b", "study_0", "alpha_jax", "trial_1", &[(100.0, 3.0)]);
    t.alpha_v("b", "study_0", "trial_1", 10.0)
        .beta("b", "study_0", "trial_1", 100.0);
    let (_, o) = t.score(COMPATIBLE, 1, 1);
    let lb = &o.leaderboard;
    let v = lb
        .workloads
        .iter()
        .position(|w| w == "alpha_v")
        .expect("col");
    let r = lb.row("b").expect("row");
    // Rule A turns b's variant into ∞ before the cut-off: a's 100 is not cut
    // by b's 10.
    assert_eq!(lb.rules.steps[0].matrix[(r, v)], f64::INFINITY);
    assert_eq!(ratio(&o, "a", "alpha"), 1.0);
    assert_eq!(score(&o, "a"), 1.0);
}

#[test]
fn the_cut_off_is_strictly_above_four_times_the_best() {
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, 100.0);
    both(&t, "b", &["study_0"], 400.0, 100.0, 100.0);
    both(&t, "c", &["study_0"], 400.5, 100.0, 100.0);
    let (_, o) = t.score(COMPATIBLE, 1, 1);
    assert_eq!(ratio(&o, "b", "alpha"), 4.0);
    assert_eq!(ratio(&o, "c", "alpha"), f64::INFINITY);
    let cut = &o.leaderboard.rules.steps[1];
    let c = o
        .leaderboard
        .workloads
        .iter()
        .position(|w| w == "alpha")
        .expect("col");
    assert_eq!(cut.best[c], 100.0);
    // ρ(4) counts b's alpha: only the last grid point sees it; the final
    // trapezoid adds (0.5 + 1)/2·h instead of 0.5·h: (0.5·98 + 0.75)·h = 49.75·3/99.
    assert!(
        (score(&o, "b") - 49.75 * 3.0 / 99.0 / 3.0).abs() < 1e-12,
        "{}",
        score(&o, "b")
    );
    assert!((score(&o, "c") - 0.5).abs() < 1e-12);
}

#[test]
fn an_even_number_of_studies_takes_the_mean_of_the_middle_two() {
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, 100.0);
    both(&t, "a", &["study_1"], 300.0, 100.0, 100.0);
    both(&t, "b", &["study_0"], 100.0, 100.0, 100.0);
    both(&t, "b", &["study_1"], 100.0, 100.0, f64::INFINITY);
    let (_, o) = t.score(COMPATIBLE, 2, 1);
    assert_eq!(time(&o, "a", "alpha"), 200.0);
    // One of two studies at ∞: the median is ∞.
    assert_eq!(time(&o, "b", "beta"), f64::INFINITY);
    assert_eq!(ratio(&o, "a", "alpha"), 2.0);
}

#[test]
fn a_column_nobody_solved_stays_infinite_and_counts() {
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, f64::INFINITY);
    both(&t, "b", &["study_0"], 200.0, 100.0, f64::INFINITY);
    let (_, o) = t.score(COMPATIBLE, 1, 1);
    assert_eq!(ratio(&o, "a", "beta"), f64::INFINITY);
    assert_eq!(ratio(&o, "b", "beta"), f64::INFINITY);
    assert!(o.leaderboard.rules.denominators[1].is_infinite());
    assert!((score(&o, "a") - 0.5).abs() < 1e-12);
    // b: alpha at ratio 2 is solved from τ = 2 (grid point 33 is 2.0 up to
    // rounding, so compare with the grid's own integral).
    let taus = algoperf_engine::numeric::linspace(1.0, 4.0, 100);
    let rho: Vec<f64> = taus
        .iter()
        .map(|&t| if 2.0 <= t { 0.5 } else { 0.0 })
        .collect();
    let expected = algoperf_engine::numeric::trapezoid(&rho, &taus) / 3.0;
    assert!((score(&o, "b") - expected).abs() < 1e-12);
    assert!(expected > 0.33 && expected < 0.34);
}

#[test]
fn strict_mode_fails_on_count_mismatches_and_writes_nothing() {
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, 100.0);
    let (spec, _) = t.score(COMPATIBLE, 2, 1);
    let ingested = run::read(&t.subs(), &spec, &Options::default(), &Silent).expect("ingest");
    let strict = Options {
        strict: true,
        ..Options::default()
    };
    let err = run::score(&ingested, &spec, &strict).expect_err("strict");
    let msg = err.to_string();
    assert!(
        msg.contains("a/alpha: expected 2 studies, found 1"),
        "{msg}"
    );
}

#[test]
fn warnings_are_grouped_not_repeated() {
    let t = Tree::new();
    for s in ["a", "b", "c", "d", "e"] {
        both(&t, s, &["study_0"], 100.0, 100.0, 100.0);
    }
    let (_, o) = t.score(COMPATIBLE, 3, 1);
    let text = o.warnings.render();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("expected 3 studies"))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains("15×"), "{text}");
}

fn explain(tree: &Tree, spec: &Spec, sub: &str, workload: &str) -> String {
    let ingested = run::read(&tree.subs(), spec, &Options::default(), &Silent).expect("ingest");
    let (lb, _) = run::score_only(&ingested, spec, &Options::default()).expect("score");
    algoperf_engine::report::explain::explain(spec, &lb, sub, workload).expect("explain")
}

#[test]
fn explain_names_the_step_that_changed_a_time() {
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, 100.0);
    both(&t, "c", &["study_0"], 400.5, 100.0, 100.0);
    t.trial(
        "c",
        "study_0",
        "alpha_jax",
        "trial_2",
        &[(50.0, 3.0), (60.0, f64::NAN)],
    );
    let (spec, _) = t.score(COMPATIBLE, 1, 2);
    let text = explain(&t, &spec, "c", "alpha");
    assert!(
        text.contains("    → trial_1: reached at evaluation 1 (step 20.0), time 400.5 s"),
        "{text}"
    );
    assert!(
        text.contains(
            "      trial_2: never reached; best validation/loss = 3.0 (1 of 2 evaluations NaN)"
        ),
        "{text}"
    );
    assert!(
        text.contains("step 2 `all := inf where time > 4.0 * best`: 400.5 s → ∞: time 400.5 s, best 100.0 s (held by a)"),
        "{text}"
    );
    assert!(
        text.contains("Not solved: this workload adds nothing to the score."),
        "{text}"
    );

    // A failed held-out variant voids the base: the held-out step says so.
    let t = Tree::new();
    both(&t, "a", &["study_0"], 100.0, 100.0, 100.0);
    t.alpha("b", "study_0", "trial_1", 100.0)
        .beta("b", "study_0", "trial_1", 100.0);
    t.trial("b", "study_0", "alpha_v_jax", "trial_1", &[(90.0, 2.1)]);
    let (spec, _) = t.score(COMPATIBLE, 1, 1);
    let text = explain(&t, &spec, "b", "alpha");
    assert!(
        text.contains(
            "step 3 `base := inf where not finite(held_out)`: 100.0 s → ∞: alpha_v is ∞ here"
        ),
        "{text}"
    );
}
