//! The binary's `compat`: the reference's `score_submissions.py` flags run
//! as the main job, writing the files the reference writes (the pickle and
//! the PDF are the Python package's).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::{cell, close, data_dir, read_csv};

fn compat(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
        .arg("compat")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run algoperf-engine compat")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_references_end_to_end_invocation_writes_its_files_with_its_values() {
    let Some(data) = data_dir() else { return };
    let logs = data.join("logs/v05/external_tuning");
    let targets = data.join("targets/workload_targets_v05.json");
    let work = tempfile::tempdir().unwrap();
    let o = compat(
        work.path(),
        &[
            "--workload_targets",
            targets.to_str().unwrap(),
            "--submission_directory",
            logs.to_str().unwrap(),
            "--compute_performance_profiles",
            "--output_dir",
            "scoring_results",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = work.path().join("scoring_results");
    let written: BTreeSet<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let golden_dir = data.join("golden/v05_external/compatible");
    let golden: BTreeSet<String> = std::fs::read_dir(&golden_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, golden, "the reference's files, name by name");
    for name in [
        "scores.csv",
        "time_to_targets.csv",
        "performance_profile_score.csv",
    ] {
        let (_, ours) = read_csv(&out.join(name));
        let (_, theirs) = read_csv(&golden_dir.join(name));
        assert_eq!(ours.len(), theirs.len(), "{name}");
        for g in &theirs {
            let o = ours.iter().find(|r| r[0] == g[0]).expect("row");
            for (a, b) in o[1..].iter().zip(&g[1..]) {
                assert!(
                    close(cell(a), cell(b), 1e-12),
                    "{name} {}: {a} vs {b}",
                    g[0]
                );
            }
        }
    }
    assert!(std::fs::symlink_metadata(out.join("scores.csv"))
        .unwrap()
        .file_type()
        .is_file());
    assert!(stderr(&o).contains("performance_profile_by_score.pdf needs matplotlib"));
}

#[test]
fn include_and_exclude_select_as_the_reference_does() {
    let Some(data) = data_dir() else { return };
    let logs = data.join("logs/v05/external_tuning");
    let targets = data.join("targets/workload_targets_v05.json");
    let work = tempfile::tempdir().unwrap();
    let o = compat(
        work.path(),
        &[
            "--workload_targets",
            targets.to_str().unwrap(),
            "--submission_directory",
            logs.to_str().unwrap(),
            "--include_submissions",
            "baseline,amos,nadamp,not_there",
            "--exclude_submissions",
            "nadamp",
            "--output_dir",
            "out",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let written: BTreeSet<String> = std::fs::read_dir(work.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = ["amos_summary.csv", "baseline_summary.csv"]
        .map(String::from)
        .into();
    assert_eq!(written, expected);
}

#[test]
fn the_default_latest_targets_stop_on_the_workload_the_v05_logs_lack() {
    let Some(data) = data_dir() else { return };
    let logs = data.join("logs/v05/external_tuning");
    let work = tempfile::tempdir().unwrap();
    let o = compat(
        work.path(),
        &[
            "--submission_directory",
            logs.to_str().unwrap(),
            "--compute_performance_profiles",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("workload `finewebedu_lm`"),
        "{}",
        stderr(&o)
    );
    assert!(!work.path().join("scoring_results").exists());
}

#[test]
fn the_pickle_flags_point_to_the_python_package() {
    let work = tempfile::tempdir().unwrap();
    let o = compat(
        work.path(),
        &[
            "--submission_directory",
            ".",
            "--save_results_to_filename",
            "r.pkl",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Python package"), "{}", stderr(&o));
}

#[test]
fn colour_follows_the_terminal_and_the_color_flag() {
    let work = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_algoperf-engine"))
            .args(extra)
            .args(["--spec", "no_such_spec", "--submissions", "."])
            .current_dir(work.path())
            .output()
            .expect("run")
    };
    // Not a terminal: no escape sequences, even with colour asked of auto.
    let o = run(&[]);
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    assert!(!stderr(&o).contains('\u{1b}'));
    let o = run(&["--color", "never"]);
    assert!(!stderr(&o).contains('\u{1b}'));
    let o = run(&["--color", "always"]);
    assert!(stderr(&o).contains("\u{1b}["), "{:?}", stderr(&o));
}
