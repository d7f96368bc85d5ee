//! Tests of the `out.csv` reader.

use super::*;

const HEADER: &str = "Day,Date,A sim,A data,A error,B b sim,B b data,B b error,Total error,\
refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,\
refugees in camps (simulation),refugee_debt";

fn parse(text: &str) -> Result<FleeOutput> {
    FleeOutput::from_reader_named(text.as_bytes(), "t.csv")
}

#[test]
fn parses_ints_and_floats() {
    let text = format!(
        "{HEADER}\n0,2012-03-01,10,10,0.0,0,5,0.0,0.0,15,15,20,10,0\n\
         1,2012-03-02,11.0,12,0.0833,2,5,0.6,0.25,17,18,21,13,1e0\n"
    );
    let o = parse(&text).unwrap();
    assert_eq!(o.source(), "t.csv");
    assert_eq!(o.num_days(), 2);
    assert_eq!(o.days(), &[0, 1]);
    assert_eq!(o.dates(), &["2012-03-01", "2012-03-02"]);
    assert_eq!(o.camp_names(), vec!["A", "B b"]);
    let b = o.camp("B b").unwrap();
    assert_eq!(b.sim, vec![0.0, 2.0]);
    assert_eq!(b.data, vec![5.0, 5.0]);
    assert_eq!(b.error, vec![0.0, 0.6]);
    assert_eq!(o.camps()[0].sim, vec![10.0, 11.0]);
    let t = o.totals();
    assert_eq!(t.total_error, vec![0.0, 0.25]);
    assert_eq!(t.refugees_in_camps_unhcr, vec![15.0, 17.0]);
    assert_eq!(t.total_refugees_sim, vec![15.0, 18.0]);
    assert_eq!(t.raw_unhcr_count, vec![20.0, 21.0]);
    assert_eq!(t.refugees_in_camps_sim, vec![10.0, 13.0]);
    assert_eq!(t.refugee_debt, vec![0.0, 1.0]);
    assert_eq!(t.total_idps, None);
}

#[test]
fn optional_idps_and_extra_columns() {
    let text = "Day,Date,A sim,A data,A error,Total error,refugees in camps (UNHCR),\
total refugees (simulation),raw UNHCR refugee count,refugees in camps (simulation),\
refugee_debt,extra,total IDPs\n0,d,1,1,0.0,0.0,1,1,1,1,0,whatever,7\n";
    let o = parse(text).unwrap();
    assert_eq!(o.totals().total_idps, Some(vec![7.0]));
}

