// FGameyeServerRoster: what UGameyeServerComponent does for a dedicated server inside a session,
// in plain C++ over the C++ wrapper (no engine type), so that tests/cpp runs it against the
// emulator: the session this process runs in (its environment), the players the GameMode lets in
// and out reported through a roster reporter, a bounded flush at exit, and the stop of this
// session at the end of the match.
//
// A player id is counted per login: a player who reconnects before the old connection's logout
// (two logins, then one logout) stays joined until the last logout. A logout of an id that never
// logged in is ignored. Game thread; not thread-safe. Included only where WITH_GAMEYE is 1.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>

#include "gameye.hpp"

class FGameyeServerRoster
{
public:
    /**
     * Starts reporting for the session this process runs in (GAMEYE_SESSION_ID): NotFound
     * outside a session, the reporter's failure otherwise. `Options` may be null (defaults).
     */
    static gameye::Result<FGameyeServerRoster> Start(const gameye::Client& Client, const gameye::ReporterOptions* Options)
    {
        gameye::Result<gameye::SessionContext> Context = gameye::SessionContext::current();
        if (!Context)
        {
            return std::move(Context).error();
        }
        std::string Id(Context.value().id());
        gameye::Result<gameye::RosterReporter> Reporter = gameye::RosterReporter::create(Client, Id, Options);
        if (!Reporter)
        {
            return std::move(Reporter).error();
        }
        return FGameyeServerRoster(std::move(Id), std::move(Reporter).value());
    }

    /** This process's session. */
    const std::string& SessionId() const { return Id; }

    /** A player the GameMode let in (PostLogin). InvalidArgument for an empty id. */
    gameye::Result<void> LoggedIn(const std::string& PlayerId)
    {
        if (PlayerId.empty())
        {
            return Refused();
        }
        int& Logins = Online[PlayerId];
        if (++Logins > 1)
        {
            return gameye::Result<void>();  // already joined: one more connection
        }
        gameye::Result<void> Joined = Reporter.player_joined(PlayerId);
        if (!Joined)
        {
            Forget(PlayerId);
        }
        return Joined;
    }

    /** A player who left (Logout). Ignored for an id that is not logged in. */
    gameye::Result<void> LoggedOut(const std::string& PlayerId)
    {
        auto Found = Online.find(PlayerId);
        if (Found == Online.end())
        {
            return gameye::Result<void>();
        }
        if (--Found->second > 0)
        {
            return gameye::Result<void>();  // another connection of this player remains
        }
        Online.erase(Found);
        return Reporter.player_left(PlayerId);
    }

    /** The players logged in now (each once). */
    std::size_t PlayersOnline() const { return Online.size(); }

    /** Waits up to `TimeoutMs` until every report is acknowledged (EndPlay, engine exit). */
    gameye::Result<void> Flush(uint32_t TimeoutMs) const { return Reporter.flush(TimeoutMs); }

    /** Flushes (up to `TimeoutMs`), then stops this session: the end of the match. */
    gameye::Result<void> StopThisSession(uint32_t TimeoutMs) const { return Reporter.stop_session(TimeoutMs); }

    /** Ok while reporting, or the permanent failure that stopped the reporter. */
    gameye::Result<void> Status() const { return Reporter.status(); }

private:
    FGameyeServerRoster(std::string InId, gameye::RosterReporter InReporter)
        : Id(std::move(InId)), Reporter(std::move(InReporter))
    {
    }

    static gameye::Result<void> Refused() { return gameye::Error(gameye::Status::InvalidArgument, nullptr); }

    void Forget(const std::string& PlayerId)
    {
        auto Found = Online.find(PlayerId);
        if (Found != Online.end() && --Found->second == 0)
        {
            Online.erase(Found);
        }
    }

    std::string Id;
    gameye::RosterReporter Reporter;
    std::unordered_map<std::string, int> Online;
};
