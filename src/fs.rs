//! The engine's one way of writing a file a user sees, and of comparing
//! paths: every file is replaced whole or not at all, under one `fsync`
//! policy, and every "is this inside that" question is asked of resolved
//! paths.
//!
//! # All or nothing
//!
//! A file is written to a temporary file beside it (in the same folder so
//! that the rename never crosses a file system) and renamed over it: a
//! reader, or a process killed at any moment, sees the old bytes or the new
//! ones, never a mix. The temporary file has an unpredictable name
//! (`.NAME.XXXXXX.algoperf-tmp`) and is created exclusively (`O_EXCL`, which
//! never follows a link: a link planted at the name makes the creation fail,
//! not write elsewhere); it is `flock`ed while written, so that the next
//! writer of the same file removes what a killed run left, and only that.
//! A replaced file keeps its permissions, owner and group; a file this
//! process could not give its owner and group back, or one with several
//! hard links, is written in place instead, once the new text is complete
//! (not atomic, but the other links and the owner stay). The output folder
//! of a run goes one step further (one swap for many files, see
//! [`crate::report::store`]).
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

/// Replaces `path` with `bytes` whole or not at all (see the module
/// documentation): a temporary file beside it, flushed, then renamed over
/// it; an existing file's permissions, owner and group are kept. A symbolic
/// link at `path` is replaced by the file; to write through a link, pass its
/// target.
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
    let error = |source| -> crate::error::Error {
        ReportError::Write {
            path: path.to_path_buf(),
            source,
        }
        .into()
    };
    let existing = std::fs::symlink_metadata(path).ok().filter(|m| m.is_file());
    if existing.as_ref().is_some_and(|m| hard_links(m) > 1) {
        return write_in_place(path, bytes).map_err(error);
    }
    remove_leftovers(dir, &name);
    match write_beside(dir, &name, path, bytes, existing.as_ref()) {
        Ok(true) => Ok(()),
        Ok(false) => write_in_place(path, bytes).map_err(error),
        Err(e) => Err(error(e)),
    }
}

/// The prefix and suffix of [`write_file`]'s temporary files for `name`.
fn temp_affixes(name: &str) -> (String, &'static str) {
    let mut cut = name.len().min(100);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    (format!(".{}.", &name[..cut]), ".algoperf-tmp")
}

/// Writes the temporary file and renames it over `path`; `false` (nothing
/// changed) when the existing file's owner and group cannot be kept.
fn write_beside(
    dir: &Path,
    name: &str,
    path: &Path,
    bytes: &[u8],
    existing: Option<&std::fs::Metadata>,
) -> std::io::Result<bool> {
    let (prefix, suffix) = temp_affixes(name);
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(suffix)
        .rand_bytes(8)
        .tempfile_in(dir)?;
    #[cfg(unix)]
    try_flock(tmp.as_file())?;
    if let Some(meta) = existing {
        if !keep_owner(tmp.as_file(), meta) {
            return Ok(false);
        }
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(true)
}

/// Gives `file` the owner and group of `meta`'s file; whether it has them.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(now) = file.metadata() else {
        return false;
    };
    if now.uid() == meta.uid() && now.gid() == meta.gid() {
        return true;
    }
    std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_ok()
}

#[cfg(not(unix))]
fn keep_owner(_file: &std::fs::File, _meta: &std::fs::Metadata) -> bool {
    true
}

#[cfg(unix)]
fn hard_links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn hard_links(_meta: &std::fs::Metadata) -> u64 {
    1
}

/// Overwrites the existing regular file `path` with `bytes`, which are
/// complete before the first byte is written; never through a link.
fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.set_len(bytes.len() as u64)?;
    f.sync_all()
}

