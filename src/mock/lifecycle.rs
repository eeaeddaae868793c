//! How a session changes over time after its start, so that every outcome of waiting for one is
//! testable: it may take a while to become running ("created" until then), die while starting
//! ("dead"), exit on its own after a while ("exited"), and be forgotten once ended (describe
//! answers 404 and `all` lists leave it out). Rules come from the admin API
//! (`POST /_mock/lifecycle`) or [`super::MockServer::set_lifecycle`] and apply to sessions started
//! after them; like the ttl, each change happens lazily, when a request looks.

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::state::{ApiError, State};

/// What sessions started from now on do over time. Without a rule a session runs at once and
/// until it is stopped, as before.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// Only sessions of this image follow the rule (every image when absent). A later rule for
    /// the same image (or for all) replaces the earlier one.
    #[serde(default)]
    pub image: Option<String>,
    /// The session is "created" for this long after its start, then "running".
    #[serde(default)]
    pub starting_ms: u64,
    /// When starting ends the session dies ("dead") instead of running.
    #[serde(default)]
    pub dies_while_starting: bool,
    /// The session exits on its own ("exited") this long after it became running.
    #[serde(default)]
    pub exits_after_ms: Option<u64>,
    /// This long after a session ended (stopped, died, exited, expired), describing it answers
    /// 404 and `all` lists leave it out.
    #[serde(default)]
    pub forget_after_ms: Option<u64>,
}

/// The longest time a rule may name: a day.
const MAX_RULE_MS: u64 = 86_400_000;

impl Lifecycle {
    /// Checks the times are within a day.
    pub(crate) fn check(&self) -> Result<(), Vec<(String, String)>> {
        let fields = [
            ("starting_ms", Some(self.starting_ms)),
            ("exits_after_ms", self.exits_after_ms),
            ("forget_after_ms", self.forget_after_ms),
        ];
        let violations: Vec<(String, String)> = fields
            .into_iter()
            .filter(|(_, value)| value.is_some_and(|v| v > MAX_RULE_MS))
            .map(|(field, _)| (field.to_owned(), format!("at most {MAX_RULE_MS}")))
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }
}

/// One session's timeline, fixed at its start from the rule that applied.
#[derive(Debug, Default)]
pub(crate) struct Timeline {
    /// When it becomes running (or dies); `None` once that has happened (or at once).
    pub starting_until: Option<Instant>,
    pub dies_while_starting: bool,
    pub exits_after: Option<Duration>,
    /// When it exits on its own, once it runs.
    pub exits_at: Option<Instant>,
    pub forget_after: Option<Duration>,
    /// The status it ended with: "exited" unless it died.
    pub ended_as: Option<&'static str>,
    /// Ended long enough ago to be forgotten.
    pub forgotten: bool,
}

impl Timeline {
    /// The timeline of a session started at `now` under `rule`.
    pub fn new(rule: Option<&Lifecycle>, now: Instant) -> Timeline {
        let Some(rule) = rule else {
            return Timeline::default();
        };
        let starting = Duration::from_millis(rule.starting_ms);
        let exits_after = rule.exits_after_ms.map(Duration::from_millis);
        let starting_until =
            (rule.starting_ms > 0 || rule.dies_while_starting).then_some(now + starting);
        Timeline {
            starting_until,
            dies_while_starting: rule.dies_while_starting,
            exits_after,
            exits_at: match starting_until {
                None => exits_after.map(|after| now + after),
                Some(_) => None,
            },
            forget_after: rule.forget_after_ms.map(Duration::from_millis),
            ended_as: None,
            forgotten: false,
        }
    }

    /// Whether it still waits for a change of its own (so `State::expire` must look at it).
    pub fn is_pending(&self, stopped: bool) -> bool {
        if stopped {
            self.forget_after.is_some() && !self.forgotten
        } else {
            self.starting_until.is_some() || self.exits_at.is_some()
        }
    }
}

/// What happens next to a session, and when.
enum Change {
    Runs(Instant),
    Dies(Instant),
    Exits(Instant),
    Forgotten,
}

impl State {
    /// Adds a rule for sessions started from now on (replacing one for the same image).
    pub fn set_lifecycle(&mut self, rule: Lifecycle) -> Result<(), ApiError> {
        rule.check().map_err(ApiError::invalid)?;
        self.lifecycle.retain(|r| r.image != rule.image);
        self.lifecycle.push(rule);
        Ok(())
    }

    /// Removes every rule (sessions started already keep their timeline).
    pub fn clear_lifecycle(&mut self) {
        self.lifecycle.clear();
    }

    /// The rule for a session of `image`: its own, else the one for every image.
    pub(super) fn lifecycle_for(&self, image: &str) -> Option<&Lifecycle> {
        self.lifecycle
            .iter()
            .find(|r| r.image.as_deref() == Some(image))
            .or_else(|| self.lifecycle.iter().find(|r| r.image.is_none()))
    }

