//! Secret links through the real server: a client's public booking page (in the client's
//! language, safe when several people book the same time at once) and a member's calendar feed;
//! both stop at once when revoked.

mod common;
use common::{Desk, RUIZ, Server, agent};

use serde_json::Value;

/// The example practice, applied.
fn desk() -> Desk {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    desk
}

/// The server's clock: Tuesday 1 December 2026, 09:00 UTC — the two weeks after have free
/// times, whatever the date the test runs.
const NOW: &str = "2026-12-01T09:00:00Z";

fn server_at(desk: &Desk, at: &str) -> Server {
    Server::start_with(
        desk,
        &["--at", at, "--public-url", "https://desk.example.com/"],
    )
    .0
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

/// The slot buttons' values on a page, in order.
fn slots(html: &str) -> Vec<String> {
    html.match_indices("name=\"start\" value=\"")
        .map(|(at, m)| {
            let at = at + m.len();
            html[at..at + html[at..].find('"').unwrap()].to_string()
        })
        .collect()
}

/// Posts a form with the booking CSRF cookie: (status, Location, body).
fn post(url: &str, cookie: &str, fields: &[(&str, &str)]) -> (u16, Option<String>, String) {
    let resp = agent()
        .post(url)
        .header("Cookie", format!("fd_book={cookie}"))
        .send_form(fields.iter().copied())
        .unwrap();
    let location = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    (
        resp.status().as_u16(),
        location,
        resp.into_body().read_to_string().unwrap_or_default(),
    )
}

/// Books `start` as Marcos: (status, body).
fn book(url: &str, csrf: &str, start: &str) -> (u16, String) {
    let (status, _, html) = post(
        url,
        csrf,
        &[
            ("csrf", csrf),
            ("step", "book"),
            ("start", start),
            ("name", "Marcos Gil"),
            ("email", "marcos@acme.example"),
            ("topic", "El cierre del trimestre"),
        ],
    );
    (status, html)
}

/// The messages the desk has queued, delivered to a file by `tick` at `at`.
fn sent(desk: &Desk, at: &str) -> Vec<Value> {
    let file = desk.dir.path().join("sent.jsonl");
    let _ = std::fs::remove_file(&file);
    desk.json(&["tick", "--at", at, "--outbox-file", file.to_str().unwrap()]);
    std::fs::read_to_string(&file)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The change link in a page or a message.
fn change_link(text: &str) -> String {
    let at = text
        .find("https://desk.example.com/book/change/")
        .expect("a change link");
    text[at..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn a_client_books_through_the_link_in_their_language() {
    let desk = desk();
    let server = server_at(&desk, NOW);
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
    let start = slots(&html).remove(0);
    // Choosing a time asks who books and what about; nothing is booked yet.
    let (status, _, html) = post(&url, &csrf, &[("step", "details"), ("start", &start)]);
    assert_eq!(status, 200, "{html}");
    for label in [
        "Su nombre",
        "Su correo electrónico",
        "¿De qué le gustaría hablar?",
    ] {
        assert!(html.contains(label), "{label}: {html}");
    }
    assert!(
        desk.json(&["agenda", "--client", "acme", "--days", "20", "--at", NOW])
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["kind"] != "booked")
    );
    // Without the cookie's token in the form, or with a token the server never gave, the
    // form is refused.
    let fields = |token: &'static str| {
        vec![
            ("csrf", token),
            ("step", "book"),
            ("start", "x"),
            ("name", "M"),
            ("email", "m@a.example"),
            ("topic", "t"),
        ]
    };
    let (status, _, _) = post(&url, &csrf, &fields("0"));
    assert_eq!(status, 403);
    let (status, _, _) = post(&url, "0", &fields("0"));
    assert_eq!(status, 403);
    // A bad address is refused in the client's words, naming the field, keeping what was typed.
    let (status, _, html) = post(
        &url,
        &csrf,
        &[
            ("csrf", &csrf),
            ("step", "book"),
            ("start", &start),
            ("name", "Marcos Gil"),
            ("email", "marcos"),
            ("topic", "El cierre"),
        ],
    );
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("Su correo electrónico: escriba un correo"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Marcos Gil\"") && html.contains("El cierre"),
        "{html}"
    );
    let (status, html) = book(&url, &csrf, &start);
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Reservado"), "{html}");
    assert!(html.contains("marcos@acme.example"), "{html}");
    assert!(!english.iter().any(|d| html.contains(d)), "{html}");
    let change = change_link(&html);
    // The confirmation offers the invitation for the client's calendar, titled in Spanish,
    // with the booker and the topic.
    let at = html.find("href=\"/book/").expect("an invitation link") + 6;
    let path = &html[at..at + html[at..].find('"').unwrap()];
    let (status, _, ics) = get(&format!("{}{path}", server.url));
    assert_eq!(status, 200);
    assert!(ics.contains("METHOD:REQUEST"), "{ics}");
    assert!(ics.contains("SUMMARY:Llamada con Ruiz Consulting"), "{ics}");
    assert!(ics.contains("ATTENDEE;CN=Marcos Gil"), "{ics}");
    assert!(ics.contains("El cierre del trimestre"), "{ics}");
    // Another meeting's number through this link is not found.
    let other = path.rsplit_once('/').unwrap().0.to_string() + "/999.ics";
    let (status, _, _) = get(&format!("{}{other}", server.url));
    assert_eq!(status, 404);
    // The confirmation goes out by e-mail, in Spanish, with the invitation and the change link.
    let messages = sent(&desk, NOW);
    let confirm = messages
        .iter()
        .find(|m| m["key"].as_str().unwrap().starts_with("booking:"))
        .expect("a confirmation");
    assert_eq!(confirm["to"], "marcos@acme.example");
    assert_eq!(confirm["language"], "es");
    let text = confirm["text"].as_str().unwrap();
    assert!(
        text.contains("Estimado/a Marcos Gil") && text.contains("El cierre del trimestre"),
        "{text}"
    );
    assert_eq!(change_link(text), change);
    assert!(
        confirm["calendar"]
            .as_str()
            .unwrap()
            .contains("METHOD:REQUEST")
    );
    // The desk sees the booking; the same time again is taken, and fresh times are offered.
    let agenda = desk.json(&["agenda", "--client", "acme", "--days", "20", "--at", NOW]);
    assert!(
        agenda
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["kind"] == "booked" && o["start"] == Value::String(start.clone())),
        "{agenda}"
    );
    let (status, html) = book(&url, &csrf, &start);
    assert_eq!(status, 409);
    assert!(html.contains("Ese horario se acaba de ocupar"), "{html}");
    assert!(
        !slots(&html).contains(&start),
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
fn the_client_moves_and_cancels_their_booking_as_the_notice_rules_allow() {
    let desk = desk();
    let server = server_at(&desk, NOW);
    let (_, url) = link(&desk, &server, &["booking", "--client", "acme"]);
    let (_, csrf, html) = get(&url);
    let csrf = csrf.unwrap();
    let all = slots(&html);
    let (first, later) = (all[0].clone(), all[all.len() - 1].clone());
    let (status, html) = book(&url, &csrf, &first);
    assert_eq!(status, 200, "{html}");
    let change = change_link(&html).replace("https://desk.example.com", &server.url);
    sent(&desk, NOW);
    // The change page: when, the topic, until when it can be changed, and the free times.
    let (status, csrf, html) = get(&change);
    assert_eq!(status, 200);
    let csrf = csrf.unwrap();
    assert!(html.contains("Su llamada con Ruiz Consulting"), "{html}");
    assert!(html.contains("El cierre del trimestre"), "{html}");
    assert!(
        html.contains("Puede cambiarla o cancelarla aquí hasta"),
        "{html}"
    );
    assert!(
        !slots(&html).contains(&first),
        "its own time is not offered"
    );
    // Moved to the last free time: the agenda has it there, and the booker hears of it.
    let (status, location, _) = post(
        &change,
        &csrf,
        &[("csrf", &csrf), ("move", "1"), ("start", &later)],
    );
    assert_eq!(status, 303);
    let (_, _, html) = get(&format!("{}{}", server.url, location.unwrap()));
    assert!(html.contains("Cambiada"), "{html}");
    let agenda = desk.json(&["agenda", "--client", "acme", "--days", "20", "--at", NOW]);
    let booked: Vec<&Value> = agenda
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "booked")
        .collect();
    assert_eq!(booked.len(), 1, "{agenda}");
    assert_eq!(booked[0]["start"], Value::String(later.clone()));
    let moved = sent(&desk, NOW);
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        moved[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Cambiada"),
        "{moved:?}"
    );
    assert!(
        moved[0]["calendar"]
            .as_str()
            .unwrap()
            .contains("SEQUENCE:1"),
        "{moved:?}"
    );
    drop(server);
    // Inside the notice period (24 hours) it can only be cancelled, and that counts as late.
    let start: jiff::Timestamp = later.parse().unwrap();
    let late = (start - jiff::SignedDuration::from_hours(2)).to_string();
    let server = server_at(&desk, &late);
    let change = change.replace(&change[..change.find("/book/").unwrap()], &server.url);
    let (_, csrf, html) = get(&change);
    let csrf = csrf.unwrap();
    assert!(html.contains("ya no puede cambiarse aquí"), "{html}");
    assert!(slots(&html).is_empty(), "{html}");
    let (status, _, html) = post(
        &change,
        &csrf,
        &[("csrf", &csrf), ("move", "1"), ("start", &first)],
    );
    assert_eq!(status, 409, "{html}");
    let (status, location, _) = post(&format!("{change}/cancel"), &csrf, &[("csrf", &csrf)]);
    assert_eq!(status, 303);
    let (_, _, html) = get(&format!("{}{}", server.url, location.unwrap()));
    assert!(
        html.contains("Cancelada") && html.contains("cancelada con poca antelación"),
        "{html}"
    );
    let cancelled = sent(&desk, &late);
    assert_eq!(cancelled.len(), 1, "{cancelled:?}");
    assert!(
        cancelled[0]["calendar"]
            .as_str()
            .unwrap()
            .contains("METHOD:CANCEL")
    );
    // Once cancelled, nothing more can be done through the link.
    let (status, _, _) = post(&format!("{change}/cancel"), &csrf, &[("csrf", &csrf)]);
    assert_eq!(status, 409);
    let (status, _, _) = get(&format!("{}/book/change/0000", server.url));
    assert_eq!(status, 404);
}

#[test]
fn of_many_clients_booking_one_time_at_once_exactly_one_gets_it() {
    let desk = desk();
    let server = server_at(&desk, NOW);
    let (_, url) = link(&desk, &server, &["booking", "--client", "acme"]);
    let (_, csrf, html) = get(&url);
    let csrf = csrf.unwrap();
    let start = slots(&html).remove(0);
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (url, csrf, start) = (url.clone(), csrf.clone(), start.clone());
            std::thread::spawn(move || book(&url, &csrf, &start).0)
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    common::one_booked(&statuses);
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

#[test]
fn the_booker_hears_when_the_practice_cancels_and_the_agenda_shows_who_booked() {
    let desk = desk();
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "a long enough password\n",
    );
    let server = server_at(&desk, NOW);
    let (_, url) = link(&desk, &server, &["booking", "--client", "acme"]);
    let (_, csrf, html) = get(&url);
    let csrf = csrf.unwrap();
    let start = slots(&html).remove(0);
    assert_eq!(book(&url, &csrf, &start).0, 200);
    sent(&desk, NOW);
    // The owner's agenda shows who booked and what about, and offers only what fits the
    // time: cancelled before it starts, never held.
    let session = common::sign_in(&server, "ana@ruiz.example", "a long enough password");
    let day: jiff::Timestamp = start.parse().unwrap();
    let monday = day
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Madrid").unwrap())
        .date();
    let (_, html) = common::page(&server, &format!("/agenda?from={monday}"), Some(&session));
    assert!(
        html.contains("Marcos Gil") && html.contains("El cierre del trimestre"),
        "{html}"
    );
    assert!(
        html.contains("value=\"cancelled\"") && !html.contains("value=\"held\""),
        "{html}"
    );
    let agenda = desk.json(&["agenda", "--client", "acme", "--days", "20", "--at", NOW]);
    let booked = agenda
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "booked")
        .unwrap()
        .clone();
    let id = booked["id"]
        .as_str()
        .map_or_else(|| booked["stored"].to_string(), str::to_string);
    desk.ok(&["meeting", "mark", &id, "cancelled", "--at", NOW]);
    let told = sent(&desk, NOW);
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["to"], "marcos@acme.example");
    assert!(
        told[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Cancelada"),
        "{told:?}"
    );
    assert!(
        told[0]["calendar"]
            .as_str()
            .unwrap()
            .contains("METHOD:CANCEL")
    );
}
