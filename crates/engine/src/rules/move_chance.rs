//! The chance that a resting agent moves today (docs/flee-model.md 4.5.1).

use crate::hooks::Mechanism;
use crate::world::{Places, World};
use corridor_model::Settings;

/// Move chance at location `loc`: 1 with a route under way or, with
/// `force_town` (avoid short stints), in a town; else the location's chance,
/// scaled by its size when `movechance_pop_scale_factor` is set.
#[inline]
pub(crate) fn resting(
    p: &Places,
    s: &Settings,
    loc: u32,
    has_route: bool,
    force_town: bool,
) -> f64 {
    let l = loc as usize;
    if sure_to_move(p, loc, has_route, || force_town) {
        return 1.0;
    }
    let mut chance = p.movechance[l];
    if s.movechance_pop_scale_factor != 0.0 {
        let size = p.pop[l].max(p.capacity[l]) as f64;
        chance *= (size / s.movechance_pop_base).powf(s.movechance_pop_scale_factor);
    }
    let chance = super::food::move_chance(p, s, l, chance);
    super::flood::move_chance(p, s, l, chance)
}

/// Whether a move is sure whatever the place's chance: with a route under
/// way, or forced (`avoid_short_stints`) in a town. `force_town` is asked
/// only of an agent without a route in a town, the only one it can force.
#[inline(always)]
fn sure_to_move(p: &Places, loc: u32, has_route: bool, force_town: impl FnOnce() -> bool) -> bool {
    has_route || (p.town[loc as usize] && force_town())
}

/// Move chance of agent `a` at `loc`: 0 in a harvest month (Flee returns
/// before its move test), a mechanism's override (people inside a held place
/// leave only by attempting), else [`resting`].
#[inline]
pub(crate) fn of_agent(
    world: &World,
    hooks: &[Box<dyn Mechanism>],
    a: usize,
    loc: u32,
    has_route: bool,
    force_town: impl FnOnce() -> bool,
) -> f64 {
    decide(world, hooks, a, loc, has_route, force_town, || {
        resting(&world.places, &world.settings, loc, false, false)
    })
}

/// [`of_agent`] with the location's own chance (what [`resting`] gives
/// without route or forcing) from `here`, called only when it is needed:
/// with a route, or forced in a town, the chance is 1.
#[inline(always)]
fn decide(
    world: &World,
    hooks: &[Box<dyn Mechanism>],
    a: usize,
    loc: u32,
    has_route: bool,
    force_town: impl FnOnce() -> bool,
    here: impl FnOnce() -> f64,
) -> f64 {
    if super::harvest::today(world) {
        return 0.0;
    }
    if !hooks.is_empty() {
        if let Some(p) = hooks.iter().find_map(|m| m.move_chance(a, loc)) {
            return p;
        }
    }
    if sure_to_move(&world.places, loc, has_route, force_town) {
        return 1.0;
    }
    // The flood forecaster's term reads the agent's awareness (18.7).
    super::flood_forecast::move_chance(world, a, loc as usize, here())
}

/// [`resting`] at every location for an agent without a route and without
/// forcing: what the move-test scan looks up ([`in_scan`]) instead of
/// working it out for each agent.
pub(crate) fn resting_by_location(p: &Places, s: &Settings) -> Vec<f64> {
    (0..p.len() as u32)
        .map(|l| resting(p, s, l, false, false))
        .collect()
}

/// [`of_agent`] without forcing, for the move-test scan: the same number,
/// with the location's part read from `by_location`
/// ([`resting_by_location`] of today).
#[inline]
pub(crate) fn in_scan(
    world: &World,
    hooks: &[Box<dyn Mechanism>],
    by_location: &[f64],
    a: usize,
    loc: u32,
    has_route: bool,
) -> f64 {
    decide(
        world,
        hooks,
        a,
        loc,
        has_route,
        || false,
        || by_location[loc as usize],
    )
}

/// Whether [`in_scan`] is the location's chance of [`resting_by_location`]
/// alone (1 with a route) for every agent today: no mechanism, no harvest
/// month, no flood forecaster.
pub(crate) fn plain(world: &World, hooks: &[Box<dyn Mechanism>]) -> bool {
    hooks.is_empty() && !super::harvest::today(world) && !world.places.forecast.active
}

/// Sets today's plain thresholds (`Places::plain_move`): [`crate::rng::below`]
/// of `by_location` ([`resting_by_location`] of today) when [`plain`]
/// holds, else none. Called before the day's agent passes, whose move
/// tests then compare integers ([`plain_threshold`]).
pub(crate) fn refresh_plain(world: &mut World, hooks: &[Box<dyn Mechanism>], by_location: &[f64]) {
    let plain = plain(world, hooks);
    let t = &mut world.places.plain_move;
    t.clear();
    if plain {
        t.extend(by_location.iter().map(|&p| crate::rng::below(p)));
    }
}

