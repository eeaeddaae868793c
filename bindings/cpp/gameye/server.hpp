// gameye/server.hpp: the game server's side: SessionContext (the session this process runs in)
// and RosterReporter (who joined and left, reported in batches on a worker of its own).
// Part of the C++ wrapper; include "gameye.hpp", which includes every part.
#ifndef GAMEYE_SERVER_HPP
#define GAMEYE_SERVER_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "client.hpp"

namespace gameye {

/// The session this process runs in (GAMEYE_SESSION_ID, GAMEYE_HOST). Status::NotFound outside
/// a session.
class SessionContext {
public:
    /// The session this process runs in, from its environment (gameye_session_context_from_env); fails outside a
    /// session.
    static Result<SessionContext> current() {
        return detail::call<SessionContext, gameye_session_context *>(
            [&](auto out, auto error) { return gameye_session_context_current(out, error); });
    }
    /// Takes ownership of a C handle (freed with this object).
    explicit SessionContext(gameye_session_context *context) noexcept : context_(context) {}

    /// Wraps gameye_session_context_id (see gameye.h).
    std::string_view id() const noexcept { return detail::view(gameye_session_context_id(get())); }
    /// GAMEYE_HOST, when Gameye set it.
    std::optional<std::string_view> host() const noexcept { return detail::maybe(gameye_session_context_host(get())); }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    const gameye_session_context *get() const noexcept { return context_.get(); }

private:
    detail::Owned<gameye_session_context, gameye_session_context_free> context_;
};

/// Told of the permanent failure that stopped a reporter, on its worker thread (see
/// gameye_roster_failure_callback): the status and the error's message, valid during the call.
using FailureFunction = std::function<void(Status status, std::string_view message)>;

/// How a RosterReporter batches (see gameye_roster_reporter_options_*).
class ReporterOptions : public Builder {
public:
    ReporterOptions() noexcept : options_(gameye_roster_reporter_options_new()) {}
    /// Wraps gameye_roster_reporter_options_set_batch_interval_ms (see gameye.h).
    ReporterOptions &batch_interval_ms(uint32_t ms) {
        keep(gameye_roster_reporter_options_set_batch_interval_ms(get(), ms));
        return *this;
    }
    /// Wraps gameye_roster_reporter_options_set_batch_size (see gameye.h).
    ReporterOptions &batch_size(std::size_t players) {
        keep(gameye_roster_reporter_options_set_batch_size(get(), players));
        return *this;
    }
    /// Wraps gameye_roster_reporter_options_set_max_pending (see gameye.h).
    ReporterOptions &max_pending(std::size_t players) {
        keep(gameye_roster_reporter_options_set_max_pending(get(), players));
        return *this;
    }
    /// Runs on the reporter's worker thread, once per permanent failure; must not destroy it.
    ReporterOptions &on_failure(FailureFunction function) {
        on_failure_ = function ? std::make_shared<FailureFunction>(std::move(function)) : nullptr;
        keep(gameye_roster_reporter_options_set_failure_callback(get(), on_failure_ ? trampoline : nullptr,
                                                                 on_failure_.get()));
        return *this;
    }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    gameye_roster_reporter_options *get() const noexcept { return options_.get(); }
    /// The failure hook set with on_failure(), kept alive by the reporter.
    std::shared_ptr<FailureFunction> failure_function() const noexcept { return on_failure_; }

private:
    static void trampoline(gameye_status status, const gameye_error *error, void *data) {
        (*static_cast<FailureFunction *>(data))(static_cast<Status>(status), detail::view(gameye_error_message(error)));
    }
    std::shared_ptr<FailureFunction> on_failure_;
    detail::Owned<gameye_roster_reporter_options, gameye_roster_reporter_options_free> options_;
};

/// One session's roster, reported to Gameye by a worker thread of its own (see
/// gameye_roster_reporter_new). player_joined and player_left never block and do no I/O: call
/// them from the game thread. Move-only; destroying it is gameye_roster_reporter_free (flush
/// first to keep what is pending). The Client may be destroyed before it.
class RosterReporter {
public:
    /// A reporter for `session_id` on `client`'s account (gameye_roster_reporter_new).
    static Result<RosterReporter> create(const Client &client, const std::string &session_id,
                                         const ReporterOptions *options = nullptr) {
        if (options != nullptr && options->status() != Status::Ok) {
            return detail::refused(static_cast<gameye_status>(options->status()));
        }
        gameye_roster_reporter *reporter = nullptr;
        gameye_error *error = nullptr;
        gameye_status status = gameye_roster_reporter_new(client.get(), session_id.c_str(),
                                                          options ? options->get() : nullptr, &reporter, &error);
        return detail::finish<RosterReporter>(status, error, [&] {
            return RosterReporter(reporter, client.log_function(), options ? options->failure_function() : nullptr);
        });
    }

    /// Status::RateLimited past the pending bound (nothing changed); Status::Cancelled once the
    /// session was stopped through this reporter.
    Result<void> player_joined(const std::string &player_id) const noexcept {
        return detail::finish_void(gameye_roster_reporter_player_joined(get(), player_id.c_str()), nullptr);
    }
    /// Wraps gameye_roster_reporter_player_left (see gameye.h).
    Result<void> player_left(const std::string &player_id) const noexcept {
        return detail::finish_void(gameye_roster_reporter_player_left(get(), player_id.c_str()), nullptr);
    }
    /// Waits until everything is acknowledged: Status::Timeout, or the permanent failure.
    Result<void> flush(uint32_t timeout_ms) const {
        gameye_error *error = nullptr;
        gameye_status status = gameye_roster_reporter_flush(get(), timeout_ms, &error);
        return detail::finish_void(status, error);
    }
    /// Wraps gameye_roster_reporter_pending (see gameye.h).
    std::size_t pending() const noexcept { return gameye_roster_reporter_pending(get()); }
    /// Ok while it reports, or the permanent failure that stopped it.
    Result<void> status() const {
        gameye_error *error = nullptr;
        gameye_status status = gameye_roster_reporter_status(get(), &error);
        return detail::finish_void(status, error);
    }
    /// Wraps gameye_roster_reporter_resync (see gameye.h).
    Result<void> resync() const {
        gameye_error *error = nullptr;
        gameye_status status = gameye_roster_reporter_resync(get(), &error);
        return detail::finish_void(status, error);
    }
    /// Flushes (up to `timeout_ms`), then stops the session: the end of the match.
    Result<void> stop_session(uint32_t timeout_ms) const {
        gameye_error *error = nullptr;
        gameye_status status = gameye_roster_reporter_stop_session(get(), timeout_ms, &error);
        return detail::finish_void(status, error);
    }
    /// The C handle, still owned by this object (for calls the wrapper does not cover).
    gameye_roster_reporter *get() const noexcept { return reporter_.get(); }

private:
    RosterReporter(gameye_roster_reporter *reporter, std::shared_ptr<LogFunction> log,
                   std::shared_ptr<FailureFunction> on_failure) noexcept
        : log_(std::move(log)), on_failure_(std::move(on_failure)), reporter_(reporter) {}

    // Both functions must outlive the C reporter (its worker logs through the client's log
    // hook and calls the failure function): the reporter, declared last, is freed first.
    std::shared_ptr<LogFunction> log_;
    std::shared_ptr<FailureFunction> on_failure_;
    detail::Owned<gameye_roster_reporter, gameye_roster_reporter_free> reporter_;
};

}  // namespace gameye

#endif  // GAMEYE_SERVER_HPP
