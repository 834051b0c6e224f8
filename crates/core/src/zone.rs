//! IANA time zones, kept with the name they were given.

use std::fmt;

use jiff::tz::TimeZone;

use crate::ParseError;

/// An IANA time zone (`Europe/Madrid`), with the name it was parsed from.
///
/// Two zones are equal when their names are: that is what a person wrote and what is stored.
#[derive(Clone, Debug)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    /// Looks an IANA zone name up in the time zone database bundled into the binary.
    pub fn parse(name: &str) -> Result<Zone, ParseError> {
        if name.is_empty() || name.starts_with(['+', '-']) {
            return Err(ParseError::new(
                "time zone",
                name,
                "use an IANA zone name such as \"Europe/Madrid\" or \"America/New_York\"",
            ));
        }
        let tz = TimeZone::get(name).map_err(|_| {
            ParseError::new(
                "time zone",
                name,
                "not in the IANA time zone database; use a name such as \"Europe/Madrid\"",
            )
        })?;
        Ok(Zone {
            name: name.to_string(),
            tz,
        })
    }

    /// The IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone as a person reads it at `at`: its city and its offset, "Madrid (UTC+01:00)".
    pub fn label(&self, at: jiff::Timestamp) -> String {
        let city = self
            .name
            .rsplit('/')
            .next()
            .unwrap_or(&self.name)
            .replace('_', " ");
        let offset = self.tz.to_offset(at).seconds();
        let sign = if offset < 0 { '−' } else { '+' };
        let offset = offset.unsigned_abs();
        format!(
            "{city} (UTC{sign}{:02}:{:02})",
            offset / 3600,
            (offset % 3600) / 60
        )
    }

    /// The zone's rules, for conversions.
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_zones_parse_and_unknown_ones_are_named_in_the_error() {
        assert_eq!(
            Zone::parse("Europe/Madrid").unwrap().name(),
            "Europe/Madrid"
        );
        let err = Zone::parse("Europe/Atlantis").unwrap_err();
        assert_eq!(err.value, "Europe/Atlantis");
        assert!(Zone::parse("+01:00").is_err());
    }
}
