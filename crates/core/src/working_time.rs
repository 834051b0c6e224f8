//! Working time: the windows in which a member answers, and due times counted inside them.
//!
//! A member's hours are wall-clock hours in their zone. Each window is turned into instants on
//! its own date, so a DST change only moves the instants, never the wall-clock hours, and a
//! window that straddles a change is as long as the clocks say it is.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};

use crate::{Member, Practice};

/// How far ahead windows are looked for before giving up: three years covers any absence.
const HORIZON_DAYS: i64 = 3 * 366;

/// The Monday of the week holding `date`: weeks run Monday to Sunday, as the weekly ad-hoc
/// allowance counts them.
pub fn week_start(date: Date) -> Date {
    date.checked_sub(i64::from(date.weekday().to_monday_zero_offset()).days())
        .unwrap_or(date)
}

/// The instant the local `date` begins in `tz` (the first moment after a gap, if midnight
/// does not exist that day).
pub fn day_start(tz: &jiff::tz::TimeZone, date: Date) -> Result<Timestamp, jiff::Error> {
    tz.to_ambiguous_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .compatible()
}

/// The instants `[start, end)` of the `days` local days from `first` in `tz`.
pub fn days_span(
    tz: &jiff::tz::TimeZone,
    first: Date,
    days: i64,
) -> Result<(Timestamp, Timestamp), jiff::Error> {
    Ok((
        day_start(tz, first)?,
        day_start(tz, first.checked_add(days.days())?)?,
    ))
}

/// How long the contact that arrived at `arrived` waited for the answer at `answered`, in
/// the working time of `assignee`; in clock time when the assignee has left the practice.
pub fn response_time(
    practice: &Practice,
    assignee: &crate::Handle,
    arrived: Timestamp,
    answered: Timestamp,
) -> SignedDuration {
    match practice.member(assignee) {
        Some(member) => working_time_between(practice, member, arrived, answered),
        None => arrived.duration_until(answered),
    }
}

/// The member's local date at `at`.
pub fn local_date(member: &Member, at: Timestamp) -> Date {
    at.to_zoned_datetime(member.zone.tz().clone()).date()
}

/// One stretch of working time, `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// When it opens.
    pub start: Timestamp,
    /// When it closes.
    pub end: Timestamp,
}

/// The member's working windows that end after `from`, in order, the first one clipped to
/// start no earlier than `from`. Holidays and absences have no windows.
pub fn windows<'a>(
    practice: &'a Practice,
    member: &'a Member,
    from: Timestamp,
) -> impl Iterator<Item = Window> + 'a {
    let tz = member.zone.tz();
    let first_day = from.to_zoned_datetime(tz.clone()).date();
    (0..HORIZON_DAYS)
        .map_while(move |n| first_day.checked_add(n.days()).ok())
        .filter(move |date| !practice.is_day_off(member, *date))
        .flat_map(move |date| day_windows(member, date))
        .filter_map(move |w| {
            let start = w.start.max(from);
            (w.end > start).then_some(Window { start, end: w.end })
        })
}

fn day_windows(member: &Member, date: Date) -> impl Iterator<Item = Window> + '_ {
    let tz = member.zone.tz();
    let instant = move |date: Date, minute: u16| {
        let (date, minute) = if minute == 24 * 60 {
            (date.tomorrow().ok()?, 0)
        } else {
            (date, minute)
        };
        let dt = date.to_datetime(crate::hours::minute_to_time(minute));
        tz.to_ambiguous_timestamp(dt).compatible().ok()
    };
    member
        .hours
        .on(date.weekday())
        .iter()
        .filter_map(move |range| {
            let start = instant(date, range.start_minute())?;
            let end = instant(date, range.end_minute())?;
            (end > start).then_some(Window { start, end })
        })
}

/// Whether `at` falls inside one of the member's working windows.
pub fn is_working(practice: &Practice, member: &Member, at: Timestamp) -> bool {
    let date = at.to_zoned_datetime(member.zone.tz().clone()).date();
    if practice.is_day_off(member, date) {
        return false;
    }
    day_windows(member, date).any(|w| w.start <= at && at < w.end)
}

/// The instant at which `amount` of the member's working time has passed since `from`.
///
/// When `from` is outside working hours the count starts at the next window. `None` when the
/// member has no working time in the next three years.
pub fn add_working_time(
    practice: &Practice,
    member: &Member,
    from: Timestamp,
    amount: SignedDuration,
) -> Option<Timestamp> {
    let mut left = amount;
    for w in windows(practice, member, from) {
        let length = w.start.duration_until(w.end);
        if left <= length {
            return w.start.checked_add(left).ok();
        }
        left -= length;
    }
    None
}

/// The working time between two instants, for response times and checks.
pub fn working_time_between(
    practice: &Practice,
    member: &Member,
    from: Timestamp,
    to: Timestamp,
) -> SignedDuration {
    let mut total = SignedDuration::ZERO;
    for w in windows(practice, member, from) {
        if w.start >= to {
            break;
        }
        total += w.start.duration_until(w.end.min(to));
    }
    total
}
