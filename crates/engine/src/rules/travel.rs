//! Travel (docs/flee-model.md 4.4 step 5, 4.7): the speed of a leg, and what
//! happens when an agent reaches the end of its link: arrival, and perhaps a
//! new decision and another leg within the same day.

use super::{departure, move_chance, Act, Draws};
use crate::events::{Event, Observer};
use crate::network::Link;
use crate::rng::{AgentStream, Purpose};
use crate::world::ON_LINK;
use corridor_model::Settings;

/// Today's speed on a link: the link's own speed or the global one, walking
/// speed on a first leg with `start_on_foot`, and walking speed with the
/// link's `walk_probability` against the draw `walk`. Flee always draws that
/// number; it is drawn here only when the link has a chance of walking, as a
/// number in [0, 1) is never below a chance of 0 (or NaN).
#[inline]
pub(crate) fn leg_speed(link: &Link, s: &Settings, flags: u8, walk: impl FnOnce() -> f64) -> f64 {
    let mut speed = link.speed.unwrap_or(s.max_move_speed);
    if s.start_on_foot && flags & 1 == 0 {
        speed = s.max_walk_speed;
    }
    if link.walk_probability > 0.0 && walk() < link.walk_probability {
        speed = s.max_walk_speed;
    }
    speed
}

/// Flee's short-stint test, `(recent + km / vmax) / 2 < 0.5`, with `inv_vmax`
/// = 1 / `vmax`. The division's result, not its estimate by multiplication,
/// decides only within 1e-9 of the boundary: both terms are at least 0, so
/// near the boundary each is at most about 1 and the estimate is off by a
/// few units in the last place. Elsewhere both give the same answer, and the
/// move decision that follows need not wait for a division.
#[inline(always)]
fn short_stint(recent: f64, km: f64, vmax: f64, inv_vmax: f64) -> bool {
    let estimate = recent + km * inv_vmax;
    if (estimate - 1.0).abs() > 1e-9 {
        estimate < 1.0
    } else {
        (recent + km / vmax) / 2.0 < 0.5
    }
}

