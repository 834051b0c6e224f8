//! Several `frontdesk serve` processes on one database, as a team behind a load balancer runs
//! them: a slot is booked once, each message is sent once and each timer job runs once across
//! them, a message claimed by an instance that died goes out after its lease, the live inbox of
//! one shows what came in through the other, the sign-in limits count attempts on both, a
//! practice applied elsewhere is seen by both, and edits of it through both never undo each
//! other. On the backend the tests run on (SQLite, or
//! PostgreSQL when `FRONTDESK_TEST_POSTGRES` is set, as `scripts/test`'s second pass does).

mod common;
use common::{Desk, RUIZ, Server, agent, api, post_form, set_cookie, sign_in, signin_csrf};

use std::collections::HashSet;
use std::time::{Duration, Instant};

use frontdesk_store::Store;
use serde_json::{Value, json};

/// The servers' clock: Tuesday 1 December 2026, 09:00 UTC.
const NOW: &str = "2026-12-01T09:00:00Z";

fn ruiz() -> Desk {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    desk.ok_with_stdin(
        &["password", "set", "--member", "ana"],
        "a long enough password\n",
    );
    desk
}

/// Two servers on the desk's database, with their clocks at `at`, each delivering e-mail to a
/// file of its own.
fn two_servers(desk: &Desk, at: &str) -> [(Server, std::path::PathBuf); 2] {
    ["a", "b"].map(|name| {
        let file = desk.dir.path().join(format!("sent-{name}.jsonl"));
        let server =
            Server::start_with(desk, &["--at", at, "--outbox-file", file.to_str().unwrap()]).0;
        (server, file)
    })
}

/// The store the servers use, opened by this test as a library (as another instance would).
fn open_store(desk: &Desk) -> Box<dyn Store + Send> {
    let db = desk.db();
    match db.to_str().filter(|s| s.starts_with("postgres://")) {
        Some(url) => Box::new(frontdesk_postgres::PgStore::open(url).unwrap()),
        None => Box::new(frontdesk_sqlite::SqliteStore::open(&db).unwrap()),
    }
}

