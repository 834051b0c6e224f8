//! `frontdesk brief …` and `frontdesk audit …`: the desk's brief use-cases and the audit log's
//! verification, printed for people or as JSON.

use anyhow::{Result, bail};
use frontdesk_core::brief::{Brief, Content, OpenItem};
use frontdesk_desk::briefs::{self, BriefFail};
use frontdesk_store::BriefAct;
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::cli::{AuditCommand, BriefCommand};

fn brief_json(b: &Brief) -> Value {
    json!({
        "id": b.id,
        "member": b.member.as_str(),
        "absence_from": b.absence_from.to_string(),
        "client": b.client.as_str(),
        "cover": b.cover.as_str(),
        "version": b.version,
        "state": b.state.as_str(),
        "content": b.content,
        "questions": b.questions.iter().map(|q| json!({
            "asked_by": q.asked_by.as_str(),
            "asked": q.asked.to_string(),
            "question": q.text,
            "answer": q.answer,
            "answered": q.answered.map(|a| a.to_string()),
        })).collect::<Vec<_>>(),
    })
}

fn print_brief(b: &Brief, json: bool) {
    if json {
        println!("{}", brief_json(b));
        return;
    }
    println!(
        "brief {} — {} for {}'s absence from {}, covered by {} — version {}, {}",
        b.id,
        b.client,
        b.member,
        b.absence_from,
        b.cover,
        b.version,
        b.state.as_str()
    );
    let c = &b.content;
    println!("status: {}", c.status);
    for i in &c.open_items {
        match i.due {
            Some(d) => println!("open: {d}: {}", i.text),
            None => println!("open: {}", i.text),
        }
    }
    for (label, text) in [
        ("promises made", &c.promises),
        ("waiting for", &c.waiting_for),
        ("people", &c.people),
        ("may promise", &c.may_promise),
        ("must not promise", &c.must_not_promise),
        ("material", &c.material),
    ] {
        if !text.is_empty() {
            println!("{label}: {text}");
        }
    }
    for q in &b.questions {
        println!("question from {} at {}: {}", q.asked_by, q.asked, q.text);
        if let Some(a) = &q.answer {
            println!("  answer: {a}");
        }
    }
}

/// An open item as written on the command line: "YYYY-MM-DD: what", or "what".
fn item(value: &str) -> Result<OpenItem> {
    OpenItem::parse_line(value).map_err(|e| anyhow::anyhow!("item: {value:?}: {e}"))
}

fn fail(e: BriefFail) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

