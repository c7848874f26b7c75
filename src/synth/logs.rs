//! Rendering synthetic runs: the trials' `eval_measurements.csv` and the
//! raw training logs `submission_runner.py` writes (SCORING.md §11), with
//! the same numbers in the same Python `repr` text, so that scoring a tree
//! from its logs gives what scoring it from its CSVs gives.
//!
//! The logs carry the output an evaluation line sits among in a real log
//! (per-step losses, "Evaluating on …", the metrics writer's line), about
//! four times the bytes of the evaluation lines themselves, so that a
//! benchmark on them measures the search for lines as well as their parsing.

use std::fmt::Write;

use super::{File, LogFormat, Row};
use crate::numeric::py_repr;
use crate::spec::Spec;

/// The columns a run is written with: the spec's, and `preemption_count`
/// for realism.
pub(super) struct Columns<'a> {
    summary_time: &'a str,
    step: &'a str,
    /// The time-to-target column, when the spec compares one other than
    /// the summary time.
    time: Option<&'a str>,
    metric: &'a str,
    /// How a jax run logs the metric: a loss is computed on the device, a
    /// float32 `Array(x, dtype=float32)`; other metrics (error rates, WER,
    /// mAP, BLEU) come out of numpy, an `np.float64(x)`.
    metric_float32: bool,
}

/// The thread id `submission_runner.py`'s lines carry (any fixed number).
const THREAD: &str = "140314632471744";

impl<'a> Columns<'a> {
    pub(super) fn new(spec: &'a Spec, metric: &'a str) -> Self {
        let cols = &spec.columns;
        Columns {
            summary_time: &cols.summary_time,
            step: &cols.step,
            time: (cols.time != cols.summary_time).then_some(cols.time.as_str()),
            metric,
            metric_float32: metric.ends_with("loss"),
        }
    }

    /// The metric values as a jax run holds them: a float32 metric is
    /// rounded to float32 and then read back from its shortest text, as the
    /// log shows it (and as pandas writes it into the CSV), so that a tree's
    /// logs and CSVs hold the same numbers.
    pub(super) fn as_jax_logs_them(&self, runs: &mut [Option<Vec<Row>>]) {
        if !self.metric_float32 {
            return;
        }
        for row in runs.iter_mut().flatten().flatten() {
            row.value = float32_value(row.value);
        }
    }

    /// A trial's `eval_measurements.csv`.
    pub(super) fn csv(&self, rows: &[Row]) -> String {
        let mut csv = match self.time {
            Some(time) => format!(
                "{},{},preemption_count,{time},{}\n",
                self.summary_time, self.step, self.metric
            ),
            None => format!(
                "{},{},preemption_count,{}\n",
                self.summary_time, self.step, self.metric
            ),
        };
        for row in rows {
            let t = py_repr(row.time);
            let value = py_repr(row.value);
            let _ = match self.time {
                Some(_) => writeln!(csv, "{t},{},0,{t},{value}", row.step),
                None => writeln!(csv, "{t},{},0,{value}", row.step),
            };
        }
        csv
    }

    /// The raw logs of one study's workload folder `dir` (named `folder`,
    /// `<workload>_<framework>`), one run per trial (`None`: the run crashed
    /// before its first evaluation).
    pub(super) fn logs(
        &self,
        format: LogFormat,
        dir: &str,
        folder: &str,
        runs: &[Option<Vec<Row>>],
    ) -> Vec<File> {
        let path = |second: usize| format!("{dir}/{folder}_03-16-2025-00-00-{second:02}.log");
        match format {
            LogFormat::New | LogFormat::Jax => runs
                .iter()
                .enumerate()
                .map(|(i, rows)| {
                    let mut text = header(folder);
                    self.run(&mut text, format, i + 1, runs.len(), rows.as_deref());
                    (path(i + 1), text)
                })
                .collect(),
            LogFormat::Old => {
                let mut text = header(folder);
                for (i, rows) in runs.iter().enumerate() {
                    self.run(&mut text, format, i + 1, runs.len(), rows.as_deref());
                }
                vec![(path(0), text)]
            }
        }
    }

