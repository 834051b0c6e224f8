//! What only PostgreSQL has, on servers of the tests' own (Debian's PostgreSQL, started by
//! `scripts/postgres`): a restart while serving, a password from the URL or PGPASSFILE, a
//! database written by a newer frontdesk, and moving a whole desk from SQLite to PostgreSQL and
//! back with `db copy`.

mod common;
use common::{Desk, OwnPostgres, RUIZ, Server, api};

use std::sync::mpsc;

use serde_json::{Value, json};

/// A desk with a little of everything: contacts (one answered), a booked meeting, a promise,
/// an account, a token, a booking link, and an issued invoice.
fn busy_desk(desk: &Desk) {
    desk.ok(&["apply", RUIZ]);
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "a long enough password\n",
    );
    desk.ok(&["token", "create", "--member", "ana"]);
    desk.ok(&["link", "booking", "--client", "acme"]);
    for (i, body) in [
        "Urgente: el servidor no funciona",
        "¿Alguna novedad?",
        "Gracias",
    ]
    .iter()
    .enumerate()
    {
        common::add_from(
            desk,
            None,
            "acme",
            "email",
            "marcos@acme.example",
            &format!("2026-11-0{}T10:00:00Z", i + 2),
            body,
        );
    }
    desk.ok(&[
        "reply",
        "1",
        "--at",
        "2026-11-02T10:30:00Z",
        "--minutes",
        "45",
    ]);
    desk.ok(&[
        "meeting",
        "book",
        "--client",
        "acme",
        "--start",
        "2026-11-11T11:00:00+01:00",
        "--at",
        "2026-11-03T08:00:00Z",
    ]);
    desk.ok(&[
        "promise",
        "add",
        "--client",
        "acme",
        "--what",
        "El informe",
        "--due",
        "2026-11-20",
        "--as",
        "ana",
        "--at",
        "2026-11-03T09:00:00Z",
    ]);
    desk.ok(&[
        "invoice",
        "draft",
        "--client",
        "acme",
        "--period",
        "2026-11",
        "--at",
        "2026-12-01T09:00:00Z",
    ]);
    desk.ok(&[
        "invoice",
        "issue",
        "1",
        "--as",
        "ana",
        "--at",
        "2026-12-01T09:05:00Z",
    ]);
}

/// What a user can see of a desk, the same whichever database it is on.
fn seen(desk: &Desk) -> Vec<String> {
    [
        vec!["export"],
        vec!["inbox", "--json", "--at", "2026-12-31T00:00:00Z"],
        vec!["audit", "list", "--json"],
        vec!["invoice", "list", "--json"],
        vec!["promise", "list", "--as", "ana", "--json"],
        vec![
            "agenda",
            "--client",
            "acme",
            "--from",
            "2026-11-09",
            "--days",
            "7",
            "--json",
        ],
        vec!["outbox", "list", "--all", "--json"],
    ]
    .iter()
    .map(|args| desk.ok(args))
    .collect()
}

#[test]
fn a_whole_desk_moves_from_sqlite_to_postgresql_and_back_unchanged() {
    let pg = OwnPostgres::start(None);
    let sqlite = Desk::on(None);
    busy_desk(&sqlite);
    let before = seen(&sqlite);
    let target = Desk::on(Some(pg.admin("frontdesk")));
    let to = target.db();
    let copied = sqlite.json(&[
        "db",
        "copy",
        "--from",
        sqlite.db().to_str().unwrap(),
        "--to",
        to.to_str().unwrap(),
    ]);
    assert_eq!(copied["tables"]["contacts"], 3, "{copied}");
    assert_eq!(copied["tables"]["invoices"], 1, "{copied}");
    assert_eq!(copied["practices"][0]["audit"], "verified", "{copied}");
    assert!(
        copied["practices"][0]["audit_entries"].as_u64().unwrap() > 3,
        "{copied}"
    );
    assert_eq!(seen(&target), before);
    // The copy goes on working: new ids follow the copied ones, the audit chain grows.
    let added = common::add_from(
        &target,
        None,
        "acme",
        "call",
        "+34600111222",
        "2026-11-05T10:00:00Z",
        "Otra llamada",
    );
    assert_eq!(added["id"], 4, "{added}");
    assert_eq!(target.json(&["audit", "verify"])["ok"], true);
    // Into a database that is not empty: refused, naming it, nothing written.
    let err = sqlite.fails(&[
        "db",
        "copy",
        "--from",
        sqlite.db().to_str().unwrap(),
        "--to",
        to.to_str().unwrap(),
    ]);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(target.scalar("SELECT count(*) FROM contacts"), 4);
    // And back into a new SQLite file.
    let back = Desk::on(None);
    back.ok(&[
        "db",
        "copy",
        "--from",
        to.to_str().unwrap(),
        "--to",
        back.db().to_str().unwrap(),
    ]);
    assert_eq!(seen(&back), seen(&target));
    // A copy from nowhere is refused in words, and creates nothing.
    let nowhere = back.dir.path().join("never.db");
    let err = back.fails(&[
        "db",
        "copy",
        "--from",
        "/nonexistent/desk.db",
        "--to",
        nowhere.to_str().unwrap(),
    ]);
    assert!(!nowhere.exists());
    assert!(err.contains("--from /nonexistent/desk.db"), "{err}");
}

