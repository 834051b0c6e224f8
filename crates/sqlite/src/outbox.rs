//! The outbox and the timer jobs that have run.

use frontdesk_core::Language;
use frontdesk_core::outbox::{Medium, Message};
use frontdesk_core::timers::Job;
use frontdesk_store::{Attempt, PracticeId, Queued, StoreError};
use jiff::Timestamp;
use rusqlite::TransactionBehavior;
use rusqlite::{Connection, OptionalExtension, params};

use crate::{Db, corrupt, from_micros, micros};

/// Queues a message unless one with its key is queued already; true when it was queued.
/// `contact` is the contact just stored with it and its auto-reply: a message whose text is
/// that reply refers to it instead of keeping a second copy.
pub(crate) fn enqueue(
    conn: &Connection,
    practice: PracticeId,
    message: &Message,
    due: Timestamp,
    contact: Option<(i64, Option<&str>)>,
) -> Result<bool, StoreError> {
    if let Some(t) = &message.throttle {
        // Within the window of the last one of its group, it is not queued.
        let since = due.checked_sub(t.window).unwrap_or(Timestamp::MIN);
        let last: Option<i64> = conn
            .prepare_cached(
                "SELECT last_us FROM auto_replies WHERE practice_id = ?1 AND grouping = ?2",
            )
            .db()?
            .query_row(params![practice.0, t.group], |r| r.get(0))
            .optional()
            .db()?;
        if last.is_some_and(|l| l > micros(since)) {
            return Ok(false);
        }
        conn.prepare_cached(
            "INSERT INTO auto_replies (practice_id, grouping, last_us) VALUES (?1, ?2, ?3)
             ON CONFLICT (practice_id, grouping) DO UPDATE SET last_us = excluded.last_us",
        )
        .db()?
        .execute(params![practice.0, t.group, micros(due)])
        .db()?;
    }
    let (body, contact_id) = match contact {
        Some((id, Some(reply))) if reply == message.text => (None, Some(id)),
        _ => (Some(message.text.as_str()), None),
    };
    let n = conn
        .prepare_cached(
            "INSERT INTO outbox (practice_id, key, medium, recipient, language, subject, body,
                contact_id, created_us, next_us, sender, calendar, attachment_name,
                attachment_type, attachment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (practice_id, key) WHERE contact_id IS NULL DO NOTHING",
        )
        .db()?
        .execute(params![
            practice.0,
            message.key,
            message.medium.as_str(),
            message.to,
            message.language.code(),
            message.subject,
            body,
            contact_id,
            micros(due),
            message.from,
            message.calendar,
            message.attachment.as_ref().map(|a| a.name.as_str()),
            message.attachment.as_ref().map(|a| a.mime.as_str()),
            message.attachment.as_ref().map(|a| a.data.as_slice()),
        ])
        .db()?;
    Ok(n == 1)
}

/// Claims each job's key and queues its messages; the keys claimed now.
fn run_jobs_in(
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
                enqueue(conn, practice, m, at, None)?;
            }
            ran.push(job.key.clone());
        }
    }
    Ok(ran)
}

/// The columns of `outbox o`; the text comes from the contact when it is its auto-reply, and
/// the Message-ID it answers from the mail the contact was recorded from (its key in
/// `idempotency`, `@mail` U+001F and the ID), for the auto-reply's or the answer's contact.
const COLUMNS: &str = "o.id, o.practice_id, o.key, o.medium, o.recipient, o.language, o.subject,
    COALESCE(o.body, (SELECT c.reply_text FROM contacts c WHERE c.id = o.contact_id), ''),
    o.created_us, o.attempts, o.next_us, o.last_error, o.sent_us,
    (SELECT substr(i.key, 7) FROM idempotency i
     WHERE i.contact_id = COALESCE(o.contact_id,
             CASE WHEN o.key LIKE 'answer:%' THEN CAST(substr(o.key, 8) AS INTEGER) END)
       AND i.key LIKE '@mail' || char(31) || '%'
     LIMIT 1),
    o.sender, o.calendar, o.attachment_name, o.attachment_type, o.attachment";

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
                r.get::<_, Option<String>>(13)?,
                r.get::<_, Option<String>>(14)?,
                r.get::<_, Option<String>>(15)?,
                (
                    r.get::<_, Option<String>>(16)?,
                    r.get::<_, Option<String>>(17)?,
                    r.get::<_, Option<Vec<u8>>>(18)?,
                ),
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
            in_reply_to,
            from,
            calendar,
            file,
        ) = row.db()?;
        let attachment = match file {
            (Some(name), Some(mime), Some(data)) => {
                Some(frontdesk_core::outbox::Attachment { name, mime, data })
            }
            _ => None,
        };
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
                throttle: None,
                in_reply_to,
                from,
                calendar,
                attachment,
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
    routes: &[(Medium, Option<PracticeId>)],
    limit: usize,
) -> Result<Vec<Queued>, StoreError> {
    // The routes as a JSON array of [medium, practice or null].
    let routes = serde_json::to_string(
        &routes
            .iter()
            .map(|(m, p)| serde_json::json!([m.as_str(), p.map(|p| p.0)]))
            .collect::<Vec<_>>(),
    )
    .map_err(corrupt)?;
    rows(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM outbox o WHERE o.next_us IS NOT NULL AND o.next_us <= ?1
               AND EXISTS (SELECT 1 FROM json_each(?3) r
                           WHERE r.value ->> 0 = o.medium
                             AND (r.value ->> 1 IS NULL OR r.value ->> 1 = o.practice_id))
             ORDER BY o.next_us, o.id LIMIT ?2"
        ),
        params![micros(now), limit as i64, routes],
    )
}

pub(crate) fn due_count(conn: &Connection, now: Timestamp) -> Result<u64, StoreError> {
    let n: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM outbox WHERE next_us IS NOT NULL AND next_us <= ?1")
        .db()?
        .query_row(params![micros(now)], |r| r.get(0))
        .db()?;
    Ok(n as u64)
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
            "SELECT {COLUMNS} FROM outbox o
             WHERE o.practice_id = ?1 AND (?2 = 0 OR o.sent_us IS NULL)
             ORDER BY o.id DESC LIMIT ?3"
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
        Attempt::Failed { error, next } => conn
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

pub(crate) fn run_jobs(
    conn: &mut Connection,
    practice: PracticeId,
    jobs: &[frontdesk_core::timers::Job],
    at: Timestamp,
) -> Result<Vec<String>, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let ran = run_jobs_in(&tx, practice, jobs, at)?;
    tx.commit().db()?;
    Ok(ran)
}

pub(crate) fn claim_outbox(
    conn: &mut Connection,
    now: Timestamp,
    until: Timestamp,
    routes: &[(Medium, Option<PracticeId>)],
    limit: usize,
) -> Result<Vec<Queued>, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let due = due(&tx, now, routes, limit)?;
    for q in &due {
        lease(&tx, q.id, until)?;
    }
    tx.commit().db()?;
    Ok(due)
}
