//! Specs by name: the published rulesets and targets are inside the binary,
//! so `--spec v05_external` works from any folder, with no `rulesets/`.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{cell, close, data_dir, read_csv, repo};

fn engine_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run algoperf-engine")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_shipped_name_scores_v05_from_an_empty_folder_as_the_golden_scores() {
    let Some(data) = data_dir() else { return };
    let empty = tempfile::tempdir().unwrap();
    let logs = data.join("logs/v05/external_tuning");
    let o = engine_in(
        empty.path(),
        &[
            "--spec",
            "v05_external",
            "--submissions",
            logs.to_str().unwrap(),
            "--output-dir",
            "out",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (_, ours) = read_csv(&empty.path().join("out/scores.csv"));
    let (_, golden) = read_csv(&data.join("golden/v05_external/compatible/scores.csv"));
    assert_eq!(ours.len(), golden.len());
    for g in &golden {
        let o = ours
            .iter()
            .find(|r| r[0] == g[0])
            .unwrap_or_else(|| panic!("{} not scored", g[0]));
        assert!(
            close(cell(&o[1]), cell(&g[1]), 1e-12),
            "{}: {} vs golden {}",
            g[0],
            o[1],
            g[1]
        );
    }
    let manifest =
        std::fs::read_to_string(empty.path().join("out/algoperf-manifest.json")).unwrap();
    assert!(
        manifest.contains("\"builtin:/targets/algoperf_v05.toml\""),
        "{manifest}"
    );
}

#[test]
fn spec_list_names_every_shipped_ruleset_with_its_description() {
    let empty = tempfile::tempdir().unwrap();
    let o = engine_in(empty.path(), &["spec", "list"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    for e in std::fs::read_dir(repo("rulesets")).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            continue; // rulesets/tests: the specs' own tests
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name.as_str()))
            .unwrap_or_else(|| panic!("{name} not listed:\n{out}"));
        assert!(line.len() > name.len() + 10, "no description: {line}");
    }
}

#[test]
fn spec_show_prints_the_shipped_text() {
    let empty = tempfile::tempdir().unwrap();
    for (name, file) in [
        ("v06_self", "rulesets/v06_self.toml"),
        ("targets/algoperf_v05", "targets/algoperf_v05.toml"),
    ] {
        let o = engine_in(empty.path(), &["spec", "show", name]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert_eq!(
            text(&o.stdout),
            std::fs::read_to_string(repo(file)).unwrap()
        );
    }
}

#[test]
fn a_shipped_ruleset_explains_and_checks_by_name_from_anywhere() {
    let empty = tempfile::tempdir().unwrap();
    let o = engine_in(empty.path(), &["spec", "explain", "v06_self"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("builtin:/targets/algoperf_v06.toml"));
    let o = engine_in(
        empty.path(),
        &["spec", "check", "v05_self", "latest_external"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn a_path_still_works_and_its_provenance_path_is_clean() {
    let o = engine_in(
        &repo(""),
        &["spec", "explain", "rulesets/v05_external.toml"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("Targets: targets/algoperf_v05.toml"), "{out}");
}

#[test]
fn a_name_that_is_neither_lists_the_shipped_names_with_a_did_you_mean() {
    let empty = tempfile::tempdir().unwrap();
    let o = engine_in(empty.path(), &["--spec", "v06_slef", "--submissions", "."]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("did you mean `v06_self`"), "{err}");
    assert!(err.contains("v05_external, v05_self"), "{err}");
    let o = engine_in(empty.path(), &["spec", "show", "v05_externl"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("did you mean `v05_external`"));
}
