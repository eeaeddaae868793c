// gameye.hpp: a header-only C++17 wrapper over the gameye C API (gameye.h).
//
// - Exception-free: compiles and works with -fno-exceptions (Unreal builds without them). Every
//   fallible call returns a [[nodiscard]] gameye::Result<T>, holding the value or the Error.
// - Move-only RAII handles: results free themselves; views (Session, Port, ...) borrow from the
//   result that owns them and must not outlive it.
// - std::string_view accessors (empty when the C API returns NULL; optional fields have
//   has_*() or std::optional), range-for over sessions, ports, players and string maps.
// - Non-blocking calls take a std::function completion, run where the client's delivery mode
//   says (inside Client::poll on the polling thread by default), exactly once.
// - No macros and no names that collide with Unreal's macros (check, verify, ensure, TEXT, ...).
//
// Threading: a Client may be shared by threads; builders (Config, ListOptions, StartOptions) may
// not. The rules of gameye.h apply.
#ifndef GAMEYE_HPP
#define GAMEYE_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "gameye.h"

namespace gameye {

/// The status of a call; the values are gameye.h's GAMEYE_STATUS_*.
enum class Status : int32_t {
    Ok = GAMEYE_STATUS_OK,
    InvalidArgument = GAMEYE_STATUS_INVALID_ARGUMENT,
    Transport = GAMEYE_STATUS_TRANSPORT,
    Timeout = GAMEYE_STATUS_TIMEOUT,
    Decode = GAMEYE_STATUS_DECODE,
    Unauthorized = GAMEYE_STATUS_UNAUTHORIZED,
    QuotaExhausted = GAMEYE_STATUS_QUOTA_EXHAUSTED,
    Forbidden = GAMEYE_STATUS_FORBIDDEN,
    NotFound = GAMEYE_STATUS_NOT_FOUND,
    Conflict = GAMEYE_STATUS_CONFLICT,
    RateLimited = GAMEYE_STATUS_RATE_LIMITED,
    InvalidRequest = GAMEYE_STATUS_INVALID_REQUEST,
    Server = GAMEYE_STATUS_SERVER,
    Http = GAMEYE_STATUS_HTTP,
    Cancelled = GAMEYE_STATUS_CANCELLED,
    Internal = GAMEYE_STATUS_INTERNAL,
};

/// The constant's name, e.g. "GAMEYE_STATUS_NOT_FOUND".
inline std::string_view status_name(Status status) noexcept {
    return gameye_status_name(static_cast<gameye_status>(status));
}

/// The library's version string.
inline std::string_view version() noexcept { return gameye_version(); }

namespace detail {

/// A C string as a view; empty for NULL.
inline std::string_view view(const char *text) noexcept {
    return text != nullptr ? std::string_view(text) : std::string_view();
}

/// A C string as an optional view; nullopt for NULL.
inline std::optional<std::string_view> maybe(const char *text) noexcept {
    if (text == nullptr) {
        return std::nullopt;
    }
    return std::string_view(text);
}

template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *handle) const noexcept { Free(handle); }
};

template <typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

/// An index-based iterator over a container with size() and operator[]. A view (a copyable
/// one-pointer wrapper) is held by value, so `for (auto p : *session.players())` stays valid
/// even though the view itself is a temporary; an owner (move-only) is held by pointer.
template <typename Container, typename Value>
class IndexIterator {
    static constexpr bool by_value = std::is_copy_constructible_v<Container>;
    using Held = std::conditional_t<by_value, Container, const Container *>;

    static Held hold(const Container *container) noexcept {
        if constexpr (by_value) {
            return *container;
        } else {
            return container;
        }
    }

public:
    IndexIterator(const Container *container, std::size_t index) noexcept
        : container_(hold(container)), index_(index) {}
    Value operator*() const noexcept {
        if constexpr (by_value) {
            return container_[index_];
        } else {
            return (*container_)[index_];
        }
    }
    IndexIterator &operator++() noexcept {
        ++index_;
        return *this;
    }
    bool operator==(const IndexIterator &other) const noexcept { return index_ == other.index_; }
    bool operator!=(const IndexIterator &other) const noexcept { return index_ != other.index_; }

private:
    Held container_;
    std::size_t index_;
};

}  // namespace detail

/// Why a call failed: a move-only owner of a gameye_error (or just a status, for arguments the
/// wrapper refused before calling the library).
class Error {
public:
    Error() noexcept = default;
    Error(Status status, gameye_error *error) noexcept : status_(status), handle_(error) {}

