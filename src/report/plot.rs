//! The performance-profile plot: ρ(τ) of every submission over the spec's τ
//! grid, drawn as post-step lines (ρ holds until the next τ), with a legend
//! ordered by score. Written as `performance_profile.svg` and
//! `performance_profile.png` beside the other outputs of a scoring run.
//!
//! Nothing is computed here: the curves are the [`Leaderboard`]'s profile
//! rows, the axis is the spec's τ grid. Text is drawn with the DejaVu Sans
//! font bundled in `assets/` (see `assets/DejaVuSans-LICENSE.txt`), so no
//! system font library is needed.

mod band;
pub(crate) mod glyphs;

use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::error::{PlotError, ReportError};
use crate::error::Result;
use crate::score::Leaderboard;
use crate::spec::{Spec, TauScale};

/// File name of the SVG plot.
pub const SVG_FILE: &str = "performance_profile.svg";
/// File name of the PNG plot.
pub const PNG_FILE: &str = "performance_profile.png";
/// Width of the plot in pixels (SVG user units and PNG pixels).
pub const WIDTH: u32 = 1200;
/// Height of the plot in pixels, unless the legend needs more.
pub const MIN_HEIGHT: u32 = 700;

pub(crate) static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Legend: row height, sample line length, paddings (pixels).
const LEGEND_ROW: u32 = 26;
const LEGEND_SAMPLE: i32 = 44;
const LEGEND_PAD: i32 = 14;
const LEGEND_TOP: i32 = 70;
const FONT_SIZE: f64 = 17.0;
/// Rows of the PNG drawn at a time: the plot itself and then some, so that
/// the curves are drawn once; below it only the legend goes on.
const BAND_ROWS: u32 = MIN_HEIGHT + 2 * LEGEND_ROW;
/// How far a legend row's or the plot's pixels may reach past its box
/// (text and the 3-pixel lines): a band draws what lies this near it.
const REACH: i32 = 2 * LEGEND_ROW as i32;

/// Okabe and Ito's eight colours (Color Universal Design, 2008), told
/// apart under the common colour-vision deficiencies; the yellow, the
/// weakest on white, comes last.
const COLOURS: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xb2), // blue
    RGBColor(0xe6, 0x9f, 0x00), // orange
    RGBColor(0x00, 0x9e, 0x73), // bluish green
    RGBColor(0xd5, 0x5e, 0x00), // vermillion
    RGBColor(0xcc, 0x79, 0xa7), // reddish purple
    RGBColor(0x56, 0xb4, 0xe9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xf0, 0xe4, 0x42), // yellow
];

/// Line dash patterns: (dash, gap) in pixels; `None` is solid.
const DASHES: [Option<(u32, u32)>; 4] = [None, Some((12, 6)), Some((6, 4)), Some((3, 5))];

/// The style of the `i`-th submission in score order: colours cycle every
/// 8, dashes every 4 and shift by one each colour cycle, so the first 32
/// (colour, dash) pairs are all different (the issue asks for 24) and
/// neighbours differ in both.
pub(crate) fn style_of(i: usize) -> (RGBColor, Option<(u32, u32)>) {
    let colour = COLOURS[i % COLOURS.len()];
    let dash = DASHES[(i + i / COLOURS.len()) % DASHES.len()];
    (colour, dash)
}

/// [`style_of`] for SVG: `#rrggbb` and the dash array.
pub(crate) fn svg_style(i: usize) -> (String, Option<String>) {
    let (c, dash) = style_of(i);
    (
        format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2),
        dash.map(|(d, g)| format!("{d} {g}")),
    )
}

pub(crate) fn register_font() -> std::result::Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

/// One submission's curve: the post-step polyline through (τ_j, ρ_j), with
/// a vertex only where ρ changes.
pub(crate) fn step_points(taus: &[f64], rho: &[f64]) -> Vec<(f64, f64)> {
    let mut pts = Vec::with_capacity(2 * taus.len());
    let (Some(&t0), Some(&r0)) = (taus.first(), rho.first()) else {
        return pts;
    };
    pts.push((t0, r0));
    for j in 1..taus.len().min(rho.len()) {
        if rho[j] != rho[j - 1] {
            pts.push((taus[j], rho[j - 1]));
            pts.push((taus[j], rho[j]));
        }
    }
    let last = taus.len().min(rho.len()) - 1;
    if last > 0 && pts.last() != Some(&(taus[last], rho[last])) {
        pts.push((taus[last], rho[last]));
    }
    pts
}

/// What the plot shows, in legend order (descending score).
pub(crate) struct Curve {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub colour: RGBColor,
    pub dash: Option<(u32, u32)>,
    /// The outline of the curve's band, if it has one ([`band_outline`]).
    pub band: Option<Vec<(f64, f64)>>,
}

