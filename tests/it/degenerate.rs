//! Degenerate results (issue 11): a run that would print an empty or
//! all-zero leaderboard because of a mistake is an error, exit status 1,
//! that says what was looked for, where, and what was found instead;
//! `--allow-empty` scores anyway, with the same text as a warning. Every
//! case checks the exact message. docs/bad-input.md lists them.

use crate::fixtures;

use std::path::Path;

use fixtures::Tree;

/// `shampoo_submission` and `baseline`, both complete.
fn tree() -> Tree {
    let t = Tree::new();
    t.submission("shampoo_submission", 100.0, 100.0)
        .submission("baseline", 200.0, 200.0);
    t
}

/// Runs the command line in this process: the message printed after
/// `error: ` and the exit status.
fn fails(args: &[&str]) -> (String, i32) {
    use clap::Parser;
    let mut argv = vec!["algoperf-engine"];
    argv.extend(args);
    let cli = algoperf_engine::cli::Cli::try_parse_from(argv).expect("valid command line");
    let e = algoperf_engine::cli::main_with(cli).expect_err("a degenerate result");
    (e.to_string(), e.exit_code())
}

/// The scoring command on `subs` with `spec` and `extra` arguments.
fn score_args<'a>(spec: &'a Path, subs: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "--spec",
        spec.to_str().expect("utf-8"),
        "--submissions",
        subs.to_str().expect("utf-8"),
    ];
    v.extend(extra);
    v
}

/// Fails with `message` (plus the `--allow-empty` hint), also under
/// `--strict`; succeeds with `--allow-empty`, warning with the same text.
fn degenerate(spec: &Path, subs: &Path, extra: &[&str], message: &str) {
    let (err, code) = fails(&score_args(spec, subs, extra));
    assert_eq!(err, format!("{message} (--allow-empty scores anyway)"));
    assert_eq!(code, 1);
    let mut strict = extra.to_vec();
    strict.push("--strict");
    assert_eq!(fails(&score_args(spec, subs, &strict)).0, err);
    let mut allowed = extra.to_vec();
    allowed.push("--allow-empty");
    fixtures::cli(&score_args(spec, subs, &allowed)).expect("--allow-empty scores anyway");
}

/// The test spec with `from` replaced by `to`.
fn spec_with(t: &Tree, from: &str, to: &str) -> std::path::PathBuf {
    let (path, _) = t.spec();
    let text = std::fs::read_to_string(&path).expect("spec");
    assert!(text.contains(from), "no `{from}`");
    let variant = path.with_file_name("variant.toml");
    std::fs::write(&variant, text.replace(from, to)).expect("write");
    variant
}

#[test]
fn an_empty_submissions_folder() {
    let t = Tree::new();
    t.mkdir("");
    let (spec, _) = t.spec();
    let subs = t.subs();
    degenerate(
        &spec,
        &subs,
        &[],
        &format!(
            "{}: no submission folder in the submissions folder (found: nothing)",
            subs.display()
        ),
    );
    // Files only: they are named.
    t.write("README.md", "x").write(".DS_Store", "x");
    degenerate(
        &spec,
        &subs,
        &[],
        &format!(
            "{}: no submission folder in the submissions folder (found: 2 files or hidden entries: .DS_Store, README.md)",
            subs.display()
        ),
    );
}

#[test]
fn an_include_that_matches_nothing_says_did_you_mean() {
    let t = tree();
    let (spec, _) = t.spec();
    let subs = t.subs();
    degenerate(
        &spec,
        &subs,
        &["--include", "shampoo"],
        &format!(
            "--include shampoo: no submission `shampoo` in {} (did you mean `shampoo_submission`?)",
            subs.display()
        ),
    );
    degenerate(
        &spec,
        &subs,
        &["--include", "baselin"],
        &format!(
            "--include baselin: no submission `baselin` in {} (did you mean `baseline`?)",
            subs.display()
        ),
    );
}

#[test]
fn an_include_close_to_several_names_lists_them() {
    let t = tree();
    t.submission("shampoo_v2", 300.0, 300.0);
    let (spec, _) = t.spec();
    let subs = t.subs();
    degenerate(
        &spec,
        &subs,
        &["--include", "shampoo"],
        &format!(
            "--include shampoo: no submission `shampoo` in {} (did you mean one of \
             `shampoo_submission`, `shampoo_v2`?)",
            subs.display()
        ),
    );
}

#[test]
fn an_exclude_that_matches_nothing_lists_the_submissions() {
    let t = tree();
    let (spec, _) = t.spec();
    let subs = t.subs();
    degenerate(
        &spec,
        &subs,
        &["--exclude", "nosuch"],
        &format!(
            "--exclude nosuch: no submission `nosuch` in {} (found: baseline, shampoo_submission)",
            subs.display()
        ),
    );
}

