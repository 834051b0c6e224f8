//! The RFC's own examples and the edge cases of expansion.

use super::expand::*;
use super::*;
use jiff::ToSpan;

fn local(s: &str) -> DateTime {
    s.parse().unwrap()
}

fn expand(rule: &str, start: &str, zone: &str, n: usize) -> Vec<String> {
    let tz = TimeZone::get(zone).unwrap();
    let rule = RRule::parse(rule).unwrap();
    let from: Timestamp = "1970-01-01T00:00:00Z".parse().unwrap();
    rule.occurrences(local(start), &tz, from)
        .take(n)
        .map(|ts| ts.to_zoned_datetime(tz.clone()).datetime().to_string())
        .collect()
}

#[test]
fn weekly_on_friday_repeats_every_seven_days() {
    assert_eq!(
        expand(
            "FREQ=WEEKLY;BYDAY=FR",
            "2026-01-09T10:00",
            "Europe/Madrid",
            3
        ),
        [
            "2026-01-09T10:00:00",
            "2026-01-16T10:00:00",
            "2026-01-23T10:00:00"
        ]
    );
}

#[test]
fn local_time_stays_the_same_across_dst() {
    // Europe switches on 2026-03-29: the wall-clock time stays 10:00.
    let tz = TimeZone::get("Europe/Madrid").unwrap();
    let rule = RRule::parse("FREQ=WEEKLY;BYDAY=FR").unwrap();
    let from: Timestamp = "2026-03-20T00:00:00Z".parse().unwrap();
    let utc: Vec<String> = rule
        .occurrences(local("2026-01-09T10:00"), &tz, from)
        .take(3)
        .map(|t| t.to_string())
        .collect();
    assert_eq!(
        utc,
        [
            "2026-03-20T09:00:00Z",
            "2026-03-27T09:00:00Z",
            "2026-04-03T08:00:00Z"
        ]
    );
}

#[test]
fn a_time_in_the_spring_gap_moves_forward_and_a_fold_takes_the_first() {
    // 2026-03-08 02:30 does not exist in New York; 2026-11-01 01:30 happens twice.
    assert_eq!(
        expand(
            "FREQ=DAILY;COUNT=2",
            "2026-03-07T02:30",
            "America/New_York",
            5
        ),
        ["2026-03-07T02:30:00", "2026-03-08T03:30:00"]
    );
    let tz = TimeZone::get("America/New_York").unwrap();
    let rule = RRule::parse("FREQ=DAILY;COUNT=1").unwrap();
    let first = rule
        .occurrences(local("2026-11-01T01:30"), &tz, Timestamp::UNIX_EPOCH)
        .next()
        .unwrap();
    assert_eq!(first.to_string(), "2026-11-01T05:30:00Z");
}

#[test]
fn hourly_through_a_gap_gives_each_instant_once() {
    // 02:00 does not exist on 2026-03-08 and is read as 03:00, which also comes next.
    let got = expand(
        "FREQ=HOURLY;COUNT=4",
        "2026-03-08T01:00",
        "America/New_York",
        9,
    );
    assert_eq!(
        got,
        [
            "2026-03-08T01:00:00",
            "2026-03-08T03:00:00",
            "2026-03-08T04:00:00"
        ]
    );
}

#[test]
fn until_is_inclusive() {
    assert_eq!(
        expand(
            "FREQ=DAILY;UNTIL=20260103T090000Z",
            "2026-01-01T09:00",
            "UTC",
            9
        )
        .len(),
        3
    );
    assert_eq!(
        expand("FREQ=DAILY;UNTIL=20260103", "2026-01-01T09:00", "UTC", 9).len(),
        3
    );
}

#[test]
fn a_rule_that_never_matches_ends() {
    let rule = RRule::parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30").unwrap();
    assert_eq!(rule.local(local("2026-01-01T09:00")).count(), 0);
    let rule = RRule::parse("FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30").unwrap();
    assert_eq!(rule.local(local("2026-01-01T09:00")).count(), 0);
}

