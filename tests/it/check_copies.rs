//! `check`'s search for copied trial files is linear (issue 26, item 15):
//! 1,000 files of one length and one CRC-32 but different bytes (which took
//! 80 s by a search keyed by length and CRC) are checked in moments, and
//! none is called a copy; real copies still are.

use std::time::{Duration, Instant};

use crate::fixtures::{self, Tree};

use algoperf_engine::check;

const PADS: usize = 12;

fn text(i: usize, nibbles: &[u8]) -> String {
    let pad: String = nibbles.iter().map(|n| char::from(0x40 | n)).collect();
    let t = 1000 + i;
    format!(
        "{}10,500,500,3.0,AAAAAAAAAAAA\n20,{t},{t},0.9,{pad}\n",
        fixtures::header("loss").trim_end().to_string() + ",pad\n"
    )
}

fn crc(i: usize, nibbles: &[u8]) -> u32 {
    crc32fast::hash(text(i, nibbles).as_bytes())
}

/// Padding nibbles giving trial `i`'s text the CRC-32 `target` (CRC-32 is
/// affine in the bits for one length: Gaussian elimination over GF(2)).
fn forge(i: usize, target: u32) -> Vec<u8> {
    let zero = vec![0u8; PADS];
    let base = crc(i, &zero);
    let mut basis: Vec<(u32, u64)> = Vec::new();
    for bit in 0..4 * PADS {
        let mut nib = zero.clone();
        nib[bit / 4] = 1 << (bit % 4);
        let (mut v, mut combo) = (crc(i, &nib) ^ base, 1u64 << bit);
        for &(bv, bc) in &basis {
            if v ^ bv < v {
                (v, combo) = (v ^ bv, combo ^ bc);
            }
        }
        if v != 0 {
            basis.push((v, combo));
            basis.sort_by_key(|b| std::cmp::Reverse(b.0));
        }
    }
    let (mut want, mut combo) = (target ^ base, 0u64);
    for &(bv, bc) in &basis {
        if want ^ bv < want {
            (want, combo) = (want ^ bv, combo ^ bc);
        }
    }
    assert_eq!(want, 0, "no solution");
    let mut nib = zero;
    for bit in 0..4 * PADS {
        if combo >> bit & 1 == 1 {
            nib[bit / 4] |= 1 << (bit % 4);
        }
    }
    nib
}

#[test]
fn a_thousand_crc_twins_are_checked_at_once_and_are_no_copies() {
    let tree = Tree::new();
    let target = crc(0, &[0; PADS]);
    for i in 0..1000 {
        let body = text(i, &forge(i, target));
        assert_eq!(crc32fast::hash(body.as_bytes()), target);
        tree.write(
            &format!(
                "sub/study_0/alpha_jax/trial_{}/eval_measurements.csv",
                i + 1
            ),
            body,
        );
    }
    // Two real copies.
    let copy = text(0, &forge(0, target));
    tree.write(
        "twin/study_0/alpha_jax/trial_1/eval_measurements.csv",
        &copy,
    );
    let (_, spec) = tree.spec();
    let started = Instant::now();
    let report = check::check(&spec, &[tree.subs()], &check::Options::default());
    let took = started.elapsed();
    let copies: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == check::Code::DuplicateTrial)
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert!(
        took < Duration::from_secs(20),
        "check of 1,000 CRC twins took {took:?}"
    );
}

/// `check` finds copies by the digest the read takes of the bytes it reads
/// (no second read of every file): the read keeps each trial file's
/// SHA-256 when asked, and only then; raw-log trials have none.
#[test]
fn the_read_keeps_each_trial_files_digest_when_asked() {
    use algoperf_engine::ingest::{self, Selection, Silent};
    use sha2::Digest as _;
    let tree = Tree::new();
    tree.submission("a", 100.0, 200.0)
        .submission("b", 150.0, 250.0);
    let (_, spec) = tree.spec();
    let read = |digests| {
        let selection = Selection {
            digests,
            ..Selection::default()
        };
        ingest::ingest(&tree.subs(), &spec, &selection, &Silent).expect("read")
    };
    let trials = |i: &ingest::Ingested| -> Vec<_> {
        i.submissions
            .iter()
            .flat_map(|s| s.trials.clone())
            .collect()
    };
    let with = trials(&read(true));
    assert_eq!(with.len(), 4);
    for t in &with {
        let bytes = std::fs::read(&t.path).expect("trial file");
        let want: [u8; 32] = sha2::Sha256::digest(&bytes).into();
        assert_eq!(t.digest, Some(want), "{}", t.path.display());
    }
    assert!(trials(&read(false)).iter().all(|t| t.digest.is_none()));
    // Two submissions' identical files are still found as copies.
    tree.submission("c", 100.0, 200.0);
    let report = check::check(&spec, &[tree.subs()], &check::Options::default());
    let copies = report
        .findings
        .iter()
        .filter(|f| f.code == check::Code::DuplicateTrial)
        .count();
    assert_eq!(copies, 2, "{:?}", report.findings);
}
