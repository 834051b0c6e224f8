//! Money: billable items derived from what the desk knows and kept, waivers and adjustments,
//! invoices drafted, issued and credited, and their CSV and PDF. The rules are the core's
//! (`billing`, `invoice`); this is where they meet the store.

use frontdesk_core::billing::{self, BillingError, Evidences, Item, Period, Unit};
use frontdesk_core::invoice::{self, DocKind, Invoice};
use frontdesk_core::money::Decimal;
use frontdesk_core::{Handle, MeetingKind, MeetingRef, Practice};
use frontdesk_store::{PracticeId, Store, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;

/// Why a billing command was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum BillingFail {
    #[error(transparent)]
    Refused(#[from] BillingError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Today in the practice's home zone: what periods and invoice dates are counted in.
pub fn today(practice: &Practice, now: Timestamp) -> Date {
    now.to_zoned_datetime(practice.home_zone()).date()
}

/// Derives the items of `period` up to `now` and keeps the new ones (the ones kept before
/// keep their amounts). Returns the items kept now.
pub fn derive(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    period: Period,
    now: Timestamp,
) -> Result<Vec<Item>, StoreError> {
    let (from, until) = period.bounds(&practice.home_zone());
    if from > now {
        return Ok(Vec::new());
    }
    let work = store.billing_work(id, from, until)?;
    let meetings: Vec<(MeetingRef, frontdesk_core::Meeting)> = store
        .meetings(id, from, until)?
        .into_iter()
        .map(|(n, m)| {
            let r = match (m.kind, m.original) {
                (MeetingKind::Standing, Some(original)) => MeetingRef::Standing {
                    client: m.client.clone(),
                    original,
                },
                _ => MeetingRef::Stored(n),
            };
            (r, m)
        })
        .collect();
    let deliverables = store.deliverables(id)?;
    let items = billing::derive(
        practice,
        period,
        &Evidences {
            work: &work,
            meetings: &meetings,
            deliverables: &deliverables,
        },
        now,
    );
    // Only what was not kept before is offered: a pass over a quiet month writes nothing.
    let kept = store.item_keys(id, period.first_day(), period.last_day())?;
    let new: Vec<Item> = items
        .into_iter()
        .filter(|i| !kept.contains(&i.key))
        .collect();
    if new.is_empty() {
        return Ok(Vec::new());
    }
    store.put_items(id, &new)
}

/// What the timers derive on every pass: this month's items, and in the first week of a month
/// the month before's too (a meeting marked held on the 1st for the 31st) — so each item is
/// kept with the terms of the day it happened, whether anyone looks at it that day or not.
pub fn derive_recent(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    now: Timestamp,
) -> Result<(), StoreError> {
    let day = today(practice, now);
    let this = Period::of(day);
    derive(store, id, practice, this, now)?;
    if day.day() <= 7
        && let Ok(before) = this.first_day().yesterday()
    {
        derive(store, id, practice, Period::of(before), now)?;
    }
    Ok(())
}

fn known(practice: &Practice, client: &Handle) -> Result<(), BillingError> {
    practice
        .client(client)
        .map(|_| ())
        .ok_or_else(|| BillingError::UnknownClient(client.to_string()))
}

/// The items of `period` (of `client` when given), derived up to `now` first. Refused for a
/// month that has not started.
pub fn items(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    client: Option<&Handle>,
    period: Period,
    now: Timestamp,
) -> Result<Vec<Item>, BillingFail> {
    period.check_started(today(practice, now))?;
    if let Some(c) = client {
        known(practice, c)?;
    }
    derive(store, id, practice, period, now)?;
    Ok(store.items(id, client, period.first_day(), period.last_day(), false)?)
}

/// A client's kept items of the last twelve months by month, this one last (the timers derive
/// them on every pass): the client page's habit costs and their chart.
pub fn months(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    client: &Handle,
    now: Timestamp,
) -> Result<Vec<(Period, Vec<Item>)>, StoreError> {
    let mut periods = Vec::new();
    let mut day = today(practice, now).first_of_month();
    for _ in 0..12 {
        periods.push(Period::of(day));
        match day.yesterday() {
            Ok(d) => day = d.first_of_month(),
            Err(_) => break,
        }
    }
    periods.reverse();
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Ok(Vec::new());
    };
    let items = store.items(id, Some(client), first.first_day(), last.last_day(), false)?;
    Ok(periods
        .into_iter()
        .map(|p| {
            let of = items
                .iter()
                .filter(|i| Period::of(i.date) == p)
                .cloned()
                .collect();
            (p, of)
        })
        .collect())
}

/// Records a manual item.
#[allow(clippy::too_many_arguments)]
pub fn add(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    client: &Handle,
    date: Date,
    description: &str,
    quantity: &str,
    unit: Unit,
    price: Option<&str>,
    now: Timestamp,
) -> Result<Item, BillingFail> {
    let it = billing::manual(
        practice,
        client,
        date,
        description,
        quantity,
        unit,
        price,
        now,
    )?;
    let kept = store.put_items(id, std::slice::from_ref(&it))?;
    kept.into_iter()
        .next()
        .ok_or_else(|| StoreError::Refused("the item was not kept".into()).into())
}

/// Waives (`amount` None) or adjusts item `item` with a reason, unless it is invoiced.
#[allow(clippy::too_many_arguments)]
pub fn adjust(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    item: i64,
    amount: Option<&str>,
    reason: &str,
    by: &Handle,
    now: Timestamp,
) -> Result<Item, BillingFail> {
    billing::may_bill(practice, by)?;
    judged(|fail| {
        store.adjust_item(id, item, &|it, number| {
            billing::adjust(it, amount, reason, by, now, number).map_err(fail)
        })
    })
}

/// Drafts the invoice of `client` for `period`: every open item up to the period's end
/// (derived up to `now` first), replacing the period's earlier draft.
pub fn draft(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    client: &Handle,
    period: Period,
    now: Timestamp,
) -> Result<Invoice, BillingFail> {
    period.check_started(today(practice, now))?;
    known(practice, client)?;
    derive(store, id, practice, period, now)?;
    let open = store.items(
        id,
        Some(client),
        Date::constant(1970, 1, 1),
        period.last_day(),
        true,
    )?;
    let d = invoice::draft(practice, client, period, &open, now)?;
    Ok(store.save_draft(id, &d)?)
}

/// Drafts a credit note correcting issued invoice `number`.
#[allow(clippy::too_many_arguments)]
pub fn credit(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    number: &str,
    lines: &[usize],
    amount: Option<&str>,
    reason: &str,
    by: &Handle,
    now: Timestamp,
) -> Result<Invoice, BillingFail> {
    billing::may_bill(practice, by)?;
    let original = find(store, id, number)?;
    let credits: Vec<Invoice> = store
        .invoices(id, Some(&original.client))?
        .into_iter()
        .filter(|i| i.issued() && i.corrects.as_ref().is_some_and(|c| c.id == original.id))
        .collect();
    let d = invoice::credit(&original, &credits, lines, amount, reason, now)?;
    Ok(store.save_draft(id, &d)?)
}

/// The invoice numbered `number`, else the one whose id it is.
pub fn find(store: &dyn Store, id: PracticeId, number: &str) -> Result<Invoice, BillingFail> {
    // A number first (a series without a prefix writes digits too), then an id.
    let found = match store.invoice(id, None, Some(number))? {
        Some(i) => Some(i),
        None => match number.parse::<i64>() {
            Ok(n) => store.invoice(id, Some(n), None)?,
            Err(_) => None,
        },
    };
    found.ok_or_else(|| {
        StoreError::Refused(format!("invoice {number:?}: there is no such invoice")).into()
    })
}

/// Issues draft `invoice` today: exactly what the draft shows — refused when its items
/// changed or went on another invoice since (draft it again) — numbered next in the series.
pub fn issue(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    number: &str,
    actor: &Handle,
    now: Timestamp,
) -> Result<Invoice, BillingFail> {
    billing::may_bill(practice, actor)?;
    let draft = find(store, id, number)?;
    if let Some(n) = &draft.number {
        return Err(BillingError::AlreadyIssued(draft.id, n.clone()).into());
    }
    let seller = practice
        .settings()
        .billing
        .as_ref()
        .ok_or(BillingError::NoSeller)?;
    let day = today(practice, now);
    let year = invoice::series_year(seller, day);
    let stale = || {
        StoreError::Refused(format!(
            "invoice {}: its items changed since it was drafted; draft it again",
            draft.id
        ))
    };
    judged(|fail| {
        store.issue_invoice(
            id,
            draft.id,
            year,
            &|d, ctx| {
                if let Some(n) = &d.number {
                    return Err(fail(BillingError::AlreadyIssued(d.id, n.clone())));
                }
                match d.kind {
                    DocKind::Invoice => {
                        let wanted: Vec<i64> =
                            d.lines.iter().flat_map(|l| l.items.clone()).collect();
                        let items: Vec<Item> = ctx
                            .open_items
                            .iter()
                            .filter(|i| wanted.contains(&i.id))
                            .cloned()
                            .collect();
                        if items.len() != wanted.len() {
                            return Err(stale());
                        }
                        let period = d.period.ok_or_else(stale)?;
                        let fresh =
                            invoice::draft(practice, &d.client, period, &items, d.created_at)
                                .map_err(fail)?;
                        if fresh.lines != d.lines {
                            return Err(stale());
                        }
                    }
                    DocKind::Credit => {
                        let original = ctx.corrected.as_ref().ok_or_else(stale)?;
                        let left = invoice::left_to_credit(original, &ctx.credits);
                        for l in &d.lines {
                            let n = l.corrects.unwrap_or(0);
                            let room = n
                                .checked_sub(1)
                                .and_then(|i| left.get(i))
                                .copied()
                                .unwrap_or(Decimal::ZERO);
                            if l.net > room {
                                return Err(fail(BillingError::CreditTooLarge {
                                    invoice: original.number.clone().unwrap_or_default(),
                                    amount: d.currency.plain(l.net),
                                    left: d.currency.plain(room),
                                }));
                            }
                        }
                    }
                }
                invoice::issue(practice, d, ctx.sequence, ctx.previous_hash.as_deref(), day)
                    .map_err(fail)
            },
            actor.as_str(),
            now,
        )
    })
}

/// Runs a store call whose judge, inside the transaction, may refuse with the core's error:
/// `call` gets the function that turns that error into the store's refusal, and the refusal
/// comes back as the core's error, words and all, rather than as a store message.
fn judged<T>(
    call: impl FnOnce(&dyn Fn(BillingError) -> StoreError) -> Result<T, StoreError>,
) -> Result<T, BillingFail> {
    let refused = std::cell::RefCell::new(None);
    let fail = |e: BillingError| {
        let message = e.to_string();
        *refused.borrow_mut() = Some(e);
        StoreError::Refused(message)
    };
    match (call(&fail), refused.into_inner()) {
        (Ok(v), _) => Ok(v),
        (Err(_), Some(e)) => Err(e.into()),
        (Err(e), None) => Err(e.into()),
    }
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// The items as CSV for the accountant (RFC 4180): one row each, amounts with a point and the
/// currency's minor digits, the rule in the client's language.
pub fn items_csv(practice: &Practice, items: &[Item]) -> String {
    let mut out = csv_line(
        &[
            "id",
            "client",
            "date",
            "kind",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "amount",
            "billed",
            "currency",
            "vat",
            "waived_or_adjusted",
            "invoice",
            "evidence",
        ]
        .map(String::from),
    );
    for it in items {
        let evidence = match &it.evidence {
            billing::Evidence::Contact(n) => format!("contact {n}"),
            billing::Evidence::Meeting(m) => format!("meeting {m}"),
            billing::Evidence::Deliverable(n) => format!("deliverable {n}"),
            billing::Evidence::None => String::new(),
        };
        out.push_str(&csv_line(&[
            it.id.to_string(),
            it.client.to_string(),
            it.date.to_string(),
            it.kind.as_str().to_string(),
            billing::client_words(practice, it),
            it.quantity.normalize().to_string(),
            it.unit.as_str().to_string(),
            it.currency.plain(it.unit_price),
            it.currency.plain(it.amount),
            it.currency.plain(it.billed()),
            it.currency.code().to_string(),
            vat_text(&it.vat),
            it.adjustment
                .as_ref()
                .map(|a| a.reason.clone())
                .unwrap_or_default(),
            it.invoice.map(|n| n.to_string()).unwrap_or_default(),
            evidence,
        ]));
    }
    out
}

fn vat_text(v: &billing::Vat) -> String {
    match v {
        billing::Vat::Rate(r) => format!("{}%", r.normalize()),
        billing::Vat::Exempt(_) => "exempt".into(),
        billing::Vat::ReverseCharge(_) => "reverse_charge".into(),
    }
}

/// The issued invoices and credit notes as CSV: one row per VAT rate of each (a document
/// with one rate is one row), credit notes negative.
pub fn invoices_csv(invoices: &[Invoice]) -> String {
    let mut out = csv_line(
        &[
            "number",
            "kind",
            "corrects",
            "issued_on",
            "due_on",
            "client",
            "buyer",
            "buyer_tax_id",
            "currency",
            "vat",
            "net",
            "vat_amount",
            "total",
        ]
        .map(String::from),
    );
    let mut issued: Vec<&Invoice> = invoices.iter().filter(|i| i.issued()).collect();
    issued.sort_by_key(|i| (i.issued_on, i.sequence, i.id));
    for i in issued {
        let sign = if i.kind == DocKind::Credit {
            -Decimal::ONE
        } else {
            Decimal::ONE
        };
        let c = i.currency;
        for v in &i.totals.vat {
            out.push_str(&csv_line(&[
                i.number.clone().unwrap_or_default(),
                i.kind.as_str().to_string(),
                i.corrects
                    .as_ref()
                    .map(|c| c.number.clone())
                    .unwrap_or_default(),
                i.issued_on.map(|d| d.to_string()).unwrap_or_default(),
                i.due_on.map(|d| d.to_string()).unwrap_or_default(),
                i.client.to_string(),
                i.buyer.name.clone(),
                i.buyer.tax_id.clone().unwrap_or_default(),
                c.code().to_string(),
                vat_text(&v.vat),
                c.plain(sign * v.base),
                c.plain(sign * v.amount),
                c.plain(sign * (v.base + v.amount)),
            ]));
        }
    }
    out
}

/// The document an invoice prints as, in its language: A4, the parties, lines grouped by
/// habit, totals per VAT rate, the VAT notes and how to pay.
pub fn document(i: &Invoice) -> frontdesk_pdf::Document {
    use frontdesk_pdf::{Block, Column, Document, Table};
    let l = i.language;
    let w = |id: &str, args: &[(&str, String)]| invoice::word(l, id, args);
    let c = i.currency;
    let money = |a: Decimal| c.format(a, l);
    let title = match (i.kind, &i.number) {
        (DocKind::Invoice, Some(n)) => w("invoice-title", &[("number", n.clone())]),
        (DocKind::Invoice, None) => w("invoice-draft-title", &[]),
        (DocKind::Credit, Some(n)) => w("invoice-credit-title", &[("number", n.clone())]),
        (DocKind::Credit, None) => w("invoice-credit-draft-title", &[]),
    };
    let mut blocks = vec![Block::Title(title.clone())];
    if let Some(d) = i.issued_on {
        blocks.push(Block::Text(w(
            "invoice-date",
            &[("date", invoice::date_words(l, d))],
        )));
    }
    if let Some(d) = i.due_on
        && i.kind == DocKind::Invoice
    {
        blocks.push(Block::Text(w(
            "invoice-due",
            &[("date", invoice::date_words(l, d))],
        )));
    }
    if let Some(p) = i.period {
        blocks.push(Block::Text(w(
            "invoice-period",
            &[("period", p.to_string())],
        )));
    }
    if let Some(c) = &i.corrects {
        blocks.push(Block::Text(w(
            "invoice-credit-of",
            &[
                ("number", c.number.clone()),
                ("date", invoice::date_words(l, c.issued_on)),
            ],
        )));
    }
    if let Some(r) = &i.reason {
        blocks.push(Block::Text(w("invoice-reason", &[("reason", r.clone())])));
    }
    for (heading, p) in [("invoice-seller", &i.seller), ("invoice-buyer", &i.buyer)] {
        blocks.push(Block::Heading(w(heading, &[])));
        let mut lines = vec![p.name.clone()];
        lines.extend(p.address.iter().cloned());
        let place: Vec<&str> = [p.postcode.as_deref(), p.city.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !place.is_empty() {
            lines.push(place.join(" "));
        }
        lines.push(p.country.clone());
        if let Some(t) = &p.tax_id {
            lines.push(w("invoice-tax-id", &[("id", t.clone())]));
        }
        blocks.push(Block::Text(lines.join("\n")));
    }
    let columns = || {
        vec![
            Column::new(w("invoice-col-description", &[]), 5.0),
            Column::new(w("invoice-col-quantity", &[]), 1.2),
            Column::new(w("invoice-col-price", &[]), 1.5),
            Column::new(w("invoice-col-vat", &[]), 0.9),
            Column::new(w("invoice-col-amount", &[]), 1.5),
        ]
    };
    let mut kinds: Vec<billing::Kind> = i.lines.iter().map(|l| l.kind).collect();
    kinds.dedup();
    for kind in kinds {
        blocks.push(Block::Subheading(billing::kind_name(kind, l)));
        let rows = i
            .lines
            .iter()
            .filter(|line| line.kind == kind)
            .map(|line| {
                vec![
                    line.description.clone(),
                    format!(
                        "{} {}",
                        line.quantity.normalize(),
                        w(&format!("invoice-unit-{}", line.unit.as_str()), &[])
                    ),
                    money(line.unit_price),
                    vat_text(&line.vat),
                    money(line.net),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            columns: columns(),
            rows,
        }));
    }
    let mut totals = vec![vec![w("invoice-net", &[]), money(i.totals.net)]];
    for v in &i.totals.vat {
        let label = match &v.vat {
            billing::Vat::Rate(r) => w(
                "invoice-vat",
                &[("rate", r.normalize().to_string()), ("base", money(v.base))],
            ),
            other => w(
                "invoice-vat-none",
                &[
                    ("category", other.category().to_string()),
                    ("base", money(v.base)),
                ],
            ),
        };
        totals.push(vec![label, money(v.amount)]);
    }
    totals.push(vec![w("invoice-total", &[]), money(i.totals.total)]);
    blocks.push(Block::Table(Table {
        columns: vec![Column::new("", 6.0), Column::new("", 2.0)],
        rows: totals,
    }));
    for n in &i.notes {
        blocks.push(Block::Text(n.clone()));
    }
    if i.kind == DocKind::Invoice
        && let Some(due) = i.due_on
    {
        let mut pay = vec![w(
            "invoice-pay",
            &[
                ("total", money(i.totals.total)),
                ("date", invoice::date_words(l, due)),
            ],
        )];
        if let Some(iban) = &i.iban {
            pay.push(w("invoice-iban", &[("iban", iban.clone())]));
        }
        if let Some(bic) = &i.bic {
            pay.push(w("invoice-bic", &[("bic", bic.clone())]));
        }
        blocks.push(Block::Text(pay.join("\n")));
    }
    Document {
        title,
        language: l.code().to_string(),
        footer: i.seller.name.clone(),
        blocks,
    }
}

/// The invoice as a PDF.
pub fn pdf(i: &Invoice) -> Result<Vec<u8>, frontdesk_pdf::PdfError> {
    frontdesk_pdf::render(&document(i))
}

/// Why an e-invoice could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportFail {
    #[error(transparent)]
    Refused(#[from] frontdesk_core::einvoice::EinvoiceError),
    #[error(transparent)]
    Pdf(#[from] frontdesk_pdf::PdfError),
}

/// Sends issued invoice `number` to the client by e-mail through the outbox, in their
/// language, with the invoice attached — as Factur-X when it can be one (the practice has a VAT
/// ID), else as the plain PDF. Once per invoice: the outbox retries a failed delivery.
pub fn send(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    number: &str,
    by: &Handle,
    now: Timestamp,
) -> Result<frontdesk_core::outbox::Message, BillingFail> {
    use frontdesk_core::outbox::{Attachment, Medium, Message};
    billing::may_bill(practice, by)?;
    let i = find(store, id, number)?;
    let (Some(n), Some(day)) = (i.number.clone(), i.issued_on) else {
        return Err(BillingError::NotIssued(number.to_string()).into());
    };
    let client = practice
        .client(&i.client)
        .ok_or_else(|| BillingError::UnknownClient(i.client.to_string()))?;
    let to = i
        .buyer
        .email
        .clone()
        .or_else(|| client.people.iter().find_map(|p| p.email.clone()))
        .ok_or_else(|| {
            StoreError::Refused(format!(
                "clients[{}].legal.email: the client has no e-mail address to send the invoice to",
                i.client
            ))
        })?;
    let l = i.language;
    let w = |id: &str, args: &[(&str, String)]| invoice::word(l, id, args);
    let practice_name = i.seller.name.clone();
    let total = i.currency.format(i.totals.total, l);
    let (subject, text) = match &i.corrects {
        Some(k) => (
            w(
                "credit-mail-subject",
                &[("number", n.clone()), ("practice", practice_name.clone())],
            ),
            w(
                "credit-mail",
                &[
                    ("number", n.clone()),
                    ("total", total),
                    ("invoice", k.number.clone()),
                    ("practice", practice_name),
                ],
            ),
        ),
        None => (
            w(
                "invoice-mail-subject",
                &[("number", n.clone()), ("practice", practice_name.clone())],
            ),
            w(
                "invoice-mail",
                &[
                    ("number", n.clone()),
                    ("date", invoice::date_words(l, day)),
                    ("total", total),
                    ("due", invoice::date_words(l, i.due_on.unwrap_or(day))),
                    ("practice", practice_name),
                ],
            ),
        ),
    };
    let data = match facturx(&i) {
        Ok(bytes) => bytes,
        Err(ExportFail::Refused(_)) => pdf(&i).map_err(|e| StoreError::Refused(e.to_string()))?,
        Err(e) => return Err(StoreError::Refused(e.to_string()).into()),
    };
    let message = Message {
        key: format!("invoice-sent:{}", i.id),
        medium: Medium::Email,
        to,
        language: l,
        subject,
        text,
        throttle: None,
        in_reply_to: None,
        from: None,
        calendar: None,
        attachment: Some(Attachment {
            name: format!("{n}.pdf"),
            mime: "application/pdf".into(),
            data,
        }),
    };
    let job = frontdesk_core::timers::Job {
        key: message.key.clone(),
        messages: vec![message.clone()],
    };
    if store.run_jobs(id, &[job], now)?.is_empty() {
        return Err(StoreError::Refused(format!(
            "invoice {n}: it was sent already; the Outbox page shows how its delivery went"
        ))
        .into());
    }
    Ok(message)
}

/// An e-invoice format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// UBL 2.1, Peppol BIS Billing 3.0.
    Ubl,
    /// UN/CEFACT CII, the EN 16931 profile of Factur-X / ZUGFeRD.
    Cii,
    /// FatturaPA 1.2, for Italy's SdI.
    FatturaPa,
}

impl Format {
    pub fn parse(value: &str) -> Option<Format> {
        match value {
            "ubl" => Some(Format::Ubl),
            "cii" => Some(Format::Cii),
            "fatturapa" => Some(Format::FatturaPa),
            _ => None,
        }
    }
}

/// The issued invoice `i` as the XML of `format`.
pub fn xml(practice: &Practice, i: &Invoice, format: Format) -> Result<String, ExportFail> {
    use frontdesk_core::einvoice;
    Ok(match format {
        Format::Ubl => einvoice::ubl(i)?,
        Format::Cii => einvoice::cii(i)?,
        Format::FatturaPa => {
            let regime = practice
                .settings()
                .billing
                .as_ref()
                .map_or("RF01", |s| s.tax_regime.as_str());
            einvoice::fatturapa(i, regime)?
        }
    })
}

/// The issued invoice `i` as a Factur-X / ZUGFeRD PDF: the printed invoice as PDF/A-3 with its
/// CII XML (EN 16931 profile) embedded as `factur-x.xml`.
pub fn facturx(i: &Invoice) -> Result<Vec<u8>, ExportFail> {
    let xml = frontdesk_core::einvoice::cii(i)?;
    let day = i.issued_on.unwrap_or(Date::constant(2026, 1, 1));
    let attachment = frontdesk_pdf::Attachment {
        name: "factur-x.xml".into(),
        mime_type: "text/xml".into(),
        description: "Factur-X invoice (EN 16931)".into(),
        data: xml.into_bytes(),
        date: (day.year() as u16, day.month() as u8, day.day() as u8),
        xmp: frontdesk_core::einvoice::facturx_xmp_extension().to_string(),
    };
    Ok(frontdesk_pdf::render_archival(&document(i), &attachment)?)
}
