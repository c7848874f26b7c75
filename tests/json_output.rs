//! `--format json` validates against schema/leaderboard.schema.json and
//! carries the same numbers as the CSV outputs.

mod common;

use algoperf_engine::ingest::Silent;
use algoperf_engine::report::json;
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec;

fn validate(doc: &serde_json::Value) {
    let schema_text =
        std::fs::read_to_string(common::repo("schema/leaderboard.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn json_on_the_examples_matches_the_schema() {
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let ingested = run::read(
        &common::repo("examples/submissions"),
        &spec,
        &Options::default(),
        &Silent,
    )
    .expect("read");
    let outcome = run::score(&ingested, &spec, &Options::default()).expect("score");
    let doc = json::document(&spec, &outcome.leaderboard, &outcome.warnings);
    validate(&doc);
    // A document that breaks the schema is caught (the check can fail).
    let mut bad = doc.clone();
    bad["scores"]["synthetic_0000"] = serde_json::json!(1.5);
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
