//! Location type changes from `location_changes.csv` (docs/flee-model.md 14),
//! applied at the very start of a day, before the conflict onsets and ends of
//! `conflicts.csv`.

use crate::events::{Event, Observer};
use crate::world::World;
use corridor_model::{LocationChange, LocationKind};

/// Applies the rows of day `t`, in file order (the last row for a location
/// wins). As in Flee, the onset day, capacity and population stay as they
/// are, and the output camps stay those of day 0.
pub(crate) fn apply_day(
    world: &mut World,
    changes: &[LocationChange],
    t: i64,
    obs: &mut impl Observer,
) {
    let mut markers_changed = false;
    for ch in changes.iter().filter(|c| c.day == t) {
        let l = ch.location as usize;
        let s = &world.settings;
        let p = &mut world.places;
        let was_marker = p.marker[l];
        let was_conflict = p.conflict[l] > 0.0;
        p.town[l] = false;
        p.camp[l] = false;
        p.idpcamp[l] = false;
        p.marker[l] = false;
        p.conflict[l] = -1.0;
        p.flood_zone[l] = ch.kind == LocationKind::FloodZone;
        match ch.kind {
            LocationKind::Camp => {
                p.camp[l] = true;
                p.movechance[l] = s.camp_movechance;
            }
            LocationKind::IdpCamp => {
                p.camp[l] = true;
                p.idpcamp[l] = true;
                p.movechance[l] = s.idpcamp_movechance;
            }
            LocationKind::Conflict => {
                p.movechance[l] = s.conflict_movechance;
                p.conflict[l] = s.default_conflict_intensity as f64;
            }
            LocationKind::Forward => p.movechance[l] = 1.0,
            LocationKind::Marker => {
                p.marker[l] = true;
                p.movechance[l] = 1.0;
            }
            LocationKind::FloodZone => p.movechance[l] = s.default_movechance,
            LocationKind::Town => {
                p.town[l] = true;
                p.movechance[l] = s.default_movechance;
            }
            // The reader refuses other types (Flee crashes on them).
            LocationKind::Other => {}
        }
        markers_changed |= was_marker != p.marker[l];
        let in_conflict = p.conflict[l] > 0.0;
        if was_conflict || in_conflict {
            obs.event(
                t,
                &Event::ConflictChanged {
                    location: ch.location,
                    intensity: p.conflict[l].max(0.0),
                },
            );
        }
    }
    // Markers do not count towards the awareness depth: the candidates change.
    if markers_changed {
        world.refresh_candidates(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventCounter;
    use crate::rules::testkit;

    fn change(location: u32, kind: &str, day: i64) -> LocationChange {
        LocationChange {
            location,
            kind: LocationKind::parse(kind),
            day,
        }
    }

    #[test]
    fn a_change_resets_the_flags_and_sets_the_new_type() {
        // Flee's test_csv::test_location_changes: C becomes an IDP camp, and the
        // conflict zone A a town.
        let mut w = testkit::world(testkit::line());
        w.places.time_of_conflict[0] = 3;
        let rows = vec![change(1, "idpcamp", 2), change(0, "town", 4)];
        let mut events = EventCounter::default();
        apply_day(&mut w, &rows, 1, &mut events);
        assert!(w.places.town[1] && !w.places.camp[1]);
        apply_day(&mut w, &rows, 2, &mut events);
        assert!(w.places.camp[1] && w.places.idpcamp[1] && !w.places.town[1]);
        assert_eq!(w.places.movechance[1], w.settings.idpcamp_movechance);
        // A town made a camp keeps its (absent) capacity: unlimited.
        assert_eq!(w.places.capacity[1], -1);
        assert_eq!(events.conflict_changes, 0);
        apply_day(&mut w, &rows, 4, &mut events);
        assert!(w.places.town[0]);
        assert_eq!(w.places.conflict[0], -1.0);
        assert_eq!(w.places.movechance[0], w.settings.default_movechance);
        // The onset day is not touched.
        assert_eq!(w.places.time_of_conflict[0], 3);
        assert_eq!(events.conflict_changes, 1);
    }

    #[test]
    fn a_new_conflict_zone_gets_the_whole_default_intensity_and_the_last_row_wins() {
        let mut sc = testkit::line();
        sc.settings.default_conflict_intensity = 2;
        let mut w = testkit::world(sc);
        let rows = vec![change(1, "camp", 0), change(1, "conflict_zone", 0)];
        apply_day(&mut w, &rows, 0, &mut EventCounter::default());
        assert_eq!(w.places.conflict[1], 2.0);
        assert!(!w.places.camp[1] && !w.places.town[1]);
        assert_eq!(w.places.movechance[1], w.settings.conflict_movechance);
        assert_eq!(w.places.time_of_conflict[1], -1);
    }

    #[test]
    fn a_new_marker_changes_the_route_candidates() {
        let mut w = testkit::world(testkit::line());
        // From A the only candidate is B; once B is a marker, A's candidates
        // go through it to C.
        assert!(w.net.candidates_of(0).all(|i| w.net.candidates[i].end == 1));
        apply_day(
            &mut w,
            &[change(1, "marker", 0)],
            0,
            &mut EventCounter::default(),
        );
        assert!(w.net.candidates_of(0).all(|i| w.net.candidates[i].end == 2));
    }
}
