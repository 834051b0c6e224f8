//! Recurrence rules (RFC 5545 RRULE) for standing calls.
//!
//! This is the subset the desk needs now: `FREQ=DAILY|WEEKLY` with `INTERVAL`, `BYDAY` (plain
//! weekdays), `COUNT`, `UNTIL` and `WKST`. Anything else is refused with a clear error rather than
//! silently misread; the calendar capability completes RFC 5545.

use std::fmt;

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::ParseError;

/// How often a rule repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    /// Every `INTERVAL` days.
    Daily,
    /// Every `INTERVAL` weeks, on the `BYDAY` weekdays.
    Weekly,
}

/// Where a rule stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Never.
    Never,
    /// After this many occurrences, DTSTART included.
    Count(u32),
    /// At this instant, inclusive.
    Until(Timestamp),
    /// At this local date-time, inclusive (an `UNTIL` without `Z`).
    UntilLocal(DateTime),
}

/// A parsed RRULE, with the text it came from.
#[derive(Clone, Debug)]
pub struct RRule {
    text: String,
    frequency: Frequency,
    interval: u32,
    by_day: Vec<Weekday>,
    week_start: Weekday,
    end: End,
}

impl PartialEq for RRule {
    fn eq(&self, other: &RRule) -> bool {
        self.text == other.text
    }
}

impl Eq for RRule {}

impl RRule {
    /// Parses an RRULE value such as `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH`.
    pub fn parse(text: &str) -> Result<RRule, ParseError> {
        let err = |why: String| ParseError::new("RRULE", text, why);
        let mut frequency = None;
        let mut interval = 1;
        let mut by_day = Vec::new();
        let mut week_start = Weekday::Monday;
        let mut end = End::Never;
        let body = text.strip_prefix("RRULE:").unwrap_or(text);
        for part in body.split(';') {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| err(format!("{part:?} is not KEY=VALUE")))?;
            match key {
                "FREQ" => {
                    frequency = Some(match value {
                        "DAILY" => Frequency::Daily,
                        "WEEKLY" => Frequency::Weekly,
                        "MONTHLY" | "YEARLY" | "HOURLY" | "MINUTELY" | "SECONDLY" => {
                            return Err(err(format!(
                                "FREQ={value} is not supported yet; use DAILY or WEEKLY"
                            )));
                        }
                        _ => return Err(err(format!("unknown FREQ {value:?}"))),
                    })
                }
                "INTERVAL" => {
                    interval = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=520).contains(n))
                        .ok_or_else(|| err(format!("INTERVAL must be 1-520, not {value:?}")))?
                }
                "BYDAY" => {
                    for day in value.split(',') {
                        let wd = weekday(day).ok_or_else(|| {
                            err(format!(
                                "BYDAY {day:?} is not one of MO,TU,WE,TH,FR,SA,SU (ordinals such as 2MO are not supported yet)"
                            ))
                        })?;
                        if !by_day.contains(&wd) {
                            by_day.push(wd);
                        }
                    }
                }
                "WKST" => {
                    week_start = weekday(value)
                        .ok_or_else(|| err(format!("WKST {value:?} is not a weekday code")))?
                }
                "COUNT" if end == End::Never => {
                    end = End::Count(value.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        err(format!("COUNT must be a positive number, not {value:?}"))
                    })?)
                }
                "UNTIL" if end == End::Never => {
                    end = parse_until(value).ok_or_else(|| {
                        err(format!(
                            "UNTIL {value:?} is not YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ"
                        ))
                    })?
                }
                "COUNT" | "UNTIL" => {
                    return Err(err("COUNT and UNTIL cannot both be given".into()));
                }
                _ => return Err(err(format!("{key} is not supported yet"))),
            }
        }
        let frequency = frequency.ok_or_else(|| err("FREQ is required".into()))?;
        if frequency == Frequency::Daily && !by_day.is_empty() {
            return Err(err("BYDAY with FREQ=DAILY is not supported yet".into()));
        }
        Ok(RRule {
            text: text.to_string(),
            frequency,
            interval,
            by_day,
            week_start,
            end,
        })
    }

    /// The rule as it was written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The occurrences that start at or after `from` in order, for a series whose first
    /// occurrence (DTSTART) is the local date-time `start` in `tz`.
    ///
    /// Local times that do not exist (a spring-forward gap) move forward by the gap's length and
    /// repeated ones (a fall-back fold) take the first, as RFC 5545 section 3.3.5 says.
    pub fn occurrences<'a>(
        &'a self,
        start: DateTime,
        tz: &'a TimeZone,
        from: Timestamp,
    ) -> impl Iterator<Item = Timestamp> + 'a {
        let dates = self.dates(start.date());
        let mut counted = 0u32;
        dates
            .map(move |date| date.to_datetime(start.time()))
            .take_while(move |dt| {
                counted += 1;
                match self.end {
                    End::Never => true,
                    End::Count(n) => counted <= n,
                    End::UntilLocal(until) => *dt <= until,
                    End::Until(_) => true,
                }
            })
            .filter_map(move |dt| tz.to_ambiguous_timestamp(dt).compatible().ok())
            .take_while(move |ts| match self.end {
                End::Until(until) => *ts <= until,
                _ => true,
            })
            .skip_while(move |ts| *ts < from)
    }

    /// Candidate dates in order, from the start date, without the end applied.
    fn dates(&self, start: Date) -> Box<dyn Iterator<Item = Date> + '_> {
        let interval = i64::from(self.interval);
        match self.frequency {
            Frequency::Daily => {
                Box::new((0i64..).map_while(move |n| start.checked_add((n * interval).days()).ok()))
            }
            Frequency::Weekly => {
                let days: Vec<Weekday> = if self.by_day.is_empty() {
                    vec![start.weekday()]
                } else {
                    self.by_day.clone()
                };
                let week_start = self.week_start;
                let offset = move |d: Weekday| d.since(week_start) as i64;
                let mut days = days;
                days.sort_by_key(|d| offset(*d));
                let first_week = start
                    .checked_sub(offset(start.weekday()).days())
                    .unwrap_or(start);
                Box::new(
                    (0i64..)
                        .map_while(move |n| first_week.checked_add((n * 7 * interval).days()).ok())
                        .flat_map(move |week| {
                            let days = days.clone();
                            days.into_iter()
                                .filter_map(move |d| week.checked_add(offset(d).days()).ok())
                        })
                        .filter(move |d| *d >= start),
                )
            }
        }
    }
}

