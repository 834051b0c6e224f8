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

use std::collections::VecDeque;
use std::fmt;

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::ParseError;

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
                "BYSECOND" => rule.by_second = numbers(&key, &value, 0, 60, false).map_err(err)?,
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

/// A local time surely before the instant `from` in `tz` (a day's margin covers any offset
/// change), so that what comes earlier can be skipped without converting it to an instant.
fn surely_before(from: Timestamp, tz: &TimeZone) -> DateTime {
    from.to_zoned_datetime(tz.clone())
        .datetime()
        .checked_sub(jiff::SignedDuration::from_hours(26))
        .unwrap_or(DateTime::MIN)
}

/// Maps local date-times to instants in `tz`; two local times can give one instant (03:00 and
/// the non-existent 02:00 on a spring-forward day), which is kept once.
fn instants<'a>(
    local: impl Iterator<Item = DateTime> + 'a,
    tz: &'a TimeZone,
) -> impl Iterator<Item = Timestamp> + 'a {
    let mut last = None;
    local
        .filter_map(|dt| tz.to_ambiguous_timestamp(dt).compatible().ok())
        .filter(move |t| {
            let new = last.is_none_or(|l| *t > l);
            if new {
                last = Some(*t);
            }
            new
        })
}

/// The rule's parts with the defaults DTSTART gives, ready to expand.
struct Expansion<'a> {
    rule: &'a RRule,
    start: DateTime,
    /// Months, month days and weekdays after defaults.
    months: Vec<i8>,
    month_days: Vec<i8>,
    days: Vec<(i16, Weekday)>,
    /// The times of a day for FREQ=DAILY and coarser, sorted.
    times: Vec<Time>,
    /// Which period comes next.
    period: i64,
    /// Candidates of the current period still to hand out.
    buffer: VecDeque<DateTime>,
    /// Reused for each period's candidates, so that expanding allocates once.
    scratch: Vec<DateTime>,
    emitted: u32,
    /// The last year that gave a candidate: a rule that gives nothing for 400 years (a whole
    /// Gregorian cycle) never will ("BYMONTH=2;BYMONTHDAY=30").
    last_hit_year: i16,
    done: bool,
}

