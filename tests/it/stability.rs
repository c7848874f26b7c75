//! `stability`: the jackknife against scores worked by hand and against
//! re-scoring trees with the studies removed; bootstrap properties; the
//! same seed gives the same bytes with 1 or 2 threads; the JSON document
//! matches schema/stability.schema.json.

use crate::common;
use crate::fixtures;

use std::path::Path;

use algoperf_engine::ingest::Silent;
use algoperf_engine::report::stability as render;
use algoperf_engine::run::{self, Options};
use algoperf_engine::score::stability::{self, Method, Over, Stability, StudyTimes};
use algoperf_engine::score::Leaderboard;
use algoperf_engine::spec::Spec;
use fixtures::Tree;

/// Three submissions, three studies. Every ratio (median of the studies
/// left, over the column's best) is 1 or lies halfway between two points
/// of the 100-point τ grid on [1, 4] (1.5, 2.5, 3.5: grid step 1/33), where
/// the trapezoid of the step [ratio ≤ τ] is exactly 4 − ratio; so a
/// submission's score is Σ over the two workloads of (4 − ratio)/3 × 1/2.
fn hand_tree() -> Tree {
    let tree = Tree::expecting(3, 1);
    tree.one_trial_studies("a", &[100.0, 200.0, 100.0], &[100.0, 100.0, 100.0]);
    tree.one_trial_studies("b", &[150.0, 150.0, 150.0], &[250.0, 250.0, 450.0]);
    tree.one_trial_studies("c", &[100.0, 100.0, 100.0], &[150.0, 150.0, 350.0]);
    tree
}

fn scored(subs: &Path, spec: &Spec) -> Leaderboard {
    let ingested = run::read(subs, spec, &Options::default(), &Silent).expect("read");
    run::score_only(&ingested, spec, &Options::default())
        .expect("score")
        .0
}