    Status status() const noexcept { return status_; }
    /// The HTTP status; 0 when there was no response.
    uint16_t http_status() const noexcept { return gameye_error_http_status(handle_.get()); }
    /// A readable sentence: the server's message unchanged, or the library's.
    std::string_view message() const noexcept {
        return handle_ ? detail::view(gameye_error_message(handle_.get())) : status_name(status_);
    }
    /// The library's advice (a 401's sandbox/production note, a Retry-After wait, attempts made).
    std::optional<std::string_view> hint() const noexcept { return detail::maybe(gameye_error_hint(handle_.get())); }
    /// A failed start: the session id it sent. A server may exist under it: describe or stop it.
    std::optional<std::string_view> session_id() const noexcept {
        return detail::maybe(gameye_error_session_id(handle_.get()));
    }
    std::optional<std::string_view> code() const noexcept { return detail::maybe(gameye_error_code(handle_.get())); }
    std::optional<std::string_view> details() const noexcept { return detail::maybe(gameye_error_details(handle_.get())); }
    std::optional<std::string_view> path() const noexcept { return detail::maybe(gameye_error_path(handle_.get())); }
    std::optional<std::string_view> timestamp() const noexcept { return detail::maybe(gameye_error_timestamp(handle_.get())); }
    /// Quote it to Gameye support.
    std::optional<std::string_view> identifier() const noexcept { return detail::maybe(gameye_error_identifier(handle_.get())); }
    /// Attempts made before giving up (1 when not retried; 0 when the wrapper refused the call).
    uint32_t attempts() const noexcept { return gameye_error_attempts(handle_.get()); }
    std::size_t violation_count() const noexcept { return gameye_error_violation_count(handle_.get()); }
    std::string_view violation_field(std::size_t index) const noexcept {
        return detail::view(gameye_error_violation_field(handle_.get(), index));
    }
    std::string_view violation_description(std::size_t index) const noexcept {
        return detail::view(gameye_error_violation_description(handle_.get(), index));
    }
    /// The C handle, still owned by this Error.
    const gameye_error *get() const noexcept { return handle_.get(); }

private:
    Status status_ = Status::Ok;
    detail::Owned<gameye_error, gameye_error_free> handle_;
};

/// A value or the Error that prevented it. Check ok() before value().
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) noexcept : value_(std::move(value)) {}
    Result(Error error) noexcept : error_(std::move(error)) {}

    bool ok() const noexcept { return value_.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
    Status status() const noexcept { return ok() ? Status::Ok : error_.status(); }
    /// The value; only when ok().
    T &value() & noexcept { return *value_; }
    const T &value() const & noexcept { return *value_; }
    T &&value() && noexcept { return std::move(*value_); }
    /// The error; empty (Status::Ok) when ok().
    const Error &error() const noexcept { return error_; }

private:
    std::optional<T> value_;
    Error error_;
};

/// The result of a call that returns nothing.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() noexcept = default;
    Result(Error error) noexcept : error_(std::move(error)), failed_(true) {}

    bool ok() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return ok(); }
    Status status() const noexcept { return ok() ? Status::Ok : error_.status(); }
    const Error &error() const noexcept { return error_; }

private:
    Error error_;
    bool failed_ = false;
};

namespace detail {

/// A failed C call's error, or the value `make` builds.
template <typename T, typename Make>
Result<T> finish(gameye_status status, gameye_error *error, Make &&make) {
    if (status != GAMEYE_STATUS_OK) {
        return Error(static_cast<Status>(status), error);
    }
    return make();
}

inline Result<void> finish_void(gameye_status status, gameye_error *error) {
    if (status != GAMEYE_STATUS_OK) {
        return Error(static_cast<Status>(status), error);
    }
    return {};
}

/// The error for an argument the wrapper refused (a builder's setter failed earlier).
inline Error refused(gameye_status status) noexcept { return Error(static_cast<Status>(status), nullptr); }

}  // namespace detail

/// A read-only view of a string list (players, addresses). Borrowed.
class StringList {
public:
    explicit StringList(const gameye_string_list *list) noexcept : list_(list) {}
    std::size_t size() const noexcept { return gameye_string_list_len(list_); }
    bool empty() const noexcept { return size() == 0; }
    std::string_view operator[](std::size_t index) const noexcept {
        return detail::view(gameye_string_list_get(list_, index));
    }
    detail::IndexIterator<StringList, std::string_view> begin() const noexcept { return {this, 0}; }
    detail::IndexIterator<StringList, std::string_view> end() const noexcept { return {this, size()}; }

private:
    const gameye_string_list *list_;
};

