//! The outbox and the timers through the real binary: auto-replies are queued with the contact
//! and delivered by `tick`, members hear of contacts due soon and overdue exactly once, failed
//! deliveries back off and end dead until retried.

mod common;
use common::{Desk, RUIZ};

use serde_json::Value;

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A Saturday-night e-mail from ACME: held until Monday, due at 18:00 Madrid time.
fn night_email(desk: &Desk) -> Value {
    common::add_from(
        desk,
        None,
        "acme",
        "email",
        "marcos@acme.example",
        "2026-12-05T22:00:00+01:00",
        "¿Podemos revisar el informe del trimestre?",
    )
}

fn tick(desk: &Desk, at: &str, file: &std::path::Path) -> Value {
    desk.json(&["tick", "--at", at, "--outbox-file", file.to_str().unwrap()])
}

#[test]
fn an_auto_reply_is_queued_with_the_contact_and_sent_once() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let d = night_email(&desk);
    assert_eq!(d["decision"], "hold");
    let queued = desk.json(&["outbox", "list"]);
    assert_eq!(queued.as_array().unwrap().len(), 1, "{queued}");
    let m = &queued[0];
    assert_eq!(m["key"], format!("reply:{}", d["id"]));
    assert_eq!(m["state"], "pending");
    assert_eq!(m["medium"], "email");
    assert_eq!(m["to"], "marcos@acme.example");
    assert_eq!(m["language"], "es");
    assert_eq!(m["text"], d["reply"]["text"]);

    // Without a channel nothing is sent and nothing is lost.
    let none = desk.json(&["tick", "--at", "2026-12-05T22:01:00+01:00"]);
    assert_eq!(none["sent"], 0);
    assert_eq!(none["waiting"], 1);

    let file = desk.dir.path().join("sent.jsonl");
    let first = tick(&desk, "2026-12-05T22:02:00+01:00", &file);
    assert_eq!(first["sent"], 1, "{first}");
    let again = tick(&desk, "2026-12-05T22:03:00+01:00", &file);
    assert_eq!(again["sent"], 0, "{again}");
    let sent = lines(&file);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["to"], "marcos@acme.example");
    assert!(
        sent[0]["subject"]
            .as_str()
            .unwrap()
            .contains("Ruiz Consulting")
    );
    assert_eq!(desk.json(&["outbox", "list"]).as_array().unwrap().len(), 0);
    let all = desk.json(&["outbox", "list", "--all"]);
    assert_eq!(all[0]["state"], "sent");
    assert_eq!(all[0]["sent"], "2026-12-05T21:02:00Z");
}

#[test]
fn a_voicemail_is_answered_by_text_message() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    common::add(
        &desk,
        "voicemail",
        "2026-12-05T22:00:00+01:00",
        "Hola, soy Marcos. Llámame.",
    );
    let queued = desk.json(&["outbox", "list"]);
    assert_eq!(queued[0]["medium"], "sms");
    assert_eq!(queued[0]["to"], "+34600111222");
}

