//! What the two agent passes do to each candidate, as [`Action`]s that the
//! executor runs one by one or on every core ([`super::speculate`]).

use super::speculate::Action;
use crate::events::Observer;
use crate::rng::AgentStream;
use crate::rules::{self, Act, Draws, NO_CHOICE};

/// Pass 1's action on a mover: the route the scan chose, if any, then
/// departure (docs/flee-model.md 4.4 step 4).
pub(crate) struct Choose;

impl Action for Choose {
    const ARRIVES: bool = false;

    fn act<O: Observer>(&self, cx: &mut Act<'_, '_, O>, a: usize, choice: u32) {
        let stream = AgentStream::new(cx.day.key, cx.world.gid(a));
        let mut draws = Draws::pass1(stream);
        if choice != NO_CHOICE {
            cx.world.agents.route[a] = choice;
            cx.world.agents.route_pos[a] = 0;
            draws.routes += 1;
        }
        rules::departure::act_on_move(cx, a, &mut draws);
    }
}

/// Pass 2's action on an arrival: the rest of Flee's `finish_travel`, the
/// word being the first leg's speed (docs/flee-model.md 4.7).
pub(crate) struct Arrive;

impl Action for Arrive {
    const ARRIVES: bool = true;

    fn act<O: Observer>(&self, cx: &mut Act<'_, '_, O>, a: usize, speed: u32) {
        rules::travel::finish_arrival(cx, a, f32::from_bits(speed) as f64);
    }
}
