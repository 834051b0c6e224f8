//! iCalendar in: busy times from a member's own calendar (an .ics export or feed).
//!
//! Reads VEVENTs — single and recurring (RRULE, RDATE, EXDATE), overridden occurrences
//! (RECURRENCE-ID), all-day events (VALUE=DATE), floating times (read in the member's zone) and
//! TZID parameters, resolved with the IANA database when the name is an IANA zone and otherwise
//! with the VTIMEZONE definition in the file — and returns the times they keep the member busy
//! in a window. Free (TRANSP:TRANSPARENT) and cancelled events are not busy. Anything malformed
//! is an error naming the line, and nothing is returned, so the caller keeps what it had.

use std::collections::HashMap;
use std::fmt;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::slots::Busy;
use crate::{RRule, Recurrence};

mod lines;
#[cfg(test)]
mod tests;
mod zones;

use lines::{Component, Prop, components, content_lines};
use zones::{DefinedZone, Reader, Zone, parse_duration};

/// What is wrong with a calendar file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsError {
    /// The line (1-based; for a folded line, its first physical line).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for IcsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for IcsError {}

pub(super) fn err<T>(line: usize, message: impl Into<String>) -> Result<T, IcsError> {
    Err(IcsError {
        line,
        message: message.into(),
    })
}

