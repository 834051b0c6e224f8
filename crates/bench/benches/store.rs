//! Store throughput and latency: recording contacts one by one and in batches, and the inbox
//! of a database holding 1,000,000 recorded contacts — on SQLite, and on PostgreSQL too when
//! `FRONTDESK_BENCH_POSTGRES` is the URL of a server's maintenance database (for example the
//! one `scripts/postgres start DIR` prints): the benchmarks create a database of their own
//! there and drop it at the end. Each benchmark's lines end in `/sqlite` and `/postgres`, one
//! after the other.

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use frontdesk_core::Practice;
use frontdesk_desk::contacts::Replies;
use frontdesk_postgres::PgStore;
use frontdesk_sqlite::SqliteStore;
use frontdesk_store::{ContactId, PracticeId, Store};
use jiff::{SignedDuration, Timestamp};

fn record(store: &mut dyn Store, id: PracticeId, p: &Practice, c: &[frontdesk_core::Inbound]) {
    // Every contact gets its auto-reply, as on a live desk: "now" is the first arrival.
    let now = c.iter().map(|c| c.at).min().unwrap_or_default();
    frontdesk_desk::contacts::record(store, id, p, c, Replies::Timely(now)).expect("recorded");
}

fn fresh(dir: &tempfile::TempDir, name: &str, p: &Practice) -> (SqliteStore, PracticeId) {
    let mut store = SqliteStore::open(&dir.path().join(name)).unwrap();
    let id = store.apply(p).unwrap().id;
    (store, id)
}

/// The maintenance database of the PostgreSQL server to run on as well, if any.
fn postgres_admin() -> Option<String> {
    std::env::var("FRONTDESK_BENCH_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A database of the benchmarks' own on the PostgreSQL server, dropped with this value.
struct PgDatabase {
    admin: String,
    name: String,
}

impl PgDatabase {
    fn create(admin: &str, what: &str) -> PgDatabase {
        let name = format!("fd_bench_{}_{what}", std::process::id());
        let mut c = postgres::Client::connect(admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("FRONTDESK_BENCH_POSTGRES={admin}: {e}"));
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
        PgDatabase {
            admin: admin.to_string(),
            name,
        }
    }

    /// The database's URL: the maintenance database's with the name replaced.
    fn url(&self) -> String {
        let (url, query) = match self.admin.split_once('?') {
            Some((url, query)) => (url, format!("?{query}")),
            None => (self.admin.as_str(), String::new()),
        };
        let (server, _) = url.rsplit_once('/').expect("a database URL");
        format!("{server}/{}{query}", self.name)
    }

    /// Runs statements on the database itself.
    fn execute(&self, sql: &str) {
        let mut c = postgres::Client::connect(&self.url(), postgres::NoTls).unwrap();
        c.batch_execute(sql).unwrap();
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A store to measure, with the name its lines end in.
struct Backend {
    name: &'static str,
    store: Box<dyn Store>,
    id: PracticeId,
    /// Dropped after the store (fields drop in order).
    _database: Option<PgDatabase>,
}

/// The practice on a new SQLite database, and on a new PostgreSQL one when there is a server.
fn backends(dir: &tempfile::TempDir, what: &str, p: &Practice) -> Vec<Backend> {
    let (store, id) = fresh(dir, &format!("{what}.db"), p);
    let mut all = vec![Backend {
        name: "sqlite",
        store: Box::new(store),
        id,
        _database: None,
    }];
    if let Some(admin) = postgres_admin() {
        let database = PgDatabase::create(&admin, what);
        let mut store = PgStore::open(&database.url()).unwrap();
        let id = store.apply(p).unwrap().id;
        all.push(Backend {
            name: "postgres",
            store: Box::new(store),
            id,
            _database: Some(database),
        });
    }
    all
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
    for backend in &mut backends(&dir, "batched", &practice) {
        let id = backend.id;
        group.bench_function(
            BenchmarkId::new("record 1000 contacts in one transaction", backend.name),
            |b| {
                b.iter_batched(
                    &mut fresh_senders,
                    |batch| record(&mut *backend.store, id, &practice, &batch),
                    BatchSize::PerIteration,
                )
            },
        );
    }
    for backend in &mut backends(&dir, "single", &practice) {
        let id = backend.id;
        group.bench_function(
            BenchmarkId::new("record 1000 contacts one by one", backend.name),
            |b| {
                b.iter_batched(
                    &mut fresh_senders,
                    |batch| {
                        for contact in &batch {
                            record(
                                &mut *backend.store,
                                id,
                                &practice,
                                std::slice::from_ref(contact),
                            );
                        }
                    },
                    BatchSize::PerIteration,
                )
            },
        );
    }
    group.finish();
}

/// 1,000,000 contacts, of which all but the last 10,000 are answered, as on a desk that keeps
/// up with its work; then the inbox as `frontdesk inbox` asks for it (50 rows and the counts),
/// and as the web app's page does. PostgreSQL gets the same database by copy (what `frontdesk
/// db copy` does): recording and answering a million contacts there one by one would take far
/// longer than the benchmark.
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
    let first = frontdesk_store::InboxQuery {
        limit: 50,
        ..Default::default()
    };
    let mut all: Vec<(&str, &dyn Store)> = vec![("sqlite", &store)];
    let copy = postgres_admin().map(|admin| {
        let database = PgDatabase::create(&admin, "million");
        let mut pg = PgStore::open(&database.url()).unwrap();
        let started = std::time::Instant::now();
        pg.import(&mut |sink| store.export(sink)).unwrap();
        eprintln!(
            "postgres: 1,000,000 contacts copied from SQLite in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        // What the first requests after a copy see, before the server has statistics of the
        // new tables (autovacuum analyzes them within a minute or so); then the benchmarks
        // run on analyzed tables, as a desk does from then on.
        let started = std::time::Instant::now();
        pg.inbox_page(id, &frontdesk_core::Scope::All, now, &first)
            .unwrap();
        eprintln!(
            "postgres: first inbox page right after the copy, before ANALYZE: {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
        database.execute("ANALYZE");
        (pg, database)
    });
    if let Some((pg, _)) = &copy {
        all.push(("postgres", pg));
    }
    let mut group = c.benchmark_group("store");
    for (name, store) in &all {
        group.bench_function(
            BenchmarkId::new("inbox of 50 at 1,000,000 contacts (10,000 open)", name),
            |b| {
                b.iter(|| {
                    store
                        .inbox(id, &frontdesk_core::Scope::All, now, 50)
                        .unwrap()
                })
            },
        );
    }
    // The inbox page as the web app asks for it: a page of 50 with the count of what matches,
    // the second page, a search across client, sender and text, and filters.
    for (what, query) in [
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
        for (name, store) in &all {
            group.bench_function(BenchmarkId::new(what, name), |b| {
                b.iter_batched(
                    || query.clone(),
                    |query| {
                        store
                            .inbox_page(id, &frontdesk_core::Scope::All, now, &query)
                            .unwrap()
                    },
                    BatchSize::SmallInput,
                )
            });
        }
    }
    group.finish();
    drop(all);
    drop(copy);
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
