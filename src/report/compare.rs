//! `compare` output: the two leaderboards side by side and the cells that
//! differ, as a terminal table or JSON.

use serde_json::{json, Value};

use super::json::number;
use crate::score::compare::Comparison;

fn score_rank(x: Option<(f64, usize)>) -> (String, String) {
    x.map_or(("-".into(), "-".into()), |(s, r)| {
        (format!("{s:.4}"), r.to_string())
    })
}

fn short(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else if x.is_infinite() {
        "inf".into()
    } else {
        format!("{x:.4}")
    }
}

/// A comparison with its names as the terminal shows them (control
/// characters escaped, each line one line).
fn shown(c: &Comparison) -> Comparison {
    let e = |s: &mut String| *s = crate::diagnostics::escape_controls(s).into_owned();
    let mut c = c.clone();
    c.submissions.iter_mut().for_each(|s| e(&mut s.name));
    c.cells.iter_mut().for_each(|x| e(&mut x.submission));
    for x in &mut c.studies {
        e(&mut x.submission);
        e(&mut x.study);
        e(&mut x.trial.0);
        e(&mut x.trial.1);
    }
    c
}

/// The terminal table.
pub fn table(c: &Comparison) -> String {
    let c = &shown(c);
    let width = c
        .submissions
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(10)
        .max(10);
    let mut out = format!(
        "{:<width$}  {:>7}  {:>6}  {:>7}  {:>6}  {:>8}\n",
        "submission", "score A", "rank A", "score B", "rank B", "change"
    );
    for s in &c.submissions {
        let ((sa, ra), (sb, rb)) = (score_rank(s.a), score_rank(s.b));
        let change = match (s.a, s.b) {
            (Some((x, _)), Some((y, _))) if x.to_bits() == y.to_bits() => String::new(),
            (Some((x, _)), Some((y, _))) => format!("{:+.4}", y - x),
            _ => "absent".into(),
        };
        out.push_str(&format!(
            "{:<width$}  {sa:>7}  {ra:>6}  {sb:>7}  {rb:>6}  {change:>8}\n",
            s.name
        ));
    }
    out.push_str(&format!(
        "\n{} (submission, workload) cells differ\n",
        c.cells.len()
    ));
    for x in &c.cells {
        out.push_str(&format!(
            "{}/{}: time {} → {}, after rules {} → {}, ratio {} → {}; first differs at {}\n",
            x.submission,
            x.workload,
            short(x.raw.0),
            short(x.raw.1),
            short(x.ruled.0),
            short(x.ruled.1),
            short(x.ratio.0),
            short(x.ratio.1),
            x.stage
        ));
    }
    out.push_str(&format!(
        "\n{} studies pick a different trial or time (the aggregate may hide them)\n",
        c.studies.len()
    ));
    for x in &c.studies {
        out.push_str(&format!(
            "{}/{}/{}: {} → {}, {} → {}\n",
            x.submission,
            x.study,
            x.workload,
            x.trial.0,
            x.trial.1,
            short(x.time.0),
            short(x.time.1)
        ));
    }
    out
}

/// The JSON document (times as in leaderboard.schema.json: "inf", null).
pub fn document(c: &Comparison) -> Value {
    let pair = |x: Option<(f64, usize)>| {
        x.map_or(json!(null), |(s, r)| json!({"score": number(s), "rank": r}))
    };
    json!({
        "engine": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "submissions": c.submissions.iter().map(|s| json!({
            "submission": s.name, "a": pair(s.a), "b": pair(s.b),
        })).collect::<Vec<_>>(),
        "cells": c.cells.iter().map(|x| json!({
            "submission": x.submission,
            "workload": x.workload,
            "time": [number(x.raw.0), number(x.raw.1)],
            "after_rules": [number(x.ruled.0), number(x.ruled.1)],
            "ratio": [number(x.ratio.0), number(x.ratio.1)],
            "first_difference": x.stage,
        })).collect::<Vec<_>>(),
        "studies": c.studies.iter().map(|x| json!({
            "submission": x.submission,
            "workload": x.workload,
            "study": x.study,
            "trial": [x.trial.0, x.trial.1],
            "time": [number(x.time.0), number(x.time.1)],
        })).collect::<Vec<_>>(),
    })
}
