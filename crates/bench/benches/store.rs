//! SQLite throughput and latency: recording contacts one by one and in batches, and the inbox
//! of a database holding 1,000,000 recorded contacts.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use frontdesk_core::Practice;
use frontdesk_desk::contacts::Replies;
use frontdesk_sqlite::SqliteStore;
use frontdesk_store::{ContactId, PracticeId, Store};
use jiff::{SignedDuration, Timestamp};

fn record(store: &mut SqliteStore, id: PracticeId, p: &Practice, c: &[frontdesk_core::Inbound]) {
    // Every contact gets its auto-reply, as on a live desk: "now" is the first arrival.
    let now = c.iter().map(|c| c.at).min().unwrap_or_default();
    frontdesk_desk::contacts::record(store, id, p, c, Replies::Timely(now)).expect("recorded");
}

fn fresh(dir: &tempfile::TempDir, name: &str, p: &Practice) -> (SqliteStore, PracticeId) {
    let mut store = SqliteStore::open(&dir.path().join(name)).unwrap();
    let id = store.apply(p).unwrap().id;
    (store, id)
}

fn recording(c: &mut Criterion) {
    let practice = frontdesk_bench::practice(50, 1000);
    let contacts = frontdesk_bench::contacts(1000, 1000);
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(contacts.len() as u64));
    group.sample_size(10);
    // Each round is written by new senders, as on a live desk: an e-mail auto-reply goes to
    // a sender once a week, so the same senders again would measure recording without them.
    let mut round = 0u64;
    let mut fresh_senders = move || {
        round += 1;
        contacts
            .iter()
            .cloned()
            .map(|mut c| {
                c.from = format!("r{round}.{}", c.from);
                c
            })
            .collect::<Vec<_>>()
    };
    let (mut store, id) = fresh(&dir, "batched.db", &practice);
    group.bench_function("record 1000 contacts in one transaction", |b| {
        b.iter_batched(
            &mut fresh_senders,
            |batch| record(&mut store, id, &practice, &batch),
            BatchSize::PerIteration,
        )
    });
    let (mut store, id) = fresh(&dir, "single.db", &practice);
    group.bench_function("record 1000 contacts one by one", |b| {
        b.iter_batched(
            &mut fresh_senders,
            |batch| {
                for contact in &batch {
                    record(&mut store, id, &practice, std::slice::from_ref(contact));
                }
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// 1,000,000 contacts, of which all but the last 10,000 are answered, as on a desk that keeps
/// up with its work; then the inbox as `frontdesk inbox` asks for it (50 rows and the counts).
fn inbox(c: &mut Criterion) {
    let practice = frontdesk_bench::practice(50, 1000);
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = fresh(&dir, "million.db", &practice);
    let total = 1_000_000usize;
    let open = 10_000usize;
    let batch = frontdesk_bench::contacts(1000, 10_000);
    for round in 0..total / batch.len() {
        // Shift each round by a week so the contacts spread over two years.
        let shift = SignedDuration::from_hours(24 * 7 * round as i64);
        let shifted: Vec<_> = batch
            .iter()
            .cloned()
            .map(|mut c| {
                c.at =
                    c.at.checked_sub(SignedDuration::from_hours(24 * 7 * 100))
                        .unwrap()
                        + shift;
                c
            })
            .collect();
        record(&mut store, id, &practice, &shifted);
    }
    for n in 1..=(total - open) as i64 {
        let r = store.contact(id, ContactId(n)).unwrap();
        let at = r.inbound.at + SignedDuration::from_mins(30);
        store
            .answer(
                id,
                ContactId(n),
                &|_| {
                    Ok(frontdesk_store::Answer {
                        at,
                        response: SignedDuration::from_mins(30),
                        working_response: SignedDuration::from_mins(30),
                        minutes: None,
                    })
                },
                &|_| Vec::new(),
            )
            .unwrap();
    }
    let now: Timestamp = "2028-06-01T00:00:00Z".parse().unwrap();
    let mut group = c.benchmark_group("store");
    group.bench_function("inbox of 50 at 1,000,000 contacts (10,000 open)", |b| {
        b.iter_batched(
            || (),
            |_| {
                store
                    .inbox(id, &frontdesk_core::Scope::All, now, 50)
                    .unwrap()
            },
            BatchSize::SmallInput,
        )
    });
    // The inbox page as the web app asks for it: a page of 50 with the count of what matches,
    // the second page, a search across client, sender and text, and filters.
    let page = |query: frontdesk_store::InboxQuery| {
        store
            .inbox_page(id, &frontdesk_core::Scope::All, now, &query)
            .unwrap()
    };
    let first = frontdesk_store::InboxQuery {
        limit: 50,
        ..Default::default()
    };
    for (name, query) in [
        ("inbox page 1 of 50 at 1,000,000 contacts", first.clone()),
        (
            "inbox page 3 of 50 at 1,000,000 contacts",
            frontdesk_store::InboxQuery {
                offset: 100,
                ..first.clone()
            },
        ),
        (
            "inbox page, search \"informe\", at 1,000,000 contacts",
            frontdesk_store::InboxQuery {
                search: Some("informe".to_string()),
                ..first.clone()
            },
        ),
        (
            "inbox page, overdue voicemails, at 1,000,000 contacts",
            frontdesk_store::InboxQuery {
                overdue: true,
                channel: Some(frontdesk_core::Channel::Voicemail),
                ..first.clone()
            },
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(|| query.clone(), page, BatchSize::SmallInput)
        });
    }
    group.finish();
}

/// Escalation risk of 1,000 clients over a database with a year of their history: every
/// client's recent contacts read in one query and assessed (the target: 200 ms).
fn risk(c: &mut Criterion) {
    let practice = frontdesk_bench::practice(50, 1000);
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = fresh(&dir, "year.db", &practice);
    let batch = frontdesk_bench::contacts(1000, 2000);
    let now: Timestamp = "2027-06-01T00:00:00Z".parse().unwrap();
    let first = batch.iter().map(|c| c.at).min().unwrap();
    let mut recorded = 0i64;
    for week in 0..52i64 {
        // Week by week up to `now`: two contacts per client a week, a year of them.
        let shift = (now - SignedDuration::from_hours(24 * 7 * (52 - week))) - first;
        let shifted: Vec<_> = batch
            .iter()
            .cloned()
            .map(|mut c| {
                c.at += shift;
                c
            })
            .collect();
        record(&mut store, id, &practice, &shifted);
        recorded += shifted.len() as i64;
    }
    // Nine in ten answered, half an hour after arrival.
    for n in (1..=recorded).filter(|n| n % 10 != 0) {
        let r = store.contact(id, ContactId(n)).unwrap();
        let at = r.inbound.at + SignedDuration::from_mins(30);
        store
            .answer(
                id,
                ContactId(n),
                &|_| {
                    Ok(frontdesk_store::Answer {
                        at,
                        response: SignedDuration::from_mins(30),
                        working_response: SignedDuration::from_mins(30),
                        minutes: None,
                    })
                },
                &|_| Vec::new(),
            )
            .unwrap();
    }
    let owner = practice.members()[0].handle.clone();
    let mut group = c.benchmark_group("store");
    group.sample_size(20);
    group.bench_function(
        format!("risk of 1,000 clients with a year of history ({recorded} contacts)"),
        |b| b.iter(|| frontdesk_desk::risk::all(&store, id, &practice, &owner, now).unwrap()),
    );
    group.finish();
}

criterion_group!(benches, recording, inbox, risk);
criterion_main!(benches);
