//! Meetings: booked, ad-hoc, and what happened to standing-call occurrences; bookings checked
//! inside the transaction that stores them.

use std::cell::RefCell;

use crate::*;
use frontdesk_core::booking::Booker;
use frontdesk_core::outbox::Message;

pub(crate) fn meetings(
    c: &mut impl GenericClient,
    practice: PracticeId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<(i64, Meeting)>, StoreError> {
    meeting_rows(
        c,
        "m.practice_id = $1 AND ((m.start_us >= $2 AND m.start_us < $3)
         OR (m.original_us >= $2 AND m.original_us < $3))",
        &[&practice.0, &micros(from), &micros(to)],
    )
}

pub(crate) fn meetings_about(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: &MeetingRef,
) -> Result<Vec<(i64, Meeting)>, StoreError> {
    match id {
        MeetingRef::Stored(n) => {
            let rows = meeting_rows(c, "m.practice_id = $1 AND m.id = $2", &[&practice.0, n])?;
            if rows.is_empty() {
                return Err(StoreError::UnknownMeeting(*n));
            }
            Ok(rows)
        }
        MeetingRef::Standing { client, original } => meeting_rows(
            c,
            "m.practice_id = $1 AND cl.handle = $2 AND (m.original_us = $3 OR m.start_us = $3)",
            &[&practice.0, &client.as_str(), &micros(*original)],
        ),
    }
}

pub(crate) fn store_meeting(
    c: &mut Client,
    practice: PracticeId,
    id: Option<i64>,
    m: &Meeting,
) -> Result<i64, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let id = save_meeting(&mut tx, practice, id, m)?;
    tx.commit().db()?;
    Ok(id)
}

pub(crate) fn book(
    c: &mut Client,
    practice: PracticeId,
    request: &BookRequest<'_>,
) -> Result<i64, StoreError> {
    let (from, to) = request.range;
    // The practice's writers take turns (an advisory lock held until commit), and each
    // statement below reads what was committed before it began, so a second booking of the
    // slot waits for the first and then sees it.
    let tx = RefCell::new(crate::write(c, practice)?);
    {
        let mut around = meeting_rows(
            &mut *tx.borrow_mut(),
            "m.practice_id = $1 AND ((m.start_us >= $2 AND m.start_us < $3)
             OR (m.original_us >= $2 AND m.original_us < $3))",
            &[&practice.0, &micros(from), &micros(to)],
        )?;
        // A meeting being moved does not stand in its own way.
        around.retain(|(id, _)| Some(*id) != request.moving);
        let client = request.meeting.client.as_str();
        let calls = |week: Date| {
            crate::contacts::adhoc_calls(&mut *tx.borrow_mut(), practice, client, week)
                .unwrap_or(u32::MAX)
        };
        (request.check)(&around, &calls).map_err(StoreError::Refused)?;
    }
    let mut tx = tx.into_inner();
    let id = save_meeting(&mut tx, practice, request.moving, request.meeting)?;
    if let Some((booker, hash)) = request.booker {
        tx.execute(
            "INSERT INTO bookings (meeting_id, name, email, topic, manage_hash)
             VALUES ($1, $2, $3, $4, $5)",
            &[&id, &booker.name, &booker.email, &booker.topic, &hash],
        )
        .db()?;
    }
    for m in (request.messages)(id) {
        crate::outbox::enqueue(&mut tx, practice, &m, request.now, None)?;
    }
    tx.commit().db()?;
    Ok(id)
}

/// The booking whose change link has this secret's hash.
pub(crate) fn booking(
    c: &mut impl GenericClient,
    hash: &[u8],
) -> Result<Option<Booked>, StoreError> {
    let found = c
        .query_opt(
            "SELECT m.practice_id, b.meeting_id, b.name, b.email, b.topic
             FROM bookings b JOIN meetings m ON m.id = b.meeting_id WHERE b.manage_hash = $1",
            &[&hash],
        )
        .db()?;
    let Some(r) = found else {
        return Ok(None);
    };
    let practice: i64 = r.col(0)?;
    let id: i64 = r.col(1)?;
    let name: String = r.col(2)?;
    let email: String = r.col(3)?;
    let topic: String = r.col(4)?;
    let meeting = meeting_rows(c, "m.id = $1", &[&id])?
        .pop()
        .map(|(_, m)| m)
        .ok_or_else(|| corrupt(format!("booking {id} has no meeting")))?;
    Ok(Some(Booked {
        practice: PracticeId(practice),
        id,
        meeting,
        booker: Booker { name, email, topic },
    }))
}

/// Who booked meeting `id`.
pub(crate) fn booker(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: i64,
) -> Result<Option<Booker>, StoreError> {
    c.query_opt(
        "SELECT b.name, b.email, b.topic FROM bookings b JOIN meetings m ON m.id = b.meeting_id
         WHERE m.practice_id = $1 AND b.meeting_id = $2",
        &[&practice.0, &id],
    )
    .db()?
    .map(|r| {
        Ok(Booker {
            name: r.col(0)?,
            email: r.col(1)?,
            topic: r.col(2)?,
        })
    })
    .transpose()
}

