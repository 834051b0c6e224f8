//! `deliverable` and `input`: deliverables and what the client must provide for them.

use anyhow::{Result, anyhow};
use frontdesk_core::deliverable::{Deliverable, InputRequest, days_on_hold_at};
use frontdesk_desk::deliverables::{self, DeliverableFail};
use frontdesk_store::Store;
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::cli::{DeliverableCommand, InputCommand};

fn fail(e: DeliverableFail) -> anyhow::Error {
    anyhow!("{e}")
}

fn deliverable_json(
    d: &Deliverable,
    requests: &[InputRequest],
    p: &frontdesk_core::Practice,
    now: Timestamp,
) -> Value {
    let mut v = serde_json::to_value(d).unwrap_or_default();
    v["days_on_hold"] = json!(days_on_hold_at(p, d, now));
    v["requests"] = requests
        .iter()
        .filter(|r| r.deliverable == d.id)
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .collect();
    v
}

fn print(
    d: &Deliverable,
    requests: &[InputRequest],
    p: &frontdesk_core::Practice,
    now: Timestamp,
    json: bool,
) {
    if json {
        println!("{}", deliverable_json(d, requests, p, now));
        return;
    }
    println!(
        "{:>4} {:<12} {} — due {} [{}{}] goal: {}",
        d.id,
        d.client.as_str(),
        d.name,
        d.due,
        d.state.as_str(),
        match days_on_hold_at(p, d, now) {
            0 => String::new(),
            n => format!(", {n} days on hold"),
        },
        d.goal
    );
    for r in requests.iter().filter(|r| r.deliverable == d.id) {
        let items: Vec<String> = r
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                format!(
                    "{}. {} {}",
                    i + 1,
                    if it.received.is_some() { "✓" } else { "☐" },
                    it.text
                )
            })
            .collect();
        println!("     request {} by {}: {}", r.id, r.by, items.join("; "));
    }
}

pub fn deliverable(
    store: &mut dyn Store,
    practice: Option<&str>,
    command: DeliverableCommand,
    json: bool,
) -> Result<()> {
    let (id, p) = store.load(practice)?;
    match command {
        DeliverableCommand::Add {
            client,
            name,
            goal,
            due,
            by,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let d = deliverables::add(store, id, &p, &client, &name, &goal, due, &by, now)
                .map_err(fail)?;
            print(&d, &[], &p, now, json);
        }
        DeliverableCommand::List { by, at } => {
            let now = at.unwrap_or_else(Timestamp::now);
            if p.member(&by).is_none() {
                return Err(anyhow!("--as: no member has the handle {:?}", by.as_str()));
            }
            let requests = store.input_requests(id)?;
            let list: Vec<Deliverable> = store
                .deliverables(id)?
                .into_iter()
                .filter(|d| p.clients_of(&by).any(|c| c.handle == d.client))
                .collect();
            if json {
                let all: Vec<Value> = list
                    .iter()
                    .map(|d| deliverable_json(d, &requests, &p, now))
                    .collect();
                println!("{}", Value::from(all));
            } else {
                for d in &list {
                    print(d, &requests, &p, now, false);
                }
            }
        }
        DeliverableCommand::Done { id: n, by, at } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let d = deliverables::done(store, id, &p, n, &by, now).map_err(fail)?;
            print(&d, &store.input_requests(id)?, &p, now, json);
        }
    }
    Ok(())
}

pub fn input(
    store: &mut dyn Store,
    practice: Option<&str>,
    command: InputCommand,
    json: bool,
) -> Result<()> {
    let (id, p) = store.load(practice)?;
    match command {
        InputCommand::Request {
            deliverable,
            items,
            by,
            member,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let r = deliverables::request(store, id, &p, deliverable, &items, by, &member, now)
                .map_err(fail)?;
            if json {
                println!("{}", serde_json::to_value(&r).unwrap_or_default());
            } else {
                println!("request {} sent: {} items by {}", r.id, r.items.len(), r.by);
            }
        }
        InputCommand::Received {
            id: n,
            item,
            member,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let (r, d) =
                deliverables::received(store, id, &p, n, item, &member, now).map_err(fail)?;
            print(&d, &[r], &p, now, json);
        }
    }
    Ok(())
}
