//! `compare`: a spec against itself changes nothing; the v0.5 reference
//! trial pick against the written rule's fastest trial changes exactly the
//! time_to_targets cells the two golden outputs differ in.

use crate::common;
use crate::fixtures;

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use algoperf_engine::score::compare::{compare, Comparison};
use algoperf_engine::spec;

fn compare_v05(spec_b: &str) -> Option<Comparison> {
    let data = common::data_dir()?;
    let root = data.join("logs/v05/external_tuning");
    let a = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec A");
    let b = spec::load(&common::repo(spec_b)).expect("spec B");
    let o = Options::default();
    let ia = run::read(&root, &a, &o, &Silent).expect("read A");
    let ib = run::read(&root, &b, &o, &Silent).expect("read B");
    let (la, _) = run::score_only(&ia, &a, &o).expect("score A");
    let (lb, _) = run::score_only(&ib, &b, &o).expect("score B");
    Some(compare(&la, &lb))
}

#[test]
fn a_spec_compared_with_itself_changes_nothing() {
    let Some(c) = compare_v05("rulesets/v05_external.toml") else {
        return;
    };
    assert_eq!(c.submissions.len(), 11);
    assert!(c.submissions.iter().all(|s| s.a == s.b && s.a.is_some()));
    assert!(c.cells.is_empty() && c.studies.is_empty());
}

#[test]
fn fastest_trial_pick_changes_the_golden_cells() {
    let Some(c) = compare_v05("examples/v05_external_fastest.toml") else {
        return;
    };
    let Some(data) = common::data_dir() else {
        return;
    };
    let lawa = c
        .submissions
        .iter()
        .find(|s| s.name == "lawa_ema")
        .expect("lawa_ema");
    let (a, b) = (lawa.a.expect("in A"), lawa.b.expect("in B"));
    assert_eq!(
        (format!("{:.4}", a.0), format!("{:.4}", b.0)),
        ("0.3384".into(), "0.3434".into())
    );
    // The cells where the golden compatible and fastest time_to_targets differ.
    let golden = |which: &str| {
        common::read_csv(&data.join(format!("golden/v05_external/{which}/time_to_targets.csv")))
    };
    let (header, compatible) = golden("compatible");
    let (_, fastest) = golden("fastest");
    let mut want = Vec::new();
    for (ra, rb) in compatible.iter().zip(&fastest) {
        assert_eq!(ra[0], rb[0]);
        for c in 1..header.len() {
            if ra[c] != rb[c] {
                want.push((
                    ra[0].clone(),
                    header[c].clone(),
                    common::cell(&ra[c]),
                    common::cell(&rb[c]),
                ));
            }
        }
    }
    want.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    assert!(!want.is_empty());
    let got: Vec<_> = c
        .cells
        .iter()
        .map(|x| (x.submission.clone(), x.workload.clone(), x.raw.0, x.raw.1))
        .collect();
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((&g.0, &g.1), (&w.0, &w.1));
        assert!(
            (g.2 - w.2).abs() <= 1e-9 * w.2.abs() && (g.3 - w.3).abs() <= 1e-9 * w.3.abs(),
            "{g:?} vs {w:?}"
        );
    }
    assert!(
        c.cells[0].stage.starts_with("trial pick"),
        "{}",
        c.cells[0].stage
    );
}

#[test]
fn two_trees_differ_where_a_study_time_changed() {
    let a = fixtures::Tree::expecting(3, 1);
    let b = fixtures::Tree::expecting(3, 1);
    a.one_trial_studies("x", &[100.0, 200.0, 100.0], &[100.0; 3]);
    a.one_trial_studies("y", &[150.0; 3], &[120.0; 3]);
    // B: x's study_0 on alpha is slower (the median moves, 100 → 200) and
    // its study_1 on beta is slower (the median hides it).
    b.one_trial_studies("x", &[300.0, 200.0, 100.0], &[100.0, 110.0, 100.0]);
    b.one_trial_studies("y", &[150.0; 3], &[120.0; 3]);
    let (_, spec) = a.spec();
    let o = Options::default();
    let ia = run::read(&a.subs(), &spec, &o, &Silent).expect("read A");
    let ib = run::read(&b.subs(), &spec, &o, &Silent).expect("read B");
    let (la, _) = run::score_only(&ia, &spec, &o).expect("score A");
    let (lb, _) = run::score_only(&ib, &spec, &o).expect("score B");
    let c = compare(&la, &lb);
    // alpha for x (its time) and for y (the best moved: its ratio).
    let cells: Vec<(&str, &str, &str)> = c
        .cells
        .iter()
        .map(|x| (x.submission.as_str(), x.workload.as_str(), x.stage.as_str()))
        .collect();
    assert_eq!(
        cells,
        [
            ("x", "alpha", "trial time (study_0 trial_1: 100 → 300)"),
            ("y", "alpha", "ratio"),
        ]
    );
    assert_eq!((c.cells[0].raw.0, c.cells[0].raw.1), (100.0, 200.0));
    assert_eq!((c.cells[1].ratio.0, c.cells[1].ratio.1), (1.5, 1.0));
    let studies: Vec<(&str, &str, &str)> = c
        .studies
        .iter()
        .map(|s| (s.submission.as_str(), s.workload.as_str(), s.study.as_str()))
        .collect();
    assert_eq!(
        studies,
        [("x", "alpha", "study_0"), ("x", "beta", "study_1")]
    );
    // The JSON document matches schema/compare.schema.json; a broken one fails.
    let doc = serde_json::to_value(algoperf_engine::report::compare::document(&c)).expect("JSON");
    let text = std::fs::read_to_string(common::repo("schema/compare.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(doc["cells"][0]["time"], serde_json::json!([100.0, 200.0]));
    let mut bad = doc.clone();
    bad["cells"][0]["time"] = serde_json::json!([100.0]);
    assert!(!validator.is_valid(&bad));
    // The same through the command line (two trees, one spec).
    let (spec_path, _) = a.spec();
    fixtures::cli(&[
        "compare".as_ref(),
        "--spec".as_ref(),
        spec_path.as_os_str(),
        "--submissions".as_ref(),
        a.subs().as_os_str(),
        "--submissions-b".as_ref(),
        b.subs().as_os_str(),
    ])
    .expect("compare runs");
}
