//! A forecast: one or more runs of a scenario, summarised per camp and day
//! (mean, sd, 5–95 % band) next to what was observed.

use crate::ReportError;
use corridor_analysis::{CampSeries, FleeOutput, Totals};
use corridor_engine::siege::SiegeReport;
use serde::Serialize;

/// One simulation (or one Flee `out.csv`) and what it was run with.
#[derive(Debug, Clone)]
pub struct Run {
    /// How it is called in tables: a seed, a file name.
    pub label: String,
    pub seed: Option<u64>,
    /// Sampled parameter values, in the order of [`Forecast::param_names`].
    pub params: Vec<f64>,
    pub out: FleeOutput,
    pub siege: Option<SiegeReport>,
}

/// Per-day statistics of one quantity over the runs: the analysis crate's
/// band, the one implementation of the ensemble statistics (the sd of a single
/// run is undefined: NaN, written as an empty field or `null`).
pub use corridor_analysis::Band;

/// mean, sd (sample; NaN for one value), p5, p50, p95 (numpy's linear rule) of
/// `v`, all NaN when `v` is empty or holds a NaN. The statistics are
/// [`corridor_analysis::Summary`]'s; `v` is sorted.
pub fn stats(v: &mut [f64]) -> (f64, f64, f64, f64, f64) {
    let s = corridor_analysis::Summary::from_slice(v);
    v.sort_by(f64::total_cmp);
    s.map_or((f64::NAN, f64::NAN, f64::NAN, f64::NAN, f64::NAN), |s| {
        (s.mean, s.sd, s.p5, s.p50, s.p95)
    })
}

/// One camp of a forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampForecast {
    pub name: String,
    /// `<camp> data`: the observed (interpolated) series.
    pub data: Vec<f64>,
    /// `<camp> sim` over the runs.
    pub sim: Band,
}

/// One observation of a siege scenario next to the simulated band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservedPoint {
    pub day: i64,
    pub date: String,
    /// What is counted (`displaced`, `in_camps`, a camp name, `arrivals:<camp>`, …).
    pub what: String,
    /// The source's central figure, if it gives one.
    pub observed: Option<f64>,
    /// The source's interval (range, bound, or one number ± 25 %); `high` `None`: no upper bound.
    pub low: f64,
    pub high: Option<f64>,
    pub source: String,
    pub mean: f64,
    pub p5: f64,
    pub p95: f64,
}

impl ObservedPoint {
    /// The mean's relative error: to `observed` when given, else to the
    /// interval's nearest end (0 inside), over max(reference, 1).
    pub fn relative_error(&self) -> f64 {
        let rel = |r: f64| (self.mean - r) / r.max(1.0);
        match self.observed {
            Some(o) => rel(o),
            None if self.mean < self.low => rel(self.low),
            None => match self.high {
                Some(h) if self.mean > h => rel(h),
                _ => 0.0,
            },
        }
    }

    /// Whether the ensemble mean lies in the source's interval.
    pub fn within(&self) -> bool {
        self.mean >= self.low && self.high.is_none_or(|h| self.mean <= h)
    }

    /// Whether the 5–95 % band of the runs meets the source's interval.
    pub fn band_meets(&self) -> bool {
        self.p95 >= self.low && self.high.is_none_or(|h| self.p5 <= h)
    }

    /// A number to draw for the observation: the central figure, else the bound
    /// or the middle of the range.
    pub fn point(&self) -> f64 {
        match (self.observed, self.high) {
            (Some(o), _) => o,
            (None, None) => self.low,
            (None, Some(h)) if self.low <= 0.0 => h,
            (None, Some(h)) => 0.5 * (self.low + h),
        }
    }
}

