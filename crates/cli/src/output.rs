//! What commands print: JSON for scripts (a stable contract), tables for people.

use frontdesk_core::{Decision, Occurrence, Practice, is_overdue};
use frontdesk_desk::contract::{DecisionObject, InboxLine};
use frontdesk_store::{Applied, ContactId, Inbox, Recorded};
use jiff::Timestamp;
use serde_json::{Value, json};

/// The decision object of the CLI contract (the same the HTTP API returns), with the
/// contact's number when recorded.
pub fn decision_json(id: Option<ContactId>, d: &Decision) -> Value {
    serde_json::to_value(DecisionObject::new(id.map(|i| i.0), d)).expect("serializable")
}

use frontdesk_desk::contract::member_time as local;

/// Prints a decision.
pub fn decision(practice: &Practice, id: Option<ContactId>, d: &Decision, json: bool) {
    if json {
        println!("{}", decision_json(id, d));
        return;
    }
    print!("{}", decision_text(practice, id, d));
}

/// Text a client wrote, made safe for a terminal: control characters (ESC, BEL, …) and the
/// bidirectional overrides that can hide or reorder what follows are shown as `\u{…}`
/// escapes instead of acting on the terminal. What is stored is as given.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}');
        if c.is_control() || bidi {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// A decision as a readable block.
pub fn decision_text(practice: &Practice, id: Option<ContactId>, d: &Decision) -> String {
    let mut out = String::new();
    if let Some(id) = id {
        out += &format!("contact   {}\n", id.0);
    }
    out += &format!("decision  {}\n", d.verdict);
    let name = practice
        .member(&d.assignee)
        .map(|m| format!(" ({})", m.name))
        .unwrap_or_default();
    out += &format!("assignee  {}{}\n", d.assignee, name);
    out += &format!("due       {}\n", local(practice, &d.assignee, d.due));
    if !d.flags.is_empty() {
        let flags: Vec<&str> = d.flags.iter().map(|f| f.as_str()).collect();
        out += &format!("flags     {}\n", flags.join(", "));
    }
    for (i, r) in d.reasons.iter().enumerate() {
        let r = terminal_safe(r);
        out += &format!("{}{r}\n", if i == 0 { "reasons   " } else { "          " });
    }
    if let Some(r) = &d.reply {
        out += &format!("reply     [{}] {}\n", r.language, r.text);
    }
    out
}

/// Prints what `apply` did.
pub fn applied(practice: &Practice, a: &Applied, json: bool) {
    let c = &a.changes;
    if json {
        let counts = |x: &frontdesk_core::Changes| json!({"added": x.added, "updated": x.updated, "removed": x.removed, "unchanged": x.unchanged});
        println!(
            "{}",
            json!({
                "practice": practice.settings().name,
                "created": a.created,
                "changed": c.any(),
                "members": counts(&c.members),
                "absences": counts(&c.absences),
                "clients": counts(&c.clients),
            })
        );
        return;
    }
    let name = &practice.settings().name;
    if a.created {
        println!("created practice {name:?}");
    } else if !c.any() {
        println!("practice {name:?} is unchanged");
        return;
    } else {
        println!("updated practice {name:?}");
    }
    for (what, x) in [
        ("members", &c.members),
        ("absences", &c.absences),
        ("clients", &c.clients),
    ] {
        println!(
            "  {what:<9} {} added, {} updated, {} removed, {} unchanged",
            x.added, x.updated, x.removed, x.unchanged
        );
    }
}

/// Prints what `db copy` copied and checked.
pub fn copied(c: &frontdesk_desk::copy::Copied, from: &str, to: &str, json: bool) {
    if json {
        let tables: serde_json::Map<String, serde_json::Value> = c
            .tables
            .iter()
            .map(|(t, n)| (t.to_string(), json!(n)))
            .collect();
        let practices: Vec<_> = c
            .practices
            .iter()
            .map(|(p, n)| json!({"practice": p, "audit_entries": n, "audit": "verified"}))
            .collect();
        println!(
            "{}",
            json!({"from": from, "to": to, "tables": tables, "practices": practices})
        );
        return;
    }
    println!("copied {from} to {to}; the rows of every table counted in both:");
    for (t, n) in c.tables.iter().filter(|(_, n)| *n > 0) {
        println!("  {t:<16} {n}");
    }
    for (p, n) in &c.practices {
        println!("practice {p:?}: audit log of {n} entries verified");
    }
}

/// Prints a recorded answer.
/// The contact answered, and the sentences of what was sent that read as promises (to record
/// in the register with `promise add`).
pub fn answered(r: &Recorded, promises: &[String], json: bool) {
    let Some(a) = r.answer else { return };
    if json {
        println!(
            "{}",
            json!({
                "promises": promises,
                "id": r.id.0,
                "answered_at": a.at.to_string(),
                "response_seconds": a.response.as_secs(),
                "working_response_seconds": a.working_response.as_secs(),
                "due": r.decision.due.to_string(),
                "late": a.at > r.decision.due,
            })
        );
        return;
    }
    let mins = |d: jiff::SignedDuration| d.as_secs() / 60;
    println!(
        "contact {} answered at {}: {}h{:02}m after it arrived ({}h{:02}m of working time){}",
        r.id.0,
        a.at,
        mins(a.response) / 60,
        mins(a.response) % 60,
        mins(a.working_response) / 60,
        mins(a.working_response) % 60,
        if a.at > r.decision.due { ", late" } else { "" }
    );
    for p in promises {
        println!("  this reads as a promise (record it with `promise add`): {p}");
    }
}

/// Prints the inbox.
pub fn inbox(practice: &Practice, inbox: &Inbox, now: Timestamp, json: bool) {
    if json {
        let contacts: Vec<InboxLine> = inbox
            .entries
            .iter()
            .map(|e| InboxLine::new(e, now))
            .collect();
        println!(
            "{}",
            json!({"at": now.to_string(), "open": inbox.open, "overdue": inbox.overdue, "contacts": contacts})
        );
        return;
    }
    print!("{}", inbox_text(practice, inbox, now));
}

/// The inbox as a table.
pub fn inbox_text(practice: &Practice, inbox: &Inbox, now: Timestamp) -> String {
    let mut out = format!(
        "{} open, {} overdue at {}\n",
        inbox.open, inbox.overdue, now
    );
    if inbox.entries.is_empty() {
        out += "nothing needs an answer\n";
        return out;
    }
    out += &format!(
        "{:<5} {:<8} {:<26} {:<9} {:<10} {:<9} {:<9} {:<22} {}\n",
        "ID", "", "DUE", "CLIENT", "CHANNEL", "DECISION", "ASSIGNEE", "FLAGS", "SAYS"
    );
    for e in &inbox.entries {
        let flags: Vec<&str> = e.flags.iter().map(|f| f.as_str()).collect();
        let summary: String = e
            .summary
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        let summary = terminal_safe(&summary);
        out += &format!(
            "{:<5} {:<8} {:<26} {:<9} {:<10} {:<9} {:<9} {:<22} {}\n",
            e.id.0,
            if is_overdue(e.due, now) {
                "OVERDUE"
            } else {
                ""
            },
            local(practice, &e.assignee, e.due),
            e.client.as_str(),
            e.channel.as_str(),
            e.verdict.as_str(),
            e.assignee.as_str(),
            flags.join(","),
            summary
        );
    }
    if (inbox.entries.len() as u64) < inbox.open {
        out += &format!(
            "… and {} more (use --limit)\n",
            inbox.open - inbox.entries.len() as u64
        );
    }
    out
}

/// One agenda line as JSON: the contract of `agenda` and `meeting`.
pub fn occurrence_json(o: &Occurrence) -> Value {
    serde_json::to_value(frontdesk_desk::contract::OccurrenceObject::new(o)).expect("serializable")
}

/// Prints agenda lines: a JSON array, or a table in each member's zone.
pub fn agenda(practice: &Practice, list: &[Occurrence], json: bool) {
    if json {
        let all: Vec<Value> = list.iter().map(occurrence_json).collect();
        println!("{}", Value::Array(all));
        return;
    }
    print!("{}", agenda_text(practice, list));
}

/// Agenda lines as a table.
pub fn agenda_text(practice: &Practice, list: &[Occurrence]) -> String {
    if list.is_empty() {
        return "nothing in the agenda\n".to_string();
    }
    let mut out = String::new();
    for o in list {
        let m = &o.meeting;
        let mut status = m.status.as_str().to_string();
        if m.late {
            status += " (late)";
        }
        if let Some(h) = m.held_minutes {
            status += &format!(" ({h} min)");
        }
        if m.moved() {
            status += &format!(
                ", moved from {}",
                local(
                    practice,
                    &m.member,
                    m.original.expect("moved has an original")
                )
            );
        }
        out += &format!(
            "{}  {:>3} min  {:<10} {:<8} {:<9} {:<28} {}\n",
            local(practice, &m.member, m.start),
            m.minutes,
            m.client.as_str(),
            m.member.as_str(),
            m.kind.as_str(),
            status,
            o.id
        );
    }
    out
}

pub use frontdesk_desk::booking::in_zone;

/// Prints slots in the client's zone: `[{"start", "end"}]`, or one per line.
pub fn slots(client: &frontdesk_core::Client, list: &[frontdesk_core::slots::Slot], json: bool) {
    if json {
        let all: Vec<Value> = list
            .iter()
            .map(|s| json!({"start": in_zone(client, s.start), "end": in_zone(client, s.end)}))
            .collect();
        println!("{}", Value::Array(all));
        return;
    }
    if list.is_empty() {
        println!("no free slots");
    }
    for s in list {
        let z = s.start.to_zoned_datetime(client.zone.tz().clone());
        let e = s.end.to_zoned_datetime(client.zone.tz().clone());
        println!(
            "{}–{}",
            z.strftime("%a %Y-%m-%d %H:%M"),
            e.strftime("%H:%M %Z")
        );
    }
}

/// Prints what `busy import` did.
pub fn busy_imported(
    member: &frontdesk_core::Handle,
    source: &str,
    imported: usize,
    replaced: usize,
    json: bool,
) {
    if json {
        println!(
            "{}",
            json!({"member": member.as_str(), "source": source, "imported": imported, "replaced": replaced})
        );
    } else {
        println!(
            "{imported} busy times for {member} from {source} (replacing {replaced} from before)"
        );
    }
}

/// Prints busy times: `[{"start", "end"}]` in UTC, or one per line in the member's zone.
pub fn busy(member: &frontdesk_core::Member, list: &[frontdesk_core::slots::Busy], json: bool) {
    if json {
        let all: Vec<Value> = list
            .iter()
            .map(|b| json!({"start": b.start.to_string(), "end": b.end.to_string()}))
            .collect();
        println!("{}", Value::Array(all));
        return;
    }
    if list.is_empty() {
        println!("no busy times");
    }
    for b in list {
        let tz = member.zone.tz().clone();
        println!(
            "{} – {}",
            b.start
                .to_zoned_datetime(tz.clone())
                .strftime("%a %Y-%m-%d %H:%M"),
            b.end.to_zoned_datetime(tz).strftime("%a %Y-%m-%d %H:%M %Z")
        );
    }
}

/// Prints the outbox, newest first.
pub fn outbox(list: &[frontdesk_store::Queued], json: bool) {
    if json {
        let objects: Vec<_> = list
            .iter()
            .map(frontdesk_desk::contract::OutboxObject::new)
            .collect();
        println!("{}", json!(objects));
        return;
    }
    if list.is_empty() {
        println!("the outbox is empty");
        return;
    }
    for q in list {
        let m = &q.message;
        let when = match (q.sent, q.next_attempt) {
            (Some(t), _) => format!("sent {t}"),
            (None, Some(t)) => format!("next try {t}"),
            (None, None) => "dead: `frontdesk outbox retry` sends it again".to_string(),
        };
        println!(
            "{:>5}  {:<7} {:<5} {:<30} {:<16} {}",
            q.id,
            q.state().as_str(),
            m.medium.as_str(),
            m.to.escape_debug(),
            m.key,
            when
        );
        if let Some(e) = &q.last_error {
            println!(
                "       after {} failed attempts: {}",
                q.attempts,
                e.escape_debug()
            );
        }
    }
}

/// Prints what one pass of the timers and the sender did.
pub fn ticked(ran: usize, d: &frontdesk_desk::outbox::Delivered, json: bool) {
    if json {
        println!(
            "{}",
            json!({
                "jobs": ran,
                "sent": d.sent,
                "failed": d.failed,
                "dead": d.dead,
                "waiting": d.waiting,
            })
        );
        return;
    }
    println!(
        "{ran} timer jobs ran; messages: {} sent, {} failed ({} now dead), {} waiting for a channel",
        d.sent, d.failed, d.dead, d.waiting
    );
}

/// Prints what `mail import` did.
pub fn mail_imported(r: &frontdesk_desk::mail::Imported, json: bool) {
    if json {
        println!("{}", json!(r));
        return;
    }
    println!(
        "{} messages read: {} recorded ({} of them automatic mail), {} recorded before, {} refused",
        r.read,
        r.recorded,
        r.automatic,
        r.duplicates,
        r.refused.len()
    );
    for m in &r.refused {
        println!(
            "  message {}{}: {}",
            m.number,
            m.message_id
                .as_deref()
                .map(|i| format!(" <{}>", terminal_safe(i)))
                .unwrap_or_default(),
            terminal_safe(&m.reason)
        );
    }
}

/// A recorded contact with its conversation.
pub fn contact(practice: &Practice, r: &Recorded, thread: &[Recorded], json: bool) {
    let d = &r.decision;
    if json {
        println!(
            "{}",
            json!({
                "id": r.id.0,
                "client": r.inbound.client.as_str(),
                "channel": r.inbound.channel.as_str(),
                "from": r.inbound.from,
                "at": r.inbound.at.to_string(),
                "body": r.inbound.body,
                "decision": decision_json(Some(r.id), d),
                "answered_at": r.answer.as_ref().map(|a| a.at.to_string()),
                "automatic": r.automatic,
                "thread": thread.iter().map(|c| c.id.0).collect::<Vec<_>>(),
            })
        );
        return;
    }
    println!(
        "#{} {} {} {}",
        r.id.0,
        r.inbound.client,
        r.inbound.channel.as_str(),
        terminal_safe(&r.inbound.from)
    );
    println!("arrived {}", local(practice, &d.assignee, r.inbound.at));
    if let Some(b) = &r.inbound.body {
        println!("{}", terminal_safe(b));
    }
    println!("{}", decision_text(practice, Some(r.id), d));
    match (&r.answer, &r.automatic) {
        (Some(a), _) => println!("answered {}", local(practice, &d.assignee, a.at)),
        (None, Some(kind)) => println!("automatic mail ({kind}): needs no answer"),
        (None, None) => println!("not answered yet"),
    }
    if thread.len() > 1 {
        println!("conversation:");
        for c in thread {
            println!(
                "  #{} {} {}",
                c.id.0,
                local(practice, &d.assignee, c.inbound.at),
                terminal_safe(&c.inbound.from)
            );
        }
    }
}

/// What `mail fetch` did, per mailbox.
pub fn mail_fetched(reports: &[frontdesk_desk::imap::Fetched], json: bool) {
    if json {
        println!("{}", json!(reports));
        return;
    }
    for r in reports {
        println!(
            "{}: {} messages in the folder, {} read: {} recorded ({} automatic), {} recorded before, {} from unknown senders, {} refused",
            terminal_safe(&r.mailbox),
            r.present,
            r.read,
            r.recorded,
            r.automatic,
            r.duplicates,
            r.unmatched,
            r.refused.len()
        );
        for m in &r.refused {
            println!("  UID {}: {}", m.number, terminal_safe(&m.reason));
        }
    }
}

/// The mailboxes' state and the unmatched list.
pub fn mail_status(
    boxes: &[frontdesk_store::MailboxState],
    unmatched: &[frontdesk_store::Unmatched],
    json: bool,
) {
    if json {
        let boxes: Vec<Value> = boxes
            .iter()
            .map(|b| {
                json!({
                    "mailbox": b.mailbox,
                    "uidvalidity": b.uidvalidity,
                    "uid": b.uid,
                    "present": b.present,
                    "read": b.read,
                    "checked": b.checked.map(|t| t.to_string()),
                    "error": b.error.as_ref().map(|(_, e)| e),
                    "error_at": b.error.as_ref().map(|(t, _)| t.to_string()),
                })
            })
            .collect();
        let unmatched: Vec<Value> = unmatched
            .iter()
            .map(|u| {
                json!({
                    "key": u.key.rsplit('\u{1f}').next().unwrap_or(&u.key),
                    "from": u.from,
                    "at": u.at.to_string(),
                    "body": u.body,
                    "automatic": u.automatic,
                })
            })
            .collect();
        println!("{}", json!({ "mailboxes": boxes, "unmatched": unmatched }));
        return;
    }
    for b in boxes {
        println!(
            "{}: {} of {} messages read{}",
            terminal_safe(&b.mailbox),
            b.read,
            b.present,
            b.checked
                .map(|t| format!(", last read {t}"))
                .unwrap_or_default()
        );
        if let Some((at, e)) = &b.error {
            println!("  last error ({at}): {}", terminal_safe(e));
        }
    }
    if !unmatched.is_empty() {
        println!("{} messages from senders no client has:", unmatched.len());
        for u in unmatched {
            println!(
                "  {} {} {}",
                u.at,
                terminal_safe(&u.from),
                terminal_safe(u.body.lines().next().unwrap_or(""))
            );
        }
    }
}
