//! The reference scoring command's flags (`scoring/score_submissions.py` of
//! `mlcommons/submissions_algorithms`) mapped onto the main job: which
//! shipped spec a `workload_targets*.json` means, which submissions its
//! include/exclude lists select, the workloads it stops on, and the files it
//! writes. The binary's `compat` subcommand and the Python drop-in
//! (`algoperf_engine.score_submissions`) follow the same rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::run::error::RunError;
use crate::spec::{self, Spec};

/// The files the reference writes with `--compute_performance_profiles`,
/// beside the `<submission>_summary.csv` files it always writes.
pub const PROFILE_FILES: [&str; 3] = [
    "scores.csv",
    "time_to_targets.csv",
    "performance_profile_score.csv",
];

fn compat_error(message: String) -> crate::error::Error {
    RunError::Compat { message }.into()
}

/// The part of a `workload_targets*.json` that picks the spec.
#[derive(serde::Deserialize)]
struct TargetsFile {
    benchmark_version: serde_json::Value,
    base_workloads: Vec<String>,
    held_out_workloads: Vec<String>,
    workloads: BTreeMap<String, TargetEntry>,
}

#[derive(serde::Deserialize)]
struct TargetEntry {
    target_metric_name: String,
    validation_target_value: f64,
}

/// The shipped spec for a targets file: the one (of the ruleset asked for)
/// with the file's base and held-out workloads, preferring the file's
/// `benchmark_version`, whose targets must all be the file's. Without a
/// file, the latest targets, as the reference's default
/// `workload_targets.json`.
pub fn spec_for_targets(targets: Option<&Path>, self_tuning: bool) -> Result<Spec> {
    let kind = if self_tuning { "self" } else { "external" };
    let Some(path) = targets else {
        return Ok(spec::load(Path::new(&format!("latest_{kind}")))?);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| compat_error(format!("{}: cannot read: {e}", path.display())))?;
    let file: TargetsFile = serde_json::from_str(&text).map_err(|e| {
        compat_error(format!(
            "{}: not a workload_targets JSON file: {e}",
            path.display()
        ))
    })?;
    let version = match &file.benchmark_version {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let base: BTreeSet<&str> = file.base_workloads.iter().map(String::as_str).collect();
    let held: BTreeSet<&str> = file.held_out_workloads.iter().map(String::as_str).collect();
    let mut matches = Vec::new();
    for name in spec::shipped::ruleset_names() {
        if !name.ends_with(&format!("_{kind}")) {
            continue;
        }
        let s = spec::load(Path::new(name))?;
        let s_base: BTreeSet<&str> = s.base.iter().map(String::as_str).collect();
        let s_held: BTreeSet<&str> = s.held_out.iter().map(|h| h.variant.as_str()).collect();
        if s_base == base && s_held == held {
            matches.push(s);
        }
    }
    let pick = |v: &str| matches.iter().position(|s| s.version == v);
    let Some(i) = pick(&version).or_else(|| pick("latest")) else {
        return Err(compat_error(format!(
            "{}: no shipped {kind}-tuning spec has benchmark_version {version}'s base and \
             held-out workloads (`algoperf-engine spec list` lists them)",
            path.display()
        )));
    };
    let spec = matches.swap_remove(i);
    same_targets(&spec, &file, path)?;
    Ok(spec)
}

/// Every base and held-out target of the file must be the spec's own: a
/// changed targets file is an error, never silently ignored.
fn same_targets(spec: &Spec, file: &TargetsFile, path: &Path) -> Result<()> {
    for w in file.base_workloads.iter().chain(&file.held_out_workloads) {
        let (Some(theirs), Some(ours)) = (file.workloads.get(w), spec.targets.get(w)) else {
            return Err(compat_error(format!(
                "{}: no target for workload `{w}`",
                path.display()
            )));
        };
        if theirs.target_metric_name != ours.metric || theirs.validation_target_value != ours.target
        {
            return Err(compat_error(format!(
                "{}: workload `{w}` target {} = {}, but the shipped spec {} scores it at {} = {}",
                path.display(),
                theirs.target_metric_name,
                theirs.validation_target_value,
                spec.path.display(),
                ours.metric,
                ours.target
            )));
        }
    }
    Ok(())
}

/// The submissions the reference scores: every folder of the directory,
/// only those of the include list when one is given, less the excluded
/// (names that match nothing are ignored, as there).
pub fn selected_submissions(dir: &Path, include: &str, exclude: &str) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| compat_error(format!("{}: cannot list: {e}", dir.display())))?;
    let wanted: BTreeSet<&str> = include.split(',').filter(|s| !s.is_empty()).collect();
    let left_out: BTreeSet<&str> = exclude.split(',').collect();
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| wanted.is_empty() || wanted.contains(n.as_str()))
        .filter(|n| !left_out.contains(n.as_str()))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(compat_error(format!(
            "{}: no submission to score (see --include_submissions / --exclude_submissions)",
            dir.display()
        )));
    }
    Ok(names)
}