/// Continues Flee's `finish_travel` for agent `a`, whose leg ended today at
/// `first_speed`: arrive, maybe decide again and start another leg, until
/// the day's budget is spent.
pub(crate) fn finish_arrival<O: Observer>(cx: &mut Act<'_, '_, O>, a: usize, first_speed: f64) {
    // Flee moves harvest counts back within pass 1; travel starts after it.
    super::harvest::flush(cx.world);
    let s = &cx.world.settings;
    let vmax = s.max_move_speed;
    let inv_vmax = 1.0 / vmax;
    let full_budget = s.compat.multihop_full_budget;
    let avoid_short = s.avoid_short_stints;
    let (t, key) = (cx.day.t, cx.day.key);
    let recent = cx.world.agents.recent[a] as f64;
    let stream = AgentStream::new(key, cx.world.gid(a));
    let mut draws = Draws::arrival(stream);
    let mut speed = first_speed;
    let mut day_km = first_speed;
    let mut progress = cx.world.agents.progress[a] as f64;
    // Share of the day spent travelling (used when `multihop_full_budget` is off).
    let mut day_used = 0.0f64;
    let mut leg = first_speed;
    // Hops along 0-km links take no time, so a cycle of them would never end
    // the day; after as many in a row as there are places (any zero-length
    // path longer than that repeats a place), the agent stops where it is.
    let mut zero_hops = 0usize;
    let max_zero_hops = cx.world.locations().max(1);
    // Today's chances are the places' alone (`rules::move_chance::refresh_plain`).
    let plain = cx.world.places.plain_thresholds().is_some();
    loop {
        let world = &mut *cx.world;
        let link_id = world.agents.loc[a] & !ON_LINK;
        let link = &world.net.links[link_id as usize];
        let (from, to, dist, closed) = (link.from, link.to, link.distance, link.closed);
        if progress <= dist {
            world.agents.progress[a] = progress as f32;
            break;
        }
        world.agents.flags[a] |= 1;
        zero_hops = if dist > 0.0 { 0 } else { zero_hops + 1 };
        // Only the km needed to reach the end count (and take time) today.
        if !full_budget {
            day_used += (leg - (progress - dist)) / speed;
        }
        day_km += dist - progress;
        world.agents.progress[a] = 0.0;
        if closed {
            world.agents.loc[a] = from;
            world.places.agents[from as usize] += 1;
            let agent = world.gid(a);
            cx.obs.event(
                t,
                &Event::Bounced {
                    agent,
                    location: from,
                },
            );
            break;
        }
        let more = if full_budget {
            day_km < speed
        } else {
            day_used < 1.0 - 1e-9
        };
        world.agents.loc[a] = to;
        world.places.agents[to as usize] += 1;
        cx.stats.arrivals += 1;
        let agent = world.gid(a);
        cx.obs.event(
            t,
            &Event::Arrived {
                agent,
                location: to,
            },
        );
        if cx
            .hooks
            .iter_mut()
            .any(|m| m.arrival(world, cx.day, a, to, cx.obs))
        {
            break;
        }
        if !more {
            break;
        }
        cx.obs.hop(t, agent, link_id);
        if zero_hops >= max_zero_hops {
            break;
        }
        if super::harvest::holds(world, a) {
            break;
        }
        let has_route = world.agents.route[a] != 0;
        let force = || avoid_short && short_stint(recent, day_km, vmax, inv_vmax);
        let k = draws.moves;
        draws.moves += 1;
        let moves = if plain {
            // The same outcome as the chance's, compared as integers.
            let t = move_chance::plain_threshold(&world.places, to, has_route, force);
            move_chance::passes_below(t, || stream.grid(Purpose::Move, k))
        } else {
            let p = move_chance::of_agent(world, cx.hooks, a, to, has_route, force);
            move_chance::passes(p, || stream.uniform(Purpose::Move, k))
        };
        if !moves || !departure::act_on_move(cx, a, &mut draws) {
            break;
        }
        let world = &*cx.world;
        let link = &world.net.links[(world.agents.loc[a] & !ON_LINK) as usize];
        let k = draws.walks;
        let walk = || stream.uniform(Purpose::Walk, k);
        speed = leg_speed(link, &world.settings, world.agents.flags[a], walk);
        draws.walks += 1;
        leg = if full_budget {
            speed
        } else {
            // A new leg gets only the rest of the day, at this link's speed.
            ((1.0 - day_used) * speed).max(0.0)
        };
        progress = leg;
        day_km += leg;
    }
    cx.world.agents.recent[a] = ((recent + day_km / vmax) / 2.0) as f32;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventCounter;
    use crate::pipeline::Day;
    use crate::rules::{scores, testkit};
    use crate::world::World;
    use crate::RunStats;

    #[test]
    fn the_short_stint_test_is_flees_division_everywhere() {
        let flee = |recent: f64, km: f64, vmax: f64| (recent + km / vmax) / 2.0 < 0.5;
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        for i in 0..200_000 {
            let vmax = [400.0, 360.0, 35.0, 1.0 / 3.0, 7.0e-3][i % 5];
            let recent = next() * 1.5;
            // Half the cases sit within a few units in the last place of the boundary.
            let km = if i % 2 == 0 {
                next() * 3.0 * vmax
            } else {
                let edge = (1.0 - recent) * vmax;
                f64::from_bits((edge.to_bits() as i64 + (i as i64 % 9) - 4) as u64)
            };
            assert_eq!(
                short_stint(recent, km, vmax, 1.0 / vmax),
                flee(recent, km, vmax),
                "recent {recent:e}, km {km:e}, vmax {vmax}"
            );
        }
    }

    #[test]
    fn leg_speed_walks_on_foot_and_with_walk_probability() {
        let mut s = Settings::flee_validation();
        let mut link = Link {
            from: 0,
            to: 1,
            distance: 10.0,
            speed: None,
            walk_probability: 0.0,
            closed: false,
            route: 0,
        };
        // A link nobody walks draws no number.
        let no_draw = || -> f64 { panic!("drew a walk on a link with no chance of walking") };
        assert_eq!(leg_speed(&link, &s, 0, no_draw), s.max_move_speed);
        link.speed = Some(40.0);
        assert_eq!(leg_speed(&link, &s, 0, no_draw), 40.0);
        link.walk_probability = 1.0;
        assert_eq!(leg_speed(&link, &s, 1, || 0.99), s.max_walk_speed);
        link.walk_probability = 0.5;
        assert_eq!(leg_speed(&link, &s, 1, || 0.49), s.max_walk_speed);
        assert_eq!(leg_speed(&link, &s, 1, || 0.5), 40.0);
        link.walk_probability = 0.0;
        s.start_on_foot = true;
        assert_eq!(leg_speed(&link, &s, 0, no_draw), s.max_walk_speed);
        assert_eq!(leg_speed(&link, &s, 1, no_draw), 40.0);
    }

    #[test]
    fn an_arrival_with_budget_left_goes_on_to_the_next_place() {
        let mut sc = testkit::line();
        sc.settings.max_move_speed = 360.0;
        sc.settings.start_on_foot = false;
        // On A → B (100 km) with the day's first leg done: 360 km covered.
        let mut w = at_end_of_first_link(testkit::world(sc), &[1, 2], 360.0);
        let mut events = EventCounter::default();
        let stats = arrive(&mut w, &mut events, 360.0);
        // Through B (route under way: it moves on) to camp C.
        assert_eq!(w.agents.location(0), Some(2));
        assert_eq!(w.counts(), &[0, 0, 1]);
        assert_eq!(stats.arrivals, 2);
        assert_eq!(events.departed, 1);
        assert!(w.agents.recent[0] > 0.0);
    }

    /// An agent without a route reaches town B (move chance 0) with budget
    /// left: it stays, unless `avoid_short_stints` forces the move
    /// (docs/flee-model.md 4.7: `(recent + today/max_move_speed)/2 < 0.5`).
    #[test]
    fn avoiding_short_stints_forces_a_move_on_from_a_town() {
        for avoid in [false, true] {
            let mut sc = testkit::line();
            sc.settings.avoid_short_stints = avoid;
            sc.settings.start_on_foot = false;
            let mut w = testkit::world(sc);
            w.places.movechance[1] = 0.0;
            let mut w = at_end_of_first_link(w, &[1], 360.0);
            let mut events = EventCounter::default();
            arrive(&mut w, &mut events, 360.0);
            // 100 of 400 km used: (0 + 0.25)/2 < 0.5, so the force applies.
            assert_eq!(
                events.departed,
                u64::from(avoid),
                "avoid_short_stints {avoid}"
            );
            assert_eq!(w.agents.location(0) == Some(1), !avoid);
        }
    }

    /// The links an agent completed with budget left, as [`Observer::hop`] reports them.
    #[derive(Default)]
    struct Hops(Vec<(i64, u64, u32)>);
    impl Observer for Hops {
        fn hop(&mut self, day: i64, agent: u64, link: u32) {
            self.0.push((day, agent, link));
        }
    }

    /// Through town B to camp C in one day: A → B is a hop (the agent may go
    /// on and does); B → C is one too when budget is left at the camp, though
    /// the camp's move chance keeps the agent there; a leg that ends the
    /// day's budget is not (docs/flee-model.md 17.2).
    #[test]
    fn links_completed_with_budget_left_are_reported_as_hops() {
        for (speed, expected) in [(360.0, 2), (140.0, 1)] {
            let mut sc = testkit::line();
            sc.settings.max_move_speed = speed;
            sc.settings.start_on_foot = false;
            let mut w = at_end_of_first_link(testkit::world(sc), &[1, 2], speed as f32);
            let mut hops = Hops::default();
            arrive(&mut w, &mut hops, speed);
            assert_eq!(w.agents.location(0), Some(2), "speed {speed}");
            let links: Vec<(u32, u32)> = hops
                .0
                .iter()
                .map(|&(_, _, l)| (w.net.links[l as usize].from, w.net.links[l as usize].to))
                .collect();
            // 100 + 50 km < 360: both legs leave budget; 100 + 140 ≥ 140: only the first.
            assert_eq!(links, [(0, 1), (1, 2)][..expected], "speed {speed}");
            assert!(hops.0.iter().all(|&(day, agent, _)| (day, agent) == (0, 0)));
        }
    }

    /// `w` on day 0 with one agent, at A on `route`, stepped onto the
    /// route's first link and `km` along it.
    fn at_end_of_first_link(mut w: World<'static>, route: &[u32], km: f32) -> World<'static> {
        scores::refresh(&mut w, 0).unwrap();
        scores::cache_totals(&mut w);
        w.create_agent(0);
        w.set_route(0, route);
        let link = crate::rules::route_choice::take_next_step(&mut w, 0, 0).expect("a link");
        w.places.agents[0] -= 1;
        w.agents.loc[0] = ON_LINK | link;
        w.agents.progress[0] = km;
        w
    }

    /// Agent 0 of `w` finishes its travel of day 0 (first leg at `speed`),
    /// reported to `obs`, without mechanisms.
    fn arrive(w: &mut World<'static>, obs: &mut impl Observer, speed: f64) -> RunStats {
        let (mut stats, mut hooks) = (RunStats::default(), Vec::new());
        let mut cx = Act {
            world: w,
            hooks: &mut hooks,
            stats: &mut stats,
            day: Day::new(1, 0),
            obs,
        };
        finish_arrival(&mut cx, 0, speed);
        stats
    }
}
