//! The audit log's storage: entries appended in the transaction of what they record, each with
//! its chained hash, and the chain's head per practice. Nothing here updates or deletes an
//! entry.

use frontdesk_core::audit::{Entry, GENESIS, Hash, hash};
use frontdesk_store::{PracticeId, StoreError};
use jiff::Timestamp;
use postgres::{GenericClient, Statement};

use crate::{Col, Db, corrupt, from_micros, micros};

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
    c: &mut impl GenericClient,
    practice: PracticeId,
    fact: Fact<'_>,
) -> Result<(), StoreError> {
    let mut chain = Appender::open(c, practice)?;
    chain.push(c, fact)?;
    chain.close(c)
}

/// Appends several entries in one transaction, reading the chain's head once and writing it
/// once at the end (a batch of contacts).
pub(crate) struct Appender {
    practice: PracticeId,
    seq: i64,
    previous: Hash,
    moved: bool,
    /// The entries' INSERT, prepared at the first push.
    insert: Option<Statement>,
}

impl Appender {
    pub(crate) fn open(
        c: &mut impl GenericClient,
        practice: PracticeId,
    ) -> Result<Appender, StoreError> {
        let (seq, previous) = match head(c, practice)? {
            Some((seq, h)) => (seq, h),
            None => (0, GENESIS),
        };
        Ok(Appender {
            practice,
            seq,
            previous,
            moved: false,
            insert: None,
        })
    }

    pub(crate) fn push(
        &mut self,
        c: &mut impl GenericClient,
        fact: Fact<'_>,
    ) -> Result<(), StoreError> {
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
        let insert = match &self.insert {
            Some(s) => s.clone(),
            None => {
                let s = c
                    .prepare(
                        "INSERT INTO audit_log (practice_id, seq, at_us, actor, kind, client, subject, data, hash)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .db()?;
                self.insert = Some(s.clone());
                s
            }
        };
        c.execute(
            &insert,
            &[
                &self.practice.0,
                &entry.seq,
                &micros(entry.at),
                &entry.actor,
                &entry.kind,
                &entry.client,
                &entry.subject,
                &entry.data,
                &&h[..],
            ],
        )
        .db()?;
        self.seq = entry.seq;
        self.previous = h;
        self.moved = true;
        Ok(())
    }

    /// Writes the new head, in the same transaction as the entries.
    pub(crate) fn close(self, c: &mut impl GenericClient) -> Result<(), StoreError> {
        if !self.moved {
            return Ok(());
        }
        c.execute(
            "INSERT INTO audit_heads (practice_id, seq, hash) VALUES ($1, $2, $3)
             ON CONFLICT (practice_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            &[&self.practice.0, &self.seq, &&self.previous[..]],
        )
        .db()?;
        Ok(())
    }
}

/// The chain's stored head: its last sequence number and hash.
fn head(
    c: &mut impl GenericClient,
    practice: PracticeId,
) -> Result<Option<(i64, Hash)>, StoreError> {
    let row = c
        .query_opt(
            "SELECT seq, hash FROM audit_heads WHERE practice_id = $1",
            &[&practice.0],
        )
        .db()?;
    match row {
        Some(r) => {
            let seq: i64 = r.col(0)?;
            let h: Vec<u8> = r.col(1)?;
            Ok(Some((seq, to_hash(&h)?)))
        }
        None => Ok(None),
    }
}

fn to_hash(bytes: &[u8]) -> Result<Hash, StoreError> {
    bytes
        .try_into()
        .map_err(|_| corrupt("an audit hash is not 32 bytes"))
}

/// The practice's whole chain in order, each entry with its stored hash, and the head.
///
/// Entries and head are read by one statement, so from one snapshot: an append committed by
/// another connection meanwhile cannot make them disagree.
pub(crate) fn chain(
    c: &mut impl GenericClient,
    practice: PracticeId,
) -> Result<frontdesk_store::AuditChain, StoreError> {
    let rows = c
        .query(
            "SELECT 0 AS part, seq, at_us, actor, kind, client, subject, data, hash
               FROM audit_log WHERE practice_id = $1
             UNION ALL
             SELECT 1 AS part, seq, NULL, NULL, NULL, NULL, NULL, NULL, hash
               FROM audit_heads WHERE practice_id = $1
             ORDER BY part, seq",
            &[&practice.0],
        )
        .db()?;
    let mut out = Vec::with_capacity(rows.len());
    let mut head = None;
    for r in &rows {
        let part: i32 = r.col(0)?;
        let seq: i64 = r.col(1)?;
        let h: Vec<u8> = r.col(8)?;
        if part == 1 {
            head = Some((seq, to_hash(&h)?));
            continue;
        }
        out.push((
            Entry {
                seq,
                at: from_micros(r.col(2)?)?,
                actor: r.col(3)?,
                kind: r.col(4)?,
                client: r.col(5)?,
                subject: r.col(6)?,
                data: r.col(7)?,
            },
            to_hash(&h)?,
        ));
    }
    Ok((out, head))
}
