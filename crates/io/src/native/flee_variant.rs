//! Variants of Flee folders: what-ifs written as FabFlee's refinement scripts
//! make them — close a border, a route, a location or a camp from a day, end
//! one of the base's closures, add a camp with its routes, change camp
//! capacities, change settings and `days`. The changes apply to the Flee
//! scenario itself (closures rows, locations, routes, settings): the result
//! has no siege model, so `hasten` scales it exactly as it scales the base.

use super::file::{AddCampFile, CloseFile, NativeFile, SettingsKey};
use super::Ctx;
use crate::error::{InputError, Warning};
use crate::flee::Locations;
use crate::settings::settings_over;
use corridor_model::{
    CampSeries, Closure, ClosureKind, DataPoint, Location, LocationKind, Route, Scenario,
};

/// Applies a variant's changes to its base, a Flee scenario (or a variant of
/// one). Entries that fail their checks are recorded in `ctx` and skipped.
pub(super) fn apply(
    ctx: &Ctx,
    yaml: &NativeFile,
    scenario: &mut Scenario,
    warnings: &mut Vec<Warning>,
) -> Result<(), InputError> {
    refuse_siege_keys(ctx, yaml)?;
    if let Some(n) = &yaml.name {
        scenario.name = n.clone();
    }
    // A settings file was read with the base (see `read_variant`); a mapping
    // overrides what the base chain set.
    if let Some(SettingsKey::Overrides(_)) = &yaml.settings {
        let (s, w) = settings_over(&scenario.settings, &settings_block(ctx.text), ctx.path)?;
        scenario.settings = s;
        warnings.extend(w);
    }
    if let Some(days) = yaml.days {
        if days == 0 || days > scenario.days {
            return Err(ctx.err_near(
                "days:",
                "days",
                &days.to_string(),
                format!(
                    "a variant of a Flee folder runs 1 to {} days (the base's sim_period.csv Length)",
                    scenario.days
                ),
                "conflicts.csv and the camp data end with the base's period; to run longer, \
                 lengthen sim_period.csv (and conflicts.csv) in a copy of the folder",
            ));
        }
        scenario.days = days;
    }
    for camp in &yaml.add_camps {
        let ctx = &ctx.entry(camp);
        if let Some((location, routes)) = ctx.keep(new_camp(ctx, scenario, &camp.value)) {
            let id = scenario.locations.len() as u32;
            scenario.locations.push(location);
            scenario
                .routes
                .extend(routes.into_iter().map(|(to, distance_km)| Route {
                    from: id,
                    to,
                    distance_km,
                    forced_redirection: 0,
                    max_move_speed: None,
                    walk_probability: 0.0,
                }));
            // Flee needs a data series for every camp; a new camp has no
            // observations: a flat zero adds no agents (its arrivals still count in
            // the total error, against 0).
            scenario.validation.labels.push(camp.value.name.clone());
            scenario.validation.series.push(vec![CampSeries {
                file: format!("(none: camp added by {})", ctx.path.display()),
                points: vec![DataPoint { day: 0, count: 0 }],
            }]);
        }
    }
    let locs = Locations::from_list(&scenario.locations);
    let mut changed = Vec::new();
    for c in &yaml.capacities {
        let ctx = &ctx.entry(c);
        let c = &c.value;
        let id = ctx.keep(ctx.loc(&locs, "capacities.location", &c.location).and_then(|id| {
            if changed.contains(&id) {
                return Err(ctx.err(
                    "capacities.location",
                    &c.location,
                    "the capacity of this camp is changed twice",
                    "keep one entry per camp",
                ));
            }
            if !locs.list[id as usize].kind.is_camp() {
                return Err(ctx.err(
                    "capacities.location",
                    &c.location,
                    format!("'{}' is a {}, not a camp", c.location, locs.list[id as usize].raw_type),
                    "only camps have a capacity; column 8 of locations.csv is a town's population",
                ));
            }
            if c.capacity < 0 {
                return Err(ctx.err(
                    "capacities.capacity",
                    &c.capacity.to_string(),
                    "a capacity cannot be negative",
                    "write the number of people the camp holds (0 = unlimited, as in locations.csv)",
                ));
            }
            Ok(id)
        }));
        if let Some(id) = id {
            changed.push(id);
            scenario.locations[id as usize].pop_or_capacity = c.capacity;
            warn_filled_on_day0(ctx, scenario, &c.location, c.capacity, warnings);
        }
    }
    let days = scenario.days as i64;
    for o in &yaml.open {
        let ctx = &ctx.entry(o);
        if let Some((kind, a, b)) = ctx.keep(closure_target(ctx, &locs, scenario, &o.value, "open"))
        {
            let r = open_closures(ctx, &mut scenario.closures, kind, &a, &b, &o.value, days);
            ctx.keep(r);
        }
    }
    for c in &yaml.close {
        let ctx = &ctx.entry(c);
        let closure = closure_target(ctx, &locs, scenario, &c.value, "close").and_then(
            |(kind, name1, name2)| {
                let (start, end) = closure_days(ctx, &c.value, days)?;
                Ok(Closure {
                    kind,
                    name1,
                    name2,
                    start,
                    end,
                })
            },
        );
        if let Some(closure) = ctx.keep(closure) {
            scenario.closures.push(closure);
        }
    }
    // The data series are scaled by the (possibly changed) hasten: say now,
    // with the file, if they no longer fit.
    let s = &scenario.settings;
    if let Err(e) = scenario
        .validation
        .prepare(s.hasten as f64, s.empty_camps_on_day0)
    {
        return Err(ctx.err_near(
            "settings",
            "settings",
            &format!("hasten {}", s.hasten),
            format!("the base's camp data cannot be prepared with these settings: {e}"),
            "check optimisations.hasten and the base's registration_corrections.csv",
        ));
    }
    Ok(())
}

