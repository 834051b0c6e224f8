//! Durations, offsets and hostile calendars.

use super::zones::*;
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

#[test]
fn components_nested_deeper_than_a_calendar_goes_are_refused() {
    let mut body = String::from("BEGIN:VCALENDAR\r\n");
    for _ in 0..50_000 {
        body += "BEGIN:X\r\n";
    }
    for _ in 0..50_000 {
        body += "END:X\r\n";
    }
    body += "END:VCALENDAR\r\n";
    let (from, to) = year();
    let e = busy_times(&body, &TimeZone::UTC, from, to).unwrap_err();
    assert_eq!(e.line, 9, "{e}");
    assert!(e.message.contains("nested"), "{e}");
}

#[test]
fn a_rule_that_never_fires_within_its_periods_ends_instead_of_walking_400_years() {
    // Every other second from an even one, on second 1: never. And second 60: refused.
    let ics = cal(
        "BEGIN:VEVENT\nUID:a\nDTSTART:20261201T100000Z\nDURATION:PT1S\nRRULE:FREQ=SECONDLY;INTERVAL=2;BYSECOND=1\nEND:VEVENT\n",
    );
    let (from, to) = year();
    let busy = busy_times(&ics, &TimeZone::UTC, from, to).unwrap();
    assert_eq!(busy.len(), 1, "DTSTART only: {busy:?}");
    let leap = ics.replace("INTERVAL=2;BYSECOND=1", "BYSECOND=60");
    let e = busy_times(&leap, &TimeZone::UTC, from, to).unwrap_err();
    assert_eq!(e.line, 6, "{e}");
}

#[test]
fn many_time_zone_blocks_cannot_add_up_to_millions_of_onsets() {
    let mut body = String::from("BEGIN:VTIMEZONE\nTZID:Many\n");
    for i in 0..1_000 {
        body += &format!(
            "BEGIN:STANDARD\nDTSTART:19{:02}0101T000000\nRRULE:FREQ=MINUTELY;COUNT=10000\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0100\nEND:STANDARD\n",
            i % 100
        );
    }
    body += "END:VTIMEZONE\n";
    let (from, to) = year();
    let e = busy_times(&cal(&body), &TimeZone::UTC, from, to).unwrap_err();
    assert!(e.message.contains("more than 100000 times"), "{e}");
}
