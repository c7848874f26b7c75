//! The one guard of every write path (`--output-dir`, `--html`,
//! `--save-results`, `stability --plot`, `report --html`,
//! `leaderboard --update`): a run never writes under the submissions tree
//! and never over one of its own inputs (the spec, each file of its
//! `extends` chain, the targets file, a results cache it reads, an info
//! file), and every target is checked before any log is read.
//!
//! Files are compared by device and inode, not by path: a second path to the
//! same file (a hard link, a bind mount, a symbolic link in a parent) is the
//! same file.

use std::path::{Path, PathBuf};

use super::error::ReportError;
use super::store::write_error;
use crate::error::Result;
use crate::spec::Spec;

/// A file's identity: device and inode.
type Id = (u64, u64);

fn id_of(path: &Path) -> Option<Id> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn link_id_of(path: &Path) -> Option<Id> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path)
            .ok()
            .map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// What a file target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `--save-results`.
    Cache,
    /// `--html`, `report --html` (its folder is made if absent).
    Page,
    /// `stability --plot`.
    Plot,
    /// `leaderboard --update`.
    Update,
    /// `targets derive --toml`, `--json`, `--budgets-json`.
    Targets,
}

/// The inputs of a run, as the guard sees them.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Each input file: its path, what it is, its identity.
    files: Vec<(PathBuf, &'static str, Id)>,
    /// The submissions tree.
    tree: Option<(PathBuf, Id)>,
}

impl Inputs {
    /// The spec, each file of its `extends` chain, and its targets file.
    pub fn of_spec(spec: &Spec) -> Self {
        let mut inputs = Inputs::default();
        inputs.add_file(&spec.path, "the spec");
        for source in &spec.sources {
            inputs.add_file(&source.file, "a spec of the `extends` chain");
        }
        inputs.add_file(&spec.targets_path, "the targets file");
        inputs
    }

    /// An input file (ignored when it does not exist).
    pub fn add_file(&mut self, path: &Path, what: &'static str) {
        if let Some(id) = id_of(path) {
            self.files.push((path.to_path_buf(), what, id));
        }
    }

    /// The submissions tree.
    pub fn add_tree(&mut self, path: &Path) {
        if let Some(id) = id_of(path) {
            self.tree = Some((path.to_path_buf(), id));
        }
    }

    /// Each `<submission>/submission_info.yml` under `info_dir`.
    pub fn add_info_dir(&mut self, info_dir: Option<&Path>) {
        let Some(entries) = info_dir.and_then(|d| std::fs::read_dir(d).ok()) else {
            return;
        };
        for entry in entries.flatten() {
            let file = entry.path().join(super::info::INFO_FILE);
            self.add_file(&file, "an info file");
        }
    }

    /// Refuses `target` as a file to write: a folder, an input of this run,
    /// a file under the submissions tree (but the file `leaderboard --update`
    /// edits: a README at the tree's root is its usual place), or one whose
    /// folder does not exist (for an HTML page: cannot be made).
    pub fn check_file(&self, target: &Path, kind: Kind) -> Result<()> {
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if target.file_name().is_none() {
            return Err(ReportError::NotAFileName {
                path: target.to_path_buf(),
            }
            .into());
        }
        if std::fs::metadata(target).is_ok_and(|m| m.is_dir()) {
            return Err(write_error(
                target.to_path_buf(),
                std::io::ErrorKind::IsADirectory,
                "a folder, not a file",
            ));
        }
        for id in [id_of(target), link_id_of(target)].into_iter().flatten() {
            if let Some((path, what, _)) = self.files.iter().find(|f| f.2 == id) {
                return Err(write_error(
                    target.to_path_buf(),
                    std::io::ErrorKind::AlreadyExists,
                    format!("{} is {what} of this run, an input", path.display()),
                ));
            }
        }
        if kind == Kind::Page {
            check_output_target(folder)?;
        } else if !std::fs::metadata(folder).is_ok_and(|m| m.is_dir()) {
            return Err(write_error(
                target.to_path_buf(),
                std::io::ErrorKind::NotFound,
                format!("no folder {}", folder.display()),
            ));
        }
        let Some(tree) = self.tree_holding(target) else {
            return Ok(());
        };
        let (path, submissions) = (target.to_path_buf(), tree.to_path_buf());
        Err(match kind {
            Kind::Update => return Ok(()),
            Kind::Cache => ReportError::CacheInsideSubmissions {
                cache: path,
                submissions,
            },
            Kind::Page | Kind::Plot | Kind::Targets => {
                ReportError::FileInsideSubmissions { path, submissions }
            }
        }
        .into())
    }

    /// Refuses `out` as the output folder: not a folder, or inside the
    /// submissions tree.
    pub fn check_folder(&self, out: &Path) -> Result<()> {
        check_output_target(out)?;
        if let Some(tree) = self.tree_holding(out) {
            return Err(ReportError::OutputInsideSubmissions {
                output: out.to_path_buf(),
                submissions: tree.to_path_buf(),
            }
            .into());
        }
        Ok(())
    }

    /// The submissions tree when `path` is in it, or is it: by path, and by
    /// the identity of each of its existing ancestors.
    fn tree_holding(&self, path: &Path) -> Option<&Path> {
        let (tree, id) = self.tree.as_ref()?;
        let resolved = crate::fs::resolve(path);
        let inside =
            crate::fs::is_inside(path, tree) || resolved.ancestors().any(|a| id_of(a) == Some(*id));
        inside.then_some(tree.as_path())
    }
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