fn options(method: Method, over: Over, resamples: usize, seed: u64) -> stability::Options {
    stability::Options {
        method,
        over,
        resamples,
        seed,
        level: 0.95,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn jackknife_matches_scores_worked_by_hand() {
    let tree = hand_tree();
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    // Point: alpha medians a 100, b 150, c 100; beta a 100, b 250, c 150.
    let point = [1.0, 2.5 / 6.0 + 1.5 / 6.0, 0.5 + 2.5 / 6.0];
    for (s, want) in lb.rules.scores.iter().zip(point) {
        assert!(close(*s, want), "{s} vs {want}");
    }
    let times = StudyTimes::from_leaderboard(&lb);
    let o = options(Method::Jackknife, Over::Studies, 0, 0);
    let k = stability::resampled_scores(&spec, &times, &o).expect("jackknife");
    // Rows a, b, c; leaderboard k leaves out study_k (medians of two are
    // means): k = 0: a 150/100, b 150/350, c 100/250 → ratios a 1.5, 1;
    // b 1.5, 3.5; c 1, 2.5. k = 1: a 100/100, b 150/350, c 100/250.
    // k = 2: a 150/100, b 150/250, c 100/150.
    let want = [
        [2.5 / 6.0 + 0.5, 2.5 / 6.0 + 0.5 / 6.0, 0.5 + 1.5 / 6.0],
        [1.0, 0.5 / 6.0 + 2.5 / 6.0, 0.5 + 1.5 / 6.0],
        [2.5 / 6.0 + 0.5, 2.5 / 6.0 + 1.5 / 6.0, 0.5 + 2.5 / 6.0],
    ];
    assert_eq!(k.len(), 3);
    for (got, want) in k.iter().zip(want) {
        for (g, w) in got.iter().zip(want) {
            assert!(close(*g, w), "{got:?} vs {want:?}");
        }
    }
    let s = stability::summarize(&lb, &k, &o);
    let names: Vec<&str> = s.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a", "c", "b"]);
    let (a, c, b) = (&s.rows[0], &s.rows[1], &s.rows[2]);
    // a: 11/12, 1, 11/12 — rank 1 throughout (tied with c at k = 2).
    assert!(close(a.score_range.0, 11.0 / 12.0) && close(a.score_range.1, 1.0));
    assert_eq!((a.rank_range, a.p_first), ((1, 1), 1.0));
    // c: 3/4, 3/4, 11/12 — rank 2, 2, 1.
    assert!(close(c.score_range.0, 0.75) && close(c.score_range.1, 11.0 / 12.0));
    assert_eq!(c.rank_range, (1, 2));
    assert!(close(c.p_first, 1.0 / 3.0));
    // b: 1/2, 1/2, 2/3 — rank 3.
    assert!(close(b.score_range.0, 0.5) && close(b.score_range.1, 4.0 / 6.0));
    assert_eq!((b.rank_range, b.p_first), ((3, 3), 0.0));
    // The jackknife's interval is its range.
    assert_eq!(c.score_interval, c.score_range);
    // a above c in 2 of 3 (k = 2 is a tie); c never above a: not tied.
    assert!(close(s.above[0][1], 2.0 / 3.0) && s.above[1][0] == 0.0);
    assert_eq!(s.tied_with_first, vec![0]);
}

/// Copies `from` into `to` without each submission's k-th study folder
/// (sorted by name); a submission with ≤ k studies is copied whole. With
/// `link`, the kept study folders are symbolic links (the v0.5 tree is
/// too large to copy five times in a test).
fn copy_without_study(from: &Path, to: &Path, k: usize, link: bool) {
    for sub in sorted_dirs(from) {
        let studies = sorted_dirs(&sub);
        let left_out = studies.get(k).cloned();
        for study in studies {
            if Some(&study) == left_out.as_ref() {
                continue;
            }
            let rel = study.strip_prefix(from).expect("under the tree");
            if link {
                let dest = to.join(rel);
                std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
                std::os::unix::fs::symlink(&study, &dest).expect("symlink");
            } else {
                copy_dir(&study, &to.join(rel));
            }
        }
    }
}

fn sorted_dirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let p = e.expect("entry").path();
        let dest = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// The jackknife's leaderboard k equals scoring a copy of the tree whose
/// k-th study folders are gone, score by score (bit for bit).
fn jackknife_equals_rescoring(subs: &Path, spec: &Spec, link: bool) {
    let lb = scored(subs, spec);
    let times = StudyTimes::from_leaderboard(&lb);
    let o = options(Method::Jackknife, Over::Studies, 0, 0);
    let k_scores = stability::resampled_scores(spec, &times, &o).expect("jackknife");
    assert!(!k_scores.is_empty());
    for (k, scores) in k_scores.iter().enumerate() {
        let copy = tempfile::tempdir().expect("tempdir");
        copy_without_study(subs, copy.path(), k, link);
        let again = scored(copy.path(), spec);
        assert_eq!(again.submissions, lb.submissions);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(scores), bits(&again.rules.scores), "leaderboard {k}");
    }
}

#[test]
fn jackknife_equals_rescoring_a_copied_tree_without_each_study() {
    let tree = hand_tree();
    // A submission with fewer studies keeps them all for the k it lacks.
    tree.one_trial_studies("d", &[90.0, 400.0], &[120.0, 130.0]);
    let (_, spec) = tree.spec();
    jackknife_equals_rescoring(&tree.subs(), &spec, false);
}

#[test]
fn jackknife_equals_rescoring_on_v05() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let spec =
        algoperf_engine::spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    jackknife_equals_rescoring(&data.join("logs/v05/external_tuning"), &spec, true);
}

#[test]
fn equal_studies_give_intervals_at_the_point_score() {
    let tree = Tree::expecting(4, 1);
    tree.submission("fast", 100.0, 100.0);
    tree.submission("mid", 150.0, 260.0);
    tree.submission("slow", 350.0, 150.0);
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    let s = stability::stability(
        &spec,
        &lb,
        &options(Method::Bootstrap, Over::Studies, 500, 3),
    )
    .expect("bootstrap");
    for r in &s.rows {
        assert!(r.score_interval.0 <= r.score && r.score <= r.score_interval.1);
        assert_eq!(r.score_interval, (r.score, r.score), "{}", r.name);
        assert_eq!(r.rank_interval, (r.rank, r.rank));
    }
}

/// Sum over submissions of the interval widths.
fn total_width(s: &Stability) -> f64 {
    s.rows
        .iter()
        .map(|r| r.score_interval.1 - r.score_interval.0)
        .sum()
}

#[test]
fn intervals_shrink_as_studies_are_repeated() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let spec =
        algoperf_engine::spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let lb = scored(&data.join("logs/v05/external_tuning"), &spec);
    let o = options(Method::Bootstrap, Over::Studies, 2000, 11);
    let times = StudyTimes::from_leaderboard(&lb);
    let mut widths = Vec::new();
    for copies in [1usize, 4, 16] {
        // Every study present `copies` times: the medians vary less.
        let mut repeated = times.clone();
        for cell in repeated.cells.iter_mut().flatten() {
            let one = cell.clone();
            *cell = (0..copies)
                .flat_map(|i| one.iter().map(move |(s, t)| (format!("{s}#{i}"), *t)))
                .collect();
        }
        let samples = stability::resampled_scores(&spec, &repeated, &o).expect("bootstrap");
        let s = stability::summarize(&lb, &samples, &o);
        widths.push(total_width(&s));
    }
    assert!(
        widths[0] > widths[1] && widths[1] > widths[2],
        "widths {widths:?}"
    );
    assert!(widths[2] < 0.5 * widths[0], "widths {widths:?}");
}

