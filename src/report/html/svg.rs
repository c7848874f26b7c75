//! The performance-profile plot as a light inline SVG for the HTML page:
//! one `<path id="curve-<row>">` per submission, so that the page's script
//! can highlight a line from its legend entry or table row. Colours, dashes
//! and the post-step curves are the PNG/SVG plot's ([`super::super::plot`]),
//! so the page and the image files look alike.

use std::fmt::Write;

use crate::report::plot::{step_points, tau_label, title, x_label};
use crate::score::Leaderboard;
use crate::spec::{Spec, TauScale};

use super::esc;

/// Plot size in SVG user units, and the margins around the axes.
const W: f64 = 760.0;
const H: f64 = 430.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 52.0;
/// ρ spans 0 to 1; a hair more keeps curves on 0 or 1 off the frame.
const Y_LO: f64 = -0.02;
const Y_HI: f64 = 1.02;

/// `#rrggbb` of the `i`-th submission in score order, and its SVG dash array.
pub fn style(i: usize) -> (String, Option<String>) {
    crate::report::plot::svg_style(i)
}

/// Maps τ and ρ to SVG coordinates.
struct Axes {
    lo: f64,
    hi: f64,
    log: bool,
}

impl Axes {
    fn x(&self, tau: f64) -> f64 {
        let f = if self.log {
            (tau.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (tau - self.lo) / (self.hi - self.lo)
        };
        LEFT + f.clamp(0.0, 1.0) * (W - LEFT - RIGHT)
    }
    fn y(&self, rho: f64) -> f64 {
        let f = (rho - Y_LO) / (Y_HI - Y_LO);
        H - BOTTOM - f.clamp(0.0, 1.0) * (H - TOP - BOTTOM)
    }
}

/// τ ticks: about eight round values on a linear grid, 1-2-5 decades on a
/// log grid; always the grid's two ends.
fn x_ticks(lo: f64, hi: f64, log: bool) -> Vec<f64> {
    let mut ticks = vec![lo];
    if log {
        let mut decade = 10f64.powf(lo.log10().floor());
        while decade <= hi {
            for m in [1.0, 2.0, 5.0] {
                let v = m * decade;
                if v > lo * 1.05 && v < hi / 1.05 {
                    ticks.push(v);
                }
            }
            decade *= 10.0;
        }
    } else if hi > lo {
        let raw = (hi - lo) / 8.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        let mut v = (lo / step).floor() * step + step;
        while v < hi - step / 4.0 {
            if v > lo + step / 4.0 {
                ticks.push(v);
            }
            v += step;
        }
    }
    ticks.push(hi);
    ticks
}

fn axes_frame(s: &mut String, ax: &Axes, spec: &Spec) {
    let (x0, x1) = (ax.x(ax.lo), ax.x(ax.hi));
    let (y0, y1) = (ax.y(Y_LO), ax.y(Y_HI));
    let _ = write!(
        s,
        r#"<rect class="frame" x="{x0:.1}" y="{y1:.1}" width="{:.1}" height="{:.1}"/>"#,
        x1 - x0,
        y0 - y1
    );
    for k in 0..=10 {
        let rho = k as f64 / 10.0;
        let y = ax.y(rho);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{x0:.1}" x2="{x1:.1}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{rho:.1}</text>"#,
            x0 - 6.0,
            y + 4.0
        );
    }
    for tau in x_ticks(ax.lo, ax.hi, ax.log) {
        let x = ax.x(tau);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{x:.1}" x2="{x:.1}" y1="{y1:.1}" y2="{y0:.1}"/><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            y0 + 17.0,
            esc(&tau_label(&tau))
        );
    }
    let _ = write!(
        s,
        r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text class="label" transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">Fraction of workloads (ρ)</text>"#,
        (x0 + x1) / 2.0,
        H - 10.0,
        esc(&x_label(spec)),
        (y0 + y1) / 2.0
    );
}

/// One curve as an SVG path (`M`, then `L` to each vertex).
fn curve_path(ax: &Axes, points: &[(f64, f64)]) -> String {
    let mut d = String::with_capacity(points.len() * 14);
    for (i, (tau, rho)) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{:.1} {:.1}",
            if i == 0 { "M" } else { " L" },
            ax.x(*tau),
            ax.y(*rho)
        );
    }
    d
}

/// A band between two step curves on the same τ grid: along the upper
/// bound, back along the lower one, closed.
fn band_path(ax: &Axes, taus: &[f64], lo: &[f64], hi: &[f64]) -> String {
    let mut pts = step_points(taus, hi);
    pts.extend(step_points(taus, lo).into_iter().rev());
    let mut d = curve_path(ax, &pts);
    d.push_str(" Z");
    d
}

/// The plot: frame, grid, axis labels and one path per submission, the
/// lowest score drawn first so that the leaders lie on top; under the
/// lines, each submission's band (`band-<row>`) when `bands` has one. The
/// legend is HTML beside it (see the page).
pub fn profile_svg(lb: &Leaderboard, spec: &Spec, bands: Option<&super::Bands>) -> String {
    let ax = Axes {
        lo: spec.tau.min,
        hi: spec.tau.max,
        log: spec.tau.scale == TauScale::Log,
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="profile-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="profile-title"><title id="profile-title">{}</title>"#,
        esc(&title(spec))
    );
    axes_frame(&mut s, &ax, spec);
    let ranking = lb.ranking();
    for (i, (_, row)) in ranking.iter().enumerate().rev() {
        let Some((lo, hi)) = bands.and_then(|b| b.get(&lb.submissions[*row])) else {
            continue;
        };
        let _ = write!(
            s,
            r#"<path id="band-{row}" class="band" fill="{}" d="{}"/>"#,
            style(i).0,
            band_path(&ax, &lb.rules.tau.values, lo, hi)
        );
    }
    for (i, (_, row)) in ranking.iter().enumerate().rev() {
        let rho: Vec<f64> = lb.rules.profile.row(*row).iter().copied().collect();
        let (colour, dash) = style(i);
        let dash = dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        let _ = write!(
            s,
            r#"<path id="curve-{row}" class="curve" stroke="{colour}"{dash} d="{}"><title>{} ({:.4})</title></path>"#,
            curve_path(&ax, &step_points(&lb.rules.tau.values, &rho)),
            esc(&lb.submissions[*row]),
            lb.rules.scores[*row]
        );
    }
    s.push_str("</svg>");
    s
}

/// A short line in the submission's colour and dash, for legends and rows.
pub fn swatch(i: usize) -> String {
    let (colour, dash) = style(i);
    let dash = dash
        .map(|d| format!(r#" stroke-dasharray="{d}""#))
        .unwrap_or_default();
    format!(
        r#"<svg class="sw" width="36" height="10" viewBox="0 0 36 10" aria-hidden="true"><line x1="1" y1="5" x2="35" y2="5" stroke="{colour}" stroke-width="3"{dash}/></svg>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_cover_the_grid() {
        assert_eq!(
            x_ticks(1.0, 4.0, false),
            vec![1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0]
        );
        let log = x_ticks(1.0, 100.0, true);
        assert_eq!(log, vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]);
    }
}
