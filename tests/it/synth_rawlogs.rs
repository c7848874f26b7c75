//! `synth --raw-logs`: a synthetic tree written as raw training logs (old
//! and new format, SCORING.md §11) scores exactly as the same tree written
//! as CSVs — every output file byte for byte, stdout too.

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

#[test]
fn raw_log_trees_score_like_their_csvs() {
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let mut opts = synth::Options::for_spec(&spec, 3, 17);
    // More missing (crashed) and diverged runs than usual, so both show up.
    opts.missing_trial = 0.1;
    opts.diverged = 0.2;
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv_tree = tmp.path().join("csv");
    synth::write(&csv_tree, &synth::generate(&spec, &opts)).expect("write");
    let expected_out = tmp.path().join("out_csv");
    let expected = score(&csv_tree, "csv", &expected_out);
    let expected_files = outputs(&expected_out);
    assert!(expected_files.len() > 5);

    for format in [synth::LogFormat::Old, synth::LogFormat::New] {
        opts.raw_logs = Some(format);
        opts.csv = false;
        let files = synth::generate(&spec, &opts);
        assert!(files.iter().all(|(path, _)| path.ends_with(".log")));
        let needle = match format {
            synth::LogFormat::Old => "Metrics: {'eval_results': [(",
            synth::LogFormat::New => "Time since start: ",
        };
        assert!(files.iter().any(|(_, text)| text.contains(needle)));
        assert!(files.iter().any(|(_, text)| text.contains(": nan")));
        let tree = tmp.path().join(format!("{format:?}"));
        synth::write(&tree, &files).expect("write");
        let out = tmp.path().join(format!("out_{format:?}"));
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
}