#[test]
fn fastest_everywhere_is_first_in_every_resample() {
    let tree = Tree::expecting(3, 1);
    // Each of best's studies beats every study of the others on both
    // workloads, so any draw of studies keeps it fastest.
    tree.one_trial_studies("best", &[90.0, 80.0, 99.0], &[50.0, 60.0, 70.0]);
    tree.one_trial_studies("other", &[100.0, 300.0, 120.0], &[75.0, 71.0, 90.0]);
    tree.one_trial_studies("third", &[140.0, 101.0, 400.0], &[71.0, 200.0, 80.0]);
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    for over in [Over::Studies, Over::Workloads, Over::Both] {
        let s = stability::stability(&spec, &lb, &options(Method::Bootstrap, over, 1000, 5))
            .expect("bootstrap");
        assert_eq!(s.rows[0].name, "best");
        assert_eq!(s.rows[0].p_first, 1.0, "{over:?}");
        assert_eq!(s.rows[0].rank_interval, (1, 1));
        assert!(s.rows[1..].iter().all(|r| r.p_first < 1.0));
    }
}

/// Table and JSON of a bootstrap run in a pool of `threads` threads.
fn rendered(spec: &Spec, lb: &Leaderboard, seed: u64, threads: usize) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let o = options(Method::Bootstrap, Over::Both, 3000, seed);
    let s = pool
        .install(|| stability::stability_with_bands(spec, lb, &o))
        .expect("bootstrap");
    let json = serde_json::to_string_pretty(&render::document(spec, &s)).expect("json");
    let svg = render::svg(spec, &s).expect("svg");
    format!("{}{json}{:?}{svg}", render::table(&s), s.bands)
}

/// The profile's bands at several τ are the percentiles (the jackknife:
/// min and max) of ρ(τ) over the resampled leaderboards, each rebuilt on
/// its own and sorted here; the intervals are those without bands.
#[test]
fn profile_bands_are_percentiles_of_the_resampled_profiles() {
    let tree = hand_tree();
    tree.one_trial_studies("d", &[90.0, 400.0, 100.0], &[120.0, 130.0, 300.0]);
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    let times = StudyTimes::from_leaderboard(&lb);
    for o in [
        options(Method::Bootstrap, Over::Studies, 300, 7),
        options(Method::Bootstrap, Over::Both, 250, 3),
        options(Method::Jackknife, Over::Studies, 0, 0),
    ] {
        let s = stability::stability_with_bands(&spec, &lb, &o).expect("stability");
        let plain = stability::stability(&spec, &lb, &o).expect("stability");
        assert_eq!(s.rows, plain.rows, "{o:?}: the same resamples");
        assert!(plain.bands.is_none());
        let bands = s.bands.as_ref().expect("bands");
        let b = s.leaderboards;
        let profiles: Vec<_> = (0..b)
            .map(|i| {
                stability::resampled_leaderboard(&spec, &times, &o, i)
                    .expect("resample")
                    .profile
            })
            .collect();
        let q = (1.0 - o.level) / 2.0;
        let kth = |q: f64| ((q * b as f64 - 1e-9).ceil() as usize).max(1) - 1;
        let mut spread = false;
        for (i, r) in s.rows.iter().enumerate() {
            let row = lb.row(&r.name).expect("row");
            for j in [0, 12, 33, 50, 66, 99] {
                let mut v: Vec<f64> = profiles.iter().map(|p| p[(row, j)]).collect();
                v.sort_by(f64::total_cmp);
                let (lo, hi) = match o.method {
                    Method::Jackknife => (v[0], v[b - 1]),
                    Method::Bootstrap => (v[kth(q)], v[kth(1.0 - q)]),
                };
                assert_eq!(
                    (bands.lo[i][j], bands.hi[i][j]),
                    (lo, hi),
                    "{o:?} {} τ#{j}",
                    r.name
                );
                assert_eq!(bands.point[i][j], lb.rules.profile[(row, j)]);
                spread |= lo < hi;
            }
        }
        assert!(spread, "{o:?}: some band has width (the check can fail)");
    }
}

