//! The submissions × workloads table: per cell the time and the ratio,
//! coloured by ratio, each colour paired with a symbol and words so that
//! the table reads in greyscale and for colour-blind readers; ∞ cells say
//! whether the target was missed or a rule step cut the time off (and
//! which); each cell opens onto what `explain` prints for it.

use std::fmt::Write;

use crate::report::json::step_formula;
use crate::score::Leaderboard;

use super::{esc, order, Page};

/// What one cell shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// No trial of the workload: NaN.
    NotRun,
    /// The aggregate time is ∞: the target was missed.
    Missed,
    /// A finite time made ∞ by the rule step `step` (0-based).
    CutOff { step: usize, time: f64 },
    /// A base workload with a ratio; `band` 0 (best) to 4 (beyond τ max).
    Ratio { ratio: f64, time: f64, band: usize },
    /// A base workload whose ratio is undefined (the reference did not run it).
    NoRatio { time: f64 },
    /// A held-out workload still finite after the rules: it lets its base count.
    HeldOutKept { time: f64 },
}

/// Bands of the ratio colour scale: ≤ 1, then thirds of the first half of
/// [1, τ max] and the rest up to τ max, then beyond τ max (not solved).
fn band(ratio: f64, tau_max: f64) -> usize {
    let span = tau_max - 1.0;
    if ratio <= 1.0 {
        0
    } else if ratio <= 1.0 + span / 6.0 {
        1
    } else if ratio <= 1.0 + span / 3.0 {
        2
    } else if ratio <= tau_max {
        3
    } else {
        4
    }
}

/// Classifies cell (row, col) of the leaderboard matrix.
pub fn classify(lb: &Leaderboard, tau_max: f64, row: usize, col: usize) -> Cell {
    let raw = lb.time_to_targets[(row, col)];
    if raw.is_nan() {
        return Cell::NotRun;
    }
    if raw.is_infinite() {
        return Cell::Missed;
    }
    let cut = lb
        .rules
        .steps
        .iter()
        .position(|st| st.matrix[(row, col)].is_infinite());
    if let Some(step) = cut {
        return Cell::CutOff { step, time: raw };
    }
    match lb.rules.base.iter().position(|w| *w == lb.workloads[col]) {
        Some(k) => {
            let ratio = lb.rules.ratios[(row, k)];
            if ratio.is_nan() {
                Cell::NoRatio { time: raw }
            } else {
                Cell::Ratio {
                    ratio,
                    time: raw,
                    band: band(ratio, tau_max),
                }
            }
        }
        None => Cell::HeldOutKept { time: raw },
    }
}

const BAND_SYMBOL: [&str; 5] = ["★", "◕", "◑", "◔", "○"];

fn secs(t: f64) -> String {
    format!("{t:.0} s")
}

/// (CSS class, first line, second line) of a cell.
fn face(cell: Cell) -> (String, String, String) {
    match cell {
        Cell::NotRun => ("nrun".into(), "— not run".into(), String::new()),
        Cell::Missed => ("miss".into(), "✗ missed".into(), "target".into()),
        Cell::CutOff { step, time } => ("cut".into(), format!("✂ rule {}", step + 1), secs(time)),
        Cell::Ratio { ratio, time, band } => (
            format!("q{band}"),
            format!("{} {ratio:.2}", BAND_SYMBOL[band]),
            secs(time),
        ),
        Cell::NoRatio { time } => ("nrun".into(), "· no ratio".into(), secs(time)),
        Cell::HeldOutKept { time } => ("ho".into(), "✓ kept".into(), secs(time)),
    }
}

/// The words behind a cell's symbol, for its tooltip.
fn meaning(cell: Cell, lb: &Leaderboard) -> String {
    match cell {
        Cell::NotRun => "not run: no trial of this workload".into(),
        Cell::Missed => "target missed in the aggregate of the studies".into(),
        Cell::CutOff { step, .. } => format!(
            "cut off by rule {}: {}",
            step + 1,
            lb.rules
                .steps
                .get(step)
                .map(|st| step_formula(&st.step))
                .unwrap_or_default()
        ),
        Cell::Ratio { ratio, band: 4, .. } => {
            format!("ratio {ratio:.4}: beyond τ max, not solved")
        }
        Cell::Ratio { ratio, .. } => format!("ratio {ratio:.4} to the best time"),
        Cell::NoRatio { .. } => "no ratio: the reference did not run this workload".into(),
        Cell::HeldOutKept { .. } => "held-out variant solved: its base workload counts".into(),
    }
}