/// The busy times of the calendar `text` that overlap `[from, to)`, sorted. Floating times
/// are read in `default` (the member's zone).
pub fn busy_times(
    text: &str,
    default: &TimeZone,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Busy>, IcsError> {
    let root = components(content_lines(text)?)?;
    let until_year = to.to_zoned_datetime(TimeZone::UTC).year().saturating_add(1);
    let mut reader = Reader {
        zones: HashMap::new(),
        default,
    };
    let calendars: Vec<&Component> = root
        .children
        .iter()
        .filter(|c| c.name == "VCALENDAR")
        .collect();
    let mut budget = 10 * MAX_ONSETS;
    for cal in &calendars {
        for tz in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
            let id = tz
                .get("TZID")
                .ok_or(())
                .or_else(|_| err(tz.line, "VTIMEZONE without TZID"))?;
            let zone = DefinedZone::parse(tz, until_year, &mut budget)?;
            reader.zones.insert(id.value.trim().to_string(), zone);
        }
    }
    let events: Vec<&Component> = calendars
        .iter()
        .flat_map(|c| c.children.iter().filter(|e| e.name == "VEVENT"))
        .collect();
    // Overrides of recurring events, by UID and the local start they replace.
    let mut overridden: HashMap<String, Vec<&Prop>> = HashMap::new();
    for e in &events {
        if let (Some(uid), Some(rid)) = (e.get("UID"), e.get("RECURRENCE-ID")) {
            overridden.entry(uid.value.clone()).or_default().push(rid);
        }
    }
    let mut out = Vec::new();
    let mut steps = 0usize;
    for e in events {
        let start = e
            .get("DTSTART")
            .ok_or(())
            .or_else(|_| err(e.line, "VEVENT without DTSTART"))?;
        let when = reader.when(start)?;
        let start_line = start.line;
        let length = match (e.get("DTEND"), e.get("DURATION")) {
            (Some(end), _) => {
                let w = reader.when(end)?;
                match (when.zone.instant(when.local), w.zone.instant(w.local)) {
                    (Some(a), Some(b)) if !when.all_day => a.duration_until(b),
                    _ if when.all_day => {
                        let days = when
                            .local
                            .date()
                            .until(w.local.date())
                            .map_or(1, |s| s.get_days());
                        SignedDuration::from_hours(24 * i64::from(days.max(1)))
                    }
                    _ => return err(end.line, "DTEND is not a time that exists"),
                }
            }
            (None, Some(d)) => parse_duration(d.value.trim()).ok_or(()).or_else(|_| {
                err(
                    d.line,
                    format!("DURATION {:?} is not a duration such as PT1H30M", d.value),
                )
            })?,
            (None, None) if when.all_day => SignedDuration::from_hours(24),
            (None, None) => SignedDuration::ZERO,
        };
        if length.is_negative() {
            return err(start.line, "the event ends before it starts");
        }
        let free = e
            .get("TRANSP")
            .is_some_and(|t| t.value.trim().eq_ignore_ascii_case("TRANSPARENT"));
        let cancelled = e
            .get("STATUS")
            .is_some_and(|s| s.value.trim().eq_ignore_ascii_case("CANCELLED"));
        let mut rules = Vec::new();
        for r in e.all("RRULE") {
            rules.push(RRule::parse(r.value.trim()).map_err(|x| IcsError {
                line: r.line,
                message: x.to_string(),
            })?);
        }
        let mut exdates = Vec::new();
        for p in e.all("EXDATE") {
            exdates.extend(reader.locals(p, &when.zone)?);
        }
        let mut rdates = Vec::new();
        for p in e.all("RDATE") {
            rdates.extend(reader.locals(p, &when.zone)?);
        }
        if e.get("RECURRENCE-ID").is_none()
            && let Some(uid) = e.get("UID")
            && let Some(rids) = overridden.get(&uid.value)
        {
            for rid in rids {
                exdates.extend(reader.locals(rid, &when.zone)?);
            }
        }
        if free || cancelled {
            continue;
        }
        let set = Recurrence {
            start: if when.all_day {
                when.local.date().to_datetime(Time::midnight())
            } else {
                when.local
            },
            rules,
            rdates,
            exdates,
        };
        // Local starts are mapped through the event's zone; a day's margin finds events that
        // started before `from` and still run.
        let early = from
            .checked_sub(length)
            .and_then(|t| t.checked_sub(SignedDuration::from_hours(48)))
            .unwrap_or(Timestamp::MIN);
        let zone = if when.all_day {
            Zone::Iana(default.clone())
        } else {
            when.zone.clone()
        };
        // A local time surely before `early` whatever the offset (they stay within a day).
        let near = early
            .to_zoned_datetime(TimeZone::UTC)
            .datetime()
            .checked_sub(SignedDuration::from_hours(50))
            .unwrap_or(DateTime::MIN);
        let to_instant = |dt| zone.instant(dt);
        for (n, local) in set.local_in(near, to_instant).enumerate() {
            steps += 1;
            if n >= MAX_STEPS_PER_EVENT || steps > MAX_STEPS {
                return err(
                    start_line,
                    format!(
                        "this event repeats more than {MAX_STEPS_PER_EVENT} times (or the calendar's events more than {MAX_STEPS}) before the end of the year read; frontdesk reads calendars of at most that"
                    ),
                );
            }
            let Some(start) = zone.instant(local) else {
                continue;
            };
            if start >= to {
                break;
            }
            if start < early {
                continue;
            }
            let end = if when.all_day {
                // A day is a calendar day in the member's zone, whatever its length.
                let days = (length.as_secs() / 86_400).max(1);
                let next: Option<Date> = jiff::Span::new()
                    .try_days(days)
                    .ok()
                    .and_then(|span| local.date().checked_add(span).ok());
                next.and_then(|d| {
                    Zone::Iana(default.clone()).instant(d.to_datetime(Time::midnight()))
                })
                .unwrap_or(start.checked_add(length).unwrap_or(to))
            } else {
                // An event longer than the time types hold is busy to the end of the window.
                start.checked_add(length).unwrap_or(to)
            };
            if end > from && end > start {
                out.push(Busy { start, end });
                if out.len() > MAX_BUSY {
                    return err(
                        start_line,
                        format!(
                            "the calendar has more than {MAX_BUSY} busy times in the year read; frontdesk reads calendars of at most that"
                        ),
                    );
                }
            }
        }
    }
    Ok(merge(out))
}

/// Busy times as disjoint intervals: overlapping and touching ones become one, so a calendar
/// that repeats an event every minute is one stretch of busy time, not thousands of rows.
fn merge(mut busy: Vec<Busy>) -> Vec<Busy> {
    busy.sort_by_key(|b| (b.start, b.end));
    let mut out: Vec<Busy> = Vec::with_capacity(busy.len());
    for b in busy {
        match out.last_mut() {
            Some(last) if b.start <= last.end => last.end = last.end.max(b.end),
            _ => out.push(b),
        }
    }
    out
}

/// The most instances of one event looked at (a day's margin before the window included): a
/// minutely event for a year is half a million, an hourly one under nine thousand.
pub const MAX_STEPS_PER_EVENT: usize = 50_000;

/// The most instances of all events of one calendar looked at.
pub const MAX_STEPS: usize = 1_000_000;

/// The most busy times one calendar may give in the window read, before merging.
pub const MAX_BUSY: usize = 100_000;

/// The most changes of offset one VTIMEZONE may define up to the window's end.
pub const MAX_ONSETS: usize = 10_000;
