//! What a siege run can be scored against: the kinds of observed quantity
//! ([`Observable`]) and how an observation with its source's uncertainty (a
//! value, a range or a bound) scores a simulated number ([`Score`]).

use crate::siege::Observation;

/// A quantity an observation counts (the `what` column of the observations file).
///
/// To add one: a variant here, an arm in [`Observable::parse`] (and its name in
/// [`Observable::ACCEPTED`]), and an arm in the engine's `FateDay::observe`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observable {
    /// `displaced`: people alive who have left home and not returned (currently displaced).
    Displaced,
    /// `in_camps`: people in all camps that day.
    InCamps,
    /// `<camp>`: people in that camp that day; `<camp>|<camp>|…` sums camps
    /// that a source counts together (a sub-district, a camp with its
    /// informal sites).
    Camp(Vec<String>),
    /// `arrivals:<camp>` (or `arrivals:<camp>|<camp>|…`): cumulative people who
    /// arrived in that camp (summed over the camps).
    Arrivals(Vec<String>),
    /// `arrivals:camps`: cumulative people who reached any camp (each once).
    ArrivalsCamps,
    /// `dead`: all deaths (cumulative).
    Dead,
    /// `shot`: shot while leaving (cumulative).
    Shot,
    /// `drowned`: drowned crossing (cumulative).
    Drowned,
    /// `died_in_custody`: died while held at screening (cumulative).
    DiedInCustody,
    /// `detained`: people held at screening that day (waiting or after screening).
    Detained,
    /// `screening_pending`: men and boys separated, waiting to be screened that day.
    ScreeningPending,
    /// `separated`: men and boys taken aside at screening (cumulative).
    Separated,
    /// `screened`: screened, i.e. processed (cumulative).
    Screened,
    /// `released`: released after screening (cumulative).
    Released,
    /// `never_released`: kept for the rest of the run after screening (cumulative).
    NeverReleased,
    /// `bused`: carried to camps by organised transport (cumulative).
    Bused,
    /// `separated:<site>`: taken aside at that screening site (cumulative).
    SeparatedAt(String),
    /// `never_released:<site>`: never released from that screening site (cumulative).
    NeverReleasedAt(String),
    /// `waiting_to_cross`: people queued on the near bank of a river crossing that day.
    WaitingToCross,
    /// `crossed`: people taken across a river (cumulative).
    Crossed,
    /// `gave_up`: people who gave up waiting at a river crossing (cumulative).
    GaveUp,
    /// `with_hosts`: people living with host families that day (`siege.camps[].hosts`).
    WithHosts,
    /// `returned`: people who have gone home to a retaken place (`siege.returns`).
    Returned,
    /// `displaced_cumulative`: people alive who have ever been displaced
    /// (`displaced` plus `returned`).
    DisplacedCumulative,
    /// `left:<group>`: cumulative people who have left the places of that
    /// group of `siege.departures` (the reader checks the group exists).
    Left(String),
}

impl Observable {
    /// The accepted `what` values, for error hints.
    pub const ACCEPTED: &'static str = "displaced, in_camps, <camp name>, arrivals:<camp name> \
         (camps counted together as <camp>|<camp>), \
         arrivals:camps, dead, shot, drowned, died_in_custody, detained, screening_pending, \
         separated, screened, released, never_released, bused, separated:<screening site>, \
         never_released:<screening site>, waiting_to_cross, crossed, gave_up, with_hosts, returned, \
         displaced_cumulative, left:<group of siege.departures>";

    /// Parses `what`; `camps` are the scenario's camp names and `sites` its
    /// screening sites. The error says why.
    pub fn parse(what: &str, camps: &[&str], sites: &[&str]) -> Result<Observable, String> {
        let site = |c: &str| -> Result<String, String> {
            if sites.contains(&c) {
                Ok(c.to_string())
            } else {
                Err(format!(
                    "'{c}' is not a screening site of this scenario (sites: {})",
                    sites.join(", ")
                ))
            }
        };
        let camp = |list: &str| -> Result<Vec<String>, String> {
            list.split('|')
                .map(|c| {
                    if camps.contains(&c) {
                        Ok(c.to_string())
                    } else {
                        Err(format!(
                            "'{c}' is not a camp of this scenario (camps: {})",
                            camps.join(", ")
                        ))
                    }
                })
                .collect()
        };
        Ok(match what {
            "displaced" => Observable::Displaced,
            "in_camps" => Observable::InCamps,
            "arrivals:camps" => Observable::ArrivalsCamps,
            "dead" => Observable::Dead,
            "shot" => Observable::Shot,
            "drowned" => Observable::Drowned,
            "died_in_custody" => Observable::DiedInCustody,
            "detained" => Observable::Detained,
            "screening_pending" => Observable::ScreeningPending,
            "separated" => Observable::Separated,
            "screened" => Observable::Screened,
            "released" => Observable::Released,
            "never_released" => Observable::NeverReleased,
            "bused" => Observable::Bused,
            "waiting_to_cross" => Observable::WaitingToCross,
            "crossed" => Observable::Crossed,
            "gave_up" => Observable::GaveUp,
            "with_hosts" => Observable::WithHosts,
            "returned" => Observable::Returned,
            "displaced_cumulative" => Observable::DisplacedCumulative,
            w => {
                if let Some(g) = w.strip_prefix("left:") {
                    Observable::Left(g.to_string())
                } else if let Some(c) = w.strip_prefix("arrivals:") {
                    Observable::Arrivals(camp(c)?)
                } else if let Some(s) = w.strip_prefix("separated:") {
                    Observable::SeparatedAt(site(s)?)
                } else if let Some(s) = w.strip_prefix("never_released:") {
                    Observable::NeverReleasedAt(site(s)?)
                } else if w.split('|').all(|c| camps.contains(&c)) {
                    Observable::Camp(camp(w)?)
                } else if w.contains('|') {
                    return Err(camp(w).err().unwrap_or_default());
                } else {
                    return Err(format!("unknown quantity '{w}'"));
                }
            }
        })
    }
}

