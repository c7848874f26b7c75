//! The output folder's store: how a run's files replace the previous run's
//! as plain regular files, all at once, one run at a time.
//!
//! # One swap of the whole folder
//!
//! A folder's entries change one system call at a time, so N files can never
//! be renamed into place at once. The run therefore builds a complete new
//! folder *beside* the output folder (`.<out>.algoperf-XXXXXXXX`, in the same
//! parent, so on the same file system) and exchanges the two with one
//! `renameat2(RENAME_EXCHANGE)`: at every moment the path `out` names either
//! the complete earlier folder or the complete new one. The new folder holds
//!
//! * the run's outputs and its manifest, written fresh;
//! * a hard link to every file in the old folder that the engine did not
//!   write (so it is the same file, not a copy, and it is in the folder
//!   before and after the swap); folders of the user's, and files that
//!   cannot be linked, are moved across right after the swap;
//! * the store `.algoperf-engine/`, holding the lock file (hard-linked too,
//!   so that a run waiting on it waits on the same file after the swap).
//!
//! The old folder, now beside the output folder, is then *retired*: the
//! engine's files are removed, anything else is moved into the output folder
//! if its name is free there, and the folder is removed once empty. If
//! something cannot be moved (a name taken meanwhile), the old folder is kept
//! and the run says so: a file the engine did not write is never removed.
//!
//! # One run at a time
//!
//! A run holds an exclusive `flock` on `out/.algoperf-engine/lock` from
//! before it looks at the folder until its old folder is retired. A second
//! run into the same folder waits, saying so on stderr, or fails at once with
//! `--no-wait`. The lock is taken only for the write, not while logs are read.
//!
//! # A run killed at any moment
//!
//! Before the swap, the new folder's data is flushed to disk with one
//! `syncfs` (every file of the run, where `fsync` per file took one
//! round-trip each), so a power loss leaves the earlier folder or the new
//! one, never a new folder of empty files. A killed run leaves a folder
//! beside the output folder; the next run (under the lock) tells the two
//! kinds apart by a marker file, `.algoperf-engine/building`, made first in
//! every new folder and removed from the output folder right after its swap:
//!
//! * a folder *with* the marker was never swapped in: it holds only the
//!   engine's files and hard links, and is removed;
//! * a folder *without* it is an earlier output folder, swapped out: it is
//!   retired as above, so the user's files in it come back.
//!
//! # Fallback
//!
//! Where `RENAME_EXCHANGE` does not exist (not Linux, or a file system that
//! refuses it: some network and FUSE file systems), the swap is two renames
//! (the output folder aside, then the new folder in its place): a run killed
//! between the two leaves no output folder until the next run, which brings
//! the user's files back from the one set aside. Where hard links do not
//! exist, the user's files are moved across right after the swap instead.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::ReportError;
use crate::error::{Error, Result};

/// The hidden folder inside the output folder holding the lock.
pub const STORE: &str = ".algoperf-engine";
/// The lock file in the store.
const LOCK: &str = "lock";
/// The marker of a folder being built (see the module documentation).
const BUILDING: &str = "building";
/// The manifest every run writes beside its outputs.
pub const MANIFEST: &str = "algoperf-manifest.json";
/// Where a link of the engine's earlier, symlink-based store points: such
/// links are the engine's.
const LEGACY_CURRENT: &str = "current";
/// Random characters in the name of a folder built beside the output folder.
const SUFFIX_LEN: usize = 8;
/// A manifest larger than this is not one the engine wrote.
const MAX_MANIFEST: u64 = 64 << 20;

/// What a run does when another run is writing the same output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wait {
    /// Wait for it, saying so on stderr.
    #[default]
    Block,
    /// Fail at once (`--no-wait`).
    Fail,
}

/// One output file of a run: its name, and its bytes or how to make them.
pub struct OutputFile<'a> {
    pub name: String,
    pub body: Body<'a>,
}