/// The siege side of a forecast: people per fate per day, in people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiegeForecast {
    pub people: i64,
    pub people_per_agent: u32,
    pub camps: Vec<String>,
    pub days: Vec<i64>,
    pub dates: Vec<String>,
    /// `(fate, band)` for trapped, in_transit, detained, in_camps, dead_shot,
    /// dead_drowned, dead_in_custody, displaced, dead, waiting_to_cross, with_hosts;
    /// with returns home also returned and displaced_cumulative; `left:<group>`
    /// for each group of `siege.departures`.
    pub fates: Vec<(String, Band)>,
    /// People in each camp (same order as `camps`).
    pub in_camp: Vec<Band>,
    pub observed: Vec<ObservedPoint>,
    /// Day and description of each intervention (of the first run).
    pub interventions: Vec<(i64, String)>,
    /// Day, description and reason of each intervention that could not take
    /// effect (of the first run): a hold already lifted, a day after the end.
    pub skipped_interventions: Vec<(i64, String, String)>,
}

impl SiegeForecast {
    /// The band of one fate by name.
    pub fn fate(&self, name: &str) -> Option<&Band> {
        self.fates.iter().find(|(n, _)| n == name).map(|(_, b)| b)
    }

    /// Mean |relative error| of the ensemble mean over the observations of one kind.
    pub fn mean_abs_relative_error(&self, what: &str) -> Option<f64> {
        let v: Vec<f64> = self
            .observed
            .iter()
            .filter(|o| o.what == what)
            .map(|o| o.relative_error().abs())
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// Summarises the siege reports of several runs (same scenario).
    pub fn from_reports(reports: &[&SiegeReport]) -> Result<SiegeForecast, ReportError> {
        let first = reports.first().ok_or(ReportError::NoRuns)?;
        let n_days = first.days.len();
        if reports
            .iter()
            .any(|r| r.days.len() != n_days || r.camps != first.camps)
        {
            return Err(ReportError::Incompatible(
                "the siege reports differ in days or camps".into(),
            ));
        }
        type F = fn(&corridor_engine::siege::FateDay) -> i64;
        let fates: [(&str, F); 11] = [
            ("trapped", |d| d.trapped),
            ("in_transit", |d| d.in_transit),
            ("detained", |d| d.detained()),
            ("in_camps", |d| d.arrived()),
            ("dead_shot", |d| d.dead_shot),
            ("dead_drowned", |d| d.dead_drowned),
            ("dead_in_custody", |d| d.dead_in_custody),
            ("displaced", |d| d.displaced()),
            ("dead", |d| d.dead()),
            ("waiting_to_cross", |d| d.waiting_to_cross),
            ("with_hosts", |d| d.with_hosts),
        ];
        let series = |f: &dyn Fn(&corridor_engine::siege::FateDay) -> i64| -> Vec<Vec<f64>> {
            reports
                .iter()
                .map(|r| r.days.iter().map(|d| f(d) as f64).collect())
                .collect()
        };
        let mut fate_bands: Vec<(String, Band)> = fates
            .iter()
            .map(|(name, f)| (name.to_string(), Band::from_runs(&series(f))))
            .collect();
        if reports.iter().any(|r| r.returns) {
            let extra: [(&str, F); 2] = [
                ("returned", |d| d.returned),
                ("displaced_cumulative", |d| d.displaced_cumulative()),
            ];
            for (name, f) in extra {
                fate_bands.push((name.to_string(), Band::from_runs(&series(&f))));
            }
        }
        // Groups of siege.departures, as `left:<group>`.
        if let Some(d0) = first.days.first() {
            for (k, (g, _)) in d0.left.iter().enumerate() {
                let f = |d: &corridor_engine::siege::FateDay| d.left.get(k).map_or(0, |x| x.1);
                fate_bands.push((format!("left:{g}"), Band::from_runs(&series(&f))));
            }
        }
        let in_camp = (0..first.camps.len())
            .map(|i| Band::from_runs(&series(&|d| d.in_camp[i])))
            .collect();
        let mut observed = Vec::new();
        for (k, c) in first.comparisons.iter().enumerate() {
            let mut v: Vec<f64> = reports
                .iter()
                .filter_map(|r| r.comparisons.get(k).map(|x| x.simulated))
                .collect();
            let (mean, _, p5, _, p95) = stats(&mut v);
            observed.push(ObservedPoint {
                day: c.day,
                date: c.date.clone(),
                what: c.what.clone(),
                observed: c.observed,
                low: c.low,
                high: c.high,
                source: c.source.clone(),
                mean,
                p5,
                p95,
            });
        }
        Ok(SiegeForecast {
            people: first.people,
            people_per_agent: first.people_per_agent,
            camps: first.camps.clone(),
            days: first.days.iter().map(|d| d.day).collect(),
            dates: first.days.iter().map(|d| d.date.clone()).collect(),
            fates: fate_bands,
            in_camp,
            observed,
            interventions: first.interventions.clone(),
            skipped_interventions: first.skipped_interventions.clone(),
        })
    }
}

/// Runs of one scenario, summarised.
#[derive(Debug, Clone)]
pub struct Forecast {
    pub runs: Vec<Run>,
    pub param_names: Vec<String>,
    pub days: Vec<i64>,
    pub dates: Vec<String>,
    pub camps: Vec<CampForecast>,
    /// `refugees in camps (simulation)` over the runs.
    pub in_camps_sim: Band,
    /// `refugees in camps (UNHCR)`: the observed total.
    pub in_camps_data: Vec<f64>,
    /// `total refugees (simulation)` over the runs.
    pub total_agents: Band,
    /// The ensemble mean as a Flee table (camp sims replaced by their means),
    /// for scoring the mean forecast.
    pub mean_output: FleeOutput,
    pub siege: Option<SiegeForecast>,
}

impl Forecast {
    /// Summarises runs of one scenario (same camps and days).
    pub fn new(runs: Vec<Run>, param_names: Vec<String>) -> Result<Forecast, ReportError> {
        let first = runs.first().ok_or(ReportError::NoRuns)?;
        // Checks compatibility (same camps, same days).
        corridor_analysis::Ensemble::new(runs.iter().map(|r| r.out.clone()).collect())
            .map_err(|e| ReportError::Incompatible(e.to_string()))?;
        let camps: Vec<CampForecast> = first
            .out
            .camps()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let sims: Vec<Vec<f64>> =
                    runs.iter().map(|r| r.out.camps()[i].sim.clone()).collect();
                CampForecast {
                    name: c.name.clone(),
                    data: c.data.clone(),
                    sim: Band::from_runs(&sims),
                }
            })
            .collect();
        let col = |f: fn(&Totals) -> &Vec<f64>| -> Vec<Vec<f64>> {
            runs.iter().map(|r| f(r.out.totals()).clone()).collect()
        };
        let in_camps_sim = Band::from_runs(&col(|t| &t.refugees_in_camps_sim));
        let total_agents = Band::from_runs(&col(|t| &t.total_refugees_sim));
        let mean_output = mean_table(&first.out, &camps, &in_camps_sim, &total_agents)?;
        let reports: Vec<&SiegeReport> = runs.iter().filter_map(|r| r.siege.as_ref()).collect();
        let siege = if reports.len() == runs.len() && !reports.is_empty() {
            Some(SiegeForecast::from_reports(&reports)?)
        } else {
            None
        };
        Ok(Forecast {
            param_names,
            days: first.out.days().to_vec(),
            dates: first.out.dates().to_vec(),
            in_camps_data: first.out.totals().refugees_in_camps_unhcr.clone(),
            camps,
            in_camps_sim,
            total_agents,
            mean_output,
            siege,
            runs,
        })
    }

    /// Whether the out.csv carries observed camp data (siege scenarios do not).
    pub fn has_camp_data(&self) -> bool {
        self.camps.iter().any(|c| c.data.iter().any(|&d| d > 0.0))
    }
}

