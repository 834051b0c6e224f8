//! What the escalation risk reads — every client's contacts since a moment, in one query — and
//! the daily scores kept for the chart.

use frontdesk_core::Handle;
use frontdesk_core::risk::Contact;
use frontdesk_store::{PracticeId, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, TransactionBehavior, params};

use crate::{Db, corrupt, from_micros, micros, parse_flags, query};

/// The practice's contacts that arrived since `from` (automatic mail left out), oldest first.
pub(crate) fn contacts(
    conn: &Connection,
    practice: PracticeId,
    from: Timestamp,
) -> Result<Vec<Contact>, StoreError> {
    let rows = query(
        conn,
        "SELECT c.id, cl.handle, c.at_us, c.due_us, c.answered_us, m.handle, c.flags,
                c.addressed_to
         FROM contacts c
         JOIN clients cl ON cl.id = c.client_id
         JOIN members m ON m.id = c.assignee_id
         WHERE c.practice_id = ?1 AND c.at_us >= ?2 AND c.automatic IS NULL
         ORDER BY c.at_us, c.id",
        params![practice.0, micros(from)],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        },
    )?;
    rows.into_iter()
        .map(|(id, client, at, due, answered, assignee, flags, to)| {
            Ok(Contact {
                id,
                client: Handle::parse(&client).map_err(corrupt)?,
                at: from_micros(at)?,
                due: from_micros(due)?,
                answered: answered.map(from_micros).transpose()?,
                assignee: Handle::parse(&assignee).map_err(corrupt)?,
                flags: parse_flags(&flags)?,
                addressed_to: to.map(|t| Handle::parse(&t).map_err(corrupt)).transpose()?,
            })
        })
        .collect()
}

/// Stores the scores of `day`, replacing any stored for it.
pub(crate) fn save_day(
    conn: &mut Connection,
    practice: PracticeId,
    day: Date,
    scores: &[(Handle, u32)],
) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO risk_days (practice_id, client, day, score) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (practice_id, client, day) DO UPDATE SET score = excluded.score",
            )
            .db()?;
        for (client, score) in scores {
            stmt.execute(params![
                practice.0,
                client.as_str(),
                day.to_string(),
                i64::from((*score).min(100))
            ])
            .db()?;
        }
    }
    tx.commit().db()
}

/// The stored daily scores of `client` from `from` on, oldest first.
pub(crate) fn history(
    conn: &Connection,
    practice: PracticeId,
    client: &Handle,
    from: Date,
) -> Result<Vec<(Date, u32)>, StoreError> {
    let rows = query(
        conn,
        "SELECT day, score FROM risk_days
         WHERE practice_id = ?1 AND client = ?2 AND day >= ?3 ORDER BY day",
        params![practice.0, client.as_str(), from.to_string()],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
    )?;
    rows.into_iter()
        .map(|(day, score)| {
            Ok((
                day.parse().map_err(corrupt)?,
                u32::try_from(score).map_err(corrupt)?,
            ))
        })
        .collect()
}
