//! Assembling the report: figures, tables and the self-contained HTML page.

use crate::forecast::{Band, Forecast};
use crate::network::{ClosureRecord, NetworkView};
use crate::params::ParamSpace;
use crate::plots::Figure;
use crate::validation::EnsembleErrors;
use crate::ReportError;
use corridor_model::Scenario;

mod figures;
mod html;

use figures::figures;
use html::{render_html, responsive, FigureCtx};

/// What a report is made from.
pub struct ReportInput<'a> {
    /// Page title (default: the scenario's name).
    pub title: Option<String>,
    /// The scenario, when known: the map, the settings and the siege setup come from it.
    pub scenario: Option<&'a Scenario>,
    /// Route closures recorded from one run of the scenario.
    pub closures: Option<&'a ClosureRecord>,
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
    let figs = figures(input, network.as_ref());
    let errors = EnsembleErrors::new(f);
    let mut rendered = std::collections::BTreeMap::new();
    for fig in &figs {
        rendered.insert(
            fig.id.clone(),
            FigureCtx {
                id: fig.id.clone(),
                title: fig.title.clone(),
                svg: minijinja::Value::from_safe_string(responsive(&fig.svg()?)),
            },
        );
    }
    let html = render_html(input, network.as_ref(), &errors, rendered, n)?;
    Ok(Report {
        figures: figs,
        errors,
        network,
        html,
    })
}
