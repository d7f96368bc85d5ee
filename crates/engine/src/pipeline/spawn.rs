//! Stage 2's agent creation, shared by data-driven spawning and the
//! conflict- and flood-driven modes (docs/flee-model.md 13.3, 18.4), and the checks of the
//! optional rules' inputs made when a run is prepared.

use super::{Day, Simulation};
use crate::events::{Event, Observer};
use crate::{rules, EngineError};

impl Simulation<'_> {
    /// Creates one agent at each of `locs`, in order, as the day's spawns.
    pub(super) fn create_spawned(&mut self, day: Day, locs: &[u32], obs: &mut impl Observer) {
        let base = self.total_agents() as u64;
        let world = &mut self.world;
        let stored = world.storage.part.map_or(1, |p| p.size);
        world.agents.reserve(locs.len() / stored);
        let first = world.agents.len();
        let take = world.settings.take_from_population;
        for (i, &loc) in locs.iter().enumerate() {
            world.create_agent(loc);
            if take {
                world.places.pop[loc as usize] = (world.places.pop[loc as usize] - 1).max(0);
            }
            obs.event(
                day.t,
                &Event::Spawned {
                    agent: base + i as u64,
                    location: loc,
                },
            );
        }
        let stored_now = world.agents.len();
        rules::demographics::assign(world, first..stored_now, day.key);
        for m in &mut self.mechanisms {
            m.spawned(world, first);
        }
    }

    /// The day's counts per location of conflict-driven (13.3) or
    /// flood-driven (18.4) spawning; `None` for data-driven spawning.
    pub(super) fn zone_spawn_counts(&self, day: Day) -> Option<Vec<(u32, u64)>> {
        let (p, s) = (&self.world.places, &self.world.settings);
        // Flood mode first: the reader warns that conflict_driven_spawning is then unused.
        if s.flood_mode() {
            return Some(rules::flood::counts(p, s, day.key));
        }
        let cfg = s.conflict_driven_spawning.as_ref()?;
        Some(rules::conflict_spawning::counts(p, cfg, day.key))
    }

    /// Creates the day's agents of conflict-driven (13.3) or flood-driven
    /// (18.4) spawning, `counts` per location in location order: the data
    /// are not used, the spawn ledger (`raw`, `debt`) stays 0, and there is
    /// no day-0 capacity reduction (13.2). Returns how many.
    pub(super) fn spawn_counts(
        &mut self,
        day: Day,
        counts: Vec<(u32, u64)>,
        obs: &mut impl Observer,
    ) -> Result<i64, EngineError> {
        let n: u64 = counts.iter().map(|&(_, k)| k).sum();
        let base = self.total_agents() as u64;
        let limit = corridor_model::limits::max_agents();
        if base.saturating_add(n) > limit {
            return Err(EngineError::TooManyAgents {
                day: day.t,
                new: n,
                total: base.saturating_add(n),
                limit,
            });
        }
        if n > 0 {
            let mut locs = Vec::with_capacity(n as usize);
            for (loc, k) in counts {
                locs.extend(std::iter::repeat_n(loc, k as usize));
            }
            self.create_spawned(day, &locs, obs);
        }
        self.refresh_spawn_weights(day.t);
        Ok(n as i64)
    }
}

/// Refuses a run whose optional rules lack their inputs: flood mode needs
/// flood levels its lists can look up (docs/flee-model.md 18.3); with
/// `use_economic_pull`, every foreign location needs numbers in the
/// `trade_volume` and `hdi` columns (Flee crashes without them).
pub(super) fn check_rule_inputs(
    scenario: &corridor_model::Scenario,
    settings: &corridor_model::Settings,
    days: u32,
) -> Result<(), EngineError> {
    rules::flood::check(scenario, settings, days).map_err(EngineError::Settings)?;
    rules::matching::check(scenario, settings).map_err(EngineError::Settings)?;
    rules::harvest::check(settings).map_err(EngineError::Settings)?;
    rules::sinks::check(scenario, settings).map_err(EngineError::Settings)?;
    if !settings.use_economic_pull {
        return Ok(());
    }
    let home = scenario.home_country();
    for l in &scenario.locations {
        if l.is_foreign(home) && rules::destination_rules::economic_pull(l).is_none() {
            return Err(EngineError::Settings(format!(
                "move_rules.use_economic_pull needs numbers in the columns trade_volume and hdi of \
                 locations.csv for every foreign location; '{}' ({}) has none\n  hint: add the two \
                 columns (declared in the # header row) or switch use_economic_pull off",
                l.name, l.country
            )));
        }
    }
    Ok(())
}
