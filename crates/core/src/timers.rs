//! Work that happens because time passes: given what is open and `now`, which jobs are due.
//!
//! Each job has a key that names it once and for all (`overdue:42`): a runner claims the key
//! in the same transaction as the job's effects, so a job runs exactly once however often,
//! and from however many places, the timers are run.

use jiff::{SignedDuration, Timestamp};

use crate::outbox::{Medium, Message};
use crate::{Channel, Handle, Language, Practice, working_time};

/// How much of the assignee's working time before a due time they are reminded.
pub const DUE_SOON: SignedDuration = SignedDuration::from_mins(30);

/// An unanswered contact, as the timers see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenContact {
    /// Its number.
    pub id: i64,
    /// From which client.
    pub client: Handle,
    /// How it arrived.
    pub channel: Channel,
    /// Who sent it.
    pub from: String,
    /// Who answers.
    pub assignee: Handle,
    /// By when.
    pub due: Timestamp,
    /// The start of what it says.
    pub summary: Option<String>,
}

/// A job that is due, with what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// Names the job once and for all; claimed when it runs.
    pub key: String,
    /// The messages it sends.
    pub messages: Vec<Message>,
}

/// The jobs due at `now` for the open contacts: the assignee hears when a contact is
/// [`DUE_SOON`] of their working time from its due time, and again when it is overdue (up to
/// [`LOOKBACK`] after). A contact already overdue gets only the overdue notice. Each notice is
/// in the language the member chose (`language_of`), else the practice's.
pub fn due_jobs(
    practice: &Practice,
    open: &[OpenContact],
    language_of: &dyn Fn(&Handle) -> Option<Language>,
    now: Timestamp,
) -> Vec<Job> {
    let mut jobs = Vec::new();
    for c in open {
        let Some(member) = practice.member(&c.assignee) else {
            continue;
        };
        let kind = if crate::is_overdue(c.due, now) {
            if c.due.checked_add(LOOKBACK).is_ok_and(|last| last < now) {
                continue;
            }
            "overdue"
        } else if working_time::working_time_between(practice, member, now, c.due) <= DUE_SOON {
            "due-soon"
        } else {
            continue;
        };
        let language = language_of(&member.handle).unwrap_or(practice.settings().language);
        let client = practice
            .client(&c.client)
            .map_or_else(|| c.client.to_string(), |cl| cl.name.clone());
        let channel = crate::reply::message(language, &format!("channel-{}", c.channel), &[]);
        let args = [
            ("client", client),
            ("channel", channel),
            ("from", c.from.clone()),
            ("due", crate::reply::datetime(language, c.due, &member.zone)),
            ("summary", c.summary.clone().unwrap_or_default()),
        ];
        let key = format!("{kind}:{}", c.id);
        jobs.push(Job {
            key: key.clone(),
            messages: vec![Message {
                key,
                medium: Medium::Email,
                to: member.email.clone(),
                language,
                subject: crate::reply::message(language, &format!("notice-{kind}-subject"), &args),
                text: crate::reply::message(language, &format!("notice-{kind}"), &args),
                throttle: None,
                in_reply_to: None,
                from: None,
                calendar: None,
                attachment: None,
            }],
        });
    }
    jobs
}

/// The furthest any due time is looked for: storage is asked only for contacts due before
/// `now` plus this, however long a member's time off.
pub const LOOKAHEAD: SignedDuration = SignedDuration::from_hours(24 * 30);

/// The latest due time that can be [`DUE_SOON`] at `now` for any member: a minute of working
/// time past it, so that a due time in the gap after a member's last half hour (evening,
/// weekend) counts too. Storage is asked only for contacts due before it, so a pass looks at
/// the few contacts near their due time, not at every open one.
pub fn horizon(practice: &Practice, now: Timestamp) -> Timestamp {
    let cap = now.checked_add(LOOKAHEAD).unwrap_or(Timestamp::MAX);
    let soon = DUE_SOON + SignedDuration::from_mins(1);
    practice
        .members()
        .iter()
        .map(|m| working_time::add_working_time(practice, m, now, soon).unwrap_or(cap))
        .max()
        .map_or(cap, |h| h.min(cap))
}

/// How long after its due time a contact still gets its overdue notice. Older ones are in the
/// inbox already; without this bound the first run on a database with a long history would
/// send a notice for every contact ever left open, and every pass would look at all of them.
pub const LOOKBACK: SignedDuration = SignedDuration::from_hours(24);
