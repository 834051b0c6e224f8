//! Response targets: how much working time a client waits at most.

use std::fmt;

use jiff::SignedDuration;

use crate::ParseError;

/// A positive span of time written as hours and minutes: `4h`, `30m`, `1h30m`.
///
/// Response targets are counted in working time, so days are not accepted: "one working day"
/// depends on whose hours, and `8h` says it without ambiguity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    minutes: u32,
}

impl Target {
    /// The longest target accepted: 1000 hours.
    const MAX_MINUTES: u32 = 60_000;

    /// Builds a target from whole minutes (more than zero).
    pub fn from_minutes(minutes: u32) -> Target {
        assert!(minutes > 0 && minutes <= Self::MAX_MINUTES);
        Target { minutes }
    }

    /// Parses `4h`, `30m`, `1h30m`, `90m`.
    pub fn parse(value: &str) -> Result<Target, ParseError> {
        let err = |why: &str| ParseError::new("duration", value, why);
        let format = "write hours and minutes such as \"4h\", \"30m\" or \"1h30m\"";
        let mut minutes: u64 = 0;
        let mut number = String::new();
        let mut seen_h = false;
        let mut seen_m = false;
        for c in value.chars() {
            match c {
                '0'..='9' => number.push(c),
                'h' | 'm' if !number.is_empty() => {
                    let n: u64 = number.parse().map_err(|_| err(format))?;
                    number.clear();
                    if c == 'h' {
                        if seen_h || seen_m {
                            return Err(err(format));
                        }
                        seen_h = true;
                        minutes = minutes.saturating_add(n.saturating_mul(60));
                    } else {
                        if seen_m {
                            return Err(err(format));
                        }
                        seen_m = true;
                        minutes = minutes.saturating_add(n);
                    }
                }
                'd' | 'w' => {
                    return Err(err(
                        "targets are working time; write days as hours, e.g. \"8h\" for a working day",
                    ));
                }
                _ => return Err(err(format)),
            }
        }
        if !number.is_empty() || (!seen_h && !seen_m) {
            return Err(err(format));
        }
        if minutes == 0 {
            return Err(err("a target must be longer than zero"));
        }
        if minutes > u64::from(Self::MAX_MINUTES) {
            return Err(err("a target can be at most 1000h"));
        }
        Ok(Target {
            minutes: minutes as u32,
        })
    }

    /// Whole minutes.
    pub fn minutes(self) -> u32 {
        self.minutes
    }

    /// As a duration.
    pub fn duration(self) -> SignedDuration {
        SignedDuration::from_mins(i64::from(self.minutes))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m) = (self.minutes / 60, self.minutes % 60);
        match (h, m) {
            (0, m) => write!(f, "{m}m"),
            (h, 0) => write!(f, "{h}h"),
            (h, m) => write!(f, "{h}h{m}m"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hours_minutes_and_both() {
        for (text, minutes, shown) in [
            ("4h", 240, "4h"),
            ("30m", 30, "30m"),
            ("1h30m", 90, "1h30m"),
            ("90m", 90, "1h30m"),
        ] {
            let t = Target::parse(text).unwrap();
            assert_eq!(t.minutes(), minutes);
            assert_eq!(t.to_string(), shown);
        }
    }

    #[test]
    fn rejects_bad_durations_naming_the_value() {
        for bad in [
            "", "4", "h", "4x", "0m", "1d", "30m4h", "4h4h", "-4h", "4 h", "1001h",
        ] {
            assert_eq!(Target::parse(bad).unwrap_err().value, bad, "{bad}");
        }
    }
}
