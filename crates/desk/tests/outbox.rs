//! The sender against a real (in-memory SQLite) store.

mod common;

use std::sync::{Arc, Mutex};

use frontdesk_core::outbox::Medium;
use frontdesk_core::{Channel, Handle};
use frontdesk_desk::contacts::Replies;
use frontdesk_desk::outbox::{Transport, Transports, deliver_with};
use frontdesk_store::Queued;

/// Remembers the keys it was given.
#[derive(Default)]
struct Recording(Mutex<Vec<String>>);

impl Transport for Recording {
    fn send(&self, q: &Queued) -> Result<(), String> {
        self.0.lock().unwrap().push(q.message.key.clone());
        Ok(())
    }
}

use common::{contact, ruiz};

#[test]
fn messages_nobody_here_can_send_do_not_hold_up_the_others() {
    let practice = ruiz();
    let mut store = common::store();
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
    let recorded = frontdesk_desk::contacts::record(
        &mut *store,
        id,
        &practice,
        &contacts,
        Replies::Timely(contacts[0].at),
    )
    .unwrap();
    let email = Arc::new(Recording::default());
    let transports = Transports::none().with(Medium::Email, Box::new(email.clone()));
    let now = "2026-12-05T23:00:00+01:00".parse().unwrap();
    // Room for two messages: the e-mail goes, though three older text messages wait.
    let report = deliver_with(&mut *store, &transports, now, 2).unwrap();
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

#[test]
fn a_notice_is_in_the_language_the_member_chose() {
    let practice = ruiz();
    assert_eq!(practice.settings().language, frontdesk_core::Language::Es);
    let mut store = common::store();
    let id = store.apply(&practice).unwrap().id;
    let ana = Handle::parse("ana").unwrap();
    let password = frontdesk_core::Password::parse("correct horse battery").unwrap();
    store
        .set_password(id, &ana, &frontdesk_desk::secrets::hash_password(&password))
        .unwrap();
    store.set_language(id, &ana, Some("ru")).unwrap();
    // Tuesday 10:00, due Wednesday 10:00; at 12:45 it is overdue (and the owner's morning
    // digest, 08:30 to 12:30, is past: only the notice runs).
    let email = contact(
        Channel::Email,
        "marcos@acme.example",
        "2026-12-01T10:00:00+01:00",
    );
    let recorded =
        frontdesk_desk::contacts::record(&mut *store, id, &practice, &[email], Replies::None)
            .unwrap();
    let now = "2026-12-02T12:45:00+01:00".parse().unwrap();
    let ran = frontdesk_desk::timers::tick(&mut *store, id, &practice, None, now).unwrap();
    assert_eq!(ran, [format!("overdue:{}", recorded[0].id.0)]);
    let queued = store.outbox(id, true, 10).unwrap();
    assert_eq!(queued.len(), 1);
    let notice = &queued[0].message;
    assert_eq!(notice.language, frontdesk_core::Language::Ru);
    assert!(
        notice.subject.chars().any(|c| ('а'..='я').contains(&c)),
        "{}",
        notice.subject
    );
}

/// Accepts nothing.
struct Picky;

impl Transport for Picky {
    fn send(&self, _: &Queued) -> Result<(), String> {
        Err("never called".into())
    }

    fn practices(&self) -> Option<Vec<frontdesk_store::PracticeId>> {
        Some(Vec::new())
    }
}

#[test]
fn a_message_its_transport_does_not_accept_waits_untried() {
    let practice = ruiz();
    let mut store = common::store();
    let id = store.apply(&practice).unwrap().id;
    let email = contact(
        Channel::Email,
        "marcos@acme.example",
        "2026-12-05T22:00:00+01:00",
    );
    frontdesk_desk::contacts::record(
        &mut *store,
        id,
        &practice,
        std::slice::from_ref(&email),
        Replies::Timely(email.at),
    )
    .unwrap();
    let transports = Transports::none().with(Medium::Email, Box::new(Picky));
    let report = deliver_with(&mut *store, &transports, email.at, 10).unwrap();
    assert_eq!((report.sent, report.failed, report.dead), (0, 0, 0));
    let q = &store.outbox(id, true, 10).unwrap()[0];
    assert_eq!(q.attempts, 0, "not counted as a failure");
    assert_eq!(q.last_error, None);
    assert_eq!(
        q.next_attempt,
        Some(email.at),
        "not even claimed: no lease written"
    );
}
