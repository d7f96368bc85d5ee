//! A tiny scenario for the parameter tests.

use super::*;
use corridor_model::siege::{Exit, Hold, Intervention, Residents, SiegeModel};
use corridor_model::{Location, LocationKind, ValidationData};

/// A three-place scenario (one name contains a dot), with or without a siege.
pub(crate) fn tiny(siege: bool) -> Scenario {
    let loc = |name: &str| Location {
        name: name.into(),
        region: "r".into(),
        country: "c".into(),
        lat: 0.0,
        lon: 0.0,
        raw_type: "town".into(),
        kind: LocationKind::Town,
        conflict_date: 0,
        pop_or_capacity: 100,
        conflict_intensity: 1.0,
        capacity_per_day: 0,
        initial_idps: 0,
        attributes: vec![],
    };
    Scenario {
        name: "tiny".into(),
        start_date: "2000-01-01".into(),
        start_epoch_day: 0,
        days: 10,
        locations: vec![loc("A"), loc("B.x"), loc("C")],
        routes: vec![],
        closures: vec![],
        conflicts: Default::default(),
        validation: ValidationData::default(),
        settings: Settings::flee_validation(),
        demographics: Default::default(),
        ipc: None,
        flood: None,
        major_routes: Vec::new(),
        initial_agents: Default::default(),
        siege: siege.then(|| SiegeModel {
            people_per_agent: 6,
            screened_share: 0.25,
            holds: vec![Hold {
                location: 0,
                attempt_rate: 0.1,
                until_day: None,
                residents: Residents::Stay,
            }],
            exits: vec![Exit {
                from: 0,
                to: 1,
                open: true,
                turned_back: 0.4,
                shot: 0.01,
                weight: 1.0,
            }],
            interventions: vec![Intervention {
                day: 3,
                action: Action::SetAttemptRate {
                    location: 0,
                    value: 0.6,
                },
                note: String::new(),
            }],
            ..Default::default()
        }),
    }
}
