//! Round trips and malformed messages of the wire format.

use super::*;
use proptest::prelude::*;

fn result(seed: u64, camps: usize, days: usize, siege: bool) -> ReplicateResult {
    ReplicateResult {
        seed,
        output: RunOutput {
            camps: (0..camps).map(|c| format!("camp {c} é")).collect(),
            days: (0..days)
                .map(|t| DayRecord {
                    day: t as i64,
                    date_epoch_day: 17000 + t as i64,
                    camp_sim: (0..camps).map(|c| (c * t) as i64).collect(),
                    camp_data: (0..camps).map(|c| (c + t) as i64).collect(),
                    raw: -1,
                    debt: i64::MAX,
                    total_agents: i64::MIN,
                    idp_total: (t % 2 == 0).then_some(t as i64),
                })
                .collect(),
        },
        fates: siege.then(|| {
            (0..days)
                .map(|t| FateRow {
                    day: t as i64,
                    date: format!("2016-05-{:02}", t + 1),
                    people: [t as i64, 1, 2, 3, 4, 5, -6],
                })
                .collect()
        }),
    }
}

#[test]
fn round_trip_of_results_and_errors() {
    let records: Vec<Record> = vec![
        (3, Ok(result(7, 2, 3, true))),
        (0, Err("replicate 0: no such camp".into())),
        (5, Ok(result(u64::MAX, 1, 1, false))),
    ];
    assert_eq!(decode(&encode(&records)).unwrap(), records);
    assert_eq!(decode(&[]).unwrap(), vec![]);
}

#[test]
fn malformed_messages_are_errors_not_zeros() {
    let bytes = encode(&[(1, Ok(result(7, 2, 3, true)))]);
    // Every strict prefix is truncated somewhere.
    for cut in 1..bytes.len() {
        assert!(
            matches!(decode(&bytes[..cut]), Err(WireError::Truncated { .. })),
            "prefix of {cut} bytes decoded"
        );
    }
    // A bad ok flag.
    let mut bad = bytes.clone();
    bad[8] = 7;
    assert_eq!(
        decode(&bad),
        Err(WireError::BadFlag {
            at: 8,
            what: "ok",
            value: 7
        })
    );
    // A record longer than its fields: trailing bytes.
    let mut long = bytes.clone();
    let n = u64::from_le_bytes(long[9..17].try_into().unwrap());
    long[9..17].copy_from_slice(&(n + 2).to_le_bytes());
    long.extend([0, 0]);
    assert!(matches!(
        decode(&long),
        Err(WireError::TrailingBytes { extra: 2, .. })
    ));
    // A camp name that is not UTF-8 (the first name starts after index, flag,
    // length, seed and camp count: byte 41 + its length prefix).
    let mut text = bytes.clone();
    text[41] = 0xff;
    assert!(matches!(decode(&text), Err(WireError::BadText { .. })));
    // A huge count does not allocate: it is truncated.
    let mut huge = bytes;
    huge[25..33].copy_from_slice(&u64::MAX.to_le_bytes());
    let e = decode(&huge).unwrap_err();
    assert!(e.to_string().contains("camp count"), "{e}");
}

#[test]
fn gather_puts_replicates_in_order_and_names_problems() {
    let a = encode(&[
        (0, Ok(result(10, 1, 2, false))),
        (2, Ok(result(12, 1, 2, false))),
    ]);
    let b = encode(&[(1, Ok(result(11, 1, 2, false)))]);
    let all = gather(&[a.clone(), b.clone()], 3).unwrap();
    assert_eq!(
        all.iter().map(|r| r.seed).collect::<Vec<_>>(),
        vec![10, 11, 12]
    );
    assert_eq!(
        gather(std::slice::from_ref(&a), 3),
        Err(GatherError::Missing(1))
    );
    assert_eq!(
        gather(&[a.clone(), a.clone()], 3),
        Err(GatherError::Unexpected { replicate: 0, n: 3 })
    );
    let failed = encode(&[(1, Err("replicate 1: boom".into()))]);
    assert_eq!(
        gather(&[a.clone(), failed], 3),
        Err(GatherError::Replicate("replicate 1: boom".into()))
    );
    let mut broken = b;
    broken.pop();
    assert!(matches!(
        gather(&[a, broken], 3),
        Err(GatherError::Wire { rank: 1, .. })
    ));
}

proptest! {
    #[test]
    fn any_results_round_trip(
        seed in any::<u64>(),
        camps in 0usize..4,
        days in 0usize..5,
        siege in any::<bool>(),
        index in 0usize..1000,
        message in ".{0,20}",
    ) {
        let records: Vec<Record> = vec![(index, Ok(result(seed, camps, days, siege))), (index + 1, Err(message))];
        prop_assert_eq!(decode(&encode(&records)).unwrap(), records);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode(&bytes);
    }
}
