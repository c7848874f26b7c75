//! Scoring (SCORING.md §3–6): trial → study → workload → leaderboard matrix →
//! ordered rule steps → ratios → performance profile → score.
//!
//! Pure computation on ingested trials and a spec: no file is touched here.

mod cellwise;
pub mod compare;
pub use crate::error::score as error;
pub mod explain;
pub mod speedup;
pub mod stability;
pub mod summary;
pub mod targets;

use std::collections::BTreeMap;

use nalgebra::DMatrix;

use crate::diagnostics::{Warning, Warnings};
use crate::error::Error;
use crate::ingest::{Ingested, Submission, Trial, TrialId};
use crate::numeric;
use crate::spec::lang::check::Target;
use crate::spec::lang::eval::{
    pick_index, select_row, Cells, Profile, Rows, TrialPoint, MIXED_FRAMEWORKS,
};
use crate::spec::lang::{eval, Ctx, EvalError, Form, Node, ReduceFn, Set, Var, FUNCTIONS};
use crate::spec::{Spec, Step, WorkloadTarget};
use cellwise::{Cellwise, Column};
use error::ScoreError;

/// A trial's result: the row the trial formula chose (`None`: no row
/// qualified) and the value there (∞ when none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrialOutcome {
    pub first: Option<usize>,
    pub time: f64,
}

/// A trial's time under the spec's trial formula (SCORING.md §3).
pub fn trial_outcome(
    trial: &Trial,
    spec: &Spec,
    target: &WorkloadTarget,
    budget: f64,
    scratch: &mut Vec<f64>,
) -> Result<TrialOutcome, EvalError> {
    let rows = Rows {
        series: &trial.series,
        goal: target.goal,
        target: target.target,
        budget,
        step_hint: target.step_hint as f64,
        framework: framework_index(spec, &trial.id.folder),
    };
    let t = &spec.trial;
    let (first, time) = select_row(t.pick, &t.value, t.cond.as_ref(), &rows, scratch)?;
    Ok(TrialOutcome { first, time })
}

/// The framework of a trial's workload folder, as the formulas read it:
/// its index in the spec's frameworks, NaN when its suffix is none of them.
fn framework_index(spec: &Spec, folder: &crate::ingest::WorkloadFolder) -> f64 {
    spec.framework_of_folder(&folder.name, &folder.workload)
        .map_or(f64::NAN, |i| i as f64)
}

/// The framework a submission ran a workload in, from its trials' folders:
/// the one index they share, NaN without trials, [`MIXED_FRAMEWORKS`]
/// when they differ (reading `framework` there is an error).
fn cell_framework<'t>(spec: &Spec, trials: impl Iterator<Item = &'t Trial>) -> f64 {
    let mut seen: Option<f64> = None;
    for t in trials {
        let f = framework_index(spec, &t.id.folder);
        match seen {
            None => seen = Some(f),
            Some(s) if s.to_bits() == f.to_bits() => {}
            Some(_) => return MIXED_FRAMEWORKS,
        }
    }
    seen.unwrap_or(f64::NAN)
}

/// One trial as scoring saw it: which trial, the row its formula chose, and
/// what reports say of it, so that no report reads the trial's series.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialResult {
    pub id: TrialId,
    pub outcome: TrialOutcome,
    /// The step counter at the chosen row (NaN when none).
    pub step: f64,
    /// The best value of the compared metric, NaN skipped (NaN when every
    /// value is NaN).
    pub best: f64,
    /// Number of evaluations, and how many have a NaN metric.
    pub evaluations: usize,
    pub nan: usize,
    /// The summary's readings (SCORING.md §7), whatever the trial formula:
    /// the summary time at the first evaluation reaching the target (None
    /// when none does), at the first with the best value (NaN when every
    /// value is NaN), and the workload folder's step time.
    pub time_to_target: Option<f64>,
    pub time_to_best: f64,
    pub step_time: f64,
}

/// One study of one workload: its trials and the one it picked.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyOutcome {
    pub study: String,
    /// The study's trials, in ingest order (by trial, then run).
    pub trials: Vec<TrialResult>,
    /// Index into `trials` of the picked trial: the one `pick` chose, or
    /// else a trial that chose a row and whose time is the study's time
    /// (the first by name).
    pub picked: Option<usize>,
    /// The study's time from the spec's study formula.
    pub time: f64,
}

impl StudyOutcome {
    /// The picked trial, if any.
    pub fn picked_trial(&self) -> Option<&TrialResult> {
        self.picked.and_then(|k| self.trials.get(k))
    }
}

/// One submission on one workload: its studies and their aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadOutcome {
    pub studies: Vec<StudyOutcome>,
    pub time: f64,
    /// The framework the submission ran the workload in, as `framework`
    /// reads it: its index in the spec's frameworks, NaN when unknown,
    /// [`MIXED_FRAMEWORKS`] when its folders are of several.
    pub framework: f64,
}

/// A run-time error of a formula, naming the spec and the cell.
fn formula_error(spec: &Spec, cell: &str, e: EvalError) -> Error {
    ScoreError::Formula {
        spec: spec.path.clone(),
        cell: cell.to_string(),
        message: e.0,
    }
    .into()
}

/// One workload of one submission while it is scored: its target and
/// budget, and each workload folder's step time.
struct Scoring<'a> {
    spec: &'a Spec,
    submission: &'a str,
    workload: &'a str,
    target: &'a WorkloadTarget,
    step_time: &'a BTreeMap<&'a str, f64>,
}

/// One trial: its outcome under the trial formula, and what reports (the
/// summary among them) say of it.
fn trial_result(
    at: &mut Scoring,
    trial: &Trial,
    cell: &str,
    scratch: &mut Vec<f64>,
) -> crate::error::Result<TrialResult> {
    let budget = at.spec.budget_of(at.workload).unwrap_or(f64::NAN);
    let outcome = trial_outcome(trial, at.spec, at.target, budget, scratch)
        .map_err(|e| formula_error(at.spec, cell, e))?;
    let reading = summary::Reading::of(trial, at.target);
    let step_time = at.step_time.get(trial.id.folder.name.as_str());
    let (metric, time) = (&trial.series.metric, &trial.series.summary_time);
    Ok(TrialResult {
        id: trial.id.clone(),
        outcome,
        step: outcome.first.map_or(f64::NAN, |f| trial.series.step[f]),
        best: reading.best.map_or(f64::NAN, |i| metric[i]),
        evaluations: metric.len(),
        nan: metric.iter().filter(|v| v.is_nan()).count(),
        time_to_target: reading.reached.map(|i| time[i]),
        time_to_best: reading.best.map_or(f64::NAN, |i| time[i]),
        step_time: step_time.copied().unwrap_or(f64::NAN),
    })
}

