//! Recording a batch records what recording its contacts one by one records — the weekly
//! allowance used by earlier contacts of the same batch, one e-mail auto-reply per sender and
//! week, ids in the batch's order, one audit entry each — on either backend (PostgreSQL
//! records a batch in a fixed number of statements, deciding it here in between).

mod common;

use frontdesk_core::{Channel, Flag, Handle, Inbound};
use frontdesk_desk::contacts::{Replies, record};
use frontdesk_store::{Recorded, Store};

use common::{contact, ruiz};

fn contacts() -> Vec<Inbound> {
    vec![
        contact(Channel::Call, "+34600111222", "2026-12-01T09:10:00+01:00"),
        // A night e-mail: held, with an auto-reply.
        contact(
            Channel::Email,
            "marcos@acme.example",
            "2026-12-01T22:15:00+01:00",
        ),
        contact(
            Channel::Voicemail,
            "+34600111222",
            "2026-12-01T09:20:00+01:00",
        ),
        // The same sender again the same night: no second auto-reply.
        contact(
            Channel::Email,
            "marcos@acme.example",
            "2026-12-01T22:45:00+01:00",
        ),
        // The week's third ad-hoc call: over the allowance.
        contact(Channel::Call, "+34600111222", "2026-12-02T09:30:00+01:00"),
        contact(Channel::Chat, "marcos", "2026-12-02T09:40:00+01:00"),
        // Next week: the allowance again.
        contact(Channel::Call, "+34600111222", "2026-12-08T09:30:00+01:00"),
    ]
}

/// What the outbox holds, oldest first: key, recipient and text.
fn queued(
    store: &dyn Store,
    practice: frontdesk_store::PracticeId,
) -> Vec<(String, String, String)> {
    let mut all = store.outbox(practice, false, 10_000).unwrap();
    all.reverse();
    all.into_iter()
        .map(|q| (q.message.key, q.message.to, q.message.text))
        .collect()
}

/// Records `contacts` in one batch on one store and one by one on another, checks that both
/// recorded the same, and gives back the batch's contacts, its store and its practice.
fn both_ways(
    contacts: &[Inbound],
    now: jiff::Timestamp,
) -> (
    Vec<Recorded>,
    common::TestStore,
    frontdesk_store::PracticeId,
) {
    let practice = ruiz();
    let mut batched = common::store();
    let a = batched.apply(&practice).unwrap().id;
    let together = record(&mut *batched, a, &practice, contacts, Replies::Timely(now)).unwrap();

    let mut single = common::store();
    let b = single.apply(&practice).unwrap().id;
    let apart: Vec<Recorded> = contacts
        .iter()
        .map(|c| {
            record(
                &mut *single,
                b,
                &practice,
                std::slice::from_ref(c),
                Replies::Timely(now),
            )
            .unwrap()
            .remove(0)
        })
        .collect();

    assert_eq!(together.len(), contacts.len());
    for (x, y) in together.iter().zip(&apart) {
        assert_eq!(x.inbound, y.inbound);
        assert_eq!(x.decision, y.decision, "{:?}", x.inbound);
    }
    // Ids in the batch's order, and each contact reads back as it was returned.
    assert!(together.windows(2).all(|w| w[0].id.0 < w[1].id.0));
    for r in &together {
        assert_eq!(batched.contact(a, r.id).unwrap(), *r);
    }
    // The same messages queued, in the same order.
    let (q_batched, q_single) = (queued(&*batched, a), queued(&*single, b));
    assert_eq!(
        q_batched.iter().map(|m| (&m.1, &m.2)).collect::<Vec<_>>(),
        q_single.iter().map(|m| (&m.1, &m.2)).collect::<Vec<_>>()
    );
    // One audit entry per contact, in order, chained.
    let (entries, head) = batched.audit(a).unwrap();
    let recorded = entries
        .iter()
        .filter(|(e, _)| e.kind == "contact.recorded")
        .map(|(e, _)| e.subject.clone())
        .collect::<Vec<_>>();
    assert_eq!(
        recorded,
        together
            .iter()
            .map(|r| format!("contact {}", r.id.0))
            .collect::<Vec<_>>()
    );
    frontdesk_core::audit::verify(&entries, head).unwrap();
    (together, batched, a)
}

