//! Records batches of 1,000 contacts on the PostgreSQL database named by the first argument
//! (an empty one), for profiling: each batch's time, then the time and the CPU this process
//! and the PostgreSQL server spent over all batches (from `/proc`, so on Linux).
//!
//! `cargo run --release -p frontdesk-bench --example pg_record -- postgres://…/db [ROUNDS]`
use frontdesk_desk::contacts::Replies;
use frontdesk_store::Store;
use std::time::Instant;

/// CPU seconds (user and system) of the processes whose command is `name`, or of this one.
fn cpu(name: Option<&str>) -> f64 {
    let ticks = |stat: &str| -> f64 {
        // Fields after the command's closing parenthesis: utime is the 12th, stime the 13th.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<&str> = rest.split_whitespace().collect();
        f.get(11).and_then(|u| u.parse::<f64>().ok()).unwrap_or(0.0)
            + f.get(12).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0)
    };
    let Some(name) = name else {
        return ticks(&std::fs::read_to_string("/proc/self/stat").unwrap_or_default()) / 100.0;
    };
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let dir = entry.path();
        if std::fs::read_to_string(dir.join("comm")).is_ok_and(|c| c.trim() == name) {
            total += ticks(&std::fs::read_to_string(dir.join("stat")).unwrap_or_default());
        }
    }
    total / 100.0
}

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
    let (mine, server, start) = (cpu(None), cpu(Some("postgres")), Instant::now());
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
    let n = rounds as f64;
    println!(
        "a batch: {:.1} ms; CPU a batch: this process {:.1} ms, PostgreSQL {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0 / n,
        (cpu(None) - mine) * 1000.0 / n,
        (cpu(Some("postgres")) - server) * 1000.0 / n,
    );
}