#[test]
fn a_restarted_database_fails_requests_in_flight_with_503_and_loses_nothing_acknowledged() {
    let pg = OwnPostgres::start(None);
    let desk = Desk::on(Some(pg.admin("frontdesk")));
    desk.ok(&["apply", RUIZ]);
    let token = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let server = Server::start_with(&desk, &["--at", "2026-12-01T09:00:00Z"]).0;
    let url = format!("{}/api/v1/contacts", server.url);
    let (tx, rx) = mpsc::channel::<(usize, u16, Value)>();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let poster = std::thread::spawn(move || {
        let mut i = 0;
        while stop_rx.try_recv().is_err() {
            let (status, body) = api(
                "POST",
                &url,
                &token,
                Some(
                    json!({"client": "acme", "channel": "chat", "from": "marcos",
                            "at": "2026-12-01T09:59:00+01:00", "body": format!("mensaje-{i}")}),
                ),
            );
            if tx.send((i, status, body)).is_err() {
                break;
            }
            i += 1;
        }
    });
    let mut outcomes = Vec::new();
    // Takes outcomes until `n` more were acknowledged.
    let acknowledged = |outcomes: &mut Vec<(usize, u16, Value)>, n: usize| {
        let mut got = 0;
        while got < n {
            let o = rx.recv().unwrap();
            if o.1 == 201 {
                got += 1;
            }
            outcomes.push(o);
        }
    };
    acknowledged(&mut outcomes, 20);
    pg.stop();
    // While it is away, requests fail (those already answered before it went arrive first).
    loop {
        let o = rx.recv().unwrap();
        let failed = o.1 != 201;
        outcomes.push(o);
        if failed {
            break;
        }
    }
    pg.restart();
    // The server finds the database again by itself.
    acknowledged(&mut outcomes, 20);
    stop_tx.send(()).unwrap();
    drop(rx);
    poster.join().unwrap();
    let mut outage = 0;
    for (i, status, body) in &outcomes {
        match status {
            201 => {
                let n = desk.scalar(&format!(
                    "SELECT count(*) FROM contacts WHERE body = 'mensaje-{i}'"
                ));
                assert_eq!(n, 1, "mensaje-{i} was acknowledged");
            }
            503 => {
                outage += 1;
                let message = body["error"]["message"].as_str().unwrap_or("");
                assert!(message.contains("database is not reachable"), "{body}");
            }
            other => panic!("request {i}: {other} {body}"),
        }
    }
    assert!(outage >= 1);
}

