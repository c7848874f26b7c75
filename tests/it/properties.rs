//! Properties of the scoring core (`score::score` and the reports of
//! `run::score`), on submissions built in memory: random trials of random
//! studies of three workloads (two base, one held-out variant), with
//! targets reached or missed, NaN metrics and workloads not run.

use crate::fixtures;

use std::path::PathBuf;
use std::sync::OnceLock;

use algoperf_engine::diagnostics::Warnings;
use algoperf_engine::ingest::{Ingested, Series, Submission, Trial, TrialId, WorkloadFolder};
use algoperf_engine::run::{self, Options};
use algoperf_engine::score;
use algoperf_engine::spec::{self, Spec};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::SeedableRng;

/// The spec, written once to a temporary folder and loaded.
fn spec() -> &'static Spec {
    static SPEC: OnceLock<(tempfile::TempDir, Spec)> = OnceLock::new();
    &SPEC
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::write(dir.path().join("targets.toml"), fixtures::TARGETS).expect("write");
            let path = dir.path().join("test.toml");
            std::fs::write(
                &path,
                fixtures::ruleset_with(fixtures::COMPATIBLE, true, 2, 2),
            )
            .expect("write");
            let spec = spec::load(&path).expect("spec");
            (dir, spec)
        })
        .1
}

const WORKLOADS: [&str; 3] = ["alpha", "alpha_v", "beta"];

/// Metric values per workload: some reach the target, some not, some NaN.
fn metric(workload: &str, choice: usize) -> f64 {
    let values: [f64; 6] = match workload {
        "beta" => [0.1, 0.4, 0.5, 0.6, 0.9, f64::NAN],
        "alpha_v" => [4.0, 2.5, 2.0, 1.5, 0.5, f64::NAN],
        _ => [3.0, 1.5, 1.0, 0.9, 0.2, f64::NAN],
    };
    values[choice % values.len()]
}

/// One trial: (time increment ≥ 1 s, metric choice) per evaluation.
type RawTrial = Vec<(u32, usize)>;
/// Per workload: None (not run) or studies of trials.
type RawSubmission = Vec<Option<Vec<Vec<RawTrial>>>>;

fn raw_trial() -> impl Strategy<Value = RawTrial> {
    prop::collection::vec((1u32..500, 0usize..6), 1..5)
}

fn raw_submission() -> impl Strategy<Value = RawSubmission> {
    let studies = prop::collection::vec(prop::collection::vec(raw_trial(), 1..3), 1..3);
    prop::collection::vec(prop::option::weighted(0.85, studies), WORKLOADS.len())
}

fn raw_board() -> impl Strategy<Value = Vec<RawSubmission>> {
    prop::collection::vec(raw_submission(), 1..5)
}

fn trial(workload: &str, study: usize, k: usize, raw: &RawTrial) -> Trial {
    let mut series = Series::default();
    let mut t = 0.0;
    for (i, &(dt, choice)) in raw.iter().enumerate() {
        t += f64::from(dt);
        series.time.push(t);
        series.summary_time.push(t);
        series.step.push((i as f64 + 1.0) * 10.0);
        series.metric.push(metric(workload, choice));
    }
    let column = spec().targets[workload].column.clone();
    let folder = WorkloadFolder {
        study: format!("study_{study}"),
        name: format!("{workload}_jax"),
        workload: workload.to_string(),
        run: String::new(),
        metric_column: column,
    };
    Trial {
        id: TrialId {
            folder: std::sync::Arc::new(folder),
            trial: format!("trial_{}", k + 1),
        },
        path: PathBuf::from("memory"),
        series,
        digest: None,
    }
}

fn build(board: &[RawSubmission]) -> Ingested {
    let submissions = board
        .iter()
        .enumerate()
        .map(|(s, raw)| {
            let mut trials = Vec::new();
            for (w, studies) in raw.iter().enumerate() {
                for (st, study) in studies.iter().flatten().enumerate() {
                    for (k, tr) in study.iter().enumerate() {
                        trials.push(trial(WORKLOADS[w], st, k, tr));
                    }
                }
            }
            Submission {
                name: format!("sub_{s}"),
                trials,
            }
        })
        .collect();
    Ingested {
        submissions,
        warnings: Warnings::default(),
    }
}