#[test]
fn a_selection_that_leaves_nothing() {
    let t = tree();
    let (spec, _) = t.spec();
    let subs = t.subs();
    degenerate(
        &spec,
        &subs,
        &["--exclude", "baseline,shampoo_submission"],
        &format!(
            "{}: no submission selected (--include/--exclude left none of 2: baseline, shampoo_submission)",
            subs.display()
        ),
    );
}

#[test]
fn a_submission_from_which_no_trial_could_be_read() {
    let t = tree();
    for folder in ["alpha_jax", "beta_pytorch"] {
        t.write(&Tree::rel("broken", folder), "oops\n");
    }
    let (spec, _) = t.spec();
    let subs = t.subs();
    degenerate(
        &spec,
        &subs,
        &[],
        &format!(
            "{0}/broken: no trial could be read from submission `broken` (looked for \
             <study>/<workload>_<framework>/trial_<k>/eval_measurements.csv; found 2 trial \
             files, all skipped; the first: {0}/broken/study_0/alpha_jax/trial_1/\
             eval_measurements.csv:1: no `score` column in the header)",
            subs.display()
        ),
    );
}

#[test]
fn a_workload_from_which_no_trial_could_be_read() {
    let t = tree();
    for sub in ["shampoo_submission", "baseline"] {
        t.write(
            &Tree::rel(sub, "alpha_jax"),
            fixtures::header("loss") + "10,1,1,x\n",
        );
    }
    let (spec, _) = t.spec();
    let subs = t.subs();
    degenerate(
        &spec,
        &subs,
        &[],
        &format!(
            "{0}: no trial of workload `alpha` could be read (found 2 trial files, all \
             skipped; the first: {0}/baseline/study_0/alpha_jax/trial_1/eval_measurements.csv:2: \
             `validation/loss` value `x` is not a number)",
            subs.display()
        ),
    );
}

#[test]
fn a_time_column_found_in_no_file() {
    let t = tree();
    let spec = spec_with(&t, "time = \"score\"", "time = \"scor\"");
    let subs = t.subs();
    let (err, code) = fails(&score_args(&spec, &subs, &[]));
    assert_eq!(code, 1);
    let file = subs.join("baseline/study_0/alpha_jax/trial_1/eval_measurements.csv");
    assert_eq!(
        err,
        format!(
            "{0}: column `scor` (the spec's time column) is in no trial file of workloads \
             alpha, beta (looked at 4 files; {1} has: global_step, accumulated_submission_time, \
             score, validation/loss) (did you mean `score`?) (--allow-empty scores anyway)",
            subs.display(),
            file.display()
        )
    );
}

#[test]
fn a_metric_prefix_found_in_no_file() {
    let t = tree();
    let spec = spec_with(
        &t,
        "metric_prefix = \"validation/\"",
        "metric_prefix = \"valid/\"",
    );
    let subs = t.subs();
    let file = |folder: &str| {
        subs.join(format!(
            "baseline/study_0/{folder}/trial_1/eval_measurements.csv"
        ))
    };
    let (err, code) = fails(&score_args(&spec, &subs, &[]));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "2 problems leave the result empty or meaningless (--allow-empty scores anyway):\n  \
             {0}: column `valid/accuracy` (the target metric's column) is in no trial file of \
             workload beta (looked at 2 files; {1} has: global_step, accumulated_submission_time, \
             score, validation/accuracy) (did you mean `validation/accuracy`? see [columns] \
             metric_prefix)\n  \
             {0}: column `valid/loss` (the target metric's column) is in no trial file of \
             workload alpha (looked at 2 files; {2} has: global_step, accumulated_submission_time, \
             score, validation/loss) (did you mean `validation/loss`? see [columns] \
             metric_prefix)",
            subs.display(),
            file("beta_pytorch").display(),
            file("alpha_jax").display(),
        )
    );
}

#[test]
fn a_framework_no_folder_has() {
    let t = tree();
    let spec = spec_with(
        &t,
        "frameworks = [\"jax\", \"pytorch\"]",
        "frameworks = [\"jax\", \"pytorh\"]",
    );
    let subs = t.subs();
    degenerate(
        &spec,
        &subs,
        &[],
        &format!(
            "{}: framework `pytorh` of [workloads] frameworks matches no workload folder under {} \
             (found: 2 `_pytorch` folders, e.g. baseline/study_0/beta_pytorch) (did you mean `pytorch`?)",
            spec.display(),
            subs.display()
        ),
    );
}