/// One entry of a string map.
struct MapEntry {
    std::string_view key;
    std::string_view value;
};

/// A read-only view of a string map (labels, tags, env), in the order sent. Borrowed.
class StringMap {
public:
    explicit StringMap(const gameye_string_map *map) noexcept : map_(map) {}
    std::size_t size() const noexcept { return gameye_string_map_len(map_); }
    bool empty() const noexcept { return size() == 0; }
    MapEntry operator[](std::size_t index) const noexcept {
        return {detail::view(gameye_string_map_key(map_, index)), detail::view(gameye_string_map_value(map_, index))};
    }
    /// The value for `key` (exact, case-sensitive); nullopt when missing.
    std::optional<std::string_view> get(const std::string &key) const noexcept {
        return detail::maybe(gameye_string_map_get(map_, key.c_str()));
    }
    detail::IndexIterator<StringMap, MapEntry> begin() const noexcept { return {this, 0}; }
    detail::IndexIterator<StringMap, MapEntry> end() const noexcept { return {this, size()}; }

private:
    const gameye_string_map *map_;
};

/// A mapped port. Borrowed.
class Port {
public:
    explicit Port(const gameye_port *port) noexcept : port_(port) {}
    /// As sent, e.g. "7777/udp".
    std::string_view name() const noexcept { return detail::view(gameye_port_name(port_)); }
    /// "tcp" or "udp"; nullopt when unknown.
    std::optional<std::string_view> protocol() const noexcept { return detail::maybe(gameye_port_protocol(port_)); }
    /// 0 when not a valid port.
    uint16_t container() const noexcept { return gameye_port_container(port_); }
    /// The port players connect to; 0 when not a valid port.
    uint16_t host() const noexcept { return gameye_port_host(port_); }

private:
    const gameye_port *port_;
};

/// The ports of a session or started session. Borrowed.
template <typename Owner, std::size_t (*Count)(const Owner *), const gameye_port *(*Get)(const Owner *, std::size_t)>
class PortList {
public:
    explicit PortList(const Owner *owner) noexcept : owner_(owner) {}
    std::size_t size() const noexcept { return Count(owner_); }
    bool empty() const noexcept { return size() == 0; }
    Port operator[](std::size_t index) const noexcept { return Port(Get(owner_, index)); }
    detail::IndexIterator<PortList, Port> begin() const noexcept { return {this, 0}; }
    detail::IndexIterator<PortList, Port> end() const noexcept { return {this, size()}; }

private:
    const Owner *owner_;
};

/// A session (a list entry or a described session). Borrowed from what returned it.
class Session {
public:
    explicit Session(const gameye_session *session) noexcept : session_(session) {}
    std::string_view id() const noexcept { return detail::view(gameye_session_id(session_)); }
    std::string_view image() const noexcept { return detail::view(gameye_session_image(session_)); }
    std::optional<std::string_view> tag() const noexcept { return detail::maybe(gameye_session_tag(session_)); }
    std::string_view location() const noexcept { return detail::view(gameye_session_location(session_)); }
    std::string_view host() const noexcept { return detail::view(gameye_session_host(session_)); }
    /// "running", ... (an open set); nullopt when absent.
    std::optional<std::string_view> status() const noexcept { return detail::maybe(gameye_session_status(session_)); }
    /// Unix milliseconds.
    int64_t created() const noexcept { return gameye_session_created(session_); }
    /// nullopt when the server did not send it.
    std::optional<int64_t> player_count() const noexcept {
        int64_t count = gameye_session_player_count(session_);
        return count < 0 ? std::nullopt : std::optional<int64_t>(count);
    }
    PortList<gameye_session, gameye_session_port_count, gameye_session_port_get> ports() const noexcept {
        return PortList<gameye_session, gameye_session_port_count, gameye_session_port_get>(session_);
    }
    StringMap labels() const noexcept { return StringMap(gameye_session_labels(session_)); }
    /// Your labels (from labels["tags"]).
    StringMap tags() const noexcept { return StringMap(gameye_session_tags(session_)); }
    /// The container env (from labels["env"]); readable by anyone with session:read.
    StringMap env() const noexcept { return StringMap(gameye_session_env(session_)); }
    /// The joined players of a described session (empty for a list entry; see has_players).
    /// A view, not an optional: `for (auto player : session.players())` is safe in C++17.
    StringList players() const noexcept { return StringList(gameye_session_players(session_)); }
    /// Whether the server sent players (described sessions).
    bool has_players() const noexcept { return gameye_session_players(session_) != nullptr; }
    const gameye_session *get() const noexcept { return session_; }

private:
    const gameye_session *session_;
};

