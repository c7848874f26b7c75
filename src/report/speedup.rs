//! The speedup table for the terminal (SCORING.md §9).

use crate::score::speedup::Speedup;

/// Per base workload: base time, comparison time (seconds; `*` marks a
/// missed target counted as budget × factor + 1 s), ratio; then the
/// geometric mean and how much faster (or slower) that is.
pub fn speedup_table(s: &Speedup) -> String {
    let cell = |t: f64, missed: bool| format!("{t:.1}{}", if missed { "*" } else { " " });
    let base_head = format!("{} (s)", s.base);
    let comp_head = format!("{} (s)", s.comparison);
    let ww = s
        .workloads
        .iter()
        .map(|w| w.workload.len())
        .chain(["workload".len(), "geometric mean".len()])
        .max()
        .unwrap_or(8);
    let bw = s
        .workloads
        .iter()
        .map(|w| cell(w.base_time, w.base_missed).len())
        .chain([base_head.len()])
        .max()
        .unwrap_or(8);
    let cw = s
        .workloads
        .iter()
        .map(|w| cell(w.comparison_time, w.comparison_missed).len())
        .chain([comp_head.len()])
        .max()
        .unwrap_or(8);
    let mut out = format!(
        "{:<ww$}  {:>bw$}  {:>cw$}  {:>8}\n",
        "workload", base_head, comp_head, "ratio"
    );
    for w in &s.workloads {
        out.push_str(&format!(
            "{:<ww$}  {:>bw$}  {:>cw$}  {:>8.4}\n",
            w.workload,
            cell(w.base_time, w.base_missed),
            cell(w.comparison_time, w.comparison_missed),
            w.ratio
        ));
    }
    out.push_str(&format!(
        "{:<ww$}  {:>bw$}  {:>cw$}  {:>8.4}\n",
        "geometric mean", "", "", s.geomean
    ));
    let faster = s.faster();
    let verdict = if faster >= 0.0 {
        format!("{:.2}% faster", faster * 100.0)
    } else {
        format!("{:.2}% slower", -faster * 100.0)
    };
    out.push_str(&format!(
        "\n{} vs {}: geometric mean ratio {:.4}, {verdict}\n",
        s.comparison, s.base, s.geomean
    ));
    if s.workloads
        .iter()
        .any(|w| w.base_missed || w.comparison_missed)
    {
        out.push_str("* target missed: counted as the budget × the spec's budget factor + 1 s\n");
    }
    out
}
