/* Contender (a): this library through its C ABI. Usage: c_gameye BASE_URL list|describe|concurrent ITERATIONS */
#include "bench_common.h"
#include "gameye.h"

static uint64_t len(const char *s) { return s ? (uint64_t)strlen(s) : 0; }

static uint64_t read_map(const gameye_string_map *map) {
    uint64_t sum = 0;
    size_t i;
    for (i = 0; i < gameye_string_map_len(map); i++) {
        sum += len(gameye_string_map_key(map, i)) + len(gameye_string_map_value(map, i));
    }
    return sum;
}

/* Every field a caller would read. */
static uint64_t read_session(const gameye_session *s) {
    uint64_t sum = len(gameye_session_id(s)) + len(gameye_session_image(s)) + len(gameye_session_tag(s)) +
                   len(gameye_session_location(s)) + len(gameye_session_host(s)) + len(gameye_session_status(s)) +
                   (uint64_t)(gameye_session_created(s) % 1000) + (uint64_t)gameye_session_player_count(s);
    size_t i;
    for (i = 0; i < gameye_session_port_count(s); i++) {
        const gameye_port *p = gameye_session_port_get(s, i);
        sum += gameye_port_container(p) + gameye_port_host(p) + len(gameye_port_name(p)) + len(gameye_port_protocol(p));
    }
    return sum + read_map(gameye_session_tags(s)) + read_map(gameye_session_env(s));
}

/* The concurrent workload: 64 non-blocking lists per batch, delivered by polling. */
#define IN_FLIGHT 64
struct batch {
    int done;
    uint64_t sum;
};

static void on_list(gameye_completion *completion, void *user_data) {
    struct batch *batch = (struct batch *)user_data;
    gameye_session_list *list = gameye_completion_take_session_list(completion);
    size_t k;
    for (k = 0; k < gameye_session_list_len(list); k++) {
        batch->sum += read_session(gameye_session_list_get(list, k));
    }
    gameye_session_list_free(list);
    batch->done++;
}

static int concurrent(gameye_client *client, int iterations, uint64_t *samples, uint64_t *checksum) {
    int i, r;
    for (i = -1; i < iterations; i++) {
        struct batch batch = {0, 0};
        uint64_t start = now_ns();
        for (r = 0; r < IN_FLIGHT; r++) {
            if (gameye_list_sessions_async(client, NULL, on_list, &batch, NULL, NULL) != GAMEYE_STATUS_OK) return 1;
        }
        while (batch.done < IN_FLIGHT) {
            (void)gameye_client_wait(client, 1000);
            (void)gameye_client_poll(client, 0);
        }
        if (i >= 0) {
            samples[i] = now_ns() - start;
            *checksum = batch.sum;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    gameye_client_config *config = gameye_client_config_new();
    gameye_client *client = NULL;
    int iterations = argc > 3 ? atoi(argv[3]) : 10;
    int describe = argc > 2 && strcmp(argv[2], "describe") == 0;
    uint64_t *samples = calloc((size_t)iterations, sizeof *samples);
    uint64_t checksum = 0;
    int i;
    gameye_client_config_set_base_url(config, argv[1]);
    gameye_client_config_set_token(config, "bench");
    gameye_client_config_set_retry(config, 0, 0, 0);
    gameye_client_config_set_worker_threads(config, 8);
    if (gameye_client_new(config, &client, NULL) != GAMEYE_STATUS_OK) {
        return 1;
    }
    gameye_client_config_free(config);
    if (argc > 2 && strcmp(argv[2], "concurrent") == 0) {
        if (concurrent(client, iterations, samples, &checksum) != 0) return 1;
        report(samples, iterations, checksum);
        gameye_client_free(client);
        free(samples);
        return 0;
    }
    for (i = -1; i < iterations; i++) { /* i = -1: warm-up (connection, TLS-less keep-alive) */
        uint64_t start = now_ns(), sum = 0;
        if (describe) {
            gameye_session *session = NULL;
            if (gameye_describe_session(client, "bench-describe", &session, NULL) != GAMEYE_STATUS_OK) return 1;
            sum = read_session(session);
            gameye_session_free(session);
        } else {
            gameye_session_list *list = NULL;
            size_t k;
            if (gameye_list_sessions(client, NULL, &list, NULL) != GAMEYE_STATUS_OK) return 1;
            for (k = 0; k < gameye_session_list_len(list); k++) {
                sum += read_session(gameye_session_list_get(list, k));
            }
            gameye_session_list_free(list);
        }
        if (i >= 0) {
            samples[i] = now_ns() - start;
            checksum = sum;
        }
    }
    report(samples, iterations, checksum);
    gameye_client_free(client);
    free(samples);
    return 0;
}
