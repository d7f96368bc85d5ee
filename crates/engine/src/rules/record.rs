//! The day's output row (docs/flee-model.md section 5): simulated and
//! observed numbers per output camp, the spawn ledger and totals.

use crate::hooks::Mechanism;
use crate::world::World;
use crate::EngineError;
use corridor_model::{DayRecord, PreparedData, SpawnLedger};

/// The camps of the output table, fixed at the start of a run, with the
/// index of each one's observed series (`usize::MAX`: none).
#[derive(Debug, Clone, Default)]
pub(crate) struct OutputCamps {
    pub ids: Vec<u32>,
    pub labels: Vec<usize>,
}

impl OutputCamps {
    /// The camps of `world` at the start; every camp needs an observed series
    /// unless `series_optional` (siege scenarios, observed separately).
    pub fn new(
        world: &World,
        data: &PreparedData,
        series_optional: bool,
    ) -> Result<Self, EngineError> {
        let mut camps = OutputCamps::default();
        // In flood mode every location is an output column (docs/flee-model.md 18.8).
        let all = world.settings.flood_mode();
        // A repeated name (Flee folders) is a column of the last location of
        // that name, twice, as Flee's camp list reads it.
        let last: std::collections::HashMap<&str, u32> = (0..world.locations())
            .map(|i| (world.scenario.locations[i].name.as_str(), i as u32))
            .collect();
        for i in 0..world.locations() {
            if all || world.places.camp[i] {
                let name = &world.scenario.locations[i].name;
                let id = last[name.as_str()];
                let label = match data.label_index(name) {
                    Some(l) => l,
                    None if series_optional => usize::MAX,
                    None => return Err(EngineError::CampWithoutData { camp: name.clone() }),
                };
                camps.ids.push(id);
                camps.labels.push(label);
            }
        }
        Ok(camps)
    }
}

/// The output row for day `t`. Mechanisms may count people where the
/// engine counts agents (siege households).
pub(crate) fn day_record(
    world: &World,
    hooks: &[Box<dyn Mechanism>],
    camps: &OutputCamps,
    data: &PreparedData,
    ledger: &SpawnLedger,
    t: i64,
) -> DayRecord {
    let p = &world.places;
    let camp_sim = camps
        .ids
        .iter()
        .map(|&c| {
            hooks
                .iter()
                .find_map(|m| m.camp_people(c))
                .unwrap_or(p.agents[c as usize])
        })
        .collect();
    let camp_data = camps
        .labels
        .iter()
        .map(|&l| if l == usize::MAX { 0 } else { data.field(l, t) })
        .collect();
    let idp_total = world.settings.idp_totals.then(|| {
        (0..p.idpcamp.len())
            .filter(|&i| p.idpcamp[i])
            .map(|i| p.agents[i])
            .sum()
    });
    let plus = i64::from(world.settings.compat.date_plus_one);
    DayRecord {
        day: t,
        date_epoch_day: world.scenario.start_epoch_day + t + plus,
        camp_sim,
        camp_data,
        raw: ledger.raw,
        debt: ledger.debt,
        total_agents: world.total_agents() as i64,
        idp_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit;

    #[test]
    fn camps_need_a_series_unless_optional_and_rows_count_agents() {
        let w = testkit::world(testkit::line());
        let data = PreparedData {
            labels: vec!["total".into()],
            tables: vec![vec![(0, 0.0)]],
            offsets: vec![0],
        };
        assert!(matches!(
            OutputCamps::new(&w, &data, false),
            Err(EngineError::CampWithoutData { .. })
        ));
        let camps = OutputCamps::new(&w, &data, true).unwrap();
        assert_eq!(camps.ids, vec![2]);
        let mut w = w;
        w.create_agent(2);
        w.create_agent(2);
        let rec = day_record(&w, &[], &camps, &data, &SpawnLedger::default(), 3);
        assert_eq!(rec.camp_sim, vec![2]);
        assert_eq!(rec.camp_data, vec![0]);
        assert_eq!(rec.total_agents, 2);
        let plus = i64::from(w.settings.compat.date_plus_one);
        assert_eq!(rec.date_epoch_day, w.scenario.start_epoch_day + 3 + plus);
    }

    #[test]
    fn a_repeated_name_is_two_columns_of_its_last_location() {
        // FabFlee's Ethiopia_dflee: Mustahil a camp, then a flood zone; both
        // output columns read the last (Flee's name map), in flood mode.
        let mut sc = testkit::scenario(
            vec![
                testkit::loc("M", "camp", 100),
                testkit::loc("A", "camp", 100),
                testkit::loc("M", "town", 500),
            ],
            vec![testkit::route(1, 2, 10.0)],
        );
        sc.settings.flood_zone_spawning_only = true;
        sc.settings.flood_driven_spawn_mode = Some(Default::default());
        let mut w = testkit::world(sc);
        let data = PreparedData {
            labels: vec!["total".into(), "M".into(), "A".into()],
            tables: vec![vec![(0, 0.0)]; 3],
            offsets: vec![0; 3],
        };
        let camps = OutputCamps::new(&w, &data, false).unwrap();
        assert_eq!(camps.ids, vec![2, 1, 2]);
        assert_eq!(camps.labels, vec![1, 2, 1]);
        w.create_agent(2);
        let rec = day_record(&w, &[], &camps, &data, &SpawnLedger::default(), 0);
        assert_eq!(rec.camp_sim, vec![1, 0, 1]);
        assert_eq!(rec.sim_in_camps(), 2);
        // Outside flood mode only camps are columns, still by the last of the name.
        w.settings.flood_driven_spawn_mode = None;
        let camps = OutputCamps::new(&w, &data, false).unwrap();
        assert_eq!(camps.ids, vec![2, 1]);
    }
}
