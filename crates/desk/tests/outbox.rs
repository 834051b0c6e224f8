//! The sender against a real (in-memory SQLite) store.

use std::sync::{Arc, Mutex};

use frontdesk_core::outbox::Medium;
use frontdesk_core::{Channel, Handle, Inbound};
use frontdesk_desk::outbox::{Transport, Transports, deliver_with};
use frontdesk_sqlite::SqliteStore;
use frontdesk_store::{Queued, Store};

/// Remembers the keys it was given.
#[derive(Default)]
struct Recording(Mutex<Vec<String>>);

impl Transport for Recording {
    fn send(&self, q: &Queued) -> Result<(), String> {
        self.0.lock().unwrap().push(q.message.key.clone());
        Ok(())
    }
}

fn contact(channel: Channel, from: &str, at: &str) -> Inbound {
    Inbound {
        client: Handle::parse("acme").unwrap(),
        channel,
        from: from.to_string(),
        at: at.parse().unwrap(),
        body: Some("¿Podemos revisar el informe?".to_string()),
    }
}

#[test]
fn messages_nobody_here_can_send_do_not_hold_up_the_others() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ruiz.toml"
    ))
    .unwrap();
    let practice = frontdesk_practice::parse(&text).unwrap();
    let mut store = SqliteStore::open_in_memory().unwrap();
    let id = store.apply(&practice).unwrap().id;
    // Three night voicemails (answered by text message) and then an e-mail.
    let contacts = [
        contact(
            Channel::Voicemail,
            "+34600111222",
            "2026-12-05T22:00:00+01:00",
        ),
        contact(
            Channel::Voicemail,
            "+34600111222",
            "2026-12-05T22:01:00+01:00",
        ),
        contact(
            Channel::Voicemail,
            "+34600111222",
            "2026-12-05T22:02:00+01:00",
        ),
        contact(
            Channel::Email,
            "marcos@acme.example",
            "2026-12-05T22:03:00+01:00",
        ),
    ];
    let recorded = frontdesk_desk::contacts::record(&mut store, id, &practice, &contacts).unwrap();
    let email = Arc::new(Recording::default());
    let transports = Transports::none().with(Medium::Email, Box::new(email.clone()));
    let now = "2026-12-05T23:00:00+01:00".parse().unwrap();
    // Room for two messages: the e-mail goes, though three older text messages wait.
    let report = deliver_with(&mut store, &transports, now, 2).unwrap();
    assert_eq!(report.sent, 1);
    assert_eq!(report.waiting, 3, "the text messages wait, untried");
    assert_eq!(
        *email.0.lock().unwrap(),
        vec![format!("reply:{}", recorded[3].id.0)]
    );
    let unsent = store.outbox(id, true, 10).unwrap();
    assert_eq!(unsent.len(), 3);
    assert!(
        unsent
            .iter()
            .all(|q| q.attempts == 0 && q.message.medium == Medium::Sms)
    );
}
