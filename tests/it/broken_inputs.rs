//! A corpus of broken submissions trees, each built here in a temporary
//! folder. Every case checks the exact warning or error the engine gives
//! (the path, the line where there is one), that the rest of the tree is
//! still scored without `--strict`, and what `--strict` does with it.
//! docs/bad-input.md is the table of these cases.

use crate::fixtures;

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

const HEADER: &str = "global_step,accumulated_submission_time,score,validation/loss\n";

/// The relative path of victim's trial file of a workload folder.
fn victim(folder: &str) -> String {
    Tree::rel("victim", folder)
}

/// One expected warning: its summary (the grouping key) and its location,
/// exactly as the engine prints them.
struct W {
    summary: String,
    location: String,
}

/// A warning located at `rel` under the submissions folder (absolute in the
/// message), followed by `detail` (`:4: row has 3 fields, …`).
fn at(t: &Tree, summary: &str, rel: &str, detail: &str) -> W {
    W {
        summary: summary.to_string(),
        location: format!("{}/{rel}{detail}", t.subs().display()),
    }
}

/// A warning whose location is not a path (`victim (missing alpha)`).
fn plain(summary: &str, location: &str) -> W {
    W {
        summary: summary.to_string(),
        location: location.to_string(),
    }
}

/// The count warning of victim's lost alpha.
fn alpha_missing() -> W {
    plain("expected 2 workloads, found 1", "victim (missing alpha)")
}

/// Scores without `--strict`: the run succeeds, `good` is untouched (score
/// 1, 100 s on both workloads), and for every expected warning the rendered
/// text has its group line `warning: <summary> (…<location>…)`.
fn lenient(t: &Tree, expected: &[W]) -> (Outcome, String) {
    let o = t
        .run(false)
        .unwrap_or_else(|e| panic!("the run should go on without --strict: {e}"));
    let text = o.warnings.render();
    for w in expected {
        let head = format!("warning: {} (", w.summary);
        let line = text
            .lines()
            .find(|l| l.starts_with(&head))
            .unwrap_or_else(|| panic!("no `{head}` line in the warnings:\n{text}"));
        assert!(
            line == format!("{head}{})", w.location) || line.contains(&w.location),
            "`{line}` does not name `{}`",
            w.location
        );
    }
    assert_eq!(score_of(&o, "good"), 1.0, "{text}");
    assert_eq!(time_of(&o, "good", "alpha"), 100.0);
    assert_eq!(time_of(&o, "good", "beta"), 100.0);
    (o, text)
}

/// Scores with `--strict`: the run fails, and its message lists exactly the
/// expected problems, one `  <location>: <summary>` line each.
fn strict_fails(t: &Tree, expected: &[W]) -> String {
    let err = match t.run(true) {
        Ok(_) => panic!("--strict should fail"),
        Err(e) => e.to_string(),
    };
    let n = expected.len();
    let head = format!("--strict: {n} problem{}:\n", if n == 1 { "" } else { "s" });
    assert!(err.starts_with(&head), "not `{head}`:\n{err}");
    for w in expected {
        let line = format!("  {}: {}", w.location, w.summary);
        assert!(
            err.lines().any(|l| l == line),
            "no line `{line}` in the --strict error:\n{err}"
        );
    }
    err
}

/// Without `--strict` the case has the expected warnings and only these; it
/// leaves `victim` with `victim_score`; with `--strict` it fails listing them.
fn check(t: &Tree, expected: &[W], victim_score: f64) -> Outcome {
    let (o, text) = lenient(t, expected);
    assert_eq!(o.warnings.len(), expected.len(), "{text}");
    assert!(
        (score_of(&o, "victim") - victim_score).abs() < 1e-12,
        "{text}"
    );
    strict_fails(t, expected);
    o
}