fn key(s: &mut String, page: &Page) {
    let tau_max = page.spec.tau.max;
    let span = tau_max - 1.0;
    let bands = [
        "≤ 1 (best)".to_string(),
        format!("≤ {:.2}", 1.0 + span / 6.0),
        format!("≤ {:.2}", 1.0 + span / 3.0),
        format!("≤ {tau_max:.2} (τ max)"),
        format!("&gt; {tau_max:.2}: not solved"),
    ];
    s.push_str("<ul class=\"key\" aria-label=\"Key\">");
    for (b, text) in bands.iter().enumerate() {
        let _ = write!(
            s,
            "<li><span class=\"chip q{b}\">{}</span> ratio {text}</li>",
            BAND_SYMBOL[b]
        );
    }
    s.push_str(
        "<li><span class=\"chip miss\">✗</span> target missed</li>\
         <li><span class=\"chip cut\">✂</span> cut off by a rule step (below)</li>\
         <li><span class=\"chip ho\">✓</span> held-out variant kept</li>\
         <li><span class=\"chip nrun\">—</span> not run</li></ul>\n",
    );
}

fn rules_list(s: &mut String, lb: &Leaderboard) {
    if lb.rules.steps.is_empty() {
        return;
    }
    s.push_str("<p>Rule steps, in order:</p><ol class=\"rules\">");
    for st in &lb.rules.steps {
        let _ = write!(s, "<li><code>{}</code></li>", esc(&step_formula(&st.step)));
    }
    s.push_str("</ol>\n");
}

/// A workload name that may break after its underscores in a narrow column.
fn breakable(name: &str) -> String {
    esc(name).replace('_', "_<wbr/>")
}

fn header_row(s: &mut String, page: &Page) {
    s.push_str("<thead><tr><th scope=\"col\">Submission</th>");
    for w in &page.leaderboard.workloads {
        match page.spec.base_of(w) {
            Some(b) => {
                let _ = write!(
                    s,
                    "<th scope=\"col\" class=\"heldout\">{}<small>held-out of {}</small></th>",
                    breakable(w),
                    breakable(b)
                );
            }
            None => {
                let _ = write!(s, "<th scope=\"col\">{}</th>", breakable(w));
            }
        }
    }
    s.push_str("</tr></thead>\n");
}

fn cell_html(s: &mut String, page: &Page, row: usize, col: usize) {
    let lb = page.leaderboard;
    let cell = classify(lb, page.spec.tau.max, row, col);
    let (class, first, second) = face(cell);
    // The explanation is filled in from the packed block when opened.
    let _ = write!(
        s,
        "<td id=\"cell-{row}-{col}\" class=\"{class}\" title=\"{}\"><details><summary>\
         <span class=\"v\">{first}</span><span class=\"t\">{second}</span></summary>\
         <pre class=\"why\"></pre></details></td>",
        esc(&meaning(cell, lb)),
    );
}

/// The table section.
pub fn matrix_section(s: &mut String, page: &Page) {
    let lb = page.leaderboard;
    s.push_str(
        "<section id=\"workloads\">\n<h2>Times and ratios per workload</h2>\n\
         <p>Each cell: the ratio of the submission's time (after the rule steps) to the \
         workload's best, and the time to target before the rules. Open a cell for the \
         explanation: the trial picked in each study and why, the aggregate, each rule \
         step, the ratio.</p>\n<noscript><p>With scripts off the explanations stay \
         packed: <code>algoperf-engine explain --submission NAME --workload WORKLOAD</code> \
         prints each.</p></noscript>\n",
    );
    key(s, page);
    rules_list(s, lb);
    // In a scroll container, so that the page itself never scrolls
    // sideways (a phone shows 390 px of it); an open explanation lies
    // inside the container and scrolls with it.
    s.push_str("<div class=\"scroll\"><table class=\"m\">\n<caption>Submissions (by score) × workloads</caption>\n");
    header_row(s, page);
    s.push_str("<tbody>\n");
    for (_, _, row) in order(lb) {
        let _ = write!(
            s,
            "<tr data-sub=\"{row}\"><th scope=\"row\">{}</th>",
            esc(&lb.submissions[row])
        );
        for col in 0..lb.workloads.len() {
            cell_html(s, page, row, col);
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table></div>\n");
    s.push_str(&super::packed::block(page));
    s.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_tau_max() {
        assert_eq!(band(1.0, 4.0), 0);
        assert_eq!(band(0.0, 4.0), 0);
        assert_eq!(band(1.5, 4.0), 1);
        assert_eq!(band(1.51, 4.0), 2);
        assert_eq!(band(2.0, 4.0), 2);
        assert_eq!(band(4.0, 4.0), 3);
        assert_eq!(band(4.01, 4.0), 4);
    }
}