#[test]
fn the_password_comes_from_the_url_or_pgpassfile_and_a_newer_database_is_refused() {
    let pg = OwnPostgres::start(Some("s3cret pass"));
    let url = |auth: &str| format!("postgres://{auth}@127.0.0.1:{}/postgres", pg.port);
    let dir = tempfile::tempdir().unwrap();
    let passfile = dir.path().join("pgpass");
    std::fs::write(
        &passfile,
        format!("127.0.0.1:{}:*:frontdesk:s3cret pass\n", pg.port),
    )
    .unwrap();
    let run = |db: &str, passfile: Option<&std::path::Path>, args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"));
        c.arg("--db").arg(db).args(args).env_remove("FRONTDESK_DB");
        // Not the user's own ~/.pgpass.
        c.env(
            "PGPASSFILE",
            passfile.unwrap_or(std::path::Path::new("/nonexistent")),
        );
        let out = c.output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    // Without the password: refused in words.
    let (ok, _, err) = run(&url("frontdesk"), None, &["apply", RUIZ]);
    assert!(!ok && err.contains("password"), "{err}");
    // In the URL (escaped as URLs escape it).
    let (ok, _, err) = run(&url("frontdesk:s3cret%20pass"), None, &["apply", RUIZ]);
    assert!(ok, "{err}");
    // From PGPASSFILE.
    let (ok, out, err) = run(&url("frontdesk"), Some(&passfile), &["export"]);
    assert!(ok, "{err}");
    assert!(out.contains("Ruiz Consulting"), "{out}");
    // A database a newer frontdesk wrote is refused, and left as it is.
    let mut c =
        postgres::Client::connect(&url("frontdesk:s3cret%20pass"), postgres::NoTls).unwrap();
    c.batch_execute("UPDATE schema_version SET version = 999")
        .unwrap();
    let (ok, _, err) = run(&url("frontdesk:s3cret%20pass"), None, &["export"]);
    assert!(!ok && err.contains("newer than this frontdesk"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    let v: i64 = c
        .query_one("SELECT version FROM schema_version", &[])
        .unwrap()
        .get(0);
    assert_eq!(v, 999);
}

/// What the keys of the outbox and the audit log guarded, the database still refuses now that
/// it checks them once a statement: a message for a contact that is not stored or is another
/// practice's, an audit entry of no practice, a contact whose client is another practice's,
/// and removing a contact or a practice. Each refusal writes nothing.
#[test]
fn the_database_refuses_rows_that_point_nowhere_or_at_another_practice() {
    let pg = OwnPostgres::start(None);
    let desk = Desk::on(Some(format!(
        "postgres://frontdesk@127.0.0.1:{}/postgres",
        pg.port
    )));
    let other = desk.dir.path().join("other.toml");
    std::fs::write(
        &other,
        std::fs::read_to_string(RUIZ).unwrap().replacen(
            "name = \"Ruiz Consulting\"",
            "name = \"Otra Consultora\"",
            1,
        ),
    )
    .unwrap();
    desk.ok(&["apply", RUIZ]);
    desk.ok(&["apply", other.to_str().unwrap()]);
    for practice in ["Ruiz Consulting", "Otra Consultora"] {
        common::add_from(
            &desk,
            Some(practice),
            "acme",
            "email",
            "marcos@acme.example",
            "2026-11-02T21:00:00Z",
            "¿Podemos revisar el informe?",
        );
    }
    let url = desk.db().to_string_lossy().to_string();
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let one =
        |c: &mut postgres::Client, sql: &str| -> i64 { c.query_one(sql, &[]).unwrap().get(0) };
    let ruiz = one(
        &mut c,
        "SELECT id FROM practices WHERE name = 'Ruiz Consulting'",
    );
    let otra = one(
        &mut c,
        "SELECT id FROM practices WHERE name = 'Otra Consultora'",
    );
    let contact = |c: &mut postgres::Client, p: i64| -> i64 {
        c.query_one("SELECT id FROM contacts WHERE practice_id = $1", &[&p])
            .unwrap()
            .get(0)
    };
    let (mine, theirs) = (contact(&mut c, ruiz), contact(&mut c, otra));
    let client_of_otra = one(
        &mut c,
        &format!("SELECT id FROM clients WHERE practice_id = {otra}"),
    );
    let counts = |c: &mut postgres::Client| -> (i64, i64, i64) {
        (
            one(c, "SELECT COUNT(*) FROM outbox"),
            one(c, "SELECT COUNT(*) FROM audit_log"),
            one(c, "SELECT COUNT(*) FROM contacts"),
        )
    };
    let message = |practice: i64, contact: i64| {
        format!(
            "INSERT INTO outbox (practice_id, key, medium, recipient, language, subject, contact_id,
                 created_us, next_us)
             VALUES ({practice}, 'k', 'email', 'marcos@acme.example', 'es', 'Re', {contact}, 0, 0)"
        )
    };
    // A message for the practice's own contact is taken.
    let taken = counts(&mut c);
    c.batch_execute(&message(ruiz, mine)).unwrap();
    let before = counts(&mut c);
    assert_eq!(before.0, taken.0 + 1);
    let refused = [
        (message(ruiz, 999_999), "refers to a practice or a contact"),
        (message(ruiz, theirs), "refers to a practice or a contact"),
        (message(999_999, mine), "refers to a practice or a contact"),
        (
            "INSERT INTO audit_log (practice_id, seq, at_us, actor, kind, subject, data, hash)
             VALUES (999999, 1, 0, 'desk', 'x', 'x', '{}', '\\x00')"
                .to_string(),
            "audit entry refers to a practice",
        ),
        (
            format!(
                "INSERT INTO contacts (practice_id, client_id, channel, sender, at_us, verdict,
                     assignee_id, due_us, flags, reasons, in_hours, week)
                 SELECT {ruiz}, {client_of_otra}, 'email', 'x', 0, 'queue', assignee_id, 0, '',
                     '[]', 1, '2026-11-02' FROM contacts WHERE id = {mine}"
            ),
            "contacts_client_fkey",
        ),
        (
            format!("DELETE FROM contacts WHERE id = {mine}"),
            "never removed",
        ),
        ("TRUNCATE contacts CASCADE".to_string(), "never removed"),
        (
            format!("DELETE FROM practices WHERE id = {otra}"),
            "never removed",
        ),
        (
            format!("UPDATE outbox SET contact_id = {theirs} WHERE contact_id = {mine}"),
            "keeps its practice and contact",
        ),
    ];
    for (sql, why) in refused {
        let err = format!("{:?}", c.batch_execute(&sql).expect_err(&sql));
        assert!(err.contains(why), "{sql}: {err}");
    }
    assert_eq!(counts(&mut c), before);
}