fn scores(ingested: &Ingested) -> score::Leaderboard {
    score::score(ingested, spec(), &mut Warnings::default()).expect("score")
}

/// Every output file of a run, as bytes.
fn files(ingested: &Ingested) -> Vec<(String, Vec<u8>)> {
    run::score(ingested, spec(), &Options::default())
        .expect("score")
        .files
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        // No files of failing cases next to the sources: the failure is
        // printed, with its seed, and can be pasted into a test.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn scores_lie_in_0_1(board in raw_board()) {
        let lb = scores(&build(&board));
        for (name, s) in lb.submissions.iter().zip(&lb.rules.scores) {
            prop_assert!((0.0..=1.0).contains(s), "{name}: {s}");
        }
    }

    #[test]
    fn reordering_submissions_studies_and_trials_changes_nothing(
        board in raw_board(),
        seed in any::<u64>(),
    ) {
        let ingested = build(&board);
        let mut shuffled = ingested.clone();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        shuffled.submissions.shuffle(&mut rng);
        for s in &mut shuffled.submissions {
            // Trials of every study and workload, interleaved at random.
            s.trials.shuffle(&mut rng);
        }
        let (a, b) = (scores(&ingested), scores(&shuffled));
        prop_assert_eq!(&a.submissions, &b.submissions);
        prop_assert_eq!(&a.rules.scores, &b.rules.scores);
        prop_assert!(files(&ingested) == files(&shuffled), "output bytes differ");
    }

    #[test]
    fn a_submission_faster_on_one_workload_never_loses_score(
        board in raw_board(),
        who in any::<prop::sample::Index>(),
        which in 0usize..WORKLOADS.len(),
        factor in 0.05f64..1.0,
    ) {
        let ingested = build(&board);
        let row = who.index(ingested.submissions.len());
        let mut faster = ingested.clone();
        for t in &mut faster.submissions[row].trials {
            if t.id.folder.workload == WORKLOADS[which] {
                for v in &mut t.series.time {
                    *v *= factor;
                }
            }
        }
        let name = &ingested.submissions[row].name;
        let (before, after) = (scores(&ingested), scores(&faster));
        let r = before.row(name).expect("row");
        prop_assert!(
            after.rules.scores[r] >= before.rules.scores[r],
            "{name} {} faster ×{factor}: {} → {}",
            WORKLOADS[which],
            before.rules.scores[r],
            after.rules.scores[r]
        );
    }

    #[test]
    fn removing_a_submission_never_changes_another_s_times(
        board in raw_board(),
        who in any::<prop::sample::Index>(),
    ) {
        let ingested = build(&board);
        let gone = who.index(ingested.submissions.len());
        let mut fewer = ingested.clone();
        let removed = fewer.submissions.remove(gone).name;
        let (all, rest) = (scores(&ingested), scores(&fewer));
        prop_assert_eq!(&all.workloads, &rest.workloads);
        for (r, name) in rest.submissions.iter().enumerate() {
            let ra = all.row(name).expect("row");
            for c in 0..rest.workloads.len() {
                let (x, y) = (all.time_to_targets[(ra, c)], rest.time_to_targets[(r, c)]);
                prop_assert!(
                    x == y || (x.is_nan() && y.is_nan()),
                    "{name}/{}: {x} → {y} without {removed}",
                    rest.workloads[c]
                );
            }
        }
    }

    #[test]
    fn a_submission_fastest_on_every_workload_scores_1(board in raw_board()) {
        let mut ingested = build(&board);
        // Every generated time is at least 1 s: reaching every target at
        // 0.5 s is faster than anyone.
        let trials = WORKLOADS
            .iter()
            .map(|w| trial(w, 0, 0, &vec![(1, 4)]))
            .map(|mut t| {
                t.series.time = vec![0.5];
                t
            })
            .collect();
        ingested.submissions.push(Submission { name: "fast".into(), trials });
        let lb = scores(&ingested);
        let r = lb.row("fast").expect("row");
        prop_assert!((lb.rules.scores[r] - 1.0).abs() < 1e-12, "{}", lb.rules.scores[r]);
        prop_assert!(lb.rules.scores[r] <= 1.0, "{}", lb.rules.scores[r]);
    }
}
