//! What a run produces each day, independent of file format.

/// One day of Flee-compatible output (docs/flee-model.md section 5), after day `day`'s movement.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DayRecord {
    pub day: i64,
    /// Days since 1970-01-01 printed in the `Date` column.
    pub date_epoch_day: i64,
    /// Agents at each output camp (not counting those on links towards it).
    pub camp_sim: Vec<i64>,
    /// Observed (interpolated) value per output camp.
    pub camp_data: Vec<i64>,
    /// `raw UNHCR refugee count`.
    pub raw: i64,
    /// `refugee_debt`.
    pub debt: i64,
    /// `total refugees (simulation)`: every agent ever created.
    pub total_agents: i64,
    /// `total IDPs` (only when `log_levels.idp_totals` is on).
    pub idp_total: Option<i64>,
}

impl DayRecord {
    /// `refugees in camps (UNHCR)`.
    pub fn data_in_camps(&self) -> i64 {
        self.camp_data.iter().sum()
    }
    /// `refugees in camps (simulation)`.
    pub fn sim_in_camps(&self) -> i64 {
        self.camp_sim.iter().sum()
    }
}

/// The daily table of a run: camps in location order, one record per day.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunOutput {
    pub camps: Vec<String>,
    pub days: Vec<DayRecord>,
}
