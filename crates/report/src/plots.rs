//! Charts, drawn with plotters to SVG (for the HTML report) or PNG.
//!
//! PNG text is rasterised with the DejaVu Sans font embedded in this crate
//! (`assets/DejaVuSans.ttf`, Bitstream Vera licence) through ab_glyph, so a PNG
//! is the same on every machine. SVG output uses plain `<text>` elements.

use crate::network::NetworkView;
use crate::ReportError;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

/// DejaVu Sans, registered as plotters' `sans-serif`.
pub static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

fn ensure_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            // The font is valid (tested); a failure would only lose text.
            let _ = plotters::style::register_font("sans-serif", style, FONT);
        }
    });
}

/// Colours used across the report.
pub mod colors {
    use plotters::style::RGBColor;
    pub const SIM: RGBColor = RGBColor(31, 119, 180);
    pub const DATA: RGBColor = RGBColor(20, 20, 20);
    pub const OBSERVED: RGBColor = RGBColor(214, 39, 40);
    pub const TRAPPED: RGBColor = RGBColor(127, 127, 127);
    pub const TRANSIT: RGBColor = RGBColor(255, 187, 120);
    pub const DETAINED: RGBColor = RGBColor(148, 103, 189);
    pub const CAMPS: RGBColor = RGBColor(44, 160, 44);
    pub const SHOT: RGBColor = RGBColor(214, 39, 40);
    pub const DROWNED: RGBColor = RGBColor(23, 190, 207);
    pub const CUSTODY: RGBColor = RGBColor(140, 86, 75);
    pub const CONFLICT: RGBColor = RGBColor(214, 39, 40);
    pub const TOWN: RGBColor = RGBColor(120, 120, 120);
    pub const ROUTE: RGBColor = RGBColor(170, 170, 170);
    pub const CLOSED: RGBColor = RGBColor(214, 39, 40);
    pub const PARTLY: RGBColor = RGBColor(255, 127, 14);
    pub const EXIT: RGBColor = RGBColor(44, 160, 44);
    pub const CROSSING: RGBColor = RGBColor(31, 119, 180);
    pub const ALT: RGBColor = RGBColor(255, 127, 14);
}

/// A line over days, optionally with a shaded band.
#[derive(Debug, Clone)]
pub struct Line {
    pub label: String,
    pub color: RGBColor,
    pub values: Vec<f64>,
    /// Lower and upper edge of a band drawn under the line.
    pub band: Option<(Vec<f64>, Vec<f64>)>,
    pub dashed: bool,
}

/// One marker: `(day, value, optional (low, high) whisker)`.
pub type Point = (f64, f64, Option<(f64, f64)>);

/// Observations as markers, optionally with a vertical range each.
#[derive(Debug, Clone)]
pub struct Points {
    pub label: String,
    pub color: RGBColor,
    /// `(day, value, optional (low, high) whisker)`.
    pub points: Vec<Point>,
}

/// Lines and points over days.
#[derive(Debug, Clone)]
pub struct TimeChart {
    pub x: Vec<f64>,
    /// Date of each x (same length), used for axis labels.
    pub dates: Vec<String>,
    pub y_label: String,
    pub lines: Vec<Line>,
    pub points: Vec<Points>,
    /// Where to draw the legend; `None` for no legend.
    pub legend: Option<LegendPos>,
}

/// Corner of the plot that holds a legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendPos {
    UpperLeft,
    UpperRight,
    LowerRight,
}

/// Areas stacked over days (bottom layer first).
#[derive(Debug, Clone)]
pub struct StackedChart {
    pub x: Vec<f64>,
    pub dates: Vec<String>,
    pub y_label: String,
    pub layers: Vec<(String, RGBColor, Vec<f64>)>,
}

/// One bar with an optional range.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub range: Option<(f64, f64)>,
    pub color: RGBColor,
}

/// Bars side by side.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub y_label: String,
    pub bars: Vec<Bar>,
}

/// What a figure shows.
#[derive(Debug, Clone)]
pub enum Chart {
    Time(TimeChart),
    Stacked(StackedChart),
    Bars(BarChart),
    Map(Box<NetworkView>),
}

