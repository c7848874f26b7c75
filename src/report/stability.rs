//! `stability` output: the terminal table and the JSON document
//! (`schema/stability.schema.json`).

use serde_json::{json, Value};

use super::error::PlotError;
use super::json::number;
use crate::score::stability::{Method, Over, Stability};
use crate::spec::Spec;

/// `2` when a rank is separable, `1–3` when the interval spans ranks.
fn rank_span((lo, hi): (usize, usize)) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    }
}

fn method_name(s: &Stability) -> &'static str {
    match s.options.method {
        Method::Bootstrap => "bootstrap",
        Method::Jackknife => "jackknife",
    }
}

fn over_name(s: &Stability) -> &'static str {
    match s.options.over {
        Over::Studies => "studies",
        Over::Workloads => "workloads",
        Over::Both => "both",
    }
}

/// The header line: what was resampled, how often, at which level.
fn heading(s: &Stability) -> String {
    match s.options.method {
        Method::Bootstrap => format!(
            "bootstrap over {}: {} resamples, seed {}, {}% percentile intervals\n",
            over_name(s),
            s.leaderboards,
            s.options.seed,
            fmt_level(s.options.level)
        ),
        Method::Jackknife => format!(
            "jackknife over studies: {} leave-one-study-out leaderboards, intervals are min–max\n",
            s.leaderboards
        ),
    }
}

fn fmt_level(level: f64) -> String {
    let p = level * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round())
    } else {
        format!("{p}")
    }
}

/// The table: per submission (point order) its rank interval, score and
/// score interval, P(rank 1) and `*` for the group tied with #1; then the
/// pairwise P(row above column), columns numbered by point order.
pub fn table(s: &Stability) -> String {
    // Names as the terminal shows them: control characters escaped.
    let mut shown = s.clone();
    for r in &mut shown.rows {
        r.name = crate::diagnostics::escape_controls(&r.name).into_owned();
    }
    let s = &shown;
    let width = s
        .rows
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(10)
        .max(10);
    let mut out = heading(s);
    out.push_str(&format!(
        "{:>5}  {:<width$}  {:>6}  {:>17}  {:>6}  tied\n",
        "rank", "submission", "score", "interval", "P(#1)"
    ));
    for (i, r) in s.rows.iter().enumerate() {
        let tied = if s.tied_with_first.contains(&i) {
            "*"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:>5}  {:<width$}  {:>6.4}  {:>17}  {:>6.4}  {}\n",
            rank_span(r.rank_interval),
            r.name,
            r.score,
            format!("[{:.4}, {:.4}]", r.score_interval.0, r.score_interval.1),
            r.p_first,
            tied,
        ));
    }
    out.push_str(&format!(
        "* tied with #1: P(above #1) >= {:.4} ((1 - level)/2)\n\n",
        (1.0 - s.options.level) / 2.0
    ));
    out.push_str(&pairwise_table(s, width));
    out
}

/// P(row scores above column), columns by point order (#1, #2, …).
fn pairwise_table(s: &Stability, width: usize) -> String {
    let mut out = format!("P(row above column)\n{:>3}  {:<width$}", "", "");
    for i in 0..s.rows.len() {
        out.push_str(&format!("  {:>5}", format!("#{}", i + 1)));
    }
    out.push('\n');
    for (i, r) in s.rows.iter().enumerate() {
        out.push_str(&format!("{:>3}  {:<width$}", format!("#{}", i + 1), r.name));
        for (j, p) in s.above[i].iter().enumerate() {
            if i == j {
                out.push_str(&format!("  {:>5}", "-"));
            } else {
                out.push_str(&format!("  {p:>5.3}"));
            }
        }
        out.push('\n');
    }
    out
}

