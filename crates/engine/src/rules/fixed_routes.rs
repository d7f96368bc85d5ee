//! Flee's `fixed_routes` (docs/flee-model.md 16.6): each location keeps one
//! route per reachable destination, the best by weight, rebuilt every day;
//! agents choose among them with the stored weight times the destination's
//! score as they see it, with no capacity factor and no pruning.
//!
//! The tables are rebuilt location by location in file order, right after
//! each location's score is updated, so a table sees today's scores of the
//! locations before it and yesterday's of those after it, as in Flee. The
//! crawl counts markers towards the awareness depth (unlike the ordinary
//! candidates). Then the major routes (`major_routes.csv`) of the location
//! and of its destinations are added, as in Flee: at a quarter of their
//! distance, compared with the table of the route's penultimate stop (today's
//! or yesterday's, by file order), and stored without their first hop, so
//! an agent who picks one usually finds no link to its first waypoint and
//! stays.

use super::destination_rules::endpoint_score;
use super::scores::{location_score, route_weight};
use crate::network::Candidate;
use crate::world::World;
use crate::EngineError;

/// One location's table: destination → (stored weight, waypoints, km), in
/// the order destinations were first reached.
type Table = Vec<(u32, f64, Vec<u32>, f64)>;

/// What the tables keep from day to day.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteTables {
    /// Yesterday's table of every location (empty before the first day):
    /// a major route compares with these for stops later in the file.
    prev: Vec<Table>,
}

/// Updates scores and capacities for day `t` and rebuilds every location's
/// route table as the route candidates, with their weights. A major route
/// that cannot be walked ends the run, as in Flee.
pub(crate) fn refresh(world: &mut World, t: i64) -> Result<(), EngineError> {
    let awareness = world.settings.awareness_level.max(1);
    let n = world.places.len();
    let mut majors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, m) in world.scenario.major_routes.iter().enumerate() {
        majors[m.from as usize].push(k);
    }
    let mut prev = std::mem::take(&mut world.route_tables.prev);
    prev.resize(n, Table::new());
    let mut tables: Vec<Table> = Vec::with_capacity(n);
    for i in 0..n {
        let (p, s) = (&mut world.places, &world.settings);
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
            let known = Known {
                today: &tables,
                yesterday: &prev,
            };
            insert_major_routes(world, t, i as u32, &majors, &known, &mut table)?;
        }
        tables.push(table);
    }
    let (net, p, s) = (&mut world.net, &world.places, &world.settings);
    let locations = &world.scenario.locations;
    let mut candidates = Vec::new();
    let mut start = Vec::with_capacity(n + 1);
    let base = &mut world.weights.base.per_candidate;
    base.clear();
    for (from, table) in tables.iter().enumerate() {
        start.push(candidates.len() as u32);
        for (end, stored, path, km) in table {
            candidates.push(Candidate {
                path: net.paths.intern(path),
                end: *end,
                distance: *km,
            });
            base.push(stored * endpoint_score(p, s, locations, from as u32, *end));
        }
    }
    start.push(candidates.len() as u32);
    net.cand_start = start;
    net.candidates = candidates;
    if !world.scenario.major_routes.is_empty() {
        world.route_tables.prev = tables;
    }
    Ok(())
}

/// The tables a major route may compare with: today's of the locations
/// already done, yesterday's of the others.
struct Known<'a> {
    today: &'a [Table],
    yesterday: &'a [Table],
}

impl Known<'_> {
    fn weight(&self, loc: u32, end: u32) -> f64 {
        let l = loc as usize;
        let table = self.today.get(l).unwrap_or(&self.yesterday[l]);
        table.iter().find(|e| e.0 == end).map_or(0.0, |e| e.1)
    }
}