impl<'a> Expansion<'a> {
    fn new(rule: &'a RRule, start: DateTime) -> Expansion<'a> {
        let f = rule.frequency;
        let no_day_parts = rule.by_week_no.is_empty()
            && rule.by_year_day.is_empty()
            && rule.by_month_day.is_empty()
            && rule.by_day.is_empty();
        let mut months = rule.by_month.clone();
        months.sort();
        let mut month_days = rule.by_month_day.clone();
        let mut days = rule.by_day.clone();
        if no_day_parts {
            match f {
                Frequency::Yearly => {
                    if months.is_empty() {
                        months.push(start.month());
                    }
                    month_days.push(start.day());
                }
                Frequency::Monthly => month_days.push(start.day()),
                Frequency::Weekly => days.push((0, start.weekday())),
                _ => {}
            }
        }
        let or_start = |list: &[i8], value: i8| -> Vec<i8> {
            if list.is_empty() {
                vec![value]
            } else {
                list.to_vec()
            }
        };
        let mut times = Vec::new();
        if f >= Frequency::Daily {
            for h in or_start(&rule.by_hour, start.hour()) {
                for m in or_start(&rule.by_minute, start.minute()) {
                    for s in or_start(&rule.by_second, start.second()) {
                        // A leap second (BYSECOND=60) is not a civil time: skipped.
                        if let Ok(t) = Time::new(h, m, s, 0) {
                            times.push(t);
                        }
                    }
                }
            }
            times.sort();
            times.dedup();
        }
        Expansion {
            rule,
            start,
            months,
            month_days,
            days,
            times,
            period: 0,
            buffer: VecDeque::new(),
            scratch: Vec::new(),
            emitted: 0,
            last_hit_year: start.year(),
            done: false,
        }
    }

    /// Moves to a period shortly before the one holding `near`, unless the rule counts its
    /// occurrences (then every one from DTSTART on matters).
    fn jump_near(&mut self, near: DateTime) {
        if matches!(self.rule.end, End::Count(_)) || near <= self.start {
            return;
        }
        let (from, to) = (self.start.date(), near.date());
        let periods = match self.rule.frequency {
            Frequency::Yearly => i64::from(to.year() - from.year()),
            Frequency::Monthly => {
                i64::from(to.year() - from.year()) * 12 + i64::from(to.month() - from.month())
            }
            Frequency::Weekly => (epoch_days(to) - epoch_days(from)) / 7,
            Frequency::Daily => epoch_days(to) - epoch_days(from),
            f => self.start.duration_until(near).as_secs() / f.seconds(),
        };
        let n = periods / i64::from(self.rule.interval) - 1;
        if n > self.period {
            self.period = n;
            self.last_hit_year = near.year();
        }
    }

    /// Whether every BY day part accepts `d`.
    fn day_matches(&self, d: Date) -> bool {
        let r = self.rule;
        if !self.months.is_empty() && !self.months.contains(&d.month()) {
            return false;
        }
        if !r.by_week_no.is_empty() {
            let (week, weeks) = week_number(d, r.week_start);
            if !r
                .by_week_no
                .iter()
                .any(|&n| i32::from(n) == week || i32::from(n) == week - weeks - 1)
            {
                return false;
            }
        }
        if !r.by_year_day.is_empty() {
            let (day, len) = (d.day_of_year(), d.days_in_year());
            if !r
                .by_year_day
                .iter()
                .any(|&n| n == day || n == day - len - 1)
            {
                return false;
            }
        }
        if !self.month_days.is_empty() {
            let (day, len) = (d.day(), d.days_in_month());
            if !self
                .month_days
                .iter()
                .any(|&n| n == day || n == day - len - 1)
            {
                return false;
            }
        }
        if !self.days.is_empty() {
            // An ordinal counts within the month for FREQ=MONTHLY and for FREQ=YEARLY with
            // BYMONTH, within the year otherwise.
            let in_month = r.frequency == Frequency::Monthly
                || (r.frequency == Frequency::Yearly && !r.by_month.is_empty());
            let (day, len) = if in_month {
                (d.day() as i16, d.days_in_month() as i16)
            } else {
                (d.day_of_year(), d.days_in_year())
            };
            let nth = (day - 1) / 7 + 1;
            let nth_last = -((len - day) / 7 + 1);
            if !self
                .days
                .iter()
                .any(|&(o, wd)| wd == d.weekday() && (o == 0 || o == nth || o == nth_last))
            {
                return false;
            }
        }
        true
    }

    /// Calls `f` with each date of period `n`, in order, for FREQ=DAILY and coarser; `None`
    /// past the calendar's end. A yearly period with BYMONTH visits only those months.
    fn period_dates(&self, n: i64, mut f: impl FnMut(Date)) -> Option<()> {
        let step = n.checked_mul(i64::from(self.rule.interval))?;
        let start = self.start.date();
        match self.rule.frequency {
            Frequency::Yearly => {
                let year = i16::try_from(i64::from(start.year()) + step).ok()?;
                Date::new(year, 1, 1).ok()?;
                if self.months.is_empty() {
                    (1..=12).flat_map(|m| month_dates(year, m)).for_each(f);
                } else {
                    self.months
                        .iter()
                        .flat_map(|m| month_dates(year, *m))
                        .for_each(f);
                }
            }
            Frequency::Monthly => {
                let index = i64::from(start.year()) * 12 + i64::from(start.month()) - 1 + step;
                let year = i16::try_from(index.div_euclid(12)).ok()?;
                let month = (index.rem_euclid(12) + 1) as i8;
                Date::new(year, month, 1).ok()?;
                month_dates(year, month).for_each(f);
            }
            Frequency::Weekly => {
                let back = i64::from(start.weekday().since(self.rule.week_start));
                let first = add_days(start, step.checked_mul(7)? - back)?;
                (0..7).filter_map(|i| add_days(first, i)).for_each(f);
            }
            _ => f(add_days(start, step)?),
        }
        Some(())
    }

    /// Puts the candidates of period `n` (before BYSETPOS) in `out`, in order; `None` past
    /// the calendar's end.
    fn candidates(&self, n: i64, out: &mut Vec<DateTime>) -> Option<()> {
        let r = self.rule;
        if r.frequency >= Frequency::Daily {
            return self.period_dates(n, |d| {
                if self.day_matches(d) {
                    out.extend(self.times.iter().map(|t| d.to_datetime(*t)));
                }
            });
        }
        // A sub-daily period: one hour, minute or second from DTSTART on, in civil time.
        let seconds = n
            .checked_mul(i64::from(r.interval))?
            .checked_mul(r.frequency.seconds())?;
        let at = self.start.checked_add(seconds.seconds()).ok()?;
        if !self.day_matches(at.date())
            || (!r.by_hour.is_empty() && !r.by_hour.contains(&at.hour()))
            || (r.frequency <= Frequency::Minutely
                && !r.by_minute.is_empty()
                && !r.by_minute.contains(&at.minute()))
            || (r.frequency == Frequency::Secondly
                && !r.by_second.is_empty()
                && !r.by_second.contains(&at.second()))
        {
            return Some(());
        }
        let minutes = if r.frequency == Frequency::Hourly && !r.by_minute.is_empty() {
            r.by_minute.clone()
        } else {
            vec![at.minute()]
        };
        let seconds = if r.frequency >= Frequency::Minutely && !r.by_second.is_empty() {
            r.by_second.clone()
        } else {
            vec![at.second()]
        };
        for m in &minutes {
            for s in &seconds {
                if let Ok(t) = Time::new(at.hour(), *m, *s, 0) {
                    out.push(at.date().to_datetime(t));
                }
            }
        }
        out.sort();
        out.dedup();
        Some(())
    }

    /// The first period that could hold a time on the day after `date`, for sub-daily rules
    /// whose day does not match (so a rule that fires on Tuesdays does not walk every minute
    /// of the week).
    fn first_period_after(&self, date: Date) -> Option<i64> {
        let next = date.tomorrow().ok()?.to_datetime(Time::midnight());
        let elapsed = self.start.duration_until(next).as_secs();
        let step = i64::from(self.rule.interval) * self.rule.frequency.seconds();
        Some((elapsed + step - 1).div_euclid(step))
    }

    fn refill(&mut self) {
        while self.buffer.is_empty() && !self.done {
            let n = self.period;
            let mut set = std::mem::take(&mut self.scratch);
            set.clear();
            if self.candidates(n, &mut set).is_none() {
                self.done = true;
                return;
            }
            self.period += 1;
            if self.rule.frequency < Frequency::Daily && set.is_empty() {
                let seconds = n * i64::from(self.rule.interval) * self.rule.frequency.seconds();
                if let Ok(at) = self.start.checked_add(seconds.seconds())
                    && !self.day_matches(at.date())
                    && let Some(next) = self.first_period_after(at.date())
                {
                    self.period = self.period.max(next);
                }
            }
            if !self.rule.by_set_pos.is_empty() {
                let len = set.len() as i64;
                let mut picked: Vec<DateTime> = self
                    .rule
                    .by_set_pos
                    .iter()
                    .filter_map(|&p| {
                        let i = if p > 0 {
                            i64::from(p) - 1
                        } else {
                            len + i64::from(p)
                        };
                        usize::try_from(i).ok().and_then(|i| set.get(i).copied())
                    })
                    .collect();
                picked.sort();
                picked.dedup();
                set.clear();
                set.extend(picked);
            }
            let year = set.last().map(|d| d.year()).or_else(|| self.period_year(n));
            if let Some(last) = set.last() {
                self.last_hit_year = last.year();
            } else if year.is_some_and(|y| i32::from(y) > i32::from(self.last_hit_year) + 400) {
                self.done = true;
                return;
            }
            let start = self.start;
            self.buffer.extend(set.drain(..).filter(|dt| *dt >= start));
            self.scratch = set;
        }
    }

    fn period_year(&self, n: i64) -> Option<i16> {
        let r = self.rule;
        if r.frequency >= Frequency::Daily {
            let mut year = None;
            self.period_dates(n, |d| {
                year.get_or_insert(d.year());
            })?;
            return year;
        }
        let seconds = n
            .checked_mul(i64::from(r.interval))?
            .checked_mul(r.frequency.seconds())?;
        Some(self.start.checked_add(seconds.seconds()).ok()?.year())
    }
}

impl Iterator for Expansion<'_> {
    type Item = DateTime;

