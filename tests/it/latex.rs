//! `leaderboard --format latex` / `latex-times` on the real v0.5 logs: a
//! booktabs tabular whose rows are the leaderboard's, every name escaped.
//! (No TeX engine is installed here; the escaping is tested character by
//! character in `report::latex`'s unit tests.)

use crate::common;

use std::collections::BTreeMap;

use algoperf_engine::ingest::Silent;
use algoperf_engine::report::latex;
use algoperf_engine::run::{self, Options};
use algoperf_engine::score::stability;
use algoperf_engine::spec;

/// The cells of a tabular's body rows (between `\midrule` and
/// `\bottomrule`), split at the `&`s that are not escaped.
fn body_rows(tex: &str) -> Vec<Vec<String>> {
    let body = tex.split("\\midrule\n").nth(1).expect("midrule");
    let body = body.split("\\bottomrule").next().expect("bottomrule");
    body.lines()
        .map(|l| {
            let l = l.strip_suffix(" \\\\").expect("row ends with \\\\");
            let mut cells = vec![String::new()];
            let mut prev = ' ';
            for c in l.chars() {
                if c == '&' && prev != '\\' {
                    cells.push(String::new());
                } else {
                    cells.last_mut().unwrap().push(c);
                }
                prev = c;
            }
            cells.into_iter().map(|c| c.trim().to_string()).collect()
        })
        .collect()
}

#[test]
fn v05_tables_for_papers() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let spec = spec::load(&common::repo("rulesets/v05_external.toml")).expect("spec");
    let logs = data.join("logs/v05/external_tuning");
    let ingested = run::read(&logs, &spec, &Options::default(), &Silent).expect("read");
    let (lb, _) = run::score_only(&ingested, &spec, &Options::default()).expect("score");

    let tex = latex::leaderboard(&lb, &BTreeMap::new(), spec.tau.max, None);
    assert!(
        tex.starts_with("\\begin{tabular}{rlrr}\n\\toprule\n"),
        "{tex}"
    );
    assert!(tex.ends_with("\\bottomrule\n\\end{tabular}\n"));
    let rows = body_rows(&tex);
    assert_eq!(rows.len(), lb.submissions.len());
    for ((rank, r), cells) in lb.ranking().into_iter().zip(&rows) {
        assert_eq!(cells[0], rank.to_string());
        assert_eq!(cells[1], lb.submissions[r].replace('_', "\\_"));
        assert_eq!(cells[2], format!("{:.4}", lb.rules.scores[r]));
        let solved = format!("{}/{}", lb.solved(r, spec.tau.max), lb.rules.base.len());
        assert_eq!(cells[3], solved);
    }
    assert_eq!(rows[0][1], "shampoo\\_submission");

    let o = stability::Options {
        resamples: 50,
        ..stability::Options::default()
    };
    let st = stability::stability(&spec, &lb, &o).expect("bootstrap");
    let tex = latex::leaderboard(&lb, &BTreeMap::new(), spec.tau.max, Some(&st));
    assert!(tex.contains("Rank & Submission & Score & 95\\% interval & Solved"));
    for (cells, s) in body_rows(&tex).iter().zip(&st.rows) {
        let (lo, hi) = s.score_interval;
        assert_eq!(cells[3], format!("[{lo:.4}, {hi:.4}]"));
    }

    let times = latex::time_matrix(&lb);
    let rows = body_rows(&times);
    assert_eq!(rows.len(), lb.submissions.len());
    for ((_, r), cells) in lb.ranking().into_iter().zip(&rows) {
        assert_eq!(cells.len(), lb.workloads.len() + 1);
        for (c, cell) in cells[1..].iter().enumerate() {
            let t = lb.time_to_targets[(r, c)];
            let want = if t.is_nan() {
                "--".to_string()
            } else if t.is_infinite() {
                "$\\infty$".to_string()
            } else {
                format!("{t:.0}")
            };
            assert_eq!(cell, &want);
        }
    }
}
