//! The real `frontdesk` binary on temporary databases: the CLI contract scripts rely on.

use std::path::Path;
use std::process::Command;

mod common;
use common::{Desk, RUIZ, add};

use serde_json::Value;

#[test]
fn apply_twice_changes_nothing_and_export_round_trips() {
    let desk = Desk::new();
    let first = desk.json(&["apply", RUIZ]);
    assert_eq!(first["created"], true);
    assert_eq!(first["members"]["added"], 2);
    let second = desk.json(&["apply", RUIZ]);
    assert_eq!(second["created"], false);
    assert_eq!(second["changed"], false);

    let exported = desk.ok(&["export"]);
    let file = desk.dir.path().join("exported.toml");
    std::fs::write(&file, &exported).unwrap();
    let again = desk.json(&["apply", file.to_str().unwrap()]);
    assert_eq!(
        again["changed"], false,
        "applying the export changed something"
    );
    assert_eq!(desk.ok(&["export"]), exported);
}

#[test]
fn an_edited_file_updates_the_practice() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let edited = std::fs::read_to_string(RUIZ)
        .unwrap()
        .replace("adhoc_calls_per_week = 2", "adhoc_calls_per_week = 3");
    let file = desk.dir.path().join("edited.toml");
    std::fs::write(&file, edited).unwrap();
    let r = desk.json(&["apply", file.to_str().unwrap()]);
    assert_eq!(r["changed"], true);
    assert_eq!(r["clients"]["updated"], 1);
    assert!(desk.ok(&["export"]).contains("adhoc_calls_per_week = 3"));
}

#[test]
fn decide_is_a_dry_run_printing_the_contract_object() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let d = desk.json(&[
        "decide",
        "--client",
        "acme",
        "--channel",
        "voicemail",
        "--from",
        "+34600111222",
        "--at",
        "2026-12-01T10:00:00+01:00",
        "--body",
        "Hola, soy Marcos. Llámame.",
    ]);
    assert_eq!(d["decision"], "ask_topic");
    assert_eq!(d["assignee"], "ana");
    assert_eq!(d["due"], "2026-12-01T14:00:00Z");
    assert_eq!(d["flags"], serde_json::json!(["no_content"]));
    assert!(!d["reasons"].as_array().unwrap().is_empty());
    assert_eq!(d["reply"]["language"], "es");
    let keys: Vec<&String> = d.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "assignee",
            "decision",
            "due",
            "flags",
            "message_language",
            "reasons",
            "reply"
        ]
    );
    let inbox = desk.json(&["inbox", "--at", "2026-12-01T10:00:00Z"]);
    assert_eq!(inbox["open"], 0, "decide wrote something");
}

#[test]
fn recorded_calls_count_against_the_weekly_allowance() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let a = add(
        &desk,
        "call",
        "2026-12-01T09:10:00+01:00",
        "Sobre el informe",
    );
    let b = add(
        &desk,
        "voicemail",
        "2026-12-01T09:20:00+01:00",
        "Otra vez sobre el informe",
    );
    // An evening call is outside working hours: held, and not counted.
    let night = add(
        &desk,
        "call",
        "2026-12-01T21:00:00+01:00",
        "Sobre el informe",
    );
    let c = add(
        &desk,
        "call",
        "2026-12-02T09:30:00+01:00",
        "Y el informe, ¿qué?",
    );
    assert_eq!(a["decision"], "accept");
    assert_eq!(b["decision"], "accept");
    assert_eq!(night["decision"], "hold");
    assert_eq!(c["decision"], "defer");
    // Over the quota (how the client wrote — "¿qué?" reads as impatient — is another matter).
    assert_eq!(common::desk_flags(&c), ["over_quota"], "{c}");
    assert!(
        c["reply"]["text"]
            .as_str()
            .unwrap()
            .contains("4 de diciembre")
    );
    // A new week starts on Monday in the owner's zone.
    let next_week = add(&desk, "call", "2026-12-07T09:30:00+01:00", "Informe");
    assert_eq!(next_week["decision"], "accept");
    assert!(a["id"].as_i64().unwrap() < c["id"].as_i64().unwrap());
}