/// One study: its trials' outcomes, then the study formula over them
/// (SCORING.md §4).
fn study_outcome(
    at: &mut Scoring,
    study: &str,
    of_study: &[&Trial],
    scratch: &mut Vec<f64>,
) -> crate::error::Result<StudyOutcome> {
    let cell = format!("{}/{study}/{}", at.submission, at.workload);
    // Sized exactly: a leaderboard keeps every trial's result.
    let mut trials = Vec::with_capacity(of_study.len());
    for t in of_study {
        trials.push(trial_result(at, t, &cell, scratch)?);
    }
    let spec = at.spec;
    let mut by_name: Vec<usize> = (0..trials.len()).collect();
    let label = |k: usize| (&trials[k].id.trial, &trials[k].id.folder.run);
    by_name.sort_by(|&a, &b| label(a).cmp(&label(b)));
    let mut points = vec![TrialPoint::default(); trials.len()];
    let maximize = at.target.goal == crate::spec::Goal::Maximize;
    for (rank, &k) in by_name.iter().enumerate() {
        let o = trials[k].outcome;
        let series = &of_study[k].series;
        points[k] = TrialPoint {
            time: o.time,
            eval_index: o.first.map_or(f64::INFINITY, |f| f as f64),
            name_rank: rank,
            step: o.first.map_or(f64::INFINITY, |f| series.step[f]),
            best: trials[k].best,
            last: series.metric.last().copied().unwrap_or(f64::NAN),
            maximize,
            framework: framework_index(spec, &of_study[k].id.folder),
        };
    }
    let cx = Ctx {
        trials: &points,
        ..Default::default()
    };
    let time = eval(&spec.study.node, &cx, scratch).map_err(|e| formula_error(spec, &cell, e))?;
    let picked = match &spec.study.node {
        Node::Pick(keys) => {
            pick_index(keys, &cx, scratch).map_err(|e| formula_error(spec, &cell, e))?
        }
        _ => by_name.iter().copied().find(|&k| {
            let o = trials[k].outcome;
            o.first.is_some() && o.time.to_bits() == time.to_bits()
        }),
    };
    Ok(StudyOutcome {
        study: study.to_string(),
        picked,
        trials,
        time,
    })
}

/// Per workload (name without suffix) of one submission: trial → study →
/// workload (SCORING.md §3–5). Workloads without a target are not scored.
pub fn workload_outcomes(
    submission: &Submission,
    spec: &Spec,
) -> crate::error::Result<BTreeMap<String, WorkloadOutcome>> {
    // workload → study → trials
    let mut by: BTreeMap<&str, BTreeMap<&str, Vec<&Trial>>> = BTreeMap::new();
    for t in &submission.trials {
        let f = &t.id.folder;
        by.entry(&f.workload)
            .or_default()
            .entry(&f.study)
            .or_default()
            .push(t);
    }
    let step_time = summary::step_times(submission);
    let mut scratch = Vec::new();
    let mut out = BTreeMap::new();
    for (workload, studies) in by {
        let Some(target) = spec.targets.get(workload) else {
            continue;
        };
        let mut at = Scoring {
            spec,
            submission: &submission.name,
            workload,
            target,
            step_time: &step_time,
        };
        let framework = cell_framework(spec, studies.values().flatten().copied());
        let studies = studies
            .into_iter()
            .map(|(study, trials)| study_outcome(&mut at, study, &trials, &mut scratch))
            .collect::<crate::error::Result<Vec<StudyOutcome>>>()?;
        let times: Vec<f64> = studies.iter().map(|s| s.time).collect();
        let cell = || format!("{}/{workload}", submission.name);
        let time = workload_time(spec, cell, &times, framework, &mut scratch)?;
        out.insert(
            workload.to_string(),
            WorkloadOutcome {
                time,
                studies,
                framework,
            },
        );
    }
    Ok(out)
}

/// A workload's time from its studies' times under the spec's workload
/// formula (SCORING.md §5). `cell` gives the cell's name
/// (`submission/workload`) for an error, only when there is one;
/// `framework` is the cell's (see [`WorkloadOutcome::framework`]). Public
/// so that resampling (`stability`) aggregates drawn study times exactly
/// as scoring does.
pub fn workload_time(
    spec: &Spec,
    cell: impl FnOnce() -> String,
    studies: &[f64],
    framework: f64,
    scratch: &mut Vec<f64>,
) -> crate::error::Result<f64> {
    let cx = Ctx {
        studies,
        framework,
        ..Default::default()
    };
    eval(&spec.workload.node, &cx, scratch).map_err(|e| formula_error(spec, &cell(), e))
}

/// [`workload_time`] for many cells of one spec (`stability` aggregates
/// every cell of every resample): where the workload formula is a plain
/// reduction of the study times (`median(studies)`, `mean(studies)`, …),
/// the reduction is called as the interpreter calls it — on the non-NaN
/// times, with a NaN parameter — without the interpreter around it. Any
/// other formula, and any error, go to [`workload_time`].
pub struct WorkloadTimes<'a> {
    spec: &'a Spec,
    reduction: Option<ReduceFn>,
    scratch: &'a mut Vec<f64>,
}

impl<'a> WorkloadTimes<'a> {
    pub fn new(spec: &'a Spec, scratch: &'a mut Vec<f64>) -> Self {
        let reduction = match &spec.workload.node {
            Node::Reduce {
                f,
                set: Set::Studies,
                arg,
                param: None,
                ..
            } if matches!(arg.as_ref(), Node::Var(Var::StudyTime)) => {
                match FUNCTIONS.get(*f).map(|d| d.form) {
                    Some(Form::Reduce { f, .. }) => Some(f),
                    _ => None,
                }
            }
            _ => None,
        };
        WorkloadTimes {
            spec,
            reduction,
            scratch,
        }
    }

