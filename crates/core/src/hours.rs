//! Weekly working hours: wall-clock ranges per weekday, in the member's own zone.

use std::fmt;

use jiff::civil::{Time, Weekday};

use crate::ParseError;

/// A range of wall-clock time within one day, `09:00-13:00`; the end may be `24:00`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeRange {
    start: u16,
    end: u16,
}

impl TimeRange {
    /// Parses `HH:MM-HH:MM` with the end after the start.
    pub fn parse(value: &str) -> Result<TimeRange, ParseError> {
        let format = "write \"HH:MM-HH:MM\" with 24-hour times, e.g. \"09:00-13:00\"";
        let (a, b) = value
            .split_once('-')
            .ok_or_else(|| ParseError::new("time range", value, format))?;
        let start = parse_clock(a).ok_or_else(|| ParseError::new("time range", value, format))?;
        let end = parse_clock(b).ok_or_else(|| ParseError::new("time range", value, format))?;
        if start == 24 * 60 || end <= start {
            return Err(ParseError::new(
                "time range",
                value,
                "the end must be after the start, within one day (use \"24:00\" for midnight)",
            ));
        }
        Ok(TimeRange { start, end })
    }

    /// Minutes after midnight when the range starts.
    pub fn start_minute(self) -> u16 {
        self.start
    }

    /// Minutes after midnight when the range ends (1440 for `24:00`).
    pub fn end_minute(self) -> u16 {
        self.end
    }

    /// The start as a wall-clock time.
    pub fn start(self) -> Time {
        minute_to_time(self.start)
    }

    /// Whether two ranges share any minute.
    pub fn overlaps(self, other: TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }
}

fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(24 * 60),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// Converts minutes after midnight (below 1440) to a wall-clock time.
pub(crate) fn minute_to_time(minute: u16) -> Time {
    Time::constant((minute / 60) as i8, (minute % 60) as i8, 0, 0)
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

/// The weekday keys of a practice file, Monday first.
pub const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A member's working hours for each day of the week, sorted and never overlapping.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    days: [Vec<TimeRange>; 7],
}

/// Two ranges of the same day that overlap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlap {
    /// Index of the day, Monday = 0.
    pub day: usize,
    /// The two ranges, as written.
    pub ranges: (TimeRange, TimeRange),
}

impl WeeklyHours {
    /// Builds weekly hours from the ranges of each day (Monday first), sorting each day.
    pub fn new(mut days: [Vec<TimeRange>; 7]) -> Result<WeeklyHours, Overlap> {
        for (day, ranges) in days.iter_mut().enumerate() {
            ranges.sort();
            for pair in ranges.windows(2) {
                if pair[0].overlaps(pair[1]) {
                    return Err(Overlap {
                        day,
                        ranges: (pair[0], pair[1]),
                    });
                }
            }
        }
        Ok(WeeklyHours { days })
    }

    /// The ranges of one weekday, in order.
    pub fn on(&self, weekday: Weekday) -> &[TimeRange] {
        &self.days[weekday.to_monday_zero_offset() as usize]
    }

    /// The ranges of each day, Monday first.
    pub fn days(&self) -> &[Vec<TimeRange>; 7] {
        &self.days
    }

    /// Whether there is no working time at all in the week.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges_and_prints_them_back() {
        for text in ["09:00-13:00", "00:00-24:00", "14:30-18:05"] {
            assert_eq!(TimeRange::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_bad_ranges() {
        for bad in [
            "9:00-13:00",
            "09:00-09:00",
            "13:00-09:00",
            "09:00",
            "24:00-24:00",
            "09:60-10:00",
            "25:00-26:00",
            "09:00 - 13:00",
        ] {
            assert_eq!(TimeRange::parse(bad).unwrap_err().value, bad);
        }
    }

    #[test]
    fn overlapping_ranges_on_one_day_are_refused() {
        let r = |s| TimeRange::parse(s).unwrap();
        let mut days: [Vec<TimeRange>; 7] = Default::default();
        days[2] = vec![r("12:00-14:00"), r("09:00-13:00")];
        let overlap = WeeklyHours::new(days).unwrap_err();
        assert_eq!(overlap.day, 2);
        assert_eq!(overlap.ranges, (r("09:00-13:00"), r("12:00-14:00")));
    }

    #[test]
    fn touching_ranges_are_fine() {
        let r = |s| TimeRange::parse(s).unwrap();
        let mut days: [Vec<TimeRange>; 7] = Default::default();
        days[0] = vec![r("13:00-18:00"), r("09:00-13:00")];
        let hours = WeeklyHours::new(days).unwrap();
        assert_eq!(hours.on(Weekday::Monday)[0], r("09:00-13:00"));
    }
}