#[test]
fn source_logs_without_any_log() {
    let t = tree();
    let (spec, _) = t.spec();
    let subs = t.subs();
    degenerate(
        &spec,
        &subs,
        &["--source", "logs"],
        &format!(
            "{}: --source logs found no raw log (*.log) in any workload folder (found: 4 workload \
             folders, 4 trial folders with eval_measurements.csv: try --source csv or --source auto)",
            subs.display()
        ),
    );
}

#[test]
fn a_results_cache_with_an_include_that_matches_nothing() {
    let t = tree();
    let (spec, _) = t.spec();
    let subs = t.subs();
    let cache = t.dir.path().join("results.bin");
    let cache_s = cache.to_str().expect("utf-8");
    fixtures::cli(&score_args(&spec, &subs, &["--save-results", cache_s])).expect("saved");
    let (err, code) = fails(&[
        "--spec",
        spec.to_str().expect("utf-8"),
        "--load-results",
        cache_s,
        "--include",
        "shampoo",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "--include shampoo: no submission `shampoo` in {cache_s} (did you mean \
             `shampoo_submission`?) (--allow-empty scores anyway)"
        )
    );
}

// ---------------------------------------------------------------------------
// Raw logs that used to be read silently wrong (issue 11).

/// One evaluation line of a raw log.
fn eval_line(step: u32, dict: &str) -> String {
    format!("I0101 00:00:00.000 1 submission_runner.py:1] Time since start: 1.00s, \tStep: {step}, \t{{{dict}}}\n")
}

/// A tree whose `victim` has alpha from a raw log (`log`), the rest from
/// CSVs; read with `--source auto`.
fn log_tree(log: &[u8]) -> (Tree, std::path::PathBuf) {
    let t = Tree::new();
    t.submission("good", 100.0, 100.0)
        .submission("victim", 200.0, 200.0);
    let dir = t.subs().join("victim/study_0/alpha_jax");
    std::fs::remove_dir_all(dir.join("trial_1")).expect("rm");
    let file = dir.join("alpha_jax_01-01-2025-00-00-00.log");
    std::fs::write(&file, log).expect("write log");
    (t, file)
}

fn read_auto(t: &Tree) -> algoperf_engine::run::Outcome {
    use algoperf_engine::ingest::{Selection, Silent, Source};
    use algoperf_engine::run::{self, Options};
    let (_, spec) = t.spec();
    let options = Options {
        selection: Selection {
            source: Source::Auto,
            ..Selection::default()
        },
        strict: false,
    };
    let ingested = run::read(&t.subs(), &spec, &options, &Silent).expect("read");
    run::score(&ingested, &spec, &options).expect("scored")
}

fn good_log() -> String {
    eval_line(
        10,
        "'validation/loss': 3.0, 'score': 100.0, 'accumulated_submission_time': 100.0",
    ) + &eval_line(
        20,
        "'validation/loss': 0.9, 'score': 200.0, 'accumulated_submission_time': 200.0",
    )
}

#[test]
fn a_raw_log_without_a_time_where_the_target_is_reached() {
    for dict in [
        "'validation/loss': 0.9, 'score': nan, 'accumulated_submission_time': 200.0",
        "'validation/loss': 0.9, 'accumulated_submission_time': 200.0",
    ] {
        let log = eval_line(
            10,
            "'validation/loss': 3.0, 'score': 100.0, 'accumulated_submission_time': 100.0",
        ) + &eval_line(20, dict);
        let (t, file) = log_tree(log.as_bytes());
        let o = read_auto(&t);
        let lb = &o.leaderboard;
        let r = lb.row("victim").expect("victim");
        assert!(lb.time_to_targets[(r, 0)].is_nan(), "alpha not scored");
        assert!(
            o.warnings.render().contains(&format!(
                "warning: raw log without a `score` where the target is reached, trial skipped ({}:2: no `score` value (empty, NaN or infinite) at the evaluation that first reaches the target)",
                file.display()
            )),
            "{}",
            o.warnings.render()
        );
    }
}

#[test]
fn a_raw_log_without_the_time_key_names_the_log() {
    let log = eval_line(
        10,
        "'validation/loss': 0.9, 'accumulated_submission_time': 200.0",
    );
    let (t, file) = log_tree(log.as_bytes());
    let o = read_auto(&t);
    assert!(
        o.warnings.render().contains(&format!(
            "warning: raw log without a `score` key, trial skipped ({}: no `score` key in the evaluations of trial_1)",
            file.display()
        )),
        "{}",
        o.warnings.render()
    );
}

