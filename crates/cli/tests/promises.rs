//! The promise register through the real binary, clock pinned: a refund the cover may not
//! grant alone waits for the owner's approval while the client is told it will be confirmed;
//! approved, it becomes due, warns its member the day after and the managers a day later, and
//! counts in the client's risk until it is kept. Every step is in the audit log.

mod common;

use common::{Desk, RUIZ};

fn desk() -> Desk {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    desk
}

fn add(desk: &Desk, by: &str, kind: &str, what: &str, due: &str, at: &str) -> serde_json::Value {
    desk.json(&[
        "promise", "add", "--client", "acme", "--as", by, "--kind", kind, "--what", what, "--due",
        due, "--at", at,
    ])
}

#[test]
fn a_refund_waits_for_approval_then_warns_when_overdue_until_it_is_kept() {
    let desk = desk();
    // Pedro (who covers Ana's clients) would promise ACME a refund: it waits for approval.
    let p = add(
        &desk,
        "pedro",
        "refund",
        "Devolver la factura de marzo",
        "2026-03-10",
        "2026-03-02T10:00:00+01:00",
    );
    assert_eq!(p["state"], "pending", "{p}");
    assert_eq!(
        p["suggested_reply"], "Se lo confirmo antes del martes 10 de marzo.",
        "the client (Spanish) is told it will be confirmed: {p}"
    );
    let id = p["id"].to_string();
    // The owner hears of it once.
    let sent = common::delivered(&desk, "2026-03-02T10:05:00+01:00");
    let asks: Vec<_> = sent
        .iter()
        .filter(|m| m.0.starts_with("promise-approval:"))
        .collect();
    assert_eq!(asks.len(), 1, "{sent:?}");
    assert_eq!(asks[0].1, "ana@ruiz.example");
    assert!(
        asks[0].3.contains("Devolver la factura de marzo"),
        "{asks:?}"
    );
    assert!(
        common::delivered(&desk, "2026-03-02T10:10:00+01:00")
            .iter()
            .all(|m| !m.0.starts_with("promise-approval:"))
    );
    // Only a manager decides, and only once.
    let err = desk.fails(&["promise", "approve", &id, "--as", "pedro"]);
    assert!(err.contains("only owners and managers approve"), "{err}");
    let ok = desk.json(&[
        "promise",
        "approve",
        &id,
        "--as",
        "ana",
        "--note",
        "Sí, pero solo marzo",
        "--at",
        "2026-03-02T11:00:00+01:00",
    ]);
    assert_eq!(
        (ok["state"].as_str(), ok["note"].as_str()),
        (Some("open"), Some("Sí, pero solo marzo"))
    );
    let err = desk.fails(&["promise", "refuse", &id, "--as", "ana"]);
    assert!(err.contains("not waiting for approval"), "{err}");
    // Due on the 10th: on the 11th Pedro is warned; on the 12th the managers too.
    assert!(
        common::delivered(&desk, "2026-03-10T18:00:00+01:00")
            .iter()
            .all(|m| !m.0.starts_with("promise-overdue"))
    );
    let sent = common::delivered(&desk, "2026-03-11T09:00:00+01:00");
    let warned: Vec<(&str, &str)> = sent
        .iter()
        .filter(|m| m.0.starts_with("promise-overdue"))
        .map(|m| (m.0.as_str(), m.1.as_str()))
        .collect();
    assert_eq!(
        warned,
        [(
            format!("promise-overdue:{id}:pedro").as_str(),
            "pedro@ruiz.example"
        )]
    );
    let sent = common::delivered(&desk, "2026-03-12T09:00:00+01:00");
    assert!(
        sent.iter()
            .any(|m| m.0 == format!("promise-overdue-managers:{id}:ana")),
        "{sent:?}"
    );
    // Meanwhile it counts in ACME's risk and shows in the owner's digest.
    let risk = desk.json(&[
        "risk",
        "--client",
        "acme",
        "--at",
        "2026-03-12T10:00:00+01:00",
    ]);
    assert!(
        risk["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["text"] == "1 promise overdue"),
        "{risk}"
    );
    let d = desk.json(&["digest", "--as", "ana", "--at", "2026-03-12T08:30:00+01:00"]);
    assert!(
        d.to_string().contains("Devolver la factura de marzo"),
        "{d}"
    );
    // Kept, by the one who promised: no more warnings, no more risk.
    let err = desk.fails(&["promise", "kept", &id, "--as", "nobody"]);
    assert!(err.contains("nobody"), "{err}");
    let kept = desk.json(&[
        "promise",
        "kept",
        &id,
        "--as",
        "pedro",
        "--at",
        "2026-03-12T12:00:00+01:00",
    ]);
    assert_eq!(kept["state"], "kept");
    let risk = desk.json(&[
        "risk",
        "--client",
        "acme",
        "--at",
        "2026-03-12T13:00:00+01:00",
    ]);
    assert_eq!(risk["score"], 0, "{risk}");
    // The audit log has each step, and is intact.
    let kinds = common::audit_kinds(&desk, "acme", &["promise."]);
    assert_eq!(
        kinds,
        ["promise.recorded", "promise.approved", "promise.kept"]
    );
    assert_eq!(desk.json(&["audit", "verify"])["ok"], true);
}

#[test]
fn a_manager_s_own_promise_needs_no_approval_and_bad_input_is_refused_writing_nothing() {
    let desk = desk();
    let p = add(
        &desk,
        "ana",
        "discount",
        "10% en abril",
        "2026-04-01",
        "2026-03-02T10:00:00+01:00",
    );
    assert_eq!(
        (p["state"].as_str(), p["suggested_reply"].is_null()),
        (Some("open"), true)
    );
    // A plain delivery by the cover needs none either.
    let d = add(
        &desk,
        "pedro",
        "delivery",
        "El informe",
        "2026-03-06",
        "2026-03-02T10:00:00+01:00",
    );
    assert_eq!(d["state"], "open");
    for (client, kind, what, due, words) in [
        ("acme", "bribe", "x", "2026-04-01", "bribe"),
        (
            "acme",
            "delivery",
            "x",
            "2026-02-01",
            "before the day it was promised",
        ),
        ("acme", "delivery", "  ", "2026-04-01", "what"),
        ("nobody", "delivery", "x", "2026-04-01", "nobody"),
    ] {
        let err = desk.fails(&[
            "promise",
            "add",
            "--client",
            client,
            "--as",
            "ana",
            "--kind",
            kind,
            "--what",
            what,
            "--due",
            due,
            "--at",
            "2026-03-02T10:00:00+01:00",
        ]);
        assert!(err.contains(words), "{words:?} not in {err}");
    }
    // A promise to a client Pedro does not serve is not his to see, nor to mark kept.
    let err = desk.fails(&["promise", "kept", &p["id"].to_string(), "--as", "pedro"]);
    assert!(err.contains("no such promise"), "{err}");
    let list = desk.json(&["promise", "list", "--as", "ana"]);
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "nothing written by the refusals: {list}"
    );
}

