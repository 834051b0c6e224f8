//! Money: deriving the billable items of 1,000 clients over a month of history (the issue's
//! target: 100 ms), and printing invoices as PDF (1,000 in 20 s: 20 ms each).

use criterion::{Criterion, criterion_group, criterion_main};
use frontdesk_core::billing::{Evidences, Period, Work};
use frontdesk_core::{Flag, Meeting, MeetingKind, MeetingRef, MeetingStatus, Practice};
use frontdesk_desk::contacts::Replies;
use frontdesk_sqlite::SqliteStore;
use frontdesk_store::{ContactId, Store};
use jiff::{SignedDuration, Timestamp};

/// The bench practice with money terms and a legal identity for every client.
fn practice() -> Practice {
    let file = frontdesk_bench::practice_file(50, 1000)
        .replace(
            "after_hours_surcharge_pct = 50\n",
            "after_hours_surcharge_pct = 50\nmoney = { hourly_rate = \"120.00\", call_out_fee = \"75.00\", no_show_fee = \"90.00\", late_cancellation_fee = \"meeting\", over_quota_call_fee = \"30.00\", holding_rate_per_day = \"40.00\", minimum_minutes = 30, rounding_minutes = 15, vat = \"21\" }\n",
        )
        .replace(
            "domains = [",
            "legal = { name = \"Client Ltd\", address = [\"1 High Street\", \"London\"], country = \"GB\", tax_id = \"GB123456789\" }\ndomains = [",
        )
        .replacen(
            "language = \"en\"\n",
            "language = \"en\"\n\n[billing]\nname = \"Bench Practice SL\"\naddress = [\"Calle Mayor 1\", \"28013 Madrid\"]\ncountry = \"ES\"\ntax_id = \"ESB12345678\"\niban = \"ES91 2100 0418 4502 0005 1332\"\n",
            1,
        );
    frontdesk_practice::parse(&file).expect("bench practice is valid")
}

/// A month of December for 1,000 clients: two contacts a client a week (nine in ten answered,
/// with minutes), a meeting a client a week (held, a no-show in ten, a late cancellation in
/// ten).
fn month(practice: &Practice) -> (Vec<Work>, Vec<(MeetingRef, Meeting)>) {
    let contacts = frontdesk_bench::contacts(1000, 8600);
    let work = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| Work {
            contact: i as i64 + 1,
            client: c.client.clone(),
            at: c.at,
            flags: match i % 7 {
                0 => vec![Flag::Urgent, Flag::AfterHours],
                1 => vec![Flag::OverQuota],
                _ => vec![],
            },
            answered: (i % 10 != 0).then(|| c.at + SignedDuration::from_mins(30)),
            minutes: (i % 3 == 0).then_some(20 + (i % 40) as u32),
        })
        .collect();
    let start: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
    let meetings = (0..4300)
        .map(|i| {
            let client = practice.clients()[i % 1000].handle.clone();
            let at = start + SignedDuration::from_mins(600 * i as i64 % (30 * 24 * 60));
            let status = match i % 10 {
                0 => MeetingStatus::NoShow,
                1 => MeetingStatus::Cancelled,
                _ => MeetingStatus::Held,
            };
            let m = Meeting {
                member: practice.client(&client).unwrap().owner.clone(),
                client,
                kind: MeetingKind::Adhoc,
                original: None,
                start: at,
                minutes: 45,
                status,
                held_minutes: (status == MeetingStatus::Held).then_some(40),
                cancelled_at: (status == MeetingStatus::Cancelled).then_some(at),
                late: true,
                sequence: 0,
            };
            (MeetingRef::Stored(i as i64 + 1), m)
        })
        .collect();
    (work, meetings)
}

fn derive(c: &mut Criterion) {
    let practice = practice();
    let (work, meetings) = month(&practice);
    let now: Timestamp = "2027-01-05T10:00:00Z".parse().unwrap();
    let period = Period::parse("2026-12").unwrap();
    let evidence = Evidences {
        work: &work,
        meetings: &meetings,
        deliverables: &[],
    };
    let items = frontdesk_core::billing::derive(&practice, period, &evidence, now).len();
    let mut group = c.benchmark_group("billing");
    group.sample_size(20);
    group.bench_function(
        format!(
            "derive a month of 1,000 clients ({} contacts, {} meetings → {items} items), core",
            work.len(),
            meetings.len()
        ),
        |b| b.iter(|| frontdesk_core::billing::derive(&practice, period, &evidence, now)),
    );
    // The same month through the desk and SQLite: read the evidence, derive, keep what is
    // new (nothing, after the first pass: what the timers do every minute).
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("billing.db")).unwrap();
    let id = store.apply(&practice).unwrap().id;
    let contacts = frontdesk_bench::contacts(1000, 8600);
    frontdesk_desk::contacts::record(&mut store, id, &practice, &contacts, Replies::None)
        .expect("recorded");
    for (n, w) in work
        .iter()
        .enumerate()
        .filter(|(_, w)| w.answered.is_some())
    {
        let at = w.answered.unwrap();
        let minutes = w.minutes;
        store
            .answer(
                id,
                ContactId(n as i64 + 1),
                &|_| {
                    Ok(frontdesk_store::Answer {
                        at,
                        response: SignedDuration::from_mins(30),
                        working_response: SignedDuration::from_mins(30),
                        minutes,
                    })
                },
                &|_| Vec::new(),
            )
            .unwrap();
    }
    for (_, m) in &meetings {
        store.save_meeting(id, None, m).unwrap();
    }
    let kept = frontdesk_desk::billing::derive(&mut store, id, &practice, period, now)
        .unwrap()
        .len();
    group.bench_function(
        format!("derive a month of 1,000 clients through SQLite, {kept} items kept before"),
        |b| {
            b.iter(|| {
                frontdesk_desk::billing::derive(&mut store, id, &practice, period, now).unwrap()
            })
        },
    );
    // A client's invoice of that month, printed: about ten lines.
    let client = practice.clients()[7].handle.clone();
    let draft =
        frontdesk_desk::billing::draft(&mut store, id, &practice, &client, period, now).unwrap();
    group.bench_function(
        format!("print one invoice of {} lines as PDF", draft.lines.len()),
        |b| b.iter(|| frontdesk_desk::billing::pdf(&draft).unwrap()),
    );
    group.finish();
}

criterion_group!(benches, derive);
criterion_main!(benches);
