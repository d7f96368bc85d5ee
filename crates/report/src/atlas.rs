//! Country outlines for the report's map: Natural Earth 1:50m admin-0 countries
//! from the vendored `world-atlas` TopoJSON (`assets/world-atlas/`, ISC; data
//! public domain), decoded here so the page embeds only what its frame shows.

use serde_json::Value;

/// The vendored TopoJSON (756 kB in the binary, a few kB in a page).
const COUNTRIES_50M: &str = include_str!("../assets/world-atlas/countries-50m.json");

/// A country's outline, as rings of `[lon, lat]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// Natural Earth's English name ("Iraq").
    pub name: String,
    /// Every ring of every polygon (outer rings and holes alike: drawn with
    /// the even-odd rule).
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// A frame in degrees: `(lon0, lon1, lat0, lat1)`.
pub type Frame = (f64, f64, f64, f64);

fn overlaps(ring: &[[f64; 2]], f: Frame) -> bool {
    let (mut a, mut b, mut c, mut d) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in ring {
        a = a.min(p[0]);
        b = b.max(p[0]);
        c = c.min(p[1]);
        d = d.max(p[1]);
    }
    a <= f.1 && b >= f.0 && c <= f.3 && d >= f.2
}

/// The countries with a ring that reaches into `frame`, with only those rings.
/// Deterministic: in the order of the TopoJSON file.
pub fn countries_in(frame: Frame) -> Vec<Country> {
    let Ok(topo) = serde_json::from_str::<Value>(COUNTRIES_50M) else {
        return Vec::new();
    };
    let arcs = decode_arcs(&topo);
    let ring_of = |refs: &Value| -> Vec<[f64; 2]> {
        let mut ring: Vec<[f64; 2]> = Vec::new();
        for r in refs.as_array().into_iter().flatten() {
            let Some(i) = r.as_i64() else { continue };
            // A negative index is the one's complement of an arc drawn backwards.
            let (idx, rev) = if i < 0 {
                ((!i) as usize, true)
            } else {
                (i as usize, false)
            };
            let Some(arc) = arcs.get(idx) else { continue };
            let pts: Vec<[f64; 2]> = if rev {
                arc.iter().rev().copied().collect()
            } else {
                arc.clone()
            };
            // Consecutive arcs share their end point.
            let skip = usize::from(!ring.is_empty());
            ring.extend(pts.into_iter().skip(skip));
        }
        ring
    };
    let mut out = Vec::new();
    let geoms = &topo["objects"]["countries"]["geometries"];
    for g in geoms.as_array().into_iter().flatten() {
        let polygons: Vec<&Value> = match g["type"].as_str() {
            Some("Polygon") => vec![&g["arcs"]],
            Some("MultiPolygon") => g["arcs"].as_array().into_iter().flatten().collect(),
            _ => continue,
        };
        let rings: Vec<Vec<[f64; 2]>> = polygons
            .iter()
            .flat_map(|p| p.as_array().into_iter().flatten())
            .map(ring_of)
            .filter(|r| r.len() > 2 && overlaps(r, frame))
            .collect();
        if !rings.is_empty() {
            out.push(Country {
                name: g["properties"]["name"].as_str().unwrap_or("").to_string(),
                rings,
            });
        }
    }
    out
}

/// TopoJSON arcs: quantized, delta-encoded positions → `[lon, lat]`.
fn decode_arcs(topo: &Value) -> Vec<Vec<[f64; 2]>> {
    let t = &topo["transform"];
    let s = |v: &Value, i: usize, d: f64| v.get(i).and_then(Value::as_f64).unwrap_or(d);
    let (sx, sy) = (s(&t["scale"], 0, 1.0), s(&t["scale"], 1, 1.0));
    let (tx, ty) = (s(&t["translate"], 0, 0.0), s(&t["translate"], 1, 0.0));
    topo["arcs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    x += s(p, 0, 0.0);
                    y += s(p, 1, 0.0);
                    [x * sx + tx, y * sy + ty]
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iraq_and_its_neighbours_are_found_around_fallujah() {
        let c = countries_in((42.0, 45.0, 32.0, 34.5));
        let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
        assert!(names.contains(&"Iraq"), "{names:?}");
        assert!(!names.contains(&"Mali"), "{names:?}");
        let iraq = c.iter().find(|c| c.name == "Iraq").unwrap();
        // Iraq lies within 38.7–48.6 E, 29.0–37.4 N.
        for p in iraq.rings.iter().flatten() {
            assert!(
                (38.0..49.0).contains(&p[0]) && (28.5..38.0).contains(&p[1]),
                "{p:?}"
            );
        }
    }

    #[test]
    fn mali_borders_its_neighbours() {
        let c = countries_in((-12.0, 5.0, 10.0, 25.0));
        for n in ["Mali", "Niger", "Burkina Faso", "Mauritania"] {
            assert!(c.iter().any(|c| c.name == n), "{n} missing");
        }
    }
}