    /// Applies every change of a session's timeline due by `now`, in order.
    pub(super) fn advance_timelines(&mut self, now: Instant) {
        if !self.timed {
            return;
        }
        for index in 0..self.sessions.len() {
            let stopped = self.sessions[index].stopped;
            if !self.sessions[index].timeline.is_pending(stopped.is_some()) {
                continue;
            }
            while let Some(change) = self.next_change(index, now) {
                match change {
                    Change::Runs(at) => {
                        let timeline = &mut self.sessions[index].timeline;
                        timeline.starting_until = None;
                        timeline.exits_at = timeline.exits_after.map(|after| at + after);
                    }
                    Change::Dies(at) => {
                        self.sessions[index].timeline.starting_until = None;
                        self.sessions[index].timeline.ended_as = Some("dead");
                        self.stop_at(index, at, "[gameye] the container failed to start");
                    }
                    Change::Exits(at) => {
                        self.sessions[index].timeline.exits_at = None;
                        self.stop_at(index, at, "[game] the match is over, exiting");
                    }
                    Change::Forgotten => self.sessions[index].timeline.forgotten = true,
                }
            }
        }
    }

    /// The session's next change due by `now`, if any.
    fn next_change(&self, index: usize, now: Instant) -> Option<Change> {
        let session = &self.sessions[index];
        let timeline = &session.timeline;
        if let Some(stopped) = session.stopped {
            let forget = timeline.forget_after.filter(|_| !timeline.forgotten)?;
            return (stopped + forget <= now).then_some(Change::Forgotten);
        }
        if let Some(until) = timeline.starting_until.filter(|at| *at <= now) {
            return Some(if timeline.dies_while_starting {
                Change::Dies(until)
            } else {
                Change::Runs(until)
            });
        }
        timeline.exits_at.filter(|at| *at <= now).map(Change::Exits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::catalogue::Catalogue;
    use crate::mock::state::{ListFilter, StartRequest};

    fn state() -> State {
        State::new(Catalogue::default(), None, Duration::ZERO)
    }

    fn start(state: &mut State) -> String {
        let location = state.catalogue.locations[0].id.clone();
        let image = state.catalogue.images[0].id.clone();
        let request = StartRequest {
            location,
            image,
            ..StartRequest::default()
        };
        state.start(request).unwrap().id.clone()
    }

    fn status(state: &mut State, id: &str) -> Result<&'static str, u16> {
        state.describe(id).map(|s| s.status()).map_err(|e| e.status)
    }

    #[test]
    fn a_session_starts_then_runs_then_exits_then_is_forgotten() {
        let mut state = state();
        state
            .set_lifecycle(Lifecycle {
                starting_ms: 1_000,
                exits_after_ms: Some(5_000),
                forget_after_ms: Some(2_000),
                ..Lifecycle::default()
            })
            .unwrap();
        let id = start(&mut state);
        assert_eq!(status(&mut state, &id), Ok("created"));
        assert_eq!(
            state.list(&ListFilter::default()).len(),
            1,
            "a starting session is active"
        );
        state.advance_clock(Duration::from_millis(1_000));
        assert_eq!(status(&mut state, &id), Ok("running"));
        state.advance_clock(Duration::from_millis(4_999));
        assert_eq!(status(&mut state, &id), Ok("running"));
        state.advance_clock(Duration::from_millis(1));
        assert_eq!(status(&mut state, &id), Ok("exited"));
        assert!(state.list(&ListFilter::default()).is_empty());
        state.advance_clock(Duration::from_millis(2_000));
        assert_eq!(status(&mut state, &id), Err(404));
        let all = ListFilter {
            all: true,
            ..ListFilter::default()
        };
        assert!(
            state.list(&all).is_empty(),
            "a forgotten session is left out of `all`"
        );
    }

    #[test]
    fn a_session_can_die_while_starting_and_only_later_starts_follow_a_rule() {
        let mut state = state();
        let before = start(&mut state);
        state
            .set_lifecycle(Lifecycle {
                starting_ms: 500,
                dies_while_starting: true,
                ..Lifecycle::default()
            })
            .unwrap();
        let id = start(&mut state);
        assert_eq!(status(&mut state, &before), Ok("running"));
        assert_eq!(status(&mut state, &id), Ok("created"));
        // Long after: the change is applied as of when it was due, once.
        state.advance_clock(Duration::from_secs(60));
        assert_eq!(status(&mut state, &id), Ok("dead"));
        assert_eq!(state.stop(&id).unwrap_err().status, 409);
        state.clear_lifecycle();
        let after = start(&mut state);
        assert_eq!(status(&mut state, &after), Ok("running"));
    }

    #[test]
    fn a_starting_session_can_be_stopped_and_rules_are_checked() {
        let mut state = state();
        state
            .set_lifecycle(Lifecycle {
                starting_ms: 10_000,
                ..Lifecycle::default()
            })
            .unwrap();
        let id = start(&mut state);
        state.stop(&id).unwrap();
        assert_eq!(status(&mut state, &id), Ok("exited"));
        state.advance_clock(Duration::from_secs(20));
        assert_eq!(
            status(&mut state, &id),
            Ok("exited"),
            "stopped stays stopped"
        );
        let too_long = Lifecycle {
            exits_after_ms: Some(MAX_RULE_MS + 1),
            ..Lifecycle::default()
        };
        assert_eq!(state.set_lifecycle(too_long).unwrap_err().status, 422);
    }
}
