//! Optional rules that change how attractive a destination is
//! (docs/flee-model.md 16.0–16.2, 16.5): `stay_close_to_home`,
//! `use_pop_for_loc_weight` and `use_economic_pull`.
//!
//! Flee applies the first two per agent in `getEndPointScore`, but the only
//! agent state they read is its current location, which is the location
//! choosing: so they are a factor per route candidate, fixed for the day
//! (populations change only when agents spawn, before the scores stage).

use crate::network::Network;
use crate::world::Places;
use corridor_model::{Location, Settings};

/// Earth radius of Flee's haversine, km.
const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle km between two locations as Flee computes it: the
/// `longitude` column is taken as the latitude and vice versa (Flee's `x`
/// and `y` swapped, docs/flee-model.md 16.2).
pub(crate) fn flee_distance_km(a: &Location, b: &Location) -> f64 {
    let (phi1, phi2) = (a.lon.to_radians(), b.lon.to_radians());
    let dphi = (b.lon - a.lon).to_radians();
    let dlambda = (b.lat - a.lat).to_radians();
    let h = (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().atan2((1.0 - h).sqrt())
}

/// The score of destination `end` as an agent at `from` sees it (Flee's
/// `getEndPointScore` without the demographic rules).
pub(crate) fn endpoint_score(
    p: &Places,
    s: &Settings,
    locations: &[Location],
    from: u32,
    end: u32,
) -> f64 {
    endpoint_score_from(p.score[end as usize], p, s, locations, from, end)
}

/// [`endpoint_score`] starting from `b` instead of the location's score (the
/// score as an agent's hazard class sees it).
pub(crate) fn endpoint_score_from(
    mut b: f64,
    p: &Places,
    s: &Settings,
    locations: &[Location],
    from: u32,
    end: u32,
) -> f64 {
    let e = end as usize;
    if s.stay_close_to_home {
        let d = flee_distance_km(&locations[e], &locations[from as usize]);
        b /= d.max(1.0).powf(s.home_distance_power);
    }
    if s.use_pop_for_loc_weight && !p.camp[e] {
        b *= (p.pop[e].max(1) as f64).powf(s.pop_power_for_loc_weight);
    }
    b * super::flood::endpoint_factor(p, s, e)
}

/// Whether a rule of this file changes route weights per candidate.
pub(crate) fn per_candidate(s: &Settings) -> bool {
    s.stay_close_to_home || s.use_pop_for_loc_weight || s.flood_mode()
}

/// Every candidate's weight without the capacity factor, with the
/// per-candidate rules, into `out` (candidate order).
pub(crate) fn candidate_weights(
    net: &Network,
    p: &Places,
    s: &Settings,
    locations: &[Location],
    out: &mut Vec<f64>,
) {
    for from in 0..p.len() as u32 {
        for i in net.candidates_of(from) {
            let c = &net.candidates[i];
            let b = endpoint_score(p, s, locations, from, c.end);
            out.push(super::scores::route_weight(s, c.distance, b));
        }
    }
}

/// `trade_volume + hdi²` of a location, from its `locations.csv` columns;
/// `None` when either is missing or not a number.
pub(crate) fn economic_pull(l: &Location) -> Option<f64> {
    let get = |name: &str| {
        l.attributes
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.trim().parse::<f64>().ok())
            .filter(|x| x.is_finite())
    };
    Some(get("trade_volume")? + get("hdi")?.powi(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{scores, testkit};

    fn at(mut l: Location, lat: f64, lon: f64) -> Location {
        l.lat = lat;
        l.lon = lon;
        l
    }

    #[test]
    fn distances_use_flees_swapped_coordinates() {
        let a = at(testkit::loc("A", "town", 0), 0.0, 0.0);
        // One degree along the `longitude` column is a degree of latitude for
        // Flee: 6371 × π/180 km.
        let b = at(testkit::loc("B", "town", 0), 0.0, 1.0);
        let want = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
        assert!((flee_distance_km(&a, &b) - want).abs() < 1e-9);
        // Along the `latitude` column at Flee-latitude 60°, a degree shrinks by cos 60°.
        let c = at(testkit::loc("C", "town", 0), 0.0, 60.0);
        let d = at(testkit::loc("D", "town", 0), 1.0, 60.0);
        let h = 0.25f64 * (0.5f64.to_radians()).sin().powi(2);
        let want = 2.0 * EARTH_RADIUS_KM * h.sqrt().atan2((1.0 - h).sqrt());
        assert!((flee_distance_km(&c, &d) - want).abs() < 1e-9);
        assert!((flee_distance_km(&c, &d) - 55.6).abs() < 0.1);
    }

    /// A at (0,0), town B at (0,1) (111.19 km by Flee's reading), camp C at (0,2).
    fn spread() -> corridor_model::Scenario {
        let mut sc = testkit::line();
        sc.locations[1] = at(sc.locations[1].clone(), 0.0, 1.0);
        sc.locations[2] = at(sc.locations[2].clone(), 0.0, 2.0);
        sc
    }

    #[test]
    fn staying_close_to_home_divides_by_the_distance_to_the_power() {
        let mut sc = spread();
        sc.settings.stay_close_to_home = true;
        sc.settings.home_distance_power = 2.0;
        let mut w = testkit::world(sc);
        scores::refresh(&mut w, 0).unwrap();
        let (p, s, locs) = (&w.places, &w.settings, &w.scenario.locations);
        let km = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0; // 111.195
                                                                 // From A to town B: score 1 / 111.195².
        let b = endpoint_score(p, s, locs, 0, 1);
        assert!((b - 1.0 / (km * km)).abs() < 1e-15, "{b}");
        // The candidate weight from A: (0 + b) / (50 + 100)^0.75 (validation settings).
        let i = w.net.candidates_of(0).next().unwrap();
        let want = b / 150f64.powf(0.75);
        assert!((w.weights.base.per_candidate[i] - want).abs() < 1e-18);
        // Within 1 km the factor is 1.
        assert_eq!(endpoint_score(p, s, locs, 1, 1), p.score[1]);
    }

    #[test]
    fn population_weights_non_camp_destinations_only() {
        let mut sc = testkit::line();
        sc.settings.use_pop_for_loc_weight = true;
        sc.settings.pop_power_for_loc_weight = 0.5;
        let mut w = testkit::world(sc);
        scores::refresh(&mut w, 0).unwrap();
        let (p, s, locs) = (&w.places, &w.settings, &w.scenario.locations);
        // B has 500 people: ×√500. The conflict zone A (1000, score 0.25): ×√1000.
        assert!((endpoint_score(p, s, locs, 0, 1) - 500f64.sqrt()).abs() < 1e-12);
        let a = endpoint_score(p, s, locs, 1, 0);
        assert!((a - p.score[0] * 1000f64.sqrt()).abs() < 1e-12);
        // Camp C: unchanged.
        assert_eq!(endpoint_score(p, s, locs, 1, 2), p.score[2]);
        // An empty town counts as 1 person.
        w.places.pop[1] = 0;
        assert_eq!(endpoint_score(&w.places, s, locs, 0, 1), 1.0);
    }

    #[test]
    fn economic_pull_raises_foreign_scores_only() {
        let mut sc = testkit::line();
        sc.settings.use_economic_pull = true;
        sc.settings.foreign_weight = 2.0;
        for l in &mut sc.locations[1..] {
            l.country = "abroad".into();
            l.attributes = vec![
                ("trade_volume".into(), "1.5".into()),
                ("hdi".into(), "0.5".into()),
            ];
        }
        let mut w = testkit::world(sc);
        scores::refresh(&mut w, 0).unwrap();
        // Foreign town B: (1 + 1.5 + 0.25) × 2 = 5.5; foreign camp C: × camp_weight too.
        assert_eq!(w.places.score[1], 5.5);
        assert_eq!(w.places.score[2], 5.5 * w.settings.camp_weight);
        // Home conflict zone A keeps its conflict penalty only.
        let s = &w.settings;
        assert_eq!(w.places.score[0], s.conflict_weight.powf(s.decay(1)));
    }

    #[test]
    fn awareness_minus_one_gives_the_candidates_of_awareness_one() {
        let mut sc = testkit::line();
        sc.settings.awareness_level = -1;
        let w = testkit::world(sc.clone());
        sc.settings.awareness_level = 1;
        let one = testkit::world(sc);
        let ends = |w: &crate::world::World| -> Vec<(u32, f64)> {
            w.net
                .candidates
                .iter()
                .map(|c| (c.end, c.distance))
                .collect()
        };
        assert_eq!(ends(&w), ends(&one));
        assert_eq!(ends(&w).len(), 4);
    }

    #[test]
    fn economic_pull_reads_trade_volume_and_hdi() {
        let mut l = testkit::loc("F", "town", 0);
        assert_eq!(economic_pull(&l), None);
        l.attributes = vec![
            ("trade_volume".into(), "2.5".into()),
            ("hdi".into(), "0.5".into()),
        ];
        assert_eq!(economic_pull(&l), Some(2.75));
    }
}
