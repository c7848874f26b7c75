//! `stability` output: the terminal table and the JSON document
//! (`schema/stability.schema.json`).

use super::error::PlotError;
use super::json::Num;
use super::plot::{draw_profile, Layout, Rows};
use crate::score::stability::{Method, Over, ProfileBands, Stability};
use crate::spec::Spec;

/// `2` when a rank is separable, `1–3` when the interval spans ranks.
fn rank_span((lo, hi): (usize, usize)) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
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
        "{:>5}  {:<width$}  {:>6}  {:>17}  {:>15}  {:>6}  {:>6}  tied\n",
        "rank", "submission", "score", "interval", "SE of bounds", "P(#1)", "SE"
    ));
    for (i, r) in s.rows.iter().enumerate() {
        out.push_str(&format!(
            "{:>5}  {:<width$}  {:>6.4}  {:>17}  {:>15}  {:>6.4}  {:>6.4}  {}\n",
            rank_span(r.rank_interval),
            r.name,
            r.score,
            format!("[{:.4}, {:.4}]", r.score_interval.0, r.score_interval.1),
            format!("{:.4}, {:.4}", r.score_interval_se.0, r.score_interval_se.1),
            r.p_first,
            r.p_first_se,
            verdict(s, i),
        ));
    }
    out.push_str(&format!(
        "* tied with #1: P(above #1) >= {:.4} ((1 - level)/2)\n",
        (1.0 - s.options.level) / 2.0
    ));
    out.push_str(&unsettled_note(s));
    out.push('\n');
    out.push_str(&pairwise_table(s, width, "P(row above column)", &s.above));
    if s.options.method == Method::Bootstrap {
        out.push('\n');
        let title = "Monte-Carlo standard error of P(row above column)";
        out.push_str(&pairwise_table(s, width, title, &s.above_se));
    }
    out
}

/// The tied column: `*` tied with #1, `?` when the verdict (either way) is
/// within two standard errors of its cut-off.
fn verdict(s: &Stability, i: usize) -> String {
    let tied = if s.tied_with_first.contains(&i) {
        "*"
    } else {
        ""
    };
    let open = if s.unsettled.contains(&i) { "?" } else { "" };
    format!("{tied}{open}")
}

