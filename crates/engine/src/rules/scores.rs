//! Location scores, camp capacity growth, route-choice weights and the
//! capacity factor (docs/flee-model.md 4.4 step 2, 4.5.2, 4.6.3).

use crate::world::{Places, World};
use corridor_model::Settings;

/// Flee's location score on a day `elapsed` days after its conflict began:
/// foreign and camp weights, and conflict weight to the decayed intensity.
pub(crate) fn location_score(p: &Places, s: &Settings, i: usize, t: i64) -> f64 {
    let mut score = 1.0;
    if p.foreign[i] {
        if s.use_economic_pull {
            // docs/flee-model.md 16.5, in Flee's order of operations.
            score = score + score * p.economic_pull[i];
        }
        score *= s.foreign_weight;
    }
    score *= super::food::score_factor(p, s, i, t);
    if p.camp[i] {
        score *= s.camp_weight;
    }
    score *= super::flood::score_factor(p, s, i);
    if p.conflict[i] > 0.0 {
        score *= s
            .conflict_weight
            .powf(s.decay(t - p.time_of_conflict[i]) * p.conflict[i]);
    }
    score
}

/// Weight of a route of `distance` km to a location with `score`, without
/// the capacity factor.
#[inline]
pub(crate) fn route_weight(s: &Settings, distance: f64, score: f64) -> f64 {
    let d = (s.softening + distance).powf(s.distance_power);
    let w = (s.weight_softening + score) / d;
    if s.weight_power == 1.0 {
        w
    } else {
        w.powf(s.weight_power)
    }
}

/// Recomputes every location's score for day `t`, grows camp capacities, and
/// sets every candidate's weight without the capacity factor. Fails only
/// when a major route of `fixed_routes` cannot be walked.
pub(crate) fn refresh(world: &mut World, t: i64) -> Result<(), crate::EngineError> {
    if world.settings.fixed_routes {
        return super::fixed_routes::refresh(world, t);
    }
    let s = &world.settings;
    let p = &mut world.places;
    for i in 0..p.score.len() {
        p.score[i] = location_score(p, s, i, t);
        if p.capacity_per_day[i] > 0 {
            p.capacity[i] += p.capacity_per_day[i];
        }
    }
    let base = &mut world.weights.base.per_candidate;
    base.clear();
    if super::destination_rules::per_candidate(s) {
        let locations = &world.scenario.locations;
        super::destination_rules::candidate_weights(&world.net, p, s, locations, base);
        return Ok(());
    }
    base.extend(
        world
            .net
            .candidates
            .iter()
            .map(|c| route_weight(s, c.distance, p.score[c.end as usize])),
    );
    Ok(())
}

/// Caches each location's total weight, and marks the locations whose
/// weights depend on live camp occupancy (a candidate ends at a place with a
/// capacity, or pruning is on); the others choose from fixed weights all day.
pub(crate) fn cache_totals(world: &mut World) {
    let (net, p, w) = (&world.net, &world.places, &mut world.weights);
    w.base.sum(net);
    w.live.clear();
    for l in 0..p.len() as u32 {
        let range = net.candidates_of(l);
        let live = range
            .clone()
            .any(|i| p.capacity[net.candidates[i].end as usize] > 0);
        // Fixed routes have no capacity factor and no pruning (docs/flee-model.md 16.6).
        let s = &world.settings;
        w.live
            .push(!s.fixed_routes && (live || s.pruning_threshold > 1.001));
    }
}

/// Flee's capacity factor of a location with `capacity` (already scaled) and
/// `n` agents: 1 up to `buffer` of capacity, falling linearly to 0 when full.
#[inline]
pub(crate) fn capacity_factor(capacity: f64, n: f64, buffer: f64) -> f64 {
    if capacity < 1.0 {
        return 1.0;
    }
    if n <= buffer * capacity {
        1.0
    } else if n >= capacity {
        0.0
    } else {
        1.0 - (n - buffer * capacity) / (capacity * (1.0 - buffer))
    }
}

/// The capacity factor of location `loc` from live counts (or, with
/// `capacity_count_block` above 1, from the counts as the agent's block of
/// the pass began).
#[inline]
pub(crate) fn cap_factor(p: &Places, s: &Settings, loc: u32) -> f64 {
    factor_at(p, s, loc, p.count_for_capacity(loc))
}

/// The capacity factor of location `loc` were `count` agents there.
#[inline]
pub(crate) fn factor_at(p: &Places, s: &Settings, loc: u32, count: i64) -> f64 {
    let capacity = p.capacity[loc as usize] as f64 * s.capacity_scaling;
    capacity_factor(capacity, count as f64, s.capacity_buffer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn capacity_factor_falls_from_the_buffer_to_full() {
        assert_eq!(capacity_factor(100.0, 50.0, 0.9), 1.0);
        assert_eq!(capacity_factor(100.0, 90.0, 0.9), 1.0);
        assert!((capacity_factor(100.0, 95.0, 0.9) - 0.5).abs() < 1e-12);
        assert_eq!(capacity_factor(100.0, 100.0, 0.9), 0.0);
        assert_eq!(capacity_factor(100.0, 150.0, 0.9), 0.0);
        // No capacity: no limit.
        assert_eq!(capacity_factor(0.0, 1e9, 0.9), 1.0);
    }

    #[test]
    fn camps_score_above_towns_and_weights_fall_with_distance() {
        let mut w = testkit::world(testkit::line());
        refresh(&mut w, 0).unwrap();
        let s = &w.settings;
        assert_eq!(w.places.score[1], 1.0);
        assert_eq!(w.places.score[2], s.camp_weight);
        assert!(route_weight(s, 10.0, 1.0) > route_weight(s, 100.0, 1.0));
        assert_eq!(w.weights.base.per_candidate.len(), w.net.candidates.len());
        cache_totals(&mut w);
        // B's candidates reach camp C (a capacity): B chooses from live weights.
        assert!(w.weights.live[1]);
        let b: f64 = w
            .net
            .candidates_of(1)
            .map(|i| w.weights.base.per_candidate[i])
            .sum();
        assert_eq!(w.weights.base.view().total_over(w.net.candidates_of(1)), b);
    }

    #[test]
    fn camps_grow_by_their_daily_capacity() {
        let mut sc = testkit::line();
        sc.locations[2].capacity_per_day = 5;
        let mut w = testkit::world(sc);
        refresh(&mut w, 0).unwrap();
        refresh(&mut w, 1).unwrap();
        assert_eq!(w.places.capacity[2], 20);
    }
}
