//! Tables as typed columns, and (feature `parquet`) the one Parquet writer of
//! the workspace: the run's tables (`files.rs`) and `corridor export-parquet`
//! (`corridor-report`, which guesses the types of any CSV) both write through
//! [`write_parquet`]. Integers are `Int64`, numbers `Float64`, names `Utf8`;
//! empty fields are nulls. Files are uncompressed (the crate is built
//! without codecs).

use crate::{Result, RunsError};
use std::path::PathBuf;

/// The type of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Whole numbers (days, counts).
    Int64,
    /// Other numbers.
    Float64,
    /// Text (names).
    Utf8,
}

/// One column's values (`None`: an empty field).
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Whole numbers.
    Int64(Vec<Option<i64>>),
    /// Other numbers.
    Float64(Vec<Option<f64>>),
    /// Text.
    Utf8(Vec<Option<String>>),
}

/// A named column.
pub type NamedColumn = (String, Column);

/// The columns of `csv_text` (a header row, then rows), named as in `schema`
/// and checked against it: the header must name its columns in order (a
/// leading `#`, as in Flee's headers, does not count) and every field must
/// parse as its column's type. `file` names the table in errors.
pub fn typed_columns(
    csv_text: &str,
    file: &str,
    schema: &[(&str, ColumnType)],
) -> Result<Vec<NamedColumn>> {
    let error = |message: String| RunsError::Format {
        path: PathBuf::from(file),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    // Flee's `#time` and a schema's `time` name the same column.
    let bare = |h: &str| h.trim_start_matches('#').to_string();
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| error(e.to_string()))?
        .iter()
        .map(bare)
        .collect();
    let expected: Vec<String> = schema.iter().map(|(name, _)| bare(name)).collect();
    if header != expected {
        return Err(error(format!(
            "line 1: columns {header:?}, expected {expected:?}"
        )));
    }
    let mut columns: Vec<NamedColumn> = schema
        .iter()
        .map(|&(name, ty)| {
            let column = match ty {
                ColumnType::Int64 => Column::Int64(Vec::new()),
                ColumnType::Float64 => Column::Float64(Vec::new()),
                ColumnType::Utf8 => Column::Utf8(Vec::new()),
            };
            (name.to_string(), column)
        })
        .collect();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| error(format!("line {line}: {e}")))?;
        for ((name, column), field) in columns.iter_mut().zip(record.iter()) {
            let bad = |what: &str| {
                error(format!(
                    "line {line}, column `{name}`: `{field}` is not {what}"
                ))
            };
            let empty = field.is_empty();
            match column {
                Column::Int64(v) => v.push(match empty {
                    true => None,
                    false => Some(field.parse().map_err(|_| bad("a whole number"))?),
                }),
                Column::Float64(v) => v.push(match empty {
                    true => None,
                    false => Some(field.parse().map_err(|_| bad("a number"))?),
                }),
                Column::Utf8(v) => v.push((!empty).then(|| field.to_string())),
            }
        }
    }
    Ok(columns)
}

/// `columns` (of equal length) as the bytes of a Parquet file.
#[cfg(feature = "parquet")]
pub fn write_parquet(columns: &[NamedColumn]) -> Result<Vec<u8>> {
    use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use parquet::arrow::ArrowWriter;
    use std::sync::Arc;

    let err = |e: &dyn std::fmt::Display| RunsError::Parquet(e.to_string());
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (name, column) in columns {
        let (ty, array): (DataType, ArrayRef) = match column {
            Column::Int64(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
            Column::Float64(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
            Column::Utf8(v) => {
                let v: StringArray = v.iter().map(Option::as_deref).collect();
                (DataType::Utf8, Arc::new(v))
            }
        };
        fields.push(Field::new(name, ty, true));
        arrays.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| err(&e))?;
    let mut buf = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut buf, schema, None).map_err(|e| err(&e))?;
    writer.write(&batch).map_err(|e| err(&e))?;
    writer.close().map_err(|e| err(&e))?;
    Ok(buf)
}

/// Without the `parquet` feature: an error saying how to get it.
#[cfg(not(feature = "parquet"))]
pub fn write_parquet(_columns: &[NamedColumn]) -> Result<Vec<u8>> {
    Err(RunsError::Parquet(
        "this corridor was built without Parquet support\n  hint: build with `--features parquet` (on by default)".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: [(&str, ColumnType); 3] = [
        ("day", ColumnType::Int64),
        ("name", ColumnType::Utf8),
        ("share", ColumnType::Float64),
    ];

    #[test]
    fn columns_follow_the_schema_with_nulls_for_empty_fields() {
        let cols = typed_columns(
            "#day,name,share\n0,\"A, b\",0.5\n1,007,\n",
            "t.csv",
            &SCHEMA,
        )
        .unwrap();
        assert_eq!(
            cols[0],
            ("day".into(), Column::Int64(vec![Some(0), Some(1)]))
        );
        // A name that looks like a number stays text.
        assert_eq!(
            cols[1].1,
            Column::Utf8(vec![Some("A, b".into()), Some("007".into())])
        );
        assert_eq!(cols[2].1, Column::Float64(vec![Some(0.5), None]));
    }

    #[test]
    fn a_field_of_the_wrong_type_or_a_wrong_header_is_an_error() {
        let e = typed_columns("day,name,share\n0,A,0.5\n1.5,B,1\n", "t.csv", &SCHEMA)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.csv")
                && e.contains("line 3")
                && e.contains("`day`")
                && e.contains("`1.5`"),
            "{e}"
        );
        let e = typed_columns("day,place,share\n", "t.csv", &SCHEMA)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1") && e.contains("place"), "{e}");
    }
}
