//! `check`: every code triggered by a tree built here (its exact output
//! line), the published v0.5 tree checked with its spec, the three output
//! formats, exit codes, the list of codes in docs/check.md, and a property test
//! that no generated tree makes `check` panic.

use crate::common;
use crate::fixtures;

use std::path::{Path, PathBuf};

use algoperf_engine::check::{self, Code, Options, Report, Severity};
use algoperf_engine::ingest::Source;
use algoperf_engine::spec::{self, Spec};

/// The fixtures' targets plus `gamma`, a workload the targets know but the
/// spec does not score.
fn targets() -> String {
    format!(
        "{}\n[workloads.gamma]\nmetric = \"loss\"\ngoal = \"minimize\"\ntarget = 1.0\nstep_hint = 100\nbudget = 1000\n",
        fixtures::TARGETS
    )
}

/// Base `alpha`, `beta`, held-out `alpha_v` (budget 1000 s from `alpha`),
/// budget factor 1, 1% overshoot tolerance.
fn write_spec(dir: &Path, studies: usize, trials: usize) -> (PathBuf, Spec) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("targets.toml"), targets()).expect("targets");
    let text = fixtures::ruleset_with(fixtures::COMPATIBLE, true, studies, trials)
        + "\n[budget]\nfactor = 1\nmissed_extra_seconds = 1\novershoot_tolerance = 0.01\n";
    let path = dir.join("check.toml");
    std::fs::write(&path, text).expect("spec");
    let spec = spec::load(&path).expect("the check spec loads");
    (path, spec)
}

/// A tree with a spec expecting `studies` × `trials`.
struct T {
    tree: fixtures::Tree,
    spec_path: PathBuf,
    spec: Spec,
}

impl T {
    fn new(studies: usize, trials: usize) -> Self {
        let tree = fixtures::Tree::expecting(studies, trials);
        let (spec_path, spec) = write_spec(&tree.dir.path().join("spec"), studies, trials);
        std::fs::create_dir_all(tree.subs()).expect("subs");
        T {
            tree,
            spec_path,
            spec,
        }
    }

    /// A submission with nothing wrong: every workload in every study and
    /// trial, targets reached within the budget, no two files alike.
    fn good(&self, sub: &str) -> &Self {
        for s in 0..self.tree.studies {
            for t in 1..=self.tree.trials {
                let k = (s * 10 + t) as f64;
                let study = format!("study_{s}");
                let trial = format!("trial_{t}");
                for (folder, reached) in [("alpha_jax", 0.9), ("alpha_v_jax", 1.9)] {
                    self.tree.trial(
                        sub,
                        &study,
                        folder,
                        &trial,
                        &[(100.0 + k, 3.0), (200.0 + k, reached)],
                    );
                }
                self.tree.trial(
                    sub,
                    &study,
                    "beta_pytorch",
                    &trial,
                    &[(100.0 + k, 0.1), (300.0 + k, 0.6)],
                );
            }
        }
        self
    }

    fn subs(&self) -> PathBuf {
        self.tree.subs()
    }

    fn write(&self, rel: &str, text: &str) -> &Self {
        self.tree.write(rel, text);
        self
    }

    fn check_with(&self, path: &Path, options: &Options) -> Report {
        check::check(&self.spec, &[path.to_path_buf()], options)
    }

    /// The terminal output of checking `subs/<rel>` (or `subs/` for ""),
    /// with the tree's folder written as `T`.
    fn terminal_of(&self, rel: &str, options: &Options) -> String {
        let path = if rel.is_empty() {
            self.subs()
        } else {
            self.subs().join(rel)
        };
        let text = check::terminal(&self.check_with(&path, options));
        text.replace(&self.tree.dir.path().display().to_string(), "T")
    }
}

fn csv_opts() -> Options {
    Options::default()
}

/// Asserts `text` has `line` as one of its lines.
#[track_caller]
fn has_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l == line),
        "no line\n{line}\nin\n{text}"
    );
}

#[track_caller]
fn codes_of(report: &Report) -> Vec<&'static str> {
    let mut v: Vec<&str> = report.findings.iter().map(|f| f.code.name()).collect();
    v.dedup();
    v
}