    fn next(&mut self) -> Option<DateTime> {
        if let End::Count(n) = self.rule.end
            && self.emitted >= n
        {
            return None;
        }
        self.refill();
        let next = self.buffer.pop_front()?;
        if let End::UntilLocal(until) = self.rule.end
            && next > until
        {
            self.done = true;
            self.buffer.clear();
            return None;
        }
        self.emitted += 1;
        Some(next)
    }
}

/// The dates of a month, in order.
fn month_dates(year: i16, month: i8) -> impl Iterator<Item = Date> {
    let len = Date::new(year, month, 1).map_or(0, |d| d.days_in_month());
    (1..=len).filter_map(move |day| Date::new(year, month, day).ok())
}

/// `d` plus `n` days, through days since the Unix epoch (much cheaper than span arithmetic,
/// which matters when a year of rules is expanded).
fn add_days(d: Date, n: i64) -> Option<Date> {
    let days = epoch_days(d).checked_add(n)?;
    from_epoch_days(days)
}

/// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
fn epoch_days(d: Date) -> i64 {
    let (y, m, day) = (
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
fn from_epoch_days(days: i64) -> Option<Date> {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(i16::try_from(year).ok()?, month as i8, day as i8).ok()
}

/// The week number of `d` (week 1 is the first week, starting on `week_start`, with at least
/// four days in the year) and how many weeks that year has. Days before week 1 belong to the
/// previous year's last week, days after the last week to the next year's week 1.
fn week_number(d: Date, week_start: Weekday) -> (i32, i32) {
    let week_one = |year: i16| -> Option<Date> {
        let jan1 = Date::new(year, 1, 1).ok()?;
        let back = i64::from(jan1.weekday().since(week_start));
        // The week holding January 1 is week 1 if at least four of its days are in the year.
        let start = jan1.checked_sub(back.days()).ok()?;
        if 7 - back >= 4 {
            Some(start)
        } else {
            start.checked_add(7.days()).ok()
        }
    };
    let weeks = |year: i16| -> i32 {
        match (week_one(year), year.checked_add(1).and_then(week_one)) {
            (Some(a), Some(b)) => a.until(b).map_or(364, |s| s.get_days()) / 7,
            _ => 52,
        }
    };
    let year = d.year();
    let Some(this) = week_one(year) else {
        return (0, 52);
    };
    if d < this {
        let prev = year - 1;
        let start = week_one(prev).unwrap_or(this);
        let days = start.until(d).map_or(0, |s| s.get_days());
        return (days / 7 + 1, weeks(prev));
    }
    if let Some(next) = year.checked_add(1).and_then(week_one)
        && d >= next
    {
        return (1, weeks(year + 1));
    }
    let days = this.until(d).map_or(0, |s| s.get_days());
    (days / 7 + 1, weeks(year))
}

/// A comma-separated list of numbers in `min..=max`, negative ones too when `signed`.
fn numbers<T>(key: &str, value: &str, min: i16, max: i16, signed: bool) -> Result<Vec<T>, String>
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

fn parse_until(value: &str) -> Option<End> {
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

/// A recurrence set (RFC 5545 section 3.8.5): DTSTART, the instances of its rules and RDATEs,
/// without the EXDATEs, in the series' zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    /// DTSTART, the first instance, local in the series' zone.
    pub start: DateTime,
    pub rules: Vec<RRule>,
    /// Extra instances (RDATE), local.
    pub rdates: Vec<DateTime>,
    /// Removed instances (EXDATE), local; they win over rules and RDATEs.
    pub exdates: Vec<DateTime>,
}

impl Recurrence {
    /// A series of one rule from `start`.
    pub fn new(start: DateTime, rule: RRule) -> Recurrence {
        Recurrence {
            start,
            rules: vec![rule],
            rdates: Vec::new(),
            exdates: Vec::new(),
        }
    }

    /// The local start times of the set, in order, each once. A rule's `UNTIL` in UTC needs
    /// the zone and is applied by `occurrences` only.
    pub fn local(&self) -> impl Iterator<Item = DateTime> + '_ {
        self.merged(None::<fn(DateTime) -> Option<Timestamp>>, DateTime::MIN)
    }

    /// The local start times of the set, in order, each once, as the series' zone has them:
    /// `to_instant` maps a local time to its instant (a zone defined in a calendar file, not
    /// only an IANA one), so that a rule's `UNTIL` in UTC ends that rule where it should.
    /// Instances before `near` may be left out: without a `COUNT` a rule jumps to the period
    /// holding `near` instead of walking there from DTSTART.
    pub fn local_in<'a>(
        &'a self,
        near: DateTime,
        to_instant: impl Fn(DateTime) -> Option<Timestamp> + Clone + 'a,
    ) -> impl Iterator<Item = DateTime> + 'a {
        self.merged(Some(to_instant), near)
    }

    /// The instants of the set at or after `from`, in order, in `tz`. A rule's `UNTIL` in UTC
    /// bounds that rule's instances only.
    pub fn occurrences<'a>(
        &'a self,
        tz: &'a TimeZone,
        from: Timestamp,
    ) -> impl Iterator<Item = Timestamp> + 'a {
        let early = surely_before(from, tz);
        let local = self
            .merged(
                Some(move |dt| tz.to_ambiguous_timestamp(dt).compatible().ok()),
                early,
            )
            .skip_while(move |dt| *dt < early);
        instants(local, tz).skip_while(move |t| *t < from)
    }

    /// DTSTART, RDATEs and every rule's instances merged in order, without the EXDATEs.
    /// Instances before `near` may be left out.
    fn merged<'a, F>(
        &'a self,
        to_instant: Option<F>,
        near: DateTime,
    ) -> Box<dyn Iterator<Item = DateTime> + 'a>
    where
        F: Fn(DateTime) -> Option<Timestamp> + Clone + 'a,
    {
        let mut sources: Vec<Box<dyn Iterator<Item = DateTime> + 'a>> = Vec::new();
        for rule in &self.rules {
            let local = rule.local_near(self.start, near);
            match (rule.end, to_instant.clone()) {
                (End::Until(until), Some(f)) => sources.push(Box::new(
                    local.take_while(move |dt| f(*dt).is_some_and(|t| t <= until)),
                )),
                _ => sources.push(Box::new(local)),
            }
        }
        let start = std::iter::once(self.start);
        if self.rdates.is_empty() && self.exdates.is_empty() && sources.len() == 1 {
            // The common case, one rule and nothing else, needs no merging: the rule's
            // instances are at or after DTSTART.
            let rule = sources.pop().expect("one source");
            return Box::new(start.chain(rule.skip_while(move |dt| *dt == self.start)));
        }
        sources.push(Box::new(start));
        let mut rdates = self.rdates.clone();
        rdates.sort();
        sources.push(Box::new(rdates.into_iter()));
        let mut exdates = self.exdates.clone();
        exdates.sort();
        Box::new(Merge::new(sources).filter(move |dt| exdates.binary_search(dt).is_err()))
    }
}

