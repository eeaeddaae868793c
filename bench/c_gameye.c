/* Contender (a): this library through its C ABI. Usage: c_gameye BASE_URL list|describe|concurrent ITERATIONS */
#include "list_gameye.h"

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
        batch->sum += g_read_session(gameye_session_list_get(list, k));
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
    gameye_client *client = g_client(argv[1]);
    int iterations = argc > 3 ? atoi(argv[3]) : 10;
    int describe = argc > 2 && strcmp(argv[2], "describe") == 0;
    uint64_t *samples = calloc((size_t)iterations, sizeof *samples);
    uint64_t checksum = 0;
    int i;
    if (client == NULL) {
        return 1;
    }
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
            sum = g_read_session(session);
            gameye_session_free(session);
        } else if (g_list(client, &sum) != 0) {
            return 1;
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
