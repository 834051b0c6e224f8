//! Records batches of 1,000 contacts on the PostgreSQL database named by the first argument,
//! for profiling (`perf record`): the time of each batch and the time the decisions alone take.
use frontdesk_desk::contacts::Replies;
use frontdesk_store::Store;
use std::time::Instant;

fn main() {
    let url = std::env::args()
        .nth(1)
        .expect("a postgres:// URL of an empty database");
    let rounds: u64 = std::env::args().nth(2).map_or(20, |n| n.parse().unwrap());
    let practice = frontdesk_bench::practice(50, 1000);
    let contacts = frontdesk_bench::contacts(1000, 1000);
    let mut store = frontdesk_postgres::PgStore::open(&url).unwrap();
    let id = store.apply(&practice).unwrap().id;
    for _ in 0..3 {
        let t = Instant::now();
        for c in &contacts {
            let _ = frontdesk_core::decide(&practice, c, &frontdesk_core::History::default());
        }
        println!("decide alone: {:?}", t.elapsed());
    }
    for round in 0..rounds {
        let batch: Vec<_> = contacts
            .iter()
            .cloned()
            .map(|mut c| {
                c.from = format!("r{round}.{}", c.from);
                c
            })
            .collect();
        let now = batch.iter().map(|c| c.at).min().unwrap();
        let t = Instant::now();
        frontdesk_desk::contacts::record(&mut store, id, &practice, &batch, Replies::Timely(now))
            .unwrap();
        println!("batch {round}: {:?}", t.elapsed());
    }
}
