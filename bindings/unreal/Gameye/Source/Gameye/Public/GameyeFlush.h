// The teardown flush's moving parts, in plain C++ over the C++ wrapper (no engine type), so that
// tests/cpp runs them against the emulator; UGameyeSubsystem::Deinitialize drives them (see
// there for the order: reads cancelled, writes given the flush, the rest cancelled, lost
// sessions stopped).
//
// Included only where WITH_GAMEYE is 1 (it needs the library's headers).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "gameye.hpp"

namespace GameyeFlush
{
using FClock = std::chrono::steady_clock;

/**
 * Runs `Client`'s completions on this thread (poll mode) until `Done()` is true or `Deadline`
 * passes, sleeping in the library (Client::wait) between them rather than spinning.
 */
template <typename TDone>
void PollUntil(const gameye::Client& Client, FClock::time_point Deadline, TDone&& Done)
{
    Client.poll();
    while (!Done())
    {
        const auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(Deadline - FClock::now()).count();
        if (Left <= 0)
        {
            return;
        }
        Client.wait(static_cast<uint32_t>(Left < 50 ? Left : 50));
        Client.poll();
    }
}

/**
 * Stops the sessions that starts left behind with nobody to receive them (a start cancelled at
 * teardown after it was sent, or one that succeeded then), and reports each outcome. It must
 * outlive the client whose completions it receives: declare it before the client, or destroy the
 * client first. Game thread (poll mode).
 */
class FLostSessions
{
public:
    /** Told of each stop's outcome: `Failure` is null when the session was stopped. */
    using FReport = std::function<void(const std::string& SessionId, const gameye::Error* Failure)>;

    explicit FLostSessions(FReport InReport) : Report(std::move(InReport)) {}

    /** Submits a stop of `SessionId`; a stop that cannot be submitted is reported at once. */
    void Stop(const gameye::Client& Client, std::string SessionId)
    {
        ++Pending;
        gameye::Result<gameye::Request> Request =
            Client.stop_session_async(SessionId, [this, SessionId](gameye::Result<void> Stopped) {
                --Pending;
                Report(SessionId, Stopped ? nullptr : &Stopped.error());
            });
        if (!Request)
        {
            --Pending;
            Report(SessionId, &Request.error());
        }
    }

    /** Whether every stop's outcome has been reported. */
    bool AllReported() const { return Pending == 0; }

private:
    FReport Report;
    std::size_t Pending = 0;
};
}  // namespace GameyeFlush
