//! Raw training logs → evaluation series: parity with the CSVs the same runs
//! wrote, the old `Metrics:` format, the Python-literal grammar, merging of
//! several logs, and robustness on garbage.

use std::path::{Path, PathBuf};

use algoperf_engine::ingest::rawlog::pylit::{parse_literal, PyValue};
use algoperf_engine::ingest::rawlog::{
    parse_log, read_workload_logs, LogRead, LogTrial, RawLogError,
};
use rand::{Rng, SeedableRng};

/// The AlgoPerf reference data: `$ALGOPERF_DATA`, else
/// `<manifest>/../shared/algoperf`. `None` (test skipped) when absent, except
/// under CI, where missing data must fail the run rather than pass silently.
fn data_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("ALGOPERF_DATA") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/algoperf"),
    };
    if dir.join("rawlogs").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "AlgoPerf data folder {} (with rawlogs/) is missing: set ALGOPERF_DATA \
             or lay shared/algoperf beside the project",
            dir.display()
        );
    }
    eprintln!("skipped: no AlgoPerf data at {}", dir.display());
    None
}

const CRITEO: &str = "rawlogs/new_format/shampoo/study_1/criteo1tb_pytorch";
const OLD_LOG: &str = "rawlogs/old_format/adamw_fastmri_jax_04-18-2023-13-10-58.log";

/// Equal within relative 1e-12, NaN equal to NaN, infinities equal to themselves.
fn close(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a == b {
        return true;
    }
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

/// A CSV cell as pandas reads it: empty and `nan` are NaN.
fn csv_number(cell: &str) -> f64 {
    let cell = cell.trim();
    if cell.is_empty() {
        return f64::NAN;
    }
    cell.parse::<f64>()
        .unwrap_or_else(|e| panic!("CSV cell {cell:?}: {e}"))
}

/// Header and rows of an `eval_measurements.csv`.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("{path:?}: {e}"))
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{path:?}: {e}"))
                .iter()
                .map(csv_number)
                .collect()
        })
        .collect();
    (header, rows)
}

fn trial<'a>(read: &'a LogRead, name: &str) -> &'a LogTrial {
    read.trials
        .iter()
        .find(|t| t.trial == name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", names(read)))
}

fn names(read: &LogRead) -> Vec<&str> {
    read.trials.iter().map(|t| t.trial.as_str()).collect()
}

// ---------------------------------------------------------------------------
// Real data

/// The 18 logs of shampoo/study_1/criteo1tb_pytorch (five runs that
/// crashed before any evaluation, four more such restarts, trial_3 that
/// diverged to NaN and crashed after its first evaluation, and four runs
/// that finished) give exactly the five trials' CSVs: every column but
/// `preemption_count`, same rows, values within relative 1e-12 (the CSV has
/// 16 significant digits where the log has Python's shortest repr).
#[test]
fn new_format_matches_the_trials_csvs() {
    let Some(data) = data_dir() else { return };
    let dir = data.join(CRITEO);
    let read = read_workload_logs(&dir).expect("read criteo1tb logs");
    assert!(
        read.warnings.is_empty(),
        "unexpected warnings: {:#?}",
        read.warnings
    );
    assert_eq!(
        names(&read),
        ["trial_1", "trial_2", "trial_3", "trial_4", "trial_5"]
    );

    for t in &read.trials {
        let (header, rows) = read_csv(&dir.join(&t.trial).join("eval_measurements.csv"));
        assert_eq!(t.len(), rows.len(), "{}: number of evaluations", t.trial);
        let mut compared = 0;
        for (c, name) in header.iter().enumerate() {
            if name == "preemption_count" {
                continue;
            }
            let column = t
                .column(name)
                .unwrap_or_else(|| panic!("{}: no column {name}", t.trial));
            for (r, row) in rows.iter().enumerate() {
                assert!(
                    close(column[r], row[c]),
                    "{} row {r} {name}: log {} vs csv {}",
                    t.trial,
                    column[r],
                    row[c]
                );
                compared += 1;
            }
        }
        assert!(compared > 0);
    }
    // Spot checks read off the logs by hand.
    let t1 = trial(&read, "trial_1");
    assert_eq!(t1.len(), 65);
    assert_eq!(t1.column("global_step").unwrap()[..2], [1.0, 128.0]);
    assert_eq!(t1.column("validation/loss").unwrap()[0], 0.8358118551614604);
    let t3 = trial(&read, "trial_3");
    assert_eq!(t3.len(), 1);
    assert_eq!(t3.column("validation/loss").unwrap(), [0.3310020434488995]);
}

