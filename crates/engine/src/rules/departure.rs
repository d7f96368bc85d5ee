//! What a mover does once its move test passed (the part of Flee's
//! `Person.evolve` after it): choose a route if it has none, then step onto
//! the route's first link, unless a mechanism blocks the departure.

use super::{route_choice, Act, Draws};
use crate::events::{Event, Observer};
use crate::world::ON_LINK;

/// Agent `a`, resting, acts on a passed move test. Returns whether it departed.
pub(crate) fn act_on_move<O: Observer>(
    cx: &mut Act<'_, '_, O>,
    a: usize,
    draws: &mut Draws,
) -> bool {
    let world = &mut *cx.world;
    // Flee's harvest: counts of agents up to this one go back before it chooses.
    super::harvest::catch_up(world, a);
    let loc = world.agents.loc[a];
    if world.agents.route[a] == 0 {
        let path = route_choice::select_route(world, a, loc, draws);
        world.agents.route[a] = path;
        world.agents.route_pos[a] = 0;
    }
    if world.agents.route[a] == 0 {
        return false;
    }
    let Some(link) = route_choice::take_next_step(world, a, loc) else {
        return false;
    };
    for m in cx.hooks.iter_mut() {
        if m.departure(world, cx.day, a, loc, link, cx.obs) {
            return false;
        }
    }
    world.places.agents[loc as usize] -= 1;
    world.agents.loc[a] = ON_LINK | link;
    world.agents.progress[a] = 0.0;
    cx.stats.departures += 1;
    cx.obs.event(
        cx.day.t,
        &Event::Departed {
            agent: world.gid(a),
            link,
        },
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventCounter;
    use crate::hooks::Mechanism;
    use crate::pipeline::Day;
    use crate::rng::AgentStream;
    use crate::rules::{scores, testkit};
    use crate::world::World;
    use crate::RunStats;

    /// Blocks every departure from location 0.
    struct Wall;
    impl Mechanism for Wall {
        fn departure(
            &mut self,
            _: &mut World,
            _: Day,
            _: usize,
            from: u32,
            _: u32,
            _: &mut dyn Observer,
        ) -> bool {
            from == 0
        }
    }

    #[test]
    fn a_mover_steps_onto_its_first_link_unless_blocked() {
        let mut w = testkit::world(testkit::line());
        scores::refresh(&mut w, 0).unwrap();
        scores::cache_totals(&mut w);
        w.create_agent(0);
        w.create_agent(1);
        let mut stats = RunStats::default();
        let mut events = EventCounter::default();
        let mut hooks: Vec<Box<dyn Mechanism>> = vec![Box::new(Wall)];
        let mut cx = Act {
            world: &mut w,
            hooks: &mut hooks,
            stats: &mut stats,
            day: Day::new(1, 0),
            obs: &mut events,
        };
        let stream = |g| AgentStream::new(cx.day.key, g);
        let (mut blocked, mut free) = (Draws::pass1(stream(0)), Draws::pass1(stream(1)));
        assert!(!act_on_move(&mut cx, 0, &mut blocked));
        assert!(act_on_move(&mut cx, 1, &mut free));
        // Both chose a route (one route number each) before stepping on.
        assert_eq!((blocked.routes, free.routes), (1, 1));
        assert_eq!(w.counts(), &[1, 0, 0]);
        assert!(w.agents.is_travelling(1));
        assert_eq!(stats.departures, 1);
        assert_eq!(events.departed, 1);
    }
}