/// victim's alpha trial file replaced by `text`: the trial is skipped with a
/// warning at `detail` (`:4: row has …`), victim keeps beta only.
fn broken_alpha(text: impl AsRef<[u8]>, summary: &str, detail: &str) {
    let t = base();
    t.write(&victim("alpha_jax"), text);
    let o = check(
        &t,
        &[
            at(&t, summary, &victim("alpha_jax"), detail),
            alpha_missing(),
        ],
        VICTIM_ONE,
    );
    assert!(time_of(&o, "victim", "alpha").is_nan(), "alpha not run");
    assert_eq!(time_of(&o, "victim", "beta"), 200.0);
}

/// A case that is no error: no warning, and `--strict` passes.
fn clean(t: &Tree) -> Outcome {
    let (o, text) = lenient(t, &[]);
    assert!(o.warnings.is_empty(), "{text}");
    assert!(t.run(true).is_ok());
    o
}

#[test]
fn the_clean_tree_has_no_warning() {
    let o = clean(&base());
    assert_eq!(score_of(&o, "victim"), VICTIM_BOTH);
}

// ---- one trial file ----------------------------------------------------

#[test]
fn truncated_csv_cut_mid_row() {
    broken_alpha(
        format!("{HEADER}10,100,100,3.0\n20,200,200,0.9\n30,300,3"),
        "eval_measurements.csv row with the wrong number of fields, trial skipped",
        ":4: row has 3 fields, the header has 4",
    );
}

#[test]
fn a_row_with_too_many_fields() {
    broken_alpha(
        format!("{HEADER}10,100,100,3.0,7\n20,200,200,0.9\n"),
        "eval_measurements.csv row with the wrong number of fields, trial skipped",
        ":2: row has 5 fields, the header has 4",
    );
}

#[test]
fn half_written_header() {
    broken_alpha(
        "global_step,accumulated_submission_time,sco",
        "eval_measurements.csv without a `score` column, trial skipped",
        ":1: no `score` column in the header",
    );
}

#[test]
fn header_without_the_time_column() {
    broken_alpha(
        "global_step,accumulated_submission_time,validation/loss\n10,100,0.5\n",
        "eval_measurements.csv without a `score` column, trial skipped",
        ":1: no `score` column in the header",
    );
}

#[test]
fn header_without_the_target_metric() {
    broken_alpha(
        "global_step,accumulated_submission_time,score,validation/accuracy\n10,100,100,0.9\n",
        "eval_measurements.csv without a `validation/loss` column, trial skipped",
        ":1: no `validation/loss` column in the header",
    );
}

#[test]
fn a_header_that_is_not_utf8() {
    // The header is compared byte for byte: a mangled name is a missing column.
    broken_alpha(
        b"global_step,accumulated_submission_time,score,validation/l\xf6ss\n10,100,100,0.5\n",
        "eval_measurements.csv without a `validation/loss` column, trial skipped",
        ":1: no `validation/loss` column in the header",
    );
}

#[test]
fn empty_file() {
    // No line: the file has none.
    broken_alpha(
        "",
        "empty eval_measurements.csv, trial skipped",
        ": empty file (no header)",
    );
}

#[test]
fn a_value_that_is_not_a_number() {
    broken_alpha(
        format!("{HEADER}10,100,100,3.0\n20,200,200,0.9x\n"),
        "eval_measurements.csv with a non-numeric `validation/loss` value, trial skipped",
        ":3: `validation/loss` value `0.9x` is not a number",
    );
}

#[test]
fn a_value_that_is_not_utf8() {
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"10,100,100,3.0\n20,200,200,\xff\xfe\n");
    broken_alpha(
        bytes,
        "eval_measurements.csv with a non-numeric `validation/loss` value, trial skipped",
        ":3: `validation/loss` value `\u{fffd}\u{fffd}` is not a number",
    );
}

#[test]
fn time_going_backwards() {
    // Scored in file order, as the reference scores it (issue 11: it used
    // to skip the trial): the target is first reached on line 4, at 200 s.
    let t = base();
    t.write(
        &victim("alpha_jax"),
        format!("{HEADER}10,300,300,3.0\n20,150,150,2.0\n30,200,200,0.9\n"),
    );
    let expected = [at(
        &t,
        "eval_measurements.csv whose `score` goes backwards, scored in file order",
        &victim("alpha_jax"),
        ":3: `score` goes backwards",
    )];
    let o = check(&t, &expected, VICTIM_BOTH);
    assert_eq!(time_of(&o, "victim", "alpha"), 200.0);
}