/// A chart with its size and title.
#[derive(Debug, Clone)]
pub struct Figure {
    /// File-name-safe identifier (`camp-Niamey`, `network`).
    pub id: String,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub chart: Chart,
}

fn anchored(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", size).into_font()).pos(Pos::new(h, v))
}

fn draw_err<E: std::fmt::Display>(e: E) -> ReportError {
    ReportError::Plot(e.to_string())
}

/// A short number for axes: 12,000 → 12k; 1,500,000 → 1.5M.
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        trim(format!("{:.1}", v / 1e6)) + "M"
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e3 {
        trim(format!("{:.1}", v / 1e3)) + "k"
    } else if a >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else {
        trim(format!("{v:.2}"))
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn date_label(dates: &[String], x0: f64, x: f64) -> String {
    let i = (x - x0).round();
    if i < 0.0 {
        return String::new();
    }
    match dates.get(i as usize) {
        // 2016-05-22 -> 22 May 16? keep ISO month-day, with the year on January.
        Some(d) if d.len() >= 10 => {
            let months = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let m: usize = d[5..7].parse().unwrap_or(1);
            let day: u32 = d[8..10].parse().unwrap_or(1);
            format!("{day} {} {}", months[m.clamp(1, 12) - 1], &d[2..4])
        }
        Some(d) => d.clone(),
        None => format!("d{x:.0}"),
    }
}

fn finite_max(vals: impl Iterator<Item = f64>) -> f64 {
    vals.filter(|v| v.is_finite()).fold(0.0, f64::max)
}

impl Figure {
    /// The figure as an SVG document (plain `<text>`), scaled to its container
    /// when embedded in HTML.
    pub fn svg(&self) -> Result<String, ReportError> {
        ensure_font();
        let mut s = String::new();
        {
            let root =
                SVGBackend::with_string(&mut s, (self.width, self.height)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(draw_err)?;
        }
        Ok(s)
    }

    /// The figure as PNG bytes.
    pub fn png(&self) -> Result<Vec<u8>, ReportError> {
        ensure_font();
        let (w, h) = (self.width, self.height);
        let mut buf = vec![0u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(draw_err)?;
        }
        let img = image::RgbImage::from_raw(w, h, buf)
            .ok_or_else(|| ReportError::Plot("bitmap size mismatch".into()))?;
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageOutputFormat::Png)
            .map_err(draw_err)?;
        Ok(out.into_inner())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ReportError> {
        root.fill(&WHITE).map_err(draw_err)?;
        let root = root
            .titled(&self.title, ("sans-serif", 17).into_font().color(&BLACK))
            .map_err(draw_err)?;
        match &self.chart {
            Chart::Time(c) => draw_time(&root, c),
            Chart::Stacked(c) => draw_stacked(&root, c),
            Chart::Bars(c) => draw_bars(&root, c),
            Chart::Map(v) => draw_map(&root, v),
        }
    }
}

type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Axes over days (labelled with dates) and a count from 0 to `ymax`, with the
/// light grid every time chart shares.
fn date_axes<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    x: std::ops::Range<f64>,
    ymax: f64,
    dates: &[String],
    y_label: &str,
) -> Result<Plane<'a, DB>, ReportError> {
    let x0 = x.start;
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .build_cartesian_2d(x, 0.0..ymax)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|x| date_label(dates, x0, *x))
        .y_label_formatter(&|y| short_number(*y))
        .y_desc(y_label)
        .label_style(("sans-serif", 12))
        .axis_desc_style(("sans-serif", 12))
        .draw()
        .map_err(draw_err)?;
    Ok(chart)
}

/// The legend box, in the same style on every chart.
fn draw_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plane<'a, DB>,
    position: SeriesLabelPosition,
) -> Result<(), ReportError> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(draw_err)
}

