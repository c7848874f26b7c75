//! The curves and ECDF plots as hand-written SVG. The files carry each
//! line's data values beside its pixels (`data-points`, `data-times`), so
//! that a reader (and the tests) can take the numbers back out exactly;
//! the page's small multiples leave them out to stay light.

use std::fmt::Write;

use super::{SubmissionCurves, WorkloadCurves};
use crate::report::escape::esc;
use crate::report::plot::svg_style;

/// A plot's size and what it carries.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub width: f64,
    pub height: f64,
    /// Width of the legend at the right (0: none).
    pub legend: f64,
    pub font: f64,
    /// Whether lines carry their data values.
    pub data: bool,
    /// The `id` prefix of each submission's group (the page's hover).
    pub page: bool,
}

impl Size {
    /// The files of the output folder.
    pub const FILE: Size = Size {
        width: 1100.0,
        height: 620.0,
        legend: 300.0,
        font: 13.0,
        data: true,
        page: false,
    };
    /// One panel of the page's small multiples.
    pub const PANEL: Size = Size {
        width: 420.0,
        height: 280.0,
        legend: 0.0,
        font: 11.0,
        data: false,
        page: true,
    };
}

const LEFT: f64 = 62.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 44.0;
const RIGHT: f64 = 12.0;
/// Share of the ECDF's width right of the budget where missed runs land.
const MISSED_ZONE: f64 = 0.08;

/// Maps data to pixels within the frame.
struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    t_lo: f64,
    t_hi: f64,
    v_lo: f64,
    v_hi: f64,
    log: bool,
}

impl Frame {
    fn new(size: &Size, (t_lo, t_hi): (f64, f64), (v_lo, v_hi): (f64, f64), log: bool) -> Frame {
        Frame {
            x0: LEFT,
            x1: size.width - size.legend - RIGHT,
            y0: size.height - BOTTOM,
            y1: TOP,
            t_lo,
            t_hi,
            v_lo,
            v_hi,
            log,
        }
    }
    fn x(&self, t: f64) -> f64 {
        let f = if self.log {
            (t.max(self.t_lo).ln() - self.t_lo.ln()) / (self.t_hi.ln() - self.t_lo.ln())
        } else {
            (t - self.t_lo) / (self.t_hi - self.t_lo)
        };
        self.x0 + f.clamp(0.0, 1.0) * (self.x1 - self.x0)
    }
    fn y(&self, v: f64) -> f64 {
        let f = (v - self.v_lo) / (self.v_hi - self.v_lo);
        self.y0 - f.clamp(0.0, 1.0) * (self.y0 - self.y1)
    }
}

/// Time ticks: 1-2-5 per decade on a log axis, about six round values on a
/// linear one.
pub fn time_ticks(lo: f64, hi: f64, log: bool) -> Vec<f64> {
    let mut ticks = Vec::new();
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return ticks;
    }
    if log {
        let mut decade = 10f64.powf(lo.log10().floor());
        while decade <= hi {
            for m in [1.0, 2.0, 5.0] {
                let v = m * decade;
                if v >= lo && v <= hi {
                    ticks.push(v);
                }
            }
            decade *= 10.0;
        }
        return ticks;
    }
    let step = nice_step((hi - lo) / 6.0);
    let mut v = (lo / step).ceil() * step;
    while v <= hi + step * 1e-9 {
        ticks.push(v);
        v += step;
    }
    ticks
}

/// The round step (1, 2, 2.5 or 5 × 10ⁿ) at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

/// Seconds, short: 500, 2k, 7.5k, 20k.
pub fn seconds_label(v: f64) -> String {
    if v.abs() >= 1000.0 {
        let k = v / 1000.0;
        let s = format!("{k:.1}");
        format!("{}k", s.strip_suffix(".0").unwrap_or(&s))
    } else {
        format!("{v}")
    }
}

/// A metric tick: as few decimals as the step needs.
fn value_label(v: f64, step: f64) -> String {
    let decimals = (-step.log10().floor()).clamp(0.0, 6.0) as usize;
    format!("{v:.decimals$}")
}