    /// The workload time of a cell whose studies took `studies` (see
    /// [`workload_time`]).
    pub fn time(
        &mut self,
        cell: impl FnOnce() -> String,
        studies: &[f64],
        framework: f64,
    ) -> crate::error::Result<f64> {
        if let Some(reduce) = self.reduction {
            self.scratch.clear();
            for &v in studies {
                if !v.is_nan() {
                    self.scratch.push(v);
                }
            }
            if let Ok(v) = reduce(self.scratch, f64::NAN) {
                return Ok(v);
            }
            self.scratch.clear();
        }
        workload_time(self.spec, cell, studies, framework, self.scratch)
    }
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
    /// Per submission, per workload it ran: the trial/study detail (the
    /// summaries' rows among it: [`Leaderboard::summary`]).
    pub outcomes: Vec<BTreeMap<String, WorkloadOutcome>>,
    /// `time_to_targets.csv` (SCORING.md §6.1).
    pub time_to_targets: DMatrix<f64>,
    /// The rule steps, ratios, profile and scores of that matrix.
    pub rules: Ruled,
}

impl Leaderboard {
    /// Row index of a submission.
    pub fn row(&self, submission: &str) -> Option<usize> {
        self.submissions.iter().position(|s| s == submission)
    }

    /// Submissions by descending score (ties by name): (rank, row).
    pub fn ranking(&self) -> Vec<(usize, usize)> {
        let mut rows: Vec<usize> = (0..self.submissions.len()).collect();
        let scores = &self.rules.scores;
        rows.sort_by(|&a, &b| {
            scores[b]
                .total_cmp(&scores[a])
                .then_with(|| self.submissions[a].cmp(&self.submissions[b]))
        });
        let mut out = Vec::with_capacity(rows.len());
        let mut rank = 0;
        for (i, &r) in rows.iter().enumerate() {
            if i == 0 || scores[r] != scores[rows[i - 1]] {
                rank = i + 1;
            }
            out.push((rank, r));
        }
        out
    }

    /// Number of base workloads a submission solved (finite ratio ≤ τ max).
    pub fn solved(&self, row: usize, tau_max: f64) -> usize {
        (0..self.rules.base.len())
            .filter(|&c| self.rules.ratios[(row, c)] <= tau_max)
            .count()
    }
}

/// Checks the counts the spec expects of a submission (SCORING.md §8) and
/// records each mismatch as a warning (errors under `--strict`, by the
/// caller).
/// `expected_workloads` is the spec's matrix workloads, computed once by
/// the caller.
fn check_counts(
    sub: &Submission,
    spec: &Spec,
    expected_workloads: &[String],
    warnings: &mut Warnings,
) {
    let mut ran: BTreeMap<&str, BTreeMap<(&str, &str), usize>> = BTreeMap::new();
    for t in &sub.trials {
        let f = &t.id.folder;
        *ran.entry(&f.workload)
            .or_default()
            .entry((&f.study, &f.name))
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
        warnings.push(Warning::MissingWorkloads {
            submission: sub.name.clone(),
            expected: expected_workloads.len(),
            found: present,
            missing: missing.into_iter().map(String::from).collect(),
        });
    }
    for (workload, per_study) in &ran {
        if !expected_workloads.iter().any(|w| w == workload) {
            warnings.push(Warning::UnscoredWorkload {
                submission: sub.name.clone(),
                workload: workload.to_string(),
            });
            continue;
        }
        let mut studies: BTreeMap<&str, usize> = BTreeMap::new();
        for ((study, _), n) in per_study {
            *studies.entry(study).or_default() += n;
        }
        if studies.len() != spec.expect.studies {
            warnings.push(Warning::StudyCount {
                submission: sub.name.clone(),
                workload: workload.to_string(),
                expected: spec.expect.studies,
                found: studies.len(),
            });
        }
        for (study, n) in studies {
            if n != spec.expect.trials_per_study {
                warnings.push(Warning::TrialCount {
                    submission: sub.name.clone(),
                    study: study.to_string(),
                    workload: workload.to_string(),
                    expected: spec.expect.trials_per_study,
                    found: n,
                });
            }
        }
    }
}

/// Scores the ingested submissions under the spec (SCORING.md §3–6): the
/// count checks' warnings, then scoring's, go to `warnings`.
pub fn score(
    ingested: &Ingested,
    spec: &Spec,
    warnings: &mut Warnings,
) -> crate::error::Result<Leaderboard> {
    let mut scorer = Scorer::new(spec);
    for submission in &ingested.submissions {
        scorer.add(submission);
    }
    scorer.finish(warnings)
}

/// Scores submissions one at a time, as ingest hands them over
/// ([`crate::ingest::ingest_each`]): each is reduced to its outcomes and
/// summary rows at once, so no series outlives its submission. What
/// depends on every submission (the matrix, the rules) waits for
/// [`Scorer::finish`].
pub struct Scorer<'a> {
    spec: &'a Spec,
    /// The matrix columns (base and held-out workloads, sorted).
    workloads: Vec<String>,
    /// Per submission scored: its name and outcomes, in the order added.
    scored: Vec<(String, BTreeMap<String, WorkloadOutcome>)>,
    /// The count checks' warnings, in the order added.
    counts: Warnings,
    /// The first formula error: later submissions are not scored, and
    /// `finish` returns it (ingest's own errors come first).
    failed: Option<Error>,
}

impl<'a> Scorer<'a> {
    pub fn new(spec: &'a Spec) -> Self {
        Scorer {
            spec,
            workloads: spec.matrix_workloads(),
            scored: Vec::new(),
            counts: Warnings::default(),
            failed: None,
        }
    }

    /// Checks a submission's counts and scores its trials.
    pub fn add(&mut self, submission: &Submission) {
        if self.failed.is_some() {
            return;
        }
        let (spec, workloads) = (self.spec, &self.workloads);
        check_counts(submission, spec, workloads, &mut self.counts);
        match workload_outcomes(submission, self.spec) {
            Ok(o) => self.scored.push((submission.name.clone(), o)),
            Err(e) => self.failed = Some(e),
        }
    }