fn draw_time<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &TimeChart,
) -> Result<(), ReportError> {
    let x0 = c.x.first().copied().unwrap_or(0.0);
    let x1 = c.x.last().copied().unwrap_or(1.0).max(x0 + 1.0);
    let ymax = finite_max(
        c.lines
            .iter()
            .flat_map(|l| {
                l.values
                    .iter()
                    .chain(l.band.iter().flat_map(|b| b.1.iter()))
                    .copied()
            })
            .chain(
                c.points
                    .iter()
                    .flat_map(|p| p.points.iter().map(|q| q.2.map_or(q.1, |r| r.1.max(q.1)))),
            ),
    );
    let ymax = if ymax <= 0.0 { 1.0 } else { ymax * 1.08 };
    let mut chart = date_axes(root, x0..x1, ymax, &c.dates, &c.y_label)?;
    for l in &c.lines {
        if let Some((lo, hi)) = &l.band {
            let mut poly: Vec<(f64, f64)> = c.x.iter().copied().zip(hi.iter().copied()).collect();
            poly.extend(c.x.iter().copied().zip(lo.iter().copied()).rev());
            poly.retain(|p| p.1.is_finite());
            chart
                .draw_series(std::iter::once(Polygon::new(
                    poly,
                    l.color.mix(0.18).filled(),
                )))
                .map_err(draw_err)?;
        }
    }
    for l in &c.lines {
        let pts: Vec<(f64, f64)> =
            c.x.iter()
                .copied()
                .zip(l.values.iter().copied())
                .filter(|p| p.1.is_finite())
                .collect();
        let style = l.color.stroke_width(2);
        let color = l.color;
        let anno = if l.dashed {
            chart
                .draw_series(DashedLineSeries::new(pts, 6, 4, style))
                .map_err(draw_err)?
        } else {
            chart
                .draw_series(LineSeries::new(pts, style))
                .map_err(draw_err)?
        };
        if l.band.is_some() {
            anno.label(l.label.as_str()).legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 16, y + 5)], color.mix(0.3).filled())
            });
        } else {
            anno.label(l.label.as_str()).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
        }
    }
    for p in &c.points {
        let color = p.color;
        for &(x, _, r) in &p.points {
            if let Some((lo, hi)) = r {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x, lo), (x, hi)],
                        color.stroke_width(2),
                    )))
                    .map_err(draw_err)?;
            }
        }
        chart
            .draw_series(
                p.points
                    .iter()
                    .map(|&(x, y, _)| Circle::new((x, y), 4, color.filled())),
            )
            .map_err(draw_err)?
            .label(p.label.as_str())
            .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.filled()));
    }
    if let Some(pos) = c.legend {
        draw_legend(
            &mut chart,
            match pos {
                LegendPos::UpperLeft => SeriesLabelPosition::UpperLeft,
                LegendPos::UpperRight => SeriesLabelPosition::UpperRight,
                LegendPos::LowerRight => SeriesLabelPosition::LowerRight,
            },
        )?;
    }
    Ok(())
}

