//! The results cache (`--save-results` / `--load-results`): a compact binary
//! snapshot of the ingested series, so rescoring under another spec skips
//! reading thousands of CSV files. The reference scoring keeps a pickle; this
//! file is versioned and checked instead, and a stale, truncated, corrupted
//! or foreign file is refused with a message saying which.
//!
//! Layout: magic (8 bytes) · format version (u32 LE) · payload length (u64 LE)
//! · CRC-32 of the payload (u32 LE) · payload (bincode).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ingest::Ingested;
use crate::spec::Spec;

const MAGIC: &[u8; 8] = b"APERFRC\0";
/// Bumped whenever the payload's shape changes.
const FORMAT: u32 = 2;
const HEADER: usize = 8 + 4 + 8 + 4;

#[derive(Serialize, Deserialize)]
struct Payload {
    engine: String,
    time: String,
    summary_time: String,
    step: String,
    /// The spec's `column('…')` columns the series hold (format 2).
    extra: Vec<String>,
    ingested: Ingested,
}

/// Encodes what was read, with the columns it was read for.
pub fn encode(ingested: &Ingested, spec: &Spec) -> Result<Vec<u8>> {
    let payload = Payload {
        engine: env!("CARGO_PKG_VERSION").to_string(),
        time: spec.columns.time.clone(),
        summary_time: spec.columns.summary_time.clone(),
        step: spec.columns.step.clone(),
        extra: spec.extra_columns.clone(),
        ingested: dedupe(ingested),
    };
    let body = bincode::serialize(&payload)
        .map_err(|e| Error::Usage(format!("cannot encode the results cache: {e}")))?;
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
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

/// Undoes [`dedupe`].
fn restore(ingested: &mut Ingested) {
    for sub in &mut ingested.submissions {
        for t in &mut sub.trials {
            if t.series.summary_time.is_empty() {
                t.series.summary_time = t.series.time.clone();
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
    let bytes = std::fs::read(path).map_err(|e| Error::Cache {
        path: path.to_path_buf(),
        message: format!("cannot read results cache: {e}"),
    })?;
    decode(&bytes, spec).map_err(|message| Error::Cache {
        path: path.to_path_buf(),
        message,
    })
}

/// What a valid checksum cannot promise (a cache written by hand, or by a
/// buggy writer): submission names that are plain folder names (they become
/// output file names, and `../x` would write outside the output folder), and
/// a trial's columns of one length (scoring indexes one by another).
fn validate(ingested: &Ingested) -> std::result::Result<(), String> {
    for sub in &ingested.submissions {
        if !crate::fs::is_plain_name(&sub.name) {
            return Err(format!(
                "submission name {:?} is not a plain folder name; refused",
                sub.name
            ));
        }
        for t in &sub.trials {
            let s = &t.series;
            let lengths = [
                s.time.len(),
                s.summary_time.len(),
                s.step.len(),
                s.metric.len(),
            ];
            let extra_ok = s.extra.iter().all(|c| c.len() == lengths[0]);
            if !extra_ok || lengths.iter().any(|&n| n != lengths[0]) {
                return Err(format!(
                    "corrupted results cache: trial {}/{}/{}/{} has columns of unequal length (time {}, summary time {}, step {}, metric {})",
                    sub.name, t.study, t.folder, t.trial, lengths[0], lengths[1], lengths[2], lengths[3]
                ));
            }
        }
    }
    Ok(())
}

/// Decodes a cache's bytes; errors say what is wrong with the file.
pub fn decode(bytes: &[u8], spec: &Spec) -> std::result::Result<Ingested, String> {
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err("not an algoperf-engine results cache (wrong magic bytes)".into());
    }
    if bytes.len() < HEADER {
        return Err("truncated results cache (incomplete header)".into());
    }
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let format = u32_at(8);
    if format != FORMAT {
        return Err(format!(
            "stale results cache: format version {format}, this engine reads version {FORMAT}; re-create it with --save-results"
        ));
    }
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[12..20]);
    let len = u64::from_le_bytes(len_bytes);
    let body = &bytes[HEADER..];
    if (body.len() as u64) < len {
        return Err(format!(
            "truncated results cache: {} of {len} payload bytes",
            body.len()
        ));
    }
    if (body.len() as u64) > len {
        return Err(format!(
            "results cache has {} bytes after its payload",
            body.len() as u64 - len
        ));
    }
    if crc32fast::hash(body) != u32_at(20) {
        return Err("corrupted results cache (checksum mismatch)".into());
    }
    let payload: Payload =
        bincode::deserialize(body).map_err(|e| format!("corrupted results cache: {e}"))?;
    let needed = (
        &spec.columns.time,
        &spec.columns.summary_time,
        &spec.columns.step,
    );
    if (&payload.time, &payload.summary_time, &payload.step) != needed {
        return Err(format!(
            "the cache holds columns ({}, {}, {}) but {} needs ({}, {}, {}); re-create it from the logs",
            payload.time,
            payload.summary_time,
            payload.step,
            spec.path.display(),
            needed.0,
            needed.1,
            needed.2
        ));
    }
    if payload.extra != spec.extra_columns {
        return Err(format!(
            "the cache holds the extra columns [{}] but {} reads column(…) of [{}]; re-create it from the logs",
            payload.extra.join(", "),
            spec.path.display(),
            spec.extra_columns.join(", ")
        ));
    }
    let mut ingested = payload.ingested;
    restore(&mut ingested);
    validate(&ingested)?;
    for sub in &mut ingested.submissions {
        let mut kept = Vec::with_capacity(sub.trials.len());
        for t in sub.trials.drain(..) {
            match spec.targets.get(&t.workload) {
                Some(target) if target.column == t.metric_column => kept.push(t),
                Some(target) => {
                    return Err(format!(
                    "the cache holds `{}` for {}, but {} compares `{}`; re-create it from the logs",
                    t.metric_column,
                    t.workload,
                    spec.path.display(),
                    target.column
                ))
                }
                None => ingested.warnings.note(
                    format!(
                        "workload `{}` has no target in this spec's targets file, ignored",
                        t.workload
                    ),
                    format!("{}/{}/{}", sub.name, t.study, t.folder),
                ),
            }
        }
        sub.trials = kept;
    }
    Ok(ingested)
}
