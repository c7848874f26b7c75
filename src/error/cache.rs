//! Errors of saving and loading a results cache (the cache itself:
//! `crate::ingest::cache`).

/// Errors of saving and loading a results cache.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot encode the results cache: {0}")]
    Encode(bincode::Error),
    #[error("{}: cannot read results cache: {source}", path.display())]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// The file is not a cache this engine can use with this spec.
    #[error("{}: {problem}", path.display())]
    Refused {
        path: std::path::PathBuf,
        problem: Box<CacheProblem>,
    },
}

/// What is wrong with a cache file's bytes (without the file's name).
#[derive(Debug, thiserror::Error)]
pub enum CacheProblem {
    #[error("not an algoperf-engine results cache (wrong magic bytes)")]
    WrongMagic,
    #[error("truncated results cache (incomplete header)")]
    TruncatedHeader,
    #[error("stale results cache: format version {found}, this engine reads version {reads}; re-create it with --save-results")]
    /// `found`: the file's format version; `reads`: the one this engine reads.
    Stale { found: u32, reads: u32 },
    #[error("truncated results cache: {found} of {expected} payload bytes")]
    TruncatedPayload { found: u64, expected: u64 },
    #[error("results cache has {0} bytes after its payload")]
    TrailingBytes(u64),
    #[error("corrupted results cache (checksum mismatch)")]
    Checksum,
    #[error("corrupted results cache: {0}")]
    Corrupted(bincode::Error),
    #[error("submission name {0:?} is not a plain folder name; refused")]
    NotAPlainName(String),
    /// Two submissions of one name: a tree cannot hold them (one folder per
    /// name), and scoring them would give two rows and one summary file.
    #[error("corrupted results cache: submission `{0}` is listed twice")]
    DuplicateSubmission(String),
    /// Two trials of one submission with the same study, workload folder,
    /// trial and run.
    #[error("corrupted results cache: trial {0} is listed twice")]
    DuplicateTrial(String),
    /// A trial whose columns differ in length: `trial` is
    /// submission/study/folder/trial, `lengths` time, summary time, step, metric.
    #[error("corrupted results cache: trial {trial} has columns of unequal length (time {}, summary time {}, step {}, metric {})", lengths[0], lengths[1], lengths[2], lengths[3])]
    UnequalColumns { trial: String, lengths: [usize; 4] },
    /// The cache's (time, summary time, step) columns are not the spec's.
    #[error("the cache holds columns ({}, {}, {}) but {} needs ({}, {}, {}); re-create it from the logs", held[0], held[1], held[2], spec.display(), needed[0], needed[1], needed[2])]
    Columns {
        held: Vec<String>,
        spec: std::path::PathBuf,
        needed: Vec<String>,
    },
    #[error("the cache holds the extra columns [{}] but {} reads column(…) of [{}]; re-create it from the logs", held.join(", "), spec.display(), needed.join(", "))]
    ExtraColumns {
        held: Vec<String>,
        spec: std::path::PathBuf,
        needed: Vec<String>,
    },
    #[error("the cache holds `{held}` for {workload}, but {} compares `{needed}`; re-create it from the logs", spec.display())]
    MetricColumn {
        held: String,
        workload: String,
        spec: std::path::PathBuf,
        needed: String,
    },
}
