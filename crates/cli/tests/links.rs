//! Secret links through the real server: a client's public booking page (in the client's
//! language, safe when several people book the same time at once) and a member's calendar feed;
//! both stop at once when revoked.

mod common;
use common::{Desk, RUIZ, Server, agent};

use serde_json::Value;

/// The example practice without ana's August absence, so that the next two weeks always have
/// free times whatever the date the test runs.
fn desk() -> Desk {
    let desk = Desk::new();
    let example = std::fs::read_to_string(RUIZ).unwrap();
    let text = example.replace(
        "[[absences]]\nmember = \"ana\"\nfrom = \"2026-08-03\"             # local dates in the member's zone, both inclusive\nuntil = \"2026-08-21\"\ncover = \"pedro\"\n",
        "",
    );
    assert_ne!(text, example);
    let file = desk.dir.path().join("practice.toml");
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    desk
}

fn link(desk: &Desk, server: &Server, args: &[&str]) -> (i64, String) {
    let mut all = vec!["link"];
    all.extend(args);
    all.extend(["--base-url", &server.url]);
    let v = desk.json(&all);
    (
        v["id"].as_i64().unwrap(),
        v["url"].as_str().unwrap().to_string(),
    )
}

/// GET: (status, CSRF cookie if set, body).
fn get(url: &str) -> (u16, Option<String>, String) {
    let resp = agent().get(url).call().unwrap();
    let status = resp.status().as_u16();
    let csrf = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("fd_book="))
        .map(|v| v.split(';').next().unwrap().to_string());
    (
        status,
        csrf,
        resp.into_body().read_to_string().unwrap_or_default(),
    )
}

/// The first slot button's value on a booking page.
fn first_slot(html: &str) -> String {
    let at = html.find("name=\"start\" value=\"").expect("a free time") + 20;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

fn post(url: &str, csrf: &str, start: &str) -> (u16, String) {
    post_with(url, csrf, csrf, start)
}

/// A booking form with the CSRF cookie and field given apart.
fn post_with(url: &str, cookie: &str, field: &str, start: &str) -> (u16, String) {
    let resp = agent()
        .post(url)
        .header("Cookie", format!("fd_book={cookie}"))
        .send_form([("csrf", field), ("start", start)])
        .unwrap();
    (
        resp.status().as_u16(),
        resp.into_body().read_to_string().unwrap_or_default(),
    )
}

#[test]
fn a_client_books_through_the_link_in_their_language() {
    let desk = desk();
    let server = Server::start(&desk);
    let (id, url) = link(&desk, &server, &["booking", "--client", "acme"]);
    let (status, csrf, html) = get(&url);
    assert_eq!(status, 200);
    assert!(
        html.contains("Reserve una llamada con Ruiz Consulting"),
        "{html}"
    );
    // The zone as people read it: its city and offset.
    assert!(html.contains("Madrid (UTC+01:00)"), "{html}");
    // Days in the client's language, not English.
    let english = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    assert!(!english.iter().any(|d| html.contains(d)), "{html}");
    assert!(
        ["lunes", "martes", "miércoles", "jueves", "viernes"]
            .iter()
            .any(|d| html.contains(d)),
        "{html}"
    );
    let csrf = csrf.expect("a CSRF cookie");
    let start = first_slot(&html);
    // Without the cookie's token in the form, or with a token the server never gave, the
    // form is refused.
    let (status, _) = post_with(&url, &csrf, "0", &start);
    assert_eq!(status, 403);
    let (status, _) = post(&url, "0", &start);
    assert_eq!(status, 403);
    let (status, html) = post(&url, &csrf, &start);
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Reservado"), "{html}");
    assert!(!english.iter().any(|d| html.contains(d)), "{html}");
    // The confirmation offers the invitation for the client's calendar.
    let at = html.find("href=\"/book/").expect("an invitation link") + 6;
    let path = &html[at..at + html[at..].find('"').unwrap()];
    let (status, _, ics) = get(&format!("{}{path}", server.url));
    assert_eq!(status, 200);
    assert!(
        ics.contains("METHOD:REQUEST") && ics.contains("ATTENDEE"),
        "{ics}"
    );
    // Another meeting's number through this link is not found.
    let other = path.rsplit_once('/').unwrap().0.to_string() + "/999.ics";
    let (status, _, _) = get(&format!("{}{other}", server.url));
    assert_eq!(status, 404);
    // The desk sees the booking; the same time again is taken, and fresh times are offered.
    let agenda = desk.json(&["agenda", "--client", "acme", "--days", "20"]);
    assert!(
        agenda
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["kind"] == "booked" && o["start"] == Value::String(start.clone())),
        "{agenda}"
    );
    let (status, html) = post(&url, &csrf, &start);
    assert_eq!(status, 409);
    assert!(html.contains("Ese horario se acaba de ocupar"), "{html}");
    assert!(
        !html.contains(&format!("value=\"{start}\"")),
        "the taken time is not offered again"
    );
    // Revoked, the link is gone.
    desk.ok(&["link", "revoke", &id.to_string()]);
    let (status, _, _) = get(&url);
    assert_eq!(status, 404);
    let (status, _, _) = get(&format!("{}/book/0000", server.url));
    assert_eq!(status, 404);
}

#[test]
fn of_many_clients_booking_one_time_at_once_exactly_one_gets_it() {
    let desk = desk();
    let server = Server::start(&desk);
    let (_, url) = link(&desk, &server, &["booking", "--client", "acme"]);
    let (_, csrf, html) = get(&url);
    let csrf = csrf.unwrap();
    let start = first_slot(&html);
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (url, csrf, start) = (url.clone(), csrf.clone(), start.clone());
            std::thread::spawn(move || post(&url, &csrf, &start).0)
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
}

#[test]
fn the_calendar_feed_is_served_at_its_secret_url_until_revoked() {
    let desk = desk();
    let server = Server::start(&desk);
    let (id, url) = link(&desk, &server, &["feed", "--member", "ana"]);
    assert!(url.ends_with(".ics"));
    let resp = agent().get(&url).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(
        resp.headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let body = resp.into_body().read_to_string().unwrap();
    assert!(body.starts_with("BEGIN:VCALENDAR") && body.contains("RRULE:FREQ=WEEKLY;BYDAY=FR"));
    // A booking link does not open a feed, nor the other way round.
    let (_, booking) = link(&desk, &server, &["booking", "--client", "acme"]);
    let token = booking.rsplit('/').next().unwrap();
    let (status, _, _) = get(&format!("{}/calendar/{token}.ics", server.url));
    assert_eq!(status, 404);
    desk.ok(&["link", "revoke", &id.to_string()]);
    assert_eq!(agent().get(&url).call().unwrap().status().as_u16(), 404);
    let err = desk.fails(&["link", "revoke", &id.to_string()]);
    assert!(err.contains("no live link"), "{err}");
}
