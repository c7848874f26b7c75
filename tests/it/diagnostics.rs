//! The one diagnostics model across commands: a run's warning reads the
//! same in `score`'s warnings and in `check`'s terminal and JSON outputs,
//! with the one code the run gives it (and Python names its category
//! after); the GitHub annotation of every kind of diagnostic — a spec
//! error, a spec warning, a run's warning (at a file, at a place), a
//! `check` finding — escapes as GitHub's toolkit does.

use std::path::Path;
use std::process::Command;

use algoperf_engine::check::Finding;
use algoperf_engine::diagnostics::codes::Code;
use algoperf_engine::diagnostics::model::Diagnostic;
use algoperf_engine::diagnostics::{Level, Warning};
use algoperf_engine::error::spec::SpecError;
use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};

use crate::fixtures::Tree;

/// The binary's stdout, stderr and exit status.
fn bin(args: &[&str]) -> (String, String, Option<i32>) {
    let o = Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code(),
    )
}

#[track_caller]
fn has_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l == line),
        "no line\n{line}\nin\n{text}"
    );
}

/// A stray file (a warning at a file) and a trial whose time goes
/// backwards (a warning at a file and line, scored in file order): `score`
/// warns about both and scores; `check` reports both, in the same words at
/// the same place, and its JSON finding is the run's own diagnostic.
#[test]
fn a_run_warning_reads_the_same_in_score_and_check() {
    let t = Tree::new();
    t.submission("a", 100.0, 100.0)
        .submission("b", 200.0, 200.0);
    t.write("a/notes.txt", "x");
    t.trial(
        "b",
        "study_0",
        "alpha_jax",
        "trial_1",
        &[(200.0, 3.0), (100.0, 0.9)],
    );
    let (spec_path, spec) = t.spec();
    let subs = t.subs();
    let (spec_arg, subs_arg) = (
        spec_path.to_str().expect("utf-8"),
        subs.to_str().expect("utf-8"),
    );
    let stray = subs.join("a/notes.txt").display().to_string();
    let trial = subs.join(Tree::rel("b", "alpha_jax")).display().to_string();
    // What each warning says, and where: the tree above decides it.
    let said = [
        (
            "stray-entry",
            stray.clone(),
            None,
            "file where a study folder is expected, ignored".to_string(),
        ),
        (
            "time-backwards",
            trial.clone(),
            Some(3),
            "`score` goes backwards".to_string(),
        ),
    ];

    let (_, stderr, status) = bin(&["--spec", spec_arg, "--submissions", subs_arg]);
    assert_eq!(status, Some(0), "{stderr}");
    has_line(
        &stderr,
        &format!("warning: file where a study folder is expected, ignored ({stray})"),
    );
    has_line(
        &stderr,
        &format!("warning: eval_measurements.csv whose `score` goes backwards, scored in file order ({trial}:3: `score` goes backwards)"),
    );

    let (terminal, _, status) = bin(&["check", "--spec", spec_arg, subs_arg]);
    assert_eq!(status, Some(1), "time-backwards is an error in check");
    let (json, _, _) = bin(&["check", "--spec", spec_arg, subs_arg, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let findings = doc["findings"].as_array().expect("findings");

    let ingested = run::read(&subs, &spec, &Options::default(), &Silent).expect("read");
    let warnings = ingested.warnings.items();
    for (code, file, line, message) in &said {
        let at = match line {
            Some(l) => format!("{file}:{l}"),
            None => file.clone(),
        };
        has_line(&terminal, &format!("  {at}: {message}"));
        assert!(
            terminal
                .lines()
                .any(|l| l.contains(&format!("[{code}] 1× "))),
            "{terminal}"
        );
        let found: Vec<&serde_json::Value> =
            findings.iter().filter(|f| f["code"] == *code).collect();
        assert_eq!(found.len(), 1, "{code}: {json}");
        assert_eq!(found[0]["file"], file.as_str());
        assert_eq!(found[0]["line"], serde_json::json!(line));
        assert_eq!(found[0]["message"], message.as_str());
        // The run's own warning, as the one model writes it, is the finding.
        let w = warnings
            .iter()
            .find(|w| w.code().name() == *code)
            .unwrap_or_else(|| panic!("the run has no {code} warning"));
        assert_eq!(
            serde_json::to_value(Diagnostic::from(*w)).expect("JSON"),
            *found[0]
        );
    }
}

/// GitHub's escaping, written out here: `%`, CR and LF in a message; those
/// and `:` and `,` in a property.
fn data(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[test]
fn github_annotations_escape_every_kind() {
    // A spec error, from a real spec file with an awkward name.
    let (_dir, variant) = crate::common::spec_variant(
        "rulesets/v05_external.toml",
        "linspace(1, 4, 100)",
        "linspace(1, 4)",
    );
    let path = variant.with_file_name("a,b:c%.toml");
    std::fs::rename(&variant, &path).expect("rename");
    let errors = algoperf_engine::spec::load(&path).expect_err("a bad spec");
    let e = &errors.0[0];
    assert!(e.line > 0, "{e}");
    assert_eq!(
        Diagnostic::from(e).github(),
        format!(
            "::error file={},line={},col={},title=spec-error::{}",
            property(&path.display().to_string()),
            e.line,
            e.column,
            data(&e.message)
        )
    );
    assert!(!property(&path.display().to_string()).contains([',', ':']));

    // A spec warning: a spec error's shape, its own code and severity.
    let text = "[rules]\nstep = \"x\"\n";
    let w = SpecError::at(
        Path::new("s,1:2.toml"),
        text,
        8,
        12,
        "never acts: 100%\r\nof it",
    );
    assert_eq!(
        w.as_warning().github(),
        "::warning file=s%2C1%3A2.toml,line=2,col=1,title=spec-warning::never acts: 100%25%0D%0Aof it"
    );

    // A run's warning at a file, and one at a place (led by the place:
    // message escaping only, `:` and `,` kept).
    let stray = Warning::StrayFile {
        path: "s/a,b:c/50%\n.txt".into(),
        expected: Level::Study,
    };
    assert_eq!(
        Diagnostic::from(&stray).github(),
        "::warning file=s/a%2Cb%3Ac/50%25%0A.txt,title=stray-entry::file where a study folder is expected, ignored"
    );
    let missed = Warning::ReferenceMissed {
        workload: "w,1:%\n".into(),
    };
    assert_eq!(
        Diagnostic::from(&missed).github(),
        "::warning title=reference-missed::w,1:%25%0A: the reference submission did not run this workload: nobody is solved on it"
    );

    // A check finding of check's own.
    let f = Finding::new(
        Code::InfoRuleset,
        "x,y:z/submission_info.yml",
        Some(3),
        "ruleset `a%b`\nis not the spec's".into(),
    );
    assert_eq!(
        f.github(),
        "::error file=x%2Cy%3Az/submission_info.yml,line=3,title=info-ruleset::ruleset `a%25b`%0Ais not the spec's"
    );
}

/// `spec check` writes a spec's errors through the one model in every
/// format: the terminal text it always printed, the model's JSON, the
/// model's annotations; the exit status is the same in all three.
#[test]
fn spec_check_writes_spec_errors_in_every_format() {
    let (_dir, bad) = crate::common::spec_variant(
        "rulesets/v05_external.toml",
        "linspace(1, 4, 100)",
        "linspace(1, 4)",
    );
    let good = crate::common::repo("rulesets/v05_external.toml");
    let errors = algoperf_engine::spec::load(&bad).expect_err("a bad spec");
    let (good, bad) = (
        good.to_str().expect("utf-8").to_string(),
        bad.to_str().expect("utf-8").to_string(),
    );

    let (out, err, status) = bin(&["spec", "check", &good, &bad]);
    assert_eq!(status, Some(1), "{err}");
    assert_eq!(out, format!("{good}: ok\n"));
    for e in &errors.0 {
        assert!(err.contains(&format!("{e}\n")), "{err}");
    }

    let (out, err, status) = bin(&["spec", "check", &good, &bad, "--format", "json"]);
    assert_eq!(status, Some(1), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        doc["files"],
        serde_json::json!([{"file": good, "ok": true}, {"file": bad, "ok": false}])
    );
    let want: Vec<serde_json::Value> = (errors.0.iter())
        .map(|e| serde_json::to_value(Diagnostic::from(e)).expect("JSON"))
        .collect();
    assert_eq!(doc["diagnostics"], serde_json::Value::Array(want.clone()));
    assert_eq!(doc["errors"], want.len());
    assert_eq!(doc["diagnostics"][0]["code"], "spec-error");
    assert!(doc["diagnostics"][0]["column"].is_u64());

    let (out, err, status) = bin(&["spec", "check", &good, &bad, "--format", "github"]);
    assert_eq!(status, Some(1), "{err}");
    let lines: String = (errors.0.iter())
        .map(|e| format!("{}\n", Diagnostic::from(e).github()))
        .collect();
    assert_eq!(out, lines);
    assert!(out.starts_with("::error file="), "{out}");
    assert!(err.contains("checked 2 spec file(s): 1 failed"), "{err}");
}
