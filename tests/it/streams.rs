//! Exit statuses and standard output, tested on the real binary: a reader
//! that closes standard output early (`| head`) or a closed stdout (`>&-`)
//! ends every command quietly with status 0; a full disk (`> /dev/full`) is
//! one error line and status 1; a usage error is status 2; one `error:`
//! prefix. README.md, section "Exit status", is the table these check.

use crate::fixtures;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use fixtures::Tree;

const EXE: &str = env!("CARGO_BIN_EXE_algoperf-engine");

/// A tree of two complete submissions (no warning) and an info folder.
fn tree() -> Tree {
    let t = Tree::new();
    t.submission("good", 100.0, 100.0)
        .submission("victim", 200.0, 200.0);
    std::fs::create_dir_all(t.dir.path().join("info")).expect("mkdir info");
    t
}

/// Every command and format, with the arguments that make it print on
/// standard output.
fn commands(t: &Tree) -> Vec<(&'static str, Vec<String>)> {
    let (spec, _) = t.spec();
    // speedup needs a [budget] table, which the fixture spec has not.
    let mut text = std::fs::read_to_string(&spec).expect("spec");
    text.push_str("\n[budget]\nfactor = 1\nmissed_extra_seconds = 1\n");
    std::fs::write(&spec, text).expect("write spec");
    let spec = spec.display().to_string();
    let subs = t.subs().display().to_string();
    let out = t.dir.path().join("out").display().to_string();
    let info = t.dir.path().join("info").display().to_string();
    let v05 = fixtures_repo("rulesets/v05_external.toml");
    let score = vec![
        "--spec".into(),
        spec.clone(),
        "--submissions".into(),
        subs.clone(),
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        let mut v = score.clone();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let args = |a: &[&str]| -> Vec<String> { a.iter().map(|s| s.to_string()).collect() };
    vec![
        ("table", score.clone()),
        ("json", with(&["--format", "json"])),
        (
            "json with outputs",
            with(&["--format", "json", "--output-dir", &out]),
        ),
        ("table with outputs", with(&["--output-dir", &out])),
        ("man", args(&["man"])),
        ("completions", args(&["completions", "bash"])),
        ("spec explain", args(&["spec", "explain", &v05])),
        ("spec check", args(&["spec", "check", &v05])),
        (
            "spec fmt --check",
            args(&[
                "spec",
                "fmt",
                "--check",
                &fixtures_repo("rulesets/v06_external.toml"),
            ]),
        ),
        ("spec diff", args(&["spec", "diff", &v05, &v05])),
        (
            "spec diff json",
            args(&["spec", "diff", &v05, &v05, "--format", "json"]),
        ),
        (
            "heldout sample",
            args(&["heldout", "sample", "--spec", &v05]),
        ),
        (
            "leaderboard",
            args(&[
                "leaderboard",
                "--spec",
                &spec,
                "--submissions",
                &subs,
                "--info-dir",
                &info,
            ]),
        ),
        (
            "speedup",
            args(&[
                "speedup",
                "--spec",
                &spec,
                "--submissions",
                &subs,
                "--base",
                "good",
                "--comparison",
                "victim",
            ]),
        ),
        (
            "explain",
            args(&[
                "explain",
                "--spec",
                &spec,
                "--submissions",
                &subs,
                "--submission",
                "victim",
                "--workload",
                "alpha",
            ]),
        ),
    ]
}

fn fixtures_repo(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

fn run(args: &[String], stdout: Stdio) -> Output {
    Command::new(EXE)
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs")
}

#[test]
fn every_command_prints_something() {
    let t = tree();
    for (name, args) in commands(&t) {
        let o = run(&args, Stdio::piped());
        assert_eq!(o.status.code(), Some(0), "{name}: {o:?}");
        assert!(!o.stdout.is_empty(), "{name} printed nothing");
    }
}

#[test]
fn a_pipe_closed_by_its_reader_ends_every_command_quietly() {
    let t = tree();
    for (name, args) in commands(&t) {
        // The read end is closed before the command starts: its first write
        // fails with a broken pipe, every time.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let o = run(&args, Stdio::from(writer));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{name}: {stderr}");
        assert!(!stderr.contains("error"), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let t = tree();
    for (name, args) in commands(&t) {
        let o = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" >&-")
            .arg(EXE)
            .args(&args)
            .stderr(Stdio::piped())
            .output()
            .expect("sh runs");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{name}: {stderr}");
        assert!(!stderr.contains("error"), "{name}: {stderr}");
    }
}

#[test]
fn a_full_disk_is_one_error_line() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipping: no /dev/full");
        return;
    }
    let t = tree();
    for (name, args) in commands(&t) {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let o = run(&args, Stdio::from(full));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {stderr}");
        let last = stderr.lines().last().unwrap_or_default();
        assert_eq!(
            last, "error: <stdout>: cannot write output: No space left on device (os error 28)",
            "{name}: {stderr}"
        );
        assert_eq!(stderr.matches("error: ").count(), 1, "{name}: {stderr}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let t = tree();
    let (spec, _) = t.spec();
    let spec = spec.display().to_string();
    for args in [
        vec!["--bogus".to_string()],
        vec!["--spec".into(), spec.clone()],
        vec!["--submissions".into(), t.subs().display().to_string()],
        vec!["completions".into(), "nosuchshell".into()],
    ] {
        let o = run(&args, Stdio::piped());
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
}

#[test]
fn scoring_errors_exit_1_with_one_error_prefix() {
    let t = tree();
    let missing = t.dir.path().join("nope.toml");
    let args = vec![
        "--spec".to_string(),
        missing.display().to_string(),
        "--submissions".into(),
        t.subs().display().to_string(),
    ];
    let o = run(&args, Stdio::piped());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!(
            "error: {}: cannot read: No such file or directory (os error 2)\n",
            missing.display()
        )
    );
    // A --strict failure: status 1, the first line says what, then details.
    t.write(
        "victim/study_0/alpha_jax/trial_1/eval_measurements.csv",
        "oops\n",
    );
    let mut strict = args.clone();
    strict[1] = t.spec().0.display().to_string();
    strict.push("--strict".into());
    let o = run(&strict, Stdio::piped());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: --strict: 2 problems:\n  "),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error").count(), 1, "{stderr}");
}

#[test]
fn the_man_page_and_help_show_the_exit_status_table() {
    for args in [vec!["man".to_string()], vec!["--help".to_string()]] {
        let o = run(&args, Stdio::piped());
        let text = String::from_utf8_lossy(&o.stdout).replace("\\-", "-");
        assert!(text.contains("Exit status:\n  0  success"), "{text}");
        assert!(text.contains("\n  1  scoring error: "), "{text}");
        assert!(
            text.contains("\n  2  usage error: the command line is wrong"),
            "{text}"
        );
    }
}
