//! A new user's first run through the real server, with forms rather than the practice file:
//! setup (a refusal keeps what was typed and names the field in words), the first client, their
//! people, standing call and booking link, and the first contact answered.

mod common;
use common::{Desk, Server, agent, form_csrf, page, submit};

/// Sets up a fresh desk in the browser's language `lang`; the session cookie's value.
fn set_up(server: &Server, lang: &str, zone: &str) -> (u16, Option<String>, String) {
    let resp = agent()
        .get(format!("{}/setup", server.url))
        .header("Accept-Language", lang)
        .call()
        .unwrap();
    let cookie = common::set_cookie(&resp, "fd_csrf").expect("a CSRF cookie");
    let html = resp.into_body().read_to_string().unwrap();
    assert!(html.contains("name=\"practice\""), "{html}");
    let resp = agent()
        .post(format!("{}/setup", server.url))
        .header("Cookie", format!("fd_csrf={cookie}"))
        .header("Accept-Language", lang)
        .send_form([
            ("csrf", cookie.as_str()),
            ("practice", "Estudio Vega"),
            ("name", "Eva Vega"),
            ("handle", "eva"),
            ("email", "eva@vega.example"),
            ("time_zone", zone),
            ("language", "es"),
            ("password", "a long enough password"),
        ])
        .unwrap();
    let status = resp.status().as_u16();
    let session = common::set_cookie(&resp, "fd_session");
    (
        status,
        session,
        resp.into_body().read_to_string().unwrap_or_default(),
    )
}

