//! Booking: the slots a client can book and the booking itself, shared by `frontdesk slots` /
//! `meeting book` and the public booking page behind a client's secret link.

use frontdesk_core::booking::{Booker, Change, Notice, may_change, message};
use frontdesk_core::slots::{Busy, Calendar, Slot, slots};
use frontdesk_core::working_time::days_span;
use frontdesk_core::{AgendaFilter, Client, Meeting, MeetingKind, MeetingStatus, Practice};
use frontdesk_store::{BookRequest, Booked, PracticeId, Store, StoreError};
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

/// Who books on the booking page: their details, the hash of the secret of the link they get
/// to move or cancel the meeting, and that link.
#[derive(Clone, Copy, Debug)]
pub struct Booking<'a> {
    pub booker: &'a Booker,
    pub manage_hash: &'a [u8],
    pub manage_url: &'a str,
}

/// Books the slot starting at `start` for the client, checked against the calendar inside the
/// transaction that stores it: `StoreError::Refused` when it is not (or no longer) free. With a
/// booking from the booking page, its booker and their confirmation (the invitation attached)
/// are stored in that transaction too.
pub fn book(
    store: &mut dyn Store,
    id: PracticeId,
    p: &Practice,
    c: &Client,
    now: Timestamp,
    start: Timestamp,
    booking: Option<Booking<'_>>,
) -> Result<(i64, Meeting), StoreError> {
    let owner = p.member(&c.owner).expect("owners exist");
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
    let confirm = |n: i64| match booking {
        Some(b) => vec![notice(p, c, n, &meeting, b, Notice::Booked, now)],
        None => Vec::new(),
    };
    let number = store_at(store, id, p, c, now, &meeting, None, booking, &confirm)?;
    Ok((number, meeting))
}

/// Moves the booking `booked` (found by its change link) to the slot starting at `start`, as
/// the client may until the notice period begins; the booker is sent the new invitation.
pub fn reschedule(
    store: &mut dyn Store,
    p: &Practice,
    c: &Client,
    now: Timestamp,
    booked: &Booked,
    start: Timestamp,
    link: Booking<'_>,
) -> Result<Meeting, StoreError> {
    if may_change(c, &booked.meeting, now) != Change::Free {
        return Err(StoreError::Refused(
            "this meeting can no longer be moved here".to_string(),
        ));
    }
    let mut meeting = booked.meeting.clone();
    meeting.start = start;
    meeting.sequence += 1;
    let moved = |n: i64| vec![notice(p, c, n, &meeting, link, Notice::Moved, now)];
    store_at(
        store,
        booked.practice,
        p,
        c,
        now,
        &meeting,
        Some(booked.id),
        None,
        &moved,
    )?;
    Ok(meeting)
}

/// Cancels the booking `booked` (found by its change link), late when inside the client's
/// notice period; the booker is sent the cancellation.
pub fn cancel(
    store: &mut dyn Store,
    p: &Practice,
    c: &Client,
    now: Timestamp,
    booked: &Booked,
    link: Booking<'_>,
) -> Result<Meeting, StoreError> {
    if may_change(c, &booked.meeting, now) == Change::None {
        return Err(StoreError::Refused(
            "this meeting can no longer be cancelled here".to_string(),
        ));
    }
    let occurrence = frontdesk_core::Occurrence {
        id: frontdesk_core::MeetingRef::Stored(booked.id),
        stored: Some(booked.id),
        meeting: booked.meeting.clone(),
    };
    let mut meeting =
        frontdesk_core::agenda::mark(p, &occurrence, MeetingStatus::Cancelled, now, None)
            .map_err(|e| StoreError::Refused(e.to_string()))?;
    meeting.sequence += 1;
    let message = notice(p, c, booked.id, &meeting, link, Notice::Cancelled, now);
    store.change_meeting(booked.practice, booked.id, &meeting, &[message], now)?;
    Ok(meeting)
}

/// The message to the booker, with the invitation as it now stands.
fn notice(
    p: &Practice,
    c: &Client,
    n: i64,
    meeting: &Meeting,
    b: Booking<'_>,
    kind: Notice,
    now: Timestamp,
) -> frontdesk_core::outbox::Message {
    let calendar = frontdesk_core::ical::booking_invitation(p, c, n, meeting, b.booker, now);
    message(p, c, n, meeting, b.booker, kind, b.manage_url, calendar)
}

/// Stores `meeting` (new, or stored meeting `moving` at its new time) if the slot at its start
/// is free, judged inside the storing transaction.
#[allow(clippy::too_many_arguments)]
fn store_at(
    store: &mut dyn Store,
    id: PracticeId,
    p: &Practice,
    c: &Client,
    now: Timestamp,
    meeting: &Meeting,
    moving: Option<i64>,
    booking: Option<Booking<'_>>,
    messages: &dyn Fn(i64) -> Vec<frontdesk_core::outbox::Message>,
) -> Result<i64, StoreError> {
    let start = meeting.start;
    let owner = p.member(&c.owner).expect("owners exist");
    let day = start.to_zoned_datetime(owner.zone.tz().clone()).date();
    let range = slot_range(p, c, day, 1).map_err(|e| StoreError::Database(e.to_string()))?;
    let busy = store.busy(id, &owner.handle, range.0, range.1)?;
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
    store.book(
        id,
        &BookRequest {
            meeting,
            moving,
            range,
            check: &check,
            booker: booking.map(|b| (b.booker, b.manage_hash)),
            messages,
            now,
        },
    )
}

/// An instant in the client's zone as RFC 3339 with the offset: how slots are shown.
pub fn in_zone(client: &Client, at: Timestamp) -> String {
    at.to_zoned_datetime(client.zone.tz().clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}
