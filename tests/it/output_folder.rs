//! The output folder holds one run (README "Output folder and hostile
//! input"): a manifest beside the outputs, a rerun removes what the previous
//! run wrote and this one does not, a file the engine did not write is never
//! removed, and a run killed at any moment leaves the complete earlier run or
//! the complete new one.

use crate::fixtures;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use algoperf_engine::report::files::{self, MANIFEST, STORE};
use fixtures::Tree;
use rand::{Rng, SeedableRng};

/// The output folder's files, with their bytes. Every entry besides the
/// engine's store must be a plain regular file: no link, no temporary file
/// of another kind.
fn readable(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut view = BTreeMap::new();
    for entry in std::fs::read_dir(out).expect("read_dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == STORE {
            continue;
        }
        let kind = entry.file_type().expect("file type");
        assert!(kind.is_file(), "{name}: not a regular file ({kind:?})");
        view.insert(name, std::fs::read(entry.path()).expect("read"));
    }
    view
}

/// Folders a run builds beside `out` (left only by a killed run).
fn leftovers(out: &Path) -> Vec<String> {
    let prefix = format!(
        ".{}.algoperf-",
        out.file_name().expect("name").to_string_lossy()
    );
    std::fs::read_dir(out.parent().expect("parent"))
        .expect("read_dir parent")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect()
}

/// The store holds the lock (and, after a kill right after a swap, the
/// marker of a folder being built); after a complete run nothing is left
/// beside the output folder.
fn store_is_tidy(out: &Path, after_a_kill: bool) {
    let allowed: &[&str] = if after_a_kill {
        &["lock", "building"]
    } else {
        &["lock"]
    };
    let entries: Vec<String> = std::fs::read_dir(out.join(STORE))
        .expect("read_dir store")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    for e in &entries {
        assert!(allowed.contains(&e.as_str()), "store holds {entries:?}");
    }
    if !after_a_kill {
        assert_eq!(entries, ["lock"], "store holds {entries:?}");
        assert_eq!(leftovers(out), Vec::<String>::new());
    }
}

fn two_submissions() -> Tree {
    let t = Tree::new();
    t.submission("a", 100.0, 100.0)
        .submission("b", 200.0, 150.0);
    t
}

fn names(view: &BTreeMap<String, Vec<u8>>) -> Vec<&str> {
    view.keys().map(String::as_str).collect()
}

#[test]
fn a_run_writes_a_manifest_of_its_files_and_two_runs_are_identical() {
    let t = two_submissions();
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    t.cli(&["--output-dir", &out_arg]).expect("first run");
    let first = readable(&out);
    let manifest: serde_json::Value =
        serde_json::from_slice(&first[MANIFEST]).expect("manifest is JSON");
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    let mut written: Vec<&str> = names(&first)
        .into_iter()
        .filter(|n| *n != MANIFEST)
        .collect();
    written.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, written);
    for f in manifest["files"].as_array().expect("files") {
        let name = f["name"].as_str().expect("name");
        assert_eq!(f["bytes"], first[name].len());
        assert_eq!(f["sha256"], files::sha256_hex(&first[name]));
    }
    let (spec_path, _) = t.spec();
    assert_eq!(
        manifest["spec"]["path"],
        spec_path.to_string_lossy().as_ref()
    );
    assert_eq!(
        manifest["spec"]["sha256"],
        files::sha256_hex(&std::fs::read(&spec_path).expect("spec"))
    );
    assert_eq!(manifest["input_kind"], "submissions");
    assert_eq!(manifest["input"], t.subs().to_string_lossy().as_ref());
    assert_eq!(
        manifest["engine"],
        format!("algoperf-engine {}", env!("CARGO_PKG_VERSION"))
    );

    // No clock time: the same run again writes the same bytes.
    t.cli(&["--output-dir", &out_arg]).expect("second run");
    assert_eq!(readable(&out), first);
    store_is_tidy(&out, false);
}

#[test]
fn rescoring_a_subset_removes_the_other_submissions_files() {
    let t = two_submissions();
    t.submission("c", 50.0, 50.0);
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    t.cli(&["--output-dir", &out_arg]).expect("full run");
    assert!(readable(&out).contains_key("c_summary.csv"));
    // A file of the user's, and one put in place of an output's link.
    std::fs::write(out.join("notes.txt"), "mine").expect("write");
    std::fs::remove_file(out.join("b_summary.csv")).expect("rm link");
    std::fs::write(out.join("b_summary.csv"), "my copy").expect("write");

    t.cli(&["--output-dir", &out_arg, "--include", "a"])
        .expect("subset");
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            STORE,
            "a_summary.csv",
            MANIFEST,
            "b_summary.csv",
            "notes.txt",
            "performance_profile.png",
            "performance_profile.svg",
            "performance_profile_score.csv",
            "scores.csv",
            "time_to_targets.csv",
        ]
    );
    assert_eq!(std::fs::read(out.join("notes.txt")).expect("read"), b"mine");
    assert_eq!(
        std::fs::read(out.join("b_summary.csv")).expect("read"),
        b"my copy"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("scores.csv")).expect("read"),
        "submission,score\na,1.0\n"
    );
    store_is_tidy(&out, false);
}

