//! Whether each entry of the siege model can take effect, decided at load
//! from the scenario alone: a hold on a place that can be held, an exit along
//! a route, an intervention that names an exit, crossing, route, screening
//! or held place the scenario declares, on a day of the run. What only the
//! run can decide (a hold lifted before the day, a `--days` shorter than the
//! scenario) is the engine's, which records such interventions as skipped.

use super::file::InterventionFile;
use super::Ctx;
use crate::error::InputError;
use crate::flee::Locations;
use corridor_model::siege::{Action, Intervention, SiegeModel};
use corridor_model::Route;

fn name(locs: &Locations, id: u32) -> &str {
    &locs.list[id as usize].name
}

/// A hold: on a place people live in (not a camp), once, with an end day
/// that is a day.
pub(super) fn held_place(
    ctx: &Ctx,
    locs: &Locations,
    m: &SiegeModel,
    location: u32,
    until_day: Option<i64>,
    days: u32,
) -> Result<(), InputError> {
    let place = &locs.list[location as usize];
    if place.kind.is_camp() {
        return Err(ctx.err(
            "holds.location",
            &place.name,
            format!(
                "'{}' is a {}: a hold keeps people in a besieged place, and a held camp \
                 would be emptied of its residents",
                place.name, place.raw_type
            ),
            "hold the town or district people flee from; camps take people in",
        ));
    }
    if m.holds.iter().any(|h| h.location == location) {
        return Err(ctx.err(
            "holds.location",
            &place.name,
            format!("'{}' is held twice", place.name),
            "declare one hold per place (a second would apply its attempts twice); change the \
             attempt rate over time with `set_attempt_rate`",
        ));
    }
    if let Some(d) = until_day {
        if d < 0 {
            return Err(ctx.err(
                "until_day",
                &d.to_string(),
                format!("until_day {d} is before the first day of the run (0 to {days})"),
                "give the day the hold ends, counted from start_date, or leave it out",
            ));
        }
    }
    Ok(())
}

/// Whether a route joins `from` and `to` (either way: Flee's routes are
/// two-way links).
fn has_route(routes: &[Route], from: u32, to: u32) -> bool {
    routes
        .iter()
        .any(|r| (r.from, r.to) == (from, to) || (r.from, r.to) == (to, from))
}

/// A route joins `from` and `to` in routes.csv.
pub(super) fn route_between(
    ctx: &Ctx,
    locs: &Locations,
    routes: &[Route],
    field: &str,
    from: u32,
    to: u32,
) -> Result<(), InputError> {
    if has_route(routes, from, to) {
        return Ok(());
    }
    Err(ctx.err(
        field,
        name(locs, to),
        format!(
            "no route joins {} and {} in routes.csv",
            name(locs, from),
            name(locs, to)
        ),
        "add the route to routes.csv, or name two places a route joins",
    ))
}

/// An exit: out of a place along a route, declared once.
pub(super) fn new_exit(
    ctx: &Ctx,
    locs: &Locations,
    routes: &[Route],
    m: &SiegeModel,
    from: u32,
    to: u32,
) -> Result<(), InputError> {
    if from == to {
        return Err(ctx.err(
            "exits.to",
            name(locs, to),
            "an exit leads from a place to itself",
            "an exit leads out of a held place to a neighbour",
        ));
    }
    if m.exits.iter().any(|e| (e.from, e.to) == (from, to)) {
        return Err(ctx.err(
            "exits.to",
            name(locs, to),
            format!(
                "exit {} → {} is declared twice",
                name(locs, from),
                name(locs, to)
            ),
            "declare each exit once (a second would count its shots and turn-backs twice); \
             change it over time with `set_exit`",
        ));
    }
    route_between(ctx, locs, routes, "exits.to", from, to)
}

/// Relocations and transport carry people to other camps than the one they leave.
pub(super) fn not_to_itself(
    ctx: &Ctx,
    field: &str,
    from_name: &str,
    from: u32,
    to: &[u32],
) -> Result<(), InputError> {
    if to.contains(&from) {
        return Err(ctx.err(
            field,
            from_name,
            format!("'{from_name}' is among its own targets"),
            "list the other camps people are carried to",
        ));
    }
    Ok(())
}

