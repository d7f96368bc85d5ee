//! Screening anywhere people pass (on arrival and on departure, a daily
//! processing capacity with a FIFO backlog, deaths in custody) and organised
//! transport, each on a small hand-built scenario; conservation of people
//! and determinism across thread counts.

use corridor_engine::events::{Event, NoObserver, Observer};
use corridor_engine::siege::SiegeReport;
use corridor_engine::{RunOptions, Simulation};
use corridor_model::siege::*;
use corridor_model::*;

mod common;
use common::{loc, route, siege_scenario};

const PEOPLE: i64 = 12_000;

/// City (held, 12,000 people) → Checkpoint (screening) → Camp, and two camps
/// reached only by bus. No hazards, so that every count is the mechanism's.
fn scenario(days: u32) -> Scenario {
    let locations = vec![
        loc("City", "conflict_zone", 0),
        loc("Checkpoint", "town", 0),
        loc("Camp", "camp", 1_000_000),
        loc("Camp2", "camp", 360),
        loc("Camp3", "camp", 720),
    ];
    let routes = vec![route(0, 1, 5.0), route(1, 2, 40.0)];
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
            to: 1,
            open: true,
            turned_back: 0.0,
            shot: 0.0,
            weight: 1.0,
        }],
        screenings: vec![Screening {
            location: 1,
            active: true,
            hold_min_days: 2,
            hold_max_days: 4,
            not_released: 0.1,
            death_in_custody: 0.0,
            on_arrival: true,
            on_departure: true,
            capacity_per_day: None,
        }],
        ..SiegeModel::default()
    };
    let mut settings = Settings::flee_validation();
    settings.max_move_speed = 30.0;
    siege_scenario(
        "screening",
        (2016, 5, 22),
        days,
        locations,
        routes,
        settings,
        siege,
    )
}

fn siege(sc: &mut Scenario) -> &mut SiegeModel {
    sc.siege.as_mut().unwrap()
}

/// Runs `sc`; returns the report, the location counts (agents) after each
/// day, and what `obs` saw.
fn run_with<O: Observer>(sc: &Scenario, obs: &mut O) -> (SiegeReport, Vec<Vec<i64>>) {
    let mut sim = Simulation::new(sc, &RunOptions::default()).unwrap();
    let mut counts = Vec::new();
    while sim.step(obs).unwrap().is_some() {
        counts.push(sim.location_counts().to_vec());
    }
    let r = sim.siege_report().unwrap();
    for d in &r.days {
        assert_eq!(d.total(), PEOPLE, "day {}: {d:?}", d.day);
    }
    (r, counts)
}

fn run(sc: &Scenario) -> SiegeReport {
    run_with(sc, &mut NoObserver).0
}

#[derive(Default)]
struct Watch {
    /// (day, location, people) of each processed group.
    processed: Vec<(i64, u32, u32)>,
    /// (day, from, to, people) of each household carried.
    carried: Vec<(i64, u32, u32, u32)>,
}
impl Observer for Watch {
    fn event(&mut self, day: i64, e: &Event) {
        match e {
            Event::Detained {
                location, people, ..
            } => self.processed.push((day, *location, *people)),
            Event::Relocated {
                from, to, people, ..
            } => self.carried.push((day, *from, *to, *people)),
            _ => {}
        }
    }
}

#[test]
fn departure_screening_separates_men_at_a_held_places_exit() {
    // The city itself is the screening site: nobody arrives there, so only
    // screening on departure can take the men aside.
    let mut sc = scenario(20);
    siege(&mut sc).screenings[0].location = 0;
    let mut watch = Watch::default();
    let (r, _) = run_with(&sc, &mut watch);
    let last = r.days.last().unwrap();
    assert_eq!(r.screening_sites, vec!["City".to_string()]);
    assert!(last.separated > 0, "{last:?}");
    assert_eq!(last.separated_at, vec![last.separated]);
    assert!(watch.processed.iter().all(|p| p.1 == 0));
    // Separation happens as households leave: never before the first departure.
    let first_out = r.days.iter().find(|d| d.trapped < PEOPLE).unwrap().day;
    let first_sep = r.days.iter().find(|d| d.separated > 0).unwrap().day;
    assert_eq!(first_sep, first_out);
    // Screening on arrival only: nobody arrives at the city, nobody is taken aside.
    siege(&mut sc).screenings[0].on_departure = false;
    assert_eq!(run(&sc).days.last().unwrap().separated, 0);
    // The same men are taken aside whether the checkpoint screens them as they
    // arrive or as they leave (at most once per site).
    let mut arrival = scenario(20);
    siege(&mut arrival).screenings[0].on_departure = false;
    let mut both = scenario(20);
    siege(&mut both).screenings[0].on_arrival = true;
    let (a, b) = (run(&arrival), run(&both));
    assert_eq!(
        a.days.last().unwrap().separated,
        b.days.last().unwrap().separated
    );
}

