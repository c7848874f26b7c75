//! Writing a run's outputs into the output folder whole or not at all, and
//! so that a process killed at any moment (`kill -9`, a crash, SIGTERM, a
//! full disk) leaves the folder showing either the complete earlier run or
//! the complete new one — never a mix, never a temporary file beside the
//! outputs.
//!
//! # Why not one rename per file
//!
//! A folder's entries change one system call at a time, so renaming N files
//! into place can never be atomic: a run killed between two renames leaves
//! some files of each run. The outputs therefore live in a folder of their
//! own and are reached through one symbolic link, which one `rename(2)`
//! switches:
//!
//! ```text
//! out/
//!   scores.csv             -> .algoperf-engine/current/scores.csv
//!   …                      -> .algoperf-engine/current/…
//!   algoperf-manifest.json -> .algoperf-engine/current/algoperf-manifest.json
//!   .algoperf-engine/
//!     current -> a          the commit record: which slot is the run
//!     a/                    the run's files (the manifest among them)
//!     b/                    staging: the next run is written here
//! ```
//!
//! A run (see [`write_run`]):
//!
//! 1. checks every name (a plain file name; no folder in the way), before
//!    anything is changed;
//! 2. empties the slot `current` does not point to — the staging area,
//!    which holds whatever a killed run left — and writes every file there;
//! 3. makes the link `out/<name>` for each name that has none (it dangles
//!    until the commit: the slot `current` points to has no such file);
//! 4. **commits**: a link `current.new` to the staging slot is renamed over
//!    `current`, one atomic step;
//! 5. tidies: removes the links of names the new run does not write (those
//!    of the previous run, listed in its manifest, and any a killed run
//!    made), then the previous slot.
//!
//! # The guarantee
//!
//! Every link reads through `current`, which always names a complete slot,
//! so at every moment the names of the output folder that can be read are
//! exactly the files of one complete run, with that run's bytes: the earlier
//! one up to the commit, the new one from it. What a killed run can leave
//! besides: the staging slot and `current.new` inside `.algoperf-engine/`,
//! and links of names that the readable run does not have, which dangle
//! (they read as "no such file"). The next run clears all three.
//! `tests/it/output_folder.rs` kills runs at random moments and checks exactly
//! this. A failed run (an error, not a kill) also removes what it made.
//!
//! The engine removes only what it made: links whose target is
//! `.algoperf-engine/current/<their own name>`. A file you put in the folder,
//! or put in place of one of its links, is never removed. A file of an
//! output's name that the engine did not make (written by an earlier version
//! of the engine, which wrote plain files) is replaced by the run's link;
//! that first run into such a folder is not crash-safe.
//!
//! Each staged file's data is flushed to disk before the commit, the one
//! `fsync` policy of [`crate::fs`]: a power loss leaves the earlier run or
//! the new one, not a new run of empty files. Not guaranteed: that the
//! commit itself survives a power loss (folders are not flushed; the earlier
//! run is then what is read), and two runs into one folder at the same time.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::ReportError;
use crate::error::{Error, Result};
pub use crate::fs::{is_plain_name, NAME_MAX};

/// The hidden folder inside the output folder holding the runs' files.
pub const STORE: &str = ".algoperf-engine";
/// The manifest every run writes beside its outputs.
pub const MANIFEST: &str = "algoperf-manifest.json";
/// The two slots: the current run and the staging area.
const SLOTS: [&str; 2] = ["a", "b"];
/// The commit record: a link to the current slot.
const CURRENT: &str = "current";
/// The commit record being made, renamed over [`CURRENT`].
const NEXT: &str = "current.new";
/// A link being made to replace a file the engine did not write.
const NEW_LINK: &str = "link.new";

fn write_error(path: PathBuf, kind: std::io::ErrorKind, message: impl Into<String>) -> Error {
    Error::Report(ReportError::Write {
        path,
        source: std::io::Error::new(kind, message.into()),
    })
}

/// Refuses an output folder inside the submissions tree: the outputs would be
/// walked as submissions on the next run.
pub fn check_output_dir(output: &Path, submissions: &Path) -> Result<()> {
    if crate::fs::is_inside(output, submissions) {
        return Err(ReportError::OutputInsideSubmissions {
            output: output.to_path_buf(),
            submissions: submissions.to_path_buf(),
        }
        .into());
    }
    Ok(())
}

/// Refuses a results cache (`--save-results`) inside the submissions tree:
/// it could overwrite an input log, and would be read as one next time.
pub fn check_cache_path(cache: &Path, submissions: &Path) -> Result<()> {
    if crate::fs::is_inside(cache, submissions) {
        return Err(ReportError::CacheInsideSubmissions {
            cache: cache.to_path_buf(),
            submissions: submissions.to_path_buf(),
        }
        .into());
    }
    Ok(())
}

