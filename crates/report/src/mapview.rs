//! The report page's map: country borders (Natural Earth), the scenario's own
//! layers (rivers, front lines, held areas), the routes, symbols sized by the
//! people they stand for, labels placed without overlap ([`crate::labels`]) and
//! a scale bar, as one SVG that the page's script pans and zooms.

use crate::atlas::{countries_in, Frame};
use crate::geography::{GeoKind, Geography};
use crate::labels::{place_labels, symbol_box, LabelRequest, PlacedLabel, Rect, Segment};
use crate::network::{MapLocation, NetworkView};
use std::fmt::Write;

/// Width of the map in SVG units (pixels at 100 %).
pub const MAP_WIDTH: f64 = 1100.0;
const MAX_HEIGHT: f64 = 760.0;
const MARGIN: f64 = 12.0;
/// The largest symbol's radius.
const MAX_R: f64 = 18.0;

/// A location's symbol on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapSymbol {
    /// Index of the location in the network.
    pub index: usize,
    /// Centre in pixels.
    pub x: f64,
    pub y: f64,
    /// Radius in pixels.
    pub r: f64,
    /// `held`, `camp`, `conflict` or `place`.
    pub class: &'static str,
    /// The people the size stands for, when it stands for any.
    pub people: Option<f64>,
}

/// Everything placed on the map, in pixels.
#[derive(Debug, Clone)]
pub struct MapLayout {
    /// Size of the SVG in pixels at 100 %.
    pub width: f64,
    pub height: f64,
    /// One symbol per location, in network order.
    pub symbols: Vec<MapSymbol>,
    /// Label requests: one per location, then one per country name.
    pub requests: Vec<LabelRequest>,
    /// The labels placed (boxes pairwise disjoint and clear of every symbol).
    pub labels: Vec<PlacedLabel>,
    /// Labels that found no free place (named on hover only).
    pub dropped: Vec<String>,
    countries: Vec<crate::atlas::Country>,
    proj: Proj,
}

