// gameye/client.hpp: the Client: every operation, blocking and non-blocking, and the request handle.
// Part of the C++ wrapper; include "gameye.hpp", which includes every part.
#ifndef GAMEYE_CLIENT_HPP
#define GAMEYE_CLIENT_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lifecycle.hpp"
#include "options.hpp"
#include "results.hpp"

namespace gameye {

/// A non-blocking request (owned handle): cancel it, read its id and download progress.
/// Dropping it does not cancel the request.
class Request {
public:
    Request() noexcept = default;
    /// Takes ownership of a C handle (freed with this object).
    explicit Request(gameye_request *request) noexcept : request_(request) {}
    /// Wraps gameye_request_id (see gameye.h).
    uint64_t id() const noexcept { return gameye_request_id(request_.get()); }
    /// Completes it promptly with Status::Cancelled; false when it had finished.
    bool cancel() const noexcept { return gameye_request_cancel(request_.get()); }
    /// Wraps gameye_request_is_finished (see gameye.h).
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
    static StartedSession from(gameye_completion *c) {
        return StartedSession(gameye_completion_take_started_session(c));
    }
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
        // Not detail::call: the constructor is private, and the client keeps the log function.
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

    /// Wraps gameye_list_sessions (see gameye.h).
    Result<SessionList> list_sessions(const ListOptions *options = nullptr) const {
        if (options != nullptr && options->status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options->status()));
        }
        return detail::call<SessionList, gameye_session_list *>([&](auto out, auto error) {
            return gameye_list_sessions(get(), options ? options->get() : nullptr, out, error);
        });
    }

    /// Wraps gameye_describe_session (see gameye.h).
    Result<DescribedSession> describe_session(const std::string &id) const {
        return detail::call<DescribedSession, gameye_session *>(
            [&](auto out, auto error) { return gameye_describe_session(get(), id.c_str(), out, error); });
    }

    /// Wraps gameye_start_session (see gameye.h).
    Result<StartedSession> start_session(const StartOptions &options) const {
        if (options.status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options.status()));
        }
        return detail::call<StartedSession, gameye_started_session *>(
            [&](auto out, auto error) { return gameye_start_session(get(), options.get(), out, error); });
    }

    /// Wraps gameye_stop_session (see gameye.h).
    Result<void> stop_session(const std::string &id) const {
        gameye_error *error = nullptr;
        gameye_status status = gameye_stop_session(get(), id.c_str(), &error);  // before reading `error`
        return detail::finish_void(status, error);
    }

    /// Waits until session `id` reaches `state` or `timeout_ms` passes (0: one look); see
    /// gameye_wait_for_session. The session as last seen; empty() when waiting for Ended and it
    /// is gone. Status::Timeout, NotFound, SessionEnded, Cancelled, or the API's own failure.
    Result<DescribedSession> wait_for_session(const std::string &id, SessionState state, uint32_t timeout_ms) const {
        return detail::call<DescribedSession, gameye_session *>([&](auto out, auto error) {
            return gameye_wait_for_session(get(), id.c_str(), static_cast<gameye_session_state>(state), timeout_ms, out,
                                           error);
        });
    }

    /// Starts a session, then waits until it runs; `timeout_ms` covers both. A failure after the
    /// start may have reached the server names the session in Error::session_id(): stop it if
    /// it is not wanted.
    Result<DescribedSession> start_session_and_wait(const StartOptions &options, uint32_t timeout_ms) const {
        if (options.status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options.status()));
        }
        return detail::call<DescribedSession, gameye_session *>([&](auto out, auto error) {
            return gameye_start_session_and_wait(get(), options.get(), timeout_ms, out, error);
        });
    }

    /// Stops a session, then waits until it has ended; `timeout_ms` covers both.
    Result<void> stop_session_and_wait(const std::string &id, uint32_t timeout_ms) const {
        gameye_error *error = nullptr;
        gameye_status status = gameye_stop_session_and_wait(get(), id.c_str(), timeout_ms, &error);
        return detail::finish_void(status, error);
    }

    /// Watches the sessions (see gameye_watch_sessions); take events with Watch::next.
    Result<Watch> watch_sessions(const WatchOptions &options) const {
        if (options.status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options.status()));
        }
        return detail::call<Watch, gameye_watch *>(
            [&](auto out, auto error) { return gameye_watch_sessions(get(), options.get(), out, error); });
    }

    /// Wraps gameye_join_session (see gameye.h).
    Result<Roster> join_session(const std::string &id, const std::vector<std::string> &players) const {
        std::vector<const char *> pointers = detail::c_strings(players);
        return detail::call<Roster, gameye_roster *>([&](auto out, auto error) {
            return gameye_join_session(get(), id.c_str(), pointers.data(), pointers.size(), out, error);
        });
    }

    /// Wraps gameye_leave_session (see gameye.h).
    Result<Roster> leave_session(const std::vector<std::string> &players) const {
        std::vector<const char *> pointers = detail::c_strings(players);
        return detail::call<Roster, gameye_roster *>([&](auto out, auto error) {
            return gameye_leave_session(get(), pointers.data(), pointers.size(), out, error);
        });
    }

    /// Wraps gameye_get_logs (see gameye.h).
    Result<Logs> logs(const std::string &id) const {
        return detail::call<Logs, gameye_logs *>(
            [&](auto out, auto error) { return gameye_get_logs(get(), id.c_str(), out, error); });
    }

    /// `idle_timeout_ms` 0: no idle timeout.
    Result<LogStream> follow_logs(const std::string &id, uint32_t idle_timeout_ms) const {
        return detail::call<LogStream, gameye_log_stream *>(
            [&](auto out, auto error) { return gameye_follow_logs(get(), id.c_str(), idle_timeout_ms, out, error); });
    }

    /// Streams the artifact to `destination`; returns the bytes written. `max_bytes` 0: default.
    Result<uint64_t> download_artifact(const std::string &id, const std::string &path, const std::string &destination,
                                       uint64_t max_bytes = 0) const {
        return detail::call<uint64_t, uint64_t>([&](auto out, auto error) {
            return gameye_download_artifact(get(), id.c_str(), path.c_str(), destination.c_str(), max_bytes, nullptr,
                                            nullptr, out, error);
        });
    }

    /// Wraps gameye_get_available_locations (see gameye.h).
    Result<LocationList> available_locations(const std::string &image) const {
        return detail::call<LocationList, gameye_location_list *>(
            [&](auto out, auto error) { return gameye_get_available_locations(get(), image.c_str(), out, error); });
    }

    /// Wraps gameye_tag_exists (see gameye.h).
    Result<bool> tag_exists(const std::string &region, const std::string &image, const std::string &version) const {
        return detail::call<bool, bool>([&](auto out, auto error) {
            return gameye_tag_exists(get(), region.c_str(), image.c_str(), version.c_str(), out, error);
        });
    }

    // The client's connection rules, for diagnostics (a "check" button, a build step).

    /// The base URL as the library checked it (never with credentials). Valid while the client is.
    std::string_view endpoint() const noexcept { return detail::view(gameye_client_endpoint(get())); }
    /// GAMEYE_TLS_ROOTS_NONE (plain http), _BUNDLED or _CUSTOM (`*custom_count` certificates).
    gameye_tls_roots tls_roots(std::size_t *custom_count = nullptr) const noexcept {
        return gameye_client_tls_roots(get(), custom_count);
    }
    /// One GET /session on the client's own settings, once, with the token when `authorized`.
    Result<Probe> probe(bool authorized) const {
        return detail::call<Probe, gameye_probe *>(
            [&](auto out, auto error) { return gameye_client_probe(get(), authorized, out, error); });
    }
    /// Each scope the token has, asked with a request that changes nothing.
    Result<AccessList> check_access() const {
        return detail::call<AccessList, gameye_access_list *>(
            [&](auto out, auto error) { return gameye_client_check_access(get(), out, error); });
    }

    // Non-blocking forms: `done` runs exactly once, where the client's delivery mode says.

    /// Wraps gameye_list_sessions_async (see gameye.h).
    Result<Request> list_sessions_async(const ListOptions *options,
                                        std::function<void(Result<SessionList>)> done) const {
        if (options != nullptr && options->status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options->status()));
        }
        return detail::submit<SessionList>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_list_sessions_async(get(), options ? options->get() : nullptr, callback, data, request,
                                                  error);
            });
    }

    /// Wraps gameye_describe_session_async (see gameye.h).
    Result<Request> describe_session_async(const std::string &id,
                                           std::function<void(Result<DescribedSession>)> done) const {
        return detail::submit<DescribedSession>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_describe_session_async(get(), id.c_str(), callback, data, request, error);
            });
    }

    /// Wraps gameye_start_session_async (see gameye.h).
    Result<Request> start_session_async(const StartOptions &options,
                                        std::function<void(Result<StartedSession>)> done) const {
        if (options.status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options.status()));
        }
        return detail::submit<StartedSession>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_start_session_async(get(), options.get(), callback, data, request, error);
            });
    }

    /// Wraps gameye_stop_session_async (see gameye.h).
    Result<Request> stop_session_async(const std::string &id, std::function<void(Result<void>)> done) const {
        return detail::submit<void>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_stop_session_async(get(), id.c_str(), callback, data, request, error);
            });
    }

    /// Wraps gameye_wait_for_session_async (see gameye.h).
    Result<Request> wait_for_session_async(const std::string &id, SessionState state, uint32_t timeout_ms,
                                           std::function<void(Result<DescribedSession>)> done) const {
        return detail::submit<DescribedSession>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_wait_for_session_async(get(), id.c_str(), static_cast<gameye_session_state>(state),
                                                     timeout_ms, callback, data, request, error);
            });
    }

    /// Wraps gameye_start_session_and_wait_async (see gameye.h).
    Result<Request> start_session_and_wait_async(const StartOptions &options, uint32_t timeout_ms,
                                                 std::function<void(Result<DescribedSession>)> done) const {
        if (options.status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options.status()));
        }
        return detail::submit<DescribedSession>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_start_session_and_wait_async(get(), options.get(), timeout_ms, callback, data, request,
                                                           error);
            });
    }

    /// Wraps gameye_stop_session_and_wait_async (see gameye.h).
    Result<Request> stop_session_and_wait_async(const std::string &id, uint32_t timeout_ms,
                                                std::function<void(Result<void>)> done) const {
        return detail::submit<void>(std::move(done), [&](auto callback, void *data, gameye_request **request,
                                                         gameye_error **error) {
            return gameye_stop_session_and_wait_async(get(), id.c_str(), timeout_ms, callback, data, request, error);
        });
    }

    /// Wraps gameye_join_session_async (see gameye.h).
    Result<Request> join_session_async(const std::string &id, const std::vector<std::string> &players,
                                       std::function<void(Result<Roster>)> done) const {
        std::vector<const char *> pointers = detail::c_strings(players);
        return detail::submit<Roster>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_join_session_async(get(), id.c_str(), pointers.data(), pointers.size(), callback, data,
                                                 request, error);
            });
    }

    /// Wraps gameye_leave_session_async (see gameye.h).
    Result<Request> leave_session_async(const std::vector<std::string> &players,
                                        std::function<void(Result<Roster>)> done) const {
        std::vector<const char *> pointers = detail::c_strings(players);
        return detail::submit<Roster>(std::move(done), [&](auto callback, void *data, gameye_request **request,
                                                           gameye_error **error) {
            return gameye_leave_session_async(get(), pointers.data(), pointers.size(), callback, data, request, error);
        });
    }

    /// Wraps gameye_get_logs_async (see gameye.h).
    Result<Request> logs_async(const std::string &id, std::function<void(Result<Logs>)> done) const {
        return detail::submit<Logs>(std::move(done),
                                    [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                                        return gameye_get_logs_async(get(), id.c_str(), callback, data, request, error);
                                    });
    }

    /// Wraps gameye_follow_logs_async (see gameye.h).
    Result<Request> follow_logs_async(const std::string &id, uint32_t idle_timeout_ms,
                                      std::function<void(Result<LogStream>)> done) const {
        return detail::submit<LogStream>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_follow_logs_async(get(), id.c_str(), idle_timeout_ms, callback, data, request, error);
            });
    }

    /// Read progress with Request::progress(); cancel with Request::cancel().
    Result<Request> download_artifact_async(const std::string &id, const std::string &path,
                                            const std::string &destination, uint64_t max_bytes,
                                            std::function<void(Result<uint64_t>)> done) const {
        return detail::submit<uint64_t>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_download_artifact_async(get(), id.c_str(), path.c_str(), destination.c_str(), max_bytes,
                                                      callback, data, request, error);
            });
    }

    /// Wraps gameye_get_available_locations_async (see gameye.h).
    Result<Request> available_locations_async(const std::string &image,
                                              std::function<void(Result<LocationList>)> done) const {
        return detail::submit<LocationList>(
            std::move(done), [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                return gameye_get_available_locations_async(get(), image.c_str(), callback, data, request, error);
            });
    }

    /// Wraps gameye_tag_exists_async (see gameye.h).
    Result<Request> tag_exists_async(const std::string &region, const std::string &image, const std::string &version,
                                     std::function<void(Result<bool>)> done) const {
        return detail::submit<bool>(std::move(done),
                                    [&](auto callback, void *data, gameye_request **request, gameye_error **error) {
                                        return gameye_tag_exists_async(get(), region.c_str(), image.c_str(),
                                                                       version.c_str(), callback, data, request, error);
                                    });
    }

    /// Runs up to `max` ready completions on this thread (0: all); call it once per frame.
    std::size_t poll(std::size_t max = 0) const noexcept { return gameye_client_poll(get(), max); }
    /// Waits up to `timeout_ms` for a completion (tools and tests; never on a game thread).
    bool wait(uint32_t timeout_ms) const noexcept { return gameye_client_wait(get(), timeout_ms); }
    /// Cancels the request with this id (gameye_client_cancel); false when it is not in flight.
    bool cancel(uint64_t request_id) const noexcept { return gameye_client_cancel(get(), request_id); }
    /// The requests queued or running (gameye_client_in_flight).
    std::size_t in_flight() const noexcept { return gameye_client_in_flight(get()); }
    /// Interrupts the calls other threads are inside, cancels what is in flight and refuses new
    /// calls (Status::Cancelled), without freeing (see gameye_client_close). Not from a callback.
    void close() const noexcept { gameye_client_close(get()); }

    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    gameye_client *get() const noexcept { return client_.get(); }
    /// The log function, shared with what outlives the client (a RosterReporter).
    std::shared_ptr<LogFunction> log_function() const noexcept { return log_; }

private:
    Client(gameye_client *client, std::shared_ptr<LogFunction> log) noexcept : log_(std::move(log)), client_(client) {}

    // The log function must outlive the C client: members are destroyed in reverse order, so
    // the client (declared last) is freed first.
    std::shared_ptr<LogFunction> log_;
    detail::Owned<gameye_client, gameye_client_free> client_;
};

}  // namespace gameye

#endif  // GAMEYE_CLIENT_HPP
