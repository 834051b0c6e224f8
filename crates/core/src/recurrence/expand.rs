//! Expanding one rule from DTSTART, period by period, in local time.

use std::collections::VecDeque;

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::*;

/// A local time surely before the instant `from` in `tz` (a day's margin covers any offset
/// change), so that what comes earlier can be skipped without converting it to an instant.
pub(super) fn surely_before(from: Timestamp, tz: &TimeZone) -> DateTime {
    from.to_zoned_datetime(tz.clone())
        .datetime()
        .checked_sub(jiff::SignedDuration::from_hours(26))
        .unwrap_or(DateTime::MIN)
}

/// Maps local date-times to instants in `tz`; two local times can give one instant (03:00 and
/// the non-existent 02:00 on a spring-forward day), which is kept once.
pub(super) fn instants<'a>(
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
pub(super) struct Expansion<'a> {
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
    /// Periods in a row that gave nothing: a rule that fires never or almost never within
    /// its periods ("FREQ=SECONDLY;INTERVAL=2;BYSECOND=1" from an even second) stops after
    /// [`MAX_EMPTY_PERIODS`] instead of walking every second of 400 years.
    empty_streak: u32,
    done: bool,
}

/// The most periods in a row a rule may give nothing before its expansion ends (a minutely
/// rule of one month a year waits about 480,000).
pub(super) const MAX_EMPTY_PERIODS: u32 = 1_000_000;

impl<'a> Expansion<'a> {
    pub(super) fn new(rule: &'a RRule, start: DateTime) -> Expansion<'a> {
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
            empty_streak: 0,
            done: false,
        }
    }

    /// Moves to a period shortly before the one holding `near`, unless the rule counts its
    /// occurrences (then every one from DTSTART on matters).
    pub(super) fn jump_near(&mut self, near: DateTime) {
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
            if self.buffer.is_empty() {
                self.empty_streak += 1;
                if self.empty_streak > MAX_EMPTY_PERIODS {
                    self.done = true;
                    return;
                }
            } else {
                self.empty_streak = 0;
            }
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
pub(super) fn month_dates(year: i16, month: i8) -> impl Iterator<Item = Date> {
    let len = Date::new(year, month, 1).map_or(0, |d| d.days_in_month());
    (1..=len).filter_map(move |day| Date::new(year, month, day).ok())
}

/// `d` plus `n` days, through days since the Unix epoch (much cheaper than span arithmetic,
/// which matters when a year of rules is expanded).
pub(super) fn add_days(d: Date, n: i64) -> Option<Date> {
    let days = epoch_days(d).checked_add(n)?;
    from_epoch_days(days)
}

/// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
pub(super) fn epoch_days(d: Date) -> i64 {
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
pub(super) fn from_epoch_days(days: i64) -> Option<Date> {
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
pub(super) fn week_number(d: Date, week_start: Weekday) -> (i32, i32) {
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
