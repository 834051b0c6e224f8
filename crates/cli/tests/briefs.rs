//! Briefs for an absence through the real binary: which clients need one, the hand-over rules
//! (only the cover acknowledges; a question waits for the answer; a new version needs a new
//! acknowledgement), refusals that write nothing, and the audit log that shows any tampering.

mod common;
use common::{Desk, RUIZ};

/// The example practice with Lucía (a manager, away in August too), Globex (Pedro's client)
/// and Initech (Ana's, without activity).
fn desk() -> Desk {
    let desk = Desk::new();
    let mut text = std::fs::read_to_string(RUIZ).unwrap();
    text.push_str(
        r#"
[[members]]
handle = "lucia"
name = "Lucía Gómez"
email = "lucia@ruiz.example"
role = "manager"
time_zone = "Europe/Madrid"
hours.mon = ["09:00-17:00"]

[[members]]
handle = "joost"
name = "Joost Visser"
email = "joost@ruiz.example"
role = "member"
time_zone = "Europe/Amsterdam"
hours.mon = ["09:00-17:00"]
hours.tue = ["09:00-17:00"]
hours.wed = ["09:00-17:00"]

[[absences]]
member = "lucia"
from = "2026-08-10"
until = "2026-08-14"
cover = "pedro"

[[clients]]
handle = "globex"
name = "Globex"
owner = "pedro"

[[clients]]
handle = "initech"
name = "Initech"
owner = "ana"
"#,
    );
    let file = desk.dir.path().join("practice.toml");
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    desk
}

fn edit(desk: &Desk, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "brief",
        "edit",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--status",
        "Q2 report half done",
        "--item",
        "2026-08-10: send the Q2 report",
        "--must-not-promise",
        "no discounts",
        "--json",
    ];
    args.extend(extra);
    desk.run(&args)
}

