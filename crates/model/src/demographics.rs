//! Agent attributes drawn at spawn from Flee's `demographics_<attr>.csv`
//! tables (docs/flee-model.md 15.1–15.2): per attribute, its possible values
//! and the sampling weights of each value, per location or by default.

/// The demographic tables of a scenario (empty: agents carry no attributes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Demographics {
    /// One per `demographics_<attr>.csv`, in file-name order.
    pub attributes: Vec<Attribute>,
}

/// One attribute (e.g. `age`, `gender`) and how it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The name: the second `_`-separated token of the file name.
    pub name: String,
    /// The possible values, as written in the first column.
    pub values: Vec<String>,
    /// Whether every cell of the table is a number: Flee then holds the
    /// value as a float (an age of 40 prints as `40.0`).
    pub numeric: bool,
    /// Weights of the `Default` column, if the table has one.
    pub default: Option<Vec<f64>>,
    /// Weights of the columns named after a location.
    pub by_location: Vec<(String, Vec<f64>)>,
}

impl Attribute {
    /// The weights for agents created at `location`: its own column, else `Default`.
    pub fn weights_for(&self, location: &str) -> Option<&[f64]> {
        self.by_location
            .iter()
            .find(|(name, _)| name == location)
            .map(|(_, w)| w.as_slice())
            .or(self.default.as_deref())
    }

    /// Value `k` as a number, if it is one.
    pub fn number(&self, k: usize) -> Option<f64> {
        self.values.get(k)?.trim().parse().ok()
    }
}

/// The agents of `agents.csv` (docs/flee-model.md 15.4): created before day
/// 0, in file order, each with its row's cells as attribute values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InitialAgents {
    /// The attribute names: the header's columns after `location`.
    pub columns: Vec<String>,
    /// One per data row whose location exists.
    pub agents: Vec<InitialAgent>,
}

/// One row of `agents.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct InitialAgent {
    pub location: crate::LocId,
    /// The raw strings of the row's cells after the location, one per column
    /// (Flee keeps them as strings).
    pub values: Vec<String>,
}

impl Demographics {
    /// Whether agents carry no attributes.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
    }

    /// The index of the attribute called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.attributes.iter().position(|a| a.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_column_wins_over_default() {
        let a = Attribute {
            name: "gender".into(),
            values: vec!["male".into(), "female".into()],
            numeric: false,
            default: Some(vec![0.51, 0.49]),
            by_location: vec![("C".into(), vec![0.0, 1.0])],
        };
        assert_eq!(a.weights_for("C"), Some(&[0.0, 1.0][..]));
        assert_eq!(a.weights_for("A"), Some(&[0.51, 0.49][..]));
        assert_eq!(a.number(0), None);
        let d = Demographics {
            attributes: vec![a],
        };
        assert_eq!((d.index_of("gender"), d.index_of("age")), (Some(0), None));
    }
}
