//! DFlee's flood rules (docs/flee-model.md 18): each location's flood level,
//! set daily from `flood_level.csv`; flood-driven spawning (18.4); the two
//! score factors — flood zones by their level, any flooded destination again
//! (18.5); and the move chance of a flooded location (18.6). Outside flood
//! mode the levels are empty and every rule here is a no-op.

use crate::rng::{uniform, Purpose};
use crate::world::Places;
use corridor_model::flood::{by_level, highest_level};
use corridor_model::{Scenario, Settings, SpawnMode};

/// Sets every location's flood level for day `t` (Flee's step A): `int()` of
/// its column's row `t`, 0 without a column; then the forecaster's factors.
pub(crate) fn update(p: &mut Places, sc: &Scenario, s: &Settings, t: i64) {
    let Some(table) = &sc.flood else {
        return;
    };
    p.flood_level.resize(p.len(), 0);
    table.levels_on(usize::try_from(t).unwrap_or(0), &mut p.flood_level);
    super::flood_forecast::update(p, sc, s, t);
}

#[inline]
fn level(p: &Places, l: usize) -> i64 {
    p.flood_level.get(l).copied().unwrap_or(0)
}

fn loc_weights(s: &Settings) -> &[f64] {
    s.flood_rules
        .as_ref()
        .and_then(|r| r.flood_loc_weights.as_deref())
        .unwrap_or(&[])
}

/// The day's new agents per location, in file order: `(location, count)` for
/// every location at a flood level above 0 whatever its type (18.4). Poisson
/// counts are drawn from the day's key, one stream per location, as in
/// conflict-driven spawning.
pub(crate) fn counts(p: &Places, s: &Settings, day_key: u64) -> Vec<(u32, u64)> {
    let Some(cfg) = &s.flood_driven_spawn_mode else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for l in 0..p.flood_level.len() {
        let lvl = p.flood_level[l];
        if lvl <= 0 {
            continue;
        }
        // Levels were checked against the list when the run was set up.
        let v = cfg.count(lvl, p.pop[l]).unwrap_or(0.0);
        let n = match cfg.mode {
            SpawnMode::Constant | SpawnMode::PopRatio => v.max(0.0) as u64,
            SpawnMode::Poisson => super::conflict_spawning::poisson(v, |k| {
                uniform(
                    day_key,
                    super::conflict_spawning::location_stream(l),
                    Purpose::Spawn,
                    k,
                )
            }),
        };
        if n > 0 {
            out.push((l as u32, n));
        }
    }
    out
}

/// The location-score factor of a flood zone: `flood_loc_weights[level]`, at
/// level 0 too (18.5, 1.), and 0 while the forecaster acts (18.7); 1
/// elsewhere and before the first day's levels.
#[inline]
pub(crate) fn score_factor(p: &Places, s: &Settings, l: usize) -> f64 {
    if p.flood_level.is_empty() || !p.flood_zone[l] {
        return 1.0;
    }
    by_level(loc_weights(s), level(p, l)).unwrap_or(1.0) * super::flood_forecast::score_factor(p, l)
}

/// The endpoint factor of a flooded destination: `flood_loc_weights[level]`
/// at levels above 0 (18.5, 2.), on top of the flood-zone score factor; then
/// the forecaster's endpoint term of any destination while it acts (18.7).
#[inline]
pub(crate) fn endpoint_factor(p: &Places, s: &Settings, e: usize) -> f64 {
    let forecast = super::flood_forecast::endpoint_factor(p, e);
    let lvl = level(p, e);
    if lvl <= 0 {
        return forecast;
    }
    by_level(loc_weights(s), lvl).unwrap_or(1.0) * forecast
}

/// The move chance at a flooded location: `flood_movechances[level]`
/// replaces `chance` at levels above 0, any location type (18.6).
#[inline]
pub(crate) fn move_chance(p: &Places, s: &Settings, l: usize, chance: f64) -> f64 {
    let lvl = level(p, l);
    if lvl <= 0 {
        return chance;
    }
    s.flood_rules
        .as_ref()
        .and_then(|r| r.flood_movechances.as_deref())
        .and_then(|m| by_level(m, lvl))
        .unwrap_or(chance)
}

