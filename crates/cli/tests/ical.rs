//! iCalendar out, checked by independent readers: Python's `icalendar` and
//! `recurring_ical_events` (from PyPI, installed by this test into a virtual environment under
//! the target directory on first use) must expand the exported feed to exactly the agenda's
//! occurrences, across a DST change, with cancellations and a moved occurrence.

mod common;
use common::{Desk, RUIZ};

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

/// A Python with the two readers installed, made once per target directory.
fn python() -> PathBuf {
    common::python_with("ical-python", &["icalendar>=6", "recurring-ical-events>=3"])
}

/// The events an independent reader finds in `ics` between two instants.
fn expand(ics: &str, from: &str, to: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cal.ics");
    std::fs::write(&file, ics).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/expand_ics.py");
    let out = Command::new(python())
        .arg(script)
        .arg(&file)
        .args([from, to])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the reader refused the calendar: {}\n{ics}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

fn utc(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[test]
fn the_feed_and_invitations_read_back_as_the_agenda_in_an_independent_reader() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let at = ["--at", "2026-10-01T00:00:00Z"];
    let mark = |id: &str, status: &str| {
        desk.ok(&[&["meeting", "mark", id, status][..], &at[..]].concat());
    };
    mark("acme@2026-12-04T09:00:00Z", "cancelled");
    desk.ok(&[
        "meeting",
        "move",
        "acme@2026-12-11T09:00:00Z",
        "--to",
        "2026-12-10T15:00:00+01:00",
    ]);
    let adhoc = desk.json(&[
        "meeting",
        "add",
        "--client",
        "acme",
        "--start",
        "2026-12-09T12:00:00+01:00",
        "--minutes",
        "45",
    ]);
    let adhoc_id = adhoc[0]["stored"].to_string();
    let booked = desk.json(&[
        "meeting",
        "book",
        "--client",
        "acme",
        "--start",
        "2026-11-18T11:00:00+01:00",
        "--at",
        "2026-10-01T00:00:00Z",
    ]);
    let booked_id = booked[0]["stored"].to_string();
    mark(&booked_id, "cancelled");

    let feed = desk.ok(&[
        "calendar",
        "export",
        "--member",
        "ana",
        "--at",
        "2026-10-01T00:00:00Z",
    ]);
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\n") && feed.ends_with("END:VCALENDAR\r\n"));
    assert!(feed.contains("RRULE:FREQ=WEEKLY;BYDAY=FR\r\n"));
    assert!(feed.contains("EXDATE;TZID=Europe/Madrid:20261204T100000\r\n"));
    assert!(feed.contains("RECURRENCE-ID;TZID=Europe/Madrid:20261211T100000\r\n"));

    // October to January: the end of DST, a cancelled and a moved occurrence, an ad-hoc
    // meeting and a cancelled booking.
    let (from, to) = ("2026-10-01T00:00:00Z", "2027-01-31T00:00:00Z");
    let read: Vec<Value> = expand(&feed, from, to)
        .into_iter()
        .map(|e| json!([e["start"], e["end"], e["status"]]))
        .collect();
    let agenda = desk.json(&[
        "agenda",
        "--member",
        "ana",
        "--from",
        "2026-10-01",
        "--days",
        "122",
    ]);
    let want: Vec<Value> = agenda
        .as_array()
        .unwrap()
        .iter()
        // A cancelled standing occurrence is an EXDATE: it is not an event any more.
        .filter(|o| !(o["kind"] == "standing" && o["status"] == "cancelled"))
        .map(|o| {
            let status = if o["status"] == "cancelled" {
                "CANCELLED"
            } else {
                "CONFIRMED"
            };
            json!([
                utc(o["start"].as_str().unwrap()),
                utc(o["end"].as_str().unwrap()),
                status
            ])
        })
        .collect();
    assert!(want.len() > 15, "{want:?}");
    assert_eq!(read, want);
    // Across the change the call stays at 10:00 Madrid time: 08:00Z, then 09:00Z.
    assert!(read.contains(&json!([
        "2026-10-23T08:00:00Z",
        "2026-10-23T08:30:00Z",
        "CONFIRMED"
    ])));
    assert!(read.contains(&json!([
        "2026-10-30T09:00:00Z",
        "2026-10-30T09:30:00Z",
        "CONFIRMED"
    ])));

    // Invitations: a request for the ad-hoc meeting, a cancellation for the booking, each
    // with the sequence of its changes.
    let request = desk.ok(&["meeting", "ics", &adhoc_id, "--at", "2026-10-01T00:00:00Z"]);
    assert!(request.contains("METHOD:REQUEST\r\n") && request.contains("SEQUENCE:0\r\n"));
    // Long lines are folded; unfolded, the attendee is the client's person.
    assert!(request.replace("\r\n ", "").contains(
        "ATTENDEE;CN=Marcos Gil;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:marcos@acme.example"
    ));
    let events = expand(&request, from, to);
    assert_eq!(
        events,
        [
            json!({"uid": events[0]["uid"], "start": "2026-12-09T11:00:00Z", "end": "2026-12-09T11:45:00Z", "status": "CONFIRMED"})
        ]
    );
    let cancel = desk.ok(&["meeting", "ics", &booked_id, "--at", "2026-10-01T00:00:00Z"]);
    assert!(cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("SEQUENCE:1\r\n"));
    assert!(cancel.contains("STATUS:CANCELLED\r\n"));
    let err = desk.fails(&["meeting", "ics", "999"]);
    assert!(err.contains("no meeting 999"), "{err}");
}

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// Imports a calendar file for ana as of `at`; returns what `busy import --json` prints.
fn import(desk: &Desk, file: &str, at: &str) -> Value {
    desk.json(&["busy", "import", "--member", "ana", file, "--at", at])
}

fn busy(desk: &Desk, from: &str, days: &str) -> Vec<(String, String)> {
    desk.json(&[
        "busy", "list", "--member", "ana", "--from", from, "--days", days,
    ])
    .as_array()
    .unwrap()
    .iter()
    .map(|b| {
        (
            b["start"].as_str().unwrap().to_string(),
            b["end"].as_str().unwrap().to_string(),
        )
    })
    .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn busy_times_are_imported_from_a_calendar_file_with_recurrences_overrides_and_all_day_events() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let file = format!("{DATA}/calendar.ics");
    let out = import(&desk, &file, "2026-11-01T00:00:00Z");
    assert_eq!(out["imported"], 9, "{out}");
    assert_eq!(
        busy(&desk, "2026-11-01", "50"),
        pairs(&[
            // Tuesdays 09:00-11:00 Madrid; the 10th is an EXDATE, the 17th moved to 15:00.
            ("2026-11-03T08:00:00Z", "2026-11-03T10:00:00Z"),
            ("2026-11-09T08:00:00Z", "2026-11-09T09:00:00Z"),
            // All day on the 12th and 13th, Madrid days.
            ("2026-11-11T23:00:00Z", "2026-11-13T23:00:00Z"),
            // Floating 12:00-12:30: ana's zone.
            ("2026-11-16T11:00:00Z", "2026-11-16T11:30:00Z"),
            ("2026-11-17T14:00:00Z", "2026-11-17T15:00:00Z"),
            ("2026-11-24T08:00:00Z", "2026-11-24T10:00:00Z"),
            ("2026-12-01T08:00:00Z", "2026-12-01T10:00:00Z"),
            ("2026-12-08T08:00:00Z", "2026-12-08T10:00:00Z"),
            ("2026-12-15T08:00:00Z", "2026-12-15T10:00:00Z"),
        ])
    );
    // Slots keep clear of busy time, with the buffer: on Monday the 16th, lunch at 12:00-12:30
    // takes the 11:30, 12:00 and 12:30 slots.
    let slots: Vec<String> = desk
        .json(&[
            "slots",
            "--client",
            "acme",
            "--from",
            "2026-11-16",
            "--days",
            "1",
            "--at",
            "2026-11-01T00:00:00Z",
        ])
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap()[11..16].to_string())
        .collect();
    assert!(slots.contains(&"11:00".to_string()), "{slots:?}");
    for taken in ["11:30", "12:00", "12:30"] {
        assert!(!slots.contains(&taken.to_string()), "{taken} in {slots:?}");
    }
    // Importing the same file again replaces, it does not add.
    let again = import(&desk, &file, "2026-11-01T00:00:00Z");
    assert_eq!(again["replaced"], 9);
    assert_eq!(busy(&desk, "2026-11-01", "50").len(), 9);
}