/// What `?` means, and what to do; or that every verdict is settled.
fn unsettled_note(s: &Stability) -> String {
    match s.options.method {
        Method::Jackknife => "(jackknife: no Monte-Carlo error)\n".into(),
        Method::Bootstrap if s.unsettled.is_empty() => {
            "every verdict is more than two standard errors from its cut-off\n".into()
        }
        Method::Bootstrap => format!(
            "? unsettled: P(above #1) within two standard errors of the cut-off ({}); more --resamples may turn it\n",
            s.unsettled
                .iter()
                .map(|&i| s.rows[i].name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A pairwise matrix (P(row scores above column), or its standard
/// error), columns by point order (#1, #2, …).
fn pairwise_table(s: &Stability, width: usize, title: &str, values: &[Vec<f64>]) -> String {
    let mut out = format!("{title}\n{:>3}  {:<width$}", "", "");
    for i in 0..s.rows.len() {
        out.push_str(&format!("  {:>5}", format!("#{}", i + 1)));
    }
    out.push('\n');
    for (i, r) in s.rows.iter().enumerate() {
        out.push_str(&format!("{:>3}  {:<width$}", format!("#{}", i + 1), r.name));
        for (j, p) in values[i].iter().enumerate() {
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

/// `stability --format json`: how sure a leaderboard's ranking is.
///
/// Per submission its point score and rank, the percentile interval of its
/// score and rank over bootstrap resamples (for the jackknife: the min–max
/// over the leave-one-study-out leaderboards), P(rank 1), pairwise P(A
/// scores strictly above B), and the group tied with #1.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StabilityDoc {
    pub engine: crate::report::json::Engine,
    pub spec: crate::report::json::SpecIdentity,
    /// Bootstrap (random resamples) or jackknife (leave one study out).
    pub method: Method,
    /// What a bootstrap resample draws with replacement.
    pub over: Over,
    /// Leaderboards scored: B bootstrap resamples, or S leave-one-study-out
    /// leaderboards.
    pub resamples: usize,
    /// The bootstrap seed; null for the jackknife.
    pub seed: Option<u64>,
    /// The interval level, in (0, 1).
    #[schemars(extend("exclusiveMinimum" = 0, "exclusiveMaximum" = 1))]
    pub level: f64,
    /// Which submissions count as tied with #1.
    pub tie_rule: String,
    /// In the point leaderboard's order (by score, ties by name).
    pub submissions: Vec<StabilityRowDoc>,
    /// Submission A → submission B → fraction of leaderboards where A
    /// scores strictly above B.
    #[schemars(schema_with = "p_above_schema")]
    pub p_above: Pairwise,
    /// The Monte-Carlo standard error of each `p_above` (0 for the jackknife).
    #[schemars(schema_with = "p_above_schema")]
    pub p_above_se: Pairwise,
    /// Submissions whose tied-with-#1 verdict is within two standard errors
    /// of its cut-off: more resamples may turn it.
    pub unsettled: Vec<String>,
    /// The submissions tied with #1, #1 included.
    pub tied_with_first: Vec<String>,
}

/// Submission A → submission B → a probability (the diagonal left out).
pub type Pairwise = std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>;

/// `p_above`: submission → submission → a probability.
fn p_above_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}
        }
    })
}

/// One submission's stability.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StabilityRowDoc {
    pub submission: String,
    /// The point leaderboard's score.
    pub score: Num,
    /// The point leaderboard's rank.
    #[schemars(range(min = 1))]
    pub rank: usize,
    /// Percentile interval of the score (jackknife: min–max).
    pub score_interval: (Num, Num),
    /// Percentile interval of the rank (jackknife: min–max).
    pub rank_interval: (usize, usize),
    /// Fraction of the leaderboards where it ranks 1.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub p_rank_1: f64,
    /// Smallest and largest score over all leaderboards.
    pub score_range: (Num, Num),
    /// Smallest and largest rank over all leaderboards.
    pub rank_range: (usize, usize),
    /// Whether it is statistically tied with #1.
    pub tied_with_first: bool,
    /// Whether that verdict is within two standard errors of its cut-off.
    pub unsettled: bool,
    /// Monte-Carlo standard error of `p_rank_1`.
    pub p_rank_1_se: f64,
    /// Monte-Carlo standard error of each bound of `score_interval`.
    pub score_interval_se: (Num, Num),
    /// Monte-Carlo standard error of each bound of `rank_interval`.
    pub rank_interval_se: (Num, Num),
}

/// The JSON document (schema/stability.schema.json).
pub fn document(spec: &Spec, s: &Stability) -> StabilityDoc {
    let pair = |(a, b): (f64, f64)| (Num(a), Num(b));
    let submissions = (s.rows.iter().enumerate())
        .map(|(i, r)| StabilityRowDoc {
            submission: r.name.clone(),
            score: Num(r.score),
            rank: r.rank,
            score_interval: pair(r.score_interval),
            rank_interval: r.rank_interval,
            p_rank_1: r.p_first,
            score_range: pair(r.score_range),
            rank_range: r.rank_range,
            tied_with_first: s.tied_with_first.contains(&i),
            unsettled: s.unsettled.contains(&i),
            p_rank_1_se: r.p_first_se,
            score_interval_se: pair(r.score_interval_se),
            rank_interval_se: pair(r.rank_interval_se),
        })
        .collect();
    StabilityDoc {
        engine: crate::report::json::Engine::default(),
        spec: crate::report::json::SpecIdentity::of(spec),
        method: s.options.method,
        over: s.options.over,
        resamples: s.leaderboards,
        seed: match s.options.method {
            Method::Bootstrap => Some(s.options.seed),
            Method::Jackknife => None,
        },
        level: s.options.level,
        tie_rule: "tied with #1: #1 and every submission whose P(above #1) >= (1 - level)/2"
            .to_string(),
        submissions,
        p_above: pairwise(s, &s.above),
        p_above_se: pairwise(s, &s.above_se),
        unsettled: (s.unsettled.iter())
            .map(|&i| s.rows[i].name.clone())
            .collect(),
        tied_with_first: (s.tied_with_first.iter())
            .map(|&i| s.rows[i].name.clone())
            .collect(),
    }
}

/// A pairwise matrix as `{row: {column: value}}`, the diagonal left out.
fn pairwise(s: &Stability, values: &[Vec<f64>]) -> Pairwise {
    (s.rows.iter().enumerate())
        .map(|(i, a)| {
            let row = (s.rows.iter().enumerate())
                .filter(|&(j, _)| j != i)
                .map(|(j, b)| (b.name.clone(), values[i][j]))
                .collect();
            (a.name.clone(), row)
        })
        .collect()
}

/// Plot size: width, and height for `n` submissions (pixels).
const PLOT_WIDTH: u32 = 1000;
fn plot_height(n: usize) -> u32 {
    160 + 34 * n.max(1) as u32
}

/// The plot's size: the intervals, and below them the profile with its
/// bands when the stability has them (then at the profile plot's width).
fn plot_size(s: &Stability) -> (u32, u32) {
    let n = s.rows.len();
    match s.bands {
        Some(_) => (
            super::plot::WIDTH,
            plot_height(n) + super::plot::height_for(n),
        ),
        None => (PLOT_WIDTH, plot_height(n)),
    }
}

/// The stability plot as SVG: each submission's score (dot) with its
/// interval (bar), best on top, on the score axis [0, 1]; below, when the
/// stability has bands, ρ(τ) with its pointwise band per submission.
pub fn svg(spec: &Spec, s: &Stability) -> std::result::Result<String, PlotError> {
    use plotters::prelude::*;
    super::plot::register_font()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, plot_size(s)).into_drawing_area();
        draw_all(root, spec, s)?;
    }
    Ok(out)
}