/// Refuses an output folder that cannot be one: the folder, or the nearest
/// of its ancestors that exists, is a file. Checked before the logs are read,
/// so that a long run does not end on it.
pub fn check_output_target(output: &Path) -> Result<()> {
    let mut p = output;
    loop {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => return Ok(()),
            Ok(_) => {
                return Err(write_error(
                    output.to_path_buf(),
                    std::io::ErrorKind::NotADirectory,
                    format!("{} is a file, not a folder", p.display()),
                ))
            }
            // A dangling symbolic link: creating the folder would fail
            // with a bare "File exists".
            Err(_) if p.is_symlink() => {
                let target = std::fs::read_link(p).unwrap_or_default();
                return Err(ReportError::Write {
                    path: output.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!(
                            "{} is a symbolic link to {}, which does not exist",
                            p.display(),
                            target.display()
                        ),
                    ),
                }
                .into());
            }
            Err(_) => match p.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => p = parent,
                _ => return Ok(()),
            },
        }
    }
}

/// The link `out/<name>` points to.
fn link_target(name: &str) -> PathBuf {
    Path::new(STORE).join(CURRENT).join(name)
}

/// Whether `path` is a link the engine made for output `name`.
fn is_our_link(path: &Path, name: &str) -> bool {
    std::fs::read_link(path).is_ok_and(|t| t == link_target(name))
}

/// Checks every output name before anything is changed.
fn check_names(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    for (name, _) in files {
        let path = dir.join(name);
        if !is_plain_name(name) || name.len() > NAME_MAX {
            return Err(write_error(
                path,
                std::io::ErrorKind::InvalidInput,
                format!("not a plain file name of at most {NAME_MAX} bytes"),
            ));
        }
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            return Err(write_error(
                path,
                std::io::ErrorKind::IsADirectory,
                "a folder of that name is in the way",
            ));
        }
    }
    Ok(())
}

/// `out/.algoperf-engine`, made if absent; anything else of that name (a
/// file, a link that could lead outside the output folder) is refused.
fn open_store(dir: &Path) -> Result<PathBuf> {
    let store = dir.join(STORE);
    match std::fs::symlink_metadata(&store) {
        Ok(m) if m.is_dir() => Ok(store),
        Ok(_) => Err(write_error(
            store,
            std::io::ErrorKind::AlreadyExists,
            "not a folder this engine made (a file or a link); remove it",
        )),
        Err(_) => std::fs::create_dir(&store)
            .map(|()| store.clone())
            .map_err(|source| {
                ReportError::Write {
                    path: store,
                    source,
                }
                .into()
            }),
    }
}

/// The slot `current` points to, if it names one.
fn current_slot(store: &Path) -> Option<&'static str> {
    let target = std::fs::read_link(store.join(CURRENT)).ok()?;
    SLOTS.into_iter().find(|s| target == Path::new(s))
}

/// Removes a file, link or folder tree; absent is fine.
fn remove_any(path: &Path) -> std::io::Result<()> {
    let result = match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Writes every file into the (emptied) staging slot.
fn stage(slot: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Write { path, source }
    };
    remove_any(slot).map_err(io(slot))?;
    std::fs::create_dir(slot).map_err(io(slot))?;
    for (name, bytes) in files {
        let path = slot.join(name);
        crate::fs::write_synced(&path, bytes).map_err(io(&path))?;
    }
    Ok(())
}

/// Makes `out/<name>` a link through `current` for every name without one;
/// returns the links made (to remove on failure). A file the engine did not
/// make is replaced by renaming a new link over it.
fn link_outputs(dir: &Path, store: &Path, names: &[&str], made: &mut Vec<PathBuf>) -> Result<()> {
    for name in names {
        let path = dir.join(name);
        if is_our_link(&path, name) {
            continue;
        }
        let io = |source| ReportError::Write {
            path: path.clone(),
            source,
        };
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                symlink(&link_target(name), &path).map_err(io)?;
                made.push(path);
            }
            _ => {
                let tmp = store.join(NEW_LINK);
                remove_any(&tmp).map_err(io)?;
                symlink(&link_target(name), &tmp).map_err(io)?;
                std::fs::rename(&tmp, &path).map_err(io)?;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "the output folder needs symbolic links (a Unix system)",
    ))
}

/// The commit: `current` names `slot` after one rename.
fn commit(store: &Path, slot: &str) -> Result<()> {
    let next = store.join(NEXT);
    let current = store.join(CURRENT);
    remove_any(&next)
        .and_then(|()| symlink(Path::new(slot), &next))
        .and_then(|()| std::fs::rename(&next, &current))
        .map_err(|source| {
            ReportError::Write {
                path: current,
                source,
            }
            .into()
        })
}

