//! The results cache round-trips to identical outputs, and refuses stale,
//! truncated, corrupted, foreign and mismatched files with clear messages.

use crate::common;

use algoperf_engine::ingest::cache;
use algoperf_engine::ingest::Silent;
use algoperf_engine::run::{self, Options};
use algoperf_engine::{spec, synth};

#[test]
fn cache_round_trips_and_refuses_bad_files() {
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let tree = tempfile::tempdir().expect("tmp");
    let files = synth::generate(&spec, &synth::Options::for_spec(&spec, 5, 3));
    synth::write(tree.path(), &files).expect("write");
    let ingested = run::read(tree.path(), &spec, &Options::default(), &Silent).expect("read");
    let direct = run::score(&ingested, &spec, &Options::default()).expect("score");

    let path = tree.path().join("results.bin");
    cache::save(&path, &ingested, &spec).expect("save");
    let loaded = cache::load(&path, &spec).expect("load");
    // Debug text, so that NaN (diverged runs) compares equal to NaN.
    assert!(
        format!("{loaded:?}") == format!("{ingested:?}"),
        "cache changed the series"
    );
    // Trials of one workload folder share its identity again, as read.
    let trials = &loaded.submissions[0].trials;
    let (a, b) = (&trials[0].id, &trials[1].id);
    assert_eq!(a.folder, b.folder, "the first two trials share a folder");
    assert!(std::sync::Arc::ptr_eq(&a.folder, &b.folder));
    let again = run::score(&loaded, &spec, &Options::default()).expect("score");
    assert!(
        direct.files == again.files,
        "outputs differ after the cache"
    );

    // Rescoring under another spec with the same columns works (v0.6: its
    // targets file knows every v0.5 base workload).
    let v06 = spec::load(&common::repo("rulesets/v06_external.toml")).expect("spec");
    assert!(cache::load(&path, &v06).is_ok());

    let bytes = std::fs::read(&path).expect("read");
    let check = |bytes: &[u8], want: &str| {
        let e = cache::decode(bytes, &spec).expect_err("must be refused");
        assert!(e.to_string().contains(want), "{e}");
    };
    check(&bytes[..bytes.len() / 2], "truncated results cache");
    check(&bytes[..10], "truncated results cache (incomplete header)");
    check(b"a,b,c\n1,2,3\n", "not an algoperf-engine results cache");
    let mut stale = bytes.clone();
    stale[8] = 99;
    check(&stale, "stale results cache: format version 99");
    // A cache of the previous format (trials without a shared identity,
    // the columns as three strings) is refused, not misread.
    stale[8] = 2;
    check(
        &stale,
        "stale results cache: format version 2, this engine reads version 3",
    );
    let mut corrupt = bytes.clone();
    let last = corrupt.len() - 1;
    corrupt[last] ^= 0xff;
    check(&corrupt, "corrupted results cache (checksum mismatch)");
    let mut longer = bytes.clone();
    longer.push(0);
    check(&longer, "1 bytes after its payload");

    // A spec comparing another time column cannot use it.
    let (_dir, other) = common::spec_variant(
        "rulesets/v05_external.toml",
        "time = \"score\"",
        "time = \"accumulated_submission_time\"",
    );
    let other = spec::load(&other).expect("spec");
    let e = cache::decode(&bytes, &other).expect_err("columns");
    assert!(
        e.to_string()
            .contains("the cache holds columns (score, accumulated_submission_time, global_step)"),
        "{e}"
    );

    // The CLI error names the file.
    let err = cache::load(&tree.path().join("missing.bin"), &spec).expect_err("missing");
    assert!(
        err.to_string()
            .contains("missing.bin: cannot read results cache"),
        "{err}"
    );
}
