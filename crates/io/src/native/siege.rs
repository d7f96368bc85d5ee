//! From the `siege:` section and interventions as written to the model's
//! [`SiegeModel`] and [`Intervention`]s, with each name and number checked.

use crate::error::InputError;
use crate::flee::Locations;
use crate::text::suggest;
use corridor_model::siege::*;

use super::file::{CapacityValue, InterventionFile, OneOrMany, SiegeFile, ACTIONS};
use super::screening::{build_transport, parse_capacity, parse_on};
use super::{applies, Ctx};
use corridor_model::Route;

pub(super) fn build_siege(
    ctx: &Ctx,
    locs: &Locations,
    routes: &[Route],
    days: u32,
    s: &SiegeFile,
) -> Result<SiegeModel, InputError> {
    if s.people_per_agent == 0 || s.people_per_agent > 255 {
        return Err(ctx.err(
            "people_per_agent",
            "people_per_agent",
            format!(
                "people_per_agent must be between 1 and 255, got {}",
                s.people_per_agent
            ),
            "use 6 for IOM-style families, or 1 for one agent per person",
        ));
    }
    let mut m = SiegeModel {
        people_per_agent: s.people_per_agent,
        screened_share: ctx.prob("screened_share", s.screened_share)?,
        ..SiegeModel::default()
    };
    for p in &s.population {
        let ctx = &ctx.entry(p);
        let p = &p.value;
        if p.people < 0 {
            ctx.report(ctx.err(
                "people",
                &p.people.to_string(),
                "population must not be negative",
                "give people at day 0",
            ));
            continue;
        }
        if let Some(location) = ctx.keep(ctx.loc(locs, "population.location", &p.location)) {
            m.populations.push(Population {
                location,
                people: p.people,
            });
        }
    }
    let households: u64 = m
        .populations
        .iter()
        .map(|p| (p.people as u64).div_ceil(s.people_per_agent as u64))
        .fold(0, u64::saturating_add);
    let limit = corridor_model::limits::max_agents();
    if households > limit {
        ctx.report(ctx.err_near(
            "population:",
            "population",
            &households.to_string(),
            format!(
                "on day 0 the besieged population makes {households} simulated households, above the \
                 limit of {limit}"
            ),
            format!(
                "check the people counts for extra digits, raise people_per_agent, or raise the \
                 limit with {}",
                corridor_model::limits::MAX_AGENTS_ENV
            ),
        ));
    }
    for h in &s.holds {
        let ctx = &ctx.entry(h);
        let h = &h.value;
        let hold = (|| -> Result<Hold, InputError> {
            let location = ctx.loc(locs, "holds.location", &h.location)?;
            applies::held_place(ctx, locs, &m, location, h.until_day, days)?;
            Ok(Hold {
                location,
                attempt_rate: ctx.prob("attempt_rate", h.attempt_rate)?,
                until_day: h.until_day,
                residents: super::shelter::residents(ctx, "holds.residents", &h.residents)?,
            })
        })();
        if let Some(hold) = ctx.keep(hold) {
            m.holds.push(hold);
        }
    }
    for e in &s.exits {
        let ctx = &ctx.entry(e);
        let e = &e.value;
        let exit = (|| -> Result<Exit, InputError> {
            let (from, to) = (
                ctx.loc(locs, "exits.from", &e.from)?,
                ctx.loc(locs, "exits.to", &e.to)?,
            );
            if !(e.weight >= 0.0 && e.weight.is_finite()) {
                return Err(ctx.err(
                    "weight",
                    &e.weight.to_string(),
                    "exit weight must be a finite number, not negative",
                    "use 0 to make an exit unattractive",
                ));
            }
            applies::new_exit(ctx, locs, routes, &m, from, to)?;
            Ok(Exit {
                from,
                to,
                open: e.open,
                turned_back: ctx.prob("turned_back", e.turned_back)?,
                shot: ctx.prob("shot", e.shot)?,
                weight: e.weight,
            })
        })();
        if let Some(exit) = ctx.keep(exit) {
            m.exits.push(exit);
        }
    }
    for c in &s.crossings {
        let ctx = &ctx.entry(c);
        let c = &c.value;
        let crossing = (|| -> Result<Crossing, InputError> {
            let (from, to) = (
                ctx.loc(locs, "crossings.from", &c.from)?,
                ctx.loc(locs, "crossings.to", &c.to)?,
            );
            if from == to || m.crossings.iter().any(|o| (o.from, o.to) == (from, to)) {
                return Err(ctx.err_near(
                    &format!("from: {}", c.from),
                    "crossings.to",
                    &c.to,
                    format!("crossing {} → {}: the same place twice, or a crossing declared twice", c.from, c.to),
                    "a crossing runs one way, from the near bank (`from`) to safety (`to`); declare each once (docs/scenario-format.md, River crossings)",
                ));
            }
            applies::route_between(ctx, locs, routes, "crossings.to", from, to)?;
            Ok(Crossing {
                from,
                to,
                capacity_per_day: capacity(ctx, c.capacity_per_day.as_ref())?.flatten(),
                drowning: ctx.prob("drowning", c.drowning)?,
                shot_crossing: ctx.prob("shot_crossing", c.shot_crossing)?,
                shot_waiting: ctx.prob("shot_waiting", c.shot_waiting)?,
                patience_days: patience(ctx, c.patience_days.as_ref())?.flatten(),
                give_up: ctx.prob("give_up", c.give_up)?,
            })
        })();
        if let Some(crossing) = ctx.keep(crossing) {
            m.crossings.push(crossing);
        }
    }
    for sc in &s.screenings {
        let ctx = &ctx.entry(sc);
        let sc = &sc.value;
        let screening = (|| -> Result<Screening, InputError> {
            if sc.hold_days[0] > sc.hold_days[1] {
                return Err(ctx.err(
                    "hold_days",
                    &sc.location,
                    format!(
                        "hold_days [{}, {}]: the minimum exceeds the maximum",
                        sc.hold_days[0], sc.hold_days[1]
                    ),
                    "write hold_days as [min, max] in whole days",
                ));
            }
            let on = parse_on(ctx, sc.on.as_deref())?;
            let location = ctx.loc(locs, "screenings.location", &sc.location)?;
            if m.screenings.iter().any(|o| o.location == location) {
                return Err(ctx.err(
                    "screenings.location",
                    &sc.location,
                    "a second screening at the same place",
                    "declare one screening per place; change it over time with `set_screening`",
                ));
            }
            Ok(Screening {
                location,
                active: sc.active,
                hold_min_days: sc.hold_days[0],
                hold_max_days: sc.hold_days[1],
                not_released: ctx.prob("not_released", sc.not_released)?,
                death_in_custody: ctx.prob("death_in_custody", sc.death_in_custody)?,
                on_arrival: on.0,
                on_departure: on.1,
                capacity_per_day: match &sc.capacity_per_day {
                    Some(c) => parse_capacity(ctx, "screenings.capacity_per_day", c)?,
                    None => None,
                },
            })
        })();
        if let Some(screening) = ctx.keep(screening) {
            m.screenings.push(screening);
        }
    }
    for (i, r) in s.relocations.iter().enumerate() {
        let ctx = &ctx.entry(r);
        let r = &r.value;
        let relocation = (|| -> Result<Relocation, InputError> {
            if s.relocations[..i].iter().any(|o| o.value.from == r.from) {
                return Err(ctx.err_near(
                    &format!("from: {}", r.from),
                    "relocations.from",
                    &r.from,
                    format!("two relocations out of '{}'", r.from),
                    "give each camp one relocation, with all its targets in `to: [..]`",
                ));
            }
            let from = ctx.camp(locs, "relocations.from", &r.from)?;
            let to = ctx.camps(locs, "relocations.to", &r.from, &r.to)?;
            applies::not_to_itself(ctx, "relocations.to", &r.from, from, &to)?;
            Ok(Relocation {
                from,
                to,
                share_of_overflow: ctx.prob("share_of_overflow", r.share_of_overflow)?,
            })
        })();
        if let Some(relocation) = ctx.keep(relocation) {
            m.relocations.push(relocation);
        }
    }
    m.camps = super::shelter::build_camps(ctx, locs, &s.camps)?;
    m.transport = build_transport(ctx, locs, &s.transport)?;
    for iv in &s.interventions {
        let ctx = &ctx.entry(iv);
        let built = build_intervention(ctx, locs, &iv.value).and_then(|built| {
            applies::intervention(ctx, locs, routes, &m, days, &iv.value, &built)?;
            Ok(built)
        });
        if let Some(built) = ctx.keep(built) {
            m.interventions.push(built);
        }
    }
    super::screening::check_leg_targets(ctx, locs, &m)?;
    m.returns = super::returns::build_returns(ctx, locs, &s.returns)?;
    m.departures = super::returns::build_departures(ctx, locs, &s.departures)?;
    Ok(m)
}

