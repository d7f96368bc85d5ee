//! Time series, stacked areas and bar charts on plotters drawing areas.

use crate::ReportError;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    anchored, date_label, draw_err, finite_max, short_number, BarChart, LegendPos, StackedChart,
    TimeChart,
};

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

pub(super) fn draw_time<DB: DrawingBackend>(
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
    let (legend_at, ymax) = legend_corner(root.dim_in_pixel(), c, x0..x1, ymax);
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
    if let Some(pos) = legend_at {
        draw_legend(&mut chart, pos)?;
    }
    Ok(())
}

/// Where the legend covers no curve: the preferred corner if it is empty,
/// else another empty corner, else an upper corner over headroom added above
/// the data. Returns the corner (None without a legend) and the y maximum.
fn legend_corner(
    (w, h): (u32, u32),
    c: &TimeChart,
    x: std::ops::Range<f64>,
    ymax: f64,
) -> (Option<SeriesLabelPosition>, f64) {
    let Some(pref) = c.legend else {
        return (None, ymax);
    };
    let entries = c.lines.len() + c.points.len();
    let longest = c
        .lines
        .iter()
        .map(|l| l.label.chars().count())
        .chain(c.points.iter().map(|p| p.label.chars().count()))
        .max()
        .unwrap_or(0);
    // The legend box as fractions of the plot (12 px font, 24 px per entry
    // as plotters lays it out, a margin of 10 px).
    let plot_w = (w as f64 - 76.0).max(1.0);
    let plot_h = (h as f64 - 52.0).max(1.0);
    let fw = ((longest as f64 * 7.0 + 60.0) / plot_w).min(1.0);
    let fh = ((entries as f64 * 24.0 + 20.0) / plot_h).min(0.9);
    let span = (x.end - x.start).max(1e-9);
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for l in &c.lines {
        let band = l.band.iter().flat_map(|(lo, hi)| lo.iter().chain(hi));
        for (i, v) in l.values.iter().enumerate() {
            pts.push((c.x.get(i).copied().unwrap_or(0.0), *v));
        }
        for (i, v) in band.enumerate() {
            pts.push((c.x.get(i % c.x.len().max(1)).copied().unwrap_or(0.0), *v));
        }
    }
    for p in &c.points {
        pts.extend(p.points.iter().map(|q| (q.0, q.2.map_or(q.1, |r| r.1))));
    }
    let covered = |left: bool, upper: bool| {
        pts.iter().any(|&(px, py)| {
            let fx = (px - x.start) / span;
            let fy = py / ymax;
            let in_x = if left { fx <= fw } else { fx >= 1.0 - fw };
            let in_y = if upper { fy >= 1.0 - fh } else { fy <= fh };
            py.is_finite() && in_x && in_y
        })
    };
    let corner = |p: LegendPos| match p {
        LegendPos::UpperLeft => (true, true, SeriesLabelPosition::UpperLeft),
        LegendPos::UpperRight => (false, true, SeriesLabelPosition::UpperRight),
        LegendPos::LowerRight => (false, false, SeriesLabelPosition::LowerRight),
    };
    let order = [
        pref,
        LegendPos::UpperLeft,
        LegendPos::UpperRight,
        LegendPos::LowerRight,
    ];
    for p in order {
        let (left, upper, pos) = corner(p);
        if !covered(left, upper) {
            return (Some(pos), ymax);
        }
    }
    // Room above the data for the legend.
    let (_, _, pos) = corner(match pref {
        LegendPos::LowerRight => LegendPos::UpperRight,
        p => p,
    });
    (Some(pos), ymax / (1.0 - fh).max(0.3))
}

pub(super) fn draw_stacked<DB: DrawingBackend>(
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
    // The legend sits in a strip right of the plot: a stacked chart fills
    // its whole height, so no corner is free.
    let (w, _) = root.dim_in_pixel();
    let strip = 190u32.min(w / 3);
    let (plot, side) = root.split_horizontally(w - strip);
    let mut chart = date_axes(&plot, x0..x1, ymax, &c.dates, &c.y_label)?;
    for (k, (label, color, _)) in c.layers.iter().enumerate().rev() {
        // Top layer first, as the areas stack.
        let y = 16 + 22 * (c.layers.len() - 1 - k) as i32;
        side.draw(&Rectangle::new(
            [(4, y - 6), (20, y + 6)],
            color.mix(0.85).filled(),
        ))
        .map_err(draw_err)?;
        side.draw(&Text::new(
            label.as_str(),
            (26, y),
            anchored(12, HPos::Left, VPos::Center),
        ))
        .map_err(draw_err)?;
    }
    let zero = vec![0.0; n];
    for (k, (_, color, _)) in c.layers.iter().enumerate() {
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
            .map_err(draw_err)?;
    }
    Ok(())
}

pub(super) fn draw_bars<DB: DrawingBackend>(
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
