//! Recurrence rules against the examples of RFC 5545 section 3.8.5.3 (in
//! `tests/data/rfc5545_rrule_examples.txt`, local times in America/New_York) and property tests
//! against a brute-force oracle.

use frontdesk_core::{RRule, Recurrence, parse_ical_datetime};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use proptest::prelude::*;

struct Example {
    title: String,
    start: DateTime,
    rule: String,
    rdates: Vec<DateTime>,
    exdates: Vec<DateTime>,
    expect: Vec<DateTime>,
    /// Compare only the first this many (the rule goes on for ever).
    limit: Option<usize>,
}

fn local(value: &str) -> DateTime {
    let (dt, utc) = parse_ical_datetime(value).unwrap_or_else(|| panic!("bad date {value:?}"));
    assert!(!utc, "{value}: the examples are local times");
    dt
}

fn list(value: &str) -> Vec<DateTime> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(local)
        .collect()
}

fn examples() -> Vec<Example> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/rfc5545_rrule_examples.txt"
    );
    let text = std::fs::read_to_string(path).expect("examples file");
    let mut out = Vec::new();
    for block in text.split("\n\n").filter(|b| b.contains("RRULE:")) {
        let mut e = Example {
            title: String::new(),
            start: DateTime::default(),
            rule: String::new(),
            rdates: Vec::new(),
            exdates: Vec::new(),
            expect: Vec::new(),
            limit: None,
        };
        for line in block.lines().map(str::trim) {
            if let Some(t) = line.strip_prefix('#') {
                e.title.push_str(t.trim());
            } else if let Some(v) = line.strip_prefix("DTSTART:") {
                e.start = local(v);
            } else if let Some(v) = line.strip_prefix("RRULE:") {
                e.rule = v.to_string();
            } else if let Some(v) = line.strip_prefix("RDATE:") {
                e.rdates = list(v);
            } else if let Some(v) = line.strip_prefix("EXDATE:") {
                e.exdates = list(v);
            } else if let Some(v) = line.strip_prefix("EXPECT:") {
                e.expect = list(v);
            } else if let Some(v) = line.strip_prefix("LIMIT:") {
                e.limit = Some(v.trim().parse().expect("LIMIT is a number"));
            }
        }
        out.push(e);
    }
    out
}

