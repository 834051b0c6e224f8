//! Moving a whole database between backends (`frontdesk db copy`): every table's rows into an
//! empty database in one transaction, then checked — the same number of rows in every table,
//! and every practice's audit chain whole and ending where the source's ends.

use frontdesk_store::{Store, StoreError};

/// What was copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    /// Rows per table, as counted in both databases after the copy.
    pub tables: Vec<(&'static str, u64)>,
    /// Practices, each with its audit entries (checked).
    pub practices: Vec<(String, usize)>,
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The destination's rows differ from the source's after the copy.
    #[error(
        "the copy is not whole: table {table} has {copied} rows in the destination and {source_rows} in the source (was the source written to during the copy? stop its servers and copy into a new database)"
    )]
    Counts {
        table: &'static str,
        copied: u64,
        source_rows: u64,
    },
    /// An audit chain does not verify in the destination.
    #[error("the copied audit log of practice {practice:?} does not verify: {why}")]
    Audit { practice: String, why: String },
}

/// Copies everything in `from` into the empty `to`, and checks the copy.
pub fn copy(from: &dyn Store, to: &mut dyn Store) -> Result<Copied, CopyError> {
    to.import(&mut |sink| from.export(sink))?;
    let source = from.counts()?;
    let copied = to.counts()?;
    for ((table, s), (_, d)) in source.iter().zip(&copied) {
        if s != d {
            return Err(CopyError::Counts {
                table,
                copied: *d,
                source_rows: *s,
            });
        }
    }
    let mut practices = Vec::new();
    for id in to.practice_ids()? {
        let (entries, head) = to.audit(id)?;
        let name = to.practice(id)?.settings().name.clone();
        frontdesk_core::audit::verify(&entries, head).map_err(|e| CopyError::Audit {
            practice: name.clone(),
            why: e.to_string(),
        })?;
        let (_, source_head) = from.audit(id)?;
        if source_head != head {
            return Err(CopyError::Audit {
                practice: name,
                why: "its head differs from the source's".into(),
            });
        }
        practices.push((name, entries.len()));
    }
    Ok(Copied {
        tables: copied,
        practices,
    })
}
