//! Flee's harvest option (docs/flee-model.md 4.8, 15.5): in the months of
//! `harvest_months` every resting agent is counted at its home (spawn)
//! location and does not move; the `farmer` attribute is never consulted.
//!
//! Flee moves the count at the agent's first `evolve` call in the months
//! (its location −1, its home +1) and back at the first call after them;
//! the agent's location itself never changes. Inside the months nobody
//! chooses a route, so moving every count before the day's move tests gives
//! Flee's result. On the first day after the months Flee moves each count
//! back at the agent's own turn in the pass, so movers earlier in creation
//! order see the camps without the later agents: corridor keeps the agents
//! to move back in slot order and moves their counts just before each
//! mover's turn (and the rest after the pass).

use crate::pipeline::Day;
use crate::world::{World, ON_LINK};
use corridor_model::Settings;

/// Bit of `Agents::flags`: the agent is counted at its home location.
const AT_HOME: u8 = 1 << 1;

/// The harvest months of a run, and whether today is in them.
#[derive(Debug, Clone)]
pub(crate) struct Harvest {
    /// Indexed by month 1–12.
    months: [bool; 13],
    /// Today's date is in a harvest month.
    pub today: bool,
    /// On the first day after the months: the agents counted at home, in
    /// slot order, whose counts go back at their turn; `next` is the first
    /// not yet moved back.
    back: Vec<u32>,
    next: usize,
}

/// The months of `harvest_months` as whole numbers 1–12; an error names a
/// value that is not one.
fn months(s: &Settings) -> Result<Option<[bool; 13]>, String> {
    let Some(list) = s.harvest_months.as_ref().filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    let mut months = [false; 13];
    for &m in list {
        if m.fract() != 0.0 || !(1.0..=12.0).contains(&m) {
            return Err(format!(
                "move_rules.harvest_months holds {m}, not a month\n  hint: list calendar months \
                 as whole numbers 1–12, e.g. [6, 11]"
            ));
        }
        months[m as usize] = true;
    }
    Ok(Some(months))
}

/// Refuses `harvest_months` entries that are not months.
pub(crate) fn check(s: &Settings) -> Result<(), String> {
    months(s).map(drop)
}

impl Harvest {
    /// The harvest option of `s`; `None` without harvest months.
    pub(crate) fn new(s: &Settings) -> Option<Harvest> {
        Some(Harvest {
            months: months(s).ok()??,
            today: false,
            back: Vec::new(),
            next: 0,
        })
    }
}

/// Before the day's move tests: whether day `t` (date `start + t`, the date
/// before Flee's daily increment) is in a harvest month; in the months every
/// resting agent's count moves home, after them the agents counted at home
/// wait for their turn ([`catch_up`]) to move it back.
pub(crate) fn start_of_day(world: &mut World, start_epoch_day: i64, day: Day) {
    let Some(h) = world.harvest.as_mut() else {
        return;
    };
    let (_, month, _) = corridor_model::date::from_epoch_day(start_epoch_day + day.t);
    h.today = h.months[month as usize];
    let today = h.today;
    h.back.clear();
    h.next = 0;
    let (agents, counts) = (&mut world.agents, &mut world.places.agents);
    for a in 0..agents.len() {
        let loc = agents.loc[a];
        if loc & ON_LINK != 0 {
            continue; // travelling, or out of the run
        }
        let at_home = agents.flags[a] & AT_HOME != 0;
        if today && !at_home {
            counts[loc as usize] -= 1;
            counts[agents.home[a] as usize] += 1;
            agents.flags[a] |= AT_HOME;
        } else if !today && at_home {
            h.back.push(a as u32);
        }
    }
}

/// Before mover `a`'s turn on the first day after the months: the counts of
/// the agents up to `a` (itself included) go back where they rest.
#[inline]
pub(crate) fn catch_up(world: &mut World, a: usize) {
    if world.harvest.is_some() {
        catch_up_counts(world, a);
    }
}

/// [`catch_up`] with the harvest rule on (apart, so that the test above
/// stays inline on every mover's path).
fn catch_up_counts(world: &mut World, a: usize) {
    let Some(h) = world.harvest.as_mut() else {
        return;
    };
    let (agents, counts) = (&mut world.agents, &mut world.places.agents);
    while let Some(&b) = h.back.get(h.next) {
        let b = b as usize;
        if b > a {
            break;
        }
        counts[agents.loc[b] as usize] += 1;
        counts[agents.home[b] as usize] -= 1;
        agents.flags[b] &= !AT_HOME;
        h.next += 1;
    }
}

