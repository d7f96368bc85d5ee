//! Assembling the report: figures, tables and the self-contained HTML page.

use crate::forecast::{Band, Forecast};
use crate::geography::Geography;
use crate::mapview::MapLayout;
use crate::network::{ClosureRecord, NetworkView};
use crate::params::ParamSpace;
use crate::plots::Figure;
use crate::validation::EnsembleErrors;
use crate::ReportError;
use corridor_model::Scenario;

mod figures;
mod html;
mod setup;

use figures::{chart_specs, figures};
use html::{render_html, responsive, FigureCtx};

/// What a report is made from.
pub struct ReportInput<'a> {
    /// Page title (default: the scenario's name).
    pub title: Option<String>,
    /// The scenario, when known: the map, the settings and the siege setup come from it.
    pub scenario: Option<&'a Scenario>,
    /// Route closures recorded from one run of the scenario.
    pub closures: Option<&'a ClosureRecord>,
    /// The scenario's own map layers (`geography.geojson`), if any.
    pub geography: Option<&'a Geography>,
    pub forecast: &'a Forecast,
    /// The parameter ranges the ensemble sampled, if any.
    pub params: Option<&'a ParamSpace>,
    pub master_seed: Option<u64>,
    /// Where the runs came from, one line each ("20 replicates run by corridor", a folder).
    pub sources: Vec<String>,
    /// Program and version that made the report.
    pub generator: String,
}

/// A built report: its figures, its tables and the HTML page.
pub struct Report {
    pub figures: Vec<Figure>,
    pub errors: EnsembleErrors,
    pub network: Option<NetworkView>,
    /// The page's map with its placed labels, when the scenario was given.
    pub map: Option<MapLayout>,
    pub html: String,
}

/// Builds the report.
pub fn build(input: &ReportInput) -> Result<Report, ReportError> {
    let f = input.forecast;
    let n = f.runs.len();
    let network = input.scenario.map(|sc| {
        let mut v = NetworkView::new(sc, input.closures);
        let last = |b: &Band| {
            let i = b.len().saturating_sub(1);
            (b.mean[i], b.p5[i], b.p95[i])
        };
        let sizes: Vec<(String, f64, f64, f64)> = match &f.siege {
            Some(s) => s
                .camps
                .iter()
                .zip(&s.in_camp)
                .map(|(c, b)| {
                    let (m, lo, hi) = last(b);
                    (c.clone(), m, lo, hi)
                })
                .collect(),
            None => f
                .camps
                .iter()
                .map(|c| {
                    let (m, lo, hi) = last(&c.sim);
                    (c.name.clone(), m, lo, hi)
                })
                .collect(),
        };
        v.set_final_sizes(&sizes);
        v
    });
    let map = network.as_ref().map(|v| MapLayout::new(v, input.geography));
    let figs = figures(input, network.as_ref(), map.as_ref());
    let errors = EnsembleErrors::new(f);
    let mut rendered = std::collections::BTreeMap::new();
    // The page draws its own map (`map_svg`); the network figure is for export only.
    for fig in figs.iter().filter(|f| f.id != "network") {
        rendered.insert(
            fig.id.clone(),
            FigureCtx {
                id: fig.id.clone(),
                title: fig.title.clone(),
                svg: minijinja::Value::from_safe_string(responsive(&fig.svg()?)),
            },
        );
    }
    let map_svg = match (&map, &network) {
        (Some(m), Some(v)) => m.svg(v, input.geography),
        _ => String::new(),
    };
    let charts = chart_specs(&figs);
    let html = render_html(
        input,
        network.as_ref(),
        &errors,
        html::Extras {
            figures: rendered,
            map_svg,
            map_dropped: map.as_ref().map(|m| m.dropped.clone()).unwrap_or_default(),
            charts,
        },
        n,
    )?;
    Ok(Report {
        figures: figs,
        errors,
        network,
        map,
        html,
    })
}
