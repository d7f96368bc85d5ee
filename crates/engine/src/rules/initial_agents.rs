//! The agents of `agents.csv` (`spawn_rules.read_from_agents_csv_file`,
//! docs/flee-model.md 15.4): created before day 0, before the day-0 camp
//! agents, so they come first in update order. They are added as Flee adds
//! every agent (`take_from_population` applies) but draw no demographics:
//! their attributes are their rows' strings.

use crate::world::World;

/// Creates the listed agents at their locations, with their attributes.
pub(crate) fn insert(world: &mut World) {
    let listed = &world.scenario.initial_agents.agents;
    let first = world.agents.len();
    for agent in listed {
        world.create_agent(agent.location);
        if world.settings.take_from_population {
            let pop = &mut world.places.pop[agent.location as usize];
            *pop = (*pop - 1).max(0);
        }
    }
    let Some(demo) = world.demography.as_ref() else {
        return;
    };
    // Runs with attributes are never divided: every agent is stored here.
    let n = demo.count();
    for (i, values) in demo.listed.iter().enumerate() {
        let a = first + i;
        world.agents.attrs[a * n..a * n + n].copy_from_slice(values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;
    use corridor_model::demographics::{InitialAgent, InitialAgents};

    fn listed(sc: &mut corridor_model::Scenario) {
        sc.initial_agents = InitialAgents {
            columns: vec!["age".into(), "religion".into()],
            agents: vec![
                InitialAgent {
                    location: 1,
                    values: vec!["30".into(), "x".into()],
                },
                InitialAgent {
                    location: 0,
                    values: vec!["30".into(), "y".into()],
                },
            ],
        };
    }

    #[test]
    fn listed_agents_keep_their_strings_and_take_from_the_population() {
        let mut sc = testkit::line();
        listed(&mut sc);
        sc.settings.take_from_population = true;
        let mut w = testkit::world(sc);
        let pop_b = w.places.pop[1];
        insert(&mut w);
        assert_eq!(w.agents.len(), 2);
        assert_eq!(w.agents().location(0), Some(1));
        assert_eq!(w.places.pop[1], pop_b - 1);
        let text = |a, k| w.attribute_text(a, k);
        assert_eq!(text(0, 0).as_deref(), Some("30"));
        assert_eq!(text(1, 1).as_deref(), Some("y"));
        assert_eq!(w.attribute_names(), ["age", "religion"]);
    }

    #[test]
    fn listed_agents_have_no_demographics_and_others_no_columns() {
        let mut sc = testkit::line();
        listed(&mut sc);
        sc.demographics.attributes = vec![corridor_model::demographics::Attribute {
            name: "age".into(),
            values: vec!["30".into(), "70".into()],
            numeric: true,
            default: Some(vec![1.0, 1.0]),
            by_location: vec![],
        }];
        let mut w = testkit::world(sc);
        insert(&mut w);
        w.create_agent(0);
        super::super::demographics::assign(&mut w, 2..3, 7);
        // The table's `age` and the file's `age` share a column; the file's
        // value stays a string, the drawn one is a float.
        assert_eq!(w.attribute_names(), ["age", "religion"]);
        assert_eq!(w.attribute_text(0, 0).as_deref(), Some("30"));
        assert!(w.attribute_text(2, 0).unwrap().ends_with(".0"));
        assert_eq!(w.attribute_text(2, 1), None);
        assert_eq!(w.places.pop[1], 500, "take_from_population is off");
    }
}
