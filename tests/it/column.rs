//! `column('NAME')`: any column of a trial file in the trial slot, read
//! beside the four `[columns]`; missing or non-numeric cells are NaN.

use crate::common;

use std::path::{Path, PathBuf};

use algoperf_engine::ingest::{Ingested, Silent};
use algoperf_engine::run::{self, Options};
use algoperf_engine::{ingest::cache, spec};

/// A spec extending the published v0.5 one with `overrides`.
fn extending(dir: &Path, name: &str, overrides: &str) -> PathBuf {
    let published = common::repo("rulesets/v05_external.toml");
    let path = dir.join(format!("{name}.toml"));
    let body = format!(
        "extends = {}\n\n{overrides}",
        toml::Value::String(published.display().to_string())
    );
    std::fs::write(&path, body).expect("write spec");
    path
}

fn scored(logs: &Path, path: &Path) -> (spec::Spec, Ingested, Vec<(String, Vec<u8>)>) {
    let spec = spec::load(path).unwrap_or_else(|e| panic!("{e}"));
    let ingested = run::read(logs, &spec, &Options::default(), &Silent).expect("read");
    let outcome = run::score(&ingested, &spec, &Options::default()).expect("score");
    (spec, ingested, outcome.files)
}

#[test]
fn a_named_column_scores_as_the_same_column_by_its_slot_name() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let logs = data.join("logs/v05/external_tuning");
    let dir = tempfile::tempdir().expect("tmp");
    // `step` is the `global_step` column: read by name, it is the same rule.
    let by_name = extending(
        dir.path(),
        "by_name",
        "[aggregate]\ntrial = \"first(time where reached and column('global_step') <= step_hint)\"\n",
    );
    let by_slot = extending(
        dir.path(),
        "by_slot",
        "[aggregate]\ntrial = \"first(time where reached and step <= step_hint)\"\n",
    );
    let (spec, ingested, files) = scored(&logs, &by_name);
    assert_eq!(spec.extra_columns, vec!["global_step".to_string()]);
    let (_, _, expected) = scored(&logs, &by_slot);
    assert_eq!(files.len(), expected.len());
    for ((name, bytes), (_, want)) in files.iter().zip(&expected) {
        assert!(bytes == want, "{name} differs");
    }
    // The column was really read: it is every trial's step column.
    for sub in &ingested.submissions {
        for t in &sub.trials {
            assert_eq!(t.series.extra.len(), 1);
            assert_eq!(t.series.extra[0], t.series.step);
        }
    }
    // A results cache keeps the column; a spec naming other columns is refused.
    let bytes = cache::encode(&ingested, &spec).expect("encode");
    let back = cache::decode(&bytes, &spec).expect("decode");
    let again = run::score(&back, &spec, &Options::default()).expect("score the cache");
    assert!(again.files == files, "the cache scores as the logs");
    let published = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    assert_eq!(
        cache::decode(&bytes, &published).err().map(|e| e.to_string()),
        Some(format!(
            "the cache holds the extra columns [global_step] but {} reads column(…) of []; re-create it from the logs",
            published.path.display()
        ))
    );
}

/// A column no file has is a degenerate error (issue 23: it used to score
/// silently); with `--allow-empty` it is a warning, read as NaN, and every
/// comparison with it is false.
#[test]
fn a_column_no_file_has_is_nan_and_every_comparison_with_it_false() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let logs = data.join("logs/v05/external_tuning");
    let dir = tempfile::tempdir().expect("tmp");
    // NaN > 0 is false, so `not (…)` holds on every row: the published rule.
    let nan = extending(
        dir.path(),
        "nan",
        "[aggregate]\ntrial = \"first(time where reached and not (column('no_such_column') > 0))\"\n",
    );
    let spec = spec::load(&nan).unwrap_or_else(|e| panic!("{e}"));
    let refused = run::read(&logs, &spec, &Options::default(), &Silent)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        refused.contains("column `no_such_column` (named by `column()` in the spec) is in no trial file of workloads "),
        "{refused}"
    );
    let mut anyway = Options::default();
    anyway.selection.allow_empty = true;
    let ingested = run::read(&logs, &spec, &anyway, &Silent).expect("read");
    let files = run::score(&ingested, &spec, &anyway).expect("score").files;
    let (_, _, expected) = scored(&logs, &common::repo("rulesets/v05_external.toml"));
    for ((name, bytes), (_, want)) in files.iter().zip(&expected) {
        assert!(bytes == want, "{name} differs");
    }
    let t = &ingested.submissions[0].trials[0];
    assert!(t.series.extra[0].iter().all(|v| v.is_nan()));
    assert_eq!(t.series.extra[0].len(), t.series.len());
}

#[test]
fn cells_that_are_not_numbers_are_nan_on_both_csv_readers() {
    use algoperf_engine::ingest::csv::read_series;
    use algoperf_engine::spec::Columns;
    let extra = ["note".to_string(), "absent".to_string()];
    let columns = Columns {
        time: "t".into(),
        summary_time: "t".into(),
        step: "s".into(),
        metric_prefix: String::new(),
    };
    let plain = "t,s,m,note\n1,10,0.5,7\n2,20,0.4,x\n3,30,0.3,\n";
    // A quoted cell (the reader's quoted-field path): the same values.
    let quoted = "t,s,m,note\n1,10,0.5,\"7\"\n2,20,0.4,x\n3,30,0.3,\n";
    for text in [plain, quoted] {
        let s = read_series(text.as_bytes(), &columns, "m", &extra).expect("reads");
        assert_eq!(s.extra.len(), 2);
        assert_eq!(s.extra[0][0], 7.0, "{text}");
        assert!(s.extra[0][1].is_nan() && s.extra[0][2].is_nan(), "{text}");
        assert!(s.extra[1].iter().all(|v| v.is_nan()) && s.extra[1].len() == 3);
    }
}

#[test]
fn column_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = |name: &str, overrides: &str| {
        let path = extending(dir.path(), name, overrides);
        let e = spec::load(&path).expect_err("refused").to_string();
        e.replace(&path.display().to_string(), "SPEC")
    };
    assert_eq!(
        bad("number", "[aggregate]\ntrial = \"first(time where column(3) > 0)\"\n"),
        "error: SPEC:4:34: expected the column's name as a string\n  |\n4 | trial = \"first(time where column(3) > 0)\"\n  |                                  ^\n  = expected `column('train/loss')`"
    );
    assert_eq!(
        bad("slot", "[aggregate]\nworkload = \"median(studies) + column('x')\"\n"),
        "error: SPEC:4:31: `column` is not allowed in [aggregate] workload\n  |\n4 | workload = \"median(studies) + column('x')\"\n  |                               ^^^^^^\n  = expected one of: `abs`, `count`, `exp`, `finite`, `geomean`, `if`, `log`, `log10`, `log2`, `max`, `mean`, `median`, `min`, `quantile`, `sqrt`, `trimmed_mean`"
    );
}

/// RULES.md §4: a reduction over the matrix outside the steps is an error,
/// in `[profile] ratio` too (the ratio reads the steps' result).
#[test]
fn a_matrix_reduction_in_the_ratio_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = extending(
        dir.path(),
        "ratio",
        "[profile]\nratio = \"time / median(time over submissions)\"\n",
    );
    let e = spec::load(&path).expect_err("refused").to_string();
    assert_eq!(
        e.replace(&path.display().to_string(), "SPEC"),
        "error: SPEC:4:34: a reduction `over submissions` or `over workloads` is only allowed in [rules] steps\n  |\n4 | ratio = \"time / median(time over submissions)\"\n  |                                  ^^^^^^^^^^^"
    );
}
