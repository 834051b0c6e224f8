//! Satisfaction 1–10 against the goal through the real binary and server, clock pinned: the
//! client gets a secret link in their language, rates once without an account, a low rating
//! raises the client's risk, the link can be revoked, and a deliverable marked done in the
//! browser asks for its rating by itself.

mod common;

use common::{Desk, RUIZ};

fn desk() -> Desk {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    desk.ok(&[
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
    desk
}

/// GET a public page: (status, body, the form cookie's value).
fn get(server: &common::Server, path: &str) -> (u16, String, Option<String>) {
    let resp = common::agent()
        .get(format!("{}{path}", server.url))
        .call()
        .unwrap();
    let cookie = common::set_cookie(&resp, "fd_rate");
    let status = resp.status().as_u16();
    (
        status,
        resp.into_body().read_to_string().unwrap_or_default(),
        cookie,
    )
}

fn post(server: &common::Server, path: &str, cookie: &str, form: &[(&str, &str)]) -> (u16, String) {
    let resp = common::post_form(server, path, &format!("fd_rate={cookie}"), form);
    let status = resp.status().as_u16();
    (
        status,
        resp.into_body().read_to_string().unwrap_or_default(),
    )
}

#[test]
fn the_client_rates_once_through_the_link_and_a_low_rating_raises_the_risk() {
    let desk = desk();
    let r = desk.json(&[
        "rating",
        "request",
        "--client",
        "acme",
        "--deliverable",
        "1",
        "--public-url",
        "http://desk.example",
        "--as",
        "ana",
        "--at",
        "2027-02-01T10:00:00+01:00",
    ]);
    let link = r["link"].as_str().unwrap().to_string();
    assert!(link.starts_with("http://desk.example/rate/"), "{r}");
    let sent = common::delivered(&desk, "2027-02-01T10:01:00+01:00");
    let asked: Vec<_> = sent
        .iter()
        .filter(|m| m.0.starts_with("rating-request:"))
        .collect();
    assert_eq!(asked.len(), 1, "{sent:?}");
    assert_eq!(asked[0].1, "marcos@acme.example");
    assert!(
        asked[0].3.contains("20 clientes nuevos al trimestre") && asked[0].3.contains(&link),
        "{asked:?}"
    );
    let path = link.trim_start_matches("http://desk.example").to_string();
    let server = common::Server::start_with(&desk, &["--at", "2027-02-02T10:00:00+01:00"]).0;
    let (status, html, cookie) = get(&server, &path);
    assert_eq!(status, 200);
    assert!(
        html.contains("El objetivo acordado al inicio: 20 clientes nuevos al trimestre"),
        "{html}"
    );
    let cookie = cookie.expect("a form cookie");
    let (status, html) = post(
        &server,
        &path,
        &cookie,
        &[("csrf", &cookie), ("score", "11")],
    );
    assert_eq!(status, 422);
    assert!(
        html.contains("Puntuación: 11 no es un número del 1 al 10."),
        "{html}"
    );
    let (status, html) = post(
        &server,
        &path,
        &cookie,
        &[
            ("csrf", &cookie),
            ("score", "4"),
            ("comment", "Llegó tarde y a medias"),
        ],
    );
    assert_eq!(status, 200);
    assert!(html.contains("id=\"rate-thanks\""), "{html}");
    // Sent again: the first answer stands.
    post(
        &server,
        &path,
        &cookie,
        &[("csrf", &cookie), ("score", "10")],
    );
    let list = desk.json(&["rating", "list", "--client", "acme"]);
    assert_eq!(
        (list[0]["score"].as_u64(), list[0]["comment"].as_str()),
        (Some(4), Some("Llegó tarde y a medias"))
    );
    // On the owner's dashboard, marked low.
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "ana's long password\n",
    );
    let ana = common::sign_in(&server, "ana@ruiz.example", "ana's long password");
    let (_, html) = common::page(&server, "/dashboard", Some(&ana));
    assert!(
        html.contains("id=\"dash-ratings\"")
            && html.contains("<tr class=\"low\"><td>ACME Foundation</td><td>4/10</td>"),
        "{html}"
    );
    // A 4 out of 10 is a warning in the risk.
    let risk = desk.json(&[
        "risk",
        "--client",
        "acme",
        "--at",
        "2027-02-02T10:00:00+01:00",
    ]);
    assert!(
        risk.to_string().contains("rated the work 4 out of 10"),
        "{risk}"
    );
    assert_eq!(risk["step"], "call_about_complaint", "{risk}");
    // Revoked, the link no longer opens.
    desk.ok(&["rating", "revoke", &r["id"].to_string(), "--as", "ana"]);
    let (status, _, _) = get(&server, &path);
    assert_eq!(status, 404);
    assert!(
        common::audit_kinds(&desk, "acme", &["rating."])
            == ["rating.requested", "rating.given", "rating.revoked"]
    );
}

#[test]
fn bad_requests_are_refused_naming_the_field() {
    let desk = desk();
    let err = desk.fails(&[
        "rating", "request", "--client", "acme", "--as", "ana", "--goal", "x",
    ]);
    assert!(err.contains("--public-url"), "{err}");
    let err = desk.fails(&[
        "rating",
        "request",
        "--client",
        "acme",
        "--public-url",
        "http://d",
        "--as",
        "ana",
    ]);
    assert!(err.contains("goal"), "{err}");
    let err = desk.fails(&[
        "rating",
        "request",
        "--client",
        "acme",
        "--deliverable",
        "9",
        "--public-url",
        "http://d",
        "--as",
        "ana",
    ]);
    assert!(err.contains("deliverable 9"), "{err}");
    assert_eq!(desk.json(&["rating", "list"]), serde_json::json!([]));
}

#[test]
fn a_deliverable_done_in_the_browser_asks_for_its_rating() {
    let desk = desk();
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "ana's long password\n",
    );
    let server = common::Server::start_with(&desk, &["--at", "2027-02-01T10:00:00+01:00"]).0;
    let ana = common::sign_in(&server, "ana@ruiz.example", "ana's long password");
    let (_, html) = common::page(&server, "/deliverables", Some(&ana));
    let csrf = common::form_csrf(&html);
    let (status, _) = common::submit(&server, &ana, "/deliverables/1/done", &[("csrf", &csrf)]);
    assert_eq!(status, 303);
    let list = desk.json(&["rating", "list", "--client", "acme"]);
    assert_eq!(list[0]["deliverable"], 1, "{list}");
    let (_, html) = common::page(&server, "/clients/acme", Some(&ana));
    assert!(html.contains("id=\"ratings\""), "{html}");
    // The dashboard lists only given ratings: none yet.
    let (_, html) = common::page(&server, "/dashboard", Some(&ana));
    assert!(!html.contains("id=\"dash-ratings\""), "{html}");
}