/// The reference's stops, as errors naming the workload: a workload folder
/// in the logs whose workload has no target, and (for the profiles) a base
/// or held-out workload that no submission ran.
pub fn check_workloads(
    spec: &Spec,
    dir: &Path,
    submissions: &[String],
    profiles: bool,
) -> Result<()> {
    let mut seen = BTreeSet::new();
    for sub in submissions {
        for folder in workload_folders(&dir.join(sub)) {
            let name = strip_framework(&folder);
            if !spec.targets.contains_key(name) {
                let known: Vec<&str> = spec.targets.keys().map(String::as_str).collect();
                return Err(compat_error(format!(
                    "{}: no scoring target for workload `{name}` (from `{folder}`) in the {} \
                     targets ({}); known workloads: {}",
                    dir.join(sub).display(),
                    spec.version,
                    spec.targets_path.display(),
                    known.join(", ")
                )));
            }
            seen.insert(name.to_string());
        }
    }
    if !profiles {
        return Ok(());
    }
    let needed = spec
        .base
        .iter()
        .chain(spec.held_out.iter().map(|h| &h.variant));
    for w in needed {
        if !seen.contains(w) {
            return Err(compat_error(format!(
                "workload `{w}` of the {} targets ({}) is in no submission under {}: the \
                 performance profile needs every base and held-out workload (pass the targets \
                 file of these logs with --workload_targets)",
                spec.version,
                spec.targets_path.display(),
                dir.display()
            )));
        }
    }
    Ok(())
}

/// `imagenet_resnet_jax` → `imagenet_resnet`, as the reference strips it.
fn strip_framework(folder: &str) -> &str {
    ["_jax", "_pytorch"]
        .iter()
        .find_map(|s| folder.strip_suffix(s))
        .unwrap_or(folder)
}

/// The workload folders of a submission (`study_*/<workload>`) holding at
/// least one `trial_*/eval_measurements.csv`, as the reference reads them.
fn workload_folders(submission: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for study in subdirs(submission) {
        for workload in subdirs(&study) {
            let has_trial = subdirs(&workload).iter().any(|t| {
                t.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("trial_"))
                    && t.join("eval_measurements.csv").is_file()
            });
            if has_trial {
                if let Some(n) = workload.file_name() {
                    out.insert(n.to_string_lossy().into_owned());
                }
            }
        }
    }
    out
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default()
}

/// The files of a run the reference would write: the summaries of the
/// scored submissions, and the profile files when asked.
pub fn reference_files(
    files: Vec<(String, Vec<u8>)>,
    submissions: &[String],
    profiles: bool,
) -> Vec<(String, Vec<u8>)> {
    let summaries: BTreeSet<String> = submissions
        .iter()
        .map(|s| format!("{s}_summary.csv"))
        .collect();
    files
        .into_iter()
        .filter(|(name, _)| {
            summaries.contains(name) || (profiles && PROFILE_FILES.contains(&name.as_str()))
        })
        .collect()
}

/// `--target_relaxations SELECTOR=FRACTION,…`, as the reference reads it:
/// each selected workload's validation target moves by the fraction
/// toward easier (× (1 + f) for a minimised metric, × (1 − f) for a
/// maximised one). `all` selects every target; a base workload also
/// selects its held-out variants (a workload whose name contains it, as the
/// reference matches them); any other name selects that workload; a later
/// selector overrides an earlier one. A fraction is in [0, 1).
pub fn relax_targets(spec: &mut Spec, text: &str) -> Result<()> {
    let mut relaxed: BTreeMap<String, f64> = BTreeMap::new();
    for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (selector, fraction) = relaxation(item)?;
        for w in selected(spec, selector)? {
            relaxed.insert(w, fraction);
        }
    }
    for (w, fraction) in relaxed {
        if let Some(t) = spec.targets.get_mut(&w) {
            let direction = match t.goal {
                spec::Goal::Minimize => 1.0,
                spec::Goal::Maximize => -1.0,
            };
            t.target *= 1.0 + direction * fraction;
        }
    }
    Ok(())
}

