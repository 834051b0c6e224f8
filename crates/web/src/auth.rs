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

    /// Whether `key` may try again now. Asking remembers nothing.
    pub fn allowed(&self, key: &str) -> bool {
        let now = Instant::now();
        let map = self.map();
        map.get(&digest(key)).is_none_or(|list| {
            list.iter()
                .filter(|t| now.duration_since(**t) < self.window)
                .count()
                < self.max
        })
    }

    /// Records a failed attempt.
    pub fn failed(&self, key: &str) {
        let now = Instant::now();
        let mut map = self.map();
        let k = digest(key);
        if !map.contains_key(&k) && map.len() >= self.capacity {
            map.retain(|_, list| {
                list.retain(|t| now.duration_since(*t) < self.window);
                !list.is_empty()
            });
            if map.len() >= self.capacity {
                // Still full of live keys: the one whose last failure is oldest goes.
                if let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, list)| list.last().copied())
                    .map(|(k, _)| *k)
                {
                    map.remove(&oldest);
                }
            }
        }
        let list = map.entry(k).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        list.push(now);
        // More than `max` are never needed to refuse.
        if list.len() > self.max {
            let extra = list.len() - self.max;
            list.drain(..extra);
        }
    }

    /// Forgets the failures after a success.
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
    fn the_limit_blocks_after_max_failures() {
        let l = RateLimit::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(l.allowed("k"));
            l.failed("k");
        }
        assert!(!l.allowed("k"));
        assert!(l.allowed("other"));
        l.succeeded("k");
        assert!(l.allowed("k"));
    }

    #[test]
    fn asking_remembers_nothing_and_the_keys_are_bounded() {
        let l = RateLimit::with_capacity(3, Duration::from_secs(60), 100);
        for i in 0..1000 {
            assert!(l.allowed(&format!("{i}|{}", "x".repeat(60_000))));
        }
        assert!(l.is_empty(), "asking keeps nothing");
        for i in 0..1000 {
            l.failed(&format!("{i}|{}", "x".repeat(60_000)));
        }
        assert_eq!(l.len(), 100, "at most the capacity");
        // The newest are kept.
        l.failed("999|again");
        assert!(l.len() <= 100);
    }
}
