//! The results cache (`--save-results` / `--load-results`): a compact binary
//! snapshot of the ingested series, so rescoring under another spec skips
//! reading thousands of CSV files. The reference scoring keeps a pickle; this
//! file is versioned and checked instead, and a stale, truncated, corrupted
//! or foreign file is refused with a message saying which.
//!
//! Layout: magic (8 bytes) · format version (u32 LE) · payload length (u64 LE)
//! · CRC-32 of the payload (u32 LE) · payload (bincode).

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Warning;
use crate::error::{Result, TrialError};
use crate::ingest::{Ingested, WorkloadFolder};
use crate::spec::{Columns, Spec};

pub use crate::error::cache::{CacheError, CacheProblem};

const MAGIC: &[u8; 8] = b"APERFRC\0";
/// Bumped whenever the payload's shape changes.
const FORMAT: u32 = 3;
const HEADER: usize = 8 + 4 + 8 + 4;

#[derive(Serialize, Deserialize)]
struct Payload {
    engine: String,
    /// The spec's `[columns]` the series were read for (the metric prefix
    /// is checked per trial, against each target's column).
    columns: Columns,
    /// The spec's `column('…')` columns the series hold.
    extra: Vec<String>,
    ingested: Ingested,
}

/// Encodes what was read, with the columns it was read for.
pub fn encode(ingested: &Ingested, spec: &Spec) -> Result<Vec<u8>> {
    let payload = Payload {
        engine: env!("CARGO_PKG_VERSION").to_string(),
        columns: spec.columns.clone(),
        extra: spec.extra_columns.clone(),
        ingested: dedupe(ingested),
    };
    // The payload is encoded in place after the header, whose length and
    // checksum are filled in afterwards: one copy of it in memory, not two.
    let size = bincode::serialized_size(&payload).map_err(CacheError::Encode)?;
    let mut out = Vec::with_capacity(HEADER + size as usize);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.resize(HEADER, 0);
    bincode::serialize_into(&mut out, &payload).map_err(CacheError::Encode)?;
    let length = ((out.len() - HEADER) as u64).to_le_bytes();
    let checksum = crc32fast::hash(&out[HEADER..]).to_le_bytes();
    out[12..20].copy_from_slice(&length);
    out[20..HEADER].copy_from_slice(&checksum);
    Ok(out)
}

/// A copy with each summary-time column left empty where it equals the time
/// column bit for bit (in the published logs `score` is
/// `accumulated_submission_time`): a quarter of the payload, restored by
/// [`restore`].
fn dedupe(ingested: &Ingested) -> Ingested {
    let mut out = ingested.clone();
    for sub in &mut out.submissions {
        for t in &mut sub.trials {
            let s = &mut t.series;
            let same = s.time.len() == s.summary_time.len()
                && s.time
                    .iter()
                    .zip(&s.summary_time)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
            if same && !s.time.is_empty() {
                s.summary_time = Vec::new();
            }
        }
    }
    out
}

/// Undoes [`dedupe`], and shares each workload folder among its trials
/// again (the payload holds one copy per trial), as ingest does.
fn restore(ingested: &mut Ingested) {
    let mut folders: HashSet<Arc<WorkloadFolder>> = HashSet::new();
    for sub in &mut ingested.submissions {
        for t in &mut sub.trials {
            if t.series.summary_time.is_empty() {
                t.series.summary_time = t.series.time.clone();
            }
            match folders.get(&t.id.folder) {
                Some(shared) => t.id.folder = shared.clone(),
                None => {
                    folders.insert(t.id.folder.clone());
                }
            }
        }
    }
}

/// Writes the cache file atomically.
pub fn save(path: &Path, ingested: &Ingested, spec: &Spec) -> Result<()> {
    let bytes = encode(ingested, spec)?;
    crate::fs::write_file(path, &bytes)
}

/// Reads and checks a cache file, and checks that it holds the columns `spec`
/// needs.
pub fn load(path: &Path, spec: &Spec) -> Result<Ingested> {
    let max = crate::limits::MAX_CACHE_FILE;
    let bytes = crate::limits::read_regular(path, max, "the cache limit of").map_err(|source| {
        CacheError::Read {
            path: path.to_path_buf(),
            source,
        }
    })?;
    decode(&bytes, spec).map_err(|problem| {
        CacheError::Refused {
            path: path.to_path_buf(),
            problem: Box::new(problem),
        }
        .into()
    })
}

/// What a valid checksum cannot promise (a cache written by hand, or by a
/// buggy writer): submission names that are plain folder names (they become
/// output file names, and `../x` would write outside the output folder),
/// each name and each trial once (as in a tree, one folder each), and a
/// trial's columns of one length (scoring indexes one by another).
fn validate(ingested: &Ingested) -> std::result::Result<(), CacheProblem> {
    let mut names = HashSet::new();
    for sub in &ingested.submissions {
        if !crate::fs::is_plain_name(&sub.name) {
            return Err(CacheProblem::NotAPlainName(sub.name.clone()));
        }
        if !names.insert(sub.name.as_str()) {
            return Err(CacheProblem::DuplicateSubmission(sub.name.clone()));
        }
        let mut trials = HashSet::new();
        for t in &sub.trials {
            if !trials.insert(&t.id) {
                let f = &t.id.folder;
                let name = format!("{}/{}/{}/{}", sub.name, f.study, f.name, t.id.label());
                return Err(CacheProblem::DuplicateTrial(name));
            }
            let s = &t.series;
            let lengths = [
                s.time.len(),
                s.summary_time.len(),
                s.step.len(),
                s.metric.len(),
            ];
            let extra_ok = s.extra.iter().all(|c| c.len() == lengths[0]);
            if !extra_ok || lengths.iter().any(|&n| n != lengths[0]) {
                return Err(CacheProblem::UnequalColumns {
                    trial: format!(
                        "{}/{}/{}/{}",
                        sub.name, t.id.folder.study, t.id.folder.name, t.id.trial
                    ),
                    lengths,
                });
            }
        }
    }
    Ok(())
}

