//! `synth --raw-logs`: a synthetic tree written as raw training logs (old,
//! new and jax format, SCORING.md §11) scores exactly as the same tree
//! written as CSVs — every output file byte for byte, stdout too.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use algoperf_engine::{spec, synth};

/// The output files (links to the latest run's files; the hidden run
/// folders are not visited) but the manifest, which names the tree read.
fn outputs(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root).expect("read_dir") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_string_lossy();
        if path.is_file() && name != "algoperf-manifest.json" {
            let bytes = std::fs::read(&path).expect("read");
            out.insert(name.to_string(), bytes);
        }
    }
    out
}

/// Scores `tree` from `source` into `out`; returns stdout.
fn score(tree: &Path, source: &str, out: &Path) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
        .arg("--spec")
        .arg(common::repo("rulesets/v05_external.toml"))
        .arg("--submissions")
        .arg(tree)
        .args(["--source", source, "--output-dir"])
        .arg(out)
        .output()
        .expect("run engine");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Scores the CSV tree of `opts` and its `format` logs; both the same.
fn logs_score_like_csvs(
    spec: &spec::Spec,
    mut opts: synth::Options,
    format: synth::LogFormat,
    needles: &[&str],
) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv_tree = tmp.path().join("csv");
    synth::write(&csv_tree, &synth::generate(spec, &opts)).expect("write");
    let expected_out = tmp.path().join("out_csv");
    let expected = score(&csv_tree, "csv", &expected_out);
    let expected_files = outputs(&expected_out);
    assert!(expected_files.len() > 5);

    opts.raw_logs = Some(format);
    opts.csv = false;
    let files = synth::generate(spec, &opts);
    assert!(files.iter().all(|(path, _)| path.ends_with(".log")));
    for needle in needles {
        assert!(
            files.iter().any(|(_, text)| text.contains(needle)),
            "{format:?}: no {needle:?}"
        );
    }
    let tree = tmp.path().join("logs");
    synth::write(&tree, &files).expect("write");
    let out = tmp.path().join("out_logs");
    let got = score(&tree, "logs", &out);
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&expected),
        "{format:?}"
    );
    let got_files = outputs(&out);
    assert_eq!(
        got_files.keys().collect::<Vec<_>>(),
        expected_files.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &got_files {
        assert!(bytes == &expected_files[name], "{format:?}: {name} differs");
    }
}

/// The shape of the trees: more missing (crashed) and diverged runs than
/// usual, so both show up.
fn options(spec: &spec::Spec) -> synth::Options {
    let mut opts = synth::Options::for_spec(spec, 3, 17);
    opts.missing_trial = 0.1;
    opts.diverged = 0.2;
    opts
}

#[test]
fn raw_log_trees_score_like_their_csvs() {
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let opts = options(&spec);
    let old = ["Metrics: {'eval_results': [(", ": nan"];
    logs_score_like_csvs(&spec, opts.clone(), synth::LogFormat::Old, &old);
    let new = ["Time since start: ", ": nan"];
    logs_score_like_csvs(&spec, opts, synth::LogFormat::New, &new);
}

/// Jax logs wrap their values; the CSVs of the same tree (written with
/// `raw_logs` set, so with the values float32 as the logs show them) hold
/// the same numbers.
#[test]
fn jax_log_trees_score_like_their_csvs() {
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let mut opts = options(&spec);
    opts.raw_logs = Some(synth::LogFormat::Jax);
    let needles = [
        "Time since start: ",
        "Metrics: {'eval_results': [(",
        ": Array(",
        ", dtype=float32)",
        ": np.float64(",
        "Array(nan, dtype=float32)",
    ];
    logs_score_like_csvs(&spec, opts, synth::LogFormat::Jax, &needles);
}