#[test]
fn a_negative_time() {
    broken_alpha(
        format!("{HEADER}10,100,100,3.0\n20,-50,-50,0.9\n"),
        "eval_measurements.csv with a negative `score`, trial skipped",
        ":3: `score` value `-50` is negative",
    );
}

#[test]
fn no_time_where_the_target_is_reached() {
    // Empty, NaN or infinite: the time-to-target is unknown. It used to
    // make the workload "not run" with no warning, and win the study's
    // pick over a trial that reached the target in 300 s.
    for cell in ["", "nan", "inf"] {
        broken_alpha(
            format!("{HEADER}10,100,100,3.0\n20,{cell},{cell},0.9\n30,300,300,0.5\n"),
            "eval_measurements.csv without a `score` where the target is reached, trial skipped",
            ":3: no `score` value (empty, NaN or infinite) at the evaluation that first reaches the target",
        );
    }
    // Before the target, a missing time is harmless.
    let t = base();
    t.write(
        &victim("alpha_jax"),
        format!("{HEADER}10,,,3.0\n20,200,200,0.9\n"),
    );
    let o = clean(&t);
    assert_eq!(time_of(&o, "victim", "alpha"), 200.0);
}

#[test]
fn a_trial_without_a_time_at_the_target_loses_the_study_pick() {
    // Two trials: trial_1 reaches the target first (by evaluation index)
    // but has no time there; trial_2 reaches it at 300 s and is picked.
    let t = Tree::expecting(1, 2);
    t.submission("good", 100.0, 100.0);
    t.submission("victim", 300.0, 300.0);
    t.write(&victim("alpha_jax"), format!("{HEADER}10,,,0.9\n"));
    let o = t.run(false).expect("scored");
    assert_eq!(time_of(&o, "victim", "alpha"), 300.0);
    assert!(o.warnings.render().contains(&format!(
        "warning: eval_measurements.csv without a `score` where the target is reached, trial skipped ({}/{}:2: no `score` value",
        t.subs().display(),
        victim("alpha_jax")
    )));
}

#[test]
fn lines_are_file_lines_with_blank_lines_and_any_line_end() {
    // Regression: the line used to be the row index + 2 (time backwards) or
    // the csv crate's record position, which lags behind blank lines and
    // CRLF/CR line ends.
    let negative = "eval_measurements.csv with a negative `score`, trial skipped";
    let nan = "eval_measurements.csv with a non-numeric `validation/loss` value, trial skipped";
    let fields = "eval_measurements.csv row with the wrong number of fields, trial skipped";
    let missing = "eval_measurements.csv without a `score` column, trial skipped";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            format!("{HEADER}10,100,100,3.0\n\n20,-50,-50,0.9\n"),
            negative,
            ":4: `score` value `-50` is negative",
        ),
        (
            format!("{HEADER}\n\n10,100,100,3.0\n20,200,200,x\n"),
            nan,
            ":5: `validation/loss` value `x` is not a number",
        ),
        (
            format!("{HEADER}10,100,100,3.0\r\n\r\n20,-50,-50,0.9\r\n"),
            negative,
            ":4: `score` value `-50` is negative",
        ),
        (
            format!("{HEADER}10,100,100,3.0\r\r20,-50,-50,0.9\r"),
            negative,
            ":4: `score` value `-50` is negative",
        ),
        (
            format!("{HEADER}10,100,100,\"3.0\n\"\n20,-50,-50,0.9\n"),
            negative,
            ":4: `score` value `-50` is negative",
        ),
        (
            format!("{HEADER}10,100,100,3.0\n20,200,200,x\n").replace('\n', "\r\n"),
            nan,
            ":3: `validation/loss` value `x` is not a number",
        ),
        (
            format!("{HEADER}10,100,100,3.0\n20,200,200,x\n").replace('\n', "\r"),
            nan,
            ":3: `validation/loss` value `x` is not a number",
        ),
        (
            format!("{HEADER}10,100,100,3.0\n\n\n20,200,200\n").replace('\n', "\r\n"),
            fields,
            ":5: row has 3 fields, the header has 4",
        ),
        // A quoted field spanning two lines: the next row is on line 4.
        (
            format!("{HEADER}10,100,100,\"3.0\n\"\n20,200,200,x\n"),
            nan,
            ":4: `validation/loss` value `x` is not a number",
        ),
        (
            "\n\nglobal_step,accumulated_submission_time,validation/loss\n".to_string(),
            missing,
            ":3: no `score` column in the header",
        ),
    ];
    for (text, summary, detail) in cases {
        broken_alpha(text, summary, detail);
    }
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
    let o = clean(&t);
    assert_eq!(time_of(&o, "victim", "alpha"), f64::INFINITY);
    assert!((score_of(&o, "victim") - VICTIM_ONE).abs() < 1e-15);
    let summary = String::from_utf8_lossy(file_of(&o, "victim_summary.csv")).into_owned();
    assert!(
        summary
            .lines()
            .any(|l| l.contains("alpha_jax,trial_1,validation/loss,1.0,False,,,inf")),
        "{summary}"
    );
}

