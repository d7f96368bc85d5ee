//! Siege mechanics: corridor's extension of the Flee model (filled in by the siege work).

/// Everything a besieged scenario adds to a Flee scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiegeModel {}
