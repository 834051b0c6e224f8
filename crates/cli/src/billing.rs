//! `billing` and `invoice`: what clients' habits cost, and the invoices, on the command line.

use anyhow::{Context, Result, anyhow};
use frontdesk_core::Practice;
use frontdesk_core::billing::{Item, Period, habit_costs, kind_name};
use frontdesk_core::invoice::Invoice;
use frontdesk_desk::billing::{self, BillingFail};
use frontdesk_store::Store;
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::cli::{BillingCommand, InvoiceCommand};

fn fail(e: BillingFail) -> anyhow::Error {
    anyhow!("{e}")
}

use frontdesk_desk::contract::item_json;

fn period_or_now(practice: &Practice, period: Option<Period>, now: Timestamp) -> Period {
    period.unwrap_or_else(|| Period::of(billing::today(practice, now)))
}

pub fn billing_command(
    store: &mut dyn Store,
    practice: Option<&str>,
    command: BillingCommand,
    json: bool,
) -> Result<()> {
    let (id, p) = store.load(practice)?;
    let lang = p.settings().language;
    match command {
        BillingCommand::Items {
            client,
            period,
            csv,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let period = period_or_now(&p, period, now);
            let items =
                billing::items(store, id, &p, client.as_ref(), period, now).map_err(fail)?;
            if let Some(path) = csv {
                std::fs::write(&path, billing::items_csv(&p, &items))
                    .with_context(|| format!("--csv {}: cannot write it", path.display()))?;
            }
            if json {
                let list: Vec<Value> = items.iter().map(|i| item_json(&p, i)).collect();
                println!("{}", json!({"period": period.to_string(), "items": list}));
                return Ok(());
            }
            if items.is_empty() {
                println!("nothing billable in {period}");
                return Ok(());
            }
            for it in &items {
                let v = item_json(&p, it);
                let mark = if it.waived() {
                    " [waived]"
                } else if it.adjustment.is_some() {
                    " [adjusted]"
                } else {
                    ""
                };
                println!(
                    "{:>5} {} {:<12} {:<18} {:>12}{mark}  {}",
                    it.id,
                    it.date,
                    it.client.as_str(),
                    it.kind.as_str(),
                    it.currency.format(it.billed(), lang),
                    v["description"].as_str().unwrap_or_default()
                );
            }
            let mut clients: Vec<_> = items.iter().map(|i| i.client.clone()).collect();
            clients.sort();
            clients.dedup();
            for c in clients {
                let of: Vec<Item> = items.iter().filter(|i| i.client == c).cloned().collect();
                let costs: Vec<String> = habit_costs(&of)
                    .into_iter()
                    .map(|(k, n, total)| {
                        format!(
                            "{n} × {}: {}",
                            kind_name(k, lang),
                            of[0].currency.format(total, lang)
                        )
                    })
                    .collect();
                if !costs.is_empty() {
                    println!("{c}: {}", costs.join("; "));
                }
            }
        }
        BillingCommand::Add {
            client,
            description,
            quantity,
            unit,
            price,
            date,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let date = date.unwrap_or_else(|| billing::today(&p, now));
            let it = billing::add(
                store,
                id,
                &p,
                &client,
                date,
                &description,
                &quantity,
                unit,
                price.as_deref(),
                now,
            )
            .map_err(fail)?;
            print_item(&p, &it, json);
        }
        BillingCommand::Waive {
            id: item,
            reason,
            by,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let it = billing::adjust(store, id, &p, item, None, &reason, &by, now).map_err(fail)?;
            print_item(&p, &it, json);
        }
        BillingCommand::Adjust {
            id: item,
            amount,
            reason,
            by,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let it = billing::adjust(store, id, &p, item, Some(&amount), &reason, &by, now)
                .map_err(fail)?;
            print_item(&p, &it, json);
        }
    }
    Ok(())
}

fn print_item(p: &Practice, it: &Item, json: bool) {
    let v = item_json(p, it);
    if json {
        println!("{v}");
    } else {
        println!(
            "item {}: {} ({})",
            it.id,
            v["description"].as_str().unwrap_or_default(),
            it.currency.format(it.billed(), p.settings().language)
        );
    }
}

/// An invoice as the JSON contract prints it: the core's document as it is.
fn invoice_json(i: &Invoice) -> Value {
    serde_json::to_value(i).unwrap_or(Value::Null)
}

