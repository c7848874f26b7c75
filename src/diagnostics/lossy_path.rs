//! Paths in warnings and trial errors are kept as the text they are shown
//! as: a results cache holds a warning about a name that is not UTF-8 (which
//! serde's own `PathBuf` encoding refuses).
//!
//! A file of its own (not inline in `diagnostics`) because the error kinds
//! below `diagnostics` use it too (the layer table of `tests/it/layers.rs`).

use std::path::{Path, PathBuf};

pub fn serialize<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
    <String as serde::Deserialize>::deserialize(d).map(PathBuf::from)
}
