//! The whole database as rows, for `frontdesk db copy`: read table by table in key order, and
//! written into an empty database in one transaction.

use frontdesk_store::{Chunk, Sink, StoreError, TABLES, Value, copied_column};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, TransactionBehavior};

use crate::Db;

/// Rows per chunk.
const CHUNK: usize = 5_000;

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .db()?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .db()?
        .collect::<Result<Vec<_>, _>>()
        .db()?;
    Ok(names
        .into_iter()
        .filter(|c| copied_column(table, c))
        .collect())
}

/// The table's primary key columns, for a stable order.
fn key(conn: &Connection, table: &str) -> Result<String, StoreError> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT name FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk"
        ))
        .db()?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .db()?
        .collect::<Result<Vec<_>, _>>()
        .db()?;
    Ok(if names.is_empty() {
        "rowid".into()
    } else {
        names.join(", ")
    })
}

pub(crate) fn export(conn: &Connection, sink: &mut Sink<'_>) -> Result<(), StoreError> {
    // One read transaction: the copy is of one moment.
    conn.execute_batch("BEGIN").db()?;
    let result = (|| {
        for table in TABLES {
            let columns = columns(conn, table)?;
            let list = columns
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {list} FROM \"{table}\" ORDER BY {}",
                    key(conn, table)?
                ))
                .db()?;
            let mut rows = stmt.query([]).db()?;
            let mut chunk = Vec::new();
            while let Some(row) = rows.next().db()? {
                let mut values = Vec::with_capacity(columns.len());
                for i in 0..columns.len() {
                    values.push(match row.get_ref(i).db()? {
                        ValueRef::Null => Value::Null,
                        ValueRef::Integer(n) => Value::Int(n),
                        ValueRef::Text(t) => Value::Text(
                            String::from_utf8(t.to_vec())
                                .map_err(|_| crate::corrupt(format!("text in {table}")))?,
                        ),
                        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
                        ValueRef::Real(_) => {
                            return Err(crate::corrupt(format!("a real number in {table}")));
                        }
                    });
                }
                chunk.push(values);
                if chunk.len() == CHUNK {
                    sink(Chunk {
                        table,
                        columns: columns.clone(),
                        rows: std::mem::take(&mut chunk),
                    })?;
                }
            }
            if !chunk.is_empty() {
                sink(Chunk {
                    table,
                    columns: columns.clone(),
                    rows: chunk,
                })?;
            }
        }
        Ok(())
    })();
    conn.execute_batch("COMMIT").db()?;
    result
}

pub(crate) fn import(
    conn: &mut Connection,
    source: &mut dyn FnMut(&mut Sink<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    for table in TABLES {
        let any: bool = tx
            .query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"),
                [],
                |r| r.get(0),
            )
            .db()?;
        if any {
            return Err(StoreError::Refused(format!(
                "the destination database is not empty (its table {table} has rows): copy into a new database"
            )));
        }
    }
    source(&mut |chunk: Chunk| {
        let list = chunk
            .columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let marks = (1..=chunk.columns.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = tx
            .prepare_cached(&format!(
                "INSERT INTO \"{}\" ({list}) VALUES ({marks})",
                chunk.table
            ))
            .db()?;
        for row in &chunk.rows {
            let values = row.iter().map(|v| match v {
                Value::Null => rusqlite::types::Value::Null,
                Value::Int(n) => rusqlite::types::Value::Integer(*n),
                Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
                Value::Bytes(b) => rusqlite::types::Value::Blob(b.clone()),
            });
            stmt.execute(rusqlite::params_from_iter(values)).db()?;
        }
        Ok(())
    })?;
    tx.commit().db()
}

pub(crate) fn counts(conn: &Connection) -> Result<Vec<(&'static str, u64)>, StoreError> {
    TABLES
        .iter()
        .map(|t| {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .db()?;
            Ok((*t, n as u64))
        })
        .collect()
}
