//! `algoperf_engine._engine`: the Python extension, an adapter over the
//! engine's application layer (`algoperf_engine::app`). Each function turns
//! keyword arguments into the command's request, calls the one function
//! the command line calls too, and hands back a result object. Nothing is
//! decided here: no scoring, no checks, no choice of what to read — only
//! conversions (paths, names, enums) and the results' data as Python
//! values. Documents cross as the CLI's JSON text (the same keys, the same
//! values); the DataFrames are built once from them in Python.

use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use algoperf_engine::app::{self, InputRequest, ReadRequest};
use algoperf_engine::diagnostics::Warnings;
use algoperf_engine::error::Error;
use algoperf_engine::ingest::{Progress, Source};
use algoperf_engine::report;
use algoperf_engine::run::error::{CommandLineError, RunError};
use algoperf_engine::score::stability::{Method, Over};
use algoperf_engine::{cli, spec};

create_exception!(
    _engine,
    EngineError,
    PyException,
    "An error of the scoring engine; the message is the engine's."
);
create_exception!(
    _engine,
    SpecError,
    EngineError,
    "A problem in a spec or targets file: `file`, `line`, `column` (1-based; 0 = no position) of the first problem, `errors` every one."
);

/// Turns an engine error into the Python exception of its kind.
fn py_error(py: Python<'_>, e: Error) -> PyErr {
    let Error::Spec(errors) = &e else {
        return EngineError::new_err(e.to_string());
    };
    let err = SpecError::new_err(e.to_string());
    if let Err(set) = set_spec_attributes(py, &err, errors) {
        return set;
    }
    err
}

type SpecProblem = (String, usize, usize, String, Option<String>);

fn set_spec_attributes(py: Python<'_>, err: &PyErr, errors: &spec::SpecErrors) -> PyResult<()> {
    let value = err.value(py);
    let all: Vec<SpecProblem> = (errors.0.iter())
        .map(|x| {
            let file = x.file.display().to_string();
            (
                file,
                x.line,
                x.column,
                x.message.clone(),
                x.expected.clone(),
            )
        })
        .collect();
    let first = all.first().cloned();
    value.setattr("file", first.as_ref().map(|f| f.0.clone()))?;
    value.setattr("line", first.as_ref().map_or(0, |f| f.1))?;
    value.setattr("column", first.as_ref().map_or(0, |f| f.2))?;
    value.setattr("errors", all)?;
    Ok(())
}

/// Runs `f` without the GIL and turns its error into a Python exception.
fn run<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error> + Send) -> PyResult<T> {
    py.allow_threads(f).map_err(|e| py_error(py, e))
}

/// The progress of a read that Ctrl-C can stop: the engine checks it
/// between batches of files.
#[derive(Default)]
struct Cancel(std::sync::atomic::AtomicBool);

impl Progress for Cancel {
    fn start(&self, _: u64) {}
    fn advance(&self) {}
    fn finish(&self) {}
    fn cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// [`run`] for a command that reads logs: the engine works in a thread of
/// its own while this one, every 20 ms, lets Python handle its signals.
/// On Ctrl-C the read is cancelled (it stops within one batch), and the
/// `KeyboardInterrupt` is raised as soon as the engine has stopped.
fn run_reading<T: Send>(
    py: Python<'_>,
    f: impl FnOnce(&dyn Progress) -> Result<T, Error> + Send,
) -> PyResult<T> {
    let cancel = Cancel::default();
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| f(&cancel));
        let mut interrupt = None;
        while !worker.is_finished() {
            py.allow_threads(|| std::thread::sleep(std::time::Duration::from_millis(20)));
            if interrupt.is_none() {
                if let Err(e) = py.check_signals() {
                    cancel.0.store(true, std::sync::atomic::Ordering::Relaxed);
                    interrupt = Some(e);
                }
            }
        }
        let result = match worker.join() {
            Ok(result) => result,
            Err(_) => return Err(EngineError::new_err("internal error: the engine panicked")),
        };
        match interrupt {
            Some(e) => Err(e),
            None => result.map_err(|e| py_error(py, e)),
        }
    })
}

fn source_of(name: &str) -> Result<Source, Error> {
    match name {
        "csv" => Ok(Source::Csv),
        "logs" => Ok(Source::Logs),
        "auto" => Ok(Source::Auto),
        other => Err(RunError::Option(CommandLineError::UnknownSource(other.to_string())).into()),
    }
}

