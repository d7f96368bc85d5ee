//! The screening and transport parts of the report: fates.csv columns, the
//! terminal lines, and the values that observations name.

use super::report::{thousands, FateDay, SiegeReport};

impl SiegeReport {
    /// The value of a screening or transport quantity on day `d`, in people,
    /// for observations: `screening_pending`, `held`, `separated`,
    /// `screened`, `released`, `never_released`, `died_in_custody`, `bused`,
    /// and per site `separated:<site>`, `never_released:<site>`. `None` for
    /// any other name.
    pub fn screening_value(&self, d: &FateDay, what: &str) -> Option<i64> {
        let at = |v: &[i64], site: &str| {
            let i = self.screening_sites.iter().position(|s| s == site)?;
            v.get(i).copied()
        };
        Some(match what {
            "screening_pending" => d.screening_pending,
            "held" => d.held,
            "separated" => d.separated,
            "screened" => d.screened,
            "released" => d.released,
            "never_released" => d.never_released,
            "died_in_custody" => d.dead_in_custody,
            "bused" => d.bused,
            _ => {
                if let Some(site) = what.strip_prefix("separated:") {
                    return at(&d.separated_at, site);
                }
                return at(&d.never_released_at, what.strip_prefix("never_released:")?);
            }
        })
    }

    /// The screening and transport columns of fates.csv, each followed by a comma.
    pub(super) fn screening_header(&self) -> String {
        let mut s = String::from(
            "screening_pending,held,separated,screened,released,never_released,bused,",
        );
        for site in &self.screening_sites {
            s.push_str(&format!("separated:{},", site.replace(',', " ")));
        }
        for site in &self.screening_sites {
            s.push_str(&format!("never_released:{},", site.replace(',', " ")));
        }
        s
    }

    /// Day `d`'s values for [`SiegeReport::screening_header`].
    pub(super) fn screening_row(&self, d: &FateDay) -> String {
        let mut s = format!(
            "{},{},{},{},{},{},{},",
            d.screening_pending,
            d.held,
            d.separated,
            d.screened,
            d.released,
            d.never_released,
            d.bused
        );
        for i in 0..self.screening_sites.len() {
            s.push_str(&format!("{},", d.separated_at.get(i).unwrap_or(&0)));
        }
        for i in 0..self.screening_sites.len() {
            s.push_str(&format!("{},", d.never_released_at.get(i).unwrap_or(&0)));
        }
        s
    }

    /// Terminal lines: screening totals per site, and organised transport.
    pub(super) fn print_screening(
        &self,
        w: &mut impl std::io::Write,
        last: &FateDay,
    ) -> std::io::Result<()> {
        let n = |v: i64| thousands(v);
        if last.separated > 0 {
            writeln!(
                w,
                "  screening (people): men and boys taken aside {} · screened {} · released {} · never released {}",
                n(last.separated),
                n(last.screened),
                n(last.released),
                n(last.never_released)
            )?;
            for (i, site) in self.screening_sites.iter().enumerate() {
                let sep = last.separated_at.get(i).copied().unwrap_or(0);
                if sep > 0 {
                    writeln!(
                        w,
                        "    at {:<24} taken aside {:>7} · never released {:>7}",
                        site,
                        n(sep),
                        n(last.never_released_at.get(i).copied().unwrap_or(0))
                    )?;
                }
            }
        }
        if last.bused > 0 {
            writeln!(
                w,
                "  carried to camps by organised transport (people) {}",
                n(last.bused)
            )?;
        }
        Ok(())
    }
}
