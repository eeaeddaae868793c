/* The library's side of the C contenders: reading every field of a session, and one list. */
#ifndef LIST_GAMEYE_H
#define LIST_GAMEYE_H
#include "bench_common.h"
#include "gameye.h"

static uint64_t g_len(const char *s) { return s ? (uint64_t)strlen(s) : 0; }

static uint64_t g_read_map(const gameye_string_map *map) {
    uint64_t sum = 0;
    size_t i;
    for (i = 0; i < gameye_string_map_len(map); i++) {
        sum += g_len(gameye_string_map_key(map, i)) + g_len(gameye_string_map_value(map, i));
    }
    return sum;
}

/* Every field a caller would read. */
static uint64_t g_read_session(const gameye_session *s) {
    uint64_t sum = g_len(gameye_session_id(s)) + g_len(gameye_session_image(s)) + g_len(gameye_session_tag(s)) +
                   g_len(gameye_session_location(s)) + g_len(gameye_session_host(s)) + g_len(gameye_session_status(s)) +
                   (uint64_t)(gameye_session_created(s) % 1000) + (uint64_t)gameye_session_player_count(s);
    size_t i;
    for (i = 0; i < gameye_session_port_count(s); i++) {
        const gameye_port *p = gameye_session_port_get(s, i);
        sum += gameye_port_container(p) + gameye_port_host(p) + g_len(gameye_port_name(p)) + g_len(gameye_port_protocol(p));
    }
    return sum + g_read_map(gameye_session_tags(s)) + g_read_map(gameye_session_env(s));
}

/* One list, every field read; returns 0 on success. */
static int g_list(gameye_client *client, uint64_t *sum) {
    gameye_session_list *list = NULL;
    size_t k;
    if (gameye_list_sessions(client, NULL, &list, NULL) != GAMEYE_STATUS_OK) return 1;
    *sum = 0;
    for (k = 0; k < gameye_session_list_len(list); k++) {
        *sum += g_read_session(gameye_session_list_get(list, k));
    }
    gameye_session_list_free(list);
    return 0;
}

/* One list through the non-blocking call: it runs on a library worker thread (and so in that
 * thread's malloc arena, apart from the caller's), its completion read here by polling. */
struct g_async {
    int done;
    uint64_t sum;
};

static inline void g_on_list(gameye_completion *completion, void *user_data) {
    struct g_async *state = (struct g_async *)user_data;
    gameye_session_list *list = gameye_completion_take_session_list(completion);
    size_t k;
    for (k = 0; k < gameye_session_list_len(list); k++) {
        state->sum += g_read_session(gameye_session_list_get(list, k));
    }
    gameye_session_list_free(list);
    state->done = 1;
}

static inline int g_list_async(gameye_client *client, uint64_t *sum) {
    struct g_async state = {0, 0};
    if (gameye_list_sessions_async(client, NULL, g_on_list, &state, NULL, NULL) != GAMEYE_STATUS_OK) return 1;
    while (!state.done) {
        (void)gameye_client_wait(client, 1000);
        (void)gameye_client_poll(client, 0);
    }
    *sum = state.sum;
    return 0;
}

/* A client of BASE for the benchmarks: no retries, 8 workers. */
static gameye_client *g_client(const char *base) {
    gameye_client_config *config = gameye_client_config_new();
    gameye_client *client = NULL;
    gameye_client_config_set_base_url(config, base);
    gameye_client_config_set_token(config, "bench");
    gameye_client_config_set_retry(config, 0, 0, 0);
    gameye_client_config_set_worker_threads(config, 8);
    if (gameye_client_new(config, &client, NULL) != GAMEYE_STATUS_OK) client = NULL;
    gameye_client_config_free(config);
    return client;
}
#endif
