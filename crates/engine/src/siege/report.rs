//! What a siege run reports: the daily fates, observed-vs-simulated
//! comparisons and the interventions applied (written to summary.json and
//! fates.csv, read back by `corridor report`), and their terminal summary.

use corridor_model::observations::Observable;
use corridor_model::siege::Observation;

/// People in each fate at the end of one day. Fields added after the first
/// release default to 0 when an older summary.json is read back.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FateDay {
    pub day: i64,
    pub date: String,
    /// Still inside a place they have never left.
    pub trapped: i64,
    /// Left home, not in a camp, not held: on the road or at a town or checkpoint.
    pub in_transit: i64,
    /// People in each camp (same order as `SiegeReport::camps`).
    pub in_camp: Vec<i64>,
    pub dead_shot: i64,
    pub dead_drowned: i64,
    pub dead_in_custody: i64,
    /// Families (households) that have reached a camp, counted once each.
    #[serde(default)]
    pub families_in_camps: i64,
    /// Cumulative attempts to leave a held place, and how many were turned back.
    #[serde(default)]
    pub attempts: i64,
    #[serde(default)]
    pub turned_back: i64,
    /// Cumulative people moved between camps by organised relocation.
    #[serde(default)]
    pub relocated: i64,
    /// Never left a place whose hold has ended (or that was never held): not displaced.
    #[serde(default)]
    pub stayed: i64,
    /// People in camps beyond their shelter (part of `in_camp`, not a fate of its own).
    #[serde(default)]
    pub in_open: i64,
    /// People in each camp beyond its shelter (same order as `SiegeReport::camps`).
    #[serde(default)]
    pub in_open_by_camp: Vec<i64>,
    /// Cumulative people who arrived in each camp (same order as `in_camp`;
    /// a household moved on to another camp counts in each).
    #[serde(default)]
    pub arrivals: Vec<i64>,
    /// Cumulative people who reached any camp, each household once.
    #[serde(default)]
    pub arrivals_camps: i64,
    /// Men and boys separated at screening, waiting to be processed.
    #[serde(default)]
    pub screening_pending: i64,
    /// Processed at screening and held: to be released later, or never
    /// (an older summary's `detained` reads as held).
    #[serde(default, alias = "detained")]
    pub held: i64,
    /// Cumulative people: separated (taken aside), screened (processed),
    /// released, and never released (kept for the rest of the run).
    #[serde(default)]
    pub separated: i64,
    #[serde(default)]
    pub screened: i64,
    #[serde(default)]
    pub released: i64,
    #[serde(default)]
    pub never_released: i64,
    /// Per screening site (same order as `SiegeReport::screening_sites`):
    /// cumulative people separated and never released there.
    #[serde(default)]
    pub separated_at: Vec<i64>,
    #[serde(default)]
    pub never_released_at: Vec<i64>,
    /// Cumulative people carried by organised transport (scheduled buses
    /// and relocation together).
    #[serde(default)]
    pub bused: i64,
    /// People in the queue of a river crossing, on its near bank: they have
    /// left home but are neither displaced nor trapped.
    #[serde(default)]
    pub waiting_to_cross: i64,
    /// Cumulative people taken across a river (alive on the far bank).
    #[serde(default)]
    pub crossed: i64,
    /// Cumulative people who gave up waiting at a river crossing.
    #[serde(default)]
    pub gave_up: i64,
    /// Of `dead_shot`: shot waiting on a river bank, and shot while crossing.
    #[serde(default)]
    pub dead_shot_waiting: i64,
    #[serde(default)]
    pub dead_shot_crossing: i64,
    /// People who left home and live with host families (`siege.camps[].hosts`):
    /// displaced, not in camps.
    #[serde(default)]
    pub with_hosts: i64,
    /// People who left and have gone home to a retaken place (`siege.returns`):
    /// no longer displaced. Left out of summary.json while 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub returned: i64,
    /// Per group of `siege.departures`, in its order: the group's name and the
    /// cumulative people who have left its places (alive when they left).
    /// Left out of summary.json without groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left: Vec<(String, i64)>,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

impl FateDay {
    pub fn arrived(&self) -> i64 {
        self.in_camp.iter().sum()
    }
    pub fn dead(&self) -> i64 {
        self.dead_shot + self.dead_drowned + self.dead_in_custody
    }
    /// People alive who have left home and not gone back: the quantity
    /// displacement trackers count (currently displaced).
    pub fn displaced(&self) -> i64 {
        self.in_transit + self.detained() + self.arrived() + self.with_hosts
    }
    /// People alive who have ever been displaced: the currently displaced and
    /// those who have returned home.
    pub fn displaced_cumulative(&self) -> i64 {
        self.displaced() + self.returned
    }
    pub fn total(&self) -> i64 {
        self.trapped
            + self.in_transit
            + self.detained()
            + self.arrived()
            + self.dead()
            + self.stayed
            + self.waiting_to_cross
            + self.with_hosts
            + self.returned
    }
    /// People in camp `i` beyond its shelter (0 in summaries written before shelter).
    pub fn in_open_at(&self, i: usize) -> i64 {
        self.in_open_by_camp.get(i).copied().unwrap_or(0)
    }

