//! `risk` and `digest`: each client's escalation risk, and what a manager's digest says.

use anyhow::{Result, bail};
use frontdesk_core::risk::Risk;
use frontdesk_core::{Handle, Role};
use frontdesk_desk::risk;
use frontdesk_store::Store;
use jiff::Timestamp;
use serde_json::{Value, json};

fn risk_json(r: &Risk, language: frontdesk_core::Language) -> Value {
    json!({
        "client": r.client.as_str(),
        "score": r.score,
        "level": r.level.as_str(),
        "reasons": r.signals.iter().map(|(s, points)| json!({
            "signal": s, "points": points, "text": s.words(language),
        })).collect::<Vec<_>>(),
        "step": r.step.as_str(),
        "step_text": r.step.words(language),
    })
}

pub fn risk(
    store: &dyn Store,
    practice: Option<&str>,
    client: Option<Handle>,
    at: Option<Timestamp>,
    json: bool,
) -> Result<()> {
    let (id, p) = store.load(practice)?;
    let now = at.unwrap_or_else(Timestamp::now);
    let en = frontdesk_core::Language::En;
    match client {
        Some(client) => {
            if p.client(&client).is_none() {
                bail!("--client: no client has the handle {:?}", client.as_str());
            }
            let (r, history) = risk::of_client(store, id, &p, &client, now)?;
            if json {
                let mut v = risk_json(&r, en);
                v["history"] = history
                    .iter()
                    .map(|(d, s)| json!({"day": d.to_string(), "score": s}))
                    .collect();
                println!("{v}");
            } else {
                print_line(&r);
                for (day, score) in history {
                    println!("  {day} {score}");
                }
            }
        }
        None => {
            // The whole practice: as its first owner sees it.
            let owner = first_owner(&p)?;
            let all = risk::all(store, id, &p, &owner, now)?;
            if json {
                println!(
                    "{}",
                    Value::from(all.iter().map(|r| risk_json(r, en)).collect::<Vec<_>>())
                );
            } else {
                for r in &all {
                    print_line(r);
                }
            }
        }
    }
    Ok(())
}

fn print_line(r: &Risk) {
    let en = frontdesk_core::Language::En;
    let reasons = if r.signals.is_empty() {
        "nothing to worry about".to_string()
    } else {
        r.reasons(en)
    };
    println!(
        "{:<16} {:>3} {:<5} {reasons}{}",
        r.client.as_str(),
        r.score,
        r.level.as_str(),
        match r.signals.first() {
            Some(_) => format!(" — next: {}", r.step.words(en)),
            None => String::new(),
        }
    );
}

fn first_owner(p: &frontdesk_core::Practice) -> Result<Handle> {
    p.members()
        .iter()
        .find(|m| m.role == Role::Owner)
        .map(|m| m.handle.clone())
        .ok_or_else(|| anyhow::anyhow!("the practice has no owner"))
}

pub fn digest(
    store: &dyn Store,
    practice: Option<&str>,
    manager: Option<Handle>,
    at: Option<Timestamp>,
    json: bool,
) -> Result<()> {
    let (id, p) = store.load(practice)?;
    let now = at.unwrap_or_else(Timestamp::now);
    let manager = match manager {
        Some(m) => m,
        None => first_owner(&p)?,
    };
    let Some(member) = p.member(&manager) else {
        bail!("--as: no member has the handle {:?}", manager.as_str());
    };
    if !p.oversees(&manager) {
        bail!(
            "--as: {} does not oversee the practice (only owners and managers get the digest)",
            manager.as_str()
        );
    }
    // Since the last digest: its previous working day's time, or a day ago outside its hours.
    let since = frontdesk_core::digest::due(&p, member, now)
        .map(|(_, since)| since)
        .unwrap_or_else(|| now - jiff::SignedDuration::from_hours(24));
    let d = risk::digest(store, id, &p, &manager, since, now)?;
    let en = frontdesk_core::Language::En;
    if json {
        println!(
            "{}",
            json!({
                "manager": manager.as_str(),
                "since": since.to_string(),
                "empty": d.is_empty(),
                "risks": d.risks.iter().map(|r| risk_json(r, en)).collect::<Vec<_>>(),
                "overdue": d.overdue.iter().map(|o| json!({
                    "id": o.id, "client": o.client.as_str(), "channel": o.channel.as_str(),
                    "from": o.from, "assignee": o.assignee.as_str(), "due": o.due.to_string(),
                })).collect::<Vec<_>>(),
                "urgent_handled": d.urgent.iter().map(|u| json!({
                    "id": u.id, "client": u.client.as_str(), "at": u.at.to_string(),
                    "answered": u.answered.to_string(), "by": u.by.as_str(),
                })).collect::<Vec<_>>(),
                "promises": d.promises.iter().map(|p| json!({
                    "id": p.id, "client": p.client.as_str(), "by": p.by.as_str(),
                    "kind": p.kind.as_str(), "what": p.what, "due": p.due.to_string(),
                    "state": p.state.as_str(),
                })).collect::<Vec<_>>(),
                "briefs_not_handed_over": d.briefs.iter().map(|b| json!({
                    "member": b.member.as_str(), "from": b.from.to_string(),
                    "client": b.client.as_str(), "state": b.state.map(|s| s.as_str()),
                })).collect::<Vec<_>>(),
            })
        );
    } else if d.is_empty() {
        println!("nothing to report");
    } else {
        let day = d
            .day
            .unwrap_or_else(|| now.to_zoned_datetime(member.zone.tz().clone()).date());
        let job = frontdesk_core::digest::job(&p, member, &d, en, day);
        for m in job.messages {
            println!("{}\n\n{}", m.subject, m.text);
        }
    }
    Ok(())
}
