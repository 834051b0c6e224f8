//! Money: what billing reads of contacts, billable items (kept once per key, as the core's
//! JSON), invoices and credit notes with their gapless series and hash chain. Issued invoices
//! are never changed or removed (the schema's triggers refuse it).

use frontdesk_core::Handle;
use frontdesk_core::billing::{Item, Work};
use frontdesk_core::invoice::{DocKind, Invoice};
use frontdesk_store::{Issuing, PracticeId, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::audit::{Fact, append};
use crate::{Db, corrupt, from_micros, micros, parse_flags, query};

pub(crate) fn work(
    conn: &Connection,
    practice: PracticeId,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<Work>, StoreError> {
    let rows = query(
        conn,
        "SELECT c.id, cl.handle, c.at_us, c.answered_us, c.flags, c.work_minutes
         FROM contacts c
         JOIN clients cl ON cl.id = c.client_id
         WHERE c.practice_id = ?1 AND c.at_us >= ?2 AND c.at_us < ?3 AND c.automatic IS NULL
         ORDER BY c.at_us, c.id",
        params![practice.0, micros(from), micros(until)],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<u32>>(5)?,
            ))
        },
    )?;
    rows.into_iter()
        .map(|(contact, client, at, answered, flags, minutes)| {
            Ok(Work {
                contact,
                client: Handle::parse(&client).map_err(corrupt)?,
                at: from_micros(at)?,
                flags: parse_flags(&flags)?,
                answered: answered.map(from_micros).transpose()?,
                minutes,
            })
        })
        .collect()
}

fn item_row(tx: &Connection, practice: PracticeId, it: &Item) -> Result<(), StoreError> {
    let data = serde_json::to_string(it).map_err(corrupt)?;
    tx.execute(
        "UPDATE billing_items SET key = ?3, invoice_id = ?4, data = ?5
         WHERE practice_id = ?1 AND id = ?2",
        params![practice.0, it.id, it.key, it.invoice, data],
    )
    .db()?;
    Ok(())
}

pub(crate) fn put_items(
    conn: &mut Connection,
    practice: PracticeId,
    items: &[Item],
) -> Result<Vec<Item>, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let mut kept = Vec::new();
    for it in items {
        let manual = it.key.is_empty();
        // A manual item's key is its number: unique until the row exists.
        let key = if manual {
            format!("manual:new:{}", kept.len())
        } else {
            it.key.clone()
        };
        let n = tx
            .execute(
                "INSERT OR IGNORE INTO billing_items (practice_id, client, key, day, data)
                 VALUES (?1, ?2, ?3, ?4, '')",
                params![practice.0, it.client.as_str(), key, it.date.to_string()],
            )
            .db()?;
        if n == 0 {
            continue;
        }
        let mut it = it.clone();
        it.id = tx.last_insert_rowid();
        if manual {
            it.key = format!("manual:{}", it.id);
        }
        item_row(&tx, practice, &it)?;
        if manual {
            append(
                &tx,
                practice,
                Fact {
                    at: it.derived_at,
                    actor: "member",
                    kind: "billing.item.added",
                    client: Some(it.client.as_str()),
                    subject: format!("item {}", it.id),
                    data: serde_json::to_string(&it).map_err(corrupt)?,
                },
            )?;
        }
        kept.push(it);
    }
    tx.commit().db()?;
    Ok(kept)
}

pub(crate) fn item_keys(
    conn: &Connection,
    practice: PracticeId,
    from: Date,
    until: Date,
) -> Result<std::collections::HashSet<String>, StoreError> {
    Ok(query(
        conn,
        "SELECT key FROM billing_items WHERE practice_id = ?1 AND day >= ?2 AND day <= ?3",
        params![practice.0, from.to_string(), until.to_string()],
        |r| r.get::<_, String>(0),
    )?
    .into_iter()
    .collect())
}

fn parse_items(rows: Vec<String>) -> Result<Vec<Item>, StoreError> {
    rows.iter()
        .map(|d| serde_json::from_str(d).map_err(corrupt))
        .collect()
}

pub(crate) fn items(
    conn: &Connection,
    practice: PracticeId,
    client: Option<&Handle>,
    from: Date,
    until: Date,
    open: bool,
) -> Result<Vec<Item>, StoreError> {
    let rows = query(
        conn,
        "SELECT data FROM billing_items
         WHERE practice_id = ?1 AND (?2 IS NULL OR client = ?2) AND day >= ?3 AND day <= ?4
           AND (?5 = 0 OR invoice_id IS NULL)
         ORDER BY day, id",
        params![
            practice.0,
            client.map(Handle::as_str),
            from.to_string(),
            until.to_string(),
            open
        ],
        |r| r.get::<_, String>(0),
    )?;
    parse_items(rows)
}