/// Flee reduces a camp's capacity by its day-0 data, and a capacity below 1
/// means unlimited: a new capacity at or below the day-0 count opens the camp.
fn warn_filled_on_day0(
    ctx: &Ctx,
    scenario: &Scenario,
    camp: &str,
    capacity: i64,
    warnings: &mut Vec<Warning>,
) {
    let v = &scenario.validation;
    let day0 = v
        .labels
        .iter()
        .zip(&v.series)
        .filter(|(label, _)| *label == camp)
        .flat_map(|(_, files)| files.iter().flat_map(|f| &f.points))
        .filter(|p| p.day == 0)
        .map(|p| p.count)
        .max();
    if let Some(n) = day0.filter(|&n| capacity > 0 && n >= capacity) {
        warnings.push(Warning::new(
            ctx.path,
            ctx.line_of(camp),
            format!(
                "capacity {capacity} of '{camp}' is at or below its day-0 data ({n} people): \
                 Flee subtracts those on day 0 and then treats the camp as unlimited"
            ),
        ));
    }
}

/// Keys of a siege variant, refused in a variant of a Flee folder.
fn refuse_siege_keys(ctx: &Ctx, yaml: &NativeFile) -> Result<(), InputError> {
    let refused = [
        ("interventions", !yaml.interventions.is_empty()),
        ("key_dates", !yaml.key_dates.is_empty()),
        ("siege", yaml.siege.is_some()),
        ("locations", yaml.locations.is_some()),
        ("routes", yaml.routes.is_some()),
        ("conflicts", yaml.conflicts.is_some()),
        ("closures", yaml.closures.is_some()),
        ("observations", yaml.observations.is_some()),
        ("uncertainty", yaml.uncertainty.is_some()),
        ("start_date", yaml.start_date.is_some()),
    ];
    match refused.iter().find(|(_, given)| *given) {
        None => Ok(()),
        Some((key, _)) => Err(InputError::bad_field(
            ctx.path,
            ctx.line_of(&format!("{key}:")),
            *key,
            None,
            format!("`{key}:` is not read in a variant of a Flee folder"),
            format!(
                "change a Flee scenario with close, open, add_camps, capacities, settings and \
                 days (interventions and key dates belong to siege scenarios); see {}",
                super::reference("close")
            ),
        )),
    }
}

/// The keys of a variant of a Flee folder, refused in a scenario file.
pub(super) fn refuse_in_scenario(ctx: &Ctx, yaml: &NativeFile) -> Result<(), InputError> {
    match flee_keys(yaml).iter().find(|(_, given)| *given) {
        None => Ok(()),
        Some((key, _)) => Err(ctx.err_near(
            &format!("{key}:"),
            key,
            key,
            format!("`{key}:` is read only in a variant of a Flee folder (a file with `base:`)"),
            "in a scenario, write the network in its CSV files",
        )),
    }
}

