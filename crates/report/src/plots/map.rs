//! The route network drawn as a map: locations by kind, routes, closures.

use crate::network::NetworkView;
use crate::ReportError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{anchored, colors, draw_err};

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

pub(super) fn draw_map<DB: DrawingBackend>(
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