/// An intervention takes effect: on a day of the run (`0 <= day < days`), at
/// a place or on an exit, crossing, route or screening the scenario has.
pub(super) fn intervention(
    ctx: &Ctx,
    locs: &Locations,
    routes: &[Route],
    m: &SiegeModel,
    days: u32,
    file: &InterventionFile,
    iv: &Intervention,
) -> Result<(), InputError> {
    if iv.day < 0 || iv.day >= days as i64 {
        return Err(ctx.err(
            "interventions.day",
            &iv.day.to_string(),
            format!(
                "{} on day {}: outside the run (days 0 to {})",
                file.action,
                iv.day,
                days as i64 - 1
            ),
            "give a day of the run, counted from start_date (or lengthen `days:`)",
        ));
    }
    let missing = |field: &str, value: &str, what: String, hint: &str| {
        Err(ctx.err(
            field,
            value,
            format!("{} on day {}: {what}", file.action, iv.day),
            hint,
        ))
    };
    let exit = |from: u32, to: u32| {
        if m.exits.iter().any(|e| (e.from, e.to) == (from, to)) {
            return Ok(());
        }
        missing(
            "to",
            name(locs, to),
            format!(
                "no exit {} → {} in siege.exits",
                name(locs, from),
                name(locs, to)
            ),
            "declare the exit under `siege: exits:` (with `open: false` if it opens later)",
        )
    };
    match &iv.action {
        Action::SetAttemptRate { location, .. } | Action::LiftSiege { location, .. } => {
            if m.holds.iter().any(|h| h.location == *location) {
                return Ok(());
            }
            missing(
                "location",
                name(locs, *location),
                format!("'{}' is not a held place", name(locs, *location)),
                "name a place listed under `siege: holds:`",
            )
        }
        Action::OpenExit { from, to }
        | Action::CloseExit { from, to }
        | Action::SetExitHazard { from, to, .. } => exit(*from, *to),
        Action::SetCrossing { from, to, .. } => {
            if m.crossings.iter().any(|c| (c.from, c.to) == (*from, *to)) {
                return Ok(());
            }
            missing(
                "to",
                name(locs, *to),
                format!(
                    "no crossing {} → {} in siege.crossings",
                    name(locs, *from),
                    name(locs, *to)
                ),
                "name a crossing in its direction, from the near bank to safety",
            )
        }
        Action::CloseRoute { from, to } | Action::OpenRoute { from, to } => {
            if has_route(routes, *from, *to) {
                return Ok(());
            }
            missing(
                "to",
                name(locs, *to),
                format!(
                    "no route joins {} and {} in routes.csv",
                    name(locs, *from),
                    name(locs, *to)
                ),
                "name two places a route joins",
            )
        }
        Action::SetCampCapacity { camp, people } => {
            let place = &locs.list[*camp as usize];
            if !place.kind.is_camp() {
                return missing(
                    "location",
                    &place.name,
                    format!("'{}' is a {}, not a camp", place.name, place.raw_type),
                    "set the capacity of a camp (location_type camp or idpcamp)",
                );
            }
            if *people < 0 {
                return missing(
                    "people",
                    &people.to_string(),
                    "a capacity must not be negative".into(),
                    "give the capacity in people (0 = no limit, as in locations.csv)",
                );
            }
            Ok(())
        }
        Action::SetRelocation { from, to, .. } => {
            if let Some(to) = to {
                return not_to_itself(ctx, "to", name(locs, *from), *from, to);
            }
            if m.relocations.iter().any(|r| r.from == *from) {
                return Ok(());
            }
            missing(
                "to",
                name(locs, *from),
                format!("no relocation out of '{}' to change", name(locs, *from)),
                "give the target camps, `to: [..]`",
            )
        }
        Action::SetTransport { from, to, .. } => {
            if let Some(to) = to {
                return not_to_itself(ctx, "to", name(locs, *from), *from, to);
            }
            if m.transport.iter().any(|t| t.from == *from) {
                return Ok(());
            }
            missing(
                "to",
                name(locs, *from),
                format!("no transport out of '{}' to change", name(locs, *from)),
                "give the target camps, `to: [..]`",
            )
        }
        Action::SetScreening { location, .. } => {
            if m.screenings.iter().any(|s| s.location == *location) {
                return Ok(());
            }
            missing(
                "location",
                name(locs, *location),
                format!("no screening at '{}'", name(locs, *location)),
                "declare the screening under `siege: screenings:` (with `active: false` if it \
                 starts later)",
            )
        }
        // A return may start with its intervention; the reader checked the place.
        Action::SetShelter { .. } | Action::SetReturn { .. } => Ok(()),
    }
}
