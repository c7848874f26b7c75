//! The rule language as a benchmark designer meets it: each error the
//! checker or the evaluator gives, with its exact message and position
//! (spec_language.rs style), `extends`, and forms the templates refused.

use crate::common;
use crate::fixtures;

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec;
use fixtures::Tree;

/// A copy of a published ruleset with one replacement, loaded; returns the
/// rendered error with the temporary folder replaced by SPEC / RULESETS.
fn error_in(ruleset: &str, from: &str, to: &str) -> String {
    common::spec_error(ruleset, from, to)
}

fn error_of(from: &str, to: &str) -> String {
    error_in("rulesets/v05_external.toml", from, to)
}

#[test]
fn a_condition_where_a_number_is_expected() {
    assert_eq!(
        error_of("\"time / best\"", "\"time > best\""),
        "error: SPEC:54:10: expected a number, found a condition\n   |\n54 | ratio = \"time > best\"\n   |          ^^^^^^^^^^^\n  = expected a number, e.g. `time` or `if(c, a, b)`"
    );
}

#[test]
fn a_number_where_a_condition_is_expected_in_the_trial_slot() {
    assert_eq!(
        error_of("first(time where reached)", "first(time where step)"),
        "error: SPEC:38:27: expected a condition, found a number\n   |\n38 | trial = \"first(time where step)\"\n   |                           ^^^^\n  = expected e.g. `finite(x)`, `x > 0` or `reached`"
    );
}

#[test]
fn unknown_name_in_the_trial_slot_lists_its_names() {
    assert_eq!(
        error_of("first(time where reached)", "first(time where reachd)"),
        "error: SPEC:38:27: unknown name `reachd` in [aggregate] trial (did you mean `reached`?)\n   |\n38 | trial = \"first(time where reachd)\"\n   |                           ^^^^^^\n  = expected one of: `budget`, `eval_index`, `framework`, `inf`, `metric`, `reached`, `step`, `step_hint`, `summary_time`, `target`, `time`"
    );
}

#[test]
fn a_reduction_over_submissions_outside_the_matrix_slots() {
    assert_eq!(
        error_of("\"median(studies)\"", "\"median(time over submissions)\""),
        "error: SPEC:43:30: a reduction `over submissions` or `over workloads` is only allowed in [rules] steps\n   |\n43 | workload = \"median(time over submissions)\"\n   |                              ^^^^^^^^^^^\n  = expected in [aggregate] workload a reduction runs over `studies`: `median(studies)`"
    );
}

#[test]
fn wrong_arity() {
    assert_eq!(
        error_of("\"time / best\"", "\"log2(time, best)\""),
        "error: SPEC:54:10: `log2` takes 1 argument, found 2\n   |\n54 | ratio = \"log2(time, best)\"\n   |          ^^^^^^^^^^^^^^^^"
    );
    assert_eq!(
        error_of("\"median(studies)\"", "\"quantile(studies)\""),
        "error: SPEC:43:13: `quantile` takes 2 arguments, found 1\n   |\n43 | workload = \"quantile(studies)\"\n   |             ^^^^^^^^^^^^^^^^^\n  = expected `quantile(studies)` or `quantile(a, b)`"
    );
}

#[test]
fn budget_for_a_workload_without_one() {
    let e = error_in(
        "rulesets/latest_external.toml",
        "[workloads]",
        "[rules]\nsteps = [\"all := inf where time > budget\"]\n\n[workloads]",
    );
    assert_eq!(
        e,
        "error: SPEC:11:10: a formula uses `budget`, but ROOT/targets/algoperf_v06.toml gives none for workload `finewebedu_lm`\n   |\n11 | steps = [\"all := inf where time > budget\"]\n   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = expected a `budget = SECONDS` for each in the targets file (or [upstream] budget_seconds), or a formula without `budget`"
    );
}

#[test]
fn a_tau_range_too_wide_to_integrate() {
    assert_eq!(
        error_of("linspace(1, 4, 100)", "linspace(1, 1.7976931348623157e308, 100)"),
        "error: SPEC:53:8: the τ range is too wide: integrating ρ over it overflows to inf\n   |\n53 | tau = \"linspace(1, 1.7976931348623157e308, 100)\"\n   |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = expected a τ range whose width is a finite number well below 1.8e308"
    );
}