#[test]
fn a_users_file_at_an_output_name_is_refused_and_kept() {
    // Issue 26 item 4: `rm out/scores.csv; echo mine > out/scores.csv` was
    // silently replaced. The run now fails naming the file, and changes
    // nothing.
    let t = two_submissions();
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    t.cli(&["--output-dir", &out_arg]).expect("first run");
    std::fs::remove_file(out.join("scores.csv")).expect("rm");
    std::fs::write(out.join("scores.csv"), "mine\n").expect("write");
    let before = readable(&out);
    t.submission("b", 50.0, 50.0);
    let err = t.cli(&["--output-dir", &out_arg]).expect_err("refused");
    assert_eq!(
        err,
        format!(
            "{}: cannot write output: a file the engine did not write (not as the folder's manifest lists it) has this output's name; move or remove it",
            out.canonicalize().expect("canon").join("scores.csv").display()
        )
    );
    assert_eq!(readable(&out), before);
    store_is_tidy(&out, false);
    // A folder that never held a run: the same.
    let fresh = t.dir.path().join("fresh");
    std::fs::create_dir_all(&fresh).expect("mkdir");
    std::fs::write(fresh.join("time_to_targets.csv"), "old").expect("write");
    t.cli(&["--output-dir", &fresh.to_string_lossy()])
        .expect_err("refused");
    assert_eq!(
        std::fs::read(fresh.join("time_to_targets.csv")).expect("read"),
        b"old"
    );
    assert!(!fresh.join("scores.csv").exists());
}

#[test]
fn outputs_are_plain_files_that_cp_and_zip_copy_as_files() {
    // Issue 26 item 8: every output was a symlink into the store.
    let t = two_submissions();
    let out = t.dir.path().join("out");
    t.cli(&["--output-dir", &out.to_string_lossy()])
        .expect("run");
    let view = readable(&out);
    assert!(view.len() >= 7, "{:?}", names(&view));
    let copy = t.dir.path().join("copy");
    let status = Command::new("cp")
        .arg("-r")
        .arg(&out)
        .arg(&copy)
        .status()
        .expect("cp");
    assert!(status.success());
    assert_eq!(readable(&copy), view);
}

#[test]
fn a_store_that_is_a_link_is_refused() {
    // A planted link would make the run write wherever it points.
    let t = two_submissions();
    let out = t.dir.path().join("out");
    let elsewhere = t.dir.path().join("elsewhere");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    std::os::unix::fs::symlink(&elsewhere, out.join(STORE)).expect("symlink");
    let err = t
        .cli(&["--output-dir", &out.to_string_lossy()])
        .expect_err("refused");
    assert_eq!(
        err,
        format!(
            "{}: cannot write output: not a folder this engine made (a file or a link); remove it",
            out.join(STORE).display()
        )
    );
    assert_eq!(std::fs::read_dir(&elsewhere).expect("ls").count(), 0);
}

// --- kill -9 at random moments ---------------------------------------------

/// A tree of `n` submissions named `<prefix><i>`, so that two trees write
/// different sets of file names.
fn tree(prefix: &str, n: usize, speed: f64) -> Tree {
    let t = Tree::new();
    for i in 0..n {
        let x = 100.0 + speed * i as f64;
        t.submission(&format!("{prefix}{i}"), x, 2.0 * x);
    }
    t
}

