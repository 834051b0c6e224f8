//! Mail in from a real IMAP server: Debian's Dovecot on loopback, started by the test with a
//! configuration of its own, and a real SMTP server (aiosmtpd) for what goes back out.

mod common;
use common::mail_servers::{Dovecot, smtp_sink};
use common::{Desk, RUIZ};

use serde_json::Value;

/// The example practice with the server's mailbox and a relay (`smtp_port`).
fn desk_reading(server: &Dovecot, smtp_port: u16, extra: &str) -> Desk {
    let desk = Desk::new();
    let file = desk.dir.path().join("mail.toml");
    let text = std::fs::read_to_string(RUIZ).unwrap().replacen(
        "\n[[members]]",
        &format!(
            "\n[mail]\nfrom = \"desk@ruiz.example\"\nsmtp = {{ host = \"127.0.0.1\", port = {smtp_port}, tls = \"none\" }}\n{}{extra}\n[[members]]",
            server.mailbox_entry("ana")
        ),
        1,
    );
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    desk
}

fn message(id: &str, from: &str, date: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: ana@ruiz.example\r\nSubject: {body}\r\nDate: {date}\r\n\
         Message-ID: <{id}>\r\n{extra}Content-Type: text/plain; charset=UTF-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn fetch(desk: &Desk, at: &str) -> Value {
    desk.json(&["mail", "fetch", "--at", at])[0].clone()
}

fn status(desk: &Desk) -> Value {
    desk.json(&["mail", "status"])
}

/// The messages the SMTP server delivered, as text.
fn sent(maildir: &std::path::Path) -> Vec<String> {
    common::mail_servers::delivered(maildir)
        .into_iter()
        .map(|raw| String::from_utf8(raw).unwrap())
        .collect()
}

#[test]
fn new_mail_is_recorded_once_answered_threaded_and_never_marked_seen() {
    let server = Dovecot::start();
    let desk_dir = tempfile::tempdir().unwrap();
    let outgoing = desk_dir.path().join("sent");
    let (smtp, smtp_port) = smtp_sink(&outgoing);
    let desk = desk_reading(&server, smtp_port, "");
    // Saturday night: held until Monday, with an auto-reply. A stranger, and Marcos's
    // out-of-office reply (no auto-reply to that).
    server.deliver(
        "1.host",
        &message(
            "night-1@acme.example",
            "Marcos <marcos@acme.example>",
            "Sat, 05 Dec 2026 22:00:00 +0100",
            "",
            "¿Podemos revisar el informe del trimestre?",
        ),
    );
    server.deliver(
        "2.host",
        &message(
            "x-1@elsewhere.example",
            "someone@elsewhere.example",
            "Sat, 05 Dec 2026 22:01:00 +0100",
            "",
            "Do you do audits?",
        ),
    );
    server.deliver(
        "3.host",
        &message(
            "ooo-9@acme.example",
            "marcos@acme.example",
            "Sat, 05 Dec 2026 22:02:00 +0100",
            "Auto-Submitted: auto-replied\r\n",
            "Fuera de la oficina",
        ),
    );
    let f = fetch(&desk, "2026-12-05T21:05:00Z");
    assert_eq!(
        (
            &f["present"],
            &f["read"],
            &f["recorded"],
            &f["automatic"],
            &f["unmatched"]
        ),
        (&3.into(), &3.into(), &2.into(), &1.into(), &1.into()),
        "{f}"
    );
    // Nothing new the second time; the checkpoint says all three were read.
    let again = fetch(&desk, "2026-12-05T21:06:00Z");
    assert_eq!(
        (&again["read"], &again["recorded"]),
        (&0.into(), &0.into()),
        "{again}"
    );
    let s = status(&desk);
    let m = &s["mailboxes"][0];
    assert_eq!(
        (&m["mailbox"], &m["read"], &m["present"], &m["error"]),
        (&"ana".into(), &3.into(), &3.into(), &Value::Null),
        "{s}"
    );
    assert_eq!(
        s["unmatched"][0]["from"], "someone@elsewhere.example",
        "{s}"
    );
    // Read with BODY.PEEK: the server still has every message unseen.
    for e in std::fs::read_dir(server.maildir().join("cur")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let flags = name.rsplit_once(":2,").map_or("", |(_, f)| f).to_string();
        assert!(!flags.contains('S'), "{name} was marked seen");
    }
    // One auto-reply (to Marcos's message, not to his out-of-office), sent threaded.
    let t = desk.json(&["tick", "--at", "2026-12-05T21:06:00Z"]);
    assert_eq!(t["sent"], 1, "{t}");
    let out = sent(&outgoing);
    assert_eq!(out.len(), 1);
    let reply = &out[0];
    assert!(
        reply.contains("In-Reply-To: <night-1@acme.example>"),
        "{reply}"
    );
    assert!(reply.contains("Auto-Submitted: auto-replied"), "{reply}");
    assert!(reply.contains("Content-Language: es"), "{reply}");
    let ours = reply
        .lines()
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .unwrap()
        .trim()
        .to_string();
    // Marcos answers the auto-reply: a new contact in the same conversation.
    server.deliver(
        "4.host",
        &message(
            "night-2@acme.example",
            "marcos@acme.example",
            "Sat, 05 Dec 2026 22:30:00 +0100",
            &format!("In-Reply-To: {ours}\r\nReferences: {ours}\r\n"),
            "Gracias, espero el lunes.",
        ),
    );
    let f = fetch(&desk, "2026-12-05T21:31:00Z");
    assert_eq!((&f["read"], &f["recorded"]), (&1.into(), &1.into()), "{f}");
    let inbox = desk.json(&["inbox", "--at", "2026-12-05T21:31:00Z"]);
    let newest = inbox["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .max()
        .unwrap();
    let shown = desk.json(&["contact", "show", &newest.to_string()]);
    assert_eq!(shown["thread"].as_array().unwrap().len(), 2, "{shown}");
    drop(smtp);
}

#[test]
fn a_new_uidvalidity_or_a_second_mailbox_records_nothing_twice() {
    let server = Dovecot::start();
    let desk = desk_reading(
        &server,
        1,
        // The same server and user under another name: the same messages again.
        &server.mailbox_entry("copy"),
    );
    for i in 0..3 {
        server.deliver(
            &format!("{i}.host"),
            &message(
                &format!("m-{i}@acme.example"),
                "marcos@acme.example",
                "Tue, 01 Dec 2026 10:00:00 +0100",
                "",
                &format!("Mensaje {i}"),
            ),
        );
    }
    let first = desk.json(&[
        "mail",
        "fetch",
        "--mailbox",
        "ana",
        "--at",
        "2026-12-01T10:00:00Z",
    ]);
    assert_eq!(first[0]["recorded"], 3, "{first}");
    let copy = desk.json(&[
        "mail",
        "fetch",
        "--mailbox",
        "copy",
        "--at",
        "2026-12-01T10:00:00Z",
    ]);
    assert_eq!(
        (&copy[0]["recorded"], &copy[0]["duplicates"]),
        (&0.into(), &3.into()),
        "{copy}"
    );
    // The server renumbers the folder (a restore, a migration): read again, recorded once.
    let before = status(&desk)["mailboxes"][0]["uidvalidity"]
        .as_u64()
        .unwrap();
    let dir = server.maildir();
    let uidlist = std::fs::read_to_string(dir.join("dovecot-uidlist")).unwrap();
    let (head, rest) = uidlist.split_once('\n').unwrap();
    let head = head.replacen(&format!("V{before}"), &format!("V{}", before + 7), 1);
    std::fs::write(dir.join("dovecot-uidlist"), format!("{head}\n{rest}")).unwrap();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("dovecot.index")
        {
            std::fs::remove_file(p).unwrap();
        }
    }
    let again = desk.json(&[
        "mail",
        "fetch",
        "--mailbox",
        "ana",
        "--at",
        "2026-12-01T11:00:00Z",
    ]);
    assert_eq!(
        (
            &again[0]["read"],
            &again[0]["recorded"],
            &again[0]["duplicates"]
        ),
        (&3.into(), &0.into(), &3.into()),
        "{again}"
    );
    let s = status(&desk);
    assert_eq!(s["mailboxes"][0]["uidvalidity"], before + 7, "{s}");
    let inbox = desk.json(&["inbox", "--at", "2026-12-01T11:00:00Z"]);
    assert_eq!(inbox["open"], 3, "{inbox}");
}

#[test]
fn a_wrong_password_is_an_error_kept_on_the_mailbox_that_never_shows_the_secret() {
    let server = Dovecot::start();
    let desk = desk_reading(&server, 1, "");
    let out = desk
        .cmd(&["mail", "fetch", "--at", "2026-12-01T10:00:00Z"])
        .env("FRONTDESK_TEST_IMAP", "wrong-password-123")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mailbox ana") && err.contains("127.0.0.1"),
        "{err}"
    );
    assert!(!err.contains("wrong-password-123"), "{err}");
    let s = status(&desk);
    let e = s["mailboxes"][0]["error"].as_str().unwrap();
    assert!(!e.contains("wrong-password-123"), "{e}");
    // A mailbox that would send the password in the clear to another machine is refused.
    let file = desk.dir.path().join("bad.toml");
    let text = std::fs::read_to_string(desk.dir.path().join("mail.toml"))
        .unwrap()
        .replace(
            "host = \"127.0.0.1\"\nport",
            "host = \"imap.example.com\"\nport",
        );
    std::fs::write(&file, text).unwrap();
    let out = desk.run(&["apply", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mail.mailboxes[0].tls"), "{err}");
}

#[test]
fn serve_records_mail_as_it_arrives() {
    let server = Dovecot::start();
    let desk = desk_reading(&server, 1, "");
    let (web, _) = common::Server::start_with(&desk, &["--at", "2026-12-01T10:00:00Z"]);
    server.deliver(
        "1.host",
        &message(
            "live-1@acme.example",
            "marcos@acme.example",
            "Tue, 01 Dec 2026 10:00:00 +0100",
            "",
            "Llámame cuando puedas",
        ),
    );
    // IDLE hears the new message: the contact shows without any fetch command.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let s = status(&desk);
        if s["mailboxes"][0]["read"] == 1 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not recorded: {s}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let inbox = desk.json(&["inbox", "--at", "2026-12-01T10:00:00Z"]);
    assert_eq!(inbox["open"], 1, "{inbox}");
    drop(web);
}

/// Contacts recorded, and distinct Message-IDs among them, read straight from the database.
fn recorded(desk: &Desk) -> (i64, i64) {
    (
        desk.scalar("SELECT COUNT(*) FROM contacts"),
        desk.scalar("SELECT COUNT(DISTINCT key) FROM idempotency WHERE key LIKE '@mail%'"),
    )
}

#[test]
fn a_fetch_killed_midway_records_every_message_exactly_once_after_a_restart() {
    let server = Dovecot::start();
    let desk = desk_reading(&server, 1, "");
    const N: usize = 5000;
    for i in 0..N {
        server.deliver(
            &format!("{i}.host"),
            &message(
                &format!("crash-{i}@acme.example"),
                "marcos@acme.example",
                "Tue, 01 Dec 2026 10:00:00 +0100",
                "",
                &format!("Mensaje {i}"),
            ),
        );
    }
    let mut child = desk
        .cmd(&["mail", "fetch", "--at", "2026-12-09T10:00:00Z"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed (SIGKILL) once a few hundred are in, in the middle of the pass.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let (n, _) = recorded(&desk);
        if n >= 300 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the fetch stalled at {n}"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the fetch ended before it could be killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let (cut, ids) = recorded(&desk);
    assert!(cut < N as i64, "killed after the end: {cut}");
    assert_eq!(cut, ids);
    // Started again: the rest, and nothing twice.
    let f = fetch(&desk, "2026-12-09T10:05:00Z");
    assert_eq!(recorded(&desk), (N as i64, N as i64), "{f}");
    let s = status(&desk);
    assert_eq!(s["mailboxes"][0]["read"], N, "{s}");
    if !desk.on_postgres() {
        let conn = rusqlite::Connection::open(desk.db()).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }
}

#[test]
fn a_message_from_an_unknown_sender_is_assigned_to_its_client_and_the_address_remembered() {
    let server = Dovecot::start();
    let desk = desk_reading(&server, 1, "");
    let stranger = |id: &str, body: &str| {
        message(
            id,
            "Lucia <lucia@newco.example>",
            "Tue, 01 Dec 2026 10:00:00 +0100",
            "",
            body,
        )
    };
    server.deliver(
        "1.host",
        &stranger("u-1@newco.example", "Soy la nueva contable de Acme"),
    );
    server.deliver("2.host", &stranger("u-2@newco.example", "Publicidad"));
    // A stranger's bounce is not listed for anyone to assign.
    server.deliver(
        "b.host",
        &message(
            "bounce-1@mx.newco.example",
            "MAILER-DAEMON@mx.newco.example",
            "Tue, 01 Dec 2026 10:01:00 +0100",
            "Return-Path: <>\r\n",
            "Undelivered Mail Returned to Sender",
        ),
    );
    let f = fetch(&desk, "2026-12-01T09:05:00Z");
    assert_eq!(f["unmatched"], 2, "{f}");
    assert_eq!(f["refused"].as_array().unwrap().len(), 1, "{f}");
    // Through the CLI: an unknown Message-ID is refused, naming it.
    let out = desk.run(&["mail", "assign", "nope@x", "--client", "acme"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope@x"));
    desk.ok(&["mail", "dismiss", "u-2@newco.example"]);
    // Through the web, as the owner: the list, then the assignment, remembering the address.
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "a long enough password\n",
    );
    let (web, _) = common::Server::start_with(&desk, &["--at", "2026-12-01T09:10:00Z"]);
    let session = common::sign_in(&web, "ana@ruiz.example", "a long enough password");
    let (status, html) = common::page(&web, "/inbox", Some(&session));
    assert_eq!(status, 200);
    assert!(html.contains("From unknown senders (1)"), "{html}");
    assert!(
        html.contains("lucia@newco.example") && !html.contains("Publicidad"),
        "{html}"
    );
    assert!(html.contains("3 of 3 messages read"), "{html}");
    let at = html.find(r#"name="csrf" value=""#).unwrap() + 19;
    let csrf = html[at..at + 64].to_string();
    let resp = common::post_form(
        &web,
        "/mail/assign",
        &format!("fd_session={session}"),
        &[
            ("csrf", &csrf),
            ("message_id", "u-1@newco.example"),
            ("client", "acme"),
            ("remember", "on"),
        ],
    );
    assert_eq!(resp.status().as_u16(), 303);
    let contact = resp.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = common::page(&web, &contact, Some(&session));
    assert!(html.contains("nueva contable"), "{html}");
    drop(web);
    assert_eq!(status_unmatched(&desk), 0);
    // Lucia's next message is Acme's without anyone's help.
    server.deliver(
        "3.host",
        &stranger("u-3@newco.example", "Adjunto las facturas"),
    );
    let f = fetch(&desk, "2026-12-01T09:20:00Z");
    assert_eq!(
        (&f["recorded"], &f["unmatched"]),
        (&1.into(), &0.into()),
        "{f}"
    );
    assert!(desk.ok(&["export"]).contains("lucia@newco.example"));
}

fn status_unmatched(desk: &Desk) -> usize {
    status(desk)["unmatched"].as_array().unwrap().len()
}

#[test]
fn tls_and_starttls_with_the_servers_own_authority_and_a_stranger_certificate_refused() {
    let server = Dovecot::start_tls();
    let (tls_port, ca) = server.tls.clone().unwrap();
    let ca = ca.display().to_string();
    let entry = |name: &str, port: u16, tls: &str, ca: Option<&str>, auth: &str| {
        format!(
            "\n[[mail.mailboxes]]\nname = \"{name}\"\nhost = \"localhost\"\nport = {port}\ntls = \"{tls}\"\n{}user = \"ana\"\npassword_env = \"FRONTDESK_TEST_IMAP\"\nauth = \"{auth}\"\n",
            ca.map(|c| format!("tls_ca_file = \"{c}\"\n"))
                .unwrap_or_default()
        )
    };
    let desk = desk_reading(
        &server,
        1,
        &[
            entry("tls", tls_port, "tls", Some(&ca), "plain"),
            entry("starttls", server.port, "starttls", Some(&ca), "login"),
            entry("system", tls_port, "tls", None, "login"),
        ]
        .concat(),
    );
    server.deliver(
        "1.host",
        &message(
            "tls-1@acme.example",
            "marcos@acme.example",
            "Tue, 01 Dec 2026 10:00:00 +0100",
            "",
            "Por TLS",
        ),
    );
    let one = |name: &str| {
        desk.json(&[
            "mail",
            "fetch",
            "--mailbox",
            name,
            "--at",
            "2026-12-01T09:05:00Z",
        ])[0]
            .clone()
    };
    // Over TLS from the first byte with SASL PLAIN, then STARTTLS with LOGIN: read, once.
    let f = one("tls");
    assert_eq!((&f["read"], &f["recorded"]), (&1.into(), &1.into()), "{f}");
    let f = one("starttls");
    assert_eq!(
        (&f["read"], &f["duplicates"]),
        (&1.into(), &1.into()),
        "{f}"
    );
    // A certificate no authority the system trusts signed: refused, and kept as the error.
    let out = desk.run(&[
        "mail",
        "fetch",
        "--mailbox",
        "system",
        "--at",
        "2026-12-01T09:05:00Z",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(err.contains("certificate"), "{err}");
    let s = status(&desk);
    let system = s["mailboxes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["mailbox"] == "system")
        .unwrap()
        .clone();
    assert!(
        system["error"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("certificate"),
        "{s}"
    );
}

/// Waits (at most 30 s) until the mailbox has read `n` messages, or says its state.
fn until_read(desk: &Desk, mailbox: usize, n: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let s = status(desk);
        if s["mailboxes"][mailbox]["read"] == n {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "not read: {s}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn serve_polls_a_server_without_idle_and_reconnects_after_an_outage() {
    let mut server = Dovecot::start_without_idle();
    let desk = desk_reading(&server, 1, "");
    let (web, _) =
        common::Server::start_with(&desk, &["--at", "2026-12-01T10:00:00Z", "--mail-poll", "1"]);
    let deliver = |server: &Dovecot, i: u32| {
        server.deliver(
            &format!("{i}.host"),
            &message(
                &format!("poll-{i}@acme.example"),
                "marcos@acme.example",
                "Tue, 01 Dec 2026 10:00:00 +0100",
                "",
                &format!("Mensaje {i}"),
            ),
        )
    };
    deliver(&server, 1);
    until_read(&desk, 0, 1);
    // The server goes away: the mailbox shows the error; back, the watcher reconnects.
    server.restart(|| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let s = status(&desk);
            if s["mailboxes"][0]["error"].is_string() {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no error shown: {s}");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    });
    deliver(&server, 2);
    until_read(&desk, 0, 2);
    let s = status(&desk);
    assert_eq!(
        s["mailboxes"][0]["error"],
        Value::Null,
        "a good read clears it: {s}"
    );
    drop(web);
}

#[test]
fn a_client_writing_to_another_member_s_own_mailbox_goes_around_its_owner() {
    let server = Dovecot::start();
    // The same server read as Pedro's own mailbox (ACME's owner is Ana).
    let pedros = server.mailbox_entry("pedro-box") + "member = \"pedro\"\n";
    let desk = desk_reading(&server, 1, &pedros);
    server.deliver(
        "1.host",
        &message(
            "around-1@acme.example",
            "marcos@acme.example",
            "Tue, 01 Dec 2026 10:00:00 +0100",
            "",
            "Pedro, te escribo a ti porque Ana no contesta",
        ),
    );
    let f = desk.json(&[
        "mail",
        "fetch",
        "--mailbox",
        "pedro-box",
        "--at",
        "2026-12-01T10:00:00Z",
    ]);
    assert_eq!(f[0]["recorded"], 1, "{f}");
    let risk = desk.json(&["risk", "--client", "acme", "--at", "2026-12-01T12:00:00Z"]);
    assert!(
        risk.to_string()
            .contains("1 message in 30 days written to others than the owner (pedro)"),
        "{risk}"
    );
    // The same message read from Ana's own mailbox would not count: recorded once anyway.
    let again = desk.json(&[
        "mail",
        "fetch",
        "--mailbox",
        "ana",
        "--at",
        "2026-12-01T10:05:00Z",
    ]);
    assert_eq!(again[0]["recorded"], 0, "{again}");
}