#[test]
fn a_budget_factor_that_makes_a_missed_target_infinite() {
    let e = error_of("factor = 1\n", "factor = 1e308\n");
    assert!(
        e.starts_with("error: SPEC:58:10: a missed target on `criteo1tb` would count as inf s (`budget * factor + 1.0` with budget 7703.0): speedups need a finite time above 0\n"),
        "{e}"
    );
    // One error per base workload.
    assert_eq!(e.matches("error: SPEC:58:10").count(), 8, "{e}");
}

#[test]
fn missed_as_a_formula() {
    let (_dir, path) = common::spec_variant(
        "rulesets/v05_external.toml",
        "factor = 1\nmissed_extra_seconds = 1",
        "missed = \"2 * budget + step_hint / 1000\"",
    );
    let s = spec::load(&path).expect("spec");
    assert_eq!(
        s.missed.as_ref().map(|m| m.text.as_str()),
        Some("2.0 * budget + step_hint / 1000.0")
    );
}

#[test]
fn an_extends_cycle_names_the_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    std::fs::write(&a, "extends = \"b.toml\"\n").expect("write");
    std::fs::write(&b, "# b\nextends = \"a.toml\"\n").expect("write");
    let e = spec::load(&a).expect_err("cycle").to_string();
    let d = dir.path().display().to_string();
    assert_eq!(
        e.replace(&d, "DIR"),
        "error: DIR/b.toml:2:11: `extends` cycle: DIR/a.toml → DIR/b.toml → DIR/a.toml\n  |\n2 | extends = \"a.toml\"\n  |           ^^^^^^^^"
    );
}

#[test]
fn extends_errors_point_into_the_file_that_wrote_the_value() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec_path = dir.path().join("mine.toml");
    let base = common::repo("rulesets/v05_external.toml");
    std::fs::write(
        &spec_path,
        format!(
            "extends = {:?}\n\n[aggregate]\nworkload = \"medain(studies)\"\n",
            base.display().to_string()
        ),
    )
    .expect("write");
    let e = spec::load(&spec_path).expect_err("typo").to_string();
    assert!(
        e.starts_with(&format!(
            "error: {}:4:13: unknown function `medain` (did you mean `median`?)\n",
            spec_path.display()
        )),
        "{e}"
    );
    // A key inherited unchanged is checked where it was written.
    std::fs::write(
        &spec_path,
        format!(
            "extends = {:?}\n\n[workloads]\nweights = {{ wmt = 0 }}\n",
            base.display().to_string()
        ),
    )
    .expect("write");
    let e = spec::load(&spec_path).expect_err("weight").to_string();
    assert!(
        e.starts_with(&format!(
            "error: {}:4:19: a weight must be a finite number > 0, found 0\n",
            spec_path.display()
        )),
        "{e}"
    );
}

/// The fixtures' spec with one replacement.
fn tree_spec(t: &Tree, from: &str, to: &str) -> spec::Spec {
    let (path, _) = t.spec();
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{from}");
    std::fs::write(&path, text.replace(from, to)).expect("write");
    spec::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn score_error(t: &Tree, spec: &spec::Spec) -> String {
    let ingested = run::read(&t.subs(), spec, &Options::default(), &Silent).expect("ingest");
    let e = run::score(&ingested, spec, &Options::default()).expect_err("must fail");
    e.to_string()
        .replace(&spec.path.display().to_string(), "SPEC")
}

#[test]
fn reference_to_a_submission_not_scored_is_a_run_time_error_naming_it() {
    let t = Tree::new();
    t.submission("a", 100.0, 100.0).submission("b", 150.0, 90.0);
    let s = tree_spec(
        &t,
        "ratio = \"time / best\"",
        "ratio = \"time / reference('baseline')\"",
    );
    // Checked before any file is read (issue 23); with --allow-empty the
    // tree is read and scoring still refuses.
    let refused = run::read(&t.subs(), &s, &Options::default(), &Silent)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        refused.contains("the spec's reference submission `baseline` is not in "),
        "{refused}"
    );
    let mut anyway = Options::default();
    anyway.selection.allow_empty = true;
    let ingested = run::read(&t.subs(), &s, &anyway, &Silent).expect("ingest");
    let e = run::score(&ingested, &s, &anyway).expect_err("must fail");
    assert_eq!(
        e.to_string().replace(&s.path.display().to_string(), "SPEC"),
        "SPEC: `reference('baseline')`: submission `baseline` is not among the scored submissions"
    );
}