/// The JSON document (schema/stability.schema.json).
pub fn document(spec: &Spec, s: &Stability) -> Value {
    let rows: Vec<Value> = s
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "submission": r.name,
                "score": number(r.score),
                "rank": r.rank,
                "score_interval": [number(r.score_interval.0), number(r.score_interval.1)],
                "rank_interval": [r.rank_interval.0, r.rank_interval.1],
                "p_rank_1": r.p_first,
                "score_range": [number(r.score_range.0), number(r.score_range.1)],
                "rank_range": [r.rank_range.0, r.rank_range.1],
                "tied_with_first": s.tied_with_first.contains(&i),
            })
        })
        .collect();
    let above: serde_json::Map<String, Value> = s
        .rows
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let row: serde_json::Map<String, Value> = s
                .rows
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(j, b)| (b.name.clone(), json!(s.above[i][j])))
                .collect();
            (a.name.clone(), Value::Object(row))
        })
        .collect();
    json!({
        "engine": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "spec": {
            "path": spec.path.display().to_string(),
            "name": spec.name,
            "version": spec.version,
            "ruleset": spec.ruleset,
        },
        "method": method_name(s),
        "over": over_name(s),
        "resamples": s.leaderboards,
        "seed": match s.options.method {
            Method::Bootstrap => json!(s.options.seed),
            Method::Jackknife => Value::Null,
        },
        "level": s.options.level,
        "tie_rule": "tied with #1: #1 and every submission whose P(above #1) >= (1 - level)/2",
        "submissions": rows,
        "p_above": above,
        "tied_with_first": s.tied_with_first.iter().map(|&i| s.rows[i].name.clone()).collect::<Vec<_>>(),
    })
}

/// Plot size: width, and height for `n` submissions (pixels).
const PLOT_WIDTH: u32 = 1000;
fn plot_height(n: usize) -> u32 {
    160 + 34 * n.max(1) as u32
}

/// The stability plot as SVG: each submission's score (dot) with its
/// interval (bar), best on top, on the score axis [0, 1].
pub fn svg(spec: &Spec, s: &Stability) -> std::result::Result<String, PlotError> {
    use plotters::prelude::*;
    super::plot::register_font()?;
    let mut out = String::new();
    {
        let size = (PLOT_WIDTH, plot_height(s.rows.len()));
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(root, spec, s)?;
    }
    Ok(out)
}

/// The same plot as PNG bytes (8-bit RGB), text drawn as in the
/// performance-profile plot.
pub fn png(spec: &Spec, s: &Stability) -> std::result::Result<Vec<u8>, PlotError> {
    use plotters::prelude::*;
    super::plot::register_font()?;
    let (w, h) = (PLOT_WIDTH, plot_height(s.rows.len()));
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let font =
            ab_glyph::FontRef::try_from_slice(super::plot::FONT).map_err(PlotError::Glyphs)?;
        let root = super::plot::glyphs::Glyphs {
            inner: BitMapBackend::with_buffer(&mut pixels, (w, h)),
            font,
        }
        .into_drawing_area();
        draw(root, spec, s)?;
    }
    super::plot::encode_png(&pixels, w, h)
}

fn plot_title(spec: &Spec, s: &Stability) -> String {
    let what = match s.options.method {
        Method::Bootstrap => format!(
            "{}% bootstrap intervals over {}, {} resamples",
            fmt_level(s.options.level),
            over_name(s),
            s.leaderboards
        ),
        Method::Jackknife => format!("jackknife ranges, {} leaderboards", s.leaderboards),
    };
    format!(
        "{} v{} {}: scores with {what}",
        spec.name, spec.version, spec.ruleset
    )
}

fn draw<DB: plotters::prelude::DrawingBackend>(
    root: plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    spec: &Spec,
    s: &Stability,
) -> std::result::Result<(), PlotError> {
    use plotters::prelude::*;
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| PlotError::Draw(e.to_string());
    let n = s.rows.len() as i32;
    root.fill(&WHITE).map_err(e)?;
    // Row i (point order) sits at y = n − 1 − i: the leader on top.
    let name_at = |y: &i32| {
        usize::try_from(n - 1 - *y)
            .ok()
            .and_then(|i| s.rows.get(i))
            .map_or(String::new(), |r| r.name.clone())
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(plot_title(spec, s), ("sans-serif", 20).into_font())
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(200)
        .build_cartesian_2d(0f64..1f64, -1i32..n)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("Score")
        .y_labels((n + 1) as usize)
        .y_label_formatter(&name_at)
        .x_labels(11)
        .label_style(("sans-serif", 15).into_font())
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.12))
        .draw()
        .map_err(e)?;
    let y = |i: usize| n - 1 - i as i32;
    let bars = s.rows.iter().enumerate().map(|(i, r)| {
        PathElement::new(
            vec![(r.score_interval.0, y(i)), (r.score_interval.1, y(i))],
            BLUE.stroke_width(3),
        )
    });
    chart.draw_series(bars).map_err(e)?;
    let dots = s
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| Circle::new((r.score, y(i)), 5, BLACK.filled()));
    chart.draw_series(dots).map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}
