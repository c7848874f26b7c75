//! The subcommands agree with each other (issue 15): `--format json` on
//! speedup, leaderboard, heldout sample and spec explain, each validated
//! against its schema under schema/ on real output; speedup of every
//! submission against a base, with skipped workloads reported; a man page
//! for every command the program page lists; synth's default spec.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use algoperf_engine::report::speedup::verdict;
use algoperf_engine::score::speedup::Speedup;

const EXE: &str = env!("CARGO_BIN_EXE_algoperf-engine");

/// Runs the binary from the repository root.
fn engine(args: &[&str]) -> Output {
    Command::new(EXE)
        .args(args)
        .current_dir(common::repo("."))
        .output()
        .expect("run the engine")
}

/// Runs the binary, which must succeed, and parses its stdout as JSON.
fn json_of(args: &[&str]) -> serde_json::Value {
    let o = engine(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{args:?} failed: {err}");
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}"))
}

/// Every schema error of `doc` against schema/`name`.
fn assert_valid(name: &str, doc: &serde_json::Value) {
    let text = std::fs::read_to_string(common::repo(&format!("schema/{name}"))).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {}", errors.join("\n"));
}

fn v05_logs(data: &Path) -> String {
    data.join("logs/v05/external_tuning").display().to_string()
}

#[test]
fn speedup_wording_says_both_ways_round() {
    let with = |geomean: f64| Speedup {
        base: "a".into(),
        comparison: "b".into(),
        workloads: Vec::new(),
        geomean,
    };
    assert_eq!(
        verdict(&with(0.7212957789529296)),
        "1.39× faster (27.9% less time)"
    );
    assert_eq!(verdict(&with(1.25)), "1.25× slower (25.0% more time)");
    assert_eq!(verdict(&with(f64::NAN)), "no base workload run by both");
}

#[test]
fn speedup_against_every_submission_matches_its_schema_and_the_golden_values() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let logs = v05_logs(&data);
    let spec = "rulesets/v05_external.toml";
    let doc = json_of(&[
        "speedup",
        "--spec",
        spec,
        "--submissions",
        &logs,
        "--base",
        "baseline",
        "--format",
        "json",
    ]);
    assert_valid("speedup.schema.json", &doc);
    assert_eq!(doc["base"], "baseline");
    let comparisons = doc["comparisons"].as_array().expect("comparisons");
    // Every other submission of the tree, once.
    assert_eq!(comparisons.len(), 10);
    assert!(comparisons.iter().all(|c| c["comparison"] != "baseline"));
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("golden/v05_external/speedups.json")).expect("golden"),
    )
    .expect("JSON");
    for (name, g) in golden["comparisons"]
        .as_object()
        .expect("golden comparisons")
    {
        let c = comparisons
            .iter()
            .find(|c| c["comparison"] == name.as_str())
            .unwrap_or_else(|| panic!("no {name}"));
        let want = g["geomean_ratio"].as_f64().expect("geomean");
        let got = c["geomean_ratio"].as_f64().expect("geomean");
        assert!(common::close(got, want, 1e-12), "{name}: {got} vs {want}");
        for w in c["workloads"].as_array().expect("workloads") {
            let key = w["workload"].as_str().expect("name");
            let want = g["ratio"][key].as_f64().expect("golden ratio");
            let got = w["ratio"].as_f64().expect("ratio");
            assert!(common::close(got, want, 1e-12), "{name}/{key}");
        }
    }
    // caspr_adaptive did not run criteo1tb: reported, and its geometric
    // mean is over the seven ratios it has.
    let caspr = comparisons
        .iter()
        .find(|c| c["comparison"] == "caspr_adaptive")
        .expect("caspr_adaptive");
    assert_eq!(caspr["skipped"], serde_json::json!(["criteo1tb"]));
    let workloads = caspr["workloads"].as_array().expect("workloads");
    let criteo = &workloads[0];
    assert_eq!(criteo["workload"], "criteo1tb");
    assert!(criteo["comparison_time"].is_null() && criteo["ratio"].is_null());
    let logs: Vec<f64> = workloads
        .iter()
        .filter_map(|w| w["ratio"].as_f64())
        .map(f64::ln)
        .collect();
    assert_eq!(logs.len(), 7);
    let mean = (logs.iter().sum::<f64>() / 7.0).exp();
    let got = caspr["geomean_ratio"].as_f64().expect("geomean");
    assert!(common::close(got, mean, 1e-12), "{got} vs {mean}");
}

