//! The Rust side of `bench/recurrence_vs_dateutil.py`.
//!
//! `expand rules N` prints the benchmark's `N` rules, one `DTSTART RRULE` per line.
//! `expand time FILE FROM UNTIL ROUNDS` expands every rule of FILE between the local dates FROM
//! and UNTIL (inclusive, `YYYY-MM-DD`) in Europe/Madrid, ROUNDS times, and prints the number of
//! occurrences of one round and the best round's seconds.

use std::time::Instant;

use frontdesk_core::{RRule, Recurrence, parse_ical_datetime};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["rules", n] => {
            for (start, rule) in frontdesk_bench::recurrence_rules(n.parse().expect("N")) {
                println!("{start} {rule}");
            }
        }
        ["time", file, from, until, rounds] => {
            let text = std::fs::read_to_string(file).expect("rules file");
            let sets: Vec<Recurrence> = text
                .lines()
                .map(|l| {
                    let (start, rule) = l.split_once(' ').expect("DTSTART RRULE");
                    let start = parse_ical_datetime(start).expect("DTSTART").0;
                    Recurrence::new(start, RRule::parse(rule).expect("RRULE"))
                })
                .collect();
            let tz = TimeZone::get("Europe/Madrid").unwrap();
            let from: Date = from.parse().expect("FROM");
            let until: Date = until.parse().expect("UNTIL");
            let from = tz
                .to_ambiguous_timestamp(from.to_datetime(Time::midnight()))
                .compatible()
                .unwrap();
            let until = tz
                .to_ambiguous_timestamp(until.to_datetime(Time::MAX))
                .compatible()
                .unwrap();
            let mut best = f64::MAX;
            let mut count = 0;
            for _ in 0..rounds.parse::<usize>().expect("ROUNDS") {
                let clock = Instant::now();
                count = sets
                    .iter()
                    .map(|s| s.occurrences(&tz, from).take_while(|t| *t <= until).count())
                    .sum::<usize>();
                best = best.min(clock.elapsed().as_secs_f64());
            }
            println!("{count} {best:.6}");
        }
        _ => {
            eprintln!("usage: expand rules N | expand time FILE FROM UNTIL ROUNDS");
            std::process::exit(2);
        }
    }
}