/// A session list (owned). Iterate it for Session views, valid while the list lives.
class SessionList {
public:
    explicit SessionList(gameye_session_list *list) noexcept : list_(list) {}
    std::size_t size() const noexcept { return gameye_session_list_len(list_.get()); }
    bool empty() const noexcept { return size() == 0; }
    Session operator[](std::size_t index) const noexcept { return Session(gameye_session_list_get(list_.get(), index)); }
    detail::IndexIterator<SessionList, Session> begin() const noexcept { return {this, 0}; }
    detail::IndexIterator<SessionList, Session> end() const noexcept { return {this, size()}; }

private:
    detail::Owned<gameye_session_list, gameye_session_list_free> list_;
};

/// A described session (owned); view() reads it.
class DescribedSession {
public:
    explicit DescribedSession(gameye_session *session) noexcept : session_(session) {}
    Session view() const noexcept { return Session(session_.get()); }
    Session operator*() const noexcept { return view(); }

private:
    detail::Owned<gameye_session, gameye_session_free> session_;
};

/// A started session (owned): where players connect.
class StartedSession {
public:
    explicit StartedSession(gameye_started_session *session) noexcept : session_(session) {}
    std::string_view id() const noexcept { return detail::view(gameye_started_session_id(session_.get())); }
    std::string_view host() const noexcept { return detail::view(gameye_started_session_host(session_.get())); }
    PortList<gameye_started_session, gameye_started_session_port_count, gameye_started_session_port_get> ports() const noexcept {
        return PortList<gameye_started_session, gameye_started_session_port_count, gameye_started_session_port_get>(session_.get());
    }

private:
    detail::Owned<gameye_started_session, gameye_started_session_free> session_;
};

/// The answer to a join or leave (owned).
class Roster {
public:
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
    bool has_line = false;
    /// The session stopped: the stream is over.
    bool ended = false;
};

/// A followed log (owned); freeing it cancels it and joins its reader thread.
class LogStream {
public:
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
    explicit Location(const gameye_location *location) noexcept : location_(location) {}
    std::string_view id() const noexcept { return detail::view(gameye_location_id(location_)); }
    /// Addresses to ping for latency.
    StringList ips() const noexcept { return StringList(gameye_location_ips(location_)); }

private:
    const gameye_location *location_;
};

/// Available locations (owned).
class LocationList {
public:
    explicit LocationList(gameye_location_list *list) noexcept : list_(list) {}
    std::size_t size() const noexcept { return gameye_location_list_len(list_.get()); }
    bool empty() const noexcept { return size() == 0; }
    Location operator[](std::size_t index) const noexcept { return Location(gameye_location_list_get(list_.get(), index)); }
    detail::IndexIterator<LocationList, Location> begin() const noexcept { return {this, 0}; }
    detail::IndexIterator<LocationList, Location> end() const noexcept { return {this, size()}; }

private:
    detail::Owned<gameye_location_list, gameye_location_list_free> list_;
};

/// A builder whose setters chain; the first failing setter's status is kept and reported by
/// the call that uses the builder (setters never throw).
class Builder {
public:
    /// GAMEYE_STATUS_OK, or the first failure of a setter.
    Status status() const noexcept { return static_cast<Status>(status_); }

protected:
    void keep(gameye_status status) noexcept {
        if (status_ == GAMEYE_STATUS_OK) {
            status_ = status;
        }
    }
    gameye_status status_ = GAMEYE_STATUS_OK;
};

/// Filters for Client::list_sessions.
class ListOptions : public Builder {
public:
    ListOptions() noexcept : options_(gameye_list_options_new()) {}
    ListOptions &all(bool all) { keep(gameye_list_options_set_all(get(), all)); return *this; }
    ListOptions &location(const std::string &value) { keep(gameye_list_options_set_location(get(), value.c_str())); return *this; }
    ListOptions &image(const std::string &value) { keep(gameye_list_options_set_image(get(), value.c_str())); return *this; }
    ListOptions &tag(const std::string &value) { keep(gameye_list_options_set_tag(get(), value.c_str())); return *this; }
    ListOptions &host(const std::string &value) { keep(gameye_list_options_set_host(get(), value.c_str())); return *this; }
    ListOptions &player_count_lt(int64_t lt) { keep(gameye_list_options_set_player_count_lt(get(), lt)); return *this; }
    ListOptions &player_count_gt(int64_t gt) { keep(gameye_list_options_set_player_count_gt(get(), gt)); return *this; }
    /// Only sessions whose label `key` equals `value`.
    ListOptions &filter(const std::string &key, const std::string &value) {
        keep(gameye_list_options_add_filter(get(), key.c_str(), value.c_str()));
        return *this;
    }
    gameye_list_options *get() const noexcept { return options_.get(); }

private:
    detail::Owned<gameye_list_options, gameye_list_options_free> options_;
};