/// Decodes a cache's bytes; errors say what is wrong with the file.
pub fn decode(bytes: &[u8], spec: &Spec) -> std::result::Result<Ingested, CacheProblem> {
    let body = checked_body(bytes)?;
    let payload: Payload = bincode::deserialize(body).map_err(CacheProblem::Corrupted)?;
    check_columns(&payload, spec)?;
    let mut ingested = payload.ingested;
    restore(&mut ingested);
    validate(&ingested)?;
    keep_targeted_trials(&mut ingested, spec)?;
    Ok(ingested)
}

/// The payload bytes after the header, once the header proves they are a
/// whole, uncorrupted cache of this format: checked before deserializing so
/// that a stale, truncated or damaged file gets an error saying which,
/// rather than whatever the deserializer makes of it.
fn checked_body(bytes: &[u8]) -> std::result::Result<&[u8], CacheProblem> {
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(CacheProblem::WrongMagic);
    }
    if bytes.len() < HEADER {
        return Err(CacheProblem::TruncatedHeader);
    }
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let format = u32_at(8);
    if format != FORMAT {
        return Err(CacheProblem::Stale {
            found: format,
            reads: FORMAT,
        });
    }
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[12..20]);
    let len = u64::from_le_bytes(len_bytes);
    let body = &bytes[HEADER..];
    if (body.len() as u64) < len {
        return Err(CacheProblem::TruncatedPayload {
            found: body.len() as u64,
            expected: len,
        });
    }
    if (body.len() as u64) > len {
        return Err(CacheProblem::TrailingBytes(body.len() as u64 - len));
    }
    if crc32fast::hash(body) != u32_at(20) {
        return Err(CacheProblem::Checksum);
    }
    Ok(body)
}

/// A cache holds values read from the columns its spec named; under a spec
/// naming other columns (time, summary time, step, extras) they would be
/// the wrong numbers, so the cache is refused rather than reused.
fn check_columns(payload: &Payload, spec: &Spec) -> std::result::Result<(), CacheProblem> {
    let (held, needed) = (&payload.columns, &spec.columns);
    if (&held.time, &held.summary_time, &held.step)
        != (&needed.time, &needed.summary_time, &needed.step)
    {
        return Err(CacheProblem::Columns {
            held: vec![
                held.time.clone(),
                held.summary_time.clone(),
                held.step.clone(),
            ],
            spec: spec.path.clone(),
            needed: vec![
                needed.time.clone(),
                needed.summary_time.clone(),
                needed.step.clone(),
            ],
        });
    }
    if payload.extra != spec.extra_columns {
        return Err(CacheProblem::ExtraColumns {
            held: payload.extra.clone(),
            spec: spec.path.clone(),
            needed: spec.extra_columns.clone(),
        });
    }
    Ok(())
}

/// The time checks a trial read from its file gets (`ingest::check_times`:
/// a negative time, or no finite time at the evaluation reaching the
/// target, skips it; −0.0 is read as 0.0), against this spec's target,
/// which may not be the one the cache was written under. Whether to keep
/// the trial; its problems go to `warnings` as a tree's do, without a line
/// number (the cache keeps none), and a note the cache already holds for
/// the trial's file is not repeated.
fn judge_times(
    t: &mut crate::ingest::Trial,
    target: &crate::spec::WorkloadTarget,
    spec: &Spec,
    warnings: &mut crate::diagnostics::Warnings,
) -> bool {
    let error = |problem| TrialError {
        path: t.path.clone(),
        line: None,
        problem,
    };
    match super::check_times(&mut t.series, &spec.columns.time, target) {
        Err((_, problem)) => {
            warnings.push(Warning::Trial(error(problem)));
            false
        }
        Ok(notes) => {
            for (_, problem) in notes {
                let note = error(problem);
                let known = warnings.items().into_iter().any(|w| {
                    matches!(w, Warning::Trial(e) if e.path == note.path && e.kind() == note.kind())
                });
                if !known {
                    warnings.push(Warning::Trial(note));
                }
            }
            true
        }
    }
}

/// Drops trials of workloads the spec has no target for (with the same
/// warning a fresh ingest gives), refuses the cache when a trial's metric
/// column is not the one the spec's target reads, and judges every kept
/// trial's times as reading its file does ([`judge_times`]).
fn keep_targeted_trials(
    ingested: &mut Ingested,
    spec: &Spec,
) -> std::result::Result<(), CacheProblem> {
    for sub in &mut ingested.submissions {
        let mut kept = Vec::with_capacity(sub.trials.len());
        for t in sub.trials.drain(..) {
            match spec.targets.get(&t.id.folder.workload) {
                Some(target) if target.column == t.id.folder.metric_column => {
                    let mut t = t;
                    if judge_times(&mut t, target, spec, &mut ingested.warnings) {
                        kept.push(t);
                    }
                }
                Some(target) => {
                    return Err(CacheProblem::MetricColumn {
                        held: t.id.folder.metric_column.clone(),
                        workload: t.id.folder.workload.clone(),
                        spec: spec.path.clone(),
                        needed: target.column.clone(),
                    })
                }
                None => ingested.warnings.push(Warning::NoTarget {
                    workload: t.id.folder.workload.clone(),
                    submission: sub.name.clone(),
                    study: t.id.folder.study.clone(),
                    folder: t.id.folder.name.clone(),
                }),
            }
        }
        sub.trials = kept;
    }
    Ok(())
}