fn draw_stacked<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &StackedChart,
) -> Result<(), ReportError> {
    let n = c.x.len();
    let mut tops: Vec<Vec<f64>> = Vec::new();
    let mut acc = vec![0.0; n];
    for (_, _, v) in &c.layers {
        for (a, x) in acc.iter_mut().zip(v) {
            *a += x.max(0.0);
        }
        tops.push(acc.clone());
    }
    let ymax = finite_max(acc.iter().copied()).max(1.0) * 1.04;
    let x0 = c.x.first().copied().unwrap_or(0.0);
    let x1 = c.x.last().copied().unwrap_or(1.0).max(x0 + 1.0);
    let mut chart = date_axes(root, x0..x1, ymax, &c.dates, &c.y_label)?;
    let zero = vec![0.0; n];
    for (k, (label, color, _)) in c.layers.iter().enumerate() {
        let lower = if k == 0 { &zero } else { &tops[k - 1] };
        let upper = &tops[k];
        let mut poly: Vec<(f64, f64)> = c.x.iter().copied().zip(upper.iter().copied()).collect();
        poly.extend(c.x.iter().copied().zip(lower.iter().copied()).rev());
        let color = *color;
        chart
            .draw_series(std::iter::once(Polygon::new(
                poly,
                color.mix(0.85).filled(),
            )))
            .map_err(draw_err)?
            .label(label.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], color.filled()));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &BarChart,
) -> Result<(), ReportError> {
    let n = c.bars.len().max(1);
    let ymax = finite_max(
        c.bars
            .iter()
            .map(|b| b.range.map_or(b.value, |r| r.1.max(b.value))),
    );
    let ymax = if ymax <= 0.0 { 1.0 } else { ymax * 1.12 };
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0.0..ymax)
        .map_err(draw_err)?;
    let labels: Vec<String> = c.bars.iter().map(|b| b.label.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|y| short_number(*y))
        .y_desc(c.y_label.as_str())
        .label_style(("sans-serif", 12))
        .axis_desc_style(("sans-serif", 12))
        .draw()
        .map_err(draw_err)?;
    for (i, b) in c.bars.iter().enumerate() {
        let x = i as f64;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x - 0.32, 0.0), (x + 0.32, b.value.max(0.0))],
                b.color.mix(0.85).filled(),
            )))
            .map_err(draw_err)?;
        if let Some((lo, hi)) = b.range {
            let s = BLACK.stroke_width(2);
            chart
                .draw_series([
                    PathElement::new(vec![(x, lo), (x, hi)], s),
                    PathElement::new(vec![(x - 0.08, lo), (x + 0.08, lo)], s),
                    PathElement::new(vec![(x - 0.08, hi), (x + 0.08, hi)], s),
                ])
                .map_err(draw_err)?;
        }
        let top = b.range.map_or(b.value, |r| r.1.max(b.value));
        chart
            .draw_series(std::iter::once(Text::new(
                crate::validation::fmt_count(b.value),
                (x, top + ymax * 0.02),
                anchored(12, HPos::Center, VPos::Bottom),
            )))
            .map_err(draw_err)?;
    }
    // Category labels under the axis.
    let area = chart.plotting_area();
    let (ox, oy) = root.get_base_pixel();
    let (px0, px1) = {
        let r = area.get_pixel_range().0;
        (r.start - ox, r.end - ox)
    };
    let py1 = area.get_pixel_range().1.end - oy;
    let step = (px1 - px0) as f64 / n as f64;
    for (i, l) in labels.iter().enumerate() {
        let x = px0 + (step * (i as f64 + 0.5)) as i32;
        root.draw(&Text::new(
            l.clone(),
            (x, py1 + 6),
            anchored(12, HPos::Center, VPos::Top),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}

/// Width of the map's legend strip.
const LEGEND_WIDTH: u32 = 230;

/// Height in pixels that keeps a map of `view` undistorted at `width`.
pub fn map_height(view: &NetworkView, width: u32) -> u32 {
    let (lon0, lon1, lat0, lat1) = bounds(view);
    let mid = ((lat0 + lat1) / 2.0).to_radians().cos().max(0.2);
    let ratio = (lat1 - lat0) / ((lon1 - lon0) * mid);
    let plot = width.saturating_sub(LEGEND_WIDTH + 60) as f64;
    let h = (plot * ratio) as u32 + 70;
    h.clamp(width * 2 / 5, width * 5 / 4)
}

fn bounds(view: &NetworkView) -> (f64, f64, f64, f64) {
    let lons = view.locations.iter().map(|l| l.lon);
    let lats = view.locations.iter().map(|l| l.lat);
    let (mut lon0, mut lon1) = lons.fold((f64::MAX, f64::MIN), |a, x| (a.0.min(x), a.1.max(x)));
    let (mut lat0, mut lat1) = lats.fold((f64::MAX, f64::MIN), |a, x| (a.0.min(x), a.1.max(x)));
    if !(lon0.is_finite() && lat0.is_finite()) || view.locations.is_empty() {
        return (0.0, 1.0, 0.0, 1.0);
    }
    let pad_lon = ((lon1 - lon0) * 0.08).max(0.02);
    let pad_lat = ((lat1 - lat0) * 0.08).max(0.02);
    lon0 -= pad_lon;
    lon1 += pad_lon * 2.0; // room for labels on the right
    lat0 -= pad_lat;
    lat1 += pad_lat;
    (lon0, lon1, lat0, lat1)
}

fn draw_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    v: &NetworkView,
) -> Result<(), ReportError> {
    let (lon0, lon1, lat0, lat1) = bounds(v);
    let (w, _) = root.dim_in_pixel();
    let (plot, side) = root.split_horizontally(w.saturating_sub(LEGEND_WIDTH));
    let root = &plot;
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(44)
        .build_cartesian_2d(lon0..lon1, lat0..lat1)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(242, 242, 242))
        .bold_line_style(RGBColor(225, 225, 225))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|x| format!("{:.1}°{}", x.abs(), if *x < 0.0 { 'W' } else { 'E' }))
        .y_label_formatter(&|y| format!("{:.1}°{}", y.abs(), if *y < 0.0 { 'S' } else { 'N' }))
        .label_style(("sans-serif", 11))
        .draw()
        .map_err(draw_err)?;
    // Routes: open grey, closed red dashed, partly closed orange dashed;
    // siege exits green, crossings blue.
    for r in &v.routes {
        let a = &v.locations[r.from_index];
        let b = &v.locations[r.to_index];
        let pts = vec![(a.lon, a.lat), (b.lon, b.lat)];
        let (color, width, dashed) = match (r.siege_role, r.closed_throughout(), r.closed_any()) {
            (Some("crossing"), _, _) => (colors::CROSSING, 3, true),
            (Some("exit"), _, _) => (colors::EXIT, 3, false),
            (_, true, _) => (colors::CLOSED, 2, true),
            (_, false, true) => (colors::PARTLY, 2, true),
            _ => (colors::ROUTE, 2, false),
        };
        let style = color.stroke_width(width);
        if dashed {
            chart
                .draw_series(DashedLineSeries::new(pts, 5, 4, style))
                .map_err(draw_err)?;
        } else {
            chart
                .draw_series(LineSeries::new(pts, style))
                .map_err(draw_err)?;
        }
    }
    let max_size = v
        .locations
        .iter()
        .filter_map(|l| l.final_mean.or(l.capacity.map(|c| c as f64)))
        .fold(0.0, f64::max)
        .max(1.0);
    let label_all = v.locations.len() <= 40;
    for l in &v.locations {
        let p = (l.lon, l.lat);
        let mut label =
            l.kind != "marker" && (label_all || l.is_camp() || l.kind == "conflict_zone");
        let radius: i32 = if l.is_camp() {
            let size = l.final_mean.or(l.capacity.map(|c| c as f64)).unwrap_or(0.0);
            (4.0 + 18.0 * (size / max_size).sqrt()) as i32
        } else {
            4
        };
        if l.is_camp() {
            chart
                .draw_series([
                    Circle::new(p, radius, colors::SIM.mix(0.45).filled()),
                    Circle::new(p, radius, colors::SIM.stroke_width(2)),
                ])
                .map_err(draw_err)?;
        } else if l.held {
            chart
                .draw_series([
                    TriangleMarker::new(p, 8, colors::CONFLICT.filled()),
                    TriangleMarker::new(p, 8, BLACK.stroke_width(1)),
                ])
                .map_err(draw_err)?;
        } else if l.kind == "conflict_zone" {
            chart
                .draw_series(std::iter::once(TriangleMarker::new(
                    p,
                    7,
                    colors::CONFLICT.mix(0.8).filled(),
                )))
                .map_err(draw_err)?;
        } else if l.kind == "marker" {
            chart
                .draw_series(std::iter::once(Circle::new(p, 2, colors::TOWN.filled())))
                .map_err(draw_err)?;
            label = false;
        } else {
            chart
                .draw_series(std::iter::once(Circle::new(p, 3, colors::TOWN.filled())))
                .map_err(draw_err)?;
        }
        if label {
            let (px, py) = chart.backend_coord(&p);
            let (ox, oy) = root.get_base_pixel();
            let (px, py) = (px - ox, py - oy);
            root.draw(&Text::new(
                l.name.replace('_', " "),
                (px + radius + 3, py),
                anchored(11, HPos::Left, VPos::Center),
            ))
            .map_err(draw_err)?;
        }
    }
    // Legend in the strip on the right.
    let root = &side;
    let (x, mut y) = (16, 40);
    let mut entries: Vec<(&str, RGBColor, u8)> = vec![
        ("camp (circle area =", colors::SIM, 0),
        ("  people at the end)", WHITE, 9),
        ("conflict zone", colors::CONFLICT, 1),
    ];
    if v.locations.iter().any(|l| l.held) {
        entries.push(("held (besieged) place", BLACK, 5));
    }
    entries.push(("town", colors::TOWN, 2));
    entries.push(("route", colors::ROUTE, 3));
    if v.routes
        .iter()
        .any(|r| r.closed_any() && !r.closed_throughout())
    {
        entries.push(("closed part of the time", colors::PARTLY, 4));
    }
    if v.routes.iter().any(|r| r.closed_throughout()) {
        entries.push(("closed throughout", colors::CLOSED, 4));
    }
    if v.routes.iter().any(|r| r.siege_role == Some("exit")) {
        entries.push(("exit from a held place", colors::EXIT, 3));
    }
    if v.routes.iter().any(|r| r.siege_role == Some("crossing")) {
        entries.push(("river crossing", colors::CROSSING, 4));
    }
    let h = entries.len() as i32 * 18 + 8;
    root.draw(&Rectangle::new(
        [(x - 6, y - 10), (x + LEGEND_WIDTH as i32 - 24, y - 10 + h)],
        RGBColor(200, 200, 200).stroke_width(1),
    ))
    .map_err(draw_err)?;
    for (label, color, shape) in entries {
        match shape {
            0 => root.draw(&Circle::new((x + 8, y), 6, color.mix(0.5).filled())),
            9 => Ok(()),
            5 => {
                root.draw(&TriangleMarker::new(
                    (x + 8, y),
                    8,
                    colors::CONFLICT.filled(),
                ))
                .and_then(|_| root.draw(&TriangleMarker::new((x + 8, y), 8, color.stroke_width(1))))
            }
            1 => root.draw(&TriangleMarker::new((x + 8, y), 7, color.filled())),
            2 => root.draw(&Circle::new((x + 8, y), 3, color.filled())),
            3 => root.draw(&PathElement::new(
                vec![(x, y), (x + 16, y)],
                color.stroke_width(3),
            )),
            _ => {
                root.draw(&PathElement::new(
                    vec![(x, y), (x + 6, y)],
                    color.stroke_width(3),
                ))
                .map_err(draw_err)?;
                root.draw(&PathElement::new(
                    vec![(x + 10, y), (x + 16, y)],
                    color.stroke_width(3),
                ))
            }
        }
        .map_err(draw_err)?;
        root.draw(&Text::new(
            label,
            (x + 24, y),
            anchored(11, HPos::Left, VPos::Center),
        ))
        .map_err(draw_err)?;
        y += 18;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Figure {
        Figure {
            id: "t".into(),
            title: "Test".into(),
            width: 400,
            height: 260,
            chart: Chart::Time(TimeChart {
                x: vec![0.0, 1.0, 2.0],
                dates: vec![
                    "2012-03-01".into(),
                    "2012-03-02".into(),
                    "2012-03-03".into(),
                ],
                y_label: "people".into(),
                lines: vec![Line {
                    label: "sim".into(),
                    color: colors::SIM,
                    values: vec![1.0, 5.0, 9.0],
                    band: Some((vec![0.0, 4.0, 7.0], vec![2.0, 6.0, 11.0])),
                    dashed: false,
                }],
                points: vec![Points {
                    label: "obs".into(),
                    color: colors::OBSERVED,
                    points: vec![(1.0, 4.0, None)],
                }],
                legend: Some(LegendPos::UpperLeft),
            }),
        }
    }

    #[test]
    fn svg_and_png_render_and_are_deterministic() {
        let f = chart();
        let svg = f.svg().unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<text") && svg.contains("Test"));
        let png = f.png().unwrap();
        assert_eq!(&png[1..4], b"PNG");
        assert_eq!(png, f.png().unwrap());
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short_number(0.0), "0");
        assert_eq!(short_number(1500.0), "1.5k");
        assert_eq!(short_number(80000.0), "80k");
        assert_eq!(short_number(2_500_000.0), "2.5M");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(
            date_label(&["2016-05-22".to_string()], 0.0, 0.0),
            "22 May 16"
        );
    }
}
