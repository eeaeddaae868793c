// test_wrapper.cpp: the C++ wrapper (bindings/cpp/gameye.hpp) against the emulator. Built by
// tests/cpp.rs with g++ at -std=c++17 and -std=c++20, -Wall -Wextra -Werror -fno-exceptions,
// and run plainly and under ASan + UBSan.
#include "gameye.hpp"
#include "gameye.hpp"  // included twice on purpose: the guards must hold
#include "gameye.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

static int passed = 0;
static int failed = 0;

#define EXPECT(cond)                                                                \
    do {                                                                            \
        if (cond) {                                                                 \
            ++passed;                                                               \
        } else {                                                                    \
            ++failed;                                                               \
            std::fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

static std::string url() {
    const char *value = std::getenv("GAMEYE_TEST_URL");
    if (value == nullptr) {
        std::fprintf(stderr, "GAMEYE_TEST_URL is not set\n");
        std::exit(2);
    }
    return value;
}

static gameye::Client client_with(gameye_delivery delivery = GAMEYE_DELIVERY_POLL) {
    gameye::Config config;
    config.base_url(url()).token("test-token").timeout_ms(10000).retry(0, 0, 0).delivery(delivery);
    auto client = gameye::Client::create(config);
    if (!client) {
        std::fprintf(stderr, "cannot create a client: %.*s\n", static_cast<int>(client.error().message().size()),
                     client.error().message().data());
        std::exit(1);
    }
    return std::move(client).value();
}

static void reset(const gameye::Client &client) {
    // Stop whatever a previous test started, through the API itself.
    auto all = client.list_sessions();
    if (all) {
        for (gameye::Session session : all.value()) {
            (void)client.stop_session(std::string(session.id()));
        }
    }
}

static void test_blocking_calls() {
    gameye::Client client = client_with();
    reset(client);
    gameye::StartOptions options("europe", "my-game");
    options.id("cpp-1").label("mode", "ffa").env("MAP", "dust").arg("--x").ttl("1h");
    auto started = client.start_session(options);
    EXPECT(started.ok());
    if (!started) {
        return;
    }
    EXPECT(started.value().id() == "cpp-1");
    int ports = 0;
    for (gameye::Port port : started.value().ports()) {
        EXPECT(port.host() >= 20000 && port.host() <= 30000);
        ++ports;
    }
    EXPECT(ports == 2);

    gameye::ListOptions filter;
    filter.location("europe").filter("mode", "ffa").player_count_lt(10);
    auto list = client.list_sessions(&filter);
    EXPECT(list.ok() && list.value().size() == 1);
    for (gameye::Session session : list.value()) {
        EXPECT(session.id() == "cpp-1");
        EXPECT(session.tag() == std::optional<std::string_view>("1.1.0"));
        EXPECT(session.status() == std::optional<std::string_view>("running"));
        EXPECT(session.player_count() == std::optional<int64_t>(0));
        EXPECT(session.tags().get("mode") == std::optional<std::string_view>("ffa"));
        EXPECT(session.env().get("MAP") == std::optional<std::string_view>("dust"));
        EXPECT(!session.has_players() && session.players().empty());
        int labels = 0;
        for (gameye::MapEntry entry : session.tags()) {
            EXPECT(entry.key == "mode" && entry.value == "ffa");
            ++labels;
        }
        EXPECT(labels == 1);
        for (gameye::Port port : session.ports()) {
            EXPECT(port.protocol().has_value());
        }
    }

    auto joined = client.join_session("cpp-1", {"p1", "p2"});
    EXPECT(joined.ok() && joined.value().count() == std::optional<int64_t>(2));
    auto described = client.describe_session("cpp-1");
    EXPECT(described.ok());
    if (described) {
        gameye::Session session = described.value().view();
        EXPECT(session.has_players() && session.players().size() == 2);
        std::string names;
        for (std::string_view player : session.players()) {
            names += player;
        }
        EXPECT(names == "p1p2");
    }
    auto left = client.leave_session({"p1"});
    EXPECT(left.ok() && left.value().players().size() == 1);
    auto logs = client.logs("cpp-1");
    EXPECT(logs.ok() && logs.value().text().find("player p1 joined") != std::string_view::npos);
    auto locations = client.available_locations("my-game");
    EXPECT(locations.ok() && locations.value().size() == 3);
    for (gameye::Location location : locations.value()) {
        EXPECT(!location.id().empty() && location.ips().size() == 1);
    }
    auto exists = client.tag_exists("europe", "my-game", "1.0.0");
    EXPECT(exists.ok() && exists.value());

    auto stream = client.follow_logs("cpp-1", 30000);
    EXPECT(stream.ok());
    if (stream) {
        auto first = stream.value().next(10000);
        EXPECT(first.ok() && first.value().has_line);
    }

    EXPECT(client.stop_session("cpp-1").ok());
    auto again = client.stop_session("cpp-1");
    EXPECT(!again.ok() && again.status() == gameye::Status::Conflict && again.error().http_status() == 409);
    EXPECT(again.error().identifier().has_value());
}

static void test_errors_without_exceptions() {
    gameye::Client client = client_with();
    auto missing = client.describe_session("nope");
    EXPECT(!missing && missing.status() == gameye::Status::NotFound);
    EXPECT(missing.error().http_status() == 404 && !missing.error().message().empty());
    EXPECT(gameye::status_name(missing.status()) == "GAMEYE_STATUS_NOT_FOUND");

    // A builder remembers its first failing setter and the call reports it.
    gameye::StartOptions bad;
    bad.location("").image("nginx");
    EXPECT(bad.status() == gameye::Status::InvalidArgument);
    auto refused = client.start_session(bad);
    EXPECT(!refused && refused.status() == gameye::Status::InvalidArgument);
    EXPECT(!refused.error().message().empty());

    gameye::Config broken;
    broken.base_url("ftp://nope");
    auto none = gameye::Client::create(broken);
    EXPECT(!none && none.status() == gameye::Status::InvalidArgument);

    gameye::Config wrong;
    wrong.base_url(url()).token("wrong-token").retry(0, 0, 0);
    auto unauthorized_client = gameye::Client::create(wrong);
    EXPECT(unauthorized_client.ok());
    if (unauthorized_client) {
        auto list = unauthorized_client.value().list_sessions();
        EXPECT(!list && list.status() == gameye::Status::Unauthorized);
        // The library's advice is the hint; the message stays the server's.
        EXPECT(list.error().hint().has_value() &&
               list.error().hint()->find("not interchangeable") != std::string_view::npos);
        EXPECT(list.error().message().find("not interchangeable") == std::string_view::npos);
    }

    // A failed start names the id it sent, so the caller can describe or stop what may exist.
    gameye::StartOptions taken("europe", "nginx");
    taken.id("cpp-taken");
    EXPECT(client.start_session(taken).ok());
    auto conflict = client.start_session(taken);
    EXPECT(!conflict && conflict.status() == gameye::Status::Conflict);
    EXPECT(conflict.error().session_id() == std::optional<std::string_view>("cpp-taken"));
    EXPECT(!missing.error().session_id().has_value() && !missing.error().hint().has_value());
    EXPECT(!gameye::version().empty());
}

static void test_nonblocking_calls() {
    gameye::Client client = client_with();
    reset(client);
    const std::thread::id me = std::this_thread::get_id();
    int done = 0;
    bool on_this_thread = true;
    std::string started_id;
    auto request = client.start_session_async(gameye::StartOptions("europe", "nginx"),
                                              [&](gameye::Result<gameye::StartedSession> result) {
                                                  ++done;
                                                  on_this_thread = on_this_thread && std::this_thread::get_id() == me;
                                                  if (result) {
                                                      started_id = std::string(result.value().id());
                                                  }
                                              });
    EXPECT(request.ok() && request.value().id() > 0);
    for (int i = 0; i < 300 && done < 1; ++i) {
        client.wait(100);
        client.poll();
    }
    EXPECT(done == 1 && !started_id.empty());

    std::size_t sessions = 0;
    bool stopped = false;
    bool exists = false;
    auto r1 = client.list_sessions_async(nullptr, [&](gameye::Result<gameye::SessionList> result) {
        ++done;
        sessions = result ? result.value().size() : 0;
    });
    auto r2 = client.tag_exists_async("europe", "nginx", "latest", [&](gameye::Result<bool> result) {
        ++done;
        exists = result && result.value();
    });
    for (int i = 0; i < 300 && done < 3; ++i) {
        client.wait(100);
        client.poll();
    }
    EXPECT(r1.ok() && r2.ok() && done == 3 && sessions == 1 && exists);
    auto r3 = client.stop_session_async(started_id, [&](gameye::Result<void> result) {
        ++done;
        stopped = result.ok();
    });
    for (int i = 0; i < 300 && done < 4; ++i) {
        client.wait(100);
        client.poll();
    }
    EXPECT(r3.ok() && done == 4 && stopped && on_this_thread);

    // A cancelled request completes once, with Status::Cancelled; and completions still pending
    // when the client goes away run during its destruction.
    int cancelled = 0;
    {
        gameye::Client short_lived = client_with();
        for (int i = 0; i < 5; ++i) {
            auto pending =
                short_lived.describe_session_async("whatever", [&](gameye::Result<gameye::DescribedSession> result) {
                    cancelled +=
                        result.status() == gameye::Status::Cancelled || result.status() == gameye::Status::NotFound;
                });
            EXPECT(pending.ok());
            if (pending && i == 0) {
                (void)pending.value().cancel();
            }
        }
    }
    EXPECT(cancelled == 5);
}

static void test_callback_thread_and_log_hook() {
    int lines = 0;
    bool token_seen = false;
    gameye::Config config;
    config.base_url(url())
        .token("test-token")
        .delivery(GAMEYE_DELIVERY_CALLBACK_THREAD)
        .log(GAMEYE_LOG_INFO, [&](gameye_log_level, std::string_view line) {
            ++lines;  // one request at a time in this test, so no lock is needed
            token_seen = token_seen || line.find("test-token") != std::string_view::npos;
        });
    auto client = gameye::Client::create(config);
    EXPECT(client.ok());
    if (!client) {
        return;
    }
    bool other_thread = false;
    bool finished = false;
    const std::thread::id me = std::this_thread::get_id();
    auto request = client.value().list_sessions_async(nullptr, [&](gameye::Result<gameye::SessionList> result) {
        other_thread = std::this_thread::get_id() != me && result.ok();
        finished = true;
    });
    EXPECT(request.ok());
    for (int i = 0; i < 3000 && !request.value().finished(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT(request.value().finished());
    client = gameye::Client::create(gameye::Config());  // destroys the first client: its callbacks have run
    EXPECT(finished && other_thread && lines == 1 && !token_seen);
}

static void test_server_side() {
    // Outside a session: NotFound, never a crash.
    unsetenv("GAMEYE_SESSION_ID");
    EXPECT(gameye::SessionContext::current().status() == gameye::Status::NotFound);
    setenv("GAMEYE_SESSION_ID", "match-1", 1);
    setenv("GAMEYE_HOST", "198.51.100.4", 1);
    auto context = gameye::SessionContext::current();
    EXPECT(context.ok() && context.value().id() == "match-1" && context.value().host() == "198.51.100.4");
    unsetenv("GAMEYE_SESSION_ID");
    unsetenv("GAMEYE_HOST");

    std::string session;
    int failures = 0;
    gameye::Status failure = gameye::Status::Ok;
    {
        gameye::Client client = client_with();
        reset(client);
        auto started = client.start_session(gameye::StartOptions().location("europe").image("my-game"));
        EXPECT(started.ok());
        if (!started) {
            return;
        }
        session = std::string(started.value().id());
        gameye::ReporterOptions bad;
        bad.batch_size(0);
        EXPECT(gameye::RosterReporter::create(client, session, &bad).status() == gameye::Status::InvalidArgument);

        gameye::ReporterOptions options;
        options.batch_interval_ms(10).max_pending(8).on_failure([&](gameye::Status status, std::string_view message) {
            ++failures;
            failure = status;
            EXPECT(!message.empty());
        });
        auto made = gameye::RosterReporter::create(client, session, &options);
        EXPECT(made.ok());
        if (!made) {
            return;
        }
        gameye::RosterReporter reporter = std::move(made).value();
        EXPECT(reporter.player_joined("ana").ok() && reporter.player_joined("bo").ok());
        EXPECT(reporter.player_joined("").status() == gameye::Status::InvalidArgument);
        EXPECT(reporter.flush(5000).ok());
        EXPECT(reporter.pending() == 0);
        auto described = client.describe_session(session);
        EXPECT(described.ok() && described.value().view().player_count() == 2);

        // A session that is gone: the failure reaches the function once, and flush says so.
        auto gone = gameye::RosterReporter::create(client, "no-such-session", &options);
        EXPECT(gone.ok());
        if (gone) {
            EXPECT(gone.value().player_joined("cy").ok());
            EXPECT(gone.value().flush(5000).status() == gameye::Status::NotFound);
            EXPECT(gone.value().status().status() == gameye::Status::NotFound);
        }
        EXPECT(failures == 1 && failure == gameye::Status::NotFound);
        EXPECT(reporter.status().ok());

        // The client goes first; the reporter still stops its session at the end of the match.
        client = client_with();
        EXPECT(reporter.player_left("bo").ok());
        EXPECT(reporter.stop_session(5000).ok());
        EXPECT(reporter.player_joined("late").status() == gameye::Status::Cancelled);
        auto listed = client.list_sessions();
        EXPECT(listed.ok());
        if (listed) {
            for (gameye::Session running : listed.value()) {
                EXPECT(running.id() != session);
            }
        }
    }
}

static void test_lifecycle() {
    gameye::Client client = client_with();
    reset(client);
    auto running = client.start_session_and_wait(gameye::StartOptions().location("europe").image("my-game"), 10000);
    EXPECT(running.ok() && !running.value().empty());
    if (!running) {
        return;
    }
    std::string id(running.value().view().id());
    EXPECT(running.value().view().status() == "running");
    EXPECT(running.value().view().ports().size() > 0);
    EXPECT(client.wait_for_session("no-such", gameye::SessionState::Running, 2000).status() ==
           gameye::Status::NotFound);

    auto watch = client.watch_sessions(gameye::WatchOptions().interval_ms(250));
    EXPECT(watch.ok());
    EXPECT(client.watch_sessions(gameye::WatchOptions().interval_ms(10)).status() == gameye::Status::InvalidArgument);
    if (watch) {
        auto added = watch.value().next(10000);
        EXPECT(added.ok() && added.value().has_value() && added.value()->kind() == gameye::WatchEventKind::Added &&
               added.value()->session().id() == id && !added.value()->previous().has_value());
        EXPECT(client.join_session(id, {"ann"}).ok());
        auto changed = watch.value().next(10000);
        EXPECT(changed.ok() && changed.value().has_value() &&
               changed.value()->kind() == gameye::WatchEventKind::Changed &&
               (changed.value()->changes() & GAMEYE_WATCH_CHANGE_PLAYER_COUNT) != 0 &&
               changed.value()->previous().has_value());
    }

    EXPECT(client.stop_session_and_wait(id, 10000).ok());
    if (watch) {
        auto removed = watch.value().next(10000);
        EXPECT(removed.ok() && removed.value().has_value() &&
               removed.value()->kind() == gameye::WatchEventKind::Removed);
        EXPECT(watch.value().last_error().ok());
        watch.value().close();
        EXPECT(!watch.value().running());
        EXPECT(watch.value().next(0).status() == gameye::Status::Cancelled);
    }
    auto ended = client.wait_for_session(id, gameye::SessionState::Ended, 0);
    EXPECT(ended.ok() && !ended.value().empty() && ended.value().view().status() == "exited");
    EXPECT(client.wait_for_session(id, gameye::SessionState::Running, 2000).status() == gameye::Status::SessionEnded);

    bool done = false;
    gameye::Status status = gameye::Status::Internal;
    auto request =
        client.start_session_and_wait_async(gameye::StartOptions().location("europe").image("my-game"), 10000,
                                            [&](gameye::Result<gameye::DescribedSession> result) {
                                                status = result.status();
                                                if (result) {
                                                    (void)client.stop_session(std::string(result.value().view().id()));
                                                }
                                                done = true;
                                            });
    EXPECT(request.ok());
    for (int i = 0; i < 200 && !done; ++i) {
        client.wait(100);
        client.poll();
    }
    EXPECT(done && status == gameye::Status::Ok);
}

static void test_connection_rules() {
    gameye::Client client = client_with();
    EXPECT(client.endpoint().substr(0, 17) == "http://127.0.0.1:");
    std::size_t custom = 9;
    EXPECT(client.tls_roots(&custom) == GAMEYE_TLS_ROOTS_NONE && custom == 0);
    auto bare = client.probe(false);
    EXPECT(bare.ok() && bare.value().http_status() == 401 && !bare.value().tls_verified());
    EXPECT(bare.ok() && bare.value().server_time_unix_ms().has_value());
    auto authorized = client.probe(true);
    EXPECT(authorized.ok() && authorized.value().http_status() == 200);
    auto access = client.check_access();
    EXPECT(access.ok() && access.value().size() == 6);
    if (access) {
        for (gameye::Access check : access.value()) {
            EXPECT(check.granted() && check.error_status() == gameye::Status::Ok && !check.scope().empty());
        }
    }
    gameye::Config config;
    config.base_url(url()).token("reader").timeout_ms(10000).retry(0, 0, 0);
    auto reader = gameye::Client::create(config);
    EXPECT(reader.ok());
    if (reader) {
        auto limited = reader.value().check_access();
        EXPECT(limited.ok());
        if (limited) {
            for (gameye::Access check : limited.value()) {
                bool read = check.scope() == "session:read";
                EXPECT(check.granted() == read);
                EXPECT(read || (check.error_status() == gameye::Status::Forbidden && check.error_http_status() == 403));
            }
        }
    }
}

static void test_close() {
    gameye::Client client = client_with();
    EXPECT(client.list_sessions().ok());
    client.close();
    client.close();  // idempotent
    EXPECT(client.list_sessions().status() == gameye::Status::Cancelled);
}

int main() {
    test_blocking_calls();
    test_errors_without_exceptions();
    test_nonblocking_calls();
    test_callback_thread_and_log_hook();
    test_server_side();
    test_lifecycle();
    test_connection_rules();
    test_close();
    std::printf("test_wrapper: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