#[test]
fn a_new_user_sets_up_adds_a_client_with_people_a_standing_call_and_a_booking_link() {
    let desk = Desk::new();
    let server = Server::start_with(&desk, &["--at", "2026-12-01T09:00:00Z"]).0;
    // A zone that is not one: refused in the reader's language, naming the field in words,
    // with everything typed kept; nothing is created.
    let (status, session, html) = set_up(&server, "es-ES,es;q=0.9", "Europa/Madrid");
    assert_eq!(status, 422, "{html}");
    assert!(session.is_none());
    assert!(html.contains("Zona horaria: "), "{html}");
    assert!(!html.contains("members[0]"), "{html}");
    for typed in [
        "value=\"Estudio Vega\"",
        "value=\"eva@vega.example\"",
        "value=\"Europa/Madrid\"",
    ] {
        assert!(html.contains(typed), "{typed}: {html}");
    }
    let (status, session, _) = set_up(&server, "es-ES,es;q=0.9", "Europe/Madrid");
    assert_eq!(status, 303);
    let session = session.expect("signed in");
    // The inbox says what to do first; the clients list is empty and says how to start.
    let (_, html) = page(&server, "/inbox", Some(&session));
    assert!(html.contains("id=\"first-steps\""), "{html}");
    let (_, html) = page(&server, "/clients", Some(&session));
    assert!(html.contains("id=\"clients-empty\""), "{html}");
    let csrf = form_csrf(&html);
    let (status, _) = submit(
        &server,
        &session,
        "/clients",
        &[
            ("csrf", &csrf),
            ("name", "Marcos Gil SL"),
            ("handle", "marcos"),
            ("email", ""),
            ("owner", "eva"),
            ("language", "es"),
            ("time_zone", ""),
        ],
    );
    assert_eq!(status, 303);
    // People: a bad address is refused naming the field, what was typed kept.
    let (_, html) = page(&server, "/clients/marcos", Some(&session));
    assert!(html.contains("id=\"people-empty\""), "{html}");
    let (status, html) = submit(
        &server,
        &session,
        "/clients/marcos/people",
        &[
            ("csrf", &csrf),
            ("name", "Marcos Gil"),
            ("email", "marcos@"),
            ("phone", "+34 600 111 222"),
        ],
    );
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("E-mail: "), "{html}");
    assert!(html.contains("value=\"+34 600 111 222\""), "{html}");
    assert!(!desk.ok(&["export"]).contains("600 111 222"));
    let (status, _) = submit(
        &server,
        &session,
        "/clients/marcos/people",
        &[
            ("csrf", &csrf),
            ("name", "Marcos Gil"),
            ("email", "marcos@gil.example"),
            ("phone", "+34 600 111 222"),
        ],
    );
    assert_eq!(status, 303);
    let file = desk.ok(&["export"]);
    assert!(file.contains("marcos@gil.example"), "{file}");
    // The standing call in words: every two weeks on Friday at 10:00 from a Tuesday — the
    // first call falls on the Friday after.
    let (status, _) = submit(
        &server,
        &session,
        "/clients/marcos/standing",
        &[
            ("csrf", &csrf),
            ("every", "2"),
            ("day", "FR"),
            ("time", "10:00"),
            ("from", "2026-12-01"),
            ("minutes", "30"),
        ],
    );
    assert_eq!(status, 303);
    let file = desk.ok(&["export"]);
    assert!(
        file.contains("rrule = \"FREQ=WEEKLY;INTERVAL=2;BYDAY=FR\"")
            && file.contains("starts = \"2026-12-04T10:00\""),
        "{file}"
    );
    let (_, html) = page(&server, "/clients/marcos", Some(&session));
    assert!(html.contains("Every 2 weeks"), "{html}");
    // A length that is no number is refused in words; the standing call stays.
    let (status, html) = submit(
        &server,
        &session,
        "/clients/marcos/standing",
        &[
            ("csrf", &csrf),
            ("every", "1"),
            ("day", "MO"),
            ("time", "09:00"),
            ("from", "2026-12-01"),
            ("minutes", "media hora"),
        ],
    );
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("Length (minutes): "), "{html}");
    assert!(html.contains("value=\"media hora\""), "{html}");
    assert_eq!(desk.ok(&["export"]), file);
    // A booking link: shown once, it opens the client's booking page until revoked.
    let (status, html) = submit(
        &server,
        &session,
        "/clients/marcos/links",
        &[("csrf", &csrf)],
    );
    assert_eq!(status, 200, "{html}");
    let at = html.find("<pre id=\"new-link\">").expect("the new link") + 19;
    let url = html[at..at + html[at..].find('<').unwrap()].to_string();
    assert!(url.starts_with(&format!("{}/book/", server.url)), "{url}");
    let resp = agent().get(&url).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(
        resp.into_body()
            .read_to_string()
            .unwrap()
            .contains("Reserve una llamada con Estudio Vega")
    );
    let (_, html) = page(&server, "/clients/marcos", Some(&session));
    assert!(!html.contains(&url), "the secret is shown only once");
    let at = html
        .find("action=\"/clients/marcos/links/revoke\"")
        .expect("a live link");
    let id_at = html[at..].find("name=\"id\" value=\"").unwrap() + at + 17;
    let id = &html[id_at..id_at + html[id_at..].find('"').unwrap()];
    let (status, _) = submit(
        &server,
        &session,
        "/clients/marcos/links/revoke",
        &[("csrf", &csrf), ("id", id)],
    );
    assert_eq!(status, 303);
    assert_eq!(agent().get(&url).call().unwrap().status().as_u16(), 404);
    // Removing the person takes the address off the client.
    let (status, _) = submit(
        &server,
        &session,
        "/clients/marcos/people/remove",
        &[("csrf", &csrf), ("index", "0")],
    );
    assert_eq!(status, 303);
    assert!(!desk.ok(&["export"]).contains("marcos@gil.example"));
    // Eva's own calendar feed: made on the team page, shown once, it serves her standing
    // calls to any calendar program until she revokes it.
    let (status, html) = submit(&server, &session, "/team/feed", &[("csrf", &csrf)]);
    assert_eq!(status, 200, "{html}");
    let marker = "<pre id=\"new-feed-link\">";
    let at = html.find(marker).expect("the feed link") + marker.len();
    let feed = html[at..at + html[at..].find('<').unwrap()].to_string();
    let resp = agent().get(&feed).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let ics = resp.into_body().read_to_string().unwrap();
    assert!(
        ics.contains("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
        "{ics}"
    );
    let (_, html) = page(&server, "/team", Some(&session));
    assert!(!html.contains(&feed));
    let at = html
        .find("action=\"/team/feed/revoke\"")
        .expect("a live feed link");
    let id_at = html[at..].find("name=\"id\" value=\"").unwrap() + at + 17;
    let id = &html[id_at..id_at + html[id_at..].find('"').unwrap()];
    let (status, _) = submit(
        &server,
        &session,
        "/team/feed/revoke",
        &[("csrf", &csrf), ("id", id)],
    );
    assert_eq!(status, 303);
    assert_eq!(agent().get(&feed).call().unwrap().status().as_u16(), 404);
}