pub(super) fn build_intervention(
    ctx: &Ctx,
    locs: &Locations,
    iv: &InterventionFile,
) -> Result<Intervention, InputError> {
    let to_name = match &iv.to {
        None => None,
        Some(OneOrMany::One(s)) => Some(s.clone()),
        Some(OneOrMany::Many(_))
            if iv.action == "set_relocation" || iv.action == "set_transport" =>
        {
            None
        }
        Some(OneOrMany::Many(v)) => {
            return Err(ctx.err(
                "to",
                &iv.action,
                format!(
                    "action '{}' takes one location in `to:`, not a list",
                    iv.action
                ),
                format!(
                    "write `to: {}`",
                    v.first().map_or("<location>", |s| s.as_str())
                ),
            ))
        }
    };
    let need = |v: &Option<String>, key: &str| -> Result<u32, InputError> {
        match v {
            Some(name) => ctx.loc(locs, key, name),
            None => Err(ctx.err(
                key,
                &iv.action,
                format!("action '{}' needs `{key}:`", iv.action),
                format!(
                    "add `{key}: <location name>` to the intervention on day {}",
                    iv.day
                ),
            )),
        }
    };
    let value = |key: &str| -> Result<f64, InputError> {
        iv.value.ok_or_else(|| {
            ctx.err(
                key,
                &iv.action,
                format!("action '{}' needs `value:`", iv.action),
                format!(
                    "add `value: <number>` to the intervention on day {}",
                    iv.day
                ),
            )
        })
    };
    let action = match iv.action.as_str() {
        "set_attempt_rate" => Action::SetAttemptRate {
            location: need(&iv.location, "location")?,
            value: ctx.prob("value", value("value")?)?,
        },
        "lift_siege" => Action::LiftSiege {
            location: need(&iv.location, "location")?,
            residents: super::shelter::residents(ctx, "residents", &iv.residents)?,
        },
        "open_exit" => Action::OpenExit {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
        },
        "close_exit" => Action::CloseExit {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
        },
        "set_exit" => Action::SetExitHazard {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
            turned_back: iv
                .turned_back
                .map(|v| ctx.prob("turned_back", v))
                .transpose()?,
            shot: iv.shot.map(|v| ctx.prob("shot", v)).transpose()?,
            weight: iv.weight,
        },
        "set_crossing" => Action::SetCrossing {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
            capacity_per_day: capacity(ctx, iv.capacity_per_day.as_ref())?,
            drowning: iv.drowning.map(|v| ctx.prob("drowning", v)).transpose()?,
            shot_crossing: iv
                .shot_crossing
                .map(|v| ctx.prob("shot_crossing", v))
                .transpose()?,
            shot_waiting: iv
                .shot_waiting
                .map(|v| ctx.prob("shot_waiting", v))
                .transpose()?,
            patience_days: patience(ctx, iv.patience_days.as_ref())?,
            give_up: iv.give_up.map(|v| ctx.prob("give_up", v)).transpose()?,
        },
        "close_route" => Action::CloseRoute {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
        },
        "open_route" => Action::OpenRoute {
            from: need(&iv.from, "from")?,
            to: need(&to_name, "to")?,
        },
        "set_camp_capacity" => Action::SetCampCapacity {
            camp: need(&iv.location, "location")?,
            people: iv.people.ok_or_else(|| {
                ctx.err(
                    "interventions.people",
                    &iv.action,
                    "set_camp_capacity needs `people:`",
                    "add `people: <capacity in people>`",
                )
            })?,
        },
        "set_relocation" => Action::SetRelocation {
            from: ctx.require_camp(locs, "from", need(&iv.from, "from")?)?,
            to: iv
                .to
                .as_ref()
                .map(|t| ctx.camps(locs, "to", iv.from.as_deref().unwrap_or_default(), t))
                .transpose()?,
            share_of_overflow: ctx.prob(
                "share_of_overflow",
                iv.share_of_overflow.ok_or_else(|| {
                    ctx.err(
                        "share_of_overflow",
                        &iv.action,
                        "set_relocation needs `share_of_overflow:`",
                        "add `share_of_overflow: <share of the households above capacity moved per day>` (0 stops it)",
                    )
                })?,
            )?,
        },
        "set_screening" => Action::SetScreening {
            location: need(&iv.location, "location")?,
            active: iv.active,
            hold_days: iv.hold_days.map(|h| (h[0], h[1])),
            not_released: iv
                .not_released
                .map(|v| ctx.prob("not_released", v))
                .transpose()?,
            death_in_custody: iv
                .death_in_custody
                .map(|v| ctx.prob("death_in_custody", v))
                .transpose()?,
            on: iv.on.as_deref().map(|o| parse_on(ctx, Some(o))).transpose()?,
            capacity_per_day: iv
                .capacity_per_day
                .as_ref()
                .map(|c| parse_capacity(ctx, "capacity_per_day", c))
                .transpose()?,
        },
        "set_transport" => Action::SetTransport {
            from: need(&iv.from, "from")?,
            // Camps, or any place for a leg (checked against the line when the run starts).
            to: iv
                .to
                .as_ref()
                .map(|t| super::screening::places(ctx, locs, "to", iv.from.as_deref().unwrap_or_default(), t))
                .transpose()?,
            people_per_day: iv.people_per_day,
            active: iv.active,
        },
        "set_shelter" => Action::SetShelter {
            camp: ctx.require_camp(locs, "location", need(&iv.location, "location")?)?,
            people: super::shelter::people(ctx, "people", &iv.action, iv.people)?,
        },
        "set_return" => super::returns::set_return(ctx, locs, iv)?,
        other => {
            let hint = match suggest(other, ACTIONS.split(", ")) {
                Some(s) => format!("did you mean '{s}'? Actions: {ACTIONS}"),
                None => format!("actions: {ACTIONS}"),
            };
            return Err(ctx.err("action", other, "unknown intervention action", hint));
        }
    };
    Ok(Intervention {
        day: iv.day,
        action,
        note: iv.note.clone().unwrap_or_default(),
    })
}