/// Relative width of the interval given to a single number (±25 %).
pub const SINGLE_VALUE_TOLERANCE: f64 = 0.25;

/// An observation's effective interval and a simulated value's score against it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Lower end of the interval (0 when the source gives only an upper bound).
    pub low: f64,
    /// Upper end; `None` for a lower bound.
    pub high: Option<f64>,
    /// Whether the simulated value lies in `[low, high]`.
    pub within: bool,
    /// To `observed` when the source gives a central figure, else to the nearest
    /// bound (0 inside): `(simulated − reference) / max(reference, 1)`.
    pub relative_error: f64,
}

impl Observation {
    /// The effective interval: the source's range or bound, or `observed ± 25 %`.
    pub fn interval(&self) -> (f64, Option<f64>) {
        match (self.low, self.high, self.observed) {
            (None, None, Some(v)) => (
                v * (1.0 - SINGLE_VALUE_TOLERANCE),
                Some(v * (1.0 + SINGLE_VALUE_TOLERANCE)),
            ),
            (low, high, _) => (low.unwrap_or(0.0), high),
        }
    }

    /// Scores `simulated` against this observation.
    pub fn score(&self, simulated: f64) -> Score {
        let (low, high) = self.interval();
        let within = simulated >= low && high.is_none_or(|h| simulated <= h);
        let rel = |r: f64| (simulated - r) / r.max(1.0);
        let relative_error = match self.observed {
            Some(o) => rel(o),
            None if within => 0.0,
            None if simulated < low => rel(low),
            None => rel(high.unwrap_or(low)),
        };
        Score {
            low,
            high,
            within,
            relative_error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(observed: Option<f64>, low: Option<f64>, high: Option<f64>) -> Observation {
        Observation {
            day: 1,
            what: "displaced".into(),
            observed,
            low,
            high,
            source: String::new(),
        }
    }

    #[test]
    fn one_number_is_scored_within_a_quarter() {
        let o = obs(Some(1000.0), None, None);
        assert_eq!(o.interval(), (750.0, Some(1250.0)));
        assert!(o.score(1200.0).within);
        assert!(!o.score(1300.0).within);
        assert!(!o.score(700.0).within);
        assert!((o.score(1300.0).relative_error - 0.3).abs() < 1e-12);
    }

    #[test]
    fn a_range_scores_zero_inside_and_to_the_nearest_end_outside() {
        let o = obs(None, Some(5000.0), Some(18000.0));
        let s = o.score(11000.0);
        assert!(s.within && s.relative_error == 0.0);
        let s = o.score(4000.0);
        assert!(!s.within && (s.relative_error + 0.2).abs() < 1e-12);
        let s = o.score(27000.0);
        assert!(!s.within && (s.relative_error - 0.5).abs() < 1e-12);
        // With a central figure the error is to it, the interval stays the range.
        let s = obs(Some(10000.0), Some(5000.0), Some(18000.0)).score(12000.0);
        assert!(s.within && (s.relative_error - 0.2).abs() < 1e-12);
    }

    #[test]
    fn bounds_are_open_on_one_side() {
        let lower = obs(None, Some(44000.0), None);
        assert!(lower.score(1e9).within);
        let s = lower.score(22000.0);
        assert!(!s.within && (s.relative_error + 0.5).abs() < 1e-12);
        assert_eq!(lower.score(1.0).high, None);
        let upper = obs(None, None, Some(100.0));
        assert!(upper.score(0.0).within);
        let s = upper.score(150.0);
        assert!(!s.within && (s.relative_error - 0.5).abs() < 1e-12);
    }

    #[test]
    fn what_parses_each_kind_and_rejects_unknown_ones() {
        let camps = ["AAF", "Kilo_18"];
        assert_eq!(
            Observable::parse("AAF", &camps, &[]),
            Ok(Observable::Camp(vec!["AAF".into()]))
        );
        assert_eq!(
            Observable::parse("arrivals:Kilo_18", &camps, &[]),
            Ok(Observable::Arrivals(vec!["Kilo_18".into()]))
        );
        assert_eq!(
            Observable::parse("arrivals:AAF|Kilo_18", &camps, &[]),
            Ok(Observable::Arrivals(vec!["AAF".into(), "Kilo_18".into()]))
        );
        assert_eq!(
            Observable::parse("AAF|Kilo_18", &camps, &[]),
            Ok(Observable::Camp(vec!["AAF".into(), "Kilo_18".into()]))
        );
        assert!(Observable::parse("AAF|Nowhere", &camps, &[]).is_err());
        assert!(Observable::parse("arrivals:AAF|Nowhere", &camps, &[]).is_err());
        assert_eq!(
            Observable::parse("arrivals:camps", &camps, &[]),
            Ok(Observable::ArrivalsCamps)
        );
        for w in [
            "displaced",
            "in_camps",
            "dead",
            "shot",
            "drowned",
            "died_in_custody",
            "detained",
        ] {
            assert!(Observable::parse(w, &camps, &[]).is_ok(), "{w}");
        }
        assert!(Observable::parse("arrivals:Nowhere", &camps, &[]).is_err());
        assert!(Observable::parse("screenedd", &camps, &[]).is_err());
        assert_eq!(
            Observable::parse("separated:Gate", &camps, &["Gate"]),
            Ok(Observable::SeparatedAt("Gate".into()))
        );
        assert!(Observable::parse("separated:Nowhere", &camps, &["Gate"]).is_err());
    }
}
