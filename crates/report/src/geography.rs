//! A scenario's own map layers: rivers, front lines and held areas, read from
//! the optional `geography.geojson` beside `scenario.yml` (documented in
//! `docs/scenario-format.md`, "Map layers"). Drawn under the route network.

use crate::ReportError;
use serde_json::Value;
use std::path::Path;

/// The file name looked for beside `scenario.yml`.
pub const GEOGRAPHY_FILE: &str = "geography.geojson";

/// What a feature shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoKind {
    /// `river`: a line.
    River,
    FrontLine,
    HeldArea,
    Road,
}

impl GeoKind {
    const NAMES: [(&'static str, GeoKind); 4] = [
        ("river", GeoKind::River),
        ("front_line", GeoKind::FrontLine),
        ("held_area", GeoKind::HeldArea),
        ("road", GeoKind::Road),
    ];

    /// The `kind` property's value.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |n| n.0)
    }

    /// Words for the legend.
    pub fn legend(self) -> &'static str {
        match self {
            GeoKind::River => "river",
            GeoKind::FrontLine => "front line",
            GeoKind::HeldArea => "held area",
            GeoKind::Road => "road",
        }
    }
}

/// One feature: lines (rivers, front lines, roads) or rings (held areas).
#[derive(Debug, Clone, PartialEq)]
pub struct GeoFeature {
    /// The `kind` property.
    pub kind: GeoKind,
    /// The `name` property (may be empty).
    pub name: String,
    /// Free text shown on hover (a date, a source, "\[EST\]").
    pub note: String,
    /// Polylines or polygon rings of `[lon, lat]`.
    pub parts: Vec<Vec<[f64; 2]>>,
}

/// The layers of one scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Geography {
    /// The features in file order.
    pub features: Vec<GeoFeature>,
    /// Where they were read from.
    pub source: String,
}

impl Geography {
    /// Reads `geography.geojson` from a scenario folder (or the folder of a
    /// `scenario.yml`); `Ok(None)` when the scenario has none.
    pub fn beside(scenario: &Path) -> Result<Option<Geography>, ReportError> {
        let dir = if scenario.is_dir() {
            scenario
        } else {
            scenario.parent().unwrap_or(Path::new("."))
        };
        let path = dir.join(GEOGRAPHY_FILE);
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).map_err(|e| ReportError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        Geography::parse(&text, &path.display().to_string()).map(Some)
    }

    /// Parses a GeoJSON FeatureCollection; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Geography, ReportError> {
        let err = |message: String, hint: &str| ReportError::Input {
            path: path.to_string(),
            message,
            hint: hint.to_string(),
        };
        let v: Value = serde_json::from_str(text).map_err(|e| {
            err(
                format!("line {}: not valid JSON: {e}", e.line()),
                "the file must be a GeoJSON FeatureCollection",
            )
        })?;
        if v["type"] != "FeatureCollection" {
            return Err(err(
                format!("type is {}, not \"FeatureCollection\"", v["type"]),
                "write {\"type\": \"FeatureCollection\", \"features\": [...]}",
            ));
        }
        let kinds = GeoKind::NAMES
            .iter()
            .map(|n| n.0)
            .collect::<Vec<_>>()
            .join(", ");
        let mut features = Vec::new();
        for (i, f) in v["features"].as_array().into_iter().flatten().enumerate() {
            let p = &f["properties"];
            let kind_text = p["kind"].as_str().unwrap_or("");
            let Some(kind) = GeoKind::NAMES
                .iter()
                .find(|n| n.0 == kind_text)
                .map(|n| n.1)
            else {
                return Err(err(
                    format!(
                        "features[{i}].properties.kind: {} is not a known kind",
                        p["kind"]
                    ),
                    &format!("one of {kinds}"),
                ));
            };
            let g = &f["geometry"];
            let pos = |c: &Value| -> Option<[f64; 2]> {
                let (lon, lat) = (c.get(0)?.as_f64()?, c.get(1)?.as_f64()?);
                ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat))
                    .then_some([lon, lat])
            };
            let line =
                |l: &Value| -> Option<Vec<[f64; 2]>> { l.as_array()?.iter().map(pos).collect() };
            let lines = |ls: &Value| -> Option<Vec<Vec<[f64; 2]>>> {
                ls.as_array()?.iter().map(line).collect()
            };
            let c = &g["coordinates"];
            let want_area = kind == GeoKind::HeldArea;
            let parts = match (g["type"].as_str(), want_area) {
                (Some("LineString"), false) => line(c).map(|l| vec![l]),
                (Some("MultiLineString"), false) | (Some("Polygon"), true) => lines(c),
                (Some("MultiPolygon"), true) => c
                    .as_array()
                    .and_then(|ps| ps.iter().map(lines).collect::<Option<Vec<_>>>())
                    .map(|v| v.into_iter().flatten().collect()),
                (t, _) => {
                    return Err(err(
                        format!(
                            "features[{i}].geometry.type: {t:?} does not suit kind {kind_text}"
                        ),
                        if want_area {
                            "a held area is a Polygon or MultiPolygon"
                        } else {
                            "rivers, front lines and roads are LineString or MultiLineString"
                        },
                    ))
                }
            };
            let Some(parts) = parts.filter(|p| p.iter().all(|l| l.len() >= 2)) else {
                return Err(err(
                    format!("features[{i}].geometry.coordinates: not a list of [lon, lat] positions (each line at least 2)"),
                    "positions are [longitude, latitude] in degrees (RFC 7946)",
                ));
            };
            features.push(GeoFeature {
                kind,
                name: p["name"].as_str().unwrap_or("").to_string(),
                note: p["note"].as_str().unwrap_or("").to_string(),
                parts,
            });
        }
        Ok(Geography {
            features,
            source: path.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rivers_and_held_areas_and_rejects_unknown_kinds() {
        let ok = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"kind":"river","name":"Euphrates"},
           "geometry":{"type":"LineString","coordinates":[[43.6,33.4],[43.8,33.3]]}},
          {"type":"Feature","properties":{"kind":"held_area","note":"[EST]"},
           "geometry":{"type":"Polygon","coordinates":[[[43.7,33.3],[43.8,33.3],[43.8,33.4],[43.7,33.3]]]}}]}"#;
        let g = Geography::parse(ok, "g.geojson").unwrap();
        assert_eq!(g.features.len(), 2);
        assert_eq!(g.features[0].kind, GeoKind::River);
        assert_eq!(g.features[1].parts[0].len(), 4);
        let bad = ok.replace("\"river\"", "\"lake\"");
        let e = Geography::parse(&bad, "g.geojson").unwrap_err().to_string();
        assert!(
            e.contains("features[0].properties.kind") && e.contains("front_line"),
            "{e}"
        );
        let bad = ok.replace("\"LineString\"", "\"Polygon\"");
        let e = Geography::parse(&bad, "g.geojson").unwrap_err().to_string();
        assert!(e.contains("features[0].geometry.type"), "{e}");
    }
}
