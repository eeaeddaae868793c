// gameye/results.hpp: the owned results of the operations (lists, sessions, rosters, logs, locations).
// Part of the C++ wrapper; include "gameye.hpp", which includes every part.
#ifndef GAMEYE_RESULTS_HPP
#define GAMEYE_RESULTS_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "views.hpp"

namespace gameye {

/// A session list (owned). Iterate it for Session views, valid while the list lives.
class SessionList {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit SessionList(gameye_session_list *list) noexcept : list_(list) {}
    /// The number of entries.
    std::size_t size() const noexcept { return gameye_session_list_len(list_.get()); }
    /// Whether there are no entries.
    bool empty() const noexcept { return size() == 0; }
    /// The entry at `index` (out of range: an entry that reads as empty).
    Session operator[](std::size_t index) const noexcept {
        return Session(gameye_session_list_get(list_.get(), index));
    }
    /// The first entry, for range-for.
    detail::IndexIterator<SessionList, Session> begin() const noexcept { return {this, 0}; }
    /// Past the last entry.
    detail::IndexIterator<SessionList, Session> end() const noexcept { return {this, size()}; }

private:
    detail::Owned<gameye_session_list, gameye_session_list_free> list_;
};

/// A described session (owned); view() reads it.
class DescribedSession {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit DescribedSession(gameye_session *session) noexcept : session_(session) {}
    /// True only for a wait for an ended session that is gone (no session to read).
    bool empty() const noexcept { return session_.get() == nullptr; }
    /// The session's fields, read in place (valid while this object lives).
    Session view() const noexcept { return Session(session_.get()); }
    /// Same as view().
    Session operator*() const noexcept { return view(); }

private:
    detail::Owned<gameye_session, gameye_session_free> session_;
};

/// A started session (owned): where players connect.
class StartedSession {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit StartedSession(gameye_started_session *session) noexcept : session_(session) {}
    /// Wraps gameye_started_session_id (see gameye.h).
    std::string_view id() const noexcept { return detail::view(gameye_started_session_id(session_.get())); }
    /// Wraps gameye_started_session_host (see gameye.h).
    std::string_view host() const noexcept { return detail::view(gameye_started_session_host(session_.get())); }
    /// The mapped ports (gameye_started_session_port_count, gameye_started_session_port_get).
    PortList<gameye_started_session, gameye_started_session_port_count, gameye_started_session_port_get> ports()
        const noexcept {
        return PortList<gameye_started_session, gameye_started_session_port_count, gameye_started_session_port_get>(
            session_.get());
    }

private:
    detail::Owned<gameye_started_session, gameye_started_session_free> session_;
};

/// The answer to a join or leave (owned).
class Roster {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit Roster(gameye_roster *roster) noexcept : roster_(roster) {}
    /// Players in the session after the call; nullopt when not sent.
    std::optional<int64_t> count() const noexcept {
        int64_t count = gameye_roster_count(roster_.get());
        return count < 0 ? std::nullopt : std::optional<int64_t>(count);
    }
    /// The ids the call joined or removed.
    StringList players() const noexcept { return StringList(gameye_roster_players(roster_.get())); }

private:
    detail::Owned<gameye_roster, gameye_roster_free> roster_;
};

/// A session's output so far (owned).
class Logs {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit Logs(gameye_logs *logs) noexcept : logs_(logs) {}
    /// The bytes as sent (usually UTF-8 text).
    std::string_view text() const noexcept {
        return std::string_view(gameye_logs_data(logs_.get()), gameye_logs_len(logs_.get()));
    }

private:
    detail::Owned<gameye_logs, gameye_logs_free> logs_;
};

/// What LogStream::next found.
struct LogLine {
    /// The line (without its line end) when has_line; borrowed from the stream until the next call.
    std::string_view line;
    /// Whether `line` holds a line (false: the wait passed with nothing new).
    bool has_line = false;
    /// The session stopped: the stream is over.
    bool ended = false;
};

/// A followed log (owned); freeing it cancels it and joins its reader thread.
class LogStream {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit LogStream(gameye_log_stream *stream) noexcept : stream_(stream) {}
    /// Waits up to `wait_ms` (0 from a game loop) for the next line.
    Result<LogLine> next(uint32_t wait_ms) {
        const char *line = nullptr;
        std::size_t length = 0;
        bool ended = false;
        gameye_error *error = nullptr;
        gameye_status status = gameye_log_stream_next(stream_.get(), wait_ms, &line, &length, &ended, &error);
        return detail::finish<LogLine>(status, error, [&] {
            LogLine result;
            result.has_line = line != nullptr;
            result.line = line != nullptr ? std::string_view(line, length) : std::string_view();
            result.ended = ended;
            return result;
        });
    }
    /// Ends the stream from any thread: a waiting next() returns Status::Cancelled.
    void cancel() const noexcept { gameye_log_stream_cancel(stream_.get()); }

private:
    detail::Owned<gameye_log_stream, gameye_log_stream_free> stream_;
};

/// A location that can host an image now. Borrowed.
class Location {
public:
    /// Wraps a borrowed C handle (not freed by this view).
    explicit Location(const gameye_location *location) noexcept : location_(location) {}
    /// Wraps gameye_location_id (see gameye.h).
    std::string_view id() const noexcept { return detail::view(gameye_location_id(location_)); }
    /// Addresses to ping for latency.
    StringList ips() const noexcept { return StringList(gameye_location_ips(location_)); }

private:
    const gameye_location *location_;
};

/// Available locations (owned).
class LocationList {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit LocationList(gameye_location_list *list) noexcept : list_(list) {}
    /// The number of entries.
    std::size_t size() const noexcept { return gameye_location_list_len(list_.get()); }
    /// Whether there are no entries.
    bool empty() const noexcept { return size() == 0; }
    /// The entry at `index` (out of range: an entry that reads as empty).
    Location operator[](std::size_t index) const noexcept {
        return Location(gameye_location_list_get(list_.get(), index));
    }
    /// The first entry, for range-for.
    detail::IndexIterator<LocationList, Location> begin() const noexcept { return {this, 0}; }
    /// Past the last entry.
    detail::IndexIterator<LocationList, Location> end() const noexcept { return {this, size()}; }

private:
    detail::Owned<gameye_location_list, gameye_location_list_free> list_;
};

/// What one probe request found (Client::probe). Owns the C probe.
class Probe {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit Probe(gameye_probe *probe) noexcept : probe_(probe) {}
    /// The HTTP status of the answer.
    uint16_t http_status() const noexcept { return gameye_probe_http_status(probe_.get()); }
    /// Milliseconds from sending the request to the response head.
    uint64_t elapsed_ms() const noexcept { return gameye_probe_elapsed_ms(probe_.get()); }
    /// The server's clock from its Date header (Unix milliseconds); nullopt when it sent none.
    std::optional<int64_t> server_time_unix_ms() const noexcept {
        int64_t time = gameye_probe_server_time_unix_ms(probe_.get());
        return time == 0 ? std::nullopt : std::optional<int64_t>(time);
    }
    /// Over TLS, the handshake done and the certificate verified against the client's roots.
    bool tls_verified() const noexcept { return gameye_probe_tls_verified(probe_.get()); }

private:
    detail::Owned<gameye_probe, gameye_probe_free> probe_;
};

/// One scope's access check, borrowed from its AccessList.
class Access {
public:
    /// Wraps a borrowed C handle (not freed by this view).
    explicit Access(const gameye_access *access) noexcept : access_(access) {}
    /// The scope, e.g. "session:stop".
    std::string_view scope() const noexcept { return detail::view(gameye_access_scope(access_)); }
    /// The operation that needs it, e.g. "stop a session".
    std::string_view operation() const noexcept { return detail::view(gameye_access_operation(access_)); }
    /// GAMEYE_GRANT_GRANTED, _REFUSED (401 or 403) or _UNKNOWN (no answer, or a 5xx).
    gameye_grant grant() const noexcept { return gameye_access_grant(access_); }
    /// Whether the token has the scope.
    bool granted() const noexcept { return grant() == GAMEYE_GRANT_GRANTED; }
    /// Why it is refused or unknown: the error's status (Status::Ok when granted).
    Status error_status() const noexcept {
        const gameye_error *error = gameye_access_error(access_);
        return error == nullptr ? Status::Ok : static_cast<Status>(gameye_error_status(error));
    }
    /// The error's HTTP status; 0 when granted or there was no answer.
    uint16_t error_http_status() const noexcept { return gameye_error_http_status(gameye_access_error(access_)); }
    /// The error's message; empty when granted.
    std::string_view error_message() const noexcept {
        return detail::view(gameye_error_message(gameye_access_error(access_)));
    }

private:
    const gameye_access *access_;
};

/// The access checks of Client::check_access, one per scope. Owns the C list.
class AccessList {
public:
    /// Takes ownership of a C handle (freed with this object).
    explicit AccessList(gameye_access_list *list) noexcept : list_(list) {}
    /// The number of entries.
    std::size_t size() const noexcept { return gameye_access_list_len(list_.get()); }
    /// Whether there are no entries.
    bool empty() const noexcept { return size() == 0; }
    /// The entry at `index` (out of range: an entry that reads as empty).
    Access operator[](std::size_t index) const noexcept { return Access(gameye_access_list_get(list_.get(), index)); }
    /// The first entry, for range-for.
    detail::IndexIterator<AccessList, Access> begin() const noexcept { return {this, 0}; }
    /// Past the last entry.
    detail::IndexIterator<AccessList, Access> end() const noexcept { return {this, size()}; }

private:
    detail::Owned<gameye_access_list, gameye_access_list_free> list_;
};

}  // namespace gameye

#endif  // GAMEYE_RESULTS_HPP