/// After the move tests: every count still waiting goes back.
#[inline]
pub(crate) fn flush(world: &mut World) {
    catch_up(world, usize::MAX);
}

/// Flee's early return of `evolve` for agent `a`, resting after an
/// arrival: in a harvest month its count moves home and it goes no further
/// today (true).
#[inline]
pub(crate) fn holds(world: &mut World, a: usize) -> bool {
    today(world) && hold(world, a)
}

/// [`holds`] in a harvest month.
fn hold(world: &mut World, a: usize) -> bool {
    let loc = world.agents.loc[a];
    if loc & ON_LINK == 0 && world.agents.flags[a] & AT_HOME == 0 {
        world.places.agents[loc as usize] -= 1;
        world.places.agents[world.agents.home[a] as usize] += 1;
        world.agents.flags[a] |= AT_HOME;
    }
    true
}

/// Whether resting agents stay put today (a harvest month).
#[inline]
pub(crate) fn today(world: &World) -> bool {
    world.harvest.as_ref().is_some_and(|h| h.today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{move_chance, testkit};
    use corridor_model::date::epoch_day;

    fn harvest_world(months: Vec<f64>) -> World<'static> {
        let mut sc = testkit::line();
        sc.settings.harvest_months = Some(months);
        testkit::world(sc)
    }

    #[test]
    fn counts_go_home_in_the_months_and_come_back_after() {
        let mut w = harvest_world(vec![2.0]);
        let start = epoch_day(2020, 1, 30);
        // Three agents spawned at A; two now rest in camp C, one is on a link.
        for _ in 0..3 {
            w.create_agent(0);
        }
        w.move_agent(0, 2);
        w.move_agent(1, 2);
        w.places.agents[0] -= 1;
        w.agents.loc[2] = ON_LINK;
        assert_eq!(w.counts(), &[0, 0, 2]);
        // 30 January: not a harvest month.
        start_of_day(&mut w, start, Day::new(1, 0));
        assert!(!today(&w));
        assert_eq!(w.counts(), &[0, 0, 2]);
        // 31 January + 1 = 1 February: both resting agents are counted at home.
        start_of_day(&mut w, start, Day::new(1, 2));
        assert!(today(&w));
        assert_eq!(w.counts(), &[2, 0, 0]);
        // Nobody moves: the move chance is 0, even in the conflict zone.
        let p = move_chance::of_agent(&w, &[], 0, 2, true, || true);
        assert_eq!(p, 0.0);
        // Moved once only.
        start_of_day(&mut w, start, Day::new(1, 3));
        assert_eq!(w.counts(), &[2, 0, 0]);
        // The traveller arrives at B during the months: counted at home at once.
        w.agents.loc[2] = 1;
        w.places.agents[1] += 1;
        assert!(holds(&mut w, 2));
        assert_eq!(w.counts(), &[3, 0, 0]);
        // 1 March: each count goes back at the agent's turn (agents 0, 1, 2).
        start_of_day(&mut w, start, Day::new(1, 31));
        assert!(!today(&w));
        assert_eq!(w.counts(), &[3, 0, 0]);
        catch_up(&mut w, 0);
        assert_eq!(w.counts(), &[2, 0, 1]);
        catch_up(&mut w, 0);
        assert_eq!(w.counts(), &[2, 0, 1]);
        flush(&mut w);
        assert_eq!(w.counts(), &[0, 1, 2]);
        // Nothing is left to move back the next day.
        start_of_day(&mut w, start, Day::new(1, 32));
        flush(&mut w);
        assert_eq!(w.counts(), &[0, 1, 2]);
        assert!(!holds(&mut w, 2));
        assert!(move_chance::of_agent(&w, &[], 0, 2, false, || false) > 0.0);
    }

    #[test]
    fn months_must_be_whole_numbers_from_1_to_12() {
        let mut s = Settings::default();
        assert!(check(&s).is_ok() && Harvest::new(&s).is_none());
        s.harvest_months = Some(vec![]);
        assert!(Harvest::new(&s).is_none());
        s.harvest_months = Some(vec![6.0, 11.0]);
        let h = Harvest::new(&s).unwrap();
        assert!(h.months[6] && h.months[11] && !h.months[7]);
        s.harvest_months = Some(vec![13.0]);
        assert!(check(&s).unwrap_err().contains("13"));
        s.harvest_months = Some(vec![6.5]);
        assert!(check(&s).is_err());
    }
}
