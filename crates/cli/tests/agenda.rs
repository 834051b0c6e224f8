//! The agenda and meetings through the real binary: standing-call occurrences, marking them
//! held, no-show or cancelled, moving them, ad-hoc meetings, and the decision engine's "standing
//! call in the next 7 days" following the agenda.

mod common;
use common::{Desk, RUIZ, add};

use serde_json::Value;

/// The example's client `acme` has a weekly standing call on Fridays at 10:00 Madrid time
/// (09:00 UTC in winter), 30 minutes, and an allowance of two ad-hoc calls a week.
fn desk() -> Desk {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    desk
}

/// Marks a meeting at a given moment and returns what `meeting mark --json` prints.
fn mark(desk: &Desk, id: &str, status: &str, at: &str) -> Value {
    desk.json(&["meeting", "mark", id, status, "--at", at])
}

fn mark_ok(desk: &Desk, id: &str, status: &str, at: &str) {
    mark(desk, id, status, at);
}

fn agenda(desk: &Desk, from: &str, days: &str) -> Vec<Value> {
    desk.json(&["agenda", "--client", "acme", "--from", from, "--days", days])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_agenda_lists_standing_call_occurrences_with_start_end_and_status() {
    let desk = desk();
    let list = agenda(&desk, "2026-12-01", "14");
    let starts: Vec<&str> = list.iter().map(|o| o["start"].as_str().unwrap()).collect();
    assert_eq!(starts, ["2026-12-04T09:00:00Z", "2026-12-11T09:00:00Z"]);
    assert_eq!(list[0]["end"], "2026-12-04T09:30:00Z");
    assert_eq!(list[0]["status"], "scheduled");
    assert_eq!(list[0]["kind"], "standing");
    assert_eq!(list[0]["member"], "ana");
    assert_eq!(list[0]["id"], "acme@2026-12-04T09:00:00Z");
    // Across the end of DST the wall-clock time stays 10:00 Madrid time.
    let october = agenda(&desk, "2026-10-20", "14");
    let starts: Vec<&str> = october
        .iter()
        .map(|o| o["start"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["2026-10-23T08:00:00Z", "2026-10-30T09:00:00Z"]);
    // Other members' agendas do not show ana's calls.
    let pedro = desk.json(&[
        "agenda",
        "--member",
        "pedro",
        "--from",
        "2026-12-01",
        "--days",
        "14",
    ]);
    assert_eq!(pedro, serde_json::json!([]));
}

#[test]
fn meetings_are_marked_held_no_show_or_cancelled_late_or_in_time() {
    let desk = desk();
    let held = desk.json(&[
        "meeting",
        "mark",
        "acme@2026-12-04T09:00:00Z",
        "held",
        "--at",
        "2026-12-04T09:40:00Z",
        "--minutes",
        "40",
    ]);
    assert_eq!(held[0]["status"], "held");
    assert_eq!(held[0]["held_minutes"], 40);
    let no_show = mark(
        &desk,
        "acme@2026-12-11T09:00:00Z",
        "no-show",
        "2026-12-11T09:20:00Z",
    );
    assert_eq!(no_show[0]["status"], "no-show");
    // Cancelled two days ahead: in time. Cancelled the evening before: late (24h notice).
    let in_time = mark(
        &desk,
        "acme@2026-12-18T09:00:00Z",
        "cancelled",
        "2026-12-16T09:00:00Z",
    );
    assert_eq!(in_time[0]["late"], false);
    let late = mark(
        &desk,
        "acme@2027-01-08T09:00:00Z",
        "cancelled",
        "2027-01-07T18:00:00Z",
    );
    assert_eq!(late[0]["late"], true);
    assert_eq!(late[0]["cancelled_at"], "2027-01-07T18:00:00Z");
    let statuses: Vec<(String, String)> = agenda(&desk, "2026-12-01", "40")
        .iter()
        .map(|o| {
            (
                o["start"].as_str().unwrap().to_string(),
                o["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = [
        ("2026-12-04T09:00:00Z", "held"),
        ("2026-12-11T09:00:00Z", "no-show"),
        ("2026-12-18T09:00:00Z", "cancelled"),
        ("2026-12-25T09:00:00Z", "scheduled"),
        ("2027-01-01T09:00:00Z", "scheduled"),
        ("2027-01-08T09:00:00Z", "cancelled"),
    ];
    let expect: Vec<(String, String)> = expect
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(statuses, expect);
    // A correction: marking again replaces the mark, it does not add a meeting.
    mark_ok(
        &desk,
        "acme@2026-12-11T09:00:00Z",
        "held",
        "2026-12-11T10:00:00Z",
    );
    let after = agenda(&desk, "2026-12-11", "1");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["status"], "held");
    assert_eq!(after[0]["held_minutes"], 30);
}

#[test]
fn bad_marks_and_moves_are_refused_and_change_nothing() {
    let desk = desk();
    let before = desk.ok(&["agenda", "--from", "2026-12-01", "--days", "30", "--json"]);
    for (args, needle) in [
        (
            vec![
                "meeting",
                "mark",
                "acme@2026-12-05T09:00:00Z",
                "held",
                "--at",
                "2026-12-06T00:00:00Z",
            ],
            "not an occurrence",
        ),
        (
            vec![
                "meeting",
                "mark",
                "acme@2026-12-04T09:00:00Z",
                "no-show",
                "--at",
                "2026-12-01T00:00:00Z",
            ],
            "before it starts",
        ),
        (
            vec![
                "meeting",
                "mark",
                "acme@2026-12-04T09:00:00Z",
                "cancelled",
                "--at",
                "2026-12-04T09:10:00Z",
            ],
            "mark it held or no-show",
        ),
        (
            vec!["meeting", "mark", "acme@2026-12-04T09:00:00Z", "done"],
            "\"done\"",
        ),
        (vec!["meeting", "mark", "77", "held"], "no meeting 77"),
        (vec!["meeting", "mark", "0", "held"], "\"0\""),
        (
            vec!["meeting", "mark", "nobody@2026-12-04T09:00:00Z", "held"],
            "unknown client",
        ),
        (
            vec![
                "meeting",
                "move",
                "acme@2026-12-04T09:00:00Z",
                "--to",
                "tomorrow",
            ],
            "\"tomorrow\"",
        ),
        (
            vec![
                "meeting",
                "add",
                "--client",
                "acme",
                "--start",
                "2026-12-09T12:00:00+01:00",
                "--kind",
                "standing",
            ],
            "standing calls come from the client's terms",
        ),
        (
            vec![
                "meeting",
                "add",
                "--client",
                "acme",
                "--start",
                "2026-12-09T12:00:00+01:00",
                "--minutes",
                "0",
            ],
            "--minutes",
        ),
        (
            vec![
                "meeting",
                "add",
                "--client",
                "acme",
                "--start",
                "2026-12-09T12:00:00+01:00",
                "--member",
                "zoe",
            ],
            "--member zoe",
        ),
        (vec!["agenda", "--from", "2026-13-01"], "\"2026-13-01\""),
        (vec!["agenda", "--days", "0"], "--days"),
    ] {
        let err = desk.fails(&args);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    // A cancelled occurrence cannot be moved.
    mark_ok(
        &desk,
        "acme@2026-12-04T09:00:00Z",
        "cancelled",
        "2026-12-01T09:00:00Z",
    );
    let err = desk.fails(&[
        "meeting",
        "move",
        "acme@2026-12-04T09:00:00Z",
        "--to",
        "2026-12-03T10:00:00Z",
    ]);
    assert!(
        err.contains("only a scheduled meeting can be moved"),
        "{err}"
    );
    let after = desk.ok(&["agenda", "--from", "2026-12-01", "--days", "30", "--json"]);
    let changed: Vec<Value> = serde_json::from_str::<Vec<Value>>(&after)
        .unwrap()
        .into_iter()
        .filter(|o| o["status"] != "scheduled")
        .collect();
    assert_eq!(changed.len(), 1, "only the cancellation was stored");
    assert_ne!(before, after);
}

#[test]
fn moved_and_ad_hoc_meetings_show_where_they_are() {
    let desk = desk();
    let moved = desk.json(&[
        "meeting",
        "move",
        "acme@2026-12-11T09:00:00Z",
        "--to",
        "2026-12-10T15:00:00+01:00",
    ]);
    assert_eq!(moved[0]["moved"], true);
    assert_eq!(moved[0]["original"], "2026-12-11T09:00:00Z");
    let added = desk.json(&[
        "meeting",
        "add",
        "--client",
        "acme",
        "--start",
        "2026-12-09T12:00:00+01:00",
        "--minutes",
        "45",
    ]);
    let number = added[0]["id"].as_str().unwrap().to_string();
    assert_eq!(added[0]["kind"], "adhoc");
    assert_eq!(added[0]["end"], "2026-12-09T11:45:00Z");
    let list = agenda(&desk, "2026-12-07", "7");
    let view: Vec<(&str, &str)> = list
        .iter()
        .map(|o| (o["start"].as_str().unwrap(), o["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        view,
        [
            ("2026-12-09T11:00:00Z", "adhoc"),
            ("2026-12-10T14:00:00Z", "standing")
        ]
    );
    // Moved again, it is still the same occurrence, named by its rule start.
    desk.ok(&[
        "meeting",
        "move",
        "acme@2026-12-11T09:00:00Z",
        "--to",
        "2026-12-11T12:00:00Z",
    ]);
    let list = agenda(&desk, "2026-12-07", "7");
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["start"], "2026-12-11T12:00:00Z");
    assert_eq!(list[1]["id"], "acme@2026-12-11T09:00:00Z");
    // The ad-hoc meeting is marked by its number.
    let held = mark(&desk, &number, "held", "2026-12-09T12:00:00Z");
    assert_eq!(held[0]["status"], "held");
    assert_eq!(held[0]["held_minutes"], 45);
    // People read the same agenda as a table in the member's zone.
    let table = desk.ok(&["agenda", "--client", "acme", "--from", "2026-12-07"]);
    assert!(table.contains("Wed 2026-12-09 12:00 CET"), "{table}");
    assert!(table.contains("held (45 min)"), "{table}");
    assert!(
        table.contains("moved from Fri 2026-12-11 10:00 CET"),
        "{table}"
    );
}

#[test]
fn deferring_over_quota_calls_follows_the_agenda() {
    let desk = desk();
    // Two calls use the week's allowance; the third is deferred to the standing call.
    add(
        &desk,
        "call",
        "2026-12-07T09:10:00+01:00",
        "Sobre el informe",
    );
    add(
        &desk,
        "call",
        "2026-12-07T09:20:00+01:00",
        "Otra vez el informe",
    );
    let third = |at: &str| add(&desk, "call", at, "Y el informe, ¿qué?");
    let d = third("2026-12-07T09:30:00+01:00");
    assert_eq!(d["decision"], "defer");
    assert!(
        d["reply"]["text"]
            .as_str()
            .unwrap()
            .contains("11 de diciembre"),
        "{d}"
    );
    // Moved to Thursday the 10th: the reply names Thursday.
    desk.ok(&[
        "meeting",
        "move",
        "acme@2026-12-11T09:00:00Z",
        "--to",
        "2026-12-10T15:00:00+01:00",
    ]);
    let d = third("2026-12-07T09:40:00+01:00");
    assert_eq!(d["decision"], "defer");
    let text = d["reply"]["text"].as_str().unwrap();
    assert!(
        text.contains("10 de diciembre") && text.contains("15:00"),
        "{text}"
    );
    // Cancelled: no standing call in the next seven days, so the call is accepted.
    mark_ok(
        &desk,
        "acme@2026-12-11T09:00:00Z",
        "cancelled",
        "2026-12-07T08:00:00Z",
    );
    let d = third("2026-12-07T09:50:00+01:00");
    assert_eq!(d["decision"], "accept", "{d}");
    // Over the quota (how the client wrote — "¿qué?" reads as impatient — is another matter).
    assert_eq!(common::desk_flags(&d), ["over_quota"], "{d}");
}

fn slots(desk: &Desk, from: &str, days: &str, at: &str) -> Vec<String> {
    desk.json(&[
        "slots", "--client", "acme", "--from", from, "--days", days, "--at", at,
    ])
    .as_array()
    .unwrap()
    .iter()
    .map(|s| s["start"].as_str().unwrap().to_string())
    .collect()
}

fn book(desk: &Desk, start: &str, at: &str) -> std::process::Output {
    desk.run(&[
        "meeting", "book", "--client", "acme", "--start", start, "--at", at, "--json",
    ])
}

#[test]
fn slots_lie_inside_working_hours_clear_of_meetings_and_after_the_notice() {
    let desk = desk();
    let now = "2026-12-03T08:00:00Z"; // Thursday 09:00 in Madrid; notice is 24h.
    let thursday_friday = slots(&desk, "2026-12-03", "2", now);
    // Thursday is inside the notice; Friday from 09:00 Madrid (ana's hours 09:00-14:00)
    // except the standing call at 10:00-10:30 with 10 minutes of buffer around it.
    assert_eq!(
        thursday_friday,
        [
            "2026-12-04T09:00:00+01:00",
            "2026-12-04T11:00:00+01:00",
            "2026-12-04T11:30:00+01:00",
            "2026-12-04T12:00:00+01:00",
            "2026-12-04T12:30:00+01:00",
            "2026-12-04T13:00:00+01:00",
            "2026-12-04T13:30:00+01:00",
        ]
    );
    // Tuesday 8 December is ana's holiday; the weekend has no hours; Monday has a lunch break.
    let week = slots(&desk, "2026-12-05", "4", now);
    assert!(week.iter().all(|s| s.starts_with("2026-12-07")), "{week:?}");
    assert!(week.contains(&"2026-12-07T12:30:00+01:00".to_string()));
    assert!(!week.contains(&"2026-12-07T13:00:00+01:00".to_string()));
    assert!(week.contains(&"2026-12-07T14:00:00+01:00".to_string()));
    // During ana's absence in August nothing is offered.
    assert_eq!(
        slots(&desk, "2026-08-03", "5", "2026-07-01T00:00:00Z"),
        Vec::<String>::new()
    );
    // An ad-hoc meeting of ana's blocks its time with the buffer.
    desk.ok(&[
        "meeting",
        "add",
        "--client",
        "acme",
        "--start",
        "2026-12-04T12:00:00+01:00",
        "--minutes",
        "60",
    ]);
    let friday = slots(&desk, "2026-12-04", "1", now);
    assert_eq!(
        friday,
        [
            "2026-12-04T09:00:00+01:00",
            "2026-12-04T11:00:00+01:00",
            "2026-12-04T13:30:00+01:00"
        ]
    );
}

#[test]
fn booking_takes_a_slot_and_respects_the_daily_cap_and_the_weekly_allowance() {
    let desk = desk();
    let now = "2026-12-01T08:00:00Z";
    let out = book(&desk, "2026-12-03T09:00:00+01:00", now);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let booked: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(booked[0]["kind"], "booked");
    assert_eq!(booked[0]["end"], "2026-12-03T08:30:00Z");
    // Taken, and the next half hour is inside its buffer.
    let thursday = slots(&desk, "2026-12-03", "1", now);
    assert!(!thursday.contains(&"2026-12-03T09:00:00+01:00".to_string()));
    assert!(!thursday.contains(&"2026-12-03T09:30:00+01:00".to_string()));
    assert!(thursday.contains(&"2026-12-03T10:00:00+01:00".to_string()));
    let again = book(&desk, "2026-12-03T09:00:00+01:00", now);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("not a free slot") && err.contains("10:00"),
        "{err}"
    );
    // A second booking on Thursday reaches acme's weekly allowance of two: no more slots
    // that week, though other weeks are open.
    assert!(
        book(&desk, "2026-12-03T15:00:00+01:00", now)
            .status
            .success()
    );
    assert_eq!(slots(&desk, "2026-12-03", "4", now), Vec::<String>::new());
    assert!(!slots(&desk, "2026-12-09", "1", now).is_empty());
    // Recorded calls count too: two calls in the week of the 14th leave nothing to book.
    add(
        &desk,
        "call",
        "2026-12-14T09:10:00+01:00",
        "Sobre el informe",
    );
    add(
        &desk,
        "call",
        "2026-12-14T09:20:00+01:00",
        "Otra vez el informe",
    );
    assert_eq!(slots(&desk, "2026-12-15", "3", now), Vec::<String>::new());
}

#[test]
fn two_clients_booking_one_slot_at_once_exactly_one_wins() {
    let desk = desk();
    let now = "2026-12-01T08:00:00Z";
    let start = "2026-12-09T11:00:00+01:00";
    let children: Vec<std::process::Child> = (0..8)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
                .args(["--db"])
                .arg(desk.db())
                .args([
                    "meeting", "book", "--client", "acme", "--start", start, "--at", now, "--json",
                ])
                .env_remove("FRONTDESK_DB")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<std::process::Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let won = outputs.iter().filter(|o| o.status.success()).count();
    assert_eq!(won, 1, "exactly one booking is stored");
    for lost in outputs.iter().filter(|o| !o.status.success()) {
        let err = String::from_utf8_lossy(&lost.stderr);
        assert!(err.contains("not a free slot"), "{err}");
    }
    let agenda = agenda(&desk, "2026-12-09", "1");
    let booked: Vec<&Value> = agenda.iter().filter(|o| o["kind"] == "booked").collect();
    assert_eq!(booked.len(), 1);
}

#[test]
fn a_client_far_away_is_offered_only_slots_inside_their_own_reasonable_hours() {
    // Acme moves to New York: ana's Friday 09:00-14:00 in Madrid is 03:00-08:00 there.
    let desk = Desk::new();
    let with = |booking: &str| {
        let text = std::fs::read_to_string(RUIZ)
            .unwrap()
            .replacen(
                "time_zone = \"Europe/Madrid\"\ndomains",
                "time_zone = \"America/New_York\"\ndomains",
                1,
            )
            .replacen(
                "urgent_out_of_hours = false\n",
                &format!("urgent_out_of_hours = false\n{booking}"),
                1,
            );
        let file = desk.dir.path().join("ny.toml");
        std::fs::write(&file, text).unwrap();
        desk.ok(&["apply", file.to_str().unwrap()]);
    };
    let now = "2026-12-03T08:00:00Z";
    with("");
    assert_eq!(
        slots(&desk, "2026-12-04", "1", now),
        Vec::<String>::new(),
        "nothing before 08:00 in New York"
    );
    // A client who takes calls from 06:00 their time gets the end of ana's morning (12:00 to
    // 14:00 in Madrid), shown in their zone.
    with("booking = { client_hours = \"06:00-20:00\" }\n");
    let friday = slots(&desk, "2026-12-04", "1", now);
    assert_eq!(
        friday,
        [
            "2026-12-04T06:00:00-05:00",
            "2026-12-04T06:30:00-05:00",
            "2026-12-04T07:00:00-05:00",
            "2026-12-04T07:30:00-05:00"
        ]
    );
    // A range that is not one is refused, naming the field.
    let bad = desk.dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        std::fs::read_to_string(desk.dir.path().join("ny.toml"))
            .unwrap()
            .replace("06:00-20:00", "20:00-06:00"),
    )
    .unwrap();
    let out = desk.run(&["apply", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("booking.client_hours"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
