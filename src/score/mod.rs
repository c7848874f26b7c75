//! Scoring (SCORING.md §3–6): trial → study → workload → leaderboard matrix →
//! ordered rule steps → ratios → performance profile → score.
//!
//! Pure computation on ingested trials and a spec: no file is touched here.

pub mod speedup;
pub mod summary;

use std::collections::BTreeMap;

use nalgebra::DMatrix;

use crate::diagnostics::Warnings;
use crate::ingest::{Ingested, Submission, Trial};
use crate::numeric;
use crate::spec::{Aggregate, Denominator, PickKey, Scope, Spec, Step, WorkloadTarget};

/// A trial's result: the first evaluation reaching the target and the time
/// column there (∞ when the target was never reached).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrialOutcome {
    pub first: Option<usize>,
    pub time: f64,
}

/// The time-to-target of one trial (SCORING.md §3).
pub fn trial_outcome(trial: &Trial, target: &WorkloadTarget) -> TrialOutcome {
    let first = trial
        .series
        .metric
        .iter()
        .position(|&v| target.goal.reached(v, target.target));
    TrialOutcome {
        first,
        time: first.map_or(f64::INFINITY, |i| trial.series.time[i]),
    }
}

/// One study of one workload: its trials and the one it picked.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyOutcome {
    pub study: String,
    /// (index into the submission's trials, outcome), sorted by trial.
    pub trials: Vec<(usize, TrialOutcome)>,
    /// Index into the submission's trials of the picked trial, if any reached.
    pub picked: Option<usize>,
    /// The study's time: the picked trial's time, ∞ if none reached.
    pub time: f64,
}

/// One submission on one workload: its studies and their aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadOutcome {
    pub studies: Vec<StudyOutcome>,
    pub time: f64,
}

/// Picks a study's trial among those that reached the target (SCORING.md §4):
/// by the spec's keys in order, remaining ties by time, then trial label.
fn pick(trials: &[(usize, TrialOutcome)], keys: &[PickKey], all: &[Trial]) -> Option<usize> {
    trials
        .iter()
        .filter(|(_, o)| o.first.is_some())
        .min_by(|(ia, a), (ib, b)| {
            let mut ord = std::cmp::Ordering::Equal;
            for k in keys.iter().chain(std::iter::once(&PickKey::Time)) {
                ord = ord.then(match k {
                    PickKey::EvalIndex => a.first.cmp(&b.first),
                    PickKey::Time => a.time.total_cmp(&b.time),
                });
            }
            ord.then_with(|| {
                (&all[*ia].trial, &all[*ia].run).cmp(&(&all[*ib].trial, &all[*ib].run))
            })
        })
        .map(|(i, _)| *i)
}

fn aggregate(a: Aggregate, values: &[f64]) -> f64 {
    match a {
        Aggregate::Median => numeric::median(values),
        Aggregate::Mean => numeric::mean(values),
        Aggregate::Min => {
            if values.iter().any(|v| v.is_nan()) {
                f64::NAN
            } else {
                values.iter().copied().fold(f64::NAN, f64::min)
            }
        }
        Aggregate::Max => {
            if values.iter().any(|v| v.is_nan()) {
                f64::NAN
            } else {
                values.iter().copied().fold(f64::NAN, f64::max)
            }
        }
    }
}

/// Per workload (name without suffix) of one submission: trial → study →
/// workload (SCORING.md §3–5). Workloads without a target are not scored.
pub fn workload_outcomes(
    submission: &Submission,
    spec: &Spec,
) -> BTreeMap<String, WorkloadOutcome> {
    // workload → study → trial indices
    let mut by: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (i, t) in submission.trials.iter().enumerate() {
        by.entry(&t.workload)
            .or_default()
            .entry(&t.study)
            .or_default()
            .push(i);
    }
    let mut out = BTreeMap::new();
    for (workload, studies) in by {
        let Some(target) = spec.targets.get(workload) else {
            continue;
        };
        let studies: Vec<StudyOutcome> = studies
            .into_iter()
            .map(|(study, idx)| {
                let trials: Vec<(usize, TrialOutcome)> = idx
                    .into_iter()
                    .map(|i| (i, trial_outcome(&submission.trials[i], target)))
                    .collect();
                let picked = pick(&trials, &spec.pick, &submission.trials);
                let time = picked
                    .and_then(|p| trials.iter().find(|(i, _)| *i == p))
                    .map_or(f64::INFINITY, |(_, o)| o.time);
                StudyOutcome {
                    study: study.to_string(),
                    trials,
                    picked,
                    time,
                }
            })
            .collect();
        let times: Vec<f64> = studies.iter().map(|s| s.time).collect();
        out.insert(
            workload.to_string(),
            WorkloadOutcome {
                time: aggregate(spec.aggregate, &times),
                studies,
            },
        );
    }
    out
}

