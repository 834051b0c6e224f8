//! Crash safety: the CLI and the server killed (SIGKILL) while they record contacts in a loop.
//! Afterwards the database passes its integrity check (SQLite's; on PostgreSQL, amcheck of the
//! contacts' indexes and the audit chain), and every contact that was acknowledged (exit 0, or
//! 201) is there exactly once.

mod common;
use common::{Desk, RUIZ, Server};

use std::collections::HashSet;
use std::process::{Command, Stdio};

/// How many contacts say `marker` in their body.
fn count(desk: &Desk, marker: &str) -> usize {
    assert!(
        marker
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    );
    desk.scalar(&format!(
        "SELECT COUNT(*) FROM contacts WHERE body = '{marker}'"
    )) as usize
}

/// The database's own check of what the killed processes left: SQLite's integrity check; on
/// PostgreSQL, amcheck over every B-tree index of the contacts (it raises an error on a
/// corrupt one) and the audit chain, which every acknowledged contact extends.
fn integrity(desk: &Desk) -> String {
    if desk.on_postgres() {
        let checked = desk.execute(
            "CREATE EXTENSION IF NOT EXISTS amcheck;
             SELECT bt_index_check(i.indexrelid, true) FROM pg_index i
             WHERE i.indrelid = 'contacts'::regclass;",
        );
        let audit = desk.json(&["audit", "verify"]);
        return match checked {
            Ok(()) if audit["ok"] == true => "ok".into(),
            Ok(()) => format!("audit: {audit}"),
            Err(e) => e,
        };
    }
    let conn = rusqlite::Connection::open(desk.db()).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn killed_cli_processes_lose_nothing_they_acknowledged() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let mut acknowledged = Vec::new();
    let mut all = Vec::new();
    for round in 0..4 {
        // Twenty recordings at once; every other one is killed as soon as it runs.
        let children: Vec<(String, std::process::Child)> = (0..20)
            .map(|i| {
                let marker = format!("crash-cli-{round}-{i}");
                let child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
                    .arg("--db")
                    .arg(desk.db())
                    .env_remove("FRONTDESK_DB")
                    .args([
                        "contact",
                        "add",
                        "--client",
                        "acme",
                        "--channel",
                        "chat",
                        "--from",
                        "+34600111222",
                        "--at",
                        "2026-12-01T10:00:00+01:00",
                        "--body",
                        &marker,
                    ])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                (marker, child)
            })
            .collect();
        for (i, (marker, mut child)) in children.into_iter().enumerate() {
            if i % 2 == 1 {
                let _ = child.kill();
            }
            let status = child.wait().unwrap();
            if status.success() {
                acknowledged.push(marker.clone());
            }
            all.push(marker);
        }
    }
    assert_eq!(integrity(&desk), "ok");
    assert!(acknowledged.len() >= 40, "the ones not killed all finished");
    for m in &acknowledged {
        assert_eq!(
            count(&desk, m),
            1,
            "{m} acknowledged and not there exactly once"
        );
    }
    for m in &all {
        assert!(count(&desk, m) <= 1, "{m} recorded twice");
    }
}

#[test]
fn a_killed_server_loses_nothing_it_acknowledged() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let token = desk
        .ok(&["token", "create", "--member", "ana"])
        .trim()
        .to_string();
    let mut acknowledged: HashSet<String> = HashSet::new();
    let mut sent = Vec::new();
    for round in 0..3 {
        let server = Server::start(&desk);
        let url = format!("{}/api/v1/contacts", server.url);
        // Four clients post as fast as they can; the server is killed under them.
        let (tx, rx) = std::sync::mpsc::channel::<(String, bool)>();
        let mut clients = Vec::new();
        for c in 0..4 {
            let (url, token, tx) = (url.clone(), token.clone(), tx.clone());
            clients.push(std::thread::spawn(move || {
                let agent = common::agent();
                for i in 0.. {
                    let marker = format!("crash-api-{round}-{c}-{i}");
                    let body = format!(
                        r#"{{"client":"acme","channel":"chat","from":"+34600111222","at":"2026-12-01T10:00:00+01:00","body":"{marker}"}}"#
                    );
                    let ok = agent
                        .post(&url)
                        .header("Authorization", format!("Bearer {token}"))
                        .header("Content-Type", "application/json")
                        .send(body)
                        .map(|r| r.status().as_u16() == 201);
                    match ok {
                        Ok(created) => {
                            if tx.send((marker, created)).is_err() {
                                return;
                            }
                        }
                        // The server is gone: this client is done.
                        Err(_) => {
                            let _ = tx.send((marker, false));
                            return;
                        }
                    }
                }
            }));
        }
        drop(tx);
        // Kill it after a hundred acknowledgements this round.
        let mut this_round = 0;
        let mut server = Some(server);
        for (marker, created) in rx {
            if created {
                acknowledged.insert(marker.clone());
                this_round += 1;
            }
            sent.push(marker);
            if this_round == 100 {
                drop(server.take()); // SIGKILL, then wait
            }
        }
        for c in clients {
            c.join().unwrap();
        }
        assert!(this_round >= 100);
    }
    assert_eq!(integrity(&desk), "ok");
    for m in &acknowledged {
        assert_eq!(
            count(&desk, m),
            1,
            "{m} acknowledged and not there exactly once"
        );
    }
    for m in &sent {
        assert!(count(&desk, m) <= 1, "{m} recorded twice");
    }
}
