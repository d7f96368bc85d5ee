//! `corridor run --parquet`'s tables (`files::write_run_as`): `link_flows`,
//! `od` and the link log as Parquet, read back with the parquet crate's
//! reader: typed columns (days and counts `Int64`, names `Utf8`) and the same
//! rows as the CSV files written with them.
#![cfg(feature = "parquet")]

use arrow_array::{Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use corridor_runs::files::{self, RunFormats};
use corridor_runs::run_scenario;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::{Path, PathBuf};

fn read_parquet(path: &Path) -> RecordBatch {
    let bytes = bytes::Bytes::from(std::fs::read(path).unwrap());
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes)
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
    arrow_select_concat(&batches)
}

/// The batches as one (the reader splits large files).
fn arrow_select_concat(batches: &[RecordBatch]) -> RecordBatch {
    let schema = batches[0].schema();
    let columns = (0..schema.fields().len())
        .map(|c| {
            let parts: Vec<&dyn Array> = batches.iter().map(|b| b.column(c).as_ref()).collect();
            match schema.field(c).data_type() {
                DataType::Int64 => {
                    let v: Int64Array = parts
                        .iter()
                        .flat_map(|p| p.as_any().downcast_ref::<Int64Array>().unwrap().iter())
                        .collect();
                    std::sync::Arc::new(v) as _
                }
                _ => {
                    let v: StringArray = parts
                        .iter()
                        .flat_map(|p| p.as_any().downcast_ref::<StringArray>().unwrap().iter())
                        .collect();
                    std::sync::Arc::new(v) as _
                }
            }
        })
        .collect();
    RecordBatch::try_new(schema, columns).unwrap()
}

/// Row `r` of `batch` as CSV fields.
fn row(batch: &RecordBatch, r: usize) -> Vec<String> {
    batch
        .columns()
        .iter()
        .map(|c| match c.data_type() {
            DataType::Int64 => c
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap()
                .value(r)
                .to_string(),
            _ => c
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .value(r)
                .to_string(),
        })
        .collect()
}

#[test]
fn flow_tables_and_the_link_log_as_parquet_match_their_csv() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/agent_link_logs/scenario"
    ));
    let (mut sc, _) = corridor_io::read_flee_scenario(&dir, Some(&dir.join("simsetting.yml")))
        .expect("scenario loads");
    sc.settings.link = 2;
    let run = run_scenario(&sc, 4, Some(60), &mut |_, _| {}).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    files::write_run_as(&out, &sc, 4, &run, RunFormats { parquet: true }).unwrap();
    let tables = [
        (
            files::LINK_FLOWS_PARQUET,
            files::LINK_FLOWS_CSV,
            &files::LINK_FLOWS_COLUMNS[..],
        ),
        (files::OD_PARQUET, files::OD_CSV, &files::OD_COLUMNS[..]),
        (
            files::LINKS_PARQUET,
            files::LINKS_OUT,
            &files::LINKS_COLUMNS[..],
        ),
    ];
    for (parquet, csv, columns) in tables {
        let batch = read_parquet(&out.join(parquet));
        let schema = batch.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        let types: Vec<&DataType> = schema.fields().iter().map(|f| f.data_type()).collect();
        let expected: Vec<DataType> = columns
            .iter()
            .map(|(_, ty)| match ty {
                corridor_runs::parquet::ColumnType::Int64 => DataType::Int64,
                corridor_runs::parquet::ColumnType::Float64 => DataType::Float64,
                corridor_runs::parquet::ColumnType::Utf8 => DataType::Utf8,
            })
            .collect();
        assert_eq!(
            names,
            columns.iter().map(|c| c.0).collect::<Vec<_>>(),
            "{parquet}"
        );
        assert_eq!(types, expected.iter().collect::<Vec<_>>(), "{parquet}");
        let text = std::fs::read_to_string(out.join(csv)).unwrap();
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert!(lines.len() > 10, "{csv} has {} rows", lines.len());
        assert_eq!(batch.num_rows(), lines.len(), "{parquet}");
        for (r, line) in lines.iter().enumerate() {
            assert_eq!(row(&batch, r).join(","), *line, "{parquet} row {r}");
        }
    }
    // The days and counts are integers, the names text.
    let flows = read_parquet(&out.join(files::LINK_FLOWS_PARQUET));
    assert_eq!(flows.schema().field(0).data_type(), &DataType::Int64);
    assert_eq!(flows.schema().field(1).data_type(), &DataType::Utf8);
    assert_eq!(flows.schema().field(3).data_type(), &DataType::Int64);
    let links = std::fs::read_to_string(out.join(files::LINKS_OUT)).unwrap();
    assert!(links.contains(",connections:"), "link level 2 rows");
}

#[test]
fn without_the_option_no_parquet_is_written() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/flee/reference-ext/agent_link_logs/scenario"
    ));
    let (sc, _) = corridor_io::read_flee_scenario(&dir, Some(&dir.join("simsetting.yml")))
        .expect("scenario loads");
    let run = run_scenario(&sc, 4, Some(10), &mut |_, _| {}).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    files::write_run(&out, &sc, 4, &run).unwrap();
    assert!(out.join(files::LINK_FLOWS_CSV).exists());
    for name in [
        files::LINK_FLOWS_PARQUET,
        files::OD_PARQUET,
        files::LINKS_PARQUET,
    ] {
        assert!(!out.join(name).exists(), "{name}");
    }
}