/// Flee's insertion of major routes after the crawl: the location's own,
/// then those of each destination already in the table (with the path to
/// it in front), each only if it leads somewhere the table does not reach.
fn insert_major_routes(
    world: &World,
    t: i64,
    loc: u32,
    majors: &[Vec<usize>],
    known: &Known,
    table: &mut Table,
) -> Result<(), EngineError> {
    if world.scenario.major_routes.is_empty() {
        return Ok(());
    }
    let mut reached: Vec<u32> = vec![loc];
    reached.extend(table.iter().map(|e| e.0));
    let before: Vec<(u32, Vec<u32>)> = table.iter().map(|e| (e.0, e.2.clone())).collect();
    let own = majors[loc as usize].iter().map(|&k| (Vec::new(), k));
    let theirs = before
        .iter()
        .flat_map(|(h, path)| majors[*h as usize].iter().map(move |&k| (path.clone(), k)));
    for (mut route, k) in own.chain(theirs).collect::<Vec<_>>() {
        let major = &world.scenario.major_routes[k];
        // The reader gives no empty route; one made in code is skipped.
        match major.via.last() {
            Some(end) if !reached.contains(end) => {}
            _ => continue,
        }
        route.extend_from_slice(&major.via);
        add_major_route(world, t, loc, &route, major.line, known, table)?;
    }
    Ok(())
}

