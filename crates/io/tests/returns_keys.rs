//! The keys of "Returns home" (docs/scenario-format.md): `siege.returns` and
//! `set_return`, read from a small scenario, and their errors.

use corridor_io::read_native_scenario;
use corridor_model::siege::{Action, Return, ReturnFrom};
use std::path::{Path, PathBuf};

/// A town held at day 0, a camp and host families; `returns` and
/// `interventions` are YAML lines under `siege:`.
fn write(dir: &Path, returns: &str, interventions: &str) -> PathBuf {
    std::fs::write(
        dir.join("locations.csv"),
        "#name,region,country,lat,lon,location_type,conflict_date,population_or_capacity\n\
         Town,R,C,0,0,conflict_zone,0,100\nCamp,R,C,0,0.1,camp,,100\nHosts,R,C,0.1,0,camp,,100\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("routes.csv"),
        "#name1,name2,distance,forced_redirection\nTown,Camp,10,0\nTown,Hosts,10,0\n",
    )
    .unwrap();
    let file = dir.join("scenario.yml");
    std::fs::write(
        &file,
        format!(
            "start_date: 2020-01-01\ndays: 5\nlocations: locations.csv\nroutes: routes.csv\n\
             siege:\n  people_per_agent: 6\n  population: [{{location: Town, people: 60}}]\n  \
             camps: [{{location: Hosts, hosts: true}}]\n  returns:\n{returns}  interventions:\n{interventions}"
        ),
    )
    .unwrap();
    file
}

#[test]
fn returns_and_set_return_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "    - {to: Town, opens_day: 3, daily_rate: 0.02, from: [camps, hosts], min_days_away: 14}\n",
        "    - {day: 4, action: set_return, location: Town, daily_rate: 0.05, min_days_away: 7}\n",
    );
    let (sc, _) = read_native_scenario(&file, None).unwrap();
    let siege = sc.siege.unwrap();
    assert_eq!(
        siege.returns,
        vec![Return {
            to: 0,
            opens_day: 3,
            daily_rate: 0.02,
            from: vec![ReturnFrom::Camps, ReturnFrom::Hosts],
            min_days_away: 14,
        }]
    );
    assert_eq!(
        siege.interventions[0].action,
        Action::SetReturn {
            to: 0,
            daily_rate: 0.05,
            min_days_away: Some(7),
            from: None,
        }
    );
    // Defaults: from anywhere, open from day 0, no minimum; `from` as one word.
    let file = write(
        dir.path(),
        "    - {to: Town, daily_rate: 0.1}\n    - {to: Camp, daily_rate: 0.1, from: hosts}\n",
        "    []\n",
    );
    let r = read_native_scenario(&file, None)
        .unwrap()
        .0
        .siege
        .unwrap()
        .returns;
    assert_eq!((r[0].opens_day, r[0].min_days_away), (0, 0));
    assert_eq!(r[0].from, vec![ReturnFrom::Any]);
    assert_eq!(r[1].from, vec![ReturnFrom::Hosts]);
}

#[test]
fn bad_returns_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "    - {to: Town, daily_rate: 0.1, from: [tents]}\n",
            "    []\n",
            "tents",
            "camps",
        ),
        ("    - {to: Town, daily_rate: 1.5}\n", "    []\n", "1.5", ""),
        (
            "    - {to: Twon, daily_rate: 0.1}\n",
            "    []\n",
            "Twon",
            "Town",
        ),
        (
            "    - {to: Town, daily_rate: 0.1, opens_day: -2}\n",
            "    []\n",
            "-2",
            "day",
        ),
        (
            "    - {to: Town, daily_rate: 0.1}\n    - {to: Town, daily_rate: 0.2}\n",
            "    []\n",
            "two returns",
            "set_return",
        ),
        (
            "    []\n",
            "    - {day: 1, action: set_return, location: Town}\n",
            "daily_rate",
            "0 stops",
        ),
        (
            "    []\n",
            "    - {day: 1, action: set_return, daily_rate: 0.1}\n",
            "location",
            "return to",
        ),
    ];
    for (returns, ivs, needle, hint) in cases {
        let file = write(dir.path(), returns, ivs);
        let err = read_native_scenario(&file, None).unwrap_err();
        let text = format!("{err} {}", err.hint());
        assert!(text.contains(needle), "{returns}{ivs}: {text}");
        assert!(text.contains(hint), "{returns}{ivs}: {text}");
        assert!(text.contains("scenario.yml"), "{text}");
    }
}

#[test]
fn departure_groups_are_read_and_observations_must_name_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "    []\n", "    []\n");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "  returns:\n",
        "  departures:\n    - {name: West, from: [Town, Camp]}\n  returns:\n",
    );
    std::fs::write(&file, format!("{text}observations: observed.csv\n")).unwrap();
    let obs = dir.path().join("observed.csv");
    std::fs::write(
        &obs,
        "day,what,observed,low,high,source\n3,left:West,40,,,test\n",
    )
    .unwrap();
    let (sc, _) = read_native_scenario(&file, None).unwrap();
    let siege = sc.siege.unwrap();
    assert_eq!(siege.departures.len(), 1);
    assert_eq!(
        (
            siege.departures[0].name.as_str(),
            siege.departures[0].from.clone()
        ),
        ("West", vec![0, 1])
    );
    assert_eq!(siege.observations[0].what, "left:West");
    // An observation of a group that does not exist: an error naming the file and the groups.
    std::fs::write(
        &obs,
        "day,what,observed,low,high,source\n3,left:East,40,,,test\n",
    )
    .unwrap();
    let err = read_native_scenario(&file, None).unwrap_err();
    let text = format!("{err} {}", err.hint());
    assert!(
        text.contains("observed.csv")
            && text.contains("'East' is not a group")
            && text.contains("West"),
        "{text}"
    );
    // Bad groups.
    for (group, needle) in [
        ("    - {name: 'a|b', from: Town}\n", "cannot name a group"),
        (
            "    - {name: W, from: Town}\n    - {name: W, from: Camp}\n",
            "two groups of departures called 'W'",
        ),
        ("    - {name: W, from: [Twon]}\n", "Twon"),
        ("    - {name: W, from: []}\n", "has no places"),
    ] {
        let text = std::fs::read_to_string(&file).unwrap();
        let start = text.find("  departures:\n").unwrap();
        let end = text.find("  returns:\n").unwrap();
        let edited = format!("{}  departures:\n{group}{}", &text[..start], &text[end..]);
        std::fs::write(&file, edited).unwrap();
        std::fs::write(&obs, "day,what,observed,low,high,source\n").unwrap();
        let err = read_native_scenario(&file, None).unwrap_err();
        let msg = format!("{err} {}", err.hint());
        assert!(msg.contains(needle), "{group}: {msg}");
    }
}
