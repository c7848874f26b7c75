//! Synthetic submissions trees: realistic training curves that approach or
//! miss their targets, ties, diverged runs with NaN, and missing trials.
//! Used for `examples/`, benchmarks beyond the real data, and tests.
//!
//! Workloads, metrics and targets come from a spec; the generator only
//! invents curves. The same (spec, options) always give the same bytes.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::report::error::ReportError;

mod logs;
use crate::spec::{Goal, Spec};
use logs::Columns;

/// Shape of a synthetic tree.
#[derive(Debug, Clone)]
pub struct Options {
    pub submissions: usize,
    pub seed: u64,
    pub studies: usize,
    pub trials: usize,
    /// Probability that a trial folder has no eval_measurements.csv.
    pub missing_trial: f64,
    /// Probability that a trial diverges (its metric turns NaN).
    pub diverged: f64,
    /// Write each workload folder's raw training logs in this format
    /// (SCORING.md §11), with the same evaluations as the CSVs.
    pub raw_logs: Option<LogFormat>,
    /// Write the trials' `eval_measurements.csv` (off for a tree of raw
    /// logs only).
    pub csv: bool,
}

impl Options {
    /// The spec's expected shape (studies × trials per study).
    pub fn for_spec(spec: &Spec, submissions: usize, seed: u64) -> Self {
        Options {
            submissions,
            seed,
            studies: spec.expect.studies,
            trials: spec.expect.trials_per_study,
            missing_trial: 0.01,
            diverged: 0.03,
            raw_logs: None,
            csv: true,
        }
    }
}

/// The two raw-log formats of SCORING.md §11, as `submission_runner.py`
/// wrote them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One log per workload folder holding every tuning run, each run's
    /// evaluations in its closing `Metrics: {'eval_results': […]}` line.
    Old,
    /// One log per tuning run, one `Time since start: …` line per evaluation.
    New,
    /// As jax runs log (librispeech, v0.6): one log per tuning run, a line
    /// per evaluation and the closing `Metrics:` line, the metric wrapped
    /// as `Array(x, dtype=float32)` (losses) or `np.float64(x)` (others).
    Jax,
}

/// One file of a synthetic tree: path relative to the tree root, contents.
pub type File = (String, String);

/// One evaluation of a synthetic run, as logged.
#[derive(Debug, Clone, Copy)]
struct Row {
    step: u64,
    /// Seconds, rounded to microseconds as loggers do.
    time: f64,
    /// The metric (NaN once a diverged run diverges).
    value: f64,
}

/// What the curves of one workload of one submission share.
struct Curve {
    goal: Goal,
    target: f64,
    /// Seconds per step (the hardware's, shared by all submissions; a run
    /// fits in the workload's budget).
    step_time: f64,
    evals: usize,
    steps_total: f64,
    /// How much faster than typical this submission trains the workload.
    speed: f64,
    /// The submission's quality and the workload's handicap: how far from
    /// the target the runs end, before noise.
    quality: f64,
    handicap: f64,
}

/// Generates the files of a synthetic submissions tree.
pub fn generate(spec: &Spec, opts: &Options) -> Vec<File> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let workloads = spec.matrix_workloads();
    let framework = spec
        .frameworks
        .first()
        .cloned()
        .unwrap_or_else(|| "jax".into());
    // Per workload, shared by all submissions (the same hardware): the
    // share of the runtime budget a full run takes (below 1 even with the
    // timing noise of `run`, so no run passes its budget) and how many
    // evaluations a run logs.
    let shapes: Vec<(f64, usize)> = workloads
        .iter()
        .map(|_| (rng.gen_range(0.3..0.9), rng.gen_range(15..40)))
        .collect();
    let mut files = Vec::new();
    for s in 0..opts.submissions {
        let name = format!("synthetic_{s:04}");
        // How fast this algorithm trains, and how reliably its trials reach
        // targets (higher is better).
        let speed: f64 = rng.gen_range(0.7..1.4);
        let quality: f64 = rng.gen_range(-0.01..0.03);
        for (w_index, w) in workloads.iter().enumerate() {
            let Some(target) = spec.targets.get(w) else {
                continue;
            };
            // Some submissions skip a workload entirely.
            if rng.gen_bool(0.02) {
                continue;
            }
            let (budget_share, evals) = shapes[w_index];
            let steps_total = (target.step_hint.max(100)) as f64;
            let curve = Curve {
                goal: target.goal,
                target: target.target,
                step_time: step_time(spec, w, budget_share, steps_total),
                evals,
                steps_total,
                speed: speed * rng.gen_range(0.85..1.2),
                quality,
                handicap: 0.01 * (w_index % 3) as f64,
            };
            let folder = format!("{w}_{framework}");
            for study in 0..opts.studies {
                let mut runs = study_runs(&mut rng, &curve, opts);
                let dir = format!("{name}/study_{study}/{folder}");
                let columns = Columns::new(spec, &target.column);
                if opts.raw_logs == Some(LogFormat::Jax) {
                    columns.as_jax_logs_them(&mut runs);
                }
                if opts.csv {
                    for (trial, rows) in runs.iter().enumerate() {
                        if let Some(rows) = rows {
                            let path = format!("{dir}/trial_{}/eval_measurements.csv", trial + 1);
                            files.push((path, columns.csv(rows)));
                        }
                    }
                }
                if let Some(format) = opts.raw_logs {
                    files.extend(columns.logs(format, &dir, &folder, &runs));
                }
            }
        }
    }
    files
}

