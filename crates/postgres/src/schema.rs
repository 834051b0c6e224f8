//! The schema, as an ordered list of migrations; the table `schema_version` records how many
//! ran. Instances that start together take turns (an advisory lock), and a database written by
//! a newer frontdesk is refused.

use postgres::Client;

/// Each entry upgrades the schema by one version. Never edit one that has shipped: add another.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_schema.sql"),
    include_str!("migrations/002_contact_keys.sql"),
    include_str!("migrations/003_statement_checks.sql"),
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock key migrations hold (no practice has id 0).
const MIGRATING: i64 = 0;

/// Runs the migrations the database has not seen, in one transaction. `Err(version)`: the
/// database is newer than this build.
pub fn migrate(c: &mut Client) -> Result<Result<(), i64>, postgres::Error> {
    let mut tx = c.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATING])?;
    tx.batch_execute(
        "SET LOCAL client_min_messages = warning;
         CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)",
    )?;
    // Read as text: whatever the column holds, reading it cannot panic.
    let version: i64 = match tx.query_opt("SELECT version::text FROM schema_version", &[])? {
        Some(row) => row.try_get::<_, String>(0)?.parse().unwrap_or(i64::MAX),
        None => {
            tx.execute("INSERT INTO schema_version (version) VALUES (0)", &[])?;
            0
        }
    };
    if version > VERSION {
        return Ok(Err(version));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(sql)?;
        tx.execute("UPDATE schema_version SET version = $1", &[&(i as i64 + 1)])?;
    }
    tx.commit()?;
    Ok(Ok(()))
}