/// Merges sorted iterators into one sorted iterator without repeats.
struct Merge<'a> {
    heads: Vec<(Option<DateTime>, Box<dyn Iterator<Item = DateTime> + 'a>)>,
    last: Option<DateTime>,
}

impl<'a> Merge<'a> {
    fn new(sources: Vec<Box<dyn Iterator<Item = DateTime> + 'a>>) -> Merge<'a> {
        Merge {
            heads: sources.into_iter().map(|mut s| (s.next(), s)).collect(),
            last: None,
        }
    }
}

impl Iterator for Merge<'_> {
    type Item = DateTime;

    fn next(&mut self) -> Option<DateTime> {
        loop {
            let (i, _) = self
                .heads
                .iter()
                .enumerate()
                .filter_map(|(i, (h, _))| h.map(|h| (i, h)))
                .min_by_key(|(_, h)| *h)?;
            let (head, source) = &mut self.heads[i];
            let value = head.take()?;
            *head = source.next();
            if self.last.is_none_or(|l| value > l) {
                self.last = Some(value);
                return Some(value);
            }
        }
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
    fn a_time_in_the_spring_gap_moves_forward_and_a_fold_takes_the_first() {
        // 2026-03-08 02:30 does not exist in New York; 2026-11-01 01:30 happens twice.
        assert_eq!(
            expand(
                "FREQ=DAILY;COUNT=2",
                "2026-03-07T02:30",
                "America/New_York",
                5
            ),
            ["2026-03-07T02:30:00", "2026-03-08T03:30:00"]
        );
        let tz = TimeZone::get("America/New_York").unwrap();
        let rule = RRule::parse("FREQ=DAILY;COUNT=1").unwrap();
        let first = rule
            .occurrences(local("2026-11-01T01:30"), &tz, Timestamp::UNIX_EPOCH)
            .next()
            .unwrap();
        assert_eq!(first.to_string(), "2026-11-01T05:30:00Z");
    }

    #[test]
    fn hourly_through_a_gap_gives_each_instant_once() {
        // 02:00 does not exist on 2026-03-08 and is read as 03:00, which also comes next.
        let got = expand(
            "FREQ=HOURLY;COUNT=4",
            "2026-03-08T01:00",
            "America/New_York",
            9,
        );
        assert_eq!(
            got,
            [
                "2026-03-08T01:00:00",
                "2026-03-08T03:00:00",
                "2026-03-08T04:00:00"
            ]
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
        assert_eq!(
            expand("FREQ=DAILY;UNTIL=20260103", "2026-01-01T09:00", "UTC", 9).len(),
            3
        );
    }

    #[test]
    fn a_rule_that_never_matches_ends() {
        let rule = RRule::parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30").unwrap();
        assert_eq!(rule.local(local("2026-01-01T09:00")).count(), 0);
        let rule = RRule::parse("FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30").unwrap();
        assert_eq!(rule.local(local("2026-01-01T09:00")).count(), 0);
    }

    #[test]
    fn sub_daily_rules_skip_days_that_do_not_match() {
        let rule = RRule::parse("FREQ=MINUTELY;INTERVAL=30;BYDAY=TU;BYHOUR=9").unwrap();
        let got: Vec<String> = rule
            .local(local("2026-01-01T00:00"))
            .take(3)
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "2026-01-06T09:00:00",
                "2026-01-06T09:30:00",
                "2026-01-13T09:00:00"
            ]
        );
    }

