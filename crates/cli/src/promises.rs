//! `promise`: the promise register on the command line.

use anyhow::{Result, anyhow};
use frontdesk_core::promise::{Act, NewPromise, Promise, State, confirm_by, overdue};
use frontdesk_desk::promises::{self, PromiseFail};
use frontdesk_store::Store;
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::cli::PromiseCommand;

fn fail(e: PromiseFail) -> anyhow::Error {
    anyhow!("{e}")
}

fn promise_json(p: &Promise, practice: &frontdesk_core::Practice, now: Timestamp) -> Value {
    let language = practice
        .client(&p.client)
        .map_or(practice.settings().language, |c| c.language);
    json!({
        "id": p.id, "client": p.client.as_str(), "contact": p.contact, "kind": p.kind.as_str(),
        "what": p.what, "due": p.due.to_string(), "by": p.by.as_str(), "state": p.state.as_str(),
        "overdue": overdue(practice, p, now), "recorded": p.recorded.to_string(),
        "decided_by": p.decided_by.as_ref().map(|h| h.as_str()), "note": p.note,
        "kept": p.kept.map(|k| k.to_string()),
        // While it waits for approval, what to tell the client instead of promising.
        "suggested_reply": (p.state == State::Pending).then(|| confirm_by(language, p.due)),
    })
}

fn print(p: &Promise, practice: &frontdesk_core::Practice, now: Timestamp, json: bool) {
    if json {
        println!("{}", promise_json(p, practice, now));
        return;
    }
    let mut state = p.state.as_str().to_string();
    if overdue(practice, p, now) {
        state.push_str(", overdue");
    }
    println!(
        "{:>4} {:<12} {:<10} due {} by {:<8} [{state}] {}",
        p.id,
        p.client.as_str(),
        p.kind.as_str(),
        p.due,
        p.by.as_str(),
        p.what
    );
    if p.state == State::Pending {
        let v = promise_json(p, practice, now);
        println!(
            "     waits for a manager's approval; tell the client: {}",
            v["suggested_reply"].as_str().unwrap_or_default()
        );
    }
}

pub fn promise(
    store: &mut dyn Store,
    practice: Option<&str>,
    command: PromiseCommand,
    json: bool,
) -> Result<()> {
    let (id, p) = store.load(practice)?;
    match command {
        PromiseCommand::Add {
            client,
            what,
            due,
            kind,
            contact,
            by,
            at,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let new = NewPromise {
                client,
                contact,
                kind,
                what,
                due,
                by,
            };
            let made = promises::record(store, id, &p, &new, now).map_err(fail)?;
            print(&made, &p, now, json);
        }
        PromiseCommand::List { by, client, at } => {
            let now = at.unwrap_or_else(Timestamp::now);
            if p.member(&by).is_none() {
                return Err(anyhow!("--as: no member has the handle {:?}", by.as_str()));
            }
            let list = promises::list(store, id, &p, &by, client.as_ref())?;
            if json {
                let all: Vec<Value> = list.iter().map(|x| promise_json(x, &p, now)).collect();
                println!("{}", Value::from(all));
            } else {
                for x in &list {
                    print(x, &p, now, false);
                }
            }
        }
        PromiseCommand::Approve {
            id: n,
            by,
            note,
            at,
        } => decide(store, id, &p, n, &Act::Approve(note), &by, at, json)?,
        PromiseCommand::Refuse {
            id: n,
            by,
            note,
            at,
        } => decide(store, id, &p, n, &Act::Refuse(note), &by, at, json)?,
        PromiseCommand::Kept { id: n, by, at } => {
            decide(store, id, &p, n, &Act::Keep, &by, at, json)?
        }
    }
    Ok(())
}

/// Approves, refuses or keeps promise `n` and prints it.
#[allow(clippy::too_many_arguments)]
fn decide(
    store: &mut dyn Store,
    id: frontdesk_store::PracticeId,
    p: &frontdesk_core::Practice,
    n: i64,
    act: &Act,
    by: &frontdesk_core::Handle,
    at: Option<Timestamp>,
    json: bool,
) -> Result<()> {
    let now = at.unwrap_or_else(Timestamp::now);
    let done = promises::act(store, id, p, n, act, by, now).map_err(fail)?;
    print(&done, p, now, json);
    Ok(())
}
