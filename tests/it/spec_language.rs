//! The rule language: every published ruleset loads; every valid form of
//! each slot is accepted; every error path gives its exact message (in the
//! style of tera's parser tests); and a new benchmark version needs no code.

use crate::common;

use std::path::{Path, PathBuf};

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec::{self, TauScale};

const RULESETS: &[&str] = &[
    "v05_external",
    "v05_self",
    "v06_external",
    "v06_self",
    "latest_external",
    "latest_self",
];

#[test]
fn every_published_ruleset_loads() {
    for name in RULESETS {
        let s = spec::load(&common::repo(&format!("rulesets/{name}.toml")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!s.base.is_empty(), "{name}");
    }
}

#[test]
fn published_rulesets_say_what_the_versions_decided() {
    let load = |n: &str| spec::load(&common::repo(&format!("rulesets/{n}.toml"))).expect("spec");
    let v05 = load("v05_external");
    assert_eq!(v05.base.len(), 8);
    assert_eq!(v05.held_out.len(), 6);
    assert_eq!((v05.expect.studies, v05.expect.trials_per_study), (5, 5));
    assert_eq!(v05.study.text, "pick(trials, by = eval_index, then = time)");
    assert_eq!(v05.targets["criteo1tb"].budget, Some(7703.0));
    let v05s = load("v05_self");
    assert_eq!((v05s.expect.studies, v05s.expect.trials_per_study), (5, 1));
    assert_eq!(v05s.budget_factor, 3.0);
    let v06 = load("v06_external");
    assert_eq!(
        v06.base,
        [
            "criteo1tb",
            "fastmri",
            "imagenet_resnet",
            "imagenet_vit",
            "librispeech_conformer",
            "librispeech_deepspeech",
            "ogbg",
            "wmt"
        ]
    );
    assert!(v06.held_out.is_empty());
    assert_eq!((v06.expect.studies, v06.expect.trials_per_study), (3, 5));
    assert_eq!(v06.targets["fastmri"].budget, Some(4430.0));
    let v06s = load("v06_self");
    assert_eq!((v06s.expect.studies, v06s.expect.trials_per_study), (3, 1));
    assert_eq!(v06s.budget_factor, 1.5);
    let latest = load("latest_external");
    assert_eq!(latest.base.len(), 9);
    assert!(latest.base.iter().any(|b| b == "finewebedu_lm"));
    assert_eq!(latest.targets["finewebedu_lm"].budget, None);
    assert_eq!(load("latest_self").budget_factor, 1.5);
}

/// A copy of v05_external.toml with one replacement, loaded; returns the
/// rendered error, independent of the temporary folder.
fn error_of(from: &str, to: &str) -> String {
    common::spec_error("rulesets/v05_external.toml", from, to)
}

#[test]
fn error_unknown_key() {
    assert_eq!(
        error_of("frameworks = [", "framework = ["),
        "error: SPEC:25:1: unknown key `framework` (did you mean `frameworks`?), expected one of `base`, `held_out`, `frameworks`, `weights`\n   |\n25 | framework = [\"jax\", \"pytorch\"]\n   | ^^^^^^^^^"
    );
}

#[test]
fn error_wrong_type() {
    assert_eq!(
        error_of("studies = 5", "studies = \"five\""),
        "error: SPEC:34:11: expected a whole number, found the text \"five\"\n   |\n34 | studies = \"five\"\n   |           ^^^^^^"
    );
}

#[test]
fn error_unknown_function() {
    assert_eq!(
        error_of("\"median(studies)\"", "\"medain(studies)\""),
        "error: SPEC:43:13: unknown function `medain` (did you mean `median`?)\n   |\n43 | workload = \"medain(studies)\"\n   |             ^^^^^^\n  = expected one of: `abs`, `count`, `exp`, `finite`, `geomean`, `if`, `log`, `log10`, `log2`, `max`, `mean`, `median`, `min`, `quantile`, `sqrt`, `trimmed_mean`"
    );
}

#[test]
fn error_unknown_held_out_workload() {
    let e = error_of("ogbg_model_size = \"ogbg\"", "ogbg_modle_size = \"ogbg\"");
    assert!(
        e.starts_with("error: SPEC:24:186: unknown held-out workload `ogbg_modle_size`\n"),
        "{e}"
    );
    assert!(e.ends_with("  = expected a workload of ROOT/targets/algoperf_v05.toml (did you mean `ogbg_model_size`?)"), "{e}");
}

#[test]
fn error_variant_whose_base_is_not_a_base_workload() {
    let e = error_of("fastmri_tanh = \"fastmri\"", "fastmri_tanh = \"fastmri_x\"");
    assert!(
        e.starts_with("error: SPEC:24:65: `fastmri_x` is not a base workload, so it cannot be the base of `fastmri_tanh`\n"),
        "{e}"
    );
    assert!(
        e.contains(
            "\n   |                                                                 ^^^^^^^^^^^\n"
        ),
        "{e}"
    );
    assert!(e.ends_with("  = expected one of: criteo1tb, fastmri, imagenet_resnet, imagenet_vit, librispeech_conformer, librispeech_deepspeech, ogbg, wmt"));
}

#[test]
fn error_empty_tau_range() {
    assert_eq!(
        error_of("linspace(1, 4, 100)", "linspace(4, 4, 100)"),
        "error: SPEC:53:8: empty τ range: min 4 must be below max 4\n   |\n53 | tau = \"linspace(4, 4, 100)\"\n   |        ^^^^^^^^^^^^^^^^^^^"
    );
}

#[test]
fn error_syntax() {
    assert_eq!(
        error_of("first(time where reached)", "first(time where)"),
        "error: SPEC:38:26: syntax error: expected an expression, found `)`\n   |\n38 | trial = \"first(time where)\"\n   |                          ^"
    );
    assert_eq!(
        error_of("\"all := inf where time > 4 * best\"", "\"all = inf where time > 4 * best\""),
        "error: SPEC:48:8: syntax error: expected `:=`, an operator or end of formula, found `=`\n   |\n48 |   \"all = inf where time > 4 * best\",\n   |        ^"
    );
}

#[test]
fn error_unknown_name_lists_the_slot_names() {
    assert_eq!(
        error_of("4 * best", "4 * bets"),
        "error: SPEC:48:32: unknown name `bets` in [rules] steps (did you mean `best`?)\n   |\n48 |   \"all := inf where time > 4 * bets\",\n   |                                ^^^^\n  = expected one of: `base`, `best`, `budget`, `framework`, `held_out`, `inf`, `step_hint`, `target`, `time`"
    );
}

#[test]
fn error_reference_needs_a_string() {
    assert_eq!(
        error_of("\"time / best\"", "\"time / reference(baseline)\""),
        "error: SPEC:54:27: expected the submission's name as a string\n   |\n54 | ratio = \"time / reference(baseline)\"\n   |                           ^^^^^^^^\n  = expected `reference('baseline')`"
    );
}

#[test]
fn error_a_number_where_a_condition_is_expected() {
    assert_eq!(
        error_of("held_out := inf where not finite(base)", "held_out := inf where base"),
        "error: SPEC:47:26: expected a condition, found a number\n   |\n47 |   \"held_out := inf where base\",\n   |                          ^^^^\n  = expected e.g. `finite(x)`, `x > 0` or `reached`"
    );
}

#[test]
fn error_unknown_base_workload_and_several_errors_at_once() {
    let e = error_of("  \"wmt\",\n]", "  \"wmtt\",\n]");
    // The unknown base is reported, and so is the held-out variant whose
    // base it no longer names.
    assert!(e.contains("SPEC:21:3: unknown workload `wmtt`"), "{e}");
    assert!(e.contains("(did you mean `wmt`?)"), "{e}");
    assert!(
        e.contains("`wmt` is not a base workload, so it cannot be the base of `wmt_glu_tanh`"),
        "{e}"
    );
}

#[test]
fn error_missing_targets_file() {
    let e = error_of("algoperf_v05.toml", "nope.toml");
    assert!(
        e.starts_with("error: SPEC:10:11: targets file `../targets/nope.toml` cannot be used\n"),
        "{e}"
    );
    assert!(e.contains("cannot read"), "{e}");
}

fn load_variant(from: &str, to: &str) -> spec::Spec {
    let (_dir, path) = common::spec_variant("rulesets/v05_external.toml", from, to);
    spec::load(&path).unwrap_or_else(|e| panic!("{to}: {e}"))
}

#[test]
fn every_valid_form_of_each_slot() {
    let study = "\"pick(trials, by = eval_index, then = time)\"";
    for (form, text) in [
        ("\"pick(trials, by = time)\"", "pick(trials, by = time)"),
        ("\"min(time)\"", "min(time)"),
        (
            "\"pick(trials, by = time, then = eval_index)\"",
            "pick(trials, by = time, then = eval_index)",
        ),
        (
            "\"pick(trials, by = eval_index, then = name)\"",
            "pick(trials, by = eval_index, then = name)",
        ),
        ("\"median(trials)\"", "median(trials)"),
        ("\"quantile(trials, 0.25)\"", "quantile(trials, 0.25)"),
    ] {
        assert_eq!(load_variant(study, form).study.text, text);
    }
    // Every one-argument reduction the workload slot admits (the registry's).
    let reductions = spec::lang::FUNCTIONS.iter().filter(|f| {
        matches!(f.form, spec::lang::Form::Reduce { param: None, .. })
            && f.slots.contains(&spec::lang::Slot::Workload)
    });
    for f in reductions.map(|f| f.name) {
        assert_eq!(
            load_variant("\"median(studies)\"", &format!("\"{f}(studies)\""))
                .workload
                .text,
            format!("{f}(studies)")
        );
    }
    assert_eq!(
        load_variant("\"median(studies)\"", "\"2*trimmed_mean(studies,1)\"")
            .workload
            .text,
        "2.0 * trimmed_mean(studies, 1.0)"
    );
    let s = load_variant("linspace(1, 4, 100)", "logspace(1, 5, 50)");
    assert_eq!(s.tau.scale, TauScale::Log);
    assert_eq!((s.tau.min, s.tau.max, s.tau.points), (1.0, 5.0, 50));
    let pts = s.tau_points();
    assert!((pts[0] - 1.0).abs() < 1e-15 && (pts[49] - 5.0).abs() < 1e-12);
    let s = load_variant("\"time / best\"", "\"time / reference('baseline')\"");
    assert_eq!(s.references, ["baseline"]);
    assert_eq!(s.ratio.text, "time / reference('baseline')");
    let s = load_variant("\"time / best\"", "'time / reference(\"baseline\")'");
    assert_eq!(s.references, ["baseline"]);
    assert_eq!(
        load_variant(
            "\"trapezoid(rho) / (tau_max - tau_min)\"",
            "\"trapezoid(rho)\""
        )
        .score
        .text,
        "trapezoid(rho)"
    );
    let s = load_variant(
        "\"all := inf where time > 4 * best\"",
        "\"base := inf where time > 2.5 * best\"",
    );
    assert_eq!(s.steps[1].text, "base := inf where time > 2.5 * best");
    // Whitespace and line breaks are free inside a formula.
    let s = load_variant("\"median(studies)\"", "\"\"\"\n  median( studies )\n\"\"\"");
    assert_eq!(s.workload.text, "median(studies)");
}

#[test]
fn explain_describes_the_pipeline() {
    let s = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let text = spec::explain(&s);
    assert!(
        text.contains("5 studies per workload, 5 trials per study, 14 workloads"),
        "{text}"
    );
    assert!(
        text.contains("fastmri_tanh (held-out variant of fastmri): validation/ssim ≥ 0.71784"),
        "{text}"
    );
    assert!(
        text.contains("   2. all := inf where time > 4.0 * best\n        time: this cell's time"),
        "{text}"
    );
    assert!(text.contains(
        "3. A study's time: `pick(trials, by = eval_index, then = time)` over its trials"
    ));
    assert!(text.contains("100 values of τ spaced linearly from 1.0 to 4.0, ρ(τ) = `fraction(ratio <= tau)`: (base workloads where it holds) / 8"), "{text}");
}

// ---------------------------------------------------------------------------
// A fictional version: other workloads and targets, other column names and
// framework, 2 studies, mean instead of median, τ up to 5 on a log grid, a
// cut-off factor of 3. No code knows any of it.

const FICTION_TARGETS: &str = r#"
[targets]
version = "9.9"

[workloads.speech]
metric = "wer"
goal = "minimize"
target = 0.2
step_hint = 1000
budget = 500

[workloads.vision]
metric = "accuracy"
goal = "maximize"
target = 0.8
step_hint = 1000
budget = 900

[workloads.graph]
metric = "mean_average_precision"
goal = "maximize"
target = 0.3
step_hint = 1000
budget = 700
"#;

const FICTION_SPEC: &str = r#"
[benchmark]
name = "AlgoPerf"
version = "9.9"
ruleset = "external_tuning"
targets = "fiction_targets.toml"

[workloads]
base = ["speech", "vision", "graph"]
frameworks = ["torch"]

[columns]
time = "accumulated_submission_time"
summary_time = "accumulated_submission_time"
step = "global_step"
metric_prefix = "val/"

[expect]
studies = 2
trials_per_study = 2

[aggregate]
trial = "first(time where reached)"
study = "min(time)"
workload = "mean(studies)"

[rules]
steps = ["all := inf where time > 3 * best"]

[profile]
tau = "logspace(1, 5, 50)"
ratio = "time / best"
score = "trapezoid(rho) / (tau_max - tau_min)"
"#;

fn write_trial(
    root: &Path,
    sub: &str,
    study: &str,
    workload: &str,
    trial: &str,
    reach_at: Option<f64>,
) {
    let (metric, bad, good) = match workload {
        "speech" => ("wer", 0.5, 0.1),
        "vision" => ("accuracy", 0.3, 0.9),
        _ => ("mean_average_precision", 0.1, 0.4),
    };
    let dir = root
        .join(sub)
        .join(study)
        .join(format!("{workload}_torch"))
        .join(trial);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut text = format!("global_step,accumulated_submission_time,val/{metric}\n");
    match reach_at {
        Some(t) => text.push_str(&format!(
            "10,{},{bad}\n20,{t},{good}\n30,{},{good}\n",
            t / 2.0,
            t * 2.0
        )),
        None => text.push_str(&format!("10,100,{bad}\n20,200,{bad}\n")),
    }
    std::fs::write(dir.join("eval_measurements.csv"), text).expect("write");
}

/// Per study, per trial: when the trial first reaches its target.
type Studies = [[Option<f64>; 2]; 2];

#[test]
fn a_fictional_version_needs_no_code() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("fiction_targets.toml"), FICTION_TARGETS).expect("write");
    let spec_path: PathBuf = dir.path().join("fiction.toml");
    std::fs::write(&spec_path, FICTION_SPEC).expect("write");
    let spec = spec::load(&spec_path).unwrap_or_else(|e| panic!("{e}"));
    let subs = dir.path().join("subs");
    // (submission, workload, [[study_0 trials], [study_1 trials]])
    let plan: &[(&str, &str, Studies)] = &[
        // A: speech min(100, 140) and 120 → mean 110; vision 200; graph 60.
        (
            "a",
            "speech",
            [[Some(100.0), Some(140.0)], [Some(120.0), None]],
        ),
        (
            "a",
            "vision",
            [[Some(200.0), None], [Some(200.0), Some(250.0)]],
        ),
        ("a", "graph", [[Some(50.0), Some(90.0)], [Some(70.0), None]]),
        // B: speech 220 (ratio 2); vision 100 (the best: A's ratio is 2);
        // graph 210 > 3 × 60 = 180 → cut to ∞.
        ("b", "speech", [[Some(220.0), None], [Some(220.0), None]]),
        ("b", "vision", [[Some(100.0), None], [None, Some(100.0)]]),
        ("b", "graph", [[Some(200.0), None], [Some(220.0), None]]),
        // C: speech 400 > 3 × 110 → ∞; vision and graph never reached.
        ("c", "speech", [[Some(400.0), None], [Some(400.0), None]]),
        ("c", "vision", [[None, None], [None, None]]),
        ("c", "graph", [[None, None], [None, None]]),
    ];
    for (sub, w, studies) in plan {
        for (s, trials) in studies.iter().enumerate() {
            for (t, reach) in trials.iter().enumerate() {
                write_trial(
                    &subs,
                    sub,
                    &format!("study_{s}"),
                    w,
                    &format!("trial_{}", t + 1),
                    *reach,
                );
            }
        }
    }
    let ingested = run::read(&subs, &spec, &Options::default(), &Silent).expect("ingest");
    let outcome = run::score(&ingested, &spec, &Options::default()).expect("score");
    assert!(outcome.warnings.is_empty(), "{}", outcome.warnings.render());
    let lb = &outcome.leaderboard;
    let t = |s: &str, w: &str| {
        lb.time_to_targets[(
            lb.row(s).expect("row"),
            lb.workloads.iter().position(|x| x == w).expect("col"),
        )]
    };
    assert_eq!(t("a", "speech"), 110.0);
    assert_eq!(t("a", "vision"), 200.0);
    assert_eq!(t("a", "graph"), 60.0);
    assert_eq!(t("b", "graph"), 210.0);
    assert_eq!(t("c", "vision"), f64::INFINITY);
    // Ratios: A (1, 2, 1), B (2, 1, ∞), C (∞, ∞, ∞); columns are sorted:
    // graph, speech, vision.
    let r = |s: &str| -> Vec<f64> {
        (0..3)
            .map(|c| lb.rules.ratios[(lb.row(s).expect("row"), c)])
            .collect()
    };
    assert_eq!(r("a"), vec![1.0, 1.0, 2.0]);
    assert_eq!(r("b"), vec![f64::INFINITY, 2.0, 1.0]);
    assert!(r("c").iter().all(|x| x.is_infinite()));
    // The grid: x_i = i·log10(5)/49, τ_i = 10^x_i. τ_21 ≈ 1.993 < 2 ≤ τ_22 ≈ 2.059.
    // A: ρ = 2/3 up to point 21, 1 from point 22:
    //   (2/3·21 + (2/3 + 1)/2 + 1·27)·h / (49·h) = (251/6)/49 = 251/294.
    // B: ρ = 1/3 then 2/3: (1/3·21 + 1/2 + 2/3·27)/49 = 25.5/49 = 51/98.
    let score = |s: &str| lb.rules.scores[lb.row(s).expect("row")];
    assert!((score("a") - 251.0 / 294.0).abs() < 1e-12, "{}", score("a"));
    assert!((score("b") - 51.0 / 98.0).abs() < 1e-12, "{}", score("b"));
    assert_eq!(score("c"), 0.0);
}

