//! Deliverables and input requests: each written whole, as the core's JSON, with its audit
//! entry in the same transaction.

use frontdesk_core::deliverable::{Deliverable, InputRequest};
use frontdesk_store::{PracticeId, StoreError};
use jiff::Timestamp;
use postgres::{Client, GenericClient};

use crate::audit::{Fact, append};
use crate::{Col, Db, corrupt, query};

/// Who changed it, what happened (the audit entry's kind), when.
pub(crate) struct Change<'a> {
    pub actor: &'a str,
    pub kind: &'a str,
    pub at: Timestamp,
}

pub(crate) fn put_deliverable(
    c: &mut Client,
    practice: PracticeId,
    d: &Deliverable,
    change: &Change<'_>,
) -> Result<Deliverable, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let mut d = d.clone();
    if d.id == 0 {
        d.id = tx
            .query_one(
                "INSERT INTO deliverables (practice_id, client, state, data) VALUES ($1, $2, $3, '')
                 RETURNING id",
                &[&practice.0, &d.client.as_str(), &d.state.as_str()],
            )
            .db()?
            .col(0)?;
    }
    write(&mut tx, practice, &d, change.kind, change)?;
    tx.commit().db()?;
    Ok(d)
}

/// Writes `d` (its row exists) with its audit entry of `kind`, inside the caller's transaction.
fn write(
    tx: &mut impl GenericClient,
    practice: PracticeId,
    d: &Deliverable,
    kind: &str,
    change: &Change<'_>,
) -> Result<(), StoreError> {
    let data = serde_json::to_string(d).map_err(corrupt)?;
    let n = tx
        .execute(
            "UPDATE deliverables SET state = $3, data = $4 WHERE practice_id = $1 AND id = $2",
            &[&practice.0, &d.id, &d.state.as_str(), &data],
        )
        .db()?;
    if n == 0 {
        return Err(StoreError::Refused(format!(
            "deliverable {}: there is no such deliverable",
            d.id
        )));
    }
    append(
        tx,
        practice,
        Fact {
            at: change.at,
            actor: change.actor,
            kind,
            client: Some(d.client.as_str()),
            subject: format!("deliverable {}", d.id),
            data,
        },
    )
}

pub(crate) fn deliverables(
    c: &mut impl GenericClient,
    practice: PracticeId,
) -> Result<Vec<Deliverable>, StoreError> {
    query(
        c,
        "SELECT data FROM deliverables WHERE practice_id = $1 ORDER BY id",
        &[&practice.0],
        |r| r.col::<String>(0),
    )?
    .iter()
    .map(|d| serde_json::from_str(d).map_err(corrupt))
    .collect()
}

/// Writes `r` (a new one when its id is 0) and, when given, its deliverable as changed with
/// it (put on hold, resumed), with one audit entry each, in one transaction.
pub(crate) fn put_request(
    c: &mut Client,
    practice: PracticeId,
    r: &InputRequest,
    client: &str,
    deliverable: Option<&Deliverable>,
    change: &Change<'_>,
) -> Result<InputRequest, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let mut r = r.clone();
    if r.id == 0 {
        r.id = tx
            .query_one(
                "INSERT INTO input_requests (practice_id, deliverable_id, data) VALUES ($1, $2, '')
                 RETURNING id",
                &[&practice.0, &r.deliverable],
            )
            .db()?
            .col(0)?;
    }
    let data = serde_json::to_string(&r).map_err(corrupt)?;
    tx.execute(
        "UPDATE input_requests SET data = $3 WHERE practice_id = $1 AND id = $2",
        &[&practice.0, &r.id, &data],
    )
    .db()?;
    append(
        &mut tx,
        practice,
        Fact {
            at: change.at,
            actor: change.actor,
            kind: change.kind,
            client: Some(client),
            subject: format!("input request {}", r.id),
            data,
        },
    )?;
    if let Some(d) = deliverable {
        let kind = match d.state {
            frontdesk_core::deliverable::State::OnHold => "deliverable.on_hold",
            _ => "deliverable.resumed",
        };
        write(&mut tx, practice, d, kind, change)?;
    }
    tx.commit().db()?;
    Ok(r)
}

pub(crate) fn requests(
    c: &mut impl GenericClient,
    practice: PracticeId,
) -> Result<Vec<InputRequest>, StoreError> {
    query(
        c,
        "SELECT data FROM input_requests WHERE practice_id = $1 ORDER BY id",
        &[&practice.0],
        |r| r.col::<String>(0),
    )?
    .iter()
    .map(|d| serde_json::from_str(d).map_err(corrupt))
    .collect()
}
