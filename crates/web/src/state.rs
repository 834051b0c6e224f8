//! What every request shares: the database (any [`Store`]), the clock, a cache of parsed
//! practices, the live-update channel and the sign-in rate limit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use frontdesk_core::Practice;
use frontdesk_store::{PracticeId, Principal, Store, StoreError};
use jiff::Timestamp;
use tokio::sync::broadcast;

use crate::auth::RateLimit;
use crate::error::ApiError;

/// Something that happened in a practice, for the pages that show it live.
#[derive(Clone, Debug)]
pub enum Event {
    /// A contact was recorded or answered.
    Inbox { practice: PracticeId },
    /// A session ended (signed out): its live streams close.
    SignedOut { session: Vec<u8> },
}

/// Where the server's `now` comes from: the system clock, or an instant set by whoever runs
/// the server (tests, a demo of a fixed day), which only moves when it is set again.
#[derive(Debug)]
pub enum Clock {
    System,
    Fixed(Mutex<Timestamp>),
}

impl Clock {
    /// A clock that stands at `at`.
    pub fn fixed(at: Timestamp) -> Clock {
        Clock::Fixed(Mutex::new(at))
    }

    /// The current instant.
    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(at) => *unpoisoned(at.lock()),
        }
    }

    /// Moves a fixed clock to `at` (a system clock cannot be set).
    pub fn set(&self, at: Timestamp) -> bool {
        match self {
            Clock::System => false,
            Clock::Fixed(now) => {
                *unpoisoned(now.lock()) = at;
                true
            }
        }
    }
}

/// A lock whose holder panicked is still usable: every write to the database runs in a
/// transaction that rolled back when the panic unwound, and the caches are refilled from it.
pub(crate) fn unpoisoned<G>(r: Result<G, PoisonError<G>>) -> G {
    r.unwrap_or_else(PoisonError::into_inner)
}

/// The database the server works on, whichever backend it is.
pub type DynStore = dyn Store + Send;

/// The server's handles on the database (`Store::another`): each request takes a free one, so
/// requests run side by side — as many as there are handles — instead of queuing behind one.
pub struct Stores {
    free: Mutex<Vec<Box<DynStore>>>,
    returned: std::sync::Condvar,
}

/// Handles a server opens on a database that has more than one: a few per core, which is what
/// two cores keep busy while the others wait on the database.
const HANDLES: usize = 8;

impl Stores {
    fn new(first: Box<DynStore>) -> Stores {
        let mut free = Vec::with_capacity(HANDLES);
        for _ in 1..HANDLES {
            match first.another() {
                Ok(Some(more)) => free.push(more),
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "serving with fewer database handles");
                    break;
                }
            }
        }
        free.push(first);
        Stores {
            free: Mutex::new(free),
            returned: std::sync::Condvar::new(),
        }
    }

    /// A free handle, waiting for one when all are in use; given back when dropped (also when
    /// the request panics: the handle's transaction rolled back as it unwound).
    fn take(&self) -> StoreHandle<'_> {
        let mut free = unpoisoned(self.free.lock());
        loop {
            if let Some(store) = free.pop() {
                return StoreHandle {
                    stores: self,
                    store: Some(store),
                };
            }
            free = unpoisoned(self.returned.wait(free));
        }
    }
}

struct StoreHandle<'a> {
    stores: &'a Stores,
    store: Option<Box<DynStore>>,
}

impl StoreHandle<'_> {
    fn get(&mut self) -> &mut DynStore {
        &mut **self.store.as_mut().expect("held until dropped")
    }
}

impl Drop for StoreHandle<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            unpoisoned(self.stores.free.lock()).push(store);
            self.stores.returned.notify_one();
        }
    }
}

