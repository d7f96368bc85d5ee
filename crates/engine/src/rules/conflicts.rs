//! Conflict onsets, intensity changes and ends from `conflicts.csv`
//! (docs/flee-model.md 2.4).

use crate::events::{Event, Observer};
use crate::world::World;

/// What `conflicts.csv` says happens to one location on one day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Change {
    /// Conflict starts with this intensity.
    Onset(f64),
    /// Conflict goes on with a new intensity.
    Intensity(f64),
    /// Conflict ends.
    End,
}

/// The change on day `t` of a location whose intensities by day are `vals`;
/// intensity changes are ignored with `ignore_changes` (Flee's behaviour).
pub(crate) fn change(vals: &[f64], t: i64, ignore_changes: bool) -> Option<Change> {
    let v = vals[t as usize];
    let prev = if t > 0 { vals[t as usize - 1] } else { 0.0 };
    if v > 1e-6 {
        if t == 0 || prev < 1e-6 {
            return Some(Change::Onset(v));
        } else if !ignore_changes && v != prev {
            return Some(Change::Intensity(v));
        }
    }
    if v < 1e-6 && t > 0 && prev >= 1e-6 {
        return Some(Change::End);
    }
    None
}

/// Applies day `t` of every column of `conflicts.csv`; returns whether any
/// location changed.
pub(crate) fn apply_day(
    world: &mut World,
    columns: &[(u32, Vec<f64>)],
    t: i64,
    obs: &mut impl Observer,
) -> bool {
    let mut changed = false;
    let s = &world.settings;
    let p = &mut world.places;
    for (loc, vals) in columns {
        let l = *loc as usize;
        let Some(c) = change(vals, t, s.compat.ignore_intensity_changes) else {
            continue;
        };
        let intensity = match c {
            Change::Onset(v) => {
                p.movechance[l] = s.conflict_movechance;
                p.conflict[l] = v;
                p.town[l] = false;
                p.time_of_conflict[l] = t;
                v
            }
            Change::Intensity(v) => {
                p.conflict[l] = v;
                v
            }
            Change::End => {
                p.movechance[l] = s.default_movechance;
                p.conflict[l] = -1.0;
                p.town[l] = true;
                0.0
            }
        };
        changed = true;
        obs.event(
            t,
            &Event::ConflictChanged {
                location: *loc,
                intensity,
            },
        );
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventCounter;
    use crate::rules::testkit;

    #[test]
    fn onsets_changes_and_ends_follow_the_table() {
        let vals = [0.0, 1.0, 1.0, 0.5, 0.0];
        assert_eq!(change(&vals, 0, false), None);
        assert_eq!(change(&vals, 1, false), Some(Change::Onset(1.0)));
        assert_eq!(change(&vals, 2, false), None);
        assert_eq!(change(&vals, 3, false), Some(Change::Intensity(0.5)));
        assert_eq!(change(&vals, 3, true), None);
        assert_eq!(change(&vals, 4, false), Some(Change::End));
        assert_eq!(change(&[0.7], 0, false), Some(Change::Onset(0.7)));
    }

    #[test]
    fn an_onset_makes_a_town_a_conflict_zone_and_an_end_reverses_it() {
        let mut w = testkit::world(testkit::line());
        let cols = vec![(1u32, vec![0.0, 0.8, 0.0])];
        let mut events = EventCounter::default();
        assert!(!apply_day(&mut w, &cols, 0, &mut events));
        assert!(apply_day(&mut w, &cols, 1, &mut events));
        assert_eq!(w.places.conflict[1], 0.8);
        assert!(!w.places.town[1]);
        assert_eq!(w.places.time_of_conflict[1], 1);
        assert_eq!(w.places.movechance[1], w.settings.conflict_movechance);
        assert!(apply_day(&mut w, &cols, 2, &mut events));
        assert_eq!(w.places.conflict[1], -1.0);
        assert!(w.places.town[1]);
        assert_eq!(events.conflict_changes, 2);
    }
}
