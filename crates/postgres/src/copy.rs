//! The whole database as rows, for `frontdesk db copy`: read table by table in key order
//! through a cursor, and written into an empty database with `COPY … FROM STDIN (FORMAT
//! binary)` in one transaction, the identity sequences moved past the copied ids.

use std::error::Error;

use bytes::BytesMut;
use frontdesk_store::{Chunk, Sink, StoreError, TABLES, Value, copied_column};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, GenericClient};

use crate::{Col, Db, corrupt};

/// Rows per chunk.
const CHUNK: i32 = 5_000;

/// The table's copied columns with their types, in the table's order.
fn columns(c: &mut impl GenericClient, table: &str) -> Result<Vec<(String, Type)>, StoreError> {
    let rows = c
        .query(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1
             ORDER BY ordinal_position",
            &[&table],
        )
        .db()?;
    let mut out = Vec::new();
    for r in rows {
        let name: String = r.col(0)?;
        let kind: String = r.col(1)?;
        if !copied_column(table, &name) {
            continue;
        }
        let ty = match kind.as_str() {
            "bigint" => Type::INT8,
            "text" => Type::TEXT,
            "bytea" => Type::BYTEA,
            other => return Err(corrupt(format!("column {table}.{name} of type {other}"))),
        };
        out.push((name, ty));
    }
    Ok(out)
}

/// The table's primary key columns, for a stable order.
fn key(c: &mut impl GenericClient, table: &str) -> Result<String, StoreError> {
    let rows = c
        .query(
            "SELECT a.attname::text FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
             WHERE i.indrelid = $1::text::regclass AND i.indisprimary
             ORDER BY array_position(i.indkey::int2[], a.attnum)",
            &[&table],
        )
        .db()?;
    let names = rows
        .iter()
        .map(|r| r.col::<String>(0).map(|n| format!("\"{n}\"")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if names.is_empty() {
        "1".into()
    } else {
        names.join(", ")
    })
}

pub(crate) fn export(c: &mut Client, sink: &mut Sink<'_>) -> Result<(), StoreError> {
    // One snapshot: the copy is of one moment.
    let mut tx = c
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .db()?;
    for table in TABLES {
        let columns = columns(&mut tx, table)?;
        let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
        let list = names
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let order = key(&mut tx, table)?;
        let sql = format!("SELECT {list} FROM \"{table}\" ORDER BY {order}");
        let portal = tx.bind(sql.as_str(), &[]).db()?;
        loop {
            let rows = tx.query_portal(&portal, CHUNK).db()?;
            if rows.is_empty() {
                break;
            }
            let mut chunk = Vec::with_capacity(rows.len());
            for row in &rows {
                let mut values = Vec::with_capacity(columns.len());
                for (i, (_, ty)) in columns.iter().enumerate() {
                    let v = if *ty == Type::INT8 {
                        row.col::<Option<i64>>(i)?.map(Value::Int)
                    } else if *ty == Type::TEXT {
                        row.col::<Option<String>>(i)?.map(Value::Text)
                    } else {
                        row.col::<Option<Vec<u8>>>(i)?.map(Value::Bytes)
                    };
                    values.push(v.unwrap_or(Value::Null));
                }
                chunk.push(values);
            }
            let done = chunk.len() < CHUNK as usize;
            sink(Chunk {
                table,
                columns: names.clone(),
                rows: chunk,
            })?;
            if done {
                break;
            }
        }
    }
    tx.commit().db()
}

/// A value written as the column's type, refused when it is of another kind.
#[derive(Debug)]
struct Cell<'a>(&'a Value);

impl ToSql for Cell<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        let fits = match self.0 {
            Value::Null => true,
            Value::Int(_) => *ty == Type::INT8,
            Value::Text(_) => *ty == Type::TEXT,
            Value::Bytes(_) => *ty == Type::BYTEA,
        };
        if !fits {
            return Err(format!("a {:?} value for a column of type {ty}", self.0).into());
        }
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) => n.to_sql(ty, out),
            Value::Text(t) => t.to_sql(ty, out),
            Value::Bytes(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INT8 || *ty == Type::TEXT || *ty == Type::BYTEA
    }

    to_sql_checked!();
}

pub(crate) fn import(
    c: &mut Client,
    source: &mut dyn FnMut(&mut Sink<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut tx = c.transaction().db()?;
    tx.execute("SELECT pg_advisory_xact_lock(0)", &[]).db()?;
    for table in TABLES {
        let any: bool = tx
            .query_one(&format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"), &[])
            .db()?
            .col(0)?;
        if any {
            return Err(StoreError::Refused(format!(
                "the destination database is not empty (its table {table} has rows): copy into a new database"
            )));
        }
    }
    let mut types: std::collections::HashMap<&'static str, Vec<(String, Type)>> =
        Default::default();
    for table in TABLES {
        types.insert(table, columns(&mut tx, table)?);
    }
    source(&mut |chunk: Chunk| {
        let known = &types[chunk.table];
        let mut kinds = Vec::with_capacity(chunk.columns.len());
        for name in &chunk.columns {
            match known.iter().find(|(n, _)| n == name) {
                Some((_, ty)) => kinds.push(ty.clone()),
                None => {
                    return Err(StoreError::Refused(format!(
                        "the destination has no column {}.{name}: it is of another frontdesk version",
                        chunk.table
                    )));
                }
            }
        }
        let list = chunk
            .columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let sink = tx
            .copy_in(&format!(
                "COPY \"{}\" ({list}) FROM STDIN (FORMAT binary)",
                chunk.table
            ))
            .db()?;
        let mut writer = BinaryCopyInWriter::new(sink, &kinds);
        for row in &chunk.rows {
            let cells: Vec<Cell<'_>> = row.iter().map(Cell).collect();
            let refs: Vec<&(dyn ToSql + Sync)> =
                cells.iter().map(|c| c as &(dyn ToSql + Sync)).collect();
            writer.write(&refs).map_err(|e| {
                StoreError::Refused(format!("a row of {}: {}", chunk.table, database_text(&e)))
            })?;
        }
        writer.finish().db()?;
        Ok(())
    })?;
    // New rows get ids after the copied ones.
    let identities = tx
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
            &[],
        )
        .db()?;
    for r in identities {
        let table: String = r.col(0)?;
        let column: String = r.col(1)?;
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'),
                               coalesce(max(\"{column}\"), 0) + 1, false) FROM \"{table}\""
            ),
            &[],
        )
        .db()?;
    }
    tx.commit().db()?;
    // Statistics for the planner now, not when autovacuum comes by: the first inbox after a
    // copy of a million contacts took 12 ms unanalyzed, 4 ms analyzed.
    c.batch_execute("ANALYZE").db()
}

fn database_text(e: &postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_string())
}

pub(crate) fn counts(c: &mut Client) -> Result<Vec<(&'static str, u64)>, StoreError> {
    let mut out = Vec::new();
    for t in TABLES {
        let n: i64 = c
            .query_one(&format!("SELECT count(*) FROM \"{t}\""), &[])
            .db()?
            .col(0)?;
        out.push((*t, n as u64));
    }
    Ok(out)
}