#[test]
fn the_examples_of_rfc_5545_expand_as_the_rfc_lists_them() {
    let tz = TimeZone::get("America/New_York").unwrap();
    let examples = examples();
    assert!(examples.len() >= 35, "only {} examples", examples.len());
    let mut failures = Vec::new();
    for e in &examples {
        let rule = match RRule::parse(&e.rule) {
            Ok(rule) => rule,
            Err(err) => {
                failures.push(format!("{}: {err}", e.title));
                continue;
            }
        };
        let set = Recurrence {
            start: e.start,
            rules: vec![rule],
            rdates: e.rdates.clone(),
            exdates: e.exdates.clone(),
        };
        // One more than expected, so that an extra occurrence fails too.
        let take = e.limit.unwrap_or(e.expect.len() + 1);
        let got: Vec<DateTime> = set
            .occurrences(&tz, Timestamp::MIN)
            .take(take)
            .map(|t| t.to_zoned_datetime(tz.clone()).datetime())
            .collect();
        let want = &e.expect[..e.limit.unwrap_or(e.expect.len()).min(e.expect.len())];
        if got != want {
            failures.push(format!(
                "{} ({})\n  want {:?}\n  got  {:?}",
                e.title,
                e.rule,
                want.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                got.iter().map(|d| d.to_string()).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const DAYS: [(&str, Weekday); 7] = [
    ("MO", Weekday::Monday),
    ("TU", Weekday::Tuesday),
    ("WE", Weekday::Wednesday),
    ("TH", Weekday::Thursday),
    ("FR", Weekday::Friday),
    ("SA", Weekday::Saturday),
    ("SU", Weekday::Sunday),
];

/// A rule made of plain filters, which any frequency must expand to the same days.
#[derive(Clone, Debug)]
struct Filters {
    months: Vec<i8>,
    days: Vec<usize>,
    month_days: Vec<i8>,
}

impl Filters {
    fn parts(&self) -> String {
        let mut parts = Vec::new();
        if !self.months.is_empty() {
            parts.push(format!("BYMONTH={}", join(&self.months)));
        }
        if !self.days.is_empty() {
            let codes: Vec<&str> = self.days.iter().map(|d| DAYS[*d].0).collect();
            parts.push(format!("BYDAY={}", codes.join(",")));
        }
        if !self.month_days.is_empty() {
            parts.push(format!("BYMONTHDAY={}", join(&self.month_days)));
        }
        parts.join(";")
    }

    fn accepts(&self, d: Date) -> bool {
        (self.months.is_empty() || self.months.contains(&d.month()))
            && (self.days.is_empty() || self.days.iter().any(|i| DAYS[*i].1 == d.weekday()))
            && (self.month_days.is_empty()
                || self
                    .month_days
                    .iter()
                    .any(|&n| n == d.day() || n == d.day() - d.days_in_month() - 1))
    }
}

fn join(values: &[i8]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn filters() -> impl Strategy<Value = Filters> {
    (
        prop::collection::vec(1i8..=12, 0..4),
        prop::collection::vec(0usize..7, 0..4),
        prop::collection::vec(prop_oneof![1i8..=31, -31i8..=-1], 0..3),
    )
        .prop_map(|(mut months, mut days, mut month_days)| {
            months.sort();
            months.dedup();
            days.sort();
            days.dedup();
            month_days.sort();
            month_days.dedup();
            Filters {
                months,
                days,
                month_days,
            }
        })
        .prop_filter("at least one day part", |f| {
            !f.days.is_empty() || !f.month_days.is_empty()
        })
}

fn start() -> impl Strategy<Value = DateTime> {
    (1995i16..2035, 1i8..=12, 1i8..=28, 0i8..24, 0i8..4)
        .prop_map(|(y, m, d, h, q)| Date::new(y, m, d).unwrap().at(h, q * 15, 0, 0))
}

fn expand(rule: &str, start: DateTime, until: Date) -> Vec<DateTime> {
    RRule::parse(rule)
        .unwrap_or_else(|e| panic!("{rule}: {e}"))
        .local(start)
        .take_while(|d| d.date() <= until)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// DAILY, WEEKLY, MONTHLY and YEARLY with the same plain day filters give exactly the days a
    /// brute-force walk over the calendar accepts, at DTSTART's time.
    #[test]
    fn every_frequency_gives_the_days_the_filters_accept(f in filters(), start in start()) {
        let until = start.date().checked_add(jiff::Span::new().days(800)).unwrap();
        let mut want = Vec::new();
        let mut d = start.date();
        while d <= until {
            if f.accepts(d) && d.to_datetime(start.time()) >= start {
                want.push(d.to_datetime(start.time()));
            }
            d = d.tomorrow().unwrap();
        }
        for freq in ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] {
            if freq == "WEEKLY" && !f.month_days.is_empty() {
                continue; // BYMONTHDAY is not allowed with WEEKLY.
            }
            let rule = format!("FREQ={freq};{}", f.parts());
            prop_assert_eq!(&expand(&rule, start, until), &want, "{}", rule);
        }
    }

    /// COUNT takes a prefix of the unbounded rule, and UNTIL the part up to it.
    #[test]
    fn count_and_until_cut_the_same_series(f in filters(), start in start(), n in 1u32..40, interval in 1u32..4) {
        let base = format!("FREQ=MONTHLY;INTERVAL={interval};{}", f.parts());
        let all: Vec<DateTime> = RRule::parse(&base).unwrap().local(start).take(60).collect();
        let counted: Vec<DateTime> =
            RRule::parse(&format!("{base};COUNT={n}")).unwrap().local(start).collect();
        prop_assert_eq!(&counted[..], &all[..all.len().min(n as usize)]);
        if let Some(cut) = all.get(n as usize / 2) {
            let until = format!("{base};UNTIL={}", cut.strftime("%Y%m%dT%H%M%S"));
            let bounded: Vec<DateTime> = RRule::parse(&until).unwrap().local(start).collect();
            let want: Vec<DateTime> = all.iter().copied().filter(|d| d <= cut).collect();
            prop_assert_eq!(bounded, want);
        }
    }

    /// INTERVAL keeps only every n-th period, counted from DTSTART's.
    #[test]
    fn interval_keeps_every_nth_period(f in filters(), start in start(), interval in 2i64..5) {
        let rule = format!("FREQ=MONTHLY;INTERVAL={interval};{}", f.parts());
        let month = |d: DateTime| i64::from(d.year()) * 12 + i64::from(d.month());
        let got: Vec<DateTime> = RRule::parse(&rule).unwrap().local(start).take(30).collect();
        for pair in got.windows(2) {
            prop_assert!(pair[0] < pair[1]);
        }
        for d in &got {
            prop_assert!(*d >= start);
            prop_assert_eq!((month(*d) - month(start)) % interval, 0, "{} {}", rule, d);
            prop_assert!(f.accepts(d.date()));
        }
    }

    /// BYSETPOS=1 and -1 pick the first and the last candidate of each month.
    #[test]
    fn setpos_picks_the_ends_of_each_period(f in filters(), start in start()) {
        let until = start.date().checked_add(jiff::Span::new().days(400)).unwrap();
        let all = expand(&format!("FREQ=MONTHLY;{}", f.parts()), start.date().first_of_month().to_datetime(start.time()), until);
        let first = expand(&format!("FREQ=MONTHLY;{};BYSETPOS=1", f.parts()), start.date().first_of_month().to_datetime(start.time()), until);
        let last = expand(&format!("FREQ=MONTHLY;{};BYSETPOS=-1", f.parts()), start.date().first_of_month().to_datetime(start.time()), until);
        let key = |d: &DateTime| (d.year(), d.month());
        let mut want_first: Vec<DateTime> = Vec::new();
        let mut want_last: Vec<DateTime> = Vec::new();
        for d in &all {
            if want_first.last().is_none_or(|p| key(p) != key(d)) {
                want_first.push(*d);
                want_last.push(*d);
            } else {
                *want_last.last_mut().unwrap() = *d;
            }
        }
        prop_assert_eq!(first, want_first);
        // The last month may be cut by `until` in `all` but not in the rule's own set.
        prop_assert_eq!(&last[..want_last.len().saturating_sub(1)], &want_last[..want_last.len().saturating_sub(1)]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Jumping ahead to a later date gives the same occurrences from there as walking from
    /// DTSTART, for every frequency and interval.
    #[test]
    fn jumping_ahead_loses_nothing(
        f in filters(),
        start in start(),
        freq in 0usize..7,
        interval in 1u32..5,
        ahead in 0i64..3000,
    ) {
        let freq = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"][freq];
        let parts = if freq == "WEEKLY" {
            Filters { month_days: Vec::new(), ..f.clone() }.parts()
        } else {
            f.parts()
        };
        let text = [format!("FREQ={freq};INTERVAL={interval}"), parts]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(";");
        let rule = RRule::parse(&text).unwrap();
        // Sub-daily rules jump by shorter spans, to keep the walk they are compared with short.
        let unit = match freq {
            "SECONDLY" => jiff::SignedDuration::from_secs(ahead * 10),
            "MINUTELY" => jiff::SignedDuration::from_mins(ahead),
            "HOURLY" => jiff::SignedDuration::from_hours(ahead),
            _ => jiff::SignedDuration::from_hours(ahead * 24),
        };
        let near = start.checked_add(unit).unwrap();
        let walked: Vec<DateTime> =
            rule.local(start).skip_while(|d| *d < near).take(20).collect();
        let jumped: Vec<DateTime> =
            rule.local_near(start, near).skip_while(|d| *d < near).take(20).collect();
        prop_assert_eq!(walked, jumped);
    }
}
