//! The JSON objects scripts rely on, shared by the CLI and the HTTP API so both print exactly
//! the same decision object.

use frontdesk_core::Decision;
use frontdesk_store::{InboxEntry, Recorded};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An instant in a member's zone, for people: "Tue 2026-12-01 10:05 CET".
pub fn member_time(
    practice: &frontdesk_core::Practice,
    member: &frontdesk_core::Handle,
    at: jiff::Timestamp,
) -> String {
    match practice.member(member) {
        Some(m) => at
            .to_zoned_datetime(m.zone.tz().clone())
            .strftime("%a %Y-%m-%d %H:%M %Z")
            .to_string(),
        None => at.to_string(),
    }
}

/// The auto-reply sent to the client.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReplyObject {
    /// en, es, ru, it or nl.
    pub language: String,
    pub text: String,
}

/// What the desk decided for one contact.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DecisionObject {
    /// accept, hold, defer, cover, urgent or ask_topic.
    pub decision: String,
    /// The member who answers.
    pub assignee: String,
    /// When the answer is due (RFC 3339, UTC).
    pub due: String,
    /// urgent, after_hours, no_content, over_quota, complaint, escalation, leaving, follow_up.
    pub flags: Vec<String>,
    /// Why, for people.
    pub reasons: Vec<String>,
    pub reply: Option<ReplyObject>,
    /// The language the message is written in (en, es, ru, it, nl), when it could be told.
    pub message_language: Option<String>,
    /// The recorded contact's number (absent for a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
}

impl DecisionObject {
    pub fn new(id: Option<i64>, d: &Decision) -> DecisionObject {
        DecisionObject {
            decision: d.verdict.as_str().to_string(),
            assignee: d.assignee.to_string(),
            due: d.due.to_string(),
            flags: d.flags.iter().map(|f| f.as_str().to_string()).collect(),
            reasons: d.reasons.clone(),
            reply: d.reply.as_ref().map(|r| ReplyObject {
                language: r.language.code().to_string(),
                text: r.text.clone(),
            }),
            message_language: d.message_language.map(|l| l.code().to_string()),
            id,
        }
    }
}

/// A recorded contact: what arrived, the decision, and the answer if any.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactObject {
    #[serde(flatten)]
    pub decision: DecisionObject,
    pub client: String,
    pub channel: String,
    pub from: String,
    /// When it arrived (RFC 3339).
    pub at: String,
    pub body: Option<String>,
    /// When it was answered, if it was.
    pub answered_at: Option<String>,
    /// What kind of automatic mail it is (bounce, report, auto-reply, auto-submitted, bulk,
    /// list, suppressed, system), if it is: kept, never open, never answered automatically.
    pub automatic: Option<String>,
}

impl ContactObject {
    pub fn new(r: &Recorded) -> ContactObject {
        ContactObject {
            decision: DecisionObject::new(Some(r.id.0), &r.decision),
            client: r.inbound.client.to_string(),
            channel: r.inbound.channel.as_str().to_string(),
            from: r.inbound.from.clone(),
            at: r.inbound.at.to_string(),
            body: r.inbound.body.clone(),
            answered_at: r.answer.map(|a| a.at.to_string()),
            automatic: r.automatic.clone(),
        }
    }
}

/// One line of the inbox.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct InboxLine {
    pub id: i64,
    pub client: String,
    pub channel: String,
    pub from: String,
    pub at: String,
    pub decision: String,
    pub assignee: String,
    pub due: String,
    pub overdue: bool,
    pub flags: Vec<String>,
    pub summary: Option<String>,
}

impl InboxLine {
    pub fn new(e: &InboxEntry, now: jiff::Timestamp) -> InboxLine {
        InboxLine {
            id: e.id.0,
            client: e.client.to_string(),
            channel: e.channel.as_str().to_string(),
            from: e.from.clone(),
            at: e.at.to_string(),
            decision: e.verdict.as_str().to_string(),
            assignee: e.assignee.to_string(),
            due: e.due.to_string(),
            overdue: frontdesk_core::is_overdue(e.due, now),
            flags: e.flags.iter().map(|f| f.as_str().to_string()).collect(),
            summary: e.summary.clone(),
        }
    }
}

/// One line of the agenda: a standing-call occurrence or a meeting, and what became of it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OccurrenceObject {
    /// How to name it: a number, or client@start for a standing-call occurrence.
    pub id: String,
    /// The stored meeting's number, if anything was stored about it.
    pub stored: Option<i64>,
    pub client: String,
    pub member: String,
    /// standing, booked or adhoc.
    pub kind: String,
    /// RFC 3339.
    pub start: String,
    pub end: String,
    pub minutes: u32,
    /// scheduled, held, no-show or cancelled.
    pub status: String,
    /// For a standing-call occurrence, the start its rule gives it.
    pub original: Option<String>,
    pub moved: bool,
    pub held_minutes: Option<u32>,
    pub cancelled_at: Option<String>,
    /// Cancelled inside the client's notice period.
    pub late: bool,
}

impl OccurrenceObject {
    pub fn new(o: &frontdesk_core::Occurrence) -> OccurrenceObject {
        let m = &o.meeting;
        OccurrenceObject {
            id: o.id.to_string(),
            stored: o.stored,
            client: m.client.to_string(),
            member: m.member.to_string(),
            kind: m.kind.as_str().to_string(),
            start: m.start.to_string(),
            end: m.end().to_string(),
            minutes: m.minutes,
            status: m.status.as_str().to_string(),
            original: m.original.map(|t| t.to_string()),
            moved: m.moved(),
            held_minutes: m.held_minutes,
            cancelled_at: m.cancelled_at.map(|t| t.to_string()),
            late: m.late,
        }
    }
}

/// A message in the outbox, and where it stands.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OutboxObject {
    pub id: i64,
    /// What caused it, unique in the practice (`reply:42`, `overdue:42`).
    pub key: String,
    /// pending, sent or dead.
    pub state: String,
    /// email, sms or chat.
    pub medium: String,
    pub to: String,
    pub language: String,
    pub subject: String,
    pub text: String,
    /// When it was queued (RFC 3339).
    pub created: String,
    /// Failed attempts so far.
    pub attempts: u32,
    pub next_attempt: Option<String>,
    pub last_error: Option<String>,
    pub sent: Option<String>,
}

impl OutboxObject {
    pub fn new(q: &frontdesk_store::Queued) -> OutboxObject {
        let m = &q.message;
        OutboxObject {
            id: q.id,
            key: m.key.clone(),
            state: q.state().as_str().to_string(),
            medium: m.medium.as_str().to_string(),
            to: m.to.clone(),
            language: m.language.code().to_string(),
            subject: m.subject.clone(),
            text: m.text.clone(),
            created: q.created.to_string(),
            attempts: q.attempts,
            next_attempt: q.next_attempt.map(|t| t.to_string()),
            last_error: q.last_error.clone(),
            sent: q.sent.map(|t| t.to_string()),
        }
    }
}

/// A billable item as the CLI and the API print it: the core's item with its words as the
/// client reads them, what is billed, and whether it was waived.
pub fn item_json(
    practice: &frontdesk_core::Practice,
    it: &frontdesk_core::billing::Item,
) -> serde_json::Value {
    let mut v = serde_json::to_value(it).unwrap_or(serde_json::Value::Null);
    v["description"] = serde_json::json!(frontdesk_core::billing::client_words(practice, it));
    v["billed"] = serde_json::json!(it.currency.plain(it.billed()));
    v["waived"] = serde_json::json!(it.waived());
    v
}