/// Removes the temporary files of `name` that killed writers left in `dir`:
/// this engine's (`.NAME.XXXXXXXX.algoperf-tmp`, when no live writer holds
/// its lock) and those of earlier versions (`.NAME.PID.tmp`, when no
/// process PID exists).
fn remove_leftovers(dir: &Path, name: &str) {
    let (prefix, suffix) = temp_affixes(name);
    let old_prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let ours = file
            .strip_prefix(prefix.as_str())
            .and_then(|r| r.strip_suffix(suffix))
            .is_some_and(|r| r.len() == 8 && r.bytes().all(|b| b.is_ascii_alphanumeric()));
        let older = file
            .strip_prefix(old_prefix.as_str())
            .and_then(|r| r.strip_suffix(".tmp"))
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(|pid| !process_exists(pid));
        if (ours && unlocked(&entry.path())) || older {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether no live writer holds `path`'s lock (opened without following a
/// link).
fn unlocked(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
            .is_ok_and(|f| try_flock(&f).unwrap_or(false))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

fn process_exists(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// `flock(LOCK_EX | LOCK_NB)`: whether the lock was taken.
#[cfg(unix)]
pub fn try_flock(file: &std::fs::File) -> std::io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a file descriptor this process owns.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    if e.kind() == std::io::ErrorKind::WouldBlock {
        Ok(false)
    } else {
        Err(e)
    }
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

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_old_temporary_name_is_never_followed() {
        // Issue 26 item 3: `.NAME.PID.tmp` was predictable and opened
        // without O_EXCL: a planted link made the write go to its target.
        let d = tempfile::tempdir().expect("tempdir");
        let victim = d.path().join("victim.txt");
        std::fs::write(&victim, "precious").expect("write");
        let planted = d
            .path()
            .join(format!(".page.html.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).expect("symlink");
        let page = d.path().join("page.html");
        write_file(&page, b"<html>").expect("write");
        assert_eq!(std::fs::read(&victim).expect("read"), b"precious");
        assert_eq!(std::fs::read(&page).expect("read"), b"<html>");
        assert!(!std::fs::symlink_metadata(&page).expect("meta").is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn leftovers_of_killed_writers_are_removed_and_live_ones_kept() {
        let d = tempfile::tempdir().expect("tempdir");
        let dead = d.path().join(".cache.bin.AbCd1234.algoperf-tmp");
        let older = d.path().join(".cache.bin.999999999.tmp");
        let live = d.path().join(".cache.bin.LiVe5678.algoperf-tmp");
        let other = d.path().join(".other.bin.AbCd1234.algoperf-tmp");
        for f in [&dead, &older, &live, &other] {
            std::fs::write(f, vec![0u8; 4096]).expect("write");
        }
        let held = std::fs::File::open(&live).expect("open");
        assert!(try_flock(&held).expect("flock"));
        write_file(&d.path().join("cache.bin"), b"new").expect("write");
        assert!(!dead.exists() && !older.exists());
        assert!(live.exists() && other.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_file_with_several_links_is_written_in_place() {
        // Issue 26 item 7: `leaderboard --update` broke a hard link.
        use std::os::unix::fs::MetadataExt;
        let d = tempfile::tempdir().expect("tempdir");
        let readme = d.path().join("README.md");
        let other = d.path().join("copy.md");
        std::fs::write(&readme, "a much longer old text").expect("write");
        std::fs::hard_link(&readme, &other).expect("link");
        let ino = std::fs::metadata(&readme).expect("meta").ino();
        write_file(&readme, b"new").expect("write");
        assert_eq!(std::fs::read(&other).expect("read"), b"new");
        assert_eq!(std::fs::metadata(&readme).expect("meta").ino(), ino);
        assert_eq!(std::fs::read_dir(d.path()).expect("ls").count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_owner_and_group() {
        // Issue 26 item 7: a file of another user became root's.
        use std::os::unix::fs::MetadataExt;
        let d = tempfile::tempdir().expect("tempdir");
        let readme = d.path().join("README.md");
        std::fs::write(&readme, "old").expect("write");
        if std::os::unix::fs::chown(&readme, Some(4321), Some(4322)).is_err() {
            eprintln!("skipped: cannot give a file away here (not root)");
            return;
        }
        write_file(&readme, b"new").expect("write");
        let meta = std::fs::metadata(&readme).expect("meta");
        assert_eq!((meta.uid(), meta.gid()), (4321, 4322));
        assert_eq!(std::fs::read(&readme).expect("read"), b"new");
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
