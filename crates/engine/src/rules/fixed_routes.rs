//! Flee's `fixed_routes` (docs/flee-model.md 16.6): each location keeps one
//! route per reachable destination, the best by weight, rebuilt every day;
//! agents choose among them with the stored weight times the destination's
//! score as they see it, with no capacity factor and no pruning.
//!
//! The tables are rebuilt location by location in file order, right after
//! each location's score is updated, so a table sees today's scores of the
//! locations before it and yesterday's of those after it, as in Flee. The
//! crawl counts markers towards the awareness depth (unlike the ordinary
//! candidates). Major routes (`major_routes.csv`) are not supported: the
//! reader refuses them with `fixed_routes` on.

use super::destination_rules::endpoint_score;
use super::scores::{location_score, route_weight};
use crate::network::Candidate;
use crate::world::World;

/// One location's table: destination → (stored weight, waypoints, km), in
/// the order destinations were first reached.
type Table = Vec<(u32, f64, Vec<u32>, f64)>;

/// Updates scores and capacities for day `t` and rebuilds every location's
/// route table as the route candidates, with their weights.
pub(crate) fn refresh(world: &mut World, t: i64) {
    let s = &world.settings;
    let awareness = s.awareness_level.max(1);
    let n = world.places.len();
    let mut tables: Vec<Table> = Vec::with_capacity(n);
    for i in 0..n {
        let p = &mut world.places;
        p.score[i] = location_score(p, s, i, t);
        if p.capacity_per_day[i] > 0 {
            p.capacity[i] += p.capacity_per_day[i];
        }
        let mut table = Table::new();
        if !p.marker[i] {
            let mut origin = vec![i as u32];
            let links: Vec<u32> = world.net.active_links(i as u32).collect();
            for link in links {
                crawl(world, link, 0.0, &mut origin, 1, awareness, &mut table);
            }
        }
        tables.push(table);
    }
    let (net, p) = (&mut world.net, &world.places);
    let locations = &world.scenario.locations;
    let mut candidates = Vec::new();
    let mut start = Vec::with_capacity(n + 1);
    let base = &mut world.weights.base;
    base.clear();
    for (from, table) in tables.into_iter().enumerate() {
        start.push(candidates.len() as u32);
        for (end, stored, path, km) in table {
            candidates.push(Candidate {
                path: net.paths.intern(&path),
                end,
                distance: km,
            });
            base.push(stored * endpoint_score(p, s, locations, from as u32, end));
        }
    }
    start.push(candidates.len() as u32);
    net.cand_start = start;
    net.candidates = candidates;
}

/// Flee's `crawl`: offers the link's endpoint (unless a marker), then goes on
/// while `awareness > step`, never back to a location already on the path.
fn crawl(
    world: &World,
    link: u32,
    prior: f64,
    origin: &mut Vec<u32>,
    step: i64,
    awareness: i64,
    table: &mut Table,
) {
    let (net, p, s) = (&world.net, &world.places, &world.settings);
    let l = &net.links[link as usize];
    let (end, distance) = (l.to, l.distance);
    if !p.marker[end as usize] {
        let km = prior + distance;
        let w = route_weight(s, km, p.score[end as usize]);
        let path = || origin[1..].iter().copied().chain([end]).collect();
        match table.iter_mut().find(|e| e.0 == end) {
            // Strictly better only: the first path found wins ties.
            Some(e) if w > e.1 => *e = (end, w, path(), km),
            Some(_) => {}
            None if w > 0.0 => table.push((end, w, path(), km)),
            None => {}
        }
    }
    if awareness > step {
        let next: Vec<u32> = net.active_links(end).collect();
        origin.push(end);
        for nl in next {
            if !origin.contains(&net.links[nl as usize].to) {
                crawl(
                    world,
                    nl,
                    prior + distance,
                    origin,
                    step + 1,
                    awareness,
                    table,
                );
            }
        }
        origin.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{scores, testkit};

    #[test]
    fn each_destination_keeps_its_best_path_and_weights_count_the_score_twice() {
        // A — 100 — B — 50 — C (camp), and a direct A — 400 — C.
        let mut sc = testkit::line();
        sc.routes.push(testkit::route(0, 2, 400.0));
        sc.settings.fixed_routes = true;
        sc.settings.awareness_level = 2;
        let mut w = testkit::world(sc);
        scores::refresh(&mut w, 0);
        scores::cache_totals(&mut w);
        let s = &w.settings;
        let c = w.places.score[2];
        // From A: B directly, and C via B (150 km beats the direct 400 km).
        let from_a: Vec<(u32, Vec<u32>)> = w
            .net
            .candidates_of(0)
            .map(|i| {
                (
                    w.net.candidates[i].end,
                    w.net.paths.get(w.net.candidates[i].path).to_vec(),
                )
            })
            .collect();
        assert_eq!(from_a, vec![(1, vec![1]), (2, vec![1, 2])]);
        let i = w.net.candidates_of(0).nth(1).unwrap();
        // Stored (score / (50 + 150)^0.75), times the score again.
        let want = c / (s.softening + 150.0).powf(s.distance_power) * c;
        assert!((w.weights.base[i] - want).abs() < 1e-15);
        // No capacity factor: every location picks from fixed weights.
        assert!(w.weights.live.iter().all(|&l| !l));
    }

    #[test]
    fn a_table_sees_todays_scores_before_it_and_yesterdays_after_it() {
        let mut sc = testkit::line();
        sc.settings.fixed_routes = true;
        let mut w = testkit::world(sc);
        // B (index 1) enters conflict today: A's table (built before B's score
        // is updated) still uses B's old score 1; C's table (after) the new one.
        w.places.conflict[1] = 1.0;
        w.places.time_of_conflict[1] = 0;
        refresh(&mut w, 0);
        let s = &w.settings;
        let new_b = w.places.score[1];
        assert!(new_b < 1.0);
        let from_a = w.net.candidates_of(0).next().unwrap();
        let stored_a = w.weights.base[from_a] / new_b;
        assert!((stored_a - 1.0 / (s.softening + 100.0).powf(s.distance_power)).abs() < 1e-15);
        let from_c = w.net.candidates_of(2).next().unwrap();
        let stored_c = w.weights.base[from_c] / new_b;
        assert!((stored_c - new_b / (s.softening + 50.0).powf(s.distance_power)).abs() < 1e-15);
    }
}
