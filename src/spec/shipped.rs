//! The published rulesets and targets, built into the binary.
//!
//! A user who installed the binary or the wheel has no `rulesets/` folder,
//! so `--spec v05_external` names a spec shipped inside the program. Each
//! shipped file gets a path under the virtual root [`ROOT`]
//! (`builtin:/rulesets/v05_external.toml`); the loader reads every file
//! through [`read`], so a shipped ruleset's `extends = "…"` and
//! `targets = "../targets/…"` resolve inside the shipped set exactly as they
//! do in the repository, and errors and provenance name the shipped file.
//!
//! [`load`] is the spec loader's entry: an existing file is loaded as
//! before; otherwise a shipped name; otherwise an error listing the shipped
//! names with a did-you-mean.

use std::path::{Component, Path, PathBuf};

use super::diagnostic::SpecError;
use crate::diagnostics::did_you_mean;

/// The virtual folder the shipped files live in.
pub const ROOT: &str = "builtin:";

/// Every shipped file: its path relative to the repository root, and text.
/// (A test checks that this is every file of `rulesets/` and `targets/`.)
const FILES: &[(&str, &str)] = &[
    (
        "rulesets/latest_external.toml",
        include_str!("../../rulesets/latest_external.toml"),
    ),
    (
        "rulesets/latest_self.toml",
        include_str!("../../rulesets/latest_self.toml"),
    ),
    (
        "rulesets/v05_external.toml",
        include_str!("../../rulesets/v05_external.toml"),
    ),
    (
        "rulesets/v05_self.toml",
        include_str!("../../rulesets/v05_self.toml"),
    ),
    (
        "rulesets/v06_external.toml",
        include_str!("../../rulesets/v06_external.toml"),
    ),
    (
        "rulesets/v06_self.toml",
        include_str!("../../rulesets/v06_self.toml"),
    ),
    (
        "targets/algoperf_v05.toml",
        include_str!("../../targets/algoperf_v05.toml"),
    ),
    (
        "targets/algoperf_v06.toml",
        include_str!("../../targets/algoperf_v06.toml"),
    ),
];

/// The file `load` reads for `path_or_name`: the path itself when it exists,
/// is already a shipped path or names a folder (`rulesets/x.toml`: its read
/// error says what is wrong), else the shipped ruleset of that name.
pub fn resolve(path_or_name: &Path) -> Result<PathBuf, SpecError> {
    let is_path = path_or_name.components().count() > 1;
    if is_path || path_or_name.exists() || is_shipped_path(path_or_name) {
        return Ok(path_or_name.to_path_buf());
    }
    let given = path_or_name.to_string_lossy();
    if let Some(path) = ruleset_path(&given) {
        return Ok(path);
    }
    Err(SpecError::whole_file(path_or_name, unknown_message(&given)))
}

/// The names of the shipped rulesets (`v05_external`, …), sorted.
pub fn ruleset_names() -> Vec<&'static str> {
    FILES
        .iter()
        .filter_map(|(rel, _)| rel.strip_prefix("rulesets/")?.strip_suffix(".toml"))
        .collect()
}

/// The names of the shipped targets files (`targets/algoperf_v05`, …).
pub fn targets_names() -> Vec<&'static str> {
    FILES
        .iter()
        .filter_map(|(rel, _)| rel.strip_suffix(".toml"))
        .filter(|n| n.starts_with("targets/"))
        .collect()
}

/// The text of a shipped ruleset (`v05_external`) or targets file
/// (`targets/algoperf_v05`); `.toml` may be given.
pub fn text(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    let rel = if name.contains('/') {
        format!("{name}.toml")
    } else {
        format!("rulesets/{name}.toml")
    };
    FILES.iter().find(|(r, _)| *r == rel).map(|(_, t)| *t)
}

/// The error for a name that is neither a file nor a shipped spec.
pub fn unknown_message(given: &str) -> String {
    let names = ruleset_names();
    let stem = Path::new(given)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let hint = did_you_mean(&stem, names.iter().copied());
    format!(
        "no such file, and not the name of a shipped spec{hint}; shipped specs: {} \
         (`algoperf-engine spec list`)",
        names.join(", ")
    )
}

