//! Delivering the outbox: each due message goes to the transport for its medium, at least
//! once, with backoff after a failure and a dead end after too many.
//!
//! Transports plug in: this crate has [`FileTransport`] (every message appended to a file as
//! a JSON line — for tests, and for piping into another system); the mail channel adds SMTP.
//! A medium with no transport keeps its messages pending, untried, until one is configured.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use frontdesk_core::outbox::{Medium, retry_delay};
use frontdesk_store::{Attempt, PracticeId, Queued, Store, StoreError};
use jiff::Timestamp;

/// Something that can deliver messages of some media.
pub trait Transport: Send + Sync {
    /// Delivers one message; an error says what went wrong, for the outbox page.
    fn send(&self, message: &Queued) -> Result<(), String>;

    /// The practices whose messages it sends: all (None), or these (one practice may have a
    /// mail relay and another not). The others are not claimed: they wait, untouched.
    fn practices(&self) -> Option<Vec<PracticeId>> {
        None
    }
}

/// A transport shared between media (one file, one mail server) is a transport too.
impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, message: &Queued) -> Result<(), String> {
        (**self).send(message)
    }

    fn practices(&self) -> Option<Vec<PracticeId>> {
        (**self).practices()
    }
}

/// The transport of each medium.
#[derive(Default)]
pub struct Transports {
    by_medium: BTreeMap<Medium, Box<dyn Transport>>,
}

impl Transports {
    /// No transport: every message stays pending.
    pub fn none() -> Transports {
        Transports::default()
    }

    /// Delivers `medium` with `transport`.
    pub fn with(mut self, medium: Medium, transport: Box<dyn Transport>) -> Transports {
        self.by_medium.insert(medium, transport);
        self
    }

    /// What the transports can send: each medium, for every practice or for some.
    pub fn routes(&self) -> Vec<(Medium, Option<PracticeId>)> {
        self.by_medium
            .iter()
            .flat_map(|(m, t)| match t.practices() {
                None => vec![(*m, None)],
                Some(ids) => ids.into_iter().map(|p| (*m, Some(p))).collect(),
            })
            .collect()
    }
}

/// Appends every message as one JSON line to a file.
pub struct FileTransport {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileTransport {
    pub fn new(path: PathBuf) -> FileTransport {
        FileTransport {
            path,
            lock: Mutex::new(()),
        }
    }

    /// Every medium delivered to the file at `path`.
    pub fn everything(path: PathBuf) -> Transports {
        let t = std::sync::Arc::new(FileTransport::new(path));
        Medium::ALL
            .into_iter()
            .fold(Transports::none(), |ts, m| ts.with(m, Box::new(t.clone())))
    }
}

impl Transport for FileTransport {
    fn send(&self, q: &Queued) -> Result<(), String> {
        let m = &q.message;
        let line = serde_json::json!({
            "id": q.id,
            "key": m.key,
            "medium": m.medium.as_str(),
            "to": m.to,
            "language": m.language.code(),
            "subject": m.subject,
            "text": m.text,
            "calendar": m.calendar,
            "attachment": m.attachment.as_ref().map(|a| serde_json::json!({
                "name": a.name, "type": a.mime, "bytes": a.data.len(),
            })),
        });
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| format!("cannot open {}: {e}", self.path.display()))?;
        writeln!(f, "{line}").map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }
}

/// How long a claimed message is left to its sender before another may try it.
const LEASE: jiff::SignedDuration = jiff::SignedDuration::from_mins(10);

/// What one delivery pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub failed: usize,
    /// Of the failed, how many are now dead.
    pub dead: usize,
    /// Still due after the pass: no transport here for their medium (or past the limit).
    pub waiting: u64,
}

/// A step of work on the store.
pub type StoreStep<'a> = dyn FnMut(&mut dyn Store) -> Result<(), StoreError> + 'a;

/// Runs a step on the store, however the caller holds it.
pub type WithStore<'a> = dyn FnMut(&mut StoreStep<'_>) -> Result<(), StoreError> + 'a;

/// Delivers up to `limit` messages due at `now`. The store is asked only between sends, so a
/// slow transport does not hold it: `with_store` runs a closure on the store.
pub fn deliver(
    with_store: &mut WithStore<'_>,
    transports: &Transports,
    now: Timestamp,
    limit: usize,
) -> Result<Delivered, StoreError> {
    let mut due = Vec::new();
    let lease = now.checked_add(LEASE).unwrap_or(now);
    with_store(&mut |store| {
        due = store.claim_outbox(now, lease, &transports.routes(), limit)?;
        Ok(())
    })?;
    let mut report = Delivered::default();
    for q in due {
        let Some(transport) = transports.by_medium.get(&q.message.medium) else {
            continue; // claimed only for the media there are transports for
        };

        let attempt = match transport.send(&q) {
            Ok(()) => {
                report.sent += 1;
                Attempt::Sent(now)
            }
            Err(error) => {
                report.failed += 1;
                let next = retry_delay(q.attempts + 1).and_then(|d| now.checked_add(d).ok());
                if next.is_none() {
                    report.dead += 1;
                }
                tracing::warn!(message = q.id, key = %q.message.key, %error, dead = next.is_none(), "a message was not delivered");
                Attempt::Failed { error, next }
            }
        };
        with_store(&mut |store| store.outbox_attempted(q.id, &attempt))?;
    }
    with_store(&mut |store| {
        report.waiting = store.outbox_due_count(now)?;
        Ok(())
    })?;
    Ok(report)
}

/// [`deliver`] on a store held for the whole pass (the command line).
pub fn deliver_with(
    store: &mut dyn Store,
    transports: &Transports,
    now: Timestamp,
    limit: usize,
) -> Result<Delivered, StoreError> {
    deliver(&mut |f| f(store), transports, now, limit)
}