#[test]
fn a_brief_is_handed_over_only_when_its_cover_acknowledges_the_version_they_read() {
    let desk = desk();
    email_from_acme(&desk, "2026-07-20T10:00:00+02:00");
    // acme had a contact (and has a standing call); initech nothing: only acme needs a brief.
    let list = desk.json(&[
        "brief",
        "list",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--at",
        "2026-07-25T10:00:00Z",
    ]);
    let clients: Vec<(&str, bool)> = list["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["client"].as_str().unwrap(),
                c["needed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(clients, [("acme", true)], "{list}");
    assert_eq!(list["cover"], "pedro");
    // The workload preview: one contact in the last 8 weeks is an eighth a week; Pedro works
    // 35 hours a week.
    assert_eq!(list["workload"]["covered_per_week"], 0.125, "{list}");
    assert_eq!(list["workload"]["hours_per_week"], 35.0);
    assert_eq!(list["workload"]["fits"], true);

    // Refused, nothing written: not ana's client; a cover away during the absence; no such
    // absence; someone else writing ana's brief.
    for (extra, words) in [
        (
            &["--client", "globex", "--at", "2026-07-28T10:00:00Z"][..],
            "not a client of ana",
        ),
        (
            &["--client", "acme", "--cover", "lucia"][..],
            "away from 2026-08-10 to 2026-08-14",
        ),
        (
            &["--client", "acme", "--as", "pedro"][..],
            "only the member who is away",
        ),
    ] {
        let out = edit(&desk, extra);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(words), "{words}: {err}");
    }
    let out = desk.run(&[
        "brief",
        "edit",
        "--member",
        "ana",
        "--from",
        "2026-08-04",
        "--client",
        "acme",
        "--status",
        "x",
    ]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ana has no absence starting on 2026-08-04")
    );
    assert_eq!(
        desk.json(&["audit", "verify"])["entries"],
        2,
        "only the practice applied and the contact"
    );

    // Written: waiting for pedro. Only pedro acknowledges; he asks first, and the brief waits
    // for ana's answer before it can be acknowledged.
    let out = edit(&desk, &["--client", "acme", "--at", "2026-07-28T10:00:00Z"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (b["state"].as_str(), b["version"].as_i64()),
        (Some("waiting"), Some(1))
    );
    assert_eq!(b["content"]["open_items"][0]["due"], "2026-08-10");
    let id = b["id"].to_string();
    let refused = desk.fails(&["brief", "ack", &id, "--as", "ana"]);
    assert!(refused.contains("only the brief's cover"), "{refused}");
    let asked = desk.json(&[
        "brief",
        "ask",
        &id,
        "--as",
        "pedro",
        "--text",
        "Where is the draft?",
        "--at",
        "2026-07-29T09:00:00Z",
    ]);
    assert_eq!(asked["state"], "question");
    let refused = desk.fails(&["brief", "ack", &id, "--as", "pedro"]);
    assert!(
        refused.contains("question waiting for an answer"),
        "{refused}"
    );
    let answered = desk.json(&[
        "brief",
        "answer",
        &id,
        "--as",
        "ana",
        "--text",
        "In the shared drive",
        "--at",
        "2026-07-29T10:00:00Z",
    ]);
    assert_eq!(answered["state"], "waiting");
    assert_eq!(answered["questions"][0]["answer"], "In the shared drive");
    let acked = desk.json(&[
        "brief",
        "ack",
        &id,
        "--as",
        "pedro",
        "--at",
        "2026-07-29T11:00:00Z",
    ]);
    assert_eq!(acked["state"], "acknowledged");
    let list = desk.json(&[
        "brief",
        "list",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--at",
        "2026-07-30T10:00:00Z",
    ]);
    assert_eq!(list["clients"][0]["handed_over"], true);
    // A new version needs a new acknowledgement.
    let out = edit(&desk, &["--client", "acme", "--at", "2026-07-30T10:00:00Z"]);
    let b: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (b["state"].as_str(), b["version"].as_i64()),
        (Some("waiting"), Some(2))
    );
    // A brief added by hand for a client without activity is listed too.
    let out = edit(
        &desk,
        &["--client", "initech", "--at", "2026-07-30T10:00:00Z"],
    );
    assert!(out.status.success());
    let list = desk.json(&[
        "brief",
        "list",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--at",
        "2026-07-30T10:00:00Z",
    ]);
    assert_eq!(list["clients"][1]["client"], "initech");
    assert_eq!(list["clients"][1]["needed"], false);

    // Every step is in the audit log, which verifies.
    let verified = desk.json(&["audit", "verify"]);
    assert_eq!(verified["ok"], true);
    assert_eq!(verified["entries"], 8, "{verified}");
    // The practice applied with the command line is in it too.
    let first = desk.ok(&["audit", "list", "--json"]);
    let first: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(
        (first["kind"].as_str(), first["actor"].as_str()),
        (Some("practice.changed"), Some("cli"))
    );
    let kinds: Vec<String> = desk
        .ok(&["audit", "list", "--client", "acme", "--json"])
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "contact.recorded",
            "brief.written",
            "brief.asked",
            "brief.answered",
            "brief.acknowledged",
            "brief.written"
        ]
    );
}

#[test]
fn the_audit_log_refuses_changes_in_place_and_names_the_first_tampered_entry() {
    let desk = desk_with_three();
    assert_eq!(desk.json(&["audit", "verify"])["entries"], 4);
    // The database itself refuses to change an entry.
    let err = desk
        .execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
        .unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    // Someone who removes that guard and edits an entry is named.
    let unguard = if desk.on_postgres() {
        "DROP TRIGGER audit_log_no_change ON audit_log;"
    } else {
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
    };
    desk.execute(&format!(
        "{unguard}
         UPDATE audit_log SET data = replace(data, 'hold', 'accept') WHERE seq = 2;
         UPDATE audit_log SET actor = 'mallory' WHERE seq = 2;"
    ))
    .unwrap();
    let err = desk.fails(&["audit", "verify"]);
    assert!(err.contains("entry 2:"), "{err}");
    // Deleting the last entry instead is seen through the head.
    let desk2 = desk_with_three();
    let unguard = if desk2.on_postgres() {
        "DROP TRIGGER audit_log_no_change ON audit_log;"
    } else {
        "DROP TRIGGER audit_log_no_delete;"
    };
    desk2
        .execute(&format!("{unguard} DELETE FROM audit_log WHERE seq = 4;"))
        .unwrap();
    let err = desk2.fails(&["audit", "verify"]);
    assert!(err.contains("the last entries were removed"), "{err}");
}