fn command(t: &Tree, out: &Path) -> Command {
    let (spec, _) = t.spec();
    let mut c = Command::new(env!("CARGO_BIN_EXE_algoperf-engine"));
    c.arg("--spec")
        .arg(spec)
        .arg("--submissions")
        .arg(t.subs())
        .arg("--output-dir")
        .arg(out)
        .arg("--threads")
        .arg("1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Runs `t` into a fresh folder: the view a complete run leaves, and how
/// long the run took.
fn reference(t: &Tree, out: &Path) -> (BTreeMap<String, Vec<u8>>, Duration) {
    let start = Instant::now();
    let status = command(t, out).status().expect("run");
    let took = start.elapsed();
    assert!(status.success());
    (readable(out), took)
}

#[test]
fn a_run_killed_at_any_moment_leaves_one_complete_run() {
    let scratch = tempfile::tempdir().expect("tempdir");
    // The two runs share some names (scores.csv, s0_summary.csv …) and not
    // others (s11_summary.csv, t0_summary.csv …), with different bytes.
    let trees = [tree("s", 12, 7.0), tree("t", 8, 13.0)];
    let mut views = Vec::new();
    let mut took = Duration::ZERO;
    for (i, t) in trees.iter().enumerate() {
        let (view, d) = reference(t, &scratch.path().join(format!("ref{i}")));
        views.push(view);
        took = took.max(d);
    }
    assert_ne!(names(&views[0]), names(&views[1]));

    let out: PathBuf = scratch.path().join("out");
    assert!(command(&trees[0], &out).status().expect("run").success());
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    // Kill delays are drawn up to a horizon that follows the run's length:
    // shortened when the run had finished, lengthened when not, so that
    // about a third of the kills come after the end and most land late in
    // the run, where it writes, whatever the machine's load.
    let mut horizon = took.as_micros() as u64 * 5 / 4;
    let (mut old, mut new, mut mid) = (0, 0, 0);
    let mut holds = 0;
    for i in 0..120 {
        let next = (i + 1) % 2;
        let mut child = command(&trees[next], &out).spawn().expect("spawn");
        std::thread::sleep(Duration::from_micros(rng.gen_range(0..horizon)));
        if child.try_wait().is_ok_and(|s| s.is_some()) {
            horizon = horizon * 9 / 10;
        } else {
            horizon = horizon * 21 / 20;
        }
        if i % 3 == 2 {
            // SIGTERM (its default action) ends the run as abruptly.
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
        } else {
            let _ = child.kill();
        }
        let _ = child.wait();
        let view = readable(&out);
        assert!(
            view == views[0] || view == views[1],
            "kill {i}: a mix of runs: {:?}",
            names(&view)
        );
        store_is_tidy(&out, true);
        if view == views[next] {
            new += 1;
        } else {
            old += 1;
        }
        let left = !leftovers(&out).is_empty()
            || std::fs::read_dir(out.join(STORE)).expect("ls").count() > 1;
        mid += usize::from(left);
        holds = usize::from(view == views[0]);
    }
    eprintln!("120 kills (SIGKILL, every third SIGTERM): {old} left the earlier run, {new} the new one, {mid} mid-write");
    assert!(
        old > 0 && new > 0,
        "the kills must land both before and after the commit"
    );
    // The next complete run clears whatever the kills left.
    let next = 1 - holds;
    assert!(command(&trees[next], &out).status().expect("run").success());
    assert_eq!(readable(&out), views[next]);
    assert_eq!(
        std::fs::read_dir(&out).expect("ls").count(),
        views[next].len() + 1
    );
    store_is_tidy(&out, false);
}

// --- two runs at once ---------------------------------------------------------

#[test]
fn runs_into_one_folder_at_once_take_turns() {
    // Issue 26 item 2: of 30 pairs started together, 17 broke the folder (7
    // without a manifest, 6 mixed with both runs exiting 0). Each pair now
    // ends with the folder holding exactly one run's files, as its manifest
    // lists them, and both runs succeed (the second waits).
    let scratch = tempfile::tempdir().expect("tempdir");
    let trees = [tree("s", 12, 7.0), tree("t", 8, 13.0)];
    let views: Vec<_> = trees
        .iter()
        .enumerate()
        .map(|(i, t)| reference(t, &scratch.path().join(format!("ref{i}"))).0)
        .collect();
    let out = scratch.path().join("out");
    let mut last = [0, 0];
    for pair in 0..30 {
        let mut children: Vec<_> = [pair % 2, 1 - pair % 2]
            .into_iter()
            .map(|i| command(&trees[i], &out).spawn().expect("spawn"))
            .collect();
        for child in &mut children {
            assert!(child.wait().expect("wait").success(), "pair {pair}");
        }
        let view = readable(&out);
        let which = views.iter().position(|v| *v == view);
        let Some(which) = which else {
            panic!("pair {pair}: not one run's folder: {:?}", names(&view));
        };
        last[which] += 1;
        manifest_lists_the_folder(&view);
        store_is_tidy(&out, false);
    }
    eprintln!(
        "30 pairs: the folder held run s {} times, run t {} times",
        last[0], last[1]
    );
}

/// The manifest lists every other file of the folder, with its size and
/// SHA-256.
fn manifest_lists_the_folder(view: &BTreeMap<String, Vec<u8>>) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&view[MANIFEST]).expect("manifest is JSON");
    let listed = manifest["files"].as_array().expect("files");
    assert_eq!(listed.len() + 1, view.len());
    for f in listed {
        let name = f["name"].as_str().expect("name");
        assert_eq!(f["sha256"], files::sha256_hex(&view[name]), "{name}");
    }
}

