//! Bookable slots: what a client's booking link offers.
//!
//! A slot is `booking.minutes` long and lies inside one of the client owner's working windows
//! (so never on holidays or absences), starts at least `booking.notice` after now, keeps
//! `booking.buffer_minutes` clear of every meeting the owner has (any client's, and busy time
//! imported from their calendar), and is only offered on days with fewer than
//! `booking.per_day` booked meetings and in weeks where the client has not used up their
//! ad-hoc allowance (calls recorded inside working hours plus meetings booked or arranged).
//! Starts are on a grid of half the slot length or 30 minutes, whichever is smaller, from the
//! start of the window.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};

use crate::agenda::{MeetingKind, MeetingStatus, Occurrence};
use crate::working_time::{day_start, local_date, week_start, windows};
use crate::{Client, Practice};

/// A time the owner is not free, from their own calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// One bookable slot, `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// What the slots depend on besides the practice.
pub struct Calendar<'a> {
    /// Every meeting of the client's owner (with any client) and of the client, in and around
    /// the range asked for (a day on each side covers the buffers).
    pub meetings: &'a [Occurrence],
    /// The owner's busy times.
    pub busy: &'a [Busy],
    /// The client's ad-hoc calls recorded inside working hours in the week starting on this
    /// Monday (owner's zone).
    pub calls_in_week: &'a dyn Fn(Date) -> u32,
}

/// The slots the client can book on the `days` days from `first` (dates in the owner's zone),
/// as of `now`, in order.
pub fn slots(
    practice: &Practice,
    client: &Client,
    now: Timestamp,
    first: Date,
    days: u16,
    calendar: &Calendar<'_>,
) -> Vec<Slot> {
    let Some(owner) = practice.member(&client.owner) else {
        return Vec::new();
    };
    let booking = client.terms.booking;
    let tz = owner.zone.tz();
    let local = |t: Timestamp| t.to_zoned_datetime(tz.clone()).date();
    let Ok(last) = first.checked_add(i64::from(days).days()) else {
        return Vec::new();
    };
    let Ok(start) = day_start(tz, first) else {
        return Vec::new();
    };
    let earliest = now
        .checked_add(booking.notice.duration())
        .unwrap_or(Timestamp::MAX);
    let length = SignedDuration::from_mins(i64::from(booking.minutes));
    let step = SignedDuration::from_mins(i64::from(booking.minutes.min(30)));
    let buffer = SignedDuration::from_mins(i64::from(booking.buffer_minutes));
    // What blocks the owner's time, widened by the buffer.
    let mut blocked: Vec<(Timestamp, Timestamp)> = calendar
        .meetings
        .iter()
        .filter(|o| o.meeting.member == owner.handle && blocks(o))
        .map(|o| (o.meeting.start, o.meeting.end()))
        .chain(calendar.busy.iter().map(|b| (b.start, b.end)))
        .map(|(s, e)| {
            (
                s.checked_sub(buffer).unwrap_or(Timestamp::MIN),
                e.checked_add(buffer).unwrap_or(Timestamp::MAX),
            )
        })
        .collect();
    blocked.sort();
    // Merged into disjoint stretches, so that each candidate is one binary search.
    let mut merged: Vec<(Timestamp, Timestamp)> = Vec::with_capacity(blocked.len());
    for (s, e) in blocked {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let free = |at: Timestamp, end: Timestamp| {
        // The last stretch starting before the slot ends is the only one that can overlap it.
        let i = merged.partition_point(|(s, _)| *s < end);
        i == 0 || merged[i - 1].1 <= at
    };
    let booked_on = |date: Date| {
        calendar
            .meetings
            .iter()
            .filter(|o| {
                o.meeting.member == owner.handle
                    && o.meeting.kind == MeetingKind::Booked
                    && blocks(o)
                    && local(o.meeting.start) == date
            })
            .count() as u32
    };
    let allowance_left = |date: Date| {
        let Some(allowance) = client.terms.adhoc_calls_per_week else {
            return true;
        };
        let monday = week_start(date);
        let meetings = calendar
            .meetings
            .iter()
            .filter(|o| {
                o.meeting.client == client.handle
                    && o.meeting.kind != MeetingKind::Standing
                    && blocks(o)
                    && week_start(local_date(owner, o.meeting.start)) == monday
            })
            .count() as u32;
        (calendar.calls_in_week)(monday) + meetings < allowance
    };
    let mut out = Vec::new();
    let mut day_ok: Option<(Date, bool)> = None;
    for w in windows(practice, owner, start) {
        let date = local(w.start);
        if date >= last {
            break;
        }
        let ok = match day_ok {
            Some((d, ok)) if d == date => ok,
            _ => {
                let ok = booked_on(date) < booking.per_day && allowance_left(date);
                day_ok = Some((date, ok));
                ok
            }
        };
        if !ok {
            continue;
        }
        let mut at = w.start;
        while let Ok(end) = at.checked_add(length) {
            if end > w.end {
                break;
            }
            if at >= earliest && free(at, end) && in_client_hours(client, at, end) {
                out.push(Slot { start: at, end });
            }
            let Ok(next) = at.checked_add(step) else {
                break;
            };
            at = next;
        }
    }
    out
}

/// Whether `[at, end)` lies inside the client's own reasonable hours, on one day of theirs.
fn in_client_hours(client: &Client, at: Timestamp, end: Timestamp) -> bool {
    let tz = client.zone.tz();
    let (a, b) = (
        at.to_zoned_datetime(tz.clone()),
        end.to_zoned_datetime(tz.clone()),
    );
    let minute =
        |t: jiff::civil::Time| u16::from(t.hour() as u8) * 60 + u16::from(t.minute() as u8);
    let hours = client.terms.booking.client_hours;
    a.date() == b.date()
        && minute(a.time()) >= hours.start_minute()
        && minute(b.time()) <= hours.end_minute()
}

/// Whether a meeting takes the owner's time: anything not cancelled.
fn blocks(o: &Occurrence) -> bool {
    o.meeting.status != MeetingStatus::Cancelled
}