    /// The leaderboard of every submission added, sorted by name; the count
    /// checks' warnings, then the matrix's and the rules', go to
    /// `warnings`.
    pub fn finish(self, warnings: &mut Warnings) -> crate::error::Result<Leaderboard> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let spec = self.spec;
        warnings.extend(self.counts);
        let mut scored = self.scored;
        scored.sort_by(|a, b| a.0.cmp(&b.0));
        let mut submissions = Vec::with_capacity(scored.len());
        let mut outcomes = Vec::with_capacity(scored.len());
        for (name, o) in scored {
            submissions.push(name);
            outcomes.push(o);
        }
        let workloads = self.workloads;

        // §6.1: the matrix of base + held-out workloads; NaN where not run.
        let (n, m) = (submissions.len(), workloads.len());
        let matrix = DMatrix::from_fn(n, m, |r, c| {
            outcomes[r].get(&workloads[c]).map_or(f64::NAN, |o| o.time)
        });
        for w in &workloads {
            if n > 0 && (0..n).all(|r| !outcomes[r].contains_key(w)) {
                warnings.push(Warning::WorkloadNobodyRan {
                    workload: w.clone(),
                    held_out: !spec.is_base(w),
                });
            }
        }
        zero_times(&matrix, &submissions, &workloads, warnings);
        let time_to_targets = matrix.clone();
        let frameworks = DMatrix::from_fn(n, m, |r, c| {
            outcomes[r]
                .get(&workloads[c])
                .map_or(f64::NAN, |o| o.framework)
        });
        let rules = apply_rules_framed(
            spec,
            &submissions,
            &workloads,
            matrix,
            Some(&frameworks),
            warnings,
        )?;
        Ok(Leaderboard {
            submissions,
            workloads,
            outcomes,
            time_to_targets,
            rules,
        })
    }
}

/// Warns of every cell whose time is 0 s (SCORING.md §6.6): scored, but
/// suspicious.
fn zero_times(
    matrix: &DMatrix<f64>,
    submissions: &[String],
    workloads: &[String],
    warnings: &mut Warnings,
) {
    for r in 0..matrix.nrows() {
        for c in 0..matrix.ncols() {
            if matrix[(r, c)] == 0.0 {
                warnings.push(Warning::ZeroTime {
                    submission: submissions[r].clone(),
                    workload: workloads[c].clone(),
                });
            }
        }
    }
}

/// What the rule steps, ratios and profile make of a time matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Ruled {
    /// The matrix after each rule step, in spec order.
    pub steps: Vec<StepResult>,
    /// Base workloads, sorted: the ratio and profile columns.
    pub base: Vec<String>,
    /// Per base column: the ratio denominator.
    pub denominators: Vec<f64>,
    /// submissions × base.
    pub ratios: DMatrix<f64>,
    /// The spec's τ grid itself (shared, not a copy): the τ values (the
    /// CSV header) and the axis the score integrates over.
    pub tau: std::sync::Arc<crate::spec::TauGrid>,
    /// submissions × τ: ρ(τ).
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
    matrix: DMatrix<f64>,
    warnings: &mut Warnings,
) -> crate::error::Result<Ruled> {
    apply_rules_framed(spec, submissions, workloads, matrix, None, warnings)
}

/// [`apply_rules`] with each cell's framework (see
/// [`WorkloadOutcome::framework`]) for the formulas that read
/// `framework`; without them, reading it is an error naming the cell.
pub fn apply_rules_framed(
    spec: &Spec,
    submissions: &[String],
    workloads: &[String],
    matrix: DMatrix<f64>,
    frameworks: Option<&DMatrix<f64>>,
    warnings: &mut Warnings,
) -> crate::error::Result<Ruled> {
    Rules::new(spec, submissions, workloads, frameworks)?.ruled(spec, matrix, warnings)
}

/// [`apply_rules`] laid out once for a leaderboard's rows and columns: the
/// matrix's shape and what each rule step reads and assigns, so that many
/// matrices of that shape (`stability`'s thousands of resamples) are
/// scored without working it out again.
pub struct Rules<'a> {
    shape: Shape<'a>,
    steps: Vec<StepPlan>,
    /// The ratio formula in column-wise form, where it has one.
    ratio: Option<Cellwise>,
}

impl<'a> Rules<'a> {
    pub fn new(
        spec: &Spec,
        submissions: &'a [String],
        workloads: &'a [String],
        frameworks: Option<&'a DMatrix<f64>>,
    ) -> crate::error::Result<Self> {
        let mut shape = Shape::new(spec, submissions, workloads)?;
        shape.frameworks = frameworks;
        let steps = spec
            .steps
            .iter()
            .map(|step| StepPlan::new(spec, &shape, step))
            .collect();
        let ratio = Cellwise::compile(&spec.ratio.node);
        Ok(Rules {
            shape,
            steps,
            ratio,
        })
    }

    /// Which formulas run column-wise: per rule step, whether it does, and
    /// whether the ratio does.
    pub fn cellwise(&self) -> (Vec<bool>, bool) {
        let steps = self.steps.iter().map(|p| p.cellwise.is_some()).collect();
        (steps, self.ratio.is_some())
    }

    /// These rules with every formula left to the interpreter, cell by
    /// cell: what the column-wise forms are checked against.
    pub fn interpreted(mut self) -> Self {
        for plan in &mut self.steps {
            plan.cellwise = None;
        }
        self.ratio = None;
        self
    }

    /// [`apply_rules_framed`] with these rules: every step's matrix, the
    /// ratios, the profile and the scores of `matrix`.
    pub fn ruled(
        &self,
        spec: &Spec,
        matrix: DMatrix<f64>,
        warnings: &mut Warnings,
    ) -> crate::error::Result<Ruled> {
        let (steps, matrix) = self.steps(spec, matrix)?;
        let (denominators, ratios) = ratios(spec, self, &matrix, warnings)?;
        let base = self.shape.ratio_base.clone();
        let profile = profile(spec, self.shape.submissions, &base, &ratios)?;
        let scores = scores(spec, &base, &ratios, &profile)?;
        Ok(Ruled {
            steps,
            base,
            denominators,
            ratios,
            tau: spec.tau.clone(),
            profile,
            scores,
        })
    }

