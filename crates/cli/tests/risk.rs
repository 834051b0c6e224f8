//! Escalation risk and the managers' digest, through the real binary on a temporary database
//! with the clock pinned: the story of a client whose invoice question was answered late, who
//! chased it twice and then talked of leaving — and the digest the owner gets the next morning.

mod common;

use common::{Desk, RUIZ};

fn email(desk: &Desk, at: &str, body: &str) -> i64 {
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
        body,
    ])["id"]
        .as_i64()
        .unwrap()
}

fn story() -> Desk {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    // Monday: the February invoice, answered on Wednesday evening — late.
    let invoice = email(
        &desk,
        "2026-03-02T10:00:00+01:00",
        "¿Me puedes enviar la factura de febrero?",
    );
    // Tuesday: the first chase.
    email(
        &desk,
        "2026-03-03T09:30:00+01:00",
        "¿Alguna novedad con la factura?",
    );
    // Wednesday: the website is down (urgent, answered within the hour), and the explosion.
    let down = email(
        &desk,
        "2026-03-04T10:00:00+01:00",
        "La web está caída y no podemos vender nada",
    );
    desk.ok(&[
        "reply",
        &down.to_string(),
        "--at",
        "2026-03-04T10:40:00+01:00",
    ]);
    email(
        &desk,
        "2026-03-04T11:00:00+01:00",
        "Es inaceptable, sigo esperando la factura. Si no la tengo mañana buscaremos otro proveedor.",
    );
    desk.ok(&[
        "reply",
        &invoice.to_string(),
        "--at",
        "2026-03-04T17:00:00+01:00",
    ]);
    desk
}

#[test]
fn a_client_who_chases_and_talks_of_leaving_is_at_high_risk_with_reasons_and_a_next_step() {
    let desk = story();
    // Monday evening: one open question, nothing to worry about yet.
    let monday = desk.json(&["risk", "--at", "2026-03-02T19:00:00+01:00"]);
    let acme = monday
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["client"] == "acme")
        .unwrap();
    assert_eq!(acme["level"], "calm", "{monday}");
    // Thursday morning: talk of leaving (40), two chases after a late answer (24), one
    // contact overdue (15), a complaint (12), one due within hours (5).
    let all = desk.json(&["risk", "--at", "2026-03-05T08:00:00+01:00"]);
    let first = &all[0];
    assert_eq!(first["client"], "acme", "{all}");
    assert_eq!(first["level"], "high", "{first}");
    let score = first["score"].as_u64().unwrap();
    assert!(score >= 96, "{first}");
    assert_eq!(first["step"], "call_with_manager");
    let reasons: Vec<&str> = first["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"talked of leaving today"), "{reasons:?}");
    assert!(
        reasons.contains(&"2 follow-ups in 2 days; the last answer came 2 days late"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("complaint") && r.ends_with("in 14 days")),
        "{reasons:?}"
    );
    // One line per client of the practice.
    assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
    // In words, for a person.
    let text = desk.ok(&["risk", "--at", "2026-03-05T08:00:00+01:00"]);
    assert!(
        text.contains("next: call the client today, with the manager on the call"),
        "{text}"
    );
}

