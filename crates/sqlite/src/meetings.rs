//! Meetings: booked, ad-hoc, and what happened to standing-call occurrences; bookings checked
//! inside the transaction that stores them.

use crate::*;
use frontdesk_core::booking::Booker;
use frontdesk_core::outbox::Message;

pub(crate) fn meetings(
    conn: &Connection,
    practice: PracticeId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<(i64, Meeting)>, StoreError> {
    meeting_rows(
        conn,
        "m.practice_id = ?1 AND ((m.start_us >= ?2 AND m.start_us < ?3)
         OR (m.original_us >= ?2 AND m.original_us < ?3))",
        params![practice.0, micros(from), micros(to)],
    )
}

pub(crate) fn meetings_about(
    conn: &Connection,
    practice: PracticeId,
    id: &MeetingRef,
) -> Result<Vec<(i64, Meeting)>, StoreError> {
    match id {
        MeetingRef::Stored(n) => {
            let rows = meeting_rows(
                conn,
                "m.practice_id = ?1 AND m.id = ?2",
                params![practice.0, n],
            )?;
            if rows.is_empty() {
                return Err(StoreError::UnknownMeeting(*n));
            }
            Ok(rows)
        }
        MeetingRef::Standing { client, original } => meeting_rows(
            conn,
            "m.practice_id = ?1 AND cl.handle = ?2 AND (m.original_us = ?3 OR m.start_us = ?3)",
            params![practice.0, client.as_str(), micros(*original)],
        ),
    }
}

pub(crate) fn store_meeting(
    conn: &mut Connection,
    practice: PracticeId,
    id: Option<i64>,
    m: &Meeting,
) -> Result<i64, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let id = save_meeting(&tx, practice, id, m)?;
    tx.commit().db()?;
    Ok(id)
}

pub(crate) fn book(
    conn: &mut Connection,
    practice: PracticeId,
    request: &BookRequest<'_>,
) -> Result<i64, StoreError> {
    let (from, to) = request.range;
    // IMMEDIATE takes the write lock before reading, so a second booking waits for the
    // first and then sees it.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let mut around = meeting_rows(
        &tx,
        "m.practice_id = ?1 AND ((m.start_us >= ?2 AND m.start_us < ?3)
         OR (m.original_us >= ?2 AND m.original_us < ?3))",
        params![practice.0, micros(from), micros(to)],
    )?;
    // A meeting being moved does not stand in its own way.
    around.retain(|(id, _)| Some(*id) != request.moving);
    let client = request.meeting.client.as_str();
    let calls =
        |week: Date| crate::contacts::adhoc_calls(&tx, practice, client, week).unwrap_or(u32::MAX);
    (request.check)(&around, &calls).map_err(StoreError::Refused)?;
    let id = save_meeting(&tx, practice, request.moving, request.meeting)?;
    if let Some((booker, hash)) = request.booker {
        tx.prepare_cached(
            "INSERT INTO bookings (meeting_id, name, email, topic, manage_hash)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .db()?
        .execute(params![id, booker.name, booker.email, booker.topic, hash])
        .db()?;
    }
    for m in (request.messages)(id) {
        crate::outbox::enqueue(&tx, practice, &m, request.now, None)?;
    }
    tx.commit().db()?;
    Ok(id)
}

/// The booking whose change link has this secret's hash.
pub(crate) fn booking(conn: &Connection, hash: &[u8]) -> Result<Option<Booked>, StoreError> {
    let found: Option<(i64, i64, String, String, String)> = conn
        .prepare_cached(
            "SELECT m.practice_id, b.meeting_id, b.name, b.email, b.topic
             FROM bookings b JOIN meetings m ON m.id = b.meeting_id WHERE b.manage_hash = ?1",
        )
        .db()?
        .query_row(params![hash], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()
        .db()?;
    let Some((practice, id, name, email, topic)) = found else {
        return Ok(None);
    };
    let meeting = meeting_rows(conn, "m.id = ?1", params![id])?
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
    conn: &Connection,
    practice: PracticeId,
    id: i64,
) -> Result<Option<Booker>, StoreError> {
    conn.prepare_cached(
        "SELECT b.name, b.email, b.topic FROM bookings b JOIN meetings m ON m.id = b.meeting_id
         WHERE m.practice_id = ?1 AND b.meeting_id = ?2",
    )
    .db()?
    .query_row(params![practice.0, id], |r| {
        Ok(Booker {
            name: r.get(0)?,
            email: r.get(1)?,
            topic: r.get(2)?,
        })
    })
    .optional()
    .db()
}

/// Stores a change to meeting `id` and queues `messages` with it.
pub(crate) fn change_meeting(
    conn: &mut Connection,
    practice: PracticeId,
    id: i64,
    meeting: &Meeting,
    messages: &[Message],
    now: Timestamp,
) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    save_meeting(&tx, practice, Some(id), meeting)?;
    for m in messages {
        crate::outbox::enqueue(&tx, practice, m, now, None)?;
    }
    tx.commit().db()
}

