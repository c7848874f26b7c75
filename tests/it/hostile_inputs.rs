//! Hostile input (README "Output folder and hostile input"): inputs made to
//! write outside the output folder, exhaust memory or time, or crash the
//! engine. Each ends in a clear message (checked exactly, with the binary's
//! exit code) or is bounded.

use crate::fixtures;

use std::path::Path;
use std::process::Command;

use algoperf_engine::ingest::cache;
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
        let read =
            algoperf_engine::ingest::rawlog::parse_log(Path::new("long.log"), &text).expect("read");
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

/// The warnings of a lenient library run on `t`, as `(what, where)`.
fn warnings_of(
    t: &Tree,
    mut selection: algoperf_engine::ingest::Selection,
) -> Vec<(String, String)> {
    let (_, spec) = t.spec();
    // Lenient: a workload whose only trials are skipped stays a warning.
    selection.allow_empty = true;
    let options = Options {
        selection,
        strict: false,
    };
    let ingested = run::read(&t.subs(), &spec, &options, &Silent).expect("read");
    ingested
        .warnings
        .items()
        .iter()
        .map(|w| (w.kind(), w.location()))
        .collect()
}

/// The one warning about `b`'s alpha trial file, with its path relative.
fn trial_warning(t: &Tree, selection: algoperf_engine::ingest::Selection) -> (String, String) {
    let file = t.subs().join(Tree::rel("b", "alpha_jax"));
    let all = warnings_of(t, selection);
    let mine: Vec<_> = all
        .into_iter()
        .filter(|(_, at)| at.starts_with(&file.display().to_string()))
        .map(|(what, at)| (what, at.replacen(&file.display().to_string(), "<file>", 1)))
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    mine[0].clone()
}

#[test]
fn a_fifo_or_a_device_as_a_trial_file_is_skipped_not_read() {
    // Regression: a FIFO blocked the run forever; a link to /dev/zero was
    // read until memory ran out.
    let t = two_submissions();
    let file = t.subs().join(Tree::rel("b", "alpha_jax"));
    std::fs::remove_file(&file).expect("rm");
    let status = Command::new("mkfifo").arg(&file).status().expect("mkfifo");
    assert!(status.success());
    assert_eq!(
        trial_warning(&t, Default::default()),
        (
            "unreadable eval_measurements.csv, trial skipped".into(),
            "<file>: cannot read file: not a regular file (a FIFO)".into()
        )
    );
    std::fs::remove_file(&file).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &file).expect("symlink");
    assert_eq!(
        trial_warning(&t, Default::default()),
        (
            "unreadable eval_measurements.csv, trial skipped".into(),
            "<file>: cannot read file: not a regular file (a device)".into()
        )
    );
}

#[test]
fn a_file_over_max_file_size_is_skipped_with_the_limit_named() {
    let t = two_submissions();
    let file = t.subs().join(Tree::rel("b", "alpha_jax"));
    let len = std::fs::metadata(&file).expect("stat").len();
    let selection = algoperf_engine::ingest::Selection {
        max_file_size: Some(len - 1),
        ..Default::default()
    };
    assert_eq!(
        trial_warning(&t, selection),
        (
            "unreadable eval_measurements.csv, trial skipped".into(),
            format!(
                "<file>: cannot read file: {len} bytes is more than --max-file-size {} bytes",
                len - 1
            )
        )
    );
    // The flag, with a unit; a bad value is a usage error.
    let (code, stderr) = binary(
        &t,
        &[
            "--submissions",
            &t.subs().to_string_lossy(),
            "--max-file-size",
            "1K",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = binary(
        &t,
        &[
            "--submissions",
            &t.subs().to_string_lossy(),
            "--max-file-size",
            "lots",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "error: invalid value 'lots' for '--max-file-size <SIZE>': `lots`: expected a size like 256M, 2G or 1000000"
        ),
        "{stderr}"
    );
}

#[test]
fn a_header_of_millions_of_fields_is_refused_by_its_length() {
    // Regression: a header that is mostly commas allocated 16 bytes per
    // field (a 1 GB one aborted allocating 16 GiB); a row of commas 16
    // bytes per field too. Lines are now bounded, and the plain reader's
    // memory does not grow with the field count.
    let t = two_submissions();
    let mut text = fixtures::header("loss");
    text.insert_str(0, &",".repeat(2 * 1024 * 1024));
    t.write(&Tree::rel("b", "alpha_jax"), &text);
    assert_eq!(
        trial_warning(&t, Default::default()),
        (
            "unreadable eval_measurements.csv, trial skipped".into(),
            "<file>:1: cannot read file: line longer than 1 MiB".into()
        )
    );
    // A row of commas, quoted file or not.
    for quote in ["", "\""] {
        let mut text =
            fixtures::header("loss").replacen("score", &format!("{quote}score{quote}"), 1);
        text.push_str("1,2,3,4\n");
        text.push_str(&",".repeat(3 * 1024 * 1024));
        text.push('\n');
        t.write(&Tree::rel("b", "alpha_jax"), &text);
        assert_eq!(
            trial_warning(&t, Default::default()),
            (
                "unreadable eval_measurements.csv, trial skipped".into(),
                "<file>:3: cannot read file: line longer than 1 MiB".into()
            )
        );
    }
}

#[test]
fn a_deeply_nested_or_huge_info_file_is_refused_before_parsing() {
    // Regression: 200 KB of `[` took 36 s before the YAML parser's own
    // recursion limit.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("sub/submission_info.yml");
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    std::fs::write(&file, format!("authors: {}", "[".repeat(60_000))).expect("write");
    let start = std::time::Instant::now();
    let err = algoperf_engine::report::info::load(dir.path(), "sub").expect_err("refused");
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(
        err.to_string(),
        format!("{}: nested 60000 levels deep, more than 32", file.display())
    );
    std::fs::write(&file, "a".repeat(200 * 1024)).expect("write");
    let err = algoperf_engine::report::info::load(dir.path(), "sub").expect_err("refused");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: cannot read: 200 KiB is more than the limit of 64 KiB",
            file.display()
        )
    );
}

