//! Working time across DST changes, holidays and absences, by example and by property.

use frontdesk_core::Practice;
use frontdesk_core::working_time::{add_working_time, is_working, working_time_between};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

/// A member working 09:00-13:00 and 14:00-18:00 Monday to Friday, a colleague who covers,
/// and a night worker (00:00-04:00 on Sundays) whose window spans the night of a DST change.
fn practice(zone: &str) -> Practice {
    let file = format!(
        r#"
[practice]
name = "Clock"
currency = "EUR"
language = "en"

[[members]]
handle = "m"
name = "M"
email = "m@clock.example"
role = "owner"
time_zone = "{zone}"
hours.mon = ["09:00-13:00", "14:00-18:00"]
hours.tue = ["09:00-13:00", "14:00-18:00"]
hours.wed = ["09:00-13:00", "14:00-18:00"]
hours.thu = ["09:00-13:00", "14:00-18:00"]
hours.fri = ["09:00-13:00", "14:00-18:00"]
holidays = ["2026-12-25"]

[[members]]
handle = "c"
name = "C"
email = "c@clock.example"
role = "member"
time_zone = "{zone}"
hours.mon = ["09:00-17:00"]

[[members]]
handle = "night"
name = "N"
email = "n@clock.example"
role = "member"
time_zone = "{zone}"
hours.sun = ["00:00-04:00"]

[[absences]]
member = "m"
from = "2026-07-06"
until = "2026-07-10"
cover = "c"
"#
    );
    frontdesk_practice::parse(&file).unwrap()
}

