//! Scale paths over the siege's capacities and population: each multiplies a
//! number on every day it is given (the `siege:` value and every intervention
//! that sets it later), so a timeline keeps its shape and only its level
//! varies. A scale reads as 1.0 on an unmodified scenario.
//!
//! | path | multiplies |
//! |---|---|
//! | `siege.population_scale[.<Place>]` | the people inside at day 0 (`siege.population`), rounded |
//! | `siege.camp_capacity_scale[.<Camp>]` | camps' shelter (`siege.camps[].shelter`, `set_shelter`) and admission (`locations.csv` capacity, `admits`, `set_camp_capacity`), rounded |
//! | `siege.screening_capacity_scale[.<Site>]` | screening `capacity_per_day` (and `set_screening`'s), rounded; `unlimited` stays unlimited |
//! | `siege.transport_scale[.<From>]` | bus seats `people_per_day` (and `set_transport`'s), rounded |
//! | `siege.crossing_capacity_scale[.<From>]` | river crossings' `capacity_per_day` (and `set_crossing`'s), rounded; `unlimited` stays unlimited |
//! | `siege.return_rate_scale[.<Place>]` | the `daily_rate` of returns home to that place (and `set_return`'s), clamped to [0, 1] |

use super::{invalid, place, ParamError};
use corridor_model::siege::Action;
use corridor_model::{LocationKind, Scenario};

/// Which numbers a scale path multiplies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Scale {
    Population,
    CampCapacity,
    ScreeningCapacity,
    Transport,
    CrossingCapacity,
    ReturnRate,
}

const NAMES: [(&str, Scale); 6] = [
    ("population_scale", Scale::Population),
    ("camp_capacity_scale", Scale::CampCapacity),
    ("screening_capacity_scale", Scale::ScreeningCapacity),
    ("transport_scale", Scale::Transport),
    ("crossing_capacity_scale", Scale::CrossingCapacity),
    ("return_rate_scale", Scale::ReturnRate),
];

/// Resolves `rest` (the path after `siege.`) if it is a scale path: the
/// scale and the one place it is limited to (`None` = all).
pub(super) fn resolve(
    scenario: &Scenario,
    path: &str,
    rest: &str,
) -> Option<Result<(Scale, Option<u32>), ParamError>> {
    let (kind, place_name) = NAMES.iter().find_map(|(name, kind)| {
        if rest == *name {
            Some((*kind, None))
        } else {
            rest.strip_prefix(name)
                .and_then(|r| r.strip_prefix('.'))
                .map(|p| (*kind, Some(p)))
        }
    })?;
    let Some(name) = place_name else {
        return Some(Ok((kind, None)));
    };
    Some(place(scenario, path, name).and_then(|loc| {
        if has(scenario, kind, loc) {
            Ok((kind, Some(loc)))
        } else {
            Err(invalid(
                path,
                format!(
                    "'{name}' has nothing this scale multiplies ({})",
                    what(kind)
                ),
            ))
        }
    }))
}

fn what(kind: Scale) -> &'static str {
    match kind {
        Scale::Population => "no siege.population entry",
        Scale::CampCapacity => "not a camp",
        Scale::ScreeningCapacity => "no screening",
        Scale::Transport => "no bus line from there",
        Scale::CrossingCapacity => "no river crossing from there",
        Scale::ReturnRate => "no returns home to it",
    }
}

fn is_camp(scenario: &Scenario, loc: u32) -> bool {
    matches!(
        scenario.locations[loc as usize].kind,
        LocationKind::Camp | LocationKind::IdpCamp
    )
}

/// Whether `loc` has a number that scale `kind` multiplies.
fn has(scenario: &Scenario, kind: Scale, loc: u32) -> bool {
    let Some(m) = &scenario.siege else {
        return false;
    };
    match kind {
        Scale::Population => m.populations.iter().any(|p| p.location == loc),
        Scale::CampCapacity => is_camp(scenario, loc),
        Scale::ScreeningCapacity => m.screenings.iter().any(|s| s.location == loc),
        Scale::Transport => {
            m.transport.iter().any(|t| t.from == loc)
                || m.interventions
                    .iter()
                    .any(|i| matches!(i.action, Action::SetTransport { from, .. } if from == loc))
        }
        Scale::CrossingCapacity => m.crossings.iter().any(|c| c.from == loc),
        Scale::ReturnRate => {
            m.returns.iter().any(|r| r.to == loc)
                || m.interventions
                    .iter()
                    .any(|i| matches!(i.action, Action::SetReturn { to, .. } if to == loc))
        }
    }
}

