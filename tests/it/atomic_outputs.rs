//! Outputs are written whole or not at all: a run that fails after scoring
//! leaves the output folder's earlier files byte for byte as they were, and
//! leaves no temporary file behind.

use crate::fixtures;

use std::path::Path;

use algoperf_engine::report::files;
use fixtures::{snapshot, Tree};

fn scored_tree() -> Tree {
    let t = Tree::new();
    t.submission("a", 100.0, 100.0)
        .submission("b", 200.0, 150.0);
    t
}

/// No `.tmp` (nor any hidden) file in `dir`, besides the engine's own
/// store, which holds nothing but the lock; nothing left beside `dir`.
fn no_temporaries(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            name == files::STORE || (!name.ends_with(".tmp") && !name.starts_with('.')),
            "left behind: {name}"
        );
    }
    let mut store: Vec<String> = std::fs::read_dir(dir.join(files::STORE))
        .expect("read_dir store")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    store.sort();
    assert_eq!(store, ["lock"], "store holds {store:?}");
    let parent = dir.parent().expect("parent");
    for entry in std::fs::read_dir(parent).expect("read_dir parent") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        assert!(!name.contains(".algoperf-"), "left beside: {name}");
    }
}

#[test]
fn a_strict_failure_after_scoring_leaves_earlier_outputs_untouched() {
    let t = scored_tree();
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    t.cli(&["--output-dir", &out_arg]).expect("first run");
    let before = snapshot(&out);
    let names: Vec<_> = before
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(names.contains(&"scores.csv".to_string()), "{names:?}");
    assert!(names.contains(&"b_summary.csv".to_string()), "{names:?}");

    // The tree changes (b gets faster, c appears without beta) and the run
    // is strict: it scores, then fails on the count mismatch.
    t.submission("b", 50.0, 50.0);
    t.trial("c", "study_0", "alpha_jax", "trial_1", &[(10.0, 0.5)]);
    let err = t
        .cli(&["--output-dir", &out_arg, "--strict"])
        .expect_err("strict");
    assert_eq!(
        err,
        "--strict: 1 problem:\n  c (missing beta): expected 2 workloads, found 1"
    );
    assert_eq!(snapshot(&out), before);
    no_temporaries(&out);
}

#[test]
fn a_failed_write_leaves_earlier_outputs_untouched() {
    // Regression: files were renamed into place one by one; when a later
    // rename failed (here: a folder where c's summary goes), the earlier
    // files had already been replaced.
    let t = scored_tree();
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    t.cli(&["--output-dir", &out_arg]).expect("first run");
    let before = snapshot(&out);

    t.submission("c", 50.0, 50.0);
    std::fs::create_dir_all(out.join("c_summary.csv/keep")).expect("mkdir");
    std::fs::write(out.join("c_summary.csv/keep/x"), "x").expect("write");
    let err = t.cli(&["--output-dir", &out_arg]).expect_err("blocked");
    assert_eq!(
        err,
        format!(
            "{}: cannot write output: a folder of that name is in the way",
            out.join("c_summary.csv").display()
        )
    );
    let mut after = snapshot(&out);
    after.retain(|(p, _)| !p.starts_with("c_summary.csv"));
    assert_eq!(after, before);
    no_temporaries(&out);
}

#[test]
fn an_unwritable_output_folder_fails_before_reading_and_writes_nothing() {
    // Root writes anywhere; a path under a regular file cannot be a folder
    // for anyone.
    let t = scored_tree();
    let file = t.dir.path().join("file.txt");
    std::fs::write(&file, "x").expect("write");
    let out = file.join("out");
    // A broken trial: if the logs were read, the error would be --strict's.
    t.write("b/study_0/alpha_jax/trial_1/eval_measurements.csv", "");
    let err = t
        .cli(&["--output-dir", &out.to_string_lossy(), "--strict"])
        .expect_err("not a folder");
    assert_eq!(
        err,
        format!(
            "{}: cannot write output: {} is a file, not a folder",
            out.display(),
            file.display()
        )
    );
    assert_eq!(std::fs::read(&file).expect("read"), b"x");
    // The library call says the same when handed such a folder.
    let err =
        files::write_run(&out, &[("scores.csv".into(), b"x".to_vec())]).expect_err("not a folder");
    assert!(
        err.to_string()
            .starts_with(&format!("{}: cannot write output: ", out.display())),
        "{err}"
    );
}

#[test]
fn an_output_folder_that_is_a_file() {
    let t = scored_tree();
    let file = t.dir.path().join("out.csv");
    std::fs::write(&file, "x").expect("write");
    let err = t
        .cli(&["--output-dir", &file.to_string_lossy()])
        .expect_err("a file");
    assert_eq!(
        err,
        format!(
            "{}: cannot write output: {} is a file, not a folder",
            file.display(),
            file.display()
        )
    );
    assert_eq!(std::fs::read(&file).expect("read"), b"x");
}

#[test]
fn a_successful_rerun_replaces_every_file_and_leaves_no_temporary() {
    let t = scored_tree();
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    t.cli(&["--output-dir", &out_arg]).expect("first run");
    let before = snapshot(&out);
    t.submission("b", 50.0, 50.0);
    t.cli(&["--output-dir", &out_arg]).expect("second run");
    let after = snapshot(&out);
    assert_eq!(after.len(), before.len());
    assert_ne!(after, before);
    no_temporaries(&out);
}
