//! Food deprivation by region from Flee's `region_attributes_IPC.csv`
//! (docs/flee-model.md 19.2): per region, the percentage of people in
//! critical food deprivation on given days, linear in between.

/// The IPC table of a scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IpcTable {
    /// The `#Day` column: simulation days, ascending.
    pub days: Vec<f64>,
    /// Per region column: the percentage (0–100) on each of `days`.
    pub regions: Vec<(String, Vec<f64>)>,
}

impl IpcTable {
    /// The percentage of `region` on day `t`, linear between the bracketing
    /// rows; `None` for a region without a column or a day outside the table.
    pub fn level(&self, region: &str, t: f64) -> Option<f64> {
        let (_, v) = self.regions.iter().find(|(r, _)| r == region)?;
        let (first, last) = (*self.days.first()?, *self.days.last()?);
        if t < first || t > last {
            return None;
        }
        let k = self.days.partition_point(|&d| d <= t).max(1) - 1;
        if k + 1 >= self.days.len() || self.days[k] == t {
            return Some(v[k]);
        }
        let (d0, d1) = (self.days[k], self.days[k + 1]);
        Some(v[k] + (t - d0) / (d1 - d0) * (v[k + 1] - v[k]))
    }

    /// Whether `name` heads a column (Flee then never sets that location's level).
    pub fn has_column(&self, name: &str) -> bool {
        self.regions.iter().any(|(r, _)| r == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_interpolate_between_rows_as_flee_s_test_expects() {
        // Flee's tests/test_csv.py: AB on day 5 is 7.0, EF 8.0.
        let t = IpcTable {
            days: vec![0.0, 10.0, 20.0, 501.0],
            regions: vec![
                ("AB".into(), vec![5.0, 9.0, 1.0, 0.0]),
                ("EF".into(), vec![6.0, 10.0, 15.0, 0.0]),
            ],
        };
        assert_eq!(t.level("AB", 5.0), Some(7.0));
        assert_eq!(t.level("EF", 5.0), Some(8.0));
        assert_eq!(t.level("AB", 10.0), Some(9.0));
        assert_eq!(t.level("AB", 501.0), Some(0.0));
        assert_eq!(t.level("AB", 502.0), None);
        assert_eq!(t.level("C", 5.0), None);
        assert!(t.has_column("EF") && !t.has_column("A"));
    }
}
