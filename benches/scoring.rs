//! criterion benches of the scoring engine:
//!
//! - `profile_core/W{8,14}/N`: the rule steps, ratios, profile and scores
//!   (`score::apply_rules`) for N submissions × W workloads, N = 10 … 10,000;
//!   the throughput is N × W cells, so a flat elements/s line is linear growth;
//! - `ingest_trial`: parsing one real eval_measurements.csv (the wanted
//!   columns only);
//! - `e2e_v05`: the whole v0.5 external-tuning run (read 3,718 files, score,
//!   render every output) when the shared data is present.
//!
//! Run: `cargo bench --bench scoring` (add `-- profile_core` to pick a group).

mod common;

use algoperf_engine::diagnostics::Warnings;
use algoperf_engine::ingest::{csv, Silent};
use algoperf_engine::run::{self, Options};
use algoperf_engine::score::apply_rules;
use algoperf_engine::spec;
use common::{data_dir, repo};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};

fn bench_profile_core(c: &mut Criterion) {
    let mut group = c.benchmark_group("profile_core");
    group.sample_size(20);
    // W = 8: v0.6 (base only); W = 14: v0.5 (8 base + 6 held-out).
    for (w, ruleset) in [
        (8, "rulesets/v06_external.toml"),
        (14, "rulesets/v05_external.toml"),
    ] {
        let spec = spec::load(&repo(ruleset)).expect("ruleset");
        let workloads = spec.matrix_workloads();
        assert_eq!(workloads.len(), w);
        for n in [10usize, 100, 1_000, 10_000] {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(n as u64);
            let submissions: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
            // Times around 1000 s, a tenth missed (∞), a few not run (NaN).
            let matrix = DMatrix::from_fn(n, w, |_, _| {
                let u: f64 = rng.gen();
                if u < 0.1 {
                    f64::INFINITY
                } else if u < 0.12 {
                    f64::NAN
                } else {
                    1000.0 * rng.gen_range(1.0..6.0)
                }
            });
            group.throughput(Throughput::Elements((n * w) as u64));
            group.bench_with_input(BenchmarkId::new(format!("W{w}"), n), &matrix, |b, m| {
                b.iter(|| {
                    let mut warnings = Warnings::default();
                    black_box(
                        apply_rules(&spec, &submissions, &workloads, m.clone(), &mut warnings)
                            .expect("rules"),
                    )
                })
            });
        }
    }
    group.finish();
}

fn bench_ingest_trial(c: &mut Criterion) {
    let path = data_dir()
        .join("logs/v05/external_tuning/baseline/study_0/wmt_jax/trial_1/eval_measurements.csv");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(_) => {
            eprintln!(
                "ingest_trial: {} not found, using a synthetic file",
                path.display()
            );
            let mut s = String::from(
                "accumulated_submission_time,global_step,score,validation/bleu,x,y,z\n",
            );
            for i in 0..100 {
                s.push_str(&format!(
                    "{}.123456789,{},{}.123456789,{}.5,1,2,3\n",
                    i * 10,
                    i * 100,
                    i * 10,
                    i % 30
                ));
            }
            s.into_bytes()
        }
    };
    let columns = algoperf_engine::spec::Columns {
        time: "score".into(),
        summary_time: "accumulated_submission_time".into(),
        step: "global_step".into(),
        metric_prefix: "validation/".into(),
    };
    let mut group = c.benchmark_group("ingest_trial");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("eval_measurements.csv", |b| {
        b.iter(|| {
            black_box(csv::read_series(&bytes, &columns, "validation/bleu", &[]).expect("csv"))
        })
    });
    group.finish();
}

fn bench_e2e(c: &mut Criterion) {
    let logs = data_dir().join("logs/v05/external_tuning");
    if !logs.is_dir() {
        eprintln!(
            "e2e_v05 skipped: {} not found (set ALGOPERF_DATA)",
            logs.display()
        );
        return;
    }
    let spec = spec::load(&repo("rulesets/v05_external.toml")).expect("ruleset");
    let mut group = c.benchmark_group("e2e_v05");
    group.sample_size(10);
    group.bench_function("read_score_render", |b| {
        b.iter(|| {
            let ingested = run::read(&logs, &spec, &Options::default(), &Silent).expect("read");
            black_box(run::score(&ingested, &spec, &Options::default()).expect("score"))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_profile_core, bench_ingest_trial, bench_e2e);
criterion_main!(benches);
