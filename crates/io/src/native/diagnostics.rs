//! Every problem of a scenario at once: what `corridor check` prints and
//! what a run stops on (the same checks fill it).

use crate::error::{InputError, InputErrorKind, Warning};
use corridor_model::Scenario;

/// The errors and warnings found while reading and checking a scenario.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Problems that make the scenario unusable: a run refuses it.
    pub errors: Vec<InputError>,
    /// Legal but suspicious input, and what was assumed.
    pub warnings: Vec<Warning>,
}

impl Diagnostics {
    /// Neither errors nor warnings.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && self.warnings.is_empty()
    }

    /// The scenario and its warnings, or the first error (in file order).
    pub fn into_result(
        mut self,
        scenario: Option<Scenario>,
    ) -> Result<(Scenario, Vec<Warning>), InputError> {
        if !self.errors.is_empty() {
            return Err(self.errors.remove(0));
        }
        scenario.map(|s| (s, self.warnings)).ok_or_else(|| {
            InputErrorKind::Malformed {
                path: ".".into(),
                line: None,
                message: "the scenario could not be read".into(),
                hint: "run `corridor check` on it".into(),
            }
            .into()
        })
    }
}
