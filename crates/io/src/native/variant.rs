//! Variants: a scenario file with `base:`, read as its base plus its own
//! name, days and interventions; the `base:` chain is followed with a guard
//! against loops and over-long chains.

use super::file::{NativeFile, SettingsKey};
use super::{applies, build_intervention, flee_variant, key_dates, read_native, Ctx};
use crate::error::{InputError, Warning};
use crate::flee::Locations;
use corridor_model::siege::SiegeModel;
use corridor_model::Scenario;
use std::path::{Path, PathBuf};

thread_local! {
    /// The variant files whose `base:` is being read on this thread, outermost first.
    static BASE_CHAIN: std::cell::RefCell<Vec<PathBuf>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Longest `base:` chain (variant of a variant of …) accepted.
const MAX_BASE_DEPTH: usize = 16;

/// One link of a `base:` chain being read; refuses a loop (a → b → a) or an
/// over-long chain instead of recursing until the stack overflows.
struct BaseChain;

impl BaseChain {
    fn enter(ctx: &Ctx, base: &str, base_path: &Path) -> Result<BaseChain, InputError> {
        let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let me = canon(ctx.path);
        let target = canon(base_path);
        BASE_CHAIN.with(|chain| {
            let mut chain = chain.borrow_mut();
            if chain.is_empty() {
                chain.push(me.clone());
            }
            if chain.contains(&target) {
                let names: Vec<String> = chain
                    .iter()
                    .chain(std::iter::once(&target))
                    .map(|p| p.display().to_string())
                    .collect();
                chain.clear();
                return Err(ctx.err(
                    "base",
                    base,
                    format!("the `base:` chain loops: {}", names.join(" → ")),
                    "a chain of variants must end at a scenario file without `base:`",
                ));
            }
            if chain.len() > MAX_BASE_DEPTH {
                chain.clear();
                return Err(ctx.err(
                    "base",
                    base,
                    format!("the `base:` chain is longer than {MAX_BASE_DEPTH} files"),
                    "point `base:` at the scenario file itself rather than at a variant of a variant",
                ));
            }
            chain.push(target);
            Ok(BaseChain)
        })
    }
}

impl Drop for BaseChain {
    fn drop(&mut self) {
        BASE_CHAIN.with(|chain| {
            let mut chain = chain.borrow_mut();
            chain.pop();
            if chain.len() == 1 {
                chain.clear();
            }
        });
    }
}

pub(super) fn read_variant(
    ctx: &Ctx,
    dir: &Path,
    base: &str,
    yaml: NativeFile,
    settings_override: Option<&Path>,
) -> Result<(Scenario, Vec<Warning>), InputError> {
    let base_path = dir.join(base);
    if base_path == ctx.path {
        return Err(ctx.err(
            "base",
            base,
            "a variant cannot be its own base",
            "point `base:` at the scenario file",
        ));
    }
    // A folder without scenario.yml is a Flee/FabFlee folder.
    let native_base = if base_path.is_dir() {
        let file = base_path.join("scenario.yml");
        file.is_file().then_some(file)
    } else {
        Some(base_path.clone())
    };
    // A variant's settings file is read as `--settings` would be, for the
    // whole base chain; `--settings` itself wins.
    let own_settings = match &yaml.settings {
        Some(SettingsKey::File(p)) => Some(dir.join(p)),
        _ => None,
    };
    let settings_override = settings_override.or(own_settings.as_deref());
    let (mut scenario, mut warnings) = {
        let _link = BaseChain::enter(ctx, base, &base_path)?;
        match &native_base {
            Some(file) => read_native(file, settings_override, ctx.errors)?,
            None => crate::read_flee_scenario(&base_path, settings_override)?,
        }
    };
    if scenario.siege.is_none() {
        // The base chain ends at a Flee folder: the changes apply to the
        // Flee scenario itself, and it stays one (hasten works as for Flee).
        flee_variant::apply(ctx, &yaml, &mut scenario, &mut warnings)?;
        return Ok((scenario, warnings));
    }
    flee_variant::refuse_on_native(ctx, &yaml)?;
    if yaml.siege.is_some() || yaml.locations.is_some() || yaml.routes.is_some() {
        return Err(ctx.err(
            "base",
            base,
            "a variant may only add interventions (and set name, description, days)",
            "put structural changes in a scenario of their own; in a variant, write them as interventions",
        ));
    }
    if let Some(n) = yaml.name {
        scenario.name = n;
    }
    if let Some(d) = yaml.days {
        scenario.days = d;
    }
    let days = scenario.days;
    if !yaml.key_dates.is_empty() {
        let siege = scenario.siege.get_or_insert_with(SiegeModel::default);
        siege.key_dates = key_dates(ctx, &yaml.key_dates, days)?;
    }
    let locs = Locations::from_list(&scenario.locations);
    let siege = scenario.siege.get_or_insert_with(SiegeModel::default);
    // The base's interventions after a shortened end never apply: said, not dropped.
    for iv in siege
        .interventions
        .iter()
        .filter(|iv| iv.day >= days as i64)
    {
        warnings.push(Warning::new(
            ctx.path,
            ctx.line_of("days:"),
            format!(
                "days: {days} ends the run before the base's intervention on day {} ({}); it \
                 will be skipped",
                iv.day,
                iv.action.keyword()
            ),
        ));
    }
    for iv in &yaml.interventions {
        let ctx = &ctx.entry(iv);
        let built = build_intervention(ctx, &locs, &iv.value).and_then(|built| {
            applies::intervention(ctx, &locs, &scenario.routes, siege, days, &iv.value, &built)?;
            Ok(built)
        });
        if let Some(built) = ctx.keep(built) {
            siege.interventions.push(built);
        }
    }
    Ok((scenario, warnings))
}
