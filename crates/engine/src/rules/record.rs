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
        for i in 0..world.locations() {
            if all || world.places.camp[i] {
                let name = &world.scenario.locations[i].name;
                let label = match data.label_index(name) {
                    Some(l) => l,
                    None if series_optional => usize::MAX,
                    None => return Err(EngineError::CampWithoutData { camp: name.clone() }),
                };
                camps.ids.push(i as u32);
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
}