/// The virtual path of a shipped ruleset by name.
fn ruleset_path(name: &str) -> Option<PathBuf> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    let rel = format!("rulesets/{name}.toml");
    FILES
        .iter()
        .any(|(r, _)| *r == rel)
        .then(|| PathBuf::from(format!("{ROOT}/{rel}")))
}

/// Whether `path` is under the virtual root (`builtin:/…`).
pub fn is_shipped_path(path: &Path) -> bool {
    matches!(path.components().next(), Some(Component::Normal(c)) if c == ROOT)
}

/// A spec or targets file's text: a shipped file's, or the file's.
pub fn read(path: &Path) -> std::io::Result<String> {
    if !is_shipped_path(path) {
        // Bounded, and only a regular file: `/dev/zero` is refused.
        let max = crate::limits::MAX_SPEC_FILE;
        return crate::limits::read_text(path, max, "the spec file limit of");
    }
    shipped_text(path).map(str::to_string)
}

/// A spec or targets file's bytes, for its provenance hash.
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    if !is_shipped_path(path) {
        let max = crate::limits::MAX_SPEC_FILE;
        return crate::limits::read_regular(path, max, "the spec file limit of");
    }
    shipped_text(path).map(|t| t.as_bytes().to_vec())
}

fn shipped_text(path: &Path) -> std::io::Result<&'static str> {
    let rel = normalize(path);
    let rel = rel.strip_prefix(ROOT).unwrap_or(&rel);
    let rel = rel.to_string_lossy();
    let rel = rel.trim_start_matches('/');
    FILES
        .iter()
        .find(|(r, _)| *r == rel)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not a file shipped with algoperf-engine",
            )
        })
}

/// `a/b/../c` → `a/c`, `a/./b` → `a/b`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// `rulesets/../targets/x.toml` shown as `targets/x.toml` when both name the
/// same file (a symbolic link on the way could make them differ, and then
/// the path is kept as written).
pub fn clean(path: &Path) -> PathBuf {
    let normal = normalize(path);
    if normal == path || is_shipped_path(path) {
        return normal;
    }
    match (std::fs::canonicalize(path), std::fs::canonicalize(&normal)) {
        (Ok(a), Ok(b)) if a == b => normal,
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_rulesets_and_targets_is_shipped() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        for dir in ["rulesets", "targets"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                if name.ends_with(".toml") {
                    on_disk.push(format!("{dir}/{name}"));
                }
            }
        }
        on_disk.sort();
        let shipped: Vec<String> = FILES.iter().map(|(r, _)| r.to_string()).collect();
        assert_eq!(shipped, on_disk);
        for (rel, text) in FILES {
            assert_eq!(
                std::fs::read_to_string(root.join(rel)).unwrap(),
                *text,
                "{rel}"
            );
        }
    }

    #[test]
    fn every_shipped_ruleset_loads_with_its_targets_from_the_shipped_set() {
        for name in ruleset_names() {
            let spec = crate::spec::load(Path::new(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(is_shipped_path(&spec.path), "{}", spec.path.display());
            assert!(
                is_shipped_path(&spec.targets_path),
                "{name}: targets {}",
                spec.targets_path.display()
            );
            assert!(!spec.targets_path.to_string_lossy().contains(".."));
        }
    }

    #[test]
    fn an_unknown_name_lists_the_shipped_ones_with_a_did_you_mean() {
        let e = crate::spec::load(Path::new("v05_externl"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `v05_external`"), "{e}");
        assert!(e.contains("v06_self"), "{e}");
    }

    #[test]
    fn normalize_resolves_dots_lexically() {
        assert_eq!(
            normalize(Path::new("rulesets/../targets/a.toml")),
            PathBuf::from("targets/a.toml")
        );
        assert_eq!(
            normalize(Path::new("builtin:/rulesets/../targets/a.toml")),
            PathBuf::from("builtin:/targets/a.toml")
        );
        assert_eq!(normalize(Path::new("../a/./b")), PathBuf::from("../a/b"));
    }

    #[test]
    fn text_by_ruleset_name_or_targets_name() {
        assert!(text("v05_external").is_some_and(|t| t.contains("[benchmark]")));
        assert!(text("targets/algoperf_v05").is_some());
        assert!(text("nope").is_none());
    }
}
