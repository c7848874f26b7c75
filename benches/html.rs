//! criterion bench of the HTML leaderboard page (`--html`): rendering the
//! v0.5 external-tuning page (the plot, 154 cells with their `explain`
//! text, warnings, provenance) from an already scored leaderboard — the
//! time `--html` adds to a scoring run, besides writing ~0.5 MB. Skipped
//! without the shared data.
//!
//! Run: `cargo bench --bench html`.

mod common;

use std::collections::BTreeMap;

use algoperf_engine::ingest::Silent;
use algoperf_engine::report::html;
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec;
use common::{data_dir, repo};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench_html(c: &mut Criterion) {
    let logs = data_dir().join("logs/v05/external_tuning");
    if !logs.is_dir() {
        eprintln!("skipping html_v05: no data at {}", logs.display());
        return;
    }
    let spec = spec::load(&repo("rulesets/v05_external.toml")).expect("ruleset");
    let ingested = run::read(&logs, &spec, &Options::default(), &Silent).expect("read");
    let (lb, warnings) = run::score_only(&ingested, &spec, &Options::default()).expect("score");
    let info = BTreeMap::new();
    let provenance = html::Provenance::new(&spec, "bench".into(), "csv".into()).expect("hash");
    let page = html::Page {
        spec: &spec,
        leaderboard: &lb,
        warnings: &warnings,
        info: &info,
        logs: &BTreeMap::new(),
        provenance: &provenance,
        stability: None,
        curves: None,
    };
    let mut group = c.benchmark_group("html");
    group.sample_size(30);
    group.bench_function("render_v05", |b| b.iter(|| black_box(html::render(&page))));
    group.bench_function("provenance_v05", |b| {
        b.iter(|| html::Provenance::new(&spec, "bench".into(), "csv".into()).expect("hash"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // No plots: criterion's plotting backend needs a system font.
    config = Criterion::default().without_plots();
    targets = bench_html
}
criterion_main!(benches);