/// The ensemble mean as a Flee table: camp sims and totals replaced by their means.
fn mean_table(
    first: &FleeOutput,
    camps: &[CampForecast],
    in_camps: &Band,
    total: &Band,
) -> Result<FleeOutput, ReportError> {
    let (source, days, dates, old, totals) = first.clone().into_parts();
    let camps: Vec<CampSeries> = old
        .into_iter()
        .zip(camps)
        .map(|(c, f)| CampSeries {
            error: f
                .sim
                .mean
                .iter()
                .zip(&c.data)
                .map(|(s, d)| corridor_analysis::relative_error(*s, *d))
                .collect(),
            sim: f.sim.mean.clone(),
            name: c.name,
            data: c.data,
        })
        .collect();
    let totals = Totals {
        refugees_in_camps_sim: in_camps.mean.clone(),
        total_refugees_sim: total.mean.clone(),
        ..totals
    };
    FleeOutput::new(
        format!("{source} (ensemble mean)"),
        days,
        dates,
        camps,
        totals,
    )
    .map_err(|e| ReportError::Incompatible(e.to_string()))
}

fn num(x: f64) -> String {
    if x.is_finite() {
        let r = (x * 1000.0).round() / 1000.0;
        format!("{r}")
    } else {
        String::new()
    }
}