/// Refuses a flood-mode run whose flood levels over `days` fall outside its
/// flood lists (Flee crashes, 18.3), or whose table is too short.
pub(crate) fn check(sc: &Scenario, s: &Settings, days: u32) -> Result<(), String> {
    if !s.flood_mode() {
        return Ok(());
    }
    let Some(table) = &sc.flood else {
        return Err(
            "flood mode is on but the scenario has no flood levels (flood_level.csv)\n  \
                    hint: add input_csv/flood_level.csv or switch flood mode off"
                .into(),
        );
    };
    if table.days() < days as usize {
        return Err(format!(
            "flood_level.csv has {} days of levels but the run has {days} days\n  hint: add rows \
             or run fewer days",
            table.days()
        ));
    }
    let max = table.max_level(days as usize);
    let rules = s.flood_rules.clone().unwrap_or_default();
    let spawn = s.flood_driven_spawn_mode.clone().unwrap_or_default();
    for (key, list) in [
        (
            "displaced_per_flood_day",
            Some(spawn.displaced_per_flood_day),
        ),
        ("flood_movechances", rules.flood_movechances),
        ("flood_loc_weights", rules.flood_loc_weights),
    ] {
        let top = list.as_deref().map_or(-1, highest_level);
        if max > top {
            return Err(format!(
                "flood level {max} cannot be looked up in {key} (levels 0 to {top} can)\n  hint: \
                 add elements to {key} or lower the levels of flood_level.csv"
            ));
        }
    }
    super::flood_forecast::check(sc, s, days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::day_key;
    use crate::rules::{destination_rules, move_chance, scores, testkit};
    use corridor_model::flood::{FloodLevels, FloodSpawning};

    /// Flood zone F (1000 people) — 10 km — town T (500) — 10 km — camp C,
    /// with dflee_example's settings; F at level 1 then 2, T at level 2.
    fn flooded() -> Scenario {
        let mut sc = testkit::flood_line();
        sc.flood = Some(FloodLevels {
            columns: vec![(0, vec![1.0, 2.0]), (1, vec![2.9, 0.0])],
        });
        sc
    }

    #[test]
    fn levels_follow_the_table_by_row() {
        let sc = flooded();
        let mut w = testkit::world(sc.clone());
        assert!(w.places.flood_level.is_empty());
        update(&mut w.places, &sc, &w.settings.clone(), 0);
        assert_eq!(w.places.flood_level, vec![1, 2, 0]);
        update(&mut w.places, &sc, &w.settings.clone(), 1);
        assert_eq!(w.places.flood_level, vec![2, 0, 0]);
        // Outside flood mode nothing is set.
        let mut plain = testkit::world(testkit::line());
        update(
            &mut plain.places,
            &testkit::line(),
            &plain.settings.clone(),
            0,
        );
        assert!(plain.places.flood_level.is_empty());
    }

    #[test]
    fn flooded_locations_spawn_by_mode() {
        let sc = flooded();
        let mut w = testkit::world(sc.clone());
        update(&mut w.places, &sc, &w.settings.clone(), 0);
        // pop_ratio: int(0.1 × 1000) at F (level 1), int(0.2 × 500) at T (level 2).
        assert_eq!(counts(&w.places, &w.settings, 1), vec![(0, 100), (1, 100)]);
        w.settings.flood_driven_spawn_mode = Some(FloodSpawning {
            mode: SpawnMode::Constant,
            displaced_per_flood_day: vec![0.0, 100.0, 200.0, 300.0, 400.0],
        });
        assert_eq!(counts(&w.places, &w.settings, 1), vec![(0, 100), (1, 200)]);
        // Poisson: mean int(v) per location and day.
        w.settings.flood_driven_spawn_mode = Some(FloodSpawning {
            mode: SpawnMode::Poisson,
            displaced_per_flood_day: vec![0.0, 4.0, 4.0, 4.0, 4.0],
        });
        let days = 4000;
        let total: u64 = (0..days)
            .map(|d| {
                counts(&w.places, &w.settings, day_key(3, d))
                    .iter()
                    .map(|c| c.1)
                    .sum::<u64>()
            })
            .sum();
        let mean = total as f64 / days as f64;
        // Two locations of mean 4: 8 per day; se = sqrt(8 / 4000) ≈ 0.045.
        assert!((mean - 8.0).abs() < 0.25, "{mean}");
        // Unflooded: nobody.
        update(&mut w.places, &sc, &w.settings.clone(), 1);
        w.places.flood_level[0] = 0;
        assert!(counts(&w.places, &w.settings, 1).is_empty());
    }

    #[test]
    fn flood_zones_are_penalised_twice_and_other_flooded_places_once() {
        let sc = flooded();
        let mut w = testkit::world(sc.clone());
        update(&mut w.places, &sc, &w.settings.clone(), 0);
        let (p, s) = (&w.places, &w.settings);
        // F: flood zone at level 1 → 0.5 in its score; T (town, level 2) → 1.
        assert_eq!(score_factor(p, s, 0), 0.5);
        assert_eq!(score_factor(p, s, 1), 1.0);
        assert_eq!(endpoint_factor(p, s, 0), 0.5);
        assert_eq!(endpoint_factor(p, s, 1), 0.2);
        assert_eq!(endpoint_factor(p, s, 2), 1.0);
        // Through the scores stage: the route to F from T carries 0.5 twice
        // (18.5's example: 0.5·0.5/(10+10) with softening 10 and power 1).
        scores::refresh(&mut w, 0).unwrap();
        let want = scores::route_weight(&w.settings, 10.0, 0.5 * 0.5);
        assert!(destination_rules::per_candidate(&w.settings));
        let net = &w.net;
        let from_t = net
            .candidates_of(1)
            .find(|&i| net.candidates[i].end == 0)
            .unwrap();
        assert!(
            (w.weights.base.per_candidate[from_t] - want).abs() < 1e-12,
            "{}",
            w.weights.base.per_candidate[from_t]
        );
        // An unflooded flood zone keeps w[0] in its score (here 1; 0 in clustered configs).
        let mut w = testkit::world(sc.clone());
        update(&mut w.places, &sc, &w.settings.clone(), 0);
        w.places.flood_level[0] = 0;
        w.settings.flood_rules.as_mut().unwrap().flood_loc_weights = Some(vec![0.0, 0.1, 0.2]);
        assert_eq!(score_factor(&w.places, &w.settings, 0), 0.0);
    }

    #[test]
    fn a_flooded_location_replaces_the_move_chance() {
        let sc = flooded();
        let mut w = testkit::world(sc.clone());
        update(&mut w.places, &sc, &w.settings.clone(), 0);
        let (p, s) = (&w.places, &w.settings);
        // F level 1 → 0.4; T level 2 → 0.7; C unflooded keeps the camp chance.
        assert_eq!(move_chance::resting(p, s, 0, false, false), 0.4);
        assert_eq!(move_chance::resting(p, s, 1, false, false), 0.7);
        assert_eq!(
            move_chance::resting(p, s, 2, false, false),
            s.camp_movechance
        );
        // A route under way, or the town force, still returns 1 first.
        assert_eq!(move_chance::resting(p, s, 0, true, false), 1.0);
        assert_eq!(move_chance::resting(p, s, 1, false, true), 1.0);
        // Before the first update (and outside flood mode) nothing changes.
        let w0 = testkit::world(sc);
        assert_eq!(
            move_chance::resting(&w0.places, &w0.settings, 0, false, false),
            w0.settings.default_movechance
        );
    }

    #[test]
    fn levels_beyond_the_lists_are_refused() {
        let mut sc = flooded();
        assert_eq!(check(&sc, &sc.settings.clone(), 2), Ok(()));
        assert!(check(&sc, &sc.settings.clone(), 3)
            .unwrap_err()
            .contains("2 days"));
        sc.flood.as_mut().unwrap().columns[0].1[1] = 4.0;
        let e = check(&sc, &sc.settings.clone(), 2).unwrap_err();
        assert!(e.contains("flood level 4"), "{e}");
    }
}
