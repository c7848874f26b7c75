//! Reports: the reference-compatible CSV files, the terminal leaderboard, and
//! writing files whole or not at all. Nothing is computed here.

pub mod compare;
pub mod explain;
pub mod files;
pub mod html;
pub mod info;
pub mod json;
// Leaderboard-maintainer reports (plot, speedups, Markdown leaderboard).
pub mod markdown;
pub mod plot;
pub mod speedup;
pub mod stability;

use crate::numeric::{csv_cell, py_repr};
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
    header.extend(lb.rules.tau_axis.iter().map(|t| py_repr(*t)));
    let rows = (0..lb.submissions.len())
        .map(|r| {
            let mut row = vec![lb.submissions[r].clone()];
            row.extend((0..lb.rules.taus.len()).map(|j| csv_cell(lb.rules.profile[(r, j)])));
            row
        })
        .collect();
    csv_bytes(header, rows)
}

/// `<submission>_summary.csv`, with the reference's columns (its unnamed
/// first column is a row number here) and a trailing `study` column, without
/// which rows of different studies cannot be told apart.
pub fn summary_csv(rows: &[SummaryRow]) -> Vec<u8> {
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
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let body = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                i.to_string(),
                r.workload.clone(),
                r.trial.clone(),
                r.metric_column.clone(),
                py_repr(r.target),
                if r.reached {
                    "True".into()
                } else {
                    "False".into()
                },
                csv_cell(r.best),
                csv_cell(r.time_to_best),
                csv_cell(r.time_to_target),
                csv_cell(r.step_time),
                r.step_hint.to_string(),
                r.study.clone(),
            ]
        })
        .collect();
    csv_bytes(header, body)
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
