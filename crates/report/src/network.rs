//! The route network as a map: locations with coordinates, type, population or
//! capacity and (when known) how many people ended in each camp; routes with
//! their distance, the days each direction was closed, and their siege role.
//! Exported as GeoJSON for GIS users ([`NetworkView::geojson`]).

use corridor_engine::Simulation;
use corridor_model::{LocationKind, Scenario};
use serde::Serialize;
use serde_json::{json, Value};

/// Which routes are closed on each simulated day, read from the engine's
/// network after each step (closures.csv, siege blockades, interventions).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClosureRecord {
    /// Per day, per route: bit 0 = `from → to` closed, bit 1 = `to → from` closed.
    pub days: Vec<Vec<u8>>,
}

impl ClosureRecord {
    /// Records today's state; call after each [`Simulation::step`].
    pub fn record(&mut self, sim: &Simulation) {
        let sc = sim.scenario();
        let net = sim.network();
        let mut open = vec![0u8; sc.routes.len()];
        for slots in net.slots() {
            for slot in slots.iter().filter(|s| s.active) {
                let link = &net.links[slot.link as usize];
                let r = link.route as usize;
                let Some(route) = sc.routes.get(r) else {
                    continue;
                };
                open[r] |= if link.from == route.from { 1 } else { 2 };
            }
        }
        self.days.push(open.iter().map(|o| !o & 3).collect());
    }

    /// Runs a whole simulation only to record its closures.
    pub fn of_run(sim: &mut Simulation) -> Result<ClosureRecord, corridor_engine::EngineError> {
        let mut rec = ClosureRecord::default();
        while sim
            .step(&mut corridor_engine::events::NoObserver)?
            .is_some()
        {
            rec.record(sim);
        }
        Ok(rec)
    }
}

/// A location on the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapLocation {
    pub name: String,
    /// `camp`, `idp_camp`, `conflict_zone`, `town`, `forward_hub`, `marker`, `flood_zone` or `other`.
    pub kind: &'static str,
    /// The type as written in locations.csv.
    pub location_type: String,
    pub region: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// Population (non-camps) from locations.csv, before `hasten`.
    pub population: Option<i64>,
    /// Capacity (camps) from locations.csv, before `hasten`; `None` when unlimited.
    pub capacity: Option<i64>,
    pub conflict_date: i64,
    /// A held (besieged) place of a siege scenario.
    pub held: bool,
    /// People (or agents) in the camp on the last day: ensemble mean, when known.
    pub final_mean: Option<f64>,
    pub final_p5: Option<f64>,
    pub final_p95: Option<f64>,
}

impl MapLocation {
    pub fn is_camp(&self) -> bool {
        matches!(self.kind, "camp" | "idp_camp")
    }
}

/// A route on the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapRoute {
    pub from: String,
    pub to: String,
    #[serde(skip)]
    pub from_index: usize,
    #[serde(skip)]
    pub to_index: usize,
    pub distance_km: f64,
    pub forced_redirection: u8,
    /// `exit` (a way out of a held place), `checkpoint` (an exit on an ordinary
    /// road), `crossing` (a river crossing), or `None`.
    pub siege_role: Option<&'static str>,
    /// Closed periods `[first day, last day]` of `from → to`.
    pub closed_forward: Vec<[i64; 2]>,
    /// Closed periods of `to → from`.
    pub closed_backward: Vec<[i64; 2]>,
    /// Days simulated (the span the periods refer to); 0 when not recorded.
    pub days: i64,
}

impl MapRoute {
    /// Closed in some direction on some day.
    pub fn closed_any(&self) -> bool {
        !self.closed_forward.is_empty() || !self.closed_backward.is_empty()
    }

    /// Closed both ways on every day.
    pub fn closed_throughout(&self) -> bool {
        let whole = |p: &[[i64; 2]]| p.len() == 1 && p[0] == [0, self.days - 1];
        self.days > 0 && whole(&self.closed_forward) && whole(&self.closed_backward)
    }

    /// Closed in some direction on day `t`.
    pub fn closed_on(&self, t: i64) -> bool {
        self.closed_forward
            .iter()
            .chain(&self.closed_backward)
            .any(|p| p[0] <= t && t <= p[1])
    }
}

/// The network of a scenario, ready to draw or export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkView {
    pub name: String,
    pub start_date: String,
    pub locations: Vec<MapLocation>,
    pub routes: Vec<MapRoute>,
    /// Whether closures were recorded from a run.
    pub closures_recorded: bool,
}

fn kind_name(k: LocationKind) -> &'static str {
    match k {
        LocationKind::Camp => "camp",
        LocationKind::IdpCamp => "idp_camp",
        LocationKind::Conflict => "conflict_zone",
        LocationKind::Forward => "forward_hub",
        LocationKind::Marker => "marker",
        LocationKind::FloodZone => "flood_zone",
        LocationKind::Town => "town",
        LocationKind::Other => "other",
    }
}

