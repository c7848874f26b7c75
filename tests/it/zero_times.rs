//! Times of 0, −0.0, negative, `inf` and NaN (issue 26, items 9 and 10): a
//! zero time at the evaluation reaching the target is the best time and is
//! solved (with a warning); −0.0 is read as 0.0; a cell a rule set to ∞ is
//! never solved; the best submission of a workload always is.

use crate::fixtures::{self, Tree};

use algoperf_engine::diagnostics::Warnings;
use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options, Outcome};
use algoperf_engine::score::{self, Ruled};
use algoperf_engine::spec::Spec;
use nalgebra::DMatrix;
use proptest::prelude::*;

/// The ratio and solved-ness of a submission on a base workload.
fn ratio(o: &Outcome, sub: &str, workload: &str) -> f64 {
    let lb = &o.leaderboard;
    let r = lb.row(sub).expect("row");
    let k = lb
        .rules
        .base
        .iter()
        .position(|w| w == workload)
        .expect("base");
    lb.rules.ratios[(r, k)]
}

fn solved(o: &Outcome, sub: &str) -> usize {
    let lb = &o.leaderboard;
    lb.solved(lb.row(sub).expect("row"), 4.0)
}

#[test]
fn a_zero_time_reaching_the_target_is_the_best_and_solved_with_a_warning() {
    let tree = Tree::new();
    tree.submission("fast", 0.0, 50.0);
    tree.submission("slow", 100.0, 50.0);
    let o = tree.run(false).expect("run");
    assert_eq!(ratio(&o, "fast", "alpha"), 1.0);
    assert_eq!(ratio(&o, "slow", "alpha"), f64::INFINITY);
    assert_eq!(solved(&o, "fast"), 2);
    assert_eq!(solved(&o, "slow"), 1);
    assert_eq!(fixtures::score_of(&o, "fast"), 1.0);
    assert!(
        o.warnings.render().contains(
            "warning: time to target is 0 s, which is suspicious: it is the workload's \
             best time (ratio 1), and every positive time's ratio against it is ∞ \
             (fast/alpha)\n"
        ),
        "{}",
        o.warnings.render()
    );
    // Under --strict the suspicious time is an error.
    assert!(tree.run(true).is_err());
}

#[test]
fn negative_zero_is_read_as_zero_and_cannot_solve_a_cut_off_cell() {
    let tree = Tree::new();
    tree.trial(
        "neg",
        "study_0",
        "alpha_jax",
        "trial_1",
        &[(-0.0, 3.0), (-0.0, 0.9)],
    );
    tree.trial(
        "neg",
        "study_0",
        "beta_pytorch",
        "trial_1",
        &[(25.0, 0.1), (50.0, 0.6)],
    );
    tree.submission("a", 100.0, 50.0);
    let o = tree.run(false).expect("run");
    let time = fixtures::time_of(&o, "neg", "alpha");
    assert!(time == 0.0 && time.is_sign_positive(), "{time:?}");
    // a's 100 s is cut off (> 4 × 0): ∞ / 0.0 is ∞, never −∞.
    assert_eq!(ratio(&o, "a", "alpha"), f64::INFINITY);
    assert_eq!(solved(&o, "a"), 1);
    assert_eq!(ratio(&o, "neg", "alpha"), 1.0);
    // explain agrees with the score.
    let lb = &o.leaderboard;
    let ex = lb.explain(&tree.spec().1, "a", "alpha").expect("explain");
    assert!(!ex.ratio.expect("base workload").solved);
}

// ---------------------------------------------------------------------------
// Properties.

/// The times a generated trial can have at an evaluation.
fn time() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => (1u32..400).prop_map(f64::from),
        1 => Just(0.0),
        1 => Just(-0.0),
        1 => Just(-5.0),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NAN),
    ]
}

/// Per submission, per workload (alpha, beta): None (not run) or the
/// trial's (time, reached) rows.
type RawTree = Vec<[Option<Vec<(f64, bool)>>; 2]>;

fn raw_tree() -> impl Strategy<Value = RawTree> {
    let cell = || prop::option::weighted(0.9, prop::collection::vec((time(), any::<bool>()), 1..4));
    prop::collection::vec([cell(), cell()], 1..5)
}