/// Seconds per step: a full run takes `budget_share` of the workload's
/// runtime budget × the spec's factor (budgets come from the targets file);
/// without a budget, `budget_share` seconds a step.
fn step_time(spec: &Spec, workload: &str, budget_share: f64, steps_total: f64) -> f64 {
    match spec.budget_of(workload) {
        Some(budget) => budget * spec.budget_factor * budget_share / steps_total,
        None => budget_share,
    }
}

/// A tie: the previous trial's curve, with its last finite value moved by
/// one part in a million (no two runs log the same bytes, and `check`
/// calls byte-identical trials a copy). The move keeps the time to target:
/// a row that reaches the target gets better, one that does not gets worse.
fn tie_of(previous: &[Row], curve: &Curve) -> Vec<Row> {
    let mut rows = previous.to_vec();
    if let Some(last) = rows.iter_mut().rev().find(|r| r.value.is_finite()) {
        let better = match curve.goal {
            Goal::Minimize => -1.0,
            Goal::Maximize => 1.0,
        };
        let towards = if curve.goal.reached(last.value, curve.target) {
            better
        } else {
            -better
        };
        last.value += towards * 1e-6 * last.value.abs().max(1e-12);
    }
    rows
}

/// The runs of one study's trials, `None` for a trial that left no result.
fn study_runs(rng: &mut ChaCha8Rng, curve: &Curve, opts: &Options) -> Vec<Option<Vec<Row>>> {
    let mut runs: Vec<Option<Vec<Row>>> = Vec::with_capacity(opts.trials);
    let mut previous: Option<Vec<Row>> = None;
    for _ in 0..opts.trials {
        if rng.gen_bool(opts.missing_trial) {
            runs.push(None);
            continue;
        }
        // A tie: the same curve as the previous trial.
        if let Some(prev) = &previous {
            if rng.gen_bool(0.05) {
                runs.push(Some(tie_of(prev, curve)));
                continue;
            }
        }
        let rows = run(rng, curve, opts);
        previous = Some(rows.clone());
        runs.push(Some(rows));
    }
    runs
}

/// One trial's evaluations: an exponential approach to a value near the
/// target, with noise, turning NaN from some evaluation on if it diverges.
fn run(rng: &mut ChaCha8Rng, c: &Curve, opts: &Options) -> Vec<Row> {
    let margin: f64 = rng.gen_range(-0.03..0.03) - c.quality + c.handicap;
    let (final_value, start) = match c.goal {
        Goal::Minimize => (c.target * (1.0 + margin), c.target * 2.0),
        Goal::Maximize => (c.target * (1.0 - margin), c.target * 0.1),
    };
    let rate: f64 = rng.gen_range(4.0..9.0) * c.speed;
    let diverge_at = if rng.gen_bool(opts.diverged) {
        Some(rng.gen_range(1..c.evals))
    } else {
        None
    };
    let mut time = 0.0;
    (0..c.evals)
        .map(|e| {
            let step = ((e + 1) as f64 * c.steps_total / c.evals as f64).round();
            time += c.step_time * (c.steps_total / c.evals as f64) * rng.gen_range(0.97..1.03);
            let progress = (e + 1) as f64 / c.evals as f64;
            let noise: f64 = rng.gen_range(-0.004..0.004);
            let value = final_value + (start - final_value) * (-rate * progress).exp();
            let value = match diverge_at {
                Some(d) if e >= d => f64::NAN,
                _ => value * (1.0 + noise),
            };
            Row {
                step: step as u64,
                time: (time * 1e6).round() / 1e6,
                value,
            }
        })
        .collect()
}
/// Writes a synthetic tree under `out` (which must not already hold one).
pub fn write(out: &Path, files: &[File]) -> Result<()> {
    for (rel, contents) in files {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ReportError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, contents).map_err(|source| ReportError::Write { path, source })?;
    }
    Ok(())
}
