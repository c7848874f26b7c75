//! `targets derive` (issue 23 item 2): a target-setting tree written by
//! hand, with every expected number computed by hand below (not by the
//! engine); the procedure's edge cases (a run that never reaches, an even
//! number of runs, a maximised and a minimised metric, a missing test
//! column, fewer runs than the spec asks for); the files written load back
//! through both targets loaders; the write guard.

use std::path::{Path, PathBuf};
use std::process::Command;

use algoperf_engine::app::targets::{derive, DeriveRequest, DerivedTargets};
use algoperf_engine::ingest::Silent;
use algoperf_engine::score::targets::DerivedWorkload;
use algoperf_engine::spec;

use crate::common;
use crate::fixtures;

const EXE: &str = env!("CARGO_BIN_EXE_algoperf-engine");

/// `[target_setting]` with the shipped defaults but `runs` and the keys
/// given in `over` (`key = value` lines replacing the default's).
fn target_setting(runs: usize, over: &[(&str, &str)]) -> String {
    let mut keys = [
        ("runs", runs.to_string()),
        ("even_median", "\"mean\"".into()),
        ("budget_factor", "\"4/3\"".into()),
        ("runtime", "\"median_time_to_target\"".into()),
        ("horizon", "\"run\"".into()),
        ("test_prefix", "\"test/\"".into()),
        ("test_value", "\"best\"".into()),
        ("step_hint", "\"spec\"".into()),
    ];
    for (k, v) in over {
        let slot = keys.iter_mut().find(|(key, _)| key == k).expect("a key");
        slot.1 = v.to_string();
    }
    let lines: Vec<String> = keys.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("\n[target_setting]\n{}\n", lines.join("\n"))
}

/// A folder with `spec/test.toml` (the fixtures' ruleset plus a
/// `[target_setting]`), `spec/targets.toml` and the runs under `runs/`.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(runs: usize, over: &[(&str, &str)]) -> Setup {
        let dir = tempfile::tempdir().expect("tempdir");
        let spec_dir = dir.path().join("spec");
        std::fs::create_dir_all(&spec_dir).expect("mkdir");
        std::fs::write(spec_dir.join("targets.toml"), fixtures::TARGETS).expect("targets");
        let text = fixtures::ruleset(1, 1) + &target_setting(runs, over);
        std::fs::write(spec_dir.join("test.toml"), text).expect("spec");
        Setup { dir }
    }

    fn spec(&self) -> PathBuf {
        self.dir.path().join("spec/test.toml")
    }

    fn runs(&self) -> PathBuf {
        self.dir.path().join("runs")
    }

    /// A run: `algo/study/<workload>_jax/trial_1/eval_measurements.csv`
    /// with (time, validation, test) rows at steps 10, 20, …
    fn run(&self, algo: &str, study: &str, workload: &str, rows: &[(f64, f64, f64)]) -> &Self {
        let metric = fixtures::metric_of(workload);
        let mut text = format!(
            "global_step,accumulated_submission_time,score,validation/{metric},test/{metric}\n"
        );
        for (i, (t, v, test)) in rows.iter().enumerate() {
            text.push_str(&format!("{},{t},{t},{v},{test}\n", (i + 1) * 10));
        }
        self.file(algo, study, workload, &text)
    }

    fn file(&self, algo: &str, study: &str, workload: &str, text: &str) -> &Self {
        let dir = self
            .runs()
            .join(algo)
            .join(study)
            .join(format!("{workload}_jax/trial_1"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("eval_measurements.csv"), text).expect("write");
        self
    }

    fn request(&self) -> DeriveRequest {
        DeriveRequest {
            spec: self.spec(),
            submissions: self.runs(),
            ..Default::default()
        }
    }

    fn derive(&self) -> DerivedTargets {
        derive(&self.request(), &Silent).unwrap_or_else(|e| panic!("derive: {e}"))
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn workload<'a>(d: &'a DerivedTargets, name: &str) -> &'a DerivedWorkload {
    d.workloads
        .iter()
        .find(|w| w.workload == name)
        .unwrap_or_else(|| panic!("no workload {name}"))
}

fn reached(w: &DerivedWorkload) -> Vec<&str> {
    (w.runs.iter())
        .filter(|r| r.reached)
        .map(|r| r.study.as_str())
        .collect()
}

const NAN: f64 = f64::NAN;

