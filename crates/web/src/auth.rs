//! Who is asking: the session cookie and a sign-in rate limit, over the desk's secrets
//! (password hashes, tokens stored as SHA-256).

use jiff::SignedDuration;

pub use frontdesk_desk::secrets::*;

use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "fd_session";

/// Sign-in attempts per key (an address, or an account), at most `max` in `window`, counted in
/// the database so that every server on it shares the count. Keys are kept as digests, so a
/// long e-mail costs no more than a short one, and attempts older than the window are dropped.
pub struct RateLimit {
    max: u32,
    window: SignedDuration,
}

impl RateLimit {
    /// At most `max` attempts per key in `window`.
    pub fn new(max: u32, window: SignedDuration) -> RateLimit {
        RateLimit { max, window }
    }

    /// Whether `key` may try now; if so the attempt is counted at once, before the password is
    /// checked, so parallel requests (to any server) cannot all pass the check. A success then
    /// forgets it ([`RateLimit::succeeded`], [`RateLimit::forgive_one`]).
    pub async fn attempt(&self, state: &AppState, key: &str) -> Result<bool, ApiError> {
        let key = secret_hash(key);
        let now = state.now();
        let since = now.checked_sub(self.window).unwrap_or(now);
        let max = self.max;
        state
            .db(move |s| Ok(s.limit_attempt(&key, now, since, max)?))
            .await
    }

    /// Takes back the last attempt counted for `key` (a success that should not count).
    pub async fn forgive_one(&self, state: &AppState, key: &str) -> Result<(), ApiError> {
        let key = secret_hash(key);
        state.db(move |s| Ok(s.limit_forget(&key, false)?)).await
    }

    /// Forgets every attempt of `key` after a success.
    pub async fn succeeded(&self, state: &AppState, key: &str) -> Result<(), ApiError> {
        let key = secret_hash(key);
        state.db(move |s| Ok(s.limit_forget(&key, true)?)).await
    }
}