    #[test]
    fn epoch_day_arithmetic_agrees_with_jiff() {
        for year in (1600..2400).step_by(7) {
            let d = Date::new(year, 2, 27).unwrap();
            for n in -800..800 {
                let want = d.checked_add(n.days()).unwrap();
                assert_eq!(add_days(d, n), Some(want), "{d} + {n}");
                assert_eq!(epoch_days(want) - epoch_days(d), n);
            }
        }
    }

    #[test]
    fn iso_week_numbers() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(week_number(d("2026-01-01"), Weekday::Monday), (1, 53));
        assert_eq!(week_number(d("2026-12-31"), Weekday::Monday), (53, 53));
        assert_eq!(week_number(d("2027-01-03"), Weekday::Monday), (53, 53));
        assert_eq!(week_number(d("2027-01-04"), Weekday::Monday), (1, 52));
        assert_eq!(week_number(d("2024-12-30"), Weekday::Monday), (1, 52));
    }

    #[test]
    fn a_set_adds_rdates_and_removes_exdates() {
        let set = Recurrence {
            start: local("2026-01-05T10:00"),
            rules: vec![RRule::parse("FREQ=WEEKLY;COUNT=3").unwrap()],
            rdates: vec![local("2026-01-07T15:00")],
            exdates: vec![local("2026-01-12T10:00")],
        };
        let got: Vec<String> = set.local().map(|d| d.to_string()).collect();
        assert_eq!(
            got,
            [
                "2026-01-05T10:00:00",
                "2026-01-07T15:00:00",
                "2026-01-19T10:00:00"
            ]
        );
    }

    #[test]
    fn unsupported_and_malformed_rules_are_refused() {
        for bad in [
            "",
            "FREQ=FORTNIGHTLY",
            "FREQ=WEEKLY;BYDAY=2MO",
            "FREQ=MONTHLY;BYDAY=0MO",
            "FREQ=MONTHLY;BYDAY=54MO",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=WEEKLY;INTERVAL=0",
            "BYDAY=MO",
            "FREQ=WEEKLY;COUNT=2;UNTIL=20260101",
            "FREQ=WEEKLY;COUNT=2;COUNT=3",
            "FREQ=WEEKLY;BYMONTHDAY=1",
            "FREQ=MONTHLY;BYYEARDAY=1",
            "FREQ=MONTHLY;BYWEEKNO=1",
            "FREQ=MONTHLY;BYSETPOS=1",
            "FREQ=MONTHLY;BYMONTHDAY=32",
            "FREQ=MONTHLY;BYMONTHDAY=0",
            "FREQ=DAILY;BYHOUR=24",
            "FREQ=DAILY;UNTIL=2026-01-01",
            "FREQ=DAILY;FOO=1",
        ] {
            let e = RRule::parse(bad).expect_err(bad);
            assert_eq!(e.value, bad);
        }
        for good in [
            "FREQ=MONTHLY;BYDAY=-1FR",
            "freq=monthly;byday=+2mo",
            "RRULE:FREQ=YEARLY;BYWEEKNO=-1;BYDAY=MO",
            "FREQ=MONTHLY;BYMONTHDAY=-3",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        ] {
            RRule::parse(good).expect(good);
        }
    }
}