/// One `SELECTOR=FRACTION`.
fn relaxation(item: &str) -> Result<(&str, f64)> {
    let bad = |why: &str| compat_error(format!("--target_relaxations `{item}`: {why}"));
    let (selector, fraction) = item
        .split_once('=')
        .ok_or_else(|| bad("expected SELECTOR=FRACTION, e.g. all=0.05"))?;
    let fraction: f64 =
        (fraction.trim().parse()).map_err(|_| bad("the fraction is not a number"))?;
    if !(0.0..1.0).contains(&fraction) {
        return Err(bad("the fraction must be in [0, 1)"));
    }
    Ok((selector.trim(), fraction))
}

/// The workloads a selector names (see [`relax_targets`]).
fn selected(spec: &Spec, selector: &str) -> Result<Vec<String>> {
    let all = spec.targets.keys();
    if selector == "all" {
        return Ok(all.cloned().collect());
    }
    if spec.base.iter().any(|b| b == selector) {
        let base_of = |w: &str| spec.base.iter().find(|b| w.contains(b.as_str())).cloned();
        return Ok((all.filter(|w| base_of(w).as_deref() == Some(selector)))
            .cloned()
            .collect());
    }
    if spec.targets.contains_key(selector) {
        return Ok(vec![selector.to_string()]);
    }
    let known: Vec<&str> = spec.targets.keys().map(String::as_str).collect();
    Err(compat_error(format!(
        "--target_relaxations: unknown selector `{selector}`{}; use `all` or one of: {}",
        crate::diagnostics::did_you_mean(selector, known.iter().copied()),
        known.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxations_move_targets_toward_easier_as_the_reference_does() {
        let mut s = spec::load(Path::new("v05_external")).unwrap();
        let before = s.targets.clone();
        relax_targets(&mut s, "all=0.05, imagenet_resnet=0.10").unwrap();
        for (w, t) in &s.targets {
            let f = if w.contains("imagenet_resnet") {
                0.10
            } else {
                0.05
            };
            let old = before[w].target;
            let want = match t.goal {
                spec::Goal::Minimize => old * (1.0 + f),
                spec::Goal::Maximize => old * (1.0 - f),
            };
            assert_eq!(t.target, want, "{w}");
        }
        // The base selector took its held-out variants with it (the loop
        // above expects 0.10 for them).
        assert!(s.targets.contains_key("imagenet_resnet_large_bn_init"));
    }

    #[test]
    fn a_relaxation_of_zero_changes_nothing_and_bad_ones_are_errors() {
        let mut s = spec::load(Path::new("v05_external")).unwrap();
        let before = s.targets.clone();
        relax_targets(&mut s, "all=0").unwrap();
        assert!(s.targets.iter().all(|(w, t)| t.target == before[w].target));
        for (bad, says) in [
            ("all=1", "in [0, 1)"),
            ("all=-0.1", "in [0, 1)"),
            ("all", "SELECTOR=FRACTION"),
            ("all=x", "not a number"),
            ("imagenet_resnt=0.1", "did you mean `imagenet_resnet`"),
        ] {
            let e = relax_targets(&mut s, bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn framework_suffixes_are_stripped_as_the_reference_does() {
        assert_eq!(strip_framework("imagenet_resnet_jax"), "imagenet_resnet");
        assert_eq!(strip_framework("wmt_pytorch"), "wmt");
        assert_eq!(strip_framework("mnist"), "mnist");
    }

    #[test]
    fn no_targets_file_means_the_latest_spec() {
        let s = spec_for_targets(None, false).unwrap();
        assert_eq!(s.version, "latest");
        let s = spec_for_targets(None, true).unwrap();
        assert_eq!(s.ruleset, "self_tuning");
    }
}
