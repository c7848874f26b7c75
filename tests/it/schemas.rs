//! The JSON Schemas under schema/ are generated from the document types
//! (issue 21): every committed `schema/<name>.schema.json` is
//! `app::schemas::text(name)` byte for byte; the `--format json` of every
//! command on the v0.5 data validates against its schema; a document of
//! the wrong shape does not.
//!
//! Regenerate the files after changing a document type:
//! `UPDATE_SCHEMAS=1 cargo test --release --test it -- schemas::`.

use crate::common;

use std::process::Command;

use algoperf_engine::app::schemas;

const EXE: &str = env!("CARGO_BIN_EXE_algoperf-engine");
const REGENERATE: &str = "UPDATE_SCHEMAS=1 cargo test --release --test it -- schemas::";

fn schema_file(name: &str) -> std::path::PathBuf {
    common::repo(&format!("schema/{name}.schema.json"))
}

/// The generated schema of `name` as JSON.
fn generated(name: &str) -> serde_json::Value {
    let text = schemas::text(name).unwrap_or_else(|| panic!("no schema for {name}"));
    serde_json::from_str(&text).expect("a schema is JSON")
}

/// Every schema error of `doc` against the generated schema of `name`.
fn errors(name: &str, doc: &serde_json::Value) -> Vec<String> {
    let validator = jsonschema::validator_for(&generated(name)).expect("schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_are_the_generated_ones() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (name, _) in schemas::DOCUMENTS.iter().chain(schemas::INPUTS) {
        let want = schemas::text(name).unwrap_or_else(|| panic!("no schema for {name}"));
        let path = schema_file(name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(want.as_str()) {
            continue;
        }
        if update {
            std::fs::write(&path, &want).expect("write the schema");
        } else {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "not the schema of their document type: {}\nregenerate with: {REGENERATE}",
        stale.join(", ")
    );
    // And schema/ holds nothing else (a document left out of DOCUMENTS).
    let mut files: Vec<String> = std::fs::read_dir(common::repo("schema"))
        .expect("schema/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut named: Vec<String> = (schemas::DOCUMENTS.iter().chain(schemas::INPUTS))
        .map(|(n, _)| format!("{n}.schema.json"))
        .collect();
    named.sort();
    assert_eq!(files, named);
}

/// Every command's `--format json` on the v0.5 data, as (document, args).
fn commands(logs: &str, submission: &str) -> Vec<(&'static str, Vec<String>)> {
    let spec = "rulesets/v05_external.toml";
    let scored = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        a.extend(["--spec", spec, "--submissions", logs, "--format", "json"].map(String::from));
        a
    };
    let plain = |a: &[&str]| -> Vec<String> { a.iter().map(|s| s.to_string()).collect() };
    vec![
        ("leaderboard", scored(&[])),
        (
            "explain",
            scored(&[
                "explain",
                "--submission",
                "caspr_adaptive",
                "--workload",
                "criteo1tb",
            ]),
        ),
        (
            "explain",
            scored(&[
                "explain",
                "--submission",
                "lawa_ema",
                "--workload",
                "imagenet_resnet",
            ]),
        ),
        ("speedup", scored(&["speedup", "--base", "baseline"])),
        ("leaderboard-table", scored(&["leaderboard"])),
        (
            "stability",
            scored(&["stability", "--resamples", "50", "--over", "both"]),
        ),
        ("stability", scored(&["stability", "--method", "jackknife"])),
        (
            "compare",
            scored(&["compare", "--spec", "examples/v05_external_fastest.toml"]),
        ),
        (
            "check",
            plain(&["check", "--spec", spec, submission, "--format", "json"]),
        ),
        (
            "heldout",
            plain(&["heldout", "sample", "--spec", spec, "--format", "json"]),
        ),
        (
            "heldout",
            plain(&[
                "heldout",
                "sample",
                "--spec",
                spec,
                "--seed",
                "123456789012345678901234567890",
                "--format",
                "json",
            ]),
        ),
        (
            "spec-explain",
            plain(&["spec", "explain", spec, "--format", "json"]),
        ),
        (
            "spec-diff",
            plain(&[
                "spec",
                "diff",
                spec,
                "examples/v05_external_fastest.toml",
                "--scores",
                logs,
                "--format",
                "json",
            ]),
        ),
        // The v0.5 logs as target-setting runs (each submission an
        // algorithm, each study a run): they carry test columns.
        (
            "targets-derive",
            plain(&[
                "targets",
                "derive",
                "--spec",
                "rulesets/v06_external.toml",
                "--submissions",
                logs,
                "--format",
                "json",
            ]),
        ),
        (
            "spec-check",
            plain(&["spec", "check", spec, "--format", "json"]),
        ),
    ]
}

#[test]
fn every_command_json_on_v05_matches_its_generated_schema() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let logs = data.join("logs/v05/external_tuning");
    let submission = logs.join("baseline");
    let (logs, submission) = (logs.display().to_string(), submission.display().to_string());
    let mut seen = std::collections::BTreeSet::new();
    for (name, args) in commands(&logs, &submission) {
        let o = Command::new(EXE)
            .args(&args)
            .current_dir(common::repo("."))
            .output()
            .expect("run the engine");
        let err = String::from_utf8_lossy(&o.stderr);
        // `spec diff` of two specs that differ exits 1, its document written.
        let differ = name == "spec-diff" && o.status.code() == Some(1);
        assert!(o.status.success() || differ, "{args:?} failed: {err}");
        let doc: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let errors = errors(name, &doc);
        assert!(
            errors.is_empty(),
            "{args:?} ({name}): {}",
            errors.join("\n")
        );
        seen.insert(name);
    }
    // Every document is exercised.
    let all: std::collections::BTreeSet<&str> =
        schemas::DOCUMENTS.iter().map(|(n, _)| *n).collect();
    assert_eq!(seen, all);
}

#[test]
fn a_document_of_the_wrong_shape_fails_its_schema() {
    // A minimal valid document, then one broken field at a time.
    let engine = serde_json::json!({"name": "algoperf-engine", "version": "0"});
    let good = serde_json::json!({
        "engine": engine,
        "base": "baseline",
        "comparisons": [{
            "comparison": "a",
            "workloads": [{
                "workload": "wmt", "base_time": 2.0, "comparison_time": 1.0,
                "base_missed": false, "comparison_missed": false, "ratio": 0.5,
            }],
            "skipped": [],
            "geomean_ratio": 0.5, "times_faster": 2.0, "time_saved": 0.5,
            "verdict": "2.00× faster (50.0% less time)",
        }],
    });
    assert_eq!(errors("speedup", &good), Vec::<String>::new());
    let broken: [(&str, serde_json::Value); 4] = [
        ("/comparisons/0/geomean_ratio", serde_json::json!("fast")),
        (
            "/comparisons/0/workloads/0/base_missed",
            serde_json::json!(0),
        ),
        ("/comparisons/0/skipped", serde_json::json!("criteo1tb")),
        ("/base", serde_json::Value::Null),
    ];
    for (at, value) in broken {
        let mut bad = good.clone();
        *bad.pointer_mut(at).expect("field") = value;
        assert!(!errors("speedup", &bad).is_empty(), "{at} accepted");
    }
    // A key the document does not have, and a missing one.
    let mut extra = good.clone();
    extra["comparisons"][0]["geomean"] = serde_json::json!(0.5);
    assert!(!errors("speedup", &extra).is_empty());
    let mut missing = good;
    missing.as_object_mut().expect("object").remove("base");
    assert!(!errors("speedup", &missing).is_empty());
    // A seed is a non-negative integer or digits; a check code is a known one.
    let seed = |seed: serde_json::Value| serde_json::json!({"engine": engine, "spec": "s.toml", "seed": seed, "held_out": []});
    assert!(errors("heldout", &seed(serde_json::json!("123"))).is_empty());
    assert!(!errors("heldout", &seed(serde_json::json!(-1))).is_empty());
    assert!(!errors("heldout", &seed(serde_json::json!("12a"))).is_empty());
}
