//! Observed camp series (`source_data/`) and the numbers Flee derives from them.
//!
//! The arithmetic here reproduces Flee's exactly (docs/flee-model.md 2.6, 2.7, 4.2): every
//! point is `count / hasten` as a double, several files of one label are merged
//! step-wise, registration corrections rescale history in place, and lookups
//! interpolate linearly and truncate toward zero. The deterministic columns of
//! Flee's `out.csv` depend only on this, so they can be matched bit for bit.

/// One observation: day offset from the scenario start and the raw count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataPoint {
    pub day: i64,
    pub count: i64,
}

/// One series file, in file order (Flee does not sort).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CampSeries {
    /// File name as written in `data_layout.csv`, for messages.
    pub file: String,
    pub points: Vec<DataPoint>,
}

/// A registration correction (`registration_corrections.csv`): the series of
/// `label` jumps at `day` because registration changed level, so earlier
/// points are rescaled to join the later ones.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistrationCorrection {
    pub label: String,
    pub day: i64,
}

/// `data_layout.csv` and its series. Label 0 is the `total` row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValidationData {
    pub labels: Vec<String>,
    /// For each label, the files to add together (usually one).
    pub series: Vec<Vec<CampSeries>>,
    pub corrections: Vec<RegistrationCorrection>,
}

/// Why prepared data could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    #[error("series for '{label}' ({file}) has no data points")]
    EmptySeries { label: String, file: String },
    #[error("registration correction names '{label}', which is not a label in data_layout.csv")]
    UnknownCorrectionLabel { label: String },
    #[error("registration correction for '{label}' on day {day}: no data point on that day (Flee crashes here); add a point for that date or remove the correction")]
    CorrectionDateNotInSeries { label: String, day: i64 },
    #[error("registration correction for '{label}' on day {day}: the preceding value is below 1, so the rescaling factor is undefined")]
    CorrectionBadBase { label: String, day: i64 },
}

/// Series ready for lookups at a given `hasten`: label → points `(day, value)`.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedData {
    pub labels: Vec<String>,
    pub tables: Vec<Vec<(i64, f64)>>,
    /// Subtracted from every lookup when `empty_camps_on_day0` is on.
    pub offsets: Vec<i64>,
}

impl ValidationData {
    /// Scale by `hasten`, merge multi-file labels and apply registration corrections,
    /// in Flee's order.
    pub fn prepare(
        &self,
        hasten: f64,
        empty_camps_on_day0: bool,
    ) -> Result<PreparedData, DataError> {
        let mut tables = Vec::with_capacity(self.labels.len());
        for (label, files) in self.labels.iter().zip(&self.series) {
            let mut merged: Option<Vec<(i64, f64)>> = None;
            for file in files {
                if file.points.is_empty() {
                    return Err(DataError::EmptySeries {
                        label: label.clone(),
                        file: file.file.clone(),
                    });
                }
                let t: Vec<(i64, f64)> = file
                    .points
                    .iter()
                    .map(|p| (p.day, p.count as f64 / hasten))
                    .collect();
                merged = Some(match merged {
                    None => t,
                    Some(t1) => merge_tables(&t1, &t),
                });
            }
            tables.push(merged.unwrap_or_default());
        }
        for c in &self.corrections {
            let idx = self
                .labels
                .iter()
                .position(|l| *l == c.label)
                .ok_or_else(|| DataError::UnknownCorrectionLabel {
                    label: c.label.clone(),
                })?;
            if c.day < 0 {
                continue;
            }
            let table = &mut tables[idx];
            let mut matched = false;
            for i in 0..table.len() {
                if table[i].0 == c.day {
                    if i == 0 {
                        return Err(DataError::CorrectionDateNotInSeries {
                            label: c.label.clone(),
                            day: c.day,
                        });
                    }
                    let (first_l2, last_l1) = (table[i].1, table[i - 1].1);
                    if last_l1 < 1.0 {
                        return Err(DataError::CorrectionBadBase {
                            label: c.label.clone(),
                            day: c.day,
                        });
                    }
                    let factor = first_l2 / last_l1;
                    for p in table[..i].iter_mut() {
                        p.1 *= factor;
                    }
                    matched = true;
                }
            }
            if !matched {
                return Err(DataError::CorrectionDateNotInSeries {
                    label: c.label.clone(),
                    day: c.day,
                });
            }
        }
        let mut prepared = PreparedData {
            labels: self.labels.clone(),
            offsets: vec![0; tables.len()],
            tables,
        };
        if empty_camps_on_day0 {
            let offsets = (0..prepared.labels.len())
                .map(|i| prepared.field(i, 0))
                .collect();
            prepared.offsets = offsets;
        }
        Ok(prepared)
    }
}

/// Flee's step-wise addition of two series of one label (docs/flee-model.md 2.7; used by car2013).
fn merge_tables(t1: &[(i64, f64)], t2: &[(i64, f64)]) -> Vec<(i64, f64)> {
    let mut out = Vec::with_capacity(t1.len() + t2.len());
    let mut offset = 0usize;
    // Flee starts from a zero row; reading its value before any table-2 point
    // has been seen is an IndexError there, and 0.0 here.
    let mut last_c2 = 0.0f64;
    for &(d2, v2) in t2 {
        while d2 > t1[offset].0 {
            out.push((t1[offset].0, last_c2 + t1[offset].1));
            if offset < t1.len() - 1 {
                offset += 1;
            } else {
                break;
            }
        }
        if d2 == t1[offset].0 {
            out.push((d2, v2 + t1[offset].1));
            if offset < t1.len() - 1 {
                offset += 1;
            }
            last_c2 = v2;
            continue;
        }
        if d2 < t1[offset].0 {
            out.push((d2, v2 + t1[offset].1));
            last_c2 = v2;
        }
    }
    out
}

