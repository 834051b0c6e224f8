//! iCalendar out (RFC 5545): a member's private feed, and an invitation per meeting.
//!
//! Standing calls are exported as one recurring VEVENT each — DTSTART with the owner's TZID and
//! a VTIMEZONE built from the zone's transitions, the RRULE, EXDATE for cancelled occurrences,
//! and an overriding VEVENT (RECURRENCE-ID) for each moved one — so calendar programs expand
//! the same occurrences as the agenda. Booked and ad-hoc meetings are single VEVENTs in UTC,
//! with STATUS:CANCELLED once cancelled and SEQUENCE counting their changes.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::agenda::{Meeting, MeetingKind, MeetingStatus};
use crate::{Client, End, Member, Practice};

/// Lines of an iCalendar object: CRLF endings, long lines folded at 75 octets.
#[derive(Default)]
struct Lines {
    out: String,
}

impl Lines {
    fn line(&mut self, text: &str) {
        let mut width = 0;
        for c in text.chars() {
            let len = c.len_utf8();
            if width + len > 75 {
                self.out.push_str("\r\n ");
                width = 1;
            }
            self.out.push(c);
            width += len;
        }
        self.out.push_str("\r\n");
    }

    fn prop(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }
}

/// A TEXT value with `\`, `;`, `,` and newlines escaped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn local(dt: DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

fn local_of(t: Timestamp, tz: &TimeZone) -> String {
    local(t.to_zoned_datetime(tz.clone()).datetime())
}

fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// A VTIMEZONE for `tz` with every transition in `[from, to]`, and the observance in force at
/// `from`, so that any local time in the range resolves as the IANA zone says.
fn vtimezone(lines: &mut Lines, name: &str, tz: &TimeZone, from: Timestamp, to: Timestamp) {
    lines.prop("BEGIN", "VTIMEZONE");
    lines.prop("TZID", name);
    let first = tz.to_offset_info(from);
    let observance =
        |lines: &mut Lines, dst: bool, start: DateTime, before: i32, after: i32, abbr: &str| {
            let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
            lines.prop("BEGIN", kind);
            lines.prop("DTSTART", &local(start));
            lines.prop("TZOFFSETFROM", &offset(before));
            lines.prop("TZOFFSETTO", &offset(after));
            if !abbr.is_empty() {
                lines.prop("TZNAME", &text(abbr));
            }
            lines.prop("END", kind);
        };
    let start = from.to_zoned_datetime(tz.clone()).datetime();
    let at_from = first.offset().seconds();
    observance(
        lines,
        first.dst().is_dst(),
        start,
        at_from,
        at_from,
        first.abbreviation(),
    );
    for t in tz.following(from) {
        if t.timestamp() > to {
            break;
        }
        let Ok(just_before) = t.timestamp().checked_sub(SignedDuration::from_secs(1)) else {
            continue;
        };
        let before = tz.to_offset(just_before).seconds();
        let after = t.offset().seconds();
        // The onset in the local time before the change, as RFC 5545 3.6.5 asks.
        let onset = t
            .timestamp()
            .to_zoned_datetime(TimeZone::fixed(
                jiff::tz::Offset::from_seconds(before).unwrap_or(jiff::tz::Offset::UTC),
            ))
            .datetime();
        observance(
            lines,
            t.dst().is_dst(),
            onset,
            before,
            after,
            t.abbreviation(),
        );
    }
    lines.prop("END", "VTIMEZONE");
}