/// The result does not depend on the order the logs are found in: reading
/// them one by one in reverse name order and merging gives the same trials.
#[test]
fn new_format_is_independent_of_listing_order() {
    let Some(data) = data_dir() else { return };
    let dir = data.join(CRITEO);
    let expected = read_workload_logs(&dir).expect("read");
    let tmp = tempfile::tempdir().expect("tempdir");
    // Copy under names whose order is the reverse of the original one, with
    // the timestamp kept at the end so the ranking by start time is unchanged.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    files.sort();
    let n = files.len();
    for (i, f) in files.iter().enumerate() {
        let name = f.file_name().unwrap().to_str().unwrap();
        let stamp = &name[name.len() - 23..];
        std::fs::copy(f, tmp.path().join(format!("{:02}_{stamp}", n - i))).unwrap();
    }
    let got = read_workload_logs(tmp.path()).expect("read copy");
    assert_eq!(got.trials.len(), expected.trials.len());
    for (a, b) in got.trials.iter().zip(&expected.trials) {
        assert_eq!(a.trial, b.trial);
        assert_eq!(
            a.columns.keys().collect::<Vec<_>>(),
            b.columns.keys().collect::<Vec<_>>()
        );
        for (k, va) in &a.columns {
            let vb = &b.columns[k];
            assert!(
                va.iter().zip(vb).all(|(x, y)| close(*x, *y)),
                "{} {k}",
                a.trial
            );
        }
    }
}

/// Old format: tuning run 1 of the fastmri log has 18 evaluations, logged
/// both per evaluation and in the final `Metrics:` line; they count once.
#[test]
fn old_format_fastmri_run_1() {
    let Some(data) = data_dir() else { return };
    let path = data.join(OLD_LOG);
    let text = std::fs::read_to_string(&path).expect("read old log");
    let read = parse_log(&path, &text).expect("parse old log");
    assert!(read.warnings.is_empty(), "{:#?}", read.warnings);
    assert_eq!(names(&read), ["trial_1"]);
    let t = &read.trials[0];
    assert_eq!(t.len(), 18);
    let steps = t.column("global_step").unwrap();
    assert_eq!(steps[0], 1.0);
    assert_eq!(steps[1], 331.0);
    assert_eq!(steps[17], 5428.0);
    assert!(steps.windows(2).all(|w| w[0] < w[1]));
    // Line 225, first tuple: (1, {'validation/ssim': 0.20073387820061903, ...})
    assert_eq!(t.column("validation/ssim").unwrap()[0], 0.20073387820061903);
    assert_eq!(t.column("validation/loss").unwrap()[0], 0.8397238092202448);
    // Last tuple: (5428, {..., 'score': 1389.2380073070526, ...})
    assert_eq!(t.column("score").unwrap()[17], 1389.2380073070526);
    assert_eq!(
        t.column("accumulated_submission_time").unwrap()[17],
        1389.2380073070526
    );
    assert_eq!(t.column("validation/num_examples").unwrap()[17], 3554.0);
    // The summary line carries preemption_count; the reader keeps it.
    assert_eq!(t.column("preemption_count").unwrap(), [0.0; 18]);
}

// ---------------------------------------------------------------------------
// Grammar: each literal form (in the style of tera's parser tests)

