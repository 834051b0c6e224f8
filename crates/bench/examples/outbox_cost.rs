//! How long queuing auto-replies costs, split: the message itself (core) and the insert.
use frontdesk_core::{History, decide};
use std::time::Instant;

fn main() {
    let practice = frontdesk_bench::practice(50, 1000);
    let contacts = frontdesk_bench::contacts(1000, 10_000);
    let decisions: Vec<_> = contacts
        .iter()
        .map(|c| {
            let h = History::default();
            decide(&practice, c, &h).unwrap()
        })
        .collect();
    let t = Instant::now();
    let mut n = 0;
    for (i, (c, d)) in contacts.iter().zip(&decisions).enumerate() {
        n += frontdesk_core::outbox::reply_message(&practice, i as i64, c, d).is_some() as usize;
    }
    println!("{n} of {} messages in {:?}", contacts.len(), t.elapsed());
}