#[test]
fn backlog_grows_when_arrivals_exceed_capacity_and_drains_at_capacity() {
    const CAP: i64 = 60;
    let mut sc = scenario(45);
    let s = siege(&mut sc);
    s.screenings[0].capacity_per_day = Some(CAP as u32);
    s.holds[0].attempt_rate = 0.3;
    let mut watch = Watch::default();
    let (r, _) = run_with(&sc, &mut watch);
    let mut grew = false;
    let mut drained_at_capacity = 0;
    for w in r.days.windows(2) {
        let (y, d) = (&w[0], &w[1]);
        let processed = d.screened - y.screened;
        assert!(processed <= CAP, "day {}: {processed} processed", d.day);
        let separated_today = d.separated - y.separated;
        if separated_today > CAP {
            grew |= d.screening_pending > y.screening_pending;
        }
        // With a backlog of more than a day's work, a day processes the
        // capacity up to one group (at most 6 people).
        if y.screening_pending >= CAP + 6 {
            assert!(processed > CAP - 6, "day {}: {processed}", d.day);
            drained_at_capacity += 1;
        }
        // Everyone separated is waiting, processed, or dead in custody.
        assert_eq!(d.separated, d.screening_pending + d.screened);
    }
    assert!(grew && drained_at_capacity > 5, "{:?}", r.days.last());
    assert!(watch.processed.iter().all(|p| p.1 == 1 && p.2 as i64 <= 6));
    // Unlimited capacity: nobody waits overnight.
    siege(&mut sc).screenings[0].capacity_per_day = None;
    assert!(run(&sc).days.iter().all(|d| d.screening_pending == 0));
}

#[test]
fn deaths_in_custody_happen_among_never_released_men() {
    let mut sc = scenario(40);
    let s = siege(&mut sc);
    s.screenings[0].not_released = 1.0;
    s.screenings[0].death_in_custody = 0.01;
    let r = run(&sc);
    let last = r.days.last().unwrap();
    assert!(last.never_released > 0 && last.released == 0, "{last:?}");
    assert!(last.dead_in_custody > 0, "{last:?}");
    // Everyone separated is waiting, held, released or dead in custody.
    assert_eq!(
        last.separated,
        last.screening_pending + last.held + last.released + last.dead_in_custody,
        "{last:?}"
    );
    assert!(last.held <= last.never_released);
    assert_eq!(
        r.screening_value(last, "never_released:Checkpoint"),
        Some(last.never_released)
    );
    assert_eq!(
        r.screening_value(last, "died_in_custody"),
        Some(last.dead_in_custody)
    );
    assert_eq!(r.screening_value(last, "separated:Nowhere"), None);
    // A rate of 0 kills nobody; released men rejoin the flow.
    let s = siege(&mut sc);
    s.screenings[0].not_released = 0.0;
    s.screenings[0].death_in_custody = 0.0;
    let last = run(&sc).days.last().cloned().unwrap();
    assert_eq!(last.dead_in_custody, 0);
    assert!(last.released > 0 && last.released <= last.screened);
}

#[test]
fn set_screening_changes_capacity_and_moments() {
    let mut sc = scenario(30);
    let s = siege(&mut sc);
    s.screenings[0].capacity_per_day = Some(0);
    s.interventions.push(Intervention {
        day: 15,
        action: Action::SetScreening {
            location: 1,
            active: None,
            hold_days: None,
            not_released: None,
            death_in_custody: None,
            on: None,
            capacity_per_day: Some(None),
        },
        note: "more screeners".into(),
    });
    let r = run(&sc);
    assert!(r.days[14].screened == 0 && r.days[14].screening_pending > 0);
    assert_eq!(r.days[15].screening_pending, 0);
    assert_eq!(r.days[15].screened, r.days[15].separated);
}