#[test]
fn the_assignee_hears_once_when_a_contact_is_due_soon_and_once_when_it_is_overdue() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let d = night_email(&desk);
    assert_eq!(
        d["due"], "2026-12-07T17:00:00Z",
        "8 working hours from Monday 09:00"
    );
    let id = d["id"].as_i64().unwrap();
    let file = desk.dir.path().join("sent.jsonl");
    tick(&desk, "2026-12-05T22:05:00+01:00", &file); // the auto-reply

    let notices = |file: &std::path::Path| -> Vec<String> {
        lines(file)
            .into_iter()
            .filter(|m| m["to"] == "ana@ruiz.example")
            .map(|m| m["key"].as_str().unwrap().to_string())
            .collect()
    };
    // Three working hours before: nothing yet.
    let early = tick(&desk, "2026-12-07T15:00:00+01:00", &file);
    assert_eq!(early["jobs"], 0);
    // Twenty working minutes before: "due soon", once however often the timers run.
    assert_eq!(tick(&desk, "2026-12-07T17:40:00+01:00", &file)["jobs"], 1);
    assert_eq!(tick(&desk, "2026-12-07T17:45:00+01:00", &file)["jobs"], 0);
    assert_eq!(notices(&file), vec![format!("due-soon:{id}")]);
    let soon = lines(&file).pop().unwrap();
    assert_eq!(soon["language"], "es", "the practice's language");
    assert!(
        soon["subject"]
            .as_str()
            .unwrap()
            .contains("ACME Foundation"),
        "{soon}"
    );
    assert!(
        soon["text"]
            .as_str()
            .unwrap()
            .contains("marcos@acme.example"),
        "{soon}"
    );
    // Past the due time: "overdue", once.
    assert_eq!(tick(&desk, "2026-12-07T18:05:00+01:00", &file)["jobs"], 1);
    assert_eq!(tick(&desk, "2026-12-07T19:00:00+01:00", &file)["jobs"], 0);
    assert_eq!(
        notices(&file),
        vec![format!("due-soon:{id}"), format!("overdue:{id}")]
    );
    // An answered contact is forgotten by the timers.
    let other = night_email(&desk);
    desk.ok(&[
        "reply",
        &other["id"].to_string(),
        "--at",
        "2026-12-06T10:00:00+01:00",
    ]);
    assert_eq!(tick(&desk, "2026-12-08T10:00:00+01:00", &file)["jobs"], 0);
}

#[test]
fn a_contact_overdue_for_more_than_a_day_when_the_timers_first_run_gets_no_notice() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    night_email(&desk); // due Monday 18:00
    let file = desk.dir.path().join("sent.jsonl");
    // The timers first run on Wednesday afternoon (after the owner's morning digest window):
    // the contact is in the inbox, no notice is sent.
    assert_eq!(tick(&desk, "2026-12-09T13:00:00+01:00", &file)["jobs"], 0);
    let later = Desk::new();
    later.ok(&["apply", RUIZ]);
    night_email(&later);
    // Within a day of its due time it is still announced.
    assert_eq!(tick(&later, "2026-12-08T17:00:00+01:00", &file)["jobs"], 1);
}

#[test]
fn timers_run_by_several_processes_at_once_run_each_job_once() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    // Five people of the client write at night (one sender would get one reply a week).
    for i in 0..5 {
        common::add_from(
            &desk,
            None,
            "acme",
            "email",
            &format!("person{i}@acme.example"),
            "2026-12-05T22:00:00+01:00",
            "¿Podemos revisar el informe del trimestre?",
        );
    }
    let file = desk.dir.path().join("sent.jsonl");
    let mut procs: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
                .arg("--db")
                .arg(desk.db())
                .args(["tick", "--json", "--at", "2026-12-07T18:05:00+01:00"])
                .arg("--outbox-file")
                .arg(&file)
                .env_remove("FRONTDESK_DB")
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for p in &mut procs {
        assert!(p.wait().unwrap().success());
    }
    let sent = lines(&file);
    let mut keys: Vec<String> = sent
        .iter()
        .map(|m| m["key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    let before = keys.len();
    keys.dedup();
    assert_eq!(before, keys.len(), "a message went out twice: {keys:?}");
    assert_eq!(
        keys.len(),
        10,
        "five replies and five overdue notices: {keys:?}"
    );
}

#[test]
fn a_failing_channel_backs_off_then_the_message_is_dead_until_retried() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let d = night_email(&desk);
    // Answered at once, so the auto-reply is the only message.
    desk.ok(&[
        "reply",
        &d["id"].to_string(),
        "--at",
        "2026-12-05T22:10:00+01:00",
    ]);
    // A directory cannot be appended to: every attempt fails.
    let broken = desk.dir.path().join("not-a-file");
    std::fs::create_dir(&broken).unwrap();
    let t0: jiff::Timestamp = "2026-12-05T21:00:00Z".parse().unwrap();
    // Straight after a failure the message is not tried again.
    let first = tick(&desk, &t0.to_string(), &broken);
    assert_eq!(first["failed"], 1);
    let soon = tick(
        &desk,
        &(t0 + jiff::SignedDuration::from_secs(30)).to_string(),
        &broken,
    );
    assert_eq!(soon["failed"], 0, "tried again before its backoff");
    for day in 1..=7 {
        let at = t0 + jiff::SignedDuration::from_hours(24 * day);
        let r = tick(&desk, &at.to_string(), &broken);
        assert_eq!(r["failed"], 1, "day {day}: {r}");
    }
    let list = desk.json(&["outbox", "list"]);
    assert_eq!(list[0]["state"], "dead", "{list}");
    assert_eq!(list[0]["attempts"], 8);
    assert!(
        list[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("not-a-file")
    );
    // Dead stays dead...
    let later = "2026-12-20T10:00:00Z";
    assert_eq!(tick(&desk, later, &broken)["failed"], 0);
    // ...until a person retries it.
    let id = list[0]["id"].to_string();
    desk.ok(&["outbox", "retry", &id, "--at", later]);
    let good = desk.dir.path().join("sent.jsonl");
    assert_eq!(tick(&desk, later, &good)["sent"], 1);
    assert_eq!(lines(&good).len(), 1);
    // Retrying a sent or unknown message is refused and changes nothing.
    let out = desk.run(&["outbox", "retry", &id]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("no unsent message {id}")));
}