#[test]
fn inbox_lists_open_contacts_by_due_and_reply_takes_them_out() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let email = add(
        &desk,
        "email",
        "2026-12-01T10:00:00+01:00",
        "Revisa el presupuesto",
    );
    let urgent = add(
        &desk,
        "chat",
        "2026-12-01T10:05:00+01:00",
        "Se ha caído el servidor",
    );
    let inbox = desk.json(&["inbox", "--at", "2026-12-01T12:00:00+01:00"]);
    assert_eq!(inbox["open"], 2);
    assert_eq!(inbox["overdue"], 1);
    let contacts = inbox["contacts"].as_array().unwrap();
    assert_eq!(contacts[0]["id"], urgent["id"]);
    assert_eq!(contacts[0]["overdue"], true);
    assert_eq!(contacts[1]["id"], email["id"]);
    assert_eq!(contacts[1]["overdue"], false);

    let id = urgent["id"].to_string();
    let answered = desk.json(&["reply", &id, "--at", "2026-12-01T10:20:00+01:00"]);
    assert_eq!(answered["response_seconds"], 15 * 60);
    assert_eq!(answered["late"], false);
    let inbox = desk.json(&["inbox", "--at", "2026-12-01T12:00:00+01:00"]);
    assert_eq!(inbox["open"], 1);

    let err = desk.fails(&["reply", &id, "--at", "2026-12-01T11:00:00+01:00"]);
    assert!(err.contains("already answered"), "{err}");
    let human = desk.ok(&["inbox", "--at", "2026-12-03T12:00:00+01:00"]);
    assert!(
        human.contains("OVERDUE") && human.contains("acme"),
        "{human}"
    );
}

#[test]
fn response_time_is_kept_in_clock_and_working_time() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    // Arrives 12:30; answered 14:30: two hours of clock time, one of working time (lunch).
    let c = add(&desk, "email", "2026-12-01T12:30:00+01:00", "Factura");
    let r = desk.json(&[
        "reply",
        &c["id"].to_string(),
        "--at",
        "2026-12-01T14:30:00+01:00",
    ]);
    assert_eq!(r["response_seconds"], 7200);
    assert_eq!(r["working_response_seconds"], 3600);
}

#[test]
fn bad_input_is_refused_with_the_field_and_value_and_writes_nothing() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    add(
        &desk,
        "email",
        "2026-12-01T10:00:00+01:00",
        "Revisa el presupuesto",
    );
    let before = desk.state();

    let cases: &[(&[&str], &[&str])] = &[
        (
            &[
                "contact",
                "add",
                "--client",
                "acme",
                "--channel",
                "fax",
                "--from",
                "x",
                "--at",
                "2026-12-01T10:00:00Z",
            ],
            &["--channel", "fax"],
        ),
        (
            &[
                "contact",
                "add",
                "--client",
                "nobody",
                "--channel",
                "call",
                "--from",
                "x",
                "--at",
                "2026-12-01T10:00:00Z",
            ],
            &["nobody"],
        ),
        (
            &[
                "contact",
                "add",
                "--client",
                "Acme!",
                "--channel",
                "call",
                "--from",
                "x",
                "--at",
                "2026-12-01T10:00:00Z",
            ],
            &["--client", "Acme!"],
        ),
        (
            &[
                "contact",
                "add",
                "--client",
                "acme",
                "--channel",
                "call",
                "--from",
                "x",
                "--at",
                "2026-12-01 10:00",
            ],
            &["--at", "2026-12-01 10:00"],
        ),
        (
            &[
                "contact",
                "add",
                "--client",
                "acme",
                "--channel",
                "call",
                "--from",
                "x",
                "--at",
                "2026-12-01T10:00:00",
            ],
            &["--at", "offset"],
        ),
        (
            &[
                "decide",
                "--client",
                "acme",
                "--channel",
                "call",
                "--at",
                "2026-12-01T10:00:00Z",
            ],
            &["--from"],
        ),
        (&["reply", "999", "--at", "2026-12-01T10:00:00Z"], &["999"]),
        (&["reply", "1", "--at", "2026-11-01T10:00:00Z"], &["before"]),
        (&["reply", "abc"], &["abc"]),
        (&["inbox", "--at", "yesterday"], &["--at", "yesterday"]),
        (
            &[
                "contact",
                "add",
                "--client",
                "acme",
                "--channel",
                "call",
                "--from",
                "",
            ],
            &["--from", "sender"],
        ),
        (
            &["inbox", "--at", "9999-12-31T23:59:59Z"],
            &["--at", "9999-12-31T23:59:59Z", "1970 to 2199"],
        ),
        (
            &["agenda", "--from", "9999-12-25"],
            &["--from", "9999-12-25", "1970 to 2199"],
        ),
        (
            &["apply", "/nonexistent/practice.toml"],
            &["/nonexistent/practice.toml"],
        ),
        (
            &["export", "--practice", "Nobody Consulting"],
            &["Nobody Consulting", "Ruiz Consulting"],
        ),
    ];
    for (args, needles) in cases {
        let err = desk.fails(args);
        for needle in *needles {
            assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
        }
    }

    for (from, to, needle) in [
        (
            "time_zone = \"Europe/Madrid\"",
            "time_zone = \"Mars/Olympus\"",
            "members[0].time_zone",
        ),
        (
            "cover = \"pedro\"",
            "cover = \"nobody\"",
            "absences[0].cover",
        ),
        (
            "\"14:00-18:00\"]\nhours.tue",
            "\"12:00-18:00\"]\nhours.tue",
            "members[0].hours.mon",
        ),
        (
            "email = \"8h\"",
            "email = \"soon\"",
            "clients[0].terms.response.email",
        ),
        (
            "name = \"ACME Foundation\"",
            "name = \"ACME Foundation\"\nbudget = 3",
            "budget",
        ),
    ] {
        let text = std::fs::read_to_string(RUIZ).unwrap().replacen(from, to, 1);
        let file = desk.dir.path().join("bad.toml");
        std::fs::write(&file, text).unwrap();
        let err = desk.fails(&["apply", file.to_str().unwrap()]);
        assert!(err.contains(needle), "{needle} not in {err}");
    }
    assert_eq!(
        desk.state(),
        before,
        "a refused command changed the database"
    );
}

