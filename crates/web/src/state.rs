//! What every request shares: the database, a cache of parsed practices, the live-update
//! channel and the sign-in rate limit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use frontdesk_core::Practice;
use frontdesk_sqlite::SqliteStore;
use frontdesk_store::{PracticeId, Principal, Store, StoreError};
use tokio::sync::broadcast;

use crate::auth::RateLimit;
use crate::error::ApiError;

/// Something that happened in a practice, for the pages that show it live.
#[derive(Clone, Debug)]
pub enum Event {
    /// A contact was recorded or answered.
    Inbox { practice: PracticeId },
}

pub struct Shared {
    store: Mutex<SqliteStore>,
    practices: RwLock<HashMap<PracticeId, Arc<Practice>>>,
    /// SQLite's `data_version` when the cache was filled: another connection (the CLI) that
    /// applies a practice file changes it, and the cache is refilled.
    seen_version: Mutex<i64>,
    pub events: broadcast::Sender<Event>,
    pub sign_in_limit: RateLimit,
    /// Whether cookies are marked Secure (the server is behind TLS).
    pub secure_cookies: bool,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(store: SqliteStore, secure_cookies: bool) -> AppState {
        let (events, _) = broadcast::channel(1024);
        AppState(Arc::new(Shared {
            store: Mutex::new(store),
            practices: RwLock::new(HashMap::new()),
            seen_version: Mutex::new(-1),
            events,
            sign_in_limit: RateLimit::new(5, Duration::from_secs(15 * 60)),
            secure_cookies,
        }))
    }

    /// Runs `f` with the database on a blocking thread.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> Result<T, ApiError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = state.store.lock().expect("store lock");
            f(&mut store)
        })
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
    }

    /// The practice, parsed once and kept until the database changes it.
    pub fn practice(
        &self,
        store: &SqliteStore,
        id: PracticeId,
    ) -> Result<Arc<Practice>, StoreError> {
        let version = store.data_version()?;
        {
            let mut seen = self.seen_version.lock().expect("version lock");
            if *seen != version {
                self.practices.write().expect("cache lock").clear();
                *seen = version;
            }
        }
        if let Some(p) = self.practices.read().expect("cache lock").get(&id) {
            return Ok(p.clone());
        }
        let p = Arc::new(store.practice(id)?);
        self.practices
            .write()
            .expect("cache lock")
            .insert(id, p.clone());
        Ok(p)
    }

    /// Forgets cached practices (after this server applied a practice file).
    pub fn forget_practices(&self) {
        self.practices.write().expect("cache lock").clear();
    }

    /// Who an API token belongs to.
    pub fn token_principal(
        store: &SqliteStore,
        token: &str,
    ) -> Result<Option<Principal>, StoreError> {
        store.token(&crate::auth::secret_hash(token))
    }
}
