//! `algoperf_engine._engine`: the Python extension. A thin layer over the
//! engine's high-level API (spec loading, `run::read_and_score` /
//! `run::render`, the report renderers): no scoring happens here or in
//! Python. Results cross the boundary as the bytes the CLI writes (CSV
//! files) and as JSON text, so the pandas objects built from them equal the
//! CLI's files by construction.

use std::path::Path;

use clap::Parser;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde_json::{json, Value};

use algoperf_engine::error::Error;
use algoperf_engine::ingest::{Selection, Silent, Source};
use algoperf_engine::report::error::ReportError;
use algoperf_engine::run::error::{CommandLineError, RunError};
use algoperf_engine::{cli, report, run, spec};

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

fn set_spec_attributes(py: Python<'_>, err: &PyErr, errors: &spec::SpecErrors) -> PyResult<()> {
    let value = err.value(py);
    let all: Vec<(String, usize, usize, String, Option<String>)> = errors
        .0
        .iter()
        .map(|x| {
            (
                x.file.display().to_string(),
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

fn load_spec(path: &str) -> Result<spec::Spec, Error> {
    spec::load(Path::new(path)).map_err(Error::Spec)
}

fn source_of(name: &str) -> Result<Source, Error> {
    match name {
        "csv" => Ok(Source::Csv),
        "logs" => Ok(Source::Logs),
        "auto" => Ok(Source::Auto),
        other => Err(RunError::Option(CommandLineError::UnknownSource(other.to_string())).into()),
    }
}

/// What one scoring run hands to Python.
type Scored = (Vec<(String, Vec<u8>)>, String, Vec<(String, String, bool)>);

fn score_run(
    spec_path: &str,
    submissions: &str,
    source: &str,
    include: Vec<String>,
    exclude: Vec<String>,
    strict: bool,
) -> Result<Scored, Error> {
    let spec = load_spec(spec_path)?;
    let options = run::Options {
        selection: Selection {
            include,
            exclude,
            source: source_of(source)?,
            ..Selection::default()
        },
        strict,
    };
    let (leaderboard, warnings) =
        run::read_and_score(Path::new(submissions), &spec, &options, &Silent)?;
    let outcome = run::render(&spec, leaderboard, warnings)?;
    let doc = report::json::document(&spec, &outcome.leaderboard, &outcome.warnings);
    let text = serde_json::to_string_pretty(&doc).map_err(ReportError::Json)?;
    let warnings = outcome
        .warnings
        .items()
        .into_iter()
        .map(|w| (w.kind(), w.location(), w.fatal_under_strict()))
        .collect();
    Ok((outcome.files, text, warnings))
}

/// Scores a submissions tree: (output files as (name, bytes) in the CLI's
/// order, the `--format json` document, warnings as (summary, location,
/// strict_fatal)). The GIL is released while the engine works.
#[pyfunction]
#[pyo3(signature = (spec, submissions, source="csv", include=Vec::new(), exclude=Vec::new(), strict=false))]
#[allow(clippy::type_complexity)]
fn score_files(
    py: Python<'_>,
    spec: String,
    submissions: String,
    source: &str,
    include: Vec<String>,
    exclude: Vec<String>,
    strict: bool,
) -> PyResult<(
    Vec<(String, Py<PyBytes>)>,
    String,
    Vec<(String, String, bool)>,
)> {
    let source = source.to_string();
    let result =
        py.allow_threads(|| score_run(&spec, &submissions, &source, include, exclude, strict));
    let (files, doc, warnings) = result.map_err(|e| py_error(py, e))?;
    let files = files
        .into_iter()
        .map(|(name, bytes)| (name, PyBytes::new(py, &bytes).unbind()))
        .collect();
    Ok((files, doc, warnings))
}

fn speedup_run(
    spec_path: &str,
    submissions: &str,
    base: &str,
    comparison: &str,
) -> Result<Value, Error> {
    let spec = load_spec(spec_path)?;
    for w in &spec.base {
        algoperf_engine::score::speedup::missed_target_time(&spec, w)?;
    }
    let options = run::Options {
        selection: Selection {
            include: vec![base.to_string(), comparison.to_string()],
            ..Selection::default()
        },
        strict: false,
    };
    let (leaderboard, _) = run::read_and_score(Path::new(submissions), &spec, &options, &Silent)?;
    for name in [base, comparison] {
        if leaderboard.row(name).is_none() {
            return Err(RunError::NoSubmissionFolder {
                submissions: submissions.into(),
                name: name.to_string(),
            }
            .into());
        }
    }
    let s = algoperf_engine::score::speedup::speedup(&leaderboard, &spec, base, comparison)?;
    let workloads = report::speedup::workloads(&s);
    Ok(json!({
        "base": s.base,
        "comparison": s.comparison,
        "workloads": workloads,
        "geomean": s.geomean,
        "faster": s.faster(),
    }))
}

/// Speedup of `comparison` over `base` (SCORING.md §9), as JSON text.
#[pyfunction]
fn speedup_json(
    py: Python<'_>,
    spec: String,
    submissions: String,
    base: String,
    comparison: String,
) -> PyResult<String> {
    let result = py.allow_threads(|| speedup_run(&spec, &submissions, &base, &comparison));
    result.map(|v| v.to_string()).map_err(|e| py_error(py, e))
}

fn explain_run(
    spec_path: &str,
    submissions: &str,
    submission: &str,
    workload: &str,
    source: &str,
) -> Result<String, Error> {
    let spec = load_spec(spec_path)?;
    let options = run::Options {
        selection: Selection {
            source: source_of(source)?,
            ..Selection::default()
        },
        strict: false,
    };
    let (leaderboard, _) = run::read_and_score(Path::new(submissions), &spec, &options, &Silent)?;
    if leaderboard.row(submission).is_none() {
        return Err(RunError::UnknownSubmission {
            submissions: submissions.into(),
            name: submission.to_string(),
            scored: leaderboard.submissions.clone(),
        }
        .into());
    }
    Ok(report::explain::explain(
        &spec,
        &leaderboard,
        submission,
        workload,
    )?)
}

/// The text of `algoperf-engine explain`.
#[pyfunction]
#[pyo3(signature = (spec, submissions, submission, workload, source="csv"))]
fn explain(
    py: Python<'_>,
    spec: String,
    submissions: String,
    submission: String,
    workload: String,
    source: &str,
) -> PyResult<String> {
    let source = source.to_string();
    let result =
        py.allow_threads(|| explain_run(&spec, &submissions, &submission, &workload, &source));
    result.map_err(|e| py_error(py, e))
}

/// The held-out variants drawn as numpy's `default_rng(seed)` draws them;
/// `seed=None` is the spec's seed.
#[pyfunction]
#[pyo3(signature = (spec, seed=None))]
fn heldout_sample(py: Python<'_>, spec: String, seed: Option<u128>) -> PyResult<Vec<String>> {
    let s = load_spec(&spec).map_err(|e| py_error(py, e))?;
    let Some(sampling) = &s.sampling else {
        return Err(EngineError::new_err(format!(
            "{spec}: no [held_out_sampling] table: nothing to draw"
        )));
    };
    let seed = seed.unwrap_or(sampling.seed);
    let sizes: Vec<usize> = sampling.groups.iter().map(|(_, pool)| pool.len()).collect();
    let drawn = algoperf_engine::spec::heldout::draw_indices(seed, &sizes);
    Ok(sampling
        .groups
        .iter()
        .zip(drawn)
        .map(|((_, pool), i)| pool[i].clone())
        .collect())
}

/// Loads and checks a spec; its identity, workloads and targets as JSON text.
#[pyfunction]
fn check_spec_json(py: Python<'_>, path: String) -> PyResult<String> {
    let s = load_spec(&path).map_err(|e| py_error(py, e))?;
    let targets: serde_json::Map<String, Value> = s
        .targets
        .iter()
        .map(|(w, t)| {
            let goal = match t.goal {
                spec::Goal::Minimize => "minimize",
                spec::Goal::Maximize => "maximize",
            };
            let v = json!({"metric": t.metric, "column": t.column, "goal": goal,
                           "target": t.target, "step_hint": t.step_hint, "budget": t.budget});
            (w.clone(), v)
        })
        .collect();
    let held_out: serde_json::Map<String, Value> = s
        .held_out
        .iter()
        .map(|h| (h.variant.clone(), json!(h.base)))
        .collect();
    let doc = json!({
        "path": s.path.display().to_string(),
        "name": s.name,
        "version": s.version,
        "ruleset": s.ruleset,
        "description": s.description,
        "targets_path": s.targets_path.display().to_string(),
        "base": s.base,
        "held_out": held_out,
        "targets": targets,
    });
    Ok(doc.to_string())
}

/// Runs the `algoperf-engine` command line with `argv` (argv[0] = program
/// name) as the binary does; returns the exit code.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
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
    m.add_function(wrap_pyfunction!(score_files, m)?)?;
    m.add_function(wrap_pyfunction!(speedup_json, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(heldout_sample, m)?)?;
    m.add_function(wrap_pyfunction!(check_spec_json, m)?)?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
