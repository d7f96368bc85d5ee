//! The scenario's set-up as the page shows it: the siege's tables and its
//! interventions with their values, numbers rounded for reading.

use crate::validation::{fmt_count, fmt_num};
use corridor_model::siege::Action;
use corridor_model::Scenario;
use serde_json::{json, Value};

fn pct(x: f64) -> String {
    format!("{} %", fmt_num(100.0 * x))
}

/// One intervention in words, with its values.
pub(super) fn action_text(sc: &Scenario, a: &Action) -> String {
    let n = |i: u32| {
        sc.locations
            .get(i as usize)
            .map(|l| l.name.replace('_', " "))
            .unwrap_or_else(|| format!("#{i}"))
    };
    let list = |v: &[u32]| v.iter().map(|&i| n(i)).collect::<Vec<_>>().join(", ");
    let cap = |c: Option<u32>| c.map_or("unlimited".to_string(), |c| c.to_string());
    let mut parts: Vec<String> = Vec::new();
    let mut opt = |label: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{label} {v}"));
        }
    };
    let head = match a {
        Action::SetAttemptRate { location, value } => {
            return format!(
                "{}: attempt rate {} of trapped households a day",
                n(*location),
                pct(*value)
            )
        }
        Action::LiftSiege {
            location,
            residents,
        } => {
            let r = format!("{residents:?}").to_lowercase();
            return format!("{}: siege lifted; residents {r}", n(*location));
        }
        Action::OpenExit { from, to } => return format!("exit {} → {} opens", n(*from), n(*to)),
        Action::CloseExit { from, to } => return format!("exit {} → {} closes", n(*from), n(*to)),
        Action::OpenRoute { from, to } => return format!("route {} – {} opens", n(*from), n(*to)),
        Action::CloseRoute { from, to } => {
            return format!("route {} – {} closes", n(*from), n(*to))
        }
        Action::SetCampCapacity { camp, people } => {
            return format!(
                "{}: admits up to {} people",
                n(*camp),
                fmt_count(*people as f64)
            )
        }
        Action::SetShelter { camp, people } => {
            return format!(
                "{}: shelter for {} people",
                n(*camp),
                fmt_count(*people as f64)
            )
        }
        Action::SetExitHazard {
            from,
            to,
            turned_back,
            shot,
            weight,
        } => {
            opt("turned back", turned_back.map(pct));
            opt("shot", shot.map(pct));
            opt("weight", weight.map(fmt_num));
            format!("exit {} → {}:", n(*from), n(*to))
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
            opt(
                "capacity",
                capacity_per_day.map(|c| format!("{} households/day", cap(c))),
            );
            opt("drowning", drowning.map(pct));
            opt("shot crossing", shot_crossing.map(pct));
            opt("shot waiting", shot_waiting.map(pct));
            opt(
                "patience",
                patience_days.map(|p| p.map_or("unlimited".into(), |d| format!("{d} days"))),
            );
            opt("give up", give_up.map(pct));
            format!("crossing {} → {}:", n(*from), n(*to))
        }
        Action::SetRelocation {
            from,
            to,
            share_of_overflow,
        } => {
            opt("to", to.as_ref().map(|t| list(t)));
            format!(
                "relocation from {}: {} of the overflow",
                n(*from),
                pct(*share_of_overflow)
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
            opt(
                "active",
                active.map(|a| if a { "yes".into() } else { "no".into() }),
            );
            opt("held", hold_days.map(|(a, b)| format!("{a}–{b} days")));
            opt("never released", not_released.map(pct));
            opt(
                "death in custody",
                death_in_custody.map(|d| format!("{}/day", pct(d))),
            );
            opt(
                "on",
                on.map(|(a, d)| match (a, d) {
                    (true, true) => "arrival and departure".into(),
                    (true, false) => "arrival".into(),
                    (false, true) => "departure".into(),
                    _ => "neither".into(),
                }),
            );
            opt(
                "capacity",
                capacity_per_day.map(|c| format!("{} people/day", cap(c))),
            );
            format!("screening at {}:", n(*location))
        }
        Action::SetTransport {
            from,
            to,
            people_per_day,
            active,
        } => {
            opt("to", to.as_ref().map(|t| list(t)));
            opt("seats", people_per_day.map(|p| format!("{p}/day")));
            opt(
                "active",
                active.map(|a| if a { "yes".into() } else { "no".into() }),
            );
            format!("transport from {}:", n(*from))
        }
        Action::SetReturn {
            to,
            daily_rate,
            min_days_away,
            from,
        } => {
            opt("at least", min_days_away.map(|d| format!("{d} days away")));
            opt(
                "from",
                from.as_ref().map(|f| {
                    f.iter()
                        .map(|w| format!("{w:?}").to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
            );
            format!(
                "returns home to {}: {} of households a day",
                n(*to),
                pct(*daily_rate)
            )
        }
    };
    format!("{head} {}", parts.join(", "))
}

/// The interventions of a siege scenario: day, date, note and values.
pub(super) fn interventions(sc: &Scenario, dates: &[String], days: &[i64]) -> Vec<Value> {
    let Some(s) = &sc.siege else {
        return Vec::new();
    };
    let mut list: Vec<&corridor_model::siege::Intervention> = s.interventions.iter().collect();
    // By day; the file's order within a day (the order they apply in).
    list.sort_by_key(|i| i.day);
    list.into_iter()
        .map(|i| {
            let date = days
                .iter()
                .position(|d| *d == i.day)
                .and_then(|k| dates.get(k).cloned())
                .unwrap_or_default();
            json!({"day": i.day, "date": date, "note": i.note, "what": action_text(sc, &i.action), "major": is_major(&i.action)})
        })
        .collect()
}

/// Does the action change which ways are open (marked on the time charts),
/// rather than tune a rate or a capacity (listed in the table only)?
fn is_major(a: &Action) -> bool {
    matches!(
        a,
        Action::OpenExit { .. }
            | Action::CloseExit { .. }
            | Action::OpenRoute { .. }
            | Action::CloseRoute { .. }
            | Action::LiftSiege { .. }
    ) || matches!(
        a,
        Action::SetTransport {
            active: Some(true),
            ..
        }
    )
}

/// The siege section of a scenario as small tables, numbers rounded.
pub(super) fn siege_setup(sc: &Scenario) -> Option<Value> {
    let s = sc.siege.as_ref()?;
    let name = |i: u32| sc.locations[i as usize].name.replace('_', " ");
    let people = |p: Option<i64>| p.map_or("unlimited".to_string(), |p| fmt_count(p as f64));
    let camps: Vec<Value> = sc
        .locations
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind.is_camp())
        .map(|(i, l)| {
            let decl = s.camps.iter().find(|c| c.location as usize == i);
            let listed = (l.pop_or_capacity > 0).then_some(l.pop_or_capacity);
            // `admits` overrides locations.csv; no shelter declared = no one counted in the open.
            let admits = decl.and_then(|c| c.admits).unwrap_or(listed);
            let shelter = decl.map_or("not given".to_string(), |c| {
                c.shelter.map_or("not given".into(), |p| fmt_count(p as f64))
            });
            json!({"place": l.name.replace('_', " "), "capacity": people(admits), "shelter": shelter})
        })
        .collect();
    Some(json!({
        "people_per_agent": s.people_per_agent,
        "screened_share": pct(s.screened_share),
        "populations": s.populations.iter().map(|p| json!({"place": name(p.location), "people": fmt_count(p.people as f64)})).collect::<Vec<_>>(),
        "holds": s.holds.iter().map(|h| json!({"place": name(h.location), "attempt_rate": pct(h.attempt_rate), "until": h.until_day})).collect::<Vec<_>>(),
        "exits": s.exits.iter().map(|e| json!({"from": name(e.from), "to": name(e.to), "open": if e.open { "open" } else { "closed" }, "turned_back": pct(e.turned_back), "shot": pct(e.shot), "weight": fmt_num(e.weight)})).collect::<Vec<_>>(),
        "crossings": s.crossings.iter().map(|c| json!({"from": name(c.from), "to": name(c.to), "capacity": c.capacity_per_day.map(|x| x.to_string()).unwrap_or_else(|| "unlimited".into()), "drowning": pct(c.drowning)})).collect::<Vec<_>>(),
        "screenings": s.screenings.iter().map(|x| json!({"place": name(x.location), "active": if x.active { "yes" } else { "no" }, "hold": format!("{}–{} days", x.hold_min_days, x.hold_max_days), "not_released": pct(x.not_released), "death_in_custody": pct(x.death_in_custody)})).collect::<Vec<_>>(),
        "camps": camps,
    }))
}
