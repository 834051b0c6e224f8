//! Deliverables and input requests: one path for the command line (and, later, the pages and
//! the API). The rules are the core's (`frontdesk_core::deliverable`); every change is stored
//! with its audit entry, and what the client is told goes through the outbox.

use frontdesk_core::deliverable::{self, Deliverable, DeliverableError, Due, InputRequest, State};
use frontdesk_core::{Handle, Practice};
use frontdesk_store::{PracticeId, Store, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;

/// Why a change was not made; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum DeliverableFail {
    #[error(transparent)]
    Refused(#[from] DeliverableError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The deliverable numbered `number` that `member` may see.
fn find(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    number: i64,
    member: &Handle,
) -> Result<Deliverable, DeliverableFail> {
    store
        .deliverables(id)?
        .into_iter()
        .find(|d| d.id == number && practice.clients_of(member).any(|c| c.handle == d.client))
        .ok_or_else(|| {
            StoreError::Refused(format!(
                "deliverable {number}: there is no such deliverable"
            ))
            .into()
        })
}

/// Records a deliverable with its goal and due date.
#[allow(clippy::too_many_arguments)]
pub fn add(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    client: &Handle,
    name: &str,
    goal: &str,
    due: Date,
    member: &Handle,
    now: Timestamp,
) -> Result<Deliverable, DeliverableFail> {
    let d = deliverable::new_deliverable(practice, client, name, goal, due, member, now)?;
    Ok(store.put_deliverable(id, &d, member.as_str(), "deliverable.recorded", now)?)
}

/// Marks a deliverable done.
pub fn done(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    number: i64,
    member: &Handle,
    now: Timestamp,
) -> Result<Deliverable, DeliverableFail> {
    let d = find(store, id, practice, number, member)?;
    if d.state == State::Done {
        return Err(DeliverableError::Done(d.id).into());
    }
    let d = Deliverable {
        state: State::Done,
        ..d
    };
    Ok(store.put_deliverable(id, &d, member.as_str(), "deliverable.done", now)?)
}

/// Marks a deliverable done and asks its client to rate it against its goal, through a link
/// under `public_url` (the desk's address from outside). The deliverable stays done if the
/// rating cannot be asked (no one of the client has an address); that is logged.
pub fn done_and_ask_rating(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    number: i64,
    member: &Handle,
    public_url: &str,
    now: Timestamp,
) -> Result<Deliverable, DeliverableFail> {
    let d = done(store, id, practice, number, member, now)?;
    if let Err(e) = crate::ratings::request(
        store,
        id,
        practice,
        &d.client,
        Some(d.id),
        None,
        public_url,
        member,
        now,
    ) {
        tracing::warn!("deliverable {}: the rating was not asked: {e}", d.id);
    }
    Ok(d)
}

/// Asks the client for the items a deliverable needs by `by`, through the outbox in their
/// language ("To finish X by 1 February we need A, B and C by 20 January").
#[allow(clippy::too_many_arguments)]
pub fn request(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    number: i64,
    items: &[String],
    by: Date,
    member: &Handle,
    now: Timestamp,
) -> Result<InputRequest, DeliverableFail> {
    let d = find(store, id, practice, number, member)?;
    let r = deliverable::new_request(practice, &d, items, by, member, now)?;
    let r = store.put_input_request(
        id,
        &r,
        &d.client,
        None,
        member.as_str(),
        "input.requested",
        now,
    )?;
    if let Some(job) = deliverable::client_job(practice, &d, &r, "input-request") {
        store.run_jobs(id, &[job], now)?;
    }
    Ok(r)
}

/// Ticks item `item` (from 1) of request `number` as received; the last one resumes the
/// deliverable if it was on hold, with its due date moved by the days lost, and tells the
/// client the new date.
pub fn received(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    number: i64,
    item: usize,
    member: &Handle,
    now: Timestamp,
) -> Result<(InputRequest, Deliverable), DeliverableFail> {
    let mut r = store
        .input_requests(id)?
        .into_iter()
        .find(|r| r.id == number)
        .ok_or_else(|| {
            StoreError::Refused(format!("request {number}: there is no such request"))
        })?;
    let d = find(store, id, practice, r.deliverable, member)?;
    let slot = item
        .checked_sub(1)
        .and_then(|i| r.items.get_mut(i))
        .ok_or(DeliverableError::NoItem { id: number, item })?;
    if slot.received.is_none() {
        slot.received = Some(now);
    }
    let resumed = (r.complete() && d.state == State::OnHold)
        .then(|| deliverable::resume(&d, deliverable::today(practice, &d.member, now)));
    let r = store.put_input_request(
        id,
        &r,
        &d.client,
        resumed.as_ref(),
        member.as_str(),
        "input.received",
        now,
    )?;
    let d = match resumed {
        Some(d) => {
            if let Some(job) = deliverable::client_job(practice, &d, &r, "input-resumed") {
                store.run_jobs(id, &[job], now)?;
            }
            d
        }
        None => d,
    };
    Ok((r, d))
}

/// The timers' part: the reminder two days before a request's date, and the hold the day
/// after it when items are still missing (the deliverable and the request written together,
/// then the client told the options). Returns the jobs to run.
pub fn tick(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    now: Timestamp,
) -> Result<Vec<frontdesk_core::timers::Job>, StoreError> {
    let deliverables = store.deliverables(id)?;
    let mut jobs = Vec::new();
    for r in store.input_requests(id)? {
        let Some(d) = deliverables.iter().find(|d| d.id == r.deliverable) else {
            continue;
        };
        match deliverable::due(practice, d, &r, now) {
            Some(Due::Remind) => {
                jobs.extend(deliverable::client_job(practice, d, &r, "input-reminder"));
            }
            Some(Due::Hold { since }) => {
                let held = deliverable::hold(d, since);
                let missed = InputRequest {
                    missed: true,
                    ..r.clone()
                };
                store.put_input_request(
                    id,
                    &missed,
                    &d.client,
                    Some(&held),
                    "desk",
                    "input.missed",
                    now,
                )?;
                jobs.extend(deliverable::client_job(
                    practice,
                    &held,
                    &missed,
                    "input-missed",
                ));
            }
            None => {}
        }
    }
    Ok(jobs)
}
