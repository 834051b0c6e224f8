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
                    standing_changes: Vec::new(),
                };
                let d = decide(&practice, inbound, &history).expect("known client");
                replies += d.reply.is_some() as usize;
            }
            replies
        })
    });
    group.finish();
}

criterion_group!(benches, decisions);
criterion_main!(benches);
