//! The rule steps and the ratio in column-wise form (`score::Rules`, what
//! `stability` re-scores every resample with) give the interpreter's
//! results to the bit: every step's matrix and best times, the ratios,
//! denominators, profile and scores, on random matrices full of NaN, ±∞,
//! ±0 and ties, for the published formulas and for formulas that use every
//! form the column-wise evaluator knows. Likewise `score::WorkloadTimes`,
//! which calls a plain reduction of the studies without the interpreter.

use algoperf_engine::diagnostics::Warnings;
use algoperf_engine::score::{workload_time, Ruled, Rules, WorkloadTimes};
use algoperf_engine::spec::{self, Spec};
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const PUBLISHED_STEPS: &str = r#"steps = [
  "held_out := inf where not finite(base)",
  "all := inf where time > 4 * best",
  "base := inf where not finite(held_out)",
]"#;

/// The v0.5 external spec with other rule steps and ratio.
fn spec_with(dir: &std::path::Path, steps: &[&str], ratio: &str) -> Spec {
    spec_aggregating(dir, steps, ratio, "median(studies)")
}

/// [`spec_with`] and another workload formula.
fn spec_aggregating(dir: &std::path::Path, steps: &[&str], ratio: &str, workload: &str) -> Spec {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/rulesets/v05_external.toml"))
        .expect("the v0.5 spec");
    assert!(text.contains(PUBLISHED_STEPS) && text.contains("ratio = \"time / best\""));
    assert!(text.contains("workload = \"median(studies)\""));
    let steps: Vec<String> = steps.iter().map(|s| format!("  {s:?},\n")).collect();
    let text = text
        .replace(PUBLISHED_STEPS, &format!("steps = [\n{}]", steps.concat()))
        .replace("ratio = \"time / best\"", &format!("ratio = {ratio:?}"))
        .replace(
            "workload = \"median(studies)\"",
            &format!("workload = {workload:?}"),
        )
        .replace(
            "\"../targets/algoperf_v05.toml\"",
            &format!("\"{root}/targets/algoperf_v05.toml\""),
        );
    let path = dir.join("spec.toml");
    std::fs::write(&path, text).expect("write the spec");
    spec::load(&path).unwrap_or_else(|e| panic!("the spec loads: {e:?}"))
}

/// A cell time: the awkward values often, ties often, else any.
fn time(rng: &mut ChaCha8Rng) -> f64 {
    const ODD: [f64; 8] = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        1.0,
        100.0,
        -3.0,
    ];
    match rng.gen_range(0..4) {
        0 => ODD[rng.gen_range(0..ODD.len())],
        1 => f64::from(rng.gen_range(1..6u32)) * 250.0,
        _ => rng.gen_range(1.0..5000.0),
    }
}

fn bits<'a>(values: impl IntoIterator<Item = &'a f64>) -> Vec<u64> {
    values.into_iter().map(|v| v.to_bits()).collect()
}

fn assert_same(fast: &Ruled, slow: &Ruled, case: &str) {
    assert_eq!(fast.steps.len(), slow.steps.len());
    for (i, (a, b)) in fast.steps.iter().zip(&slow.steps).enumerate() {
        assert_eq!(
            bits(a.matrix.iter()),
            bits(b.matrix.iter()),
            "{case}: step {i}'s matrix"
        );
        assert_eq!(bits(&a.best), bits(&b.best), "{case}: step {i}'s best");
    }
    assert_eq!(
        bits(&fast.denominators),
        bits(&slow.denominators),
        "{case}: denominators"
    );
    assert_eq!(
        bits(fast.ratios.iter()),
        bits(slow.ratios.iter()),
        "{case}: ratios"
    );
    assert_eq!(
        bits(fast.profile.iter()),
        bits(slow.profile.iter()),
        "{case}: profile"
    );
    assert_eq!(bits(&fast.scores), bits(&slow.scores), "{case}: scores");
}