/// The time span of a workload's plots: from 0 (linear) or the earliest
/// positive time (log) to the budget or the latest time, whichever is
/// later.
fn time_span(w: &WorkloadCurves, log: bool) -> (f64, f64) {
    let times = w
        .submissions
        .iter()
        .flat_map(|s| &s.trials)
        .flat_map(|t| t.points.iter().map(|p| p.0));
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for t in times {
        if t > 0.0 {
            lo = lo.min(t);
        }
        hi = hi.max(t);
    }
    if w.budget.is_finite() && w.budget > 0.0 {
        hi = hi.max(w.budget);
    }
    if hi <= 0.0 {
        hi = 1.0;
    }
    // Room right of the budget, so that its line stays off the frame.
    if !log {
        return (0.0, hi * 1.03);
    }
    let hi = hi * 1.1;
    // A first evaluation at t ≈ 0 would stretch the axis over decades of
    // nothing: it starts at most three decades below its end.
    let lo = if lo.is_finite() { lo } else { hi / 1000.0 };
    (lo.max(hi / 1000.0), hi)
}

/// The metric span: the 1st to 99th percentile of every point (a diverged
/// run's huge loss would flatten the rest), widened to show the target,
/// with a 5% margin.
fn value_span(w: &WorkloadCurves) -> (f64, f64) {
    let mut v: Vec<f64> = w
        .submissions
        .iter()
        .flat_map(|s| &s.trials)
        .flat_map(|t| t.points.iter().map(|p| p.1))
        .collect();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| {
        v.get(((v.len() as f64 - 1.0) * q).round() as usize)
            .copied()
    };
    let (mut lo, mut hi) = match (at(0.01), at(0.99)) {
        (Some(a), Some(b)) => (a, b),
        _ => (0.0, 1.0),
    };
    if w.target.is_finite() {
        lo = lo.min(w.target);
        hi = hi.max(w.target);
    }
    if hi <= lo {
        (lo, hi) = (lo - 0.5, hi + 0.5);
    }
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

fn open_svg(s: &mut String, size: &Size, title: &str, class: &str) {
    let (w, h) = (size.width, size.height);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" font-family="DejaVu Sans, sans-serif" font-size="{}"><title>{}</title><rect width="{w}" height="{h}" fill="#fff"/>"##,
        size.font,
        esc(title)
    );
}

/// Frame, grid, ticks and axis titles.
fn axes(s: &mut String, f: &Frame, size: &Size, y_title: &str, y_ticks: &[(f64, String)]) {
    let _ = write!(
        s,
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#555"/>"##,
        f.x0,
        f.y1,
        f.x1 - f.x0,
        f.y0 - f.y1
    );
    for (v, label) in y_ticks {
        let y = f.y(*v);
        let _ = write!(
            s,
            r##"<line x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#000" stroke-opacity=".1"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            f.x0,
            f.x1,
            f.x0 - 5.0,
            y + 4.0,
            esc(label)
        );
    }
    for t in time_ticks(f.t_lo, f.t_hi, f.log) {
        let x = f.x(t);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#000" stroke-opacity=".1"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            f.y1,
            f.y0,
            f.y0 + 15.0,
            seconds_label(t)
        );
    }
    let scale = if f.log { ", log scale" } else { "" };
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">Time (s{scale})</text><text transform="translate(13 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        (f.x0 + f.x1) / 2.0,
        size.height - 8.0,
        (f.y0 + f.y1) / 2.0,
        esc(y_title)
    );
}

/// The budget as a vertical line, labelled.
fn budget_line(s: &mut String, f: &Frame, budget: f64) {
    if !budget.is_finite() {
        return;
    }
    let x = f.x(budget);
    let _ = write!(
        s,
        r##"<line class="budget" data-budget="{budget}" x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#000" stroke-width="1.5" stroke-dasharray="2 3"/><text x="{:.1}" y="{:.1}" text-anchor="end">budget</text>"##,
        f.y1,
        f.y0,
        x - 3.0,
        f.y1 - 4.0
    );
}

/// Pixels of a polyline.
fn pixels(f: &Frame, pts: &[(f64, f64)]) -> String {
    let mut d = String::with_capacity(pts.len() * 12);
    for (i, (t, v)) in pts.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(d, "{sep}{:.1},{:.1}", f.x(*t), f.y(*v));
    }
    d
}

/// At most [`PANEL_POINTS`] points on the page (an even stride keeping
/// the last); every point in a file.
fn thinned(pts: &[(f64, f64)], size: &Size) -> Vec<(f64, f64)> {
    if !size.page || pts.len() <= PANEL_POINTS {
        return pts.to_vec();
    }
    let n = pts.len();
    (0..PANEL_POINTS)
        .map(|k| pts[k * (n - 1) / (PANEL_POINTS - 1)])
        .collect()
}