// ---------------------------------------------------------------------------
// A base workload no submission ran (the reference's KeyError): v0.6-shaped
// logs scored against the latest 9-workload targets give each v0.6 score
// × 8/9, with one warning.

#[test]
fn latest_targets_on_v06_logs_scale_by_eight_ninths() {
    let v06 = spec::load(&common::repo("rulesets/v06_external.toml")).expect("spec");
    let latest = spec::load(&common::repo("rulesets/latest_external.toml")).expect("spec");
    let dir = tempfile::tempdir().expect("tmp");
    let files = algoperf_engine::synth::generate(
        &v06,
        &algoperf_engine::synth::Options::for_spec(&v06, 6, 11),
    );
    algoperf_engine::synth::write(dir.path(), &files).expect("write");
    let score = |spec: &spec::Spec| {
        let ingested = run::read(dir.path(), spec, &Options::default(), &Silent).expect("ingest");
        run::score(&ingested, spec, &Options::default()).expect("score")
    };
    let a = score(&v06);
    let b = score(&latest);
    assert_eq!(a.leaderboard.submissions, b.leaderboard.submissions);
    assert!(a.leaderboard.rules.scores.iter().any(|s| *s > 0.0));
    for (x, y) in a
        .leaderboard
        .rules
        .scores
        .iter()
        .zip(&b.leaderboard.rules.scores)
    {
        assert!((x * 8.0 / 9.0 - y).abs() < 1e-12, "{x} × 8/9 != {y}");
    }
    let w = b.warnings.render();
    let lines: Vec<&str> = w
        .lines()
        .filter(|l| l.contains("no submission ran"))
        .collect();
    assert_eq!(lines.len(), 1, "{w}");
    assert!(
        w.contains("warning: base workload that no submission ran: it counts as unsolved for everyone (finewebedu_lm)"),
        "{w}"
    );
}