/// A rule step's effect: the matrix after it, and which cells it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    pub step: Step,
    /// Per column: the best time the cut-off compared with (NaN otherwise).
    pub best: Vec<f64>,
    pub matrix: DMatrix<f64>,
}

/// The scored leaderboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaderboard {
    /// Submissions, sorted by name: the rows of every matrix.
    pub submissions: Vec<String>,
    /// Base and held-out workloads, sorted: the matrix columns.
    pub workloads: Vec<String>,
    /// Per submission, per workload it ran: the trial/study detail.
    pub outcomes: Vec<BTreeMap<String, WorkloadOutcome>>,
    /// `time_to_targets.csv` (SCORING.md §6.1).
    pub time_to_targets: DMatrix<f64>,
    /// The matrix after each rule step, in spec order.
    pub steps: Vec<StepResult>,
    /// Base workloads, sorted: the ratio and profile columns.
    pub base: Vec<String>,
    /// Per base column: the ratio denominator.
    pub denominators: Vec<f64>,
    /// submissions × base.
    pub ratios: DMatrix<f64>,
    /// τ values (the CSV header), and the axis the score integrates over.
    pub taus: Vec<f64>,
    pub tau_axis: Vec<f64>,
    /// submissions × τ: ρ(τ).
    pub profile: DMatrix<f64>,
    pub scores: Vec<f64>,
}

impl Leaderboard {
    /// Row index of a submission.
    pub fn row(&self, submission: &str) -> Option<usize> {
        self.submissions.iter().position(|s| s == submission)
    }

    /// Submissions by descending score (ties by name): (rank, row).
    pub fn ranking(&self) -> Vec<(usize, usize)> {
        let mut rows: Vec<usize> = (0..self.submissions.len()).collect();
        rows.sort_by(|&a, &b| {
            self.scores[b]
                .total_cmp(&self.scores[a])
                .then_with(|| self.submissions[a].cmp(&self.submissions[b]))
        });
        let mut out = Vec::with_capacity(rows.len());
        let mut rank = 0;
        for (i, &r) in rows.iter().enumerate() {
            if i == 0 || self.scores[r] != self.scores[rows[i - 1]] {
                rank = i + 1;
            }
            out.push((rank, r));
        }
        out
    }

    /// Number of base workloads a submission solved (finite ratio ≤ τ max).
    pub fn solved(&self, row: usize, tau_max: f64) -> usize {
        (0..self.base.len())
            .filter(|&c| self.ratios[(row, c)] <= tau_max)
            .count()
    }
}

