//! `siege.returns`, the `set_return` intervention and `siege.departures`
//! (docs/scenario-format.md, "Returns home").

use super::file::{DepartureFile, InterventionFile, OneOrMany, ReturnFile};
use super::Ctx;
use crate::error::InputError;
use crate::flee::Locations;
use corridor_model::siege::{Action, DepartureGroup, Return, ReturnFrom};

const DOC: &str = "see docs/scenario-format.md, \"Returns home\"";

/// `from: camps | hosts | any` or a list of them (absent = any).
fn from_list(ctx: &Ctx, v: Option<&OneOrMany>) -> Result<Vec<ReturnFrom>, InputError> {
    let Some(v) = v else {
        return Ok(vec![ReturnFrom::Any]);
    };
    let names = v.names();
    if names.is_empty() {
        return Err(ctx.err_near(
            "from: []",
            "returns.from",
            "[]",
            "the list of places people return from is empty",
            format!("write `from: [camps]`, `[hosts]`, `[camps, hosts]` or `any`; {DOC}"),
        ));
    }
    names
        .into_iter()
        .map(|w| match w {
            "camps" => Ok(ReturnFrom::Camps),
            "hosts" => Ok(ReturnFrom::Hosts),
            "any" => Ok(ReturnFrom::Any),
            other => Err(ctx.err(
                "returns.from",
                other,
                format!("'{other}' is not where people return from"),
                format!("use `camps`, `hosts` or `any` (anywhere away from home); {DOC}"),
            )),
        })
        .collect()
}

/// The `returns:` list: at most one per origin place.
pub(super) fn build_returns(
    ctx: &Ctx,
    locs: &Locations,
    list: &[ReturnFile],
) -> Result<Vec<Return>, InputError> {
    let mut out: Vec<Return> = Vec::new();
    for r in list {
        let to = ctx.loc(locs, "returns.to", &r.to)?;
        if out.iter().any(|o| o.to == to) {
            return Err(ctx.err_near(
                &format!("to: {}", r.to),
                "returns.to",
                &r.to,
                format!("two returns to '{}'", r.to),
                format!("give each place one entry; change it later with set_return; {DOC}"),
            ));
        }
        if r.opens_day < 0 {
            return Err(ctx.err(
                "returns.opens_day",
                &r.opens_day.to_string(),
                format!("opens_day must not be negative, got {}", r.opens_day),
                format!(
                    "give the day (since start_date) returns to '{}' begin; {DOC}",
                    r.to
                ),
            ));
        }
        out.push(Return {
            to,
            opens_day: r.opens_day,
            daily_rate: ctx.prob("returns.daily_rate", r.daily_rate)?,
            from: from_list(ctx, r.from.as_ref())?,
            min_days_away: r.min_days_away,
        });
    }
    Ok(out)
}

/// `set_return`: `location` (the place people return to), `daily_rate`,
/// optionally `min_days_away`.
pub(super) fn set_return(
    ctx: &Ctx,
    locs: &Locations,
    iv: &InterventionFile,
) -> Result<Action, InputError> {
    let Some(name) = &iv.location else {
        return Err(ctx.err(
            "location",
            &iv.action,
            "set_return needs `location:` (the place people return to)",
            format!(
                "add `location: <place>` to the intervention on day {}; {DOC}",
                iv.day
            ),
        ));
    };
    let Some(rate) = iv.daily_rate else {
        return Err(ctx.err(
            "daily_rate",
            &iv.action,
            "set_return needs `daily_rate:`",
            format!(
                "add `daily_rate: <share of households going home a day>` (0 stops returns); {DOC}"
            ),
        ));
    };
    Ok(Action::SetReturn {
        to: ctx.loc(locs, "location", name)?,
        daily_rate: ctx.prob("daily_rate", rate)?,
        min_days_away: iv.min_days_away,
        from: None,
    })
}

/// The `departures:` list: named groups of origin places, names unique and
/// usable in `what: left:<name>` (no `|`, `,` or `:`).
pub(super) fn build_departures(
    ctx: &Ctx,
    locs: &Locations,
    list: &[DepartureFile],
) -> Result<Vec<DepartureGroup>, InputError> {
    let mut out: Vec<DepartureGroup> = Vec::new();
    for g in list {
        let bad = g.name.is_empty() || g.name.contains(['|', ',', ':']);
        if bad || out.iter().any(|o| o.name == g.name) {
            return Err(ctx.err_near(
                &format!("name: {}", g.name),
                "departures.name",
                &g.name,
                if bad {
                    format!("'{}' cannot name a group of departures", g.name)
                } else {
                    format!("two groups of departures called '{}'", g.name)
                },
                format!("give each group its own name without `|`, `,` or `:` (it is used as `left:<name>`); {DOC}"),
            ));
        }
        let names = g.from.names();
        if names.is_empty() {
            return Err(ctx.err_near(
                &format!("name: {}", g.name),
                "departures.from",
                "[]",
                format!("the group '{}' has no places", g.name),
                format!(
                    "list the places whose departures it counts, e.g. `from: [Old_City]`; {DOC}"
                ),
            ));
        }
        let from = names
            .iter()
            .map(|n| ctx.loc(locs, "departures.from", n))
            .collect::<Result<_, _>>()?;
        out.push(DepartureGroup {
            name: g.name.clone(),
            from,
        });
    }
    Ok(out)
}
