// matchmaker.cpp: a tiny matchmaker loop with the C++ wrapper: find a session with room in a
// location (backfill), or start one and wait until it runs, without ever blocking the loop; then
// stop it.
//
// Configuration from the environment: GAMEYE_API_ENDPOINT and GAMEYE_API_TOKEN.
// Usage: matchmaker [LOCATION IMAGE]   (default: europe nginx, which the emulator serves)
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "gameye.hpp"

static void print_error(const char *what, const gameye::Error &error) {
    std::fprintf(stderr, "%s failed: %s: %s\n", what, std::string(gameye::status_name(error.status())).c_str(),
                 std::string(error.message()).c_str());
}

int main(int argc, char **argv) {
    const std::string location = argc > 2 ? argv[1] : "europe";
    const std::string image = argc > 2 ? argv[2] : "nginx";
    auto created = gameye::Client::from_environment();
    if (!created) {
        print_error("creating the client", created.error());
        return 1;
    }
    gameye::Client client = std::move(created).value();

    std::string session_id;  // the session our players go to
    bool searching = true;
    bool failed = false;

    // 1. Look for a running session with fewer than 8 players.
    gameye::ListOptions backfill;
    backfill.location(location).image(image).player_count_lt(8);
    auto listing = client.list_sessions_async(&backfill, [&](gameye::Result<gameye::SessionList> result) {
        if (!result) {
            print_error("listing sessions", result.error());
            failed = true;
            return;
        }
        for (gameye::Session session : result.value()) {
            session_id = std::string(session.id());
            std::printf("backfilling %s on %s\n", session_id.c_str(), std::string(session.host()).c_str());
            searching = false;
            return;
        }
        // 2. None: start one and wait until it runs (within 60 s, the start included), so the
        // players get an address that answers. The completion runs on this loop's thread.
        gameye::StartOptions options(location, image);
        options.label("matchmaker", "example").ttl("10m");
        auto starting =
            client.start_session_and_wait_async(options, 60000, [&](gameye::Result<gameye::DescribedSession> running) {
                if (!running) {
                    print_error("starting a session", running.error());
                    // It may exist (still starting after a timeout): never leave it running unused.
                    if (auto id = running.error().session_id()) {
                        (void)client.stop_session_async(std::string(*id), [](gameye::Result<void>) {});
                    }
                    failed = true;
                    return;
                }
                gameye::Session session = running.value().view();
                session_id = std::string(session.id());
                std::printf("started %s on %s: %s\n", session_id.c_str(), std::string(session.host()).c_str(),
                            std::string(session.status().value_or("")).c_str());
                for (gameye::Port port : session.ports()) {
                    std::printf("  %s -> %u\n", std::string(port.name()).c_str(), static_cast<unsigned>(port.host()));
                }
                searching = false;
            });
        if (!starting) {
            print_error("starting a session", starting.error());
            failed = true;
        }
    });
    if (!listing) {
        print_error("listing sessions", listing.error());
        return 1;
    }

    // The "game loop": a frame every 16 ms, delivering completions without blocking.
    for (int frame = 0; searching && !failed && frame < 60 * 30; ++frame) {
        client.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(16));
    }
    if (failed || session_id.empty()) {
        return 1;
    }
    auto stopped = client.stop_session(session_id);  // a tool may block; a game thread would not
    if (!stopped) {
        print_error("stopping the session", stopped.error());
        return 1;
    }
    std::printf("stopped %s\n", session_id.c_str());
    return 0;
}
