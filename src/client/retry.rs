//! Retries: which failures are worth another attempt, and how long to wait before it
//! (exponential backoff with full jitter).

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ureq::http::Method;

use super::{Connection, Error, Repeat};
use crate::sync::lock;
use crate::Status;

/// How a client retries a failed request that is safe to repeat: reads, stop, and start
/// (which always carries its id). Join and leave are not retried (see `Connection::attempts` for
/// the one case they are sent again).
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

/// The wait a `Retry-After` header value asks for, as of `now`: delay-seconds, or an HTTP date
/// (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, the form RFC 9110 says servers send). A date in
/// the past is no wait; anything else unreadable is `None` (the policy's backoff applies).
/// Written by hand: it is one date format, and no crate of the dependency tree parses it.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let when = UNIX_EPOCH + Duration::from_secs(parse_imf_fixdate(value)?);
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Seconds since the Unix epoch of an IMF-fixdate.
pub(crate) fn parse_imf_fixdate(value: &str) -> Option<u64> {
    let mut parts = value.split(' ');
    let weekday = parts.next()?;
    let (day, month, year, time, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || !weekday.ends_with(',') || zone != "GMT" || day.len() != 2 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let number = |s: &str, digits: usize| {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let (day, year) = (number(day, 2)?, number(year, 4)?);
    let mut clock = time.split(':');
    let (hour, minute, second) = (
        number(clock.next()?, 2)?,
        number(clock.next()?, 2)?,
        number(clock.next()?, 2)?,
    );
    if clock.next().is_some() || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60
    {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm), for years from 1970.
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let year_of_era = y % 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = (era * 146_097 + day_of_era).checked_sub(719_468)?;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

impl Connection {
    /// Runs `exchange` until it succeeds, fails for good, or the retry policy is spent; logs
    /// each attempt. A `Repeat::Once` request gets one attempt. The error says how many were made,
    /// and whether any of them may have reached the server unanswered.
    ///
    /// The wait before a retry is the backoff of the policy, or exactly the `Retry-After` the
    /// server sent. A `Retry-After` longer than the policy's maximum delay, or one that would end
    /// after the call's deadline (the client's timeout, counted from the call's start), is not
    /// waited: retrying sooner than the server asked is pointless, so the call fails at once with
    /// the server's answer (its hint names the wait), and the caller can go elsewhere. On a
    /// connection with a deadline of its own (a wait's), no attempt starts and no backoff ends
    /// after it.
    pub(super) fn attempts<T>(
        &self,
        method: &Method,
        path: &str,
        repeat: Repeat,
        mut exchange: impl FnMut() -> Result<(u16, T), Error>,
    ) -> Result<T, Error> {
        let policy = self.retry.unwrap_or(self.core.retry);
        let call_deadline = Instant::now() + self.core.timeout;
        let deadline = self
            .deadline
            .map_or(call_deadline, |d| d.min(call_deadline));
        let mut attempt = 1;
        let mut unanswered = false;
        loop {
            if self.deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(Error::new(
                    crate::Status::Timeout,
                    "the deadline passed before the request could be sent",
                )
                .with_attempts(attempt - 1, unanswered));
            }
            let started = Instant::now();
            let result = exchange();
            let outcome = result.as_ref().map(|(status, _)| *status);
            self.core
                .log_exchange(method, path, started, outcome, attempt);
            let error = match result {
                Ok((_, value)) => return Ok(value),
                Err(error) => error,
            };
            // A request sent once (join, leave) is sent again once, at once, when its kept-alive
            // connection was closed before any byte of the answer: the server never read it.
            if repeat == Repeat::Once && attempt == 1 && error.is_stale_connection() {
                attempt += 1;
                continue;
            }
            if repeat == Repeat::Once || attempt > policy.retries || !is_transient(&error) {
                return Err(error.with_attempts(attempt, unanswered));
            }
            let wait = match error.retry_after() {
                Some(asked) if asked > policy.max_delay || Instant::now() + asked > deadline => {
                    return Err(error.with_attempts(attempt, unanswered));
                }
                Some(asked) => asked,
                None => policy.backoff(attempt),
            };
            if self.deadline.is_some_and(|d| Instant::now() + wait > d) {
                return Err(error.with_attempts(attempt, unanswered));
            }
            unanswered |= error.may_have_reached_unanswered();
            let woke_early = match &self.cancel {
                Some(token) => !token.sleep(wait),
                None => {
                    std::thread::sleep(wait);
                    false
                }
            };
            if woke_early {
                return Err(
                    Error::new(crate::Status::Cancelled, "the request was cancelled")
                        .with_attempts(attempt, unanswered),
                );
            }
            attempt += 1;
        }
    }
}

/// Lets a non-blocking request's cancel wake it from a backoff wait.
#[derive(Clone, Default)]
pub(crate) struct CancelToken(Arc<(Mutex<bool>, Condvar)>);

impl CancelToken {
    pub fn cancel(&self) {
        *lock(&self.0 .0) = true;
        self.0 .1.notify_all();
    }

    /// Sleeps up to `duration`; false when woken by a cancel.
    pub fn sleep(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        let mut cancelled = lock(&self.0 .0);
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
    fn retry_after_reads_seconds_and_http_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sat, 01 Jan 2000 00:00:00 GMT", now),
            Some(Duration::from_secs(946_684_800 - 784_111_777))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:30 GMT", now),
            Some(Duration::ZERO),
            "a date in the past asks for no wait"
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "soon",
            "Sun, 06 Nov 1994 08:49:47 PST",
            "06 Nov 1994",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

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
        assert!(is_transient(&Error::from_response(503, b"", "u", None)));
        assert!(is_transient(&Error::from_response(420, b"", "u", None)));
        assert!(is_transient(&Error::from_response(429, b"", "u", None)));
        assert!(!is_transient(&Error::from_response(404, b"", "u", None)));
        assert!(!is_transient(&Error::from_response(409, b"", "u", None)));
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