impl MapLayout {
    /// Lays out the map of `view` with the scenario's `geography`, if any.
    pub fn new(view: &NetworkView, geography: Option<&Geography>) -> MapLayout {
        let frame = bounds(&view.locations);
        let (lon0, lon1, lat0, lat1) = frame;
        let cos = ((lat0 + lat1) / 2.0).to_radians().cos().max(0.2);
        let k = ((MAP_WIDTH - 2.0 * MARGIN) / ((lon1 - lon0) * cos))
            .min((MAX_HEIGHT - 2.0 * MARGIN) / (lat1 - lat0));
        let width = MAP_WIDTH;
        let height = ((lat1 - lat0) * k + 2.0 * MARGIN).round();
        // Centre the frame horizontally when the height limited the scale.
        let x_off = (width - (lon1 - lon0) * cos * k) / 2.0;
        let proj = Proj {
            lon0,
            lat1,
            kx: k * cos,
            k,
            x_off,
            y_off: MARGIN,
        };
        let people = |l: &MapLocation| -> Option<f64> {
            if l.is_camp() {
                l.final_mean
            } else if l.held {
                l.population.map(|p| p as f64)
            } else {
                None
            }
        };
        let max_people = view
            .locations
            .iter()
            .filter_map(people)
            .fold(0.0f64, f64::max);
        let symbols: Vec<MapSymbol> = view
            .locations
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (x, y) = proj.xy(l.lon, l.lat);
                let p = people(l);
                let class = if l.held {
                    "held"
                } else if l.is_camp() {
                    "camp"
                } else if l.kind == "conflict_zone" {
                    "conflict"
                } else {
                    "place"
                };
                let r = match p {
                    // Area proportional to people.
                    Some(v) if max_people > 0.0 => 3.0 + (MAX_R - 3.0) * (v / max_people).sqrt(),
                    _ if class == "conflict" => 4.5,
                    _ => 3.0,
                };
                MapSymbol {
                    index: i,
                    x,
                    y,
                    r,
                    class,
                    people: p,
                }
            })
            .collect();
        let mut requests: Vec<LabelRequest> = symbols
            .iter()
            .map(|s| {
                let l = &view.locations[s.index];
                let rank = match s.class {
                    "held" => 4e9,
                    "camp" => 3e9,
                    "conflict" => 2e9,
                    _ => 1e9,
                };
                LabelRequest {
                    text: l.name.replace('_', " "),
                    x: s.x,
                    y: s.y,
                    r: s.r,
                    size: 12.0,
                    priority: rank + s.people.or(l.population.map(|p| p as f64)).unwrap_or(0.0),
                    centred: false,
                }
            })
            .collect();
        let countries = countries_in(frame);
        for c in &countries {
            // The country's name at the middle of its vertices inside the frame.
            let inside: Vec<(f64, f64)> = c
                .rings
                .iter()
                .flatten()
                .filter(|p| (lon0..lon1).contains(&p[0]) && (lat0..lat1).contains(&p[1]))
                .map(|p| proj.xy(p[0], p[1]))
                .collect();
            let (x, y) = if inside.len() >= 3 {
                let n = inside.len() as f64;
                (
                    inside.iter().map(|p| p.0).sum::<f64>() / n,
                    inside.iter().map(|p| p.1).sum::<f64>() / n,
                )
            } else if view_inside_country(c, frame) {
                (width / 2.0, height * 0.12)
            } else {
                continue;
            };
            requests.push(LabelRequest {
                text: c.name.to_uppercase(),
                x,
                y,
                r: 0.0,
                size: 13.0,
                priority: -1.0,
                centred: true,
            });
        }
        let boxes: Vec<Rect> = symbols.iter().map(|s| symbol_box(s.x, s.y, s.r)).collect();
        let mut lines: Vec<Segment> = view
            .routes
            .iter()
            .map(|r| {
                let (a, b) = (&symbols[r.from_index], &symbols[r.to_index]);
                ((a.x, a.y), (b.x, b.y))
            })
            .collect();
        for f in geography.map(|g| g.features.as_slice()).unwrap_or(&[]) {
            for part in &f.parts {
                for w in part.windows(2) {
                    lines.push((proj.xy(w[0][0], w[0][1]), proj.xy(w[1][0], w[1][1])));
                }
            }
        }
        // The scale bar's corner is kept free too.
        let mut obstacles = boxes.clone();
        obstacles.push(scale_bar_box(height));
        let frame_px = Rect {
            x0: 2.0,
            y0: 2.0,
            x1: width - 2.0,
            y1: height - 2.0,
        };
        let labels = place_labels(&requests, &obstacles, &lines, frame_px);
        let dropped = (0..view.locations.len())
            .filter(|i| !labels.iter().any(|p| p.index == *i))
            .map(|i| requests[i].text.clone())
            .collect();
        MapLayout {
            width,
            height,
            symbols,
            requests,
            labels,
            dropped,
            countries,
            proj,
        }
    }

    /// The symbols' boxes (what no label may cover).
    pub fn symbol_boxes(&self) -> Vec<Rect> {
        self.symbols
            .iter()
            .map(|s| symbol_box(s.x, s.y, s.r))
            .collect()
    }

    /// Kilometres per pixel (at the frame's middle latitude).
    pub fn km_per_px(&self) -> f64 {
        111.32 / self.proj.k
    }

    /// The map as SVG; `hover` texts per location come from the caller.
    pub fn svg(&self, view: &NetworkView, geography: Option<&Geography>) -> String {
        let p = &self.proj;
        let (w, h) = (self.width, self.height);
        let mut s = String::with_capacity(64 * 1024);
        let _ = write!(
            s,
            "<svg viewBox=\"0 0 {w} {h}\" id=\"map-svg\" class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Map of {}\" data-km-per-px=\"{:.5}\">",
            esc(&view.name),
            self.km_per_px()
        );
        let _ = write!(
            s,
            "<rect class=\"sea\" x=\"-{w}\" y=\"-{h}\" width=\"{}\" height=\"{}\"/>",
            3.0 * w,
            3.0 * h
        );
        s.push_str("<g class=\"countries\">");
        for c in &self.countries {
            let _ = write!(s, "<path d=\"");
            for ring in &c.rings {
                path_points(&mut s, ring.iter().map(|q| p.xy(q[0], q[1])), true);
            }
            let _ = write!(s, "\"><title>{}</title></path>", esc(&c.name));
        }
        s.push_str("</g><g class=\"geography\">");
        for f in geography.map(|g| g.features.as_slice()).unwrap_or(&[]) {
            let closed = f.kind == GeoKind::HeldArea;
            let _ = write!(s, "<path class=\"geo-{}\" d=\"", f.kind.name());
            for part in &f.parts {
                path_points(&mut s, part.iter().map(|q| p.xy(q[0], q[1])), closed);
            }
            let title = [f.kind.legend(), &f.name, &f.note]
                .iter()
                .filter(|t| !t.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ");
            let _ = write!(s, "\"><title>{}</title></path>", esc(&title));
        }
        s.push_str("</g><g class=\"routes\">");
        for r in &view.routes {
            let (a, b) = (&self.symbols[r.from_index], &self.symbols[r.to_index]);
            let class = route_class(r);
            let _ = write!(
                s,
                "<line class=\"route-{class}\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"><title>{} – {}, {} km{}</title></line>",
                a.x, a.y, b.x, b.y,
                esc(&r.from.replace('_', " ")),
                esc(&r.to.replace('_', " ")),
                r.distance_km,
                r.siege_role.map(|x| format!(" ({x})")).unwrap_or_default()
            );
        }
        s.push_str("</g><g class=\"symbols\">");
        // Big symbols first so small ones stay visible on top.
        let mut order: Vec<&MapSymbol> = self.symbols.iter().collect();
        order.sort_by(|a, b| b.r.total_cmp(&a.r).then(a.index.cmp(&b.index)));
        for m in order {
            let l = &view.locations[m.index];
            let info = hover_text(l, m);
            let _ = write!(
                s,
                "<circle class=\"sym-{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" data-info=\"{}\"><title>{}</title></circle>",
                m.class, m.x, m.y, m.r, esc(&info), esc(&info)
            );
        }
        s.push_str("</g><g class=\"labels\">");
        for lab in &self.labels {
            let q = &self.requests[lab.index];
            if let Some((a, b)) = lab.leader {
                let _ = write!(
                    s,
                    "<line class=\"leader\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
                    a.0, a.1, b.0, b.1
                );
            }
            let class = if q.centred { "country" } else { "place" };
            let _ = write!(
                s,
                "<text class=\"lab-{class}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\" data-box=\"{:.1} {:.1} {:.1} {:.1}\">{}</text>",
                lab.tx, lab.ty, lab.anchor, lab.rect.x0, lab.rect.y0, lab.rect.x1, lab.rect.y1, esc(&q.text)
            );
        }
        s.push_str("</g>");
        self.scale_bar_svg(&mut s);
        s.push_str("</svg>");
        s
    }

    /// The scale bar: a round number of kilometres about a sixth of the width.
    pub fn scale_bar(&self) -> ScaleBar {
        let km_px = self.km_per_px();
        let target = km_px * self.width / 6.0;
        let nice = [1.0, 2.0, 5.0]
            .iter()
            .flat_map(|m| (-1..5).map(move |e| m * 10f64.powi(e)))
            .filter(|v| *v <= target)
            .fold(0.0f64, f64::max)
            .max(0.1);
        let len = nice / km_px;
        let b = scale_bar_box(self.height);
        let label = if nice >= 1.0 {
            format!("{nice:.0} km")
        } else {
            format!("{nice} km")
        };
        ScaleBar {
            rect: Rect {
                x0: b.x0,
                y0: b.y0,
                x1: b.x0 + (len + 16.0).max(b.x1 - b.x0),
                y1: b.y1,
            },
            x: b.x0 + 8.0,
            y: b.y1 - 10.0,
            len,
            label,
        }
    }

    /// Pixel position of a point given in degrees.
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        self.proj.xy(lon, lat)
    }

    /// The countries drawn (their rings that reach into the frame), in degrees.
    pub fn countries(&self) -> &[crate::atlas::Country] {
        &self.countries
    }

    fn scale_bar_svg(&self, s: &mut String) {
        let ScaleBar {
            rect: b,
            x,
            y,
            len,
            label,
        } = self.scale_bar();
        let _ = write!(
            s,
            "<g class=\"scalebar\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/><path d=\"M{x:.1} {:.1}V{y:.1}H{:.1}V{:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text></g>",
            b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0,
            y - 5.0, x + len, y - 5.0, x + len / 2.0, y - 8.0
        );
    }
}

