//! A corpus of broken submissions trees, each built here in a temporary
//! folder. Every case checks the exact message the engine gives (the path
//! relative to the submissions folder, the line where there is one), that the
//! rest of the tree is still scored (without `--strict`), and what `--strict`
//! does with it. README.md, section "Bad input", is the table of these cases.

mod fixtures;

use algoperf_engine::run::Outcome;
use fixtures::{file_of, score_of, time_of, Tree};

/// `good` reaches both targets at 100 s, `victim` at 200 s: ratio 2 on both.
fn base() -> Tree {
    let t = Tree::new();
    t.submission("good", 100.0, 100.0)
        .submission("victim", 200.0, 200.0);
    t
}

/// `victim`'s score with ratio 2 on both workloads, and on one of them only.
const VICTIM_BOTH: f64 = 0.6717171717171717;
const VICTIM_ONE: f64 = VICTIM_BOTH / 2.0;

/// The relative path of victim's trial file of a workload folder.
fn victim(folder: &str) -> String {
    Tree::rel("victim", folder)
}

/// Scores without `--strict`: the run succeeds, `good` is untouched (score 1,
/// 100 s on both workloads) and every `expected` text is in the rendered
/// warnings. Returns the outcome and the rendered warnings.
fn lenient(t: &Tree, expected: &[&str]) -> (Outcome, String) {
    let o = t
        .run(false)
        .unwrap_or_else(|e| panic!("the run should go on without --strict: {e}"));
    let text = o.warnings.render();
    for e in expected {
        assert!(text.contains(e), "no `{e}` in the warnings:\n{text}");
    }
    assert_eq!(score_of(&o, "good"), 1.0, "{text}");
    assert_eq!(time_of(&o, "good", "alpha"), 100.0);
    assert_eq!(time_of(&o, "good", "beta"), 100.0);
    (o, text)
}

/// Scores with `--strict`: the run fails and its message has every `expected`
/// text (a rendered warning's `warning: ` prefix aside: --strict lists
/// `location: summary` lines).
fn strict_fails(t: &Tree, expected: &[&str]) -> String {
    let err = match t.run(true) {
        Ok(_) => panic!("--strict should fail"),
        Err(e) => e.to_string(),
    };
    assert!(err.starts_with("--strict: "), "{err}");
    for e in expected {
        let e = e.strip_prefix("warning: ").unwrap_or(e);
        assert!(err.contains(e), "no `{e}` in the --strict error:\n{err}");
    }
    err
}

/// A trial of victim's alpha replaced by `text`: victim keeps beta only.
fn broken_alpha(text: &str, warning: &[&str]) -> String {
    let t = base();
    t.write(&victim("alpha_jax"), text);
    let (o, _) = lenient(&t, warning);
    assert!((score_of(&o, "victim") - VICTIM_ONE).abs() < 1e-15);
    assert!(time_of(&o, "victim", "alpha").is_nan(), "alpha not run");
    assert_eq!(time_of(&o, "victim", "beta"), 200.0);
    lenient(
        &t,
        &["expected 2 workloads, found 1 (victim (missing alpha))"],
    );
    strict_fails(&t, warning)
}

const HEADER: &str = "global_step,accumulated_submission_time,score,validation/loss\n";

#[test]
fn the_clean_tree_has_no_warning() {
    let t = base();
    let (o, text) = lenient(&t, &[]);
    assert!(o.warnings.is_empty(), "{text}");
    assert_eq!(score_of(&o, "victim"), VICTIM_BOTH);
    assert!(t.run(true).is_ok());
}

#[test]
fn truncated_csv_cut_mid_row() {
    let text = format!("{HEADER}10,100,100,3.0\n20,200,200,0.9\n30,300,3");
    broken_alpha(
        &text,
        &[
            "warning: eval_measurements.csv row with the wrong number of fields, trial skipped",
            "victim/study_0/alpha_jax/trial_1/eval_measurements.csv:4: row has 3 fields, the header has 4",
        ],
    );
}

#[test]
fn a_row_with_too_many_fields() {
    let text = format!("{HEADER}10,100,100,3.0,7\n20,200,200,0.9\n");
    broken_alpha(
        &text,
        &["victim/study_0/alpha_jax/trial_1/eval_measurements.csv:2: row has 5 fields, the header has 4"],
    );
}