fn due(zone: &str, from: &str, hours: f64) -> Timestamp {
    let p = practice(zone);
    let m = &p.members()[0];
    let amount = SignedDuration::from_secs((hours * 3600.0) as i64);
    add_working_time(&p, m, from.parse().unwrap(), amount).unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn due_keeps_wall_clock_hours_after_the_eu_spring_change() {
    // Fri 27 Mar 2026 17:00 CET; 2h: 17-18 Friday, then Monday 30 Mar (CEST) 09-10.
    assert_eq!(
        due("Europe/Madrid", "2026-03-27T17:00:00+01:00", 2.0),
        ts("2026-03-30T10:00:00+02:00")
    );
}

#[test]
fn due_keeps_wall_clock_hours_after_the_eu_autumn_change() {
    // Fri 23 Oct 2026 17:00 CEST; 2h: Friday 17-18, Monday 26 Oct (CET) 09-10.
    assert_eq!(
        due("Europe/Berlin", "2026-10-23T17:00:00+02:00", 2.0),
        ts("2026-10-26T10:00:00+01:00")
    );
}

#[test]
fn due_keeps_wall_clock_hours_across_the_us_changes() {
    // US spring forward Sun 8 Mar 2026, fall back Sun 1 Nov 2026.
    assert_eq!(
        due("America/New_York", "2026-03-06T17:30:00-05:00", 1.0),
        ts("2026-03-09T09:30:00-04:00")
    );
    assert_eq!(
        due("America/New_York", "2026-10-30T17:30:00-04:00", 1.0),
        ts("2026-11-02T09:30:00-05:00")
    );
}

#[test]
fn a_window_across_the_spring_gap_is_an_hour_shorter() {
    // Sunday 00:00-04:00 on 29 Mar 2026 in Madrid holds only 3 real hours (02:00 → 03:00).
    let p = practice("Europe/Madrid");
    let m = &p.members()[2];
    let from = ts("2026-03-29T00:00:00+01:00");
    let to = ts("2026-03-30T00:00:00+02:00");
    assert_eq!(
        working_time_between(&p, m, from, to),
        SignedDuration::from_hours(3)
    );
    assert_eq!(
        add_working_time(&p, m, from, SignedDuration::from_hours(3)).unwrap(),
        ts("2026-03-29T04:00:00+02:00")
    );
}

#[test]
fn a_window_across_the_autumn_fold_is_an_hour_longer() {
    // Sunday 00:00-04:00 on 25 Oct 2026 in Madrid holds 5 real hours (03:00 → 02:00).
    let p = practice("Europe/Madrid");
    let m = &p.members()[2];
    let from = ts("2026-10-25T00:00:00+02:00");
    let to = ts("2026-10-26T00:00:00+01:00");
    assert_eq!(
        working_time_between(&p, m, from, to),
        SignedDuration::from_hours(5)
    );
}

#[test]
fn holidays_are_skipped() {
    // Thu 24 Dec 17:00 + 2h: 17-18 Thursday, Friday 25 is a holiday, then Monday 28.
    assert_eq!(
        due("Europe/Madrid", "2026-12-24T17:00:00+01:00", 2.0),
        ts("2026-12-28T10:00:00+01:00")
    );
}

#[test]
fn absences_are_skipped() {
    // Absent Mon 6 to Fri 10 July: Friday 3 July 17:00 + 2h → Monday 13 July 10:00.
    assert_eq!(
        due("Europe/Madrid", "2026-07-03T17:00:00+02:00", 2.0),
        ts("2026-07-13T10:00:00+02:00")
    );
}

#[test]
fn lunch_breaks_are_not_working_time() {
    assert_eq!(
        due("Europe/Madrid", "2026-12-01T12:30:00+01:00", 1.0),
        ts("2026-12-01T14:30:00+01:00")
    );
    let p = practice("Europe/Madrid");
    assert!(!is_working(
        &p,
        &p.members()[0],
        ts("2026-12-01T13:30:00+01:00")
    ));
    assert!(is_working(
        &p,
        &p.members()[0],
        ts("2026-12-01T12:59:00+01:00")
    ));
    assert!(!is_working(
        &p,
        &p.members()[0],
        ts("2026-12-01T18:00:00+01:00")
    ));
}

const ZONES: [&str; 6] = [
    "Europe/Madrid",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
    "Pacific/Chatham",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Counting `amount` of working time forward and measuring it back gives `amount`, the due
    /// time is never before the start, and it falls at a moment of working time.
    #[test]
    fn due_is_consistent_with_measured_working_time(
        zone in 0..ZONES.len(),
        start in 1_767_225_600i64..1_798_761_600i64, // the whole of 2026
        minutes in 1i64..6000,
    ) {
        let p = practice(ZONES[zone]);
        let m = &p.members()[0];
        let from = Timestamp::from_second(start).unwrap();
        let amount = SignedDuration::from_mins(minutes);
        let due = add_working_time(&p, m, from, amount).unwrap();
        prop_assert!(due > from);
        prop_assert_eq!(working_time_between(&p, m, from, due), amount);
        let just_before = due - SignedDuration::from_secs(1);
        prop_assert!(is_working(&p, m, just_before));
    }

    /// More working time never gives an earlier due time.
    #[test]
    fn due_is_monotonic_in_the_amount(
        zone in 0..ZONES.len(),
        start in 1_767_225_600i64..1_798_761_600i64,
        a in 1i64..3000,
        b in 1i64..3000,
    ) {
        let p = practice(ZONES[zone]);
        let m = &p.members()[0];
        let from = Timestamp::from_second(start).unwrap();
        let (lo, hi) = (a.min(b), a.max(b));
        let d1 = add_working_time(&p, m, from, SignedDuration::from_mins(lo)).unwrap();
        let d2 = add_working_time(&p, m, from, SignedDuration::from_mins(hi)).unwrap();
        prop_assert!(d1 <= d2);
    }
}

#[test]
fn weeks_start_on_monday_and_local_days_follow_the_clock() {
    use frontdesk_core::working_time::{days_span, week_start};
    let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    assert_eq!(
        week_start(d("2026-12-06")),
        d("2026-11-30"),
        "Sunday belongs to Monday's week"
    );
    assert_eq!(week_start(d("2026-11-30")), d("2026-11-30"));
    let madrid = jiff::tz::TimeZone::get("Europe/Madrid").unwrap();
    // The day the clocks go forward has 23 hours.
    let (from, to) = days_span(&madrid, d("2026-03-29"), 1).unwrap();
    assert_eq!(from, ts("2026-03-28T23:00:00Z"));
    assert_eq!(
        from.duration_until(to),
        jiff::SignedDuration::from_hours(23)
    );
}
