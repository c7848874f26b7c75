//! The rules-v2 battery (`golden/rules_v2/battery.json`): seven alternative
//! rule sets, each a TOML override of `rulesets/v05_external.toml`, with
//! every submission's score on the v0.5 external-tuning logs from an
//! independent implementation. Each is written as a spec that `extends` the
//! published one and scored by the general language: no variant has code of
//! its own.

use crate::common;

use std::collections::BTreeMap;

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec;

#[test]
fn every_battery_variant_matches_to_1e_12() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let text = std::fs::read_to_string(data.join("golden/rules_v2/battery.json")).expect("battery");
    let battery: serde_json::Value = serde_json::from_str(&text).expect("json");
    let variants = battery["variants"].as_object().expect("variants");
    assert_eq!(variants.len(), 7);
    let logs = data.join("logs/v05/external_tuning");
    let published = common::repo("rulesets/v05_external.toml");
    let dir = tempfile::tempdir().expect("tmp");
    let mut ingested = None;
    for (name, v) in variants {
        let overrides = v["overrides"].as_str().expect("overrides");
        let path = dir.path().join(format!("{name}.toml"));
        let body = format!(
            "extends = {}\n\n{overrides}",
            toml::Value::String(published.display().to_string())
        );
        std::fs::write(&path, body).expect("write");
        let spec = spec::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Columns and workloads are the published spec's: read the logs once.
        let ing = ingested.get_or_insert_with(|| {
            run::read(&logs, &spec, &Options::default(), &Silent).expect("ingest")
        });
        let outcome = run::score(ing, &spec, &Options::default()).expect("score");
        let lb = &outcome.leaderboard;
        let expected: BTreeMap<&str, f64> = v["scores"]
            .as_object()
            .expect("scores")
            .iter()
            .map(|(k, x)| (k.as_str(), x.as_f64().expect("number")))
            .collect();
        assert_eq!(
            lb.submissions
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            expected.keys().copied().collect::<Vec<_>>(),
            "{name}"
        );
        for (sub, want) in &expected {
            let got = lb.rules.scores[lb.row(sub).expect("row")];
            assert!(
                (got - want).abs() <= 1e-12,
                "{name}: {sub}: ours {got}, battery {want}"
            );
        }
    }
}