/// Stores a change to meeting `id` and queues `messages` with it.
pub(crate) fn change_meeting(
    c: &mut Client,
    practice: PracticeId,
    id: i64,
    meeting: &Meeting,
    messages: &[Message],
    now: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = crate::write(c, practice)?;
    save_meeting(&mut tx, practice, Some(id), meeting)?;
    for m in messages {
        crate::outbox::enqueue(&mut tx, practice, m, now, None)?;
    }
    tx.commit().db()
}

/// Inserts or updates a meeting inside the caller's transaction.
pub(crate) fn save_meeting(
    tx: &mut impl GenericClient,
    practice: PracticeId,
    id: Option<i64>,
    m: &Meeting,
) -> Result<i64, StoreError> {
    let client = id_of(tx, "clients", practice, m.client.as_str())?
        .ok_or_else(|| DecideError::UnknownClient(m.client.to_string()))?;
    let member = id_of(tx, "members", practice, m.member.as_str())?
        .ok_or_else(|| corrupt(format!("member {} is not stored", m.member)))?;
    let original = m.original.map(micros);
    let start = micros(m.start);
    let minutes = i64::from(m.minutes);
    let held = m.held_minutes.map(i64::from);
    let cancelled = m.cancelled_at.map(micros);
    let late = i64::from(m.late);
    let values: [&(dyn ToSql + Sync); 11] = [
        &practice.0,
        &client,
        &member,
        &m.kind.as_str(),
        &original,
        &start,
        &minutes,
        &m.status.as_str(),
        &held,
        &cancelled,
        &late,
    ];
    let id = match id {
        Some(id) => {
            let mut all = values.to_vec();
            all.push(&id);
            let changed = tx
                .execute(
                    "UPDATE meetings SET client_id = $2, member_id = $3, kind = $4,
                        original_us = $5, start_us = $6, minutes = $7, status = $8,
                        held_minutes = $9, cancelled_us = $10, late = $11, sequence = sequence + 1
                     WHERE practice_id = $1 AND id = $12",
                    &all,
                )
                .db()?;
            if changed == 0 {
                return Err(StoreError::UnknownMeeting(id));
            }
            id
        }
        None => tx
            .query_one(
                "INSERT INTO meetings (practice_id, client_id, member_id, kind, original_us,
                    start_us, minutes, status, held_minutes, cancelled_us, late)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT (client_id, original_us) WHERE original_us IS NOT NULL
                 DO UPDATE SET member_id = excluded.member_id, start_us = excluded.start_us,
                    minutes = excluded.minutes, status = excluded.status,
                    held_minutes = excluded.held_minutes,
                    cancelled_us = excluded.cancelled_us, late = excluded.late,
                    sequence = meetings.sequence + 1
                 RETURNING id",
                &values,
            )
            .db()?
            .col(0)?,
    };
    Ok(id)
}

pub(crate) const MEETING_COLUMNS: &str =
    "m.id, cl.handle, mb.handle, m.kind, m.original_us, m.start_us,
    m.minutes, m.status, m.held_minutes, m.cancelled_us, m.late, m.sequence";

/// The meetings matching `condition` (on `m`, the meetings table; `$1`, `$2`… placeholders),
/// by start.
pub(crate) fn meeting_rows(
    c: &mut impl GenericClient,
    condition: &str,
    params: &Params<'_>,
) -> Result<Vec<(i64, Meeting)>, StoreError> {
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM meetings m
         JOIN clients cl ON cl.id = m.client_id
         JOIN members mb ON mb.id = m.member_id
         WHERE {condition} ORDER BY m.start_us, m.id"
    );
    query(c, &sql, params, |r| {
        let id: i64 = r.col(0)?;
        let client: String = r.col(1)?;
        let member: String = r.col(2)?;
        let kind: String = r.col(3)?;
        let original: Option<i64> = r.col(4)?;
        let start: i64 = r.col(5)?;
        let minutes: i64 = r.col(6)?;
        let status: String = r.col(7)?;
        let held: Option<i64> = r.col(8)?;
        let cancelled: Option<i64> = r.col(9)?;
        let late: i64 = r.col(10)?;
        let seq: i64 = r.col(11)?;
        Ok((
            id,
            Meeting {
                client: Handle::parse(&client).map_err(corrupt)?,
                member: Handle::parse(&member).map_err(corrupt)?,
                kind: MeetingKind::parse(&kind).map_err(corrupt)?,
                original: original.map(from_micros).transpose()?,
                start: from_micros(start)?,
                minutes: u32::try_from(minutes).map_err(corrupt)?,
                status: MeetingStatus::parse(&status).map_err(corrupt)?,
                held_minutes: held.map(u32::try_from).transpose().map_err(corrupt)?,
                cancelled_at: cancelled.map(from_micros).transpose()?,
                late: late != 0,
                sequence: u32::try_from(seq).map_err(corrupt)?,
            },
        ))
    })
}
