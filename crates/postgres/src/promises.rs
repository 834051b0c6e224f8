//! The promise register: each promise recorded and changed in one transaction with its audit
//! entry; the rules (who may approve, what may be kept) are the core's, judged inside it.

use frontdesk_core::Handle;
use frontdesk_core::promise::{Act, NewPromise, Promise, State};
use frontdesk_store::{PracticeId, StoreError};
use jiff::Timestamp;
use postgres::{Client, GenericClient};

use frontdesk_store::columns::{PromiseRow as Row, promise_of};

use crate::audit::{Fact, append};
use crate::{Col, Db, corrupt, micros, query};

/// How many promises a list reads at most (every pending and open one is always read).
const LIMIT: i64 = 2000;

const COLUMNS: &str = "id, client, contact_id, kind, what, due, by_member, state, recorded_us,
     decided_by, note, kept_us";

fn row(r: &postgres::Row) -> Result<Row, StoreError> {
    Ok((
        r.col(0)?,
        r.col(1)?,
        r.col(2)?,
        r.col(3)?,
        r.col(4)?,
        r.col(5)?,
        r.col(6)?,
        r.col(7)?,
        r.col(8)?,
        r.col(9)?,
        r.col(10)?,
        r.col(11)?,
    ))
}

pub(crate) fn promise(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: i64,
) -> Result<Option<Promise>, StoreError> {
    c.query_opt(
        &format!("SELECT {COLUMNS} FROM promises WHERE practice_id = $1 AND id = $2"),
        &[&practice.0, &id],
    )
    .db()?
    .map(|r| row(&r).and_then(promise_of))
    .transpose()
}

/// The practice's promises (of `client` when given): every pending and open one, and the
/// latest others, newest first.
pub(crate) fn promises(
    c: &mut impl GenericClient,
    practice: PracticeId,
    client: Option<&Handle>,
) -> Result<Vec<Promise>, StoreError> {
    let client = client.map(Handle::as_str);
    let rows = query(
        c,
        &format!(
            "SELECT {COLUMNS} FROM promises
             WHERE practice_id = $1 AND ($2::text IS NULL OR client = $2)
               AND (state IN ('pending', 'open')
                    OR id IN (SELECT id FROM promises WHERE practice_id = $1
                              AND ($2::text IS NULL OR client = $2) ORDER BY id DESC LIMIT $3))
             ORDER BY id DESC"
        ),
        &[&practice.0, &client, &LIMIT],
        row,
    )?;
    rows.into_iter().map(promise_of).collect()
}

pub(crate) fn record(
    c: &mut Client,
    practice: PracticeId,
    p: &NewPromise,
    state: State,
    now: Timestamp,
) -> Result<Promise, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO promises (practice_id, client, contact_id, kind, what, due, by_member,
                 state, recorded_us)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             RETURNING id",
            &[
                &practice.0,
                &p.client.as_str(),
                &p.contact,
                &p.kind.as_str(),
                &p.what.trim(),
                &p.due.to_string(),
                &p.by.as_str(),
                &state.as_str(),
                &micros(now),
            ],
        )
        .db()?
        .col(0)?;
    append(
        &mut tx,
        practice,
        Fact {
            at: now,
            actor: p.by.as_str(),
            kind: "promise.recorded",
            client: Some(p.client.as_str()),
            subject: format!("promise {id}"),
            data: serde_json::json!({
                "kind": p.kind.as_str(), "what": p.what.trim(), "due": p.due.to_string(),
                "contact": p.contact, "state": state.as_str(),
            })
            .to_string(),
        },
    )?;
    let out = promise(&mut tx, practice, id)?.ok_or_else(|| corrupt("a promise just recorded"))?;
    tx.commit().db()?;
    Ok(out)
}

pub(crate) fn act(
    c: &mut Client,
    practice: PracticeId,
    id: i64,
    act: &Act,
    judge: &dyn Fn(&Promise) -> Result<State, StoreError>,
    actor: &Handle,
    now: Timestamp,
) -> Result<Promise, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let current = promise(&mut tx, practice, id)?.ok_or(StoreError::Refused(format!(
        "promise {id}: there is no such promise"
    )))?;
    let state = judge(&current)?;
    let (kind, note) = match act {
        Act::Approve(n) => ("promise.approved", Some(n.as_str())),
        Act::Refuse(n) => ("promise.refused", Some(n.as_str())),
        Act::Keep => ("promise.kept", None),
    };
    if matches!(act, Act::Keep) {
        tx.execute(
            "UPDATE promises SET state = $2, kept_us = $3 WHERE id = $1",
            &[&id, &state.as_str(), &micros(now)],
        )
        .db()?;
    } else {
        tx.execute(
            "UPDATE promises SET state = $2, decided_by = $3, note = $4 WHERE id = $1",
            &[&id, &state.as_str(), &actor.as_str(), &note],
        )
        .db()?;
    }
    append(
        &mut tx,
        practice,
        Fact {
            at: now,
            actor: actor.as_str(),
            kind,
            client: Some(current.client.as_str()),
            subject: format!("promise {id}"),
            data: serde_json::json!({ "state": state.as_str(), "note": note }).to_string(),
        },
    )?;
    let out = promise(&mut tx, practice, id)?.ok_or_else(|| corrupt("a promise just changed"))?;
    tx.commit().db()?;
    Ok(out)
}
