//! `siege.camps` (shelter and admission limits), `set_shelter`, and the
//! `residents:` key of holds and `lift_siege` (docs/scenario-format.md,
//! "Camps and shelter" and "End of a siege").

use super::file::{CampFile, CapacityValue, FlagValue, Spanned};
use super::Ctx;
use crate::error::InputError;
use crate::flee::Locations;
use corridor_model::siege::{CampShelter, Residents};

const DOC: &str = "see docs/scenario-format.md, \"Camps and shelter\"";

/// `residents: stay | move` (absent = stay).
pub(super) fn residents(
    ctx: &Ctx,
    field: &str,
    v: &Option<String>,
) -> Result<Residents, InputError> {
    match v.as_deref() {
        None | Some("stay") => Ok(Residents::Stay),
        Some("move") => Ok(Residents::Move),
        Some(other) => Err(ctx.err(
            field,
            other,
            format!("residents must be `stay` or `move`, got '{other}'"),
            "`stay`: those who never left stay home after the siege; `move`: they move by Flee's rules (see docs/scenario-format.md, \"End of a siege\")",
        )),
    }
}

/// A number of people that must not be negative.
pub(super) fn people(
    ctx: &Ctx,
    field: &str,
    action: &str,
    v: Option<i64>,
) -> Result<i64, InputError> {
    match v {
        Some(p) if p >= 0 => Ok(p),
        Some(p) => Err(ctx.err(
            field,
            &p.to_string(),
            format!("{field} must not be negative, got {p}"),
            format!("give the shelter in people (0 = an informal site); {DOC}"),
        )),
        None => Err(ctx.err(
            field,
            action,
            format!("{action} needs `{field}:`"),
            format!("add `{field}: <people sheltered>`; {DOC}"),
        )),
    }
}

/// A location that must be a camp, with a hint about shelter.
fn camp(ctx: &Ctx, locs: &Locations, field: &str, name: &str) -> Result<u32, InputError> {
    let id = ctx.loc(locs, field, name)?;
    let l = &locs.list[id as usize];
    if matches!(
        l.kind,
        corridor_model::LocationKind::Camp | corridor_model::LocationKind::IdpCamp
    ) {
        return Ok(id);
    }
    Err(ctx.err(
        field,
        &l.name,
        format!("'{}' is a {}, not a camp", l.name, l.raw_type),
        format!("shelter belongs to camps and informal sites (location_type camp in locations.csv); {DOC}"),
    ))
}

pub(super) fn build_camps(
    ctx: &Ctx,
    locs: &Locations,
    camps: &[Spanned<CampFile>],
) -> Result<Vec<CampShelter>, InputError> {
    let mut out: Vec<CampShelter> = Vec::new();
    for c in camps {
        let ctx = &ctx.entry(c);
        let c = &c.value;
        let entry = (|| -> Result<CampShelter, InputError> {
            let location = camp(ctx, locs, "camps.location", &c.location)?;
            if out.iter().any(|o| o.location == location) {
                return Err(ctx.err_near(
                    &format!("location: {}", c.location),
                    "camps.location",
                    &c.location,
                    format!("'{}' appears twice in siege.camps", c.location),
                    format!("give each camp one entry; change it later with set_shelter; {DOC}"),
                ));
            }
            let shelter = match c.shelter {
                Some(s) if s < 0 => {
                    return Err(ctx.err_near(
                        &format!("location: {}", c.location),
                        "camps.shelter",
                        &s.to_string(),
                        format!("shelter must not be negative, got {s}"),
                        format!(
                            "give the people the camp can shelter (0 = an informal site); {DOC}"
                        ),
                    ))
                }
                s => s,
            };
            let admits = match &c.admits {
                None => None,
                Some(CapacityValue::Number(n)) => Some(Some(*n as i64)),
                Some(CapacityValue::Text(t)) if t == "unlimited" => Some(None),
                Some(CapacityValue::Text(t)) => {
                    return Err(ctx.err(
                        "camps.admits",
                        t,
                        "admits must be a whole number of people or `unlimited`",
                        format!("e.g. admits: unlimited (nobody is refused); {DOC}"),
                    ))
                }
            };
            let hosts = match &c.hosts {
                None => false,
                Some(FlagValue::Bool(b)) => *b,
                Some(other) => {
                    let v = match other {
                        FlagValue::Number(n) => n.to_string(),
                        FlagValue::Text(t) => t.clone(),
                        FlagValue::Bool(b) => b.to_string(),
                    };
                    return Err(ctx.err(
                        "camps.hosts",
                        &v,
                        format!("hosts must be true or false, got '{v}'"),
                        format!(
                            "hosts: true marks host families (counted with_hosts, not in camps); {DOC}"
                        ),
                    ));
                }
            };
            if hosts && shelter.is_some() {
                return Err(ctx.err_near(
                    &format!("location: {}", c.location),
                    "camps.hosts",
                    "true",
                    format!("'{}' hosts families and also has a shelter", c.location),
                    format!("host families live in houses: drop `shelter` (people there are counted with_hosts, never in the open); {DOC}"),
                ));
            }
            Ok(CampShelter {
                location,
                shelter,
                admits,
                hosts,
            })
        })();
        if let Some(e) = ctx.keep(entry) {
            out.push(e);
        }
    }
    Ok(out)
}