fn ok(text: &str) -> PyValue {
    parse_literal(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn s(x: &str) -> PyValue {
    PyValue::Str(x.to_string())
}

#[test]
fn parses_scalars() {
    let cases: Vec<(&str, PyValue)> = vec![
        ("0", PyValue::Int(0)),
        ("42", PyValue::Int(42)),
        ("-7", PyValue::Int(-7)),
        ("83274637", PyValue::Int(83274637)),
        ("0.5", PyValue::Float(0.5)),
        ("-0.125", PyValue::Float(-0.125)),
        ("1.", PyValue::Float(1.0)),
        (".5", PyValue::Float(0.5)),
        ("1e-05", PyValue::Float(1e-5)),
        ("2.5E+20", PyValue::Float(2.5e20)),
        ("3e7", PyValue::Float(3e7)),
        ("0.8372680069089006", PyValue::Float(0.8372680069089006)),
        ("inf", PyValue::Float(f64::INFINITY)),
        ("-inf", PyValue::Float(f64::NEG_INFINITY)),
        ("+inf", PyValue::Float(f64::INFINITY)),
        ("True", PyValue::Bool(true)),
        ("False", PyValue::Bool(false)),
        ("None", PyValue::None),
        (" 1 ", PyValue::Int(1)),
        // Beyond i64: kept as the nearest float.
        (
            "123456789012345678901234567890",
            PyValue::Float(1.2345678901234568e29),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(ok(text), expected, "{text:?}");
    }
    for text in ["nan", "-nan"] {
        match ok(text) {
            PyValue::Float(x) => assert!(x.is_nan(), "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn parses_strings() {
    let cases = [
        ("'abc'", "abc"),
        ("\"abc\"", "abc"),
        ("''", ""),
        ("\"it's\"", "it's"),
        (r#"'say "hi"'"#, "say \"hi\""),
        (r"'it\'s'", "it's"),
        (r#""a\"b""#, "a\"b"),
        (r"'a\\b'", "a\\b"),
        (r"'tab\there'", "tab\there"),
        (r"'line\n'", "line\n"),
        (r"'\x41\u00e9\U0001F600'", "Aé😀"),
        (r"'\d'", "\\d"),
        ("'validation/loss'", "validation/loss"),
        ("'cuda:0'", "cuda:0"),
        ("'{[(not brackets)]}'", "{[(not brackets)]}"),
    ];
    for (text, expected) in cases {
        assert_eq!(ok(text), s(expected), "{text:?}");
    }
}

#[test]
fn parses_containers() {
    use PyValue::*;
    let cases: Vec<(&str, PyValue)> = vec![
        ("[]", List(vec![])),
        ("[1, 2.5, 'x']", List(vec![Int(1), Float(2.5), s("x")])),
        ("[1,]", List(vec![Int(1)])),
        ("()", Tuple(vec![])),
        ("(1,)", Tuple(vec![Int(1)])),
        ("(1, 2)", Tuple(vec![Int(1), Int(2)])),
        ("(1, 2,)", Tuple(vec![Int(1), Int(2)])),
        ("(1)", Int(1)),
        ("((1))", Int(1)),
        ("{}", Dict(vec![])),
        (
            "{'a': 1, 'b': -inf}",
            Dict(vec![(s("a"), Int(1)), (s("b"), Float(f64::NEG_INFINITY))]),
        ),
        ("{1: 'one',}", Dict(vec![(Int(1), s("one"))])),
        (
            "{(1, 2): None}",
            Dict(vec![(Tuple(vec![Int(1), Int(2)]), None)]),
        ),
        (
            "{'eval_results': [(1, {'score': 0.5})], 'global_step': 1}",
            Dict(vec![
                (
                    s("eval_results"),
                    List(vec![Tuple(vec![
                        Int(1),
                        Dict(vec![(s("score"), Float(0.5))]),
                    ])]),
                ),
                (s("global_step"), Int(1)),
            ]),
        ),
        (
            "{ 'a' :\t[ 1 , 2 ] }",
            Dict(vec![(s("a"), List(vec![Int(1), Int(2)]))]),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(ok(text), expected, "{text:?}");
    }
}

#[test]
fn parses_array_wrappers() {
    let cases: Vec<(&str, &str, f64)> = vec![
        ("DeviceArray(0.5, dtype=float32)", "DeviceArray", 0.5),
        (
            "DeviceArray(-1.25e-3, dtype=float32)",
            "DeviceArray",
            -1.25e-3,
        ),
        ("Array(0.75, dtype=float32)", "Array", 0.75),
        ("Array(0.75, dtype=float32, weak_type=True)", "Array", 0.75),
        ("array(3, dtype=int32)", "array", 3.0),
        ("np.float64(0.25)", "np.float64", 0.25),
        ("numpy.float32(2.0)", "numpy.float32", 2.0),
        ("tensor(0.5, device='cuda:0')", "tensor", 0.5),
        (
            "DeviceArray(inf, dtype=float32)",
            "DeviceArray",
            f64::INFINITY,
        ),
        (
            "DeviceArray(-inf, dtype=float32)",
            "DeviceArray",
            f64::NEG_INFINITY,
        ),
        ("DeviceArray( 1 , dtype = float32 , )", "DeviceArray", 1.0),
    ];
    for (text, wrapper, expected) in cases {
        let v = ok(text);
        match &v {
            PyValue::Wrapped { wrapper: w, .. } => assert_eq!(w, wrapper, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
        assert_eq!(v.as_f64(), Some(expected), "{text}");
    }
    let nan = ok("DeviceArray(nan, dtype=float32)");
    assert!(nan.as_f64().is_some_and(f64::is_nan));
    // Non-scalar arrays parse but are not numbers.
    assert_eq!(ok("DeviceArray([1, 2], dtype=int32)").as_f64(), None);
}

#[test]
fn rejects_malformed_literals() {
    // (text, column, message)
    let cases = [
        ("{'a': 1", 8, "expected ',' or '}', found end of line"),
        ("{'a': 1]", 8, "expected ',' or '}', found \"]\""),
        ("[1, 2", 6, "expected ',' or ']', found end of line"),
        ("[1, 2))", 6, "expected ',' or ']', found \"))\""),
        ("(1, 2]", 6, "expected ')' or ',', found \"]\""),
        ("1.2.3", 1, "bad number \"1.2.3\""),
        ("1e", 1, "bad number \"1e\""),
        ("12abc", 1, "bad number \"12abc\""),
        ("[0.5, 1e-5e3]", 7, "bad number \"1e-5e3\""),
        ("--1", 1, "expected a value, found \"--1\""),
        ("nanx", 1, "expected a value, found \"nanx\""),
        (
            "'unterminated",
            1,
            "expected a value, found \"'unterminate\"",
        ),
        ("{'a' 1}", 6, "expected ':', found \"1}\""),
        ("{'a': }", 7, "expected a value, found \"}\""),
        (
            "DeviceArray(dtype=float32)",
            13,
            "expected a value, found \"dtype=float3\"",
        ),
        ("", 1, "expected a value, found end of line"),
        ("'\\x4'", 1, "bad \\x escape: expected 2 hex digits"),
        ("1 2", 3, "expected end of line, found \"2\""),
    ];
    for (text, column, message) in cases {
        match parse_literal(text) {
            Ok(v) => panic!("{text:?} parsed as {v:?}"),
            Err(e) => {
                assert_eq!(
                    (e.column, e.message.as_str()),
                    (column, message),
                    "{text:?}"
                );
            }
        }
    }
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let e = parse_literal(&deep).unwrap_err();
    assert!(e.message.contains("nested deeper"), "{e}");
    assert_eq!(e.column, 65);
}

// ---------------------------------------------------------------------------
// Log lines

const PREFIX: &str = "I0316 11:09:32.891691 140320504472768 submission_runner.py:469] ";

fn eval_line(step: i64, dict: &str) -> String {
    format!("{PREFIX}Time since start: 884.55s, \tStep: {step}, \t{dict}")
}

fn dict(loss: &str, score: f64) -> String {
    format!(
        "{{'validation/loss': {loss}, 'score': {score}, 'accumulated_submission_time': {score}}}"
    )
}

fn log(lines: &[String]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn parse(text: &str) -> LogRead {
    parse_log(Path::new("test.log"), text).expect("parse_log")
}

#[test]
fn malformed_lines_warn_with_line_and_message() {
    let lines = vec![
        "--- Tuning run 1/1 ---".to_string(),                    // 1
        eval_line(1, &dict("0.9", 1.0)),                         // 2 ok
        eval_line(2, "{'validation/loss': 0.8, 'score': 2.0"),   // 3 truncated dict
        eval_line(3, "{'validation/loss': [0.7, 'score': 3.0}"), // 4 unbalanced
        eval_line(4, "{'validation/loss': 0.6.1, 'score': 4.0}"), // 5 bad number
        format!("{PREFIX}Time since start: 1.00s, \tStep: 5.5, \t{{}}"), // 6 bad step
        eval_line(7, "[1, 2]"),                                  // 7 not a dict
        eval_line(8, &dict("0.5", 8.0)),                         // 8 ok
        format!("{PREFIX}Time since start: 1.00s, \tStep: 9, \t{{'validation/loss': 'high', 'score': 9.0}}"), // 9 non-numeric value
    ];
    let read = parse(&log(&lines));
    let got: Vec<(usize, &str)> = read
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert!(read
        .warnings
        .iter()
        .all(|w| w.file == Path::new("test.log")));

    // Columns are 1-based characters of the whole line (ASCII here).
    let col = |line: &str, needle: &str| line.find(needle).unwrap() + 1;
    let bad = "malformed evaluation line, skipped";
    let expected = vec![
        (
            3,
            format!(
                "{bad}: column {}: expected ',' or '}}', found end of line",
                lines[2].len() + 1
            ),
        ),
        (
            4,
            format!(
                "{bad}: column {}: expected ',' or ']', found \": 3.0}}\"",
                col(&lines[3], ": 3.0}")
            ),
        ),
        (
            5,
            format!(
                "{bad}: column {}: bad number \"0.6.1\"",
                col(&lines[4], "0.6.1")
            ),
        ),
        (
            6,
            "evaluation line skipped: Step is not an integer (Float(5.5))".to_string(),
        ),
        (
            7,
            "evaluation line skipped: the evaluation is not a dict".to_string(),
        ),
        (
            9,
            "evaluation line: value of 'validation/loss' is not a number (Str(\"high\")), \
             entry skipped"
                .to_string(),
        ),
    ];
    let got: Vec<(usize, String)> = got.into_iter().map(|(l, m)| (l, m.to_string())).collect();
    assert_eq!(got, expected);

    // The good lines are read; the one with a non-numeric value keeps its
    // other columns (validation/loss is NaN there).
    let t = &read.trials[0];
    assert_eq!(t.column("global_step").unwrap(), [1.0, 8.0, 9.0]);
    assert_eq!(t.column("score").unwrap(), [1.0, 8.0, 9.0]);
    let loss = t.column("validation/loss").unwrap();
    assert_eq!(loss[..2], [0.9, 0.5]);
    assert!(loss[2].is_nan());

    // The warning's Display names file and line.
    assert!(read.warnings[0]
        .to_string()
        .starts_with("test.log:3: malformed"));
}

#[test]
fn malformed_metrics_line_warns() {
    let text = log(&[
        "--- Tuning run 2/5 ---".to_string(),
        format!("{PREFIX}Metrics: {{'eval_results': [(1, {{'score': 1.0}}), (2, {{'score': 2"),
        format!("{PREFIX}Metrics: {{'eval_results': [(1, {{'score': 1.0}}), 'oops', (3, {{'score': 3.0}})]}}"),
    ]);
    let read = parse(&text);
    assert_eq!(read.warnings.len(), 2, "{:#?}", read.warnings);
    assert_eq!(read.warnings[0].line, 2);
    assert!(read.warnings[0]
        .message
        .starts_with("malformed Metrics line"));
    assert_eq!(read.warnings[1].line, 3);
    assert!(read.warnings[1].message.contains("eval_results[1]"));
    assert_eq!(names(&read), ["trial_2"]);
    assert_eq!(read.trials[0].column("global_step").unwrap(), [1.0, 3.0]);
}

#[test]
fn nan_stays_nan_and_inf_is_a_value() {
    let text = log(&[
        eval_line(1, &dict("0.9", 1.0)),
        eval_line(100, &dict("nan", 2.0)),
        eval_line(200, &dict("inf", 3.0)),
        eval_line(300, &dict("-inf", 4.0)),
        eval_line(
            400,
            "{'validation/loss': DeviceArray(nan, dtype=float32), 'score': 5.0}",
        ),
    ]);
    let read = parse(&text);
    assert!(read.warnings.is_empty(), "{:#?}", read.warnings);
    // No Tuning run line: one trial, trial_1 (self-tuning).
    assert_eq!(names(&read), ["trial_1"]);
    let loss = read.trials[0].column("validation/loss").unwrap();
    assert_eq!(loss[0], 0.9);
    assert!(loss[1].is_nan(), "nan must stay NaN, never 0");
    assert_eq!(loss[2], f64::INFINITY);
    assert_eq!(loss[3], f64::NEG_INFINITY);
    assert!(loss[4].is_nan());
}

#[test]
fn columns_follow_the_dict_and_the_step() {
    let text = log(&[
        "--- Tuning run 1/2 ---".to_string(),
        eval_line(5, "{'score': 1.0, 'global_step': 5, 'extra': None}"),
        eval_line(6, "{'score': 2.0, 'global_step': 7}"),
        "--- Tuning run 2/2 ---".to_string(),
        eval_line(1, "{'score': 3.0}"),
    ]);
    let read = parse(&text);
    assert_eq!(read.warnings.len(), 1);
    assert_eq!(read.warnings[0].line, 3);
    assert!(read.warnings[0]
        .message
        .contains("differs from the logged step 6"));
    let t1 = trial(&read, "trial_1");
    assert_eq!(
        t1.columns.keys().collect::<Vec<_>>(),
        ["extra", "global_step", "score"]
    );
    assert_eq!(t1.column("global_step").unwrap(), [5.0, 7.0]);
    assert!(t1.column("extra").unwrap().iter().all(|x| x.is_nan()));
    let t2 = trial(&read, "trial_2");
    assert_eq!(t2.column("global_step").unwrap(), [1.0]);
    assert_eq!(t2.column("score").unwrap(), [3.0]);
}

// ---------------------------------------------------------------------------
// Merging several runs of a trial

fn steps(t: &LogTrial) -> Vec<f64> {
    t.column("global_step").unwrap().to_vec()
}

#[test]
fn restart_from_scratch_keeps_the_run_that_got_furthest() {
    let tmp = tempfile::tempdir().unwrap();
    let crashed = log(&[
        "--- Tuning run 1/1 ---".into(),
        eval_line(1, &dict("0.9", 1.0)),
        eval_line(128, &dict("0.5", 100.0)),
        eval_line(250, &dict("0.4", 200.0)),
    ]);
    let rerun = log(&[
        "--- Tuning run 1/1 ---".into(),
        eval_line(1, &dict("0.95", 1.5)),
        eval_line(127, &dict("0.55", 101.0)),
        eval_line(251, &dict("0.45", 201.0)),
        eval_line(380, &dict("0.35", 301.0)),
    ]);
    // A per-process duplicate of the rerun and an attempt that crashed
    // before its first evaluation.
    let nothing = "--- Tuning run 1/1 ---\nTraceback (most recent call last):\n";
    std::fs::write(tmp.path().join("w_03-12-2025-21-38-43.log"), &crashed).unwrap();
    std::fs::write(tmp.path().join("w_03-13-2025-09-00-00.log"), &rerun).unwrap();
    std::fs::write(tmp.path().join("w_03-13-2025-09-00-01.log"), &rerun).unwrap();
    std::fs::write(tmp.path().join("w_03-14-2025-00-00-00.log"), nothing).unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "not a log").unwrap();
    let read = read_workload_logs(tmp.path()).unwrap();
    assert!(read.warnings.is_empty());
    assert_eq!(read.trials.len(), 1);
    let t = &read.trials[0];
    assert_eq!(steps(t), [1.0, 127.0, 251.0, 380.0]);
    assert_eq!(
        t.column("validation/loss").unwrap(),
        [0.95, 0.55, 0.45, 0.35]
    );
}

#[test]
fn resume_from_checkpoint_takes_the_earlier_steps_from_the_earlier_run() {
    let first = log(&[
        "--- Tuning run 3/5 ---".into(),
        eval_line(1, &dict("0.9", 1.0)),
        eval_line(100, &dict("0.5", 10.0)),
        eval_line(200, &dict("0.4", 20.0)),
        eval_line(300, &dict("0.3", 30.0)), // after the checkpoint: redone
    ]);
    let resumed = log(&[
        "--- Tuning run 3/5 ---".into(),
        eval_line(250, &dict("0.35", 25.0)),
        eval_line(350, &dict("0.25", 35.0)),
    ]);
    // Appended to one file (tee -a), and as two files: same result.
    let one = parse(&(first.clone() + &resumed));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.log"), &first).unwrap();
    std::fs::write(tmp.path().join("b.log"), &resumed).unwrap();
    let two = read_workload_logs(tmp.path()).unwrap();
    for read in [&one, &two] {
        assert_eq!(names(read), ["trial_3"]);
        let t = &read.trials[0];
        assert_eq!(steps(t), [1.0, 100.0, 200.0, 250.0, 350.0]);
        assert_eq!(t.column("score").unwrap(), [1.0, 10.0, 20.0, 25.0, 35.0]);
    }
}

#[test]
fn summary_and_per_evaluation_lines_count_once() {
    let text = log(&[
        "--- Tuning run 1/1 ---".into(),
        eval_line(1, &dict("0.9", 1.0)),
        eval_line(50, &dict("0.8", 2.0)),
        format!(
            "{PREFIX}Metrics: {{'eval_results': [(1, {{'validation/loss': 0.9, 'score': 1.0, 'global_step': 1, 'preemption_count': 0}}), (50, {{'validation/loss': 0.8, 'score': 2.0, 'global_step': 50, 'preemption_count': 0}})], 'global_step': 60}}"
        ),
    ]);
    let read = parse(&text);
    assert!(read.warnings.is_empty(), "{:#?}", read.warnings);
    let t = &read.trials[0];
    assert_eq!(steps(t), [1.0, 50.0]);
    assert_eq!(t.column("preemption_count").unwrap(), [0.0, 0.0]);
}

// ---------------------------------------------------------------------------
// Errors and robustness

#[test]
fn unreadable_inputs_are_errors_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    let err = read_workload_logs(&missing).unwrap_err();
    assert!(matches!(err, RawLogError::ReadDir { .. }));
    assert!(err.to_string().contains("nope"), "{err}");

    // A byte that is not UTF-8 no longer loses the whole log (issue 11): it
    // is read as U+FFFD, and the log's evaluations are still read.
    std::fs::write(tmp.path().join("ok.log"), "hello\n").unwrap();
    std::fs::write(tmp.path().join("bad.log"), b"line one\nline \xff two\n").unwrap();
    let read = read_workload_logs(tmp.path()).expect("read");
    assert!(read.trials.is_empty() && read.warnings.is_empty());
    assert_eq!(read.files.len(), 2);
}

/// Never panic: every truncation of a real evaluation line, and random
/// byte-level damage to a small log, give trials and warnings, not a crash.
#[test]
fn damaged_input_never_panics() {
    let good = eval_line(
        7,
        "{'train/loss': DeviceArray(0.5, dtype=float32), 'validation/loss': nan, 'score': 1e-05, 'name': 'a\\'b', 'x': (1, [2, {3: None}])}",
    );
    for (i, _) in good.char_indices() {
        let _ = parse(&good[..i]);
    }
    let base = log(&[
        "--- Tuning run 1/2 ---".into(),
        good.clone(),
        format!("{PREFIX}Metrics: {{'eval_results': [(7, {{'score': inf}})], 'global_step': 7}}"),
        "--- Tuning run 2/2 ---".into(),
        eval_line(1, &dict("0.1", 1.0)),
    ]);
    let alphabet: Vec<char> = "{}[]()'\",:.-+e0123456789 \tnaifTNDx\\\n".chars().collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20250316);
    for _ in 0..3000 {
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..rng.gen_range(1..6) {
            let at = rng.gen_range(0..chars.len());
            match rng.gen_range(0..3) {
                0 => chars[at] = alphabet[rng.gen_range(0..alphabet.len())],
                1 => {
                    chars.remove(at);
                }
                _ => chars.insert(at, alphabet[rng.gen_range(0..alphabet.len())]),
            }
        }
        let text: String = chars.into_iter().collect();
        let read = parse(&text);
        for t in &read.trials {
            let n = t.len();
            assert!(t.columns.values().all(|c| c.len() == n));
        }
    }
}
