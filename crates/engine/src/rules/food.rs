//! Food deprivation (docs/flee-model.md 19): each location's IPC level,
//! updated daily from its region's row of the IPC table, and the three
//! rules that read it: people flee more where food is short
//! (`flee_when_starving`), avoid food-deprived domestic places
//! (`avoid_food_deprived_locations`), and spawn more in hungry conflict
//! zones (`starvation_driven_spawning`). Without an IPC table nothing runs.

use crate::world::Places;
use corridor_model::{Scenario, Settings};

/// Sets every location's IPC level for day `t` (Flee's step A): its
/// region's interpolated percentage; 0 without a column, and 0 for a
/// location whose own name heads a column (Flee never sets that one).
pub(crate) fn update(p: &mut Places, sc: &Scenario, t: i64) {
    let Some(table) = &sc.ipc else {
        return;
    };
    p.ipc.resize(sc.locations.len(), 0.0);
    for (i, l) in sc.locations.iter().enumerate() {
        if table.has_column(&l.name) {
            continue;
        }
        p.ipc[i] = table.level(&l.region, t as f64).unwrap_or(0.0);
    }
}

/// `flee_when_starving`: the move chance `p` at location `l` rises to
/// `m + (1 − m)·p` with `m` its IPC share.
#[inline]
pub(crate) fn move_chance(p: &Places, s: &Settings, l: usize, chance: f64) -> f64 {
    if !s.flee_when_starving {
        return chance;
    }
    let m = p.ipc.get(l).copied().unwrap_or(0.0) / 100.0;
    m + (1.0 - m) * chance
}

/// `avoid_food_deprived_locations`: the score factor `1 − (IPC/100)²` of a
/// domestic location from day 1 on (foreign ones are exempt).
#[inline]
pub(crate) fn score_factor(p: &Places, s: &Settings, l: usize, t: i64) -> f64 {
    if !s.avoid_food_deprived_locations || t <= 0 || p.foreign[l] {
        return 1.0;
    }
    let m = p.ipc.get(l).copied().unwrap_or(0.0) / 100.0;
    1.0 - m * m
}

/// `starvation_driven_spawning`: the extra spawn weight `pop · IPC / 100`
/// of a location that may spawn, refreshed with `time > 0`.
#[inline]
pub(crate) fn spawn_weight(p: &Places, s: &Settings, l: usize, time: i64) -> f64 {
    if !s.starvation_driven_spawning || time <= 0 {
        return 0.0;
    }
    if s.conflict_zone_spawning_only && p.conflict[l] <= 0.0 {
        return 0.0;
    }
    p.pop[l] as f64 * p.ipc.get(l).copied().unwrap_or(0.0) / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{move_chance, scores, spawning, testkit};
    use corridor_model::food::IpcTable;

    /// The line A (conflict) – B (town) – C (camp), with A and B in region "r"
    /// at 50 % on day 0 and 10 % on day 10, and C in region "s" (no column).
    fn hungry() -> corridor_model::Scenario {
        let mut sc = testkit::line();
        sc.locations[2].region = "s".into();
        sc.ipc = Some(IpcTable {
            days: vec![0.0, 10.0],
            regions: vec![("r".into(), vec![50.0, 10.0])],
        });
        sc
    }

    #[test]
    fn levels_follow_the_region_s_row() {
        let mut w = testkit::world(hungry());
        update(&mut w.places, w.scenario, 5);
        assert_eq!(w.places.ipc, vec![30.0, 30.0, 0.0]);
        // No table: no levels at all.
        let w = testkit::world(testkit::line());
        assert!(w.places.ipc.is_empty());
    }

    #[test]
    fn hungry_people_move_more() {
        let mut sc = hungry();
        sc.settings.flee_when_starving = true;
        let w = testkit::world(sc);
        let (p, s) = (&w.places, &w.settings);
        // Town B: 0.5 + 0.5 · default_movechance; camp C (no level) unchanged.
        let town = move_chance::resting(p, s, 1, false, false);
        assert!(
            (town - (0.5 + 0.5 * s.default_movechance)).abs() < 1e-12,
            "{town}"
        );
        assert_eq!(
            move_chance::resting(p, s, 2, false, false),
            s.camp_movechance
        );
    }

    #[test]
    fn food_deprived_places_score_less_from_day_one() {
        let mut sc = hungry();
        sc.settings.avoid_food_deprived_locations = true;
        let w = testkit::world(sc);
        let (p, s) = (&w.places, &w.settings);
        let b0 = scores::location_score(p, s, 1, 0);
        let b1 = scores::location_score(p, s, 1, 1);
        assert_eq!(b0, 1.0);
        assert!((b1 - 0.75).abs() < 1e-12, "{b1}");
        assert_eq!(scores::location_score(p, s, 2, 1), s.camp_weight);
    }

    #[test]
    fn hunger_adds_spawn_weight_in_conflict_zones_only() {
        let mut sc = hungry();
        sc.settings.starvation_driven_spawning = true;
        let mut w = testkit::world(sc);
        w.places.conflict[0] = 1.0;
        let mut plain = vec![0.0; 3];
        let mut fed = vec![0.0; 3];
        w.settings.starvation_driven_spawning = false;
        spawning::refresh_weights(&w.places, &w.settings, 1, &mut plain);
        w.settings.starvation_driven_spawning = true;
        spawning::refresh_weights(&w.places, &w.settings, 1, &mut fed);
        let pop_a = w.places.pop[0] as f64;
        assert!(
            (fed[0] - plain[0] - pop_a * 0.5).abs() < 1e-9,
            "{fed:?} {plain:?}"
        );
        assert_eq!((fed[1], fed[2]), (0.0, 0.0));
        // Not on day 0.
        spawning::refresh_weights(&w.places, &w.settings, 0, &mut fed);
        w.settings.starvation_driven_spawning = false;
        spawning::refresh_weights(&w.places, &w.settings, 0, &mut plain);
        assert_eq!(fed, plain);
    }
}
