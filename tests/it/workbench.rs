//! The designer's workbench (issue 23): no silent mistakes in a spec, and
//! messages that say where, what was meant and how to fix it. Each broken
//! spec of the issue has its exact message here.

use crate::common;
use crate::fixtures::{self, Tree};

use std::path::PathBuf;

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec;

/// A temporary copy of `rulesets/` and `targets/` with `child.toml` (text
/// `body`) beside the published rulesets.
fn child(body: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    for folder in ["rulesets", "targets"] {
        let to = dir.path().join(folder);
        std::fs::create_dir_all(&to).expect("mkdir");
        for entry in std::fs::read_dir(common::repo(folder)).expect("read") {
            let entry = entry.expect("entry");
            if entry.path().is_dir() {
                continue;
            }
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
    let path = dir.path().join("rulesets/child.toml");
    std::fs::write(&path, body).expect("write child");
    (dir, path)
}

/// The rendered error of loading `body`, the temporary folder as `DIR`.
fn error(body: &str) -> String {
    let (dir, path) = child(body);
    let e = spec::load(&path).expect_err("must fail").to_string();
    e.replace(&dir.path().display().to_string(), "DIR")
}

const V05: &str = "extends = \"v05_external.toml\"\n";
const V06: &str = "extends = \"v06_external.toml\"\n";

#[test]
fn an_unset_path_must_name_an_inherited_key() {
    assert_eq!(
        error(&format!("{V05}unset = [\"workloads.heldout\"]\n")),
        "error: DIR/rulesets/child.toml:2:10: `unset` names `workloads.heldout`, which no extended spec sets (did you mean `workloads.held_out`?)\n  |\n2 | unset = [\"workloads.heldout\"]\n  |          ^^^^^^^^^^^^^^^^^^^\n  = expected a `table` or `table.key` path of the merged spec"
    );
    assert_eq!(
        error("unset = [\"held_out_sampling\"]\n"),
        "error: DIR/rulesets/child.toml:1:9: `unset` removes inherited keys, but this spec `extends` none\n  |\n1 | unset = [\"held_out_sampling\"]\n  |         ^^^^^^^^^^^^^^^^^^^^^\n  = expected `extends = \"BASE.toml\"` beside `unset`, or no `unset`"
    );
    // The published use still loads, and removes what it names.
    let (_dir, path) = child(&format!(
        "{V05}unset = [\"workloads.held_out\", \"held_out_sampling\"]\n"
    ));
    let s = spec::load(&path).expect("loads");
    assert!(s.held_out.is_empty() && s.sampling.is_none());
}

#[test]
fn a_missing_extended_spec_names_the_path_it_tried() {
    assert_eq!(
        error("extends = \"v05_externl.toml\"\n"),
        "error: DIR/rulesets/child.toml:1:11: extended spec `v05_externl.toml` cannot be used (looked for DIR/rulesets/v05_externl.toml)\n  |\n1 | extends = \"v05_externl.toml\"\n  |           ^^^^^^^^^^^^^^^^^^\n  = expected a readable spec, relative to the folder of DIR/rulesets/child.toml; it says: cannot read: No such file or directory (os error 2)"
    );
}

#[test]
fn unknown_keys_and_tables_through_extends_have_a_place_and_a_did_you_mean() {
    assert_eq!(
        error(&format!("{V05}[workloads]\nbse = [\"wmt\"]\n")),
        "error: DIR/rulesets/child.toml:3:1: unknown key `bse` (did you mean `base`?), expected one of `base`, `held_out`, `frameworks`, `weights`\n  |\n3 | bse = [\"wmt\"]\n  | ^^^"
    );
    assert_eq!(
        error(&format!("{V05}[extra]\nx = 1\n")),
        "error: DIR/rulesets/child.toml:2:2: unknown key `extra`, expected one of `extends`, `unset`, `benchmark`, `workloads`, `columns`, `expect`, `aggregate`, `rules`, `profile`, `budget`, `held_out_sampling`, `upstream`, `target_setting`\n  |\n2 | [extra]\n  |  ^^^^^"
    );
}

#[test]
fn a_wrong_toml_type_is_said_in_plain_words() {
    assert_eq!(
        error(&format!("{V05}[workloads]\nframeworks = \"jax\"\n")),
        "error: DIR/rulesets/child.toml:3:14: expected a list `[…]`, found the text \"jax\"\n  |\n3 | frameworks = \"jax\"\n  |              ^^^^^"
    );
}

#[test]
fn dropping_a_base_workload_in_a_child_suggests_unsetting_its_variant() {
    let e = error(&format!(
        "{V05}[workloads]\nbase = [\"criteo1tb\", \"imagenet_resnet\", \"imagenet_vit\", \"librispeech_conformer\", \"librispeech_deepspeech\", \"ogbg\", \"wmt\"]\n"
    ));
    assert!(
        e.starts_with("error: DIR/rulesets/v05_external.toml:24:65: `fastmri` is not a base workload, so it cannot be the base of `fastmri_tanh`\n"),
        "{e}"
    );
    assert!(
        e.ends_with("  = expected one of: criteo1tb, imagenet_resnet, imagenet_vit, librispeech_conformer, librispeech_deepspeech, ogbg, wmt; or drop the variant with its base: `unset = [\"workloads.held_out.fastmri_tanh\"]` in DIR/rulesets/child.toml"),
        "{e}"
    );
    // The fix it suggests loads.
    let (_dir, path) = child(&format!(
        "{V05}unset = [\"workloads.held_out.fastmri_tanh\", \"held_out_sampling\"]\n[workloads]\nbase = [\"criteo1tb\", \"imagenet_resnet\", \"imagenet_vit\", \"librispeech_conformer\", \"librispeech_deepspeech\", \"ogbg\", \"wmt\"]\n"
    ));
    let s = spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.held_out.len(), 5);
}

#[test]
fn a_function_of_another_slot_in_rho_says_so() {
    assert_eq!(
        error(&format!("{V05}[profile]\nrho = \"mean(ratio <= tau)\"\n")),
        "error: DIR/rulesets/child.toml:3:8: `mean` is not allowed in [profile] rho: ρ is the fraction of base workloads whose condition holds (or the mean of their credit in [0, 1])\n  |\n3 | rho = \"mean(ratio <= tau)\"\n  |        ^^^^\n  = expected `fraction(CONDITION)`, e.g. `fraction(ratio <= tau)`, or `fraction(NUMBER)` of a number in [0, 1], e.g. `fraction(min(1, tau / ratio))`"
    );
}

#[test]
fn over_the_slots_own_set_says_it_already_is() {
    assert_eq!(
        error(&format!("{V05}[aggregate]\nworkload = \"median(time over studies)\"\n")),
        "error: DIR/rulesets/child.toml:3:30: `over studies` is not needed: in [aggregate] workload a reduction already runs over the studies\n  |\n3 | workload = \"median(time over studies)\"\n  |                              ^^^^^^^\n  = expected `median(studies)`, or `median(X)` of a per-item X"
    );
    assert_eq!(
        error(&format!("{V05}[aggregate]\nstudy = \"min(time over workloads)\"\n")),
        "error: DIR/rulesets/child.toml:3:24: a reduction `over submissions` or `over workloads` is only allowed in [rules] steps\n  |\n3 | study = \"min(time over workloads)\"\n  |                        ^^^^^^^^^\n  = expected in [aggregate] study a reduction runs over `trials`: `min(trials)`"
    );
}

#[test]
fn a_chained_comparison_gets_the_and_form() {
    assert_eq!(
        error(&format!("{V05}[profile]\nrho = \"fraction(1 <= ratio <= tau)\"\n")),
        "error: DIR/rulesets/child.toml:3:28: syntax error: expected `*` or `/`, `+` or `-`, `and`, `or`, `over` or `where`, found `<=`\n  |\n3 | rho = \"fraction(1 <= ratio <= tau)\"\n  |                            ^\n  = expected one comparison at a time, joined by `and`: `1 <= ratio and ratio <= tau`"
    );
}

#[test]
fn upstream_json_without_an_upstream_table_says_what_is_missing() {
    let (dir, path) = child(&format!(
        "{V06}[benchmark]\ntargets = \"../targets/workload_targets.json\"\n"
    ));
    std::fs::write(
        dir.path().join("targets/workload_targets.json"),
        "{\"workloads\": {}}",
    )
    .expect("write json");
    let e = spec::load(&path).expect_err("refused").to_string();
    assert_eq!(
        e.replace(&dir.path().display().to_string(), "DIR"),
        "error: DIR/rulesets/child.toml:3:11: targets file `../targets/workload_targets.json` is an upstream JSON file, and the spec has no [upstream] table to read it with\n  |\n3 | targets = \"../targets/workload_targets.json\"\n  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = expected an [upstream] table giving what the JSON lacks: `minimize = [\"loss\", …]`, `maximize = [\"accuracy\", …]`, and `budgets = \"max_runtimes.json\"` or `budget_seconds = { … }`"
    );
}

#[test]
fn workloads_without_a_budget_are_one_error() {
    let e = error(&format!(
        "{V06}[aggregate]\ntrial = \"first(time where reached and time <= budget)\"\n[workloads]\nbase = [\"cifar\", \"criteo1tb\", \"mnist\"]\n"
    ));
    assert_eq!(
        e,
        "error: DIR/rulesets/child.toml:3:9: a formula uses `budget`, but DIR/targets/algoperf_v06.toml gives none for 2 workloads: `cifar`, `mnist`\n  |\n3 | trial = \"first(time where reached and time <= budget)\"\n  |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = expected a `budget = SECONDS` for each in the targets file (or [upstream] budget_seconds), or a formula without `budget`"
    );
    assert_eq!(e.matches("error:").count(), 1);
}

#[test]
fn a_literal_reduction_parameter_is_checked_by_spec_check() {
    assert_eq!(
        error(&format!("{V05}[aggregate]\nworkload = \"quantile(studies, 1.5)\"\n")),
        "error: DIR/rulesets/child.toml:3:31: `quantile`: q must be from 0 to 1, found 1.5\n  |\n3 | workload = \"quantile(studies, 1.5)\"\n  |                               ^^^"
    );
    assert_eq!(
        error(&format!("{V05}[aggregate]\nworkload = \"trimmed_mean(studies, 2 - 0.5)\"\n")),
        "error: DIR/rulesets/child.toml:3:35: `trimmed_mean`: k must be a whole number ≥ 0, found 1.5\n  |\n3 | workload = \"trimmed_mean(studies, 2 - 0.5)\"\n  |                                   ^^^^^^^"
    );
    // A parameter that is not known until scoring is left to scoring.
    let (_dir, path) = child(&format!(
        "{V05}[aggregate]\nworkload = \"quantile(studies, 0.25)\"\n"
    ));
    spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn steps_that_can_never_act_are_warnings_and_errors_under_strict() {
    let body = format!(
        "{V06}[rules]\nsteps = [\n  \"held_out := inf where not finite(base)\",\n  \"all := inf where time > 4 * best\",\n  \"base := inf where not finite(held_out)\",\n]\n"
    );
    let (dir, path) = child(&body);
    let s = spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let shown = spec::render_warnings(&s).replace(&dir.path().display().to_string(), "DIR");
    assert_eq!(
        shown,
        "warning: DIR/rulesets/child.toml:4:3: step `held_out := inf where not finite(base)` can never act: it assigns to `held_out`, and the spec has no held-out workloads\n  |\n4 |   \"held_out := inf where not finite(base)\",\n  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = expected held-out workloads in [workloads] held_out, or no such step\n\
         warning: DIR/rulesets/child.toml:6:3: step `base := inf where not finite(held_out)` can never act: it reads `held_out`, the time on a base workload's held-out variant, and the spec has no held-out workloads\n  |\n6 |   \"base := inf where not finite(held_out)\",\n  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = expected held-out workloads in [workloads] held_out, or no such step\n"
    );
    assert!(spec::check(&path, false).is_ok());
    let strict = spec::check(&path, true).expect_err("strict fails");
    assert_eq!(strict.0.len(), 2);
    assert!(spec::explain(&s).contains(
        "   1. held_out := inf where not finite(base)\n      (never acts: it assigns to `held_out`, and the spec has no held-out workloads)\n"
    ));
    // The command: `spec check --strict` fails, `spec check` passes.
    let p = path.display().to_string();
    assert!(fixtures::cli(&["spec", "check", &p]).is_ok());
    assert_eq!(
        fixtures::cli(&["spec", "check", "--strict", &p]).err(),
        Some("1 of 1 spec failed the check".to_string())
    );
    // Every published ruleset is free of them.
    for name in [
        "v05_external",
        "v05_self",
        "v06_external",
        "v06_self",
        "latest_external",
        "latest_self",
    ] {
        let s = spec::check(&common::repo(&format!("rulesets/{name}.toml")), true);
        assert!(
            s.is_ok(),
            "{name}: {}",
            s.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }
}

/// A tree of two submissions (`a`, `baseline`) and the fixtures' spec with
/// `from` replaced by `to`; what reading it says.
fn read_with(from: &str, to: &str) -> Result<(), String> {
    let tree = Tree::new();
    tree.submission("a", 100.0, 200.0)
        .submission("baseline", 150.0, 150.0);
    let dir = tree.dir.path().join("spec");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("targets.toml"), fixtures::TARGETS).expect("targets");
    let text = fixtures::ruleset(1, 1);
    assert!(text.contains(from), "{from}");
    let path = dir.join("test.toml");
    std::fs::write(&path, text.replace(from, to)).expect("spec");
    let s = spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
    run::read(&tree.subs(), &s, &Options::default(), &Silent)
        .map(|_| ())
        .map_err(|e| {
            e.to_string()
                .replace(&tree.dir.path().display().to_string(), "DIR")
        })
}

#[test]
fn a_reference_is_checked_against_the_submissions_before_reading() {
    assert_eq!(
        read_with("ratio = \"time / best\"", "ratio = \"time / reference('basline')\""),
        Err("DIR/spec/test.toml: reference('basline'): the spec's reference submission `basline` is not in DIR/subs (did you mean `baseline`?) (--allow-empty scores anyway)".to_string())
    );
    assert_eq!(
        read_with(
            "ratio = \"time / best\"",
            "ratio = \"time / reference('baseline')\""
        ),
        Ok(())
    );
}

#[test]
fn a_column_no_file_has_is_a_degenerate_error() {
    let e = read_with(
        "trial = \"first(time where reached)\"",
        "trial = \"first(time where reached and column('accumulated_submision_time') > 0)\"",
    )
    .expect_err("refused");
    assert_eq!(
        e,
        "DIR/subs: column `accumulated_submision_time` (named by `column()` in the spec) is in no trial file of workloads alpha, beta (looked at 4 files; DIR/subs/a/study_0/alpha_jax/trial_1/eval_measurements.csv has: global_step, accumulated_submission_time, score, validation/loss) (did you mean `accumulated_submission_time`?) (--allow-empty scores anyway)"
    );
    // A column the files have is read.
    assert_eq!(
        read_with(
            "trial = \"first(time where reached)\"",
            "trial = \"first(time where reached and column('accumulated_submission_time') > 0)\"",
        ),
        Ok(())
    );
}

/// Every published ruleset ships `rulesets/tests/NAME.test.toml`, and
/// passes it (issue 23: "every published ruleset passes its own `spec test`").
#[test]
fn every_published_ruleset_passes_its_own_spec_test() {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(common::repo("rulesets"))
        .expect("rulesets")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 6);
    for spec in &specs {
        let tests = algoperf_engine::spec_test::test_file_of(spec);
        assert!(
            tests.is_file(),
            "{} has no tests at {}",
            spec.display(),
            tests.display()
        );
        let r = algoperf_engine::spec_test::run_file(spec).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.cases.len() >= 5, "{}", r.render());
        assert_eq!(r.failed(), 0, "{}", r.render());
    }
}

