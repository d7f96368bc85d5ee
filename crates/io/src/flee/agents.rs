//! `input_csv/agents.csv` (docs/flee-model.md 15.4), read with
//! `spawn_rules.read_from_agents_csv_file`: a header `location,<attr>,…` on
//! the first line, then one agent per row, `<location>,<value>,…`, created
//! before day 0 with the raw strings as attribute values.
//!
//! As in Flee, `#` rows after the header are skipped and a row naming no
//! location is skipped (with a warning here; Flee prints a message). Where
//! Flee crashes, corridor reports an error: a comment or blank line before
//! the header (Flee then reads no header), a row with more or fewer cells
//! than the header, and the demographic rules that would read these agents'
//! `age` as a number or need a `gender` they do not have.

use std::path::Path;

use corridor_model::demographics::{InitialAgent, InitialAgents};
use corridor_model::Settings;

use super::Locations;
use crate::error::{InputError, Warning};
use crate::text::{csv_rows, read_text, suggest};

/// Reads `<input>/agents.csv` when `read_from_agents_csv_file` is on (no
/// agents otherwise; the file then gets a warning elsewhere).
pub(crate) fn read_initial_agents(
    input: &Path,
    locs: &Locations,
    settings: &Settings,
    warnings: &mut Vec<Warning>,
) -> Result<InitialAgents, InputError> {
    if !settings.read_from_agents_csv_file {
        return Ok(InitialAgents::default());
    }
    let path = input.join("agents.csv");
    let text = read_text(
        &path,
        "the agents to create before day 0 (spawn_rules.read_from_agents_csv_file)",
        "create it with a header `location,<attribute>,…` and one row per agent, or switch \
         read_from_agents_csv_file off",
    )?;
    let rows = csv_rows(&path, &text)?;
    let Some(header) = rows.first() else {
        warnings.push(Warning::new(
            &path,
            None,
            "agents.csv is empty: no agents are created from it",
        ));
        return Ok(InitialAgents::default());
    };
    if header.line != 1 || header.is_comment() {
        let what = if header.line != 1 {
            "a blank line"
        } else {
            "a comment"
        };
        return Err(InputError::bad_field(
            &path,
            Some(header.line),
            "header",
            header.get(0),
            format!(
                "{what} comes before the header: Flee reads only the first line as the header, \
                 so it reads none here and crashes on the first agent"
            ),
            "put `location,<attribute>,…` on the first line",
        ));
    }
    if header.fields[0].trim() != "location" {
        warnings.push(Warning::new(
            &path,
            Some(1),
            format!(
                "the first column is called '{}': it is read as the agent's location, as Flee does",
                header.fields[0]
            ),
        ));
    }
    let columns = header.fields[1..].to_vec();
    check_rules(&path, settings, &columns, rows.len() > 1)?;
    let mut agents = Vec::new();
    for row in &rows[1..] {
        if row.is_comment() {
            continue;
        }
        if row.fields.len() != header.fields.len() {
            return Err(InputError::bad_field(
                &path,
                Some(row.line),
                "row",
                Some(&row.fields.join(",")),
                format!(
                    "{} cells, but the header has {}: Flee crashes on extra cells and leaves \
                     attributes out for missing ones",
                    row.fields.len(),
                    header.fields.len()
                ),
                "give every agent a location and one value per attribute column",
            ));
        }
        let name = &row.fields[0];
        let Some(&location) = locs.index.get(name.as_str()) else {
            let also = suggest(name, locs.list.iter().map(|l| l.name.as_str()))
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default();
            warnings.push(Warning::new(
                &path,
                Some(row.line),
                format!(
                    "location '{name}' is not in locations.csv{also}: this agent is not created \
                     (Flee skips it too)"
                ),
            ));
            continue;
        };
        agents.push(InitialAgent {
            location,
            values: row.fields[1..].to_vec(),
        });
    }
    // Agents hold an attribute value as a 16-bit index into its values.
    for (k, column) in columns.iter().enumerate() {
        let distinct: std::collections::HashSet<&str> =
            agents.iter().map(|a| a.values[k].as_str()).collect();
        if distinct.len() > MAX_VALUES {
            return Err(InputError::bad_field(
                &path,
                None,
                column,
                None,
                format!(
                    "{} different values: corridor holds at most {MAX_VALUES} per attribute",
                    distinct.len()
                ),
                "group the values into classes, or leave the column out",
            ));
        }
    }
    Ok(InitialAgents { columns, agents })
}

/// Most different values one column may hold.
const MAX_VALUES: usize = 60_000;

/// The demographic rules read `age` as a number and `gender` as a label of
/// every agent; Flee crashes on these agents' string ages and missing keys.
fn check_rules(
    path: &Path,
    s: &Settings,
    columns: &[String],
    has_agents: bool,
) -> Result<(), InputError> {
    if !has_agents {
        return Ok(());
    }
    let age_rule = [
        ("ChildrenAvoidHazards", s.ChildrenAvoidHazards),
        ("ElderlyAvoidHazards", s.ElderlyAvoidHazards),
    ]
    .into_iter()
    .find(|r| r.1);
    if let Some((rule, _)) = age_rule {
        return Err(InputError::bad_field(
            path,
            Some(1),
            "age",
            None,
            format!(
                "move_rules.{rule} compares every agent's age with a number, but agents from \
                 agents.csv carry strings (or no age): Flee crashes on them"
            ),
            format!("switch {rule} off, or give these people demographics instead of agents.csv"),
        ));
    }
    if s.WomenAvoidHazards && !columns.iter().any(|c| c == "gender") {
        return Err(InputError::bad_field(
            path,
            Some(1),
            "gender",
            None,
            "move_rules.WomenAvoidHazards reads every agent's gender, and agents.csv has no \
             gender column: Flee crashes on these agents",
            "add a `gender` column, or switch WomenAvoidHazards off",
        ));
    }
    Ok(())
}