fn weekday(code: &str) -> Option<Weekday> {
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

fn parse_until(value: &str) -> Option<End> {
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
        return Some(End::UntilLocal(date.to_datetime(jiff::civil::Time::MAX)));
    }
    let time = rest.strip_prefix('T')?;
    let (time, utc) = match time.strip_suffix('Z') {
        Some(t) => (t, true),
        None => (time, false),
    };
    if time.len() != 6 || !digits(time) {
        return None;
    }
    let t = jiff::civil::Time::new(
        time[0..2].parse().ok()?,
        time[2..4].parse().ok()?,
        time[4..6].parse().ok()?,
        0,
    )
    .ok()?;
    let dt = date.to_datetime(t);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    fn expand(rule: &str, start: &str, zone: &str, n: usize) -> Vec<String> {
        let tz = TimeZone::get(zone).unwrap();
        let rule = RRule::parse(rule).unwrap();
        let from: Timestamp = "1970-01-01T00:00:00Z".parse().unwrap();
        rule.occurrences(local(start), &tz, from)
            .take(n)
            .map(|ts| ts.to_zoned_datetime(tz.clone()).datetime().to_string())
            .collect()
    }

    #[test]
    fn weekly_on_friday_repeats_every_seven_days() {
        assert_eq!(
            expand(
                "FREQ=WEEKLY;BYDAY=FR",
                "2026-01-09T10:00",
                "Europe/Madrid",
                3
            ),
            [
                "2026-01-09T10:00:00",
                "2026-01-16T10:00:00",
                "2026-01-23T10:00:00"
            ]
        );
    }

    #[test]
    fn every_other_week_on_two_days_with_count() {
        // RFC 5545 3.8.5.3: "Every other week on Monday, Wednesday, and Friday until ..."
        // here with COUNT and two days.
        assert_eq!(
            expand(
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5",
                "2026-03-02T09:30",
                "Europe/Madrid",
                10
            ),
            [
                "2026-03-02T09:30:00",
                "2026-03-05T09:30:00",
                "2026-03-16T09:30:00",
                "2026-03-19T09:30:00",
                "2026-03-30T09:30:00"
            ]
        );
    }

    #[test]
    fn local_time_stays_the_same_across_dst() {
        // Europe switches on 2026-03-29: the wall-clock time stays 10:00.
        let tz = TimeZone::get("Europe/Madrid").unwrap();
        let rule = RRule::parse("FREQ=WEEKLY;BYDAY=FR").unwrap();
        let from: Timestamp = "2026-03-20T00:00:00Z".parse().unwrap();
        let utc: Vec<String> = rule
            .occurrences(local("2026-01-09T10:00"), &tz, from)
            .take(3)
            .map(|t| t.to_string())
            .collect();
        assert_eq!(
            utc,
            [
                "2026-03-20T09:00:00Z",
                "2026-03-27T09:00:00Z",
                "2026-04-03T08:00:00Z"
            ]
        );
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_forward() {
        // 2026-03-08 02:30 does not exist in New York.
        assert_eq!(
            expand(
                "FREQ=DAILY;COUNT=2",
                "2026-03-07T02:30",
                "America/New_York",
                5
            ),
            ["2026-03-07T02:30:00", "2026-03-08T03:30:00"]
        );
    }

    #[test]
    fn until_is_inclusive() {
        assert_eq!(
            expand(
                "FREQ=DAILY;UNTIL=20260103T090000Z",
                "2026-01-01T09:00",
                "UTC",
                9
            )
            .len(),
            3
        );
    }

    #[test]
    fn unsupported_and_malformed_rules_are_refused() {
        for bad in [
            "",
            "FREQ=MONTHLY",
            "FREQ=WEEKLY;BYDAY=2MO",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=WEEKLY;INTERVAL=0",
            "BYDAY=MO",
            "FREQ=WEEKLY;COUNT=2;UNTIL=20260101",
            "FREQ=WEEKLY;BYMONTH=1",
        ] {
            assert_eq!(RRule::parse(bad).unwrap_err().value, bad);
        }
    }
}