fn print_invoice(i: &Invoice, json: bool) {
    if json {
        println!("{}", invoice_json(i));
        return;
    }
    let l = i.language;
    let c = i.currency;
    let what = match (&i.number, i.kind) {
        (Some(n), k) => format!("{} {n}", k.as_str()),
        (None, k) => format!("draft {} {}", k.as_str(), i.id),
    };
    println!(
        "{what} · {} · {}{}",
        i.client,
        i.buyer.name,
        i.issued_on
            .map(|d| format!(" · issued {d}, due {}", i.due_on.unwrap_or(d)))
            .unwrap_or_default()
    );
    for (n, line) in i.lines.iter().enumerate() {
        println!(
            "{:>3}. {:>12}  {} ({} × {})",
            n + 1,
            c.format(line.net, l),
            line.description,
            line.quantity.normalize(),
            c.format(line.unit_price, l)
        );
    }
    println!("     net {}", c.format(i.totals.net, l));
    for v in &i.totals.vat {
        println!(
            "     VAT {} on {}: {}",
            v.vat.category(),
            c.format(v.base, l),
            c.format(v.amount, l)
        );
    }
    println!("     total {}", c.format(i.totals.total, l));
    for n in &i.notes {
        println!("     {n}");
    }
}

fn write_out(out: &std::path::Path, bytes: &[u8], json: bool) -> Result<()> {
    std::fs::write(out, bytes)
        .with_context(|| format!("--out {}: cannot write it", out.display()))?;
    if json {
        println!("{}", json!({"written": out.display().to_string()}));
    } else {
        println!("wrote {}", out.display());
    }
    Ok(())
}

pub fn invoice_command(
    store: &mut dyn Store,
    practice: Option<&str>,
    command: InvoiceCommand,
    json: bool,
) -> Result<()> {
    let (id, p) = store.load(practice)?;
    let command_name = match &command {
        InvoiceCommand::Ubl { .. } => "ubl",
        InvoiceCommand::Cii { .. } => "cii",
        _ => "fatturapa",
    };
    match command {
        InvoiceCommand::Draft { client, period, at } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let period = period_or_now(&p, period, now);
            let d = billing::draft(store, id, &p, &client, period, now).map_err(fail)?;
            print_invoice(&d, json);
        }
        InvoiceCommand::Issue { id: which, by, at } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let i = billing::issue(store, id, &p, &which, &by, now).map_err(fail)?;
            print_invoice(&i, json);
        }
        InvoiceCommand::Show { id: which } => {
            let i = billing::find(store, id, &which).map_err(fail)?;
            print_invoice(&i, json);
        }
        InvoiceCommand::List { client } => {
            let list = store.invoices(id, client.as_ref())?;
            if json {
                let v: Vec<Value> = list.iter().map(invoice_json).collect();
                println!("{}", json!({ "invoices": v }));
                return Ok(());
            }
            for i in &list {
                println!(
                    "{:>5} {:<16} {:<7} {:<12} {:>14} {}",
                    i.id,
                    i.number.as_deref().unwrap_or("(draft)"),
                    i.kind.as_str(),
                    i.client.as_str(),
                    i.currency.format(i.totals.total, i.language),
                    i.issued_on.map(|d| d.to_string()).unwrap_or_default()
                );
            }
        }
        InvoiceCommand::Pdf { id: which, out } => {
            let i = billing::find(store, id, &which).map_err(fail)?;
            let bytes = billing::pdf(&i).map_err(|e| anyhow!("{e}"))?;
            write_out(&out, &bytes, json)?;
        }
        InvoiceCommand::Facturx { id: which, out } => {
            let i = billing::find(store, id, &which).map_err(fail)?;
            let bytes = billing::facturx(&i).map_err(|e| anyhow!("{e}"))?;
            write_out(&out, &bytes, json)?;
        }
        InvoiceCommand::Ubl { id: which, out }
        | InvoiceCommand::Cii { id: which, out }
        | InvoiceCommand::Fatturapa { id: which, out } => {
            let format = match command_name {
                "ubl" => billing::Format::Ubl,
                "cii" => billing::Format::Cii,
                _ => billing::Format::FatturaPa,
            };
            let i = billing::find(store, id, &which).map_err(fail)?;
            let xml = billing::xml(&p, &i, format).map_err(|e| anyhow!("{e}"))?;
            write_out(&out, xml.as_bytes(), json)?;
        }
        InvoiceCommand::Send { id: which, by, at } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let m = billing::send(store, id, &p, &which, &by, now).map_err(fail)?;
            if json {
                println!(
                    "{}",
                    json!({"queued": m.key, "to": m.to, "subject": m.subject,
                           "attachment": m.attachment.as_ref().map(|a| &a.name)})
                );
            } else {
                println!("queued for {}: {}", m.to, m.subject);
            }
        }
        InvoiceCommand::Csv { out } => {
            let list = store.invoices(id, None)?;
            write_out(&out, billing::invoices_csv(&list).as_bytes(), json)?;
        }
        InvoiceCommand::Credit {
            number,
            reason,
            lines,
            amount,
            by,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let d = billing::credit(
                store,
                id,
                &p,
                &number,
                &lines,
                amount.as_deref(),
                &reason,
                &by,
                now,
            )
            .map_err(fail)?;
            print_invoice(&d, json);
        }
    }
    Ok(())
}
