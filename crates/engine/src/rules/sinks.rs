//! Camps as sinks (docs/flee-model.md 1.3, 4.4 step 8): with Flee's
//! `camps_are_sicks` (sic), at the end of each day every resting agent in a
//! camp leaves the run with the camp's `deactivation_probability`.
//!
//! Flee sets such an agent's location to nothing but keeps it in its agent
//! list and in the camp's count (quirk, section 10), so the camp's number in
//! `out.csv`, its capacity factor and the total stay as they were; the agent
//! never moves again.

use crate::pipeline::Day;
use crate::rng::{uniform, Purpose};
use crate::world::{World, INACTIVE, ON_LINK};
use corridor_model::{Location, Scenario, Settings};

/// The `locations.csv` column holding a camp's daily chance.
const COLUMN: &str = "deactivation_probability";

/// Location `l`'s deactivation probability: `None` without the column,
/// `Some(Err(text))` when it holds no number.
fn probability(l: &Location) -> Option<Result<f64, &str>> {
    let (_, text) = l.attributes.iter().find(|(k, _)| k == COLUMN)?;
    Some(
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite())
            .ok_or(text.as_str()),
    )
}

/// Refuses a camp whose `deactivation_probability` is not a number.
pub(crate) fn check(sc: &Scenario, s: &Settings) -> Result<(), String> {
    if !s.camps_are_sicks {
        return Ok(());
    }
    for l in &sc.locations {
        if let Some(Err(text)) = probability(l) {
            return Err(format!(
                "locations.csv: location '{}' has {COLUMN} '{text}', not a number\n  hint: give a \
                 probability in [0, 1], or switch spawn_rules.camps_are_sicks off",
                l.name
            ));
        }
    }
    Ok(())
}

/// Each location's daily deactivation probability with `camps_are_sicks`
/// (0 where the column is missing, with a warning); `None` when it is off.
pub(crate) fn probabilities(sc: &Scenario, s: &Settings) -> Option<Vec<f64>> {
    if !s.camps_are_sicks {
        return None;
    }
    let p: Vec<f64> = sc
        .locations
        .iter()
        .map(|l| probability(l).and_then(Result::ok).unwrap_or(0.0))
        .collect();
    let camps_without = sc
        .locations
        .iter()
        .filter(|l| l.kind.is_camp() && probability(l).is_none())
        .count();
    if camps_without > 0 {
        tracing::warn!(
            "spawn_rules.camps_are_sicks: {camps_without} camp(s) have no {COLUMN} column in \
             locations.csv; assumed 0 (nobody is deactivated there)"
        );
    }
    Some(p)
}

/// Day end (Flee's evolve step 8): each resting agent in a camp leaves the
/// run with its camp's probability, still counted there.
pub(crate) fn deactivate(world: &mut World, day: Day) {
    let Some(prob) = world.sinks.as_ref() else {
        return;
    };
    for a in 0..world.agents.len() {
        let loc = world.agents.loc[a];
        if loc & ON_LINK != 0 || !world.places.camp[loc as usize] {
            continue;
        }
        let p = prob[loc as usize];
        if p > 0.0 && uniform(day.key, world.gid(a), Purpose::Deactivation, 0) < p {
            world.agents.loc[a] = INACTIVE;
            world.agents.route[a] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    fn sink_world(p: &str) -> World<'static> {
        let mut sc = testkit::line();
        sc.settings.camps_are_sicks = true;
        sc.locations[2].attributes = vec![(COLUMN.into(), p.into())];
        // A town with the column is no sink.
        sc.locations[1].attributes = vec![(COLUMN.into(), "1.0".into())];
        testkit::world(sc)
    }

    #[test]
    fn resting_camp_agents_leave_with_the_probability_and_stay_counted() {
        let mut w = sink_world("0.25");
        let n = 4000;
        w.add_agents(2, n);
        w.add_agents(1, 100);
        deactivate(&mut w, Day::new(3, 0));
        let gone = (0..n).filter(|&a| w.agents.loc[a] == INACTIVE).count();
        let share = gone as f64 / n as f64;
        assert!((share - 0.25).abs() < 0.03, "{share}");
        // Still counted in the camp and in the total; the town keeps everyone.
        assert_eq!(w.counts(), &[0, 100, n as i64]);
        assert_eq!(w.total_agents(), n + 100);
        assert!((n..n + 100).all(|a| w.agents.location(a) == Some(1)));
        // Gone for good: a later day takes only from those left.
        deactivate(&mut w, Day::new(3, 1));
        let gone2 = (0..n).filter(|&a| w.agents.loc[a] == INACTIVE).count();
        assert!(gone2 > gone && gone2 < n, "{gone} then {gone2}");
    }

    #[test]
    fn travellers_and_unset_columns_are_left_alone() {
        let mut w = sink_world("1");
        w.add_agents(2, 10);
        w.agents.loc[0] = ON_LINK | 1;
        deactivate(&mut w, Day::new(3, 0));
        assert!(w.agents.is_travelling(0));
        assert!((1..10).all(|a| w.agents.loc[a] == INACTIVE));
        let mut sc = testkit::line();
        sc.settings.camps_are_sicks = true;
        assert_eq!(probabilities(&sc, &sc.settings), Some(vec![0.0; 3]));
        sc.settings.camps_are_sicks = false;
        assert_eq!(probabilities(&sc, &sc.settings), None);
    }

    #[test]
    fn a_probability_that_is_no_number_is_refused() {
        let mut sc = testkit::line();
        sc.settings.camps_are_sicks = true;
        sc.locations[2].attributes = vec![(COLUMN.into(), "high".into())];
        let e = check(&sc, &sc.settings).unwrap_err();
        assert!(e.contains("'C'") && e.contains("'high'"), "{e}");
        sc.settings.camps_are_sicks = false;
        assert!(check(&sc, &sc.settings).is_ok());
    }
}