#[test]
fn a_zone_defined_only_in_the_file_is_read_from_its_vtimezone() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let file = format!("{DATA}/outlook.ics");
    import(&desk, &file, "2026-10-15T00:00:00Z");
    // 16:00 in "W. Europe Standard Time": CEST before 25 October, CET after.
    assert_eq!(
        busy(&desk, "2026-10-15", "30"),
        pairs(&[
            ("2026-10-20T14:00:00Z", "2026-10-20T15:00:00Z"),
            ("2026-10-27T15:00:00Z", "2026-10-27T16:00:00Z"),
            ("2026-11-03T15:00:00Z", "2026-11-03T16:00:00Z"),
        ])
    );
}

#[test]
fn a_malformed_calendar_is_refused_naming_the_line_and_keeps_the_busy_times() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let good = std::fs::read_to_string(format!("{DATA}/calendar.ics")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cal.ics");
    let path = file.to_str().unwrap();
    std::fs::write(&file, &good).unwrap();
    let at = "2026-11-01T00:00:00Z";
    desk.ok(&["busy", "import", "--member", "ana", path, "--at", at]);
    let before = busy(&desk, "2026-11-01", "50");
    for (bad, needle) in [
        (
            good.replacen("DTSTART:20261109T080000Z", "DTSTART:2026-11-09 08:00", 1),
            "line 40",
        ),
        (good.replacen("END:VEVENT\r\n", "", 1), "does not close"),
        (
            good.replacen(
                "TZID=Europe/Madrid:20261013T090000",
                "TZID=Mars/Olympus:20261013T090000",
                1,
            ),
            "Mars/Olympus",
        ),
        (
            good.replacen(
                "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10",
                "RRULE:FREQ=WEEKLY;BYDAY=XX",
                1,
            ),
            "line 25",
        ),
        (
            good.replacen("DURATION:PT1H", "DURATION:an hour", 1),
            "DURATION",
        ),
        ("hello".to_string(), "line 1"),
        // An event every second, forever: refused at once instead of 31 million busy rows.
        (
            good.replacen(
                "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10",
                "RRULE:FREQ=SECONDLY",
                1,
            ),
            "repeats more than",
        ),
    ] {
        std::fs::write(&file, bad).unwrap();
        let err = desk.fails(&["busy", "import", "--member", "ana", path, "--at", at]);
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
        assert_eq!(busy(&desk, "2026-11-01", "50"), before, "after {needle}");
    }
    let err = desk.fails(&["busy", "import", "--member", "zoe", path, "--at", at]);
    assert!(err.contains("--member zoe"), "{err}");
}

