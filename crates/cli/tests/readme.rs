//! The README's "Use it" flow, run as written: a practice file applied, a password set, the
//! server started on the same database — and its owner signs in and sees the practice.

mod common;
use common::{Desk, Server, page, sign_in};

/// The commands between the README's `readme-flow` markers.
fn flow() -> Vec<Vec<String>> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = readme
        .find("<!-- readme-flow -->")
        .expect("the flow's start marker");
    let end = readme
        .find("<!-- /readme-flow -->")
        .expect("the flow's end marker");
    readme[start..end]
        .lines()
        .filter(|l| l.starts_with("frontdesk "))
        .map(|l| l.split_whitespace().skip(1).map(str::to_string).collect())
        .collect()
}

#[test]
fn the_readme_flow_apply_password_serve_signs_the_owner_in() {
    let steps = flow();
    assert_eq!(
        steps
            .iter()
            .map(|s| s.first().map_or("", String::as_str))
            .collect::<Vec<_>>(),
        ["apply", "password", "serve"],
        "{steps:?}"
    );
    let desk = Desk::new();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut server = None;
    for step in &steps {
        let args: Vec<String> = step
            .iter()
            .map(|a| {
                // Paths in the README are relative to the repository.
                if a.ends_with(".toml") {
                    format!("{root}/{a}")
                } else {
                    a.clone()
                }
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        match args[0] {
            "password" => {
                desk.ok_with_stdin(&args, "a long enough password\n");
            }
            // The server as the README starts it, on a free port instead of 8080.
            "serve" => server = Some(Server::start_with(&desk, &args[1..]).0),
            _ => {
                desk.ok(&args);
            }
        }
    }
    let server = server.expect("the flow starts the server");
    // Not "this database is empty", nor a second practice: the owner signs in to it.
    let session = sign_in(&server, "ana@ruiz.example", "a long enough password");
    let (status, html) = page(&server, "/clients", Some(&session));
    assert_eq!(status, 200);
    assert!(html.contains("ACME"), "{html}");
    let (_, html) = page(&server, "/setup", None);
    assert!(
        !html.contains("name=\"practice\""),
        "setup stays closed: {html}"
    );
    // Every command works without --practice: the database holds the one practice.
    desk.ok(&["inbox"]);
}