/// The same plot as PNG bytes (8-bit RGB), text drawn as in the
/// performance-profile plot.
pub fn png(spec: &Spec, s: &Stability) -> std::result::Result<Vec<u8>, PlotError> {
    use plotters::prelude::*;
    super::plot::register_font()?;
    let (w, h) = plot_size(s);
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let font =
            ab_glyph::FontRef::try_from_slice(super::plot::FONT).map_err(PlotError::Glyphs)?;
        let root = super::plot::glyphs::Glyphs {
            inner: BitMapBackend::with_buffer(&mut pixels, (w, h)),
            font,
        }
        .into_drawing_area();
        draw_all(root, spec, s)?;
    }
    super::plot::encode_png(&pixels, w, h)
}

/// The intervals, then the banded profile below them if there are bands.
fn draw_all<DB: plotters::prelude::DrawingBackend>(
    root: plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    spec: &Spec,
    s: &Stability,
) -> std::result::Result<(), PlotError> {
    let e =
        |e: plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>| PlotError::Draw(e.to_string());
    match &s.bands {
        None => draw(&root, spec, s)?,
        Some(bands) => {
            let (top, bottom) = root.split_vertically(plot_height(s.rows.len()));
            draw(&top, spec, s)?;
            let layout = Layout::new(&bottom, band_curves(s, bands)).map_err(e)?;
            draw_profile(&bottom, spec, &layout, &band_title(s), Rows::ALL).map_err(e)?;
        }
    }
    root.present().map_err(e)
}

/// Each row's ρ(τ) and its band, in the profile plot's colours and dashes
/// (rows are in score order, as the profile plot's legend).
fn band_curves(s: &Stability, b: &ProfileBands) -> Vec<super::plot::Curve> {
    use super::plot::{band_outline, step_points, style_of, Curve};
    (s.rows.iter().enumerate())
        .map(|(i, r)| {
            let (colour, dash) = style_of(i);
            Curve {
                label: format!("{} ({:.4})", r.name, r.score),
                points: step_points(&b.tau, &b.point[i]),
                colour,
                dash,
                band: Some(band_outline(&b.tau, &b.lo[i], &b.hi[i])),
            }
        })
        .collect()
}

/// What the bands are: pointwise, over the intervals' own resamples.
fn band_title(s: &Stability) -> String {
    match s.options.method {
        Method::Bootstrap => format!(
            "ρ(τ) with pointwise {}% percentile bands, same {} resamples",
            fmt_level(s.options.level),
            s.leaderboards
        ),
        Method::Jackknife => format!(
            "ρ(τ) with pointwise min–max bands, same {} leaderboards",
            s.leaderboards
        ),
    }
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
    root: &plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
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
    let mut chart = ChartBuilder::on(root)
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
    Ok(())
}