/// The scale bar of a map, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleBar {
    /// The white box behind it.
    pub rect: Rect,
    /// Left end of the bar and its baseline.
    pub x: f64,
    pub y: f64,
    /// Length of the bar.
    pub len: f64,
    /// "20 km".
    pub label: String,
}

/// The style class of a route: its siege role, else `closed` (both ways, every
/// day), `closed-some` or `road`.
pub fn route_class(r: &crate::network::MapRoute) -> &'static str {
    match r.siege_role {
        Some(role) => role,
        None if r.closed_throughout() => "closed",
        None if r.closed_any() => "closed-some",
        None => "road",
    }
}

/// The bottom-left corner the scale bar takes.
fn scale_bar_box(height: f64) -> Rect {
    Rect {
        x0: 6.0,
        y0: height - 40.0,
        x1: 200.0,
        y1: height - 6.0,
    }
}

fn view_inside_country(c: &crate::atlas::Country, f: Frame) -> bool {
    // The frame's centre inside one of the country's rings (even-odd).
    let (x, y) = ((f.0 + f.1) / 2.0, (f.2 + f.3) / 2.0);
    c.rings.iter().any(|ring| {
        let mut inside = false;
        for i in 0..ring.len() {
            let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
            if (a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0] {
                inside = !inside;
            }
        }
        inside
    })
}