fn sent_keys(files: &[&std::path::Path]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .lines()
                .map(|l| {
                    let v: Value = serde_json::from_str(l).unwrap();
                    v["key"].as_str().unwrap().to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn of_clients_booking_one_time_through_two_servers_at_once_exactly_one_gets_it() {
    let desk = ruiz();
    let [(a, _), (b, _)] = two_servers(&desk, NOW);
    let link = desk.json(&["link", "booking", "--client", "acme", "--base-url", &a.url]);
    let url_a = link["url"].as_str().unwrap().to_string();
    let url_b = url_a.replace(&a.url, &b.url);
    let resp = agent().get(&url_a).call().unwrap();
    let csrf = set_cookie(&resp, "fd_book").expect("a CSRF cookie");
    let html = resp.into_body().read_to_string().unwrap();
    let at = html.find("name=\"start\" value=\"").expect("a free slot") + 20;
    let start = html[at..at + html[at..].find('"').unwrap()].to_string();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let url = if i % 2 == 0 { &url_a } else { &url_b }.clone();
            let (csrf, start) = (csrf.clone(), start.clone());
            std::thread::spawn(move || {
                agent()
                    .post(&url)
                    .header("Cookie", format!("fd_book={csrf}"))
                    .send_form([
                        ("csrf", csrf.as_str()),
                        ("step", "book"),
                        ("start", start.as_str()),
                        ("name", "Marcos Gil"),
                        ("email", "marcos@acme.example"),
                        ("topic", "El cierre"),
                    ])
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    common::one_booked(&statuses);
    let agenda = desk.json(&["agenda", "--client", "acme", "--days", "20", "--at", NOW]);
    let booked = agenda
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "booked")
        .count();
    assert_eq!(booked, 1);
}

#[test]
fn two_servers_starting_together_send_each_message_once() {
    let desk = ruiz();
    // Twelve urgent e-mails arrive before the servers start, each with an auto-reply to send
    // (and the urgent ones, notices to their assignee).
    for i in 0..12 {
        common::add_from(
            &desk,
            None,
            "acme",
            "email",
            &format!("cliente{i}@acme.example"),
            &format!("2026-12-01T08:{:02}:00Z", 10 + i),
            &format!("Urgente: el servidor no funciona ({i})"),
        );
    }
    let queued = desk.json(&["outbox", "list"]);
    let queued = queued.as_array().unwrap().len();
    assert!(queued >= 12, "{queued} messages queued");
    // Both servers run a pass as they start, at the same moment, on the same outbox.
    let [(a, file_a), (b, file_b)] = two_servers(&desk, NOW);
    let keys = sent_keys(&[&file_a, &file_b]);
    let unique: HashSet<&String> = keys.iter().collect();
    assert_eq!(keys.len(), unique.len(), "a message sent twice: {keys:?}");
    // Every auto-reply went out, and the timers' jobs (the notices of the contacts now
    // overdue, the manager's digest) ran once between the two.
    for i in 1..=queued {
        assert!(
            keys.contains(&format!("reply:{i}")),
            "reply:{i} in {keys:?}"
        );
    }
    let overdue = keys.iter().filter(|k| k.starts_with("overdue:")).count();
    assert_eq!(overdue, 12, "{keys:?}");
    let left = desk.json(&["outbox", "list"]);
    assert_eq!(left.as_array().unwrap().len(), 0, "{left}");
    drop((a, b));
}

#[test]
fn a_message_claimed_by_an_instance_that_died_goes_out_after_its_lease_and_only_then() {
    let desk = ruiz();
    common::add_from(
        &desk,
        None,
        "acme",
        "email",
        "marcos@acme.example",
        "2026-12-01T08:10:00Z",
        "Urgente: el servidor no funciona",
    );
    let now: jiff::Timestamp = "2026-12-01T08:15:00Z".parse().unwrap();
    // An instance claims every due e-mail for ten minutes, then dies before sending.
    let claimed = {
        let mut store = open_store(&desk);
        store
            .claim_outbox(
                now,
                now + jiff::SignedDuration::from_mins(10),
                &[(frontdesk_core::outbox::Medium::Email, None)],
                100,
            )
            .unwrap()
    };
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].message.key, "reply:1");
    let replies = |at: &str| -> Vec<String> {
        common::delivered(&desk, at)
            .into_iter()
            .filter(|(key, ..)| key.starts_with("reply:"))
            .map(|(key, to, ..)| format!("{key} {to}"))
            .collect()
    };
    // Another instance, before the lease runs out, leaves it alone…
    assert_eq!(replies("2026-12-01T08:20:00Z"), Vec::<String>::new());
    // …and sends it once the lease has run out, once.
    assert_eq!(
        replies("2026-12-01T08:26:00Z"),
        vec!["reply:1 marcos@acme.example"]
    );
    assert_eq!(replies("2026-12-01T09:30:00Z"), Vec::<String>::new());
}

#[test]
fn the_live_inbox_of_one_server_shows_a_contact_recorded_through_the_other_within_a_second() {
    let desk = ruiz();
    let token = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let [(a, _), (b, _)] = two_servers(&desk, NOW);
    let session = sign_in(&b, "ana@ruiz.example", "a long enough password");
    let rx = common::events(&b, &session);
    let (status, _) = api(
        "POST",
        &format!("{}/api/v1/contacts", a.url),
        &token,
        Some(
            json!({"client": "acme", "channel": "email", "from": "marcos@acme.example",
                    "at": "2026-12-01T09:59:00+01:00", "body": "¿Alguna novedad del informe?"}),
        ),
    );
    assert_eq!(status, 201);
    // From A's acknowledgement to B's stream.
    let recorded = Instant::now();
    loop {
        let (line, at) = rx
            .recv_timeout(Duration::from_secs(1))
            .expect("server B's inbox hears of the contact within a second");
        if line == "event: inbox" {
            assert!(at.saturating_duration_since(recorded) <= Duration::from_secs(1));
            break;
        }
    }
    // And B's inbox lists it.
    let (_, html) = common::page(&b, "/inbox", Some(&session));
    assert!(html.contains("Alguna novedad del informe"), "{html}");
}

#[test]
fn the_sign_in_limit_counts_the_attempts_made_on_either_server() {
    let desk = ruiz();
    let [(a, _), (b, _)] = two_servers(&desk, NOW);
    let attempt = |server: &Server, password: &str| {
        let csrf = signin_csrf(server);
        post_form(
            server,
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
    // Five wrong guesses, spread over the two servers, use the account's allowance…
    for i in 0..5 {
        let server = if i % 2 == 0 { &a } else { &b };
        assert_eq!(attempt(server, "not the password"), 401, "guess {i}");
    }
    // …so neither lets a sixth try, not even with the right password.
    assert_eq!(attempt(&a, "a long enough password"), 429);
    assert_eq!(attempt(&b, "a long enough password"), 429);
}

#[test]
fn a_practice_applied_elsewhere_is_what_both_servers_show() {
    let desk = ruiz();
    let [(a, _), (b, _)] = two_servers(&desk, NOW);
    let session_a = sign_in(&a, "ana@ruiz.example", "a long enough password");
    let session_b = sign_in(&b, "ana@ruiz.example", "a long enough password");
    for (server, session) in [(&a, &session_a), (&b, &session_b)] {
        let (_, html) = common::page(server, "/clients", Some(session));
        assert!(html.contains("ACME Foundation"), "{html}");
        assert!(!html.contains("Orbita Logistics"), "{html}");
    }
    // Another process adds a client to the practice.
    let text = std::fs::read_to_string(RUIZ).unwrap()
        + "\n[[clients]]\nhandle = \"orbita\"\nname = \"Orbita Logistics\"\nlanguage = \"en\"\nowner = \"ana\"\ntime_zone = \"Europe/London\"\n";
    let file = desk.dir.path().join("more.toml");
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    for (server, session) in [(&a, &session_a), (&b, &session_b)] {
        let (_, html) = common::page(server, "/clients", Some(session));
        assert!(html.contains("Orbita Logistics"), "{html}");
    }
}

#[test]
fn concurrent_edits_of_different_clients_through_two_servers_never_undo_each_other() {
    let desk = Desk::new();
    let file = desk.dir.path().join("three.toml");
    let mut text = std::fs::read_to_string(RUIZ).unwrap();
    for h in ["beta", "gamma"] {
        text += &format!("\n[[clients]]\nhandle = \"{h}\"\nname = \"{h}\"\nowner = \"ana\"\n");
    }
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    let token = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let [(a, _), (b, _)] = two_servers(&desk, NOW);
    let (_, acme) = api(
        "GET",
        &format!("{}/api/v1/clients/acme", a.url),
        &token,
        None,
    );
    let base = acme["terms"].clone();
    std::thread::scope(|s| {
        for (i, h) in ["acme", "beta", "gamma"].into_iter().enumerate() {
            let (token, base) = (token.clone(), base.clone());
            let servers = [a.url.clone(), b.url.clone()];
            s.spawn(move || {
                for pct in 1..=10 {
                    let mut terms = base.clone();
                    terms["after_hours_surcharge_pct"] = json!(pct);
                    // Each client's edits alternate between the servers.
                    let server = &servers[(i + pct as usize) % 2];
                    let (status, body) = api(
                        "PUT",
                        &format!("{server}/api/v1/clients/{h}/terms"),
                        &token,
                        Some(terms),
                    );
                    assert_eq!(status, 200, "{body}");
                }
            });
        }
    });
    // Every client keeps its last acknowledged change, on either server.
    for server in [&a, &b] {
        for h in ["acme", "beta", "gamma"] {
            let (_, c) = api(
                "GET",
                &format!("{}/api/v1/clients/{h}", server.url),
                &token,
                None,
            );
            assert_eq!(c["terms"]["after_hours_surcharge_pct"], 10, "{h}: {c}");
        }
    }
}
