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

/// Counts the trial files a read reads (one `advance` each).
#[derive(Default)]
struct CountingReads(std::sync::atomic::AtomicU64);

impl algoperf_engine::ingest::Progress for CountingReads {
    fn start(&self, _: u64) {}
    fn advance(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    fn finish(&self) {}
}

/// A tree of two submissions, one study of two trials each, where the
/// compatible pick (fewest evaluations) and the fastest pick differ: 8
/// trial files. Returns it and spec A's folder.
fn two_pick_tree() -> (fixtures::Tree, std::path::PathBuf) {
    let t = fixtures::Tree::expecting(1, 2);
    for (sub, scale) in [("x", 1.0), ("y", 1.5)] {
        for folder in ["alpha_jax", "beta_pytorch"] {
            let (miss, hit) = if folder == "alpha_jax" {
                (3.0, 0.9)
            } else {
                (0.1, 0.6)
            };
            let s = scale;
            t.trial(
                sub,
                "study_0",
                folder,
                "trial_1",
                &[(50.0 * s, miss), (100.0 * s, hit)],
            );
            let rows = [(30.0 * s, miss), (60.0 * s, miss), (90.0 * s, hit)];
            t.trial(sub, "study_0", folder, "trial_2", &rows);
        }
    }
    let (path, _) = t.spec();
    let dir = path.parent().expect("spec folder").to_path_buf();
    (t, dir)
}

/// Trial files under a tree, counted by walking it here.
fn trial_files(root: &std::path::Path) -> u64 {
    let mut n = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name() == Some("eval_measurements.csv".as_ref()) {
                n += 1;
            }
        }
    }
    n
}

/// `compare` through the application layer, counting the files it reads.
fn app_compare(
    specs: &[&std::path::Path],
    root: &std::path::Path,
    allow_empty: bool,
) -> (algoperf_engine::app::compare::Compared, u64) {
    let request = algoperf_engine::app::compare::CompareRequest {
        specs: specs.iter().map(|p| p.to_path_buf()).collect(),
        submissions: root.to_path_buf(),
        submissions_b: None,
        read: algoperf_engine::app::ReadRequest {
            allow_empty,
            ..Default::default()
        },
    };
    let reads = CountingReads::default();
    let c = algoperf_engine::app::compare::compare(&request, &reads).expect("compare");
    (c, reads.0.into_inner())
}

/// Each spec read and scored on its own, as `compare` did before reading
/// once: the comparison and each side's warnings.
fn read_apart(
    specs: [&std::path::Path; 2],
    root: &std::path::Path,
    allow_empty: bool,
) -> (
    Comparison,
    algoperf_engine::diagnostics::Warnings,
    algoperf_engine::diagnostics::Warnings,
) {
    let mut o = Options::default();
    o.selection.allow_empty = allow_empty;
    let side = |p: &std::path::Path| {
        let spec = spec::load(p).expect("spec");
        run::read_and_score(root, &spec, &o, &Silent).expect("score")
    };
    let ((la, wa), (lb, wb)) = (side(specs[0]), side(specs[1]));
    (compare(&la, &lb), wa, wb)
}

#[test]
fn two_specs_that_read_alike_read_the_tree_once() {
    let (t, dir) = two_pick_tree();
    let a = dir.join("test.toml");
    let b = dir.join("fastest.toml");
    std::fs::write(&b, fixtures::ruleset_with(fixtures::FASTEST, false, 1, 2)).expect("write");
    let (c, reads) = app_compare(&[&a, &b], &t.subs(), false);
    let files = trial_files(&t.subs());
    assert_eq!(files, 8);
    assert_eq!(reads, files, "one read of every trial file");
    let (want, wa, wb) = read_apart([&a, &b], &t.subs(), false);
    assert!(!want.cells.is_empty(), "the two picks differ somewhere");
    assert_eq!(c.comparison, want);
    assert_eq!(c.warnings, (wa, wb));
}

#[test]
fn two_specs_that_read_differently_read_the_tree_twice() {
    let (t, dir) = two_pick_tree();
    let a = dir.join("test.toml");
    let b = dir.join("other_summary_time.toml");
    let text = fixtures::ruleset(1, 2).replace(
        "summary_time = \"accumulated_submission_time\"",
        "summary_time = \"score\"",
    );
    assert!(text.contains("summary_time = \"score\""));
    std::fs::write(&b, text).expect("write");
    let (c, reads) = app_compare(&[&a, &b], &t.subs(), false);
    assert_eq!(reads, 2 * trial_files(&t.subs()), "a read per spec");
    let (want, wa, wb) = read_apart([&a, &b], &t.subs(), false);
    assert_eq!(c.comparison, want);
    assert_eq!(c.warnings, (wa, wb));
}

/// Under `allow_empty` a degenerate tree is a warning naming its spec's
/// file: each side's names its own (the tree is read once per spec then).
#[test]
fn each_sides_warnings_name_its_own_spec() {
    let (t, dir) = two_pick_tree();
    // A `_tf` folder and a framework no folder has: a problem naming the spec.
    t.trial("x", "study_0", "alpha_tf", "trial_1", &[(10.0, 0.5)]);
    let text = fixtures::ruleset(1, 2).replace(
        "frameworks = [\"jax\", \"pytorch\"]",
        "frameworks = [\"jax\", \"pytorch\", \"flax\"]",
    );
    let (a, b) = (dir.join("a.toml"), dir.join("b.toml"));
    std::fs::write(&a, &text).expect("write");
    std::fs::write(&b, &text).expect("write");
    let (c, reads) = app_compare(&[&a, &b], &t.subs(), true);
    assert_eq!(reads, 2 * 8, "a read per spec");
    let names = |w: &algoperf_engine::diagnostics::Warnings, p: &std::path::Path| {
        format!("{w:?}").contains(&p.display().to_string())
    };
    let (wa, wb) = &c.warnings;
    assert!(names(wa, &a) && !names(wa, &b), "{wa:?}");
    assert!(names(wb, &b) && !names(wb, &a), "{wb:?}");
    let (want, want_a, want_b) = read_apart([&a, &b], &t.subs(), true);
    assert_eq!(c.comparison, want);
    assert_eq!(c.warnings, (want_a, want_b));
}