    /// The simulated value of an observed quantity on this day (`camps`: the
    /// report's camp names, in `in_camp` order); `None` for a camp not in the list.
    /// Every [`Observable`] has its arm here.
    pub fn observe(&self, what: &Observable, camps: &[String], sites: &[String]) -> Option<f64> {
        let slot = |c: &str| camps.iter().position(|x| x == c);
        let site = |s: &str| sites.iter().position(|x| x == s);
        Some(match what {
            Observable::Displaced => self.displaced(),
            Observable::InCamps => self.arrived(),
            Observable::Camp(cs) => cs
                .iter()
                .map(|c| self.in_camp.get(slot(c)?).copied())
                .sum::<Option<i64>>()?,
            Observable::Arrivals(cs) => cs
                .iter()
                .map(|c| self.arrivals.get(slot(c)?).copied())
                .sum::<Option<i64>>()?,
            Observable::ArrivalsCamps => self.arrivals_camps,
            Observable::Dead => self.dead(),
            Observable::Shot => self.dead_shot,
            Observable::Drowned => self.dead_drowned,
            Observable::DiedInCustody => self.dead_in_custody,
            Observable::Detained => self.detained(),
            Observable::ScreeningPending => self.screening_pending,
            Observable::Separated => self.separated,
            Observable::Screened => self.screened,
            Observable::Released => self.released,
            Observable::NeverReleased => self.never_released,
            Observable::Bused => self.bused,
            Observable::WaitingToCross => self.waiting_to_cross,
            Observable::Crossed => self.crossed,
            Observable::GaveUp => self.gave_up,
            Observable::WithHosts => self.with_hosts,
            Observable::Returned => self.returned,
            Observable::DisplacedCumulative => self.displaced_cumulative(),
            Observable::Left(g) => self.left.iter().find(|(n, _)| n == g)?.1,
            Observable::SeparatedAt(s) => *self.separated_at.get(site(s)?)?,
            Observable::NeverReleasedAt(s) => *self.never_released_at.get(site(s)?)?,
        } as f64)
    }
    /// People in custody after screening: waiting to be processed or held.
    pub fn detained(&self) -> i64 {
        self.screening_pending + self.held
    }
}

/// One observation next to the simulated number, scored against the source's
/// own uncertainty (see [`corridor_model::observations::Score`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Comparison {
    pub day: i64,
    pub date: String,
    pub what: String,
    /// The source's central figure, if it gives one.
    pub observed: Option<f64>,
    pub simulated: f64,
    #[serde(default)]
    pub source: String,
    /// The effective interval: the source's range or bound, or observed ± 25 %.
    #[serde(default)]
    pub low: f64,
    /// `None`: no upper bound.
    #[serde(default)]
    pub high: Option<f64>,
    /// Whether `simulated` lies in `[low, high]`.
    #[serde(default)]
    pub within: bool,
    /// To `observed` when given, else to the nearest bound (0 inside).
    #[serde(default)]
    pub relative_error: f64,
}

impl Comparison {
    /// `observation` on `date` against `simulated`.
    pub fn new(o: &Observation, date: String, simulated: f64) -> Comparison {
        let s = o.score(simulated);
        Comparison {
            day: o.day,
            date,
            what: o.what.clone(),
            observed: o.observed,
            simulated,
            source: o.source.clone(),
            low: s.low,
            high: s.high,
            within: s.within,
            relative_error: s.relative_error,
        }
    }

    pub fn relative_error(&self) -> f64 {
        self.relative_error
    }

    /// The interval as text: "5,000–18,000", "≥ 44,000", "≤ 100".
    pub fn interval_text(&self) -> String {
        interval_text(self.low, self.high)
    }
}

/// An interval as text: "5,000–18,000", "≥ 44,000", "≤ 100".
pub fn interval_text(low: f64, high: Option<f64>) -> String {
    let n = |v: f64| thousands(v.round() as i64);
    match high {
        None => format!("≥ {}", n(low)),
        Some(h) if low <= 0.0 => format!("≤ {}", n(h)),
        Some(h) => format!("{}–{}", n(low), n(h)),
    }
}