/// The reading options every reading function takes, as keyword arguments.
/// (A dict from the Python side: `source`, `include`, … as keys.)
#[derive(FromPyObject, Default)]
#[pyo3(from_item_all)]
struct Read {
    source: String,
    include: Vec<String>,
    exclude: Vec<String>,
    strict: bool,
    allow_empty: bool,
    max_file_size: Option<u64>,
    threads: Option<usize>,
}

impl Read {
    fn request(self) -> Result<ReadRequest, Error> {
        Ok(ReadRequest {
            include: self.include,
            exclude: self.exclude,
            source: source_of(&self.source)?,
            strict: self.strict,
            allow_empty: self.allow_empty,
            max_file_size: self.max_file_size,
            threads: self.threads,
        })
    }
}

fn input(
    spec: PathBuf,
    submissions: Option<PathBuf>,
    load_results: Option<PathBuf>,
    read: Read,
) -> Result<InputRequest, Error> {
    Ok(InputRequest {
        spec,
        submissions,
        load_results,
        read: read.request()?,
        target_relaxations: None,
    })
}

/// A document as the CLI's `--format json` prints it.
fn json<T: serde::Serialize>(doc: &T) -> PyResult<String> {
    report::json::to_text(doc).map_err(|e| EngineError::new_err(e.to_string()))
}

/// One warning as Python sees it: (code, summary, location, strict_fatal).
/// The code (`too-few-studies`) names the warning category (`TooFewStudiesWarning`).
type WarningRow = (String, String, String, bool);

/// From each warning's diagnostic, as every other view of them.
fn warning_rows(warnings: &Warnings) -> Vec<WarningRow> {
    (warnings.diagnostics().into_iter())
        .map(|d| {
            let code = d.code.name().to_string();
            let fatal = d.fatal_under_strict();
            (code, d.summary().to_string(), d.example(), fatal)
        })
        .collect()
}

/// A scored leaderboard (`score`).
#[pyclass(frozen, module = "algoperf_engine._engine")]
struct Scored {
    inner: app::score::Scored,
}