/// The hand-computed case: two algorithms, three runs each, on a
/// minimised (`alpha`, loss) and a maximised (`beta`, accuracy) workload.
fn three_runs() -> Setup {
    let s = Setup::new(3, &[]);
    // alpha, adam: best values 0.8, 0.9, 1.2 → median 0.9.
    s.run(
        "adam",
        "study_0",
        "alpha",
        &[(10.0, 2.0, 2.1), (20.0, 1.0, 1.2), (30.0, 0.8, 0.95)],
    );
    s.run(
        "adam",
        "study_1",
        "alpha",
        &[(10.0, 1.5, 1.6), (20.0, 0.9, 1.05), (30.0, 0.95, 1.0)],
    );
    // Never reaches 0.9: its test value 3.0 (the worst) must not count.
    s.run(
        "adam",
        "study_2",
        "alpha",
        &[(10.0, 1.4, 3.0), (20.0, 1.2, 3.0)],
    );
    // alpha, sgd: best 1.1, 1.0 and no value (counts as +inf) → median 1.1.
    s.run("sgd", "study_0", "alpha", &[(10.0, 1.1, 1.1)]);
    s.run("sgd", "study_1", "alpha", &[(10.0, 1.0, 1.0)]);
    s.run("sgd", "study_2", "alpha", &[(10.0, NAN, 1.0)]);
    // beta, adam: best 0.5, 0.6, 0.7 → median 0.6.
    s.run("adam", "study_0", "beta", &[(100.0, 0.5, 0.5)]);
    s.run("adam", "study_1", "beta", &[(100.0, 0.6, 0.6)]);
    s.run("adam", "study_2", "beta", &[(100.0, 0.7, 0.7)]);
    // beta, sgd: best 0.65, 0.7, 0.8 → median 0.7 (better than 0.6).
    s.run(
        "sgd",
        "study_0",
        "beta",
        &[(100.0, 0.6, 0.6), (200.0, 0.65, 0.66)],
    );
    s.run(
        "sgd",
        "study_1",
        "beta",
        &[(100.0, 0.5, 0.5), (300.0, 0.7, 0.69), (400.0, 0.6, 0.71)],
    );
    s.run(
        "sgd",
        "study_2",
        "beta",
        &[(100.0, 0.75, 0.74), (200.0, 0.8, 0.78)],
    );
    s
}

#[test]
fn a_hand_computed_tree_gives_the_hand_computed_targets() {
    let s = three_runs();
    let d = s.derive();
    assert_eq!(d.workloads.len(), 2);

    let alpha = workload(&d, "alpha");
    assert_eq!(alpha.algorithm, "adam");
    assert_eq!(alpha.validation_target, 0.9);
    assert_eq!(reached(alpha), ["study_0", "study_1"]);
    // Test values of the reached runs: min(1.2, 0.95, …) = 0.95 and
    // min(1.6, 1.05, 1.0) = 1.0; the worst (loss: the larger) is 1.0.
    assert_eq!(alpha.test_target, 1.0);
    // Times to 0.9: 30 (study_0) and 20 (study_1); median 25; × 4/3.
    assert_eq!(alpha.runtime, 25.0);
    assert_eq!(alpha.budget, 4.0 / 3.0 * 25.0);
    assert_eq!(alpha.step_hint, 100, "the spec's targets file's");
    let sgd = &alpha.candidates[1];
    assert_eq!(
        (sgd.algorithm.as_str(), sgd.validation_target),
        ("sgd", Some(1.1))
    );

    let beta = workload(&d, "beta");
    assert_eq!(
        beta.algorithm, "sgd",
        "accuracy is maximised: 0.7 beats 0.6"
    );
    assert_eq!(beta.validation_target, 0.7);
    assert_eq!(reached(beta), ["study_1", "study_2"]);
    // Best test values 0.71 and 0.78; the worst (accuracy: the smaller) 0.71.
    assert_eq!(beta.test_target, 0.71);
    // Times to 0.7: 300 and 100 (study_2's first row, 0.75); median 200.
    assert_eq!(beta.runtime, 200.0);
    assert_eq!(beta.budget, 4.0 / 3.0 * 200.0);
    // Fewer runs than asked warns nobody here: each algorithm ran 3.
    assert!(d.warnings.is_empty(), "{}", d.warnings.render());
}

#[test]
fn an_even_number_of_runs_takes_the_median_the_spec_names() {
    // Best values 0.8, 0.9, 1.0, 1.2 (loss).
    for (even, target, reach) in [
        ("mean", 0.95, vec!["study_0", "study_1"]),
        ("lower", 0.9, vec!["study_0", "study_1"]),
        ("upper", 1.0, vec!["study_0", "study_1", "study_2"]),
    ] {
        let s = Setup::new(4, &[("even_median", &format!("\"{even}\""))]);
        s.run("adam", "study_0", "alpha", &[(10.0, 0.8, 0.7)]);
        s.run(
            "adam",
            "study_1",
            "alpha",
            &[(10.0, 1.3, 1.3), (20.0, 0.9, 0.8)],
        );
        s.run("adam", "study_2", "alpha", &[(10.0, 1.0, 0.9)]);
        s.run("adam", "study_3", "alpha", &[(10.0, 1.2, 1.1)]);
        let d = s.derive();
        let alpha = workload(&d, "alpha");
        assert_eq!(alpha.validation_target, target, "{even}");
        assert_eq!(reached(alpha), reach, "{even}");
        // Worst test value of the reached runs: 0.8, or 0.9 with study_2.
        let test = if reach.len() == 3 { 0.9 } else { 0.8 };
        assert_eq!(alpha.test_target, test, "{even}");
        // Times to target: 10 and 20 (and 10): mean-of-middle or the
        // lower/upper middle of the times, as for the values.
        let runtime = match even {
            "mean" => 15.0,
            "lower" => 10.0,
            _ => 10.0,
        };
        assert_eq!(alpha.runtime, runtime, "{even}");
    }
}

