//! The exported map (`network.png`/`network.svg`): the page's [`MapLayout`]
//! (borders, the scenario's layers, routes, sized symbols, the same placed
//! labels and scale bar) drawn with plotters, with a legend strip on the right.
//! The layout is computed once, in [`crate::mapview`]; this is only a renderer.

use crate::geography::{GeoKind, Geography};
use crate::labels::Rect;
use crate::mapview::{route_class, MapLayout};
use crate::network::NetworkView;
use crate::ReportError;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{anchored, draw_err};

/// Width of the map's legend strip.
pub const LEGEND_WIDTH: u32 = 230;
/// Height of the figure's title line above the map.
const TITLE_HEIGHT: u32 = 34;

/// What the exported map draws: the network, its laid-out map and the
/// scenario's own layers.
#[derive(Debug, Clone)]
pub struct MapFigure {
    pub view: NetworkView,
    pub layout: MapLayout,
    pub geography: Option<Geography>,
}

impl MapFigure {
    /// The figure's size in pixels: the map at 100 %, the legend and the title.
    pub fn size(&self) -> (u32, u32) {
        (
            self.layout.width.ceil() as u32 + LEGEND_WIDTH,
            self.layout.height.ceil() as u32 + TITLE_HEIGHT,
        )
    }
}

const SEA: RGBColor = RGBColor(0xdf, 0xea, 0xf3);
const LAND: RGBColor = RGBColor(0xf4, 0xf1, 0xea);
const BORDER: RGBColor = RGBColor(0x9a, 0x8f, 0x80);
const HELD: RGBColor = RGBColor(0xd6, 0x27, 0x28);
const CAMP: RGBColor = RGBColor(0x2c, 0x9a, 0x2c);
const CONFLICT: RGBColor = RGBColor(0xff, 0x7f, 0x0e);
const PLACE: RGBColor = RGBColor(0x5f, 0x6b, 0x73);
const INK: RGBColor = RGBColor(0x1d, 0x23, 0x27);
const COUNTRY_INK: RGBColor = RGBColor(0x8c, 0x82, 0x76);

/// Colour, width and dash (`None`: solid) of a route class, as on the page.
fn route_style(class: &str) -> (RGBColor, u32, Option<(u32, u32)>) {
    match class {
        "exit" => (RGBColor(0xd6, 0x27, 0x28), 3, None),
        "checkpoint" => (RGBColor(0xe8, 0x87, 0x1e), 2, None),
        "crossing" => (RGBColor(0x1f, 0x6f, 0xd1), 3, Some((5, 3))),
        "closed" => (RGBColor(0x9a, 0xa5, 0xad), 1, Some((2, 3))),
        "closed-some" => (RGBColor(0x7d, 0x8a, 0x96), 1, Some((6, 3))),
        _ => (RGBColor(0x7d, 0x8a, 0x96), 1, None),
    }
}

/// Colour, width and dash of a layer of the scenario's geography.
fn geo_style(kind: GeoKind) -> (RGBColor, u32, Option<(u32, u32)>) {
    match kind {
        GeoKind::River => (RGBColor(0x5b, 0x9b, 0xd5), 3, None),
        GeoKind::FrontLine => (RGBColor(0xb0, 0x2a, 0x2a), 2, Some((8, 4))),
        GeoKind::HeldArea => (HELD, 1, None),
        GeoKind::Road => (RGBColor(0xb9, 0xa3, 0x7a), 1, None),
    }
}

