//! Speedups for the terminal and as JSON (SCORING.md §9).

use schemars::JsonSchema;
use serde::Serialize;

use super::json::{Engine, Finite};

use crate::score::speedup::{Speedup, WorkloadSpeedup};

/// A time cell: seconds, `*` for a missed target counted as budget × factor
/// + 1 s, `not run` when the submission did not run the workload.
fn cell(t: Option<f64>, missed: bool) -> String {
    match t {
        Some(t) => format!("{t:.1}{}", if missed { "*" } else { " " }),
        None => "not run ".to_string(),
    }
}

/// A ratio cell to 4 decimals, `—` when one side did not run.
fn ratio_cell(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_string(), |r| format!("{r:.4}"))
}

/// The geometric mean ratio in words, both ways round so it cannot be
/// misread: "1.39× faster (27.9% less time)" for 0.7213, "1.25× slower
/// (25.0% more time)" for 1.25.
pub fn verdict(s: &Speedup) -> String {
    let geomean = s.geomean;
    if geomean.is_nan() {
        "no base workload run by both".to_string()
    } else if geomean <= 1.0 {
        format!(
            "{:.2}× faster ({:.1}% less time)",
            s.times_faster(),
            s.faster() * 100.0
        )
    } else {
        format!(
            "{:.2}× slower ({:.1}% more time)",
            geomean,
            -s.faster() * 100.0
        )
    }
}

/// Per base workload: base time, comparison time (seconds; `*` marks a
/// missed target counted as budget × factor + 1 s), ratio; then the
/// geometric mean and how much faster (or slower) that is.
pub fn speedup_table(s: &Speedup) -> String {
    let s = &shown(s);
    let base_head = format!("{} (s)", s.base);
    let comp_head = format!("{} (s)", s.comparison);
    let width = |head: &str, of: &dyn Fn(&WorkloadSpeedup) -> String| {
        s.workloads
            .iter()
            .map(|w| of(w).chars().count())
            .chain([head.len()])
            .max()
    };
    let ww = width("geometric mean", &|w| w.workload.clone()).unwrap_or(8);
    let bw = width(&base_head, &|w| cell(w.base_time, w.base_missed)).unwrap_or(8);
    let cw = width(&comp_head, &|w| {
        cell(w.comparison_time, w.comparison_missed)
    })
    .unwrap_or(8);
    let mut out = format!(
        "{:<ww$}  {:>bw$}  {:>cw$}  {:>8}\n",
        "workload", base_head, comp_head, "ratio"
    );
    for w in &s.workloads {
        out.push_str(&format!(
            "{:<ww$}  {:>bw$}  {:>cw$}  {:>8}\n",
            w.workload,
            cell(w.base_time, w.base_missed),
            cell(w.comparison_time, w.comparison_missed),
            ratio_cell(w.ratio)
        ));
    }
    out.push_str(&format!(
        "{:<ww$}  {:>bw$}  {:>cw$}  {:>8}\n",
        "geometric mean",
        "",
        "",
        ratio_cell(Some(s.geomean).filter(|g| !g.is_nan()))
    ));
    out.push_str(&format!(
        "\n{} vs {}: geometric mean ratio {:.4}, {}\n",
        s.comparison,
        s.base,
        s.geomean,
        verdict(s)
    ));
    out.push_str(&footnotes(std::slice::from_ref(s)));
    out
}

/// A comparison with its submission names as the terminal shows them
/// (control characters escaped, each line one line).
fn shown(s: &Speedup) -> Speedup {
    let mut s = s.clone();
    s.base = crate::diagnostics::escape_controls(&s.base).into_owned();
    s.comparison = crate::diagnostics::escape_controls(&s.comparison).into_owned();
    s
}

