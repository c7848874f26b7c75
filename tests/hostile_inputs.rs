//! Hostile input (README "Output folder and hostile input"): inputs made to
//! write outside the output folder, exhaust memory or time, or crash the
//! engine. Each ends in a clear message (checked exactly, with the binary's
//! exit code) or is bounded.

mod fixtures;

use std::path::Path;
use std::process::Command;

use algoperf_engine::cache;
use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use fixtures::Tree;

fn two_submissions() -> Tree {
    let t = Tree::new();
    t.submission("a", 100.0, 100.0)
        .submission("b", 200.0, 150.0);
    t
}

/// Runs the binary on `t` with `extra` arguments: (exit code, stderr).
fn binary(t: &Tree, extra: &[&str]) -> (i32, String) {
    let (spec, _) = t.spec();
    let out = Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
        .arg("--spec")
        .arg(spec)
        .args(extra)
        .output()
        .expect("run the binary");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Saves `t`'s ingested trials, changed by `edit`, as a results cache with
/// a valid checksum.
fn hostile_cache(t: &Tree, path: &Path, edit: impl FnOnce(&mut algoperf_engine::ingest::Ingested)) {
    let (_, spec) = t.spec();
    let mut ingested = run::read(&t.subs(), &spec, &Options::default(), &Silent).expect("read");
    edit(&mut ingested);
    std::fs::write(path, cache::encode(&ingested, &spec).expect("encode")).expect("write");
}

#[test]
fn a_cache_naming_a_submission_with_a_path_is_refused() {
    let t = two_submissions();
    let work = t.dir.path().join("w/x/y/z");
    std::fs::create_dir_all(&work).expect("mkdir");
    let cache_path = t.dir.path().join("results.bin");
    hostile_cache(&t, &cache_path, |i| {
        i.submissions[0].name = "../../../../elsewhere/x".into()
    });
    let out = work.join("out");
    let (code, stderr) = binary(
        &t,
        &[
            "--load-results",
            &cache_path.to_string_lossy(),
            "--output-dir",
            &out.to_string_lossy(),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "error: {}: submission name \"../../../../elsewhere/x\" is not a plain folder name; refused\n",
            cache_path.display()
        )
    );
    assert!(!out.exists());
    assert!(!t.dir.path().join("w/elsewhere").exists());
    assert!(!t.dir.path().join("elsewhere").exists());
}

#[test]
fn a_cache_with_columns_of_unequal_length_is_refused() {
    // Regression: scoring indexed the time column by the metric's row and
    // panicked (src/score/mod.rs, src/score/summary.rs).
    let t = two_submissions();
    let cache_path = t.dir.path().join("results.bin");
    hostile_cache(&t, &cache_path, |i| {
        i.submissions[1].trials[0].series.time.truncate(1)
    });
    let (code, stderr) = binary(&t, &["--load-results", &cache_path.to_string_lossy()]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "error: {}: corrupted results cache: trial b/study_0/alpha_jax/trial_1 has columns of unequal length (time 1, summary time 2, step 2, metric 2)\n",
            cache_path.display()
        )
    );
}

#[test]
fn save_results_inside_the_submissions_tree_is_refused() {
    let t = two_submissions();
    let log = t.subs().join(Tree::rel("a", "alpha_jax"));
    let before = std::fs::read(&log).expect("read");
    let (code, stderr) = binary(
        &t,
        &[
            "--submissions",
            &t.subs().to_string_lossy(),
            "--save-results",
            &log.to_string_lossy(),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "error: results cache {} is inside the submissions folder {}: it could overwrite a log, and would be read as one next time\n",
            log.display(),
            t.subs().display()
        )
    );
    assert_eq!(std::fs::read(&log).expect("read"), before);
}

#[test]
fn an_output_folder_reaching_the_tree_through_dotdot_is_refused() {
    // Regression: the guard compared text, so `nonexist/../subs/a` passed,
    // wrote inside the tree and created `nonexist/`.
    let t = two_submissions();
    let out = t.dir.path().join("nonexist/../subs/a");
    let (code, stderr) = binary(
        &t,
        &[
            "--submissions",
            &t.subs().to_string_lossy(),
            "--output-dir",
            &out.to_string_lossy(),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "error: output folder {} is inside the submissions folder {}: outputs would be read as logs next time\n",
            out.display(),
            t.subs().display()
        )
    );
    assert!(!t.dir.path().join("nonexist").exists());
    assert!(!t.subs().join("a/scores.csv").exists());
    // Through a symlink to the tree, too.
    let link = t.dir.path().join("link");
    std::os::unix::fs::symlink(t.subs(), &link).expect("symlink");
    let out = link.join("new/out");
    let (code, _) = binary(
        &t,
        &[
            "--submissions",
            &t.subs().to_string_lossy(),
            "--output-dir",
            &out.to_string_lossy(),
        ],
    );
    assert_eq!(code, 1);
    assert!(!t.subs().join("new").exists());
}

#[test]
fn a_long_line_of_repeated_markers_is_read_in_linear_time() {
    // Regression: each marker on a line searched back to the line's start,
    // so one 2 MB line of `Time since start:` took 14 s (1 MB: 3.4 s). An
    // 8 MB line would take minutes that way; linear, it takes milliseconds.
    // The budget is generous so that a loaded machine does not fail it.
    for marker in [
        "Time since start:",
        "--- Tuning run ",
        "Metrics: {'eval_results'",
    ] {
        let line = marker.repeat(8 * 1024 * 1024 / marker.len());
        let text = format!("first\n{line}\nlast Time since start: x\n");
        let start = std::time::Instant::now();
        let read = algoperf_engine::rawlog::parse_log(Path::new("long.log"), &text).expect("read");
        let took = start.elapsed();
        assert!(read.trials.is_empty());
        assert!(
            took < std::time::Duration::from_secs(3),
            "{marker}: {took:?} for an 8 MB line"
        );
    }
}

#[test]
fn threads_beyond_the_cores_are_capped_with_a_note() {
    let t = two_submissions();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (code, stderr) = binary(
        &t,
        &[
            "--submissions",
            &t.subs().to_string_lossy(),
            "--threads",
            "100000",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.lines().next(),
        Some(
            format!(
                "note: --threads 100000 is more than the {cores} cores available; using {cores}"
            )
            .as_str()
        )
    );
}