/// An output's bytes: made already, or made when the file is written, so
/// that a run holds one such file at a time rather than all of them (500
/// submissions' summaries are tens of MB).
pub enum Body<'a> {
    Bytes(Cow<'a, [u8]>),
    Later(Box<dyn Fn() -> Vec<u8> + 'a>),
}

impl Body<'_> {
    /// The bytes, made now if they are made later.
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Body::Bytes(b) => Cow::Borrowed(b.as_ref()),
            Body::Later(make) => Cow::Owned(make()),
        }
    }
}

impl<'a> OutputFile<'a> {
    /// A file of bytes made already.
    pub fn bytes(name: impl Into<String>, bytes: impl Into<Cow<'a, [u8]>>) -> Self {
        OutputFile {
            name: name.into(),
            body: Body::Bytes(bytes.into()),
        }
    }
}

/// What a manifest lists of a written file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub name: String,
    pub bytes: usize,
    pub sha256: String,
}

impl Written {
    pub fn of(name: &str, bytes: &[u8]) -> Self {
        Written {
            name: name.to_string(),
            bytes: bytes.len(),
            sha256: sha256_hex(bytes),
        }
    }
}

/// The manifest of a run, made from what was written before it.
pub type MakeManifest<'a> = &'a dyn Fn(&[Written]) -> Vec<u8>;

pub(super) fn write_error(
    path: PathBuf,
    kind: std::io::ErrorKind,
    message: impl Into<String>,
) -> Error {
    Error::Report(ReportError::Write {
        path,
        source: std::io::Error::new(kind, message.into()),
    })
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| {
        ReportError::Write {
            path: path.to_path_buf(),
            source,
        }
        .into()
    }
}

/// Replaces the output folder `out` (which exists, resolved) with one
/// holding `files` (then the manifest `manifest` makes of them, when
/// given) and the entries of the old folder the engine did not write, as
/// the module documentation describes. On an error the output folder is
/// unchanged.
pub fn publish(
    out: &Path,
    files: &[OutputFile],
    manifest: Option<MakeManifest>,
    wait: Wait,
) -> Result<()> {
    let store = open_store(out)?;
    let _lock = lock(&store, out, wait)?;
    // A marker in the output folder was left by a run killed right after its
    // swap: that folder is committed.
    let _ = std::fs::remove_file(store.join(BUILDING));
    recover_leftovers(out);
    let ours = engine_entries(out);
    let mut names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    if manifest.is_some() {
        names.push(MANIFEST);
    }
    refuse_users_files(out, &names, &ours)?;
    let build = make_build_folder(out)?;
    let built = fill(&build, out, files, manifest, &ours).and_then(|()| swap(out, &build));
    if let Err(e) = built {
        let _ = std::fs::remove_dir_all(&build);
        return Err(e);
    }
    let _ = std::fs::remove_file(store.join(BUILDING));
    report_kept(&build, out, &retire(&build, out));
    Ok(())
}

/// `out/.algoperf-engine`, made if absent; anything else of that name (a
/// file, a link that could lead outside the output folder) is refused.
fn open_store(out: &Path) -> Result<PathBuf> {
    let store = out.join(STORE);
    match std::fs::symlink_metadata(&store) {
        Ok(m) if m.is_dir() => Ok(store),
        Ok(_) => Err(write_error(
            store,
            std::io::ErrorKind::AlreadyExists,
            "not a folder this engine made (a file or a link); remove it",
        )),
        Err(_) => std::fs::create_dir(&store)
            .map(|()| store.clone())
            .map_err(io_error(&store)),
    }
}

/// The exclusive lock on the output folder, held until the file is closed.
#[cfg(unix)]
fn lock(store: &Path, out: &Path, wait: Wait) -> Result<File> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let path = store.join(LOCK);
    let mut said = false;
    loop {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path)
            .map_err(io_error(&path))?;
        if !crate::fs::try_flock(&file).map_err(io_error(&path))? {
            if wait == Wait::Fail {
                return Err(write_error(
                    out.to_path_buf(),
                    std::io::ErrorKind::WouldBlock,
                    "another run is writing this folder (--no-wait)",
                ));
            }
            if !said {
                eprintln!(
                    "waiting for another run writing {} to finish (--no-wait fails instead)",
                    out.display()
                );
                said = true;
            }
            flock_blocking(&file).map_err(io_error(&path))?;
        }
        // The lock counts only if it is still the file at that path (a run
        // on a file system without hard links makes a new one).
        let held = file.metadata().map_err(io_error(&path))?;
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.dev() == held.dev() && m.ino() == held.ino() => return Ok(file),
            _ => continue,
        }
    }
}

