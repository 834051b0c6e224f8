//! Recording contacts and their answers: the core decides, the store keeps the result.

use frontdesk_core::outbox::{reply_is_timely, reply_message};
use frontdesk_core::{
    AnswerRefused, Inbound, Practice, Reading, decide, decide_read, quota_week, read_contact,
};
use frontdesk_store::{ContactId, PracticeId, Recorded, Store, StoreError};
use jiff::Timestamp;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Which auto-replies recording queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replies {
    /// Those of contacts that arrived at most [`REPLY_WINDOW`](frontdesk_core::outbox::REPLY_WINDOW) before this `now` (or after it).
    Timely(Timestamp),
    /// None: the contacts are history, recorded after the fact.
    None,
}

/// Decides and records contacts in order, in one transaction: each sees the ones before it,
/// and each auto-reply is queued in the outbox with it (as `replies` says).
///
/// A batch of [`READ_AHEAD`] or more reads its contacts' texts (the costly part of deciding)
/// on a second thread, ahead of the store: while the store reads what deciding needs and
/// writes what was decided, the texts of the contacts to come are being read.
pub fn record(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    contacts: &[Inbound],
    replies: Replies,
) -> Result<Vec<Recorded>, StoreError> {
    let effects = |r: &Recorded| match replies {
        Replies::Timely(now) => timely_reply(practice, r, now).into_iter().collect(),
        Replies::None => Vec::new(),
    };
    let week = |inbound: &Inbound| quota_week(practice, inbound);
    if contacts.len() < READ_AHEAD {
        return store.record(
            id,
            contacts,
            &|_, inbound, history| decide(practice, inbound, history),
            &week,
            &effects,
        );
    }
    // Each contact's reading, by whichever thread gets to it first.
    let readings: Vec<OnceLock<Option<Reading>>> =
        contacts.iter().map(|_| OnceLock::new()).collect();
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            for (reading, inbound) in readings.iter().zip(contacts) {
                if done.load(Ordering::Relaxed) {
                    break;
                }
                reading.get_or_init(|| read_contact(practice, inbound));
            }
        });
        let recorded = store.record(
            id,
            contacts,
            &|i, inbound, history| {
                let reading = readings
                    .get(i)
                    .and_then(|r| r.get_or_init(|| read_contact(practice, inbound)).as_ref());
                match reading {
                    Some(reading) => decide_read(practice, inbound, history, reading),
                    None => decide(practice, inbound, history),
                }
            },
            &week,
            &effects,
        );
        done.store(true, Ordering::Relaxed);
        recorded
    })
}

/// Batches from this many contacts on read their texts ahead on a second thread.
pub const READ_AHEAD: usize = 32;

/// How long an idempotency key gives back its first contact.
pub const KEY_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// Records one contact under an idempotency key (`Idempotency-Key` of an API request) of
/// `member`: a retry with the same key and the same contact within [`KEY_WINDOW`] gets the
/// contact recorded the first time, and nothing is recorded or queued again; the same key
/// for a different contact is refused. Keys are the member's own: another member's key
/// never finds this one's contact. The flag says whether the contact is new.
pub fn record_once(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    inbound: &Inbound,
    member: &frontdesk_core::Handle,
    key: &str,
    now: Timestamp,
) -> Result<(Recorded, bool), StoreError> {
    let expires = now.checked_add(KEY_WINDOW).unwrap_or(Timestamp::MAX);
    let scoped = format!("{member}\u{1f}{key}");
    // What the contact is, not when the server read it: a retry without `at` arrives later.
    let request = crate::secrets::secret_hash(&format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}",
        inbound.client,
        inbound.channel,
        inbound.from,
        inbound.body.as_deref().unwrap_or("")
    ));
    store.record_once(
        id,
        &scoped,
        &request,
        now,
        Some(expires),
        inbound,
        &|_, inbound, history| decide(practice, inbound, history),
        &|inbound| quota_week(practice, inbound),
        &|r| timely_reply(practice, r, now).into_iter().collect(),
    )
}

/// The auto-reply of a contact recorded at `now`, if it still makes sense; a contact dated
/// ahead of `now` (a typo, a clock) is answered unthrottled rather than silence its sender's
/// replies until that date.
pub(crate) fn timely_reply(
    practice: &Practice,
    r: &Recorded,
    now: Timestamp,
) -> Option<frontdesk_core::outbox::Message> {
    if !reply_is_timely(r.inbound.at, now) {
        return None;
    }
    let mut m = reply_message(practice, r.id.0, &r.inbound, &r.decision)?;
    if r.inbound.at > now {
        m.throttle = None;
    }
    Some(m)
}

/// Records an answer at `at`, measured in the assignee's working time. The core judges it
/// inside the store's transaction: a contact is answered once, and not before it arrived.
/// With `text`, the answer is sent to the client (queued in the outbox in the same
/// transaction, by the medium the contact came through, in the client's language). `minutes`
/// is the work the answer took, billed as time under the client's terms.
#[allow(clippy::too_many_arguments)]
pub fn answer(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    contact: ContactId,
    at: Timestamp,
    text: Option<&str>,
    by: Option<&frontdesk_core::Handle>,
    minutes: Option<u32>,
) -> Result<Recorded, StoreError> {
    // Whoever answers; the CLI answers for the contact's assignee.
    let sender = |r: &Recorded| by.cloned().unwrap_or_else(|| r.decision.assignee.clone());
    let effects = |r: &Recorded| -> Vec<frontdesk_core::outbox::Message> {
        text.and_then(|t| {
            frontdesk_core::outbox::answer_message(practice, r.id.0, &r.inbound, t, &sender(r))
        })
        .into_iter()
        .collect()
    };
    store.answer(
        id,
        contact,
        &|r| {
            // An answer to send needs someone to send it to: refused before anything is
            // written, rather than marked answered and sent nowhere.
            if let Some(t) = text
                && frontdesk_core::outbox::answer_message(practice, r.id.0, &r.inbound, t, &sender(r))
                    .is_none()
            {
                return Err(StoreError::Refused(format!(
                    "text: contact {} came from {:?}, with no address or number to send an answer to",
                    contact.0, r.inbound.from
                )));
            }
            frontdesk_core::answer(
                practice,
                &r.inbound,
                &r.decision.assignee,
                r.answer.as_ref(),
                at,
            )
            .map(|a| frontdesk_core::Answer { minutes, ..a })
            .map_err(|refused| match refused {
                AnswerRefused::Already(at) => StoreError::AlreadyAnswered { id: contact.0, at },
                AnswerRefused::BeforeArrival { arrived, at } => StoreError::AnswerBeforeContact {
                    id: contact.0,
                    arrived,
                    at,
                },
            })
        },
        &effects,
    )
}

/// The sentences of `text`, an answer to `r`, that read as promises: what is offered for the
/// promise register. Read in the client's language (and the one the answer is written in).
pub fn promises_in_answer(practice: &Practice, r: &Recorded, text: &str) -> Vec<String> {
    let language = practice
        .client(&r.inbound.client)
        .map_or(practice.settings().language, |c| c.language);
    frontdesk_core::tone::promises(&[language], text)
}
