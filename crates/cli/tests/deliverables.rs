//! Story S4 through the real binary, clock pinned: "to finish X by 1 February we need A, B and
//! C by 20 January" — sent to the client in their language, a reminder of what is missing two
//! days before, the deliverable on hold the day after with the options told to the client, the
//! days counted, and the work resumed with its date moved when the last item arrives.

mod common;

use common::{Desk, RUIZ};

fn desk() -> Desk {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    desk
}

fn to_client(sent: &[(String, String, String, String)], kind: &str) -> Vec<(String, String)> {
    sent.iter()
        .filter(|m| m.0.starts_with(kind) && m.1 == "marcos@acme.example")
        .map(|m| (m.2.clone(), m.3.clone()))
        .collect()
}

#[test]
fn missing_input_puts_the_work_on_hold_and_its_arrival_resumes_it_with_a_new_date() {
    let desk = desk();
    let d = desk.json(&[
        "deliverable",
        "add",
        "--client",
        "acme",
        "--name",
        "el plan de marketing",
        "--goal",
        "20 clientes nuevos al trimestre",
        "--due",
        "2027-02-01",
        "--as",
        "ana",
        "--at",
        "2027-01-08T10:00:00+01:00",
    ]);
    assert_eq!(
        (d["state"].as_str(), d["due"].as_str()),
        (Some("active"), Some("2027-02-01"))
    );
    let r = desk.json(&[
        "input",
        "request",
        "--deliverable",
        &d["id"].to_string(),
        "--item",
        "los precios",
        "--item",
        "el logo",
        "--item",
        "la lista de clientes",
        "--by",
        "2027-01-20",
        "--as",
        "ana",
        "--at",
        "2027-01-10T10:00:00+01:00",
    ]);
    let request = r["id"].to_string();
    let sent = common::delivered(&desk, "2027-01-10T10:01:00+01:00");
    let asked = to_client(&sent, "input-request:");
    assert_eq!(asked.len(), 1, "{sent:?}");
    assert!(
        asked[0].1.contains("Para terminar el plan de marketing el lunes 1 de febrero necesitamos los precios, el logo y la lista de clientes antes del miércoles 20 de enero."),
        "{asked:?}"
    );
    // The prices arrive; two days before the date the client is reminded of the rest, once.
    desk.ok(&[
        "input",
        "received",
        &request,
        "--item",
        "1",
        "--as",
        "ana",
        "--at",
        "2027-01-12T10:00:00+01:00",
    ]);
    assert!(
        to_client(
            &common::delivered(&desk, "2027-01-17T10:00:00+01:00"),
            "input-reminder:"
        )
        .is_empty()
    );
    let reminded = to_client(
        &common::delivered(&desk, "2027-01-18T10:00:00+01:00"),
        "input-reminder:",
    );
    assert_eq!(reminded.len(), 1);
    assert!(
        reminded[0]
            .1
            .contains("aún necesitamos el logo y la lista de clientes"),
        "{reminded:?}"
    );
    assert!(
        to_client(
            &common::delivered(&desk, "2027-01-19T10:00:00+01:00"),
            "input-reminder:"
        )
        .is_empty()
    );
    // The 20th passes: on hold from the 21st, the client told the options.
    let sent = common::delivered(&desk, "2027-01-21T09:00:00+01:00");
    let held = to_client(&sent, "input-missed:");
    assert_eq!(held.len(), 1, "{sent:?}");
    assert!(
        held[0]
            .1
            .contains("reservado con la tarifa de reserva por día"),
        "{held:?}"
    );
    let list = desk.json(&[
        "deliverable",
        "list",
        "--as",
        "ana",
        "--at",
        "2027-01-25T10:00:00+01:00",
    ]);
    assert_eq!(list[0]["state"], "on_hold", "{list}");
    assert_eq!(list[0]["days_on_hold"], 4, "{list}");
    // It counts in the risk and in the owner's digest.
    let risk = desk.json(&[
        "risk",
        "--client",
        "acme",
        "--at",
        "2027-01-25T10:00:00+01:00",
    ]);
    assert!(
        risk.to_string()
            .contains("1 deliverable on hold for missing input"),
        "{risk}"
    );
    let digest = desk.json(&["digest", "--as", "ana", "--at", "2027-01-25T08:30:00+01:00"]);
    assert!(!digest["empty"].as_bool().unwrap(), "{digest}");
    // The rest arrives on the 26th: resumed, five days added to the date, the client told.
    desk.ok(&[
        "input",
        "received",
        &request,
        "--item",
        "2",
        "--as",
        "ana",
        "--at",
        "2027-01-26T09:00:00+01:00",
    ]);
    let back = desk.json(&[
        "input",
        "received",
        &request,
        "--item",
        "3",
        "--as",
        "ana",
        "--at",
        "2027-01-26T10:00:00+01:00",
    ]);
    assert_eq!(
        (
            back["state"].as_str(),
            back["held_days"].as_i64(),
            back["due"].as_str()
        ),
        (Some("active"), Some(5), Some("2027-02-06"))
    );
    let resumed = to_client(
        &common::delivered(&desk, "2027-01-26T10:01:00+01:00"),
        "input-resumed:",
    );
    assert_eq!(resumed.len(), 1);
    assert!(
        resumed[0]
            .1
            .contains("la nueva fecha es el sábado 6 de febrero"),
        "{resumed:?}"
    );
    // Every step is in the audit log.
    let kinds = common::audit_kinds(&desk, "acme", &["deliverable.", "input."]);
    assert_eq!(
        kinds,
        [
            "deliverable.recorded",
            "input.requested",
            "input.received",
            "input.missed",
            "deliverable.on_hold",
            "input.received",
            "input.received",
            "deliverable.resumed",
        ]
    );
    assert_eq!(desk.json(&["audit", "verify"])["ok"], true);
}