pub(crate) fn adjust(
    conn: &mut Connection,
    practice: PracticeId,
    id: i64,
    judge: &frontdesk_store::AdjustFn<'_>,
) -> Result<Item, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let row: Option<(String, Option<String>)> = tx
        .query_row(
            "SELECT b.data, i.number FROM billing_items b
             LEFT JOIN invoices i ON i.id = b.invoice_id
             WHERE b.practice_id = ?1 AND b.id = ?2",
            params![practice.0, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .db()?;
    let Some((data, number)) = row else {
        return Err(StoreError::Refused(format!(
            "item {id}: there is no such item"
        )));
    };
    let mut it: Item = serde_json::from_str(&data).map_err(corrupt)?;
    let a = judge(&it, number.as_deref())?;
    let kind = if a.amount.is_zero() {
        "billing.item.waived"
    } else {
        "billing.item.adjusted"
    };
    let (actor, at) = (a.by.clone(), a.at);
    it.adjustment = Some(a);
    item_row(&tx, practice, &it)?;
    append(
        &tx,
        practice,
        Fact {
            at,
            actor: &actor,
            kind,
            client: Some(it.client.as_str()),
            subject: format!("item {id}"),
            data: serde_json::to_string(&it).map_err(corrupt)?,
        },
    )?;
    tx.commit().db()?;
    Ok(it)
}

pub(crate) fn save_draft(
    conn: &mut Connection,
    practice: PracticeId,
    draft: &Invoice,
) -> Result<Invoice, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let period = draft.period.map(|p| p.to_string());
    let corrects = draft.corrects.as_ref().map(|c| c.id);
    tx.execute(
        "DELETE FROM invoices
         WHERE practice_id = ?1 AND client = ?2 AND kind = ?3 AND number IS NULL
           AND ((?3 = 'invoice' AND period IS ?4) OR (?3 = 'credit' AND corrects IS ?5))",
        params![
            practice.0,
            draft.client.as_str(),
            draft.kind.as_str(),
            period,
            corrects
        ],
    )
    .db()?;
    tx.execute(
        "INSERT INTO invoices (practice_id, client, kind, period, corrects, data)
         VALUES (?1, ?2, ?3, ?4, ?5, '')",
        params![
            practice.0,
            draft.client.as_str(),
            draft.kind.as_str(),
            period,
            corrects
        ],
    )
    .db()?;
    let mut d = draft.clone();
    d.id = tx.last_insert_rowid();
    tx.execute(
        "UPDATE invoices SET data = ?2 WHERE id = ?1",
        params![d.id, serde_json::to_string(&d).map_err(corrupt)?],
    )
    .db()?;
    tx.commit().db()?;
    Ok(d)
}

fn parse_invoices(rows: Vec<String>) -> Result<Vec<Invoice>, StoreError> {
    rows.iter()
        .map(|d| serde_json::from_str(d).map_err(corrupt))
        .collect()
}

pub(crate) fn invoices(
    conn: &Connection,
    practice: PracticeId,
    client: Option<&Handle>,
) -> Result<Vec<Invoice>, StoreError> {
    let rows = query(
        conn,
        "SELECT data FROM invoices WHERE practice_id = ?1 AND (?2 IS NULL OR client = ?2)
         ORDER BY id DESC",
        params![practice.0, client.map(Handle::as_str)],
        |r| r.get::<_, String>(0),
    )?;
    parse_invoices(rows)
}

pub(crate) fn invoice(
    conn: &Connection,
    practice: PracticeId,
    id: Option<i64>,
    number: Option<&str>,
) -> Result<Option<Invoice>, StoreError> {
    let data: Option<String> = conn
        .query_row(
            "SELECT data FROM invoices WHERE practice_id = ?1 AND (id = ?2 OR number = ?3)",
            params![practice.0, id, number],
            |r| r.get(0),
        )
        .optional()
        .db()?;
    data.map(|d| serde_json::from_str(&d).map_err(corrupt))
        .transpose()
}

