//! Returns home to retaken places (`siege.returns`, `set_return`) on a small
//! hand-built scenario: a held city lifted on day 10, a camp and host
//! families; people in the camp go home from `opens_day` at `daily_rate`.

use corridor_engine::siege::SiegeReport;
use corridor_engine::{RunOptions, Simulation};
use corridor_model::observations::Observable;
use corridor_model::siege::*;
use corridor_model::*;

mod common;
use common::{loc, route, siege_scenario};

const CITY: u32 = 0;
const CAMP: u32 = 1;
const HOSTS: u32 = 2;
const PEOPLE: i64 = 12_000;
const LIFT: i64 = 10;
const OPENS: i64 = 20;
const RATE: f64 = 0.05;

/// City (held until day 10) → Camp and → Hosts; returns to the City from
/// the camp from day 20.
fn toy() -> Scenario {
    let locations = vec![
        loc("City", "conflict_zone", 0),
        loc("Camp", "camp", 1_000_000),
        loc("Hosts", "camp", 1_000_000),
    ];
    let routes = vec![route(0, 1, 10.0), route(0, 2, 10.0)];
    let exit = |to| Exit {
        from: CITY,
        to,
        open: true,
        turned_back: 0.0,
        shot: 0.0,
        weight: 1.0,
    };
    let siege = SiegeModel {
        people_per_agent: 6,
        screened_share: 0.0,
        populations: vec![Population {
            location: CITY,
            people: PEOPLE,
        }],
        holds: vec![Hold {
            location: CITY,
            attempt_rate: 0.2,
            until_day: None,
            residents: Residents::Stay,
        }],
        exits: vec![exit(CAMP), exit(HOSTS)],
        camps: vec![CampShelter {
            location: HOSTS,
            shelter: None,
            admits: None,
            hosts: true,
        }],
        returns: vec![Return {
            to: CITY,
            opens_day: OPENS,
            daily_rate: RATE,
            from: vec![ReturnFrom::Camps],
            min_days_away: 5,
        }],
        interventions: vec![lift(LIFT)],
        ..SiegeModel::default()
    };
    let mut settings = Settings::flee_validation();
    settings.max_move_speed = 30.0;
    settings.camp_movechance = 0.0;
    siege_scenario(
        "toy returns",
        (2016, 5, 22),
        60,
        locations,
        routes,
        settings,
        siege,
    )
}

fn lift(day: i64) -> Intervention {
    Intervention {
        day,
        action: Action::LiftSiege {
            location: CITY,
            residents: Residents::Stay,
        },
        note: String::new(),
    }
}

fn siege(sc: &mut Scenario) -> &mut SiegeModel {
    sc.siege.as_mut().unwrap()
}

fn run(sc: &Scenario) -> SiegeReport {
    let mut sim = Simulation::new(sc, &RunOptions::default()).unwrap();
    while sim
        .step(&mut corridor_engine::events::NoObserver)
        .unwrap()
        .is_some()
    {}
    sim.siege_report().unwrap()
}

#[test]
fn everyone_is_counted_daily_and_nobody_returns_before_opens_day() {
    let r = run(&toy());
    assert!(r.returns);
    for d in &r.days {
        assert_eq!(d.total(), PEOPLE, "day {}: {d:?}", d.day);
        if d.day < OPENS {
            assert_eq!(d.returned, 0, "day {}", d.day);
        }
        let obs = |w| d.observe(&w, &r.camps, &[]).unwrap();
        assert_eq!(obs(Observable::Returned), d.returned as f64);
        assert_eq!(
            obs(Observable::DisplacedCumulative),
            (d.displaced() + d.returned) as f64
        );
    }
    // After the lift nobody leaves and nobody dies: ever displaced is constant,
    // and only the camp (not the host families) empties into `returned`.
    let after: Vec<_> = r.days.iter().filter(|d| d.day > LIFT + 1).collect();
    for w in after.windows(2) {
        assert_eq!(w[1].displaced_cumulative(), w[0].displaced_cumulative());
        assert_eq!(w[1].with_hosts, w[0].with_hosts, "day {}", w[1].day);
        assert!(w[1].returned >= w[0].returned);
        assert_eq!(
            w[1].in_camp[0] + w[1].returned,
            w[0].in_camp[0] + w[0].returned
        );
    }
    let last = r.days.last().unwrap();
    assert!(last.returned > 0 && last.with_hosts > 0, "{last:?}");
    assert!(last.displaced() < last.displaced_cumulative());
    let csv = r.fates_csv();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",with_hosts,returned"));
    assert!(csv
        .lines()
        .last()
        .unwrap()
        .ends_with(&format!(",{}", last.returned)));
}