#[test]
fn half_written_header() {
    broken_alpha(
        "global_step,accumulated_submission_time,sco",
        &[
            "warning: eval_measurements.csv without a `score` column, trial skipped",
            "victim/study_0/alpha_jax/trial_1/eval_measurements.csv:1: no `score` column in the header",
        ],
    );
}

#[test]
fn header_without_the_target_metric() {
    let text =
        "global_step,accumulated_submission_time,score,validation/accuracy\n10,100,100,0.9\n";
    broken_alpha(
        text,
        &[
            "warning: eval_measurements.csv without a `validation/loss` column, trial skipped",
            "victim/study_0/alpha_jax/trial_1/eval_measurements.csv:1: no `validation/loss` column in the header",
        ],
    );
}

#[test]
fn empty_file() {
    broken_alpha(
        "",
        &[
            "warning: empty eval_measurements.csv, trial skipped",
            // No line: the file has none.
            "victim/study_0/alpha_jax/trial_1/eval_measurements.csv: empty file (no header)",
        ],
    );
}

#[test]
fn a_value_that_is_not_a_number() {
    let text = format!("{HEADER}10,100,100,3.0\n20,200,200,0.9x\n");
    broken_alpha(
        &text,
        &[
            "warning: eval_measurements.csv with a non-numeric `validation/loss` value, trial skipped",
            "victim/study_0/alpha_jax/trial_1/eval_measurements.csv:3: `validation/loss` value `0.9x` is not a number",
        ],
    );
}

#[test]
fn a_value_that_is_not_utf8() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"10,100,100,3.0\n20,200,200,\xff\xfe\n");
    let t = base();
    t.write(&victim("alpha_jax"), &bytes);
    let warning = "victim/study_0/alpha_jax/trial_1/eval_measurements.csv:3: `validation/loss` value `\u{fffd}\u{fffd}` is not a number";
    lenient(&t, &[warning]);
    strict_fails(&t, &[warning]);
}

#[test]
fn time_going_backwards() {
    let text = format!("{HEADER}10,100,100,3.0\n20,50,50,0.9\n");
    broken_alpha(
        &text,
        &[
            "warning: eval_measurements.csv whose `score` goes backwards, trial skipped",
            "victim/study_0/alpha_jax/trial_1/eval_measurements.csv:3: `score` goes backwards",
        ],
    );
}

#[test]
fn nan_only_metric_never_reaches_the_target() {
    // A diverged run: a valid file whose metric is NaN throughout. Not an
    // error: the trial misses its target, its summary best value is NaN.
    let t = base();
    t.write(
        &victim("alpha_jax"),
        format!("{HEADER}10,100,100,nan\n20,200,200,NaN\n30,300,300,\n"),
    );
    let (o, text) = lenient(&t, &[]);
    assert!(o.warnings.is_empty(), "{text}");
    assert_eq!(time_of(&o, "victim", "alpha"), f64::INFINITY);
    assert!((score_of(&o, "victim") - VICTIM_ONE).abs() < 1e-15);
    let summary = String::from_utf8_lossy(file_of(&o, "victim_summary.csv")).into_owned();
    assert!(
        summary
            .lines()
            .any(|l| l.contains("alpha_jax,trial_1,validation/loss,1.0,False,,,inf")),
        "{summary}"
    );
    // Nothing was skipped and the counts are right: --strict passes.
    assert!(t.run(true).is_ok());
}

#[test]
fn duplicated_rows_change_nothing() {
    let t = base();
    let clean = t.run(false).expect("clean");
    t.write(
        &victim("alpha_jax"),
        format!("{HEADER}10,100,100,3.0\n10,100,100,3.0\n20,200,200,0.9\n20,200,200,0.9\n"),
    );
    let (o, text) = lenient(&t, &[]);
    assert!(o.warnings.is_empty(), "{text}");
    assert_eq!(o.leaderboard.scores, clean.leaderboard.scores);
    assert_eq!(
        file_of(&o, "time_to_targets.csv"),
        file_of(&clean, "time_to_targets.csv")
    );
    assert!(t.run(true).is_ok());
}