/// The siege-specific results of a run (written to summary.json and read
/// back by `corridor report`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SiegeReport {
    pub people: i64,
    pub people_per_agent: u32,
    pub camps: Vec<String>,
    pub days: Vec<FateDay>,
    #[serde(default)]
    pub comparisons: Vec<Comparison>,
    /// Day and description of each intervention applied.
    #[serde(default)]
    pub interventions: Vec<(i64, String)>,
    /// Day, description and reason of each intervention that could not take
    /// effect in this run (a hold already lifted, a day after the run's end).
    /// Absent from summary.json when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_interventions: Vec<(i64, String, String)>,
    /// Per camp: the date of the first arrival from the run (households that
    /// left a held place or were created during the run), `None` if nobody
    /// came. Empty in summaries written before it existed.
    #[serde(default)]
    pub first_arrivals: Vec<Option<String>>,
    /// The screening sites, in the order of `FateDay::separated_at`.
    #[serde(default)]
    pub screening_sites: Vec<String>,
    /// The scenario has returns home (`siege.returns` or `set_return`), so
    /// bands and comparisons list `returned`. Left out of summary.json when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub returns: bool,
}

impl SiegeReport {
    /// Mean absolute relative error over the observations of one kind.
    pub fn mean_abs_relative_error(&self, what: &str) -> Option<f64> {
        let v: Vec<f64> = self
            .comparisons
            .iter()
            .filter(|c| c.what == what)
            .map(|c| c.relative_error().abs())
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// The daily fates as CSV, in people.
    pub fn fates_csv(&self) -> String {
        let mut s = String::from("day,date,trapped,in_transit,detained,");
        for c in &self.camps {
            s.push_str(&format!("in camp {},", c.replace(',', " ")));
        }
        s.push_str("arrived,displaced,dead_shot,dead_drowned,dead_in_custody,families_in_camps,attempts,turned_back,relocated,");
        s.push_str(&self.screening_header());
        s.push_str("total,stayed,in_open");
        for c in &self.camps {
            s.push_str(&format!(",in open {}", c.replace(',', " ")));
        }
        s.push_str(
            ",waiting_to_cross,crossed,gave_up,dead_shot_waiting,dead_shot_crossing,with_hosts,returned",
        );
        if let Some(d) = self.days.first() {
            for (g, _) in &d.left {
                s.push_str(&format!(",left {}", g.replace(',', " ")));
            }
        }
        s.push('\n');
        for d in &self.days {
            s.push_str(&format!(
                "{},{},{},{},{},",
                d.day,
                d.date,
                d.trapped,
                d.in_transit,
                d.detained()
            ));
            for v in &d.in_camp {
                s.push_str(&format!("{v},"));
            }
            s.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},",
                d.arrived(),
                d.displaced(),
                d.dead_shot,
                d.dead_drowned,
                d.dead_in_custody,
                d.families_in_camps,
                d.attempts,
                d.turned_back,
                d.relocated,
            ));
            s.push_str(&self.screening_row(d));
            s.push_str(&format!("{},{},{}", d.total(), d.stayed, d.in_open));
            for i in 0..self.camps.len() {
                s.push_str(&format!(",{}", d.in_open_at(i)));
            }
            s.push_str(&format!(
                ",{},{},{},{},{},{},{}",
                d.waiting_to_cross,
                d.crossed,
                d.gave_up,
                d.dead_shot_waiting,
                d.dead_shot_crossing,
                d.with_hosts,
                d.returned
            ));
            for (_, v) in &d.left {
                s.push_str(&format!(",{v}"));
            }
            s.push('\n');
        }
        s
    }

    /// A readable summary for the terminal, in a planner's words: where the
    /// people are on the last day (people, not simulated households), then the
    /// observed figures next to the simulated ones.
    pub fn print_summary(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let Some(last) = self.days.last() else {
            return Ok(());
        };
        let n = |v: i64| thousands(v);
        let people = |v: i64| format!("{} {}", n(v), if v == 1 { "person" } else { "people" });
        writeln!(
            w,
            "\n{}; one simulated household stands for {}",
            people(self.people),
            people(self.people_per_agent as i64)
        )?;
        writeln!(
            w,
            "\nwhere people are on {:<24} {:>12}",
            last.date, "people"
        )?;
        writeln!(w, "  {:<42} {:>12}", "in camps (all)", n(last.arrived()))?;
        for (i, c) in self.camps.iter().enumerate() {
            let first = match self.first_arrivals.get(i) {
                Some(Some(date)) => format!("first arrivals {date}"),
                Some(None) => "nobody arrived".into(),
                // Older summaries: the first day with people there.
                None => self
                    .days
                    .iter()
                    .find(|d| d.in_camp[i] > 0)
                    .map(|d| format!("first arrivals {}", d.date))
                    .unwrap_or_else(|| "nobody arrived".into()),
            };
            let open = last.in_open_at(i);
            let shelter = if open > 0 {
                format!(
                    "{} sheltered, {} in the open · ",
                    n(last.in_camp[i] - open),
                    n(open)
                )
            } else {
                String::new()
            };
            let name = format!("in camp {c}");
            writeln!(
                w,
                "    {:<40} {:>12}   {shelter}{first}",
                name,
                n(last.in_camp[i])
            )?;
        }
        if last.in_open > 0 {
            writeln!(
                w,
                "    {:<40} {:>12}",
                "of whom in the open (no shelter)",
                n(last.in_open)
            )?;
        }
        for (label, v, always) in [
            ("with host families", last.with_hosts, false),
            ("returned home (retaken places)", last.returned, false),
            ("on the road or in towns", last.in_transit, true),
            ("waiting to cross a river", last.waiting_to_cross, true),
            ("waiting to be screened", last.screening_pending, true),
            ("held after screening", last.held, true),
            ("trapped: still inside a held place", last.trapped, true),
            ("stayed home: never left", last.stayed, false),
            ("killed: shot while fleeing", last.dead_shot, true),
            ("killed: drowned crossing a river", last.dead_drowned, true),
            ("killed: died in custody", last.dead_in_custody, true),
            ("total", last.total(), true),
        ] {
            if always || v > 0 {
                writeln!(w, "  {:<42} {:>12}", label, n(v))?;
            }
            if label == "killed: shot while fleeing"
                && last.dead_shot_waiting + last.dead_shot_crossing > 0
            {
                for (of, v) in [
                    (
                        "leaving a held place",
                        last.dead_shot - last.dead_shot_waiting - last.dead_shot_crossing,
                    ),
                    ("waiting on a river bank", last.dead_shot_waiting),
                    ("crossing a river", last.dead_shot_crossing),
                ] {
                    writeln!(w, "    {:<40} {:>12}", format!("of whom {of}"), n(v))?;
                }
            }
        }
        for (g, v) in &last.left {
            writeln!(
                w,
                "  {:<42} {:>12}",
                format!("left {g} (cumulative)"),
                n(*v)
            )?;
        }
        let families = |v: i64| format!("{} {}", n(v), if v == 1 { "family" } else { "families" });
        writeln!(
            w,
            "  reached a camp: {} · tried to leave a held place: {} · turned back: {}",
            families(last.families_in_camps),
            people(last.attempts),
            people(last.turned_back)
        )?;
        if last.crossed + last.gave_up > 0 {
            writeln!(
                w,
                "  people taken across a river {} · gave up waiting to cross {}",
                n(last.crossed),
                n(last.gave_up)
            )?;
        }
        if last.relocated > 0 {
            writeln!(
                w,
                "  moved between camps by organised transport: {}",
                people(last.relocated)
            )?;
        }
        self.print_screening(w, last)?;
        self.print_comparisons(w)?;
        Ok(())
    }
}