#[test]
fn removing_a_client_with_contacts_is_refused() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    add(&desk, "email", "2026-12-01T10:00:00+01:00", "Hola");
    let text = std::fs::read_to_string(RUIZ).unwrap();
    let without = &text[..text.find("[[clients]]").unwrap()];
    let file = desk.dir.path().join("no-clients.toml");
    std::fs::write(&file, without).unwrap();
    let err = desk.fails(&["apply", file.to_str().unwrap()]);
    assert!(
        err.contains("acme") && err.contains("1 recorded contacts"),
        "{err}"
    );
    assert!(desk.ok(&["export"]).contains("handle = \"acme\""));
}

#[test]
fn several_practices_need_a_name() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let other = std::fs::read_to_string(RUIZ)
        .unwrap()
        .replace("name = \"Ruiz Consulting\"", "name = \"Sanz Partners\"");
    let file = desk.dir.path().join("sanz.toml");
    std::fs::write(&file, other).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    let err = desk.fails(&["export"]);
    assert!(err.contains("--practice"), "{err}");
    assert!(
        desk.ok(&["export", "--practice", "Sanz Partners"])
            .contains("Sanz Partners")
    );
}

#[test]
fn the_database_comes_from_frontdesk_db_when_no_flag_is_given() {
    let desk = Desk::new();
    let path = desk.dir.path().join("from-env.db");
    let out = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["apply", RUIZ])
        .env("FRONTDESK_DB", &path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(Path::new(&path).exists());
}

#[test]
fn without_a_practice_commands_say_what_to_do() {
    let desk = Desk::new();
    let err = desk.fails(&["inbox"]);
    assert!(err.contains("frontdesk apply"), "{err}");
}

#[test]
fn human_output_is_a_readable_table() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let out = desk.ok(&[
        "decide",
        "--client",
        "acme",
        "--channel",
        "email",
        "--from",
        "marcos@acme.example",
        "--at",
        "2026-12-05T12:00:00+01:00",
        "--body",
        "Te mando el contrato",
    ]);
    assert!(out.contains("decision  hold"), "{out}");
    assert!(out.contains("Mon 2026-12-07 18:00 CET"), "{out}");
}

#[test]
fn demo_shows_a_day_at_the_desk() {
    let out = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["demo", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let decisions: Vec<&str> = v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["decision"].as_str().unwrap())
        .collect();
    for kind in ["accept", "hold", "defer", "cover", "urgent", "ask_topic"] {
        assert!(
            decisions.contains(&kind),
            "demo shows no {kind}: {decisions:?}"
        );
    }
    let human = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("demo")
        .output()
        .unwrap();
    assert!(human.status.success());
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("open") && text.contains("S3"), "{text}");
}

#[test]
fn control_characters_a_client_wrote_are_stored_but_never_reach_the_terminal_raw() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let body = "\u{1b}[2J\u{1b}[31mPAGAR YA\u{7} \u{202e}gnp.exe";
    common::add(&desk, "chat", "2026-12-01T10:00:00+01:00", body);
    let text = desk.ok(&["inbox", "--at", "2026-12-01T10:30:00+01:00"]);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'));
    assert!(text.contains("\\u{1b}[31mPAGAR YA"), "{text}");
    // The JSON carries what was written, escaped as JSON does.
    let json = desk.json(&["inbox", "--at", "2026-12-01T10:30:00+01:00"]);
    assert_eq!(json["contacts"][0]["summary"].as_str().unwrap(), body);
}