#[test]
fn duplicated_rows_change_nothing() {
    let t = base();
    let before = t.run(false).expect("clean");
    t.write(
        &victim("alpha_jax"),
        format!("{HEADER}10,100,100,3.0\n10,100,100,3.0\n20,200,200,0.9\n20,200,200,0.9\n"),
    );
    let o = clean(&t);
    assert_eq!(o.leaderboard.rules.scores, before.leaderboard.rules.scores);
    assert_eq!(
        file_of(&o, "time_to_targets.csv"),
        file_of(&before, "time_to_targets.csv")
    );
}

#[test]
fn a_header_only_file_is_a_trial_without_evaluations() {
    // A run that crashed before its first evaluation: it missed the target.
    let t = base();
    t.write(&victim("alpha_jax"), HEADER);
    let o = clean(&t);
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
        let o = clean(&t);
        assert_eq!(time_of(&o, "victim", "alpha"), 200.0);
        assert_eq!(score_of(&o, "victim"), VICTIM_BOTH);
    }
}

#[test]
fn crlf_line_endings() {
    let t = base();
    let before = t.run(false).expect("clean");
    let crlf = format!("{HEADER}10,100,100,3.0\n20,200,200,0.9\n").replace('\n', "\r\n");
    t.write(&victim("alpha_jax"), &crlf);
    let o = clean(&t);
    for name in ["scores.csv", "time_to_targets.csv", "victim_summary.csv"] {
        assert_eq!(file_of(&o, name), file_of(&before, name), "{name}");
    }
}

#[test]
fn trial_folder_without_its_file() {
    // Regression: since the file is found by opening it, a missing file was
    // reported as `unreadable … cannot read file: No such file or directory`.
    let t = base();
    std::fs::remove_file(t.subs().join(victim("alpha_jax"))).expect("rm");
    check(
        &t,
        &[
            at(
                &t,
                "trial folder without eval_measurements.csv, skipped",
                &victim("alpha_jax"),
                ": file missing",
            ),
            alpha_missing(),
        ],
        VICTIM_ONE,
    );
}

