//! The outbox and the timer jobs that have run.

use frontdesk_core::Language;
use frontdesk_core::outbox::{Medium, Message};
use frontdesk_core::timers::Job;
use frontdesk_store::{Attempt, PracticeId, Queued, StoreError};
use jiff::Timestamp;
use rusqlite::{Connection, params};

use crate::{Db, corrupt, from_micros, micros};

/// Queues a message unless one with its key is queued already; true when it was queued.
pub(crate) fn enqueue(
    conn: &Connection,
    practice: PracticeId,
    message: &Message,
    due: Timestamp,
) -> Result<bool, StoreError> {
    let n = conn
        .prepare_cached(
            "INSERT INTO outbox (practice_id, key, medium, recipient, language, subject, body,
                created_us, next_us)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
             ON CONFLICT (practice_id, key) DO NOTHING",
        )
        .db()?
        .execute(params![
            practice.0,
            message.key,
            message.medium.as_str(),
            message.to,
            message.language.code(),
            message.subject,
            message.text,
            micros(due),
        ])
        .db()?;
    Ok(n == 1)
}

/// Claims each job's key and queues its messages; the keys claimed now.
pub(crate) fn run_jobs(
    conn: &Connection,
    practice: PracticeId,
    jobs: &[Job],
    at: Timestamp,
) -> Result<Vec<String>, StoreError> {
    let mut ran = Vec::new();
    for job in jobs {
        let claimed = conn
            .prepare_cached(
                "INSERT INTO timer_runs (practice_id, key, ran_us) VALUES (?1, ?2, ?3)
                 ON CONFLICT (practice_id, key) DO NOTHING",
            )
            .db()?
            .execute(params![practice.0, job.key, micros(at)])
            .db()?;
        if claimed == 1 {
            for m in &job.messages {
                enqueue(conn, practice, m, at)?;
            }
            ran.push(job.key.clone());
        }
    }
    Ok(ran)
}

const COLUMNS: &str = "id, practice_id, key, medium, recipient, language, subject, body,
    created_us, attempts, next_us, last_error, sent_us";

fn rows(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<Queued>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).db()?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, i64>(9)?,
                r.get::<_, Option<i64>>(10)?,
                r.get::<_, Option<String>>(11)?,
                r.get::<_, Option<i64>>(12)?,
            ))
        })
        .db()?;
    let mut out = Vec::new();
    for row in rows {
        let (
            id,
            practice,
            key,
            medium,
            to,
            language,
            subject,
            text,
            created,
            attempts,
            next,
            error,
            sent,
        ) = row.db()?;
        out.push(Queued {
            id,
            practice: PracticeId(practice),
            message: Message {
                key,
                medium: Medium::parse(&medium).map_err(corrupt)?,
                to,
                language: Language::parse(&language).map_err(corrupt)?,
                subject,
                text,
            },
            created: from_micros(created)?,
            attempts: u32::try_from(attempts).map_err(corrupt)?,
            next_attempt: next.map(from_micros).transpose()?,
            last_error: error,
            sent: sent.map(from_micros).transpose()?,
        });
    }
    Ok(out)
}

pub(crate) fn due(
    conn: &Connection,
    now: Timestamp,
    limit: usize,
) -> Result<Vec<Queued>, StoreError> {
    rows(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM outbox WHERE next_us IS NOT NULL AND next_us <= ?1
             ORDER BY next_us, id LIMIT ?2"
        ),
        params![micros(now), limit as i64],
    )
}

pub(crate) fn lease(conn: &Connection, id: i64, until: Timestamp) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE outbox SET next_us = ?2 WHERE id = ?1")
        .db()?
        .execute(params![id, micros(until)])
        .db()?;
    Ok(())
}

pub(crate) fn list(
    conn: &Connection,
    practice: PracticeId,
    unsent: bool,
    limit: usize,
) -> Result<Vec<Queued>, StoreError> {
    rows(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM outbox WHERE practice_id = ?1 AND (?2 = 0 OR sent_us IS NULL)
             ORDER BY id DESC LIMIT ?3"
        ),
        params![practice.0, unsent, limit as i64],
    )
}

pub(crate) fn attempted(conn: &Connection, id: i64, attempt: &Attempt) -> Result<(), StoreError> {
    match attempt {
        Attempt::Sent(at) => conn
            .prepare_cached(
                "UPDATE outbox SET sent_us = ?2, next_us = NULL WHERE id = ?1 AND sent_us IS NULL",
            )
            .db()?
            .execute(params![id, micros(*at)])
            .db()?,
        Attempt::Untried { at } => conn
            .prepare_cached("UPDATE outbox SET next_us = ?2 WHERE id = ?1 AND sent_us IS NULL")
            .db()?
            .execute(params![id, micros(*at)])
            .db()?,
        Attempt::Failed { error, next, .. } => conn
            .prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_us = ?3
                 WHERE id = ?1 AND sent_us IS NULL",
            )
            .db()?
            .execute(params![id, error, next.map(micros)])
            .db()?,
    };
    Ok(())
}

pub(crate) fn retry(
    conn: &Connection,
    practice: PracticeId,
    id: i64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = conn
        .prepare_cached(
            "UPDATE outbox SET attempts = 0, next_us = ?3
             WHERE id = ?1 AND practice_id = ?2 AND sent_us IS NULL",
        )
        .db()?
        .execute(params![id, practice.0, micros(now)])
        .db()?;
    Ok(n == 1)
}