/// The polygon between two step curves on the same τ grid: along the
/// upper bound, back along the lower one.
pub(crate) fn band_outline(taus: &[f64], lo: &[f64], hi: &[f64]) -> Vec<(f64, f64)> {
    let mut pts = step_points(taus, hi);
    pts.extend(step_points(taus, lo).into_iter().rev());
    pts
}

fn curves(lb: &Leaderboard) -> Vec<Curve> {
    lb.ranking()
        .into_iter()
        .enumerate()
        .map(|(i, (_, row))| {
            let rho: Vec<f64> = lb.rules.profile.row(row).iter().copied().collect();
            let (colour, dash) = style_of(i);
            Curve {
                label: format!("{} ({:.4})", lb.submissions[row], lb.rules.scores[row]),
                points: step_points(&lb.rules.tau.values, &rho),
                colour,
                dash,
                band: None,
            }
        })
        .collect()
}

/// A τ tick: two decimals, one when the second is 0 (1.0, 1.5, 1.25).
pub(crate) fn tau_label(v: &f64) -> String {
    let s = format!("{v:.2}");
    match s.strip_suffix('0') {
        Some(short) => short.to_string(),
        None => s,
    }
}

pub(crate) fn x_label(spec: &Spec) -> String {
    use crate::spec::lang::{Node, Var};
    match &spec.ratio.node {
        Node::Div(t, d) if **t == Node::Var(Var::CellTime) => match d.as_ref() {
            Node::Var(Var::CellBest) => "Ratio of time to best submission (τ)".into(),
            Node::Reference(i) => format!("Ratio of time to {} (τ)", spec.references[*i]),
            _ => format!("Ratio `{}` (τ)", spec.ratio.text),
        },
        _ => format!("Ratio `{}` (τ)", spec.ratio.text),
    }
}

pub(crate) fn title(spec: &Spec) -> String {
    format!(
        "Performance profiles: {} {} {}",
        spec.name, spec.version, spec.ruleset
    )
}

/// The image height: [`MIN_HEIGHT`], or more when the legend needs it.
pub fn height_for(submissions: usize) -> u32 {
    let legend = LEGEND_TOP as u32 + LEGEND_ROW * submissions as u32 + 40;
    MIN_HEIGHT.max(legend)
}

type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw_curves<DB, X>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, RangedCoordf64>>,
    curves: &[Curve],
) -> DrawResult<DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
{
    // Bands under every line; within them, too, the leaders on top.
    for c in curves.iter().rev() {
        if let Some(outline) = &c.band {
            let fill = c.colour.mix(0.14).filled();
            chart.draw_series(std::iter::once(Polygon::new(outline.clone(), fill)))?;
        }
    }
    // Lowest score first, so the leaders are drawn on top.
    for c in curves.iter().rev() {
        let style = c.colour.stroke_width(3);
        match c.dash {
            None => {
                chart.draw_series(std::iter::once(PathElement::new(c.points.clone(), style)))?;
            }
            Some((dash, gap)) => {
                chart.draw_series(std::iter::once(DashedPathElement::new(
                    c.points.clone(),
                    dash,
                    gap,
                    style,
                )))?;
            }
        }
    }
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[Curve],
    rows: Rows,
) -> DrawResult<DB> {
    let font = ("sans-serif", FONT_SIZE).into_font();
    let header = LEGEND_TOP - 34;
    if rows.near(header, header + LEGEND_ROW as i32) {
        area.draw_text(
            "Submission (score)",
            &font.clone().color(&BLACK),
            (LEGEND_PAD, header),
        )?;
    }
    for (i, c) in curves.iter().enumerate() {
        let y = LEGEND_TOP + (i as u32 * LEGEND_ROW) as i32 + LEGEND_ROW as i32 / 2;
        if !rows.near(y, y) {
            continue;
        }
        let line = [(LEGEND_PAD, y), (LEGEND_PAD + LEGEND_SAMPLE, y)];
        let style = c.colour.stroke_width(3);
        match c.dash {
            None => area.draw(&PathElement::new(line.to_vec(), style))?,
            Some((dash, gap)) => area.draw(&DashedPathElement::new(line, dash, gap, style))?,
        }
        area.draw_text(
            &c.label,
            &font
                .clone()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
            (LEGEND_PAD * 2 + LEGEND_SAMPLE, y),
        )?;
    }
    Ok(())
}

/// The rows of the image a drawing keeps: a band of the PNG, or all.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rows {
    top: i32,
    bottom: i32,
}

impl Rows {
    pub(crate) const ALL: Rows = Rows {
        top: i32::MIN / 2,
        bottom: i32::MAX / 2,
    };