/// A crossing's `capacity_per_day`: `Some(None)` for `unlimited`.
fn capacity(ctx: &Ctx, v: Option<&CapacityValue>) -> Result<Option<Option<u32>>, InputError> {
    match v {
        None => Ok(None),
        Some(CapacityValue::Number(n)) => Ok(Some(Some(*n))),
        Some(CapacityValue::Text(t)) if t == "unlimited" => Ok(Some(None)),
        Some(CapacityValue::Text(t)) => Err(ctx.err(
            "capacity_per_day",
            t,
            format!(
                "capacity_per_day must be a whole number of households or `unlimited`, got '{t}'"
            ),
            "e.g. capacity_per_day: 150 (see docs/scenario-format.md, River crossings)",
        )),
    }
}

/// A crossing's `patience_days`: `Some(None)` for `never`.
fn patience(ctx: &Ctx, v: Option<&CapacityValue>) -> Result<Option<Option<u32>>, InputError> {
    match v {
        None => Ok(None),
        Some(CapacityValue::Number(n)) => Ok(Some(Some(*n))),
        Some(CapacityValue::Text(t)) if t == "never" => Ok(Some(None)),
        Some(CapacityValue::Text(t)) => Err(ctx.err(
            "patience_days",
            t,
            format!("patience_days must be a whole number of days or `never`, got '{t}'"),
            "e.g. patience_days: 2 (see docs/scenario-format.md, River crossings)",
        )),
    }
}
