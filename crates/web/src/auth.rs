//! Who is asking: the session cookie and a sign-in rate limit, over the desk's secrets
//! (password hashes, tokens stored as SHA-256).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use frontdesk_desk::secrets::*;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "fd_session";

/// Failed sign-ins per key (an address, or an account), at most `max` in `window`. Keys are
/// kept as digests, so a long e-mail costs no more than a short one, and at most `capacity`
/// of them: expired ones go first, then the quietest.
pub struct RateLimit {
    max: usize,
    window: Duration,
    capacity: usize,
    failures: Mutex<HashMap<[u8; 32], Vec<Instant>>>,
}

fn digest(key: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&secret_hash(key));
    out
}

impl RateLimit {
    /// At most `max` failures per key in `window`, for at most 10,000 keys.
    pub fn new(max: usize, window: Duration) -> RateLimit {
        RateLimit::with_capacity(max, window, 10_000)
    }

    /// The same, for at most `capacity` keys.
    pub fn with_capacity(max: usize, window: Duration, capacity: usize) -> RateLimit {
        RateLimit {
            max,
            window,
            capacity: capacity.max(1),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Vec<Instant>>> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether `key` may try now; if so the attempt is counted at once, before the password is
    /// checked, so parallel requests cannot all pass the check. A success then forgets it
    /// ([`RateLimit::succeeded`], [`RateLimit::forgive_one`]).
    pub fn attempt(&self, key: &str) -> bool {
        let now = Instant::now();
        let mut map = self.map();
        let k = digest(key);
        if let Some(list) = map.get_mut(&k) {
            list.retain(|t| now.duration_since(*t) < self.window);
            if list.len() >= self.max {
                return false;
            }
            list.push(now);
            return true;
        }
        if map.len() >= self.capacity {
            map.retain(|_, list| {
                list.retain(|t| now.duration_since(*t) < self.window);
                !list.is_empty()
            });
            if map.len() >= self.capacity {
                // Still full of live keys: the one whose last attempt is oldest goes.
                if let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, list)| list.last().copied())
                    .map(|(k, _)| *k)
                {
                    map.remove(&oldest);
                }
            }
        }
        map.insert(k, vec![now]);
        true
    }

    /// Takes back the last attempt counted for `key` (a success that should not count).
    pub fn forgive_one(&self, key: &str) {
        let mut map = self.map();
        let k = digest(key);
        if let Some(list) = map.get_mut(&k) {
            list.pop();
            if list.is_empty() {
                map.remove(&k);
            }
        }
    }

    /// Forgets every attempt of `key` after a success.
    pub fn succeeded(&self, key: &str) {
        self.map().remove(&digest(key));
    }

    /// How many keys it holds.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    /// Whether it holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_blocks_after_max_attempts_until_a_success() {
        let l = RateLimit::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(l.attempt("k"));
        }
        assert!(!l.attempt("k"));
        assert!(l.attempt("other"));
        l.succeeded("k");
        assert!(l.attempt("k"));
        // A forgiven attempt does not count.
        l.forgive_one("k");
        l.forgive_one("k");
        assert!(l.attempt("k") && l.attempt("k") && l.attempt("k"));
        assert!(!l.attempt("k"));
    }

    #[test]
    fn the_keys_are_bounded_whatever_their_length() {
        let l = RateLimit::with_capacity(3, Duration::from_secs(60), 100);
        for i in 0..1000 {
            assert!(l.attempt(&format!("{i}|{}", "x".repeat(60_000))));
        }
        assert_eq!(l.len(), 100, "at most the capacity");
    }
}