#[test]
fn a_submission_name_too_long_for_its_summary_file_is_shortened_with_a_note() {
    // Regression: a 250-character folder name made `<name>_summary.csv`
    // longer than a file name may be, and the whole run wrote nothing.
    let t = two_submissions();
    let long = "x".repeat(250);
    t.submission(&long, 120.0, 120.0);
    let out = t.dir.path().join("out");
    let (code, stderr) = binary(
        &t,
        &[
            "--submissions",
            &t.subs().to_string_lossy(),
            "--output-dir",
            &out.to_string_lossy(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let hash = &algoperf_engine::report::files::sha256_hex(long.as_bytes())[..8];
    let short = format!("{}~{hash}_summary.csv", "x".repeat(234));
    assert_eq!(short.len(), 255);
    assert_eq!(
        algoperf_engine::run::summary_file_name(&long),
        short,
        "deterministic"
    );
    assert!(
        stderr.contains(&format!(
            "warning: submission name too long for a file name; its summary is written as {short} ({long})\n"
        )),
        "{stderr}"
    );
    let summary = std::fs::read_to_string(out.join(&short)).expect("summary written");
    assert!(summary.contains("alpha_jax"));
    assert!(out.join("a_summary.csv").exists());
    assert!(std::fs::read_to_string(out.join("scores.csv"))
        .expect("scores")
        .contains(&long));
}

/// A leaderboard of `n` submissions with distinct step-shaped profiles
/// (only what the plot reads: names, scores, τ and ρ).
fn many_submissions(
    n: usize,
) -> (
    algoperf_engine::score::Leaderboard,
    algoperf_engine::spec::Spec,
) {
    let t = two_submissions();
    let outcome = t.run(false).expect("run");
    let (_, spec) = t.spec();
    let mut lb = outcome.leaderboard;
    let taus = lb.rules.tau.values.len();
    lb.submissions = (0..n).map(|i| format!("submission_{i:04}")).collect();
    lb.rules.scores = (0..n).map(|i| i as f64 / n as f64).collect();
    lb.rules.profile = nalgebra::DMatrix::from_fn(n, taus, |r, j| {
        let jump = (r * 7) % taus;
        if j >= jump {
            1.0
        } else {
            0.5 * ((r % 3) as f64) / 2.0
        }
    });
    (lb, spec)
}

#[test]
fn the_png_drawn_in_bands_is_the_png_of_the_whole_image() {
    // The PNG is drawn and compressed a band of rows at a time, so that its
    // pixels do not grow with the legend: its bytes must be those the `png`
    // crate writes of the whole image drawn at once. 3 submissions fit one
    // band; 40 make a band boundary cut through legend rows; 130 make six.
    for n in [3, 40, 130] {
        let (lb, spec) = many_submissions(n);
        let banded = algoperf_engine::report::plot::png(&lb, &spec).expect("png");
        let whole = algoperf_engine::report::plot::png_whole(&lb, &spec).expect("png");
        assert!(banded == whole, "{n} submissions: the PNGs differ");
    }
}

#[test]
fn the_plot_grows_linearly_with_submissions() {
    // Regression: the plotting area grew with the legend, so every curve
    // (and every dash of it) grew with the number of submissions: 1,000
    // submissions made a 96 MB SVG, 2,000 a 365 MB one. The size is
    // counted, not timed: doubling the submissions about doubles it.
    let size = |n| {
        let (lb, spec) = many_submissions(n);
        let svg = algoperf_engine::report::plot::svg(&lb, &spec).expect("svg");
        let png = algoperf_engine::report::plot::png(&lb, &spec).expect("png");
        (svg.len(), png.len())
    };
    let (svg1, png1) = size(150);
    let (svg2, png2) = size(300);
    let ratio = svg2 as f64 / svg1 as f64;
    assert!(ratio < 2.3, "SVG {svg1} → {svg2} bytes: ×{ratio:.2}");
    let ratio = png2 as f64 / png1 as f64;
    assert!(ratio < 2.3, "PNG {png1} → {png2} bytes: ×{ratio:.2}");
}
