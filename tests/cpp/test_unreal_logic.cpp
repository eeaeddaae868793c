// test_unreal_logic.cpp: the Unreal plugin's engine-free parts against the emulator, through the
// C++ wrapper: the teardown flush (GameyeFlush.h: a write in flight finishes within the flush; a
// start cancelled after it was sent names its session, which is then stopped) and the server
// component's roster (GameyeServerRoster.h: login/logout order, flush, stop this session). The
// plugin's engine glue around them is compiled by tests/unreal/drift_guard.py, not run here.
// Built by tests/cpp.rs with g++ -Wall -Wextra -Werror -fno-exceptions.
#include "GameyeFlush.h"
#include "GameyeServerRoster.h"
#include "harness.h"

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

using GameyeFlush::FClock;

static gameye::Client client() {
    gameye::Config config;
    config.base_url(harness_env("GAMEYE_TEST_URL")).token("test-token").timeout_ms(10000).retry(0, 0, 0);
    auto made = gameye::Client::create(config);
    CHECK(made.ok());
    if (!made) {
        std::exit(1);
    }
    return std::move(made).value();
}

static std::string start(const gameye::Client &client) {
    auto started = client.start_session(gameye::StartOptions("europe", "my-game"));
    CHECK(started.ok());
    return started ? std::string(started.value().id()) : std::string();
}

static bool running(const gameye::Client &client, const std::string &id) {
    auto listed = client.list_sessions();
    CHECK(listed.ok());
    if (listed) {
        for (gameye::Session session : listed.value()) {
            if (session.id() == id) {
                return true;
            }
        }
    }
    return false;
}

static long elapsed_ms(FClock::time_point since) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(FClock::now() - since).count());
}

// "Stop the session, then quit": the stop is slow (400 ms) but finishes within the flush.
static void a_write_in_flight_finishes_within_the_flush() {
    harness_reset();
    gameye::Client api = client();
    std::string id = start(api);
    CHECK(mock_fault("{\"operation\": \"session-stop\", \"times\": 1, \"delay_ms\": 400}"));
    bool stopped = false;
    auto request = api.stop_session_async(id, [&](gameye::Result<void> result) { stopped = result.ok(); });
    CHECK(request.ok());
    const auto begun = FClock::now();
    GameyeFlush::PollUntil(api, begun + std::chrono::seconds(5), [&] { return stopped; });
    CHECK(stopped);
    CHECK(elapsed_ms(begun) >= 350 && elapsed_ms(begun) < 4000);
    CHECK(!running(api, id));

    // A flush shorter than the write ends at its deadline, with the write still in flight.
    CHECK(mock_fault("{\"operation\": \"session-list\", \"times\": 1, \"delay_ms\": 1500}"));
    bool listed = false;
    auto slow = api.list_sessions_async(nullptr, [&](gameye::Result<gameye::SessionList>) { listed = true; });
    CHECK(slow.ok());
    const auto short_flush = FClock::now();
    GameyeFlush::PollUntil(api, short_flush + std::chrono::milliseconds(200), [&] { return listed; });
    CHECK(!listed);
    CHECK(elapsed_ms(short_flush) >= 150 && elapsed_ms(short_flush) < 1200);
    CHECK(slow.value().cancel());
    GameyeFlush::PollUntil(api, FClock::now() + std::chrono::seconds(2), [&] { return listed; });
    CHECK(listed);
}