/// A calendar of `n` one-hour events on the next `n` days at 08:00 UTC.
fn upcoming(n: i64) -> String {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n");
    for i in 1..=n {
        let d = today.checked_add(jiff::Span::new().days(i)).unwrap();
        s += &format!(
            "BEGIN:VEVENT\r\nUID:e{i}@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{}T080000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n",
            d.strftime("%Y%m%d")
        );
    }
    s + "END:VCALENDAR\r\n"
}

#[test]
fn a_subscribed_feed_is_refreshed_by_the_server_and_a_broken_one_keeps_the_busy_times() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let body = std::sync::Arc::new(std::sync::Mutex::new("not a calendar".to_string()));
    let url = common::calendar_server(body.clone());
    // A feed that cannot be read is refused at once, naming the line, and not kept.
    let err = desk.fails(&["busy", "subscribe", "--member", "ana", &url]);
    assert!(err.contains("line 1"), "{err}");
    *body.lock().unwrap() = upcoming(3);
    let out = desk.json(&["busy", "subscribe", "--member", "ana", &url]);
    assert_eq!(out["imported"], 3);
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Madrid").unwrap())
        .date()
        .to_string();
    let count = || {
        desk.json(&[
            "busy", "list", "--member", "ana", "--from", &today, "--days", "30",
        ])
        .as_array()
        .unwrap()
        .len()
    };
    assert_eq!(count(), 3);
    // The server refreshes it every second: five events now.
    *body.lock().unwrap() = upcoming(5);
    let (server, _) = common::Server::start_with(&desk, &["--busy-refresh", "1"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while count() != 5 {
        assert!(
            std::time::Instant::now() < deadline,
            "the feed was not refreshed"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // Broken now: the five stay, and the team page says why.
    *body.lock().unwrap() = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n".to_string();
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert_eq!(count(), 5);
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "a long enough password\n",
    );
    let session = common::sign_in(&server, "ana@ruiz.example", "a long enough password");
    let (_, html) = common::page(&server, "/team", Some(&session));
    assert!(
        html.contains("not read") && html.contains("not a calendar frontdesk can read (line 2)"),
        "{html}"
    );
    assert!(
        !html.contains("/ana.ics"),
        "the feed's secret path is not shown"
    );
}

#[test]
fn a_member_unsubscribes_a_feed_and_its_busy_times_go() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let body = std::sync::Arc::new(std::sync::Mutex::new(upcoming(3)));
    let url = common::calendar_server(body);
    desk.json(&["busy", "subscribe", "--member", "ana", &url]);
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Madrid").unwrap())
        .date()
        .to_string();
    let upcoming_busy = || {
        desk.json(&[
            "busy", "list", "--member", "ana", "--from", &today, "--days", "30",
        ])
    };
    assert_eq!(upcoming_busy().as_array().unwrap().len(), 3);
    let out = desk.json(&["busy", "unsubscribe", "--member", "ana", &url]);
    assert!(out["unsubscribed"].is_i64(), "{out}");
    assert_eq!(
        upcoming_busy(),
        json!([]),
        "the feed's busy times went with it"
    );
    // Twice is an error naming what is not there, and the feed's secret path is not shown.
    let err = desk.fails(&["busy", "unsubscribe", "--member", "ana", &url]);
    assert!(
        err.contains("url") && err.contains("not subscribed"),
        "{err}"
    );
    assert!(!err.contains("/ana.ics"), "{err}");
}

#[test]
fn feeds_reach_only_public_addresses_unless_an_operator_allows_the_host() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let body = std::sync::Arc::new(std::sync::Mutex::new(upcoming(2)));
    let url = common::calendar_server(body);
    let subscribe = |url: &str, allow: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
        cmd.arg("--db")
            .arg(desk.db())
            .env_remove("FRONTDESK_DB")
            .env_remove("FRONTDESK_FEED_ALLOW_HOSTS")
            .args(["busy", "subscribe", "--member", "ana", url]);
        for host in allow {
            cmd.args(["--feed-allow-host", host]);
        }
        cmd.output().unwrap()
    };
    // Loopback is refused, and nothing the other side said is repeated.
    let out = subscribe(&url, &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not on the public internet"), "{err}");
    assert!(!err.contains("/ana.ics"), "{err}");
    // An allowed host may redirect only to where a feed may go: "localhost" is allowed,
    // 127.0.0.1 (where it sends us) is not.
    let port = common::redirect_server(url.clone());
    let out = subscribe(&format!("http://localhost:{port}/cal.ics"), &["localhost"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("127.0.0.1") && err.contains("not on the public internet"),
        "{err}"
    );
    // With the host allowed, it is read.
    let out = subscribe(&url, &["127.0.0.1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
