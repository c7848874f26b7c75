//! Log-parsing throughput (MB/s, criterion's `Throughput::Bytes`).
//!
//! On synthetic logs made in memory by `synth` (one submission, old and new
//! format, about 8 MB each; needs no data): `parse_log` over the texts.
//!
//! On the real new-format workload folder
//! (`rawlogs/new_format/shampoo/study_1/criteo1tb_pytorch`, 18 logs, 1.5 MB):
//! `parse_log` over the texts already in memory (the parser and merge
//! alone), and `read_workload_logs` on the folder (adds listing, reading and
//! UTF-8 checking; the files sit in the page cache). Data comes from
//! `$ALGOPERF_DATA` or `<manifest>/../shared/algoperf`; this part prints a
//! note and measures nothing when it is absent.

mod common;

use std::path::{Path, PathBuf};

use algoperf_engine::ingest::rawlog::{parse_log, read_workload_logs};
use algoperf_engine::{spec, synth};
use common::data_dir;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// `parse_log` over every text: the number of evaluations read.
fn evaluations(texts: &[(PathBuf, String)]) -> usize {
    let mut evaluations = 0;
    for (name, text) in texts {
        if let Ok(read) = parse_log(name, black_box(text)) {
            evaluations += read.trials.iter().map(|t| t.len()).sum::<usize>();
        }
    }
    evaluations
}

/// `parse_log` over one synthetic submission's logs in each format.
fn bench_synthetic(c: &mut Criterion) {
    let rulesets = Path::new(env!("CARGO_MANIFEST_DIR")).join("rulesets/v05_external.toml");
    let Ok(spec) = spec::load(&rulesets) else {
        eprintln!(
            "synthetic rawlog bench skipped: cannot load {}",
            rulesets.display()
        );
        return;
    };
    let mut group = c.benchmark_group("rawlog_synthetic");
    for (name, format) in [
        ("old", synth::LogFormat::Old),
        ("new", synth::LogFormat::New),
    ] {
        let mut opts = synth::Options::for_spec(&spec, 1, 1);
        opts.raw_logs = Some(format);
        opts.csv = false;
        let texts: Vec<(PathBuf, String)> = synth::generate(&spec, &opts)
            .into_iter()
            .map(|(path, text)| (PathBuf::from(path), text))
            .collect();
        let bytes: u64 = texts.iter().map(|(_, t)| t.len() as u64).sum();
        group.throughput(Throughput::Bytes(bytes));
        group.bench_function(format!("parse_log/{name}_format"), |b| {
            b.iter(|| evaluations(&texts))
        });
    }
    group.finish();
}

fn bench_rawlog(c: &mut Criterion) {
    let dir = data_dir().join("rawlogs/new_format/shampoo/study_1/criteo1tb_pytorch");
    let Ok(listing) = std::fs::read_dir(&dir) else {
        eprintln!(
            "rawlog bench skipped: {} not found (set ALGOPERF_DATA)",
            dir.display()
        );
        return;
    };
    let mut files: Vec<PathBuf> = listing
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    files.sort();
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    let bytes: u64 = texts.iter().map(|(_, t)| t.len() as u64).sum();

    let mut group = c.benchmark_group("rawlog");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("parse_log/new_format_criteo1tb", |b| {
        b.iter(|| evaluations(&texts))
    });
    group.bench_function("read_workload_logs/new_format_criteo1tb", |b| {
        b.iter(|| read_workload_logs(black_box(&dir)).map(|r| r.trials.len()))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // No plots: criterion's plotting backend needs system fonts that a
    // bare machine lacks, and the figures are the MB/s it prints.
    config = Criterion::default().without_plots();
    targets = bench_synthetic, bench_rawlog
}
criterion_main!(benches);
