//! Satisfaction ratings: asked through a secret link (its hash kept) with the client's message
//! queued in the same transaction, answered once, audited.

use frontdesk_core::Handle;
use frontdesk_core::outbox::Message;
use frontdesk_core::rating::{Rating, RatingError};
use frontdesk_store::{PracticeId, StoreError};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use frontdesk_store::columns::{RatingRow as Row, rating_of};

use crate::audit::{Fact, append};
use crate::{Db, corrupt, micros, query};

const COLUMNS: &str = "id, client, deliverable_id, goal, requested_us, score, comment, rated_us,
     revoked_us IS NOT NULL";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn one(conn: &Connection, practice: PracticeId, id: i64) -> Result<Option<Rating>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM ratings WHERE practice_id = ?1 AND id = ?2"),
        params![practice.0, id],
        row,
    )
    .optional()
    .db()?
    .map(rating_of)
    .transpose()
}

/// Records a rating asked of `client` and queues `messages(id)` (the link to it) in one
/// transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn request(
    conn: &mut Connection,
    practice: PracticeId,
    client: &Handle,
    deliverable: Option<i64>,
    goal: &str,
    token_hash: &[u8],
    messages: &dyn Fn(i64) -> Vec<Message>,
    actor: &str,
    now: Timestamp,
) -> Result<Rating, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    tx.execute(
        "INSERT INTO ratings (practice_id, client, deliverable_id, goal, token_hash, requested_us)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            practice.0,
            client.as_str(),
            deliverable,
            goal,
            token_hash,
            micros(now)
        ],
    )
    .db()?;
    let id = tx.last_insert_rowid();
    for m in messages(id) {
        crate::outbox::enqueue(&tx, practice, &m, now, None)?;
    }
    append(
        &tx,
        practice,
        Fact {
            at: now,
            actor,
            kind: "rating.requested",
            client: Some(client.as_str()),
            subject: format!("rating {id}"),
            data: serde_json::json!({"deliverable": deliverable, "goal": goal}).to_string(),
        },
    )?;
    let out = one(&tx, practice, id)?.ok_or_else(|| corrupt("a rating just recorded"))?;
    tx.commit().db()?;
    Ok(out)
}

/// The live (not revoked) rating behind a link's secret hash.
pub(crate) fn by_token(
    conn: &Connection,
    token_hash: &[u8],
) -> Result<Option<(PracticeId, Rating)>, StoreError> {
    let found = conn
        .query_row(
            &format!(
                "SELECT practice_id, {COLUMNS} FROM ratings
                 WHERE token_hash = ?1 AND revoked_us IS NULL"
            ),
            params![token_hash],
            |r| {
                let practice: i64 = r.get(0)?;
                let rest = (
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                );
                Ok((practice, rest))
            },
        )
        .optional()
        .db()?;
    found
        .map(|(p, r)| Ok((PracticeId(p), rating_of(r)?)))
        .transpose()
}

/// The client's answer, once.
pub(crate) fn rate(
    conn: &mut Connection,
    practice: PracticeId,
    id: i64,
    score: u8,
    comment: Option<&str>,
    now: Timestamp,
) -> Result<Rating, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let n = tx
        .execute(
            "UPDATE ratings SET score = ?3, comment = ?4, rated_us = ?5
             WHERE practice_id = ?1 AND id = ?2 AND rated_us IS NULL AND revoked_us IS NULL",
            params![practice.0, id, i64::from(score), comment, micros(now)],
        )
        .db()?;
    if n == 0 {
        return Err(StoreError::Refused(RatingError::AlreadyRated.to_string()));
    }
    let r = one(&tx, practice, id)?.ok_or_else(|| corrupt("a rating just given"))?;
    append(
        &tx,
        practice,
        Fact {
            at: now,
            actor: "client",
            kind: "rating.given",
            client: Some(r.client.as_str()),
            subject: format!("rating {id}"),
            data: serde_json::json!({"score": score, "comment": comment}).to_string(),
        },
    )?;
    tx.commit().db()?;
    Ok(r)
}

/// The practice's ratings (of `client` when given), newest first.
pub(crate) fn list(
    conn: &Connection,
    practice: PracticeId,
    client: Option<&Handle>,
) -> Result<Vec<Rating>, StoreError> {
    query(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM ratings WHERE practice_id = ?1 AND (?2 IS NULL OR client = ?2)
             ORDER BY id DESC LIMIT 1000"
        ),
        params![practice.0, client.map(Handle::as_str)],
        row,
    )?
    .into_iter()
    .map(rating_of)
    .collect()
}

/// Revokes rating `id`'s link; false when there is no such live link.
pub(crate) fn revoke(
    conn: &mut Connection,
    practice: PracticeId,
    id: i64,
    actor: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let Some(r) = one(&tx, practice, id)? else {
        return Ok(false);
    };
    let n = tx
        .execute(
            "UPDATE ratings SET revoked_us = ?3 WHERE practice_id = ?1 AND id = ?2
             AND revoked_us IS NULL",
            params![practice.0, id, micros(now)],
        )
        .db()?;
    if n == 1 {
        append(
            &tx,
            practice,
            Fact {
                at: now,
                actor,
                kind: "rating.revoked",
                client: Some(r.client.as_str()),
                subject: format!("rating {id}"),
                data: "{}".to_string(),
            },
        )?;
    }
    tx.commit().db()?;
    Ok(n == 1)
}