#[test]
fn buses_move_at_most_their_capacity_and_never_beyond_the_targets_room() {
    // Camp2 holds 60 households, Camp3 120; the buses carry 50 people a day.
    let mut sc = scenario(60);
    sc.routes.pop(); // the checkpoint's only way on is the bus
    let s = siege(&mut sc);
    s.holds[0].attempt_rate = 0.2;
    s.transport.push(Transport {
        from: 1,
        to: vec![3, 4],
        people_per_day: 50,
        active: true,
        leg: false,
    });
    let mut watch = Watch::default();
    let (r, counts) = run_with(&sc, &mut watch);
    for day in 0..60i64 {
        let today: u32 = watch
            .carried
            .iter()
            .filter(|c| c.0 == day)
            .map(|c| c.3)
            .sum();
        assert!(today <= 50, "day {day}: {today}");
    }
    for (day, c) in counts.iter().enumerate() {
        assert!(c[3] <= 60 && c[4] <= 120, "day {day}: {c:?}");
    }
    assert!(watch
        .carried
        .iter()
        .all(|c| c.1 == 1 && (c.2 == 3 || c.2 == 4)));
    let last = r.days.last().unwrap();
    let moved: i64 = watch.carried.iter().map(|c| c.3 as i64).sum();
    assert_eq!(last.bused, moved);
    // Enough people wait at the checkpoint to fill both camps, each in
    // proportion to its room.
    assert_eq!((counts[59][3], counts[59][4]), (60, 120));

    // Stopped by an intervention: nobody is carried from that day on.
    siege(&mut sc).interventions.push(Intervention {
        day: 5,
        action: Action::SetTransport {
            from: 1,
            to: None,
            people_per_day: None,
            active: Some(false),
        },
        note: "buses stop".into(),
    });
    let mut watch = Watch::default();
    run_with(&sc, &mut watch);
    assert!(!watch.carried.is_empty() && watch.carried.iter().all(|c| c.0 < 5));
}

#[test]
fn buses_to_camps_without_a_limit_share_equally() {
    let mut sc = scenario(20);
    sc.locations[3].pop_or_capacity = 0;
    sc.locations[4].pop_or_capacity = 0;
    sc.routes.pop();
    siege(&mut sc).transport.push(Transport {
        from: 1,
        to: vec![3, 4],
        people_per_day: 120,
        active: true,
        leg: false,
    });
    let (_, counts) = run_with(&sc, &mut NoObserver);
    let end = counts.last().unwrap();
    assert!(
        end[3] > 0 && (end[3] - end[4]).abs() <= 1 + end[3] / 20,
        "{end:?}"
    );
}

#[test]
fn same_fates_for_any_thread_count() {
    let mut sc = scenario(40);
    let s = siege(&mut sc);
    s.screenings[0].capacity_per_day = Some(40);
    s.screenings[0].death_in_custody = 0.002;
    s.screenings.push(Screening {
        location: 0,
        active: true,
        hold_min_days: 1,
        hold_max_days: 1,
        not_released: 0.5,
        death_in_custody: 0.003,
        on_arrival: false,
        on_departure: true,
        capacity_per_day: Some(30),
    });
    s.transport.push(Transport {
        from: 1,
        to: vec![3, 4],
        people_per_day: 30,
        active: true,
        leg: false,
    });
    let fates = |threads: usize| common::on(threads, || run(&sc).fates_csv());
    let one = fates(1);
    assert!(
        one.contains("separated:City"),
        "{}",
        one.lines().next().unwrap()
    );
    assert_eq!(one, fates(2));
    assert_eq!(one, fates(8));
}

#[test]
fn changing_a_transport_line_that_was_never_set_up_is_an_error() {
    let mut sc = scenario(5);
    siege(&mut sc).interventions.push(Intervention {
        day: 2,
        action: Action::SetTransport {
            from: 1,
            to: None,
            people_per_day: Some(100),
            active: None,
        },
        note: String::new(),
    });
    let err = Simulation::new(&sc, &RunOptions::default())
        .err()
        .expect("an error")
        .to_string();
    assert!(
        err.contains("set_transport on day 2")
            && err.contains("'Checkpoint'")
            && err.contains("hint"),
        "{err}"
    );
}
