//! Every write path has the output folder's guard (issue 26 items 1 and 6):
//! never a file under the submissions tree, never an input of this run
//! (compared by device and inode, not path), every target checked before
//! any log is read, and nothing written when the run fails.

use crate::fixtures;

use std::path::Path;

use fixtures::Tree;

fn scored_tree() -> Tree {
    let t = Tree::new();
    t.submission("a", 100.0, 100.0)
        .submission("b", 200.0, 150.0)
        .submission("c", 300.0, 250.0);
    t
}

fn arg(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn trial_file(t: &Tree) -> std::path::PathBuf {
    t.subs().join(Tree::rel("a", "alpha_jax"))
}

#[test]
fn a_page_over_a_trial_file_is_refused() {
    let t = scored_tree();
    let trial = trial_file(&t);
    let before = std::fs::read(&trial).expect("read");
    let err = t.cli(&["--html", &arg(&trial)]).expect_err("refused");
    assert_eq!(
        err,
        format!(
            "{} is inside the submissions folder {}: it could overwrite a log, and would be read as one next time",
            trial.display(),
            t.subs().display()
        )
    );
    assert_eq!(std::fs::read(&trial).expect("read"), before);
}

/// The `stability` subcommand takes the input flags after its name.
fn run_sub(t: &Tree, sub: &str, extra: &[&str]) -> Result<(), String> {
    let (spec, _) = t.spec();
    let mut args = vec![sub.to_string(), "--spec".into(), arg(&spec)];
    args.extend(["--submissions".to_string(), arg(&t.subs())]);
    args.extend(extra.iter().map(|s| s.to_string()));
    fixtures::cli(&args)
}

#[test]
fn stability_plot_over_a_trial_file_is_refused() {
    let t = scored_tree();
    let trial = trial_file(&t);
    let before = std::fs::read(&trial).expect("read");
    let err = run_sub(&t, "stability", &["--plot", &arg(&trial)]).expect_err("refused");
    assert!(err.contains("is inside the submissions folder"), "{err}");
    assert_eq!(std::fs::read(&trial).expect("read"), before);
}

#[test]
fn a_cache_over_the_spec_or_targets_or_a_hard_link_of_them_is_refused() {
    let t = scored_tree();
    let (spec_path, spec) = t.spec();
    let link = t.dir.path().join("same-spec.toml");
    std::fs::hard_link(&spec_path, &link).expect("link");
    for (target, input, what) in [
        (&spec_path, &spec_path, "the spec"),
        (&spec.targets_path, &spec.targets_path, "the targets file"),
        // Another path to the spec: the path guard let it through.
        (&link, &spec_path, "the spec"),
    ] {
        let before = std::fs::read(target).expect("read");
        let err = t
            .cli(&["--save-results", &arg(target)])
            .expect_err("refused");
        assert_eq!(
            err,
            format!(
                "{}: cannot write output: {} is {what} of this run, an input",
                target.display(),
                input.display()
            )
        );
        assert_eq!(std::fs::read(target).expect("read"), before);
    }
}

#[test]
fn a_cache_is_never_written_over_the_cache_read() {
    let t = scored_tree();
    let cache = t.dir.path().join("c.bin");
    t.cli(&["--save-results", &arg(&cache)]).expect("save");
    let before = std::fs::read(&cache).expect("read");
    let (spec, _) = t.spec();
    let err = fixtures::cli(&[
        "--spec",
        &arg(&spec),
        "--load-results",
        &arg(&cache),
        "--include",
        "a,b",
        "--save-results",
        &arg(&cache),
    ])
    .expect_err("refused");
    assert!(
        err.contains("is the results cache of this run, an input"),
        "{err}"
    );
    let err = fixtures::cli(&[
        "report",
        "--spec",
        &arg(&spec),
        "--load-results",
        &arg(&cache),
        "--html",
        &arg(&cache),
    ])
    .expect_err("refused");
    assert!(
        err.contains("is the results cache of this run, an input"),
        "{err}"
    );
    assert_eq!(std::fs::read(&cache).expect("read"), before);
}

#[test]
fn an_output_folder_in_the_tree_through_a_bind_mount_is_refused() {
    let t = scored_tree();
    let mount = t.dir.path().join("mnt");
    std::fs::create_dir(&mount).expect("mkdir");
    let bound = std::process::Command::new("mount")
        .arg("--bind")
        .arg(t.subs())
        .arg(&mount)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !bound {
        eprintln!("skipped: mount --bind is not available here");
        return;
    }
    let out = mount.join("out");
    let page = mount.join("a").join("page.html");
    let results = [
        t.cli(&["--output-dir", &arg(&out)]),
        t.cli(&["--html", &arg(&page)]),
    ];
    let _ = std::process::Command::new("umount").arg(&mount).status();
    for r in results {
        assert!(r
            .expect_err("refused")
            .contains("is inside the submissions folder"));
    }
    assert!(!t.subs().join("out").exists());
    assert!(!t.subs().join("a/page.html").exists());
}

#[test]
fn nothing_is_written_when_the_run_fails() {
    // A strict failure after scoring: the cache was written, exit 1.
    let t = scored_tree();
    t.trial("d", "study_0", "alpha_jax", "trial_1", &[(10.0, 0.5)]);
    let cache = t.dir.path().join("c.bin");
    let out = t.dir.path().join("out");
    let page = t.dir.path().join("page.html");
    t.cli(&[
        "--strict",
        "--save-results",
        &arg(&cache),
        "--output-dir",
        &arg(&out),
        "--html",
        &arg(&page),
    ])
    .expect_err("strict");
    assert!(!cache.exists() && !out.exists() && !page.exists());

    // An --html that is a folder: all the outputs were written, exit 1.
    let t = scored_tree();
    let folder = t.dir.path().join("pages");
    std::fs::create_dir(&folder).expect("mkdir");
    let out = t.dir.path().join("out");
    let err = t
        .cli(&["--output-dir", &arg(&out), "--html", &arg(&folder)])
        .expect_err("a folder");
    assert_eq!(
        err,
        format!(
            "{}: cannot write output: a folder, not a file",
            folder.display()
        )
    );
    assert!(!out.exists());

    // --html-stability 0: the same.
    let err = t
        .cli(&[
            "--output-dir",
            &arg(&out),
            "--html",
            &arg(&page),
            "--html-stability",
            "0",
        ])
        .expect_err("zero");
    assert!(err.contains("--html-stability"), "{err}");
    assert!(!out.exists() && !page.exists());
}

#[test]
fn a_cache_in_a_missing_folder_fails_before_any_log_is_read() {
    let t = scored_tree();
    // A broken trial: if the logs were read, the error would be --strict's.
    t.write("b/study_0/alpha_jax/trial_1/eval_measurements.csv", "");
    let cache = t.dir.path().join("nodir").join("c.bin");
    let err = t
        .cli(&["--strict", "--save-results", &arg(&cache)])
        .expect_err("no folder");
    assert_eq!(
        err,
        format!(
            "{}: cannot write output: no folder {}",
            cache.display(),
            t.dir.path().join("nodir").display()
        )
    );
}

#[test]
fn the_library_writes_through_the_same_store_and_guard() {
    // Issue 26 item 5, the Rust side: the Python package's ScoreResult.write()
    // wrote through the store's links, with no guard; this is the call it
    // can make instead.
    use algoperf_engine::report::files;
    let t = scored_tree();
    let (_, spec) = t.spec();
    let outcome = t.run(false).expect("run");
    let plain: Vec<_> = outcome
        .files
        .iter()
        .filter(|(n, _)| n != files::MANIFEST)
        .cloned()
        .collect();
    let inside = t.subs().join("out");
    let err = files::write_outputs(&inside, &plain, &spec, "submissions", &t.subs())
        .expect_err("inside the tree");
    assert!(
        err.to_string().contains("is inside the submissions folder"),
        "{err}"
    );
    assert!(!inside.exists());
    let out = t.dir.path().join("out");
    files::write_outputs(&out, &plain, &spec, "submissions", &t.subs()).expect("write");
    // A command-line run into the same folder sees the library's files as
    // the engine's, and replaces them.
    t.submission("a", 50.0, 50.0);
    t.cli(&["--output-dir", &arg(&out)]).expect("cli run");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(files::MANIFEST)).expect("read"))
            .expect("json");
    assert_eq!(
        manifest["files"].as_array().expect("files").len() + 1,
        plain.len() + 1
    );
    assert!(out.join("scores.csv").is_file());
}