#[test]
fn an_answer_that_promises_is_pointed_out_for_the_register() {
    let desk = desk();
    let c = common::add(
        &desk,
        "email",
        "2026-03-02T10:00:00+01:00",
        "¿Y el presupuesto?",
    );
    let body = desk.dir.path().join("answer.txt");
    std::fs::write(
        &body,
        "Hola Marcos. Te lo envío mañana sin falta. Un saludo.",
    )
    .unwrap();
    let r = desk.json(&[
        "reply",
        &c["id"].to_string(),
        "--send",
        "--body-file",
        body.to_str().unwrap(),
        "--at",
        "2026-03-02T11:00:00+01:00",
    ]);
    assert_eq!(
        r["promises"],
        serde_json::json!(["Te lo envío mañana sin falta."]),
        "{r}"
    );
}

#[test]
fn promises_in_the_browser_from_an_answer_and_over_the_api() {
    let desk = desk();
    for (member, password) in [
        ("ana", "ana's long password"),
        ("pedro", "pedro's long password"),
    ] {
        desk.ok_with_stdin(
            &["password", "set", "--member", member],
            &format!("{password}\n"),
        );
    }
    let c = common::add(
        &desk,
        "email",
        "2026-03-02T09:00:00+01:00",
        "¿Y el presupuesto?",
    );
    let ana_token = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let pedro_token = desk
        .ok(&["token", "create", "--member", "pedro"])
        .trim()
        .to_string();
    let server = common::Server::start_with(&desk, &["--at", "2026-03-02T10:00:00+01:00"]).0;
    let ana = common::sign_in(&server, "ana@ruiz.example", "ana's long password");
    // Ana answers the contact in the browser, promising a date: the page offers to record it.
    let (_, html) = common::page(&server, &format!("/contacts/{}", c["id"]), Some(&ana));
    let csrf = common::form_csrf(&html);
    let resp = common::post_form(
        &server,
        &format!("/contacts/{}/answer", c["id"]),
        &format!("fd_session={ana}"),
        &[
            ("csrf", &csrf),
            ("text", "Hola Marcos. Te lo envío el viernes. Un saludo."),
        ],
    );
    assert_eq!(resp.status().as_u16(), 303);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(to.contains("?promise="), "{to}");
    let (_, html) = common::page(&server, &to, Some(&ana));
    assert!(
        html.contains("id=\"answer-promises\"") && html.contains("Te lo envío el viernes."),
        "{html}"
    );
    // Recorded from the contact's page; a date that is not one is refused, naming the field.
    let (status, html) = common::submit(
        &server,
        &ana,
        "/promises",
        &[
            ("csrf", &csrf),
            ("client", "acme"),
            ("contact", &c["id"].to_string()),
            ("kind", "delivery"),
            ("what", "El presupuesto"),
            ("due", "el viernes"),
        ],
    );
    assert_eq!(status, 422);
    assert!(html.contains("By: el viernes is not a date"), "{html}");
    assert!(
        html.contains("value=\"El presupuesto\""),
        "what was typed is kept: {html}"
    );
    let (status, _) = common::submit(
        &server,
        &ana,
        "/promises",
        &[
            ("csrf", &csrf),
            ("client", "acme"),
            ("contact", &c["id"].to_string()),
            ("kind", "delivery"),
            ("what", "El presupuesto"),
            ("due", "2026-03-06"),
        ],
    );
    assert_eq!(status, 303);
    let (_, html) = common::page(&server, "/promises", Some(&ana));
    assert!(
        html.contains("El presupuesto") && html.contains("promised"),
        "{html}"
    );
    // Over the API: Pedro asks for a discount, which waits for Ana.
    let url = &server.url;
    let (status, p) = common::api(
        "POST",
        &format!("{url}/api/v1/promises"),
        &pedro_token,
        Some(serde_json::json!(
        {"client": "acme", "kind": "discount", "what": "10% en abril", "due": "2026-04-01"})),
    );
    assert_eq!((status, p["state"].as_str()), (201, Some("pending")), "{p}");
    assert!(
        p["suggested_reply"]
            .as_str()
            .unwrap()
            .starts_with("Se lo confirmo"),
        "{p}"
    );
    let id = p["id"].as_i64().unwrap();
    let (status, e) = common::api(
        "POST",
        &format!("{url}/api/v1/promises/{id}/approve"),
        &pedro_token,
        None,
    );
    assert_eq!(status, 409, "{e}");
    let (status, e) = common::api(
        "POST",
        &format!("{url}/api/v1/promises"),
        &pedro_token,
        Some(serde_json::json!(
        {"client": "acme", "kind": "bribe", "what": "x", "due": "2026-04-01"})),
    );
    assert_eq!(status, 422, "{e}");
    // Ana approves it in the browser.
    let (_, html) = common::page(&server, "/promises", Some(&ana));
    assert!(
        html.contains("Until approved, tell the client: Se lo confirmo"),
        "{html}"
    );
    let (status, _) = common::submit(
        &server,
        &ana,
        &format!("/promise/{id}/approve"),
        &[("csrf", &csrf), ("note", "Vale")],
    );
    assert_eq!(status, 303);
    let (status, p) = common::api(
        "POST",
        &format!("{url}/api/v1/promises/{id}/kept"),
        &pedro_token,
        None,
    );
    assert_eq!(
        (status, p["state"].as_str(), p["note"].as_str()),
        (200, Some("kept"), Some("Vale")),
        "{p}"
    );
    let (_, all) = common::api("GET", &format!("{url}/api/v1/promises"), &ana_token, None);
    assert_eq!(all.as_array().map(Vec::len), Some(2), "{all}");
    let (_, doc) = common::api("GET", &format!("{url}/api/openapi.json"), &ana_token, None);
    assert!(doc["paths"]["/api/v1/promises"].is_object());
}