    /// §6.2–6.4: the ordered rule steps, each on the matrix the one before
    /// left; returns every step's result and the final matrix.
    fn steps(
        &self,
        spec: &Spec,
        matrix: DMatrix<f64>,
    ) -> crate::error::Result<(Vec<StepResult>, DMatrix<f64>)> {
        let mut matrix = matrix;
        let mut steps = Vec::with_capacity(spec.steps.len());
        let mut buffers = StepBuffers::default();
        for (step, plan) in spec.steps.iter().zip(&self.steps) {
            let (after, best) = apply_step(spec, &self.shape, step, plan, &matrix, &mut buffers)?;
            matrix = after;
            steps.push(StepResult {
                step: step.clone(),
                best,
                matrix: matrix.clone(),
            });
        }
        Ok((steps, matrix))
    }

    /// The scores [`apply_rules`] gives `matrix` under `spec` (the spec
    /// these rules were laid out for; its weights may differ), without
    /// keeping each step's matrix or any warning.
    pub fn scores(&self, spec: &Spec, matrix: DMatrix<f64>) -> crate::error::Result<Vec<f64>> {
        Ok(self.scored(spec, matrix)?.0)
    }

    /// [`Rules::scores`] and the profile they come from (its rows the
    /// submissions, its columns the τ grid).
    pub fn scored(
        &self,
        spec: &Spec,
        matrix: DMatrix<f64>,
    ) -> crate::error::Result<(Vec<f64>, DMatrix<f64>)> {
        // Two matrices, before and after each step, swapped from step to
        // step: the steps of [`Rules::steps`] without a new matrix each.
        let mut matrix = matrix;
        let mut after = matrix.clone();
        let (mut best, mut buffers) = (Vec::new(), StepBuffers::default());
        for (step, plan) in spec.steps.iter().zip(&self.steps) {
            column_best_into(&matrix, &mut best);
            after.copy_from(&matrix);
            let before = (&matrix, best.as_slice());
            match &plan.cellwise {
                Some(f) => step_cellwise(&self.shape, plan, f, before, &mut after, &mut buffers),
                None => step_interpreted(spec, &self.shape, step, plan, before, &mut after)?,
            }
            std::mem::swap(&mut matrix, &mut after);
        }
        let mut quiet = Warnings::default();
        let (_, ratios) = ratios(spec, self, &matrix, &mut quiet)?;
        let base = &self.shape.ratio_base;
        let profile = profile(spec, self.shape.submissions, base, &ratios)?;
        Ok((scores(spec, base, &ratios, &profile)?, profile))
    }
}

/// What a rule step reads and the columns it assigns to, worked out once:
/// per target column, the held-out variants its cells are evaluated with
/// (a base column's cells with each of its variants in turn when the step
/// reads `held_out`, else with the first, if any).
struct StepPlan {
    targets: Vec<(usize, Vec<Option<usize>>)>,
    uses_best: bool,
    reductions: usize,
    /// The condition and the value in column-wise form, where both have one.
    cellwise: Option<(Cellwise, Cellwise)>,
}

impl StepPlan {
    fn new(spec: &Spec, shape: &Shape, step: &Step) -> Self {
        let reads_held_out = step.uses(Var::CellHeldOut);
        let choices = |c: usize| match (reads_held_out, shape.base_of[c]) {
            (true, None) => shape.variants[c].iter().map(|&v| Some(v)).collect(),
            _ => vec![shape.variants[c].first().copied()],
        };
        StepPlan {
            targets: shape
                .targets(spec, &step.target)
                .into_iter()
                .map(|c| (c, choices(c)))
                .collect(),
            uses_best: step.uses(Var::CellBest),
            reductions: reductions(&[&step.value, &step.cond]),
            cellwise: Cellwise::compile(&step.cond).zip(Cellwise::compile(&step.value)),
        }
    }
}

/// The matrix's layout as the formulas see it: per column its base or
/// variants, budget, step hint and target; the referenced submissions' rows.
struct Shape<'a> {
    submissions: &'a [String],
    workloads: &'a [String],
    base_of: Vec<Option<usize>>,
    variants: Vec<Vec<usize>>,
    base_cols: Vec<usize>,
    budget: Vec<f64>,
    step_hint: Vec<f64>,
    target: Vec<f64>,
    references: Vec<usize>,
    /// Per cell: its framework, when the caller knows the folders.
    frameworks: Option<&'a DMatrix<f64>>,
    /// The spec's base workloads, sorted (the ratio and profile columns),
    /// and the matrix column of each that has one.
    ratio_base: Vec<String>,
    ratio_cols: Vec<usize>,
}

impl<'a> Shape<'a> {
    fn new(
        spec: &Spec,
        submissions: &'a [String],
        workloads: &'a [String],
    ) -> crate::error::Result<Self> {
        let column = |w: &str| workloads.iter().position(|x| x == w);
        let per = |f: &dyn Fn(&WorkloadTarget) -> f64| -> Vec<f64> {
            workloads
                .iter()
                .map(|w| spec.targets.get(w).map_or(f64::NAN, f))
                .collect()
        };
        let mut references = Vec::with_capacity(spec.references.len());
        for name in &spec.references {
            match submissions.iter().position(|s| s == name) {
                Some(r) => references.push(r),
                None => {
                    return Err(ScoreError::UnknownReference {
                        spec: spec.path.clone(),
                        name: name.clone(),
                    }
                    .into())
                }
            }
        }
        let mut ratio_base = spec.base.clone();
        ratio_base.sort();
        let ratio_cols = ratio_base.iter().filter_map(|w| column(w)).collect();
        Ok(Shape {
            submissions,
            workloads,
            base_of: workloads
                .iter()
                .map(|w| spec.base_of(w).and_then(column))
                .collect(),
            variants: workloads
                .iter()
                .map(|w| {
                    spec.held_out
                        .iter()
                        .filter(|h| h.base == *w)
                        .filter_map(|h| column(&h.variant))
                        .collect()
                })
                .collect(),
            base_cols: (0..workloads.len())
                .filter(|&c| spec.is_base(&workloads[c]))
                .collect(),
            budget: workloads
                .iter()
                .map(|w| spec.budget_of(w).unwrap_or(f64::NAN))
                .collect(),
            step_hint: per(&|t| t.step_hint as f64),
            target: per(&|t| t.target),
            references,
            frameworks: None,
            ratio_base,
            ratio_cols,
        })
    }