    /// Whether a shape within rows `from..=to` may have a pixel in these
    /// rows ([`REACH`] to spare).
    fn near(self, from: i32, to: i32) -> bool {
        from - REACH < self.bottom && to + REACH >= self.top
    }
}

/// What the plot shows, laid out: the curves in legend order and the
/// legend's width (from its widest label, measured by the backend).
pub(crate) struct Layout {
    curves: Vec<Curve>,
    legend_width: i32,
}

impl Layout {
    fn of<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        lb: &Leaderboard,
    ) -> std::result::Result<Self, DrawingAreaErrorKind<DB::ErrorType>> {
        Self::new(root, curves(lb))
    }

    /// `curves` (legend order) laid out on `root`.
    pub(crate) fn new<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        curves: Vec<Curve>,
    ) -> std::result::Result<Self, DrawingAreaErrorKind<DB::ErrorType>> {
        let font = TextStyle::from(("sans-serif", FONT_SIZE).into_font());
        let widest = curves
            .iter()
            .map(|c| root.estimate_text_size(&c.label, &font).map(|(w, _)| w))
            .try_fold(0u32, |m, w| w.map(|w| m.max(w)))?;
        let legend_width =
            (widest as i32 + LEGEND_SAMPLE + 3 * LEGEND_PAD).clamp(160, WIDTH as i32 / 2);
        Ok(Layout {
            curves,
            legend_width,
        })
    }
}

/// Draws the plot's shapes that may reach `rows` (a band of the PNG, every
/// shape of the SVG).
fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    layout: &Layout,
    spec: &Spec,
    rows: Rows,
) -> DrawResult<DB> {
    draw_profile(&root, spec, layout, &title(spec), rows)?;
    root.present()?;
    Ok(())
}

/// The profile plot laid out in `layout` on `root` (its shapes that may
/// reach `rows`), its legend at the right, `caption` above; not presented.
pub(crate) fn draw_profile<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &Spec,
    layout: &Layout,
    caption: &str,
    rows: Rows,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let curves = &layout.curves;
    let (plot_area, legend_area) = root.split_horizontally(WIDTH as i32 - layout.legend_width);
    // The curves keep the plot's own height when a long legend makes the
    // image taller: were they drawn over the whole height, each curve (and
    // each of its dashes) would grow with the number of submissions, and
    // the image with its square (1,000 submissions made a 96 MB SVG).
    let plot_area = if root.dim_in_pixel().1 > MIN_HEIGHT {
        plot_area.split_vertically(MIN_HEIGHT).0
    } else {
        plot_area
    };
    if rows.near(0, MIN_HEIGHT as i32) {
        draw_plot(&plot_area, curves, spec, caption)?;
    }
    draw_legend(&legend_area, curves, rows)
}

/// The axes, grid and curves, in the plot's own area.
fn draw_plot<DB: DrawingBackend>(
    plot_area: &DrawingArea<DB, Shift>,
    curves: &[Curve],
    spec: &Spec,
    caption: &str,
) -> DrawResult<DB> {
    let mut builder = ChartBuilder::on(plot_area);
    builder
        .caption(caption, ("sans-serif", 22).into_font())
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(72);
    // ρ is a fraction: the axis always spans 0 to 1 (a hair more, so that
    // curves lying on 0 or 1 stay visible off the frame).
    let y_range = -0.02..1.02;
    let (lo, hi) = (spec.tau.min, spec.tau.max);
    let x_desc = x_label(spec);
    let label_font = ("sans-serif", 18).into_font();
    let tick_font = ("sans-serif", 15).into_font();
    match spec.tau.scale {
        TauScale::Linear => {
            let mut chart = builder.build_cartesian_2d(lo..hi, y_range)?;
            chart
                .configure_mesh()
                .x_desc(x_desc)
                .y_desc("Fraction of workloads")
                .axis_desc_style(label_font)
                .label_style(tick_font)
                .y_labels(11)
                .x_labels(13)
                .y_label_formatter(&|v| format!("{v:.1}"))
                .x_label_formatter(&tau_label)
                .light_line_style(WHITE.mix(0.0))
                .bold_line_style(BLACK.mix(0.12))
                .draw()?;
            draw_curves(&mut chart, curves)?;
        }
        TauScale::Log => {
            let mut chart = builder.build_cartesian_2d((lo..hi).log_scale(), y_range)?;
            chart
                .configure_mesh()
                .x_desc(x_desc)
                .y_desc("Fraction of workloads")
                .axis_desc_style(label_font)
                .label_style(tick_font)
                .y_labels(11)
                .y_label_formatter(&|v| format!("{v:.1}"))
                .x_label_formatter(&tau_label)
                .light_line_style(WHITE.mix(0.0))
                .bold_line_style(BLACK.mix(0.12))
                .draw()?;
            draw_curves(&mut chart, curves)?;
        }
    }
    Ok(())
}