/// A copy checks the chain it copied: a tampered desk is refused, and the new file made for
/// the copy is gone again.
#[test]
fn a_copy_of_a_tampered_desk_is_refused_and_leaves_no_file() {
    let desk = desk_with_three();
    let unguard = if desk.on_postgres() {
        "DROP TRIGGER audit_log_no_change ON audit_log;"
    } else {
        "DROP TRIGGER audit_log_no_update;"
    };
    desk.execute(&format!(
        "{unguard} UPDATE audit_log SET actor = 'mallory' WHERE seq = 2;"
    ))
    .unwrap();
    let to = desk.dir.path().join("copy.db");
    let err = desk.fails(&[
        "db",
        "copy",
        "--from",
        desk.db().to_str().unwrap(),
        "--to",
        to.to_str().unwrap(),
    ]);
    assert!(err.contains("entry 2"), "{err}");
    assert!(!to.exists(), "{err}");
    assert!(!desk.dir.path().join("copy.db-wal").exists());
}

fn desk_with_three() -> Desk {
    let desk = desk();
    for at in [
        "2026-07-20T10:00:00+02:00",
        "2026-07-21T10:00:00+02:00",
        "2026-07-22T10:00:00+02:00",
    ] {
        email_from_acme(&desk, at);
    }
    desk
}

/// An e-mail from acme's Marcos, arrived at `at`.
fn email_from_acme(desk: &Desk, at: &str) {
    email_from_acme_saying(desk, at, "El informe");
}

/// An e-mail from acme's Marcos, arrived at `at`, saying `body`.
fn email_from_acme_saying(desk: &Desk, at: &str, body: &str) {
    desk.ok(&[
        "contact",
        "add",
        "--client",
        "acme",
        "--channel",
        "email",
        "--from",
        "marcos@acme.example",
        "--at",
        at,
        "--body",
        body,
    ]);
}

#[test]
fn briefs_not_handed_over_are_reminded_before_the_absence_and_flagged_at_its_start() {
    let desk = desk();
    email_from_acme(&desk, "2026-07-20T10:00:00+02:00");
    // Ana leaves on Monday 3 August: three of her working days before is Wednesday 29 July.
    let brief_messages =
        |sent: &[(String, String, String, String)]| -> Vec<(String, String, String, String)> {
            sent.iter()
                .filter(|m| m.0.starts_with("brief-"))
                .cloned()
                .collect()
        };
    assert!(brief_messages(&common::delivered(&desk, "2026-07-28T10:00:00Z")).is_empty());
    let sent = brief_messages(&common::delivered(&desk, "2026-07-29T10:00:00Z"));
    let mut to: Vec<&str> = sent.iter().map(|m| m.1.as_str()).collect();
    to.sort();
    // Ana, Pedro (her cover) and Lucía (a manager) hear of it, in the practice's Spanish.
    assert_eq!(
        to,
        [
            "ana@ruiz.example",
            "lucia@ruiz.example",
            "pedro@ruiz.example"
        ],
        "{sent:?}"
    );
    assert!(sent[0].2.contains("1 pendientes"), "{sent:?}");
    assert!(
        sent[0]
            .3
            .contains("ACME Foundation (Pedro Sanz): sin informe"),
        "{sent:?}"
    );
    // Once only.
    assert!(brief_messages(&common::delivered(&desk, "2026-07-30T10:00:00Z")).is_empty());
    // Written but not acknowledged: at the start of the absence the manager gets the red flag.
    let out = edit(&desk, &["--client", "acme", "--at", "2026-07-30T10:00:00Z"]);
    assert!(out.status.success());
    let sent = brief_messages(&common::delivered(&desk, "2026-08-03T07:00:00Z"));
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].1, "lucia@ruiz.example");
    assert!(
        sent[0]
            .2
            .starts_with("Sin traspasar: 1 clientes de Ana Ruiz"),
        "{sent:?}"
    );
    assert!(
        sent[0].3.contains("informe pendiente de confirmación"),
        "{sent:?}"
    );
}