#[test]
fn no_wait_fails_while_another_run_writes() {
    let t = two_submissions();
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    t.cli(&["--output-dir", &out_arg]).expect("first run");
    let before = readable(&out);
    // Hold the folder's lock as a run would.
    let lock = std::fs::File::open(out.join(STORE).join("lock")).expect("lock");
    // SAFETY: flock on a file this test opened.
    let rc = unsafe { libc_flock(std::os::unix::io::AsRawFd::as_raw_fd(&lock)) };
    assert_eq!(rc, 0);
    t.submission("b", 50.0, 50.0);
    let err = t
        .cli(&["--output-dir", &out_arg, "--no-wait"])
        .expect_err("busy");
    assert_eq!(
        err,
        format!(
            "{}: cannot write output: another run is writing this folder (--no-wait)",
            out.canonicalize().expect("canon").display()
        )
    );
    assert_eq!(readable(&out), before);
    drop(lock);
    t.cli(&["--output-dir", &out_arg, "--no-wait"])
        .expect("free again");
    assert_ne!(readable(&out), before);
}

extern "C" {
    fn flock(fd: i32, operation: i32) -> i32;
}

/// `flock(fd, LOCK_EX | LOCK_NB)`.
unsafe fn libc_flock(fd: i32) -> i32 {
    const LOCK_EX: i32 = 2;
    const LOCK_NB: i32 = 4;
    flock(fd, LOCK_EX | LOCK_NB)
}

// --- killed runs leave the user's files ----------------------------------------

#[test]
fn a_users_files_survive_every_run_and_a_kill() {
    let t = two_submissions();
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    t.cli(&["--output-dir", &out_arg]).expect("first run");
    std::fs::write(out.join("notes.txt"), "mine").expect("write");
    std::fs::create_dir_all(out.join("drafts/deep")).expect("mkdir");
    std::fs::write(out.join("drafts/deep/x.md"), "draft").expect("write");
    // What a run killed right after its swap leaves: the earlier folder,
    // with a file of the user's, beside the output folder.
    let aside = t.dir.path().join(".out.algoperf-Killed01");
    std::fs::create_dir_all(aside.join(STORE)).expect("mkdir");
    std::fs::write(aside.join("rescued.txt"), "was in the old folder").expect("write");
    t.submission("b", 50.0, 50.0);
    t.cli(&["--output-dir", &out_arg]).expect("second run");
    assert_eq!(std::fs::read(out.join("notes.txt")).expect("read"), b"mine");
    assert_eq!(
        std::fs::read(out.join("drafts/deep/x.md")).expect("read"),
        b"draft"
    );
    assert_eq!(
        std::fs::read(out.join("rescued.txt")).expect("read"),
        b"was in the old folder"
    );
    store_is_tidy(&out, false);
}

// --- immutable files (chattr +i) --------------------------------------------

/// Makes `path` immutable until dropped; `None` where `chattr` cannot.
struct Immutable(PathBuf);

impl Immutable {
    fn new(path: &Path) -> Option<Self> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn an_immutable_file_never_leaves_a_mix() {
    // Regression: with one output immutable, the run exited 1 after
    // replacing scores.csv: a folder of two runs.
    let t = two_submissions();
    let out = t.dir.path().join("out");
    let out_arg = out.to_string_lossy().into_owned();
    t.cli(&["--output-dir", &out_arg]).expect("first run");
    let first = readable(&out);

    // An output of the current run that cannot be removed: the new run is
    // swapped in whole, and the old folder, which still holds the file, is
    // kept beside it until the file can go.
    let Some(lock) = Immutable::new(&out.join("b_summary.csv")) else {
        eprintln!("skipped: chattr +i is not available here");
        return;
    };
    t.submission("b", 50.0, 50.0).submission("c", 60.0, 60.0);
    t.cli(&["--output-dir", &out_arg]).expect("second run");
    let second = readable(&out);
    assert_ne!(second, first);
    assert!(second.contains_key("c_summary.csv"));
    manifest_lists_the_folder(&second);
    let kept = leftovers(&out);
    assert_eq!(kept.len(), 1, "{kept:?}");
    let old = t.dir.path().join(&kept[0]).join("b_summary.csv");
    drop(lock);
    let _ = Immutable(old.clone());
    // The next run clears it.
    t.submission("a", 20.0, 20.0);
    t.cli(&["--output-dir", &out_arg]).expect("third run");
    store_is_tidy(&out, false);
}
