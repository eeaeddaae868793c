//! When a wait looks at its session again: fast first (a session usually runs within seconds),
//! then backing off, never sooner than a floor, and never sooner than a `Retry-After` asks.

use std::time::Duration;

/// No two looks of one wait are closer than this (from the end of one to the start of the next).
pub const POLL_FLOOR: Duration = Duration::from_millis(250);
/// The longest pause between two looks, reached after the fourth.
pub const POLL_CEILING: Duration = Duration::from_secs(2);
/// The last look of a wait starts at least this long before its deadline, so its answer can
/// still arrive in time.
pub const LAST_LOOK_MARGIN: Duration = Duration::from_millis(250);

/// The pauses of one wait: 250 ms, 500 ms, 1 s, then 2 s for as long as it lasts.
#[derive(Debug)]
pub(crate) struct Schedule {
    next: Duration,
}

impl Default for Schedule {
    fn default() -> Schedule {
        Schedule { next: POLL_FLOOR }
    }
}

impl Schedule {
    /// The pause after a look; `asked` is a `Retry-After` the look was answered with, which
    /// makes the pause at least that long.
    pub fn pause(&mut self, asked: Option<Duration>) -> Duration {
        let pause = self.next.max(asked.unwrap_or_default()).max(POLL_FLOOR);
        self.next = (self.next * 2).min(POLL_CEILING);
        pause
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_to_the_ceiling_and_honour_retry_after() {
        let mut schedule = Schedule::default();
        let ms = |n| Duration::from_millis(n);
        assert_eq!(schedule.pause(None), ms(250));
        assert_eq!(schedule.pause(None), ms(500));
        assert_eq!(
            schedule.pause(Some(ms(3_000))),
            ms(3_000),
            "Retry-After is honoured"
        );
        assert_eq!(schedule.pause(None), ms(2_000));
        assert_eq!(
            schedule.pause(Some(ms(10))),
            ms(2_000),
            "a short one changes nothing"
        );
        assert_eq!(schedule.pause(None), POLL_CEILING);
    }
}
