//! Everything the daily loop does can be observed as events (the MATSim idea):
//! an [`Observer`] receives them as they happen. The default methods do
//! nothing, so a run without an observer pays nothing for them.

use corridor_model::DayRecord;

/// Why an agent left a location's population without arriving anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// Shot while trying to leave a besieged place.
    Shot,
    /// Drowned on a river crossing.
    Drowned,
    /// Died in custody at a screening point.
    DiedInCustody,
    /// Shot on a river bank while waiting in a crossing's queue.
    ShotWaiting,
    /// Shot while crossing a river.
    ShotCrossing,
}

impl Cause {
    pub fn name(self) -> &'static str {
        match self {
            Cause::Shot => "shot",
            Cause::Drowned => "drowned",
            Cause::DiedInCustody => "died in custody",
            Cause::ShotWaiting => "shot waiting to cross",
            Cause::ShotCrossing => "shot crossing",
        }
    }
}

/// One thing that happened during a day.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// An agent was created at a location.
    Spawned { agent: u64, location: u32 },
    /// An agent stepped onto a link.
    Departed { agent: u64, link: u32 },
    /// An agent reached a location at the end of a link.
    Arrived { agent: u64, location: u32 },
    /// A traveller on a link closed behind it went back to the link's start.
    Bounced { agent: u64, location: u32 },
    /// A location entered or left conflict.
    ConflictChanged { location: u32, intensity: f64 },
    /// Links were closed (`closed = true`) or reopened by a closure row or intervention.
    LinksChanged {
        what: String,
        closed: bool,
        links: usize,
    },
    /// A siege attempt was turned back at an exit.
    TurnedBack { agent: u64, location: u32 },
    /// Someone died.
    Died {
        agent: u64,
        cause: Cause,
        people: u32,
    },
    /// Someone was held at a screening point.
    Detained {
        agent: u64,
        location: u32,
        people: u32,
        until_day: i64,
    },
    /// Someone was released from a screening point.
    Released {
        agent: u64,
        location: u32,
        people: u32,
    },
    /// A household was moved between camps by organised relocation.
    Relocated {
        agent: u64,
        from: u32,
        to: u32,
        people: u32,
    },
    /// A household joined the queue of the river crossing from `location`
    /// (the near bank); it waits there, out of Flee's rules.
    Queued { agent: u64, location: u32 },
    /// A household was taken across the river from `from` and is now at `to`.
    Crossed {
        agent: u64,
        from: u32,
        to: u32,
        people: u32,
    },
    /// A household gave up waiting at the near bank `location` and is now at
    /// `to` (the held place it came from, or the bank itself with a new route).
    GaveUp {
        agent: u64,
        location: u32,
        to: u32,
        people: u32,
    },
}

/// Receives events. Implement only what you need.
pub trait Observer {
    fn event(&mut self, _day: i64, _event: &Event) {}
    fn day_end(&mut self, _record: &DayRecord) {}
    /// Agent `agent` reached the end of `link` with the day's budget not
    /// spent, so it may go on the same day (Flee's `evolveMore`, docs/flee-model.md
    /// 4.7): `link` is one of its day's intermediate hops, whether or not it
    /// then leaves (Flee's agent log at level 2 lists these, 17.2). Sent after
    /// [`Event::Arrived`]; a separate call, not an [`Event`], so that observers
    /// matching on events see nothing new.
    fn hop(&mut self, _day: i64, _agent: u64, _link: u32) {}
    /// Whether [`Observer::event`] must see the agents' events (departures,
    /// arrivals, bounces) in creation order. An observer that ignores them
    /// returns false, which lets the agent passes run on every core.
    fn wants_agent_events(&self) -> bool {
        true
    }
}

/// The observer that ignores everything.
pub struct NoObserver;
impl Observer for NoObserver {
    fn wants_agent_events(&self) -> bool {
        false
    }
}

/// Counts events by kind; handy in tests and summaries.
#[derive(Debug, Default, Clone)]
pub struct EventCounter {
    pub spawned: u64,
    pub departed: u64,
    pub arrived: u64,
    pub bounced: u64,
    pub conflict_changes: u64,
    pub link_changes: u64,
}

impl Observer for EventCounter {
    fn event(&mut self, _day: i64, e: &Event) {
        match e {
            Event::Spawned { .. } => self.spawned += 1,
            Event::Departed { .. } => self.departed += 1,
            Event::Arrived { .. } => self.arrived += 1,
            Event::Bounced { .. } => self.bounced += 1,
            Event::ConflictChanged { .. } => self.conflict_changes += 1,
            Event::LinksChanged { .. } => self.link_changes += 1,
            _ => {}
        }
    }
}