/// Checks the counts the spec expects (SCORING.md §8) and records each
/// mismatch as a warning (errors under `--strict`, by the caller).
pub fn check_counts(ingested: &Ingested, spec: &Spec, warnings: &mut Warnings) {
    let expected_workloads = spec.matrix_workloads();
    for sub in &ingested.submissions {
        let mut ran: BTreeMap<&str, BTreeMap<(&str, &str), usize>> = BTreeMap::new();
        for t in &sub.trials {
            *ran.entry(&t.workload)
                .or_default()
                .entry((&t.study, &t.folder))
                .or_default() += 1;
        }
        let present = expected_workloads
            .iter()
            .filter(|w| ran.contains_key(w.as_str()))
            .count();
        if present != expected_workloads.len() {
            let missing: Vec<&str> = expected_workloads
                .iter()
                .filter(|w| !ran.contains_key(w.as_str()))
                .map(String::as_str)
                .collect();
            warnings.push(
                format!(
                    "expected {} workloads, found {}",
                    expected_workloads.len(),
                    present
                ),
                format!("{} (missing {})", sub.name, missing.join(", ")),
            );
        }
        for (workload, per_study) in &ran {
            if !expected_workloads.iter().any(|w| w == workload) {
                warnings.note(
                    "workload ran but not scored by this spec (its summary rows are still written)",
                    format!("{}/{}", sub.name, workload),
                );
                continue;
            }
            let mut studies: BTreeMap<&str, usize> = BTreeMap::new();
            for ((study, _), n) in per_study {
                *studies.entry(study).or_default() += n;
            }
            if studies.len() != spec.expect.studies {
                warnings.push(
                    format!(
                        "expected {} studies, found {}",
                        spec.expect.studies,
                        studies.len()
                    ),
                    format!("{}/{}", sub.name, workload),
                );
            }
            for (study, n) in studies {
                if n != spec.expect.trials_per_study {
                    warnings.push(
                        format!(
                            "expected {} trials per study, found {}",
                            spec.expect.trials_per_study, n
                        ),
                        format!("{}/{}/{}", sub.name, study, workload),
                    );
                }
            }
        }
    }
}

/// Scores the ingested submissions under the spec (SCORING.md §3–6).
pub fn score(
    ingested: &Ingested,
    spec: &Spec,
    warnings: &mut Warnings,
) -> crate::error::Result<Leaderboard> {
    let mut subs: Vec<&Submission> = ingested.submissions.iter().collect();
    subs.sort_by(|a, b| a.name.cmp(&b.name));
    let submissions: Vec<String> = subs.iter().map(|s| s.name.clone()).collect();
    let workloads = spec.matrix_workloads();
    let outcomes: Vec<BTreeMap<String, WorkloadOutcome>> =
        subs.iter().map(|s| workload_outcomes(s, spec)).collect();

    // §6.1: the matrix of base + held-out workloads; NaN where not run.
    let (n, m) = (submissions.len(), workloads.len());
    let matrix = DMatrix::from_fn(n, m, |r, c| {
        outcomes[r].get(&workloads[c]).map_or(f64::NAN, |o| o.time)
    });
    for w in &workloads {
        if n > 0 && (0..n).all(|r| !outcomes[r].contains_key(w)) {
            let role = if spec.is_base(w) { "base" } else { "held-out" };
            warnings.push(
                format!(
                    "{role} workload that no submission ran: it counts as unsolved for everyone"
                ),
                w.clone(),
            );
        }
    }
    let time_to_targets = matrix.clone();
    let rules = apply_rules(spec, &submissions, &workloads, matrix, warnings)?;
    Ok(Leaderboard {
        submissions,
        workloads,
        outcomes,
        time_to_targets,
        steps: rules.steps,
        base: rules.base,
        denominators: rules.denominators,
        ratios: rules.ratios,
        taus: rules.taus,
        tau_axis: rules.tau_axis,
        profile: rules.profile,
        scores: rules.scores,
    })
}

/// What the rule steps, ratios and profile make of a time matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Ruled {
    pub steps: Vec<StepResult>,
    pub base: Vec<String>,
    pub denominators: Vec<f64>,
    pub ratios: DMatrix<f64>,
    pub taus: Vec<f64>,
    pub tau_axis: Vec<f64>,
    pub profile: DMatrix<f64>,
    pub scores: Vec<f64>,
}

