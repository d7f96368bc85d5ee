//! Siege mechanics on a small hand-built scenario: conservation of people,
//! and each mechanism doing what it says.

use corridor_engine::{RunOptions, Simulation};
use corridor_model::siege::*;
use corridor_model::*;

mod common;
use common::{loc, route, siege_scenario};

/// City (held) → Bank (river) → Checkpoint (screening) → Camp; City → Road → Camp.
fn besieged(days: u32) -> Scenario {
    let locations = vec![
        loc("City", "conflict_zone", 0),
        loc("Bank", "town", 0),
        loc("Checkpoint", "town", 0),
        loc("Camp", "camp", 100_000),
        loc("Road", "town", 0),
    ];
    let routes = vec![
        route(0, 1, 5.0),
        route(1, 2, 10.0),
        route(2, 3, 15.0),
        route(0, 4, 8.0),
        route(4, 3, 20.0),
    ];
    let siege = SiegeModel {
        people_per_agent: 6,
        screened_share: 0.3,
        populations: vec![Population {
            location: 0,
            people: 30_000,
        }],
        holds: vec![Hold {
            location: 0,
            attempt_rate: 0.05,
            until_day: None,
            residents: Residents::Stay,
        }],
        exits: vec![
            Exit {
                from: 0,
                to: 1,
                open: true,
                turned_back: 0.2,
                shot: 0.01,
                weight: 1.0,
            },
            Exit {
                from: 0,
                to: 4,
                open: false,
                turned_back: 0.0,
                shot: 0.0,
                weight: 1.0,
            },
        ],
        crossings: vec![Crossing {
            from: 1,
            to: 2,
            capacity_per_day: Some(100),
            drowning: 0.005,
            shot_crossing: 0.0,
            shot_waiting: 0.0,
            patience_days: None,
            give_up: 0.0,
        }],
        screenings: vec![Screening {
            location: 2,
            active: true,
            hold_min_days: 2,
            hold_max_days: 6,
            not_released: 0.1,
            death_in_custody: 0.001,
            on_arrival: true,
            on_departure: true,
            capacity_per_day: None,
        }],
        relocations: vec![],
        interventions: vec![Intervention {
            day: 10,
            action: Action::OpenExit { from: 0, to: 4 },
            note: "corridor opens".into(),
        }],
        observations: vec![],
        transport: vec![],
        camps: vec![],
        ..SiegeModel::default()
    };
    let mut settings = Settings::flee_validation();
    settings.max_move_speed = 30.0;
    siege_scenario(
        "toy siege",
        (2016, 5, 22),
        days,
        locations,
        routes,
        settings,
        siege,
    )
}

#[test]
fn every_person_has_exactly_one_fate_every_day() {
    let sc = besieged(40);
    let mut sim = Simulation::new(&sc, &RunOptions::default()).unwrap();
    while sim
        .step(&mut corridor_engine::events::NoObserver)
        .unwrap()
        .is_some()
    {}
    let report = sim.siege_report().unwrap();
    assert_eq!(report.people, 30_000);
    for d in &report.days {
        // trapped + in transit + waiting to cross + detained + in camps + dead.
        assert_eq!(d.total(), 30_000, "day {}: {d:?}", d.day);
        assert_eq!(
            d.trapped + d.displaced() + d.waiting_to_cross + d.dead(),
            30_000,
            "day {}",
            d.day
        );
    }
    assert!(report.days.iter().any(|d| d.waiting_to_cross > 0));
    let last = report.days.last().unwrap();
    assert!(last.dead_shot > 0 && last.dead_drowned > 0, "{last:?}");
    assert!(last.arrived() > 0 && last.trapped > 0, "{last:?}");
    assert!(report.days.iter().any(|d| d.detained() > 0));
    assert!(last.turned_back > 0 && last.turned_back < last.attempts);
}

struct ExitWatch {
    links: Vec<(u32, u32)>,
    by_day: Vec<(i64, u32, u32)>,
}
impl corridor_engine::events::Observer for ExitWatch {
    fn event(&mut self, day: i64, e: &corridor_engine::events::Event) {
        if let corridor_engine::events::Event::Departed { link, .. } = e {
            let (f, t) = self.links[*link as usize];
            self.by_day.push((day, f, t));
        }
    }
}

#[test]
fn closed_exit_carries_nobody_until_it_opens() {
    let sc = besieged(20);
    let mut sim = Simulation::new(&sc, &RunOptions::default()).unwrap();
    let mut watch = ExitWatch {
        links: vec![],
        by_day: vec![],
    };
    for _ in 0..20 {
        watch.links = sim.network().links.iter().map(|l| (l.from, l.to)).collect();
        sim.step(&mut watch).unwrap();
    }
    let via_road = |pred: &dyn Fn(i64) -> bool| {
        watch
            .by_day
            .iter()
            .filter(|&&(d, f, t)| pred(d) && f == 0 && t == 4)
            .count()
    };
    assert_eq!(via_road(&|d| d < 10), 0);
    assert!(via_road(&|d| d >= 10) > 0);
    // The blockade: nobody leaves the city except through exits.
    assert!(watch
        .by_day
        .iter()
        .all(|&(_, f, t)| f != 0 || t == 1 || t == 4));
}