impl Forecast {
    /// Per camp per day: `day,date,camp,observed,mean,sd,p5,p50,p95` (3 decimals).
    pub fn camps_csv(&self) -> String {
        let mut s = String::from("day,date,camp,observed,mean,sd,p5,p50,p95\n");
        for c in &self.camps {
            let name = crate::validation::csv_field(&c.name);
            for (t, day) in self.days.iter().enumerate() {
                let b = &c.sim;
                s.push_str(&format!(
                    "{day},{},{name},{},{},{},{},{},{}\n",
                    self.dates[t],
                    num(c.data[t]),
                    num(b.mean[t]),
                    num(b.sd[t]),
                    num(b.p5[t]),
                    num(b.p50[t]),
                    num(b.p95[t])
                ));
            }
        }
        s
    }

    /// Per day totals: observed and simulated people in camps, agents created.
    pub fn totals_csv(&self) -> String {
        let mut s = String::from(
            "day,date,in_camps_observed,in_camps_mean,in_camps_sd,in_camps_p5,in_camps_p50,in_camps_p95,agents_mean,agents_p5,agents_p95\n",
        );
        let (b, a) = (&self.in_camps_sim, &self.total_agents);
        for (t, day) in self.days.iter().enumerate() {
            s.push_str(&format!(
                "{day},{},{},{},{},{},{},{},{},{},{}\n",
                self.dates[t],
                num(self.in_camps_data[t]),
                num(b.mean[t]),
                num(b.sd[t]),
                num(b.p5[t]),
                num(b.p50[t]),
                num(b.p95[t]),
                num(a.mean[t]),
                num(a.p5[t]),
                num(a.p95[t])
            ));
        }
        s
    }

    /// Siege scenarios: per day per fate (and per camp) `day,date,fate,mean,sd,p5,p50,p95`, in people.
    pub fn fates_csv(&self) -> Option<String> {
        let sf = self.siege.as_ref()?;
        let mut s = String::from("day,date,fate,mean,sd,p5,p50,p95\n");
        let camp_bands = sf
            .camps
            .iter()
            .zip(&sf.in_camp)
            .map(|(c, b)| (format!("in camp {c}"), b));
        let all: Vec<(String, &Band)> = sf
            .fates
            .iter()
            .map(|(k, b)| (k.clone(), b))
            .chain(camp_bands)
            .collect();
        for (t, day) in sf.days.iter().enumerate() {
            for (name, b) in &all {
                s.push_str(&format!(
                    "{day},{},{},{},{},{},{},{}\n",
                    sf.dates[t],
                    crate::validation::csv_field(name),
                    num(b.mean[t]),
                    num(b.sd[t]),
                    num(b.p5[t]),
                    num(b.p50[t]),
                    num(b.p95[t])
                ));
            }
        }
        Some(s)
    }

    /// One row per run: label, seed, ARD normal and rescaled, then the sampled parameters.
    pub fn runs_csv(&self) -> String {
        let mut s = String::from("run,seed,ard_normal,ard_rescaled");
        for p in &self.param_names {
            s.push(',');
            s.push_str(&crate::validation::csv_field(p));
        }
        s.push('\n');
        for r in &self.runs {
            s.push_str(&format!(
                "{},{},{},{}",
                crate::validation::csv_field(&r.label),
                r.seed.map(|x| x.to_string()).unwrap_or_default(),
                corridor_analysis::ard(&r.out, corridor_analysis::ArdMode::Normal),
                corridor_analysis::ard(&r.out, corridor_analysis::ArdMode::Rescaled)
            ));
            for v in &r.params {
                s.push_str(&format!(",{v}"));
            }
            s.push('\n');
        }
        s
    }
}