impl PreparedData {
    pub fn label_index(&self, name: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == name)
    }

    /// Flee's `get_field`: linear interpolation, flat extrapolation, truncation toward zero.
    pub fn field(&self, label: usize, day: i64) -> i64 {
        interpolate(&self.tables[label], day) - self.offsets[label]
    }
}

fn interpolate(table: &[(i64, f64)], day: i64) -> i64 {
    let (d0, v0) = table[0];
    if day <= d0 {
        return v0 as i64;
    }
    for i in 1..table.len() {
        if day < table[i].0 {
            let (old_day, old_val) = table[i - 1];
            let fraction = (day - old_day) as f64 / (table[i].0 - old_day) as f64;
            return (old_val + fraction * (table[i].1 - old_val)) as i64;
        }
    }
    table[table.len() - 1].1 as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(points: &[(i64, i64)]) -> CampSeries {
        CampSeries {
            file: "x.csv".into(),
            points: points
                .iter()
                .map(|&(day, count)| DataPoint { day, count })
                .collect(),
        }
    }

    #[test]
    fn interpolation_truncates_and_extrapolates_flat() {
        let t = vec![(0, 0.0), (10, 100.0), (20, 50.0)];
        assert_eq!(interpolate(&t, -5), 0);
        assert_eq!(interpolate(&t, 3), 30);
        assert_eq!(interpolate(&t, 15), 75);
        assert_eq!(interpolate(&t, 25), 50);
        let t = vec![(0, 0.0), (3, 10.0)];
        assert_eq!(interpolate(&t, 1), 3); // 3.333 truncated
    }

    #[test]
    fn correction_rescales_history() {
        let v = ValidationData {
            labels: vec!["total".into(), "A".into()],
            series: vec![
                vec![series(&[(0, 10)])],
                vec![series(&[(0, 100), (5, 200), (6, 100)])],
            ],
            corrections: vec![RegistrationCorrection {
                label: "A".into(),
                day: 6,
            }],
        };
        let p = v.prepare(1.0, false).unwrap();
        assert_eq!(p.tables[1], vec![(0, 50.0), (5, 100.0), (6, 100.0)]);
        let bad = ValidationData {
            corrections: vec![RegistrationCorrection {
                label: "A".into(),
                day: 4,
            }],
            ..v.clone()
        };
        assert!(matches!(
            bad.prepare(1.0, false),
            Err(DataError::CorrectionDateNotInSeries { .. })
        ));
    }

    #[test]
    fn merge_adds_stepwise() {
        let t1 = vec![(0, 0.0), (3, 10.0), (10, 20.0)];
        let t2 = vec![(0, 0.0), (5, 7.0), (10, 1.0)];
        assert_eq!(
            merge_tables(&t1, &t2),
            vec![(0, 0.0), (3, 10.0), (5, 27.0), (10, 21.0)]
        );
    }

    #[test]
    fn hasten_divides_before_truncation() {
        let v = ValidationData {
            labels: vec!["total".into()],
            series: vec![vec![series(&[(0, 1999)])]],
            corrections: vec![],
        };
        assert_eq!(v.prepare(100.0, false).unwrap().field(0, 0), 19);
    }
}

/// Flee's data-driven spawning budget (docs/flee-model.md 4.2 B): how many agents to
/// create each day from the camp series, with the "debt" that carries drops
/// in the data forward so agents are never removed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpawnLedger {
    /// Pending decrease to absorb before new agents are created again.
    pub debt: i64,
    /// Flee's `raw UNHCR refugee count` column.
    pub raw: i64,
}

/// The ledger's answer for one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpawnDay {
    pub new_agents: i64,
    pub raw: i64,
    pub debt: i64,
}

impl SpawnLedger {
    /// Advance the ledger to day `t` (called once per day, in order).
    pub fn day(&mut self, data: &PreparedData, t: i64, settings: &crate::Settings) -> SpawnDay {
        let n = data.labels.len();
        let diff = if t == 0 {
            let d = if settings.sum_from_camps {
                let first = if settings.compat.raw_counts_total_on_day0 {
                    0
                } else {
                    1
                };
                (first..n).map(|h| data.field(h, 0)).sum::<i64>()
            } else {
                data.field(0, 0)
            };
            if settings.empty_camps_on_day0 {
                0
            } else {
                d
            }
        } else if settings.sum_from_camps {
            (1..n)
                .map(|h| data.field(h, t) - data.field(h, t - 1))
                .sum::<i64>()
        } else {
            data.field(0, t) - data.field(0, t - 1)
        };
        let mut new = diff - self.debt;
        self.raw += diff;
        if settings.insert_day0 && t == 0 {
            new = 0;
        }
        if new < 0 {
            self.debt = -new;
            new = 0;
        } else if self.debt > 0 {
            self.debt = 0;
        }
        SpawnDay {
            new_agents: new,
            raw: self.raw,
            debt: self.debt,
        }
    }
}
