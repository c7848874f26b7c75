//! Writing a run's outputs into the output folder whole or not at all, and
//! so that a process killed at any moment (`kill -9`, a crash, SIGTERM, a
//! full disk) leaves the folder showing either the complete earlier run or
//! the complete new one — never a mix, never a temporary file among the
//! outputs — with every output a plain regular file (`cp -r`, `zip`,
//! `rsync` and CI artifact uploads see files, not links).
//!
//! How (a new folder built beside the output folder and swapped with it in
//! one step, under a lock; the user's files carried across) is
//! [`super::store`]'s business; this module checks the targets before a run
//! reads anything and writes the manifest.
//!
//! # The guarantee
//!
//! At every moment the output folder holds exactly the files of one complete
//! run, with that run's bytes and its manifest (`algoperf-manifest.json`),
//! plus the files the engine did not write. Two runs into one folder take
//! turns. A failed run (an error, not a kill) changes nothing. A run killed
//! at any moment may leave a hidden folder beside the output folder
//! (`.<out>.algoperf-XXXXXXXX`), which the next run clears.
//! `tests/it/output_folder.rs` kills runs at random moments and runs pairs
//! at once, and checks exactly this.
//!
//! The engine removes only what it wrote: a file that its folder's manifest
//! lists, with the listed bytes. A file you put in the folder is carried into
//! every later run's folder; a file of an output's name that the engine did
//! not write (or that you changed) makes the run fail, naming it, before
//! anything is written: it is never replaced.

use std::path::{Path, PathBuf};

use super::error::ReportError;
pub use super::guard::check_output_target;
pub use super::store::{sha256_hex, Body, OutputFile, Wait, Written, MANIFEST, STORE};
use crate::error::Result;
pub use crate::fs::{is_plain_name, NAME_MAX};

use super::store::write_error;

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