pub struct Shared {
    stores: Stores,
    practices: RwLock<HashMap<PracticeId, Arc<Practice>>>,
    /// The store's `outside_writes` when the cache was filled: another process (the CLI) that
    /// applies a practice file changes it, and the cache is refilled.
    seen_version: Mutex<i64>,
    pub clock: Clock,
    /// Wakes the timers and the sender: a request queued a message.
    pub wake: tokio::sync::Notify,
    pub events: broadcast::Sender<Event>,
    /// Failed sign-ins per account (e-mail address).
    pub sign_in_limit: RateLimit,
    /// Failed sign-ins per client address, whatever the account.
    pub address_limit: RateLimit,
    /// Whether cookies are marked Secure (the server is behind TLS).
    pub secure_cookies: bool,
    /// A reverse proxy whose X-Forwarded-For names the client.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Hosts a calendar feed may be fetched from although their addresses are not public.
    pub feed_allow_hosts: Vec<String>,
    /// Where clients reach the server (no trailing slash): links in messages start with it.
    pub public_url: std::sync::OnceLock<String>,
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
    /// Where clients reach the server, without a trailing slash.
    pub fn public_url(&self) -> &str {
        self.public_url
            .get()
            .map_or("http://localhost:8080", String::as_str)
    }

    pub fn new(
        store: Box<DynStore>,
        clock: Clock,
        secure_cookies: bool,
        trusted_proxy: Option<std::net::IpAddr>,
        feed_allow_hosts: Vec<String>,
    ) -> AppState {
        let (events, _) = broadcast::channel(1024);
        AppState(Arc::new(Shared {
            stores: Stores::new(store),
            practices: RwLock::new(HashMap::new()),
            seen_version: Mutex::new(-1),
            clock,
            wake: tokio::sync::Notify::new(),
            events,
            sign_in_limit: RateLimit::new(5, jiff::SignedDuration::from_mins(15)),
            address_limit: RateLimit::new(30, jiff::SignedDuration::from_mins(15)),
            secure_cookies,
            trusted_proxy,
            feed_allow_hosts,
            public_url: std::sync::OnceLock::new(),
        }))
    }

    /// The server's current instant: the one place handlers get `now` from.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The server's instant when its clock was fixed (`serve --at`, the demo), for pages to
    /// say so; None on the system clock.
    pub fn fixed_now(&self) -> Option<Timestamp> {
        matches!(self.clock, Clock::Fixed(_)).then(|| self.clock.now())
    }

    /// Runs `f` with the database on this thread. Called from async code (the server's start),
    /// the thread leaves the runtime's workers while it waits, as a database driver that blocks
    /// needs (PostgreSQL's runs a runtime of its own).
    pub fn with_store<T>(&self, f: impl FnOnce(&mut DynStore) -> T) -> T {
        let run = || {
            let mut store = self.stores.take();
            f(store.get())
        };
        match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(run)
            }
            _ => run(),
        }
    }

    /// Runs `f` with the database on a blocking thread. A panic inside answers this request
    /// with an error and leaves the store usable for the next.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DynStore) -> Result<T, ApiError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = state.stores.take();
            f(store.get())
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "a request failed inside the database worker");
            ApiError::internal("the request failed inside the server; it was not stored")
        })?
    }

    /// The practice, parsed once and kept until the database changes it.
    pub fn practice(&self, store: &dyn Store, id: PracticeId) -> Result<Arc<Practice>, StoreError> {
        let version = store.outside_writes()?;
        {
            let mut seen = unpoisoned(self.seen_version.lock());
            if *seen != version {
                unpoisoned(self.practices.write()).clear();
                *seen = version;
            }
        }
        if let Some(p) = unpoisoned(self.practices.read()).get(&id) {
            return Ok(p.clone());
        }
        let p = Arc::new(store.practice(id)?);
        unpoisoned(self.practices.write()).insert(id, p.clone());
        Ok(p)
    }

    /// Forgets cached practices (after this server applied a practice file).
    pub fn forget_practices(&self) {
        unpoisoned(self.practices.write()).clear();
    }

    /// Who an API token belongs to.
    pub fn token_principal(store: &DynStore, token: &str) -> Result<Option<Principal>, StoreError> {
        store.token(&crate::auth::secret_hash(token))
    }
}
