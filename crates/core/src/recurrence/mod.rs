//! Recurrence rules (RFC 5545 section 3.3.10, RRULE) and recurrence sets (DTSTART, RRULE, RDATE,
//! EXDATE; section 3.8.5).
//!
//! Every rule part is supported: `FREQ` (SECONDLY to YEARLY), `INTERVAL`, `COUNT`, `UNTIL`,
//! `BYSECOND`, `BYMINUTE`, `BYHOUR`, `BYDAY` with ordinals (`2MO`, `-1FR`), `BYMONTHDAY` and
//! `BYYEARDAY` (negative too), `BYWEEKNO`, `BYMONTH`, `BYSETPOS` and `WKST`.
//!
//! Expansion runs on local (civil) date-times in the series' zone, period by period: the year,
//! month, week, day, hour, minute or second that `FREQ` and `INTERVAL` select. Within a period
//! every day is kept that all the `BY` day parts accept, the times come from `BYHOUR`,
//! `BYMINUTE` and `BYSECOND` (defaulting to DTSTART's), `BYSETPOS` picks from the period's
//! sorted set, and what is before DTSTART is dropped. Parts a period is finer than restrict
//! ("FREQ=DAILY;BYMONTH=1"), parts it is coarser than expand ("FREQ=YEARLY;BYMONTH=1"), which
//! is the table of section 3.3.10. Invalid dates (February 30) never arise, so they are never
//! counted.
//!
//! Local times become instants last: one that does not exist (a spring-forward gap) is moved
//! forward by the gap's length and one that occurs twice (a fall-back fold) is the first, as
//! section 3.3.5 says for any DATE-TIME and 3.3.10 says for recurrence instances.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;

use crate::ParseError;

mod expand;
mod set;
#[cfg(test)]
mod tests;

use expand::{Expansion, instants, surely_before};
pub use set::Recurrence;

/// A rule in the shape people say ([`RRule::simple`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Simple {
    /// Every `interval` weeks on `days`.
    Weekly { interval: u32, days: Vec<Weekday> },
    /// Every `interval` months on the `nth` `day` (negative: from the end).
    Monthly {
        interval: u32,
        nth: i16,
        day: Weekday,
    },
}

/// How often a rule repeats: the length of one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Frequency {
    Secondly,
    Minutely,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Frequency {
    fn parse(value: &str) -> Option<Frequency> {
        Some(match value {
            "SECONDLY" => Frequency::Secondly,
            "MINUTELY" => Frequency::Minutely,
            "HOURLY" => Frequency::Hourly,
            "DAILY" => Frequency::Daily,
            "WEEKLY" => Frequency::Weekly,
            "MONTHLY" => Frequency::Monthly,
            "YEARLY" => Frequency::Yearly,
            _ => return None,
        })
    }

    /// The length of a sub-daily period in seconds.
    fn seconds(self) -> i64 {
        match self {
            Frequency::Secondly => 1,
            Frequency::Minutely => 60,
            _ => 3600,
        }
    }
}

/// Where a rule stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Never.
    Never,
    /// After this many occurrences, DTSTART included when it matches the rule.
    Count(u32),
    /// At this instant, inclusive (`UNTIL` with `Z`).
    Until(Timestamp),
    /// At this local date-time, inclusive (`UNTIL` without `Z`, or a date: its whole day).
    UntilLocal(DateTime),
}

/// A parsed RRULE, with the text it came from.
#[derive(Clone, Debug)]
pub struct RRule {
    text: String,
    frequency: Frequency,
    interval: u32,
    end: End,
    by_second: Vec<i8>,
    by_minute: Vec<i8>,
    by_hour: Vec<i8>,
    /// Weekdays, each with its ordinal (0: every one in the period).
    by_day: Vec<(i16, Weekday)>,
    by_month_day: Vec<i8>,
    by_year_day: Vec<i16>,
    by_week_no: Vec<i8>,
    by_month: Vec<i8>,
    by_set_pos: Vec<i16>,
    week_start: Weekday,
}