fn px(p: (f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

/// Clips a segment to `r` (Liang–Barsky); `None` when it misses.
fn clip(r: &Rect, a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r.x0),
        (dx, r.x1 - a.0),
        (-dy, a.1 - r.y0),
        (dy, r.y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
        if t0 > t1 {
            return None;
        }
    }
    Some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// Clips a polygon to `r` (Sutherland–Hodgman), so fills stay on the map.
fn clip_polygon(r: &Rect, ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
    type Inside = fn(&Rect, (f64, f64)) -> bool;
    type Cut = fn(&Rect, (f64, f64), (f64, f64)) -> (f64, f64);
    let edges: [(Inside, Cut); 4] = [
        (
            |r, p| p.0 >= r.x0,
            |r, a, b| (r.x0, a.1 + (b.1 - a.1) * (r.x0 - a.0) / (b.0 - a.0)),
        ),
        (
            |r, p| p.0 <= r.x1,
            |r, a, b| (r.x1, a.1 + (b.1 - a.1) * (r.x1 - a.0) / (b.0 - a.0)),
        ),
        (
            |r, p| p.1 >= r.y0,
            |r, a, b| (a.0 + (b.0 - a.0) * (r.y0 - a.1) / (b.1 - a.1), r.y0),
        ),
        (
            |r, p| p.1 <= r.y1,
            |r, a, b| (a.0 + (b.0 - a.0) * (r.y1 - a.1) / (b.1 - a.1), r.y1),
        ),
    ];
    let mut out: Vec<(f64, f64)> = ring.to_vec();
    for (inside, cut) in edges {
        let input = std::mem::take(&mut out);
        for (k, &b) in input.iter().enumerate() {
            let a = input[(k + input.len() - 1) % input.len()];
            match (inside(r, a), inside(r, b)) {
                (true, true) => out.push(b),
                (true, false) => out.push(cut(r, a, b)),
                (false, true) => {
                    out.push(cut(r, a, b));
                    out.push(b);
                }
                (false, false) => {}
            }
        }
    }
    out
}

/// Draws the line `pts` clipped to `frame`, solid or dashed.
fn stroke<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    frame: &Rect,
    pts: &[(f64, f64)],
    (color, width, dash): (RGBColor, u32, Option<(u32, u32)>),
) -> Result<(), ReportError> {
    let style = color.stroke_width(width);
    for w in pts.windows(2) {
        let Some((a, b)) = clip(frame, w[0], w[1]) else {
            continue;
        };
        let seg = vec![px(a), px(b)];
        match dash {
            Some((on, off)) => area.draw(&DashedPathElement::new(seg, on, off, style)),
            None => area.draw(&PathElement::new(seg, style)),
        }
        .map_err(draw_err)?;
    }
    Ok(())
}

pub(super) fn draw_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &MapFigure,
) -> Result<(), ReportError> {
    let (w, _) = root.dim_in_pixel();
    let (area, side) = root.split_horizontally(w.saturating_sub(LEGEND_WIDTH));
    let (l, v) = (&m.layout, &m.view);
    let frame = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: l.width,
        y1: l.height,
    };
    let corner = (l.width.round() as i32, l.height.round() as i32);
    area.draw(&Rectangle::new([(0, 0), corner], SEA.filled()))
        .map_err(draw_err)?;
    // Countries: land, then their borders.
    let project = |ring: &[[f64; 2]]| -> Vec<(f64, f64)> {
        ring.iter().map(|q| l.project(q[0], q[1])).collect()
    };
    let countries: Vec<Vec<(f64, f64)>> = l
        .countries()
        .iter()
        .flat_map(|c| c.rings.iter().map(|r| project(r)))
        .collect();
    for ring in &countries {
        let clipped = clip_polygon(&frame, ring);
        if clipped.len() >= 3 {
            let pts: Vec<(i32, i32)> = clipped.into_iter().map(px).collect();
            area.draw(&Polygon::new(pts, LAND.filled()))
                .map_err(draw_err)?;
        }
    }
    for ring in &countries {
        let mut closed = ring.clone();
        closed.extend(ring.first().copied());
        stroke(&area, &frame, &closed, (BORDER, 1, None))?;
    }
    // The scenario's layers: held areas shaded, then lines.
    for f in m.geography.iter().flat_map(|g| &g.features) {
        for part in &f.parts {
            let mut pts = project(part);
            if f.kind == GeoKind::HeldArea {
                let clipped = clip_polygon(&frame, &pts);
                if clipped.len() >= 3 {
                    let poly: Vec<(i32, i32)> = clipped.into_iter().map(px).collect();
                    area.draw(&Polygon::new(poly, HELD.mix(0.12).filled()))
                        .map_err(draw_err)?;
                }
                pts.extend(pts.first().copied());
                stroke(&area, &frame, &pts, (RGBColor(0xea, 0x93, 0x93), 1, None))?;
            } else {
                stroke(&area, &frame, &pts, geo_style(f.kind))?;
            }
        }
    }
    // Routes as straight lines between their places.
    for r in &v.routes {
        let (a, b) = (&l.symbols[r.from_index], &l.symbols[r.to_index]);
        stroke(
            &area,
            &frame,
            &[(a.x, a.y), (b.x, b.y)],
            route_style(route_class(r)),
        )?;
    }
    // Symbols, big ones first so small ones stay visible on top.
    let mut order: Vec<_> = l.symbols.iter().collect();
    order.sort_by(|a, b| b.r.total_cmp(&a.r).then(a.index.cmp(&b.index)));
    for s in order {
        let (fill, edge, alpha) = match s.class {
            "held" => (HELD, Some(RGBColor(0x7a, 0x10, 0x10)), 0.75),
            "camp" => (CAMP, Some(RGBColor(0x1b, 0x5e, 0x1b)), 0.75),
            "conflict" => (CONFLICT, Some(RGBColor(0x8a, 0x43, 0x00)), 1.0),
            _ => (PLACE, None, 1.0),
        };
        let c = px((s.x, s.y));
        let r = s.r.round().max(1.0) as i32;
        area.draw(&Circle::new(c, r, fill.mix(alpha).filled()))
            .map_err(draw_err)?;
        if let Some(e) = edge {
            area.draw(&Circle::new(c, r, e.stroke_width(1)))
                .map_err(draw_err)?;
        }
    }
    // Labels where the layout placed them (boxes disjoint, clear of symbols).
    for p in &l.labels {
        let q = &l.requests[p.index];
        if let Some((a, b)) = p.leader {
            area.draw(&PathElement::new(vec![px(a), px(b)], PLACE.stroke_width(1)))
                .map_err(draw_err)?;
        }
        let h = match p.anchor {
            "start" => HPos::Left,
            "end" => HPos::Right,
            _ => HPos::Center,
        };
        let color = if q.centred { COUNTRY_INK } else { INK };
        // plotters draws a font of size s at s / 1.24 px (its point convention):
        // scaled so the text is as large as on the page and as the layout assumed.
        let size = (q.size * 1.24).round() as u32;
        let style = anchored(size, h, VPos::Center).color(&color);
        let y = (p.rect.y0 + p.rect.y1) / 2.0;
        area.draw(&Text::new(q.text.clone(), px((p.tx, y)), style))
            .map_err(draw_err)?;
    }
    // The scale bar.
    let sb = l.scale_bar();
    area.draw(&Rectangle::new(
        [px((sb.rect.x0, sb.rect.y0)), px((sb.rect.x1, sb.rect.y1))],
        WHITE.mix(0.8).filled(),
    ))
    .map_err(draw_err)?;
    let (x, y) = (sb.x, sb.y);
    area.draw(&PathElement::new(
        vec![
            px((x, y - 5.0)),
            px((x, y)),
            px((x + sb.len, y)),
            px((x + sb.len, y - 5.0)),
        ],
        INK.stroke_width(2),
    ))
    .map_err(draw_err)?;
    area.draw(&Text::new(
        sb.label,
        px((x + sb.len / 2.0, y - 8.0)),
        anchored(12, HPos::Center, VPos::Bottom),
    ))
    .map_err(draw_err)?;
    area.draw(&Rectangle::new([(0, 0), corner], BORDER.stroke_width(1)))
        .map_err(draw_err)?;
    draw_legend(&side, m)
}