const M: &str = "eval_measurements.csv";

#[test]
fn a_good_submission_has_no_finding() {
    let t = T::new(2, 2);
    t.good("sub");
    let report = t.check_with(&t.subs(), &csv_opts());
    assert_eq!(report.findings, vec![], "{}", check::terminal(&report));
    assert_eq!(report.submissions, vec!["sub".to_string()]);
    // The submission folder itself is recognised as one.
    let report = t.check_with(&t.subs().join("sub"), &csv_opts());
    assert_eq!(report.findings, vec![]);
    assert_eq!(report.submissions, vec!["sub".to_string()]);
}

#[test]
fn layout_codes() {
    let t = T::new(1, 1);
    t.good("sub");
    t.write("sub/study_0/trial_1/eval_measurements.csv", "x\n") // stray trial folder
        .write("sub/study_0/alpha_tf/trial_1/eval_measurements.csv", "x\n")
        .write("sub/study_0/delta_jax/trial_1/eval_measurements.csv", "x\n")
        .write("sub/notes.txt", "hello\n");
    t.tree.mkdir("sub/study_1");
    t.tree
        .trial("sub", "study_0", "gamma_jax", "trial_1", &[(1.0, 0.5)]);
    std::os::unix::fs::symlink(
        t.subs().join("nowhere"),
        t.subs().join("sub/study_0/ghost_jax"),
    )
    .expect("symlink");
    let out = t.terminal_of("", &csv_opts());
    has_line(&out, "warning[stray-entry] 2× a file or folder where the layout has no place for it; it is ignored");
    has_line(
        &out,
        "  T/subs/sub/study_0/trial_1: folder is not a workload folder <workload>_<jax|pytorch>, ignored",
    );
    has_line(
        &out,
        "  T/subs/sub/notes.txt: file where a study folder is expected, ignored",
    );
    has_line(&out, "  T/subs/sub/study_0/alpha_tf: framework suffix `tf` is not one of the spec's (jax, pytorch): the folder is not scored");
    has_line(&out, "  T/subs/sub/study_0/delta_jax: workload `delta` has no target in this spec's targets file, ignored");
    has_line(&out, "  T/subs/sub/study_0/gamma_jax: `gamma` is neither a base workload nor a drawn held-out variant of the spec: not scored");
    has_line(
        &out,
        "  T/subs/sub/study_0/ghost_jax: unreadable entry skipped (entity not found)",
    );
    has_line(
        &out,
        "  T/subs/sub/study_1: study folder without any workload folder, skipped",
    );
    has_line(&out, "error[unknown-framework] 1× a workload folder whose framework suffix is not one of the spec's");
    let codes = codes_of(&t.check_with(&t.subs(), &csv_opts()));
    for c in [
        "unreadable-entry",
        "empty-study",
        "unknown-workload",
        "extra-workload",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
}

#[test]
fn empty_trees_and_missing_paths() {
    let t = T::new(1, 1);
    let out = t.terminal_of("", &csv_opts());
    has_line(&out, "  T/subs: no submission folder in it");
    has_line(
        &out,
        "error[no-submission] 1× a submissions tree without any submission folder",
    );
    t.write("sub/readme.txt", "x");
    let out = t.terminal_of("", &csv_opts());
    has_line(&out, "  T/subs/sub: no study folder with a workload folder of the spec's frameworks and targets: nothing would be scored");
    assert!(codes_of(&t.check_with(&t.subs(), &csv_opts())).contains(&"empty-submission"));
    let out = t.terminal_of("nosuch", &csv_opts());
    has_line(
        &out,
        "error[not-a-folder] 1× a path given to `check` does not exist or is not a folder",
    );
    has_line(&out, "  T/subs/nosuch: does not exist");
}

#[test]
fn count_codes() {
    let t = T::new(2, 2);
    t.good("sub");
    // A third study (too many), a third trial (too many), a missing trial
    // (too few) and a missing workload.
    t.tree
        .trial("sub", "study_2", "alpha_jax", "trial_1", &[(7.0, 0.5)]);
    t.tree
        .trial("sub", "study_0", "alpha_jax", "trial_3", &[(8.0, 0.5)]);
    std::fs::remove_dir_all(t.subs().join("sub/study_1/beta_pytorch/trial_2")).expect("rm");
    let out = t.terminal_of("", &csv_opts());
    has_line(&out, "  T/subs/sub: 3 studies, the spec expects 2");
    has_line(
        &out,
        "  T/subs/sub/study_0/alpha_jax: 3 trials, the spec expects 2 per study",
    );
    has_line(
        &out,
        "  T/subs/sub/study_1/beta_pytorch: 1 trials, the spec expects 2 per study",
    );
    has_line(&out, "  T/subs/sub/study_2: no `beta` folder (a base workload of the spec): counted as target missed");
    has_line(&out, "  T/subs/sub/study_2: no `alpha_v` folder (the spec's held-out variant of `alpha`): counted as target missed");
    let report = t.check_with(&t.subs(), &csv_opts());
    let codes = codes_of(&report);
    for c in [
        "too-many-studies",
        "too-many-trials",
        "too-few-trials",
        "missing-workload",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }

    let t = T::new(2, 1);
    t.good("sub");
    std::fs::remove_dir_all(t.subs().join("sub/study_1")).expect("rm");
    let out = t.terminal_of("", &csv_opts());
    has_line(
        &out,
        "warning[too-few-studies] 1× fewer studies than the spec's [expect] studies",
    );
    has_line(&out, "  T/subs/sub: 1 studies, the spec expects 2");
}

#[test]
fn measurement_codes() {
    let t = T::new(1, 1);
    t.good("sub");
    let h = "global_step,accumulated_submission_time,score,validation/loss\n";
    let dir = "sub/study_0/alpha_jax";
    let w = |trial: &str, text: String| {
        t.write(&format!("{dir}/{trial}/{M}"), &text);
    };
    w("trial_2", String::new());
    w("trial_3", "global_step,validation/loss\n1,0.5\n".into());
    w("trial_4", format!("{h}10,1,1,0.5\n20,2,2\n"));
    w("trial_5", format!("{h}10,1,1,0.5\n\n20,2,2,0.9x\n"));
    w("trial_6", format!("{h}10,5,5,0.5\n20,4,4,0.4\n"));
    w("trial_7", format!("{h}10,-1,-1,0.5\n20,4,4,0.4\n"));
    t.tree.mkdir(&format!("{dir}/trial_8"));
    let out = t.terminal_of("", &csv_opts());
    let f = |trial: &str| format!("  T/subs/{dir}/{trial}/{M}");
    has_line(&out, &format!("{}: empty file (no header)", f("trial_2")));
    has_line(
        &out,
        &format!("{}:1: no `score` column in the header", f("trial_3")),
    );
    has_line(
        &out,
        &format!("{}:3: row has 3 fields, the header has 4", f("trial_4")),
    );
    has_line(
        &out,
        &format!(
            "{}:4: `validation/loss` value `0.9x` is not a number",
            f("trial_5")
        ),
    );
    has_line(&out, &format!("{}:3: `score` goes backwards", f("trial_6")));
    has_line(
        &out,
        &format!("{}:2: `score` value `-1` is negative", f("trial_7")),
    );
    has_line(&out, &format!("{}: file missing", f("trial_8")));
    let report = t.check_with(&t.subs(), &csv_opts());
    let codes = codes_of(&report);
    for c in [
        "measurements-unreadable",
        "column-missing",
        "row-length",
        "not-a-number",
        "time-backwards",
        "time-negative",
        "measurements-missing",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
}

const PREFIX: &str = "I0316 11:09:32.891691 140320504472768 submission_runner.py:469] ";

#[test]
fn raw_log_codes() {
    let t = T::new(1, 1);
    t.good("sub");
    let line = |step: u32, dict: &str| {
        format!("{PREFIX}Time since start: 1.00s, \tStep: {step}, \t{dict}\n")
    };
    let log = format!(
        "--- Tuning run 1/1 ---\n{}{}",
        line(
            1,
            "{'validation/loss': 0.9, 'score': 1.0, 'accumulated_submission_time': 1.0}"
        ),
        line(2, "{'validation/loss': 0.8, 'score': 2.0"),
    );
    t.write("sub/study_0/alpha_jax/run.log", &log);
    let logs = Options {
        source: Source::Logs,
        ..Options::default()
    };
    let out = t.terminal_of("", &logs);
    // The column is the end of the cut line (1-based, ASCII).
    let cut = line(2, "{'validation/loss': 0.8, 'score': 2.0");
    has_line(
        &out,
        &format!(
            "  T/subs/sub/study_0/alpha_jax/run.log:3: malformed evaluation line, skipped: column {}: expected ',' or '}}', found end of line",
            cut.trim_end().len() + 1
        ),
    );
    has_line(&out, "warning[log-line-malformed] 1× reading raw logs, a line that looks like an evaluation but cannot be read; it is skipped");
    has_line(
        &out,
        "  T/subs/sub/study_0/alpha_v_jax: workload folder without raw logs (*.log), skipped",
    );
    has_line(&out, "error[logs-missing] 2× reading raw logs (--source logs), a workload folder without any *.log file");
}

#[test]
fn budget_target_and_copy_codes() {
    let t = T::new(1, 2);
    t.good("sub");
    let dir = "sub/study_0";
    let f = |folder: &str, trial: &str| format!("{dir}/{folder}/{trial}/{M}");
    // alpha: budget 1000 s, tolerance 1%: 1005 s is an overshoot, 1100 s too much.
    t.tree.trial(
        "sub",
        "study_0",
        "alpha_jax",
        "trial_1",
        &[(500.0, 0.9), (1005.0, 0.8)],
    );
    t.tree.trial(
        "sub",
        "study_0",
        "alpha_v_jax",
        "trial_1",
        &[(500.0, 1.9), (1100.0, 1.8)],
    );
    // beta never reached (accuracy below 0.5 in both trials); trial_2 a copy of trial_1.
    let beta = fixtures::csv_text("accuracy", &[(100.0, 0.1), (200.0, 0.3)]);
    t.write(&f("beta_pytorch", "trial_1"), &beta);
    t.write(&f("beta_pytorch", "trial_2"), &beta);
    let out = t.terminal_of("", &csv_opts());
    has_line(&out, &format!("  T/subs/{}:3: last `score` 1005 s passes the budget 1000 s × 1 by 0.50% (tolerance 1.00%)", f("alpha_jax", "trial_1")));
    has_line(&out, &format!("  T/subs/{}:3: last `score` 1100 s passes the budget 1000 s × 1 by 10.00% (tolerance 1.00%)", f("alpha_v_jax", "trial_1")));
    has_line(&out, "  T/subs/sub: no trial of `beta` (2 trials) reaches `validation/accuracy` ≥ 0.5 (best 0.3)");
    has_line(
        &out,
        &format!(
            "  T/subs/{}: byte for byte the same as T/subs/{}",
            f("beta_pytorch", "trial_2"),
            f("beta_pytorch", "trial_1")
        ),
    );
    let report = t.check_with(&t.subs(), &csv_opts());
    let codes = codes_of(&report);
    for c in [
        "budget-overshoot",
        "budget-exceeded",
        "target-never-reached",
        "duplicate-trial",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
}

#[test]
fn info_codes() {
    let t = T::new(1, 1);
    t.good("sub");
    // No file: nothing, unless asked for.
    assert_eq!(t.check_with(&t.subs(), &csv_opts()).findings, vec![]);
    let require = Options {
        require_info: true,
        ..Options::default()
    };
    let out = t.terminal_of("sub", &require);
    has_line(
        &out,
        "  T/subs/sub/submission_info.yml: no submission_info.yml for submission `sub`",
    );
    let info = "sub/submission_info.yml";
    t.write(info, "submission_name: S\nsubmission_folder: sub\nauthors: A\nruleset: external\nframework: JAX\n");
    // The file in the submission folder is no stray entry, and this one is right.
    assert_eq!(t.check_with(&t.subs(), &require).findings, vec![]);
    t.write(info, "submission_name: S\nsubmission_folder: submissions/external_tuning/other\nruleset: self-tuning\nframework: JAX\n");
    let out = t.terminal_of("sub", &csv_opts());
    has_line(
        &out,
        "  T/subs/sub/submission_info.yml: no `authors` (or it is empty)",
    );
    has_line(&out, "  T/subs/sub/submission_info.yml:3: ruleset `self-tuning` is not the spec's `external_tuning`");
    has_line(&out, "  T/subs/sub/submission_info.yml:2: submission_folder `submissions/external_tuning/other` is not the submission's folder `sub`");
    let codes = codes_of(&t.check_with(&t.subs(), &csv_opts()));
    assert_eq!(
        codes,
        vec!["info-field-missing", "info-folder", "info-ruleset"]
    );
    t.write(info, "submission_name: S\nauthors: [unclosed\n");
    let out = t.terminal_of("sub", &csv_opts());
    has_line(&out, "  T/subs/sub/submission_info.yml:3: not valid YAML: did not find expected ',' or ']' at line 3 column 1, while parsing a flow sequence at line 2 column 10");
    let codes = codes_of(&t.check_with(&t.subs(), &csv_opts()));
    assert_eq!(codes, vec!["info-unreadable"]);
    // --info-dir: the file there, and a missing one is an error.
    let info_dir = t.tree.dir.path().join("info");
    std::fs::create_dir_all(&info_dir).expect("mkdir");
    let with_dir = Options {
        info_dir: Some(info_dir),
        ..Options::default()
    };
    let out = t.terminal_of("", &with_dir);
    has_line(
        &out,
        "  T/info/sub/submission_info.yml: no submission_info.yml for submission `sub`",
    );
    let report = t.check_with(&t.subs(), &with_dir);
    assert_eq!(codes_of(&report), vec!["info-missing"]);
}

/// Every code of the registry that `check` reports is triggered by one of
/// the trees above; this test keeps the list honest.
#[test]
fn every_code_is_triggered_by_a_test_tree() {
    let this = std::fs::read_to_string(common::repo("tests/it/check.rs")).expect("read");
    for code in check::CODES {
        if !code.reporter().check() {
            continue;
        }
        let name = code.name();
        let quoted = format!("\"{name}\"");
        let header = format!("[{name}]");
        assert!(
            this.contains(&quoted) || this.contains(&header),
            "no test tree triggers `{name}`"
        );
    }
}

#[test]
fn github_format_line_by_line() {
    let t = T::new(1, 1);
    t.good("a,b:c");
    t.tree.trial(
        "a,b:c",
        "study_0",
        "alpha_jax",
        "trial_1",
        &[(500.0, 0.9), (1005.0, 0.8)],
    );
    t.write("a,b:c/study_0/x", "");
    let report = t.check_with(&t.subs(), &csv_opts());
    let root = t.subs().display().to_string();
    let text = check::github(&report);
    let esc = check::escape_property(&root);
    let lines: Vec<String> = text.lines().map(|l| l.replace(&esc, "S")).collect();
    assert_eq!(
        lines,
        vec![
            "::warning file=S/a%2Cb%3Ac/study_0/alpha_jax/trial_1/eval_measurements.csv,line=3,title=budget-overshoot::last `score` 1005 s passes the budget 1000 s × 1 by 0.50%25 (tolerance 1.00%25)".to_string(),
            "::warning file=S/a%2Cb%3Ac/study_0/x,title=stray-entry::file where a workload folder is expected, ignored".to_string(),
        ]
    );
    assert!(!report.fails(false));
    assert!(report.fails(true));
}

#[test]
fn json_format_matches_the_schema() {
    let t = T::new(1, 1);
    t.good("sub");
    t.write("sub/study_0/alpha_jax/trial_1/eval_measurements.csv", "");
    t.write("sub/stray.txt", "");
    let report = t.check_with(&t.subs(), &csv_opts());
    let doc = serde_json::to_value(check::json(&report, &t.spec, &[t.subs()])).expect("JSON");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo("schema/check.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(doc["errors"], 1);
    // The stray file, and ingest's note that no trial of the workload could be read.
    assert_eq!(doc["warnings"], 2);
    assert_eq!(doc["counts"]["measurements-unreadable"], 1);
    // Sorted by file (a finding without one first): `stray.txt` before `study_0/…`.
    assert_eq!(doc["findings"][0]["code"], "degenerate");
    assert_eq!(doc["findings"][0]["file"], serde_json::Value::Null);
    assert!(doc["findings"][0]["place"].is_string());
    assert_eq!(doc["findings"][1]["code"], "stray-entry");
    assert_eq!(doc["findings"][1]["severity"], "warning");
    assert_eq!(doc["findings"][2]["code"], "measurements-unreadable");
    assert_eq!(doc["findings"][2]["severity"], "error");
    assert_eq!(doc["findings"][2]["line"], serde_json::Value::Null);
    assert_eq!(
        doc["findings"][2]["file"],
        format!(
            "{}/sub/study_0/alpha_jax/trial_1/eval_measurements.csv",
            t.subs().display()
        )
    );
    // A broken document is caught (the validation can fail).
    let mut bad = doc.clone();
    bad["findings"][0]["code"] = "no-such-code".into();
    assert!(!jsonschema::is_valid(&schema, &bad));
    // The schema lists exactly the registry's codes.
    let listed: Vec<&str> = schema["$defs"]["Code"]["enum"]
        .as_array()
        .expect("enum")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let registry: Vec<&str> = check::CODES.iter().map(|c| c.name()).collect();
    assert_eq!(listed, registry);
}

#[test]
fn exit_status_explain_and_deny_warnings() {
    let t = T::new(1, 1);
    t.good("sub");
    let spec = t.spec_path.display().to_string();
    let subs = t.subs().display().to_string();
    assert_eq!(fixtures::cli(&["check", "--spec", &spec, &subs]), Ok(()));
    t.write("sub/notes.txt", "");
    assert_eq!(fixtures::cli(&["check", "--spec", &spec, &subs]), Ok(()));
    assert_eq!(
        fixtures::cli(&[
            "check",
            "--spec",
            &spec,
            &subs,
            "--deny-warnings",
            "--format",
            "github"
        ]),
        Err("check failed: 0 errors, 1 warning (--deny-warnings)".to_string())
    );
    t.write("sub/study_0/beta_pytorch/trial_1/eval_measurements.csv", "");
    assert_eq!(
        fixtures::cli(&["check", "--spec", &spec, &subs, "--format", "json"]),
        Err("check failed: 1 error, 2 warnings".to_string())
    );
    assert_eq!(
        fixtures::cli(&["check", "--explain", "stray-entry"]),
        Ok(())
    );
    let e = fixtures::cli(&["check", "--explain", "stray-entri"]).expect_err("unknown code");
    assert!(e.starts_with("no check code `stray-entri` (did you mean `stray-entry`?); the codes are: not-a-folder, "), "{e}");
    let text = Code::DuplicateTrial.explain_text();
    assert!(text.starts_with("duplicate-trial (error): two trials whose measurements files are byte for byte the same\n\n"), "{text}");
}

#[test]
fn a_rerun_folder_given_alone_is_checked_with_its_submission() {
    let t = T::new(1, 2);
    t.good("sub");
    let rerun = "sub-2024-05-01-12-30-59";
    std::fs::rename(
        t.subs().join("sub/study_0/beta_pytorch/trial_2"),
        t.subs().join("beta_trial_2"),
    )
    .expect("mv");
    t.tree.mkdir(&format!("{rerun}/study_0/beta_pytorch"));
    std::fs::rename(
        t.subs().join("beta_trial_2"),
        t.subs()
            .join(format!("{rerun}/study_0/beta_pytorch/trial_2")),
    )
    .expect("mv");
    let report = t.check_with(&t.subs().join(rerun), &csv_opts());
    assert_eq!(report.submissions, vec!["sub".to_string()]);
    assert_eq!(report.findings, vec![], "{}", check::terminal(&report));
}

#[test]
fn a_file_met_twice_is_no_copy() {
    let t = T::new(1, 1);
    t.good("sub");
    let paths = [t.subs(), t.subs().join("sub"), t.subs()];
    let report = check::check(&t.spec, &paths, &csv_opts());
    assert_eq!(report.findings, vec![], "{}", check::terminal(&report));
}

/// Every published `submission_info.yml` passes the info checks with the
/// spec of its version and ruleset (the v0.5 and v0.6 leaderboards' files;
/// only v0.5 external tuning has logs, checked above), except the two v0.6
/// baselines, whose `authors` is `""`: the check says so.
#[test]
fn published_info_files_pass_with_their_specs() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let cases = [
        ("algoperf_v05/external_tuning", "rulesets/v05_external.toml"),
        ("algoperf_v05/self_tuning", "rulesets/v05_self.toml"),
        ("algoperf_v06/external_tuning", "rulesets/v06_external.toml"),
        ("algoperf_v06/self_tuning", "rulesets/v06_self.toml"),
    ];
    let mut checked = 0;
    for (dir, spec_path) in cases {
        let spec = spec::load(&common::repo(spec_path)).expect("spec");
        let info_dir = data.join("submission_info").join(dir);
        for entry in std::fs::read_dir(&info_dir).expect("info dir") {
            let name = entry.expect("entry").file_name();
            // An empty submission folder of that name: only the info checks matter.
            let tmp = tempfile::tempdir().expect("tempdir");
            std::fs::create_dir_all(tmp.path().join(&name)).expect("mkdir");
            let options = Options {
                info_dir: Some(info_dir.clone()),
                ..Options::default()
            };
            let report = check::check(&spec, &[tmp.path().to_path_buf()], &options);
            let info: Vec<&check::Finding> = report
                .findings
                .iter()
                .filter(|f| f.code.name().starts_with("info-"))
                .collect();
            let got: Vec<(&str, Option<u64>, &str)> = info
                .iter()
                .map(|f| (f.code.name(), f.line, f.message.as_str()))
                .collect();
            let expected = if dir.starts_with("algoperf_v06") && name == "baseline" {
                vec![(
                    "info-field-missing",
                    Some(3),
                    "no `authors` (or it is empty)",
                )]
            } else {
                vec![]
            };
            assert_eq!(got, expected, "{dir}/{name:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 13);
}

/// docs/check.md's code table is the registry's
/// ([`algoperf_engine::diagnostics::codes::markdown_table`]), row for row.
#[test]
fn the_check_page_lists_every_code() {
    let page = std::fs::read_to_string(common::repo("docs/check.md")).expect("docs/check.md");
    let table = algoperf_engine::diagnostics::codes::markdown_table();
    assert!(
        page.contains(&table),
        "docs/check.md's code table is not the registry's; it should read:\n{table}"
    );
}

#[test]
fn v05_external_tree_passes_with_its_stray_folders_named() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let tree = data.join("logs/v05/external_tuning");
    let info_dir = data.join("submission_info/algoperf_v05/external_tuning");
    let report = check::check(&spec, std::slice::from_ref(&tree), &Options::default());
    assert_eq!(
        report.count(Severity::Error),
        0,
        "{}",
        check::terminal(&report)
    );
    assert_eq!(report.submissions.len(), 11);
    let stray: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.code == Code::StrayEntry)
        .filter_map(|f| f.file.as_ref())
        .map(|p| {
            p.strip_prefix(&tree)
                .expect("under the tree")
                .display()
                .to_string()
        })
        .collect();
    let expected: Vec<String> = [
        (0, vec![1, 2, 3, 4, 5]),
        (1, vec![1, 2, 3, 4, 5]),
        (2, vec![2, 3, 4, 5]),
        (3, vec![2, 3, 4, 5]),
    ]
    .iter()
    .flat_map(|(s, ts)| {
        ts.iter()
            .map(move |t| format!("schedule_free_adamw/study_{s}/trial_{t}"))
    })
    .collect();
    assert_eq!(stray, expected);
    assert!(report
        .findings
        .iter()
        .filter(|f| f.code == Code::StrayEntry)
        .all(|f| f.severity == Severity::Warning));
    // 30 trials overshoot their budget, by at most 0.45%: warnings.
    let over: Vec<&check::Finding> = report
        .findings
        .iter()
        .filter(|f| f.code == Code::BudgetOvershoot)
        .collect();
    assert_eq!(over.len(), 30);
    // baseline, the one submission with an info file, passes its info checks.
    let baseline = check::check(
        &spec,
        &[tree.join("baseline")],
        &Options {
            info_dir: Some(info_dir),
            ..Options::default()
        },
    );
    assert_eq!(
        baseline.count(Severity::Error),
        0,
        "{}",
        check::terminal(&baseline)
    );
    assert_eq!(baseline.submissions, vec!["baseline".to_string()]);
    assert!(baseline
        .findings
        .iter()
        .all(|f| !f.code.name().starts_with("info-")));
}

/// The repository's first example must be a legal tree: `check` finds no
/// error in it (its generator keeps every run inside the spec's budgets and
/// makes ties that are not byte-for-byte copies). Warnings remain: the tree
/// has 2 studies of 2 trials where v0.5 expects 5 of 5, to stay small.
#[test]
fn the_example_tree_passes_check() {
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let report = check::check(
        &spec,
        &[common::repo("examples/submissions")],
        &Options::default(),
    );
    let errors: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.code.name(), f.message))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(report
        .findings
        .iter()
        .any(|f| f.code.name() == "too-few-trials"));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const NAMES: &[&str] = &[
        "sub/study_0/alpha_jax/trial_1/eval_measurements.csv",
        "sub/study_0/alpha_jax/trial_2/eval_measurements.csv",
        "sub/study_1/alpha_v_jax/trial_1/eval_measurements.csv",
        "sub/study_0/beta_pytorch/trial_1/eval_measurements.csv",
        "sub/study_0/beta_tf/trial_1/eval_measurements.csv",
        "sub/study_0/trial_1/eval_measurements.csv",
        "sub/study_0/alpha_jax/run.log",
        "sub/study_0/alpha_jax/trial_1",
        "sub/submission_info.yml",
        "sub-2024-01-01-00-00-00/study_0/alpha_jax/trial_1/eval_measurements.csv",
        "other/study_0/gamma_jax/trial_1/eval_measurements.csv",
        "other/x",
    ];

    const CONTENTS: &[&str] = &[
        "",
        "global_step,accumulated_submission_time,score,validation/loss\n10,1,1,0.5\n20,2,2,0.4\n",
        "global_step,accumulated_submission_time,score,validation/loss\n10,5,5,0.5\n20,-1,1,nan\n",
        "global_step,accumulated_submission_time,score,validation/accuracy\n10,1,1e9,0.9\n",
        "global_step,score\n\"1\",\"2\"\n",
        "submission_name: x\nsubmission_folder: sub\nruleset: [\n",
        "--- Tuning run 1/1 ---\nI0 x.py:1] Time since start: 1.00s, \tStep: 1, \t{'score': 1.0\n",
        "\u{feff}\r\n,,,\r\n",
    ];

    fn entry() -> impl Strategy<Value = (usize, usize, Vec<u8>)> {
        (
            0..NAMES.len(),
            0..CONTENTS.len(),
            proptest::collection::vec(any::<u8>(), 0..8),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        #[test]
        fn check_never_panics(entries in proptest::collection::vec(entry(), 0..8), logs in any::<bool>(), one in any::<bool>()) {
            let t = T::new(1, 1);
            for (name, content, noise) in &entries {
                let path = t.subs().join(NAMES[*name]);
                if let Some(parent) = path.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                let mut bytes = CONTENTS[*content].as_bytes().to_vec();
                bytes.extend(noise);
                // A name already made a folder stays one.
                let _ = std::fs::write(&path, bytes);
            }
            let options = Options {
                source: if logs { Source::Auto } else { Source::Csv },
                require_info: true,
                ..Options::default()
            };
            let path = if one { t.subs().join("sub") } else { t.subs() };
            let report = t.check_with(&path, &options);
            let _ = check::terminal(&report);
            let _ = check::github(&report);
            let doc = serde_json::to_value(check::json(&report, &t.spec, &[path])).expect("JSON");
            prop_assert!(doc["findings"].is_array());
            for f in &report.findings {
                prop_assert!(f.file.is_some() || f.code == Code::Degenerate);
            }
        }
    }
}