/// [`of_agent`] on a day with plain thresholds (`Places::plain_move`
/// not empty), for an agent at `loc`, as a threshold on the move draw's
/// grid ([`crate::rng::AgentStream::grid`]): every draw passes with a route
/// or when forced in a town (a chance of 1), else the place's threshold.
#[inline(always)]
pub(crate) fn plain_threshold(
    p: &Places,
    loc: u32,
    has_route: bool,
    force_town: impl FnOnce() -> bool,
) -> u64 {
    let here = p.plain_move[loc as usize];
    if sure_to_move(p, loc, has_route, force_town) {
        crate::rng::GRID
    } else {
        here
    }
}

/// [`passes`] with the number already drawn: `u < p`, which is what
/// [`passes`] decides for every `p` as `u` is in [0, 1).
#[inline(always)]
pub(crate) fn passes_with(p: f64, u: f64) -> bool {
    u < p
}

/// Whether a move test with chance `p` and the draw `u` passes (`u < p`),
/// drawing only when the outcome is not already sure: `u` is in [0, 1), so
/// a chance of 1 or more always passes and one of 0 or less never does.
#[inline]
pub(crate) fn passes(p: f64, u: impl FnOnce() -> f64) -> bool {
    if p >= 1.0 {
        true
    } else if p <= 0.0 {
        false
    } else {
        u() < p
    }
}

/// [`passes`] against a threshold `t` on the draw's grid ([`plain_threshold`]):
/// the draw `m` passes when `m < t`, and it is made only when the outcome
/// is not already sure (every draw is below [`crate::rng::GRID`], none below 0).
#[inline]
pub(crate) fn passes_below(t: u64, m: impl FnOnce() -> u64) -> bool {
    t >= crate::rng::GRID || (t > 0 && m() < t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    struct Held;
    impl Mechanism for Held {
        fn move_chance(&self, _a: usize, loc: u32) -> Option<f64> {
            (loc == 0).then_some(0.01)
        }
    }

    #[test]
    fn a_drawn_number_passes_as_a_lazy_draw_would() {
        // `u < p` for every chance, NaN and out-of-range ones included.
        for p in [-1.0, 0.0, 1e-9, 0.3, 0.999, 1.0, 2.0, f64::NAN] {
            for u in [0.0, 1e-12, 0.3, 0.5, 0.999_999] {
                assert_eq!(passes_with(p, u), passes(p, || u), "p {p} u {u}");
                // The same outcome for a draw on the grid, against the
                // chance's threshold.
                let grid = crate::rng::GRID as f64;
                let m = (u * grid) as u64;
                let t = crate::rng::below(p);
                let on_grid = m as f64 / grid;
                assert_eq!(passes_below(t, || m), passes(p, || on_grid), "p {p} m {m}");
            }
        }
    }

    #[test]
    fn routes_towns_and_kinds_set_the_chance() {
        let mut w = testkit::world(testkit::line());
        let (p, s) = (&w.places, &w.settings);
        assert_eq!(resting(p, s, 0, false, false), s.conflict_movechance);
        assert_eq!(resting(p, s, 2, false, false), s.camp_movechance);
        assert_eq!(resting(p, s, 2, true, false), 1.0);
        assert_eq!(resting(p, s, 1, false, true), 1.0);
        assert_eq!(resting(p, s, 2, false, true), s.camp_movechance);
        let hooks: Vec<Box<dyn Mechanism>> = vec![Box::new(Held)];
        assert_eq!(of_agent(&w, &hooks, 0, 0, true, || false), 0.01);
        // The scan's shortcut gives the same numbers.
        let table = resting_by_location(p, s);
        for (loc, route) in [(0, true), (1, false), (2, false), (2, true)] {
            assert_eq!(
                in_scan(&w, &hooks, &table, 0, loc, route),
                of_agent(&w, &hooks, 0, loc, route, || false)
            );
            assert_eq!(
                in_scan(&w, &[], &table, 0, loc, route),
                of_agent(&w, &[], 0, loc, route, || false)
            );
            // Without mechanisms the plain lookup is the same again; with one
            // it does not apply.
            assert!(plain(&w, &[]) && !plain(&w, &hooks));
        }
        assert_eq!(
            of_agent(&w, &hooks, 0, 1, false, || false),
            s.default_movechance
        );
        // So is the day's plain threshold, with forcing in a town too.
        refresh_plain(&mut w, &[], &table);
        for (loc, route) in [(0, true), (1, false), (2, false), (2, true)] {
            for force in [false, true] {
                assert_eq!(
                    plain_threshold(&w.places, loc, route, || force),
                    crate::rng::below(of_agent(&w, &[], 0, loc, route, || force))
                );
            }
        }
        refresh_plain(&mut w, &hooks, &table);
        assert!(w.places.plain_thresholds().is_none());
    }

    #[test]
    fn population_scaling_multiplies_the_chance() {
        let mut sc = testkit::line();
        sc.settings.movechance_pop_scale_factor = 1.0;
        sc.settings.movechance_pop_base = 250.0;
        let w = testkit::world(sc);
        let (p, s) = (&w.places, &w.settings);
        // B has 500 people: twice the base.
        assert!((resting(p, s, 1, false, false) - 2.0 * s.default_movechance).abs() < 1e-12);
    }
}