fn hover_text(l: &MapLocation, m: &MapSymbol) -> String {
    let name = l.name.replace('_', " ");
    let kind = if l.held {
        "held (besieged) place".to_string()
    } else {
        l.kind.replace('_', " ")
    };
    let mut t = format!("{name} — {kind}");
    match (m.class, m.people) {
        ("camp", Some(p)) => {
            let _ = write!(t, "; {} people at the end (mean)", fmt_people(p));
        }
        ("held", Some(p)) => {
            let _ = write!(t, "; {} people inside at the start", fmt_people(p));
        }
        _ => {
            if let Some(p) = l.population.filter(|p| *p > 0) {
                let _ = write!(t, "; population {}", fmt_people(p as f64));
            }
        }
    }
    if let Some(c) = l.capacity {
        let _ = write!(t, "; capacity {}", fmt_people(c as f64));
    }
    t
}

fn fmt_people(x: f64) -> String {
    crate::validation::fmt_count(x)
}

#[derive(Debug, Clone)]
struct Proj {
    lon0: f64,
    lat1: f64,
    kx: f64,
    k: f64,
    x_off: f64,
    y_off: f64,
}

impl Proj {
    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.x_off + (lon - self.lon0) * self.kx,
            self.y_off + (self.lat1 - lat) * self.k,
        )
    }
}

/// Appends `M x y L …` with integer-ish precision, dropping repeated points.
fn path_points(s: &mut String, pts: impl Iterator<Item = (f64, f64)>, close: bool) {
    let mut last: Option<(i64, i64)> = None;
    let mut first = true;
    for (x, y) in pts {
        let q = ((x * 2.0).round() as i64, (y * 2.0).round() as i64);
        if last == Some(q) {
            continue;
        }
        last = Some(q);
        let _ = write!(
            s,
            "{}{} {}",
            if first { "M" } else { "L" },
            q.0 as f64 / 2.0,
            q.1 as f64 / 2.0
        );
        first = false;
    }
    if close && !first {
        s.push('Z');
    }
}

fn bounds(locations: &[MapLocation]) -> Frame {
    let (mut lon0, mut lon1, mut lat0, mut lat1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for l in locations {
        lon0 = lon0.min(l.lon);
        lon1 = lon1.max(l.lon);
        lat0 = lat0.min(l.lat);
        lat1 = lat1.max(l.lat);
    }
    if !(lon0.is_finite() && lat0.is_finite()) || locations.is_empty() {
        return (0.0, 1.0, 0.0, 1.0);
    }
    // Room around the outermost places for their symbols and labels.
    let pad_lon = ((lon1 - lon0) * 0.12).max(0.05);
    let pad_lat = ((lat1 - lat0) * 0.12).max(0.05);
    (
        lon0 - pad_lon,
        lon1 + pad_lon,
        lat0 - pad_lat,
        lat1 + pad_lat,
    )
}

/// Escapes text for SVG/HTML.
pub(crate) fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
