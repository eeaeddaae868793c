// Lists sessions on the emulator at GAMEYE_TEST_URL through the installed package.
#include <gameye.hpp>

#include <cstdio>
#include <cstdlib>

int main() {
    const char *url = std::getenv("GAMEYE_TEST_URL");
    gameye::Config config;
    config.base_url(url != nullptr ? url : "").token("test-token");
    auto client = gameye::Client::create(config);
    if (!client) {
        std::fprintf(stderr, "client: %s\n", std::string(client.error().message()).c_str());
        return 1;
    }
    auto list = client.value().list_sessions();
    if (!list) {
        std::fprintf(stderr, "list: %s\n", std::string(list.error().message()).c_str());
        return 1;
    }
    std::printf("consumer: listed %zu sessions with gameye %s\n", list.value().size(),
                std::string(gameye::version()).c_str());
    return 0;
}