    /// One tuning run's lines.
    fn run(
        &self,
        out: &mut String,
        format: LogFormat,
        trial: usize,
        trials: usize,
        rows: Option<&[Row]>,
    ) {
        line(out, 0.0, "submission_runner.py:615");
        let _ = writeln!(out, "--- Tuning run {trial}/{trials} ---");
        let Some(rows) = rows else {
            out.push_str(
                "Traceback (most recent call last):\nRuntimeError: CUDA error: out of memory\n",
            );
            return;
        };
        line(out, 0.0, "submission_runner.py:309");
        out.push_str("Starting training loop.\n");
        let mut previous = 0;
        for row in rows {
            training_steps(out, previous, row);
            previous = row.step;
            for (source, split) in [("321", "training"), ("333", "validation"), ("349", "test")] {
                line(out, row.time, &format!("spec.py:{source}"));
                let _ = writeln!(out, "Evaluating on the {split} split.");
            }
            if format != LogFormat::Old {
                line(out, row.time, "submission_runner.py:469");
                let _ = write!(
                    out,
                    "Time since start: {:.2}s, \tStep: {}, \t",
                    row.time, row.step
                );
                self.dict(out, row, false, format);
                out.push('\n');
            }
            line(out, row.time, "logging_writer.py:48");
            let t = py_repr(row.time);
            let _ = writeln!(
                out,
                "[{s}] accumulated_submission_time={t}, global_step={s}, preemption_count=0, score={t}",
                s = row.step
            );
        }
        if format != LogFormat::New {
            self.summary(out, rows, format);
        }
    }

    /// The end-of-run `Metrics:` line holding every evaluation.
    fn summary(&self, out: &mut String, rows: &[Row], format: LogFormat) {
        line(
            out,
            rows.last().map_or(0.0, |r| r.time),
            "submission_runner.py:569",
        );
        out.push_str("Metrics: {'eval_results': [");
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "({}, ", row.step);
            self.dict(out, row, true, format);
            out.push(')');
        }
        let last = rows.last().map_or(0, |r| r.step);
        let _ = writeln!(out, "], 'global_step': {last}}}");
    }

    /// An evaluation's dict; the summary's also holds the step and the
    /// preemption count (a per-evaluation line has the step beside it).
    /// A jax log wraps the metric (times are Python floats).
    fn dict(&self, out: &mut String, row: &Row, summary: bool, format: LogFormat) {
        let t = py_repr(row.time);
        let value = py_repr(row.value);
        let _ = match (format, self.metric_float32) {
            (LogFormat::Jax, true) => {
                write!(out, "{{'{}': Array({value}, dtype=float32)", self.metric)
            }
            (LogFormat::Jax, false) => write!(out, "{{'{}': np.float64({value})", self.metric),
            _ => write!(out, "{{'{}': {value}", self.metric),
        };
        if let Some(time) = self.time {
            let _ = write!(out, ", '{time}': {t}");
        }
        let _ = write!(out, ", '{}': {t}", self.summary_time);
        if summary || self.step != "global_step" {
            let _ = write!(out, ", '{}': {}", self.step, row.step);
        }
        if summary {
            out.push_str(", 'preemption_count': 0");
        }
        out.push('}');
    }
}

/// `x` rounded to float32, as the f64 its shortest float32 text reads as
/// (what `Array(0.12345679, dtype=float32)` in a log or `0.12345679` in a
/// CSV gives).
fn float32_value(x: f64) -> f64 {
    let single = x as f32;
    if !single.is_finite() {
        return x;
    }
    ryu::Buffer::new()
        .format_finite(single)
        .parse()
        .unwrap_or(x)
}

/// The lines a log starts with.
fn header(folder: &str) -> String {
    let mut out = String::new();
    line(&mut out, 0.0, "logger_utils.py:67");
    let _ = writeln!(
        out,
        "Creating experiment directory at /experiment_runs/synthetic/{folder}."
    );
    out
}

/// Three per-step training lines between the previous evaluation and this one.
fn training_steps(out: &mut String, previous: u64, row: &Row) {
    for k in 1..=3u64 {
        let step = previous + k * (row.step.saturating_sub(previous)) / 4;
        let loss = 1.0 / (1.0 + step as f64).sqrt();
        line(out, row.time, "logging_writer.py:48");
        let _ = writeln!(
            out,
            "[{step}] global_step={step}, grad_norm={:.6}, loss={loss:.6}",
            loss * 0.5
        );
    }
}

/// The prefix of a log line (`I0316 12:00:30.934386 <thread> <source>] `),
/// its clock `seconds` after midnight.
fn line(out: &mut String, seconds: f64, source: &str) {
    let micros = (seconds.max(0.0) * 1e6).round() as u64;
    let (s, us) = (micros / 1_000_000, micros % 1_000_000);
    let _ = write!(
        out,
        "I0316 {:02}:{:02}:{:02}.{us:06} {THREAD} {source}] ",
        s / 3600 % 24,
        s / 60 % 60,
        s % 60
    );
}