/// What Client::start_session starts: location and image are required.
class StartOptions : public Builder {
public:
    StartOptions() noexcept : options_(gameye_start_options_new()) {}
    StartOptions(const std::string &location, const std::string &image) noexcept : StartOptions() {
        this->location(location).image(image);
    }
    StartOptions &id(const std::string &value) { keep(gameye_start_options_set_id(get(), value.c_str())); return *this; }
    StartOptions &location(const std::string &value) { keep(gameye_start_options_set_location(get(), value.c_str())); return *this; }
    StartOptions &image(const std::string &value) { keep(gameye_start_options_set_image(get(), value.c_str())); return *this; }
    /// Never secrets: env is readable by anyone with session:read.
    StartOptions &env(const std::string &key, const std::string &value) {
        keep(gameye_start_options_set_env(get(), key.c_str(), value.c_str()));
        return *this;
    }
    StartOptions &arg(const std::string &value) { keep(gameye_start_options_add_arg(get(), value.c_str())); return *this; }
    StartOptions &restart(bool restart) { keep(gameye_start_options_set_restart(get(), restart)); return *this; }
    StartOptions &label(const std::string &key, const std::string &value) {
        keep(gameye_start_options_set_label(get(), key.c_str(), value.c_str()));
        return *this;
    }
    StartOptions &version(const std::string &value) { keep(gameye_start_options_set_version(get(), value.c_str())); return *this; }
    /// "<N>h<M>m", e.g. "1h30m".
    StartOptions &ttl(const std::string &value) { keep(gameye_start_options_set_ttl(get(), value.c_str())); return *this; }
    StartOptions &external_id(const std::string &value) {
        keep(gameye_start_options_set_external_id(get(), value.c_str()));
        return *this;
    }
    gameye_start_options *get() const noexcept { return options_.get(); }

private:
    detail::Owned<gameye_start_options, gameye_start_options_free> options_;
};

/// Receives log lines (see gameye_log_callback: called from several threads).
using LogFunction = std::function<void(gameye_log_level level, std::string_view line)>;

/// Client settings; unset values come from GAMEYE_API_ENDPOINT / GAMEYE_API_TOKEN and defaults.
class Config : public Builder {
public:
    Config() noexcept : config_(gameye_client_config_new()) {}
    Config &base_url(const std::string &url) { keep(gameye_client_config_set_base_url(get(), url.c_str())); return *this; }
    Config &token(const std::string &token) { keep(gameye_client_config_set_token(get(), token.c_str())); return *this; }
    Config &timeout_ms(uint32_t ms) { keep(gameye_client_config_set_timeout_ms(get(), ms)); return *this; }
    Config &connect_timeout_ms(uint32_t ms) { keep(gameye_client_config_set_connect_timeout_ms(get(), ms)); return *this; }
    Config &retry(uint32_t retries, uint32_t base_delay_ms, uint32_t max_delay_ms) {
        keep(gameye_client_config_set_retry(get(), retries, base_delay_ms, max_delay_ms));
        return *this;
    }
    Config &worker_threads(uint32_t threads) { keep(gameye_client_config_set_worker_threads(get(), threads)); return *this; }
    Config &delivery(gameye_delivery delivery) { keep(gameye_client_config_set_delivery(get(), delivery)); return *this; }
    Config &max_body_bytes(uint64_t bytes) { keep(gameye_client_config_set_max_body_bytes(get(), bytes)); return *this; }
    Config &ca_certificates_pem(const std::string &pem) {
        keep(gameye_client_config_set_ca_certificates_pem(get(), pem.c_str()));
        return *this;
    }
    Config &allow_insecure_http(bool allow) { keep(gameye_client_config_set_allow_insecure_http(get(), allow)); return *this; }
    /// A log hook; the function lives as long as the client made from this config.
    Config &log(gameye_log_level max_level, LogFunction function) {
        log_ = std::make_shared<LogFunction>(std::move(function));
        keep(gameye_client_config_set_log_callback(get(), max_level, &Config::forward, log_.get()));
        return *this;
    }
    gameye_client_config *get() const noexcept { return config_.get(); }
    const std::shared_ptr<LogFunction> &log_function() const noexcept { return log_; }

private:
    static void forward(gameye_log_level level, const char *line, void *user_data) {
        (*static_cast<LogFunction *>(user_data))(level, detail::view(line));
    }
    detail::Owned<gameye_client_config, gameye_client_config_free> config_;
    std::shared_ptr<LogFunction> log_;
};

