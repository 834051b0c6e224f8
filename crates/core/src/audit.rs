//! The audit log: what matters as evidence — contacts and their decisions, answers, briefs and
//! their acknowledgements, questions and answers, call-backs, changes of the practice — kept as
//! a chain. Each entry's hash covers the hash of the entry before it, so an entry edited,
//! deleted or moved breaks the chain from there on, and [`verify`] names the first bad one.
//! Entries are only ever appended; storage keeps the chain's head to tell a deleted last entry.

use jiff::Timestamp;
use sha2::{Digest, Sha256};

/// A hash of the chain.
pub type Hash = [u8; 32];

/// The hash before the first entry.
pub const GENESIS: Hash = [0; 32];

/// One entry, as appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its place in the practice's chain, from 1.
    pub seq: i64,
    pub at: Timestamp,
    /// Who did it: a member's handle, `desk` for what the desk did by itself, `cli`.
    pub actor: String,
    /// What happened (`contact.recorded`, `brief.acknowledged`, …).
    pub kind: String,
    /// The client it concerns, if one.
    pub client: Option<String>,
    /// What it is about (`contact 42`, `brief 3`).
    pub subject: String,
    /// The facts, as JSON.
    pub data: String,
}

/// The SHA-256 of `bytes`, in hexadecimal (a document's digest in an entry's data).
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hash of `entry` following `previous`: SHA-256 over the previous hash and every field,
/// each with its length, so no two different entries can be written the same way.
pub fn hash(previous: &Hash, entry: &Entry) -> Hash {
    let mut h = Sha256::new();
    h.update(previous);
    h.update(entry.seq.to_be_bytes());
    h.update(entry.at.as_microsecond().to_be_bytes());
    for field in [
        entry.actor.as_str(),
        entry.kind.as_str(),
        entry.client.as_deref().unwrap_or("\u{0}"),
        entry.subject.as_str(),
        entry.data.as_str(),
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().into()
}

/// Where the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    /// This entry is not what was written, or an entry before it was removed or moved.
    #[error(
        "entry {seq}: its hash does not follow from the entries before it — it was changed, or one before it was removed or moved"
    )]
    Entry { seq: i64 },
    /// The numbering skips or repeats here.
    #[error("entry {seq}: expected entry {expected} here — entries were removed or moved")]
    Sequence { seq: i64, expected: i64 },
    /// The chain ends before its stored head: its last entries were removed.
    #[error(
        "the log ends at entry {last} but its head says entry {head}: the last entries were removed"
    )]
    Truncated { last: i64, head: i64 },
}

/// Checks a whole chain, in order, with each entry's stored hash and the stored head
/// (`(seq, hash)` of the last entry); the first break found.
pub fn verify(entries: &[(Entry, Hash)], head: Option<(i64, Hash)>) -> Result<(), Broken> {
    let mut previous = GENESIS;
    let mut expected = 1;
    for (entry, stored) in entries {
        if entry.seq != expected {
            return Err(Broken::Sequence {
                seq: entry.seq,
                expected,
            });
        }
        if hash(&previous, entry) != *stored {
            return Err(Broken::Entry { seq: entry.seq });
        }
        previous = *stored;
        expected += 1;
    }
    let last = expected - 1;
    match head {
        Some((seq, h)) if seq != last || h != previous => {
            if seq > last {
                Err(Broken::Truncated { last, head: seq })
            } else {
                Err(Broken::Entry { seq: last })
            }
        }
        None if last > 0 => Err(Broken::Truncated { last, head: 0 }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<(Entry, Hash)> {
        let mut out: Vec<(Entry, Hash)> = Vec::new();
        for seq in 1..=n {
            let e = Entry {
                seq,
                at: Timestamp::from_second(1_700_000_000 + seq).unwrap(),
                actor: "eva".into(),
                kind: "brief.edited".into(),
                client: Some("acme".into()),
                subject: format!("brief {seq}"),
                data: format!("{{\"n\":{seq}}}"),
            };
            let prev = out.last().map_or(GENESIS, |(_, h)| *h);
            let h = hash(&prev, &e);
            out.push((e, h));
        }
        out
    }

    fn head(c: &[(Entry, Hash)]) -> Option<(i64, Hash)> {
        c.last().map(|(e, h)| (e.seq, *h))
    }

    #[test]
    fn an_intact_chain_verifies_and_every_kind_of_tampering_is_named() {
        let c = chain(5);
        assert_eq!(verify(&c, head(&c)), Ok(()));
        // An edited entry.
        let mut edited = c.clone();
        edited[2].0.data = "{\"n\":99}".into();
        assert_eq!(verify(&edited, head(&c)), Err(Broken::Entry { seq: 3 }));
        // An edited entry whose hash was recomputed: the next one breaks.
        let mut rehashed = c.clone();
        rehashed[2].0.data = "{\"n\":99}".into();
        rehashed[2].1 = hash(&c[1].1, &rehashed[2].0);
        assert_eq!(verify(&rehashed, head(&c)), Err(Broken::Entry { seq: 4 }));
        // A deleted entry in the middle.
        let mut deleted = c.clone();
        deleted.remove(1);
        assert_eq!(
            verify(&deleted, head(&c)),
            Err(Broken::Sequence {
                seq: 3,
                expected: 2
            })
        );
        // Two swapped.
        let mut swapped = c.clone();
        swapped.swap(1, 2);
        assert!(verify(&swapped, head(&c)).is_err());
        // The last one deleted: the head tells.
        let truncated = c[..4].to_vec();
        assert_eq!(
            verify(&truncated, head(&c)),
            Err(Broken::Truncated { last: 4, head: 5 })
        );
    }
}