/// Every comparison against one base in one table: a row per submission,
/// its ratio per base workload, the geometric mean and the verdict.
pub fn speedups_table(all: &[Speedup]) -> String {
    let all: &[Speedup] = &all.iter().map(shown).collect::<Vec<_>>();
    let Some(first) = all.first() else {
        return String::new();
    };
    let workloads: Vec<&str> = first
        .workloads
        .iter()
        .map(|w| w.workload.as_str())
        .collect();
    let mut head = vec![format!("vs {}", first.base)];
    head.extend(workloads.iter().map(|w| w.to_string()));
    head.extend(["geometric mean".to_string(), String::new()]);
    let mut rows = vec![head];
    for s in all {
        let mut row = vec![s.comparison.clone()];
        row.extend(s.workloads.iter().map(|w| {
            let star = if w.base_missed || w.comparison_missed {
                "*"
            } else {
                " "
            };
            format!("{}{star}", ratio_cell(w.ratio))
        }));
        row.push(ratio_cell(Some(s.geomean).filter(|g| !g.is_nan())));
        row.push(verdict(s));
        rows.push(row);
    }
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (text, &w))| {
                let pad = w - text.chars().count();
                match c {
                    0 => format!("{text}{}", " ".repeat(pad)),
                    c if c == columns - 1 => text.clone(),
                    _ => format!("{}{text}", " ".repeat(pad)),
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(&footnotes(all));
    out
}

/// The notes under a table: what `*` means, and which workloads a
/// submission did not run (left out of its geometric mean).
fn footnotes(all: &[Speedup]) -> String {
    let mut out = String::new();
    let missed = all
        .iter()
        .flat_map(|s| &s.workloads)
        .any(|w| w.base_missed || w.comparison_missed);
    if missed {
        out.push_str("* target missed: counted as the budget × the spec's budget factor + 1 s\n");
    }
    for s in all {
        for w in s.workloads.iter().filter(|w| w.ratio.is_none()) {
            let who = match (w.base_time, w.comparison_time) {
                (None, None) => format!("{} and {}", s.base, s.comparison),
                (None, _) => s.base.clone(),
                _ => s.comparison.clone(),
            };
            out.push_str(&format!(
                "{} vs {}: {who} did not run `{}`; left out of the geometric mean\n",
                s.comparison, s.base, w.workload
            ));
        }
    }
    out
}

/// One base workload of a comparison (SCORING.md §9).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct WorkloadDoc {
    pub workload: String,
    /// The base submission's time before any rule step (s); a missed target
    /// counts as the budget × the spec's budget factor + 1 s; null when the
    /// base did not run the workload.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub base_time: Option<f64>,
    /// The comparison's time, as `base_time`.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub comparison_time: Option<f64>,
    /// The base missed the target (its time is the missed-target time).
    pub base_missed: bool,
    pub comparison_missed: bool,
    /// comparison_time / base_time; null when either did not run it.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub ratio: Option<f64>,
}

/// Per base workload of one comparison: times (`null`: not run), missed
/// flags and ratio (`null`: one side did not run it). The Python package's
/// `speedup` returns the same objects.
pub fn workloads(s: &Speedup) -> Vec<WorkloadDoc> {
    s.workloads
        .iter()
        .map(|w| WorkloadDoc {
            workload: w.workload.clone(),
            base_time: w.base_time,
            comparison_time: w.comparison_time,
            base_missed: w.base_missed,
            comparison_missed: w.comparison_missed,
            ratio: w.ratio,
        })
        .collect()
}

/// `speedup --format json`: speedups against a base submission.
///
/// SCORING.md §9: per comparison submission, per base workload of the spec
/// (sorted), the time of the base and of the comparison before any rule
/// step, their ratio, the workloads left out, and the geometric mean of the
/// ratios there are. One comparison with --comparison, else every other
/// submission read.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SpeedupDoc {
    pub engine: Engine,
    /// The submission compared against (the ratios' denominator).
    pub base: String,
    pub comparisons: Vec<ComparisonDoc>,
}

/// One submission's speedup over the base.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ComparisonDoc {
    pub comparison: String,
    /// The spec's base workloads, sorted.
    pub workloads: Vec<WorkloadDoc>,
    /// Base workloads left out of the geometric mean (one side did not run
    /// them).
    pub skipped: Vec<String>,
    /// Geometric mean of the ratios there are; null when none.
    pub geomean_ratio: Finite,
    /// 1 / geomean_ratio: how many times faster (below 1 = slower).
    pub times_faster: Finite,
    /// 1 − geomean_ratio: the fraction of time saved (negative = slower).
    pub time_saved: Finite,
    /// The speedup in words ("1.39× faster (27.9% less time)").
    pub verdict: String,
}

/// One JSON document for every comparison against the base
/// (schema/speedup.schema.json); `null` for a time or ratio that does not
/// exist (a workload not run, no workload in common).
pub fn document(base: &str, all: &[Speedup]) -> SpeedupDoc {
    let comparisons = all
        .iter()
        .map(|s| ComparisonDoc {
            comparison: s.comparison.clone(),
            workloads: workloads(s),
            skipped: s.skipped().map(str::to_string).collect(),
            geomean_ratio: Finite(s.geomean),
            times_faster: Finite(s.times_faster()),
            time_saved: Finite(s.faster()),
            verdict: verdict(s),
        })
        .collect();
    SpeedupDoc {
        engine: Engine::default(),
        base: base.to_string(),
        comparisons,
    }
}
