//! `transport[].leg` (docs/scenario-format.md, "Organised transport"): a bus
//! line may end at a place that is not a camp only as a leg.

use corridor_io::read_native_scenario;
use std::path::{Path, PathBuf};

/// A held town, a muster point, a screening site (towns) and a camp;
/// `transport` and `interventions` are YAML lines under `siege:`.
fn write(dir: &Path, transport: &str, interventions: &str) -> PathBuf {
    std::fs::write(
        dir.join("locations.csv"),
        "#name,region,country,lat,lon,location_type,conflict_date,population_or_capacity\n\
         Town,R,C,0,0,conflict_zone,0,100\nMuster,R,C,0,0.05,town,,0\nSite,R,C,0,0.2,town,,0\n\
         Camp,R,C,0,0.3,camp,,100\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("routes.csv"),
        "#name1,name2,distance,forced_redirection\nTown,Muster,4,0\nMuster,Site,30,0\nSite,Camp,10,0\n",
    )
    .unwrap();
    let file = dir.join("scenario.yml");
    std::fs::write(
        &file,
        format!(
            "start_date: 2020-01-01\ndays: 5\nlocations: locations.csv\nroutes: routes.csv\n\
             siege:\n  people_per_agent: 6\n  population: [{{location: Town, people: 60}}]\n  \
             transport:\n{transport}  interventions:\n{interventions}"
        ),
    )
    .unwrap();
    file
}

#[test]
fn a_leg_may_end_at_any_place_and_a_plain_line_only_at_camps() {
    let dir = tempfile::tempdir().unwrap();
    let leg = "    - {from: Muster, to: [Site], people_per_day: 600, leg: true}\n";
    let change = "    - {day: 2, action: set_transport, from: Muster, to: [Site, Camp]}\n";
    let (sc, _) = read_native_scenario(&write(dir.path(), leg, change), None).unwrap();
    let t = &sc.siege.unwrap().transport[0];
    assert!(t.leg);
    assert_eq!((t.from, t.to.clone(), t.people_per_day), (1, vec![2], 600));
    // The same line without `leg`: refused, in the file's terms, with the way out.
    let plain = "    - {from: Muster, to: [Site], people_per_day: 600}\n";
    let err = read_native_scenario(&write(dir.path(), plain, "    []\n"), None).unwrap_err();
    let text = format!("{err} {}", err.hint());
    assert!(text.contains("'Site' is a town, not a camp"), "{text}");
    assert!(
        text.contains("leg: true") && text.contains("scenario.yml"),
        "{text}"
    );
    // A set_transport to a town for a line that is not a leg: refused too.
    let camp_line = "    - {from: Muster, to: [Camp], people_per_day: 600}\n";
    let err = read_native_scenario(&write(dir.path(), camp_line, change), None).unwrap_err();
    let text = format!("{err} {}", err.hint());
    assert!(text.contains("'Site' is a town, not a camp"), "{text}");
}
