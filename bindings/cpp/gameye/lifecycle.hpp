// gameye/lifecycle.hpp: watching sessions (WatchOptions, WatchEvent, Watch) and the state a wait
// waits for (SessionState); the waits themselves are Client members.
// Part of the C++ wrapper; include "gameye.hpp", which includes every part.
#ifndef GAMEYE_LIFECYCLE_HPP
#define GAMEYE_LIFECYCLE_HPP

#include <cstdint>
#include <optional>

#include "options.hpp"
#include "results.hpp"

namespace gameye {

/// The state Client::wait_for_session waits for (GAMEYE_SESSION_STATE_*).
enum class SessionState : int32_t {
    /// Status "running": players can connect to its host and ports.
    Running = GAMEYE_SESSION_STATE_RUNNING,
    /// Gone from the active list, or status "exited" or "dead".
    Ended = GAMEYE_SESSION_STATE_ENDED,
};

/// What happened to a session between two polls (GAMEYE_WATCH_EVENT_*).
enum class WatchEventKind : int32_t {
    Added = GAMEYE_WATCH_EVENT_ADDED,
    Changed = GAMEYE_WATCH_EVENT_CHANGED,
    Removed = GAMEYE_WATCH_EVENT_REMOVED,
};

/// How Client::watch_sessions polls (see gameye_watch_options_*). Events are taken with
/// Watch::next; the C API's callback form is not wrapped (a std::function on a library thread
/// invites the lifetime bugs next() avoids).
class WatchOptions : public Builder {
public:
    WatchOptions() noexcept : options_(gameye_watch_options_new()) {}
    /// At least 250 ms; default 2000.
    WatchOptions &interval_ms(uint32_t ms) {
        keep(gameye_watch_options_set_interval_ms(get(), ms));
        return *this;
    }
    /// The filter of each poll (copied).
    WatchOptions &filter(const ListOptions &list) {
        keep(list.status() != Status::Ok ? static_cast<gameye_status>(list.status())
                                         : gameye_watch_options_set_list_options(get(), list.get()));
        return *this;
    }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    gameye_watch_options *get() const noexcept { return options_.get(); }

private:
    detail::Owned<gameye_watch_options, gameye_watch_options_free> options_;
};

/// One change a Watch saw (owned). Its sessions are views valid while the event lives.
class WatchEvent {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit WatchEvent(gameye_watch_event *event) noexcept : event_(event) {}
    /// Wraps gameye_watch_event_kind (see gameye.h).
    WatchEventKind kind() const noexcept { return static_cast<WatchEventKind>(gameye_watch_event_kind(get())); }
    /// For Changed: the GAMEYE_WATCH_CHANGE_* bits of what differs; 0 otherwise.
    uint32_t changes() const noexcept { return gameye_watch_event_changes(get()); }
    /// The session as now seen (for Removed, as last seen).
    Session session() const noexcept { return Session(gameye_watch_event_session(get())); }
    /// For Changed: the session as the poll before saw it.
    std::optional<Session> previous() const noexcept {
        const gameye_session *previous = gameye_watch_event_previous(get());
        return previous ? std::optional<Session>(Session(previous)) : std::nullopt;
    }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    const gameye_watch_event *get() const noexcept { return event_.get(); }

private:
    detail::Owned<gameye_watch_event, gameye_watch_event_free> event_;
};

/// A watch of the sessions (owned, thread-safe): a library thread polls; take events with next().
/// Destroying it stops the thread, also while a poll is on the wire.
class Watch {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit Watch(gameye_watch *watch) noexcept : watch_(watch) {}

    /// The next event within `wait_ms` (0: just look, from a game loop); std::nullopt when none
    /// came in time. Fails with the failure that ended the watch, or Status::Cancelled after
    /// close(), once the events before it are taken.
    Result<std::optional<WatchEvent>> next(uint32_t wait_ms) const {
        gameye_watch_event *event = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_watch_next(get(), wait_ms, &event, &error);
        if (status != GAMEYE_STATUS_OK) {
            return Error(static_cast<Status>(status), error);
        }
        return event ? std::optional<WatchEvent>(WatchEvent(event)) : std::nullopt;
    }
    /// Whether it still polls (false once closed or ended by a failure).
    bool running() const noexcept { return gameye_watch_is_running(get()); }
    /// Polls answered so far.
    uint64_t polls() const noexcept { return gameye_watch_polls(get()); }
    /// The last poll's failure (one that may pass, or the one that ended it); Status::Ok if none.
    Result<void> last_error() const {
        gameye_error *error = nullptr;
        gameye_status status = gameye_watch_last_error(get(), &error);
        return detail::finish_void(status, error);
    }
    /// Stops polling; queued events can still be taken.
    void close() const noexcept { gameye_watch_close(get()); }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    const gameye_watch *get() const noexcept { return watch_.get(); }

private:
    detail::Owned<gameye_watch, gameye_watch_free> watch_;
};

}  // namespace gameye

#endif