#[cfg(not(unix))]
fn lock(store: &Path, _out: &Path, _wait: Wait) -> Result<File> {
    let path = store.join(LOCK);
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_error(&path))
}

#[cfg(unix)]
fn flock_blocking(file: &File) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd;
    loop {
        // SAFETY: flock on a file descriptor this process owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// The names in `folder` that the engine wrote: its manifest (when it is
/// one the engine wrote), every file the manifest lists whose bytes are
/// still the listed ones, and the links of the earlier symlink-based store.
/// A file the user changed or put in place of an output is not among them.
pub fn engine_entries(folder: &Path) -> BTreeSet<OsString> {
    let mut ours = BTreeSet::new();
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let legacy = Path::new(STORE).join(LEGACY_CURRENT).join(&name);
            if std::fs::read_link(entry.path()).is_ok_and(|t| t == legacy) {
                ours.insert(name);
            }
        }
    }
    let path = folder.join(MANIFEST);
    let Some(listed) = read_manifest(&path) else {
        return ours;
    };
    ours.insert(MANIFEST.into());
    for (name, sha) in listed {
        let file = folder.join(&name);
        let regular = std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file());
        let same = regular && std::fs::read(&file).is_ok_and(|b| sha256_hex(&b) == sha);
        if same {
            ours.insert(name.into());
        }
    }
    ours
}

/// A manifest's `(name, sha256)` pairs, if `path` is a manifest the engine
/// wrote (read through the link of the earlier store).
fn read_manifest(path: &Path) -> Option<Vec<(String, String)>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MANIFEST {
        return None;
    }
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    if !doc["engine"].as_str()?.starts_with("algoperf-engine ") {
        return None;
    }
    let listed = doc["files"].as_array()?.iter().filter_map(|f| {
        let name = f["name"].as_str()?;
        let plain = crate::fs::is_plain_name(name) && name != MANIFEST && name != STORE;
        let sha = f["sha256"].as_str()?;
        plain.then(|| (name.to_string(), sha.to_string()))
    });
    Some(listed.collect())
}

/// A file of an output's name that the engine did not write is refused,
/// naming it: the run never replaces it (README: never removed).
fn refuse_users_files(out: &Path, names: &[&str], ours: &BTreeSet<OsString>) -> Result<()> {
    for name in names {
        let path = out.join(name);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            return Err(write_error(
                path,
                std::io::ErrorKind::IsADirectory,
                "a folder of that name is in the way",
            ));
        }
        if !ours.contains(OsStr::new(name)) {
            return Err(write_error(
                path,
                std::io::ErrorKind::AlreadyExists,
                "a file the engine did not write (not as the folder's manifest lists it) has this output's name; move or remove it",
            ));
        }
    }
    Ok(())
}

/// The prefix of the folders built beside `out`: its name when short and
/// printable, else a hash of it.
fn sibling_prefix(out: &Path) -> String {
    let name = out.file_name().unwrap_or_default();
    let tag = match name.to_str() {
        Some(s) if s.len() <= 200 => s.to_string(),
        _ => sha256_hex(name.as_encoded_bytes())[..16].to_string(),
    };
    format!(".{tag}.algoperf-")
}

