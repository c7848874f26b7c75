//! Checks src/spec/heldout.rs against real numpy, row by row.
//!
//! The table tests/data/heldout_numpy.json is written by
//! scripts/heldout_numpy_table.py with numpy itself; all numbers in it are decimal
//! strings because seeds and state words exceed 2**53.

use std::path::PathBuf;

use algoperf_engine::spec::heldout::{draw_indices, NumpyRng, SeedSequence};
use serde_json::Value;

fn table() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join("heldout_numpy.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON in {}: {e}", path.display()))
}

fn field<'a>(row: &'a Value, key: &str) -> &'a Value {
    row.get(key)
        .unwrap_or_else(|| panic!("row lacks {key:?}: {row}"))
}

fn list<'a>(row: &'a Value, key: &str) -> &'a [Value] {
    field(row, key)
        .as_array()
        .unwrap_or_else(|| panic!("{key:?} is not a list in {row}"))
}

fn text<'a>(row: &'a Value, key: &str) -> &'a str {
    field(row, key)
        .as_str()
        .unwrap_or_else(|| panic!("{key:?} is not a string in {row}"))
}

fn num<T: std::str::FromStr>(value: &Value) -> T {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a decimal string of the right size: {value}"))
}

fn nums<T: std::str::FromStr>(row: &Value, key: &str) -> Vec<T> {
    list(row, key).iter().map(num).collect()
}

#[test]
fn table_records_numpy_version() {
    let t = table();
    let version = text(&t, "numpy_version");
    assert!(!version.is_empty());
    eprintln!("table written by numpy {version}");
}

#[test]
fn seed_sequence_generate_state_matches_numpy() {
    let t = table();
    let rows = list(&t, "generate_state");
    assert!(rows.len() >= 2);
    for row in rows {
        let seed: u128 = num(field(row, "seed"));
        let seq = SeedSequence::new(seed);
        let pool: Vec<u32> = nums(row, "pool");
        assert_eq!(seq.pool().to_vec(), pool, "pool, seed {seed}");
        let u32s: Vec<u32> = nums(row, "uint32x8");
        assert_eq!(seq.generate_state_u32(8), u32s, "uint32x8, seed {seed}");
        let u64s: Vec<u64> = nums(row, "uint64x4");
        assert_eq!(seq.generate_state_u64(4), u64s, "uint64x4, seed {seed}");
    }
}

#[test]
fn pcg64_raw_outputs_match_numpy() {
    let t = table();
    let rows = list(&t, "pcg64_raw");
    assert!(!rows.is_empty());
    for row in rows {
        let seed: u128 = num(field(row, "seed"));
        let expected: Vec<u64> = nums(row, "next_uint64");
        let mut rng = NumpyRng::new(seed);
        let got: Vec<u64> = expected.iter().map(|_| rng.next_raw()).collect();
        assert_eq!(got, expected, "random_raw, seed {seed}");
    }
}

#[test]
fn every_draw_matches_numpy() {
    let t = table();
    let sequences = field(&t, "sequences");
    let rows = list(&t, "draws");
    assert!(rows.len() >= 500, "only {} rows", rows.len());
    let mut checked = 0usize;
    for row in rows {
        let seed: u128 = num(field(row, "seed"));
        let name = text(row, "sequence");
        let sequence = field(sequences, name);
        let dtype = text(sequence, "dtype");
        let sizes: Vec<u64> = nums(sequence, "pool_sizes");
        let expected: Vec<u64> = nums(row, "indices");
        assert_eq!(sizes.len(), expected.len(), "{name}");

        let mut rng = NumpyRng::new(seed);
        let got: Vec<u64> = match dtype {
            // numpy's default: every size is in int64 range, and try_integers agrees.
            "int64" => sizes
                .iter()
                .map(|&n| {
                    rng.try_integers(n)
                        .unwrap_or_else(|| panic!("{n} refused, seed {seed}"))
                })
                .collect(),
            // Sizes past 2**63: `integers` gives what numpy's uint64 dtype gives.
            "uint64" => sizes.iter().map(|&n| rng.integers(n)).collect(),
            other => panic!("unknown dtype {other}"),
        };
        assert_eq!(got, expected, "seed {seed}, sequence {name}");

        // The public draw function agrees wherever the sizes fit in usize.
        if dtype == "int64" {
            let usizes: Option<Vec<usize>> =
                sizes.iter().map(|&n| usize::try_from(n).ok()).collect();
            if let Some(usizes) = usizes {
                let drawn: Vec<u64> = draw_indices(seed, &usizes)
                    .into_iter()
                    .map(|i| i as u64)
                    .collect();
                assert_eq!(drawn, expected, "draw_indices, seed {seed}, {name}");
            }
        }
        checked += 1;
    }
    eprintln!("{checked} rows match numpy");
}

#[test]
fn v05_seed_gives_published_heldout_set() {
    // pools_v05.json: seed 3438810845; pool sizes 5, 6, 3, 3, 3, 3 in group order;
    // held_out_workloads_v05.json is indices [1, 2, 2, 2, 1, 1].
    assert_eq!(
        draw_indices(3_438_810_845, &[5, 6, 3, 3, 3, 3]),
        vec![1, 2, 2, 2, 1, 1]
    );
}
