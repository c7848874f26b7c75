//! criterion benches of the CSV paths (issue 12):
//!
//! - `csv_reader/v05_external`: [`csv::read_series`] over every
//!   eval_measurements.csv of the v0.5 external-tuning logs held in memory
//!   (about 50 MB, when the shared data is present), in MB/s;
//! - `csv_reader/generated` and `csv_reader/generated_quoted`: a generated
//!   12-column trial file of 2,000 rows, as the logger writes it and with
//!   every cell quoted (the quoted path of the same reader), in MB/s;
//! - `summary_csv/rows`: rendering `<submission>_summary.csv` for 2,000
//!   trials, in rows/s.
//!
//! Run: `cargo bench --bench csv` (add `-- csv_reader` to pick a group).

mod common;

use std::path::{Path, PathBuf};

use algoperf_engine::ingest::csv;
use algoperf_engine::report::summary_csv;
use algoperf_engine::score::summary::SummaryRow;
use algoperf_engine::spec::Columns;
use common::data_dir;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// Every eval_measurements.csv under `dir`, read into memory.
fn trial_files(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            trial_files(&path, out);
        } else if path
            .file_name()
            .is_some_and(|n| n == "eval_measurements.csv")
        {
            if let Ok(bytes) = std::fs::read(&path) {
                out.push(bytes);
            }
        }
    }
}

/// A trial file with the logger's 12 columns and `rows` evaluations; every
/// cell in quotes when `quoted`.
fn generated(rows: usize, quoted: bool) -> Vec<u8> {
    let q = if quoted { "\"" } else { "" };
    let mut s = String::from(
        "accumulated_eval_time,accumulated_logging_time,accumulated_submission_time,global_step,\
         preemption_count,score,test/loss,test/num_examples,total_duration,train/loss,\
         validation/loss,validation/num_examples\n",
    );
    for i in 0..rows {
        let t = i as f64 * 137.034_567_123_45 + 0.123_456_789;
        let cells = [
            format!("{}", t * 1.7),
            format!("{}", i as f64 * 0.002_654_528_617_858_88),
            format!("{t}"),
            format!("{}", i * 5 + 1),
            "0".to_string(),
            format!("{t}"),
            format!("{}", 0.144_173_331_594_688 / (1.0 + i as f64 * 0.01)),
            "95000000".to_string(),
            format!("{}", t * 2.1),
            format!("{}", 0.138_675_609_077_032_8 / (1.0 + i as f64 * 0.01)),
            format!("{}", 0.140_648_108_145_471 / (1.0 + i as f64 * 0.01)),
            "83274637".to_string(),
        ];
        let line: Vec<String> = cells.iter().map(|c| format!("{q}{c}{q}")).collect();
        s.push_str(&line.join(","));
        s.push('\n');
    }
    s.into_bytes()
}

/// The v0.5 specs' columns.
fn columns() -> Columns {
    Columns {
        time: "score".into(),
        summary_time: "accumulated_submission_time".into(),
        step: "global_step".into(),
        metric_prefix: "validation/".into(),
    }
}

/// The metric every generated file has.
const METRIC: &str = "validation/loss";

fn bench_reader(c: &mut Criterion) {
    let columns = columns();
    let mut group = c.benchmark_group("csv_reader");
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(4));
    let mut files = Vec::new();
    trial_files(&data_dir().join("logs/v05/external_tuning"), &mut files);
    if !files.is_empty() {
        let bytes: usize = files.iter().map(Vec::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("v05_external", |b| {
            b.iter(|| {
                // Files whose header lacks a wanted column are read too (as
                // the engine reads them, to say so).
                for f in &files {
                    let _ = black_box(csv::read_series(f, &columns, METRIC, &[]));
                }
            })
        });
    }
    for (name, quoted) in [("generated", false), ("generated_quoted", true)] {
        let bytes = generated(2_000, quoted);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| black_box(csv::read_series(&bytes, &columns, METRIC, &[]).expect("csv")))
        });
    }
    group.finish();
}

fn bench_summary(c: &mut Criterion) {
    let rows: Vec<SummaryRow> = (0..2_000)
        .map(|i| SummaryRow {
            workload: format!("workload_{}_jax", i % 14),
            trial: format!("trial_{}", i % 5 + 1),
            study: format!("study_{}", i % 5),
            metric_column: "validation/loss".to_string(),
            target: 0.129657,
            reached: i % 3 != 0,
            best: 0.129_180_756_518_281_95 + i as f64 * 1e-7,
            time_to_best: 743.039_100_646_972_7 * (i as f64 + 1.0),
            time_to_target: if i % 3 == 0 {
                f64::INFINITY
            } else {
                1_089.618_906_497_955_3
            },
            step_time: 0.725_393_925_804_689_8,
            step_hint: 10666,
        })
        .collect();
    let mut group = c.benchmark_group("summary_csv");
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(3));
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("rows", |b| b.iter(|| black_box(summary_csv(&rows))));
    group.finish();
}

criterion_group! {
    name = benches;
    // criterion's plots need a font this machine may not have.
    config = Criterion::default().without_plots();
    targets = bench_reader, bench_summary
}
criterion_main!(benches);