fn periods(days: &[Vec<u8>], route: usize, bit: u8) -> Vec<[i64; 2]> {
    let mut out = Vec::new();
    let mut start: Option<i64> = None;
    for (t, d) in days.iter().enumerate() {
        let closed = d.get(route).is_some_and(|b| b & bit != 0);
        match (closed, start) {
            (true, None) => start = Some(t as i64),
            (false, Some(s)) => {
                out.push([s, t as i64 - 1]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push([s, days.len() as i64 - 1]);
    }
    out
}

impl NetworkView {
    /// The network of `scenario`, with closures if recorded.
    pub fn new(scenario: &Scenario, closures: Option<&ClosureRecord>) -> NetworkView {
        let held: Vec<bool> = (0..scenario.locations.len())
            .map(|i| {
                scenario
                    .siege
                    .as_ref()
                    .is_some_and(|s| s.holds.iter().any(|h| h.location as usize == i))
            })
            .collect();
        let locations = scenario
            .locations
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let camp = l.kind.is_camp();
                MapLocation {
                    name: l.name.clone(),
                    kind: kind_name(l.kind),
                    location_type: l.raw_type.clone(),
                    region: l.region.clone(),
                    country: l.country.clone(),
                    lat: l.lat,
                    lon: l.lon,
                    population: (!camp).then_some(l.pop_or_capacity),
                    capacity: (camp && l.pop_or_capacity > 0).then_some(l.pop_or_capacity),
                    conflict_date: l.conflict_date,
                    held: held[i],
                    final_mean: None,
                    final_p5: None,
                    final_p95: None,
                }
            })
            .collect();
        let siege = scenario.siege.as_ref();
        let role = |a: u32, b: u32| -> Option<&'static str> {
            let s = siege?;
            let pair = |x: u32, y: u32| (x == a && y == b) || (x == b && y == a);
            if s.crossings.iter().any(|c| pair(c.from, c.to)) {
                return Some("crossing");
            }
            let e = s.exits.iter().find(|e| pair(e.from, e.to))?;
            Some(if held[e.from as usize] {
                "exit"
            } else {
                "checkpoint"
            })
        };
        let days = closures.map_or(0, |c| c.days.len() as i64);
        let routes = scenario
            .routes
            .iter()
            .enumerate()
            .map(|(i, r)| MapRoute {
                from: scenario.locations[r.from as usize].name.clone(),
                to: scenario.locations[r.to as usize].name.clone(),
                from_index: r.from as usize,
                to_index: r.to as usize,
                distance_km: r.distance_km,
                forced_redirection: r.forced_redirection,
                siege_role: role(r.from, r.to),
                closed_forward: closures.map_or_else(Vec::new, |c| periods(&c.days, i, 1)),
                closed_backward: closures.map_or_else(Vec::new, |c| periods(&c.days, i, 2)),
                days,
            })
            .collect();
        NetworkView {
            name: scenario.name.clone(),
            start_date: scenario.start_date.clone(),
            locations,
            routes,
            closures_recorded: closures.is_some(),
        }
    }

    /// Sets the final camp sizes: `(camp name, mean, p5, p95)`.
    pub fn set_final_sizes(&mut self, sizes: &[(String, f64, f64, f64)]) {
        for (name, mean, p5, p95) in sizes {
            // A repeated name (Flee folders) is the last location of that
            // name, as in Flee; the earlier one is unreachable.
            if let Some(l) = self.locations.iter_mut().rev().find(|l| &l.name == name) {
                l.final_mean = Some(*mean);
                l.final_p5 = Some(*p5);
                l.final_p95 = Some(*p95);
            }
        }
    }

    /// The network as a GeoJSON FeatureCollection (RFC 7946: `[lon, lat]`).
    pub fn geojson(&self) -> Value {
        let mut features = Vec::new();
        for l in &self.locations {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
                "properties": {
                    "feature": "location",
                    "name": l.name,
                    "type": l.kind,
                    "location_type": l.location_type,
                    "region": l.region,
                    "country": l.country,
                    "population": l.population,
                    "capacity": l.capacity,
                    "conflict_date": l.conflict_date,
                    "held": l.held,
                    "simulated_final_mean": l.final_mean,
                    "simulated_final_p5": l.final_p5,
                    "simulated_final_p95": l.final_p95,
                }
            }));
        }
        for r in &self.routes {
            let a = &self.locations[r.from_index];
            let b = &self.locations[r.to_index];
            let closed = self.closures_recorded.then(|| r.closed_any());
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
                "properties": {
                    "feature": "route",
                    "from": r.from,
                    "to": r.to,
                    "distance_km": r.distance_km,
                    "forced_redirection": r.forced_redirection,
                    "closed": closed,
                    "closed_throughout": self.closures_recorded.then(|| r.closed_throughout()),
                    "closed_at_start": self.closures_recorded.then(|| r.closed_on(0)),
                    "closed_at_end": self.closures_recorded.then(|| r.closed_on(r.days - 1)),
                    "closed_days_forward": r.closed_forward,
                    "closed_days_backward": r.closed_backward,
                    "siege_role": r.siege_role,
                }
            }));
        }
        json!({
            "type": "FeatureCollection",
            "name": self.name,
            "start_date": self.start_date,
            "features": features,
        })
    }

    /// [`NetworkView::geojson`] as pretty-printed text.
    pub fn geojson_string(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.geojson()).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_periods_are_runs_of_days() {
        let days = vec![vec![0u8], vec![1], vec![3], vec![0], vec![2]];
        assert_eq!(periods(&days, 0, 1), vec![[1, 2]]);
        assert_eq!(periods(&days, 0, 2), vec![[2, 2], [4, 4]]);
        assert_eq!(periods(&days, 1, 1), Vec::<[i64; 2]>::new());
    }
}