#[test]
fn geomean_of_a_value_at_or_below_zero_names_the_cell() {
    let t = Tree::new();
    t.submission("a", 100.0, 100.0).submission("b", 150.0, 90.0);
    let s = tree_spec(
        &t,
        "\"all := inf where time > 4 * best\"",
        "\"all := inf where geomean(time - best over submissions) > 10\"",
    );
    assert_eq!(
        score_error(&t, &s),
        "SPEC: step `all := inf where geomean(time - best over submissions) > 10.0`, a on alpha: `geomean`: a value ≤ 0 (0.0) has no geometric mean"
    );
}

#[test]
fn forms_the_templates_refused() {
    let t = Tree::new();
    // a: alpha 100, beta 100; b: alpha 150, beta 90; c: alpha 500 (within
    // alpha's budget of 1000), beta 3000 (over beta's budget of 2000).
    t.submission("a", 100.0, 100.0)
        .submission("b", 150.0, 90.0)
        .submission("c", 500.0, 3000.0);
    let s = tree_spec(
        &t,
        "\"all := inf where time > 4 * best\",",
        "\"all := inf where time > budget or not finite(time)\",\n  \"base := inf where count(not finite(time) over workloads) > 1 and time > 2 * median(time over submissions)\",",
    );
    let ingested = run::read(&t.subs(), &s, &Options::default(), &Silent).expect("ingest");
    let o = run::score(&ingested, &s, &Options::default()).expect("score");
    // c's beta is over its budget: ∞ after step 2; a and b untouched.
    assert_eq!(fixtures::time_of(&o, "c", "beta"), 3000.0);
    let lb = &o.leaderboard;
    let beta = lb.workloads.iter().position(|w| w == "beta").expect("beta");
    let alpha = lb
        .workloads
        .iter()
        .position(|w| w == "alpha")
        .expect("alpha");
    let row = |s: &str| lb.row(s).expect("row");
    assert_eq!(lb.rules.steps[1].matrix[(row("c"), beta)], f64::INFINITY);
    assert_eq!(lb.rules.steps[1].matrix[(row("c"), alpha)], 500.0);
    // Step 3: c has one unsolved workload (not more than 1): alpha stays.
    assert_eq!(lb.rules.steps[2].matrix[(row("c"), alpha)], 500.0);
    assert_eq!(lb.rules.steps[1].matrix[(row("b"), beta)], 90.0);
}

#[test]
fn a_log_ratio_on_a_tau_list_with_weights_and_a_mean_score() {
    let t = Tree::new();
    t.submission("a", 100.0, 100.0).submission("b", 200.0, 50.0);
    let s = tree_spec(
        &t,
        "frameworks = [",
        "weights = { alpha = 3 }\nframeworks = [",
    );
    let (path, _) = (s.path.clone(), ());
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace(
        "[profile]\ntau = \"linspace(1, 4, 100)\"\nratio = \"time / best\"\nscore = \"trapezoid(rho) / (tau_max - tau_min)\"",
        "[profile]\ntau = \"[0, 0.5, 1, 2]\"\nratio = \"log2(time / best)\"\nscore = \"mean(rho) + rho_at(0.7) - max(rho)\"",
    )).expect("write");
    let s = spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let ingested = run::read(&t.subs(), &s, &Options::default(), &Silent).expect("ingest");
    let o = run::score(&ingested, &s, &Options::default()).expect("score");
    let lb = &o.leaderboard;
    // a: alpha ratio log2(1) = 0, beta log2(2) = 1 → ρ = [3/4, 3/4, 1, 1].
    // b: alpha 1, beta 0 → ρ = [1/4, 1/4, 1, 1].
    let r = |s: &str| lb.row(s).expect("row");
    let rho = |s: &str| -> Vec<f64> { (0..4).map(|j| lb.rules.profile[(r(s), j)]).collect() };
    assert_eq!(rho("a"), [0.75, 0.75, 1.0, 1.0]);
    assert_eq!(rho("b"), [0.25, 0.25, 1.0, 1.0]);
    // mean + ρ at 0.5 (the last point ≤ 0.7) − max.
    assert_eq!(lb.rules.scores[r("a")], 0.875 + 0.75 - 1.0);
    assert_eq!(lb.rules.scores[r("b")], 0.625 + 0.25 - 1.0);
}

#[test]
fn the_registry_is_in_the_language_reference() {
    let text = std::fs::read_to_string(common::repo("docs/language.md")).expect("docs/language.md");
    let mut missing = Vec::new();
    for f in spec::lang::FUNCTIONS {
        if !text.contains(&format!("`{}(", f.name)) {
            missing.push(format!("function {}", f.name));
        }
    }
    for n in spec::lang::NAMES {
        if !text.contains(&format!("`{}`", n.name)) {
            missing.push(format!("name {}", n.name));
        }
    }
    assert!(missing.is_empty(), "docs/language.md lacks: {missing:?}");
}

