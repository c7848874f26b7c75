//! Log-parsing throughput (MB/s) on the real new-format workload folder
//! (`rawlogs/new_format/shampoo/study_1/criteo1tb_pytorch`, 18 logs, 1.5 MB).
//!
//! Two measurements: `parse_log` over the texts already in memory (the
//! parser and merge alone), and `read_workload_logs` on the folder (adds
//! listing, reading and UTF-8 checking; the files sit in the page cache).
//! Data comes from `$ALGOPERF_DATA` or `<manifest>/../shared/algoperf`; the
//! bench prints a note and measures nothing when it is absent.

use std::path::{Path, PathBuf};

use algoperf_engine::ingest::rawlog::{parse_log, read_workload_logs};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn data_dir() -> PathBuf {
    match std::env::var_os("ALGOPERF_DATA") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/algoperf"),
    }
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
        b.iter(|| {
            let mut evaluations = 0usize;
            for (name, text) in &texts {
                if let Ok(read) = parse_log(name, black_box(text)) {
                    evaluations += read.trials.iter().map(|t| t.len()).sum::<usize>();
                }
            }
            evaluations
        })
    });
    group.bench_function("read_workload_logs/new_format_criteo1tb", |b| {
        b.iter(|| read_workload_logs(black_box(&dir)).map(|r| r.trials.len()))
    });
    group.finish();
}

criterion_group!(benches, bench_rawlog);
criterion_main!(benches);