/// Whether `name` is that of a folder built beside `out`.
fn is_sibling(out: &Path, name: &OsStr) -> bool {
    let prefix = sibling_prefix(out);
    name.to_str()
        .and_then(|n| n.strip_prefix(prefix.as_str()))
        .is_some_and(|rest| {
            rest.len() == SUFFIX_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

fn parent_of(out: &Path) -> Result<&Path> {
    out.parent().ok_or_else(|| {
        write_error(
            out.to_path_buf(),
            std::io::ErrorKind::InvalidInput,
            "the output folder cannot be a file system's root",
        )
    })
}

/// A random name beside `out` that [`is_sibling`] recognises.
fn sibling_name(out: &Path) -> Result<PathBuf> {
    use rand::distributions::{Alphanumeric, DistString};
    let suffix = Alphanumeric.sample_string(&mut rand::thread_rng(), SUFFIX_LEN);
    Ok(parent_of(out)?.join(format!("{}{suffix}", sibling_prefix(out))))
}

/// A new folder beside `out`, its name unpredictable, made by this run
/// (`mkdir` never follows or reuses anything), with the store and marker.
fn make_build_folder(out: &Path) -> Result<PathBuf> {
    let parent = parent_of(out)?;
    for _ in 0..100 {
        let build = sibling_name(out)?;
        match std::fs::create_dir(&build) {
            Ok(()) => {
                let store = build.join(STORE);
                let marked = std::fs::create_dir(&store)
                    .and_then(|()| File::create(store.join(BUILDING)).map(drop));
                if let Err(e) = marked {
                    let _ = std::fs::remove_dir_all(&build);
                    return Err(io_error(&build)(e));
                }
                return Ok(build);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(write_error(
                    out.to_path_buf(),
                    e.kind(),
                    format!(
                        "the run builds its folder beside the output folder, in {}: {e}",
                        parent.display()
                    ),
                ))
            }
        }
    }
    Err(write_error(
        out.to_path_buf(),
        std::io::ErrorKind::AlreadyExists,
        "no free name for the new folder",
    ))
}

/// Writes the run's files (each made, written and dropped in turn) and its
/// manifest into `build`, links the user's files and the lock from `out`,
/// gives `build` the permissions of `out`, and flushes it all.
fn fill(
    build: &Path,
    out: &Path,
    files: &[OutputFile],
    manifest: Option<MakeManifest>,
    ours: &BTreeSet<OsString>,
) -> Result<()> {
    let mut listed = Vec::with_capacity(files.len());
    let mut open = Open::default();
    for file in files {
        let bytes = file.body.bytes();
        open.keep(write_new(&build.join(&file.name), &bytes)?);
        if manifest.is_some() {
            listed.push(Written::of(&file.name, &bytes));
        }
    }
    if let Some(make) = manifest {
        open.keep(write_new(&build.join(MANIFEST), &make(&listed))?);
    }
    for entry in std::fs::read_dir(out).map_err(io_error(out))?.flatten() {
        let name = entry.file_name();
        if name == STORE || ours.contains(&name) {
            continue;
        }
        // A folder, or a file that cannot be linked, is moved across after
        // the swap (see `retire`).
        if entry.file_type().is_ok_and(|t| !t.is_dir()) {
            let _ = std::fs::hard_link(entry.path(), build.join(&name));
        }
    }
    let lock = out.join(STORE).join(LOCK);
    let _ = std::fs::hard_link(&lock, build.join(STORE).join(LOCK));
    keep_owner_and_mode(out, build);
    open.flush(build).map_err(io_error(build))
}

/// Creates `path` (never an existing file, never through a link), writes
/// `bytes`; the file is returned to be flushed with the others.
fn write_new(path: &Path, bytes: &[u8]) -> Result<File> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io_error(path))?;
    f.write_all(bytes).map_err(io_error(path))?;
    Ok(f)
}

/// The files written into the new folder, until they are on disk: on Linux
/// none is kept open (one `syncfs` flushes the folder's file system, and
/// a file descriptor per submission's summary would run into the limit of
/// open files at about a thousand submissions); elsewhere each is kept to
/// be `fsync`ed.
#[derive(Default)]
struct Open(#[cfg(not(target_os = "linux"))] Vec<File>);

impl Open {
    #[cfg(target_os = "linux")]
    fn keep(&mut self, _file: File) {}

    #[cfg(not(target_os = "linux"))]
    fn keep(&mut self, file: File) {
        self.0.push(file);
    }

    /// Every byte of the new folder on disk before the swap makes it
    /// visible: one `syncfs` on Linux, else one `fsync` per file.
    #[cfg(target_os = "linux")]
    fn flush(self, build: &Path) -> std::io::Result<()> {
        use std::os::unix::io::AsRawFd;
        let dir = File::open(build)?;
        // SAFETY: syncfs on a file descriptor this process owns.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    #[cfg(not(target_os = "linux"))]
    fn flush(self, _build: &Path) -> std::io::Result<()> {
        self.0.iter().try_for_each(File::sync_all)
    }
}

/// The new folder gets the old one's permissions, and its owner and group
/// where the system lets this process give them (root).
fn keep_owner_and_mode(out: &Path, build: &Path) {
    let Ok(meta) = std::fs::metadata(out) else {
        return;
    };
    let _ = std::fs::set_permissions(build, meta.permissions());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::chown(build, Some(meta.uid()), Some(meta.gid()));
    }
}

/// Exchanges `out` and `build` (see the module documentation).
fn swap(out: &Path, build: &Path) -> Result<()> {
    match exchange(out, build) {
        Ok(()) => Ok(()),
        Err(e) if exchange_unsupported(&e) => {
            // Two renames: the old folder goes where the new one was.
            let aside = sibling_name(out)?;
            std::fs::rename(out, &aside)
                .and_then(|()| std::fs::rename(build, out))
                .and_then(|()| std::fs::rename(&aside, build))
                .map_err(io_error(out))
        }
        Err(e) => Err(io_error(out)(e)),
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two NUL-terminated paths that live across the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

fn exchange_unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP)
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        e.kind() == std::io::ErrorKind::Unsupported
    }
}

/// Whether `a` and `b` are the same file (not following links).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Empties the swapped-out folder `old` into `out`: the engine's files and
/// the links of the user's files are removed, anything else is moved into
/// `out` when its name is free there; `old` is removed when empty. Returns
/// the names left in `old`.
fn retire(old: &Path, out: &Path) -> Vec<OsString> {
    let ours = engine_entries(old);
    let mut kept = Vec::new();
    let Ok(entries) = std::fs::read_dir(old) else {
        return kept;
    };
    // The manifest goes last: until then the folder still tells which of
    // its files are the engine's, should this run be killed half-way.
    let mut names: Vec<OsString> = entries.flatten().map(|e| e.file_name()).collect();
    names.sort_by_key(|n| n == MANIFEST);
    for name in names {
        let path = old.join(&name);
        let target = out.join(&name);
        let done = if name == MANIFEST && !kept.is_empty() {
            false
        } else if name == STORE {
            std::fs::remove_dir_all(&path).is_ok()
        } else if ours.contains(&name) || same_file(&path, &target) {
            std::fs::remove_file(&path).is_ok()
        } else if std::fs::symlink_metadata(&target).is_err() {
            std::fs::rename(&path, &target).is_ok()
        } else {
            false
        };
        if !done {
            kept.push(name);
        }
    }
    if kept.is_empty() {
        let _ = std::fs::remove_dir(old);
    }
    kept
}

fn report_kept(old: &Path, out: &Path, kept: &[OsString]) {
    if kept.is_empty() {
        return;
    }
    let names: Vec<_> = kept.iter().map(|n| n.to_string_lossy()).collect();
    eprintln!(
        "note: {} (the earlier output folder) still holds what could not be removed, or moved back into {} (a name taken there): {}; the next run tries again",
        old.display(),
        out.display(),
        names.join(", ")
    );
}

/// Clears what killed runs left beside `out` (see the module documentation).
fn recover_leftovers(out: &Path) {
    let Some(parent) = out.parent() else { return };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !is_sibling(out, &name) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        if std::fs::symlink_metadata(path.join(STORE).join(BUILDING)).is_ok() {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            report_kept(&path, out, &retire(&path, out));
        }
    }
}

/// SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