/// Multiplies the numbers of scale `kind` (at `which`, or everywhere) by `value`.
pub(super) fn apply(
    scenario: &mut Scenario,
    path: &str,
    kind: Scale,
    which: Option<u32>,
    value: f64,
) -> Result<(), ParamError> {
    if value < 0.0 {
        return Err(invalid(path, "a scale must not be negative"));
    }
    let hit = |loc: u32| which.is_none_or(|w| w == loc);
    let people = |v: i64| (v as f64 * value).round() as i64;
    let count = |v: u32| (v as f64 * value).round().min(u32::MAX as f64) as u32;
    if kind == Scale::CampCapacity {
        // Admission from locations.csv, for camps only.
        for l in 0..scenario.locations.len() as u32 {
            if hit(l) && is_camp(scenario, l) {
                let c = &mut scenario.locations[l as usize].pop_or_capacity;
                *c = people(*c);
            }
        }
    }
    let m = scenario.siege.as_mut().expect("siege target");
    match kind {
        Scale::Population => {
            for p in m.populations.iter_mut().filter(|p| hit(p.location)) {
                p.people = people(p.people);
            }
        }
        Scale::CampCapacity => {
            for c in m.camps.iter_mut().filter(|c| hit(c.location)) {
                c.shelter = c.shelter.map(people);
                if let Some(Some(a)) = &mut c.admits {
                    *a = people(*a);
                }
            }
        }
        Scale::ScreeningCapacity => {
            for s in m.screenings.iter_mut().filter(|s| hit(s.location)) {
                s.capacity_per_day = s.capacity_per_day.map(count);
            }
        }
        Scale::Transport => {
            for t in m.transport.iter_mut().filter(|t| hit(t.from)) {
                t.people_per_day = count(t.people_per_day);
            }
        }
        Scale::CrossingCapacity => {
            for c in m.crossings.iter_mut().filter(|c| hit(c.from)) {
                c.capacity_per_day = c.capacity_per_day.map(count);
            }
        }
        Scale::ReturnRate => {
            for r in m.returns.iter_mut().filter(|r| hit(r.to)) {
                r.daily_rate = (r.daily_rate * value).clamp(0.0, 1.0);
            }
        }
    }
    for iv in &mut m.interventions {
        match (&mut iv.action, kind) {
            (Action::SetShelter { camp, people: p }, Scale::CampCapacity)
            | (Action::SetCampCapacity { camp, people: p }, Scale::CampCapacity)
                if hit(*camp) =>
            {
                *p = people(*p)
            }
            (
                Action::SetScreening {
                    location,
                    capacity_per_day: Some(Some(c)),
                    ..
                },
                Scale::ScreeningCapacity,
            ) if hit(*location) => *c = count(*c),
            (
                Action::SetTransport {
                    from,
                    people_per_day: Some(c),
                    ..
                },
                Scale::Transport,
            ) if hit(*from) => *c = count(*c),
            (
                Action::SetCrossing {
                    from,
                    capacity_per_day: Some(Some(c)),
                    ..
                },
                Scale::CrossingCapacity,
            ) if hit(*from) => *c = count(*c),
            (Action::SetReturn { to, daily_rate, .. }, Scale::ReturnRate) if hit(*to) => {
                *daily_rate = (*daily_rate * value).clamp(0.0, 1.0)
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::tiny;
    use super::super::{check_path, get_parameter, set_parameter};
    use corridor_model::siege::*;
    use corridor_model::LocationKind;

    /// `tiny` with a population, a camp C (shelter, admission, both changed
    /// later), a screening, a bus line and a crossing, each with a later change.
    fn scenario() -> corridor_model::Scenario {
        let mut s = tiny(true);
        s.locations[2].kind = LocationKind::Camp;
        s.locations[2].pop_or_capacity = 1000;
        let m = s.siege.as_mut().unwrap();
        m.populations = vec![Population {
            location: 0,
            people: 600,
        }];
        m.camps = vec![CampShelter {
            location: 2,
            shelter: Some(500),
            admits: Some(Some(800)),
            hosts: false,
        }];
        m.screenings = vec![Screening {
            location: 1,
            active: true,
            hold_min_days: 1,
            hold_max_days: 1,
            not_released: 0.0,
            death_in_custody: 0.0,
            on_arrival: true,
            on_departure: false,
            capacity_per_day: Some(300),
        }];
        m.transport = vec![Transport {
            from: 1,
            to: vec![2],
            people_per_day: 1000,
            active: true,
            leg: false,
        }];
        m.returns = vec![Return {
            to: 0,
            opens_day: 2,
            daily_rate: 0.01,
            from: vec![ReturnFrom::Any],
            min_days_away: 0,
        }];
        m.crossings = vec![Crossing {
            from: 0,
            to: 1,
            capacity_per_day: Some(100),
            drowning: 0.0,
            shot_crossing: 0.0,
            shot_waiting: 0.0,
            patience_days: None,
            give_up: 0.0,
        }];
        let at = |day, action| Intervention {
            day,
            action,
            note: String::new(),
        };
        m.interventions.extend([
            at(
                8,
                Action::SetReturn {
                    to: 0,
                    daily_rate: 0.4,
                    min_days_away: None,
                    from: None,
                },
            ),
            at(
                4,
                Action::SetShelter {
                    camp: 2,
                    people: 700,
                },
            ),
            at(
                4,
                Action::SetCampCapacity {
                    camp: 2,
                    people: 900,
                },
            ),
            at(
                5,
                Action::SetScreening {
                    location: 1,
                    active: None,
                    hold_days: None,
                    not_released: None,
                    death_in_custody: None,
                    on: None,
                    capacity_per_day: Some(Some(600)),
                },
            ),
            at(
                6,
                Action::SetTransport {
                    from: 1,
                    to: None,
                    people_per_day: Some(2000),
                    active: None,
                },
            ),
            at(
                7,
                Action::SetCrossing {
                    from: 0,
                    to: 1,
                    capacity_per_day: Some(Some(400)),
                    drowning: None,
                    shot_crossing: None,
                    shot_waiting: None,
                    patience_days: None,
                    give_up: None,
                },
            ),
        ]);
        s
    }

    #[test]
    fn scales_multiply_every_day_of_their_numbers() {
        let mut s = scenario();
        for p in [
            "siege.population_scale",
            "siege.population_scale.A",
            "siege.camp_capacity_scale.C",
            "siege.screening_capacity_scale",
            "siege.transport_scale.B.x",
            "siege.crossing_capacity_scale.A",
        ] {
            assert_eq!(get_parameter(&s, p).unwrap(), 1.0, "{p}");
        }
        set_parameter(&mut s, "siege.population_scale", 1.1).unwrap();
        set_parameter(&mut s, "siege.camp_capacity_scale", 0.5).unwrap();
        set_parameter(&mut s, "siege.screening_capacity_scale.B.x", 2.0).unwrap();
        set_parameter(&mut s, "siege.transport_scale", 0.25).unwrap();
        set_parameter(&mut s, "siege.crossing_capacity_scale.A", 1.5).unwrap();
        set_parameter(&mut s, "siege.return_rate_scale.A", 3.0).unwrap();
        assert_eq!(s.locations[2].pop_or_capacity, 500);
        // A town's population is not a camp capacity.
        assert_eq!(s.locations[0].pop_or_capacity, 100);
        let m = s.siege.as_ref().unwrap();
        assert_eq!(m.populations[0].people, 660);
        assert_eq!(
            (m.camps[0].shelter, m.camps[0].admits),
            (Some(250), Some(Some(400)))
        );
        assert_eq!(m.screenings[0].capacity_per_day, Some(600));
        assert_eq!(m.transport[0].people_per_day, 250);
        assert_eq!(m.crossings[0].capacity_per_day, Some(150));
        assert!((m.returns[0].daily_rate - 0.03).abs() < 1e-12);
        // Clamped to a probability.
        assert!(m.interventions.iter().any(|i| matches!(i.action,
            Action::SetReturn { daily_rate, .. } if daily_rate == 1.0)));
        let later: Vec<&Action> = m.interventions.iter().map(|i| &i.action).collect();
        assert!(later.contains(&&Action::SetShelter {
            camp: 2,
            people: 350
        }));
        assert!(later.contains(&&Action::SetCampCapacity {
            camp: 2,
            people: 450
        }));
        assert!(later.iter().any(|a| matches!(
            a,
            Action::SetScreening {
                capacity_per_day: Some(Some(1200)),
                ..
            }
        )));
        assert!(later.iter().any(|a| matches!(
            a,
            Action::SetTransport {
                people_per_day: Some(500),
                ..
            }
        )));
        assert!(later.iter().any(|a| matches!(
            a,
            Action::SetCrossing {
                capacity_per_day: Some(Some(600)),
                ..
            }
        )));
        // The attempt-rate change is untouched.
        assert!(later.iter().any(|a| matches!(a,
            Action::SetAttemptRate { value, .. } if *value == 0.6)));
    }

    #[test]
    fn scale_paths_name_places_that_have_the_number() {
        let mut s = scenario();
        let e = check_path(&s, "siege.camp_capacity_scale.A").unwrap_err();
        assert!(e.to_string().contains("not a camp"), "{e}");
        let e = check_path(&s, "siege.transport_scale.C").unwrap_err();
        assert!(e.to_string().contains("no bus line"), "{e}");
        let e = check_path(&s, "siege.population_scale.Nowhere").unwrap_err();
        assert!(
            e.to_string().contains("no location called 'Nowhere'"),
            "{e}"
        );
        let e = set_parameter(&mut s, "siege.population_scale", -1.0).unwrap_err();
        assert!(e.to_string().contains("negative"), "{e}");
        // Without a siege the paths are unknown, with the list of siege paths.
        let e = check_path(&tiny(false), "siege.population_scale").unwrap_err();
        assert!(e.to_string().contains("siege"), "{e}");
    }
}
