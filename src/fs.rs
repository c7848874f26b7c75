//! The engine's one way of writing a file a user sees, and of comparing
//! paths: every file is replaced whole or not at all, under one `fsync`
//! policy, and every "is this inside that" question is asked of resolved
//! paths.
//!
//! # All or nothing
//!
//! A file is written to a temporary name beside it (`.NAME.PID.tmp`, in the
//! same folder so that the rename never crosses a file system) and renamed
//! over it: a reader, or a process killed at any moment, sees the old bytes
//! or the new ones, never a mix. A replaced file keeps its permissions. The
//! output folder of a run goes one step further (one rename for many files,
//! see [`crate::report::files`]) but stages each file with [`write_synced`],
//! under the same policy.
//!
//! # The `fsync` policy
//!
//! **A file's data is flushed to disk (`fsync`) before the rename that makes
//! it visible; folders are not flushed.** Without the flush a file system
//! may record the rename before the data (XFS, btrfs, ext4 without
//! `auto_da_alloc` or in `data=writeback`), so a power loss right after a
//! run can leave an empty or partial file under the name — exactly the mix
//! the rename exists to prevent, and for `leaderboard --update` in a file
//! (a README) whose text only the user has. With the flush, a power loss
//! leaves the old file or the new one. The folder is not flushed: after a
//! power loss the rename itself may be lost, which leaves the complete old
//! file — durability of the *new* run is not promised, atomicity is. Cost: one
//! `fsync` per file written, measured in the note of the change that set the
//! policy (runs write tens of files, not thousands).

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::report::ReportError;
use crate::error::Result;

/// Longest file name most file systems take (bytes).
pub const NAME_MAX: usize = 255;

/// Whether `name` names an entry directly inside a folder: not empty, not
/// hidden, not `.`/`..`, no path separator or NUL. Names of submissions
/// (from a folder listing, a results cache or an info file) must be plain:
/// they become file names and path components.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).components().count() == 1
}

/// `path` made absolute against the current folder (as given if the current
/// folder cannot be read); nothing resolved.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// `path` as an absolute path with every symlink and `..` resolved, the
/// way the system resolves it when a folder is created there: component by
/// component, each prefix that exists canonicalised (symlinks followed), and
/// past the first one that does not, `..` removing the previous component
/// (`create_dir_all("nonexist/../real")` makes `nonexist` and then `real`).
/// Comparing such paths, not their text, is the only sound test of whether
/// one is inside the other. An existing path resolves to its
/// `canonicalize`.
pub fn resolve(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in absolute(path).components() {
        match c {
            Component::CurDir => continue,
            Component::ParentDir if !exists => {
                out.pop();
                continue;
            }
            other => out.push(other),
        }
        if exists {
            match out.canonicalize() {
                Ok(real) => out = real,
                Err(_) => exists = false,
            }
        }
    }
    out
}

/// Whether `path` is `folder` or inside it, once both are resolved.
pub fn is_inside(path: &Path, folder: &Path) -> bool {
    resolve(path).starts_with(resolve(folder))
}

/// Creates `path` (which must not be open elsewhere) with `bytes`, flushed
/// to disk before returning: the policy above, for a file that a later
/// rename publishes.
pub fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Replaces `path` with `bytes` whole or not at all (see the module
/// documentation): a temporary file beside it, flushed, then renamed over
/// it; an existing file's permissions are kept. A symbolic link at `path`
/// is replaced by the file; to write through a link, pass its target.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| ReportError::NotAFileName {
            path: path.to_path_buf(),
        })?;
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = write_synced(&tmp, bytes)
        .and_then(|()| match std::fs::metadata(path) {
            Ok(meta) => std::fs::set_permissions(&tmp, meta.permissions()),
            Err(_) => Ok(()),
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        ReportError::Write {
            path: path.to_path_buf(),
            source,
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_keeps_permissions() {
        let d = tempfile::tempdir().expect("tempdir");
        let file = d.path().join("README.md");
        write_file(&file, b"one").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::Permissions::from_mode(0o600);
            std::fs::set_permissions(&file, mode).expect("chmod");
        }
        write_file(&file, b"two").expect("rewrite");
        assert_eq!(std::fs::read(&file).expect("read"), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let left: Vec<_> = std::fs::read_dir(d.path()).expect("ls").collect();
        assert_eq!(left.len(), 1, "no temporary file left beside it");
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let d = tempfile::tempdir().expect("tempdir");
        let folder = d.path().join("taken");
        std::fs::create_dir(&folder).expect("mkdir");
        assert!(write_file(&folder, b"x").is_err());
        assert!(folder.is_dir());
        assert_eq!(std::fs::read_dir(d.path()).expect("ls").count(), 1);
    }

    #[test]
    fn inside_compares_resolved_paths() {
        let d = tempfile::tempdir().expect("tempdir");
        let sub = d.path().join("subs");
        std::fs::create_dir(&sub).expect("mkdir");
        assert!(is_inside(&sub.join("new/../out"), &sub));
        assert!(!is_inside(&sub.join("../out"), &sub));
        assert_eq!(resolve(&sub), sub.canonicalize().expect("canon"));
    }
}