#[pymethods]
impl Scored {
    /// Submissions in name order (the rows of every matrix).
    #[getter]
    fn submissions(&self) -> Vec<String> {
        self.inner.leaderboard.submissions.clone()
    }
    /// Base and held-out workloads (the columns of `time_to_targets`).
    #[getter]
    fn workloads(&self) -> Vec<String> {
        self.inner.leaderboard.workloads.clone()
    }
    /// Submissions × workloads, seconds, before any rule.
    #[getter]
    fn time_to_targets(&self) -> Vec<Vec<f64>> {
        let m = &self.inner.leaderboard.time_to_targets;
        (0..m.nrows())
            .map(|r| (0..m.ncols()).map(|c| m[(r, c)]).collect())
            .collect()
    }
    /// Benchmark score per submission, in `submissions` order.
    #[getter]
    fn scores(&self) -> Vec<f64> {
        self.inner.leaderboard.rules.scores.clone()
    }
    /// The profile's x axis as the CSV header has it (τ, or log10 τ).
    #[getter]
    fn tau_axis(&self) -> Vec<f64> {
        self.inner.leaderboard.rules.tau.axis.clone()
    }
    /// Submissions × τ: ρ(τ).
    #[getter]
    fn profile(&self) -> Vec<Vec<f64>> {
        let m = &self.inner.leaderboard.rules.profile;
        (0..m.nrows())
            .map(|r| (0..m.ncols()).map(|c| m[(r, c)]).collect())
            .collect()
    }
    #[getter]
    fn warnings(&self) -> Vec<WarningRow> {
        warning_rows(&self.inner.warnings)
    }
    /// `curves=True`: whether time axes are logarithmic, and per workload
    /// (workload, metric, goal, target, budget); None without curves.
    #[getter]
    fn curve_workloads(&self) -> Option<CurveWorkloads> {
        let c = self.inner.curves.as_ref()?;
        let rows = (c.workloads.iter())
            .map(|w| {
                let goal = w.goal.map(|g| match g {
                    algoperf_engine::spec::Goal::Minimize => "minimize".to_string(),
                    algoperf_engine::spec::Goal::Maximize => "maximize".to_string(),
                });
                (
                    w.workload.clone(),
                    w.metric.clone(),
                    goal,
                    w.target,
                    w.budget,
                )
            })
            .collect();
        Some((c.log_time, rows))
    }
    /// `curves=True`: per scored trial (workload, submission, rank, study,
    /// trial, picked, time to target); empty without curves.
    #[getter]
    fn curve_trials(&self) -> Vec<CurveTrial> {
        let mut out = Vec::new();
        for (w, sub, t) in curve_rows(&self.inner) {
            out.push((
                w.workload.clone(),
                sub.name.clone(),
                sub.rank,
                t.study.clone(),
                t.label.clone(),
                t.picked,
                t.time_to_target,
            ));
        }
        out
    }
    /// `curves=True`: per kept evaluation of a scored trial (workload,
    /// submission, study, trial, picked, time, metric value).
    #[getter]
    fn curve_points(&self) -> Vec<CurvePoint> {
        let mut out = Vec::new();
        for (w, sub, t) in curve_rows(&self.inner) {
            for &(time, value) in &t.points {
                out.push((
                    w.workload.clone(),
                    sub.name.clone(),
                    t.study.clone(),
                    t.label.clone(),
                    t.picked,
                    time,
                    value,
                ));
            }
        }
        out
    }
    /// `curves=True`: the time-to-target ECDF's steps (workload,
    /// submission, time, fraction of its trials reached by then).
    #[getter]
    fn curve_ecdf(&self) -> Vec<(String, String, f64, f64)> {
        let Some(c) = self.inner.curves.as_ref() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for w in &c.workloads {
            for sub in &w.submissions {
                for (time, fraction) in w.ecdf(sub) {
                    out.push((w.workload.clone(), sub.name.clone(), time, fraction));
                }
            }
        }
        out
    }
    /// The output folder written, if one was asked.
    #[getter]
    fn written(&self) -> Option<(String, usize)> {
        let (dir, n) = self.inner.written.as_ref()?;
        Some((dir.display().to_string(), *n))
    }
    /// The `--format json` document.
    fn to_json(&self) -> PyResult<String> {
        json(&self.inner.document())
    }
    /// The terminal table.
    fn table(&self) -> String {
        report::leaderboard_table(&self.inner.leaderboard, self.inner.spec.tau.max)
    }
    /// Every output file's (name, bytes), the manifest excepted.
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Vec<(String, Bound<'py, PyBytes>)>> {
        let files = self.inner.files().map_err(|e| py_error(py, e))?;
        Ok((files.into_iter())
            .map(|(name, bytes)| (name, PyBytes::new(py, &bytes)))
            .collect())
    }
    /// Writes the output folder as the main job does; how many files.
    fn write(&self, py: Python<'_>, folder: PathBuf) -> PyResult<usize> {
        run(py, || self.inner.write(&folder))
    }
    /// Writes the HTML page (whole or not at all).
    #[pyo3(signature = (path, info_dir=None, html_stability=None))]
    fn write_page(
        &self,
        py: Python<'_>,
        path: PathBuf,
        info_dir: Option<PathBuf>,
        html_stability: Option<usize>,
    ) -> PyResult<()> {
        run(py, || {
            (self.inner).write_page(&path, info_dir.as_deref(), html_stability)
        })
    }
    /// The HTML page's text.
    #[pyo3(signature = (info_dir=None, html_stability=None))]
    fn page(
        &self,
        py: Python<'_>,
        info_dir: Option<PathBuf>,
        html_stability: Option<usize>,
    ) -> PyResult<String> {
        run(py, || self.inner.page(info_dir.as_deref(), html_stability))
    }
}

/// (log time axes, per workload (workload, metric, goal, target, budget)).
type CurveWorkloads = (bool, Vec<(String, String, Option<String>, f64, f64)>);
/// (workload, submission, rank, study, trial, picked, time to target).
type CurveTrial = (String, String, usize, String, String, bool, f64);
/// (workload, submission, study, trial, picked, time, value).
type CurvePoint = (String, String, String, String, bool, f64, f64);

/// Every (workload, submission, trial) of the curves, in their order.
fn curve_rows(
    scored: &app::score::Scored,
) -> impl Iterator<
    Item = (
        &report::curves::WorkloadCurves,
        &report::curves::SubmissionCurves,
        &report::curves::TrialCurve,
    ),
