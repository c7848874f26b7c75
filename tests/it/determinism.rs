//! The same tree gives the same bytes: with 1 or 2 reading threads, and
//! whatever order the file system lists entries in (the tree is built twice,
//! its files and folders created in different orders).

use crate::fixtures;

use std::path::Path;

use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use algoperf_engine::{spec, synth};
use rand::seq::SliceRandom;
use rand::SeedableRng;

/// A synthetic v0.5 tree (with its missing and diverged trials), plus a
/// re-run folder, broken files and stray entries, so that the warnings'
/// order is tested too.
fn files() -> Vec<(String, String)> {
    let spec = spec::load(&fixtures_repo("rulesets/v05_external.toml")).expect("spec");
    let mut opts = synth::Options::for_spec(&spec, 5, 11);
    opts.studies = 2;
    opts.trials = 3;
    opts.missing_trial = 0.05;
    opts.diverged = 0.1;
    let mut files = synth::generate(&spec, &opts);
    // A re-run of one study of the first submission, with an extra trial.
    let (first, text) = files[0].clone();
    let mut parts = first.splitn(2, '/');
    let sub = parts.next().expect("submission");
    let rest = parts.next().expect("rest");
    let rerun = format!("{sub}-2024-05-01-12-30-59/{rest}").replace("trial_1", "trial_9");
    files.push((rerun, text));
    let (path, _) = files[1].clone();
    files.push((
        path.replace("trial_", "trial_7"),
        "global_step,score\n".into(),
    ));
    files.push((
        path.replace("eval_measurements.csv", "../../notes.txt"),
        "x".into(),
    ));
    files.push(("README.md".into(), "x".into()));
    files
}

fn fixtures_repo(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Writes the files under `root` in the given order.
fn write(root: &Path, files: &[(String, String)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
    }
}

/// Every output file and the rendered warnings (with `root` written as
/// `<root>`), reading with `threads` threads.
fn outputs(root: &Path, threads: usize) -> Vec<(String, Vec<u8>)> {
    let spec = spec::load(&fixtures_repo("rulesets/v05_external.toml")).expect("spec");
    let options = Options::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let ingested = pool
        .install(|| run::read(root, &spec, &options, &Silent))
        .expect("read");
    let outcome = run::score(&ingested, &spec, &options).expect("score");
    let warnings = outcome
        .warnings
        .render()
        .replace(&root.display().to_string(), "<root>");
    assert!(warnings.contains("warning: "), "the tree has warnings");
    let mut out = outcome.files;
    out.push(("warnings".into(), warnings.into_bytes()));
    out
}

/// A temporary folder on tmpfs where there is one: tmpfs lists entries in
/// the reverse order of their creation, so the two trees really are listed
/// differently (ext4 lists by name hash, whatever the creation order).
fn tempdir() -> (tempfile::TempDir, bool) {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(d) = tempfile::tempdir_in(shm) {
            return (d, true);
        }
    }
    (tempfile::tempdir().expect("tempdir"), false)
}

/// The names of `dir`'s entries in the order the file system lists them.
fn listing(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn one_or_two_threads_and_any_listing_order_give_the_same_bytes() {
    let files = files();
    let (a, tmpfs) = tempdir();
    write(a.path(), &files);
    let mut shuffled = files.clone();
    shuffled.reverse();
    shuffled.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(7));
    let (b, _) = tempdir();
    write(b.path(), &shuffled);
    // The two trees are the same files, listed in different orders (where
    // the file system keeps any order of creation at all).
    assert_eq!(fixtures::snapshot(a.path()), fixtures::snapshot(b.path()));
    let (la, lb) = (listing(a.path()), listing(b.path()));
    if tmpfs {
        assert_ne!(la, lb, "tmpfs lists in creation order");
    } else if la == lb {
        eprintln!("note: this file system lists both trees in the same order");
    }

    let reference = outputs(a.path(), 1);
    assert!(reference.len() > 5, "scores, matrix, profile, summaries");
    for (root, threads) in [(a.path(), 2), (b.path(), 1), (b.path(), 2)] {
        let got = outputs(root, threads);
        assert_eq!(got.len(), reference.len());
        for ((name, bytes), (ref_name, ref_bytes)) in got.iter().zip(&reference) {
            assert_eq!(name, ref_name);
            assert!(
                bytes == ref_bytes,
                "{name} differs with {threads} threads under {}:\n{}\n---\n{}",
                root.display(),
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(ref_bytes)
            );
        }
    }
}
