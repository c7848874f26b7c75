//! `compare`: two leaderboards of the same submissions side by side (two
//! specs, or two trees), and for every (submission, workload) whose time
//! or ratio differs, the first stage where the two diverge.

use super::{Leaderboard, StudyOutcome, WorkloadOutcome};

/// A submission's score and rank in leaderboards A and B (None: absent).
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionChange {
    pub name: String,
    pub a: Option<(f64, usize)>,
    pub b: Option<(f64, usize)>,
}

/// One (submission, workload) that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct CellChange {
    pub submission: String,
    pub workload: String,
    /// time_to_targets (before the rule steps), after the steps, ratio
    /// (NaN where not run, not a base workload, or absent).
    pub raw: (f64, f64),
    pub ruled: (f64, f64),
    pub ratio: (f64, f64),
    /// Where A and B first diverge, in words.
    pub stage: String,
}

/// The comparison of leaderboard A with leaderboard B.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Every submission of A or B, by name.
    pub submissions: Vec<SubmissionChange>,
    /// Cells that differ, by submission then workload.
    pub cells: Vec<CellChange>,
    /// Every study (of a cell run in both) whose picked trial or time
    /// differs, also where the workload's aggregate hides it.
    pub studies: Vec<StudyChange>,
}

/// One study that differs: (submission, workload, study), the picked
/// trial and the study time in A and B.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyChange {
    pub submission: String,
    pub workload: String,
    pub study: String,
    pub trial: (String, String),
    pub time: (f64, f64),
}

/// The studies of one cell that differ between A and B.
fn study_changes(
    name: &str,
    workload: &str,
    oa: &WorkloadOutcome,
    ob: &WorkloadOutcome,
) -> Vec<StudyChange> {
    let mut out = Vec::new();
    for sa in &oa.studies {
        let Some(sb) = ob.studies.iter().find(|s| s.study == sa.study) else {
            continue;
        };
        let trial = (trial_label(sa), trial_label(sb));
        if trial.0 != trial.1 || !same(sa.time, sb.time) {
            out.push(StudyChange {
                submission: name.to_string(),
                workload: workload.to_string(),
                study: sa.study.clone(),
                trial,
                time: (sa.time, sb.time),
            });
        }
    }
    out
}

/// Same value, NaN equal to NaN.
fn same(x: f64, y: f64) -> bool {
    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
}

fn rank_of(lb: &Leaderboard, name: &str) -> Option<(f64, usize)> {
    let row = lb.row(name)?;
    let rank = lb.ranking().into_iter().find(|&(_, r)| r == row)?.0;
    Some((lb.rules.scores[row], rank))
}

fn cell(lb: &Leaderboard, name: &str, workload: &str) -> (f64, f64, f64) {
    let (Some(r), Some(c)) = (
        lb.row(name),
        lb.workloads.iter().position(|w| w == workload),
    ) else {
        return (f64::NAN, f64::NAN, f64::NAN);
    };
    let ruled = lb
        .rules
        .steps
        .last()
        .map_or(lb.time_to_targets[(r, c)], |s| s.matrix[(r, c)]);
    let ratio = lb
        .rules
        .base
        .iter()
        .position(|w| w == workload)
        .map_or(f64::NAN, |k| lb.rules.ratios[(r, k)]);
    (lb.time_to_targets[(r, c)], ruled, ratio)
}

/// The label of a study's picked trial (`trial_3`), or `none`.
fn trial_label(study: &StudyOutcome) -> String {
    study.picked_trial().map_or("none".into(), |t| t.id.label())
}

/// The first study-level difference of a cell: a different trial picked,
/// else a different study time, else a different aggregate.
fn study_stage(oa: &WorkloadOutcome, ob: &WorkloadOutcome) -> Option<String> {
    for sa in &oa.studies {
        let Some(sb) = ob.studies.iter().find(|s| s.study == sa.study) else {
            return Some(format!("{}: only in A", sa.study));
        };
        let (pa, pb) = (trial_label(sa), trial_label(sb));
        if pa != pb {
            return Some(format!("trial pick ({}: {pa} → {pb})", sa.study));
        }
        if !same(sa.time, sb.time) {
            return Some(format!(
                "trial time ({} {pa}: {} → {})",
                sa.study, sa.time, sb.time
            ));
        }
    }
    if oa.studies.len() != ob.studies.len() {
        return Some("studies (B has more)".into());
    }
    (!same(oa.time, ob.time)).then(|| "study aggregate".to_string())
}

/// The first rule step after which the cell differs.
fn step_stage(a: &Leaderboard, b: &Leaderboard, name: &str, workload: &str) -> Option<String> {
    let at = |lb: &Leaderboard, i: usize| {
        let r = lb.row(name)?;
        let c = lb.workloads.iter().position(|w| w == workload)?;
        lb.rules.steps.get(i).map(|s| s.matrix[(r, c)])
    };
    for i in 0..a.rules.steps.len().max(b.rules.steps.len()) {
        let (x, y) = (at(a, i), at(b, i));
        if x.zip(y).is_none_or(|(x, y)| !same(x, y)) {
            let text = a
                .rules
                .steps
                .get(i)
                .or(b.rules.steps.get(i))
                .map_or("", |s| &s.step.text);
            return Some(format!("rule step {} `{text}`", i + 1));
        }
    }
    None
}

fn outcome<'a>(lb: &'a Leaderboard, name: &str, workload: &str) -> Option<&'a WorkloadOutcome> {
    lb.row(name).and_then(|r| lb.outcomes[r].get(workload))
}

/// Compares leaderboard A with leaderboard B.
pub fn compare(a: &Leaderboard, b: &Leaderboard) -> Comparison {
    let mut names: Vec<String> = a
        .submissions
        .iter()
        .chain(&b.submissions)
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    let mut workloads: Vec<String> = a.workloads.iter().chain(&b.workloads).cloned().collect();
    workloads.sort();
    workloads.dedup();
    let mut cells = Vec::new();
    let mut studies = Vec::new();
    for name in &names {
        for w in &workloads {
            if let (Some(oa), Some(ob)) = (outcome(a, name, w), outcome(b, name, w)) {
                studies.extend(study_changes(name, w, oa, ob));
            }
            let (ra, fa, qa) = cell(a, name, w);
            let (rb, fb, qb) = cell(b, name, w);
            if same(ra, rb) && same(fa, fb) && same(qa, qb) {
                continue;
            }
            let stage = match (outcome(a, name, w), outcome(b, name, w)) {
                (Some(oa), Some(ob)) => study_stage(oa, ob),
                (None, None) => None,
                _ => Some("run in one leaderboard only".into()),
            }
            .or_else(|| step_stage(a, b, name, w))
            .unwrap_or_else(|| "ratio".into());
            cells.push(CellChange {
                submission: name.clone(),
                workload: w.clone(),
                raw: (ra, rb),
                ruled: (fa, fb),
                ratio: (qa, qb),
                stage,
            });
        }
    }
    let submissions = names
        .iter()
        .map(|n| SubmissionChange {
            name: n.clone(),
            a: rank_of(a, n),
            b: rank_of(b, n),
        })
        .collect();
    Comparison {
        submissions,
        cells,
        studies,
    }
}