/// Writes the tree: submission `s<k>`, one study of one trial each.
fn write(tree: &Tree, raw: &RawTree) {
    for (k, sub) in raw.iter().enumerate() {
        for (cell, (folder, [miss, hit])) in sub
            .iter()
            .zip([("alpha_jax", [3.0, 0.9]), ("beta_pytorch", [0.1, 0.6])])
        {
            if let Some(rows) = cell {
                let rows: Vec<(f64, f64)> = rows
                    .iter()
                    .map(|&(t, reached)| (t, if reached { hit } else { miss }))
                    .collect();
                tree.trial(&format!("s{k}"), "study_0", folder, "trial_1", &rows);
            }
        }
    }
}

/// The two invariants on a ruled matrix: a cell whose time after the rule
/// steps is ∞ or NaN is never solved (and never counted in ρ), and a
/// cell with its column's best finite time is solved at every τ ≥ 1.
fn check_invariants(spec: &Spec, after: &DMatrix<f64>, base_cols: &[usize], rules: &Ruled) {
    let n_base = base_cols.len() as f64;
    for r in 0..after.nrows() {
        let (mut finite, mut best) = (0.0, 0.0);
        for (k, &c) in base_cols.iter().enumerate() {
            let t = after[(r, c)];
            let ratio = rules.ratios[(r, k)];
            let column_best = (0..after.nrows())
                .map(|i| after[(i, c)])
                .filter(|v| !v.is_nan())
                .fold(f64::INFINITY, f64::min);
            if t.is_finite() {
                finite += 1.0;
            } else {
                assert!(
                    !rules.tau.values.iter().any(|&tau| ratio <= tau),
                    "row {r} col {c}: time {t} after the steps, ratio {ratio} counts as solved"
                );
            }
            if t.is_finite() && t == column_best {
                best += 1.0;
                assert!(
                    ratio <= spec.tau.min,
                    "row {r} col {c}: the best time {t} has ratio {ratio}"
                );
            }
        }
        for j in 0..rules.tau.values.len() {
            let rho = rules.profile[(r, j)] * n_base;
            assert!(
                rho <= finite + 1e-9,
                "row {r}: ρ counts {rho} of {finite} finite"
            );
            assert!(rho >= best - 1e-9, "row {r}: ρ counts {rho} of {best} best");
        }
    }
}

/// The matrix after the last rule step.
fn final_matrix(rules: &Ruled, before: &DMatrix<f64>) -> DMatrix<f64> {
    rules
        .steps
        .last()
        .map_or_else(|| before.clone(), |s| s.matrix.clone())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Through ingest: trees whose trials hold zeros, −0.0, negative, `inf`
    /// and NaN times.
    #[test]
    fn trees_with_odd_times_never_solve_a_cut_off_cell(raw in raw_tree()) {
        let tree = Tree::new();
        write(&tree, &raw);
        let (_, spec) = tree.spec();
        let Ok(ingested) = run::read(&tree.subs(), &spec, &Options::default(), &Silent) else {
            // Every trial skipped (a degenerate tree): nothing to score.
            return Ok(());
        };
        let lb = score::score(&ingested, &spec, &mut Warnings::default()).expect("score");
        for t in lb.time_to_targets.iter() {
            prop_assert!(!(*t == 0.0 && t.is_sign_negative()), "−0.0 reached the matrix");
        }
        let base_cols: Vec<usize> = lb
            .rules
            .base
            .iter()
            .map(|w| lb.workloads.iter().position(|x| x == w).expect("column"))
            .collect();
        let after = final_matrix(&lb.rules, &lb.time_to_targets);
        check_invariants(&spec, &after, &base_cols, &lb.rules);
    }

    /// The rules alone, on matrices no ingest would let through (negative
    /// and −0.0 times as well).
    #[test]
    fn matrices_with_odd_times_never_solve_a_cut_off_cell(
        cells in prop::collection::vec(time(), 2..17),
    ) {
        let tree = Tree::new();
        let (_, spec) = tree.spec();
        let rows = cells.len() / 2;
        let submissions: Vec<String> = (0..rows).map(|r| format!("s{r}")).collect();
        let workloads = vec!["alpha".to_string(), "beta".to_string()];
        let matrix = DMatrix::from_fn(rows, 2, |r, c| cells[2 * r + c]);
        let rules = score::apply_rules(&spec, &submissions, &workloads, matrix.clone(), &mut Warnings::default())
            .expect("rules");
        let after = final_matrix(&rules, &matrix);
        check_invariants(&spec, &after, &[0, 1], &rules);
    }
}