pub fn brief(
    store: &mut dyn frontdesk_store::Store,
    practice: Option<&str>,
    command: BriefCommand,
    json: bool,
) -> Result<()> {
    let (id, p) = store.load(practice)?;
    match command {
        BriefCommand::List { member, from, at } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let (absence, rows) = briefs::list(store, id, &p, &member, from, now).map_err(fail)?;
            let work = briefs::workload(store, id, &p, &absence, now)?;
            if json {
                let list: Vec<Value> = rows
                    .iter()
                    .map(|r| {
                        json!({
                            "client": r.client.as_str(),
                            "needed": r.needed,
                            "handed_over": r.handed_over(),
                            "brief": r.brief.as_ref().map(brief_json),
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    json!({"member": member.as_str(), "from": absence.from.to_string(),
                           "until": absence.until.to_string(), "cover": absence.cover.as_str(),
                           "workload": {"covered_per_week": work.covered_per_week,
                                        "own_per_week": work.own_per_week,
                                        "hours_per_week": work.hours_per_week, "fits": work.fits},
                           "clients": list})
                );
            } else {
                println!(
                    "{member} away {} – {}, covered by {}",
                    absence.from, absence.until, absence.cover
                );
                println!(
                    "workload: {:.1} contacts a week to cover on top of {:.1} of their own, {:.0} working hours a week{}",
                    work.covered_per_week,
                    work.own_per_week,
                    work.hours_per_week,
                    if work.fits {
                        ""
                    } else {
                        " — does not fit: share the clients between covers"
                    }
                );
                for r in &rows {
                    let state = match &r.brief {
                        None => "no brief yet".to_string(),
                        Some(b) => {
                            format!("brief {} ({}, cover {})", b.id, b.state.as_str(), b.cover)
                        }
                    };
                    println!(
                        "{:<16} {state}{}",
                        r.client.as_str(),
                        if r.needed { "" } else { " — added by hand" }
                    );
                }
            }
            Ok(())
        }
        BriefCommand::Show { id: number } => {
            let b = store
                .brief(id, number)?
                .ok_or_else(|| anyhow::anyhow!("id: no brief {number} in this practice"))?;
            print_brief(&b, json);
            Ok(())
        }
        BriefCommand::Edit(e) => {
            let crate::cli::BriefEdit {
                member,
                from,
                client,
                cover,
                by,
                status,
                items,
                promises,
                waiting_for,
                people,
                may_promise,
                must_not_promise,
                material,
                tell_client,
                at,
            } = *e;
            let content = Content {
                status,
                open_items: items.iter().map(|i| item(i)).collect::<Result<_>>()?,
                promises,
                waiting_for,
                people,
                may_promise,
                must_not_promise,
                material,
                tell_client,
            };
            let by = by.unwrap_or_else(|| member.clone());
            let now = at.unwrap_or_else(Timestamp::now);
            let b = briefs::write(
                store,
                id,
                &p,
                &by,
                &member,
                from,
                &client,
                cover.as_ref(),
                &content,
                now,
            )
            .map_err(fail)?;
            print_brief(&b, json);
            Ok(())
        }
        BriefCommand::Report {
            member,
            from,
            at,
            pdf,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let (absence, report) =
                briefs::return_report(store, id, &p, &member, from, now).map_err(fail)?;
            if let Some(path) = pdf {
                let t = frontdesk_web::i18n::T(p.settings().language);
                let bytes = frontdesk_web::report_pdf::render(t, &p, &absence, &report)
                    .map_err(|e| anyhow::anyhow!("the report's PDF: {e}"))?;
                std::fs::write(&path, bytes).map_err(|e| {
                    anyhow::anyhow!("--pdf {}: cannot write it: {e}", path.display())
                })?;
            }
            if json {
                let clients: Vec<Value> = report
                    .iter()
                    .map(|c| {
                        let l = c.line();
                        json!({
                            "client": c.client.as_str(),
                            "handed_over": c.brief.as_ref().is_some_and(|b| b.state == frontdesk_core::brief::State::Acknowledged),
                            "contacts": c.contacts.iter().map(|x| json!({
                                "id": x.id, "arrived": x.arrived.to_string(), "channel": x.channel.as_str(),
                                "from": x.from, "decision": x.verdict.as_str(), "assignee": x.assignee.as_str(),
                                "due": x.due.to_string(), "answered": x.answered.map(|a| a.to_string()),
                                "overdue": x.overdue, "urgent": x.urgent,
                                "said": x.said, "tone": x.tone, "reply": x.reply, "promises": x.promises,
                            })).collect::<Vec<_>>(),
                            "complaints": l.complaints, "leaving": c.leaving(),
                            "answered": l.answered, "overdue": l.overdue,
                            "open_items": c.brief.as_ref().map(|b| json!(b.content.open_items)),
                            "promises": c.brief.as_ref().map(|b| b.content.promises.clone()),
                            "callbacks": c.callbacks.iter().map(|cb| json!({
                                "at": cb.at.to_string(), "by": cb.by.as_str(), "outcome": cb.outcome,
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    json!({"member": member.as_str(), "from": absence.from.to_string(),
                           "until": absence.until.to_string(), "clients": clients})
                );
            } else {
                println!("{member} away {} – {}", absence.from, absence.until);
                for c in &report {
                    let l = c.line();
                    println!(
                        "{:<16} {} contacts, {} answered, {} late or overdue, {} complaints{}, {} open items left, {}",
                        c.client.as_str(),
                        l.contacts,
                        l.answered,
                        l.overdue,
                        l.complaints,
                        if c.leaving() {
                            " (talked of leaving)"
                        } else {
                            ""
                        },
                        l.items_left,
                        match c.callbacks.last() {
                            Some(cb) => format!("called {} by {}: {}", cb.at, cb.by, cb.outcome),
                            None => "not called back yet".to_string(),
                        }
                    );
                }
            }
            Ok(())
        }
        BriefCommand::Callback {
            member,
            from,
            client,
            outcome,
            by,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let by = by.unwrap_or_else(|| member.clone());
            briefs::record_callback(store, id, &p, &by, &member, from, &client, &outcome, now)
                .map_err(fail)?;
            if json {
                println!(
                    "{}",
                    json!({"client": client.as_str(), "at": now.to_string(), "outcome": outcome})
                );
            } else {
                println!("call back to {client} recorded");
            }
            Ok(())
        }
        BriefCommand::Done {
            id: number,
            item,
            by,
            at,
        } => act(
            store,
            id,
            &p,
            number,
            &by,
            BriefAct::ItemDone(usize::from(item) - 1),
            at,
            json,
        ),
        BriefCommand::Ack { id: number, by, at } => {
            act(store, id, &p, number, &by, BriefAct::Acknowledge, at, json)
        }
        BriefCommand::Ask {
            id: number,
            by,
            text,
            at,
        } => act(store, id, &p, number, &by, BriefAct::Ask(text), at, json),
        BriefCommand::Answer {
            id: number,
            by,
            text,
            at,
        } => act(store, id, &p, number, &by, BriefAct::Answer(text), at, json),
    }
}

#[allow(clippy::too_many_arguments)]
fn act(
    store: &mut dyn frontdesk_store::Store,
    id: frontdesk_store::PracticeId,
    p: &frontdesk_core::Practice,
    number: i64,
    by: &frontdesk_core::Handle,
    what: BriefAct,
    at: Option<Timestamp>,
    json: bool,
) -> Result<()> {
    let now = at.unwrap_or_else(Timestamp::now);
    let b = briefs::act(store, id, p, by, number, what, now).map_err(fail)?;
    print_brief(&b, json);
    Ok(())
}

pub fn audit(
    store: &mut dyn frontdesk_store::Store,
    practice: Option<&str>,
    command: AuditCommand,
    json: bool,
) -> Result<()> {
    let (id, _) = store.load(practice)?;
    match command {
        AuditCommand::Verify => match briefs::verify_audit(store, id)? {
            Ok(n) => {
                if json {
                    println!("{}", json!({"ok": true, "entries": n}));
                } else {
                    println!("the audit log is intact: {n} entries");
                }
                Ok(())
            }
            Err(broken) => {
                if json {
                    println!("{}", json!({"ok": false, "error": broken.to_string()}));
                }
                bail!("the audit log was tampered with: {broken}")
            }
        },
        AuditCommand::List { client } => {
            let (entries, _) = store.audit(id)?;
            for (e, h) in entries.iter().filter(|(e, _)| {
                client
                    .as_ref()
                    .is_none_or(|c| e.client.as_deref() == Some(c.as_str()))
            }) {
                if json {
                    let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
                    println!(
                        "{}",
                        json!({"seq": e.seq, "at": e.at.to_string(), "actor": e.actor, "kind": e.kind,
                               "client": e.client, "subject": e.subject,
                               "data": serde_json::from_str::<Value>(&e.data).unwrap_or(Value::Null),
                               "hash": hex})
                    );
                } else {
                    println!(
                        "{:>5} {} {:<8} {:<20} {:<10} {}",
                        e.seq,
                        e.at,
                        e.actor,
                        e.kind,
                        e.client.as_deref().unwrap_or("-"),
                        e.subject
                    );
                }
            }
            Ok(())
        }
    }
}
