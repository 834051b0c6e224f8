//! Decisions per second in the pure core: 50 members, 1,000 clients, a month of contacts.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use frontdesk_core::{History, decide};

fn decisions(c: &mut Criterion) {
    let practice = frontdesk_bench::practice(50, 1000);
    let contacts = frontdesk_bench::contacts(1000, 10_000);
    let mut group = c.benchmark_group("core");
    group.throughput(Throughput::Elements(contacts.len() as u64));
    group.bench_function("decide 10k contacts (50 members, 1000 clients)", |b| {
        b.iter(|| {
            let mut replies = 0usize;
            for (i, inbound) in contacts.iter().enumerate() {
                let history = History {
                    adhoc_calls_this_week: (i % 4) as u32,
                    ..History::default()
                };
                let d = decide(&practice, inbound, &history).expect("known client");
                replies += d.reply.is_some() as usize;
            }
            replies
        })
    });
    group.finish();
}

/// 30 days of slots for a client whose owner has 200 recurring busy events (the benchmark's
/// mixed rules, an hour each), expanding the events included, as a booking page does.
fn booking_slots(c: &mut Criterion) {
    use frontdesk_core::slots::{Busy, Calendar, slots};
    use frontdesk_core::{RRule, Recurrence, parse_ical_datetime};
    let practice = frontdesk_bench::practice(50, 1000);
    let client = practice.clients()[0].clone();
    let owner = practice.member(&client.owner).unwrap().clone();
    let tz = owner.zone.tz().clone();
    let events: Vec<Recurrence> = frontdesk_bench::recurrence_rules(200)
        .into_iter()
        .map(|(start, rule)| {
            Recurrence::new(
                parse_ical_datetime(&start).unwrap().0,
                RRule::parse(&rule).unwrap(),
            )
        })
        .collect();
    let now: jiff::Timestamp = "2026-11-30T08:00:00Z".parse().unwrap();
    let first: jiff::civil::Date = "2026-12-01".parse().unwrap();
    let until: jiff::Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
    let hour = jiff::SignedDuration::from_hours(1);
    let calls = |_| 0;
    let count = |busy: &[Busy]| {
        let calendar = Calendar {
            meetings: &[],
            busy,
            calls_in_week: &calls,
        };
        slots(&practice, &client, now, first, 30, &calendar).len()
    };
    let expand = || -> Vec<Busy> {
        events
            .iter()
            .flat_map(|e| e.occurrences(&tz, now).take_while(|t| *t < until))
            .map(|start| Busy {
                start,
                end: start + hour,
            })
            .collect()
    };
    let busy = expand();
    eprintln!(
        "slots: {} busy times in the 30 days leave {} of {} slots",
        busy.len(),
        count(&busy),
        count(&[])
    );
    let mut group = c.benchmark_group("slots");
    group.bench_function("30 days, 200 recurring busy events", |b| {
        b.iter(|| count(&expand()))
    });
    group.finish();
}

criterion_group!(benches, decisions, booking_slots);
criterion_main!(benches);
