//! The honest I/O floor (issue 25): the least work any reader of a
//! submissions tree must do — walk the tree and open, read and close every
//! file the engine would read, into one reused buffer — on one thread, and
//! nothing else. `benches/e2e.sh` runs it interleaved with the engine and
//! reports engine ÷ floor; `find | xargs cat` is not this floor (cat maps,
//! fadvises and writes every file, find stats every entry).
//!
//!   floor TREE PATTERN    read every file under TREE whose name is PATTERN
//!                         (`eval_measurements.csv`) or ends with its tail
//!                         (`*.log`); prints "files bytes"
//!   floor [--bench]       the same on the v0.5 external-tuning CSVs of the
//!                         shared data, printing the time too (what
//!                         `cargo bench --bench floor` runs)
//!
//! Build: `cargo bench --bench floor --no-run` (the binary is
//! `target/release/deps/floor-<hash>`; e2e.sh finds it).

mod common;

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

/// Which file names are read: one exact name, or a `*suffix`.
enum Pattern {
    Name(String),
    Suffix(String),
}

impl Pattern {
    fn new(text: &str) -> Self {
        match text.strip_prefix('*') {
            Some(tail) => Pattern::Suffix(tail.to_string()),
            None => Pattern::Name(text.to_string()),
        }
    }

    fn matches(&self, name: &[u8]) -> bool {
        match self {
            Pattern::Name(n) => name == n.as_bytes(),
            Pattern::Suffix(s) => name.ends_with(s.as_bytes()),
        }
    }
}

/// Files and bytes read.
#[derive(Default)]
struct Totals {
    files: u64,
    bytes: u64,
}

/// Walks `dir` depth first (the entry types come from the listing, no
/// stat), reading every matching regular file into `buf`.
fn walk(dir: &Path, pattern: &Pattern, buf: &mut [u8], totals: &mut Totals) {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in listing.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&entry.path(), pattern, buf, totals);
        } else if kind.is_file() && pattern.matches(entry.file_name().as_encoded_bytes()) {
            totals.bytes += read_all(&entry.path(), buf);
            totals.files += 1;
        }
    }
}

/// Opens, reads to the end (overwriting `buf` chunk by chunk) and closes
/// one file; the bytes read.
fn read_all(path: &Path, buf: &mut [u8]) -> u64 {
    let Ok(mut file) = File::open(path) else {
        return 0;
    };
    let mut total = 0;
    while let Ok(n) = file.read(buf) {
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    total
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let timed = args.is_empty();
    let (tree, pattern) = match args.as_slice() {
        [tree, pattern] => (tree.into(), Pattern::new(pattern)),
        [] => (
            common::data_dir().join("logs/v05/external_tuning"),
            Pattern::new("eval_measurements.csv"),
        ),
        _ => {
            eprintln!("usage: floor TREE PATTERN   (PATTERN: a file name, or *.suffix)");
            std::process::exit(2);
        }
    };
    // 256 KiB: larger than nearly every trial file, so most take one read
    // plus the read that finds the end.
    let mut buf = vec![0u8; 256 << 10];
    let mut totals = Totals::default();
    let start = Instant::now();
    walk(&tree, &pattern, &mut buf, &mut totals);
    let elapsed = start.elapsed();
    if timed {
        println!(
            "floor: {} files, {} bytes under {} in {:.3} s (wall)",
            totals.files,
            totals.bytes,
            tree.display(),
            elapsed.as_secs_f64()
        );
    } else {
        println!("{} {}", totals.files, totals.bytes);
    }
}
