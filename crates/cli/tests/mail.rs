//! Mail in from files: an mbox or a Maildir imported as history, matched to clients by address
//! and domain, decoded whatever the charset, recorded once per Message-ID, the rest refused
//! with why.

mod common;
use common::{Desk, RUIZ};

use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mail");

fn import(desk: &Desk, path: &str) -> Value {
    desk.json(&["mail", "import", path, "--at", "2026-12-03T12:00:00Z"])
}

fn summaries(desk: &Desk) -> Vec<String> {
    let inbox = desk.json(&["inbox", "--at", "2026-12-03T12:00:00Z", "--limit", "50"]);
    inbox["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["summary"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn an_mbox_is_imported_once_decoded_and_matched_the_rest_refused_with_why() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let mbox = format!("{DATA}/inbox.mbox");
    let r = import(&desk, &mbox);
    assert_eq!(r["read"], 6, "{r}");
    assert_eq!(r["recorded"], 3, "{r}");
    assert_eq!(r["duplicates"], 1, "the same Message-ID twice: {r}");
    let refused = r["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 2, "{r}");
    assert_eq!(refused[0]["number"], 4);
    assert!(
        refused[0]["reason"]
            .as_str()
            .unwrap()
            .contains("stranger@elsewhere.example"),
        "{r}"
    );
    assert_eq!(refused[1]["reason"], "not a mail message");
    // Latin-1 quoted-printable, windows-1251 base64 (a subdomain of the client's domain) and
    // an HTML-only message, read as text.
    let all = summaries(&desk).join("\n");
    assert!(all.contains("Revisión del informe"), "{all}");
    assert!(all.contains("Срочно: сервер не работает"), "{all}");
    assert!(all.contains("chiamarmi") && !all.contains("<b>"), "{all}");
    // History: no auto-reply goes to anyone.
    assert_eq!(
        desk.json(&["outbox", "list", "--all"]),
        serde_json::json!([])
    );
    // Again: nothing new, not even the message without a Message-ID.
    let again = import(&desk, &mbox);
    assert_eq!(
        (again["recorded"].clone(), again["duplicates"].clone()),
        (0.into(), 4.into()),
        "{again}"
    );
    assert_eq!(summaries(&desk).len(), 3);
}

#[test]
fn a_maildir_is_read_from_cur_and_new_and_shares_the_message_ids() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    import(&desk, &format!("{DATA}/inbox.mbox"));
    let dir = tempfile::tempdir().unwrap();
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    std::fs::copy(
        format!("{DATA}/es-1.eml"),
        dir.path().join("cur/1733044500.1.host:2,S"),
    )
    .unwrap();
    std::fs::copy(
        format!("{DATA}/nl-1.eml"),
        dir.path().join("new/1733128200.2.host"),
    )
    .unwrap();
    // A client's out-of-office reply is kept, counted as automatic; a copy of our own mail is
    // no client's message.
    for (file, name) in [
        ("ooo-1.eml", "new/1733128260.3.host"),
        ("sent-1.eml", "cur/1733130000.4.host:2,S"),
    ] {
        std::fs::copy(format!("{DATA}/{file}"), dir.path().join(name)).unwrap();
    }
    // Another message under a Message-ID already recorded is no duplicate: refused, said so.
    let es = std::fs::read_to_string(format!("{DATA}/es-1.eml")).unwrap();
    let reused = es.replace("=BFPod=E9is revisar", "Otra cosa, =BFpod=E9is mirar");
    assert_ne!(reused, es);
    std::fs::write(dir.path().join("new/1733140000.5.host"), reused).unwrap();
    let r = import(&desk, dir.path().to_str().unwrap());
    let counts = ["read", "recorded", "duplicates", "automatic"].map(|k| r[k].as_u64().unwrap());
    assert_eq!(counts, [5, 2, 1, 1], "{r}");
    let reasons: Vec<&str> = r["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 2, "{r}");
    assert!(
        reasons.iter().any(|x| x.contains("our own addresses")),
        "{r}"
    );
    assert!(reasons.iter().any(|x| x.contains("same Message-ID")), "{r}");
    assert!(summaries(&desk).iter().any(|s| s.contains("factuur")));
    // A folder that is not a Maildir is refused, naming it.
    let err = desk.fails(&["mail", "import", DATA]);
    assert!(err.contains("not a Maildir"), "{err}");
}
