//! `spec fmt`, `spec diff` and the spec's JSON Schema (issue 23 item 6):
//! the formatter is a fixed point on every shipped file, keeps every
//! comment and every value, and a formatted spec scores byte for byte as
//! the original; `--check` writes nothing; the diff of two specs names each
//! key that differs; every shipped spec validates against the schema and
//! broken ones do not.

use std::path::{Path, PathBuf};
use std::process::Command;

use algoperf_engine::app::schemas;
use algoperf_engine::spec;

use crate::common;

const EXE: &str = env!("CARGO_BIN_EXE_algoperf-engine");

/// Runs the engine in `dir`: (exit status, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(EXE)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run the engine");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every TOML file shipped in the repository: rulesets, their tests, the
/// examples, the targets files.
fn shipped_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["rulesets", "rulesets/tests", "examples", "targets"] {
        for entry in std::fs::read_dir(common::repo(dir)).expect("folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 15, "{files:?}");
    files
}

/// A TOML file's data, formula strings as the rule language prints them.
fn data(text: &str) -> toml::Value {
    fn canonical(v: &mut toml::Value) {
        match v {
            toml::Value::String(s) => {
                if let Some(c) = spec::fmt::canonical_formula(s) {
                    *s = c;
                }
            }
            toml::Value::Array(a) => a.iter_mut().for_each(canonical),
            toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| canonical(v)),
            _ => {}
        }
    }
    let mut value: toml::Value = toml::from_str(text).expect("TOML");
    canonical(&mut value);
    value
}

