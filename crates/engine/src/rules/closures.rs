//! Border, location and camp closures from `closures.csv` (docs/flee-model.md 2.3).

use crate::events::{Event, Observer};
use crate::network::Link;
use crate::world::World;
use corridor_model::ClosureKind;

/// Applies the `closures.csv` rows that start or end on day `t`.
pub(crate) fn apply_day(world: &mut World, t: i64, obs: &mut impl Observer) {
    let sc = world.scenario;
    for c in &sc.closures {
        for (active, closing) in [(c.start == t, true), (c.end == t, false)] {
            if !active {
                continue;
            }
            if let Some(n) = apply(world, c.kind, &c.name1, &c.name2, closing) {
                obs.event(
                    t,
                    &Event::LinksChanged {
                        what: format!("{:?} {} {}", c.kind, c.name1, c.name2),
                        closed: closing,
                        links: n,
                    },
                );
            }
        }
    }
}

/// Applies one closure action; returns the number of links changed when the
/// network changed (None for flag-only changes and unknown names).
pub(crate) fn apply(
    world: &mut World,
    kind: ClosureKind,
    a: &str,
    b: &str,
    closing: bool,
) -> Option<usize> {
    use ClosureKind as K;
    let sc = world.scenario;
    let id = |name: &str| sc.location_id(name);
    let bounce = world.settings.compat.closed_link_bounce;
    let country = |l: u32| sc.locations[l as usize].country.as_str();
    let links = |world: &mut World, pred: &dyn Fn(&Link) -> bool| {
        if closing {
            world.close_links_where(bounce, pred)
        } else {
            world.open_links_where(pred)
        }
    };
    match kind {
        K::Country => Some(links(world, &|l| {
            (country(l.from) == a && country(l.to) == b)
                || (country(l.from) == b && country(l.to) == a)
        })),
        K::Location => {
            let x = id(a)?;
            Some(links(world, &|l| l.from == x || l.to == x))
        }
        K::Link => {
            let (x, y) = (id(a)?, id(b)?);
            Some(links(world, &|l| {
                (l.from == x && l.to == y) || (l.from == y && l.to == x)
            }))
        }
        K::Camp | K::IdpCamp => {
            let x = id(a)? as usize;
            let p = &mut world.places;
            let s = &world.settings;
            p.conflict[x] = -1.0;
            if closing {
                p.camp[x] = false;
                p.idpcamp[x] = false;
                p.town[x] = true;
                p.movechance[x] = s.default_movechance;
            } else {
                p.camp[x] = true;
                p.town[x] = false;
                if kind == K::IdpCamp {
                    p.idpcamp[x] = true;
                    p.movechance[x] = s.idpcamp_movechance;
                } else {
                    p.movechance[x] = s.camp_movechance;
                }
            }
            None
        }
        K::RemoveForcedRedirection => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn closing_a_location_closes_its_links_until_it_reopens() {
        let mut w = testkit::world(testkit::line());
        let active = |w: &World, l: u32| w.net.active_links(l).count();
        assert_eq!(active(&w, 1), 2);
        assert_eq!(apply(&mut w, ClosureKind::Location, "C", "", true), Some(2));
        assert_eq!(active(&w, 1), 1);
        assert_eq!(active(&w, 2), 0);
        assert_eq!(
            apply(&mut w, ClosureKind::Location, "C", "", false),
            Some(2)
        );
        assert_eq!(active(&w, 1), 2);
        assert_eq!(
            apply(&mut w, ClosureKind::Location, "nowhere", "", true),
            None
        );
    }

    #[test]
    fn a_closed_camp_is_a_town() {
        let mut w = testkit::world(testkit::line());
        assert_eq!(apply(&mut w, ClosureKind::Camp, "C", "", true), None);
        assert!(!w.places.camp[2] && w.places.town[2]);
        apply(&mut w, ClosureKind::Camp, "C", "", false);
        assert!(w.places.camp[2] && !w.places.town[2]);
        assert_eq!(w.places.movechance[2], w.settings.camp_movechance);
    }
}