#[test]
fn bad_input_is_refused_naming_the_field_and_writes_nothing() {
    let desk = desk();
    let add = |client: &str, name: &str, due: &str, by: &str| {
        desk.fails(&[
            "deliverable",
            "add",
            "--client",
            client,
            "--name",
            name,
            "--goal",
            "g",
            "--due",
            due,
            "--as",
            by,
            "--at",
            "2027-01-08T10:00:00+01:00",
        ])
    };
    assert!(add("nobody", "x", "2027-02-01", "ana").contains("nobody"));
    assert!(add("acme", " ", "2027-02-01", "ana").contains("name"));
    assert!(add("acme", "x", "2026-02-01", "ana").contains("due"));
    assert!(add("acme", "x", "2027-02-01", "pedro").contains("does not serve"));
    let d = desk.json(&[
        "deliverable",
        "add",
        "--client",
        "acme",
        "--name",
        "x",
        "--goal",
        "g",
        "--due",
        "2027-02-01",
        "--as",
        "ana",
        "--at",
        "2027-01-08T10:00:00+01:00",
    ]);
    let id = d["id"].to_string();
    let request = |by: &str, item: &str| {
        desk.fails(&[
            "input",
            "request",
            "--deliverable",
            &id,
            "--item",
            item,
            "--by",
            by,
            "--as",
            "ana",
            "--at",
            "2027-01-08T10:00:00+01:00",
        ])
    };
    assert!(request("2027-03-01", "a").contains("after the deliverable's due date"));
    assert!(request("2027-01-01", "a").contains("before today"));
    assert!(request("2027-01-20", "  ").contains("item"));
    let err = desk.fails(&[
        "input",
        "request",
        "--deliverable",
        &id,
        "--item",
        "a",
        "--by",
        "2027-01-20",
        "--as",
        "pedro",
    ]);
    assert!(err.contains("no such deliverable"), "{err}");
    let r = desk.json(&[
        "input",
        "request",
        "--deliverable",
        &id,
        "--item",
        "a",
        "--by",
        "2027-01-20",
        "--as",
        "ana",
        "--at",
        "2027-01-08T10:00:00+01:00",
    ]);
    let err = desk.fails(&[
        "input",
        "received",
        &r["id"].to_string(),
        "--item",
        "9",
        "--as",
        "ana",
    ]);
    assert!(err.contains("no item 9"), "{err}");
    let list = desk.json(&[
        "deliverable",
        "list",
        "--as",
        "ana",
        "--at",
        "2027-01-08T10:00:00+01:00",
    ]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["requests"].as_array().unwrap().len(), 1, "{list}");
}