/// After the commit: removes the links of names this run does not write
/// (the previous run's, and any a killed run made) and the previous slot.
/// Best effort: the run is committed, and what is left is cleared next time.
fn tidy(dir: &Path, store: &Path, names: &[&str], previous: Option<&str>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if !names.contains(&name) && is_our_link(&entry.path(), name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    if let Some(slot) = previous {
        let _ = remove_any(&store.join(slot));
    }
    let _ = remove_any(&store.join(NEW_LINK));
}

/// Writes `(file name, bytes)` pairs into `dir`, each one atomically (see
/// [`crate::fs::write_file`]) but not all at once: for single files a user names (an
/// HTML page), where no store belongs. A run's outputs go through
/// [`write_run`].
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    check_output_target(dir)?;
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    for (name, bytes) in files {
        crate::fs::write_file(&dir.join(name), bytes)?;
    }
    Ok(())
}

/// Writes a run's `(file name, bytes)` outputs into the output folder `dir`,
/// all or none, as the module documentation describes. On an error nothing
/// readable in `dir` has changed.
pub fn write_run(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    check_output_target(dir)?;
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    check_names(dir, files)?;
    let store = open_store(dir)?;
    let previous = current_slot(&store);
    let staging = if previous == Some(SLOTS[0]) {
        SLOTS[1]
    } else {
        SLOTS[0]
    };
    let slot = store.join(staging);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let mut made = Vec::new();
    let result = stage(&slot, files)
        .and_then(|()| link_outputs(dir, &store, &names, &mut made))
        .and_then(|()| commit(&store, staging));
    if let Err(e) = result {
        for link in made {
            let _ = std::fs::remove_file(link);
        }
        let _ = remove_any(&slot);
        let _ = remove_any(&store.join(NEW_LINK));
        return Err(e);
    }
    tidy(dir, &store, &names, previous);
    Ok(())
}

/// SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a run's manifest records besides its files: where its inputs came
/// from. No clock time, so that two runs of the same inputs write the same
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The spec file, as given.
    pub spec: PathBuf,
    pub spec_sha256: String,
    /// The targets file the spec names.
    pub targets: PathBuf,
    pub targets_sha256: String,
    /// `submissions` or `results_cache`, and its path as given.
    pub input_kind: &'static str,
    pub input: PathBuf,
}

impl Provenance {
    /// Reads and hashes the spec and its targets file.
    pub fn of(spec: &crate::spec::Spec, input_kind: &'static str, input: &Path) -> Result<Self> {
        let hash = |path: &Path| -> Result<String> {
            let bytes =
                crate::spec::shipped::read_bytes(path).map_err(|source| ReportError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
            Ok(sha256_hex(&bytes))
        };
        Ok(Provenance {
            spec: spec.path.clone(),
            spec_sha256: hash(&spec.path)?,
            targets: spec.targets_path.clone(),
            targets_sha256: hash(&spec.targets_path)?,
            input_kind,
            input: input.to_path_buf(),
        })
    }
}

/// One file in a manifest.
#[derive(serde::Serialize)]
struct ManifestFile<'a> {
    name: &'a str,
    bytes: usize,
    sha256: String,
}

/// A hashed input file in a manifest.
#[derive(serde::Serialize)]
struct ManifestInput {
    path: String,
    sha256: String,
}

/// The manifest's fields, in the order they are written.
#[derive(serde::Serialize)]
struct ManifestDoc<'a> {
    engine: String,
    spec: ManifestInput,
    targets: ManifestInput,
    /// `submissions` or `results_cache`.
    input_kind: &'static str,
    input: String,
    files: Vec<ManifestFile<'a>>,
}

/// The manifest (`algoperf-manifest.json`) of a run writing `files`: the
/// engine version, the inputs, and each file's name, size and SHA-256 (the
/// manifest does not list itself), so that a reader can tell which run the
/// folder holds and check it is whole.
pub fn manifest(provenance: &Provenance, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let path = |p: &Path| p.to_string_lossy().into_owned();
    let doc = ManifestDoc {
        engine: format!("algoperf-engine {}", env!("CARGO_PKG_VERSION")),
        spec: ManifestInput {
            path: path(&provenance.spec),
            sha256: provenance.spec_sha256.clone(),
        },
        targets: ManifestInput {
            path: path(&provenance.targets),
            sha256: provenance.targets_sha256.clone(),
        },
        input_kind: provenance.input_kind,
        input: path(&provenance.input),
        files: files
            .iter()
            .map(|(name, bytes)| ManifestFile {
                name,
                bytes: bytes.len(),
                sha256: sha256_hex(bytes),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}