#[test]
fn a_latin1_byte_in_an_unrelated_line_keeps_the_log() {
    let mut log = b"loading /data/caf\xe9/train\n".to_vec();
    log.extend(good_log().as_bytes());
    let (t, _) = log_tree(&log);
    let o = read_auto(&t);
    assert!(o.warnings.is_empty(), "{}", o.warnings.render());
    let lb = &o.leaderboard;
    assert_eq!(
        lb.time_to_targets[(lb.row("victim").expect("victim"), 0)],
        200.0
    );
}

#[test]
fn a_raw_log_with_cr_line_ends_is_read() {
    let (t, _) = log_tree(good_log().replace('\n', "\r").as_bytes());
    let o = read_auto(&t);
    assert!(o.warnings.is_empty(), "{}", o.warnings.render());
    let lb = &o.leaderboard;
    assert_eq!(
        lb.time_to_targets[(lb.row("victim").expect("victim"), 0)],
        200.0
    );
}

#[test]
fn a_raw_log_whose_time_goes_backwards_is_scored_in_file_order() {
    let log = eval_line(
        10,
        "'validation/loss': 3.0, 'score': 300.0, 'accumulated_submission_time': 300.0",
    ) + &eval_line(
        20,
        "'validation/loss': 2.0, 'score': 150.0, 'accumulated_submission_time': 150.0",
    ) + &eval_line(
        30,
        "'validation/loss': 0.9, 'score': 200.0, 'accumulated_submission_time': 200.0",
    );
    let (t, file) = log_tree(log.as_bytes());
    let o = read_auto(&t);
    let lb = &o.leaderboard;
    assert_eq!(
        lb.time_to_targets[(lb.row("victim").expect("victim"), 0)],
        200.0
    );
    assert_eq!(
        o.warnings.render(),
        format!(
            "warning: raw log whose `score` goes backwards, scored in file order ({}:2: `score` goes backwards)\n1 warning of 1 kind\n",
            file.display()
        )
    );
}

// ---------------------------------------------------------------------------
// Unclear messages (issue 11).

#[test]
fn a_submissions_path_longer_than_path_max_gives_the_system_reason() {
    let t = tree();
    let (spec, _) = t.spec();
    let long = format!("/{}", "a".repeat(5000));
    let (err, code) = fails(&score_args(&spec, Path::new(&long), &[]));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!("{long}: cannot read folder: File name too long (os error 36)")
    );
}

#[test]
fn a_dangling_symlink_as_output_folder_says_so() {
    let t = tree();
    let (spec, _) = t.spec();
    let link = t.dir.path().join("out");
    let target = t.dir.path().join("nowhere");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let subs = t.subs();
    let (err, code) = fails(&score_args(
        &spec,
        &subs,
        &["--output-dir", link.to_str().expect("utf-8")],
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "{0}: cannot write output: {0} is a symbolic link to {1}, which does not exist",
            link.display(),
            target.display()
        )
    );
}

#[test]
fn control_characters_in_names_are_escaped_on_the_terminal() {
    let t = tree();
    t.submission("evil\x1b[2J", 300.0, 300.0);
    t.write("note\x07.txt", "x");
    let (spec, _) = t.spec();
    let subs = t.subs();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
        .args(score_args(&spec, &subs, &[]))
        .output()
        .expect("runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(
        !stdout.contains('\x1b') && !stderr.contains('\x07'),
        "raw control characters"
    );
    assert!(stdout.contains("  evil\\u{1b}[2J  "), "{stdout}");
    assert_eq!(
        stderr,
        format!(
            "warning: file where a submission folder is expected, ignored ({}/note\\u{{7}}.txt)\n1 warning of 1 kind\n",
            subs.display()
        )
    );
}

#[test]
fn a_pipe_in_a_name_is_escaped_in_the_markdown_link_too() {
    let t = tree();
    t.submission("a|b", 300.0, 300.0);
    let (spec, _) = t.spec();
    let info = t.dir.path().join("info");
    std::fs::create_dir_all(&info).expect("mkdir");
    let subs = t.subs();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
        .args([
            "leaderboard",
            "--spec",
            spec.to_str().expect("utf-8"),
            "--submissions",
            subs.to_str().expect("utf-8"),
            "--info-dir",
            info.to_str().expect("utf-8"),
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let row = stdout
        .lines()
        .find(|l| l.contains("**a\\|b**"))
        .unwrap_or_else(|| panic!("no a|b row:\n{stdout}"));
    assert!(row.contains("/a%7Cb/)"), "{row}");
    // Every row has the table's 7 cells: no unescaped `|` splits one.
    let cells = row.replace("\\|", "").matches('|').count();
    assert_eq!(cells, 8, "{row}");
}