#[test]
fn a_header_only_file_is_a_trial_without_evaluations() {
    // A run that crashed before its first evaluation: it missed the target.
    let t = base();
    t.write(&victim("alpha_jax"), HEADER);
    let (o, text) = lenient(&t, &[]);
    assert!(o.warnings.is_empty(), "{text}");
    assert_eq!(time_of(&o, "victim", "alpha"), f64::INFINITY);
}

#[test]
fn bom_at_the_start_of_the_header() {
    // Both with the BOM before the first column and before the time column.
    for text in [
        format!("\u{feff}{HEADER}10,100,100,3.0\n20,200,200,0.9\n"),
        "\u{feff}score,global_step,accumulated_submission_time,validation/loss\n100,10,100,3.0\n200,20,200,0.9\n"
            .to_string(),
    ] {
        let t = base();
        t.write(&victim("alpha_jax"), &text);
        let (o, rendered) = lenient(&t, &[]);
        assert!(o.warnings.is_empty(), "{rendered}");
        assert_eq!(time_of(&o, "victim", "alpha"), 200.0);
        assert_eq!(score_of(&o, "victim"), VICTIM_BOTH);
    }
}

#[test]
fn crlf_line_endings() {
    let t = base();
    let clean = t.run(false).expect("clean");
    let crlf = format!("{HEADER}10,100,100,3.0\n20,200,200,0.9\n").replace('\n', "\r\n");
    t.write(&victim("alpha_jax"), &crlf);
    let (o, text) = lenient(&t, &[]);
    assert!(o.warnings.is_empty(), "{text}");
    for name in ["scores.csv", "time_to_targets.csv", "victim_summary.csv"] {
        assert_eq!(file_of(&o, name), file_of(&clean, name), "{name}");
    }
    // A CRLF file with an error still gets the right line.
    t.write(
        &victim("alpha_jax"),
        format!("{HEADER}10,100,100,3.0\n20,200,200,x\n").replace('\n', "\r\n"),
    );
    lenient(
        &t,
        &["victim/study_0/alpha_jax/trial_1/eval_measurements.csv:3: `validation/loss` value `x` is not a number"],
    );
}

#[test]
fn trial_folder_without_its_file() {
    let t = base();
    std::fs::remove_file(t.subs().join(victim("alpha_jax"))).expect("rm");
    let warning =
        "victim/study_0/alpha_jax/trial_1: trial folder without eval_measurements.csv, skipped";
    lenient(
        &t,
        &["warning: trial folder without eval_measurements.csv, skipped"],
    );
    // The rendered group shows the location; --strict lists it as `location: summary`.
    strict_fails(&t, &[warning]);
}

#[test]
fn a_folder_where_the_trial_file_is_expected() {
    let t = base();
    let path = t.subs().join(victim("alpha_jax"));
    std::fs::remove_file(&path).expect("rm");
    std::fs::create_dir_all(path.join("oops")).expect("mkdir");
    strict_fails(
        &t,
        &["victim/study_0/alpha_jax/trial_1: trial folder without eval_measurements.csv, skipped"],
    );
    lenient(
        &t,
        &["expected 2 workloads, found 1 (victim (missing alpha))"],
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    // Root reads any file whatever its mode; /proc/self/mem is a regular
    // file whose first bytes cannot be read by anyone (EIO).
    if !std::path::Path::new("/proc/self/mem").exists() {
        eprintln!("skipping: no /proc/self/mem");
        return;
    }
    let t = base();
    let path = t.subs().join(victim("alpha_jax"));
    std::fs::remove_file(&path).expect("rm");
    std::os::unix::fs::symlink("/proc/self/mem", &path).expect("symlink");
    broken_alpha_present(
        &t,
        &[
            "warning: unreadable eval_measurements.csv, trial skipped",
            "victim/study_0/alpha_jax/trial_1/eval_measurements.csv: cannot read file: Input/output error",
        ],
    );
}

/// Like [`broken_alpha`] on a tree already broken.
fn broken_alpha_present(t: &Tree, warning: &[&str]) {
    let (o, _) = lenient(t, warning);
    assert!((score_of(&o, "victim") - VICTIM_ONE).abs() < 1e-15);
    strict_fails(t, warning);
}

#[cfg(unix)]
#[test]
fn non_utf8_folder_name() {
    use std::os::unix::ffi::OsStrExt;
    let t = base();
    // A second study whose name is not UTF-8; Linux allows any bytes.
    let name = std::ffi::OsStr::from_bytes(b"study_\xff");
    let dir = t.subs().join("victim").join(name).join("alpha_jax/trial_1");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("eval_measurements.csv"),
        format!("{HEADER}10,100,100,0.5\n"),
    )
    .expect("write");
    let warning = "victim/study_\u{fffd}: name is not valid UTF-8, skipped";
    let (o, _) = lenient(&t, &["warning: name is not valid UTF-8, skipped"]);
    // The study was skipped: victim's times are those of study_0.
    assert_eq!(time_of(&o, "victim", "alpha"), 200.0);
    strict_fails(&t, &[warning]);
}

