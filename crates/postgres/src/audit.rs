//! The audit log's storage: entries appended in the transaction of what they record, each with
//! its chained hash, and the chain's head per practice. Nothing here updates or deletes an
//! entry.

use frontdesk_core::audit::{Entry, GENESIS, Hash, hash};
use frontdesk_store::{PracticeId, StoreError};
use jiff::Timestamp;
use postgres::GenericClient;
use postgres::types::{ToSql, Type};

use crate::{Col, Db, Prepared, corrupt, from_micros, micros};

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
    let mut chain = Appender::open(c, practice, &Prepared::default())?;
    chain.push(fact);
    chain.close(c)
}

/// Appends several entries in one transaction: the chain's head is read once, the entries are
/// chained here, and they are written by one statement each time they are taken, the rest with
/// the new head when the chain closes (a batch of contacts).
pub(crate) struct Appender {
    practice: PracticeId,
    prepared: Prepared,
    /// The head as opened.
    opened: i64,
    seq: i64,
    previous: Hash,
    /// The entries chained and not yet taken.
    entries: Entries,
}

/// Audit entries with their hashes, as the columns of one INSERT.
#[derive(Default)]
pub(crate) struct Entries {
    seq: Vec<i64>,
    at: Vec<i64>,
    actor: Vec<String>,
    kind: Vec<String>,
    client: Vec<Option<String>>,
    subject: Vec<String>,
    data: Vec<String>,
    hash: Vec<Vec<u8>>,
}

/// The entries' INSERT (a macro, so that the chain's closing statement can include it).
macro_rules! insert_entries {
    () => {
        "INSERT INTO audit_log (practice_id, seq, at_us, actor, kind, client, subject, data, hash)
         SELECT $1::bigint, u.* FROM UNNEST($2::bigint[], $3::bigint[], $4::text[], $5::text[],
            $6::text[], $7::text[], $8::text[], $9::bytea[]) AS u"
    };
}
const INSERT_ENTRIES: &str = insert_entries!();
/// The entries not yet written and the new head (`$10`, `$11`), in one statement.
const CLOSE: &str = concat!(
    "WITH entries AS (",
    insert_entries!(),
    ") INSERT INTO audit_heads (practice_id, seq, hash) VALUES ($1, $10, $11)
     ON CONFLICT (practice_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash"
);

impl Entries {
    /// Writes the entries, in the caller's transaction.
    pub(crate) fn insert(
        &self,
        c: &mut impl GenericClient,
        prepared: &Prepared,
        practice: PracticeId,
    ) -> Result<(), StoreError> {
        if self.seq.is_empty() {
            return Ok(());
        }
        prepared.execute(c, INSERT_ENTRIES, &self.params(&practice.0))?;
        Ok(())
    }

    /// The INSERT's parameters with their types.
    fn params<'a>(&'a self, practice: &'a i64) -> Vec<(&'a (dyn ToSql + Sync), Type)> {
        vec![
            (practice, Type::INT8),
            (&self.seq, Type::INT8_ARRAY),
            (&self.at, Type::INT8_ARRAY),
            (&self.actor, Type::TEXT_ARRAY),
            (&self.kind, Type::TEXT_ARRAY),
            (&self.client, Type::TEXT_ARRAY),
            (&self.subject, Type::TEXT_ARRAY),
            (&self.data, Type::TEXT_ARRAY),
            (&self.hash, Type::BYTEA_ARRAY),
        ]
    }
}

impl Appender {
    pub(crate) fn open(
        c: &mut impl GenericClient,
        practice: PracticeId,
        prepared: &Prepared,
    ) -> Result<Appender, StoreError> {
        let (seq, previous) = match head(c, prepared, practice)? {
            Some((seq, h)) => (seq, h),
            None => (0, GENESIS),
        };
        Ok(Appender {
            practice,
            prepared: prepared.clone(),
            opened: seq,
            seq,
            previous,
            entries: Entries::default(),
        })
    }

    /// Chains `fact` after the last entry.
    pub(crate) fn push(&mut self, fact: Fact<'_>) {
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
        let e = &mut self.entries;
        e.seq.push(entry.seq);
        e.at.push(micros(entry.at));
        e.actor.push(entry.actor);
        e.kind.push(entry.kind);
        e.client.push(entry.client);
        e.subject.push(entry.subject);
        e.data.push(entry.data);
        e.hash.push(h.to_vec());
        self.seq = entry.seq;
        self.previous = h;
    }

    /// The entries chained since the last time, for the caller to write (before the chain
    /// closes, in the same transaction).
    pub(crate) fn take(&mut self) -> Entries {
        std::mem::take(&mut self.entries)
    }

    /// Writes the entries not taken and the new head, in the caller's transaction.
    pub(crate) fn close(self, c: &mut impl GenericClient) -> Result<(), StoreError> {
        if self.seq == self.opened {
            return Ok(());
        }
        let mut params = self.entries.params(&self.practice.0);
        let head = &self.previous[..];
        params.push((&self.seq, Type::INT8));
        params.push((&head, Type::BYTEA));
        self.prepared.execute(c, CLOSE, &params)?;
        Ok(())
    }
}

/// The chain's stored head: its last sequence number and hash.
fn head(
    c: &mut impl GenericClient,
    prepared: &Prepared,
    practice: PracticeId,
) -> Result<Option<(i64, Hash)>, StoreError> {
    let rows = prepared.query(
        c,
        "SELECT seq, hash FROM audit_heads WHERE practice_id = $1",
        &[(&practice.0, Type::INT8)],
    )?;
    match rows.first() {
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
