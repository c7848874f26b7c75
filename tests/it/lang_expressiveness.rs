//! The rule language's forms for what the templates could not say (issue
//! 23 item 5): a score over the ratios, ρ as partial credit, `count` in the
//! aggregate slots, `step`/`best`/`final` as `pick` keys, and `framework`.
//! Every expected number is worked out here by hand (or by a few lines of
//! arithmetic in the test), never by the engine's own functions; every
//! misuse gives a located error.

use crate::common::close;
use crate::fixtures::{self, Tree};

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options, Outcome};
use algoperf_engine::spec::{self, Spec};

/// The fixtures' spec with each (from, to) replaced, loaded; the rendered
/// error (spec path as SPEC) when it does not load.
fn spec_with(t: &Tree, edits: &[(&str, &str)]) -> Result<Spec, String> {
    let (path, _) = t.spec();
    let mut text = std::fs::read_to_string(&path).expect("read");
    for (from, to) in edits {
        assert!(text.contains(from), "the fixture spec has no `{from}`");
        text = text.replace(from, to);
    }
    std::fs::write(&path, text).expect("write");
    spec::load(&path).map_err(|e| e.to_string().replace(&path.display().to_string(), "SPEC"))
}

fn loaded(t: &Tree, edits: &[(&str, &str)]) -> Spec {
    spec_with(t, edits).unwrap_or_else(|e| panic!("{e}"))
}

fn refused(t: &Tree, edits: &[(&str, &str)]) -> String {
    match spec_with(t, edits) {
        Ok(_) => panic!("the spec must be refused: {edits:?}"),
        Err(e) => e,
    }
}