/// Points per line in a page panel.
const PANEL_POINTS: usize = 60;

/// Data values of a polyline, each as Rust's shortest round-trip decimal.
fn data(pts: &[(f64, f64)]) -> String {
    let mut d = String::with_capacity(pts.len() * 20);
    for (i, (t, v)) in pts.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(d, "{sep}{t},{v}");
    }
    d
}

/// Stroke attributes of a submission's style.
fn stroke(style: usize) -> String {
    let (colour, dash) = svg_style(style);
    let dash = dash
        .map(|d| format!(r#" stroke-dasharray="{d}""#))
        .unwrap_or_default();
    format!(r#"stroke="{colour}"{dash}"#)
}

/// One submission's group: `id="<kind>-<workload>-<rank>"` on the page.
fn open_group(s: &mut String, sub: &SubmissionCurves, size: &Size, kind: &str) {
    let page = if size.page {
        format!(r#" data-curve="{}""#, sub.row)
    } else {
        String::new()
    };
    let _ = write!(
        s,
        r#"<g class="{kind}" data-submission="{}" data-rank="{}"{page} fill="none" {}>"#,
        esc(&sub.name),
        sub.rank,
        stroke(sub.style)
    );
}

/// The legend: rank order, one swatch per submission.
fn legend(s: &mut String, w: &WorkloadCurves, size: &Size, note: &str) {
    if size.legend <= 0.0 {
        return;
    }
    let x = size.width - size.legend + 8.0;
    let row = size.font + 7.0;
    let _ = write!(
        s,
        r#"<text x="{x:.1}" y="{:.1}" font-weight="bold">Submission (rank)</text>"#,
        TOP + 4.0
    );
    for (k, sub) in w.submissions.iter().enumerate() {
        let y = TOP + 4.0 + row * (k as f64 + 1.0);
        let _ = write!(
            s,
            r#"<line x1="{x:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke-width="3" {}/><text x="{:.1}" y="{y:.1}">{}. {}</text>"#,
            x + 34.0,
            y - 4.0,
            y - 4.0,
            stroke(sub.style),
            x + 40.0,
            sub.rank,
            esc(&sub.name)
        );
    }
    let y = TOP + 4.0 + row * (w.submissions.len() as f64 + 1.6);
    let _ = write!(
        s,
        r##"<text x="{x:.1}" y="{y:.1}" fill="#444">{}</text>"##,
        esc(note)
    );
}

/// Evenly spaced metric ticks over the frame.
fn value_ticks(lo: f64, hi: f64) -> Vec<(f64, String)> {
    let step = nice_step((hi - lo) / 6.0);
    let mut v = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while v <= hi {
        out.push((v, value_label(v, step)));
        v += step;
    }
    out
}

/// The training curves of one workload: every scored trial's metric
/// against time, the picked trial of each study bold and the others light,
/// the target as a horizontal line and the budget as a vertical one.
pub fn curves_svg(w: &WorkloadCurves, log: bool, size: &Size) -> String {
    let f = Frame::new(size, time_span(w, log), value_span(w), log);
    let mut s = String::new();
    let title = format!("{}: {} against time", w.workload, w.metric);
    open_svg(&mut s, size, &title, "curves");
    axes(&mut s, &f, size, &w.metric, &value_ticks(f.v_lo, f.v_hi));
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" font-weight="bold">{}</text>"#,
        f.x0,
        TOP - 10.0,
        esc(&w.workload)
    );
    if w.target.is_finite() {
        let y = f.y(w.target);
        let _ = write!(
            s,
            r##"<line class="target" data-target="{}" x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#000" stroke-width="1.5"/><text x="{:.1}" y="{:.1}">target {}</text>"##,
            w.target,
            f.x0,
            f.x1,
            f.x0 + 4.0,
            y - 4.0,
            w.target
        );
    }
    budget_line(&mut s, &f, w.budget);
    for sub in w.submissions.iter().rev() {
        open_group(&mut s, sub, size, "sub");
        // Light trials first, so that the picked ones lie on top.
        // The page's panels draw the picked trials only, thinned, to keep
        // the page light; the files draw every trial whole.
        let mut trials: Vec<_> = sub
            .trials
            .iter()
            .filter(|t| t.points.len() > 1 && (t.picked || !size.page))
            .collect();
        trials.sort_by_key(|t| t.picked);
        for t in trials {
            let (class, width, opacity) = if t.picked {
                ("trial picked", 2.2, 1.0)
            } else {
                ("trial", 0.9, 0.3)
            };
            let values = if size.data {
                format!(
                    r#" data-folder="{}" data-points="{}""#,
                    esc(&t.folder),
                    data(&t.points)
                )
            } else {
                String::new()
            };
            let _ = write!(
                s,
                r#"<polyline class="{class}" data-study="{}" data-trial="{}" stroke-width="{width}" stroke-opacity="{opacity}"{values} points="{}"/>"#,
                esc(&t.study),
                esc(&t.label),
                pixels(&f, &thinned(&t.points, size))
            );
        }
        s.push_str("</g>");
    }
    legend(&mut s, w, size, "bold: each study's picked trial");
    s.push_str("</svg>");
    s
}

/// The ECDF of one workload: per submission, the fraction of its trials
/// (all studies) that reached the target by each time, as steps; the
/// trials that missed are counted at the right edge, past the budget.
pub fn ecdf_svg(w: &WorkloadCurves, log: bool, size: &Size) -> String {
    let (t_lo, t_hi) = time_span(w, log);
    let mut f = Frame::new(size, (t_lo, t_hi), (-0.02, 1.02), log);
    let edge = f.x1;
    f.x1 -= (f.x1 - f.x0) * MISSED_ZONE;
    let mut s = String::new();
    let title = format!("{}: time-to-target ECDF over trials", w.workload);
    open_svg(&mut s, size, &title, "ecdf");
    let ticks: Vec<(f64, String)> = (0..=5)
        .map(|k| (k as f64 / 5.0, format!("{:.1}", k as f64 / 5.0)))
        .collect();
    axes(&mut s, &f, size, "Fraction of trials reached", &ticks);
    let _ = write!(
        s,
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#000" fill-opacity=".06"/><text x="{:.1}" y="{:.1}" text-anchor="middle">missed</text><text x="{:.1}" y="{:.1}" font-weight="bold">{}</text>"##,
        f.x1,
        f.y1,
        edge - f.x1,
        f.y0 - f.y1,
        (f.x1 + edge) / 2.0,
        f.y0 + 15.0,
        f.x0,
        TOP - 10.0,
        esc(&w.workload)
    );
    budget_line(&mut s, &f, w.budget);
    for sub in w.submissions.iter().rev() {
        let (times, missed) = w.times(sub);
        let n = sub.trials.len();
        if n == 0 {
            continue;
        }
        open_group(&mut s, sub, size, "ecdf-sub");
        let values = if size.data {
            let list: Vec<String> = times.iter().map(|t| t.to_string()).collect();
            format!(
                r#" data-times="{}" data-missed="{missed}" data-trials="{n}""#,
                list.join(" ")
            )
        } else {
            String::new()
        };
        let _ = write!(
            s,
            r#"<polyline stroke-width="2"{values} points="{}"/>"#,
            ecdf_pixels(&f, edge, &w.ecdf(sub))
        );
        s.push_str("</g>");
    }
    legend(&mut s, w, size, "steps: trials of all studies");
    s.push_str("</svg>");
    s
}

/// The step polyline: 0 up to the first time, up to each step's fraction
/// at its time ([`WorkloadCurves::ecdf`]), on to the budget's end of the
/// axis, then up to 1 at the right edge for the missed trials.
fn ecdf_pixels(f: &Frame, edge: f64, steps: &[(f64, f64)]) -> String {
    let mut d = String::new();
    let mut level = 0.0;
    let _ = write!(d, "{:.1},{:.1}", f.x0, f.y(0.0));
    for &(t, next) in steps {
        let x = f.x(t);
        let _ = write!(d, " {x:.1},{:.1} {x:.1},{:.1}", f.y(level), f.y(next));
        level = next;
    }
    let _ = write!(
        d,
        " {:.1},{:.1} {edge:.1},{:.1} {edge:.1},{:.1}",
        f.x1,
        f.y(level),
        f.y(level),
        f.y(1.0)
    );
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ticks_are_round() {
        assert_eq!(
            time_ticks(0.0, 60000.0, false)[..3],
            [0.0, 10000.0, 20000.0]
        );
        assert_eq!(
            time_ticks(30.0, 8000.0, true),
            vec![50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0]
        );
        assert_eq!(seconds_label(7500.0), "7.5k");
        assert_eq!(seconds_label(20000.0), "20k");
        assert_eq!(seconds_label(500.0), "500");
    }
}