/// Checks every output name before anything is changed.
fn check_names(dir: &Path, files: &[OutputFile]) -> Result<()> {
    for name in files.iter().map(|f| &f.name) {
        if !is_plain_name(name) || name.len() > NAME_MAX || name == STORE {
            return Err(write_error(
                dir.join(name),
                std::io::ErrorKind::InvalidInput,
                format!("not a plain file name of at most {NAME_MAX} bytes"),
            ));
        }
    }
    Ok(())
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
/// all or none, as the module documentation describes, waiting for another
/// run writing the same folder. On an error nothing in `dir` has changed.
pub fn write_run(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    write_run_with(dir, files, Wait::Block)
}

/// [`write_run`], failing at once instead of waiting when `wait` says so
/// (`--no-wait`).
pub fn write_run_with(dir: &Path, files: &[(String, Vec<u8>)], wait: Wait) -> Result<()> {
    let files: Vec<OutputFile> = files
        .iter()
        .map(|(name, bytes)| OutputFile::bytes(name.as_str(), bytes.as_slice()))
        .collect();
    publish_run(dir, &files, None, wait)
}

/// [`write_run_with`] of files some of which are made only as they are
/// written, then the manifest of `provenance` listing them all: the main
/// job's output folder, holding one summary at a time.
pub fn write_run_streamed(
    dir: &Path,
    files: &[OutputFile],
    provenance: &Provenance,
    wait: Wait,
) -> Result<()> {
    let manifest = |listed: &[Written]| manifest_of(provenance, listed);
    publish_run(dir, files, Some(&manifest), wait)
}

/// Checks the folder and the names, then publishes (see [`super::store`]).
fn publish_run(
    dir: &Path,
    files: &[OutputFile],
    manifest: Option<super::store::MakeManifest>,
    wait: Wait,
) -> Result<()> {
    check_output_target(dir)?;
    check_names(dir, files)?;
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    // The folder itself is swapped, not a link to it.
    let real = dir.canonicalize().map_err(|source| ReportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    super::store::publish(&real, files, manifest, wait)
}

/// Writes a scored run's `files` (without a manifest) into the output folder
/// `dir` as the command line does: the guard of every write path (not
/// under the submissions tree `input` when `input_kind` is `submissions`),
/// the manifest, then [`write_run`]. For callers other than the command
/// line (the Python package's `ScoreResult.write()`), so that their writes
/// go through the same store.
pub fn write_outputs(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    spec: &crate::spec::Spec,
    input_kind: &'static str,
    input: &Path,
) -> Result<()> {
    let mut inputs = super::guard::Inputs::of_spec(spec);
    match input_kind {
        "submissions" => inputs.add_tree(input),
        _ => inputs.add_file(input, "the results cache"),
    }
    inputs.check_folder(dir)?;
    let provenance = Provenance::of(spec, input_kind, input)?;
    let mut all = files.to_vec();
    all.retain(|(name, _)| name != MANIFEST);
    let manifest = manifest(&provenance, &all);
    all.push((MANIFEST.to_string(), manifest));
    write_run(dir, &all)
}

/// The spec and its targets file as they are now, hashed: what both the
/// manifest ([`Provenance`]) and the HTML page
/// ([`crate::report::html::Provenance`]) record, read and hashed here only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFiles {
    /// The spec file, as given.
    pub spec: PathBuf,
    pub spec_sha256: String,
    /// The targets file the spec names.
    pub targets: PathBuf,
    pub targets_sha256: String,
}

impl SpecFiles {
    /// Reads and hashes both files; `unreadable` is the error of one that
    /// cannot be read (each caller's message says what it was read for).
    pub fn hash(
        spec: &crate::spec::Spec,
        unreadable: fn(PathBuf, std::io::Error) -> ReportError,
    ) -> Result<Self> {
        let hash = |path: &Path| -> Result<String> {
            // A shipped spec (builtin:/…) is read from the binary.
            let bytes = crate::spec::shipped::read_bytes(path)
                .map_err(|source| unreadable(path.to_path_buf(), source))?;
            Ok(sha256_hex(&bytes))
        };
        Ok(SpecFiles {
            spec: spec.path.clone(),
            spec_sha256: hash(&spec.path)?,
            targets: spec.targets_path.clone(),
            targets_sha256: hash(&spec.targets_path)?,
        })
    }
}

/// What a run's manifest records besides its files: where its inputs came
/// from. No clock time, so that two runs of the same inputs write the same
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The spec and its targets file, hashed.
    pub files: SpecFiles,
    /// `submissions` or `results_cache`, and its path as given.
    pub input_kind: &'static str,
    pub input: PathBuf,
}

impl Provenance {
    /// Reads and hashes the spec and its targets file.
    pub fn of(spec: &crate::spec::Spec, input_kind: &'static str, input: &Path) -> Result<Self> {
        Ok(Provenance {
            files: SpecFiles::hash(spec, |path, source| ReportError::Read { path, source })?,
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
    sha256: &'a str,
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
    let listed: Vec<Written> = files
        .iter()
        .map(|(name, bytes)| Written::of(name, bytes))
        .collect();
    manifest_of(provenance, &listed)
}

/// [`manifest`] of files already hashed.
pub fn manifest_of(provenance: &Provenance, listed: &[Written]) -> Vec<u8> {
    let path = |p: &Path| p.to_string_lossy().into_owned();
    let doc = ManifestDoc {
        engine: format!("algoperf-engine {}", env!("CARGO_PKG_VERSION")),
        spec: ManifestInput {
            path: path(&provenance.files.spec),
            sha256: provenance.files.spec_sha256.clone(),
        },
        targets: ManifestInput {
            path: path(&provenance.files.targets),
            sha256: provenance.files.targets_sha256.clone(),
        },
        input_kind: provenance.input_kind,
        input: path(&provenance.input),
        files: listed
            .iter()
            .map(|w| ManifestFile {
                name: &w.name,
                bytes: w.bytes,
                sha256: &w.sha256,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}
