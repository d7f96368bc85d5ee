//! A summary.json written before screening was split into waiting and held
//! still reads: its `detained` becomes `held`, so `detained()` is unchanged.

use corridor_engine::siege::FateDay;

#[test]
fn an_older_fate_day_reads_detained_as_held() {
    let old = r#"{"day": 3, "date": "2016-05-25", "trapped": 10, "in_transit": 5,
        "detained": 7, "in_camp": [4], "dead_shot": 1, "dead_drowned": 0, "dead_in_custody": 0}"#;
    let d: FateDay = serde_json::from_str(old).unwrap();
    assert_eq!((d.held, d.screening_pending, d.detained()), (7, 0, 7));
    assert_eq!(d.total(), 27);
    // Written again, it names the parts.
    let text = serde_json::to_string(&d).unwrap();
    assert!(text.contains("\"held\":7") && text.contains("\"screening_pending\":0"));
}