#[test]
fn a_batch_records_what_one_by_one_records() {
    // Recorded after the night's e-mails (the throttle holds for contacts up to now).
    let now: jiff::Timestamp = "2026-12-01T23:00:00+01:00".parse().unwrap();
    let (together, batched, a) = both_ways(&contacts(), now);
    // The batch counted its own calls: the third of the week is over the allowance, the
    // next week's is not.
    let over = |r: &Recorded| r.decision.flags.contains(&Flag::OverQuota);
    assert!(!over(&together[0]) && !over(&together[2]));
    assert!(over(&together[4]), "{:?}", together[4].decision);
    assert!(!over(&together[6]), "{:?}", together[6].decision);
    assert!(together[0].decision.allowance && together[2].decision.allowance);
    // One auto-reply to the e-mail sender.
    let q = queued(&*batched, a);
    assert!(!q.is_empty());
    assert_eq!(
        q.iter().filter(|m| m.1 == "marcos@acme.example").count(),
        1,
        "{q:?}"
    );
}

/// A batch larger than what PostgreSQL writes at once (written by a second thread, chunk by
/// chunk, while the next is decided): the allowance and the throttle hold across the chunks.
#[test]
fn a_large_batch_records_what_one_by_one_records() {
    let start: jiff::Timestamp = "2026-12-01T08:00:00+01:00".parse().unwrap();
    let channels = [
        Channel::Call,
        Channel::Email,
        Channel::Voicemail,
        Channel::Chat,
    ];
    let contacts: Vec<Inbound> = (0..450)
        .map(|k: i64| {
            let at = start + jiff::SignedDuration::from_mins(41 * k);
            let channel = channels[k as usize % channels.len()];
            let from = match channel {
                Channel::Email => format!("p{}@acme.example", k % 3),
                Channel::Chat => "marcos".to_string(),
                _ => "+34600111222".to_string(),
            };
            let mut c = contact(channel, &from, &at.to_string());
            // Texts that read differently: each contact's decision needs its own reading.
            c.body = Some(match k % 3 {
                0 => "¡Urgente! El servidor no funciona y no podemos facturar.".to_string(),
                1 => format!("¿Podemos revisar el informe {k}?"),
                _ => "Es inaceptable, el informe llega tarde otra vez.".to_string(),
            });
            c
        })
        .collect();
    // Recorded as the last arrives: the throttle holds for all of them.
    let now = contacts.last().unwrap().at;
    let (together, batched, a) = both_ways(&contacts, now);
    assert!(
        together
            .iter()
            .any(|r| r.decision.flags.contains(&Flag::OverQuota))
    );
    assert!(together.iter().any(|r| r.decision.allowance));
    assert!(!queued(&*batched, a).is_empty());
    for flag in [Flag::Urgent, Flag::Complaint] {
        let n = together
            .iter()
            .filter(|r| r.decision.flags.contains(&flag))
            .count();
        assert!(n > 0 && n < together.len(), "{flag:?}: {n}");
    }
}

/// A batch with a contact the store cannot record (an unknown client) records none of it.
#[test]
fn a_batch_with_an_unknown_client_records_nothing() {
    let practice = ruiz();
    let mut store = common::store();
    let id = store.apply(&practice).unwrap().id;
    let mut contacts = contacts();
    contacts[3].client = Handle::parse("nobody").unwrap();
    let err = record(
        &mut *store,
        id,
        &practice,
        &contacts,
        Replies::Timely(contacts[0].at),
    )
    .unwrap_err();
    assert!(err.to_string().contains("nobody"), "{err}");
    assert!(store.outbox(id, false, 10).unwrap().is_empty());
    assert!(
        store
            .client_contacts(id, &Handle::parse("acme").unwrap(), 10)
            .unwrap()
            .is_empty()
    );
    let (entries, _) = store.audit(id).unwrap();
    assert!(entries.iter().all(|(e, _)| e.kind != "contact.recorded"));
}