#[test]
fn test_value_at_target_horizon_budget_and_step_hint_from_runs() {
    let over = [
        ("test_value", "\"at_target\""),
        ("horizon", "\"budget\""),
        ("step_hint", "\"runs\""),
        ("runtime", "\"median_run_time\""),
        ("budget_factor", "2"),
    ];
    let s = Setup::new(1, &over);
    // alpha's budget is 1000 s ([budget] factor 1 without a table): the
    // row at 1500 s (loss 0.1, step 30) is past the horizon.
    s.run(
        "adam",
        "study_0",
        "alpha",
        &[(100.0, 0.9, 0.5), (400.0, 0.8, 0.85), (1500.0, 0.1, 0.1)],
    );
    let d = s.derive();
    let alpha = workload(&d, "alpha");
    assert_eq!(alpha.validation_target, 0.8);
    // At the row that reached 0.8, not the best (0.5) of the run.
    assert_eq!(alpha.test_target, 0.85);
    // The last time within the horizon, × 2.
    assert_eq!((alpha.runtime, alpha.budget), (400.0, 800.0));
    assert_eq!(alpha.step_hint, 20);
}

#[test]
fn a_missing_test_column_is_an_error_naming_the_file() {
    let s = Setup::new(1, &[]);
    s.file(
        "adam",
        "study_0",
        "alpha",
        "global_step,accumulated_submission_time,score,validation/loss,test/los\n10,1,1,0.5,0.5\n",
    );
    let e = derive(&s.request(), &Silent)
        .expect_err("no test column")
        .to_string();
    let file = s
        .runs()
        .join("adam/study_0/alpha_jax/trial_1/eval_measurements.csv");
    assert!(e.starts_with(&file.display().to_string()), "{e}");
    assert!(e.contains("no test column `test/loss`"), "{e}");
    assert!(e.contains("`test/los`"), "a did-you-mean: {e}");
    // A column without a number where the run reached is an error too.
    let s = Setup::new(1, &[("test_value", "\"at_target\"")]);
    s.run("adam", "study_0", "alpha", &[(10.0, 0.5, NAN)]);
    let e = derive(&s.request(), &Silent)
        .expect_err("no test value")
        .to_string();
    assert!(
        e.contains("no number in the test column `test/loss` at the evaluation that reached"),
        "{e}"
    );
}

fn engine(args: &[&str]) -> std::process::Output {
    Command::new(EXE)
        .args(args)
        .output()
        .expect("run the engine")
}

fn text(path: &Path) -> String {
    path.to_str().expect("UTF-8 path").to_string()
}