impl PartialEq for RRule {
    fn eq(&self, other: &RRule) -> bool {
        self.text == other.text
    }
}

impl Eq for RRule {}

impl RRule {
    /// Parses an RRULE value such as `FREQ=MONTHLY;BYDAY=-1FR;COUNT=6` (an `RRULE:` prefix is
    /// allowed; names and values are case-insensitive).
    pub fn parse(text: &str) -> Result<RRule, ParseError> {
        let err = |why: String| ParseError::new("RRULE", text, why);
        let body = text.trim();
        let body = body
            .get(..6)
            .filter(|p| p.eq_ignore_ascii_case("RRULE:"))
            .map_or(body, |_| &body[6..]);
        let mut rule = RRule {
            text: text.to_string(),
            frequency: Frequency::Daily,
            interval: 1,
            end: End::Never,
            by_second: Vec::new(),
            by_minute: Vec::new(),
            by_hour: Vec::new(),
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_year_day: Vec::new(),
            by_week_no: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
            week_start: Weekday::Monday,
        };
        let mut seen: Vec<String> = Vec::new();
        let mut frequency = None;
        for part in body.split(';') {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| err(format!("{part:?} is not NAME=VALUE")))?;
            let key = key.trim().to_ascii_uppercase();
            let value = value.trim().to_ascii_uppercase();
            if seen.contains(&key) {
                return Err(err(format!("{key} is given twice")));
            }
            seen.push(key.clone());
            match key.as_str() {
                "FREQ" => {
                    frequency = Some(Frequency::parse(&value).ok_or_else(|| {
                        err(format!(
                            "FREQ {value:?} is not one of SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY"
                        ))
                    })?)
                }
                "INTERVAL" => {
                    rule.interval = value
                        .parse()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| err(format!("INTERVAL must be a positive number, not {value:?}")))?
                }
                "COUNT" => {
                    rule.end = End::Count(value.parse().ok().filter(|n| *n >= 1).ok_or_else(
                        || err(format!("COUNT must be a positive number, not {value:?}")),
                    )?)
                }
                "UNTIL" => {
                    rule.end = parse_until(&value).ok_or_else(|| {
                        err(format!(
                            "UNTIL {value:?} is not YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ"
                        ))
                    })?
                }
                "BYSECOND" => rule.by_second = numbers(&key, &value, 0, 59, false).map_err(err)?,
                "BYMINUTE" => rule.by_minute = numbers(&key, &value, 0, 59, false).map_err(err)?,
                "BYHOUR" => rule.by_hour = numbers(&key, &value, 0, 23, false).map_err(err)?,
                "BYMONTHDAY" => {
                    rule.by_month_day = numbers(&key, &value, 1, 31, true).map_err(err)?
                }
                "BYYEARDAY" => {
                    rule.by_year_day = numbers(&key, &value, 1, 366, true).map_err(err)?
                }
                "BYWEEKNO" => rule.by_week_no = numbers(&key, &value, 1, 53, true).map_err(err)?,
                "BYMONTH" => rule.by_month = numbers(&key, &value, 1, 12, false).map_err(err)?,
                "BYSETPOS" => rule.by_set_pos = numbers(&key, &value, 1, 366, true).map_err(err)?,
                "BYDAY" => {
                    for item in value.split(',') {
                        let item = item.trim();
                        let split = item.len().saturating_sub(2);
                        let (ordinal, code) = item.split_at(split);
                        let day = weekday(code);
                        let ordinal: Option<i16> = match ordinal {
                            "" => Some(0),
                            o => o
                                .strip_prefix('+')
                                .unwrap_or(o)
                                .parse()
                                .ok()
                                .filter(|n: &i16| (1..=53).contains(&n.abs())),
                        };
                        match (ordinal, day) {
                            (Some(o), Some(d)) => {
                                if !rule.by_day.contains(&(o, d)) {
                                    rule.by_day.push((o, d))
                                }
                            }
                            _ => {
                                return Err(err(format!(
                                    "BYDAY {item:?} is not a weekday code (MO…SU) with an optional ordinal from -53 to 53 (2MO, -1FR)"
                                )));
                            }
                        }
                    }
                }
                "WKST" => {
                    rule.week_start = weekday(&value)
                        .ok_or_else(|| err(format!("WKST {value:?} is not a weekday code")))?
                }
                _ => return Err(err(format!("{key} is not a rule part of RFC 5545"))),
            }
        }
        rule.frequency = frequency.ok_or_else(|| err("FREQ is required".into()))?;
        if seen.iter().any(|k| k == "COUNT") && seen.iter().any(|k| k == "UNTIL") {
            return Err(err("COUNT and UNTIL cannot both be given".into()));
        }
        let f = rule.frequency;
        if rule.by_day.iter().any(|(o, _)| *o != 0) {
            if !matches!(f, Frequency::Monthly | Frequency::Yearly) {
                return Err(err(
                    "BYDAY with an ordinal (2MO) needs FREQ=MONTHLY or FREQ=YEARLY".into(),
                ));
            }
            if f == Frequency::Yearly && !rule.by_week_no.is_empty() {
                return Err(err(
                    "BYDAY with an ordinal cannot be combined with BYWEEKNO".into(),
                ));
            }
        }
        if f == Frequency::Weekly && !rule.by_month_day.is_empty() {
            return Err(err("BYMONTHDAY cannot be used with FREQ=WEEKLY".into()));
        }
        if matches!(f, Frequency::Daily | Frequency::Weekly | Frequency::Monthly)
            && !rule.by_year_day.is_empty()
        {
            return Err(err(
                "BYYEARDAY cannot be used with FREQ=DAILY, WEEKLY or MONTHLY".into(),
            ));
        }
        if f != Frequency::Yearly && !rule.by_week_no.is_empty() {
            return Err(err("BYWEEKNO needs FREQ=YEARLY".into()));
        }
        if !rule.by_set_pos.is_empty() && seen.iter().filter(|k| k.starts_with("BY")).count() < 2 {
            return Err(err("BYSETPOS needs another BYxxx rule part".into()));
        }
        Ok(rule)
    }

    /// The rule as it was written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// How often the rule repeats.
    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    /// Where the rule stops.
    pub fn end(&self) -> End {
        self.end
    }

    /// The rule in the shape people say, when it has that shape: every `interval` weeks on
    /// these weekdays, or every `interval` months on the n-th (or, negative, last) weekday —
    /// with no other parts (no hours, month days, set positions, end). None otherwise.
    pub fn simple(&self) -> Option<Simple> {
        let plain = self.by_second.is_empty()
            && self.by_minute.is_empty()
            && self.by_hour.is_empty()
            && self.by_month_day.is_empty()
            && self.by_year_day.is_empty()
            && self.by_week_no.is_empty()
            && self.by_month.is_empty()
            && self.by_set_pos.is_empty()
            && matches!(self.end, End::Never)
            && !self.by_day.is_empty();
        if !plain {
            return None;
        }
        match self.frequency {
            Frequency::Weekly if self.by_day.iter().all(|(n, _)| *n == 0) => Some(Simple::Weekly {
                interval: self.interval,
                days: self.by_day.iter().map(|(_, d)| *d).collect(),
            }),
            Frequency::Monthly if self.by_day.len() == 1 && self.by_day[0].0 != 0 => {
                Some(Simple::Monthly {
                    interval: self.interval,
                    nth: self.by_day[0].0,
                    day: self.by_day[0].1,
                })
            }
            _ => None,
        }
    }

    /// The occurrences that start at or after `from` in order, for a series whose first
    /// occurrence (DTSTART) is the local date-time `start` in `tz`.
    pub fn occurrences<'a>(
        &'a self,
        start: DateTime,
        tz: &'a TimeZone,
        from: Timestamp,
    ) -> impl Iterator<Item = Timestamp> + 'a {
        let until = match self.end {
            End::Until(t) => Some(t),
            _ => None,
        };
        let early = surely_before(from, tz);
        instants(
            self.local_near(start, early)
                .skip_while(move |dt| *dt < early),
            tz,
        )
        .take_while(move |t| until.is_none_or(|u| *t <= u))
        .skip_while(move |t| *t < from)
    }

    /// The occurrences as local date-times, in order, from `start` (DTSTART) on, with `COUNT`
    /// and a local `UNTIL` applied (an `UNTIL` in UTC needs the zone: see `occurrences`).
    pub fn local(&self, start: DateTime) -> impl Iterator<Item = DateTime> + '_ {
        Expansion::new(self, start)
    }

    /// Like [`local`](Self::local) but may leave out occurrences before `near`: without a
    /// `COUNT` the expansion jumps straight to the period holding `near` rather than walking
    /// there from DTSTART (a weekly call set up years ago, asked about next week).
    pub fn local_near(
        &self,
        start: DateTime,
        near: DateTime,
    ) -> impl Iterator<Item = DateTime> + '_ {
        let mut expansion = Expansion::new(self, start);
        expansion.jump_near(near);
        expansion
    }
}

