//! Inputs Flee reads that corridor does not: each gets a warning saying what
//! Flee does with it, so that no input is dropped silently. (Files Flee
//! does not read either, such as maps or notes, are not mentioned.)

use std::path::Path;

use corridor_model::{Location, Settings};

use super::Locations;
use crate::error::{InputError, Warning};

/// Warnings for the files of `input_csv/` that Flee reads and corridor does
/// not use with these settings: `major_routes.csv` without `fixed_routes`,
/// `agents.csv` without `read_from_agents_csv_file`.
pub(crate) fn warn_unread_files(input: &Path, settings: &Settings, warnings: &mut Vec<Warning>) {
    let unused = [
        (
            "major_routes.csv",
            !settings.fixed_routes,
            "only move_rules.fixed_routes uses it (docs/flee-model.md 16.6), which is off; with \
             fixed_routes off the file has no effect in Flee either",
        ),
        (
            "agents.csv",
            !settings.read_from_agents_csv_file,
            "Flee reads it only with spawn_rules.read_from_agents_csv_file (docs/flee-model.md \
             15.4), which is off",
        ),
    ];
    for (name, off, why) in unused {
        let path = input.join(name);
        if off && !crate::text::absent(&path) {
            warnings.push(Warning::new(
                &path,
                None,
                format!("{name} is not read by corridor: {why}"),
            ));
        }
    }
}

/// With `use_economic_pull`, every foreign location needs numbers in the
/// `trade_volume` and `hdi` columns (Flee crashes without them); the
/// warnings that those columns are not read are withdrawn.
pub(crate) fn check_economic_pull(
    path: &Path,
    locs: &Locations,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Result<(), InputError> {
    if !settings.use_economic_pull {
        return Ok(());
    }
    let home = locs
        .list
        .first()
        .map(|l| l.country.clone())
        .unwrap_or_default();
    for (l, &line) in locs.list.iter().zip(&locs.lines) {
        if !l.is_foreign(&home) {
            continue;
        }
        for column in ["trade_volume", "hdi"] {
            let value = attribute(l, column);
            if value
                .and_then(|v| v.trim().parse::<f64>().ok())
                .is_none_or(|x| !x.is_finite())
            {
                return Err(InputError::bad_field(
                    path,
                    Some(line),
                    column,
                    value,
                    format!(
                        "move_rules.use_economic_pull needs a number here for the foreign location '{}'",
                        l.name
                    ),
                    "add the columns trade_volume and hdi (named in the # header row) with a number for \
                     every foreign location, or switch use_economic_pull off",
                ));
            }
        }
    }
    warnings.retain(|w| {
        !(w.path == path
            && (w.message.starts_with("column 'trade_volume'")
                || w.message.starts_with("column 'hdi'")))
    });
    Ok(())
}

fn attribute<'a>(l: &'a Location, name: &str) -> Option<&'a str> {
    l.attributes
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// What conflict-driven spawning leaves out or lets run away (docs/flee-model.md 13.2, 13.6),
/// as warnings on the settings file.
pub(crate) fn warn_conflict_spawning(
    settings_path: &Path,
    s: &Settings,
    warnings: &mut Vec<Warning>,
) {
    let Some(c) = &s.conflict_driven_spawning else {
        return;
    };
    let mut say = |m: String| warnings.push(Warning::new(settings_path, None, m));
    if s.flood_mode() {
        say("spawn_rules.conflict_driven_spawning is not used: flood-driven spawning is on \
             (flood_zone_spawning_only with flood_driven_spawn_mode), and corridor spawns by the floods only"
            .into());
        return;
    }
    if s.conflict_spawn_decay.is_some() {
        say("spawn_rules.conflict_spawn_decay is not applied to the numbers of conflict-driven spawning \
             (as in Flee); it still lowers the scores of conflict zones"
            .into());
    }
    if c.mode != corridor_model::SpawnMode::PopRatio && s.take_from_population {
        say(format!(
            "conflict-driven spawning in {} mode with take_from_population: a location's population can \
             reach 0, after which it keeps spawning at the same rate with population 0 (Flee prints a \
             warning per agent and does the same)",
            c.mode.name()
        ));
    }
}
