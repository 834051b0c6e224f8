//! Who is asking: the session cookie and a sign-in rate limit, over the desk's secrets
//! (password hashes, tokens stored as SHA-256).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use frontdesk_desk::secrets::*;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "fd_session";

/// Sign-in attempts per key (address and email), at most `max` failures in `window`.
pub struct RateLimit {
    max: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl RateLimit {
    pub fn new(max: usize, window: Duration) -> RateLimit {
        RateLimit {
            max,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `key` may try again now.
    pub fn allowed(&self, key: &str) -> bool {
        let mut map = self.failures.lock().expect("rate limit lock");
        let now = Instant::now();
        let list = map.entry(key.to_string()).or_default();
        list.retain(|t| now.duration_since(*t) < self.window);
        list.len() < self.max
    }

    /// Records a failed attempt.
    pub fn failed(&self, key: &str) {
        let mut map = self.failures.lock().expect("rate limit lock");
        map.entry(key.to_string()).or_default().push(Instant::now());
    }

    /// Forgets the failures after a success.
    pub fn succeeded(&self, key: &str) {
        self.failures.lock().expect("rate limit lock").remove(key);
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
}