#[test]
fn households_go_home_at_the_daily_rate() {
    let r = run(&toy());
    // Each day from opens_day, the households in the camp the evening before
    // return with probability RATE: sum the expected and the actual returns.
    let (mut expected, mut actual) = (0.0, 0.0);
    let mut variance = 0.0;
    for w in r.days.windows(2).filter(|w| w[1].day >= OPENS) {
        let households = w[0].in_camp[0] as f64 / 6.0;
        expected += RATE * households;
        variance += RATE * (1.0 - RATE) * households;
        actual += (w[1].returned - w[0].returned) as f64 / 6.0;
    }
    // A sum of binomials: within 4 standard deviations (~25 households of ~1,000).
    let sd = variance.sqrt();
    assert!(expected > 500.0, "{expected}");
    assert!(
        (actual - expected).abs() < 4.0 * sd,
        "returned {actual} households, expected {expected:.0} ± {sd:.0}"
    );
}

#[test]
fn nobody_returns_while_the_place_is_held_or_after_returns_stop() {
    // Lifted only on day 40: the opens_day of 20 waits for it.
    let mut sc = toy();
    siege(&mut sc).interventions = vec![lift(40)];
    let r = run(&sc);
    for d in &r.days {
        assert_eq!(d.returned > 0, d.day >= 40, "day {}: {}", d.day, d.returned);
    }
    // set_return with 0 on day 30 stops returns; a later one restarts them.
    let mut sc = toy();
    let set = |day, daily_rate| Intervention {
        day,
        action: Action::SetReturn {
            to: CITY,
            daily_rate,
            min_days_away: None,
            from: None,
        },
        note: String::new(),
    };
    siege(&mut sc).interventions.push(set(30, 0.0));
    siege(&mut sc).interventions.push(set(45, 0.1));
    let r = run(&sc);
    let at = |t: i64| r.days[t as usize].returned;
    assert!(at(29) > 0);
    assert_eq!(at(29), at(44));
    assert!(at(45) > at(44));
    assert!(r
        .interventions
        .iter()
        .any(|(d, text)| *d == 30 && text.contains("returns home to City")));
}

#[test]
fn min_days_away_and_from_are_respected() {
    // From host families only: the camp keeps its people.
    let mut sc = toy();
    siege(&mut sc).returns[0].from = vec![ReturnFrom::Hosts];
    let r = run(&sc);
    let last = r.days.last().unwrap();
    let before = &r.days[OPENS as usize - 1];
    assert_eq!(last.in_camp[0], before.in_camp[0]);
    assert!(last.returned > 0 && last.with_hosts < before.with_hosts);
    // The first households left on day 0: with min_days_away 35 nobody
    // returns before day 35, and some of them soon after.
    let mut sc = toy();
    siege(&mut sc).returns[0].min_days_away = 35;
    let r = run(&sc);
    let first = r.days.iter().find(|d| d.returned > 0).unwrap().day;
    assert!((35..40).contains(&first), "first return on day {first}");
}

#[test]
fn returns_are_the_same_for_any_thread_count() {
    let sc = toy();
    let fates = |threads: usize| common::on(threads, || run(&sc).fates_csv());
    assert_eq!(fates(1), fates(4));
}

#[test]
fn departure_groups_count_everyone_who_left_once() {
    let mut sc = toy();
    siege(&mut sc).departures = vec![
        DepartureGroup {
            name: "City".into(),
            from: vec![CITY],
        },
        DepartureGroup {
            name: "Camps".into(),
            from: vec![CAMP],
        },
    ];
    let r = run(&sc);
    for w in r.days.windows(2) {
        let (g, g0) = (&w[1].left, &w[0].left);
        assert_eq!(g[0].0, "City");
        // Nobody dies: whoever is not home in the city has left it, and
        // returning home does not undo a departure.
        assert_eq!(g[0].1, PEOPLE - w[1].trapped - w[1].stayed);
        assert_eq!(g[0].1, w[1].displaced_cumulative());
        assert!(g[0].1 >= g0[0].1);
        assert_eq!(g[1], ("Camps".to_string(), 0));
        let obs = w[1]
            .observe(&Observable::Left("City".into()), &r.camps, &[])
            .unwrap();
        assert_eq!(obs, g[0].1 as f64);
        assert!(w[1]
            .observe(&Observable::Left("Nowhere".into()), &r.camps, &[])
            .is_none());
    }
    let csv = r.fates_csv();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",returned,left City,left Camps"));
    // Without groups nothing is added.
    assert!(run(&toy()).days.iter().all(|d| d.left.is_empty()));
}
