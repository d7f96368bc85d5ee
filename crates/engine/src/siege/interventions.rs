//! The day's scheduled changes (stage 4): holds that end, and the
//! interventions of the siege model, each recorded in the report.

use super::SiegeState;
use crate::events::{Event, Observer};
use crate::world::World;
use corridor_model::siege::{Action, SiegeModel};

impl SiegeState {
    /// Applies the holds that end and the interventions of day `t`.
    pub(super) fn interventions(&mut self, world: &mut World, t: i64, obs: &mut dyn Observer) {
        // Holds with an end day are lifted like a `lift_siege` intervention.
        let ends: Vec<_> = self
            .model
            .holds
            .iter()
            .filter(|h| h.until_day == Some(t))
            .map(|h| corridor_model::siege::Intervention {
                day: t,
                action: Action::LiftSiege {
                    location: h.location,
                    residents: h.residents,
                },
                note: "end of hold".into(),
            })
            .collect();
        let todays: Vec<_> = ends
            .into_iter()
            .chain(
                self.model
                    .interventions
                    .iter()
                    .filter(|i| i.day == t)
                    .cloned(),
            )
            .collect();
        for iv in todays {
            let sc = world.scenario();
            let name = |l: u32| sc.locations[l as usize].name.clone();
            // What the scenario alone decides was checked at load; whether a
            // place is still held on the day is the run's: such a change is
            // recorded as skipped, not as applied.
            match &iv.action {
                Action::SetAttemptRate { location, .. } | Action::LiftSiege { location, .. }
                    if self.held[*location as usize].is_none() =>
                {
                    let what = match &iv.action {
                        Action::SetAttemptRate { value, .. } => {
                            format!("attempt rate at {} = {value}", name(*location))
                        }
                        _ => format!("siege of {} lifted", name(*location)),
                    };
                    let why = format!("{} is no longer held on day {t}", name(*location));
                    self.report
                        .skipped_interventions
                        .push((t, with_note(what, &iv.note), why));
                    continue;
                }
                _ => {}
            }
            let text = match &iv.action {
                Action::SetAttemptRate { location, value } => {
                    self.held[*location as usize] = Some(*value);
                    format!("attempt rate at {} = {value}", name(*location))
                }
                Action::LiftSiege {
                    location,
                    residents,
                } => {
                    self.end_hold(*location, *residents);
                    let l = *location;
                    // Links to or from a place still held stay as its blockade has them.
                    let held = &self.held;
                    world.open_links_where(|k| {
                        (k.from == l && held[k.to as usize].is_none())
                            || (k.to == l && held[k.from as usize].is_none())
                    });
                    let what = match residents {
                        corridor_model::siege::Residents::Stay => "those who never left stay",
                        corridor_model::siege::Residents::Move => "residents move freely",
                    };
                    format!("siege of {} lifted; {what}", name(l))
                }
                Action::OpenExit { from, to } | Action::CloseExit { from, to } => {
                    let open = matches!(iv.action, Action::OpenExit { .. });
                    if let Some(&i) = self.exit_index.get(&(*from, *to)) {
                        self.model.exits[i].open = open;
                    }
                    if self.held[*from as usize].is_some() {
                        let (f, to_) = (*from, *to);
                        if open {
                            world.open_links_where(|k| k.from == f && k.to == to_);
                        } else {
                            world.close_links_where(false, |k| k.from == f && k.to == to_);
                        }
                    }
                    format!(
                        "exit {} → {} {}",
                        name(*from),
                        name(*to),
                        if open { "opens" } else { "closes" }
                    )
                }
                Action::SetExitHazard {
                    from,
                    to,
                    turned_back,
                    shot,
                    weight,
                } => {
                    if let Some(&i) = self.exit_index.get(&(*from, *to)) {
                        let e = &mut self.model.exits[i];
                        if let Some(v) = turned_back {
                            e.turned_back = *v;
                        }
                        if let Some(v) = shot {
                            e.shot = *v;
                        }
                        if let Some(v) = weight {
                            e.weight = *v;
                        }
                    }
                    format!("exit {} → {} hazards changed", name(*from), name(*to))
                }
                Action::SetCrossing {
                    from,
                    to,
                    capacity_per_day,
                    drowning,
                    shot_crossing,
                    shot_waiting,
                    patience_days,
                    give_up,
                } => {
                    if let Some(&i) = self.cross.index.get(&(*from, *to)) {
                        let c = &mut self.model.crossings[i];
                        if let Some(v) = capacity_per_day {
                            c.capacity_per_day = *v;
                        }
                        if let Some(v) = drowning {
                            c.drowning = *v;
                        }
                        if let Some(v) = shot_crossing {
                            c.shot_crossing = *v;
                        }
                        if let Some(v) = shot_waiting {
                            c.shot_waiting = *v;
                        }
                        if let Some(v) = patience_days {
                            c.patience_days = *v;
                        }
                        if let Some(v) = give_up {
                            c.give_up = *v;
                        }
                    }
                    format!("crossing {} → {} changed", name(*from), name(*to))
                }
                Action::CloseRoute { from, to } | Action::OpenRoute { from, to } => {
                    let close = matches!(iv.action, Action::CloseRoute { .. });
                    let (x, y) = (*from, *to);
                    let pred = |k: &crate::network::Link| {
                        (k.from == x && k.to == y) || (k.from == y && k.to == x)
                    };
                    let links = if close {
                        let bounce = world.settings().compat.closed_link_bounce;
                        world.close_links_where(bounce, pred)
                    } else {
                        world.open_links_where(pred)
                    };
                    obs.event(
                        t,
                        &Event::LinksChanged {
                            what: format!("{} - {}", name(x), name(y)),
                            closed: close,
                            links,
                        },
                    );
                    format!(
                        "route {} – {} {}",
                        name(x),
                        name(y),
                        if close { "closed" } else { "opened" }
                    )
                }
                Action::SetCampCapacity { camp, people } => {
                    world.set_capacity(*camp, (people / self.ppa as i64).max(1));
                    format!("capacity of {} = {people} people", name(*camp))
                }
                Action::SetRelocation {
                    from,
                    to,
                    share_of_overflow,
                } => {
                    let rs = &mut self.model.relocations;
                    match rs.iter_mut().find(|r| r.from == *from) {
                        Some(r) => {
                            r.share_of_overflow = *share_of_overflow;
                            if let Some(to) = to {
                                r.to = to.clone();
                            }
                        }
                        // Checked in `new`: a new relocation has targets.
                        None => rs.push(corridor_model::siege::Relocation {
                            from: *from,
                            to: to.clone().unwrap_or_default(),
                            share_of_overflow: *share_of_overflow,
                        }),
                    }
                    let r = rs.iter().find(|r| r.from == *from).expect("just set");
                    let targets: Vec<String> = r.to.iter().map(|&c| name(c)).collect();
                    format!(
                        "relocation from {} to {}: {} of the overflow a day",
                        name(*from),
                        targets.join(", "),
                        share_of_overflow
                    )
                }
                Action::SetScreening {
                    location,
                    active,
                    hold_days,
                    not_released,
                    death_in_custody,
                    on,
                    capacity_per_day,
                } => {
                    if let Some(i) = self.screening_at[*location as usize] {
                        let s = &mut self.model.screenings[i];
                        if let Some(v) = active {
                            s.active = *v;
                        }
                        if let Some((lo, hi)) = hold_days {
                            s.hold_min_days = *lo;
                            s.hold_max_days = (*hi).max(*lo);
                        }
                        if let Some(v) = not_released {
                            s.not_released = *v;
                        }
                        if let Some(v) = death_in_custody {
                            s.death_in_custody = *v;
                        }
                        if let Some((arrival, departure)) = on {
                            (s.on_arrival, s.on_departure) = (*arrival, *departure);
                        }
                        if let Some(v) = capacity_per_day {
                            s.capacity_per_day = *v;
                        }
                    }
                    format!("screening at {} changed", name(*location))
                }
                Action::SetReturn { .. } => {
                    let (to, rate) = self.ret.apply(&iv.action, t).unwrap_or_default();
                    format!("returns home to {}: {rate} of households a day", name(to))
                }
                Action::SetShelter { camp, people } => {
                    self.shelter[*camp as usize] = Some(*people);
                    format!("shelter of {} = {people} people", name(*camp))
                }
                Action::SetTransport {
                    from,
                    to,
                    people_per_day,
                    active,
                } => {
                    let lines = &mut self.model.transport;
                    let i = match lines.iter().position(|r| r.from == *from) {
                        Some(i) => i,
                        // Checked in `new`: a new line has targets.
                        None => {
                            lines.push(corridor_model::siege::Transport {
                                from: *from,
                                to: Vec::new(),
                                people_per_day: 0,
                                active: true,
                                leg: false,
                            });
                            lines.len() - 1
                        }
                    };
                    let line = &mut lines[i];
                    if let Some(to) = to {
                        line.to = to.clone();
                    }
                    if let Some(v) = people_per_day {
                        line.people_per_day = *v;
                    }
                    if let Some(v) = active {
                        line.active = *v;
                    }
                    let targets: Vec<String> = line.to.iter().map(|&c| name(c)).collect();
                    format!(
                        "buses from {} to {}: {} people a day{}",
                        name(*from),
                        targets.join(", "),
                        line.people_per_day,
                        if line.active { "" } else { " (stopped)" }
                    )
                }
            };
            self.report
                .interventions
                .push((t, with_note(text, &iv.note)));
        }
        // Nothing reopens a crossing's reverse (closures run before this stage).
        self.enforce_one_way(world);
    }
}

