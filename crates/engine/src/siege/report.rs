//! What a siege run reports: the daily fates, observed-vs-simulated
//! comparisons and the interventions applied (written to summary.json and
//! fates.csv, read back by `corridor report`), and their terminal summary.

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
}

impl FateDay {
    pub fn arrived(&self) -> i64 {
        self.in_camp.iter().sum()
    }
    pub fn dead(&self) -> i64 {
        self.dead_shot + self.dead_drowned + self.dead_in_custody
    }
    /// People alive who have left home: the quantity displacement trackers count.
    pub fn displaced(&self) -> i64 {
        self.in_transit + self.detained() + self.arrived()
    }
    pub fn total(&self) -> i64 {
        self.trapped + self.in_transit + self.detained() + self.arrived() + self.dead()
    }
    /// People in custody after screening: waiting to be processed or held.
    pub fn detained(&self) -> i64 {
        self.screening_pending + self.held
    }
}

/// One observed number next to the simulated one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Comparison {
    pub day: i64,
    pub date: String,
    pub what: String,
    pub observed: f64,
    pub simulated: f64,
    #[serde(default)]
    pub source: String,
}

impl Comparison {
    pub fn relative_error(&self) -> f64 {
        (self.simulated - self.observed) / self.observed.max(1.0)
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
    /// The screening sites, in the order of `FateDay::separated_at`.
    #[serde(default)]
    pub screening_sites: Vec<String>,
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
        s.push_str("total\n");
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
            s.push_str(&format!("{}\n", d.total()));
        }
        s
    }

    /// A readable summary for the terminal.
    pub fn print_summary(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let Some(last) = self.days.last() else {
            return Ok(());
        };
        let n = |v: i64| thousands(v);
        writeln!(
            w,
            "\npeople: {} ({} per agent)",
            n(self.people),
            self.people_per_agent
        )?;
        writeln!(w, "\nfate on {}              people", last.date)?;
        for (i, c) in self.camps.iter().enumerate() {
            let first = self
                .days
                .iter()
                .find(|d| d.in_camp[i] > 0)
                .map(|d| format!("first arrivals {}", d.date))
                .unwrap_or_else(|| "no arrivals".into());
            writeln!(w, "  in camp {:<24} {:>9}   {first}", c, n(last.in_camp[i]))?;
        }
        writeln!(w, "  {:<32} {:>9}", "trapped", n(last.trapped))?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "in transit (roads, towns)",
            n(last.in_transit)
        )?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "waiting to be screened",
            n(last.screening_pending)
        )?;
        writeln!(w, "  {:<32} {:>9}", "held after screening", n(last.held))?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "dead: shot while leaving",
            n(last.dead_shot)
        )?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "dead: drowned crossing",
            n(last.dead_drowned)
        )?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "dead: in custody",
            n(last.dead_in_custody)
        )?;
        writeln!(w, "  {:<32} {:>9}", "total", n(last.total()))?;
        writeln!(
            w,
            "  families in camps {} · attempts to leave {} · turned back {}",
            n(last.families_in_camps),
            n(last.attempts),
            n(last.turned_back)
        )?;
        if last.relocated > 0 {
            writeln!(
                w,
                "  moved between camps by organised relocation {}",
                n(last.relocated)
            )?;
        }
        self.print_screening(w, last)?;
        if !self.comparisons.is_empty() {
            writeln!(w, "\nobserved vs simulated")?;
            writeln!(
                w,
                "  {:<11} {:<12} {:>10} {:>10} {:>8}",
                "date", "what", "observed", "simulated", "error"
            )?;
            for c in &self.comparisons {
                writeln!(
                    w,
                    "  {:<11} {:<12} {:>10} {:>10} {:>+7.1}%",
                    c.date,
                    c.what,
                    n(c.observed.round() as i64),
                    n(c.simulated.round() as i64),
                    100.0 * c.relative_error()
                )?;
            }
            for what in ["displaced", "in_camps"] {
                if let Some(e) = self.mean_abs_relative_error(what) {
                    writeln!(w, "  mean |relative error|, {what}: {:.1}%", 100.0 * e)?;
                }
            }
        }
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
