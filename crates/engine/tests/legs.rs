//! Bus legs (`transport[].leg`): a line from a muster point to a screening
//! site that is not a camp, with daily seats; the people it carries are
//! screened there on arrival, as if they had walked in.

use corridor_engine::events::{Event, NoObserver, Observer};
use corridor_engine::siege::SiegeReport;
use corridor_engine::{RunOptions, Simulation};
use corridor_model::siege::*;
use corridor_model::*;

mod common;
use common::{loc, route, siege_scenario};

const PEOPLE: i64 = 6_000;
const SEATS: u32 = 120;
const MUSTER: u32 = 1;
const SITE: u32 = 2;

/// City (held) → Muster (a town, no road on) ⇒ bus leg ⇒ Site (a town that
/// screens on arrival) → Camp on foot.
fn scenario() -> Scenario {
    let locations = vec![
        loc("City", "conflict_zone", 0),
        loc("Muster", "town", 0),
        loc("Site", "town", 0),
        loc("Camp", "camp", 1_000_000),
    ];
    let routes = vec![route(0, 1, 4.0), route(2, 3, 20.0)];
    let siege = SiegeModel {
        people_per_agent: 6,
        screened_share: 0.3,
        populations: vec![Population {
            location: 0,
            people: PEOPLE,
        }],
        holds: vec![Hold {
            location: 0,
            attempt_rate: 0.1,
            until_day: None,
            residents: Default::default(),
        }],
        exits: vec![Exit {
            from: 0,
            to: MUSTER,
            open: true,
            turned_back: 0.0,
            shot: 0.0,
            weight: 1.0,
        }],
        screenings: vec![Screening {
            location: SITE,
            active: true,
            hold_min_days: 1,
            hold_max_days: 1,
            not_released: 0.0,
            death_in_custody: 0.0,
            on_arrival: true,
            on_departure: false,
            capacity_per_day: None,
        }],
        transport: vec![Transport {
            from: MUSTER,
            to: vec![SITE],
            people_per_day: SEATS,
            active: true,
            leg: true,
        }],
        ..SiegeModel::default()
    };
    let mut settings = Settings::flee_validation();
    settings.max_move_speed = 30.0;
    siege_scenario(
        "legs",
        (2017, 2, 19),
        60,
        locations,
        routes,
        settings,
        siege,
    )
}

#[derive(Default)]
struct Carried(Vec<(i64, u32, u32, u32)>);
impl Observer for Carried {
    fn event(&mut self, day: i64, e: &Event) {
        if let Event::Relocated {
            from, to, people, ..
        } = e
        {
            self.0.push((day, *from, *to, *people));
        }
    }
}

fn run_with<O: Observer>(sc: &Scenario, obs: &mut O) -> SiegeReport {
    let mut sim = Simulation::new(sc, &RunOptions::default()).unwrap();
    while sim.step(obs).unwrap().is_some() {}
    let r = sim.siege_report().unwrap();
    for d in &r.days {
        assert_eq!(d.total(), PEOPLE, "day {}: {d:?}", d.day);
    }
    r
}

#[test]
fn a_leg_carries_its_seats_to_a_town_whose_screening_takes_the_men() {
    let sc = scenario();
    let mut carried = Carried::default();
    let r = run_with(&sc, &mut carried);
    assert!(!carried.0.is_empty());
    for day in 0..60 {
        let today: u32 = carried
            .0
            .iter()
            .filter(|c| c.0 == day)
            .map(|c| {
                assert_eq!((c.1, c.2), (MUSTER, SITE));
                c.3
            })
            .sum();
        assert!(today <= SEATS, "day {day}: {today} people carried");
    }
    // Nobody walks to the site (no road): every man screened there came by bus.
    let last = r.days.last().unwrap();
    let site = r.screening_sites.iter().position(|s| s == "Site").unwrap();
    assert!(last.separated_at[site] > 0, "{last:?}");
    assert_eq!(last.separated, last.separated_at[site]);
    // The families go on to the camp on foot.
    assert!(last.in_camp[0] > 0);
    // Seats bind: with 10 % of 1,000 households trying a day, people wait at the muster point.
    assert!(last.in_transit > 0);
}

#[test]
fn without_leg_a_line_to_a_town_is_refused() {
    let mut sc = scenario();
    let s = sc.siege.as_mut().unwrap();
    s.transport[0].to = vec![3];
    s.transport[0].leg = false;
    s.interventions.push(Intervention {
        day: 5,
        action: Action::SetTransport {
            from: MUSTER,
            to: Some(vec![SITE]),
            people_per_day: None,
            active: None,
        },
        note: String::new(),
    });
    let err = match Simulation::new(&sc, &RunOptions::default()) {
        Ok(_) => panic!("a line to a town without leg: true was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("'Site', which is not a camp") && err.contains("leg: true"),
        "{err}"
    );
    // As a leg, the same change is accepted and runs.
    sc.siege.as_mut().unwrap().transport[0].leg = true;
    run_with(&sc, &mut NoObserver);
}

#[test]
fn legs_are_the_same_for_any_thread_count() {
    let sc = scenario();
    let fates = |threads: usize| common::on(threads, || run_with(&sc, &mut NoObserver).fates_csv());
    assert_eq!(fates(1), fates(4));
}