    /// The matrix as formulas read it, with room for `reductions` caches.
    fn cells<'m>(&'m self, m: &'m DMatrix<f64>, best: &'m [f64], reductions: usize) -> Cells<'m> {
        Cells {
            m,
            base_of: &self.base_of,
            variants: &self.variants,
            base_cols: &self.base_cols,
            budget: &self.budget,
            step_hint: &self.step_hint,
            target: &self.target,
            best,
            references: &self.references,
            frameworks: self.frameworks,
            cache: Default::default(),
            cached: Default::default(),
        }
        .with_cache(reductions)
    }

    /// Column `c` of `m` as a column-wise formula reads it, `held_out`
    /// being `variant` there.
    fn column<'m>(
        &'m self,
        m: &'m DMatrix<f64>,
        best: &'m [f64],
        c: usize,
        variant: Option<usize>,
    ) -> Column<'m> {
        Column {
            m,
            best,
            base_of: &self.base_of,
            budget: &self.budget,
            step_hint: &self.step_hint,
            target: &self.target,
            references: &self.references,
            c,
            variant,
        }
    }

    /// The columns a step assigns to.
    fn targets(&self, spec: &Spec, target: &Target) -> Vec<usize> {
        (0..self.workloads.len())
            .filter(|&c| match target {
                Target::All => true,
                Target::Base => spec.is_base(&self.workloads[c]),
                Target::HeldOut => self.base_of[c].is_some(),
                Target::Workload(w) => self.workloads[c] == *w,
            })
            .collect()
    }
}

/// How many matrix reductions a formula holds (their cache size).
fn reductions(nodes: &[&Node]) -> usize {
    let most = std::cell::Cell::new(0usize);
    for n in nodes {
        n.any(&|x| {
            if let Node::Reduce { id, .. } | Node::Count { id, .. } = x {
                most.set(most.get().max(id + 1));
            }
            false
        });
    }
    most.get()
}

/// Per column: the smallest time, NaN skipped (NaN when none).
fn column_best(m: &DMatrix<f64>) -> Vec<f64> {
    let mut best = Vec::with_capacity(m.ncols());
    column_best_into(m, &mut best);
    best
}

/// [`column_best`] into a buffer kept from call to call.
fn column_best_into(m: &DMatrix<f64>, best: &mut Vec<f64>) {
    best.clear();
    best.extend((0..m.ncols()).map(|c| numeric::nanmin(m.column(c).iter().copied())));
}

/// One step: every cell of its target evaluated against the matrix before
/// the step, then assigned at once. Returns the new matrix and, where the
/// step reads `best`, the best time of each target column.
fn apply_step(
    spec: &Spec,
    shape: &Shape,
    step: &Step,
    plan: &StepPlan,
    before: &DMatrix<f64>,
    buffers: &mut StepBuffers,
) -> crate::error::Result<(DMatrix<f64>, Vec<f64>)> {
    let best = column_best(before);
    let mut after = before.clone();
    let mut reported = vec![f64::NAN; before.ncols()];
    if plan.uses_best {
        for &(c, _) in &plan.targets {
            reported[c] = best[c];
        }
    }
    match &plan.cellwise {
        Some(formulas) => {
            step_cellwise(shape, plan, formulas, (before, &best), &mut after, buffers)
        }
        None => step_interpreted(spec, shape, step, plan, (before, &best), &mut after)?,
    }
    Ok((after, reported))
}

/// What [`step_cellwise`] works in, kept from step to step: per row, the
/// condition, the value and whether the row is still open; buffers for
/// subformulas.
#[derive(Default)]
struct StepBuffers {
    holds: Vec<f64>,
    values: Vec<f64>,
    open: Vec<bool>,
    spare: Vec<Vec<f64>>,
}

/// A step's cells through the interpreter, one by one: each is assigned
/// the value of the first of its variants whose condition holds.
fn step_interpreted(
    spec: &Spec,
    shape: &Shape,
    step: &Step,
    plan: &StepPlan,
    (before, best): (&DMatrix<f64>, &[f64]),
    after: &mut DMatrix<f64>,
) -> crate::error::Result<()> {
    let cells = shape.cells(before, best, plan.reductions);
    let mut scratch = Vec::new();
    for (c, choices) in &plan.targets {
        let c = *c;
        for r in 0..before.nrows() {
            for &variant in choices {
                let cx = Ctx {
                    cells: Some(&cells),
                    r,
                    c,
                    variant,
                    ..Default::default()
                };
                let fail = |e: EvalError| {
                    let cell = format!(
                        "step `{}`, {} on {}",
                        step.text, shape.submissions[r], shape.workloads[c]
                    );
                    formula_error(spec, &cell, e)
                };
                if eval(&step.cond, &cx, &mut scratch).map_err(fail)? != 0.0 {
                    after[(r, c)] = eval(&step.value, &cx, &mut scratch).map_err(fail)?;
                    break;
                }
            }
        }
    }
    Ok(())
}

/// [`step_interpreted`] a column at a time: per target column and
/// variant, the condition and the value on every row (they cannot fail
/// and read nothing else), each row assigned from the first variant whose
/// condition holds there.
fn step_cellwise(
    shape: &Shape,
    plan: &StepPlan,
    (cond, value): &(Cellwise, Cellwise),
    (before, best): (&DMatrix<f64>, &[f64]),
    after: &mut DMatrix<f64>,
    buffers: &mut StepBuffers,
) {
    let n = before.nrows();
    let StepBuffers {
        holds,
        values,
        open,
        spare,
    } = buffers;
    holds.resize(n, 0.0);
    values.resize(n, 0.0);
    open.resize(n, true);
    for &(c, ref choices) in &plan.targets {
        open.fill(true);
        for &variant in choices {
            let at = shape.column(before, best, c, variant);
            cond.fill(&at, holds, spare);
            value.fill(&at, values, spare);
            for r in 0..n {
                if open[r] && holds[r] != 0.0 {
                    after[(r, c)] = values[r];
                    open[r] = false;
                }
            }
        }
    }
}

