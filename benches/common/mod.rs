//! Paths shared by the criterion benches: the repository, and the shared
//! AlgoPerf data (`$ALGOPERF_DATA`, else `../shared/algoperf` beside the
//! repository, as the tests find it).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A path inside the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The shared data folder (it may be absent: each bench then says so and
/// measures nothing that needs it).
pub fn data_dir() -> PathBuf {
    std::env::var_os("ALGOPERF_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo("../shared/algoperf"))
}