#[test]
fn sub_daily_rules_skip_days_that_do_not_match() {
    let rule = RRule::parse("FREQ=MINUTELY;INTERVAL=30;BYDAY=TU;BYHOUR=9").unwrap();
    let got: Vec<String> = rule
        .local(local("2026-01-01T00:00"))
        .take(3)
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        got,
        [
            "2026-01-06T09:00:00",
            "2026-01-06T09:30:00",
            "2026-01-13T09:00:00"
        ]
    );
}

#[test]
fn epoch_day_arithmetic_agrees_with_jiff() {
    for year in (1600..2400).step_by(7) {
        let d = Date::new(year, 2, 27).unwrap();
        for n in -800..800 {
            let want = d.checked_add(n.days()).unwrap();
            assert_eq!(add_days(d, n), Some(want), "{d} + {n}");
            assert_eq!(epoch_days(want) - epoch_days(d), n);
        }
    }
}

#[test]
fn iso_week_numbers() {
    let d = |s: &str| s.parse::<Date>().unwrap();
    assert_eq!(week_number(d("2026-01-01"), Weekday::Monday), (1, 53));
    assert_eq!(week_number(d("2026-12-31"), Weekday::Monday), (53, 53));
    assert_eq!(week_number(d("2027-01-03"), Weekday::Monday), (53, 53));
    assert_eq!(week_number(d("2027-01-04"), Weekday::Monday), (1, 52));
    assert_eq!(week_number(d("2024-12-30"), Weekday::Monday), (1, 52));
}

#[test]
fn a_set_adds_rdates_and_removes_exdates() {
    let set = Recurrence {
        start: local("2026-01-05T10:00"),
        rules: vec![RRule::parse("FREQ=WEEKLY;COUNT=3").unwrap()],
        rdates: vec![local("2026-01-07T15:00")],
        exdates: vec![local("2026-01-12T10:00")],
    };
    let got: Vec<String> = set.local().map(|d| d.to_string()).collect();
    assert_eq!(
        got,
        [
            "2026-01-05T10:00:00",
            "2026-01-07T15:00:00",
            "2026-01-19T10:00:00"
        ]
    );
}

#[test]
fn unsupported_and_malformed_rules_are_refused() {
    for bad in [
        "",
        "FREQ=FORTNIGHTLY",
        "FREQ=WEEKLY;BYDAY=2MO",
        "FREQ=MONTHLY;BYDAY=0MO",
        "FREQ=MONTHLY;BYDAY=54MO",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;INTERVAL=0",
        "BYDAY=MO",
        "FREQ=WEEKLY;COUNT=2;UNTIL=20260101",
        "FREQ=WEEKLY;COUNT=2;COUNT=3",
        "FREQ=WEEKLY;BYMONTHDAY=1",
        "FREQ=MONTHLY;BYYEARDAY=1",
        "FREQ=MONTHLY;BYWEEKNO=1",
        "FREQ=MONTHLY;BYSETPOS=1",
        "FREQ=MONTHLY;BYMONTHDAY=32",
        "FREQ=MONTHLY;BYMONTHDAY=0",
        "FREQ=DAILY;BYHOUR=24",
        "FREQ=DAILY;UNTIL=2026-01-01",
        "FREQ=DAILY;FOO=1",
    ] {
        let e = RRule::parse(bad).expect_err(bad);
        assert_eq!(e.value, bad);
    }
    for good in [
        "FREQ=MONTHLY;BYDAY=-1FR",
        "freq=monthly;byday=+2mo",
        "RRULE:FREQ=YEARLY;BYWEEKNO=-1;BYDAY=MO",
        "FREQ=MONTHLY;BYMONTHDAY=-3",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    ] {
        RRule::parse(good).expect(good);
    }
}
