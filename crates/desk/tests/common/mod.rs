//! A store for the store-level tests, on the backend the run is for: a SQLite file of its own,
//! or — when `FRONTDESK_TEST_POSTGRES` names a PostgreSQL server's maintenance database, as
//! `scripts/test`'s second pass does — a database of its own there, dropped afterwards.
#![allow(dead_code)]

use std::ops::{Deref, DerefMut};

use frontdesk_store::Store;

/// A contact from ACME (the example practice's client) by `channel` from `from` at `at`.
pub fn contact(channel: frontdesk_core::Channel, from: &str, at: &str) -> frontdesk_core::Inbound {
    frontdesk_core::Inbound {
        client: frontdesk_core::Handle::parse("acme").unwrap(),
        channel,
        from: from.to_string(),
        at: at.parse().unwrap(),
        body: Some("¿Podemos revisar el informe?".to_string()),
    }
}

/// The example practice (ACME may call twice a week).
pub fn ruiz() -> frontdesk_core::Practice {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ruiz.toml"
    ))
    .unwrap();
    frontdesk_practice::parse(&text).unwrap()
}

pub struct TestStore {
    store: Option<Box<dyn Store + Send>>,
    _dir: tempfile::TempDir,
    /// On PostgreSQL: the maintenance URL and the database to drop.
    pg: Option<(String, String)>,
}

pub fn store() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    match std::env::var("FRONTDESK_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
    {
        Some(admin) => {
            static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            let name = format!(
                "fd_store_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            );
            let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .unwrap();
            c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
            let (server, _) = admin.rsplit_once('/').unwrap();
            let store = frontdesk_postgres::PgStore::open(&format!("{server}/{name}")).unwrap();
            TestStore {
                store: Some(Box::new(store)),
                _dir: dir,
                pg: Some((admin, name)),
            }
        }
        None => {
            let store = frontdesk_sqlite::SqliteStore::open(&dir.path().join("t.db")).unwrap();
            TestStore {
                store: Some(Box::new(store)),
                _dir: dir,
                pg: None,
            }
        }
    }
}

impl Deref for TestStore {
    type Target = dyn Store + Send;
    fn deref(&self) -> &Self::Target {
        &**self.store.as_ref().unwrap()
    }
}

impl DerefMut for TestStore {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut **self.store.as_mut().unwrap()
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        // The store's connections go first, then its database.
        self.store.take();
        if let Some((admin, name)) = &self.pg
            && let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls)
        {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
