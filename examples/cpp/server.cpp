// server.cpp: the dedicated game server of examples/c/server.c, with the C++ wrapper: it runs
// inside a Gameye session, reports each player who connects ("HELLO <id>") and leaves (closes),
// and stops its own session when the last player leaves or one sends "MATCH OVER"; on SIGTERM it
// flushes what it owes within 5 s. Built with -fno-exceptions, as Unreal builds.
//
// Build (one line): g++ -std=c++17 -Wall -Wextra -Werror -fno-exceptions -Iinclude
//   -Ibindings/cpp examples/cpp/server.cpp target/debug/libgameye.a -lpthread -ldl -lm -o server
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gameye.hpp"

namespace {

volatile std::sig_atomic_t terminated = 0;

struct Player {
    int fd;
    std::string id;
    std::string buffer;
};

void say(const std::string &line) {
    std::printf("server: %s\n", line.c_str());
    std::fflush(stdout);
}

int listen_on(bool loopback, int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(loopback ? INADDR_LOOPBACK : INADDR_ANY);
    if (bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || listen(fd, 16) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

int main() {
    auto context = gameye::SessionContext::current();
    if (!context) {
        std::fprintf(stderr, "server: not inside a Gameye session: %.*s\n",
                     static_cast<int>(context.error().message().size()), context.error().message().data());
        return 2;
    }
    std::signal(SIGTERM, [](int) { terminated = 1; });
    std::signal(SIGPIPE, SIG_IGN);
    const std::string session(context.value().id());

    auto client = gameye::Client::from_environment();  // GAMEYE_API_TOKEN, GAMEYE_API_ENDPOINT
    if (!client) {
        std::fprintf(stderr, "server: no client: %s\n", std::string(client.error().message()).c_str());
        return 1;
    }
    auto made = gameye::RosterReporter::create(client.value(), session);
    if (!made) {
        std::fprintf(stderr, "server: no reporter: %s\n", std::string(made.error().message()).c_str());
        return 1;
    }
    gameye::RosterReporter reporter = std::move(made).value();

    const char *port_text = std::getenv("GAMEYE_PORT_7777_TCP");
    const int port = port_text != nullptr ? std::atoi(port_text) : 7777;
    const int listener = listen_on(context.value().host() == "127.0.0.1", port);
    if (listener < 0) {
        std::fprintf(stderr, "server: cannot listen on port %d\n", port);
        return 1;
    }
    say("session " + session + " listening on port " + std::to_string(port) + " (pid " + std::to_string(getpid()) +
        ")");

    std::vector<Player> players;
    bool over = false, joined_ever = false;
    while (!over && !terminated) {
        std::vector<pollfd> fds{{listener, POLLIN, 0}};
        for (const Player &player : players) {
            fds.push_back({player.fd, POLLIN, 0});
        }
        if (poll(fds.data(), fds.size(), 100) < 0) {
            continue;
        }
        for (std::size_t i = players.size(); i-- > 0;) {
            if (!(fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            Player &player = players[i];
            char chunk[256];
            ssize_t got = read(player.fd, chunk, sizeof chunk);
            bool gone = got <= 0;
            if (!gone) {
                player.buffer.append(chunk, static_cast<std::size_t>(got));
            }
            for (std::size_t end; !gone && (end = player.buffer.find('\n')) != std::string::npos;) {
                std::string line = player.buffer.substr(0, end);
                player.buffer.erase(0, end + 1);
                if (line.rfind("HELLO ", 0) == 0 && player.id.empty() && line.size() > 6) {
                    player.id = line.substr(6);
                    (void)reporter.player_joined(player.id);  // O(1), no I/O
                    say("player " + player.id + " joined");
                    std::string welcome = "WELCOME " + player.id + "\n";
                    (void)!write(player.fd, welcome.data(), welcome.size());
                } else if (line == "MATCH OVER") {
                    say("the match is over");
                    over = true;
                }
            }
            gone = gone || player.buffer.size() > 255;
            if (gone) {
                if (!player.id.empty()) {
                    (void)reporter.player_left(player.id);
                    say("player " + player.id + " left");
                    joined_ever = true;
                }
                close(player.fd);
                players.erase(players.begin() + static_cast<std::ptrdiff_t>(i));
            }
        }
        if (fds[0].revents & POLLIN) {
            int fd = accept(listener, nullptr, nullptr);
            if (fd >= 0) {
                players.push_back({fd, {}, {}});
            }
        }
        if (joined_ever && players.empty()) {
            say("the last player left");
            over = true;
        }
    }
    for (const Player &player : players) {
        close(player.fd);
    }
    close(listener);
    if (over) {
        auto stopped = reporter.stop_session(5000);  // flush, then stop this session
        say(stopped ? "match over, session stopped" : "cannot stop: " + std::string(stopped.error().message()));
        return stopped ? 0 : 1;
    }
    auto flushed = reporter.flush(5000);
    say(flushed ? "stopping, every player reported" : "stopping: " + std::string(flushed.error().message()));
    return flushed ? 0 : 1;
}