/// §6.5–6.6: the ratio of every base cell after the steps, and each base
/// column's denominator when the ratio is `time / D` with D the same for
/// the whole column.
fn ratios(
    spec: &Spec,
    rules: &Rules,
    matrix: &DMatrix<f64>,
    warnings: &mut Warnings,
) -> crate::error::Result<(Vec<f64>, DMatrix<f64>)> {
    let shape = &rules.shape;
    let n = matrix.nrows();
    let (base, base_cols) = (&shape.ratio_base, &shape.ratio_cols);
    let best = column_best(matrix);
    let node = &spec.ratio.node;
    let cells = shape.cells(matrix, &best, reductions(&[node]));
    let column_level = match node {
        Node::Div(_, d)
            if ![Var::CellTime, Var::CellBase, Var::CellHeldOut]
                .iter()
                .any(|v| d.uses(*v)) =>
        {
            Some(d.as_ref())
        }
        _ => None,
    };
    let uses_reference = node.any(&|x| matches!(x, Node::Reference(_)));
    let mut scratch = Vec::new();
    let (mut column, mut spare) = (vec![0.0; n], Vec::new());
    let mut denominators = Vec::with_capacity(base_cols.len());
    let mut ratios = DMatrix::from_element(n, base_cols.len(), f64::NAN);
    for (k, &c) in base_cols.iter().enumerate() {
        let variant = shape.variants[c].first().copied();
        let at = |r: usize| Ctx {
            cells: Some(&cells),
            r,
            c,
            variant,
            ..Default::default()
        };
        let fail = |e: EvalError| formula_error(spec, &format!("ratio on {}", base[k]), e);
        let den = match column_level {
            Some(d) if n > 0 => eval(d, &at(0), &mut scratch).map_err(fail)?,
            _ => f64::NAN,
        };
        if uses_reference && shape.references.iter().any(|&r| matrix[(r, c)].is_nan()) {
            warnings.push(Warning::ReferenceMissed {
                workload: base[k].clone(),
            });
        }
        denominators.push(den);
        if let Some(cellwise) = &rules.ratio {
            let at = shape.column(matrix, &best, c, variant);
            cellwise.fill(&at, &mut column, &mut spare);
            for (r, &q) in column.iter().enumerate() {
                ratios[(r, k)] = settled_ratio(matrix[(r, c)], best[c], q);
            }
            continue;
        }
        for r in 0..n {
            let t = matrix[(r, c)];
            let q = eval(node, &at(r), &mut scratch).map_err(fail)?;
            ratios[(r, k)] = settled_ratio(t, best[c], q);
        }
    }
    Ok((denominators, ratios))
}

/// The ratio of a cell of time `t` in a column whose best time is `best`,
/// given what the ratio formula made of it (`q`), with the two cases no
/// formula may decide otherwise (SCORING.md §6.6):
/// - a cell a rule set to ∞ (or that never reached the target) is never
///   solved: its ratio is ∞, whatever the division gives (`∞ / 0` is ∞
///   but `∞ / −5` is −∞; pandas' `update` keeps ∞ where `∞ / ∞` is NaN);
/// - the best cell is solved at every τ ≥ 1, even at a time of 0, where
///   `0 / 0` is NaN: its ratio is 1 (the reference keeps the old value
///   there, 0, which also counts as solved).
fn settled_ratio(t: f64, best: f64, q: f64) -> f64 {
    if t == f64::INFINITY {
        f64::INFINITY
    } else if q.is_nan() && t == 0.0 && best == 0.0 {
        1.0
    } else {
        q
    }
}

/// Whether the ρ condition holds for a ratio at τ. The usual condition,
/// a comparison of `ratio` with `tau`, is applied directly (the same IEEE
/// comparison `eval` makes): the profile asks it submissions × workloads ×
/// τ points times, and `stability` re-scores thousands of leaderboards.
/// A ratio of ∞ (a cut-off cell) or NaN (not run) never holds, whatever
/// the condition says.
fn rho_holds(node: &Node, cx: &Ctx, scratch: &mut Vec<f64>) -> Result<bool, EvalError> {
    if cx.ratio.is_nan() || cx.ratio == f64::INFINITY {
        return Ok(false);
    }
    if let Node::Cmp(op, a, b) = node {
        if let (Node::Var(Var::RhoRatio), Node::Var(Var::RhoTau)) = (a.as_ref(), b.as_ref()) {
            return Ok(op.apply(cx.ratio, cx.tau));
        }
    }
    Ok(eval(node, cx, scratch)? != 0.0)
}

/// §6.7: ρ(τ) per submission, the weighted fraction of base workloads
/// whose ρ condition holds: submissions × τ (the spec's grid).
fn profile(
    spec: &Spec,
    submissions: &[String],
    base: &[String],
    ratios: &DMatrix<f64>,
) -> crate::error::Result<DMatrix<f64>> {
    let n = ratios.nrows();
    let taus = &spec.tau.values;
    let weights: Vec<f64> = base
        .iter()
        .map(|w| spec.weights.get(w).copied().unwrap_or(1.0))
        .collect();
    let total: f64 = spec
        .base
        .iter()
        .map(|w| spec.weights.get(w).copied().unwrap_or(1.0))
        .sum();
    if spec.rho_credit {
        return credit_profile(spec, submissions, base, ratios, &weights, total);
    }
    let mut profile = DMatrix::from_element(n, taus.len(), 0.0);
    if let Some(from) = rho_from(&spec.rho.node, taus) {
        let (mut first, mut starts) = (Vec::new(), Vec::new());
        for r in 0..n {
            first.clear();
            first.extend((0..weights.len()).map(|k| from(ratios[(r, k)])));
            let row = (weights.as_slice(), total, first.as_slice(), taus.len());
            profile_row(row, &mut starts, |j, v| profile[(r, j)] = v);
        }
        return Ok(profile);
    }
    let fail = |e: EvalError| formula_error(spec, "profile", e);
    let mut scratch = Vec::new();
    let mut cx = Ctx::default();
    for r in 0..n {
        for (j, &tau) in taus.iter().enumerate() {
            let mut held = 0.0;
            cx.tau = tau;
            for (k, w) in weights.iter().enumerate() {
                cx.ratio = ratios[(r, k)];
                if rho_holds(&spec.rho.node, &cx, &mut scratch).map_err(fail)? {
                    held += w;
                }
            }
            profile[(r, j)] = held / total;
        }
    }
    Ok(profile)
}