#[test]
fn a_handed_over_absence_raises_no_flag() {
    let desk = desk();
    email_from_acme(&desk, "2026-07-20T10:00:00+02:00");
    handed_over(&desk);
    for at in ["2026-07-29T10:00:00Z", "2026-08-03T07:00:00Z"] {
        assert!(
            common::delivered(&desk, at)
                .iter()
                .all(|m| !m.0.starts_with("brief-")),
            "{at}"
        );
    }
}

#[test]
fn a_contact_during_the_absence_goes_to_the_briefs_cover_and_says_when_it_was_not_handed_over() {
    let desk = desk();
    let contact = |at: &str| {
        desk.json(&[
            "contact",
            "add",
            "--client",
            "acme",
            "--channel",
            "email",
            "--from",
            "marcos@acme.example",
            "--at",
            at,
            "--body",
            "¿Cómo va el informe?",
        ])
    };
    let d = contact("2026-08-04T10:00:00+02:00");
    assert_eq!(d["assignee"], "pedro", "{d}");
    let reasons = d["reasons"].to_string();
    assert!(
        reasons.contains("ana did not hand this client over"),
        "{reasons}"
    );
    // A per-client cover must not be away (Lucía is, part of the time); once Pedro acknowledges,
    // the client is handed over.
    let out = edit(
        &desk,
        &[
            "--client",
            "acme",
            "--cover",
            "lucia",
            "--at",
            "2026-07-30T10:00:00Z",
        ],
    );
    assert!(
        !out.status.success(),
        "lucía is away during part of the absence: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Joost covers acme by its brief: the client's contacts go to him, and once he acknowledges
    // the brief it is handed over.
    let out = edit(
        &desk,
        &[
            "--client",
            "acme",
            "--cover",
            "joost",
            "--at",
            "2026-07-30T10:00:00Z",
        ],
    );
    let b: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(b["cover"], "joost");
    let d = contact("2026-08-04T11:00:00+02:00");
    assert_eq!(d["assignee"], "joost");
    assert!(
        d["reasons"]
            .to_string()
            .contains("joost acknowledged no brief"),
        "{d}"
    );
    desk.ok(&[
        "brief",
        "ack",
        &b["id"].to_string(),
        "--as",
        "joost",
        "--at",
        "2026-07-31T10:00:00Z",
    ]);
    let d = contact("2026-08-05T10:00:00+02:00");
    assert_eq!(d["assignee"], "joost");
    assert!(!d["reasons"].to_string().contains("did not hand"), "{d}");
}

#[test]
fn briefs_are_written_acknowledged_and_shown_to_the_cover_in_the_browser() {
    let desk = desk();
    for (member, password) in [
        ("ana", "ana's long password"),
        ("pedro", "pedro's long password"),
        ("joost", "joost's long password"),
    ] {
        desk.ok_with_stdin(
            &["password", "set", "--member", member],
            &format!("{password}\n"),
        );
    }
    email_from_acme(&desk, "2026-07-20T10:00:00+02:00");
    let server = common::Server::start_with(&desk, &["--at", "2026-07-28T10:00:00Z"]).0;
    let ana = common::sign_in(&server, "ana@ruiz.example", "ana's long password");
    let (status, html) = common::page(&server, "/team", Some(&ana));
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/briefs/ana/2026-08-03\""), "{html}");
    let (status, html) = common::page(&server, "/briefs/ana/2026-08-03", Some(&ana));
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"brief-acme\"") && html.contains("no brief yet"),
        "{html}"
    );
    let csrf = common::form_csrf(&html);
    // A date that is not one is refused naming the field; what was typed is kept.
    let form = |items: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("cover", "pedro".to_string()),
            ("status", "Q2 report half done".to_string()),
            ("items", items.to_string()),
            ("must_not_promise", "no discounts".to_string()),
        ]
    };
    let send = |session: &str, path: &str, form: &[(&str, String)]| {
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        common::submit(&server, session, path, &refs)
    };
    let (status, html) = send(
        &ana,
        "/briefs/ana/2026-08-03/acme",
        &form("2026-13-40: the report"),
    );
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("Open items: "), "{html}");
    assert!(html.contains("Q2 report half done"), "{html}");
    let (status, _) = send(
        &ana,
        "/briefs/ana/2026-08-03/acme",
        &form("2026-08-10: send the Q2 report"),
    );
    assert_eq!(status, 303);
    // Pedro, the cover, reads it and acknowledges it; Ana cannot acknowledge her own.
    let pedro = common::sign_in(&server, "pedro@ruiz.example", "pedro's long password");
    let (_, html) = common::page(&server, "/briefs/ana/2026-08-03", Some(&pedro));
    assert!(
        html.contains("waiting for the cover's acknowledgement"),
        "{html}"
    );
    assert!(html.contains("send the Q2 report"), "{html}");
    let at = html.find("action=\"/brief/").expect("an acknowledge form") + 15;
    let id = &html[at..at + html[at..].find('/').unwrap()];
    let pedro_csrf = common::form_csrf(&html);
    let (status, _) = send(
        &ana,
        &format!("/brief/{id}/delete"),
        &[("csrf", csrf.clone())],
    );
    assert_eq!(status, 404, "no such action");
    let (status, html) = send(&ana, &format!("/brief/{id}/ack"), &[("csrf", csrf.clone())]);
    assert_eq!(status, 409, "{html}");
    assert!(
        html.contains("Only the brief&#39;s cover acknowledges it")
            || html.contains("Only the brief's cover acknowledges it"),
        "{html}"
    );
    let (status, _) = send(
        &pedro,
        &format!("/brief/{id}/ack"),
        &[("csrf", pedro_csrf.clone())],
    );
    assert_eq!(status, 303);
    let list = desk.json(&[
        "brief",
        "list",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--at",
        "2026-07-28T10:00:00Z",
    ]);
    assert_eq!(list["clients"][0]["handed_over"], true, "{list}");
    // Joost neither is away nor covers this absence, nor oversees the practice: not his to read.
    let joost = common::sign_in(&server, "joost@ruiz.example", "joost's long password");
    for path in [
        "/briefs/ana/2026-08-03",
        "/briefs/ana/2026-08-03/report",
        "/briefs/ana/2026-08-03/report.pdf",
    ] {
        let (status, _) = common::page(&server, path, Some(&joost));
        assert_eq!(status, 404, "{path}");
    }
    drop(server);
    // During the absence, the contact page shows Pedro the brief beside the client's message.
    let server = common::Server::start_with(&desk, &["--at", "2026-08-04T10:00:00Z"]).0;
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
        "2026-08-04T09:00:00Z",
        "--body",
        "¿Y el informe?",
    ]);
    let pedro = common::sign_in(&server, "pedro@ruiz.example", "pedro's long password");
    let (status, html) = common::page(&server, &format!("/contacts/{}", d["id"]), Some(&pedro));
    assert_eq!(status, 200);
    assert!(html.contains("id=\"contact-brief\""), "{html}");
    assert!(
        html.contains("Brief from Ana Ruiz") && html.contains("no discounts"),
        "{html}"
    );
    drop(server);
    // Back on 24 August: the return report page, a call back recorded on it, the audit log.
    let server = common::Server::start_with(&desk, &["--at", "2026-08-24T08:00:00Z"]).0;
    let ana = common::sign_in(&server, "ana@ruiz.example", "ana's long password");
    let (status, html) = common::page(&server, "/briefs/ana/2026-08-03/report", Some(&ana));
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("id=\"report-acme\"") && html.contains("not called back yet"),
        "{html}"
    );
    assert!(
        html.contains("1 contact during the absence; 0 answered"),
        "{html}"
    );
    // The same report, printable: a PDF in the reader's language.
    let (status, kind, pdf) = common::file(&server, "/briefs/ana/2026-08-03/report.pdf", &ana);
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    let text = common::pdf_text(&pdf);
    for words in [
        "Return report: Ana Ruiz",
        "ACME Foundation",
        "not called back yet",
    ] {
        assert!(text.contains(words), "{words:?} not in {text}");
    }
    let csrf = common::form_csrf(&html);
    let (status, _) = common::submit(
        &server,
        &ana,
        "/briefs/ana/2026-08-03/callback/acme",
        &[("csrf", &csrf), ("outcome", "All fine, report on Friday")],
    );
    assert_eq!(status, 303);
    let (_, html) = common::page(&server, "/briefs/ana/2026-08-03/report", Some(&ana));
    assert!(html.contains("All fine, report on Friday"), "{html}");
    let (status, html) = common::page(&server, "/audit?client=acme", Some(&ana));
    assert_eq!(status, 200);
    assert!(html.contains("id=\"audit-ok\""), "{html}");
    assert!(
        html.contains("call back recorded") && html.contains("brief acknowledged"),
        "{html}"
    );
    // A change of the practice from the browser is in the log, with who made it.
    let (_, team) = common::page(&server, "/team", Some(&ana));
    let csrf = common::form_csrf(&team);
    let (status, _) = common::submit(
        &server,
        &ana,
        "/team/absences",
        &[
            ("csrf", &csrf),
            ("member", "pedro"),
            ("from", "2026-12-21"),
            ("until", "2026-12-24"),
            ("cover", "ana"),
        ],
    );
    assert_eq!(status, 303);
    let (_, html) = common::page(&server, "/audit", Some(&ana));
    assert!(html.contains("practice settings changed"), "{html}");
    // Pedro (a member) may not read the audit log.
    let pedro = common::sign_in(&server, "pedro@ruiz.example", "pedro's long password");
    let (status, _) = common::page(&server, "/audit", Some(&pedro));
    assert_eq!(status, 403);
}