/// The rule as iCalendar wants it next to a DTSTART with a TZID: an UNTIL in local time is
/// turned into UTC (RFC 5545 3.3.10).
fn rrule_for_export(rule: &crate::RRule, tz: &TimeZone) -> String {
    let text = rule.as_str().trim();
    let text = text
        .get(..6)
        .filter(|p| p.eq_ignore_ascii_case("RRULE:"))
        .map_or(text, |_| &text[6..]);
    match rule.end() {
        End::UntilLocal(until) => {
            let at = tz
                .to_ambiguous_timestamp(until)
                .compatible()
                .unwrap_or(Timestamp::MAX);
            text.split(';')
                .map(|part| {
                    if part.to_ascii_uppercase().starts_with("UNTIL=") {
                        format!("UNTIL={}", utc(at))
                    } else {
                        part.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(";")
        }
        _ => text.to_string(),
    }
}

/// A name for the practice usable inside UIDs.
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.trim_matches('-').to_string()
}

/// The UID of a client's standing call.
pub fn standing_uid(practice: &Practice, client: &Client) -> String {
    format!(
        "standing-{}@{}.frontdesk",
        client.handle,
        slug(&practice.settings().name)
    )
}

/// The UID of a stored meeting.
pub fn meeting_uid(practice: &Practice, id: i64) -> String {
    format!("meeting-{id}@{}.frontdesk", slug(&practice.settings().name))
}

fn header(lines: &mut Lines, practice: &Practice, method: Option<&str>, name: &str) {
    lines.prop("BEGIN", "VCALENDAR");
    lines.prop("VERSION", "2.0");
    lines.prop("PRODID", "-//frontdesk//frontdesk//EN");
    lines.prop("CALSCALE", "GREGORIAN");
    if let Some(m) = method {
        lines.prop("METHOD", m);
    }
    lines.prop(
        "X-WR-CALNAME",
        &text(&format!("{} — {name}", practice.settings().name)),
    );
}

fn summary(practice: &Practice, m: &Meeting) -> String {
    let client = practice
        .client(&m.client)
        .map_or(m.client.as_str(), |c| c.name.as_str());
    match m.kind {
        MeetingKind::Standing => format!("Standing call: {client}"),
        MeetingKind::Booked => format!("Booked call: {client}"),
        MeetingKind::Adhoc => format!("Meeting: {client}"),
    }
}

/// The opening of a single meeting's VEVENT: who it is, when, and its version.
fn single_event_head(
    lines: &mut Lines,
    practice: &Practice,
    id: i64,
    m: &Meeting,
    title: &str,
    now: Timestamp,
) {
    lines.prop("BEGIN", "VEVENT");
    lines.prop("UID", &meeting_uid(practice, id));
    lines.prop("DTSTAMP", &utc(now));
    lines.prop("SEQUENCE", &m.sequence.to_string());
    lines.prop("DTSTART", &utc(m.start));
    lines.prop("DTEND", &utc(m.end()));
    lines.prop("SUMMARY", &text(title));
}

/// A single (not recurring) meeting as a VEVENT in UTC.
fn single_event(lines: &mut Lines, practice: &Practice, id: i64, m: &Meeting, now: Timestamp) {
    single_event_head(lines, practice, id, m, &summary(practice, m), now);
    let status = if m.status == MeetingStatus::Cancelled {
        "CANCELLED"
    } else {
        "CONFIRMED"
    };
    lines.prop("STATUS", status);
    lines.prop("END", "VEVENT");
}

/// The member's feed: the standing calls of the clients they own, and their booked and ad-hoc
/// meetings in `stored` (with every stored change to those standing calls).
pub fn feed(
    practice: &Practice,
    member: &Member,
    stored: &[(i64, Meeting)],
    now: Timestamp,
) -> String {
    let mut lines = Lines::default();
    header(&mut lines, practice, None, &member.name);
    let tz = member.zone.tz();
    let tzid = member.zone.to_string();
    let clients: Vec<&Client> = practice
        .clients()
        .iter()
        .filter(|c| c.owner == member.handle && c.terms.standing_call.is_some())
        .collect();
    if !clients.is_empty() {
        let earliest = clients
            .iter()
            .filter_map(|c| c.terms.standing_call.as_ref())
            .filter_map(|s| tz.to_ambiguous_timestamp(s.starts).compatible().ok())
            .min()
            .unwrap_or(now);
        let from = earliest
            .min(now)
            .checked_sub(SignedDuration::from_hours(24 * 400))
            .unwrap_or(Timestamp::MIN);
        let to = now
            .max(earliest)
            .checked_add(SignedDuration::from_hours(24 * 366 * 10))
            .unwrap_or(Timestamp::MAX);
        vtimezone(&mut lines, &tzid, tz, from, to);
    }
    for client in clients {
        let call = client.terms.standing_call.as_ref().expect("filtered");
        let changes: Vec<&(i64, Meeting)> = stored
            .iter()
            .filter(|(_, m)| m.client == client.handle && m.kind == MeetingKind::Standing)
            .collect();
        let uid = standing_uid(practice, client);
        let sequence: u32 = changes.iter().map(|(_, m)| m.sequence + 1).sum();
        let template = Meeting {
            client: client.handle.clone(),
            member: member.handle.clone(),
            kind: MeetingKind::Standing,
            original: None,
            start: now,
            minutes: call.minutes,
            status: MeetingStatus::Scheduled,
            held_minutes: None,
            cancelled_at: None,
            late: false,
            sequence: 0,
        };
        lines.prop("BEGIN", "VEVENT");
        lines.prop("UID", &uid);
        lines.prop("DTSTAMP", &utc(now));
        lines.prop("SEQUENCE", &sequence.to_string());
        lines.line(&format!("DTSTART;TZID={tzid}:{}", local(call.starts)));
        lines.prop("DURATION", &format!("PT{}M", call.minutes));
        lines.prop("RRULE", &rrule_for_export(&call.rule, tz));
        let mut cancelled: Vec<Timestamp> = changes
            .iter()
            .filter(|(_, m)| m.status == MeetingStatus::Cancelled)
            .filter_map(|(_, m)| m.original)
            .collect();
        cancelled.sort();
        for original in cancelled {
            lines.line(&format!("EXDATE;TZID={tzid}:{}", local_of(original, tz)));
        }
        lines.prop("SUMMARY", &text(&summary(practice, &template)));
        lines.prop("STATUS", "CONFIRMED");
        lines.prop("END", "VEVENT");
        // Moved occurrences override the rule's one (RECURRENCE-ID).
        for (_, m) in changes
            .iter()
            .filter(|(_, m)| m.moved() && m.status != MeetingStatus::Cancelled)
        {
            let original = m.original.expect("moved has an original");
            lines.prop("BEGIN", "VEVENT");
            lines.prop("UID", &uid);
            lines.prop("DTSTAMP", &utc(now));
            lines.prop("SEQUENCE", &sequence.to_string());
            lines.line(&format!(
                "RECURRENCE-ID;TZID={tzid}:{}",
                local_of(original, tz)
            ));
            lines.line(&format!("DTSTART;TZID={tzid}:{}", local_of(m.start, tz)));
            lines.prop("DURATION", &format!("PT{}M", m.minutes));
            lines.prop("SUMMARY", &text(&summary(practice, m)));
            lines.prop("STATUS", "CONFIRMED");
            lines.prop("END", "VEVENT");
        }
    }
    for (id, m) in stored {
        if m.kind != MeetingKind::Standing && m.member == member.handle {
            single_event(&mut lines, practice, *id, m, now);
        }
    }
    lines.prop("END", "VCALENDAR");
    lines.out
}

/// An invitation for one stored meeting: METHOD:REQUEST, or METHOD:CANCEL once cancelled,
/// with the member as organizer and the client's people as attendees.
pub fn invitation(practice: &Practice, id: i64, m: &Meeting, now: Timestamp) -> String {
    let people: Vec<(&str, &str)> = practice
        .client(&m.client)
        .map(|c| {
            c.people
                .iter()
                .filter_map(|p| Some((p.name.as_str(), p.email.as_deref()?)))
                .collect()
        })
        .unwrap_or_default();
    invitation_with(practice, id, m, &summary(practice, m), None, &people, now)
}

/// The invitation a client who booked on the booking page gets: titled in the client's
/// language, with the booker as the attendee.
pub fn booking_invitation(
    practice: &Practice,
    client: &crate::Client,
    id: i64,
    m: &Meeting,
    booker: &crate::booking::Booker,
    now: Timestamp,
) -> String {
    let title = crate::booking::title(practice, client);
    let topic = format!("{title}: {}", booker.topic);
    // The topic goes in the description, so the member's and the client's calendars show it.
    invitation_with(
        practice,
        id,
        m,
        &title,
        Some(&topic),
        &[(booker.name.as_str(), booker.email.as_str())],
        now,
    )
}

fn invitation_with(
    practice: &Practice,
    id: i64,
    m: &Meeting,
    title: &str,
    description: Option<&str>,
    attendees: &[(&str, &str)],
    now: Timestamp,
) -> String {
    let mut lines = Lines::default();
    let cancelled = m.status == MeetingStatus::Cancelled;
    header(
        &mut lines,
        practice,
        Some(if cancelled { "CANCEL" } else { "REQUEST" }),
        title,
    );
    single_event_head(&mut lines, practice, id, m, title, now);
    if let Some(d) = description {
        lines.prop("DESCRIPTION", &text(d));
    }
    if let Some(member) = practice.member(&m.member) {
        lines.line(&format!(
            "ORGANIZER;CN={}:mailto:{}",
            param(&member.name),
            member.email
        ));
    }
    for (name, email) in attendees {
        lines.line(&format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{email}",
            param(name),
        ));
    }
    lines.prop("STATUS", if cancelled { "CANCELLED" } else { "CONFIRMED" });
    lines.prop("END", "VEVENT");
    lines.prop("END", "VCALENDAR");
    lines.out
}

/// A parameter value, quoted when it holds characters that need it.
fn param(value: &str) -> String {
    let clean: String = value.chars().filter(|c| *c != '"').collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_folded_at_75_octets_without_splitting_characters() {
        let mut l = Lines::default();
        l.prop("SUMMARY", &"é".repeat(60));
        for line in l.out.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = l.out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn offsets_are_signed_hhmm() {
        assert_eq!(offset(3600), "+0100");
        assert_eq!(offset(-5 * 3600), "-0500");
        assert_eq!(offset(19800), "+0530");
    }
}