> {
    (scored.curves.iter())
        .flat_map(|c| c.workloads.iter())
        .flat_map(|w| w.submissions.iter().map(move |s| (w, s)))
        .flat_map(|(w, s)| s.trials.iter().map(move |t| (w, s, t)))
}

/// Scores a submissions tree or a results cache (the main job).
#[pyfunction]
#[pyo3(signature = (spec, submissions=None, load_results=None, read=Read::default(),
                    output_dir=None, html=None, info_dir=None, html_stability=None,
                    save_results=None, target_relaxations=None, curves=false))]
#[allow(clippy::too_many_arguments)]
fn score(
    py: Python<'_>,
    spec: PathBuf,
    submissions: Option<PathBuf>,
    load_results: Option<PathBuf>,
    read: Read,
    output_dir: Option<PathBuf>,
    html: Option<PathBuf>,
    info_dir: Option<PathBuf>,
    html_stability: Option<usize>,
    save_results: Option<PathBuf>,
    target_relaxations: Option<String>,
    curves: bool,
) -> PyResult<Scored> {
    let mut input = input(spec, submissions, load_results, read).map_err(|e| py_error(py, e))?;
    input.target_relaxations = target_relaxations;
    let request = app::score::ScoreRequest {
        input,
        save_results,
        output_dir,
        html,
        info_dir,
        html_stability,
        no_wait: false,
        curves,
    };
    let inner = run_reading(py, |progress| app::score::score(&request, progress))?;
    Ok(Scored { inner })
}

/// `explain`: (the text, the JSON document).
#[pyfunction]
#[pyo3(signature = (spec, submission, workload, submissions=None, load_results=None, read=Read::default()))]
fn explain(
    py: Python<'_>,
    spec: PathBuf,
    submission: String,
    workload: String,
    submissions: Option<PathBuf>,
    load_results: Option<PathBuf>,
    read: Read,
) -> PyResult<(String, String)> {
    let request = app::explain::ExplainRequest {
        input: input(spec, submissions, load_results, read).map_err(|e| py_error(py, e))?,
        submission,
        workload,
    };
    let e = run_reading(py, |progress| app::explain::explain(&request, progress))?;
    let text = report::explain::text(&e.spec, &e.explanation);
    Ok((text, json(&report::explain::json(&e.explanation))?))
}

/// `speedup`: (the table's text, the JSON document, warnings).
#[pyfunction]
#[pyo3(signature = (spec, base, comparison=None, submissions=None, load_results=None, read=Read::default()))]
fn speedup(
    py: Python<'_>,
    spec: PathBuf,
    base: String,
    comparison: Option<String>,
    submissions: Option<PathBuf>,
    load_results: Option<PathBuf>,
    read: Read,
) -> PyResult<(String, String, Vec<WarningRow>)> {
    let request = app::speedup::SpeedupRequest {
        input: input(spec, submissions, load_results, read).map_err(|e| py_error(py, e))?,
        base,
        comparison,
    };
    let s = run_reading(py, |progress| app::speedup::speedup(&request, progress))?;
    let text = match s.comparisons.as_slice() {
        [one] if s.one => report::speedup::speedup_table(one),
        all => report::speedup::speedups_table(all),
    };
    let doc = json(&report::speedup::document(&s.base, &s.comparisons))?;
    Ok((text, doc, warning_rows(&s.warnings)))
}

/// `leaderboard`: (the Markdown table, the JSON document, warnings).
#[pyfunction]
#[pyo3(signature = (spec, submissions=None, load_results=None, read=Read::default(), info_dir=None))]
fn leaderboard(
    py: Python<'_>,
    spec: PathBuf,
    submissions: Option<PathBuf>,
    load_results: Option<PathBuf>,
    read: Read,
    info_dir: Option<PathBuf>,
) -> PyResult<(String, String, Vec<WarningRow>)> {
    let request = app::leaderboard::LeaderboardRequest {
        input: input(spec, submissions, load_results, read).map_err(|e| py_error(py, e))?,
        info_dir,
        update: None,
        intervals: None,
    };
    let t = run_reading(py, |progress| {
        app::leaderboard::leaderboard(&request, progress)
    })?;
    let doc = report::markdown::leaderboard_document(&t.leaderboard, &t.rows);
    Ok((t.markdown(), json(&doc)?, warning_rows(&t.warnings)))
}

