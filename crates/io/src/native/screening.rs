//! The screening and organised-transport keys of `siege:` and their
//! interventions (`on:`, `capacity_per_day:`, `transport:`,
//! `set_transport`), documented in docs/scenario-format.md ("Screening",
//! "Organised transport").

use crate::error::InputError;
use crate::flee::Locations;
use corridor_model::siege::Transport;

use super::file::{CapacityValue, OneOrMany, Spanned, TransportFile};
use super::Ctx;

const REFERENCE: &str = "see docs/scenario-format.md, section";

/// `on: [arrival, departure]` as `(on_arrival, on_departure)`; both when absent.
pub(super) fn parse_on(ctx: &Ctx, on: Option<&[String]>) -> Result<(bool, bool), InputError> {
    let Some(list) = on else {
        return Ok((true, true));
    };
    let mut r = (false, false);
    for w in list {
        match w.as_str() {
            "arrival" => r.0 = true,
            "departure" => r.1 = true,
            other => {
                return Err(ctx.err(
                    "screenings.on",
                    other,
                    format!("'{other}' is not a moment of screening"),
                    format!(
                    "write `on: [arrival, departure]` or one of them ({REFERENCE} \"Screening\")"
                ),
                ))
            }
        }
    }
    if r == (false, false) {
        return Err(ctx.err_near(
            "on: []",
            "screenings.on",
            "[]",
            "the list of moments of screening is empty",
            format!("write `on: [arrival]`, `on: [departure]` or leave `on:` out for both ({REFERENCE} \"Screening\")"),
        ));
    }
    Ok(r)
}

/// A processing capacity in people per day: a whole number or `unlimited`.
pub(super) fn parse_capacity(
    ctx: &Ctx,
    field: &str,
    v: &CapacityValue,
) -> Result<Option<u32>, InputError> {
    match v {
        CapacityValue::Number(n) => Ok(Some(*n)),
        CapacityValue::Text(t) if t == "unlimited" => Ok(None),
        CapacityValue::Text(t) => Err(ctx.err(
            field,
            t,
            format!("{field} must be a whole number of people per day or `unlimited`"),
            format!("e.g. `capacity_per_day: 1000` ({REFERENCE} \"Screening\")"),
        )),
    }
}

/// The `transport:` list: one line of buses out of each place.
pub(super) fn build_transport(
    ctx: &Ctx,
    locs: &Locations,
    list: &[Spanned<TransportFile>],
) -> Result<Vec<Transport>, InputError> {
    let mut out = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let ctx = &ctx.entry(t);
        let t = &t.value;
        let line = (|| -> Result<Transport, InputError> {
            if list[..i].iter().any(|o| o.value.from == t.from) {
                return Err(ctx.err_near(
                    &format!("from: {}", t.from),
                    "transport.from",
                    &t.from,
                    format!("two transport lines out of '{}'", t.from),
                    format!("give each place one line, with all its camps in `to: [..]` ({REFERENCE} \"Organised transport\")"),
                ));
            }
            let from = ctx.loc(locs, "transport.from", &t.from)?;
            let to = if t.leg {
                places(ctx, locs, "transport.to", &t.from, &t.to)?
            } else {
                ctx.camps(locs, "transport.to", &t.from, &t.to)?
            };
            super::applies::not_to_itself(ctx, "transport.to", &t.from, from, &to)?;
            Ok(Transport {
                from,
                to,
                people_per_day: t.people_per_day,
                active: t.active,
                leg: t.leg,
            })
        })();
        if let Some(line) = ctx.keep(line) {
            out.push(line);
        }
    }
    Ok(out)
}

/// The targets of a leg (`leg: true`) or of `set_transport`: any places, at least one.
pub(super) fn places(
    ctx: &Ctx,
    locs: &Locations,
    field: &str,
    from: &str,
    names: &OneOrMany,
) -> Result<Vec<u32>, InputError> {
    let names = names.names();
    if names.is_empty() {
        return Err(ctx.err_near(
            &format!("from: {from}"),
            field,
            "[]",
            "the list of places the buses go to is empty",
            format!("name at least one place, e.g. `to: [Screening_Site]` ({REFERENCE} \"Organised transport\")"),
        ));
    }
    names.iter().map(|n| ctx.loc(locs, field, n)).collect()
}

/// A `set_transport` may send a line to places that are not camps only if
/// the line is a leg (`leg: true` in `siege.transport`).
pub(super) fn check_leg_targets(
    ctx: &Ctx,
    locs: &Locations,
    m: &corridor_model::siege::SiegeModel,
) -> Result<(), InputError> {
    for iv in &m.interventions {
        let corridor_model::siege::Action::SetTransport {
            from, to: Some(to), ..
        } = &iv.action
        else {
            continue;
        };
        let leg = m.transport.iter().any(|t| t.from == *from && t.leg);
        for &c in to {
            if !leg {
                ctx.require_camp(locs, "set_transport.to", c)?;
            }
        }
    }
    Ok(())
}