/// Renders the plot as SVG text.
pub fn svg(lb: &Leaderboard, spec: &Spec) -> std::result::Result<String, PlotError> {
    register_font()?;
    let height = height_for(lb.submissions.len());
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        let layout = Layout::of(&root, lb).map_err(draw_error)?;
        draw(root, &layout, spec, Rows::ALL).map_err(draw_error)?;
    }
    Ok(out)
}

fn draw_error(e: impl std::fmt::Display) -> PlotError {
    PlotError::Draw(e.to_string())
}

/// Renders the plot as PNG bytes (8-bit RGB), drawn [`BAND_ROWS`] rows at
/// a time (see [`band`]): the same bytes as [`png_whole`].
pub fn png(lb: &Leaderboard, spec: &Spec) -> std::result::Result<Vec<u8>, PlotError> {
    register_font()?;
    let height = height_for(lb.submissions.len());
    let font = ab_glyph::FontRef::try_from_slice(FONT).map_err(PlotError::Glyphs)?;
    let mut layout = None;
    band::encode(WIDTH, height, BAND_ROWS, |rows, pixels| {
        let root = glyphs::Glyphs {
            inner: band::Band::new(pixels, (WIDTH, height), rows.start),
            font: font.clone(),
        }
        .into_drawing_area();
        let layout = match &layout {
            Some(layout) => layout,
            None => layout.insert(Layout::of(&root, lb).map_err(draw_error)?),
        };
        let rows = Rows {
            top: rows.start as i32,
            bottom: rows.end as i32,
        };
        draw(root, layout, spec, rows).map_err(draw_error)
    })
}

/// [`png`] drawn on one buffer of the whole image: what the banded drawing
/// must equal, byte for byte (a test compares them).
pub fn png_whole(lb: &Leaderboard, spec: &Spec) -> std::result::Result<Vec<u8>, PlotError> {
    register_font()?;
    let height = height_for(lb.submissions.len());
    let mut pixels = vec![0u8; WIDTH as usize * height as usize * 3];
    {
        let font = ab_glyph::FontRef::try_from_slice(FONT).map_err(PlotError::Glyphs)?;
        let root = glyphs::Glyphs {
            inner: BitMapBackend::with_buffer(&mut pixels, (WIDTH, height)),
            font,
        }
        .into_drawing_area();
        let layout = Layout::of(&root, lb).map_err(draw_error)?;
        draw(root, &layout, spec, Rows::ALL).map_err(draw_error)?;
    }
    encode_png(&pixels, WIDTH, height)
}

/// 8-bit RGB pixels as PNG bytes: every plot of the engine ends here.
pub(crate) fn encode_png(
    pixels: &[u8],
    width: u32,
    height: u32,
) -> std::result::Result<Vec<u8>, PlotError> {
    let mut bytes = Vec::new();
    {
        let mut encoder = ::png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(::png::ColorType::Rgb);
        encoder.set_depth(::png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(pixels)?;
        writer.finish()?;
    }
    Ok(bytes)
}

/// Both plot files, `(file name, bytes)`, for [`super::files::write_run`].
/// `dir` is only used to name the file in an error.
pub fn files(lb: &Leaderboard, spec: &Spec, dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let fail = |name: &str, source: PlotError| ReportError::Plot {
        path: dir.join(name),
        source,
    };
    let svg = svg(lb, spec).map_err(|e| fail(SVG_FILE, e))?;
    let png = png(lb, spec).map_err(|e| fail(PNG_FILE, e))?;
    Ok(vec![
        (SVG_FILE.to_string(), svg.into_bytes()),
        (PNG_FILE.to_string(), png),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_until_the_next_tau() {
        let taus = [1.0, 2.0, 3.0, 4.0];
        let rho = [0.0, 0.5, 0.5, 1.0];
        assert_eq!(
            step_points(&taus, &rho),
            vec![(1.0, 0.0), (2.0, 0.0), (2.0, 0.5), (4.0, 0.5), (4.0, 1.0)]
        );
        // A flat curve is one segment over the whole grid.
        assert_eq!(
            step_points(&taus, &[0.25; 4]),
            vec![(1.0, 0.25), (4.0, 0.25)]
        );
        assert!(step_points(&[], &[]).is_empty());
    }

    #[test]
    fn styles_differ_for_many_submissions() {
        let mut seen = std::collections::BTreeSet::new();
        // 32 distinct styles: the 24 the issue asks for, and then some.
        for i in 0..32 {
            let (c, d) = style_of(i);
            assert!(seen.insert((c.0, c.1, c.2, d)), "style {i} repeats");
            if i > 0 {
                let (pc, pd) = style_of(i - 1);
                assert!(pc != c && pd != d, "neighbours {i} look alike");
            }
        }
    }
}