#[test]
fn the_daily_score_is_kept_for_the_chart() {
    let desk = story();
    common::delivered(&desk, "2026-03-03T12:00:00+01:00");
    common::delivered(&desk, "2026-03-05T09:00:00+01:00");
    let acme = desk.json(&[
        "risk",
        "--client",
        "acme",
        "--at",
        "2026-03-05T10:00:00+01:00",
    ]);
    let history: Vec<(String, u64)> = acme["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["day"].as_str().unwrap().to_string(),
                d["score"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(history.len(), 2, "{acme}");
    assert_eq!(history[0].0, "2026-03-03");
    assert!(history[0].1 < 50, "{history:?}");
    assert_eq!(history[1].0, "2026-03-05");
    assert!(history[1].1 >= 96, "{history:?}");
}

#[test]
fn the_owner_gets_one_digest_on_working_mornings_in_their_language() {
    let desk = story();
    // 08:30 in Madrid on Thursday 5 March: the digest, in Spanish (the practice's language).
    assert!(
        common::delivered(&desk, "2026-03-05T07:29:00Z")
            .iter()
            .all(|m| !m.0.starts_with("digest:")),
        "not before 08:30"
    );
    let sent: Vec<_> = common::delivered(&desk, "2026-03-05T07:30:00Z")
        .into_iter()
        .filter(|m| m.0.starts_with("digest:"))
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (key, to, subject, text) = &sent[0];
    assert_eq!(
        (key.as_str(), to.as_str()),
        ("digest:ana:2026-03-05", "ana@ruiz.example")
    );
    assert!(subject.contains("1 clientes en riesgo"), "{subject}");
    for words in [
        "Buenos días, Ana Ruiz.",
        "Clientes en riesgo:",
        "- ACME Foundation (riesgo ",
        "habló de irse hoy",
        "Siguiente paso: llamar hoy al cliente, con el responsable en la llamada.",
        "Contactos vencidos:",
        "Contactos urgentes atendidos desde el último resumen:",
    ] {
        assert!(text.contains(words), "{words:?} not in:\n{text}");
    }
    // Once a day.
    assert!(
        common::delivered(&desk, "2026-03-05T08:00:00Z")
            .iter()
            .all(|m| !m.0.starts_with("digest:"))
    );
    // Not on Saturday, nor on a working day with nothing to report.
    assert!(
        common::delivered(&desk, "2026-03-07T07:30:00Z")
            .iter()
            .all(|m| !m.0.starts_with("digest:"))
    );
    let quiet = Desk::new();
    quiet.ok(&["apply", RUIZ]);
    assert!(
        common::delivered(&quiet, "2026-03-05T07:30:00Z")
            .iter()
            .all(|m| !m.0.starts_with("digest:"))
    );
    assert_eq!(
        quiet.ok(&["digest", "--at", "2026-03-05T07:30:00Z"]).trim(),
        "nothing to report"
    );
    // The same digest on demand, as JSON.
    let d = desk.json(&["digest", "--as", "ana", "--at", "2026-03-05T07:30:00Z"]);
    assert_eq!(d["risks"][0]["client"], "acme", "{d}");
    // Tuesday's chase is overdue; Wednesday's complaint is due at 11:00.
    assert_eq!(d["overdue"].as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d["urgent_handled"][0]["by"], "ana", "{d}");
}

#[test]
fn bad_input_is_refused_naming_the_field() {
    let desk = story();
    let err = desk.fails(&["risk", "--client", "nobody"]);
    assert!(err.contains("--client") && err.contains("nobody"), "{err}");
    let err = desk.fails(&["digest", "--as", "pedro"]);
    assert!(
        err.contains("--as") && err.contains("does not oversee"),
        "{err}"
    );
    let err = desk.fails(&["digest", "--as", "nobody"]);
    assert!(err.contains("--as") && err.contains("nobody"), "{err}");
    let err = desk.fails(&["risk", "--at", "tomorrow"]);
    assert!(err.contains("--at"), "{err}");
}

#[test]
fn the_risk_page_the_client_chart_the_digest_page_and_the_api() {
    let desk = story();
    for (member, password) in [
        ("ana", "ana's long password"),
        ("pedro", "pedro's long password"),
    ] {
        desk.ok_with_stdin(
            &["password", "set", "--member", member],
            &format!("{password}\n"),
        );
    }
    common::delivered(&desk, "2026-03-03T12:00:00+01:00");
    let ana_token = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let pedro_token = desk
        .ok(&["token", "create", "--member", "pedro"])
        .trim()
        .to_string();
    let server = common::Server::start_with(&desk, &["--at", "2026-03-05T08:00:00+01:00"]).0;
    let ana = common::sign_in(&server, "ana@ruiz.example", "ana's long password");
    let (status, html) = common::page(&server, "/risk", Some(&ana));
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"risk-acme\"") && html.contains("talked of leaving today"),
        "{html}"
    );
    assert!(html.contains("href=\"/digest\""), "{html}");
    // The client's page: the risk now and the chart of the kept days (3 March, today).
    let (_, html) = common::page(&server, "/clients/acme", Some(&ana));
    assert!(
        html.contains("id=\"risk\"") && html.contains("of 100"),
        "{html}"
    );
    assert_eq!(html.matches("<circle").count(), 2, "{html}");
    let (status, html) = common::page(&server, "/digest", Some(&ana));
    assert_eq!(status, 200);
    assert!(
        html.contains("Overdue contacts") && html.contains("ACME Foundation (risk "),
        "{html}"
    );
    // Pedro owns no client: he sees no risk, and no digest.
    let pedro = common::sign_in(&server, "pedro@ruiz.example", "pedro's long password");
    let (status, html) = common::page(&server, "/risk", Some(&pedro));
    assert_eq!(status, 200);
    assert!(!html.contains("id=\"risk-acme\""), "{html}");
    let (status, _) = common::page(&server, "/digest", Some(&pedro));
    assert_eq!(status, 404);
    // The API: the list, one client with its history, the digest.
    let url = &server.url;
    let (status, list) = common::api("GET", &format!("{url}/api/v1/risk"), &ana_token, None);
    assert_eq!(status, 200);
    assert_eq!(
        (list[0]["client"].as_str(), list[0]["level"].as_str()),
        (Some("acme"), Some("high"))
    );
    assert_eq!(list[0]["reasons"][0]["kind"], "escalation", "{list}");
    assert_eq!(list[0]["reasons"][0]["signal"]["leaving"], true, "{list}");
    let (_, one) = common::api("GET", &format!("{url}/api/v1/risk/acme"), &ana_token, None);
    assert_eq!(one["history"].as_array().map(Vec::len), Some(2), "{one}");
    let (status, d) = common::api("GET", &format!("{url}/api/v1/digest"), &ana_token, None);
    assert_eq!((status, d["empty"].as_bool()), (200, Some(false)), "{d}");
    assert_eq!(d["sections"][0]["title"], "Clients at risk", "{d}");
    let (status, list) = common::api("GET", &format!("{url}/api/v1/risk"), &pedro_token, None);
    assert_eq!((status, list), (200, serde_json::json!([])));
    let (status, _) = common::api(
        "GET",
        &format!("{url}/api/v1/risk/acme"),
        &pedro_token,
        None,
    );
    assert_eq!(status, 404);
    let (status, _) = common::api("GET", &format!("{url}/api/v1/digest"), &pedro_token, None);
    assert_eq!(status, 403);
    // The OpenAPI document lists them.
    let (_, doc) = common::api("GET", &format!("{url}/api/openapi.json"), &ana_token, None);
    for path in ["/api/v1/risk", "/api/v1/risk/{client}", "/api/v1/digest"] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}