impl SiegeReport {
    /// How many comparisons lie within their source's interval, of how many.
    pub fn within_count(&self) -> (usize, usize) {
        let n = self.comparisons.iter().filter(|c| c.within).count();
        (n, self.comparisons.len())
    }

    /// The observations against the run: interval, simulated, ✓/✗, and the count within.
    pub fn print_comparisons(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        if self.comparisons.is_empty() {
            return Ok(());
        }
        let n = |v: f64| thousands(v.round() as i64);
        writeln!(w, "\nobserved vs simulated (people; interval = the source's range or bound, one number ± 25 %)")?;
        // The `what` column is as wide as its longest entry (camps counted
        // together, `a|b|c`, can be long).
        let width = self
            .comparisons
            .iter()
            .map(|c| c.what.chars().count())
            .max()
            .unwrap_or(0)
            .max(26);
        writeln!(
            w,
            "  {:<11} {:<width$} {:>10} {:>17} {:>10} {:>8}",
            "date", "what", "observed", "interval", "simulated", "error"
        )?;
        for c in &self.comparisons {
            writeln!(
                w,
                "  {:<11} {:<width$} {:>10} {:>17} {:>10} {:>+7.1}% {}",
                c.date,
                c.what,
                c.observed.map(n).unwrap_or_else(|| "–".into()),
                c.interval_text(),
                n(c.simulated),
                100.0 * c.relative_error,
                if c.within { "✓ within" } else { "✗ out" }
            )?;
        }
        let (k, m) = self.within_count();
        writeln!(w, "  {k} of {m} observations within their source's range")?;
        Ok(())
    }
}

/// An integer with thousands separators: 85374 → "85,374".
pub fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}