/// The legend strip: symbol kinds and the route and layer styles present.
fn draw_legend<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    m: &MapFigure,
) -> Result<(), ReportError> {
    let v = &m.view;
    enum Key {
        Dot(RGBColor, i32),
        Line((RGBColor, u32, Option<(u32, u32)>)),
    }
    let mut entries: Vec<(&str, Key)> = Vec::new();
    if v.locations.iter().any(|l| l.held) {
        entries.push(("held (besieged) place,", Key::Dot(HELD, 8)));
        entries.push(("  area ∝ people inside at the start", Key::Dot(WHITE, 0)));
    }
    if v.locations.iter().any(|l| l.is_camp()) {
        entries.push(("camp, area ∝ people in it", Key::Dot(CAMP, 8)));
        entries.push(("  on the last day (mean)", Key::Dot(WHITE, 0)));
    }
    if v.locations
        .iter()
        .any(|l| !l.held && l.kind == "conflict_zone")
    {
        entries.push(("conflict zone", Key::Dot(CONFLICT, 5)));
    }
    entries.push(("other place", Key::Dot(PLACE, 3)));
    entries.push(("route (straight line)", Key::Line(route_style("road"))));
    for (class, label) in [
        ("exit", "exit from a held place"),
        ("checkpoint", "checkpoint on a road"),
        ("crossing", "river crossing"),
        ("closed", "closed throughout the run"),
        ("closed-some", "closed on some days"),
    ] {
        if v.routes.iter().any(|r| route_class(r) == class) {
            entries.push((label, Key::Line(route_style(class))));
        }
    }
    for kind in [
        GeoKind::River,
        GeoKind::FrontLine,
        GeoKind::HeldArea,
        GeoKind::Road,
    ] {
        if m.geography
            .iter()
            .any(|g| g.features.iter().any(|f| f.kind == kind))
        {
            entries.push((kind.legend(), Key::Line(geo_style(kind))));
        }
    }
    entries.push(("country border", Key::Line((BORDER, 1, None))));
    let (x, mut y) = (16, 20);
    let h = entries.len() as i32 * 18 + 8;
    side.draw(&Rectangle::new(
        [(x - 6, y - 10), (x + LEGEND_WIDTH as i32 - 24, y - 10 + h)],
        RGBColor(200, 200, 200).stroke_width(1),
    ))
    .map_err(draw_err)?;
    for (label, key) in entries {
        match key {
            Key::Dot(_, 0) => {}
            Key::Dot(c, r) => {
                side.draw(&Circle::new((x + 8, y), r, c.mix(0.8).filled()))
                    .map_err(draw_err)?;
            }
            Key::Line((c, width, dash)) => {
                let seg = vec![(x, y), (x + 18, y)];
                match dash {
                    Some((on, off)) => {
                        side.draw(&DashedPathElement::new(seg, on, off, c.stroke_width(width)))
                    }
                    None => side.draw(&PathElement::new(seg, c.stroke_width(width))),
                }
                .map_err(draw_err)?;
            }
        }
        side.draw(&Text::new(
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

    #[test]
    fn polygons_and_segments_are_clipped_to_the_map() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        let big = [(-5.0, -5.0), (15.0, -5.0), (15.0, 15.0), (-5.0, 15.0)];
        let c = clip_polygon(&r, &big);
        assert!(c
            .iter()
            .all(|p| r.x0 <= p.0 && p.0 <= r.x1 && r.y0 <= p.1 && p.1 <= r.y1));
        assert_eq!(c.len(), 4);
        assert_eq!(
            clip(&r, (-5.0, 5.0), (15.0, 5.0)),
            Some(((0.0, 5.0), (10.0, 5.0)))
        );
        assert_eq!(clip(&r, (-5.0, 15.0), (15.0, 12.0)), None);
    }
}