#[test]
fn crossing_capacity_limits_daily_flow() {
    // With a tiny craft capacity, at most that many households cross per day.
    let mut sc = besieged(15);
    let s = sc.siege.as_mut().unwrap();
    s.crossings[0].capacity_per_day = Some(3);
    s.holds[0].attempt_rate = 0.5;
    s.screenings[0].active = false;
    let out = corridor_engine::run(&sc, &RunOptions::default()).unwrap();
    let _ = out;
    let mut sim = Simulation::new(&sc, &RunOptions::default()).unwrap();
    while sim
        .step(&mut corridor_engine::events::NoObserver)
        .unwrap()
        .is_some()
    {}
    let r = sim.siege_report().unwrap();
    let last = r.days.last().unwrap();
    // 15 days × 3 households × 6 people at most reached the far bank; the
    // rest of those who reached the river wait on the near bank.
    assert!(last.crossed <= 15 * 3 * 6 && last.crossed > 0, "{last:?}");
    assert!(last.waiting_to_cross > 10_000, "{last:?}");
}

#[test]
fn more_boats_mean_fewer_drownings() {
    let base = besieged(30);
    let mut boats = base.clone();
    boats
        .siege
        .as_mut()
        .unwrap()
        .interventions
        .push(Intervention {
            day: 0,
            action: Action::SetCrossing {
                from: 1,
                to: 2,
                capacity_per_day: Some(None),
                drowning: Some(0.0),
                shot_crossing: None,
                shot_waiting: None,
                patience_days: None,
                give_up: None,
            },
            note: "police boats".into(),
        });
    let run = |sc: &Scenario| {
        let mut sim = Simulation::new(sc, &RunOptions::default()).unwrap();
        while sim
            .step(&mut corridor_engine::events::NoObserver)
            .unwrap()
            .is_some()
        {}
        sim.siege_report().unwrap()
    };
    let (a, b) = (run(&base), run(&boats));
    assert!(a.days.last().unwrap().dead_drowned > 0);
    assert_eq!(b.days.last().unwrap().dead_drowned, 0);
    assert!(b.days.last().unwrap().displaced() > a.days.last().unwrap().displaced());
}

/// Records organised relocations by day.
#[derive(Default)]
struct RelocationWatch {
    moves: Vec<(i64, u32, u32, u32)>,
}
impl corridor_engine::events::Observer for RelocationWatch {
    fn event(&mut self, day: i64, e: &corridor_engine::events::Event) {
        if let corridor_engine::events::Event::Relocated {
            from, to, people, ..
        } = e
        {
            self.moves.push((day, *from, *to, *people));
        }
    }
}

#[test]
fn relocation_moves_overflow_to_camps_with_room_and_stops_when_told() {
    // The camp holds 1,800 people (300 households); two newer camps reachable
    // only by the buses hold 100 and 200 households.
    let mut sc = besieged(40);
    sc.locations[3].pop_or_capacity = 1_800;
    sc.locations.push(common::loc("Camp2", "camp", 600));
    sc.locations.push(common::loc("Camp3", "camp", 1_200));
    let s = sc.siege.as_mut().unwrap();
    s.holds[0].attempt_rate = 0.3;
    s.relocations.push(Relocation {
        from: 3,
        to: vec![5, 6],
        share_of_overflow: 0.5,
    });
    s.interventions.push(Intervention {
        day: 30,
        action: Action::SetRelocation {
            from: 3,
            to: None,
            share_of_overflow: 0.0,
        },
        note: "buses stop".into(),
    });
    let mut sim = Simulation::new(&sc, &RunOptions::default()).unwrap();
    let mut watch = RelocationWatch::default();
    let mut counts = Vec::new();
    while sim.step(&mut watch).unwrap().is_some() {
        counts.push(sim.location_counts().to_vec());
    }
    let r = sim.siege_report().unwrap();
    let last = r.days.last().unwrap();
    let moved: i64 = watch.moves.iter().map(|m| m.3 as i64).sum();
    assert!(moved > 0, "nobody relocated: {last:?}");
    assert_eq!(last.relocated, moved);
    assert!(watch
        .moves
        .iter()
        .all(|&(d, f, t, _)| d < 30 && f == 3 && (t == 5 || t == 6)));
    for (day, c) in counts.iter().enumerate() {
        // Targets never go beyond their room (the buses are their only way in),
        assert!(c[5] <= 100 && c[6] <= 200, "day {day}: {c:?}");
        // and relocation never empties the camp below its capacity.
        if watch.moves.iter().any(|m| m.0 == day as i64) {
            assert!(c[3] >= 300, "day {day}: {c:?}");
        }
    }
    // Enough overflow fills both targets, each in proportion to its room.
    let end = counts.last().unwrap();
    assert_eq!((end[5], end[6]), (100, 200), "{end:?}");
    // Everyone still has exactly one fate.
    assert!(r.days.iter().all(|d| d.total() == 30_000));
}

#[test]
fn changing_a_relocation_that_was_never_set_up_is_an_error() {
    let mut sc = besieged(5);
    sc.siege.as_mut().unwrap().interventions.push(Intervention {
        day: 2,
        action: Action::SetRelocation {
            from: 3,
            to: None,
            share_of_overflow: 0.2,
        },
        note: String::new(),
    });
    let err = Simulation::new(&sc, &RunOptions::default())
        .err()
        .expect("an error")
        .to_string();
    assert!(
        err.contains("set_relocation on day 2") && err.contains("'Camp'") && err.contains("hint"),
        "{err}"
    );
}
