//! Placing local times in time: IANA zones, zones a VTIMEZONE defines, and the values that
//! name them.

use std::collections::HashMap;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::{RRule, parse_ical_datetime};

use super::*;

/// A zone from a VTIMEZONE definition: its onsets, each with the offset before and after.
#[derive(Debug, Clone)]
pub(super) struct DefinedZone {
    /// (onset as a local time in the offset before it, offset before, offset after), sorted.
    pub(super) onsets: Vec<(DateTime, i32, i32)>,
}

impl DefinedZone {
    /// Reads a VTIMEZONE; `budget` is how many onsets the calendar's zones may still define,
    /// checked as they are made, so no zone can be larger than what is left of it.
    pub(super) fn parse(
        c: &Component,
        until_year: i16,
        budget: &mut usize,
    ) -> Result<DefinedZone, IcsError> {
        let mut onsets = Vec::new();
        let over = |line: usize| {
            err(
                line,
                format!(
                    "the calendar's time zones change their offsets more than {} times; a zone changes it a few times a year",
                    10 * MAX_ONSETS
                ),
            )
        };
        for obs in c
            .children
            .iter()
            .filter(|o| o.name == "STANDARD" || o.name == "DAYLIGHT")
        {
            let start = obs
                .get("DTSTART")
                .ok_or(())
                .or_else(|_| err(obs.line, format!("{} without DTSTART", obs.name)))?;
            let (dt, _) = parse_ical_datetime(start.value.trim()).map_or_else(
                || {
                    err(
                        start.line,
                        format!("DTSTART {:?} is not a date-time", start.value),
                    )
                },
                Ok,
            )?;
            let from = offset_prop(obs, "TZOFFSETFROM")?;
            let to = offset_prop(obs, "TZOFFSETTO")?;
            if *budget == 0 {
                return over(obs.line);
            }
            *budget -= 1;
            onsets.push((dt, from, to));
            for r in obs.all("RRULE") {
                let rule = RRule::parse(r.value.trim()).map_err(|e| IcsError {
                    line: r.line,
                    message: e.to_string(),
                })?;
                let before = onsets.len();
                let room = MAX_ONSETS.min(*budget);
                onsets.extend(
                    rule.local(dt)
                        .take_while(|d| d.year() <= until_year)
                        .take(room + 1)
                        .map(|d| (d, from, to)),
                );
                let made = onsets.len() - before;
                if made > MAX_ONSETS {
                    return err(
                        r.line,
                        format!(
                            "this time zone rule changes the offset more than {MAX_ONSETS} times; a zone changes it a few times a year"
                        ),
                    );
                }
                if made > room {
                    return over(r.line);
                }
                *budget -= made;
            }
            for r in obs.all("RDATE") {
                for v in r.value.split(',') {
                    if let Some((d, _)) = parse_ical_datetime(v.trim()) {
                        if *budget == 0 {
                            return over(r.line);
                        }
                        *budget -= 1;
                        onsets.push((d, from, to));
                    }
                }
            }
        }
        if onsets.is_empty() {
            return err(c.line, "VTIMEZONE without STANDARD or DAYLIGHT");
        }
        onsets.sort_by_key(|o| o.0);
        onsets.dedup_by_key(|o| o.0);
        Ok(DefinedZone { onsets })
    }

    /// The instant of a local time: the offset of the last onset at or before it (a time in a
    /// gap is read with the offset before the gap, as RFC 5545 3.3.5 says).
    pub(super) fn instant(&self, dt: DateTime) -> Option<Timestamp> {
        let i = self.onsets.partition_point(|o| o.0 <= dt);
        let offset = if i == 0 {
            self.onsets[0].1
        } else {
            let (onset, before, after) = self.onsets[i - 1];
            // Within a gap just after a forward change, the old offset still applies.
            let gap = i64::from(after - before);
            if gap > 0 && onset.duration_until(dt).as_secs() < gap {
                before
            } else {
                after
            }
        };
        let utc = dt
            .checked_sub(SignedDuration::from_secs(i64::from(offset)))
            .ok()?;
        TimeZone::UTC.to_ambiguous_timestamp(utc).compatible().ok()
    }
}

pub(super) fn offset_prop(c: &Component, name: &str) -> Result<i32, IcsError> {
    let p = c
        .get(name)
        .ok_or(())
        .or_else(|_| err(c.line, format!("{} without {name}", c.name)))?;
    parse_offset(p.value.trim()).ok_or(()).or_else(|_| {
        err(
            p.line,
            format!("{name} {:?} is not an offset such as +0100", p.value),
        )
    })
}

pub(super) fn parse_offset(v: &str) -> Option<i32> {
    let sign = match v.get(..1)? {
        "+" => 1,
        "-" => -1,
        _ => return None,
    };
    let digits = &v[1..];
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[0..2].parse().ok()?;
    let m: i32 = digits[2..4].parse().ok()?;
    let s: i32 = digits.get(4..6).map_or(Some(0), |x| x.parse().ok())?;
    Some(sign * (h * 3600 + m * 60 + s))
}