#[test]
fn clients_who_asked_are_told_three_days_before_who_covers_in_their_language() {
    let desk = desk();
    email_from_acme(&desk, "2026-07-20T10:00:00+02:00");
    let out = edit(
        &desk,
        &[
            "--client",
            "acme",
            "--tell-client",
            "--at",
            "2026-07-27T10:00:00Z",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let notices = |at: &str| -> Vec<(String, String, String, String)> {
        common::delivered(&desk, at)
            .into_iter()
            .filter(|m| m.0.starts_with("absence-notice:"))
            .collect()
    };
    assert!(
        notices("2026-07-30T10:00:00Z").is_empty(),
        "not before 3 days"
    );
    let sent = notices("2026-07-31T10:00:00Z");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].1, "marcos@acme.example");
    assert!(
        sent[0].2.starts_with("Ana Ruiz estará ausente del lunes 3"),
        "{sent:?}"
    );
    assert!(
        sent[0].3.contains("Pedro Sanz") && sent[0].3.contains("pedro@ruiz.example"),
        "{sent:?}"
    );
    assert!(notices("2026-08-01T10:00:00Z").is_empty(), "once");
}

#[test]
fn the_return_report_shows_what_came_in_and_each_call_back_on_the_first_day_back() {
    let desk = desk();
    email_from_acme(&desk, "2026-07-20T10:00:00+02:00");
    let b = handed_over(&desk);
    // Two contacts during the absence: a complaint that talks of leaving, answered in time;
    // one never answered.
    email_from_acme_saying(
        &desk,
        "2026-08-04T10:00:00+02:00",
        "Es inaceptable: el informe lleva tres semanas de retraso. Si no llega esta semana, \
         buscaremos otro proveedor.",
    );
    email_from_acme(&desk, "2026-08-05T10:00:00+02:00");
    // Pedro answers, promising a date: what he sent is kept in the audit log.
    let answer = desk.dir.path().join("answer.txt");
    std::fs::write(&answer, "Le enviaremos el informe el viernes 14.").unwrap();
    desk.ok(&[
        "reply",
        "2",
        "--send",
        "--body-file",
        answer.to_str().unwrap(),
        "--at",
        "2026-08-04T11:00:00+02:00",
    ]);
    let answered: Vec<serde_json::Value> = desk
        .ok(&["audit", "list", "--client", "acme", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|e: &serde_json::Value| e["kind"] == "contact.answered")
        .collect();
    assert_eq!(
        answered[0]["data"]["sent"][0]["text"], "Le enviaremos el informe el viernes 14.",
        "{answered:?}"
    );
    // Ana is back on Monday 24 August: the report goes to her and the manager, once.
    assert!(
        common::delivered(&desk, "2026-08-21T10:00:00Z")
            .iter()
            .all(|m| !m.0.starts_with("return-report:ana"))
    );
    let sent: Vec<_> = common::delivered(&desk, "2026-08-24T07:00:00Z")
        .into_iter()
        .filter(|m| m.0.starts_with("return-report:ana"))
        .collect();
    let mut to: Vec<&str> = sent.iter().map(|m| m.1.as_str()).collect();
    to.sort();
    assert_eq!(to, ["ana@ruiz.example", "lucia@ruiz.example"], "{sent:?}");
    assert!(
        sent[0].3.contains("ACME Foundation: 2 contactos, 1 respondido, 1 tarde o vencido, 1 queja; 1 tema abierto del informe sin hacer; aún sin llamar"),
        "{sent:?}"
    );
    assert!(
        common::delivered(&desk, "2026-08-25T07:00:00Z")
            .iter()
            .all(|m| !m.0.starts_with("return-report:ana"))
    );
    // Pedro marks the brief's open item done: the version and the acknowledgement stay.
    let done = desk.json(&[
        "brief",
        "done",
        &b["id"].to_string(),
        "--item",
        "1",
        "--as",
        "pedro",
        "--at",
        "2026-08-24T07:30:00Z",
    ]);
    assert_eq!(done["content"]["open_items"][0]["done"], true);
    assert_eq!(
        (done["state"].as_str(), done["version"].as_i64()),
        (Some("acknowledged"), Some(1))
    );
    let refused = desk.fails(&[
        "brief",
        "done",
        &b["id"].to_string(),
        "--item",
        "9",
        "--as",
        "pedro",
    ]);
    assert!(refused.contains("open item 9"), "{refused}");
    // The report as JSON, and the call back recorded (by Ana; not for someone else's client).
    let report = desk.json(&[
        "brief",
        "report",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--at",
        "2026-08-24T08:00:00Z",
    ]);
    let acme = &report["clients"][0];
    assert_eq!(acme["client"], "acme");
    assert_eq!(acme["contacts"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(
        (acme["answered"].as_u64(), acme["overdue"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(acme["handed_over"], true);
    // The complaint, how it was resolved, and the promise made in the answer.
    assert_eq!(
        (acme["complaints"].as_u64(), acme["leaving"].as_bool()),
        (Some(1), Some(true))
    );
    let complaint = &acme["contacts"][0];
    assert_eq!(complaint["tone"]["complaint"], true, "{complaint}");
    assert_eq!(
        complaint["reply"],
        "Le enviaremos el informe el viernes 14."
    );
    assert_eq!(
        complaint["promises"][0],
        "Le enviaremos el informe el viernes 14."
    );
    assert_eq!(acme["contacts"][1]["tone"]["complaint"], false, "{report}");
    // And on paper, in the practice's language (Spanish), nothing written when the file cannot be.
    let pdf = desk.dir.path().join("report.pdf");
    desk.ok(&[
        "brief",
        "report",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--at",
        "2026-08-24T08:00:00Z",
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    let text = common::pdf_text(&std::fs::read(&pdf).unwrap());
    for words in [
        "ACME Foundation — habló de irse",
        "Quejas y escaladas",
        "Es inaceptable",
        "Le enviaremos el informe el viernes 14.",
        "Promesas hechas durante la ausencia",
        "aún sin llamar",
    ] {
        assert!(text.contains(words), "{words:?} not in {text}");
    }
    let nowhere = desk.dir.path().join("no/such/dir/report.pdf");
    let refused = desk.fails(&[
        "brief",
        "report",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--pdf",
        nowhere.to_str().unwrap(),
    ]);
    assert!(
        refused.contains("--pdf") && refused.contains("cannot write it"),
        "{refused}"
    );
    let refused = desk.fails(&[
        "brief",
        "callback",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--client",
        "globex",
        "--outcome",
        "fine",
    ]);
    assert!(refused.contains("not a client of ana"), "{refused}");
    desk.ok(&[
        "brief",
        "callback",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--client",
        "acme",
        "--outcome",
        "Happy; wants the Q2 report by Friday",
        "--at",
        "2026-08-24T09:00:00Z",
    ]);
    let report = desk.json(&[
        "brief",
        "report",
        "--member",
        "ana",
        "--from",
        "2026-08-03",
        "--at",
        "2026-08-24T10:00:00Z",
    ]);
    assert_eq!(
        report["clients"][0]["callbacks"][0]["outcome"],
        "Happy; wants the Q2 report by Friday"
    );
    let kinds = desk.ok(&["audit", "list", "--client", "acme"]);
    assert!(kinds.contains("callback.recorded"), "{kinds}");
    assert!(desk.json(&["audit", "verify"])["ok"] == true);
}

#[test]
fn briefs_and_the_audit_log_over_the_api() {
    let desk = desk();
    email_from_acme(&desk, "2026-07-20T10:00:00+02:00");
    let ana = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let pedro = desk
        .ok(&["token", "create", "--member", "pedro"])
        .trim()
        .to_string();
    let server = common::Server::start_with(&desk, &["--at", "2026-07-28T10:00:00Z"]).0;
    let u = |p: &str| format!("{}{p}", server.url);
    let (status, list) = common::api("GET", &u("/api/v1/briefs?member=ana"), &ana, None);
    assert_eq!(status, 200, "{list}");
    assert_eq!(list[0]["clients"][0]["client"], "acme");
    assert_eq!(list[0]["clients"][0]["handed_over"], false);
    let content = serde_json::json!({"content": {"status": "Q2 half done",
        "open_items": [{"text": "send the Q2 report", "due": "2026-08-10"}]}});
    // Pedro may not write Ana's brief; a bad date is refused naming the field.
    let (status, _) = common::api(
        "PUT",
        &u("/api/v1/briefs/ana/2026-08-03/acme"),
        &pedro,
        Some(content.clone()),
    );
    assert_eq!(status, 409);
    let bad = serde_json::json!({"content": {"status": "x", "open_items": [{"text": "y", "due": "2026-13-01"}]}});
    let (status, err) = common::api(
        "PUT",
        &u("/api/v1/briefs/ana/2026-08-03/acme"),
        &ana,
        Some(bad),
    );
    assert_eq!(status, 422);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("open_items[0].due"),
        "{err}"
    );
    let (status, b) = common::api(
        "PUT",
        &u("/api/v1/briefs/ana/2026-08-03/acme"),
        &ana,
        Some(content),
    );
    assert_eq!(status, 200, "{b}");
    let id = b["id"].as_i64().unwrap();
    let (status, _) = common::api("POST", &u(&format!("/api/v1/brief/{id}/ack")), &ana, None);
    assert_eq!(status, 409, "only the cover acknowledges");
    let (status, b) = common::api(
        "POST",
        &u(&format!("/api/v1/brief/{id}/ask")),
        &pedro,
        Some(serde_json::json!({"text": "Where is the draft?"})),
    );
    assert_eq!((status, b["state"].as_str()), (200, Some("question")));
    let (_, b) = common::api(
        "POST",
        &u(&format!("/api/v1/brief/{id}/answer")),
        &ana,
        Some(serde_json::json!({"text": "Shared drive"})),
    );
    assert_eq!(b["state"], "waiting");
    let (status, b) = common::api("POST", &u(&format!("/api/v1/brief/{id}/ack")), &pedro, None);
    assert_eq!((status, b["state"].as_str()), (200, Some("acknowledged")));
    let (status, audit) = common::api("GET", &u("/api/v1/audit"), &ana, None);
    assert_eq!(status, 200);
    assert_eq!(
        (audit["ok"].as_bool(), audit["entries"].as_u64()),
        (Some(true), Some(6)),
        "{audit}"
    );
    let (status, _) = common::api("GET", &u("/api/v1/audit"), &pedro, None);
    assert_eq!(status, 403);
    // Joost is not part of this absence: the list has nothing for him.
    let joost = desk
        .ok(&["token", "create", "--member", "joost"])
        .trim()
        .to_string();
    let (status, list) = common::api("GET", &u("/api/v1/briefs"), &joost, None);
    assert_eq!(status, 200);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|a| a["member"] != "ana"),
        "{list}"
    );
}

/// Ana's brief for acme, written on 27 July and acknowledged by Pedro an hour later.
fn handed_over(desk: &Desk) -> serde_json::Value {
    let out = edit(desk, &["--client", "acme", "--at", "2026-07-27T10:00:00Z"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    desk.ok(&[
        "brief",
        "ack",
        &b["id"].to_string(),
        "--as",
        "pedro",
        "--at",
        "2026-07-27T11:00:00Z",
    ]);
    b
}