/// A non-blocking request (owned handle): cancel it, read its id and download progress.
/// Dropping it does not cancel the request.
class Request {
public:
    Request() noexcept = default;
    explicit Request(gameye_request *request) noexcept : request_(request) {}
    uint64_t id() const noexcept { return gameye_request_id(request_.get()); }
    /// Completes it promptly with Status::Cancelled; false when it had finished.
    bool cancel() const noexcept { return gameye_request_cancel(request_.get()); }
    bool finished() const noexcept { return gameye_request_is_finished(request_.get()); }
    /// Bytes received so far and the total (0 when unknown) of a download.
    std::pair<uint64_t, uint64_t> progress() const noexcept {
        uint64_t received = 0;
        uint64_t total = 0;
        gameye_request_progress(request_.get(), &received, &total);
        return {received, total};
    }

private:
    detail::Owned<gameye_request, gameye_request_free> request_;
};

namespace detail {

/// Takes a completion's typed result.
template <typename T>
struct Take;

template <>
struct Take<SessionList> {
    static SessionList from(gameye_completion *c) { return SessionList(gameye_completion_take_session_list(c)); }
};
template <>
struct Take<DescribedSession> {
    static DescribedSession from(gameye_completion *c) { return DescribedSession(gameye_completion_take_session(c)); }
};
template <>
struct Take<StartedSession> {
    static StartedSession from(gameye_completion *c) { return StartedSession(gameye_completion_take_started_session(c)); }
};
template <>
struct Take<Roster> {
    static Roster from(gameye_completion *c) { return Roster(gameye_completion_take_roster(c)); }
};
template <>
struct Take<Logs> {
    static Logs from(gameye_completion *c) { return Logs(gameye_completion_take_logs(c)); }
};
template <>
struct Take<LogStream> {
    static LogStream from(gameye_completion *c) { return LogStream(gameye_completion_take_log_stream(c)); }
};
template <>
struct Take<LocationList> {
    static LocationList from(gameye_completion *c) { return LocationList(gameye_completion_take_location_list(c)); }
};
template <>
struct Take<bool> {
    static bool from(gameye_completion *c) { return gameye_completion_tag_exists(c); }
};
template <>
struct Take<uint64_t> {
    static uint64_t from(gameye_completion *c) { return gameye_completion_artifact_bytes(c); }
};

/// A completion function on the heap, handed to the C API as user_data. The C API calls the
/// callback exactly once per queued request (also on cancel and client free), which frees it.
template <typename T>
struct Pending {
    std::function<void(Result<T>)> done;

    static void complete(gameye_completion *completion, void *user_data) {
        std::unique_ptr<Pending> pending(static_cast<Pending *>(user_data));
        gameye_status status = gameye_completion_status(completion);
        if (status != GAMEYE_STATUS_OK) {
            pending->done(Error(static_cast<Status>(status), gameye_completion_take_error(completion)));
        } else if constexpr (std::is_void_v<T>) {
            pending->done(Result<void>());
        } else {
            pending->done(Result<T>(Take<T>::from(completion)));
        }
    }
};

/// Submits through `submit(callback, user_data, &request, &error)`; the completion function is
/// freed here if the request was not queued.
template <typename T, typename Submit>
Result<Request> submit(std::function<void(Result<T>)> done, Submit &&call) {
    auto pending = std::make_unique<Pending<T>>();
    pending->done = std::move(done);
    gameye_request *request = nullptr;
    gameye_error *error = nullptr;
    gameye_status status = call(&Pending<T>::complete, pending.get(), &request, &error);
    if (status != GAMEYE_STATUS_OK) {
        return Error(static_cast<Status>(status), error);
    }
    pending.release();  // now the C API's, until the completion runs
    return Request(request);
}

/// C strings of player ids, pointing into `players`.
inline std::vector<const char *> c_strings(const std::vector<std::string> &players) {
    std::vector<const char *> pointers;
    pointers.reserve(players.size());
    for (const std::string &player : players) {
        pointers.push_back(player.c_str());
    }
    return pointers;
}

}  // namespace detail