fn method_of(name: &str) -> PyResult<Method> {
    match name {
        "bootstrap" => Ok(Method::Bootstrap),
        "jackknife" => Ok(Method::Jackknife),
        other => Err(EngineError::new_err(format!(
            "method={other:?}: expected \"bootstrap\" or \"jackknife\""
        ))),
    }
}

fn over_of(name: &str) -> PyResult<Over> {
    match name {
        "studies" => Ok(Over::Studies),
        "workloads" => Ok(Over::Workloads),
        "both" => Ok(Over::Both),
        other => Err(EngineError::new_err(format!(
            "over={other:?}: expected \"studies\", \"workloads\" or \"both\""
        ))),
    }
}

/// `stability`: (the table's text, the JSON document, warnings).
#[pyfunction]
#[pyo3(signature = (spec, submissions=None, load_results=None, read=Read::default(),
                    method="bootstrap", over="studies", resamples=10_000, seed=0, level=0.95,
                    plot=None))]
#[allow(clippy::too_many_arguments)]
fn stability(
    py: Python<'_>,
    spec: PathBuf,
    submissions: Option<PathBuf>,
    load_results: Option<PathBuf>,
    read: Read,
    method: &str,
    over: &str,
    resamples: usize,
    seed: u64,
    level: f64,
    plot: Option<PathBuf>,
) -> PyResult<(String, String, Vec<WarningRow>)> {
    let request = app::stability::StabilityRequest {
        input: input(spec, submissions, load_results, read).map_err(|e| py_error(py, e))?,
        options: algoperf_engine::score::stability::Options {
            method: method_of(method)?,
            over: over_of(over)?,
            resamples,
            seed,
            level,
        },
        plot,
    };
    let s = run_reading(py, |progress| app::stability::stability(&request, progress))?;
    let doc = json(&report::stability::document(&s.spec, &s.result))?;
    Ok((
        report::stability::table(&s.result),
        doc,
        warning_rows(&s.warnings),
    ))
}

/// `compare`: (the table's text, the JSON document, warnings of A and B).
#[pyfunction]
#[pyo3(signature = (spec, submissions, spec_b=None, submissions_b=None, read=Read::default()))]
fn compare(
    py: Python<'_>,
    spec: PathBuf,
    submissions: PathBuf,
    spec_b: Option<PathBuf>,
    submissions_b: Option<PathBuf>,
    read: Read,
) -> PyResult<(String, String, Vec<WarningRow>)> {
    let request = app::compare::CompareRequest {
        specs: std::iter::once(spec).chain(spec_b).collect(),
        submissions,
        submissions_b,
        read: read.request().map_err(|e| py_error(py, e))?,
    };
    let c = run_reading(py, |progress| app::compare::compare(&request, progress))?;
    let mut warnings = warning_rows(&c.warnings.0);
    warnings.extend(warning_rows(&c.warnings.1));
    let doc = json(&report::compare::document(&c.comparison))?;
    Ok((report::compare::table(&c.comparison), doc, warnings))
}

/// `check`: (the terminal text, the JSON document, the GitHub annotations,
/// whether it fails, whether it fails with deny_warnings).
#[pyfunction]
#[pyo3(signature = (spec, paths, source="csv", info_dir=None, require_info=false))]
fn check(
    py: Python<'_>,
    spec: PathBuf,
    paths: Vec<PathBuf>,
    source: &str,
    info_dir: Option<PathBuf>,
    require_info: bool,
) -> PyResult<(String, String, String, bool, bool)> {
    let request = app::check::CheckRequest {
        spec,
        paths,
        source: source_of(source).map_err(|e| py_error(py, e))?,
        info_dir,
        require_info,
    };
    let c = run(py, || app::check::check(&request))?;
    use algoperf_engine::check as chk;
    let doc = json(&chk::json(&c.report, &c.spec, &c.paths))?;
    Ok((
        chk::terminal(&c.report),
        doc,
        chk::github(&c.report),
        c.report.fails(false),
        c.report.fails(true),
    ))
}

