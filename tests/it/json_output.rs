//! `--format json` validates against schema/leaderboard.schema.json and
//! carries the same numbers as the CSV outputs; `explain --format json`
//! validates against schema/explain.schema.json and says what the text says.

use crate::common;

use algoperf_engine::ingest::Silent;
use algoperf_engine::report::json;
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec;

fn validate(doc: &serde_json::Value) {
    validate_with("schema/leaderboard.schema.json", doc);
}

fn validate_with(schema: &str, doc: &serde_json::Value) {
    let schema_text = std::fs::read_to_string(common::repo(schema)).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// The v0.5 external-tuning spec and the example submissions it reads.
fn examples() -> (spec::Spec, algoperf_engine::ingest::Ingested) {
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let ingested = run::read(
        &common::repo("examples/submissions"),
        &spec,
        &Options::default(),
        &Silent,
    )
    .expect("read");
    (spec, ingested)
}

#[test]
fn json_on_the_examples_matches_the_schema() {
    let (spec, ingested) = examples();
    let outcome = run::score(&ingested, &spec, &Options::default()).expect("score");
    let doc = json::document(&spec, &outcome.leaderboard, &outcome.warnings);
    validate(&doc);
    // A document that breaks the schema is caught (the check can fail): a
    // score is a number, "inf"/"-inf" or null. (Not a bound: a spec's score
    // formula is any expression over the profile.)
    let mut bad = doc.clone();
    bad["scores"]["synthetic_0000"] = serde_json::json!("high");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo("schema/leaderboard.schema.json")).expect("schema"),
    )
    .expect("json");
    assert!(!jsonschema::is_valid(&schema, &bad));
}

#[test]
fn json_on_v05_matches_the_schema_and_the_scores() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let ingested = run::read(
        &data.join("logs/v05/external_tuning"),
        &spec,
        &Options::default(),
        &Silent,
    )
    .expect("read");
    let outcome = run::score(&ingested, &spec, &Options::default()).expect("score");
    let doc = json::document(&spec, &outcome.leaderboard, &outcome.warnings);
    validate(&doc);
    assert_eq!(doc["times"]["steps"].as_array().expect("steps").len(), 3);
    assert_eq!(
        doc["times"]["steps"][1]["rule"],
        "all := inf where time > 4.0 * best"
    );
    let score = doc["scores"]["shampoo_submission"].as_f64().expect("score");
    assert!((score - 0.7784090909090892).abs() < 1e-12);
    assert_eq!(doc["ranking"][0]["submission"], "shampoo_submission");
    // ∞ and "not run" are spelled out.
    assert_eq!(doc["times"]["raw"]["lawa_ema"]["imagenet_resnet"], "inf");
    assert!(doc["times"]["raw"]["caspr_adaptive"]["criteo1tb"].is_null());
}

/// `explain --format json` on every cell of the examples: valid under its
/// schema, with the leaderboard's numbers, one picked trial per study that
/// picked one; the text and the JSON come from the same explanation.
#[test]
fn explain_json_matches_its_schema_and_the_leaderboard() {
    use algoperf_engine::report::explain;
    let (spec, ingested) = examples();
    let (lb, _) = run::score_only(&ingested, &spec, &Options::default()).expect("score");
    let mut picked = 0;
    for (r, sub) in lb.submissions.iter().enumerate() {
        for (c, w) in lb.workloads.iter().enumerate() {
            let e = lb.explain(&spec, sub, w).expect("explains");
            let doc = serde_json::to_value(explain::json(&e)).expect("JSON");
            validate_with("schema/explain.schema.json", &doc);
            assert_eq!(doc["score"], json::number(lb.rules.scores[r]), "{sub} {w}");
            assert_eq!(doc["matrix"], json::number(lb.time_to_targets[(r, c)]));
            assert_eq!(
                doc["steps"].as_array().map(Vec::len),
                Some(lb.rules.steps.len())
            );
            let studies = doc["workload_time"]["studies"].as_array().cloned();
            for st in studies.unwrap_or_default() {
                let trials = st["trials"].as_array().expect("trials");
                let n = trials.iter().filter(|t| t["picked"] == true).count();
                assert!(n <= 1, "{sub} {w}: {n} picked");
                picked += n;
            }
            let text = explain::text(&spec, &e);
            assert_eq!(explain::explain(&spec, &lb, sub, w).expect("text"), text);
        }
    }
    assert!(picked > 0, "no study picked a trial");
    // The schema can fail: a step whose `changed` is not a boolean is refused.
    let e = lb
        .explain(&spec, &lb.submissions[0], "wmt")
        .expect("explains");
    let mut bad = serde_json::to_value(explain::json(&e)).expect("JSON");
    bad["steps"][0]["changed"] = serde_json::json!("yes");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo("schema/explain.schema.json")).expect("schema"),
    )
    .expect("json");
    assert!(!jsonschema::is_valid(&schema, &bad));
}

/// The command: `explain --format json` prints the document; the default
/// stays the text.
#[test]
fn explain_command_prints_json_on_request() {
    let run = |format: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
            .args(["explain", "--spec"])
            .arg(common::repo("rulesets/v05_external.toml"))
            .arg("--submissions")
            .arg(common::repo("examples/submissions"))
            .args(["--submission", "synthetic_0001", "--workload", "wmt"])
            .args(format)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let doc: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).expect("JSON");
    validate_with("schema/explain.schema.json", &doc);
    assert_eq!(doc["submission"], "synthetic_0001");
    let text = run(&[]);
    assert!(
        text.starts_with("synthetic_0001 on wmt (base workload)"),
        "{text}"
    );
}