#[test]
fn speedup_table_reports_a_skipped_workload_instead_of_failing() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let logs = v05_logs(&data);
    let o = engine(&[
        "speedup",
        "--spec",
        "rulesets/v05_external.toml",
        "--submissions",
        &logs,
        "--base",
        "baseline",
        "--comparison",
        "caspr_adaptive",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let criteo = out
        .lines()
        .find(|l| l.starts_with("criteo1tb"))
        .expect("criteo1tb row");
    assert!(
        criteo.contains("not run") && criteo.ends_with('—'),
        "{criteo}"
    );
    assert!(
        out.contains(
            "caspr_adaptive vs baseline: caspr_adaptive did not run `criteo1tb`; left out of the geometric mean"
        ),
        "{out}"
    );
    assert!(out.contains("1.39× faster (28.0% less time)"), "{out}");
}

#[test]
fn leaderboard_json_without_info_dir_matches_its_schema() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let logs = v05_logs(&data);
    let args = [
        "leaderboard",
        "--spec",
        "rulesets/v05_external.toml",
        "--submissions",
        &logs,
        "--format",
        "json",
    ];
    let doc = json_of(&args);
    assert_valid("leaderboard-table.schema.json", &doc);
    let rows = doc["leaderboard"].as_array().expect("rows");
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[0]["submission"], "shampoo_submission");
    assert_eq!(rows[0]["rank"], 1);
    assert!(rows.iter().all(|r| r["info"].is_null()), "no --info-dir");
    let score = rows[0]["score"].as_f64().expect("score");
    assert_eq!(format!("{score:.4}"), "0.7784");
    // With the info folder, baseline has its authors.
    let info = data.join("submission_info/algoperf_v05/external_tuning");
    let mut with_info = args.to_vec();
    let info = info.display().to_string();
    with_info.extend(["--info-dir", &info]);
    let doc = json_of(&with_info);
    assert_valid("leaderboard-table.schema.json", &doc);
    let baseline = doc["leaderboard"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["submission"] == "baseline")
        .expect("baseline")
        .clone();
    assert_eq!(baseline["info"]["authors"], "Algorithms Working Group");
}

#[test]
fn heldout_json_matches_its_schema_and_the_plain_draw() {
    let args = [
        "heldout",
        "sample",
        "--spec",
        "rulesets/v05_external.toml",
        "--seed",
        "7",
    ];
    let plain = engine(&args);
    assert!(plain.status.success());
    let lines: Vec<String> = String::from_utf8_lossy(&plain.stdout)
        .lines()
        .map(String::from)
        .collect();
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let doc = json_of(&json_args);
    assert_valid("heldout.schema.json", &doc);
    assert_eq!(doc["seed"], 7);
    let drawn: Vec<String> = doc["held_out"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["drawn"].as_str().expect("drawn").to_string())
        .collect();
    assert_eq!(drawn, lines);
    assert!(!lines.is_empty());
}

#[test]
fn spec_explain_json_matches_its_schema_for_every_ruleset() {
    let mut specs: Vec<_> = std::fs::read_dir(common::repo("rulesets"))
        .expect("rulesets")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 4);
    for spec in &specs {
        let path = spec.display().to_string();
        let doc = json_of(&["spec", "explain", &path, "--format", "json"]);
        assert_valid("spec-explain.schema.json", &doc);
        let loaded = algoperf_engine::spec::load(spec).expect("spec");
        assert_eq!(doc["version"], loaded.version.as_str(), "{path}");
        assert_eq!(
            doc["formulas"]["score"],
            loaded.score.text.as_str(),
            "{path}"
        );
        assert_eq!(
            doc["workloads"].as_array().expect("workloads").len(),
            loaded.matrix_workloads().len(),
            "{path}"
        );
    }
}

#[test]
fn every_man_page_the_pages_name_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().display().to_string();
    let o = engine(&["man", "--all", &out]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pages: Vec<String> = std::fs::read_dir(dir.path())
        .expect("pages")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(pages.contains(&"algoperf-engine.1".to_string()));
    assert!(pages.contains(&"algoperf-engine-spec-explain.1".to_string()));
    for page in &pages {
        let text = std::fs::read_to_string(dir.path().join(page)).expect("page");
        for word in text.split_whitespace() {
            let Some(name) = word.strip_suffix("(1)") else {
                continue;
            };
            let file = format!("{}.1", name.replace("\\-", "-"));
            assert!(pages.contains(&file), "{page} names {name}(1): no {file}");
        }
    }
    // One page on stdout: the same bytes as the file.
    let o = engine(&["man", "spec", "explain"]);
    assert!(o.status.success());
    let file = std::fs::read(dir.path().join("algoperf-engine-spec-explain.1")).expect("page");
    assert!(o.stdout == file, "`man spec explain` differs from its page");
    let o = engine(&["man", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no command `nope`"));
}

#[test]
fn synth_without_spec_away_from_the_repository_uses_the_shipped_v05_spec() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out").display().to_string();
    let o = Command::new(EXE)
        .args(["synth", "--submissions", "1", "--out", &out])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // v0.5's held-out variants are workloads of the shipped spec only.
    let study = dir.path().join("out/synthetic_0000/study_0");
    assert!(
        study.join("imagenet_resnet_large_bn_init_jax").is_dir(),
        "{}",
        study.display()
    );
}