#[test]
fn same_seed_same_bytes_with_one_or_two_threads() {
    let tree = hand_tree();
    tree.one_trial_studies("d", &[90.0, 400.0, 100.0], &[120.0, 130.0, 300.0]);
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    let one = rendered(&spec, &lb, 42, 1);
    assert_eq!(one, rendered(&spec, &lb, 42, 2));
    // The seed matters (so the comparison above can fail).
    assert_ne!(one, rendered(&spec, &lb, 43, 2));
}

fn validate(doc: &serde_json::Value) -> Vec<String> {
    let text =
        std::fs::read_to_string(common::repo("schema/stability.schema.json")).expect("schema file");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn json_matches_the_schema() {
    let tree = hand_tree();
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    for o in [
        options(Method::Bootstrap, Over::Studies, 200, 1),
        options(Method::Jackknife, Over::Studies, 0, 0),
    ] {
        let s = stability::stability(&spec, &lb, &o).expect("stability");
        let doc = serde_json::to_value(render::document(&spec, &s)).expect("JSON");
        let errors = validate(&doc);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
        assert_eq!(doc["submissions"][0]["submission"], "a");
        // A broken document is caught (the check can fail).
        let mut bad = doc.clone();
        bad["submissions"][0]["p_rank_1"] = serde_json::json!(1.5);
        assert!(!validate(&bad).is_empty());
    }
}

#[test]
fn bad_options_are_refused() {
    let tree = hand_tree();
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    let mut o = options(Method::Bootstrap, Over::Studies, 10, 0);
    o.level = 1.0;
    let e = stability::stability(&spec, &lb, &o).expect_err("level 1");
    assert!(e.to_string().contains("--level"), "{e}");
    let o = options(Method::Bootstrap, Over::Studies, 0, 0);
    assert!(stability::stability(&spec, &lb, &o).is_err());
    let o = options(Method::Jackknife, Over::Workloads, 0, 0);
    let e = stability::stability(&spec, &lb, &o).expect_err("jackknife over workloads");
    assert!(e.to_string().contains("--over studies"), "{e}");
}

#[test]
fn plot_names_every_submission() {
    let tree = hand_tree();
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    let o = options(Method::Bootstrap, Over::Studies, 200, 1);
    let s = stability::stability(&spec, &lb, &o).expect("stability");
    let svg = render::svg(&spec, &s).expect("svg");
    assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
    for name in ["a", "b", "c"] {
        assert!(
            svg.contains(&format!(">\n{name}\n</text>")),
            "{name} missing"
        );
    }
    // One point-score dot per submission.
    assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
    assert!(!svg.contains("<polygon"), "no bands asked for");
    // With bands: the profile below, one band per submission.
    let banded = stability::stability_with_bands(&spec, &lb, &o).expect("stability");
    let svg = render::svg(&spec, &banded).expect("svg");
    assert_eq!(svg.matches("<circle").count(), 3);
    assert_eq!(svg.matches("<polygon").count(), 3, "{svg}");
    assert!(svg.contains("pointwise 95% percentile bands, same 200 resamples"));
    let png = render::png(&spec, &s).expect("png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn cli_plot_is_the_same_bytes_with_one_or_two_threads() {
    let tree = hand_tree();
    let (spec_path, _) = tree.spec();
    let subs = tree.subs();
    let plot = |threads: &str, method: &str| {
        let file = tree.dir.path().join(format!("plot_{method}_{threads}.svg"));
        let args = [
            "stability",
            "--spec",
            spec_path.to_str().expect("utf-8 path"),
            "--submissions",
            subs.to_str().expect("utf-8 path"),
            "--method",
            method,
            "--over",
            "studies",
            "--resamples",
            "500",
            "--seed",
            "9",
            "--threads",
            threads,
            "--plot",
            file.to_str().expect("utf-8 path"),
        ];
        fixtures::cli(&args).expect("stability runs");
        std::fs::read(&file).expect("plot written")
    };
    for method in ["bootstrap", "jackknife"] {
        assert_eq!(plot("1", method), plot("2", method), "{method}");
    }
    let e = fixtures::cli(&[
        "stability",
        "--spec",
        spec_path.to_str().expect("utf-8 path"),
        "--submissions",
        subs.to_str().expect("utf-8 path"),
        "--level",
        "95",
    ])
    .expect_err("level 95");
    assert!(e.contains("--level 95"), "{e}");
}

/// Resampled scores of the hand tree's a, b, c (name order) where b scores
/// above a in `above` of `b` resamples and a leads otherwise.
fn samples_with(b: usize, above: usize) -> Vec<Vec<f64>> {
    (0..b)
        .map(|i| {
            if i < above {
                vec![0.5, 0.9, 0.1]
            } else {
                vec![0.9, 0.5, 0.1]
            }
        })
        .collect()
}

#[test]
fn few_resamples_leave_the_verdict_unsettled() {
    let tree = hand_tree();
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    let o = options(Method::Bootstrap, Over::Studies, 0, 0);
    // P(b above a) = 0 (and c's too): at B = 40 the cut-off 0.025 has a
    // standard error of 0.0247, so 0 is within two of it: unsettled. At
    // B = 4,000 the same 0 is ten standard errors below: settled, not tied.
    let small = stability::summarize(&lb, &samples_with(40, 0), &o);
    let b_row = small.rows.iter().position(|r| r.name == "b").expect("b");
    assert!(!small.tied_with_first.contains(&b_row));
    assert!(small.unsettled.contains(&b_row), "{:?}", small.unsettled);
    let large = stability::summarize(&lb, &samples_with(4000, 0), &o);
    assert!(large.unsettled.is_empty(), "{:?}", large.unsettled);
    // 3% above a at B = 4,000: 1.2 standard errors over the cut-off, tied
    // but unsettled; 8% is far over it: tied, settled.
    let near = stability::summarize(&lb, &samples_with(4000, 120), &o);
    assert!(near.tied_with_first.contains(&b_row) && near.unsettled.contains(&b_row));
    let far = stability::summarize(&lb, &samples_with(4000, 320), &o);
    assert!(far.tied_with_first.contains(&b_row) && far.unsettled.is_empty());

    // The mark in the text and the JSON.
    let text = render::table(&small);
    let line = text.lines().find(|l| l.contains(" b ")).expect("b's line");
    assert!(line.ends_with('?'), "{line}");
    assert!(text.contains("? unsettled"), "{text}");
    assert!(!render::table(&large).contains('?'));
    let doc = serde_json::to_value(render::document(&spec, &small)).expect("json");
    assert_eq!(doc["unsettled"], serde_json::json!(["c", "b"]));
    assert_eq!(doc["submissions"][b_row]["unsettled"], true);
    assert!(validate(&doc).is_empty(), "{:?}", validate(&doc));
}

#[test]
fn standard_errors_follow_the_binomial_and_order_statistics() {
    let tree = hand_tree();
    let (_, spec) = tree.spec();
    let lb = scored(&tree.subs(), &spec);
    let o = options(Method::Bootstrap, Over::Studies, 0, 0);
    let s = stability::summarize(&lb, &samples_with(400, 100), &o);
    // a is #1 in 300 of 400: SE √(0.75 · 0.25 / 400).
    let a = &s.rows[0];
    assert_eq!(a.name, "a");
    assert!(close(a.p_first, 0.75));
    assert!(close(a.p_first_se, (0.75f64 * 0.25 / 400.0).sqrt()));
    let b_row = s.rows.iter().position(|r| r.name == "b").expect("b");
    assert!(close(s.above_se[b_row][0], (0.25f64 * 0.75 / 400.0).sqrt()));
    // a's sorted scores: 100 × 0.5 then 300 × 0.9. The lower bound (the
    // 10th) has d = ⌈√(400 · 0.025 · 0.975)⌉ = 4 neighbours each side, all
    // 0.5: SE 0; the upper bound is all 0.9 around it: SE 0.
    assert_eq!(a.score_interval_se, (0.0, 0.0));
    // Values 0..400: the bound's neighbours 4 places either side, SE 4.
    let v: Vec<f64> = (0..400).map(f64::from).collect();
    assert!(close(stability::quantile_se(&v, 0.025), 4.0));
    // The jackknife has no Monte-Carlo error.
    let j = options(Method::Jackknife, Over::Studies, 0, 0);
    let s = stability::summarize(&lb, &samples_with(3, 1), &j);
    assert!(s.rows.iter().all(|r| r.p_first_se == 0.0));
    assert!(s.unsettled.is_empty());
}

#[test]
fn v05_with_few_resamples_marks_a_verdict_unsettled() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let spec =
        algoperf_engine::spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let logs = data.join("logs/v05/external_tuning");
    let lb = scored(&logs, &spec);
    let s = stability::stability(
        &spec,
        &lb,
        &options(Method::Bootstrap, Over::Studies, 100, 0),
    )
    .expect("bootstrap");
    assert!(
        !s.unsettled.is_empty(),
        "100 resamples settle every verdict?"
    );
    assert!(render::table(&s).contains("? unsettled"));
}