/// `heldout sample --format json`.
#[pyfunction]
#[pyo3(signature = (spec, seed=None))]
fn heldout_sample(py: Python<'_>, spec: PathBuf, seed: Option<u128>) -> PyResult<String> {
    let request = app::heldout::HeldoutRequest { spec, seed };
    json(&run(py, || app::heldout::sample(&request))?)
}

/// `targets derive`: (the text report, the JSON document, warnings); the
/// files asked for are written by the engine (the write guard, then each
/// file whole).
#[pyfunction]
#[pyo3(signature = (spec, submissions, toml=None, json_path=None, budgets_json=None, read=Read::default()))]
fn targets_derive(
    py: Python<'_>,
    spec: PathBuf,
    submissions: PathBuf,
    toml: Option<PathBuf>,
    json_path: Option<PathBuf>,
    budgets_json: Option<PathBuf>,
    read: Read,
) -> PyResult<(String, String, Vec<WarningRow>)> {
    let request = app::targets::DeriveRequest {
        spec,
        submissions,
        read: read.request().map_err(|e| py_error(py, e))?,
        toml,
        json: json_path,
        budgets_json,
    };
    let d = run_reading(py, |progress| app::targets::derive(&request, progress))?;
    let text = report::targets::report_text(&d.workloads, &d.target_setting);
    Ok((text, json(&d)?, warning_rows(&d.warnings)))
}

/// `spec explain`: (the text, the JSON document); a bad spec raises
/// `SpecError` (this is `spec check` for one file).
#[pyfunction]
fn check_spec(py: Python<'_>, path: PathBuf) -> PyResult<(String, String)> {
    let s = run(py, || app::spec::explain(&path))?;
    Ok((spec::explain(&s), json(&spec::explain_document(&s))?))
}

/// The drop-in's stops before reading (`compat`): a logged workload the
/// targets lack, and (for the profiles) a target workload nobody ran.
#[pyfunction]
fn compat_check_workloads(
    py: Python<'_>,
    spec: PathBuf,
    directory: PathBuf,
    submissions: Vec<String>,
    profiles: bool,
) -> PyResult<()> {
    run(py, || {
        let s = spec::load(&spec)?;
        algoperf_engine::compat::check_workloads(&s, &directory, &submissions, profiles)
    })
}

/// The drop-in's files, written as the binary's `compat` writes them:
/// after the write guard (never into `tree`, never over an input), each
/// file whole or not at all.
#[pyfunction]
#[pyo3(signature = (spec, tree, inputs, out, files))]
fn compat_write(
    py: Python<'_>,
    spec: PathBuf,
    tree: Option<PathBuf>,
    inputs: Vec<PathBuf>,
    out: PathBuf,
    files: Vec<(String, Vec<u8>)>,
) -> PyResult<()> {
    run(py, || {
        let s = spec::load(&spec)?;
        app::compat::write_reference_files(&s, tree.as_deref(), &inputs, &out, &files)
    })
}

/// The JSON Schema of a document (`schema/<name>.schema.json`).
#[pyfunction]
fn schema(name: &str) -> PyResult<String> {
    app::schemas::text(name).ok_or_else(|| {
        let names: Vec<&str> = app::schemas::DOCUMENTS.iter().map(|(n, _)| *n).collect();
        EngineError::new_err(format!(
            "no document `{name}` (there are: {})",
            names.join(", ")
        ))
    })
}

/// Runs the `algoperf-engine` command line with `argv` (argv[0] = program
/// name) as the binary does; returns the exit code.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
    use clap::Parser;
    let parsed = match cli::Cli::try_parse_from(&argv) {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    let result = py.allow_threads(|| cli::main_with(parsed));
    let code = cli::finish(result);
    use std::io::Write;
    let _ = std::io::stdout().flush();
    code
}

#[pymodule]
fn _engine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("EngineError", m.py().get_type::<EngineError>())?;
    m.add("SpecError", m.py().get_type::<SpecError>())?;
    m.add_class::<Scored>()?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(speedup, m)?)?;
    m.add_function(wrap_pyfunction!(leaderboard, m)?)?;
    m.add_function(wrap_pyfunction!(stability, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(heldout_sample, m)?)?;
    m.add_function(wrap_pyfunction!(check_spec, m)?)?;
    m.add_function(wrap_pyfunction!(targets_derive, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(compat_check_workloads, m)?)?;
    m.add_function(wrap_pyfunction!(compat_write, m)?)?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
