//! The audit log's storage: entries appended in the transaction of what they record, each with
//! its chained hash, and the chain's head per practice. Nothing here updates or deletes an
//! entry.

use frontdesk_core::audit::{Entry, GENESIS, Hash, hash};
use frontdesk_store::{PracticeId, StoreError};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::{Db, corrupt, from_micros, micros};

/// What to append: everything but the place in the chain.
pub(crate) struct Fact<'a> {
    pub at: Timestamp,
    pub actor: &'a str,
    pub kind: &'a str,
    pub client: Option<&'a str>,
    pub subject: String,
    pub data: String,
}

/// Appends `fact` to the practice's chain, inside the caller's transaction.
pub(crate) fn append(
    conn: &Connection,
    practice: PracticeId,
    fact: Fact<'_>,
) -> Result<(), StoreError> {
    let mut chain = Appender::open(conn, practice)?;
    chain.push(conn, fact)?;
    chain.close(conn)
}

/// Appends several entries in one transaction, reading the chain's head once and writing it
/// once at the end (a batch of contacts).
pub(crate) struct Appender {
    practice: PracticeId,
    seq: i64,
    previous: Hash,
    moved: bool,
}

impl Appender {
    pub(crate) fn open(conn: &Connection, practice: PracticeId) -> Result<Appender, StoreError> {
        let head: Option<(i64, Vec<u8>)> = conn
            .prepare_cached("SELECT seq, hash FROM audit_heads WHERE practice_id = ?1")
            .db()?
            .query_row(params![practice.0], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .db()?;
        let (seq, previous) = match head {
            Some((seq, h)) => (seq, to_hash(&h)?),
            None => (0, GENESIS),
        };
        Ok(Appender {
            practice,
            seq,
            previous,
            moved: false,
        })
    }

    pub(crate) fn push(&mut self, conn: &Connection, fact: Fact<'_>) -> Result<(), StoreError> {
        let entry = Entry {
            seq: self.seq + 1,
            at: fact.at,
            actor: fact.actor.to_string(),
            kind: fact.kind.to_string(),
            client: fact.client.map(str::to_string),
            subject: fact.subject,
            data: fact.data,
        };
        let h = hash(&self.previous, &entry);
        conn.prepare_cached(
            "INSERT INTO audit_log (practice_id, seq, at_us, actor, kind, client, subject, data, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .db()?
        .execute(params![
            self.practice.0,
            entry.seq,
            micros(entry.at),
            entry.actor,
            entry.kind,
            entry.client,
            entry.subject,
            entry.data,
            &h[..]
        ])
        .db()?;
        self.seq = entry.seq;
        self.previous = h;
        self.moved = true;
        Ok(())
    }

    /// Writes the new head, in the same transaction as the entries.
    pub(crate) fn close(self, conn: &Connection) -> Result<(), StoreError> {
        if !self.moved {
            return Ok(());
        }
        conn.prepare_cached(
            "INSERT INTO audit_heads (practice_id, seq, hash) VALUES (?1, ?2, ?3)
             ON CONFLICT (practice_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        )
        .db()?
        .execute(params![self.practice.0, self.seq, &self.previous[..]])
        .db()?;
        Ok(())
    }
}

fn to_hash(bytes: &[u8]) -> Result<Hash, StoreError> {
    bytes
        .try_into()
        .map_err(|_| corrupt("an audit hash is not 32 bytes"))
}

/// The practice's whole chain in order, each entry with its stored hash, and the head.
pub(crate) fn chain(
    conn: &Connection,
    practice: PracticeId,
) -> Result<frontdesk_store::AuditChain, StoreError> {
    let rows = crate::query(
        conn,
        "SELECT seq, at_us, actor, kind, client, subject, data, hash FROM audit_log
         WHERE practice_id = ?1 ORDER BY seq",
        params![practice.0],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Vec<u8>>(7)?,
            ))
        },
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (seq, at, actor, kind, client, subject, data, h) in rows {
        out.push((
            Entry {
                seq,
                at: from_micros(at)?,
                actor,
                kind,
                client,
                subject,
                data,
            },
            to_hash(&h)?,
        ));
    }
    let head: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT seq, hash FROM audit_heads WHERE practice_id = ?1")
        .db()?
        .query_row(params![practice.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .db()?;
    let head = match head {
        Some((seq, h)) => Some((seq, to_hash(&h)?)),
        None => None,
    };
    Ok((out, head))
}