/// An intervention's description followed by its note, if any.
fn with_note(text: String, note: &str) -> String {
    if note.is_empty() {
        text
    } else {
        format!("{text} ({note})")
    }
}

/// The interventions scheduled after the last day run (`last`), as skipped:
/// `--days` shortened the run below the scenario's length.
pub(super) fn after_the_run(
    world: &World,
    model: &SiegeModel,
    last: i64,
) -> Vec<(i64, String, String)> {
    let sc = world.scenario();
    let name = |l: &u32| sc.locations[*l as usize].name.as_str();
    model
        .interventions
        .iter()
        .filter(|iv| iv.day > last)
        .map(|iv| {
            let what = match &iv.action {
                Action::SetAttemptRate { location, .. }
                | Action::LiftSiege { location, .. }
                | Action::SetScreening { location, .. } => name(location).to_string(),
                Action::SetCampCapacity { camp, .. } | Action::SetShelter { camp, .. } => {
                    name(camp).to_string()
                }
                Action::OpenExit { from, to }
                | Action::CloseExit { from, to }
                | Action::SetExitHazard { from, to, .. }
                | Action::SetCrossing { from, to, .. }
                | Action::CloseRoute { from, to }
                | Action::OpenRoute { from, to } => format!("{} → {}", name(from), name(to)),
                Action::SetRelocation { from, .. } | Action::SetTransport { from, .. } => {
                    format!("from {}", name(from))
                }
                Action::SetReturn { to, .. } => format!("to {}", name(to)),
            };
            (
                iv.day,
                with_note(format!("{} {what}", iv.action.keyword()), &iv.note),
                format!("the run ends on day {last}"),
            )
        })
        .collect()
}
