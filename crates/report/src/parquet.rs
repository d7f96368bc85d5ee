//! Output tables as Parquet (feature `parquet`): any CSV that corridor writes
//! (`out.csv`, `ensemble.csv`, `fates.csv`, `validation.csv`, …) becomes a
//! typed, uncompressed Parquet file with the same columns. A column whose
//! values are all whole numbers is `Int64`, all numbers `Float64`, otherwise
//! `Utf8`; empty fields are nulls. The file is written by the workspace's one
//! Parquet writer, [`corridor_runs::parquet::write_parquet`].

use crate::ReportError;
use corridor_runs::parquet::{typed_columns, write_parquet, ColumnType};

fn err<E: std::fmt::Display>(e: E) -> ReportError {
    ReportError::Parquet(e.to_string())
}

/// Converts CSV text (with a header row) to Parquet bytes.
pub fn csv_to_parquet(csv_text: &str) -> Result<Vec<u8>, ReportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let names: Vec<String> = rdr
        .headers()
        .map_err(err)?
        .iter()
        .map(|s| s.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut cols: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    for rec in rdr.records() {
        let rec = rec.map_err(err)?;
        for (i, col) in cols.iter_mut().enumerate() {
            col.push(rec.get(i).unwrap_or("").to_string());
        }
    }
    // The narrowest type that every present value parses as.
    let schema: Vec<(&str, ColumnType)> = names
        .iter()
        .zip(&cols)
        .map(|(name, col)| {
            let present = || col.iter().filter(|s| !s.is_empty());
            let ty = if present().all(|s| s.parse::<i64>().is_ok()) {
                ColumnType::Int64
            } else if present().all(|s| s.parse::<f64>().is_ok()) {
                ColumnType::Float64
            } else {
                ColumnType::Utf8
            };
            (name.as_str(), ty)
        })
        .collect();
    let columns =
        typed_columns(csv_text.trim_start_matches('\u{feff}'), "<csv>", &schema).map_err(err)?;
    write_parquet(&columns).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, Float64Array, RecordBatch, StringArray};
    use arrow_schema::DataType;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    #[test]
    fn round_trip_with_types_and_nulls() {
        let csv = "day,date,camp,mean,mase\n0,2012-03-01,\"A, b\",1.5,\n1,2012-03-02,C,2,0.25\n";
        let bytes = csv_to_parquet(csv).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))
            .unwrap()
            .build()
            .unwrap();
        let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
        let b = &batches[0];
        assert_eq!(b.num_rows(), 2);
        let s = b.schema();
        let types: Vec<&DataType> = s.fields().iter().map(|f| f.data_type()).collect();
        assert_eq!(
            types,
            vec![
                &DataType::Int64,
                &DataType::Utf8,
                &DataType::Utf8,
                &DataType::Float64,
                &DataType::Float64
            ]
        );
        let camp = b.column(2).as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!(camp.value(0), "A, b");
        let mase = b.column(4).as_any().downcast_ref::<Float64Array>().unwrap();
        assert!(mase.is_null(0));
        assert_eq!(mase.value(1), 0.25);
    }
}
