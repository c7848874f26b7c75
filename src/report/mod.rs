//! Reports: the reference-compatible CSV files, the terminal leaderboard, and
//! writing files whole or not at all. Nothing is computed here.

pub mod compare;
pub mod curves;
pub mod escape;
pub use crate::error::report as error;
pub mod explain;
pub mod files;
pub mod guard;
pub mod html;
pub mod info;
pub mod json;
pub mod latex;
pub mod links;
// Leaderboard-maintainer reports (plot, speedups, Markdown leaderboard).
pub mod markdown;
pub mod plot;
pub mod speedup;
pub mod stability;
pub mod store;
pub mod targets;

use std::fmt::Write;

use crate::numeric::{csv_cell, push_csv_cell, push_py_repr, py_repr};
use crate::score::summary::SummaryRow;
use crate::score::Leaderboard;

fn csv_bytes(header: Vec<String>, rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors are still propagated as empty output
    // rather than a panic.
    let _ = w.write_record(&header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    w.into_inner().unwrap_or_default()
}

/// `scores.csv`: `submission,score`.
pub fn scores_csv(lb: &Leaderboard) -> Vec<u8> {
    csv_bytes(
        vec!["submission".into(), "score".into()],
        lb.submissions
            .iter()
            .zip(&lb.rules.scores)
            .map(|(s, v)| vec![s.clone(), csv_cell(*v)])
            .collect(),
    )
}

/// `time_to_targets.csv`: submissions × base and held-out workloads, before
/// any rule step; ∞ is `inf`, a workload not run is empty.
pub fn time_to_targets_csv(lb: &Leaderboard) -> Vec<u8> {
    let mut header = vec!["submission".to_string()];
    header.extend(lb.workloads.iter().cloned());
    let rows = (0..lb.submissions.len())
        .map(|r| {
            let mut row = vec![lb.submissions[r].clone()];
            row.extend((0..lb.workloads.len()).map(|c| csv_cell(lb.time_to_targets[(r, c)])));
            row
        })
        .collect();
    csv_bytes(header, rows)
}

/// `performance_profile_score.csv`: submissions × τ, ρ(τ). The header holds
/// the profile's x axis (τ, or log10 τ on a log grid), as the reference's.
pub fn profile_csv(lb: &Leaderboard) -> Vec<u8> {
    let mut header = vec!["submission".to_string()];
    header.extend(lb.rules.tau.axis.iter().map(|t| py_repr(*t)));
    let rows = (0..lb.submissions.len())
        .map(|r| {
            let mut row = vec![lb.submissions[r].clone()];
            row.extend((0..lb.rules.tau.values.len()).map(|j| csv_cell(lb.rules.profile[(r, j)])));
            row
        })
        .collect();
    csv_bytes(header, rows)
}

/// `<submission>_summary.csv`, with the reference's columns (its unnamed
/// first column is a row number here) and a trailing `study` column, without
/// which rows of different studies cannot be told apart.
///
/// Written straight into one buffer, as the `csv` crate would write it (a
/// test checks): one summary row per trial makes this the largest output.
pub fn summary_csv(rows: &[SummaryRow]) -> Vec<u8> {
    let mut out = String::with_capacity(256 * (rows.len() + 1));
    out.push_str(
        ",workload,trial,val target metric name,val target metric value,val target reached,\
         best metric value on val,time to best eval on val (s),time to target on val (s),\
         step_time (s),step_hint,study\n",
    );
    for (i, r) in rows.iter().enumerate() {
        let _ = write!(out, "{i},");
        push_field(&mut out, &r.workload);
        out.push(',');
        push_field(&mut out, &r.trial);
        out.push(',');
        push_field(&mut out, &r.metric_column);
        out.push(',');
        push_py_repr(&mut out, r.target);
        out.push_str(if r.reached { ",True," } else { ",False," });
        for x in [r.best, r.time_to_best, r.time_to_target, r.step_time] {
            push_csv_cell(&mut out, x);
            out.push(',');
        }
        let _ = write!(out, "{},", r.step_hint);
        push_field(&mut out, &r.study);
        out.push('\n');
    }
    out.into_bytes()
}

/// Appends a text field as the `csv` crate writes it: in quotes, with each
/// quote doubled, when it holds a comma, a quote or a line end.
fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// The ranked leaderboard for the terminal: rank, submission, score to 4
/// decimals, base workloads solved.
pub fn leaderboard_table(lb: &Leaderboard, tau_max: f64) -> String {
    let ranking = lb.ranking();
    // Names as the terminal will show them: control characters escaped.
    let names: Vec<String> = lb
        .submissions
        .iter()
        .map(|s| crate::diagnostics::escape_controls(s).into_owned())
        .collect();
    let width = names.iter().map(|s| s.len()).max().unwrap_or(10).max(10);
    let mut out = format!(
        "{:>4}  {:<width$}  {:>6}  {:>6}\n",
        "rank",
        "submission",
        "score",
        "solved",
        width = width
    );
    for (rank, row) in ranking {
        out.push_str(&format!(
            "{:>4}  {:<width$}  {:>6.4}  {:>6}\n",
            rank,
            names[row],
            lb.rules.scores[row],
            format!("{}/{}", lb.solved(row, tau_max), lb.rules.base.len()),
            width = width
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary as the `csv` crate writes it: what [`summary_csv`] writes
    /// by hand.
    fn by_csv_crate(rows: &[SummaryRow]) -> Vec<u8> {
        let header = [
            "",
            "workload",
            "trial",
            "val target metric name",
            "val target metric value",
            "val target reached",
            "best metric value on val",
            "time to best eval on val (s)",
            "time to target on val (s)",
            "step_time (s)",
            "step_hint",
            "study",
        ];
        let body = rows.iter().enumerate().map(|(i, r)| {
            vec![
                i.to_string(),
                r.workload.clone(),
                r.trial.clone(),
                r.metric_column.clone(),
                py_repr(r.target),
                if r.reached { "True" } else { "False" }.to_string(),
                csv_cell(r.best),
                csv_cell(r.time_to_best),
                csv_cell(r.time_to_target),
                csv_cell(r.step_time),
                r.step_hint.to_string(),
                r.study.clone(),
            ]
        });
        csv_bytes(header.map(String::from).to_vec(), body.collect())
    }

    #[test]
    fn summary_is_what_the_csv_crate_writes() {
        let row = |workload: &str, study: &str, x: f64| SummaryRow {
            workload: workload.into(),
            trial: "trial_1".into(),
            study: study.into(),
            metric_column: "validation/loss".into(),
            target: x,
            reached: x > 0.0,
            best: x * 3.0,
            time_to_best: f64::NAN,
            time_to_target: f64::INFINITY,
            step_time: -x,
            step_hint: 10666,
        };
        let rows = [
            row("wmt_jax", "study_0", 0.129657),
            row("a,b", "say \"hi\"", 1e-7),
            row("line\nbreak", "cr\rhere", 123456789012345678.0),
            row("", "", -0.0),
            row("ünï", "x", f64::NAN),
        ];
        for n in 0..=rows.len() {
            let ours = summary_csv(&rows[..n]);
            let theirs = by_csv_crate(&rows[..n]);
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
        }
    }
}