/// A comma-separated list of numbers in `min..=max`, negative ones too when `signed`.
pub(super) fn numbers<T>(
    key: &str,
    value: &str,
    min: i16,
    max: i16,
    signed: bool,
) -> Result<Vec<T>, String>
where
    T: TryFrom<i16> + PartialEq,
{
    let mut out = Vec::new();
    for item in value.split(',') {
        let item = item.trim();
        let n: Option<i16> = item.strip_prefix('+').unwrap_or(item).parse().ok();
        let ok = n.filter(|n| {
            (min..=max).contains(n) || (signed && (min..=max).contains(&n.saturating_neg()))
        });
        let range = if signed {
            format!("{min} to {max} or -{max} to -{min}")
        } else {
            format!("{min} to {max}")
        };
        let n = ok
            .and_then(|n| T::try_from(n).ok())
            .ok_or_else(|| format!("{key} {item:?} is not a number from {range}"))?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

pub(super) fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

/// Parses an iCalendar DATE-TIME or DATE value: `YYYYMMDDTHHMMSS`, with `Z` for UTC, or
/// `YYYYMMDD`. Returns the local date-time and whether it was UTC.
pub fn parse_ical_datetime(value: &str) -> Option<(DateTime, bool)> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let date_part = value.get(0..8).filter(|s| digits(s))?;
    let date = Date::new(
        date_part[0..4].parse().ok()?,
        date_part[4..6].parse().ok()?,
        date_part[6..8].parse().ok()?,
    )
    .ok()?;
    let rest = &value[8..];
    if rest.is_empty() {
        return Some((date.to_datetime(Time::midnight()), false));
    }
    let time = rest.strip_prefix('T')?;
    let (time, utc) = match time.strip_suffix('Z') {
        Some(t) => (t, true),
        None => (time, false),
    };
    if time.len() != 6 || !digits(time) {
        return None;
    }
    let t = Time::new(
        time[0..2].parse().ok()?,
        time[2..4].parse().ok()?,
        // Leap seconds are read as the last second of the minute.
        time[4..6].parse::<i8>().ok()?.min(59),
        0,
    )
    .ok()?;
    Some((date.to_datetime(t), utc))
}

pub(super) fn parse_until(value: &str) -> Option<End> {
    let (dt, utc) = parse_ical_datetime(value)?;
    if value.len() == 8 {
        // A date: the whole day is included.
        return Some(End::UntilLocal(dt.date().to_datetime(Time::MAX)));
    }
    if utc {
        Some(End::Until(
            TimeZone::UTC.to_ambiguous_timestamp(dt).compatible().ok()?,
        ))
    } else {
        Some(End::UntilLocal(dt))
    }
}

impl fmt::Display for RRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
