//! Siege mechanics (corridor's extension of Flee): held populations, exits
//! under fire, river crossings, screening points, interventions.

use crate::events::Observer;
use crate::{EngineError, Simulation};
use corridor_model::SiegeModel;

/// Run-time state of the siege extension.
pub struct SiegeState {}

impl SiegeState {
    pub(crate) fn new(_model: &SiegeModel, _sim: &Simulation) -> Result<Self, EngineError> {
        Ok(SiegeState {})
    }
    pub(crate) fn stage_interventions(&mut self, _sim: &mut Simulation, _t: i64, _obs: &mut impl Observer) {}
    pub(crate) fn stage_release(&mut self, _sim: &mut Simulation, _t: i64, _obs: &mut impl Observer) {}
    pub(crate) fn on_spawned(&mut self, _sim: &mut Simulation, _first: usize) {}
    /// Returns true when the departure is blocked (turned back, shot, drowned, no boat).
    pub(crate) fn on_departure(
        &mut self,
        _sim: &mut Simulation,
        _agent: usize,
        _from: u32,
        _link: u32,
        _t: i64,
        _obs: &mut impl Observer,
    ) -> bool {
        false
    }
    /// Returns true when the agent is held at the arrival location.
    pub(crate) fn on_arrival(
        &mut self,
        _sim: &mut Simulation,
        _agent: usize,
        _at: u32,
        _t: i64,
        _obs: &mut impl Observer,
    ) -> bool {
        false
    }
}
