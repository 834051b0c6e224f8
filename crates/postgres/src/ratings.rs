//! Satisfaction ratings: asked through a secret link (its hash kept) with the client's message
//! queued in the same transaction, answered once, audited.

use frontdesk_core::Handle;
use frontdesk_core::outbox::Message;
use frontdesk_core::rating::{Rating, RatingError};
use frontdesk_store::{PracticeId, StoreError};
use jiff::Timestamp;
use postgres::{Client, GenericClient};

use frontdesk_store::columns::{RatingRow as Row, rating_of};

use crate::audit::{Fact, append};
use crate::{Col, Db, corrupt, micros, query};

const COLUMNS: &str = "id, client, deliverable_id, goal, requested_us, score, comment, rated_us,
     revoked_us IS NOT NULL";

fn row(r: &postgres::Row) -> Result<Row, StoreError> {
    row_at(r, 0)
}

/// The columns of [`COLUMNS`], the first of them at `first`.
fn row_at(r: &postgres::Row, first: usize) -> Result<Row, StoreError> {
    Ok((
        r.col(first)?,
        r.col(first + 1)?,
        r.col(first + 2)?,
        r.col(first + 3)?,
        r.col(first + 4)?,
        r.col(first + 5)?,
        r.col(first + 6)?,
        r.col(first + 7)?,
        r.col(first + 8)?,
    ))
}

fn one(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: i64,
) -> Result<Option<Rating>, StoreError> {
    c.query_opt(
        &format!("SELECT {COLUMNS} FROM ratings WHERE practice_id = $1 AND id = $2"),
        &[&practice.0, &id],
    )
    .db()?
    .map(|r| row(&r).and_then(rating_of))
    .transpose()
}

/// Records a rating asked of `client` and queues `messages(id)` (the link to it) in one
/// transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn request(
    c: &mut Client,
    practice: PracticeId,
    client: &Handle,
    deliverable: Option<i64>,
    goal: &str,
    token_hash: &[u8],
    messages: &dyn Fn(i64) -> Vec<Message>,
    actor: &str,
    now: Timestamp,
) -> Result<Rating, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO ratings (practice_id, client, deliverable_id, goal, token_hash,
                 requested_us)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id",
            &[
                &practice.0,
                &client.as_str(),
                &deliverable,
                &goal,
                &token_hash,
                &micros(now),
            ],
        )
        .db()?
        .col(0)?;
    for m in messages(id) {
        crate::outbox::enqueue(&mut tx, practice, &m, now, None)?;
    }
    append(
        &mut tx,
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
    let out = one(&mut tx, practice, id)?.ok_or_else(|| corrupt("a rating just recorded"))?;
    tx.commit().db()?;
    Ok(out)
}

/// The live (not revoked) rating behind a link's secret hash.
pub(crate) fn by_token(
    c: &mut impl GenericClient,
    token_hash: &[u8],
) -> Result<Option<(PracticeId, Rating)>, StoreError> {
    let found = c
        .query_opt(
            &format!(
                "SELECT practice_id, {COLUMNS} FROM ratings
                 WHERE token_hash = $1 AND revoked_us IS NULL"
            ),
            &[&token_hash],
        )
        .db()?;
    found
        .map(|r| {
            let practice: i64 = r.col(0)?;
            Ok((PracticeId(practice), rating_of(row_at(&r, 1)?)?))
        })
        .transpose()
}

/// The client's answer, once.
pub(crate) fn rate(
    c: &mut Client,
    practice: PracticeId,
    id: i64,
    score: u8,
    comment: Option<&str>,
    now: Timestamp,
) -> Result<Rating, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let n = tx
        .execute(
            "UPDATE ratings SET score = $3, comment = $4, rated_us = $5
             WHERE practice_id = $1 AND id = $2 AND rated_us IS NULL AND revoked_us IS NULL",
            &[&practice.0, &id, &i64::from(score), &comment, &micros(now)],
        )
        .db()?;
    if n == 0 {
        return Err(StoreError::Refused(RatingError::AlreadyRated.to_string()));
    }
    let r = one(&mut tx, practice, id)?.ok_or_else(|| corrupt("a rating just given"))?;
    append(
        &mut tx,
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
    c: &mut impl GenericClient,
    practice: PracticeId,
    client: Option<&Handle>,
) -> Result<Vec<Rating>, StoreError> {
    let client = client.map(Handle::as_str);
    query(
        c,
        &format!(
            "SELECT {COLUMNS} FROM ratings
             WHERE practice_id = $1 AND ($2::text IS NULL OR client = $2)
             ORDER BY id DESC LIMIT 1000"
        ),
        &[&practice.0, &client],
        row,
    )?
    .into_iter()
    .map(rating_of)
    .collect()
}

/// Revokes rating `id`'s link; false when there is no such live link.
pub(crate) fn revoke(
    c: &mut Client,
    practice: PracticeId,
    id: i64,
    actor: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let Some(r) = one(&mut tx, practice, id)? else {
        return Ok(false);
    };
    let n = tx
        .execute(
            "UPDATE ratings SET revoked_us = $3 WHERE practice_id = $1 AND id = $2
             AND revoked_us IS NULL",
            &[&practice.0, &id, &micros(now)],
        )
        .db()?;
    if n == 1 {
        append(
            &mut tx,
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