fn flee_keys(yaml: &NativeFile) -> [(&'static str, bool); 4] {
    [
        ("close", !yaml.close.is_empty()),
        ("open", !yaml.open.is_empty()),
        ("add_camps", !yaml.add_camps.is_empty()),
        ("capacities", !yaml.capacities.is_empty()),
    ]
}

/// The keys that change a Flee scenario, refused where the base is a siege.
pub(super) fn refuse_on_native(ctx: &Ctx, yaml: &NativeFile) -> Result<(), InputError> {
    match flee_keys(yaml).iter().find(|(_, given)| *given) {
        None => Ok(()),
        Some((key, _)) => Err(ctx.err_near(
            &format!("{key}:"),
            key,
            key,
            format!("`{key}:` changes a Flee folder, and this variant's base is a siege scenario"),
            "in a variant of a siege scenario, write the change as an intervention \
             (close_route, open_route, set_camp_capacity)",
        )),
    }
}

/// The `settings:` block of the variant's text, with the lines before it
/// blanked so that the settings reader's line numbers are the file's.
fn settings_block(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("settings:") {
            inside = true;
            out.push_str(&" ".repeat("settings:".len()));
            out.push_str(rest);
        } else if inside && (line.trim().is_empty() || line.starts_with([' ', '\t', '#'])) {
            out.push_str(line);
        } else {
            inside = false;
        }
        out.push('\n');
    }
    out
}

/// A new camp and its routes (target, km), checked against the scenario so far.
fn new_camp(
    ctx: &Ctx,
    scenario: &Scenario,
    camp: &AddCampFile,
) -> Result<(Location, Vec<(u32, f64)>), InputError> {
    if scenario.location_id(&camp.name).is_some() || camp.name.trim().is_empty() {
        return Err(ctx.err(
            "add_camps.name",
            &camp.name,
            "a location with this name already exists (or the name is empty)",
            "give the new camp a name of its own; to change an existing camp, use `capacities:`",
        ));
    }
    let raw_type = camp.location_type.clone().unwrap_or_else(|| "camp".into());
    let kind = LocationKind::parse(&raw_type);
    if !kind.is_camp() {
        return Err(ctx.err(
            "add_camps.location_type",
            &raw_type,
            "not a camp type",
            "write `camp` (the default) or `idpcamp`",
        ));
    }
    if camp.capacity < 0 {
        return Err(ctx.err(
            "add_camps.capacity",
            &camp.capacity.to_string(),
            "a capacity cannot be negative",
            "write the number of people the camp holds (0 = unlimited, as in locations.csv)",
        ));
    }
    if !(camp.lat.abs() <= 90.0 && camp.lon.abs() <= 180.0) {
        return Err(ctx.err(
            "add_camps.lat",
            &format!("{}, {}", camp.lat, camp.lon),
            "not a position in degrees",
            "write decimal degrees (WGS 84): lat in [-90, 90], lon in [-180, 180]",
        ));
    }
    if camp.routes.is_empty() {
        return Err(ctx.err(
            "add_camps.routes",
            &camp.name,
            "a new camp needs at least one route",
            "add e.g. `routes: [{to: Niamey, distance: 120}]` (distance in km)",
        ));
    }
    let locs = Locations::from_list(&scenario.locations);
    let mut routes = Vec::new();
    for r in &camp.routes {
        let to = ctx.loc(&locs, "add_camps.routes.to", &r.to)?;
        if !(r.distance.is_finite() && r.distance > 0.0) {
            return Err(ctx.err(
                "add_camps.routes.distance",
                &r.distance.to_string(),
                "a route's distance must be a positive number of km",
                "write the distance in km, e.g. `distance: 120`",
            ));
        }
        routes.push((to, r.distance));
    }
    let location = Location {
        name: camp.name.clone(),
        region: camp.region.clone(),
        country: camp.country.clone(),
        lat: camp.lat,
        lon: camp.lon,
        raw_type,
        kind,
        conflict_date: 0,
        pop_or_capacity: camp.capacity,
        conflict_intensity: 1.0,
        capacity_per_day: 0,
        initial_idps: 0,
        attributes: Vec::new(),
    };
    Ok((location, routes))
}