/// ρ(τ) of `fraction(NUMBER)`: per submission and τ, the weighted mean
/// over base workloads of each one's credit in [0, 1]; a ratio of ∞ (cut
/// off) or NaN (not run) earns 0, as in `rho_holds`. A credit outside
/// [0, 1] (NaN included) is an error naming the cell and τ.
fn credit_profile(
    spec: &Spec,
    submissions: &[String],
    base: &[String],
    ratios: &DMatrix<f64>,
    weights: &[f64],
    total: f64,
) -> crate::error::Result<DMatrix<f64>> {
    let taus = &spec.tau.values;
    let mut scratch = Vec::new();
    let mut profile = DMatrix::from_element(ratios.nrows(), taus.len(), 0.0);
    let mut cx = Ctx::default();
    for r in 0..ratios.nrows() {
        for (j, &tau) in taus.iter().enumerate() {
            let mut held = 0.0;
            cx.tau = tau;
            for (k, w) in weights.iter().enumerate() {
                cx.ratio = ratios[(r, k)];
                if cx.ratio.is_nan() || cx.ratio == f64::INFINITY {
                    continue;
                }
                let cell = || {
                    format!(
                        "ρ of {} on {} at τ = {}",
                        submissions[r],
                        base[k],
                        numeric::py_repr(tau)
                    )
                };
                let credit = eval(&spec.rho.node, &cx, &mut scratch)
                    .map_err(|e| formula_error(spec, &cell(), e))?;
                if !(0.0..=1.0).contains(&credit) {
                    let e = EvalError(format!(
                        "the credit must be a number from 0 to 1, found {} (ratio {})",
                        numeric::py_repr(credit),
                        numeric::py_repr(cx.ratio)
                    ));
                    return Err(formula_error(spec, &cell(), e));
                }
                held += w * credit;
            }
            profile[(r, j)] = held / total;
        }
    }
    Ok(profile)
}

/// For the usual ρ condition (`ratio <= tau` or `ratio < tau`) on an
/// ascending τ grid, the condition holds from some τ point on: the first
/// such point of a ratio (`taus.len()` when none; a ratio of ∞ or NaN never
/// holds, as in [`rho_holds`]). `None` for any other condition or grid.
fn rho_from<'t>(node: &Node, taus: &'t [f64]) -> Option<impl Fn(f64) -> usize + 't> {
    use crate::spec::formula::CmpOp;
    let Node::Cmp(op, a, b) = node else {
        return None;
    };
    let usual = matches!(
        (a.as_ref(), b.as_ref()),
        (Node::Var(Var::RhoRatio), Node::Var(Var::RhoTau))
    );
    let ascending = taus.windows(2).all(|w| w[0] <= w[1]);
    let op = *op;
    (usual && ascending && matches!(op, CmpOp::Le | CmpOp::Lt)).then_some(move |ratio: f64| {
        if ratio.is_nan() || ratio == f64::INFINITY {
            return taus.len();
        }
        taus.partition_point(|&tau| !op.apply(ratio, tau))
    })
}

/// One submission's ρ(τ) where workload k's condition holds from τ point
/// `first[k]` on: at each point the weights that hold, added in workload
/// order (the sum [`profile`] makes point by point, made again only where
/// a workload starts to hold), over `total`.
fn profile_row(
    (weights, total, first, points): (&[f64], f64, &[usize], usize),
    starts: &mut Vec<usize>,
    mut set: impl FnMut(usize, f64),
) {
    starts.clear();
    starts.extend(first.iter().copied().filter(|&j| j < points));
    starts.sort_unstable();
    starts.dedup();
    let mut j = 0;
    let mut value = 0.0 / total;
    for &start in starts.iter().chain(std::iter::once(&points)) {
        while j < start {
            set(j, value);
            j += 1;
        }
        if start < points {
            let mut held = 0.0;
            for (k, w) in weights.iter().enumerate() {
                if first[k] <= start {
                    held += w;
                }
            }
            value = held / total;
        }
    }
}

/// §6.8: each submission's score, the spec's score formula over its ρ(τ)
/// and its ratios on the base workloads (`R(X over workloads)`).
fn scores(
    spec: &Spec,
    base: &[String],
    ratios: &DMatrix<f64>,
    profile: &DMatrix<f64>,
) -> crate::error::Result<Vec<f64>> {
    let (taus, tau_axis) = (&spec.tau.values, &spec.tau.axis);
    let fail = |e: EvalError| formula_error(spec, "profile", e);
    let mut scratch = Vec::new();
    let mut rho = vec![0.0; taus.len()];
    let weights: Vec<f64> = base
        .iter()
        .map(|w| spec.weights.get(w).copied().unwrap_or(1.0))
        .collect();
    let mut row = vec![0.0; base.len()];
    let mut scores = Vec::with_capacity(profile.nrows());
    let (numerator, denominator) = match &spec.score.node {
        Node::Div(a, d) if same_for_every_row(d) => {
            let p = Profile {
                rho: &rho,
                taus,
                axis: tau_axis,
            };
            let cx = Ctx {
                profile: Some(&p),
                ..Default::default()
            };
            (a.as_ref(), Some(eval(d, &cx, &mut scratch).map_err(fail)?))
        }
        node => (node, None),
    };
    for r in 0..profile.nrows() {
        for (j, x) in rho.iter_mut().enumerate() {
            *x = profile[(r, j)];
        }
        for (k, x) in row.iter_mut().enumerate() {
            *x = ratios[(r, k)];
        }
        let p = Profile {
            rho: &rho,
            taus,
            axis: tau_axis,
        };
        let cx = Ctx {
            profile: Some(&p),
            ratios: &row,
            weights: &weights,
            ..Default::default()
        };
        let score = eval(numerator, &cx, &mut scratch).map_err(fail)?;
        scores.push(match denominator {
            Some(d) => score / d,
            None => score,
        });
    }
    Ok(scores)
}

/// Whether a score's denominator is made of numbers and the grid's bounds
/// only (`tau_max - tau_min`): the same for every submission, so it is
/// evaluated once, not once per submission (and cannot fail).
fn same_for_every_row(d: &Node) -> bool {
    !d.any(&|x| {
        !matches!(
            x,
            Node::Const(_)
                | Node::Var(Var::TauMin | Var::TauMax)
                | Node::Neg(_)
                | Node::Add(..)
                | Node::Sub(..)
                | Node::Mul(..)
                | Node::Div(..)
        )
    })
}