#[test]
fn a_contact_recorded_as_history_gets_no_auto_reply() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let d = desk.json(&[
        "contact",
        "add",
        "--client",
        "acme",
        "--channel",
        "email",
        "--from",
        "marcos@acme.example",
        "--at",
        "2026-12-05T22:00:00+01:00",
        "--body",
        "¿Podemos revisar el informe del trimestre?",
        "--history",
    ]);
    // The decision is the same as for a live contact, reply text included …
    assert_eq!(d["decision"], "hold");
    assert!(d["reply"]["text"].is_string());
    // … but nothing is queued to reach the client days late.
    assert_eq!(
        desk.json(&["outbox", "list", "--all"]),
        serde_json::json!([])
    );
}

/// The example practice sending its mail through a real SMTP server that delivers into a
/// Maildir: the desk, the Maildir, and the server (to stop).
fn desk_with_smtp() -> (Desk, std::path::PathBuf, common::mail_servers::Running) {
    desk_with_smtp_and("")
}

/// As `desk_with_smtp`, with more `[mail]` settings.
fn desk_with_smtp_and(mail: &str) -> (Desk, std::path::PathBuf, common::mail_servers::Running) {
    let desk = Desk::new();
    let maildir = desk.dir.path().join("sent-mail");
    let (server, port) = common::mail_servers::smtp_sink(&maildir);
    let file = desk.dir.path().join("mail.toml");
    let text = std::fs::read_to_string(RUIZ).unwrap().replacen(
        "\n[[members]]",
        &format!(
            "\n[mail]\nfrom = \"desk@ruiz.example\"\nsmtp = {{ host = \"127.0.0.1\", port = {port}, tls = \"none\" }}\n{mail}\n[[members]]"
        ),
        1,
    );
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    (desk, maildir, server)
}

#[test]
fn an_auto_reply_goes_out_through_the_practices_smtp_relay_marked_automatic() {
    let (desk, maildir, server) = desk_with_smtp();
    let d = night_email(&desk);
    let reply = d["reply"]["text"].as_str().unwrap().to_string();
    let t = desk.json(&["tick", "--at", "2026-12-05T22:01:00+01:00"]);
    assert_eq!(t["sent"], 1, "{t}");
    // Then a person's answer: sent as mail that is not automatic.
    let id = d["id"].to_string();
    common::mail_servers::send_answer(
        &desk,
        &id,
        "2026-12-07T09:00:00+01:00",
        "Hola Marcos, el lunes lo vemos.",
    );
    let t = desk.json(&["tick", "--at", "2026-12-07T09:01:00+01:00"]);
    assert_eq!(t["sent"], 1, "{t}");
    drop(server);
    let delivered = common::mail_servers::delivered(&maildir);
    assert_eq!(delivered.len(), 2);
    let parsed: Vec<_> = delivered
        .iter()
        .map(|raw| mail_parser::MessageParser::default().parse(raw).unwrap())
        .collect();
    let answer = parsed
        .iter()
        .find(|m| m.body_text(0).unwrap().contains("el lunes lo vemos"))
        .expect("the answer was delivered");
    assert_eq!(
        answer.header_raw("Auto-Submitted"),
        None,
        "a person's answer"
    );
    assert_eq!(answer.header_raw("X-Auto-Response-Suppress"), None);
    let m = parsed
        .iter()
        .find(|m| m.header_raw("Auto-Submitted").is_some())
        .expect("the auto-reply was delivered");
    let to = m
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap();
    assert_eq!(to, "marcos@acme.example");
    assert_eq!(
        m.from().and_then(|a| a.first()).and_then(|a| a.address()),
        Some("desk@ruiz.example")
    );
    assert!(m.subject().unwrap().contains("Ruiz Consulting"));
    assert_eq!(
        m.header_raw("Auto-Submitted").map(str::trim),
        Some("auto-replied")
    );
    assert_eq!(
        m.header_raw("X-Auto-Response-Suppress").map(str::trim),
        Some("All")
    );
    assert_eq!(m.header_raw("Content-Language").map(str::trim), Some("es"));
    assert!(m.message_id().unwrap().ends_with("@ruiz.example"));
    assert_eq!(m.body_text(0).unwrap().trim(), reply.trim());
    // Both sent, once: the outbox says so.
    let all = desk.json(&["outbox", "list", "--all"]);
    assert!(
        all.as_array().unwrap().iter().all(|m| m["state"] == "sent"),
        "{all}"
    );
}