// The server has made the session, but its answer is still arriving when the flush ends: the
// cancelled start names the session, and the lost-session stop ends it.
static void a_cancelled_start_names_its_session_which_is_stopped() {
    harness_reset();
    gameye::Client api = client();
    CHECK(mock_fault("{\"operation\": \"session-run\", \"times\": 1, \"bytes_per_second\": 20}"));
    std::string named;
    gameye::Status status = gameye::Status::Ok;
    bool done = false;
    auto request = api.start_session_async(gameye::StartOptions("europe", "my-game"),
                                           [&](gameye::Result<gameye::StartedSession> result) {
                                               done = true;
                                               status = result.status();
                                               if (!result && result.error().session_id()) {
                                                   named = std::string(*result.error().session_id());
                                               }
                                           });
    CHECK(request.ok());
    // Until the session exists on the server (its answer trickles in at 20 bytes a second).
    const auto begun = FClock::now();
    while (elapsed_ms(begun) < 5000) {
        auto listed = api.list_sessions();
        if (listed && listed.value().size() == 1) {
            break;
        }
    }
    CHECK(!done);
    CHECK(request.value().cancel());
    GameyeFlush::PollUntil(api, FClock::now() + std::chrono::seconds(2), [&] { return done; });
    CHECK(done && status == gameye::Status::Cancelled);
    CHECK(!named.empty());
    CHECK(running(api, named));

    std::vector<std::string> reported;
    bool failed = false;
    {
        GameyeFlush::FLostSessions lost([&](const std::string &session, const gameye::Error *failure) {
            reported.push_back(session);
            failed = failure != nullptr;
        });
        gameye::Client teardown = client();
        lost.Stop(teardown, named);
        CHECK(!lost.AllReported());
        GameyeFlush::PollUntil(teardown, FClock::now() + std::chrono::seconds(2), [&] { return lost.AllReported(); });
        CHECK(lost.AllReported());
        // A stop that fails is reported as failed.
        lost.Stop(teardown, "");
        GameyeFlush::PollUntil(teardown, FClock::now() + std::chrono::seconds(2), [&] { return lost.AllReported(); });
        CHECK(lost.AllReported() && failed);
    }
    CHECK(reported.size() == 2 && reported[0] == named && reported[1].empty());
    CHECK(!running(api, named));
}

static void the_roster_follows_logins_and_logouts() {
    harness_reset();
    gameye::Client api = client();
    unsetenv("GAMEYE_SESSION_ID");
    CHECK(FGameyeServerRoster::Start(api, nullptr).status() == gameye::Status::NotFound);

    std::string id = start(api);
    setenv("GAMEYE_SESSION_ID", id.c_str(), 1);
    gameye::ReporterOptions options;
    options.batch_interval_ms(10);
    auto started = FGameyeServerRoster::Start(api, &options);
    unsetenv("GAMEYE_SESSION_ID");
    CHECK(started.ok());
    if (!started) {
        return;
    }
    FGameyeServerRoster roster = std::move(started).value();
    CHECK(roster.SessionId() == id);
    auto players = [&] {
        auto described = api.describe_session(id);
        CHECK(described.ok());
        return described ? described.value().view().player_count() : -1;
    };

    CHECK(roster.LoggedIn("ana").ok() && roster.LoggedIn("bo").ok());
    // Ana reconnects before her old connection's logout: two logins, one player.
    CHECK(roster.LoggedIn("ana").ok());
    CHECK(roster.LoggedIn("").status() == gameye::Status::InvalidArgument);
    CHECK(roster.LoggedOut("zed").ok());  // never logged in: ignored
    CHECK(roster.PlayersOnline() == 2);
    CHECK(roster.Flush(5000).ok());
    CHECK(players() == 2);

    CHECK(roster.LoggedOut("ana").ok());  // the old connection: she is still here
    CHECK(roster.Flush(5000).ok());
    CHECK(players() == 2 && roster.PlayersOnline() == 2);
    CHECK(roster.LoggedOut("ana").ok());
    CHECK(roster.Flush(5000).ok());
    CHECK(players() == 1 && roster.PlayersOnline() == 1);

    // The end of the match: what is pending is flushed, then the session stops.
    CHECK(roster.LoggedOut("bo").ok());
    CHECK(roster.StopThisSession(5000).ok());
    CHECK(!running(api, id));
    CHECK(roster.LoggedIn("late").status() == gameye::Status::Cancelled);
}

int main() {
    a_write_in_flight_finishes_within_the_flush();
    a_cancelled_start_names_its_session_which_is_stopped();
    the_roster_follows_logins_and_logouts();
    return harness_finish("test_unreal_logic");
}
