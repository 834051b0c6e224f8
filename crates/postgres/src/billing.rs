//! Money: what billing reads of contacts, billable items (kept once per key, as the core's
//! JSON), invoices and credit notes with their gapless series and hash chain. Issued invoices
//! are never changed or removed (the schema's triggers refuse it).

use frontdesk_core::Handle;
use frontdesk_core::billing::{Item, Work};
use frontdesk_core::invoice::{DocKind, Invoice};
use frontdesk_store::{Issuing, PracticeId, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;
use postgres::{Client, GenericClient, Statement};

use crate::audit::{Fact, append};
use crate::{Col, Db, corrupt, from_micros, micros, parse_flags, query};

pub(crate) fn work(
    c: &mut impl GenericClient,
    practice: PracticeId,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<Work>, StoreError> {
    let rows = query(
        c,
        "SELECT c.id, cl.handle, c.at_us, c.answered_us, c.flags, c.work_minutes
         FROM contacts c
         JOIN clients cl ON cl.id = c.client_id
         WHERE c.practice_id = $1 AND c.at_us >= $2 AND c.at_us < $3 AND c.automatic IS NULL
         ORDER BY c.at_us, c.id",
        &[&practice.0, &micros(from), &micros(until)],
        |r| {
            Ok((
                r.col::<i64>(0)?,
                r.col::<String>(1)?,
                r.col::<i64>(2)?,
                r.col::<Option<i64>>(3)?,
                r.col::<String>(4)?,
                r.col::<Option<i64>>(5)?,
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
                minutes: minutes
                    .map(|m| u32::try_from(m).map_err(corrupt))
                    .transpose()?,
            })
        })
        .collect()
}

/// The statement [`item_row`] runs, prepared once for a loop.
fn item_update(c: &mut impl GenericClient) -> Result<Statement, StoreError> {
    c.prepare(
        "UPDATE billing_items SET key = $3, invoice_id = $4, data = $5
         WHERE practice_id = $1 AND id = $2",
    )
    .db()
}

fn item_row(
    c: &mut impl GenericClient,
    update: &Statement,
    practice: PracticeId,
    it: &Item,
) -> Result<(), StoreError> {
    let data = serde_json::to_string(it).map_err(corrupt)?;
    c.execute(update, &[&practice.0, &it.id, &it.key, &it.invoice, &data])
        .db()?;
    Ok(())
}

pub(crate) fn put_items(
    c: &mut Client,
    practice: PracticeId,
    items: &[Item],
) -> Result<Vec<Item>, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let insert = tx
        .prepare(
            "INSERT INTO billing_items (practice_id, client, key, day, data)
             SELECT $1, $2, $3, $4, ''
             WHERE NOT EXISTS (SELECT 1 FROM billing_items WHERE practice_id = $1 AND key = $3)
             ON CONFLICT DO NOTHING
             RETURNING id",
        )
        .db()?;
    let update = item_update(&mut tx)?;
    // The NOT EXISTS spares an item kept already an id: ON CONFLICT alone would draw one from
    // the sequence for nothing, and every derivation would leave gaps SQLite does not.
    let mut kept = Vec::new();
    for it in items {
        let manual = it.key.is_empty();
        // A manual item's key is its number: unique until the row exists.
        let key = if manual {
            format!("manual:new:{}", kept.len())
        } else {
            it.key.clone()
        };
        let row = tx
            .query_opt(
                &insert,
                &[&practice.0, &it.client.as_str(), &key, &it.date.to_string()],
            )
            .db()?;
        let Some(row) = row else {
            continue;
        };
        let mut it = it.clone();
        it.id = row.col(0)?;
        if manual {
            it.key = format!("manual:{}", it.id);
        }
        item_row(&mut tx, &update, practice, &it)?;
        if manual {
            append(
                &mut tx,
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
    c: &mut impl GenericClient,
    practice: PracticeId,
    from: Date,
    until: Date,
) -> Result<std::collections::HashSet<String>, StoreError> {
    Ok(query(
        c,
        "SELECT key FROM billing_items WHERE practice_id = $1 AND day >= $2 AND day <= $3",
        &[&practice.0, &from.to_string(), &until.to_string()],
        |r| r.col::<String>(0),
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
    c: &mut impl GenericClient,
    practice: PracticeId,
    client: Option<&Handle>,
    from: Date,
    until: Date,
    open: bool,
) -> Result<Vec<Item>, StoreError> {
    let rows = query(
        c,
        "SELECT data FROM billing_items
         WHERE practice_id = $1 AND ($2::text IS NULL OR client = $2) AND day >= $3 AND day <= $4
           AND (NOT $5::boolean OR invoice_id IS NULL)
         ORDER BY day, id",
        &[
            &practice.0,
            &client.map(Handle::as_str),
            &from.to_string(),
            &until.to_string(),
            &open,
        ],
        |r| r.col::<String>(0),
    )?;
    parse_items(rows)
}

pub(crate) fn adjust(
    c: &mut Client,
    practice: PracticeId,
    id: i64,
    judge: &frontdesk_store::AdjustFn<'_>,
) -> Result<Item, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let row = tx
        .query_opt(
            "SELECT b.data, i.number FROM billing_items b
             LEFT JOIN invoices i ON i.id = b.invoice_id
             WHERE b.practice_id = $1 AND b.id = $2",
            &[&practice.0, &id],
        )
        .db()?;
    let Some(row) = row else {
        return Err(StoreError::Refused(format!(
            "item {id}: there is no such item"
        )));
    };
    let (data, number): (String, Option<String>) = (row.col(0)?, row.col(1)?);
    let mut it: Item = serde_json::from_str(&data).map_err(corrupt)?;
    let a = judge(&it, number.as_deref())?;
    let kind = if a.amount.is_zero() {
        "billing.item.waived"
    } else {
        "billing.item.adjusted"
    };
    let (actor, at) = (a.by.clone(), a.at);
    it.adjustment = Some(a);
    let update = item_update(&mut tx)?;
    item_row(&mut tx, &update, practice, &it)?;
    append(
        &mut tx,
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
    c: &mut Client,
    practice: PracticeId,
    draft: &Invoice,
) -> Result<Invoice, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let period = draft.period.map(|p| p.to_string());
    let corrects = draft.corrects.as_ref().map(|c| c.id);
    tx.execute(
        "DELETE FROM invoices
         WHERE practice_id = $1 AND client = $2 AND kind = $3 AND number IS NULL
           AND (($3 = 'invoice' AND period IS NOT DISTINCT FROM $4::text)
             OR ($3 = 'credit' AND corrects IS NOT DISTINCT FROM $5::bigint))",
        &[
            &practice.0,
            &draft.client.as_str(),
            &draft.kind.as_str(),
            &period,
            &corrects,
        ],
    )
    .db()?;
    let row = tx
        .query_one(
            "INSERT INTO invoices (practice_id, client, kind, period, corrects, data)
             VALUES ($1, $2, $3, $4, $5, '')
             RETURNING id",
            &[
                &practice.0,
                &draft.client.as_str(),
                &draft.kind.as_str(),
                &period,
                &corrects,
            ],
        )
        .db()?;
    let mut d = draft.clone();
    d.id = row.col(0)?;
    tx.execute(
        "UPDATE invoices SET data = $2 WHERE id = $1",
        &[&d.id, &serde_json::to_string(&d).map_err(corrupt)?],
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
    c: &mut impl GenericClient,
    practice: PracticeId,
    client: Option<&Handle>,
) -> Result<Vec<Invoice>, StoreError> {
    let rows = query(
        c,
        "SELECT data FROM invoices WHERE practice_id = $1 AND ($2::text IS NULL OR client = $2)
         ORDER BY id DESC",
        &[&practice.0, &client.map(Handle::as_str)],
        |r| r.col::<String>(0),
    )?;
    parse_invoices(rows)
}

pub(crate) fn invoice(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: Option<i64>,
    number: Option<&str>,
) -> Result<Option<Invoice>, StoreError> {
    // SQLite's query_row takes the first of several rows; query_opt would fail on two (an id
    // of one invoice and the number of another), hence the LIMIT.
    let data: Option<String> = c
        .query_opt(
            "SELECT data FROM invoices WHERE practice_id = $1 AND (id = $2 OR number = $3)
             ORDER BY id LIMIT 1",
            &[&practice.0, &id, &number],
        )
        .db()?
        .map(|r| r.col(0))
        .transpose()?;
    data.map(|d| serde_json::from_str(&d).map_err(corrupt))
        .transpose()
}

pub(crate) fn issue(
    c: &mut Client,
    practice: PracticeId,
    id: i64,
    year: i16,
    make: &dyn Fn(&Invoice, &Issuing) -> Result<Invoice, StoreError>,
    actor: &str,
    at: Timestamp,
) -> Result<Invoice, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let Some(draft) = invoice(&mut tx, practice, Some(id), None)? else {
        return Err(StoreError::Refused(format!(
            "invoice {id}: there is no such invoice"
        )));
    };
    let mut issuing = Issuing::default();
    if draft.kind == DocKind::Invoice
        && let Some(p) = draft.period
    {
        issuing.open_items = items(
            &mut tx,
            practice,
            Some(&draft.client),
            Date::constant(1970, 1, 1),
            p.last_day(),
            true,
        )?;
    }
    if let Some(c) = &draft.corrects {
        issuing.corrected = invoice(&mut tx, practice, Some(c.id), None)?;
        issuing.credits = query(
            &mut tx,
            "SELECT data FROM invoices WHERE practice_id = $1 AND corrects = $2
               AND number IS NOT NULL",
            &[&practice.0, &c.id],
            |r| r.col::<String>(0),
        )
        .and_then(parse_invoices)?;
    }
    let year = i64::from(year);
    // The series row is locked until commit: the practice's writers take turns already
    // (`write`), and the lock keeps the series gapless against any other writer too.
    let last: i64 = tx
        .query_opt(
            "SELECT last FROM invoice_series WHERE practice_id = $1 AND year = $2 FOR UPDATE",
            &[&practice.0, &year],
        )
        .db()?
        .map(|r| r.col(0))
        .transpose()?
        .unwrap_or(0);
    issuing.sequence = u32::try_from(last + 1).map_err(corrupt)?;
    issuing.previous_hash = tx
        .query_opt(
            "SELECT hash FROM invoice_heads WHERE practice_id = $1 FOR UPDATE",
            &[&practice.0],
        )
        .db()?
        .map(|r| r.col(0))
        .transpose()?;
    let mut issued = make(&draft, &issuing)?;
    issued.id = id;
    let data = serde_json::to_string(&issued).map_err(corrupt)?;
    tx.execute(
        "UPDATE invoices SET number = $2, data = $3 WHERE id = $1",
        &[&id, &issued.number, &data],
    )
    .db()?;
    tx.execute(
        "INSERT INTO invoice_series (practice_id, year, last) VALUES ($1, $2, $3)
         ON CONFLICT (practice_id, year) DO UPDATE SET last = excluded.last",
        &[&practice.0, &year, &(last + 1)],
    )
    .db()?;
    if let Some(h) = &issued.hash {
        tx.execute(
            "INSERT INTO invoice_heads (practice_id, hash) VALUES ($1, $2)
             ON CONFLICT (practice_id) DO UPDATE SET hash = excluded.hash",
            &[&practice.0, h],
        )
        .db()?;
    }
    if issued.kind == DocKind::Invoice {
        let select = tx
            .prepare(
                "SELECT data FROM billing_items WHERE practice_id = $1 AND id = $2
                   AND invoice_id IS NULL",
            )
            .db()?;
        let update = item_update(&mut tx)?;
        for item_id in issued.lines.iter().flat_map(|l| &l.items) {
            let row = tx.query_opt(&select, &[&practice.0, item_id]).db()?;
            let Some(row) = row else {
                return Err(StoreError::Refused(format!(
                    "item {item_id}: it is on another invoice already; draft this one again"
                )));
            };
            let mut it: Item = serde_json::from_str(&row.col::<String>(0)?).map_err(corrupt)?;
            it.invoice = Some(id);
            item_row(&mut tx, &update, practice, &it)?;
        }
    }
    append(
        &mut tx,
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