#[test]
fn an_answer_needs_someone_to_send_it_to() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    // A call noted as from "Marcos": no address, no number.
    let d = common::add_from(
        &desk,
        None,
        "acme",
        "call",
        "Marcos",
        "2026-12-01T10:00:00+01:00",
        "Sobre el informe",
    );
    let id = d["id"].to_string();
    let body = desk.dir.path().join("answer.txt");
    std::fs::write(&body, "Lo tenemos listo.").unwrap();
    let err = desk.fails(&[
        "reply",
        &id,
        "--at",
        "2026-12-01T11:00:00+01:00",
        "--send",
        "--body-file",
        body.to_str().unwrap(),
    ]);
    assert!(err.contains("no address or number"), "{err}");
    // Nothing was written: it can still be answered.
    desk.ok(&["reply", &id, "--at", "2026-12-01T11:00:00+01:00"]);
}

#[test]
fn an_answer_written_for_the_client_is_sent_once_and_marks_the_contact_answered() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let d = night_email(&desk);
    let id = d["id"].to_string();
    let body = desk.dir.path().join("answer.txt");
    std::fs::write(
        &body,
        "Hola Marcos, lo revisamos el lunes a primera hora.\n",
    )
    .unwrap();
    // Without --send the file is refused, naming the flag; nothing is recorded.
    let err = desk.fails(&["reply", &id, "--body-file", body.to_str().unwrap()]);
    assert!(err.contains("--send"), "{err}");
    // An empty answer is no answer: refused, naming the file, and nothing is recorded.
    let empty = desk.dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    let err = desk.fails(&[
        "reply",
        &id,
        "--send",
        "--body-file",
        empty.to_str().unwrap(),
    ]);
    assert!(
        err.contains("--body-file") && err.contains("answer"),
        "{err}"
    );
    let answered = desk.json(&[
        "reply",
        &id,
        "--at",
        "2026-12-07T09:30:00+01:00",
        "--send",
        "--body-file",
        body.to_str().unwrap(),
    ]);
    assert_eq!(
        answered["answered_at"], "2026-12-07T08:30:00Z",
        "{answered}"
    );
    let queued = desk.json(&["outbox", "list"]);
    let answer = queued
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == format!("answer:{id}"))
        .expect("the answer is queued");
    assert_eq!(answer["to"], "marcos@acme.example");
    assert_eq!(answer["medium"], "email");
    assert_eq!(answer["language"], "es");
    assert_eq!(
        answer["text"],
        "Hola Marcos, lo revisamos el lunes a primera hora."
    );
    let file = desk.dir.path().join("sent.jsonl");
    tick(&desk, "2026-12-07T09:31:00+01:00", &file);
    tick(&desk, "2026-12-07T09:32:00+01:00", &file);
    let sent: Vec<Value> = lines(&file)
        .into_iter()
        .filter(|m| m["key"] == format!("answer:{id}"))
        .collect();
    assert_eq!(sent.len(), 1, "sent once");
}

