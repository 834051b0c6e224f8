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
use crate::{RRule, Recurrence, parse_ical_datetime};

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

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, IcsError> {
    Err(IcsError {
        line,
        message: message.into(),
    })
}

/// One content line: `NAME;PARAM=VALUE:value`.
#[derive(Debug, Clone)]
struct Prop {
    line: usize,
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Prop {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
struct Component {
    name: String,
    line: usize,
    props: Vec<Prop>,
    children: Vec<Component>,
}

impl Component {
    fn get(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Prop> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }
}

/// Unfolds and splits the text into content lines, with their line numbers.
fn content_lines(text: &str) -> Result<Vec<Prop>, IcsError> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            match logical.last_mut() {
                Some((_, l)) => l.push_str(rest),
                None => return err(i + 1, "a continuation line before any content line"),
            }
        } else if !raw.is_empty() {
            logical.push((i + 1, raw.to_string()));
        }
    }
    logical
        .into_iter()
        .map(|(line, l)| parse_line(line, &l))
        .collect()
}

fn parse_line(line: usize, text: &str) -> Result<Prop, IcsError> {
    // The value starts at the first colon outside a quoted parameter value.
    let mut quoted = false;
    let mut colon = None;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(colon) = colon else {
        return err(line, format!("{text:?} is not NAME:VALUE"));
    };
    let (head, value) = (&text[..colon], &text[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next().unwrap_or("").trim().to_ascii_uppercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return err(line, format!("{name:?} is not a property name"));
    }
    let mut params = Vec::new();
    for p in parts {
        let Some((k, v)) = p.split_once('=') else {
            return err(line, format!("parameter {p:?} is not NAME=VALUE"));
        };
        params.push((
            k.trim().to_ascii_uppercase(),
            v.trim_matches('"').to_string(),
        ));
    }
    Ok(Prop {
        line,
        name,
        params,
        value: value.to_string(),
    })
}

fn components(props: Vec<Prop>) -> Result<Component, IcsError> {
    let mut stack: Vec<Component> = vec![Component::default()];
    for p in props {
        match p.name.as_str() {
            "BEGIN" => stack.push(Component {
                name: p.value.trim().to_ascii_uppercase(),
                line: p.line,
                ..Component::default()
            }),
            "END" => {
                let name = p.value.trim().to_ascii_uppercase();
                if stack.len() < 2 || stack.last().is_some_and(|c| c.name != name) {
                    let open = stack.last().map(|c| c.name.clone()).unwrap_or_default();
                    return err(p.line, format!("END:{name} does not close BEGIN:{open}"));
                }
                let done = stack.pop().expect("checked");
                stack.last_mut().expect("root").children.push(done);
            }
            _ => {
                if stack.len() < 2 {
                    return err(p.line, format!("{} outside any component", p.name));
                }
                stack.last_mut().expect("checked").props.push(p);
            }
        }
    }
    if stack.len() > 1 {
        let open = stack.last().expect("checked");
        return err(open.line, format!("BEGIN:{} is never closed", open.name));
    }
    let root = stack.pop().expect("root");
    if !root.children.iter().any(|c| c.name == "VCALENDAR") {
        return err(1, "no BEGIN:VCALENDAR");
    }
    Ok(root)
}

/// A zone from a VTIMEZONE definition: its onsets, each with the offset before and after.
#[derive(Debug, Clone)]
struct DefinedZone {
    /// (onset as a local time in the offset before it, offset before, offset after), sorted.
    onsets: Vec<(DateTime, i32, i32)>,
}

impl DefinedZone {
    fn parse(c: &Component, until_year: i16) -> Result<DefinedZone, IcsError> {
        let mut onsets = Vec::new();
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
            onsets.push((dt, from, to));
            for r in obs.all("RRULE") {
                let rule = RRule::parse(r.value.trim()).map_err(|e| IcsError {
                    line: r.line,
                    message: e.to_string(),
                })?;
                let before = onsets.len();
                onsets.extend(
                    rule.local(dt)
                        .take_while(|d| d.year() <= until_year)
                        .take(MAX_ONSETS + 1)
                        .map(|d| (d, from, to)),
                );
                if onsets.len() - before > MAX_ONSETS {
                    return err(
                        r.line,
                        format!(
                            "this time zone rule changes the offset more than {MAX_ONSETS} times; a zone changes it a few times a year"
                        ),
                    );
                }
            }
            for r in obs.all("RDATE") {
                for v in r.value.split(',') {
                    if let Some((d, _)) = parse_ical_datetime(v.trim()) {
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
    fn instant(&self, dt: DateTime) -> Option<Timestamp> {
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

fn offset_prop(c: &Component, name: &str) -> Result<i32, IcsError> {
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

fn parse_offset(v: &str) -> Option<i32> {
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
enum Zone<'a> {
    Iana(TimeZone),
    Defined(&'a DefinedZone),
}

impl Zone<'_> {
    fn instant(&self, dt: DateTime) -> Option<Timestamp> {
        match self {
            Zone::Iana(tz) => tz.to_ambiguous_timestamp(dt).compatible().ok(),
            Zone::Defined(z) => z.instant(dt),
        }
    }

    /// The local time of an instant, for EXDATE and RECURRENCE-ID values given in UTC.
    fn local(&self, t: Timestamp) -> DateTime {
        match self {
            Zone::Iana(tz) => t.to_zoned_datetime(tz.clone()).datetime(),
            Zone::Defined(z) => {
                // The offset in force: try each onset's offset until one maps back.
                let utc = t.to_zoned_datetime(TimeZone::UTC).datetime();
                for (_, before, after) in z.onsets.iter().rev() {
                    for off in [*after, *before] {
                        let dt = utc
                            .checked_add(SignedDuration::from_secs(i64::from(off)))
                            .unwrap_or(utc);
                        if z.instant(dt) == Some(t) {
                            return dt;
                        }
                    }
                }
                utc
            }
        }
    }
}

/// A DATE or DATE-TIME value with how to place it in time.
struct When<'a> {
    local: DateTime,
    all_day: bool,
    zone: Zone<'a>,
}

struct Reader<'a> {
    zones: HashMap<String, DefinedZone>,
    default: &'a TimeZone,
}

impl Reader<'_> {
    fn zone_of(&self, p: &Prop) -> Result<Option<Zone<'_>>, IcsError> {
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
    fn when(&self, p: &Prop) -> Result<When<'_>, IcsError> {
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
    fn locals(&self, p: &Prop, zone: &Zone<'_>) -> Result<Vec<DateTime>, IcsError> {
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
fn parse_duration(v: &str) -> Option<SignedDuration> {
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
    let mut onsets = 0usize;
    for cal in &calendars {
        for tz in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
            let id = tz
                .get("TZID")
                .ok_or(())
                .or_else(|_| err(tz.line, "VTIMEZONE without TZID"))?;
            let zone = DefinedZone::parse(tz, until_year)?;
            onsets += zone.onsets.len();
            if onsets > 10 * MAX_ONSETS {
                return err(
                    tz.line,
                    format!(
                        "the calendar's time zones change their offsets more than {} times",
                        10 * MAX_ONSETS
                    ),
                );
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("PT1H30M"),
            Some(SignedDuration::from_mins(90))
        );
        assert_eq!(parse_duration("P1D"), Some(SignedDuration::from_hours(24)));
        assert_eq!(
            parse_duration("P2W"),
            Some(SignedDuration::from_hours(24 * 14))
        );
        assert_eq!(
            parse_duration("-PT15M"),
            Some(SignedDuration::from_mins(-15))
        );
        assert_eq!(parse_duration("PT"), None);
        assert_eq!(parse_duration("P1H"), None);
        assert_eq!(parse_duration("1H"), None);
        // Numbers too large for the time types are no duration, not a panic.
        assert_eq!(parse_duration("P99999999999999999W"), None);
        assert_eq!(parse_duration("P9999999999999999D"), None);
    }

    fn cal(body: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n",
            body.replace('\n', "\r\n")
        )
    }

    fn year() -> (Timestamp, Timestamp) {
        (
            "2026-11-26T00:00:00Z".parse().unwrap(),
            "2027-11-26T00:00:00Z".parse().unwrap(),
        )
    }

    #[test]
    fn a_time_zone_that_changes_every_second_since_1601_is_refused_naming_its_rule() {
        let ics = cal(
            "BEGIN:VTIMEZONE\nTZID:Bomb\nBEGIN:STANDARD\nDTSTART:16010101T000000\nRRULE:FREQ=SECONDLY\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:a\nDTSTART;TZID=Bomb:20261201T100000\nEND:VEVENT\n",
        );
        let (from, to) = year();
        let e = busy_times(&ics, &TimeZone::UTC, from, to).unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.contains("changes the offset more than"), "{e}");
    }

    #[test]
    fn an_event_every_second_forever_is_refused_naming_its_start() {
        let ics =
            cal("BEGIN:VEVENT\nUID:a\nDTSTART:20261201T100000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\n");
        let (from, to) = year();
        let e = busy_times(&ics, &TimeZone::UTC, from, to).unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("repeats more than"), "{e}");
        // Started in 1601 it is refused as quickly: the expansion jumps to the window.
        let old = ics.replace("20261201T100000Z", "16010101T000000Z");
        assert!(busy_times(&old, &TimeZone::UTC, from, to).is_err());
    }

    #[test]
    fn a_weekly_meeting_since_1990_is_read_without_walking_from_1990() {
        let ics = cal(
            "BEGIN:VEVENT\nUID:a\nDTSTART:19900101T100000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY\nEND:VEVENT\n",
        );
        let (from, to) = year();
        let busy = busy_times(&ics, &TimeZone::UTC, from, to).unwrap();
        assert_eq!(busy.len(), 365);
    }

    #[test]
    fn an_until_in_utc_ends_a_series_whose_start_has_a_zone() {
        // What Google and Outlook export for an ended series (RFC 5545 requires UTC here).
        let ics = cal(
            "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Madrid:20261202T100000\nDTEND;TZID=Europe/Madrid:20261202T110000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T225959Z\nEND:VEVENT\n",
        );
        let (from, to) = year();
        let busy = busy_times(&ics, &TimeZone::UTC, from, to).unwrap();
        // 2, 7, 9, 14, 16, 21, 23, 28 and 30 December.
        assert_eq!(busy.len(), 9, "{busy:?}");
        // The same through a zone the file defines.
        let defined = ics.replace("Europe/Madrid", "Madrid").replace(
            "BEGIN:VEVENT",
            "BEGIN:VTIMEZONE\r\nTZID:Madrid\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT",
        );
        assert_eq!(
            busy_times(&defined, &TimeZone::UTC, from, to)
                .unwrap()
                .len(),
            9
        );
    }

    #[test]
    fn overlapping_and_touching_busy_times_become_one_stretch() {
        let ics = cal(
            "BEGIN:VEVENT\nUID:a\nDTSTART:20261201T100000Z\nDTEND:20261201T110000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART:20261201T103000Z\nDTEND:20261201T120000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:c\nDTSTART:20261201T120000Z\nDTEND:20261201T123000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:d\nDTSTART:20261201T150000Z\nDTEND:20261201T160000Z\nEND:VEVENT\n",
        );
        let (from, to) = year();
        let busy = busy_times(&ics, &TimeZone::UTC, from, to).unwrap();
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(
            busy,
            [
                Busy {
                    start: t("2026-12-01T10:00:00Z"),
                    end: t("2026-12-01T12:30:00Z")
                },
                Busy {
                    start: t("2026-12-01T15:00:00Z"),
                    end: t("2026-12-01T16:00:00Z")
                },
            ]
        );
        // An event every minute lasting a minute, for a day, is one stretch.
        let minutely = cal(
            "BEGIN:VEVENT\nUID:a\nDTSTART:20261201T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY;COUNT=1440\nEND:VEVENT\n",
        );
        assert_eq!(
            busy_times(&minutely, &TimeZone::UTC, from, to)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn an_event_longer_than_time_itself_is_busy_to_the_end_of_the_window() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261201T100000Z\r\nDURATION:P1000000000W\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let from: Timestamp = "2026-11-30T00:00:00Z".parse().unwrap();
        let to: Timestamp = "2026-12-31T00:00:00Z".parse().unwrap();
        let busy = busy_times(ics, &TimeZone::UTC, from, to).unwrap();
        assert_eq!(busy.len(), 1);
        assert_eq!(busy[0].end, to);
        let all_day = ics.replace("DTSTART:20261201T100000Z", "DTSTART;VALUE=DATE:20261201");
        let busy = busy_times(&all_day, &TimeZone::UTC, from, to).unwrap();
        assert_eq!(busy.len(), 1, "{busy:?}");
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+0100"), Some(3600));
        assert_eq!(parse_offset("-0430"), Some(-16_200));
        assert_eq!(parse_offset("0100"), None);
    }
}
