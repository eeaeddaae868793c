//! Retries: which failures are worth another attempt, and how long to wait before it
//! (exponential backoff with full jitter).

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::Error;
use crate::Status;

/// How a client retries a failed request that is safe to repeat: reads, stop, and start
/// (which always carries its id). Join and leave are never retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub retries: u32,
    /// The backoff before the first retry; each later one doubles it, up to `max_delay`.
    pub base_delay: Duration,
    /// The longest backoff.
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// No retries.
    pub const NONE: RetryPolicy = RetryPolicy {
        retries: 0,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };

    /// The default: 2 retries, backoff from 200 ms up to 5 s.
    pub const DEFAULT: RetryPolicy = RetryPolicy {
        retries: 2,
        base_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(5),
    };

    /// Checks the policy: a retrying policy needs a base delay no longer than its cap.
    pub fn check(&self) -> Result<(), Error> {
        if self.retries > 0 && (self.base_delay.is_zero() || self.base_delay > self.max_delay) {
            return Err(Error::invalid_argument(
                "retry delays must satisfy 0 < base delay <= max delay",
            ));
        }
        if self.retries > 100 {
            return Err(Error::invalid_argument("at most 100 retries"));
        }
        Ok(())
    }

    /// The wait before retry number `retry` (1 for the first): a uniform random duration up to
    /// `min(max_delay, base_delay * 2^(retry-1))` ("full jitter", so many clients that failed
    /// together do not retry together).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(
                1u32.checked_shl(retry.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .min(self.max_delay);
        // The top 48 bits of a UUIDv4 are all random (its version and variant bits sit lower).
        let random = (uuid::Uuid::new_v4().as_u128() >> 80) as f64 / (1u64 << 48) as f64;
        ceiling.mul_f64(random)
    }
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy::DEFAULT
    }
}

/// Whether a failure may succeed on another attempt: a lost connection, a server error, or a
/// rate limit. Timeouts are not retried: the caller's budget is spent.
pub(crate) fn is_transient(error: &Error) -> bool {
    matches!(
        error.status(),
        Status::Transport | Status::Server | Status::RateLimited
    )
}

/// Lets a non-blocking request's cancel wake it from a backoff wait.
#[derive(Clone, Default)]
pub(crate) struct CancelToken(Arc<(Mutex<bool>, Condvar)>);

impl CancelToken {
    pub fn cancel(&self) {
        *self.0 .0.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.0 .1.notify_all();
    }

    /// Sleeps up to `duration`; false when woken by a cancel.
    pub fn sleep(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        let mut cancelled = self.0 .0.lock().unwrap_or_else(|e| e.into_inner());
        while !*cancelled {
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            cancelled = self
                .0
                 .1
                .wait_timeout(cancelled, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_within_its_cap() {
        let policy = RetryPolicy {
            retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(3) <= Duration::from_millis(400));
            assert!(policy.backoff(40) <= Duration::from_millis(1000));
        }
        let spread: std::collections::HashSet<_> = (0..50).map(|_| policy.backoff(4)).collect();
        assert!(spread.len() > 40, "jittered");
        // Full jitter: the whole range from 0 to the ceiling is used, not a slice of it.
        let samples: Vec<Duration> = (0..2000).map(|_| policy.backoff(10)).collect();
        assert!(
            samples.iter().any(|d| *d < Duration::from_millis(100)),
            "short waits occur"
        );
        assert!(
            samples.iter().any(|d| *d > Duration::from_millis(900)),
            "long waits occur"
        );
    }

    #[test]
    fn policies_are_checked() {
        assert!(RetryPolicy::DEFAULT.check().is_ok());
        assert!(RetryPolicy::NONE.check().is_ok());
        let bad = RetryPolicy {
            retries: 1,
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(1),
        };
        assert!(bad.check().is_err());
        let zero = RetryPolicy {
            retries: 1,
            base_delay: Duration::ZERO,
            max_delay: Duration::from_secs(1),
        };
        assert!(zero.check().is_err());
    }

    #[test]
    fn transient_failures() {
        assert!(is_transient(&Error::new(Status::Transport, "x")));
        assert!(is_transient(&Error::from_response(503, b"", "u")));
        assert!(is_transient(&Error::from_response(420, b"", "u")));
        assert!(is_transient(&Error::from_response(429, b"", "u")));
        assert!(!is_transient(&Error::from_response(404, b"", "u")));
        assert!(!is_transient(&Error::from_response(409, b"", "u")));
        assert!(!is_transient(&Error::new(Status::Timeout, "x")));
    }

    #[test]
    fn a_cancel_wakes_a_sleeper() {
        let token = CancelToken::default();
        let sleeper = {
            let token = token.clone();
            std::thread::spawn(move || token.sleep(Duration::from_secs(60)))
        };
        token.cancel();
        assert!(!sleeper.join().unwrap());
        assert!(!token.sleep(Duration::from_secs(60)), "stays cancelled");
    }
}