#[test]
fn fewer_runs_than_the_spec_asks_warn_and_fail_under_strict() {
    let s = three_runs();
    // The spec asks for 5 runs; every algorithm ran 3.
    let spec = std::fs::read_to_string(s.spec()).expect("spec");
    std::fs::write(s.spec(), spec.replace("runs = 3", "runs = 5")).expect("spec");
    let args = [
        "targets",
        "derive",
        "--spec",
        &text(&s.spec()),
        "--submissions",
        &text(&s.runs()),
    ];
    let o = engine(&args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: expected 5 studies, found 3 (4×: "),
        "{err}"
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(
            "alpha (validation/loss minimize, test/loss): validation target 0.9, test target 1.0"
        ),
        "{out}"
    );
    assert!(
        out.contains("set by adam: 2 of 3 runs reached the target (study_0, study_1)"),
        "{out}"
    );
    let o = engine(&[&args[..], &["--strict"]].concat());
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--strict: 4 problems"), "{err}");
}

#[test]
fn the_files_written_load_back_through_both_targets_loaders() {
    let s = three_runs();
    let mut request = s.request();
    request.toml = Some(s.out("derived.toml"));
    request.json = Some(s.out("workload_targets_derived.json"));
    request.budgets_json = Some(s.out("max_runtimes_derived.json"));
    let d = derive(&request, &Silent).expect("derive");
    assert_eq!(d.written.len(), 3);
    // A spec reading the TOML, and one reading the JSON with [upstream].
    let base = fixtures::ruleset(1, 1);
    let toml_spec = s.out("from_toml.toml");
    std::fs::write(
        &toml_spec,
        base.replace("targets = \"targets.toml\"", "targets = \"derived.toml\""),
    )
    .expect("spec");
    let json_spec = s.out("from_json.toml");
    let upstream = "\n[upstream]\nminimize = [\"loss\"]\nmaximize = [\"accuracy\"]\nbudgets = \"max_runtimes_derived.json\"\nbudgets_version = \"1\"\n";
    let json_text = base.replace(
        "targets = \"targets.toml\"",
        "targets = \"workload_targets_derived.json\"",
    ) + upstream;
    std::fs::write(&json_spec, json_text).expect("spec");
    for path in [&toml_spec, &json_spec] {
        let loaded = spec::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(loaded.targets.len(), 2, "{}", path.display());
        for w in &d.workloads {
            let t = &loaded.targets[&w.workload];
            assert_eq!(t.metric, w.metric);
            assert_eq!(t.goal, w.goal);
            assert_eq!(t.target, w.validation_target, "{}", path.display());
            assert_eq!(t.test_target, Some(w.test_target));
            assert_eq!(t.step_hint, w.step_hint);
            assert_eq!(t.budget, Some(w.budget), "{}", path.display());
        }
    }
}

#[test]
fn outputs_never_overwrite_an_input_nor_land_in_the_runs() {
    let s = three_runs();
    let targets = s.dir.path().join("spec/targets.toml");
    let before = std::fs::read(&targets).expect("targets");
    let mut request = s.request();
    request.toml = Some(targets.clone());
    let e = derive(&request, &Silent).expect_err("the targets file is an input");
    assert!(
        e.to_string()
            .contains("the targets file of this run, an input"),
        "{e}"
    );
    assert_eq!(std::fs::read(&targets).expect("targets"), before);
    let mut request = s.request();
    request.json = Some(s.runs().join("t.json"));
    let e = derive(&request, &Silent).expect_err("inside the runs");
    assert!(!s.runs().join("t.json").exists(), "{e}");
    let mut request = s.request();
    request.json = Some(s.out("same"));
    request.budgets_json = Some(s.out("same"));
    let e = derive(&request, &Silent).expect_err("one path for two outputs");
    assert!(e.to_string().contains("given for two outputs"), "{e}");
}

#[test]
fn a_spec_without_target_setting_is_refused_by_name() {
    let s = three_runs();
    let mut request = s.request();
    request.spec = common::repo("rulesets/v05_external.toml");
    let e = derive(&request, &Silent).expect_err("no table").to_string();
    assert!(e.contains("no [target_setting] table"), "{e}");
}

#[test]
fn the_json_report_matches_its_schema() {
    let s = three_runs();
    let o = engine(&[
        "targets",
        "derive",
        "--spec",
        &text(&s.spec()),
        "--submissions",
        &text(&s.runs()),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let schema_text =
        std::fs::read_to_string(common::repo("schema/targets-derive.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(doc["workloads"][0]["validation_target"], 0.9);
    assert_eq!(doc["workloads"][1]["algorithm"], "sgd");
}

#[test]
fn the_shipped_v06_spec_carries_the_procedure() {
    let s = spec::load(&common::repo("rulesets/v06_external.toml")).expect("v06");
    let t = s.target_setting.expect("a [target_setting] table");
    assert_eq!((t.runs, t.budget_factor), (20, 4.0 / 3.0));
}

#[test]
fn a_wrong_target_setting_is_a_located_spec_error() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "runs",
            "0",
            ":8: [target_setting] runs must be at least 1, found 0",
        ),
        (
            "budget_factor",
            "\"four\"",
            "[target_setting] budget_factor must be a positive number",
        ),
        (
            "even_median",
            "\"median\"",
            "unknown variant `median`, expected one of `mean`, `lower`, `upper`",
        ),
    ];
    for (key, value, message) in cases {
        let s = Setup::new(1, &[(key, value)]);
        let e = spec::load(&s.spec()).expect_err(key).to_string();
        assert!(e.contains(message), "{key}: {e}");
        assert!(e.contains("test.toml:"), "{key}: a file and line: {e}");
    }
    let s = Setup::new(1, &[]);
    let text = std::fs::read_to_string(s.spec()).expect("spec");
    std::fs::write(s.spec(), text.replace("horizon =", "horizn =")).expect("spec");
    let e = spec::load(&s.spec()).expect_err("unknown key").to_string();
    assert!(
        e.contains("unknown key `horizn` (did you mean `horizon`?)"),
        "{e}"
    );
}