/// Inserts or updates a meeting inside the caller's transaction.
pub(crate) fn save_meeting(
    tx: &Connection,
    practice: PracticeId,
    id: Option<i64>,
    m: &Meeting,
) -> Result<i64, StoreError> {
    let client = id_of(tx, "clients", practice, m.client.as_str())?
        .ok_or_else(|| DecideError::UnknownClient(m.client.to_string()))?;
    let member = id_of(tx, "members", practice, m.member.as_str())?
        .ok_or_else(|| corrupt(format!("member {} is not stored", m.member)))?;
    let values = params![
        practice.0,
        client,
        member,
        m.kind.as_str(),
        m.original.map(micros),
        micros(m.start),
        m.minutes,
        m.status.as_str(),
        m.held_minutes,
        m.cancelled_at.map(micros),
        m.late,
    ];
    let id = match id {
        Some(id) => {
            let changed = tx
                .prepare_cached(
                    "UPDATE meetings SET client_id = ?2, member_id = ?3, kind = ?4,
                        original_us = ?5, start_us = ?6, minutes = ?7, status = ?8,
                        held_minutes = ?9, cancelled_us = ?10, late = ?11, sequence = sequence + 1
                     WHERE practice_id = ?1 AND id = ?12",
                )
                .db()?
                .execute(rusqlite::params_from_iter(
                    values
                        .iter()
                        .copied()
                        .chain(std::iter::once(&id as &dyn rusqlite::ToSql)),
                ))
                .db()?;
            if changed == 0 {
                return Err(StoreError::UnknownMeeting(id));
            }
            id
        }
        None => tx
            .prepare_cached(
                "INSERT INTO meetings (practice_id, client_id, member_id, kind, original_us,
                    start_us, minutes, status, held_minutes, cancelled_us, late)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (client_id, original_us) WHERE original_us IS NOT NULL
                 DO UPDATE SET member_id = excluded.member_id, start_us = excluded.start_us,
                    minutes = excluded.minutes, status = excluded.status,
                    held_minutes = excluded.held_minutes,
                    cancelled_us = excluded.cancelled_us, late = excluded.late,
                    sequence = meetings.sequence + 1
                 RETURNING id",
            )
            .db()?
            .query_row(values, |r| r.get(0))
            .db()?,
    };
    Ok(id)
}

pub(crate) const MEETING_COLUMNS: &str =
    "m.id, cl.handle, mb.handle, m.kind, m.original_us, m.start_us,
    m.minutes, m.status, m.held_minutes, m.cancelled_us, m.late, m.sequence";

/// The meetings matching `condition` (on `m`, the meetings table), by start.
pub(crate) fn meeting_rows(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<(i64, Meeting)>, StoreError> {
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM meetings m
         JOIN clients cl ON cl.id = m.client_id
         JOIN members mb ON mb.id = m.member_id
         WHERE {condition} ORDER BY m.start_us, m.id"
    );
    let mut stmt = conn.prepare_cached(&sql).db()?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, bool>(10)?,
                r.get::<_, i64>(11)?,
            ))
        })
        .db()?;
    let mut out = Vec::new();
    for row in rows {
        let (
            id,
            client,
            member,
            kind,
            original,
            start,
            minutes,
            status,
            held,
            cancelled,
            late,
            seq,
        ) = row.db()?;
        out.push((
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
                late,
                sequence: u32::try_from(seq).map_err(corrupt)?,
            },
        ));
    }
    Ok(out)
}