#[cfg(unix)]
#[test]
fn non_utf8_submission_name() {
    use std::os::unix::ffi::OsStrExt;
    let t = base();
    let name = std::ffi::OsStr::from_bytes(b"sub\xe9");
    std::fs::create_dir_all(t.subs().join(name).join("study_0")).expect("mkdir");
    let (o, _) = lenient(&t, &["warning: name is not valid UTF-8, skipped"]);
    assert_eq!(o.leaderboard.submissions, ["good", "victim"]);
    strict_fails(&t, &["subs/sub\u{fffd}: name is not valid UTF-8, skipped"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_to_itself() {
    let t = base();
    std::os::unix::fs::symlink("self", t.subs().join("victim/study_0/self")).expect("symlink");
    let (o, _) = lenient(
        &t,
        &["warning: unreadable entry skipped (filesystem loop or indirection limit (e.g. symlink loop)) (/"],
    );
    assert_eq!(score_of(&o, "victim"), VICTIM_BOTH);
    strict_fails(
        &t,
        &["victim/study_0/self: unreadable entry skipped (filesystem loop"],
    );
}

#[test]
fn missing_submissions_folder() {
    let t = base();
    let missing = t.dir.path().join("nope");
    let (spec, _) = t.spec();
    let err = fixtures::cli(&[
        "--spec".as_ref(),
        spec.as_os_str(),
        "--submissions".as_ref(),
        missing.as_os_str(),
    ])
    .expect_err("no submissions folder");
    assert_eq!(
        err,
        format!("{}: submissions folder does not exist", missing.display())
    );
}

#[test]
fn submissions_path_is_a_file() {
    let t = base();
    let file = t.dir.path().join("file.txt");
    std::fs::write(&file, "x").expect("write");
    let (spec, _) = t.spec();
    let err = fixtures::cli(&[
        "--spec".as_ref(),
        spec.as_os_str(),
        "--submissions".as_ref(),
        file.as_os_str(),
    ])
    .expect_err("a file");
    assert_eq!(err, format!("{}: not a folder", file.display()));
}

#[test]
fn output_folder_inside_the_submissions_tree() {
    let t = base();
    let out = t.subs().join("victim/out");
    let err = t
        .cli(&["--output-dir", &out.to_string_lossy()])
        .expect_err("inside");
    assert_eq!(
        err,
        format!(
            "output folder {} is inside the submissions folder {}: outputs would be read as logs next time",
            out.display(),
            t.subs().display()
        )
    );
    assert!(!out.exists(), "nothing written");
    // The submissions folder itself is inside too.
    let err = t
        .cli(&["--output-dir", &t.subs().to_string_lossy()])
        .expect_err("the submissions folder");
    assert!(err.contains("is inside the submissions folder"), "{err}");
}

#[test]
fn strict_cli_fails_and_writes_nothing() {
    let t = base();
    t.write(
        &victim("alpha_jax"),
        format!("{HEADER}10,100,100,3.0\n20,50,50,0.9\n"),
    );
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    let err = t
        .cli(&["--output-dir", &out_arg, "--strict"])
        .expect_err("--strict");
    assert!(err.starts_with("--strict: 2 problems:\n"), "{err}");
    assert!(
        err.contains(
            "victim/study_0/alpha_jax/trial_1/eval_measurements.csv:3: `score` goes backwards"
        ),
        "{err}"
    );
    assert!(!out.exists(), "--strict wrote nothing");
    // Without --strict the same tree is scored and written.
    t.cli(&["--output-dir", &out_arg]).expect("lenient");
    assert!(out.join("scores.csv").is_file());
}

#[test]
fn lines_are_file_lines_with_blank_lines_and_any_line_end() {
    // Regression: the line used to be the row index + 2 (time backwards) or
    // the csv crate's record position, which lags behind blank lines and
    // CRLF/CR line ends.
    let at = |line: usize, what: &str| {
        format!("victim/study_0/alpha_jax/trial_1/eval_measurements.csv:{line}: {what}")
    };
    let backwards = "`score` goes backwards";
    let nan = "`validation/loss` value `x` is not a number";
    let fields = "row has 3 fields, the header has 4";
    let missing = "no `score` column in the header";
    let cases: Vec<(String, String)> = vec![
        (format!("{HEADER}10,100,100,3.0\n\n20,50,50,0.9\n"), at(4, backwards)),
        (format!("{HEADER}\n\n10,100,100,3.0\n20,200,200,x\n"), at(5, nan)),
        (
            format!("{HEADER}10,100,100,3.0\r\n\r\n20,50,50,0.9\r\n"),
            at(4, backwards),
        ),
        (
            format!("{HEADER}10,100,100,3.0\r20,200,200,x\r").replace('\n', "\r"),
            at(3, nan),
        ),
        (
            format!("{HEADER}10,100,100,3.0\n\n\n20,200,200\n").replace('\n', "\r\n"),
            at(5, fields),
        ),
        // A quoted field spanning two lines: the next row is on line 4.
        (
            "global_step,accumulated_submission_time,score,validation/loss\n10,100,100,\"3.0\n\"\n20,200,200,x\n"
                .to_string(),
            at(4, nan),
        ),
        (
            "\n\nglobal_step,accumulated_submission_time,validation/loss\n".to_string(),
            at(3, missing),
        ),
    ];
    for (text, expected) in cases {
        let t = base();
        t.write(&victim("alpha_jax"), &text);
        lenient(&t, &[&expected]);
        strict_fails(&t, &[&expected]);
    }
}

#[cfg(unix)]
#[test]
fn symlink_loop_a_workload_folder_linking_to_its_study() {
    // Regression: the link was walked as the workload folder; it holds no
    // trial folder, so alpha silently went missing (only the count check
    // said anything).
    let t = base();
    let link = t.subs().join("victim/study_0/alpha_jax");
    std::fs::remove_dir_all(&link).expect("rm");
    std::os::unix::fs::symlink("../study_0", &link).expect("symlink");
    // And one level up: a study linking to its submission.
    std::os::unix::fs::symlink("..", t.subs().join("victim/study_1")).expect("symlink");
    let (o, _) = lenient(
        &t,
        &[
            "warning: symlink to a folder that contains it (a loop), skipped (2×: /",
            "victim/study_0/alpha_jax",
            "victim/study_1)",
            "expected 2 workloads, found 1 (victim (missing alpha))",
        ],
    );
    assert!((score_of(&o, "victim") - VICTIM_ONE).abs() < 1e-15);
    strict_fails(
        &t,
        &[
            "victim/study_0/alpha_jax: symlink to a folder that contains it (a loop), skipped",
            "victim/study_1: symlink to a folder that contains it (a loop), skipped",
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_sibling_folder_is_followed() {
    // Not a loop: the same logs under two names are read twice.
    let t = base();
    std::os::unix::fs::symlink(
        t.subs().join("good/study_0"),
        t.subs().join("victim/study_1"),
    )
    .expect("symlink");
    let (o, text) = lenient(&t, &["expected 1 studies, found 2"]);
    assert!(!text.contains("loop"), "{text}");
    // Studies 200 s and 100 s: the median is 150 s.
    assert_eq!(time_of(&o, "victim", "alpha"), 150.0);
}

#[test]
fn stray_files_and_folders_at_every_level() {
    // Regression: stray files were ignored without a word, and hidden
    // folders at the top (`.git`) became submissions scored 0.
    let t = base();
    let clean = t.run(false).expect("clean");
    t.write("README.md", "scores of …")
        .write(".DS_Store", "x")
        .mkdir(".git/objects")
        .write("victim/notes.txt", "x")
        .mkdir("victim/.ipynb_checkpoints")
        .write("victim/study_0/run.sh", "x")
        .mkdir("victim/study_0/plots")
        .mkdir("victim/study_0/trial_3")
        .write(
            "victim/study_0/alpha_jax/alpha_jax_01-01-2024-00-00-00.log",
            "log",
        )
        .write("victim/study_0/alpha_jax/trial_9", "a file")
        .mkdir("victim/study_0/alpha_jax/checkpoints")
        .write("victim/study_0/alpha_jax/trial_1/meta_data_0.json", "{}")
        .mkdir("victim/study_0/alpha_jax/trial_1/checkpoint_5");
    let (o, text) = lenient(
        &t,
        &[
            "warning: file where a submission folder is expected, ignored (/",
            "subs/README.md)",
            "warning: file where a study folder is expected, ignored (/",
            "victim/notes.txt)",
            "warning: file where a workload folder is expected, ignored (/",
            "victim/study_0/run.sh)",
            "warning: file where a trial folder is expected, ignored (/",
            "victim/study_0/alpha_jax/trial_9)",
            "warning: folder is not a trial folder trial_<n>, ignored (/",
            "victim/study_0/alpha_jax/checkpoints)",
            "warning: folder is not a workload folder <workload>_<jax|pytorch>, ignored (2×: victim/study_0/plots, victim/study_0/trial_3)",
            "warning: hidden file or folder ignored (3×: /",
        ],
    );
    // The training log and the trial folder's other files are expected there.
    assert!(!text.contains(".log"), "{text}");
    assert!(!text.contains("meta_data_0.json"), "{text}");
    assert!(!text.contains("checkpoint_5"), "{text}");
    assert_eq!(o.leaderboard.submissions, ["good", "victim"]);
    for name in ["scores.csv", "time_to_targets.csv", "victim_summary.csv"] {
        assert_eq!(file_of(&o, name), file_of(&clean, name), "{name}");
    }
    // Stray entries are notes: --strict does not fail on them.
    assert!(t.run(true).is_ok());
}

#[test]
fn a_stray_folder_at_the_top_is_a_submission_without_workloads() {
    // Any visible top-level folder is a submission: one with no study gets
    // a row (score 0) and a count warning, fatal under --strict.
    let t = base();
    t.mkdir("stray");
    let (o, _) = lenient(
        &t,
        &["expected 2 workloads, found 0 (stray (missing alpha, beta))"],
    );
    assert_eq!(score_of(&o, "stray"), 0.0);
    strict_fails(
        &t,
        &["stray (missing alpha, beta): expected 2 workloads, found 0"],
    );
}

#[test]
fn a_file_where_a_folder_is_expected() {
    // victim's beta workload folder is a file.
    let t = base();
    std::fs::remove_dir_all(t.subs().join("victim/study_0/beta_pytorch")).expect("rm");
    t.write("victim/study_0/beta_pytorch", "not a folder");
    let (o, _) = lenient(
        &t,
        &[
            "warning: file where a workload folder is expected, ignored (/",
            "victim/study_0/beta_pytorch)",
            "expected 2 workloads, found 1 (victim (missing beta))",
        ],
    );
    assert!((score_of(&o, "victim") - VICTIM_ONE).abs() < 1e-15);
    // The note stays a note; the missing workload fails --strict.
    let err = strict_fails(
        &t,
        &["victim (missing beta): expected 2 workloads, found 1"],
    );
    assert!(err.starts_with("--strict: 1 problem:"), "{err}");
}

#[test]
fn empty_study_folder() {
    // Regression: an empty study folder was invisible (the study count
    // comes from the trials read).
    let t = base();
    t.mkdir("victim/study_1");
    let warning = "victim/study_1: study folder without any workload folder, skipped";
    let (o, _) = lenient(
        &t,
        &["warning: study folder without any workload folder, skipped (/"],
    );
    assert_eq!(score_of(&o, "victim"), VICTIM_BOTH);
    strict_fails(&t, &[warning]);
}
