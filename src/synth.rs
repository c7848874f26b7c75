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
use crate::numeric::py_repr;
use crate::report::error::ReportError;
use crate::spec::{Goal, Spec};

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
        }
    }
}

/// One file of a synthetic tree: path relative to the tree root, contents.
pub type File = (String, String);

/// Generates the files of a synthetic submissions tree.
pub fn generate(spec: &Spec, opts: &Options) -> Vec<File> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let workloads = spec.matrix_workloads();
    let framework = spec
        .frameworks
        .first()
        .cloned()
        .unwrap_or_else(|| "jax".into());
    // Per workload, shared by all submissions (the same hardware): the time
    // one step takes and how many evaluations a run logs.
    let shapes: Vec<(f64, usize)> = workloads
        .iter()
        .map(|_| (rng.gen_range(0.1..1.0), rng.gen_range(15..40)))
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
            let (step_time, evals) = shapes[w_index];
            let steps_total = (target.step_hint.max(100)) as f64;
            let workload_speed: f64 = speed * rng.gen_range(0.85..1.2);
            for study in 0..opts.studies {
                let mut previous: Option<String> = None;
                for trial in 1..=opts.trials {
                    let path = format!(
                        "{name}/study_{study}/{w}_{framework}/trial_{trial}/eval_measurements.csv"
                    );
                    if rng.gen_bool(opts.missing_trial) {
                        continue;
                    }
                    // A tie: the same curve as the previous trial.
                    if let Some(prev) = &previous {
                        if rng.gen_bool(0.05) {
                            files.push((path, prev.clone()));
                            continue;
                        }
                    }
                    let margin: f64 =
                        rng.gen_range(-0.03..0.03) - quality + 0.01 * (w_index % 3) as f64;
                    let final_value = match target.goal {
                        Goal::Minimize => target.target * (1.0 + margin),
                        Goal::Maximize => target.target * (1.0 - margin),
                    };
                    let start = match target.goal {
                        Goal::Minimize => target.target * 2.0,
                        Goal::Maximize => target.target * 0.1,
                    };
                    let rate: f64 = rng.gen_range(4.0..9.0) * workload_speed;
                    let diverge_at = if rng.gen_bool(opts.diverged) {
                        Some(rng.gen_range(1..evals))
                    } else {
                        None
                    };
                    // The spec's columns (a separate time column only when the
                    // spec compares one), and a logger column for realism.
                    let cols = &spec.columns;
                    let separate_time = cols.time != cols.summary_time;
                    let mut csv = if separate_time {
                        format!(
                            "{},{},preemption_count,{},{}\n",
                            cols.summary_time, cols.step, cols.time, target.column
                        )
                    } else {
                        format!(
                            "{},{},preemption_count,{}\n",
                            cols.summary_time, cols.step, target.column
                        )
                    };
                    let mut time = 0.0;
                    for e in 0..evals {
                        let step = ((e + 1) as f64 * steps_total / evals as f64).round();
                        let dt =
                            step_time * (steps_total / evals as f64) * rng.gen_range(0.97..1.03);
                        time += dt;
                        let progress = (e + 1) as f64 / evals as f64;
                        let noise: f64 = rng.gen_range(-0.004..0.004);
                        let value = final_value + (start - final_value) * (-rate * progress).exp();
                        let value = value * (1.0 + noise);
                        let value = match diverge_at {
                            Some(d) if e >= d => f64::NAN,
                            _ => value,
                        };
                        // Round times to microseconds, as loggers do.
                        let t = (time * 1e6).round() / 1e6;
                        let value = if value.is_nan() {
                            "nan".to_string()
                        } else {
                            py_repr(value)
                        };
                        if separate_time {
                            csv.push_str(&format!(
                                "{},{},0,{},{}\n",
                                py_repr(t),
                                step as u64,
                                py_repr(t),
                                value
                            ));
                        } else {
                            csv.push_str(&format!("{},{},0,{}\n", py_repr(t), step as u64, value));
                        }
                    }
                    previous = Some(csv.clone());
                    files.push((path, csv));
                }
            }
        }
    }
    files
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