fn scored(t: &Tree, spec: &Spec) -> Outcome {
    let ingested = run::read(&t.subs(), spec, &Options::default(), &Silent).expect("ingest");
    run::score(&ingested, spec, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn score_error(t: &Tree, spec: &Spec) -> String {
    let ingested = run::read(&t.subs(), spec, &Options::default(), &Silent).expect("ingest");
    let e = run::score(&ingested, spec, &Options::default()).expect_err("must fail");
    e.to_string()
        .replace(&spec.path.display().to_string(), "SPEC")
}

/// Every (actual, expected) message pair equal; on failure, each mismatch.
fn same_messages(pairs: &[(String, &str)]) {
    let wrong: Vec<String> = pairs
        .iter()
        .filter(|(a, e)| a != e)
        .map(|(a, e)| format!("actual:   {a:?}\nexpected: {e:?}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

const SCORE: &str = "score = \"trapezoid(rho) / (tau_max - tau_min)\"";
const FRAMEWORKS: &str = "frameworks = [";

// ---------------------------------------------------------------------------
// 1. A score over the ratio matrix.

/// a: alpha 100, beta 100; b: alpha 200, beta 50. Column bests are alpha
/// 100 and beta 50, so the ratios are a: (1, 2) and b: (2, 1).
fn two_submissions() -> Tree {
    let t = Tree::new();
    t.submission("a", 100.0, 100.0).submission("b", 200.0, 50.0);
    t
}

#[test]
fn a_geometric_mean_of_ratios_over_workloads() {
    let t = two_submissions();
    let s = loaded(&t, &[(SCORE, "score = \"geomean(ratio over workloads)\"")]);
    let o = scored(&t, &s);
    // Unweighted: both are (1 · 2)^(1/2).
    let expected = 2f64.sqrt();
    assert!(close(fixtures::score_of(&o, "a"), expected, 1e-15));
    assert!(close(fixtures::score_of(&o, "b"), expected, 1e-15));
}

#[test]
fn weights_apply_to_mean_and_geomean_over_workloads() {
    let t = two_submissions();
    let weights = (FRAMEWORKS, "weights = { alpha = 3 }\nframeworks = [");
    let s = loaded(
        &t,
        &[
            weights,
            (SCORE, "score = \"geomean(ratio over workloads)\""),
        ],
    );
    let o = scored(&t, &s);
    // a: exp((3 ln 1 + 1 ln 2) / 4) = 2^(1/4); b: exp((3 ln 2 + ln 1) / 4) = 2^(3/4).
    assert!(close(fixtures::score_of(&o, "a"), 2f64.powf(0.25), 1e-15));
    assert!(close(fixtures::score_of(&o, "b"), 2f64.powf(0.75), 1e-15));

    let t = two_submissions();
    let s = loaded(
        &t,
        &[
            weights,
            (
                SCORE,
                "score = \"mean(ratio over workloads) + count(ratio <= 1 over workloads) + min(ratio over workloads) / 10\"",
            ),
        ],
    );
    let o = scored(&t, &s);
    // a: (3·1 + 1·2)/4 = 1.25, one ratio ≤ 1, min 1 → 1.25 + 1 + 0.1.
    // b: (3·2 + 1·1)/4 = 1.75, one ratio ≤ 1, min 1 → 1.75 + 1 + 0.1.
    assert_eq!(fixtures::score_of(&o, "a"), 1.25 + 1.0 + 0.1);
    assert_eq!(fixtures::score_of(&o, "b"), 1.75 + 1.0 + 0.1);
}

#[test]
fn a_workload_not_run_is_skipped_unless_the_formula_says_what_it_counts_as() {
    let t = two_submissions();
    // c ran alpha only, at 300 s: ratio 3 on alpha, NaN on beta.
    t.trial(
        "c",
        "study_0",
        "alpha_jax",
        "trial_1",
        &[(150.0, 3.0), (300.0, 0.9)],
    );
    let s = loaded(
        &t,
        &[(
            SCORE,
            "score = \"mean(ratio over workloads) * 10 + mean(if(finite(ratio), ratio, tau_max) over workloads)\"",
        )],
    );
    let o = scored(&t, &s);
    // mean skips the NaN: 3; with a missed workload counted as τ max (4):
    // (3 + 4) / 2 = 3.5.
    assert_eq!(fixtures::score_of(&o, "c"), 30.0 + 3.5);
    // a: ratios 1, 2 → 1.5 · 10 + 1.5.
    assert_eq!(fixtures::score_of(&o, "a"), 15.0 + 1.5);
}

#[test]
fn misuse_of_the_score_over_workloads_is_located() {
    same_messages(&[
        (
            refused(&Tree::new(), &[(SCORE, "score = \"geomean(ratio over studies)\"")]),
            "error: SPEC:37:29: cannot reduce over `studies` in [profile] score\n   |\n37 | score = \"geomean(ratio over studies)\"\n   |                             ^^^^^^^\n  = expected `geomean(X over workloads)` (X of each base workload, e.g. `ratio`) or `geomean(rho)`",
        ),
        (
            refused(&Tree::new(), &[(SCORE, "score = \"ratio\"")]),
            "error: SPEC:37:10: `ratio` is a value of each base workload: reduce it over them\n   |\n37 | score = \"ratio\"\n   |          ^^^^^\n  = expected e.g. `geomean(ratio over workloads)`",
        ),
        (
            refused(&Tree::new(), &[(SCORE, "score = \"mean(ratoi over workloads)\"")]),
            "error: SPEC:37:15: unknown name `ratoi` in [profile] score (did you mean `ratio`?)\n   |\n37 | score = \"mean(ratoi over workloads)\"\n   |               ^^^^^\n  = expected one of: `inf`, `ratio`, `tau_max`, `tau_min`, `weight`",
        ),
        (
            refused(&Tree::new(), &[
                (FRAMEWORKS, "weights = { alpha = 3 }\nframeworks = ["),
                (SCORE, "score = \"median(ratio over workloads)\""),
            ]),
            "error: SPEC:38:10: `median` over workloads has no weighted form, and [workloads] weights gives weights other than 1\n   |\n38 | score = \"median(ratio over workloads)\"\n   |          ^^^^^^\n  = expected `mean`, `geomean`, `min` or `max` over workloads (weighted), or no weights",
        ),
    ]);
}

// ---------------------------------------------------------------------------
// 2. ρ as partial credit.

const TAU: &str = "tau = \"linspace(1, 4, 100)\"";

#[test]
fn rho_as_partial_credit_is_the_weighted_mean_of_each_workloads_credit() {
    let t = two_submissions();
    // c: alpha 500 s (> 4 × 100: cut to ∞ by the step), beta 100 (ratio 2).
    t.submission("c", 500.0, 100.0);
    let s = loaded(
        &t,
        &[
            (FRAMEWORKS, "weights = { alpha = 3 }\nframeworks = ["),
            (
                TAU,
                "tau = \"[1, 2, 4]\"\nrho = \"fraction(min(1, tau / ratio))\"",
            ),
        ],
    );
    assert!(s.rho_credit);
    let o = scored(&t, &s);
    let lb = &o.leaderboard;
    let rho = |sub: &str| -> Vec<f64> {
        let r = lb.row(sub).expect("row");
        (0..3).map(|j| lb.rules.profile[(r, j)]).collect()
    };
    // Credit min(1, τ / ratio), weights alpha 3, beta 1, total 4.
    // a, ratios (1, 2): τ=1: (3·1 + 1·½)/4; τ=2, 4: (3 + 1)/4.
    assert_eq!(rho("a"), [3.5 / 4.0, 1.0, 1.0]);
    // b, ratios (2, 1): τ=1: (3·½ + 1)/4; τ=2, 4: 1.
    assert_eq!(rho("b"), [2.5 / 4.0, 1.0, 1.0]);
    // c, ratios (∞, 2): ∞ earns 0; beta ½ at τ=1, then 1.
    assert_eq!(rho("c"), [0.5 / 4.0, 0.25, 0.25]);
}

#[test]
fn a_credit_outside_0_1_names_the_cell_at_scoring_and_a_constant_one_at_check() {
    let t = two_submissions();
    let s = loaded(
        &t,
        &[(TAU, "tau = \"[1, 2, 4]\"\nrho = \"fraction(tau / ratio)\"")],
    );
    // a's alpha ratio is 1: τ / ratio = 2 at τ = 2.
    assert_eq!(
        score_error(&t, &s),
        "SPEC: ρ of a on alpha at τ = 2.0: the credit must be a number from 0 to 1, found 2.0 (ratio 1.0)"
    );
    let t = Tree::new();
    assert_eq!(
        refused(&t, &[(TAU, "tau = \"[1, 2, 4]\"\nrho = \"fraction(1.5)\"")]),
        "error: SPEC:36:17: ρ's credit must be a number from 0 to 1, found 1.5\n   |\n36 | rho = \"fraction(1.5)\"\n   |                 ^^^\n  = expected `fraction(CONDITION)`, e.g. `fraction(ratio <= tau)`, or `fraction(NUMBER)` of a number in [0, 1], e.g. `fraction(min(1, tau / ratio))`"
    );
}

#[test]
fn a_credit_that_reads_only_tau_is_checked_on_the_grid() {
    // τ / 4 on [1, 2, 4] stays in [0, 1]; τ / 2 is 2 at τ = 4.
    loaded(
        &Tree::new(),
        &[(TAU, "tau = \"[1, 2, 4]\"\nrho = \"fraction(tau / 4)\"")],
    );
    assert_eq!(
        refused(
            &Tree::new(),
            &[(TAU, "tau = \"[1, 2, 4]\"\nrho = \"fraction(tau / 2)\"")]
        ),
        "error: SPEC:36:17: ρ's credit must be a number from 0 to 1, found 2.0 at τ = 4.0\n   |\n36 | rho = \"fraction(tau / 2)\"\n   |                 ^^^^^^^\n  = expected `fraction(CONDITION)`, e.g. `fraction(ratio <= tau)`, or `fraction(NUMBER)` of a number in [0, 1], e.g. `fraction(min(1, tau / ratio))`"
    );
}

// ---------------------------------------------------------------------------
// 3. `count` in the aggregate slots.

const WORKLOAD: &str = "workload = \"median(studies)\"";
const STUDY: &str = "study = \"pick(trials, by = eval_index, then = time)\"";

/// Three studies of one trial; b misses alpha's target in its third.
fn three_studies() -> Tree {
    let t = Tree::expecting(3, 1);
    t.one_trial_studies("a", &[100.0, 200.0, 300.0], &[100.0, 100.0, 100.0]);
    t.one_trial_studies("b", &[100.0, 120.0, 130.0], &[90.0, 90.0, 90.0]);
    // b's third alpha study never gets below the loss target 1.0.
    t.trial(
        "b",
        "study_2",
        "alpha_jax",
        "trial_1",
        &[(50.0, 3.0), (130.0, 2.0)],
    );
    t
}

#[test]
fn count_of_studies_that_reach_the_target_in_the_workload_slot() {
    let t = three_studies();
    let s = loaded(
        &t,
        &[(
            WORKLOAD,
            "workload = \"if(count(studies where finite(time)) >= 3, median(studies), inf)\"",
        )],
    );
    let o = scored(&t, &s);
    // a: all three reached: median(100, 200, 300) = 200; b: two of three → ∞
    // (a plain median would give median(100, 120, ∞) = 120).
    assert_eq!(fixtures::time_of(&o, "a", "alpha"), 200.0);
    assert_eq!(fixtures::time_of(&o, "b", "alpha"), f64::INFINITY);
    assert_eq!(fixtures::time_of(&o, "b", "beta"), 90.0);

    // The bare-condition form and `count(studies)`: at least 2 of 3, then
    // the fastest, times the share of studies that reached.
    let t = three_studies();
    let s = loaded(
        &t,
        &[(
            WORKLOAD,
            "workload = \"if(count(finite(time)) >= 2, min(studies) * count(studies) / count(finite(time)), inf)\"",
        )],
    );
    let o = scored(&t, &s);
    assert_eq!(fixtures::time_of(&o, "a", "alpha"), 100.0);
    assert_eq!(fixtures::time_of(&o, "b", "alpha"), 100.0 * 3.0 / 2.0);
}

#[test]
fn count_of_trials_in_the_study_slot() {
    let t = Tree::expecting(1, 3);
    // a: trials reach alpha at 40, 30 and never; b: at 50 only.
    let rows = |at: f64| vec![(at / 2.0, 3.0), (at, 0.9)];
    t.trial("a", "study_0", "alpha_jax", "trial_1", &rows(40.0));
    t.trial("a", "study_0", "alpha_jax", "trial_2", &rows(30.0));
    t.trial(
        "a",
        "study_0",
        "alpha_jax",
        "trial_3",
        &[(10.0, 3.0), (20.0, 2.0)],
    );
    t.trial("b", "study_0", "alpha_jax", "trial_1", &rows(50.0));
    t.trial(
        "b",
        "study_0",
        "alpha_jax",
        "trial_2",
        &[(10.0, 3.0), (20.0, 2.0)],
    );
    t.trial(
        "b",
        "study_0",
        "alpha_jax",
        "trial_3",
        &[(10.0, 3.0), (20.0, 2.0)],
    );
    for sub in ["a", "b"] {
        for k in 1..=3 {
            t.trial(
                sub,
                "study_0",
                "beta_pytorch",
                &format!("trial_{k}"),
                &[(5.0, 0.1), (10.0, 0.6)],
            );
        }
    }
    let s = loaded(
        &t,
        &[(
            STUDY,
            "study = \"if(count(trials where finite(time)) >= 2, min(trials), inf)\"",
        )],
    );
    let o = scored(&t, &s);
    // a: two of three reached → min(40, 30) = 30; b: one → ∞.
    assert_eq!(fixtures::time_of(&o, "a", "alpha"), 30.0);
    assert_eq!(fixtures::time_of(&o, "b", "alpha"), f64::INFINITY);
    assert_eq!(fixtures::time_of(&o, "b", "beta"), 10.0);
}

#[test]
fn misuse_of_count_in_the_aggregate_slots_is_located() {
    same_messages(&[
        (
            refused(&Tree::new(), &[(
                WORKLOAD,
                "workload = \"if(count(studis where finite(time)) >= 3, median(studies), inf)\""
            )]),
            "error: SPEC:25:22: unknown set `studis` (did you mean `studies`?)\n   |\n25 | workload = \"if(count(studis where finite(time)) >= 3, median(studies), inf)\"\n   |                      ^^^^^^\n  = expected `count(studies where CONDITION)`, e.g. `count(studies where finite(time))`",
        ),
        (
            refused(&Tree::new(), &[(WORKLOAD, "workload = \"count(trials where finite(time))\"")]),
            "error: SPEC:25:19: in [aggregate] workload `count` counts the studies, not the trials\n   |\n25 | workload = \"count(trials where finite(time))\"\n   |                   ^^^^^^\n  = expected `count(studies where CONDITION)`, e.g. `count(studies where finite(time))`",
        ),
        (
            refused(&Tree::new(), &[(WORKLOAD, "workload = \"median(studies) + time\"")]),
            "error: SPEC:25:31: `time` is a value of each of the studies: it stands inside a reduction or `count`\n   |\n25 | workload = \"median(studies) + time\"\n   |                               ^^^^\n  = expected e.g. `count(studies where time …)` or `min(time)`",
        ),
    ]);
}

// ---------------------------------------------------------------------------
// 4. `step`, `best` and `final` as `pick` keys.

/// Per trial: (time, metric) rows. The first row reaching the target is
/// the trial's time; steps are 10, 20, 30, … (fixtures::csv_text).
type Rows = &'static [(f64, f64)];

/// alpha (loss, minimised, target 1): the first reaching row, best and
/// last value differ in which trial wins.
const ALPHA: [Rows; 3] = [
    &[(10.0, 3.0), (20.0, 0.9), (30.0, 0.1), (40.0, 0.8)],
    &[(10.0, 0.95), (20.0, 0.3), (30.0, 0.6)],
    &[(8.0, 2.0), (16.0, 0.5), (24.0, 0.4)],
];
/// beta (accuracy, maximised, target 0.5), the same shape upside down.
const BETA: [Rows; 3] = [
    &[(10.0, 0.1), (20.0, 0.6), (30.0, 0.9), (40.0, 0.2)],
    &[(10.0, 0.55), (20.0, 0.7), (30.0, 0.65)],
    &[(8.0, 0.2), (16.0, 0.52), (24.0, 0.8)],
];

fn three_trials() -> Tree {
    let t = Tree::expecting(1, 3);
    for k in 0..3 {
        let trial = format!("trial_{}", k + 1);
        t.trial("a", "study_0", "alpha_jax", &trial, ALPHA[k]);
        t.trial("a", "study_0", "beta_pytorch", &trial, BETA[k]);
    }
    t
}

/// What a trial's quantities are, computed here from its rows: (time and
/// step at the first row reaching the target, best value by the goal,
/// last value).
fn quantities(rows: Rows, maximise: bool, target: f64) -> (f64, f64, f64, f64) {
    let reached = |m: f64| if maximise { m >= target } else { m <= target };
    let first = rows.iter().position(|r| reached(r.1)).expect("reaches");
    let best = rows
        .iter()
        .map(|r| r.1)
        .fold(if maximise { f64::MIN } else { f64::MAX }, |b, m| {
            if maximise {
                b.max(m)
            } else {
                b.min(m)
            }
        });
    let step = ((first + 1) * 10) as f64;
    (rows[first].0, step, best, rows[rows.len() - 1].1)
}

/// The time of the trial the key ranks first (`better` orders two key values).
fn expected_pick(trials: &[Rows; 3], maximise: bool, target: f64, key: usize) -> f64 {
    let q: Vec<(f64, f64, f64, f64)> = trials
        .iter()
        .map(|r| quantities(r, maximise, target))
        .collect();
    let value = |k: usize| match key {
        1 => q[k].1,
        2 | 3 if maximise => -[q[k].2, q[k].3][key - 2],
        _ => [q[k].2, q[k].3][key - 2],
    };
    let winner = (0..3)
        .min_by(|&x, &y| value(x).total_cmp(&value(y)))
        .expect("three");
    q[winner].0
}

#[test]
fn pick_by_step_best_and_final_respects_the_metrics_goal() {
    for (key, text) in [(1, "step"), (2, "best"), (3, "final")] {
        let t = three_trials();
        let s = loaded(
            &t,
            &[(STUDY, &format!("study = \"pick(trials, by = {text})\""))],
        );
        let o = scored(&t, &s);
        let alpha = expected_pick(&ALPHA, false, 1.0, key);
        let beta = expected_pick(&BETA, true, 0.5, key);
        assert_eq!(fixtures::time_of(&o, "a", "alpha"), alpha, "by = {text}");
        assert_eq!(fixtures::time_of(&o, "a", "beta"), beta, "by = {text}");
    }
    // By hand: step picks trial 2 (step 10; 10 s); best picks trial 1
    // (loss 0.1, accuracy 0.9; 20 s); final picks trial 3 (loss 0.4,
    // accuracy 0.8; 16 s) — on both workloads, whatever the goal.
    assert_eq!(expected_pick(&ALPHA, false, 1.0, 1), 10.0);
    assert_eq!(expected_pick(&ALPHA, false, 1.0, 2), 20.0);
    assert_eq!(expected_pick(&ALPHA, false, 1.0, 3), 16.0);
    assert_eq!(expected_pick(&BETA, true, 0.5, 2), 20.0);
    assert_eq!(expected_pick(&BETA, true, 0.5, 3), 16.0);
}

#[test]
fn a_later_key_breaks_ties_of_step() {
    let t = three_trials();
    // Trials 1 and 3 both reach at step 20; among them `final` prefers
    // trial 3 on both workloads. By `eval_index` alone trial 2 would win.
    let s = loaded(
        &t,
        &[(STUDY, "study = \"pick(trials, by = -step, then = final)\"")],
    );
    let o = scored(&t, &s);
    assert_eq!(fixtures::time_of(&o, "a", "alpha"), 16.0);
    assert_eq!(fixtures::time_of(&o, "a", "beta"), 16.0);
}

#[test]
fn misuse_of_the_new_pick_keys_is_located() {
    same_messages(&[
        (
            refused(&Tree::new(), &[(STUDY, "study = \"pick(trials, by = best * 2)\"")]),
            "error: SPEC:24:28: `best` is a metric value: it stands only as a whole key of `pick`\n   |\n24 | study = \"pick(trials, by = best * 2)\"\n   |                            ^^^^\n  = expected e.g. `pick(trials, by = eval_index, then = best)`, where the better value (by the workload's goal) comes first",
        ),
        (
            refused(&Tree::new(), &[(STUDY, "study = \"pick(trials, by = fianl)\"")]),
            "error: SPEC:24:28: unknown name `fianl` in [aggregate] study (did you mean `final`?)\n   |\n24 | study = \"pick(trials, by = fianl)\"\n   |                            ^^^^^\n  = expected one of: `best`, `eval_index`, `final`, `framework`, `inf`, `name`, `step`, `time`",
        ),
        (
            refused(&Tree::new(), &[(STUDY, "study = \"min(best)\"")]),
            "error: SPEC:24:14: `best` is a metric value: it stands only as a whole key of `pick`\n   |\n24 | study = \"min(best)\"\n   |              ^^^^\n  = expected e.g. `pick(trials, by = eval_index, then = best)`, where the better value (by the workload's goal) comes first",
        ),
    ]);
}

// ---------------------------------------------------------------------------
// 5. `framework`.

/// a: alpha in JAX (100 s), beta in PyTorch (100 s); b: alpha in PyTorch
/// (300 s), beta in JAX (120 s).
fn two_frameworks() -> Tree {
    let t = Tree::new();
    t.trial(
        "a",
        "study_0",
        "alpha_jax",
        "trial_1",
        &[(50.0, 3.0), (100.0, 0.9)],
    );
    t.trial(
        "a",
        "study_0",
        "beta_pytorch",
        "trial_1",
        &[(50.0, 0.1), (100.0, 0.6)],
    );
    t.trial(
        "b",
        "study_0",
        "alpha_pytorch",
        "trial_1",
        &[(150.0, 3.0), (300.0, 0.9)],
    );
    t.trial(
        "b",
        "study_0",
        "beta_jax",
        "trial_1",
        &[(60.0, 0.1), (120.0, 0.6)],
    );
    t
}

const STEPS: &str = "  \"all := inf where time > 4 * best\",";
const TRIAL: &str = "trial = \"first(time where reached)\"";

#[test]
fn a_step_per_framework() {
    let t = two_frameworks();
    let s = loaded(
        &t,
        &[(
            STEPS,
            "  \"all := inf where time > 4 * best\",\n  \"all := inf where framework == 'pytorch' and time > 2 * best\",",
        )],
    );
    let o = scored(&t, &s);
    let lb = &o.leaderboard;
    let cell = |sub: &str, w: &str| {
        let c = lb.workloads.iter().position(|x| x == w).expect("column");
        lb.rules.steps[2].matrix[(lb.row(sub).expect("row"), c)]
    };
    // Bests: alpha 100, beta 100. b's alpha (PyTorch, 300 > 200) is cut;
    // a's beta (PyTorch, 100) and b's beta (JAX, 120) stay.
    assert_eq!(cell("b", "alpha"), f64::INFINITY);
    assert_eq!(cell("a", "beta"), 100.0);
    assert_eq!(cell("b", "beta"), 120.0);
    assert_eq!(cell("a", "alpha"), 100.0);
}

#[test]
fn framework_in_the_trial_and_workload_slots() {
    let t = two_frameworks();
    let s = loaded(
        &t,
        &[(
            TRIAL,
            "trial = \"first(if(framework == 'jax', time, 2 * time) where reached)\"",
        )],
    );
    let o = scored(&t, &s);
    assert_eq!(fixtures::time_of(&o, "a", "alpha"), 100.0);
    assert_eq!(fixtures::time_of(&o, "a", "beta"), 200.0);
    assert_eq!(fixtures::time_of(&o, "b", "alpha"), 600.0);
    assert_eq!(fixtures::time_of(&o, "b", "beta"), 120.0);

    let t = two_frameworks();
    let s = loaded(
        &t,
        &[(
            WORKLOAD,
            "workload = \"median(if(framework != 'jax', 3 * time, time))\"",
        )],
    );
    let o = scored(&t, &s);
    assert_eq!(fixtures::time_of(&o, "a", "beta"), 300.0);
    assert_eq!(fixtures::time_of(&o, "b", "alpha"), 900.0);
    assert_eq!(fixtures::time_of(&o, "b", "beta"), 120.0);
}

#[test]
fn a_workload_run_in_two_frameworks_is_an_error_where_framework_is_read() {
    let t = two_frameworks();
    t.trial(
        "b",
        "study_1",
        "alpha_jax",
        "trial_1",
        &[(150.0, 3.0), (310.0, 0.9)],
    );
    let s = loaded(
        &t,
        &[(
            STEPS,
            "  \"all := inf where framework == 'pytorch' and time > 2 * best\",",
        )],
    );
    assert_eq!(
        score_error(&t, &s),
        "SPEC: step `all := inf where framework == 'pytorch' and time > 2.0 * best`, b on alpha: `framework`: the submission's folders of this workload are of several frameworks"
    );
}

#[test]
fn misuse_of_framework_is_located_with_a_did_you_mean() {
    same_messages(&[
        (
            refused(&Tree::new(), &[(STEPS, "  \"all := inf where framework == 'pytorh'\",")]),
            "error: SPEC:30:34: unknown framework 'pytorh' (did you mean `pytorch`?)\n   |\n30 |   \"all := inf where framework == 'pytorh'\",\n   |                                  ^^^^^^^^\n  = expected one of [workloads] frameworks: `jax`, `pytorch`",
        ),
        (
            refused(&Tree::new(), &[(STEPS, "  \"all := inf where framework < 'jax'\",")]),
            "error: SPEC:30:21: a framework is compared only by `==` or `!=`, not `<`\n   |\n30 |   \"all := inf where framework < 'jax'\",\n   |                     ^^^^^^^^^^^^^^^^^\n  = expected a comparison with a quoted name of [workloads] frameworks, e.g. `framework == 'jax'`",
        ),
        (
            refused(&Tree::new(), &[(STEPS, "  \"all := inf where time == 'jax'\",")]),
            "error: SPEC:30:29: a quoted name is compared only with `framework`\n   |\n30 |   \"all := inf where time == 'jax'\",\n   |                             ^^^^^\n  = expected a comparison with a quoted name of [workloads] frameworks, e.g. `framework == 'jax'`",
        ),
        (
            refused(&Tree::new(), &[(STEPS, "  \"all := inf where framework\",")]),
            "error: SPEC:30:21: expected a condition, found a framework\n   |\n30 |   \"all := inf where framework\",\n   |                     ^^^^^^^^^\n  = expected a comparison with a quoted name of [workloads] frameworks, e.g. `framework == 'jax'`",
        ),
    ]);
}

#[test]
fn resampling_reads_each_cells_framework_as_scoring_does() {
    use algoperf_engine::score::stability::{self, Method, Over, StudyTimes};
    let t = two_frameworks();
    let s = loaded(
        &t,
        &[(
            STEPS,
            "  \"all := inf where framework == 'pytorch' and time > 2 * best\",",
        )],
    );
    let o = scored(&t, &s);
    let lb = &o.leaderboard;
    // One study per cell: every bootstrap draw is the tree itself, so each
    // resample's scores are the point scores (b's alpha cut by the
    // PyTorch rule in each of them).
    let times = StudyTimes::from_leaderboard(lb);
    let options = stability::Options {
        method: Method::Bootstrap,
        over: Over::Studies,
        resamples: 3,
        seed: 1,
        level: 0.95,
    };
    let resampled = stability::resampled_scores(&s, &times, &options).expect("resample");
    assert_eq!(resampled.len(), 3);
    for scores in &resampled {
        assert_eq!(scores, &lb.rules.scores);
    }
    assert_eq!(lb.rules.ratios[(lb.row("b").expect("b"), 0)], f64::INFINITY);
}
