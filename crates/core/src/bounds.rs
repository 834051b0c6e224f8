//! The span of time frontdesk works in: the years 1970 to 2199. Every date and instant that
//! comes from outside (a command's `--at`, an API field, the practice file, a calendar) is
//! checked against it where it is parsed, so arithmetic on it inside — a ten-year calendar
//! feed, a year of busy times, a working week — stays far from the limits of the time types
//! and never overflows.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};

use crate::ParseError;

/// The first year accepted.
pub const FIRST_YEAR: i16 = 1970;
/// The last year accepted.
pub const LAST_YEAR: i16 = 2199;

fn out_of_range(kind: &'static str, value: &str) -> ParseError {
    ParseError::new(
        kind,
        value,
        format!("frontdesk works with dates from {FIRST_YEAR} to {LAST_YEAR}"),
    )
}

fn year_ok(year: i16) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// A date in the accepted years.
pub fn check_date(date: Date) -> Result<Date, ParseError> {
    if year_ok(date.year()) {
        Ok(date)
    } else {
        Err(out_of_range("date", &date.to_string()))
    }
}

/// A local date-time in the accepted years.
pub fn check_datetime(dt: DateTime) -> Result<DateTime, ParseError> {
    check_date(dt.date())
        .map(|_| dt)
        .map_err(|_| out_of_range("date-time", &dt.to_string()))
}

/// An instant in the accepted years (read in UTC).
pub fn check_instant(at: Timestamp) -> Result<Timestamp, ParseError> {
    if year_ok(at.to_zoned_datetime(jiff::tz::TimeZone::UTC).year()) {
        Ok(at)
    } else {
        Err(out_of_range("instant", &at.to_string()))
    }
}

/// Parses an RFC 3339 instant with its offset (`2026-12-07T10:30:00+01:00`, `…Z`) in the
/// accepted years. An instant the format allows but the years do not (`9999-12-31T23:59:59Z`)
/// is refused as out of range, not as malformed.
pub fn instant(value: &str) -> Result<Timestamp, ParseError> {
    let malformed = || {
        ParseError::new(
            "instant",
            value,
            "write an RFC 3339 instant with an offset, such as \"2026-12-07T10:30:00+01:00\" or \"2026-12-07T09:30:00Z\"",
        )
    };
    match value.parse::<Timestamp>() {
        Ok(at) => check_instant(at).map_err(|_| out_of_range("instant", value)),
        // jiff's instants end in the year 9999; a well-formed one beyond its range is still
        // only out of ours.
        Err(_) => match value.get(..4).and_then(|y| y.parse::<u16>().ok()) {
            Some(_) if value.len() >= 20 && value.as_bytes().get(4) == Some(&b'-') => {
                if value
                    .get(..19)
                    .and_then(|v| v.parse::<DateTime>().ok())
                    .is_some()
                {
                    Err(out_of_range("instant", value))
                } else {
                    Err(malformed())
                }
            }
            _ => Err(malformed()),
        },
    }
}

/// Parses a date written `YYYY-MM-DD` in the accepted years.
pub fn date(value: &str) -> Result<Date, ParseError> {
    let parsed = (value.len() == 10)
        .then(|| value.parse::<Date>().ok())
        .flatten()
        .ok_or_else(|| ParseError::new("date", value, "write a date as YYYY-MM-DD"))?;
    check_date(parsed).map_err(|_| out_of_range("date", value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_parsed_with_their_offset_and_bounded_to_the_years() {
        assert_eq!(
            instant("2026-12-07T10:30:00+01:00").unwrap(),
            "2026-12-07T09:30:00Z".parse::<Timestamp>().unwrap()
        );
        for far in [
            "9999-12-31T23:59:59Z",
            "2200-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
        ] {
            let e = instant(far).unwrap_err();
            assert!(e.expected.contains("1970 to 2199"), "{far}: {e}");
        }
        assert!(instant("2199-12-31T23:59:59Z").is_ok());
        for bad in [
            "tomorrow",
            "2026-12-07T10:30:00",
            "2026-13-07T10:30:00Z",
            "",
        ] {
            let e = instant(bad).unwrap_err();
            assert!(e.expected.contains("RFC 3339"), "{bad}: {e}");
        }
    }

    #[test]
    fn dates_are_bounded_to_the_years() {
        assert!(date("2026-12-07").is_ok());
        assert!(
            date("9999-12-25")
                .unwrap_err()
                .expected
                .contains("1970 to 2199")
        );
        assert!(
            date("2026-12-7")
                .unwrap_err()
                .expected
                .contains("YYYY-MM-DD")
        );
        assert!(check_datetime("2300-01-01T10:00".parse().unwrap()).is_err());
    }
}