/// How a local time becomes an instant: an IANA zone, a zone defined in the file, or UTC.
#[derive(Clone)]
pub(super) enum Zone<'a> {
    Iana(TimeZone),
    Defined(&'a DefinedZone),
}

impl Zone<'_> {
    pub(super) fn instant(&self, dt: DateTime) -> Option<Timestamp> {
        match self {
            Zone::Iana(tz) => tz.to_ambiguous_timestamp(dt).compatible().ok(),
            Zone::Defined(z) => z.instant(dt),
        }
    }

    /// The local time of an instant, for EXDATE and RECURRENCE-ID values given in UTC.
    pub(super) fn local(&self, t: Timestamp) -> DateTime {
        match self {
            Zone::Iana(tz) => t.to_zoned_datetime(tz.clone()).datetime(),
            Zone::Defined(z) => {
                // The offset in force at `t`: that of the last onset at or before it, found by
                // a binary search over the onsets' instants (they are in order).
                let utc = t.to_zoned_datetime(TimeZone::UTC).datetime();
                let at = |o: &(DateTime, i32, i32)| {
                    o.0.checked_sub(SignedDuration::from_secs(i64::from(o.1)))
                        .unwrap_or(o.0)
                };
                let i = z.onsets.partition_point(|o| at(o) <= utc);
                let offset = match i {
                    0 => z.onsets.first().map_or(0, |o| o.1),
                    _ => z.onsets[i - 1].2,
                };
                utc.checked_add(SignedDuration::from_secs(i64::from(offset)))
                    .unwrap_or(utc)
            }
        }
    }
}

/// A DATE or DATE-TIME value with how to place it in time.
pub(super) struct When<'a> {
    pub(super) local: DateTime,
    pub(super) all_day: bool,
    pub(super) zone: Zone<'a>,
}

pub(super) struct Reader<'a> {
    pub(super) zones: HashMap<String, DefinedZone>,
    pub(super) default: &'a TimeZone,
}

impl Reader<'_> {
    pub(super) fn zone_of(&self, p: &Prop) -> Result<Option<Zone<'_>>, IcsError> {
        match p.param("TZID") {
            None => Ok(None),
            Some(name) => {
                if let Ok(tz) = TimeZone::get(name) {
                    return Ok(Some(Zone::Iana(tz)));
                }
                match self.zones.get(name) {
                    Some(z) => Ok(Some(Zone::Defined(z))),
                    None => err(
                        p.line,
                        format!(
                            "TZID {name:?} is neither an IANA zone nor defined by a VTIMEZONE in the file"
                        ),
                    ),
                }
            }
        }
    }

    /// A DTSTART-like value.
    pub(super) fn when(&self, p: &Prop) -> Result<When<'_>, IcsError> {
        let v = p.value.trim();
        let Some((local, utc)) = parse_ical_datetime(v) else {
            return err(
                p.line,
                format!(
                    "{} {v:?} is not a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS[Z])",
                    p.name
                ),
            );
        };
        let all_day = v.len() == 8 || p.param("VALUE") == Some("DATE");
        let zone = if utc {
            Zone::Iana(TimeZone::UTC)
        } else {
            match self.zone_of(p)? {
                Some(z) => z,
                None => Zone::Iana(self.default.clone()),
            }
        };
        Ok(When {
            local,
            all_day,
            zone,
        })
    }

    /// The local times in a list property (EXDATE, RDATE, RECURRENCE-ID), in `zone`.
    pub(super) fn locals(&self, p: &Prop, zone: &Zone<'_>) -> Result<Vec<DateTime>, IcsError> {
        let mut out = Vec::new();
        for v in p.value.split(',') {
            let item = Prop {
                value: v.to_string(),
                ..p.clone()
            };
            let w = self.when(&item)?;
            out.push(match w.zone.instant(w.local) {
                Some(t) if !w.all_day => zone.local(t),
                _ => w.local,
            });
        }
        Ok(out)
    }
}

/// A duration such as `PT1H30M`, `P1D`, `P2W`, `-PT15M`.
pub(super) fn parse_duration(v: &str) -> Option<SignedDuration> {
    let (sign, rest) = match v.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, v.strip_prefix('+').unwrap_or(v)),
    };
    let rest = rest.strip_prefix('P')?;
    let mut secs: i64 = 0;
    let mut number = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' if number.is_empty() && !in_time => in_time = true,
            'W' | 'D' | 'H' | 'M' | 'S' => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                any = true;
                let unit = match (c, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                secs = secs.checked_add(n.checked_mul(unit)?)?;
            }
            _ => return None,
        }
    }
    (any && number.is_empty()).then(|| SignedDuration::from_secs(sign * secs))
}
