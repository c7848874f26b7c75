//! Writing output files whole or not at all: every file goes to a temporary
//! name in the output folder first, and only when all of them are written are
//! they renamed into place. A failed run leaves earlier outputs untouched.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Refuses an output folder inside the submissions tree: the outputs would be
/// walked as submissions on the next run.
pub fn check_output_dir(output: &Path, submissions: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        };
        // Canonicalise the longest existing ancestor, keep the rest.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut out = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        for r in rest.into_iter().rev() {
            out.push(r);
        }
        out
    };
    let (o, s) = (abs(output), abs(submissions));
    if o.starts_with(&s) {
        return Err(Error::OutputInsideSubmissions {
            output: output.to_path_buf(),
            submissions: submissions.to_path_buf(),
        });
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
                return Err(Error::Write {
                    path: output.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotADirectory,
                        format!("{} is a file, not a folder", p.display()),
                    ),
                })
            }
            // A dangling symbolic link: creating the folder would fail
            // with a bare "File exists".
            Err(_) if p.is_symlink() => {
                let target = std::fs::read_link(p).unwrap_or_default();
                return Err(Error::Write {
                    path: output.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!(
                            "{} is a symbolic link to {}, which does not exist",
                            p.display(),
                            target.display()
                        ),
                    ),
                });
            }
            Err(_) => match p.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => p = parent,
                _ => return Ok(()),
            },
        }
    }
}

/// Writes `(file name, bytes)` pairs into `dir`, all or none.
///
/// Nothing is renamed into place until every temporary file is written and
/// no final name is taken by a folder (the one way a rename of a file over
/// a name in the same folder fails in practice), so a failure leaves the
/// folder's earlier files as they were.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    check_output_target(dir)?;
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    for (name, _) in files {
        let final_path = dir.join(name);
        if std::fs::symlink_metadata(&final_path).is_ok_and(|m| m.is_dir()) {
            return Err(Error::Write {
                path: final_path,
                source: std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "a folder of that name is in the way",
                ),
            });
        }
    }
    let pid = std::process::id();
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    let cleanup = |temps: &[(PathBuf, PathBuf)]| {
        for (t, _) in temps {
            let _ = std::fs::remove_file(t);
        }
    };
    for (name, bytes) in files {
        let final_path = dir.join(name);
        let tmp = dir.join(format!(".{name}.{pid}.tmp"));
        // No fsync: the rename protects readers from partial files when a
        // run fails; durability across power loss is the file system's job.
        let result = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes));
        if let Err(source) = result {
            let _ = std::fs::remove_file(&tmp);
            cleanup(&temps);
            return Err(Error::Write {
                path: final_path,
                source,
            });
        }
        temps.push((tmp, final_path));
    }
    for (i, (tmp, final_path)) in temps.iter().enumerate() {
        if let Err(source) = std::fs::rename(tmp, final_path) {
            cleanup(&temps[i..]);
            return Err(Error::Write {
                path: final_path.clone(),
                source,
            });
        }
    }
    Ok(())
}
