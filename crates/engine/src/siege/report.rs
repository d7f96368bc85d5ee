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
    pub detained: i64,
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
        self.in_transit + self.detained + self.arrived()
    }
    pub fn total(&self) -> i64 {
        self.trapped
            + self.in_transit
            + self.detained
            + self.arrived()
            + self.dead()
            + self.waiting_to_cross
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
        s.push_str("arrived,displaced,dead_shot,dead_drowned,dead_in_custody,families_in_camps,attempts,turned_back,relocated,total,");
        s.push_str("waiting_to_cross,crossed,gave_up,dead_shot_waiting,dead_shot_crossing\n");
        for d in &self.days {
            s.push_str(&format!(
                "{},{},{},{},{},",
                d.day, d.date, d.trapped, d.in_transit, d.detained
            ));
            for v in &d.in_camp {
                s.push_str(&format!("{v},"));
            }
            s.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},",
                d.arrived(),
                d.displaced(),
                d.dead_shot,
                d.dead_drowned,
                d.dead_in_custody,
                d.families_in_camps,
                d.attempts,
                d.turned_back,
                d.relocated,
                d.total()
            ));
            s.push_str(&format!(
                "{},{},{},{},{}\n",
                d.waiting_to_cross, d.crossed, d.gave_up, d.dead_shot_waiting, d.dead_shot_crossing
            ));
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
            "waiting to cross a river",
            n(last.waiting_to_cross)
        )?;
        writeln!(
            w,
            "  {:<32} {:>9}",
            "detained at screening",
            n(last.detained)
        )?;
        writeln!(w, "  {:<32} {:>9}", "dead: shot", n(last.dead_shot))?;
        if last.dead_shot_waiting + last.dead_shot_crossing > 0 {
            writeln!(
                w,
                "    {:<30} {:>9}",
                "of whom leaving a held place",
                n(last.dead_shot - last.dead_shot_waiting - last.dead_shot_crossing)
            )?;
            writeln!(
                w,
                "    {:<30} {:>9}",
                "waiting on a river bank",
                n(last.dead_shot_waiting)
            )?;
            writeln!(
                w,
                "    {:<30} {:>9}",
                "crossing a river",
                n(last.dead_shot_crossing)
            )?;
        }
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
                "  moved between camps by organised relocation {}",
                n(last.relocated)
            )?;
        }
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