#[test]
fn a_folder_where_the_trial_file_is_expected() {
    let t = base();
    let path = t.subs().join(victim("alpha_jax"));
    std::fs::remove_file(&path).expect("rm");
    std::fs::create_dir_all(path.join("oops")).expect("mkdir");
    check(
        &t,
        &[
            at(
                &t,
                "unreadable eval_measurements.csv, trial skipped",
                &victim("alpha_jax"),
                ": cannot read file: Is a directory (os error 21)",
            ),
            alpha_missing(),
        ],
        VICTIM_ONE,
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    // Root reads any file whatever its mode; /proc/self/mem is a regular
    // file whose first bytes nobody can read (EIO).
    if !std::path::Path::new("/proc/self/mem").exists() {
        eprintln!("skipping: no /proc/self/mem");
        return;
    }
    let t = base();
    let path = t.subs().join(victim("alpha_jax"));
    std::fs::remove_file(&path).expect("rm");
    std::os::unix::fs::symlink("/proc/self/mem", &path).expect("symlink");
    check(
        &t,
        &[
            at(
                &t,
                "unreadable eval_measurements.csv, trial skipped",
                &victim("alpha_jax"),
                ": cannot read file: Input/output error (os error 5)",
            ),
            alpha_missing(),
        ],
        VICTIM_ONE,
    );
}

// ---- the tree ------------------------------------------------------------

/// Whether this process runs as root (who reads any folder whatever its
/// mode): `/proc/self` belongs to the process's user.
#[cfg(unix)]
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[cfg(unix)]
#[test]
fn unreadable_folder() {
    // Regression: a folder inside the tree that could not be listed ended
    // the whole run; it is now skipped with a warning, like a trial file.
    use std::os::unix::fs::PermissionsExt;
    let t = base();
    t.trial("victim", "study_1", "alpha_jax", "trial_1", &[(10.0, 0.5)]);
    let study = t.subs().join("victim/study_1");
    std::fs::set_permissions(&study, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let expected = [at(
        &t,
        "unreadable folder, skipped",
        "victim/study_1",
        ": Permission denied (os error 13)",
    )];
    if !is_root() {
        check(&t, &expected, VICTIM_BOTH);
        return;
    }
    // Root reads the folder anyway: score it as `nobody`, in a child run of
    // this test binary (`unreadable_folder_child`).
    let (spec, _) = t.spec();
    std::fs::set_permissions(t.dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let exe = std::env::current_exe().expect("test binary");
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&exe)
        .args([
            "--ignored",
            "--exact",
            "broken_inputs::unreadable_folder_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("ROBUST_CHILD_SPEC", &spec)
        .env("ROBUST_CHILD_SUBS", t.subs())
        .output();
    let out = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        // The test binary could not be started as nobody (a folder on its
        // path that only root may enter): nothing was tested.
        Ok(o) if !String::from_utf8_lossy(&o.stdout).contains("running 1 test") => {
            eprintln!(
                "skipping: cannot run the test binary as nobody: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return;
        }
        Ok(o) => panic!(
            "the child run failed:\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => {
            eprintln!("skipping: cannot run setpriv to drop root: {e}");
            return;
        }
    };
    let w = &expected[0];
    let rendered = format!("warning: {} ({})\n", w.summary, w.location);
    assert!(out.contains(&rendered), "no `{rendered}` in:\n{out}");
    assert!(out.contains("scores [1.0, 0.6717171717171717]"), "{out}");
    let strict = format!(
        "strict: --strict: 1 problem:\n  {}: {}\n",
        w.location, w.summary
    );
    assert!(out.contains(&strict), "no `{strict}` in:\n{out}");
}

/// The child of [`unreadable_folder`], run by it as an unprivileged user.
#[test]
#[ignore = "run by unreadable_folder as an unprivileged user"]
fn unreadable_folder_child() {
    use algoperf_engine::ingest::Silent;
    use algoperf_engine::run::{self, Options};
    let (Some(spec), Some(subs)) = (
        std::env::var_os("ROBUST_CHILD_SPEC"),
        std::env::var_os("ROBUST_CHILD_SUBS"),
    ) else {
        panic!("run by unreadable_folder only");
    };
    let spec = algoperf_engine::spec::load(std::path::Path::new(&spec)).expect("spec");
    let subs = std::path::PathBuf::from(subs);
    let lenient = Options::default();
    let ingested = run::read(&subs, &spec, &lenient, &Silent).expect("read");
    let o = run::score(&ingested, &spec, &lenient).expect("score");
    println!("scores {:?}", o.leaderboard.rules.scores);
    print!("{}", o.warnings.render());
    let strict = Options {
        strict: true,
        ..Options::default()
    };
    let ingested = run::read(&subs, &spec, &strict, &Silent).expect("read");
    match run::score(&ingested, &spec, &strict) {
        Ok(_) => println!("strict: ok"),
        Err(e) => println!("strict: {e}"),
    }
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
    let o = check(
        &t,
        &[at(
            &t,
            "name is not valid UTF-8, skipped",
            "victim/study_\u{fffd}",
            "",
        )],
        VICTIM_BOTH,
    );
    // The study was skipped: victim's times are those of study_0.
    assert_eq!(time_of(&o, "victim", "alpha"), 200.0);
}

#[cfg(unix)]
#[test]
fn non_utf8_submission_name() {
    use std::os::unix::ffi::OsStrExt;
    let t = base();
    let name = std::ffi::OsStr::from_bytes(b"sub\xe9");
    std::fs::create_dir_all(t.subs().join(name).join("study_0")).expect("mkdir");
    let o = check(
        &t,
        &[at(
            &t,
            "name is not valid UTF-8, skipped",
            "sub\u{fffd}",
            "",
        )],
        VICTIM_BOTH,
    );
    assert_eq!(o.leaderboard.submissions, ["good", "victim"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_to_itself() {
    let t = base();
    std::os::unix::fs::symlink("self", t.subs().join("victim/study_0/self")).expect("symlink");
    check(
        &t,
        &[at(
            &t,
            "unreadable entry skipped (filesystem loop or indirection limit (e.g. symlink loop))",
            "victim/study_0/self",
            "",
        )],
        VICTIM_BOTH,
    );
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
    let summary = "symlink to a folder that contains it (a loop), skipped";
    check(
        &t,
        &[
            at(&t, summary, "victim/study_0/alpha_jax", ""),
            at(&t, summary, "victim/study_1", ""),
            alpha_missing(),
        ],
        VICTIM_ONE,
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
    let o = check(
        &t,
        &[
            plain("expected 1 studies, found 2", "victim/alpha"),
            plain("expected 1 studies, found 2", "victim/beta"),
        ],
        // Studies 200 s and 100 s: the median is 150 s, ratio 1.5, solved
        // from grid point 17 on: (82 + 0.5) steps of 3/99, over 3.
        82.5 / 99.0,
    );
    assert_eq!(time_of(&o, "victim", "alpha"), 150.0);
}

#[test]
fn stray_files_and_folders_at_every_level() {
    // Regression: stray files were ignored without a word, and hidden
    // folders at the top (`.git`) became submissions scored 0.
    let t = base();
    let before = t.run(false).expect("clean");
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
    let not_workload = "folder is not a workload folder <workload>_<jax|pytorch>, ignored";
    let hidden = "hidden file or folder ignored";
    let expected = [
        at(
            &t,
            "file where a submission folder is expected, ignored",
            "README.md",
            "",
        ),
        at(
            &t,
            "file where a study folder is expected, ignored",
            "victim/notes.txt",
            "",
        ),
        at(
            &t,
            "file where a workload folder is expected, ignored",
            "victim/study_0/run.sh",
            "",
        ),
        at(
            &t,
            "file where a trial folder is expected, ignored",
            "victim/study_0/alpha_jax/trial_9",
            "",
        ),
        at(
            &t,
            "folder is not a trial folder trial_<n>, ignored",
            "victim/study_0/alpha_jax/checkpoints",
            "",
        ),
        plain(not_workload, "victim/study_0/plots"),
        plain(not_workload, "victim/study_0/trial_3"),
        at(&t, hidden, ".DS_Store", ""),
        at(&t, hidden, ".git", ""),
        at(&t, hidden, "victim/.ipynb_checkpoints", ""),
    ];
    let (o, text) = lenient(&t, &expected);
    assert_eq!(o.warnings.len(), expected.len(), "{text}");
    assert_eq!(o.leaderboard.submissions, ["good", "victim"]);
    for name in ["scores.csv", "time_to_targets.csv", "victim_summary.csv"] {
        assert_eq!(file_of(&o, name), file_of(&before, name), "{name}");
    }
    // Stray entries are notes: --strict does not fail on them.
    assert!(t.run(true).is_ok());
}

#[test]
fn a_stray_folder_at_the_top_is_a_submission_without_workloads() {
    // Any visible top-level folder is a submission: one from which no trial
    // could be read is a degenerate result, an error (issue 11); with
    // --allow-empty it gets a row (score 0) and a count warning, fatal
    // under --strict.
    let t = base();
    t.mkdir("stray");
    let err = t.run(false).expect_err("a submission without trials");
    assert_eq!(
        err.to_string(),
        format!(
            "{}/stray: no trial could be read from submission `stray` (looked for \
             <study>/<workload>_<framework>/trial_<k>/eval_measurements.csv; found no study \
             folder) (--allow-empty scores anyway)",
            t.subs().display()
        )
    );
    assert_eq!(err.exit_code(), 1);
    let (_, spec) = t.spec();
    let options = algoperf_engine::run::Options {
        selection: algoperf_engine::ingest::Selection {
            allow_empty: true,
            ..Default::default()
        },
        strict: false,
    };
    let ingested =
        algoperf_engine::run::read(&t.subs(), &spec, &options, &algoperf_engine::ingest::Silent)
            .expect("--allow-empty reads it");
    let o = algoperf_engine::run::score(&ingested, &spec, &options).expect("scored");
    assert_eq!(score_of(&o, "stray"), 0.0);
    let text = o.warnings.render();
    assert!(
        text.contains("warning: expected 2 workloads, found 0 (stray (missing alpha, beta))"),
        "{text}"
    );
    assert!(
        text.contains("warning: no trial could be read from submission `stray` ("),
        "{text}"
    );
}

#[test]
fn a_file_where_a_folder_is_expected() {
    // victim's beta workload folder is a file: a note for the file, and the
    // missing workload is a count warning (the one --strict fails on).
    let t = base();
    std::fs::remove_dir_all(t.subs().join("victim/study_0/beta_pytorch")).expect("rm");
    t.write("victim/study_0/beta_pytorch", "not a folder");
    let note = at(
        &t,
        "file where a workload folder is expected, ignored",
        "victim/study_0/beta_pytorch",
        "",
    );
    let count = plain("expected 2 workloads, found 1", "victim (missing beta)");
    let (o, _) = lenient(&t, &[note, plain(&count.summary, &count.location)]);
    assert_eq!(o.warnings.len(), 2);
    assert!((score_of(&o, "victim") - VICTIM_ONE).abs() < 1e-15);
    strict_fails(&t, &[count]);
}

#[test]
fn empty_study_folder() {
    // Regression: an empty study folder was invisible (the study count
    // comes from the trials read).
    let t = base();
    t.mkdir("victim/study_1");
    check(
        &t,
        &[at(
            &t,
            "study folder without any workload folder, skipped",
            "victim/study_1",
            "",
        )],
        VICTIM_BOTH,
    );
}

// ---- the command line: fatal errors ----------------------------------------

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
    // The trial is kept (scored in file order), so no count problem.
    assert!(err.starts_with("--strict: 1 problem:\n"), "{err}");
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

#[cfg(unix)]
#[test]
fn a_dangling_symlink() {
    let t = base();
    std::os::unix::fs::symlink("nowhere", t.subs().join("victim/study_0/gone_jax"))
        .expect("symlink");
    check(
        &t,
        &[at(
            &t,
            "unreadable entry skipped (entity not found)",
            "victim/study_0/gone_jax",
            "",
        )],
        VICTIM_BOTH,
    );
}

#[test]
fn output_folder_not_writable() {
    // Root writes anywhere: a path under a regular file is a folder nobody
    // can make. Found before the logs are read (tests/it/atomic_outputs.rs
    // has the rest).
    let t = base();
    let file = t.dir.path().join("file.txt");
    std::fs::write(&file, "x").expect("write");
    let out = file.join("out");
    let err = t
        .cli(&["--output-dir", &out.to_string_lossy()])
        .expect_err("not writable");
    assert_eq!(
        err,
        format!(
            "{}: cannot write output: {} is a file, not a folder",
            out.display(),
            file.display()
        )
    );
}
