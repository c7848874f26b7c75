//! criterion bench of `stability`: 10,000 bootstrap resamples (over
//! studies) of the v0.5 external-tuning leaderboard on one thread, from the
//! already-scored study times (the logs are read once, before timing).
//! The target is ≤ 1 s of CPU on one core.
//!
//! Run: `cargo bench --bench stability` (about 20 s).

mod common;

use std::time::Duration;

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use algoperf_engine::score::stability::{self, Method, Over, StudyTimes};
use algoperf_engine::spec;
use common::{data_dir, repo};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench_bootstrap_v05(c: &mut Criterion) {
    let root = data_dir().join("logs/v05/external_tuning");
    if !root.is_dir() {
        eprintln!("skipping: no v0.5 logs at {}", root.display());
        return;
    }
    let spec = spec::load(&repo("rulesets/v05_external.toml")).expect("ruleset");
    let ingested = run::read(&root, &spec, &Options::default(), &Silent).expect("read");
    let (lb, _) = run::score_only(&ingested, &spec, &Options::default()).expect("score");
    let times = StudyTimes::from_leaderboard(&lb);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one thread");
    let mut group = c.benchmark_group("stability");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    for over in [Over::Studies, Over::Both] {
        let options = stability::Options {
            method: Method::Bootstrap,
            over,
            resamples: 10_000,
            seed: 1,
            level: 0.95,
        };
        group.bench_function(format!("bootstrap_10000_v05_{over:?}_1thread"), |b| {
            b.iter(|| {
                pool.install(|| {
                    black_box(
                        stability::resampled_scores(&spec, &times, &options).expect("resample"),
                    )
                })
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // No plots: criterion's plotting backend is not needed for one figure.
    config = Criterion::default().without_plots();
    targets = bench_bootstrap_v05
}
criterion_main!(benches);