#[test]
fn deliverables_in_the_browser() {
    let desk = desk();
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "ana's long password\n",
    );
    let server = common::Server::start_with(&desk, &["--at", "2027-01-08T10:00:00+01:00"]).0;
    let ana = common::sign_in(&server, "ana@ruiz.example", "ana's long password");
    let (status, html) = common::page(&server, "/deliverables", Some(&ana));
    assert_eq!(status, 200);
    let csrf = common::form_csrf(&html);
    // A date that is not one is refused naming the field.
    let (status, html) = common::submit(
        &server,
        &ana,
        "/deliverables",
        &[
            ("csrf", &csrf),
            ("client", "acme"),
            ("name", "the plan"),
            ("goal", "20 new clients"),
            ("due", "soon"),
        ],
    );
    assert_eq!(status, 422);
    assert!(html.contains("Due date: soon is not a date."), "{html}");
    let (status, _) = common::submit(
        &server,
        &ana,
        "/deliverables",
        &[
            ("csrf", &csrf),
            ("client", "acme"),
            ("name", "the plan"),
            ("goal", "20 new clients"),
            ("due", "2027-02-01"),
        ],
    );
    assert_eq!(status, 303);
    let (status, html) = common::submit(
        &server,
        &ana,
        "/deliverables/1/request",
        &[
            ("csrf", &csrf),
            ("items", "the prices\nthe logo\n"),
            ("by", "2027-03-01"),
        ],
    );
    assert_eq!(status, 422);
    assert!(
        html.contains("is after the deliverable's due date"),
        "{html}"
    );
    let (status, _) = common::submit(
        &server,
        &ana,
        "/deliverables/1/request",
        &[
            ("csrf", &csrf),
            ("items", "the prices\nthe logo\n"),
            ("by", "2027-01-20"),
        ],
    );
    assert_eq!(status, 303);
    let (status, _) = common::submit(&server, &ana, "/input/1/received/2", &[("csrf", &csrf)]);
    assert_eq!(status, 303);
    let (_, html) = common::page(&server, "/deliverables", Some(&ana));
    assert!(
        html.contains("id=\"deliverable-1\"")
            && html.contains("✓ the logo")
            && html.contains("Received: the prices"),
        "{html}"
    );
    let list = desk.json(&[
        "deliverable",
        "list",
        "--as",
        "ana",
        "--at",
        "2027-01-08T10:00:00+01:00",
    ]);
    assert_eq!(
        list[0]["requests"][0]["items"][1]["text"], "the logo",
        "{list}"
    );
}

#[test]
fn deliverables_input_and_ratings_over_the_api() {
    let desk = desk();
    let token = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let server = common::Server::start_with(
        &desk,
        &[
            "--at",
            "2027-01-08T10:00:00+01:00",
            "--public-url",
            "https://desk.example",
        ],
    )
    .0;
    let url = &server.url;
    let (status, d) = common::api(
        "POST",
        &format!("{url}/api/v1/deliverables"),
        &token,
        Some(serde_json::json!(
        {"client": "acme", "name": "the plan", "goal": "20 new clients", "due": "2027-02-01"})),
    );
    assert_eq!((status, d["state"].as_str()), (201, Some("active")), "{d}");
    let (status, e) = common::api(
        "POST",
        &format!("{url}/api/v1/deliverables"),
        &token,
        Some(serde_json::json!(
        {"client": "acme", "name": "x", "goal": "g", "due": "soon"})),
    );
    assert_eq!(status, 422, "{e}");
    assert!(e.to_string().contains("due"), "{e}");
    let (status, r) = common::api(
        "POST",
        &format!("{url}/api/v1/deliverables/1/requests"),
        &token,
        Some(serde_json::json!(
        {"items": ["the prices", "the logo"], "by": "2027-01-20"})),
    );
    assert_eq!(status, 201, "{r}");
    let (status, d) = common::api(
        "POST",
        &format!("{url}/api/v1/requests/1/items/2/received"),
        &token,
        None,
    );
    assert_eq!(status, 200, "{d}");
    assert!(d["requests"][0]["items"][1]["received"].is_string(), "{d}");
    let (status, _) = common::api(
        "POST",
        &format!("{url}/api/v1/requests/1/items/7/received"),
        &token,
        None,
    );
    assert_eq!(status, 422);
    let (status, d) = common::api(
        "POST",
        &format!("{url}/api/v1/deliverables/1/done"),
        &token,
        None,
    );
    assert_eq!((status, d["state"].as_str()), (200, Some("done")), "{d}");
    let (status, _) = common::api(
        "POST",
        &format!("{url}/api/v1/deliverables/1/done"),
        &token,
        None,
    );
    assert_eq!(status, 409);
    // Done asked the client for a rating; another one is asked for the month.
    let (_, list) = common::api("GET", &format!("{url}/api/v1/ratings"), &token, None);
    assert_eq!(list[0]["deliverable"], 1, "{list}");
    let (status, r) = common::api(
        "POST",
        &format!("{url}/api/v1/ratings"),
        &token,
        Some(serde_json::json!(
        {"client": "acme", "goal": "answers within a day"})),
    );
    assert_eq!(status, 201, "{r}");
    assert!(
        r["link"]
            .as_str()
            .unwrap()
            .starts_with("https://desk.example/rate/"),
        "{r}"
    );
    let (_, all) = common::api("GET", &format!("{url}/api/v1/deliverables"), &token, None);
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all}");
}