pub(crate) fn issue(
    conn: &mut Connection,
    practice: PracticeId,
    id: i64,
    year: i16,
    make: &dyn Fn(&Invoice, &Issuing) -> Result<Invoice, StoreError>,
    actor: &str,
    at: Timestamp,
) -> Result<Invoice, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let Some(draft) = invoice(&tx, practice, Some(id), None)? else {
        return Err(StoreError::Refused(format!(
            "invoice {id}: there is no such invoice"
        )));
    };
    let mut issuing = Issuing::default();
    if draft.kind == DocKind::Invoice
        && let Some(p) = draft.period
    {
        issuing.open_items = items(
            &tx,
            practice,
            Some(&draft.client),
            Date::constant(1970, 1, 1),
            p.last_day(),
            true,
        )?;
    }
    if let Some(c) = &draft.corrects {
        issuing.corrected = invoice(&tx, practice, Some(c.id), None)?;
        issuing.credits = query(
            &tx,
            "SELECT data FROM invoices WHERE practice_id = ?1 AND corrects = ?2
               AND number IS NOT NULL",
            params![practice.0, c.id],
            |r| r.get::<_, String>(0),
        )
        .and_then(parse_invoices)?;
    }
    let last: i64 = tx
        .query_row(
            "SELECT last FROM invoice_series WHERE practice_id = ?1 AND year = ?2",
            params![practice.0, year],
            |r| r.get(0),
        )
        .optional()
        .db()?
        .unwrap_or(0);
    issuing.sequence = u32::try_from(last + 1).map_err(corrupt)?;
    issuing.previous_hash = tx
        .query_row(
            "SELECT hash FROM invoice_heads WHERE practice_id = ?1",
            params![practice.0],
            |r| r.get(0),
        )
        .optional()
        .db()?;
    let mut issued = make(&draft, &issuing)?;
    issued.id = id;
    let data = serde_json::to_string(&issued).map_err(corrupt)?;
    tx.execute(
        "UPDATE invoices SET number = ?2, data = ?3 WHERE id = ?1",
        params![id, issued.number, data],
    )
    .db()?;
    tx.execute(
        "INSERT INTO invoice_series (practice_id, year, last) VALUES (?1, ?2, ?3)
         ON CONFLICT (practice_id, year) DO UPDATE SET last = excluded.last",
        params![practice.0, year, last + 1],
    )
    .db()?;
    if let Some(h) = &issued.hash {
        tx.execute(
            "INSERT INTO invoice_heads (practice_id, hash) VALUES (?1, ?2)
             ON CONFLICT (practice_id) DO UPDATE SET hash = excluded.hash",
            params![practice.0, h],
        )
        .db()?;
    }
    for item_id in issued.lines.iter().flat_map(|l| &l.items) {
        if issued.kind != DocKind::Invoice {
            break;
        }
        let row: Option<String> = tx
            .query_row(
                "SELECT data FROM billing_items WHERE practice_id = ?1 AND id = ?2
                   AND invoice_id IS NULL",
                params![practice.0, item_id],
                |r| r.get(0),
            )
            .optional()
            .db()?;
        let Some(row) = row else {
            return Err(StoreError::Refused(format!(
                "item {item_id}: it is on another invoice already; draft this one again"
            )));
        };
        let mut it: Item = serde_json::from_str(&row).map_err(corrupt)?;
        it.invoice = Some(id);
        item_row(&tx, practice, &it)?;
    }
    append(
        &tx,
        practice,
        Fact {
            at,
            actor,
            kind: if issued.kind == DocKind::Credit {
                "invoice.credited"
            } else {
                "invoice.issued"
            },
            client: Some(issued.client.as_str()),
            subject: format!(
                "{} {}",
                issued.kind.as_str(),
                issued.number.as_deref().unwrap_or("")
            ),
            data,
        },
    )?;
    tx.commit().db()?;
    Ok(issued)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    #[test]
    fn an_issued_invoice_is_never_changed_or_removed_but_a_draft_may_be() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrate(&mut conn).unwrap().unwrap();
        conn.execute_batch(
            "INSERT INTO practices (id, name, document) VALUES (1, 'p', '');
             INSERT INTO invoices (id, practice_id, client, kind, number, data)
                 VALUES (1, 1, 'acme', 'invoice', 'INV-2027-0001', '{}');
             INSERT INTO invoices (id, practice_id, client, kind, data)
                 VALUES (2, 1, 'acme', 'invoice', '{}');",
        )
        .unwrap();
        let changed = conn.execute("UPDATE invoices SET data = '{\"x\":1}' WHERE id = 1", []);
        assert!(
            changed
                .unwrap_err()
                .to_string()
                .contains("an issued invoice never changes"),
        );
        let removed = conn.execute("DELETE FROM invoices WHERE id = 1", []);
        assert!(
            removed
                .unwrap_err()
                .to_string()
                .contains("an issued invoice is never removed")
        );
        assert_eq!(
            conn.execute("UPDATE invoices SET data = '{}' WHERE id = 2", [])
                .unwrap(),
            1
        );
        assert_eq!(
            conn.execute("DELETE FROM invoices WHERE id = 2", [])
                .unwrap(),
            1
        );
    }
}