// ---------------------------------------------------------------------------
// Held-out sampling in the spec: the drawn variants are the spec's held-out
// workloads, and the published draw.

#[test]
fn v05_held_out_sampling_draws_the_published_set() {
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let sampling = spec.sampling.as_ref().expect("[held_out_sampling]");
    assert_eq!(sampling.seed, 3438810845);
    let sizes: Vec<usize> = sampling.groups.iter().map(|(_, p)| p.len()).collect();
    let drawn: Vec<String> = algoperf_engine::spec::heldout::draw_indices(sampling.seed, &sizes)
        .into_iter()
        .zip(&sampling.groups)
        .map(|(i, (_, pool))| pool[i].clone())
        .collect();
    // The draw is what the spec scores as held-out.
    let mut held: Vec<String> = spec.held_out.iter().map(|h| h.variant.clone()).collect();
    let mut sorted = drawn.clone();
    held.sort();
    sorted.sort();
    assert_eq!(sorted, held);
    // And what v0.5 published, in group order.
    if let Some(data) = common::data_dir() {
        let text = std::fs::read_to_string(data.join("heldout/held_out_workloads_v05.json"))
            .expect("json");
        let published: Vec<String> = serde_json::from_str(&text).expect("json");
        assert_eq!(drawn, published);
    }
}