/// Walks `route` from `loc` along the first active link to each stop and
/// offers its last link at a quarter of the distance, against the table of
/// the penultimate stop; stores the waypoints without the first hop.
fn add_major_route(
    world: &World,
    t: i64,
    loc: u32,
    route: &[u32],
    line: usize,
    known: &Known,
    table: &mut Table,
) -> Result<(), EngineError> {
    let (net, p, s) = (&world.net, &world.places, &world.settings);
    let mut at = loc;
    let mut prior = 0.0;
    for (step, &next) in route.iter().enumerate() {
        let Some(link) = net
            .active_links(at)
            .map(|l| &net.links[l as usize])
            .find(|l| l.to == next)
        else {
            let name = |l: u32| world.scenario.locations[l as usize].name.clone();
            return Err(EngineError::MajorRouteBroken {
                day: t,
                route: std::iter::once(loc)
                    .chain(route.iter().copied())
                    .map(name)
                    .collect(),
                line,
                from: name(at),
                to: name(next),
            });
        };
        if step + 1 < route.len() {
            prior += link.distance;
            at = next;
            continue;
        }
        let d = (s.softening + link.distance + prior) / 4.0;
        let mut w = (s.weight_softening + p.score[next as usize]) / d.powf(s.distance_power);
        if s.weight_power != 1.0 {
            w = w.powf(s.weight_power);
        }
        // The penultimate stop's table decides, not this one (Flee's quirk);
        // it is this one when the route has one hop.
        let compare = if at == loc {
            table.iter().find(|e| e.0 == next).map_or(0.0, |e| e.1)
        } else {
            known.weight(at, next)
        };
        if w > compare {
            // Flee stores `route[:-1][1:] + [last]`: the first hop is lost.
            let path = if route.len() == 1 {
                vec![next]
            } else {
                route[1..].to_vec()
            };
            let entry = (next, w, path, prior + link.distance);
            match table.iter_mut().find(|e| e.0 == next) {
                Some(e) => *e = entry,
                None => table.push(entry),
            }
        }
    }
    Ok(())
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
        scores::refresh(&mut w, 0).unwrap();
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
        assert!((w.weights.base.per_candidate[i] - want).abs() < 1e-15);
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
        refresh(&mut w, 0).unwrap();
        let s = &w.settings;
        let new_b = w.places.score[1];
        assert!(new_b < 1.0);
        let from_a = w.net.candidates_of(0).next().unwrap();
        let stored_a = w.weights.base.per_candidate[from_a] / new_b;
        assert!((stored_a - 1.0 / (s.softening + 100.0).powf(s.distance_power)).abs() < 1e-15);
        let from_c = w.net.candidates_of(2).next().unwrap();
        let stored_c = w.weights.base.per_candidate[from_c] / new_b;
        assert!((stored_c - new_b / (s.softening + 50.0).powf(s.distance_power)).abs() < 1e-15);
    }

    /// Flee's tests/test_crawling.py network: A—B, A—C, B—D, C—D, D—E
    /// (file order A, B, C, D, E), awareness 2, and major routes `via` from
    /// `from`.
    fn five_nodes(km: [f64; 5], majors: &[(u32, &[u32])]) -> World<'static> {
        let mut sc = testkit::scenario(
            ["A", "B", "C", "D", "E"]
                .iter()
                .map(|n| testkit::loc(n, "town", 100))
                .collect(),
            vec![
                testkit::route(0, 1, km[0]),
                testkit::route(0, 2, km[1]),
                testkit::route(1, 3, km[2]),
                testkit::route(2, 3, km[3]),
                testkit::route(3, 4, km[4]),
            ],
        );
        sc.settings.fixed_routes = true;
        sc.settings.awareness_level = 2;
        sc.major_routes = majors
            .iter()
            .enumerate()
            .map(|(k, (from, via))| corridor_model::MajorRoute {
                from: *from,
                via: via.to_vec(),
                line: k + 1,
            })
            .collect();
        testkit::world(sc)
    }

    fn table_of(w: &World, loc: u32) -> Vec<(u32, Vec<u32>)> {
        w.net
            .candidates_of(loc)
            .map(|i| {
                let c = &w.net.candidates[i];
                (c.end, w.net.paths.get(c.path).to_vec())
            })
            .collect()
    }

    #[test]
    fn crawling_reaches_two_hops_and_a_major_route_loses_its_first_hop() {
        let (b, c, d, e) = (1, 2, 3, 4);
        let plain = five_nodes([100.0, 100.0, 100.0, 200.0, 100.0], &[]);
        let mut plain = plain;
        refresh(&mut plain, 0).unwrap();
        // E is three hops away; D's best path goes via B.
        assert_eq!(
            table_of(&plain, 0),
            vec![(b, vec![b]), (d, vec![b, d]), (c, vec![c])]
        );
        // The major route A→B→D→E is stored for A as [D, E].
        let mut w = five_nodes([100.0, 100.0, 100.0, 200.0, 100.0], &[(0, &[b, d, e])]);
        refresh(&mut w, 0).unwrap();
        let from_a = table_of(&w, 0);
        assert_eq!(from_a.last(), Some(&(e, vec![d, e])));
        assert_eq!(from_a.len(), 4);
        // At a quarter of its 300 km, times E's score as the agent sees it.
        let s = &w.settings;
        let score = w.places.score[e as usize];
        let stored =
            (s.weight_softening + score) / ((s.softening + 300.0) / 4.0).powf(s.distance_power);
        let i = w.net.candidates_of(0).last().unwrap();
        assert!((w.weights.base.per_candidate[i] - stored * score).abs() < 1e-15);
        // An agent at A who picks it finds no link to D: the route is dropped.
        w.agents.route.push(w.net.candidates[i].path);
        w.agents.route_pos.push(0);
        assert_eq!(
            super::super::route_choice::take_next_step(&mut w, 0, 0),
            None
        );
    }

    #[test]
    fn a_destinations_major_routes_extend_the_path_to_it() {
        let (b, d, e) = (1, 3, 4);
        // B's major route B→D→E; from A, E is reached as A→B→D→E.
        let mut w = five_nodes([100.0, 100.0, 100.0, 200.0, 100.0], &[(b, &[d, e])]);
        refresh(&mut w, 0).unwrap();
        assert!(table_of(&w, 0).contains(&(e, vec![d, e])));
        // From B itself, E is within reach (B→D→E) and no major route is added.
        assert_eq!(
            table_of(&w, b).iter().find(|x| x.0 == e),
            Some(&(e, vec![d, e]))
        );
    }

    #[test]
    fn a_major_route_is_compared_with_the_penultimate_stops_table() {
        let (b, d, e) = (1, 3, 4);
        // A—B 1000 km: A→B→D→E at a quarter (1160/4 = 290) is worse than D's
        // own 10 km to E. D comes after A in the file, so on day 0 A compares
        // with D's empty table of yesterday and keeps the route; on day 1 with
        // D's table of day 0, which has E, and drops it.
        let mut w = five_nodes([1000.0, 100.0, 100.0, 200.0, 10.0], &[(0, &[b, d, e])]);
        refresh(&mut w, 0).unwrap();
        assert!(table_of(&w, 0).iter().any(|x| x.0 == e));
        refresh(&mut w, 1).unwrap();
        assert!(!table_of(&w, 0).iter().any(|x| x.0 == e));
    }

    #[test]
    fn a_missing_link_on_a_major_route_ends_the_run_with_its_names() {
        let e = 4;
        let mut w = five_nodes([100.0, 100.0, 100.0, 200.0, 100.0], &[(0, &[e])]);
        let err = refresh(&mut w, 3).unwrap_err().to_string();
        assert!(err.contains("day 3"), "{err}");
        assert!(err.contains("A -> E"), "{err}");
        assert!(err.contains("line 1"), "{err}");
        assert!(err.contains("from A to E"), "{err}");
    }
}