/// Every comment line's text, in the order written.
fn comments(text: &str) -> Vec<String> {
    let mut out: Vec<String> = (text.lines())
        .filter_map(|l| l.find('#').map(|i| (l, i)))
        // A `#` inside a string is no comment: the shipped files have none
        // after a quote on the same line except in formulas and names.
        .filter(|(l, i)| l[..*i].matches('"').count() % 2 == 0)
        .map(|(l, i)| l[i..].trim().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn fmt_is_a_fixed_point_on_every_shipped_file_and_keeps_values_and_comments() {
    for path in shipped_files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let once = spec::fmt::format(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let twice = spec::fmt::format(&path, &once).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(once, twice, "{} is not a fixed point", path.display());
        assert_eq!(
            data(&text),
            data(&once),
            "{}: values changed",
            path.display()
        );
        assert_eq!(comments(&text), comments(&once), "{}", path.display());
        assert!(once.ends_with('\n') && !once.ends_with("\n\n"));
    }
}

#[test]
fn every_shipped_spec_and_targets_file_is_in_canonical_form() {
    // The specs' tests (rulesets/tests/) keep their hand layout; every
    // ruleset, example and targets file is canonical.
    let files: Vec<PathBuf> = (shipped_files().into_iter())
        .filter(|p| !p.to_string_lossy().ends_with(".test.toml"))
        .collect();
    let mut args = vec!["spec", "fmt", "--check"];
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let (status, out, err) = run(&common::repo("."), &args);
    assert_eq!(status, 0, "{out}{err}");
    assert_eq!(out.lines().count(), files.len());
    assert!(out.lines().all(|l| l.ends_with(": ok")), "{out}");
}

/// Every layout choice the canonical form makes, on one file: order,
/// spacing, arrays, comments above, after and inside values.
#[test]
fn fmt_writes_the_documented_canonical_form() {
    let written = r#"# top comment

unset = ["x"]   # why
extends = 'base.toml'
[profile]
score = 'trapezoid(rho)/(tau_max-tau_min)'
tau   =    "linspace(1,4,100)"   # grid
[rules]
steps = [ # first
  "all := inf where time > 4 * best", # four
  # about the next
  "base := inf where not finite(held_out)"
  # dangling
]
[benchmark]
targets="t.toml"
"version" = "1"
[benchmark.extra]
k = 1
[unknown]
b = 2
a = [1,2,
 3]
# trailing end
"#;
    let want = r#"# top comment

extends = 'base.toml'
unset = ["x"]  # why

[benchmark]
version = "1"
targets = "t.toml"

[benchmark.extra]
k = 1

[rules]
steps = [
  # first
  "all := inf where time > 4 * best",  # four
  # about the next
  "base := inf where not finite(held_out)",
  # dangling
]

[profile]
tau = "linspace(1, 4, 100)"  # grid
score = "trapezoid(rho) / (tau_max - tau_min)"

[unknown]
b = 2
a = [1, 2, 3]
# trailing end
"#;
    let path = Path::new("child.toml");
    assert_eq!(spec::fmt::format(path, written).expect("formats"), want);
    // An array too wide for one line gets one item a line.
    let long = format!("extends = \"b.toml\"\n[workloads]\nbase = [{}]\n", {
        let names: Vec<String> = (0..12).map(|i| format!("\"workload_{i}\"")).collect();
        names.join(", ")
    });
    let out = spec::fmt::format(path, &long).expect("formats");
    assert!(out.contains("base = [\n  \"workload_0\",\n"), "{out}");
    assert!(out.contains("  \"workload_11\",\n]\n"), "{out}");
}

#[test]
fn a_formula_is_reprinted_only_when_the_print_parses_back_to_it() {
    assert_eq!(
        spec::fmt::canonical_formula("median( studies )").as_deref(),
        Some("median(studies)")
    );
    assert_eq!(
        spec::fmt::canonical_formula("(time/best)").as_deref(),
        Some("time / best")
    );
    // Parentheses that matter stay; a formula that does not parse is kept
    // as written by `format` (`None` here).
    assert_eq!(
        spec::fmt::canonical_formula("time / (best - 1)").as_deref(),
        Some("time / (best - 1)")
    );
    assert_eq!(spec::fmt::canonical_formula("median(studies"), None);
    // Numbers print as a person writes them, and each parses back to the
    // same float (the tree check above holds).
    for (written, want) in [
        ("4.0 * best", "4 * best"),
        ("linspace(1., 4, 1e2)", "linspace(1, 4, 100)"),
        ("x < 0.50 and y > .25", "x < 0.5 and y > 0.25"),
        ("x > 1e-3", "x > 0.001"),
        ("x > 1E-8", "x > 1e-8"),
        ("x > 2.5e20", "x > 2.5e20"),
        ("x > 9007199254740993", "x > 9007199254740992"),
        ("x > 1e16", "x > 1e16"),
        ("x > -0.0", "x > -0"),
        ("x > 0", "x > 0"),
    ] {
        assert_eq!(
            spec::fmt::canonical_formula(written).as_deref(),
            Some(want),
            "{written}"
        );
    }
    // A literal beyond f64 reads as inf, which prints as a name: kept as
    // written by `format`.
    assert_eq!(spec::fmt::canonical_formula("x > 1e999"), None);
    // What the reports and `spec explain` show is unchanged (`Display`).
    let tree = spec::formula::parse("time > 4 * best").expect("parses");
    assert_eq!(tree.to_string(), "time > 4.0 * best");
    assert_eq!(tree.written(), "time > 4 * best");
    let kept = "extends = \"b.toml\"\n\n[aggregate]\nworkload = \"median(studies\"\n";
    assert_eq!(
        spec::fmt::format(Path::new("c.toml"), kept).expect("TOML"),
        kept
    );
}

/// Synthetic trees scored under each shipped ruleset and under its
/// formatted copy give the same JSON document, byte for byte.
#[test]
fn a_formatted_spec_scores_as_the_original() {
    let copy = tempfile::tempdir().expect("tempdir");
    for dir in ["rulesets", "targets"] {
        std::fs::create_dir_all(copy.path().join(dir)).expect("mkdir");
        for entry in std::fs::read_dir(common::repo(dir)).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                let to = copy.path().join(dir).join(path.file_name().expect("name"));
                // Out of canonical form, by hand: spaces around `=`, and
                // numbers and spacing inside formulas changed.
                let text = std::fs::read_to_string(&path).expect("read");
                let text: String = (text.lines())
                    .map(|l| l.replacen(" = ", "   =   ", 1) + "\n")
                    .collect();
                let text = (text.replace("4 * best", "4.0*best"))
                    .replace("linspace(1, 4, 100)", "linspace(1.,4.0,1e2)");
                std::fs::write(to, text).expect("copy");
            }
        }
    }
    let names = [
        "v05_external",
        "v05_self",
        "v06_external",
        "latest_external",
    ];
    let mut args = vec!["spec".to_string(), "fmt".into()];
    args.extend(names.iter().map(|n| format!("rulesets/{n}.toml")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (status, out, err) = run(copy.path(), &args);
    assert_eq!(status, 0, "{out}{err}");
    assert!(
        out.contains("rulesets/v05_external.toml: formatted"),
        "{out}"
    );
    let root = common::repo(".").canonicalize().expect("repo");
    for name in names {
        let original = root.join(format!("rulesets/{name}.toml"));
        let formatted = copy.path().join(format!("rulesets/{name}.toml"));
        let tree = copy.path().join(format!("board_{name}"));
        let spec_arg = original.display().to_string();
        let tree_arg = tree.display().to_string();
        let (status, _, err) = run(
            copy.path(),
            &[
                "synth",
                "--spec",
                &spec_arg,
                "--submissions",
                "3",
                "--seed",
                "5",
                "--studies",
                "2",
                "--trials",
                "2",
                "--out",
                &tree_arg,
            ],
        );
        assert_eq!(status, 0, "{err}");
        let score = |spec: &Path| {
            let spec = spec.display().to_string();
            let (status, out, err) = run(
                copy.path(),
                &[
                    "--spec",
                    &spec,
                    "--submissions",
                    &tree_arg,
                    "--format",
                    "json",
                ],
            );
            assert_eq!(status, 0, "{err}");
            out
        };
        let a = score(&original);
        let b = score(&formatted).replace(
            &copy.path().display().to_string(),
            &root.display().to_string(),
        );
        assert!(a.contains("\"score\""), "{a}");
        assert_eq!(a, b, "{name}: the formatted spec scores differently");
    }
}

#[test]
fn fmt_check_writes_nothing_and_fmt_writes_only_what_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let messy = "extends = \"base.toml\"\n[expect]\nstudies=3\n";
    let clean = "extends = \"base.toml\"\n\n[expect]\nstudies = 3\n";
    std::fs::write(dir.path().join("messy.toml"), messy).expect("write");
    std::fs::write(dir.path().join("clean.toml"), clean).expect("write");
    std::fs::write(dir.path().join("bad.toml"), "a = [1,\nb = 2\n").expect("write");
    let listing = |d: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = listing(dir.path());

    let (status, out, err) = run(
        dir.path(),
        &["spec", "fmt", "--check", "messy.toml", "clean.toml"],
    );
    assert_eq!(status, 1);
    assert_eq!(out, "messy.toml: would be reformatted\nclean.toml: ok\n");
    assert_eq!(
        err,
        "error: 1 of 2 files would be reformatted (`spec fmt` without --check rewrites them)\n"
    );
    let read = |n: &str| std::fs::read_to_string(dir.path().join(n)).expect("read");
    assert_eq!(read("messy.toml"), messy);

    // A TOML error: file:line:col, nothing written, exit status 1.
    let (status, out, err) = run(dir.path(), &["spec", "fmt", "bad.toml", "messy.toml"]);
    assert_eq!(status, 1);
    assert_eq!(out, "messy.toml: formatted\n");
    assert!(err.starts_with("error: bad.toml:2:1: "), "{err}");
    assert!(
        err.ends_with("error: 1 of 2 files could not be formatted\n"),
        "{err}"
    );
    assert_eq!(read("messy.toml"), clean);
    assert_eq!(read("bad.toml"), "a = [1,\nb = 2\n");
    assert_eq!(listing(dir.path()), before, "no other file is written");

    // A shipped name is no file to rewrite.
    let (status, _, err) = run(dir.path(), &["spec", "fmt", "v05_external"]);
    assert_eq!(status, 1);
    assert!(err.contains("not a file"), "{err}");
}

#[test]
fn spec_diff_names_each_key_that_differs() {
    let repo = common::repo(".");
    let (status, out, err) = run(
        &repo,
        &["spec", "diff", "v06_external", "rulesets/v06_external.toml"],
    );
    assert_eq!((status, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "v06_external and rulesets/v06_external.toml: the same spec\n"
    );

    let (status, out, err) = run(
        &repo,
        &[
            "spec",
            "diff",
            "rulesets/v05_external.toml",
            "rulesets/v06_external.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(status, 1);
    assert_eq!(
        err,
        format!("error: the specs differ in {} keys\n", {
            let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
            doc["keys"].as_array().expect("keys").len()
        })
    );
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let validator = jsonschema::validator_for(
        &serde_json::from_str(&schemas::text("spec-diff").expect("schema")).expect("JSON"),
    )
    .expect("schema compiles");
    assert!(validator.is_valid(&doc));
    let key = |k: &str| {
        (doc["keys"].as_array().expect("keys").iter())
            .find(|c| c["key"] == k)
            .unwrap_or_else(|| panic!("no {k} in {doc}"))
            .clone()
    };
    assert_eq!(key("expect.studies")["a"], "5");
    assert_eq!(key("expect.studies")["b"], "3");
    assert_eq!(
        key("workloads.held_out.wmt_glu_tanh")["b"],
        serde_json::Value::Null
    );
    // v0.6 keeps v0.5's second step (`all := …`, as `spec fmt` writes it:
    // `4 * best`) and drops the two held-out steps around it: the steps
    // are aligned, so the kept one is no change and each dropped one
    // carries its index in A.
    assert_eq!(key("rules.steps[0]")["kind"], "formula");
    assert_eq!(
        key("rules.steps[0]")["a"],
        "held_out := inf where not finite(base)"
    );
    assert_eq!(key("rules.steps[0]")["b"], serde_json::Value::Null);
    assert_eq!(
        key("rules.steps[2]")["a"],
        "base := inf where not finite(held_out)"
    );
    assert_eq!(key("rules.steps[2]")["b"], serde_json::Value::Null);
    let keys = doc["keys"].as_array().expect("keys");
    assert!(
        !keys.iter().any(|c| c["key"] == "rules.steps[1]"),
        "the kept step is no change: {doc}"
    );
    // The budgets the two targets files give, read here from the files.
    let budget = |file: &str| -> f64 {
        let t: toml::Value =
            toml::from_str(&std::fs::read_to_string(repo.join(file)).expect("targets"))
                .expect("TOML");
        t["workloads"]["wmt"]["budget"]
            .as_float()
            .or_else(|| {
                t["workloads"]["wmt"]["budget"]
                    .as_integer()
                    .map(|i| i as f64)
            })
            .expect("budget")
    };
    let (a, b) = (
        budget("targets/algoperf_v05.toml"),
        budget("targets/algoperf_v06.toml"),
    );
    assert_ne!(a, b);
    let wmt = key("targets.wmt");
    assert!(
        wmt["a"]
            .as_str()
            .expect("a")
            .contains(&format!("budget {a:?} s")),
        "{wmt}"
    );
    assert!(
        wmt["b"]
            .as_str()
            .expect("b")
            .contains(&format!("budget {b:?} s")),
        "{wmt}"
    );
    // Keys the specs share with the same value are not listed.
    assert!(!out.contains("\"columns.time\""));
}

#[test]
fn spec_diff_with_scores_shows_what_compare_shows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tree = dir.path().join("board").display().to_string();
    let (status, _, err) = run(
        dir.path(),
        &[
            "synth",
            "--submissions",
            "3",
            "--seed",
            "2",
            "--studies",
            "2",
            "--trials",
            "2",
            "--out",
            &tree,
        ],
    );
    assert_eq!(status, 0, "{err}");
    let repo = common::repo(".");
    let fastest = repo
        .join("examples/v05_external_fastest.toml")
        .display()
        .to_string();
    let (status, out, _) = run(
        &repo,
        &[
            "spec",
            "diff",
            "v05_external",
            &fastest,
            "--scores",
            &tree,
            "--format",
            "json",
        ],
    );
    assert_eq!(status, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let (status, compared, err) = run(
        &repo,
        &[
            "compare",
            "--spec",
            "v05_external",
            "--spec",
            &fastest,
            "--submissions",
            &tree,
            "--format",
            "json",
        ],
    );
    assert_eq!(status, 0, "{err}");
    let compared: serde_json::Value = serde_json::from_str(&compared).expect("JSON");
    assert_eq!(doc["scores"], compared);
    assert_eq!(doc["keys"].as_array().map(Vec::len), Some(1));
    // The text: the keys, then compare's table.
    let (_, text, _) = run(
        &repo,
        &["spec", "diff", "v05_external", &fastest, "--scores", &tree],
    );
    let (_, table, _) = run(
        &repo,
        &[
            "compare",
            "--spec",
            "v05_external",
            "--spec",
            &fastest,
            "--submissions",
            &tree,
        ],
    );
    assert!(text.ends_with(&format!("\n{table}")), "{text}");
    assert!(text.contains("  aggregate.study: pick(trials, by = eval_index, then = time) → pick(trials, by = time)\n"), "{text}");
}

/// The schema of spec files, compiled.
fn spec_validator() -> jsonschema::Validator {
    let text = schemas::text("spec").expect("spec schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn as_json(text: &str) -> serde_json::Value {
    toml::from_str(text).expect("TOML")
}

#[test]
fn every_shipped_spec_validates_against_the_schema_and_names_it() {
    let validator = spec_validator();
    let specs: Vec<PathBuf> = (shipped_files().into_iter())
        .filter(|p| {
            !p.to_string_lossy().contains("tests") && !p.to_string_lossy().contains("targets")
        })
        .collect();
    assert!(specs.len() >= 7, "{specs:?}");
    for path in specs {
        let text = std::fs::read_to_string(&path).expect("read");
        let errors: Vec<String> = (validator.iter_errors(&as_json(&text)))
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {}",
            path.display(),
            errors.join("\n")
        );
        // The directive taplo reads, among the first comment lines, naming
        // a schema file that exists.
        let directive = (text.lines())
            .take_while(|l| l.starts_with('#'))
            .find_map(|l| l.strip_prefix("#:schema "))
            .unwrap_or_else(|| panic!("{}: no #:schema directive", path.display()));
        let named = path.parent().expect("folder").join(directive);
        assert_eq!(
            named.canonicalize().expect("the schema file"),
            common::repo("schema/spec.schema.json")
                .canonicalize()
                .expect("schema")
        );
        // And the spec loads as before (the directive is a comment).
        spec::load(&path).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn broken_specs_fail_the_schema() {
    let validator = spec_validator();
    let v05 = std::fs::read_to_string(common::repo("rulesets/v05_external.toml")).expect("read");
    assert!(validator.is_valid(&as_json(&v05)));
    let broken = [
        ("an unknown table", format!("{v05}\n[extra]\nx = 1\n")),
        ("a missing table", v05.replace("[expect]", "[expected]")),
        (
            "a wrong type",
            v05.replace("studies = 5", "studies = \"five\""),
        ),
        (
            "an unknown key",
            v05.replace("frameworks = [", "framework = ["),
        ),
        (
            "a group without pool",
            v05.replace(
                "{ name = \"ogbg\", pool = [\"ogbg_gelu\", \"ogbg_silu\", \"ogbg_model_size\"] }",
                "{ name = \"ogbg\" }",
            ),
        ),
    ];
    for (what, text) in broken {
        assert!(!validator.is_valid(&as_json(&text)), "{what} passes");
    }
    // A spec that extends another may leave out every table and key…
    let child = as_json("extends = \"v05_external.toml\"\n[expect]\nstudies = 3\n");
    assert!(validator.is_valid(&child));
    // …but not misspell one.
    let child = as_json("extends = \"v05_external.toml\"\n[expect]\nstudy = 3\n");
    assert!(!validator.is_valid(&child));
    // Without `extends`, one table alone is not a spec.
    assert!(!validator.is_valid(&as_json("[expect]\nstudies = 3\n")));
}
