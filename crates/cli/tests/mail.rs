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

/// An empty Maildir folder.
fn maildir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    dir
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
    let dir = maildir();
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

#[test]
fn a_clients_reply_joins_its_conversation_and_automatic_mail_is_kept_but_never_open() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let dir = maildir();
    std::fs::copy(
        format!("{DATA}/es-1.eml"),
        dir.path().join("cur/1.host:2,S"),
    )
    .unwrap();
    std::fs::copy(
        format!("{DATA}/ooo-1.eml"),
        dir.path().join("cur/2.host:2,S"),
    )
    .unwrap();
    // Marcos writes again, answering his own first message (a mail client's References).
    std::fs::write(
        dir.path().join("cur/3.host:2,S"),
        "From: Marcos <marcos@acme.example>\r\nTo: ana@ruiz.example\r\n\
         Subject: Re: Revision del informe\r\nDate: Wed, 02 Dec 2026 11:00:00 +0100\r\n\
         Message-ID: <es-2@acme.example>\r\nIn-Reply-To: <es-1@acme.example>\r\n\
         References: <es-1@acme.example>\r\n\r\nAlguna novedad?\r\n",
    )
    .unwrap();
    let r = import(&desk, dir.path().to_str().unwrap());
    assert_eq!(
        (r["recorded"].clone(), r["automatic"].clone()),
        (3.into(), 1.into()),
        "{r}"
    );
    // The out-of-office reply is not in the inbox: it needs no answer.
    let all = summaries(&desk).join("\n");
    assert!(
        all.contains("Revisión del informe") && all.contains("Alguna novedad"),
        "{all}"
    );
    assert!(!all.contains("Fuera de la oficina"), "{all}");
    let inbox = desk.json(&["inbox", "--at", "2026-12-03T12:00:00Z"]);
    let ids: Vec<i64> = inbox["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{inbox}");
    // Whichever was read first (a Maildir has no order), the thread runs by time.
    let show = |id: i64| desk.json(&["contact", "show", &id.to_string()]);
    let (reply, first): (Vec<i64>, Vec<i64>) = ids
        .iter()
        .partition(|id| show(**id)["body"].as_str().unwrap().contains("novedad"));
    let shown = show(reply[0]);
    assert_eq!(
        shown["thread"],
        serde_json::json!([first[0], reply[0]]),
        "{shown}"
    );
    assert_eq!(show(first[0])["thread"], shown["thread"]);
    assert_eq!(shown["automatic"], Value::Null);
    // The automatic one is kept, marked, and alone in its own conversation.
    let ooo = (1..=3).find(|i| !ids.contains(i)).unwrap();
    let shown = desk.json(&["contact", "show", &ooo.to_string()]);
    assert_eq!(shown["automatic"], "auto-reply", "{shown}");
    assert_eq!(shown["thread"], serde_json::json!([ooo]), "{shown}");
    assert_eq!(shown["answered_at"], Value::Null);
}

#[test]
fn a_hostile_corpus_is_read_without_a_panic_each_message_recorded_or_refused_with_why() {
    // 275 messages: mail-parser's and CPython's test mail (malformed ones among them) and
    // our own — charsets, split encoded words, bounces, out-of-office replies, list mail,
    // 5,000 nested parts, a 100 KB header line, random bytes (see hostile/README.md).
    let desk = Desk::new();
    // The corpus's clients write from these domains (acme gets them all).
    let text = std::fs::read_to_string(RUIZ).unwrap().replacen(
        "domains = [\"acme.example\"]",
        "domains = [\"acme.example\", \"rossi.example\", \"boer.example\", \"ivanov.example\", \"garcia.example\", \"example.com\"]",
        1,
    );
    let file = desk.dir.path().join("practice.toml");
    std::fs::write(&file, text).unwrap();
    desk.ok(&["apply", file.to_str().unwrap()]);
    let corpus = format!("{DATA}/hostile");
    let files = std::fs::read_dir(format!("{corpus}/cur")).unwrap().count();
    assert!(files >= 200, "{files}");
    let r = import(&desk, &corpus);
    assert_eq!(r["read"], files, "{r}");
    let refused = r["refused"].as_array().unwrap();
    let recorded = r["recorded"].as_u64().unwrap() as usize;
    let duplicates = r["duplicates"].as_u64().unwrap() as usize;
    assert_eq!(recorded + duplicates + refused.len(), files);
    assert!(
        recorded >= 80,
        "the clients' messages are recorded: {recorded}"
    );
    let automatic = r["automatic"].as_u64().unwrap();
    assert!(
        automatic >= 10,
        "bounces, out-of-office, lists: {automatic}"
    );
    for m in refused {
        assert!(!m["reason"].as_str().unwrap().is_empty(), "{m}");
    }
    // What is recorded is whole: every contact reads back, and a second run adds nothing.
    for id in 1..=recorded {
        let c = desk.json(&["contact", "show", &id.to_string()]);
        assert_eq!(c["channel"], "email", "{c}");
    }
    let again = import(&desk, &corpus);
    assert_eq!(again["recorded"], 0, "{again}");
    assert_eq!(
        again["duplicates"].as_u64().unwrap() as usize,
        recorded + duplicates
    );
}

#[test]
fn triage_and_the_summary_read_what_the_client_newly_wrote_not_the_quote() {
    let desk = Desk::new();
    desk.ok(&["apply", RUIZ]);
    let dir = maildir();
    // The quote is last week's emergency; the new text only says thanks.
    std::fs::write(
        dir.path().join("cur/1.host:2,S"),
        "From: Marcos <marcos@acme.example>\r\nTo: ana@ruiz.example\r\nSubject: Re: Servidor\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0100\r\nMessage-ID: <q-1@acme.example>\r\n\r\n\
         Gracias, ya funciona todo.\r\n\r\nSaludos,\r\nMarcos Perez\r\nDirector, Acme\r\n\r\n\
         El lun, 30 nov 2026 a las 9:00, Ana Ruiz <ana@ruiz.example> escribio:\r\n\
         > URGENTE: el servidor no funciona, no podemos facturar. Llamadme ya.\r\n",
    )
    .unwrap();
    import(&desk, dir.path().to_str().unwrap());
    let shown = desk.json(&["contact", "show", "1"]);
    assert!(
        !shown["decision"]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "urgent"),
        "{shown}"
    );
    // The stored message stays whole; the inbox line is the new text.
    assert!(
        shown["body"].as_str().unwrap().contains("URGENTE"),
        "{shown}"
    );
    let summary = summaries(&desk).join("\n");
    assert!(summary.contains("Gracias, ya funciona"), "{summary}");
    assert!(
        !summary.contains("Saludos") && !summary.contains("URGENTE"),
        "{summary}"
    );
}