/// A client (owned, thread-safe). Blocking calls wait for the answer: never call them on a
/// game thread; use the *_async forms and poll() there.
class Client {
public:
    /// A client from `config` (checked first: a setter that failed makes this fail).
    static Result<Client> create(const Config &config) {
        if (config.status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(config.status()));
        }
        gameye_client *client = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_client_new(config.get(), &client, &error);
        return detail::finish<Client>(status, error, [&] { return Client(client, config.log_function()); });
    }

    /// A client from the environment alone (GAMEYE_API_ENDPOINT, GAMEYE_API_TOKEN).
    static Result<Client> from_environment() {
        gameye_client *client = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_client_new(nullptr, &client, &error);
        return detail::finish<Client>(status, error, [&] { return Client(client, nullptr); });
    }

    /// A client sharing the connections that retries with another policy (a per-call setting).
    Result<Client> with_retry(uint32_t retries, uint32_t base_delay_ms, uint32_t max_delay_ms) const {
        gameye_client *client = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_client_with_retry(get(), retries, base_delay_ms, max_delay_ms, &client, &error);
        return detail::finish<Client>(status, error, [&] { return Client(client, log_); });
    }

    Result<SessionList> list_sessions(const ListOptions *options = nullptr) const {
        if (options != nullptr && options->status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options->status()));
        }
        gameye_session_list *list = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_list_sessions(get(), options ? options->get() : nullptr, &list, &error);
        return detail::finish<SessionList>(status, error, [&] { return SessionList(list); });
    }

    Result<DescribedSession> describe_session(const std::string &id) const {
        gameye_session *session = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_describe_session(get(), id.c_str(), &session, &error);
        return detail::finish<DescribedSession>(status, error, [&] { return DescribedSession(session); });
    }

    Result<StartedSession> start_session(const StartOptions &options) const {
        if (options.status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options.status()));
        }
        gameye_started_session *started = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_start_session(get(), options.get(), &started, &error);
        return detail::finish<StartedSession>(status, error, [&] { return StartedSession(started); });
    }

    Result<void> stop_session(const std::string &id) const {
        gameye_error *error = nullptr;
        gameye_status status = gameye_stop_session(get(), id.c_str(), &error);  // before reading `error`
        return detail::finish_void(status, error);
    }

    Result<Roster> join_session(const std::string &id, const std::vector<std::string> &players) const {
        std::vector<const char *> pointers = detail::c_strings(players);
        gameye_roster *roster = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_join_session(get(), id.c_str(), pointers.data(), pointers.size(), &roster, &error);
        return detail::finish<Roster>(status, error, [&] { return Roster(roster); });
    }

    Result<Roster> leave_session(const std::vector<std::string> &players) const {
        std::vector<const char *> pointers = detail::c_strings(players);
        gameye_roster *roster = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_leave_session(get(), pointers.data(), pointers.size(), &roster, &error);
        return detail::finish<Roster>(status, error, [&] { return Roster(roster); });
    }

    Result<Logs> logs(const std::string &id) const {
        gameye_logs *logs = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_get_logs(get(), id.c_str(), &logs, &error);
        return detail::finish<Logs>(status, error, [&] { return Logs(logs); });
    }

    /// `idle_timeout_ms` 0: no idle timeout.
    Result<LogStream> follow_logs(const std::string &id, uint32_t idle_timeout_ms) const {
        gameye_log_stream *stream = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_follow_logs(get(), id.c_str(), idle_timeout_ms, &stream, &error);
        return detail::finish<LogStream>(status, error, [&] { return LogStream(stream); });
    }

    /// Streams the artifact to `destination`; returns the bytes written. `max_bytes` 0: default.
    Result<uint64_t> download_artifact(const std::string &id, const std::string &path, const std::string &destination,
                                       uint64_t max_bytes = 0) const {
        uint64_t bytes = 0;
        gameye_error *error = nullptr;
        gameye_status status = gameye_download_artifact(get(), id.c_str(), path.c_str(), destination.c_str(), max_bytes,
                                                        nullptr, nullptr, &bytes, &error);
        return detail::finish<uint64_t>(status, error, [&] { return bytes; });
    }

    Result<LocationList> available_locations(const std::string &image) const {
        gameye_location_list *list = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_get_available_locations(get(), image.c_str(), &list, &error);
        return detail::finish<LocationList>(status, error, [&] { return LocationList(list); });
    }

    Result<bool> tag_exists(const std::string &region, const std::string &image, const std::string &version) const {
        bool exists = false;
        gameye_error *error = nullptr;
        gameye_status status = gameye_tag_exists(get(), region.c_str(), image.c_str(), version.c_str(), &exists, &error);
        return detail::finish<bool>(status, error, [&] { return exists; });
    }

    // Non-blocking forms: `done` runs exactly once, where the client's delivery mode says.

    Result<Request> list_sessions_async(const ListOptions *options, std::function<void(Result<SessionList>)> done) const {
        if (options != nullptr && options->status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options->status()));
        }
        return detail::submit<SessionList>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_list_sessions_async(get(), options ? options->get() : nullptr, callback, data, request, error);
        });
    }

    Result<Request> describe_session_async(const std::string &id, std::function<void(Result<DescribedSession>)> done) const {
        return detail::submit<DescribedSession>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_describe_session_async(get(), id.c_str(), callback, data, request, error);
        });
    }

    Result<Request> start_session_async(const StartOptions &options, std::function<void(Result<StartedSession>)> done) const {
        if (options.status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options.status()));
        }
        return detail::submit<StartedSession>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_start_session_async(get(), options.get(), callback, data, request, error);
        });
    }

    Result<Request> stop_session_async(const std::string &id, std::function<void(Result<void>)> done) const {
        return detail::submit<void>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_stop_session_async(get(), id.c_str(), callback, data, request, error);
        });
    }

    Result<Request> join_session_async(const std::string &id, const std::vector<std::string> &players,
                                       std::function<void(Result<Roster>)> done) const {
        std::vector<const char *> pointers = detail::c_strings(players);
        return detail::submit<Roster>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_join_session_async(get(), id.c_str(), pointers.data(), pointers.size(), callback, data, request, error);
        });
    }

    Result<Request> leave_session_async(const std::vector<std::string> &players, std::function<void(Result<Roster>)> done) const {
        std::vector<const char *> pointers = detail::c_strings(players);
        return detail::submit<Roster>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_leave_session_async(get(), pointers.data(), pointers.size(), callback, data, request, error);
        });
    }

    Result<Request> logs_async(const std::string &id, std::function<void(Result<Logs>)> done) const {
        return detail::submit<Logs>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_get_logs_async(get(), id.c_str(), callback, data, request, error);
        });
    }

    Result<Request> follow_logs_async(const std::string &id, uint32_t idle_timeout_ms, std::function<void(Result<LogStream>)> done) const {
        return detail::submit<LogStream>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_follow_logs_async(get(), id.c_str(), idle_timeout_ms, callback, data, request, error);
        });
    }

    /// Read progress with Request::progress(); cancel with Request::cancel().
    Result<Request> download_artifact_async(const std::string &id, const std::string &path, const std::string &destination,
                                            uint64_t max_bytes, std::function<void(Result<uint64_t>)> done) const {
        return detail::submit<uint64_t>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_download_artifact_async(get(), id.c_str(), path.c_str(), destination.c_str(), max_bytes, callback, data,
                                                  request, error);
        });
    }

    Result<Request> available_locations_async(const std::string &image, std::function<void(Result<LocationList>)> done) const {
        return detail::submit<LocationList>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_get_available_locations_async(get(), image.c_str(), callback, data, request, error);
        });
    }

    Result<Request> tag_exists_async(const std::string &region, const std::string &image, const std::string &version,
                                     std::function<void(Result<bool>)> done) const {
        return detail::submit<bool>(std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
            return gameye_tag_exists_async(get(), region.c_str(), image.c_str(), version.c_str(), callback, data, request, error);
        });
    }

    /// Runs up to `max` ready completions on this thread (0: all); call it once per frame.
    std::size_t poll(std::size_t max = 0) const noexcept { return gameye_client_poll(get(), max); }
    /// Waits up to `timeout_ms` for a completion (tools and tests; never on a game thread).
    bool wait(uint32_t timeout_ms) const noexcept { return gameye_client_wait(get(), timeout_ms); }
    bool cancel(uint64_t request_id) const noexcept { return gameye_client_cancel(get(), request_id); }
    std::size_t in_flight() const noexcept { return gameye_client_in_flight(get()); }

    gameye_client *get() const noexcept { return client_.get(); }

private:
    Client(gameye_client *client, std::shared_ptr<LogFunction> log) noexcept : log_(std::move(log)), client_(client) {}

    // The log function must outlive the C client: members are destroyed in reverse order, so
    // the client (declared last) is freed first.
    std::shared_ptr<LogFunction> log_;
    detail::Owned<gameye_client, gameye_client_free> client_;
};

}  // namespace gameye

#endif  // GAMEYE_HPP
