//! The promise register's use-cases: one path for the command line, the pages and the API.
//! The rules are the core's (`frontdesk_core::promise`); each change is stored with its audit
//! entry in one transaction.

use frontdesk_core::promise::{self, Act, NewPromise, Promise, PromiseError};
use frontdesk_core::{Handle, Practice};
use frontdesk_store::{PracticeId, Store, StoreError};
use jiff::Timestamp;

/// Why a promise change was not made; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum PromiseFail {
    #[error(transparent)]
    Refused(#[from] PromiseError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Records a promise: pending when its kind needs a manager's approval, else open.
pub fn record(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    new: &NewPromise,
    now: Timestamp,
) -> Result<Promise, PromiseFail> {
    let state = promise::check_new(practice, new, now)?;
    Ok(store.record_promise(id, new, state, now)?)
}

/// Approves, refuses or keeps promise `number` as `by`.
pub fn act(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    number: i64,
    act: &Act,
    by: &Handle,
    now: Timestamp,
) -> Result<Promise, PromiseFail> {
    if practice.member(by).is_none() {
        return Err(PromiseError::UnknownMember(by.to_string()).into());
    }
    // Judged first outside (for the core's words), then again inside the transaction.
    let current = store
        .promise(id, number)?
        .filter(|p| practice.clients_of(by).any(|c| c.handle == p.client) || p.by == *by)
        .ok_or_else(|| {
            StoreError::Refused(format!("promise {number}: there is no such promise"))
        })?;
    promise::judge(practice, &current, act, by)?;
    let judge = |p: &Promise| {
        promise::judge(practice, p, act, by).map_err(|e| StoreError::Refused(e.to_string()))
    };
    Ok(store.promise_act(id, number, act, &judge, by, now)?)
}

/// The promises `member` may see (those of their clients, or all for those who oversee the
/// practice, and those they made), of `client` when given.
pub fn list(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    member: &Handle,
    client: Option<&Handle>,
) -> Result<Vec<Promise>, StoreError> {
    Ok(store
        .promises(id, client)?
        .into_iter()
        .filter(|p| p.by == *member || practice.clients_of(member).any(|c| c.handle == p.client))
        .collect())
}

/// The promises the timers and the risk read: pending ones and open ones.
pub fn live(store: &dyn Store, id: PracticeId) -> Result<Vec<Promise>, StoreError> {
    Ok(store
        .promises(id, None)?
        .into_iter()
        .filter(|p| matches!(p.state, promise::State::Pending | promise::State::Open))
        .collect())
}