/// SCORING.md §6.2–6.8 on a submissions × workloads time matrix (columns
/// `workloads`, the spec's base and held-out workloads): the ordered rule
/// steps, the ratios, the performance profile and the scores. This is the
/// profile-and-score core, independent of how the times were obtained.
pub fn apply_rules(
    spec: &Spec,
    submissions: &[String],
    workloads: &[String],
    mut matrix: DMatrix<f64>,
    warnings: &mut Warnings,
) -> crate::error::Result<Ruled> {
    let (n, m) = (matrix.nrows(), matrix.ncols());
    let column = |w: &str| workloads.iter().position(|x| x == w);
    let in_scope = |scope: Scope, w: &str| match scope {
        Scope::All => true,
        Scope::Base => spec.is_base(w),
        Scope::HeldOut => spec.base_of(w).is_some(),
    };

    // §6.2–6.4: the ordered rule steps.
    let mut steps = Vec::with_capacity(spec.steps.len());
    for step in &spec.steps {
        let mut best = vec![f64::NAN; m];
        match step {
            Step::HeldOutNeedsBase => {
                for h in &spec.held_out {
                    if let (Some(v), Some(b)) = (column(&h.variant), column(&h.base)) {
                        for r in 0..n {
                            if !matrix[(r, b)].is_finite() {
                                matrix[(r, v)] = f64::INFINITY;
                            }
                        }
                    }
                }
            }
            Step::BaseNeedsHeldOut => {
                for h in &spec.held_out {
                    if let (Some(v), Some(b)) = (column(&h.variant), column(&h.base)) {
                        for r in 0..n {
                            if !matrix[(r, v)].is_finite() {
                                matrix[(r, b)] = f64::INFINITY;
                            }
                        }
                    }
                }
            }
            Step::CutOff { scope, factor } => {
                for (c, w) in workloads.iter().enumerate() {
                    if !in_scope(*scope, w) {
                        continue;
                    }
                    let b = numeric::nanmin(matrix.column(c).iter().copied());
                    best[c] = b;
                    for r in 0..n {
                        if matrix[(r, c)] > factor * b {
                            matrix[(r, c)] = f64::INFINITY;
                        }
                    }
                }
            }
        }
        steps.push(StepResult {
            step: step.clone(),
            best,
            matrix: matrix.clone(),
        });
    }

    // §6.5–6.6: base workloads only; ratios to the best (or a reference).
    let mut base = spec.base.clone();
    base.sort();
    let base_cols: Vec<usize> = base.iter().filter_map(|w| column(w)).collect();
    let reference_row = match &spec.denominator {
        Denominator::Best => None,
        Denominator::Reference(name) => match submissions.iter().position(|s| s == name) {
            Some(r) => Some(r),
            None => {
                return Err(crate::error::Error::Usage(format!(
                "{}: the ratio's reference submission `{name}` is not among the scored submissions",
                spec.path.display()
            )))
            }
        },
    };
    let mut denominators = Vec::with_capacity(base_cols.len());
    let mut ratios = DMatrix::from_element(n, base_cols.len(), f64::NAN);
    for (k, &c) in base_cols.iter().enumerate() {
        let den = match reference_row {
            None => numeric::nanmin(matrix.column(c).iter().copied()),
            Some(r) => matrix[(r, c)],
        };
        if reference_row.is_some() && den.is_nan() {
            warnings.push(
                "the reference submission did not run this workload: nobody is solved on it",
                base[k].clone(),
            );
        }
        denominators.push(den);
        for r in 0..n {
            let t = matrix[(r, c)];
            let q = t / den;
            // pandas' `update` keeps the old value where the division gives
            // NaN: an all-∞ column stays ∞; NaN stays NaN.
            ratios[(r, k)] = if q.is_nan() { t } else { q };
            if reference_row.is_some() && den.is_nan() {
                ratios[(r, k)] = f64::NAN;
            }
        }
    }

    // §6.7–6.8: profile and score.
    let taus = spec.tau_points();
    let tau_axis = spec.tau_axis();
    let denominator = spec.base.len() as f64;
    let mut profile = DMatrix::from_element(n, taus.len(), 0.0);
    let mut scores = Vec::with_capacity(n);
    for r in 0..n {
        let row_ratios: Vec<f64> = (0..base_cols.len()).map(|k| ratios[(r, k)]).collect();
        for (j, &tau) in taus.iter().enumerate() {
            let count = row_ratios.iter().filter(|&&q| q <= tau).count();
            profile[(r, j)] = count as f64 / denominator;
        }
        let rho: Vec<f64> = profile.row(r).iter().copied().collect();
        let mut s = numeric::trapezoid(&rho, &tau_axis);
        if spec.score.normalized {
            let lo = tau_axis.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = tau_axis.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            s /= hi - lo;
        }
        scores.push(s);
    }

    Ok(Ruled {
        steps,
        base,
        denominators,
        ratios,
        taus,
        tau_axis,
        profile,
        scores,
    })
}
