//! Scoring from raw training logs (`--source logs|auto`) gives the same
//! results as scoring the same runs from their eval_measurements.csv.

use crate::common;

use std::path::Path;

use algoperf_engine::ingest::{Selection, Silent, Source};
use algoperf_engine::run::{self, Options};
use algoperf_engine::spec;

fn copy_dir(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let path = entry.expect("entry").path();
        let dest = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &dest, keep);
        } else if keep(&path) {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

/// A second submission: the same CSVs with every time × 1.5.
fn slower_copy(from: &Path, to: &Path) {
    for t in 1..=5 {
        let src = from.join(format!("trial_{t}/eval_measurements.csv"));
        let text = std::fs::read_to_string(&src).expect("csv");
        let mut lines = text.lines();
        let header = lines.next().expect("header");
        let cols: Vec<&str> = header.split(',').collect();
        let timed: Vec<bool> = cols
            .iter()
            .map(|c| *c == "score" || *c == "accumulated_submission_time")
            .collect();
        let mut out = format!("{header}\n");
        for line in lines {
            let cells: Vec<String> = line
                .split(',')
                .zip(&timed)
                .map(|(v, t)| match (t, v.parse::<f64>()) {
                    (true, Ok(x)) => format!("{}", x * 1.5),
                    _ => v.to_string(),
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        let dir = to.join(format!("trial_{t}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("eval_measurements.csv"), out).expect("write");
    }
}

#[test]
fn a_tree_of_raw_logs_scores_like_its_csvs() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let runs = data.join("rawlogs/new_format/shampoo/study_1/criteo1tb_pytorch");
    let tmp = tempfile::tempdir().expect("tmp");
    let from_csv = tmp.path().join("csv");
    let from_logs = tmp.path().join("logs");
    let is_log = |p: &Path| p.extension().is_some_and(|e| e == "log");
    copy_dir(
        &runs,
        &from_csv.join("shampoo/study_1/criteo1tb_pytorch"),
        &|p| !is_log(p),
    );
    copy_dir(
        &runs,
        &from_logs.join("shampoo/study_1/criteo1tb_pytorch"),
        &is_log,
    );
    for root in [&from_csv, &from_logs] {
        slower_copy(&runs, &root.join("other/study_1/criteo1tb_pytorch"));
    }
    // One base workload, so the runs decide the score.
    let (_dir, spec_path) = common::spec_variant(
        "rulesets/v06_external.toml",
        "[expect]",
        "[workloads]\nbase = [\"criteo1tb\"]\n\n[expect]",
    );
    let spec = spec::load(&spec_path).expect("spec");
    let score = |root: &Path, source: Source| {
        let options = Options {
            selection: Selection {
                source,
                // `logs` finds no trial of `other` (it has CSVs only): a
                // degenerate result unless allowed (issue 11).
                allow_empty: source == Source::Logs,
                ..Selection::default()
            },
            strict: false,
        };
        let ingested = run::read(root, &spec, &options, &Silent).expect("ingest");
        let outcome = run::score(&ingested, &spec, &options).expect("score");
        (ingested, outcome)
    };
    let (csv_in, csv_out) = score(&from_csv, Source::Csv);
    let (log_in, log_out) = score(&from_logs, Source::Logs);
    let (auto_in, auto_out) = score(&from_logs, Source::Auto);

    // The same trials, with the same series.
    let shampoo = |i: &algoperf_engine::ingest::Ingested| {
        i.submissions
            .iter()
            .find(|s| s.name == "shampoo")
            .expect("shampoo")
            .trials
            .clone()
    };
    let (a, b) = (shampoo(&csv_in), shampoo(&log_in));
    assert_eq!(a.len(), 5);
    assert_eq!(
        a.iter().map(|t| &t.id.trial).collect::<Vec<_>>(),
        b.iter().map(|t| &t.id.trial).collect::<Vec<_>>()
    );
    for (x, y) in a.iter().zip(&b) {
        for (u, v) in [
            (&x.series.time, &y.series.time),
            (&x.series.summary_time, &y.series.summary_time),
            (&x.series.step, &y.series.step),
            (&x.series.metric, &y.series.metric),
        ] {
            assert_eq!(u.len(), v.len(), "{}", x.id.trial);
            for (p, q) in u.iter().zip(v) {
                assert!(common::close(*p, *q, 1e-12), "{}: {p} vs {q}", x.id.trial);
            }
        }
    }
    assert_eq!(shampoo(&auto_in).len(), 5);

    // The same leaderboard: `auto` reads shampoo from its logs and `other`
    // from its CSVs; `logs` reads only shampoo (other has no logs).
    assert_eq!(
        auto_out.leaderboard.submissions,
        csv_out.leaderboard.submissions
    );
    for (x, y) in auto_out
        .leaderboard
        .rules
        .scores
        .iter()
        .zip(&csv_out.leaderboard.rules.scores)
    {
        assert!((x - y).abs() < 1e-12, "{x} vs {y}");
    }
    for (x, y) in auto_out
        .leaderboard
        .time_to_targets
        .iter()
        .zip(csv_out.leaderboard.time_to_targets.iter())
    {
        assert!(common::close(*x, *y, 1e-12), "{x} vs {y}");
    }
    let time = |o: &algoperf_engine::run::Outcome| {
        let lb = &o.leaderboard;
        lb.time_to_targets[(lb.row("shampoo").expect("row"), 0)]
    };
    assert!(time(&csv_out).is_finite());
    assert!(common::close(time(&log_out), time(&csv_out), 1e-12));
    let s = &csv_out.leaderboard;
    assert_eq!(s.rules.scores[s.row("shampoo").expect("row")], 1.0);
    let other = s.rules.scores[s.row("other").expect("row")];
    assert!(other > 0.0 && other < 1.0, "{other}");
}
