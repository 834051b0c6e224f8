//! Booking: the slots a client can book and the booking itself, shared by `frontdesk slots` /
//! `meeting book` and the public booking page behind a client's secret link.

use frontdesk_core::slots::{Busy, Calendar, Slot, slots};
use frontdesk_core::working_time::days_span;
use frontdesk_core::{AgendaFilter, Client, Meeting, MeetingKind, MeetingStatus, Practice};
use frontdesk_store::{PracticeId, Store, StoreError};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

/// The instants whose meetings matter for slots on `days` days from `first` (dates in the
/// owner's zone): a day more on each side, for buffers and zones.
pub fn slot_range(
    p: &Practice,
    c: &Client,
    first: Date,
    days: u16,
) -> Result<(Timestamp, Timestamp), jiff::Error> {
    let tz = p.member(&c.owner).expect("owners exist").zone.tz();
    days_span(tz, first.checked_sub(1.days())?, i64::from(days) + 2)
}

/// The client's free slots from what is stored in `[lo, hi)`.
#[allow(clippy::too_many_arguments)]
pub fn free_slots_in(
    p: &Practice,
    c: &Client,
    now: Timestamp,
    first: Date,
    days: u16,
    stored: &[(i64, Meeting)],
    busy: &[Busy],
    calls: &dyn Fn(Date) -> u32,
    (lo, hi): (Timestamp, Timestamp),
) -> Vec<Slot> {
    let meetings = frontdesk_core::agenda::agenda(p, stored, lo, hi, &AgendaFilter::default());
    let calendar = Calendar {
        meetings: &meetings,
        busy,
        calls_in_week: calls,
    };
    slots(p, c, now, first, days, &calendar)
}

/// The client's free slots on `days` days from `first`, as of `now`.
pub fn free_slots(
    store: &dyn Store,
    id: PracticeId,
    p: &Practice,
    c: &Client,
    now: Timestamp,
    first: Date,
    days: u16,
) -> Result<Vec<Slot>, StoreError> {
    let range = slot_range(p, c, first, days).map_err(|e| StoreError::Database(e.to_string()))?;
    let stored = store.meetings(id, range.0, range.1)?;
    let busy = store.busy(id, &c.owner, range.0, range.1)?;
    let calls = |week| store.adhoc_calls(id, &c.handle, week).unwrap_or(u32::MAX);
    Ok(free_slots_in(
        p, c, now, first, days, &stored, &busy, &calls, range,
    ))
}

/// Books the slot starting at `start` for the client, checked against the calendar inside the
/// transaction that stores it: `StoreError::Refused` when it is not (or no longer) free.
pub fn book(
    store: &mut dyn Store,
    id: PracticeId,
    p: &Practice,
    c: &Client,
    now: Timestamp,
    start: Timestamp,
) -> Result<(i64, Meeting), StoreError> {
    let owner = p.member(&c.owner).expect("owners exist");
    let day = start.to_zoned_datetime(owner.zone.tz().clone()).date();
    let range = slot_range(p, c, day, 1).map_err(|e| StoreError::Database(e.to_string()))?;
    let busy = store.busy(id, &owner.handle, range.0, range.1)?;
    let meeting = Meeting {
        client: c.handle.clone(),
        member: owner.handle.clone(),
        kind: MeetingKind::Booked,
        original: None,
        start,
        minutes: c.terms.booking.minutes,
        status: MeetingStatus::Scheduled,
        held_minutes: None,
        cancelled_at: None,
        late: false,
        sequence: 0,
    };
    let check = |stored: &[(i64, Meeting)], calls: &dyn Fn(Date) -> u32| {
        let free = free_slots_in(p, c, now, day, 1, stored, &busy, calls, range);
        if free.iter().any(|s| s.start == start) {
            return Ok(());
        }
        let offer: Vec<String> = free.iter().map(|s| in_zone(c, s.start)).collect();
        Err(format!(
            "{}: not a free slot for {}{}",
            in_zone(c, start),
            c.handle,
            if offer.is_empty() {
                " and that day has none left".to_string()
            } else {
                format!("; free that day: {}", offer.join(", "))
            }
        ))
    };
    let number = store.book(id, &meeting, range.0, range.1, &check)?;
    Ok((number, meeting))
}

/// An instant in the client's zone as RFC 3339 with the offset: how slots are shown.
pub fn in_zone(client: &Client, at: Timestamp) -> String {
    at.to_zoned_datetime(client.zone.tz().clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}