/// What a `close:` or `open:` entry names, as a closures.csv row would:
/// (type, name1, name2).
fn closure_target(
    ctx: &Ctx,
    locs: &Locations,
    scenario: &Scenario,
    e: &CloseFile,
    key: &str,
) -> Result<(ClosureKind, String, String), InputError> {
    let given = [
        e.route.is_some(),
        e.location.is_some(),
        e.border.is_some(),
        e.camp.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(ctx.err_near(
            "from_day",
            key,
            key,
            "name exactly one of route, location, border, camp",
            "e.g. `- {border: [Mali, Burkina_Faso], from_day: 10}` or `- {route: [Menaka, Abala]}`",
        ));
    }
    let field = |k: &str| format!("{key}.{k}");
    if let Some([a, b]) = &e.route {
        let (ia, ib) = (
            ctx.loc(locs, &field("route"), a)?,
            ctx.loc(locs, &field("route"), b)?,
        );
        let linked = scenario
            .routes
            .iter()
            .any(|r| (r.from, r.to) == (ia, ib) || (r.from, r.to) == (ib, ia));
        if !linked {
            return Err(ctx.err(
                &field("route"),
                a,
                format!("no route between '{a}' and '{b}' in routes.csv"),
                "name the two ends of one row of routes.csv (to close a place, use `location:`)",
            ));
        }
        return Ok((ClosureKind::Link, a.clone(), b.clone()));
    }
    if let Some(name) = &e.location {
        ctx.loc(locs, &field("location"), name)?;
        return Ok((ClosureKind::Location, name.clone(), String::new()));
    }
    if let Some(name) = &e.camp {
        let id = ctx.loc(locs, &field("camp"), name)?;
        let kind =
            match locs.list[id as usize].kind {
                LocationKind::Camp => ClosureKind::Camp,
                LocationKind::IdpCamp => ClosureKind::IdpCamp,
                _ => return Err(ctx.err(
                    &field("camp"),
                    name,
                    format!("'{name}' is not a camp"),
                    "a camp closure turns a camp into a town; to close any place, use `location:`",
                )),
            };
        return Ok((kind, name.clone(), String::new()));
    }
    let [a, b] = e.border.as_ref().expect("one of the four is given");
    for c in [a, b] {
        if !locs.list.iter().any(|l| &l.country == c) {
            let countries = locs.list.iter().map(|l| l.country.as_str());
            let hint = match crate::text::suggest(c, countries) {
                Some(s) => format!(
                    "did you mean '{s}'? A border names two countries (column 3 of locations.csv)"
                ),
                None => {
                    "a border names two countries as written in column 3 of locations.csv".into()
                }
            };
            return Err(ctx.err(&field("border"), c, "no location has this country", hint));
        }
    }
    Ok((ClosureKind::Country, a.clone(), b.clone()))
}

/// `from_day` and `until_day` of a `close:` entry as closures.csv's start
/// and end (-1: never reopens).
fn closure_days(ctx: &Ctx, e: &CloseFile, days: i64) -> Result<(i64, i64), InputError> {
    check_day(ctx, "close.from_day", e.from_day, days)?;
    match e.until_day {
        None => Ok((e.from_day, -1)),
        Some(u) if u > e.from_day => Ok((e.from_day, u)),
        Some(u) => Err(ctx.err(
            "close.until_day",
            &u.to_string(),
            format!(
                "the closure reopens on day {u}, not after it starts (day {})",
                e.from_day
            ),
            "until_day is the first day open again; leave it out to keep it closed",
        )),
    }
}

fn check_day(ctx: &Ctx, field: &str, day: i64, days: i64) -> Result<(), InputError> {
    if (0..days).contains(&day) {
        return Ok(());
    }
    Err(ctx.err_near(
        "from_day",
        field,
        &day.to_string(),
        format!("outside the run (days 0 to {})", days - 1),
        "give a day of the run, counted from the start date (day 0)",
    ))
}

/// Ends the base's closures that `open:` names from its `from_day` on: a
/// closure that starts later is dropped, one that holds then ends that day.
fn open_closures(
    ctx: &Ctx,
    closures: &mut Vec<Closure>,
    kind: ClosureKind,
    a: &str,
    b: &str,
    e: &CloseFile,
    days: i64,
) -> Result<(), InputError> {
    check_day(ctx, "open.from_day", e.from_day, days)?;
    if let Some(u) = e.until_day {
        return Err(ctx.err(
            "open.until_day",
            &u.to_string(),
            "`open:` entries have no until_day",
            "to close again later, add a `close:` entry from that day",
        ));
    }
    let two_way = matches!(kind, ClosureKind::Link | ClosureKind::Country);
    let same = |c: &Closure| {
        c.kind == kind
            && ((c.name1 == a && c.name2 == b) || (two_way && c.name1 == b && c.name2 == a))
    };
    let day = e.from_day;
    let holds = |c: &Closure| c.end < 0 || c.end > day;
    if !closures.iter().any(|c| same(c) && holds(c)) {
        return Err(ctx.err(
            "open",
            a,
            format!("no closure of the base closes this on or after day {day}"),
            "`open:` ends closures of the base (closures.csv); see its rows",
        ));
    }
    closures.retain(|c| !(same(c) && c.start >= day));
    for c in closures.iter_mut().filter(|c| same(c) && holds(c)) {
        c.end = day;
    }
    Ok(())
}
