//! The report's figures: camp curves with bands, totals, errors over time, the
//! siege's fates and the map.

use crate::forecast::{Band, SiegeForecast};
use crate::mapview::MapLayout;
use crate::network::NetworkView;
use crate::plots::{
    colors, Bar, BarChart, Chart, Figure, LegendPos, Line, MapFigure, Points, StackedChart,
    TimeChart,
};
use corridor_analysis::{ard_daily, ArdMode};
use serde_json::{json, Value};

use super::ReportInput;

fn x_of(days: &[i64]) -> Vec<f64> {
    days.iter().map(|&d| d as f64).collect()
}

fn band_line(label: &str, color: plotters::style::RGBColor, b: &Band, n: usize) -> Line {
    Line {
        label: label.to_string(),
        color,
        values: b.mean.clone(),
        band: (n > 1).then(|| (b.p5.clone(), b.p95.clone())),
        dashed: false,
    }
}

pub(super) fn safe_id(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub(super) fn round_vec(v: &[f64], digits: i32) -> Vec<Value> {
    let m = 10f64.powi(digits);
    v.iter()
        .map(|x| {
            if x.is_finite() {
                json!((x * m).round() / m)
            } else {
                Value::Null
            }
        })
        .collect()
}

pub(super) fn band_json(b: &Band) -> Value {
    json!({
        "mean": round_vec(&b.mean, 2),
        "sd": round_vec(&b.sd, 2),
        "p5": round_vec(&b.p5, 2),
        "p50": round_vec(&b.p50, 2),
        "p95": round_vec(&b.p95, 2),
    })
}

/// Builds every figure of the report.
pub(super) fn figures(
    input: &ReportInput,
    network: Option<&NetworkView>,
    map: Option<&MapLayout>,
) -> Vec<Figure> {
    let f = input.forecast;
    let n = f.runs.len();
    let mut figs = Vec::new();
    if let (Some(view), Some(layout)) = (network, map) {
        let m = MapFigure {
            view: view.clone(),
            layout: layout.clone(),
            geography: input.geography.cloned(),
        };
        let (width, height) = m.size();
        figs.push(Figure {
            id: "network".into(),
            title: format!("Route network: {}", view.name),
            width,
            height,
            chart: Chart::Map(Box::new(m)),
        });
    }
    if let Some(s) = &f.siege {
        figs.extend(siege_figures(s, n));
    }
    if f.has_camp_data() || f.siege.is_none() {
        let x = x_of(&f.days);
        for c in &f.camps {
            figs.push(Figure {
                id: format!("camp-{}", safe_id(&c.name)),
                title: c.name.replace('_', " "),
                width: 520,
                height: 300,
                chart: Chart::Time(TimeChart {
                    x: x.clone(),
                    dates: f.dates.clone(),
                    y_label: "people in camp".into(),
                    lines: vec![
                        band_line("simulated (mean, 5–95 %)", colors::SIM, &c.sim, n),
                        Line {
                            label: "observed".into(),
                            color: colors::DATA,
                            values: c.data.clone(),
                            band: None,
                            dashed: true,
                        },
                    ],
                    points: vec![],
                    legend: Some(LegendPos::LowerRight),
                }),
            });
        }
        figs.push(Figure {
            id: "totals".into(),
            title: "All camps".into(),
            width: 1100,
            height: 380,
            chart: Chart::Time(TimeChart {
                x: x.clone(),
                dates: f.dates.clone(),
                y_label: "people".into(),
                lines: vec![
                    band_line(
                        "displaced agents created (simulation)",
                        colors::ALT,
                        &f.total_agents,
                        n,
                    ),
                    band_line(
                        "in camps, simulated (mean, 5–95 %)",
                        colors::SIM,
                        &f.in_camps_sim,
                        n,
                    ),
                    Line {
                        label: "in camps, observed (UNHCR)".into(),
                        color: colors::DATA,
                        values: f.in_camps_data.clone(),
                        band: None,
                        dashed: true,
                    },
                ],
                points: vec![],
                legend: Some(LegendPos::LowerRight),
            }),
        });
        if f.has_camp_data() {
            let per_run: Vec<Vec<f64>> = f
                .runs
                .iter()
                .map(|r| ard_daily(&r.out, ArdMode::Rescaled))
                .collect();
            let band = Band::from_runs(&per_run);
            let mean_n = ard_daily(&f.mean_output, ArdMode::Normal);
            let mean_r = ard_daily(&f.mean_output, ArdMode::Rescaled);
            figs.push(Figure {
                id: "ard-daily".into(),
                title: "Daily error (relative difference, Flee's ARD before averaging)".into(),
                width: 1100,
                height: 320,
                chart: Chart::Time(TimeChart {
                    x,
                    dates: f.dates.clone(),
                    y_label: "error".into(),
                    lines: vec![
                        band_line("rescaled, per run (mean, 5–95 %)", colors::SIM, &band, n),
                        Line {
                            label: "normal, ensemble mean".into(),
                            color: colors::ALT,
                            values: mean_n,
                            band: None,
                            dashed: false,
                        },
                        Line {
                            label: "rescaled, ensemble mean".into(),
                            color: colors::DATA,
                            values: mean_r,
                            band: None,
                            dashed: true,
                        },
                    ],
                    points: vec![],
                    legend: Some(LegendPos::UpperRight),
                }),
            });
        }
    }
    figs
}

fn siege_figures(s: &SiegeForecast, n: usize) -> Vec<Figure> {
    let x = x_of(&s.days);
    let mut figs = Vec::new();
    let fate = |name: &str| s.fate(name).cloned().unwrap_or_default();
    let mut layers = vec![
        ("in camps".to_string(), colors::CAMPS, fate("in_camps").mean),
        (
            "with host families".to_string(),
            colors::HOSTS,
            fate("with_hosts").mean,
        ),
        (
            "in transit".to_string(),
            colors::TRANSIT,
            fate("in_transit").mean,
        ),
        (
            "detained".to_string(),
            colors::DETAINED,
            fate("detained").mean,
        ),
        ("dead".to_string(), colors::SHOT, fate("dead").mean),
        ("trapped".to_string(), colors::TRAPPED, fate("trapped").mean),
        (
            "waiting to cross a river".to_string(),
            colors::DROWNED,
            fate("waiting_to_cross").mean,
        ),
    ];
    // Returns home (only scenarios that have them report the fate).
    if let Some(b) = s.fate("returned") {
        layers.push(("returned home".to_string(), colors::ALT, b.mean.clone()));
    }
    figs.push(Figure {
        id: "fates".into(),
        title: "Where people are: fates over time (ensemble mean, stacked)".into(),
        width: 1100,
        height: 400,
        chart: Chart::Stacked(StackedChart {
            x: x.clone(),
            dates: s.dates.clone(),
            y_label: "people".into(),
            layers,
        }),
    });
    let causes = [
        ("shot while leaving", "dead_shot", colors::SHOT, "shot"),
        (
            "drowned crossing",
            "dead_drowned",
            colors::DROWNED,
            "drowned",
        ),
        (
            "died in custody",
            "dead_in_custody",
            colors::CUSTODY,
            "in custody",
        ),
    ];
    let obs_points = |what: &str| -> Vec<crate::plots::Point> {
        s.observed
            .iter()
            .filter(|o| o.what == what)
            // The source's interval as a whisker (a bound alone has none).
            .map(|o| {
                let range = o.high.map(|h| (o.low, h));
                (o.day as f64, o.point(), range)
            })
            .collect()
    };
    figs.push(Figure {
        id: "casualties".into(),
        title: "Deaths by cause, cumulative (mean, 5–95 %)".into(),
        width: 700,
        height: 340,
        chart: Chart::Time(TimeChart {
            x: x.clone(),
            dates: s.dates.clone(),
            y_label: "people".into(),
            lines: causes
                .iter()
                .map(|(label, key, color, _)| band_line(label, *color, &fate(key), n))
                .collect(),
            // Documented counts (FACTS.md) of the same harms, with their ranges.
            points: causes
                .iter()
                .map(|(label, _, color, short)| Points {
                    label: format!("{label}, documented"),
                    color: *color,
                    points: obs_points(short),
                })
                .filter(|p| !p.points.is_empty())
                .collect(),
            legend: Some(LegendPos::UpperLeft),
        }),
    });
    figs.push(Figure {
        id: "casualties-total".into(),
        title: format!(
            "Deaths by cause by {} (mean, 5–95 %)",
            s.dates.last().cloned().unwrap_or_default()
        ),
        width: 400,
        height: 340,
        chart: Chart::Bars(BarChart {
            y_label: "people".into(),
            bars: causes
                .iter()
                .map(|(_, key, color, short)| {
                    let b = fate(key);
                    let last = b.len().saturating_sub(1);
                    Bar {
                        label: short.to_string(),
                        value: b.mean.get(last).copied().unwrap_or(0.0),
                        range: (n > 1).then(|| (b.p5[last], b.p95[last])),
                        color: *color,
                    }
                })
                .collect(),
        }),
    });
    figs.push(Figure {
        id: "observed-displaced".into(),
        title: "Displaced people: simulated vs observed (IOM DTM)".into(),
        width: 1100,
        height: 380,
        chart: Chart::Time(TimeChart {
            x: x.clone(),
            dates: s.dates.clone(),
            y_label: "people displaced (cumulative, alive)".into(),
            lines: vec![
                band_line(
                    "displaced, simulated (mean, 5–95 %)",
                    colors::SIM,
                    &fate("displaced"),
                    n,
                ),
                band_line("in camps, simulated", colors::CAMPS, &fate("in_camps"), n),
            ]
            .into_iter()
            .chain(s.fate("displaced_cumulative").map(|b| {
                band_line(
                    "ever displaced (displaced + returned), simulated",
                    colors::ALT,
                    b,
                    n,
                )
            }))
            // Groups of siege.departures: people who left their places, cumulative.
            .chain(s.fates.iter().filter_map(|(name, b)| {
                let g = name.strip_prefix("left:")?;
                Some(band_line(
                    &format!("left {g}, simulated"),
                    colors::DETAINED,
                    b,
                    n,
                ))
            }))
            .collect(),
            points: vec![
                Points {
                    label: "displaced, observed".into(),
                    color: colors::OBSERVED,
                    points: obs_points("displaced"),
                },
                Points {
                    label: "in camps, observed".into(),
                    color: colors::DATA,
                    points: obs_points("in_camps"),
                },
            ]
            .into_iter()
            .filter(|p| !p.points.is_empty())
            .collect(),
            legend: Some(LegendPos::LowerRight),
        }),
    });
    for (i, camp) in s.camps.iter().enumerate() {
        let pts = obs_points(camp);
        figs.push(Figure {
            id: format!("camp-{}", safe_id(camp)),
            title: camp.replace('_', " "),
            width: 520,
            height: 300,
            chart: Chart::Time(TimeChart {
                x: x.clone(),
                dates: s.dates.clone(),
                y_label: "people in camp".into(),
                lines: vec![band_line(
                    "simulated (mean, 5–95 %)",
                    colors::SIM,
                    &s.in_camp[i],
                    n,
                )],
                points: if pts.is_empty() {
                    vec![]
                } else {
                    vec![Points {
                        label: "observed".into(),
                        color: colors::OBSERVED,
                        points: pts,
                    }]
                },
                legend: Some(LegendPos::LowerRight),
            }),
        });
    }
    figs
}

fn css(c: &plotters::style::RGBColor) -> String {
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

/// The time and stacked charts as data for the page's interactive charts
/// (uPlot): per figure id, its x (days), dates, lines with bands, points with
/// ranges. Bar charts and the map stay static.
pub(super) fn chart_specs(figs: &[Figure]) -> Value {
    let mut out = serde_json::Map::new();
    for fig in figs {
        let spec = match &fig.chart {
            Chart::Time(t) => json!({
                "title": fig.title,
                "height": fig.height,
                "y_label": t.y_label,
                "x": t.x,
                "stacked": false,
                "series": t.lines.iter().map(|l| json!({
                    "label": l.label,
                    "color": css(&l.color),
                    "values": round_vec(&l.values, 2),
                    "lo": l.band.as_ref().map(|b| round_vec(&b.0, 2)),
                    "hi": l.band.as_ref().map(|b| round_vec(&b.1, 2)),
                    "dashed": l.dashed,
                })).collect::<Vec<_>>(),
                "points": t.points.iter().map(|p| json!({
                    "label": p.label,
                    "color": css(&p.color),
                    "points": p.points.iter().map(|(x, y, r)| json!([x, y, r.map(|r| r.0), r.map(|r| r.1)])).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            }),
            Chart::Stacked(s) => json!({
                "title": fig.title,
                "height": fig.height,
                "y_label": s.y_label,
                "x": s.x,
                "stacked": true,
                "series": s.layers.iter().map(|(label, color, values)| json!({
                    "label": label,
                    "color": css(color),
                    "values": round_vec(values, 2),
                    "dashed": false,
                })).collect::<Vec<_>>(),
                "points": [],
            }),
            _ => continue,
        };
        out.insert(fig.id.clone(), spec);
    }
    Value::Object(out)
}
