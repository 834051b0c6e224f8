//! Meetings: booked, ad-hoc, and what happened to standing-call occurrences; bookings checked
//! inside the transaction that stores them.

use crate::*;

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
    meeting: &Meeting,
    from: Timestamp,
    to: Timestamp,
    check: &BookCheck<'_>,
) -> Result<i64, StoreError> {
    // IMMEDIATE takes the write lock before reading, so a second booking waits for the
    // first and then sees it.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let around = meeting_rows(
        &tx,
        "m.practice_id = ?1 AND ((m.start_us >= ?2 AND m.start_us < ?3)
         OR (m.original_us >= ?2 AND m.original_us < ?3))",
        params![practice.0, micros(from), micros(to)],
    )?;
    let calls = |week: Date| {
        crate::contacts::adhoc_calls(&tx, practice, meeting.client.as_str(), week)
            .unwrap_or(u32::MAX)
    };
    check(&around, &calls).map_err(StoreError::Refused)?;
    let id = save_meeting(&tx, practice, None, meeting)?;
    tx.commit().db()?;
    Ok(id)
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