/// The generated section of docs/language.md is what `spec reference
/// --markdown` prints now (the registry's tables), byte for byte.
#[test]
fn the_language_reference_tables_are_the_command_output() {
    let text = std::fs::read_to_string(common::repo("docs/language.md")).expect("docs/language.md");
    let begin = "<!-- registry: begin -->\n";
    let end = "<!-- registry: end -->";
    let start = text.find(begin).expect("begin marker") + begin.len();
    let stop = text.find(end).expect("end marker");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
        .args(["spec", "reference", "--markdown"])
        .output()
        .expect("run the engine");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let printed = String::from_utf8(o.stdout).expect("UTF-8");
    assert_eq!(printed, spec::lang::reference_tables());
    assert!(
        text[start..stop] == printed,
        "docs/language.md's tables differ from the registry: replace the lines between \
         `{}` and `{end}` with the output of `algoperf-engine spec reference --markdown`",
        begin.trim_end()
    );
}

/// The plain-words reference names every built-in once per form.
#[test]
fn the_plain_reference_lists_every_built_in() {
    let text = spec::lang::reference_text();
    for n in spec::lang::NAMES {
        assert!(text.contains(&format!("  {} ", n.name)), "name {}", n.name);
    }
    for f in spec::lang::FUNCTIONS {
        let line = format!("  {}(…)  {}\n", f.name, f.about);
        assert!(text.contains(&line), "function {}", f.name);
        assert!(
            text.contains(&format!("e.g. {}\n", f.example)),
            "{}",
            f.name
        );
    }
}

#[test]
fn targets_straight_from_the_upstream_json() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v05_upstream.toml");
    let quote = |p: &std::path::Path| toml::Value::String(p.display().to_string()).to_string();
    std::fs::write(
        &path,
        format!(
            "extends = {}\n\n[benchmark]\ntargets = {}\n\n[upstream]\nbudgets = {}\nbudgets_version = \"v0.5\"\n\
             minimize = [\"loss\", \"ce_loss\", \"error_rate\", \"ctc_loss\", \"wer\", \"l1_loss\", \"ppl\"]\n\
             maximize = [\"accuracy\", \"ssim\", \"bleu\", \"mean_average_precision\"]\n",
            quote(&common::repo("rulesets/v05_external.toml")),
            quote(&data.join("targets/workload_targets_v05.json")),
            quote(&data.join("targets/max_runtimes.json")),
        ),
    )
    .expect("write");
    let upstream = spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let published = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    assert_eq!(upstream.targets, published.targets);
    // Budgets written in the spec instead of a file.
    let text = std::fs::read_to_string(&path).expect("read");
    let text = text.replace(
        "budgets_version = \"v0.5\"\n",
        "budget_seconds = { wmt = 1 }\n",
    );
    std::fs::write(&path, text.replace("budgets = ", "# budgets = ")).expect("write");
    let s = spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.targets["wmt"].budget, Some(1.0));
    assert_eq!(s.targets["fastmri"].budget, None);
}

#[test]
fn spec_explain_shows_the_merged_spec_and_each_keys_file() {
    let s = spec::load(&common::repo("rulesets/latest_self.toml")).expect("spec");
    let text = spec::explain(&s);
    let at = text
        .find("Merged spec (`extends`), each key with the file it came from:\n")
        .expect("merged section");
    let merged = &text[at..];
    let line = |key: &str| -> String {
        merged
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{key} ")))
            .unwrap_or_else(|| panic!("{key} missing:\n{merged}"))
            .to_string()
    };
    assert!(line("budget.factor").contains("= 1.5 "), "{merged}");
    assert!(
        line("budget.factor").ends_with("rulesets/latest_self.toml"),
        "{merged}"
    );
    assert!(line("benchmark.version").ends_with("rulesets/latest_external.toml"));
    assert!(line("rules.steps").ends_with("rulesets/v06_external.toml"));
    assert!(line("profile.tau").contains("\"linspace(1, 4, 100)\""));
    assert!(line("profile.tau").ends_with("rulesets/v05_external.toml"));
    // Unset keys are gone from the merged spec.
    assert!(!merged.contains("held_out"), "{merged}");
    assert!(!merged.contains("held_out_sampling"), "{merged}");
}