#[test]
fn a_sender_gets_one_automatic_e_mail_reply_per_reason_a_week() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let night = |at: &str, body: &str| {
        common::add_from(
            &desk,
            None,
            "acme",
            "email",
            "Marcos@acme.example",
            at,
            body,
        )
    };
    let keys = || -> Vec<String> {
        let mut k: Vec<String> = desk
            .json(&["outbox", "list", "--all"])
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["key"].as_str().unwrap().to_string())
            .collect();
        k.sort();
        k
    };
    let first = night("2026-12-05T22:00:00+01:00", "¿Podemos revisar el informe?");
    night("2026-12-05T23:00:00+01:00", "¿Lo habéis visto?");
    night("2026-12-06T22:00:00+01:00", "¿Alguna novedad?");
    assert_eq!(
        keys(),
        [format!("reply:{}", first["id"])],
        "held three times, told once"
    );
    // Another reason is another reply; a week later the first one may go again.
    let urgent = night(
        "2026-12-06T23:00:00+01:00",
        "¡Urgente! El servidor no funciona y los clientes no pueden pagar",
    );
    assert!(urgent["flags"].to_string().contains("urgent"), "{urgent}");
    let week = night("2026-12-12T22:30:00+01:00", "¿Y el informe?");
    let mut expected = vec![
        format!("reply:{}", week["id"]),
        format!("reply:{}", urgent["id"]),
        format!("reply:{}", first["id"]),
    ];
    expected.sort();
    assert_eq!(keys(), expected);
}

#[test]
fn an_answer_to_a_clients_e_mail_is_threaded_under_it() {
    let (desk, maildir, server) = desk_with_smtp();
    let mbox = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mail/inbox.mbox");
    desk.json(&["mail", "import", mbox, "--at", "2026-12-03T12:00:00Z"]);
    let inbox = desk.json(&["inbox", "--at", "2026-12-03T12:00:00Z"]);
    let id = inbox["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["summary"].as_str().unwrap_or("").contains("Revisión"))
        .map(|c| c["id"].to_string())
        .expect("the Spanish message is in the inbox");
    common::mail_servers::send_answer(&desk, &id, "2026-12-03T12:05:00Z", "Hola Marcos, revisado.");
    let t = desk.json(&["tick", "--at", "2026-12-03T12:06:00Z"]);
    assert_eq!(t["sent"], 1, "{t}");
    drop(server);
    let raw = common::mail_servers::delivered(&maildir).remove(0);
    let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        m.in_reply_to().as_text(),
        Some("es-1@acme.example"),
        "{}",
        String::from_utf8_lossy(&raw)
    );
    assert!(
        m.header_raw("References")
            .unwrap()
            .contains("<es-1@acme.example>")
    );
}

#[test]
fn answers_go_out_from_the_member_when_the_practice_says_so_automatic_mail_from_the_desk() {
    let (desk, maildir, server) = desk_with_smtp_and("answers_from = \"member\"\n");
    assert!(desk.ok(&["export"]).contains("answers_from = \"member\""));
    let d = night_email(&desk);
    common::mail_servers::send_answer(
        &desk,
        &d["id"].to_string(),
        "2026-12-07T09:00:00+01:00",
        "Hola Marcos, el lunes lo vemos.",
    );
    let t = desk.json(&["tick", "--at", "2026-12-07T09:01:00+01:00"]);
    assert_eq!(t["sent"], 2, "{t}");
    drop(server);
    let froms: Vec<(bool, String)> = common::mail_servers::delivered(&maildir)
        .iter()
        .map(|raw| {
            let m = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let from = m.from().and_then(|a| a.first()).unwrap();
            (
                m.header_raw("Auto-Submitted").is_some(),
                format!(
                    "{} <{}>",
                    from.name().unwrap_or(""),
                    from.address().unwrap()
                ),
            )
        })
        .collect();
    assert!(
        froms.contains(&(false, "Ana Ruiz <ana@ruiz.example>".to_string())),
        "{froms:?}"
    );
    assert!(
        froms.contains(&(true, " <desk@ruiz.example>".to_string())),
        "{froms:?}"
    );
}