/// A case whose numbers are wrong fails, naming each value that differs;
/// an expected error passes only when it happens.
#[test]
fn a_failing_spec_test_shows_what_differs() {
    let (dir, _) = child("");
    let text = std::fs::read_to_string(common::repo("rulesets/tests/v06_external.test.toml"))
        .expect("tests")
        .replace("\"b/wmt\" = 250", "\"b/wmt\" = 251")
        .replace("\"b\" = 0.08270202020202021", "\"b\" = 0.0827");
    let file = dir.path().join("rulesets/tests/v06_external.test.toml");
    std::fs::create_dir_all(file.parent().expect("dir")).expect("mkdir");
    std::fs::write(&file, text).expect("write");
    let r = algoperf_engine::spec_test::run_file(&dir.path().join("rulesets/v06_external.toml"))
        .expect("runs");
    assert_eq!(r.failed(), 2);
    let shown = r.render().replace(&dir.path().display().to_string(), "DIR");
    assert!(shown.contains("  case ratio 1 scores 1/N; ratio 2.01 gets the τ ≥ 2.0303 part ... FAILED\n    ([profile] ratio = time / best, rho = fraction(ratio <= tau), score = trapezoid(rho) / (tau_max - tau_min))\n    - score of b: expected 0.0827, got 0.08270202020202021\n"), "{shown}");
    assert!(
        shown.contains("    - time b/wmt: expected 251.0, got 250.0\n"),
        "{shown}"
    );
    assert!(shown.ends_with("  3 passed, 2 failed\n"), "{shown}");

    // An expected error: met, and missed.
    let errors = "spec = \"../v06_external.toml\"\n\n[[case]]\nname = \"reference typo\"\n[case.files]\n\"a/notes.txt\" = \"x\"\n[case.expect]\nerror = \"no trial could be read\"\n\n[[case]]\nname = \"no error\"\n[case.trials]\n\"a/study_0/wmt_jax/trial_1\" = [[1, 31]]\n[case.expect]\nerror = \"anything\"\n";
    std::fs::write(&file, errors).expect("write");
    let r = algoperf_engine::spec_test::run_file(&file).expect("runs");
    assert_eq!(
        r.cases[0].differences,
        Vec::<String>::new(),
        "{}",
        r.render()
    );
    assert_eq!(
        r.cases[1].differences,
        vec!["error: expected one containing `anything`, got none".to_string()]
    );
}