/// Scores `cases` random matrices both ways; `cellwise` is what must run
/// column-wise (per step, and the ratio).
fn agree(steps: &[&str], ratio: &str, cellwise: (Vec<bool>, bool), cases: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = spec_with(dir.path(), steps, ratio);
    let workloads = spec.matrix_workloads();
    let mut rng = ChaCha8Rng::seed_from_u64(25);
    for case in 0..cases {
        let n = rng.gen_range(1..9);
        let mut submissions: Vec<String> = (0..n).map(|r| format!("s{r}")).collect();
        submissions[rng.gen_range(0..n)] = "baseline".to_string();
        submissions.sort();
        let m = workloads.len();
        let matrix = DMatrix::from_fn(n, m, |_, _| time(&mut rng));
        let frameworks = DMatrix::from_fn(n, m, |_, _| f64::from(rng.gen_range(0..2u8)));
        let rules = Rules::new(&spec, &submissions, &workloads, Some(&frameworks)).expect("rules");
        assert_eq!(rules.cellwise(), cellwise, "which formulas run column-wise");
        let fast = rules.ruled(&spec, matrix.clone(), &mut Warnings::default());
        let slow = Rules::new(&spec, &submissions, &workloads, Some(&frameworks))
            .expect("rules")
            .interpreted();
        assert_eq!(slow.cellwise(), (vec![false; steps.len()], false));
        let slow = slow.ruled(&spec, matrix, &mut Warnings::default());
        let case = format!("{steps:?}, ratio {ratio}, case {case}");
        match (fast, slow) {
            (Ok(a), Ok(b)) => assert_same(&a, &b, &case),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{case}"),
            (a, b) => panic!("{case}: {:?} against {:?}", a.err(), b.err()),
        }
    }
}

#[test]
fn published_steps_and_ratio_agree_with_the_interpreter() {
    let steps = [
        "held_out := inf where not finite(base)",
        "all := inf where time > 4 * best",
        "base := inf where not finite(held_out)",
    ];
    agree(&steps, "time / best", (vec![true; 3], true), 400);
    agree(
        &["all := inf where time > 4.0 * best"],
        "time / best",
        (vec![true], true),
        200,
    );
}

#[test]
fn every_column_wise_form_agrees_with_the_interpreter() {
    let steps = [
        "base := if(held_out > time, held_out, time) where finite(held_out) and not (time < 0)",
        "all := max(time, step_hint / 1000, 0.5) where time >= 2 * best or time == budget",
        "held_out := -abs(log(time)) where not finite(base) or base > target * 100",
        "all := min(time, sqrt(best) + 1) - 0 where time != best and time <= 3 * reference('baseline')",
        "base := inf where not not time >= 2.5 * best",
        "all := budget where not finite(time)",
    ];
    agree(&steps, "max(time, 1) / best", (vec![true; 6], true), 400);
    let steps = ["all := inf where time > 2 * reference('baseline')"];
    agree(
        &steps,
        "time / reference('baseline')",
        (vec![true], true),
        200,
    );
}

#[test]
fn formulas_with_a_reduction_stay_with_the_interpreter() {
    let steps = [
        "all := inf where time > 4 * best",
        "base := inf where time > 2 * median(time over submissions)",
    ];
    agree(&steps, "time / best", (vec![true, false], true), 100);
}

/// Every reduction of the studies, through `WorkloadTimes` and through the
/// interpreter: the same time to the bit, or the same error.
#[test]
fn workload_reductions_agree_with_the_interpreter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let steps = ["all := inf where time > 4 * best"];
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for formula in [
        "median(studies)",
        "mean(studies)",
        "geomean(studies)",
        "min(studies)",
        "max(studies)",
        "quantile(studies, 0.25)",
        "if(count(studies where finite(time)) >= 3, median(studies), inf)",
    ] {
        let spec = spec_aggregating(dir.path(), &steps, "time / best", formula);
        let mut scratch = Vec::new();
        let mut fast = WorkloadTimes::new(&spec, &mut scratch);
        for case in 0..2000 {
            let n = rng.gen_range(0..12);
            let studies: Vec<f64> = (0..n).map(|_| time(&mut rng)).collect();
            let cell = || "s/w".to_string();
            let a = fast.time(cell, &studies, 0.0);
            let b = workload_time(&spec, cell, &studies, 0.0, &mut Vec::new());
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.to_bits(), b.to_bits(), "{formula}, {case}: {studies:?}")
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{formula}, {case}: {a:?} against {b:?}"),
            }
        }
    }
}