#[test]
fn with_monthly_ratings_each_client_with_a_goal_is_asked_once_a_month() {
    let desk = Desk::new();
    let file = desk.dir.path().join("monthly.toml");
    let text = std::fs::read_to_string(RUIZ).unwrap().replacen(
        "language = \"es\"\n",
        "language = \"es\"\nmonthly_ratings = true\n",
        1,
    );
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    let asked = |at: &str, url: Option<&str>| -> Vec<(String, String)> {
        let out = desk.dir.path().join("sent.jsonl");
        let _ = std::fs::remove_file(&out);
        let mut args = vec!["tick", "--at", at, "--outbox-file", out.to_str().unwrap()];
        if let Some(u) = url {
            args.extend(["--public-url", u]);
        }
        desk.ok(&args);
        std::fs::read_to_string(&out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v["key"].as_str().unwrap().starts_with("rating-request:"))
            .map(|v| {
                (
                    v["to"].as_str().unwrap().to_string(),
                    v["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // A pass that does not know where clients reach the server asks nothing.
    assert!(asked("2026-12-01T09:00:00+01:00", None).is_empty());
    // Ana's first working day of December, after the digest time: asked, in Spanish, once.
    assert!(asked("2026-12-01T08:00:00+01:00", Some("https://desk.example")).is_empty());
    let first = asked("2026-12-01T09:00:00+01:00", Some("https://desk.example"));
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].0, "marcos@acme.example");
    assert!(
        first[0].1.contains("20 new clients a quarter"),
        "{}",
        first[0].1
    );
    assert!(
        first[0].1.contains("https://desk.example/rate/"),
        "{}",
        first[0].1
    );
    assert!(asked("2026-12-01T09:30:00+01:00", Some("https://desk.example")).is_empty());
    assert!(asked("2026-12-15T09:30:00+01:00", Some("https://desk.example")).is_empty());
    // January's comes in January.
    assert_eq!(
        asked("2027-01-04T10:00:00+01:00", Some("https://desk.example")).len(),
        1
    );
    let list = desk.json(&["rating", "list", "--client", "acme"]);
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
    // A bad address is refused, naming it.
    let err = desk.fails(&["tick", "--public-url", "desk.example"]);
    assert!(err.contains("\"desk.example\" is not an address"), "{err}");
}