#[test]
fn bad_number_names_file_line_and_column() {
    let text = format!(
        "{HEADER}\n0,d,1,1,0.0,0,0,0.0,0.0,1,1,1,1,0\n1,d,1,x1,0.0,0,0,0.0,0.0,1,1,1,1,0\n"
    );
    let err = parse(&text).unwrap_err();
    match &err {
        AnalysisError::BadNumber {
            file,
            line,
            column,
            name,
            value,
        } => {
            assert_eq!(
                (file.as_str(), *line, *column, name.as_str(), value.as_str()),
                ("t.csv", 3, 4, "A data", "x1")
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("t.csv") && msg.contains("line 3") && msg.contains("A data"));
}

#[test]
fn empty_field_is_an_error() {
    let text = format!("{HEADER}\n0,d,1,,0.0,0,0,0.0,0.0,1,1,1,1,0\n");
    assert!(matches!(
        parse(&text),
        Err(AnalysisError::BadNumber { column: 4, .. })
    ));
}

#[test]
fn non_integer_day_is_an_error() {
    let text = format!("{HEADER}\n0.5,d,1,1,0.0,0,0,0.0,0.0,1,1,1,1,0\n");
    assert!(matches!(
        parse(&text),
        Err(AnalysisError::BadNumber { column: 1, .. })
    ));
    let text = format!("{HEADER}\n3.0,d,1,1,0.0,0,0,0.0,0.0,1,1,1,1,0\n");
    assert_eq!(parse(&text).unwrap().days(), &[3]);
}

#[test]
fn ragged_row_is_an_error() {
    let text = format!("{HEADER}\n0,d,1,1,0.0,0,0,0.0,0.0,1,1,1,1\n");
    match parse(&text) {
        Err(AnalysisError::RowLength {
            line,
            expected,
            found,
            ..
        }) => assert_eq!((line, expected, found), (2, 14, 13)),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn header_problems() {
    assert!(matches!(parse(""), Err(AnalysisError::NoHeader { .. })));
    assert!(matches!(parse(HEADER), Err(AnalysisError::NoRows { .. })));
    let no_data = HEADER.replace("A data,", "");
    match parse(&no_data) {
        Err(AnalysisError::MissingColumn { column, line, .. }) => {
            assert_eq!((column.as_str(), line), ("A data", 1))
        }
        other => panic!("unexpected {other:?}"),
    }
    let no_debt = HEADER.replace(",refugee_debt", "");
    assert!(matches!(
        parse(&no_debt),
        Err(AnalysisError::MissingColumn { column, .. }) if column == "refugee_debt"
    ));
    let no_camps = "Day,Date,Total error,refugees in camps (UNHCR),total refugees (simulation),\
raw UNHCR refugee count,refugees in camps (simulation),refugee_debt\n0,d,0,0,0,0,0,0\n";
    assert!(matches!(
        parse(no_camps),
        Err(AnalysisError::NoCamps { .. })
    ));
    let dup = format!("{HEADER},A sim");
    match parse(&dup) {
        Err(AnalysisError::DuplicateColumn {
            column,
            first,
            second,
            ..
        }) => assert_eq!((column.as_str(), first, second), ("A sim", 3, 15)),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn bom_latin1_and_blank_lines() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        b"Day,Date,Ma\xefga sim,Ma\xefga data,Ma\xefga error,Total error,\
refugees in camps (UNHCR),total refugees (simulation),raw UNHCR refugee count,\
refugees in camps (simulation),refugee_debt\n\n0,d,1,1,0.0,0.0,1,1,1,1,0\n\n",
    );
    let o = FleeOutput::from_reader(&bytes[..]).unwrap();
    assert_eq!(o.camp_names(), vec!["Ma\u{ef}ga"]);
    assert_eq!(o.num_days(), 1);
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let err = FleeOutput::read("/nonexistent/dir/out.csv").unwrap_err();
    assert!(matches!(err, AnalysisError::Open { .. }));
    assert!(err.to_string().contains("/nonexistent/dir/out.csv"));
}

#[test]
fn new_checks_lengths() {
    let o = parse(&format!("{HEADER}\n0,d,1,1,0.0,0,0,0.0,0.0,1,1,1,1,0\n")).unwrap();
    let (src, days, dates, mut camps, totals) = o.clone().into_parts();
    assert_eq!(
        FleeOutput::new(
            src.clone(),
            days.clone(),
            dates.clone(),
            camps.clone(),
            totals.clone()
        )
        .unwrap(),
        o
    );
    camps[1].data.push(3.0);
    match FleeOutput::new(src, days, dates, camps, totals) {
        Err(AnalysisError::LengthMismatch {
            what,
            expected,
            found,
            ..
        }) => assert_eq!((what.as_str(), expected, found), ("B b data", 1, 2)),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_camp_repeated_as_a_whole_triple_is_read_twice() {
    // Flee's output when locations.csv repeats a name (FabFlee Ethiopia_dflee's
    // Mustahil): the three columns again, reading the same location.
    let header = HEADER.replace(",Total error", ",A sim,A data,A error,Total error");
    let text = format!("{header}\n0,d,10,1,9.0,0,5,0.0,10,1,9.0,0.0,15,15,20,20,0\n");
    let o = parse(&text).unwrap();
    assert_eq!(o.camp_names(), vec!["A", "B b", "A"]);
    assert_eq!(o.camps()[2].sim, vec![10.0]);
    assert_eq!(o.camps()[2].data, vec![1.0]);
    // A repeated column outside a whole triple stays an error.
    let half = HEADER.replace(",Total error", ",A sim,A data,Total error");
    assert!(matches!(
        parse(&format!("{half}\n")),
        Err(AnalysisError::DuplicateColumn { .. })
    ));
}
